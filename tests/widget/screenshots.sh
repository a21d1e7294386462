#!/usr/bin/env bash
# Screenshots of the native demo (GLFW + OpenGL under Xvfb) and of the canvas demo (Wasm in
# headless chromium) talking to a real npsd, in English, Russian, Chinese and Arabic (and
# Hebrew and Japanese): PNGs in tests/artifacts/. Checks that every PNG was written and that
# the answers the demos sent arrived.
#
#   screenshots.sh NPSD DEMO [CANVAS_DIR]     (CANVAS_DIR: build/wasm/widget; skipped when empty)
set -euo pipefail
npsd=$1 demo=$2 canvas=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/tests/artifacts"
mkdir -p "$out"
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# The canvas page is served from a web root like web/dist: <root>/canvas/.
mkdir -p "$tmp/web/canvas"
if [ -n "$canvas" ]; then
  cp "$canvas"/canvas.html "$canvas"/canvas.js "$canvas"/nps-canvas.js "$canvas"/nps-canvas.wasm "$canvas"/nps-canvas.data "$tmp/web/canvas/"
fi
token=screenshot-admin-token-0123456789
port=$(( 20000 + RANDOM % 20000 ))
NPSD_ADMIN_TOKEN=$token "$npsd" --listen 127.0.0.1:$port --db "$tmp/npsd.sqlite3" --web-root "$tmp/web" --quiet >"$tmp/npsd.log" 2>&1 &
pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs -X POST "$base/v1/admin/surveys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"id":"shots","name":"Screenshots","product":"Acme App","theme":{"category_colors":true,"accent":"#0b7285"},
       "followup":{"promoter":{"thanks_link":{"url":"https://example.com/review","append_score":true}}}}' >/dev/null

curl -fs -X POST "$base/v1/admin/surveys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"id":"shots-dark","name":"Dark","product":"Acme App","theme":{"mode":"auto","accent":"#9775fa","position":"center"}}' >/dev/null

count() { curl -fs "$base/v1/admin/surveys/shots/responses?limit=500" -H "Authorization: Bearer $token" | grep -o '"idempotency_key"' | wc -l; }

# Native: one run per language; the step varies so every screen is seen.
declare -A step=([en]=score [ru]=followup [zh]=score [ar]=followup [he]=score [ja]=thanks)
sent=0
for lang in en ru zh ar he ja; do
  png="$out/native-$lang.png"
  rm -f "$png"
  xvfb-run -a -s "-screen 0 1000x640x24" "$demo" --url "$base" --survey shots --dir "$tmp/demo-$lang" \
    --lang "$lang" --step "${step[$lang]}" --screenshot "$png" --frames 8 2>"$tmp/demo.log" || { cat "$tmp/demo.log"; exit 1; }
  test -s "$png" || { echo "no screenshot for $lang"; exit 1; }
  [ "${step[$lang]}" != score ] && sent=$((sent + 1))
  echo "native $lang (${step[$lang]}): $(stat -c %s "$png") bytes -> $png"
done
# Dark: the survey follows the host (mode "auto") and the host is dark; centred.
xvfb-run -a -s "-screen 0 1000x640x24" "$demo" --url "$base" --survey shots-dark --dir "$tmp/demo-dark" \
  --lang de --dark --step followup --screenshot "$out/native-de-dark.png" --frames 8 2>"$tmp/demo.log" || { cat "$tmp/demo.log"; exit 1; }
test -s "$out/native-de-dark.png"
echo "native de dark (followup): $(stat -c %s "$out/native-de-dark.png") bytes -> $out/native-de-dark.png"

n=$(count || true)
echo "answers stored by the native demo: $n (expected $sent)"
[ "$n" -eq "$sent" ]

if [ -n "$canvas" ]; then
  node "$here/canvas_screenshots.mjs" --base "$base" --survey shots --out "$out" --langs en,ru,zh,ar,he,ja
  n2=$(count || true)
  echo "answers stored after the canvas demo: $n2"
  [ "$n2" -gt "$n" ]
fi
