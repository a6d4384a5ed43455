#!/usr/bin/env bash
# The command line: configuration from flags, environment and a file (and its precedence);
# start-up refuses a database whose migrations are pending; migrate, demo-data,
# create-admin, audit verify; SIGTERM stops the server cleanly. Usage: test_cli.sh PATH/TO/arrimage
set -uo pipefail
app=$1
tmp=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

# Prints the port once the server logging to $1 is ready (empty after 10 s).
wait_ready() {
  local p=""
  for _ in $(seq 1 100); do
    p=$(sed -n 's|.*ready at http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$1")
    [[ -n $p ]] && break
    sleep 0.1
  done
  echo "$p"
}

# serve refuses an unmigrated database and says what to do
out=$("$app" serve --database-url "sqlite:$tmp/a.db" --port 0 2>&1); rc=$?
check "serve refuses pending migrations" test "$rc" -eq 1
check "serve names the fix" grep -q "arrimage migrate" <<<"$out"

# migrate, via the environment
out=$(ARRIMAGE_DATABASE_URL="sqlite:$tmp/a.db" "$app" migrate 2>&1); rc=$?
check "migrate via environment" test "$rc" -eq 0
check "migrate reports the version" grep -q "schema version" <<<"$out"
out=$(ARRIMAGE_DATABASE_URL="sqlite:$tmp/a.db" "$app" migrate 2>&1)
check "migrate is idempotent" grep -q "migrations applied: 0" <<<"$out"

# demo data via a configuration file; a flag wins over the file
printf 'database-url = "sqlite:%s/b.db"\n' "$tmp" > "$tmp/arrimage.ini"
"$app" migrate --config "$tmp/arrimage.ini" >/dev/null 2>&1
out=$("$app" demo-data --config "$tmp/arrimage.ini" 2>&1)
check "demo-data via config file" grep -q "demo data loaded" <<<"$out"
check "config file chose the database" test -f "$tmp/b.db"
out=$("$app" demo-data --config "$tmp/arrimage.ini" 2>&1)
check "demo-data loads once" grep -q "nothing loaded" <<<"$out"
"$app" migrate --config "$tmp/arrimage.ini" --database-url "sqlite:$tmp/c.db" >/dev/null 2>&1
check "flag wins over file" test -f "$tmp/c.db"

# serve options in a file live in its [serve] section; the file wins over the environment
printf 'database-url = "sqlite:%s/b.db"\nlog-level = "warn"\n[serve]\nport = 0\n' "$tmp" > "$tmp/serve.ini"
ARRIMAGE_DATABASE_URL="sqlite:$tmp/env.db" "$app" serve --config "$tmp/serve.ini" --trusted-proxy 127.0.0.1 >"$tmp/ini.log" 2>&1 &
pid=$!
port=$(wait_ready "$tmp/ini.log")
kill -TERM "$pid"; wait "$pid"; pid=""
out=$(cat "$tmp/ini.log")
check "[serve] section read" grep -q "ready at http://127.0.0.1:" <<<"$out"
check "[serve] port = 0 took effect" test -n "$port" -a "$port" != 8080
check "file wins over environment" test ! -e "$tmp/env.db"
printf 'database-url = "sqlite:%s/b.db"\nport = 9999\n' "$tmp" > "$tmp/misplaced.ini"
out=$("$app" serve --config "$tmp/misplaced.ini" 2>&1); rc=$?
check "misplaced key refused" test "$rc" -ne 0
check "misplaced key named" grep -q "port" <<<"$out"
out=$("$app" serve --database-url "sqlite:$tmp/b.db" --trusted-proxy not-an-address 2>&1); rc=$?
check "bad --trusted-proxy refused" test "$rc" -eq 2

# bad option values are refused with a message
out=$("$app" serve --database-url "sqlite:$tmp/b.db" --require-mfa-for king 2>&1); rc=$?
check "unknown role refused" test "$rc" -eq 2
out=$("$app" serve --database-url "sqlite:$tmp/b.db" --session-idle-minutes 0 2>&1); rc=$?
check "out-of-range option refused" test "$rc" -ne 0

# create-admin prints a single-use activation link
out=$("$app" create-admin --database-url "sqlite:$tmp/b.db" --email root@example.org --name "Root Admin" --organisation-id 1 2>&1); rc=$?
check "create-admin" test "$rc" -eq 0
check "create-admin prints a link" grep -q "/invitation/" <<<"$out"
out=$("$app" create-admin --database-url "sqlite:$tmp/b.db" --email root@example.org --name "Root Admin" --organisation-id 1 2>&1); rc=$?
check "create-admin refuses a duplicate" test "$rc" -eq 1

# stale-waitlist reminders (the demo directory has services last confirmed 45 days ago)
out=$("$app" directory-reminders --database-url "sqlite:$tmp/b.db" 2>&1); rc=$?
check "directory-reminders" test "$rc" -eq 0
check "directory-reminders queued emails" grep -qE "queued in the outbox: [1-9]" <<<"$out"
out=$("$app" directory-reminders --database-url "sqlite:$tmp/b.db" 2>&1)
check "directory-reminders once per staleness" grep -q "queued in the outbox: 0" <<<"$out"

# the audit chain: intact, then a row altered behind the application's back is named
out=$("$app" audit verify --database-url "sqlite:$tmp/b.db" 2>&1); rc=$?
check "audit verify on an intact chain" test "$rc" -eq 0
check "audit verify prints the head" grep -qE "^head [0-9]+:[0-9a-f]{64}$" <<<"$out"
rows=$(sqlite3 "$tmp/b.db" "SELECT COUNT(*) FROM audit_events")
check "demo data has audited accesses" test "${rows:-0}" -gt 2
sqlite3 "$tmp/b.db" "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET decision = CASE decision WHEN 'permit' THEN 'deny' ELSE 'permit' END WHERE id = 2;"
out=$("$app" audit verify --database-url "sqlite:$tmp/b.db" 2>&1); rc=$?
check "audit verify finds tampering" test "$rc" -eq 1
check "audit verify names the row" grep -q "BROKEN at row 2 (altered)" <<<"$out"

# serve, answer, stop on SIGTERM with status 0
"$app" serve --database-url "sqlite:$tmp/b.db" --port 0 --log-level warn >"$tmp/serve.log" 2>&1 &
pid=$!
port=$(wait_ready "$tmp/serve.log")
check "serve prints its address" test -n "$port"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
check "readyz" test "$code" = 200
kill -TERM "$pid"
wait "$pid"; rc=$?
pid=""
check "SIGTERM stops cleanly" test "$rc" -eq 0

# /metrics is served on the operations listener only (loopback, its own port)
"$app" serve --database-url "sqlite:$tmp/b.db" --port 0 --metrics-port 0 >"$tmp/ops.log" 2>&1 &
pid=$!
port=$(wait_ready "$tmp/ops.log")
ops=$(sed -n 's|.*"metrics_port":\([0-9]*\).*|\1|p' "$tmp/ops.log" | head -1)
check "the log names the operations port" test -n "$ops"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")
check "public listener answers 404 for /metrics" test "$code" = 404
out=$(curl -s "http://127.0.0.1:${ops:-1}/metrics")
check "operations listener serves /metrics" grep -q "arrimage_http_requests_total" <<<"$out"
kill -TERM "$pid"; wait "$pid"; pid=""

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
