#!/usr/bin/env bash
# The native quickstart (docs/widget.md, moved there from the README) must be the code the build compiles (widget/examples/quickstart.cpp).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
readme=$(awk '/<!-- quickstart:begin/{on=1; next} /<!-- quickstart:end/{on=0} on' "$root/docs/widget.md" | sed '1d;$d')
example=$(awk '/^\/\/ <readme>$/{on=1; next} /^\/\/ <\/readme>$/{on=0} on' "$root/widget/examples/quickstart.cpp")
if [ "$readme" != "$example" ]; then
  diff <(echo "$readme") <(echo "$example") || true
  echo "docs/widget.md quickstart differs from widget/examples/quickstart.cpp"
  exit 1
fi
echo "docs/widget.md quickstart matches widget/examples/quickstart.cpp ($(echo "$example" | wc -l) lines)"
