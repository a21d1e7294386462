#!/bin/bash
# Runs backend/bench/email_bench against a loopback SMTP server (smtp_capture.py) started
# here. Usage: tests/email/bench.sh build/native/backend/email_bench [--messages N]
set -euo pipefail
bench=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 "$here/smtp_capture.py" "$port" "$dir/mail" >"$dir/ready" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q ready "$dir/ready" 2>/dev/null && break; sleep 0.1; done
"$bench" --smtp "smtp://127.0.0.1:$port" "$@"
