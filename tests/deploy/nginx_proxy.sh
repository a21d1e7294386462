#!/usr/bin/env bash
# The deployment recipe, run: Debian's nginx with docs/deploy/nginx-npsd.conf (its own ports
# and a throw-away certificate substituted) in front of a real npsd. nginx starts first, as it
# would on a server; then npsd. Checks what a team relies on when going live:
# - a sign-in through nginx over HTTPS gets a Secure, HttpOnly session cookie that works for
#   the next request; the same sign-in straight to npsd over plain HTTP gets no Secure flag;
# - the client's own X-Forwarded-For never reaches npsd: a client rotating forged addresses
#   is still held to the sign-in limits of its real address;
# - plain HTTP is redirected to HTTPS; nginx answers 502 (not a hang) while npsd is down.
# Usage: tests/deploy/nginx_proxy.sh PATH/TO/npsd
set -euo pipefail
npsd=${1:?usage: $0 PATH/TO/npsd}
root=$(cd "$(dirname "$0")/../.." && pwd)
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx_proxy: nginx is not installed (bash backend/deps.sh)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/npsd-nginx.XXXXXX")
chmod 755 "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
https_port=$(free_port); http_port=$(free_port); npsd_port=$(free_port)
fail() { echo "FAIL: $*" >&2; echo "--- nginx error log" >&2; cat "$dir/error.log" >&2 || true; exit 1; }
pass() { echo "ok: $*"; }

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=nps.example.com" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1

# The recipe's site file with this run's ports and certificate; nothing else changed.
sed -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "/listen \[::\]/d" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$npsd_port;|" \
    -e "s|/etc/letsencrypt/live/nps.example.com/fullchain.pem|$dir/cert.pem|" \
    -e "s|/etc/letsencrypt/live/nps.example.com/privkey.pem|$dir/key.pem|" \
    "$root/docs/deploy/nginx-npsd.conf" >"$dir/site.conf"
grep -q "127.0.0.1:$npsd_port" "$dir/site.conf" || fail "the recipe's upstream line changed; update this test"

user_line=""
[ "$(id -u)" -ne 0 ] || user_line="user root root;"
cat >"$dir/nginx.conf" <<CONF
$user_line
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  include $dir/site.conf;
}
CONF
"$nginx" -t -c "$dir/nginx.conf" -e "$dir/error.log" >/dev/null 2>&1 || { "$nginx" -t -c "$dir/nginx.conf" -e "$dir/error.log"; fail "nginx refuses the recipe"; }
"$nginx" -c "$dir/nginx.conf" -e "$dir/error.log" &
pids+=($!)

base="https://127.0.0.1:$https_port"
c() { curl -sSk --max-time 10 "$@"; }
for _ in $(seq 100); do
  code=$(c -o /dev/null -w '%{http_code}' "$base/healthz" || true)
  [ "$code" != "000" ] && break
  sleep 0.1
done
[ "$code" = "502" ] || fail "nginx before npsd: expected 502, got $code"
pass "nginx up before npsd answers 502 at once"

token="adm_$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
NPSD_ADMIN_TOKEN="$token" "$npsd" --listen "127.0.0.1:$npsd_port" --db "$dir/npsd.sqlite3" \
  --trusted-proxy 127.0.0.1 --quiet >"$dir/npsd.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do
  [ "$(c -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = "200" ] && break
  sleep 0.1
done
[ "$(c -o /dev/null -w '%{http_code}' "$base/healthz")" = "200" ] || { cat "$dir/npsd.log" >&2; fail "npsd not reachable through nginx"; }
pass "npsd reachable through nginx over HTTPS"

login() { # URL TOKEN [curl args...] -> headers file in $dir/h
  local url=$1 tok=$2; shift 2
  c -D "$dir/h" -o "$dir/resp" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data "{\"token\":\"$tok\"}" "$@" "$url/v1/auth/login"
}

code=$(login "$base" "$token" -c "$dir/jar")
[ "$code" = "200" ] || fail "sign-in through nginx: $code $(cat "$dir/resp")"
cookie=$(grep -i '^set-cookie:' "$dir/h" || true)
echo "$cookie" | grep -qi '; *Secure' || fail "sign-in over HTTPS through nginx: cookie without Secure: $cookie"
echo "$cookie" | grep -qi '; *HttpOnly' || fail "session cookie without HttpOnly: $cookie"
[ "$(c -o /dev/null -w '%{http_code}' -b "$dir/jar" "$base/v1/auth/me")" = "200" ] ||
  fail "the session cookie from the HTTPS sign-in does not sign the next request in"
pass "sign-in over HTTPS through nginx: Secure HttpOnly cookie that works"

code=$(login "http://127.0.0.1:$npsd_port" "$token")
[ "$code" = "200" ] || fail "direct sign-in: $code"
if grep -i '^set-cookie:' "$dir/h" | grep -qi '; *Secure'; then fail "plain-HTTP sign-in got a Secure cookie"; fi
pass "sign-in straight to npsd over plain HTTP: no Secure flag (the scheme is the client's)"

# A client forging X-Forwarded-For (a new address on every try) and a new wrong token every
# time: the per-client limit (20 failures) must still catch it, because nginx replaces the
# header with the address it saw.
limited=""
for i in $(seq 1 25); do
  code=$(login "$base" "wrong-$i-$RANDOM" -H "X-Forwarded-For: 203.0.113.$i")
  if [ "$code" = "429" ]; then limited=$i; break; fi
  [ "$code" = "401" ] || fail "wrong token $i: expected 401 or 429, got $code"
done
[ -n "$limited" ] || fail "forged X-Forwarded-For escaped the sign-in limits"
pass "forged X-Forwarded-For ignored: limited after $((limited - 1)) failures"

code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/dashboard/")
case "$code" in "301 https://"*) pass "plain HTTP redirected: $code" ;; *) fail "plain HTTP: $code" ;; esac
echo "nginx_proxy: all checks passed"
