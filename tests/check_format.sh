#!/usr/bin/env bash
# The formatting check (ctest format.clang_format): fails when a C++ file of the repository
# (tracked, or new and not ignored) differs from what clang-format 14 writes with the
# repository's .clang-format, and names every such file.
#   bash tests/check_format.sh [REPO_ROOT]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
  echo "format: clang-format is not installed (bash backend/deps.sh installs it)"
  exit 1
fi
version=$("$cf" --version)
case "$version" in
  *"version 14."*) ;;
  *) echo "format: $cf is not clang-format 14 ($version); the repository is formatted with Debian 12's 14"
     exit 1 ;;
esac
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' '*.h' '*.cc' | sort -u)
else # an unpacked archive: the source folders
  mapfile -t files < <(find core backend tests web widget -name node_modules -prune -o -type f \
                         \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \) -print | sort)
fi
present=()
for f in "${files[@]}"; do [ -f "$f" ] && present+=("$f"); done # (not deleted in the work tree)
# One clang-format process for all files (one per file costs ~0.2 s of CPU each).
status=0
report=$("$cf" -style=file --dry-run --Werror --ferror-limit=1 "${present[@]}" 2>&1) || status=$?
mapfile -t differ < <(sed -nE 's/^(.+):[0-9]+:[0-9]+: error: code should be clang-formatted.*/\1/p' <<<"$report" | sort -u)
if [ "$status" -ne 0 ] && [ ${#differ[@]} -eq 0 ]; then
  echo "format: clang-format failed:"
  echo "$report"
  exit 1
fi
if [ ${#differ[@]} -gt 0 ]; then
  echo "format: ${#differ[@]} of ${#files[@]} C++ files differ from clang-format 14 (.clang-format):"
  printf '  %s\n' "${differ[@]}"
  echo "format: fix with: clang-format -i ${differ[*]}"
  exit 1
fi
echo "format: all ${#files[@]} C++ files as clang-format 14 writes them"
