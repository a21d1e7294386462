#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server, with NPSD_TEST_PG_URL naming an empty
# database on it; stops the server and removes its folder when the command ends, however it
# ends. Usage: tests/pg/with_postgres.sh COMMAND [ARGS...]
#
# Debian's postgresql (backend/deps.sh installs it). PostgreSQL refuses to run as root: as
# root, the server runs as the `postgres` system user the package creates; otherwise as the
# calling user. It listens on 127.0.0.1 only, on a free port, trusts loopback connections
# (this throw-away server only) and keeps fsync on: durability is part of what is tested.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -x "$bin/initdb" ] || { echo "with_postgres: PostgreSQL is not installed (bash backend/deps.sh)" >&2; exit 1; }

as=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "with_postgres: running as root needs the postgres user" >&2; exit 1; }
  as=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/npsd-pg.XXXXXX")
[ ${#as[@]} -eq 0 ] || chown postgres: "$dir"
chmod 700 "$dir"
cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# initdb's own final flush is skipped (the folder is thrown away); the server's is not.
"${as[@]}" "$bin/initdb" -D "$dir/data" -U npsd -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
started=""
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 40000))
  port_free "$port" || continue
  if "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on \
       -c synchronous_commit=on -c max_connections=200" >/dev/null; then
    started=$port
    break
  fi
done
[ -n "$started" ] || { echo "with_postgres: the server did not start" >&2; cat "$dir/server.log" >&2; exit 1; }

"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U npsd npsd_test
export NPSD_TEST_PG_URL="postgresql://npsd@127.0.0.1:$port/npsd_test"
echo "with_postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
status=0
"$@" || status=$?
exit "$status"
