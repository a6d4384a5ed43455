#!/usr/bin/env bash
# The command line: configuration from flags, environment and a file (and its precedence);
# start-up refuses a database whose migrations are pending; migrate, demo-data,
# create-admin, hsds-import's report (sentences in the user's language, never message keys),
# audit verify, the scheduled jobs' runs (`jobs`); SIGTERM stops the server cleanly. Usage: test_cli.sh PATH/TO/arrimage
set -uo pipefail
app=$1
tmp=$(mktemp -d)
trap 'kill "${pid:-}" "${pid2:-}" 2>/dev/null; rm -rf "$tmp"' EXIT
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

# the scheduled jobs, in sentences, on a database where none has run yet
out=$("$app" jobs --database-url "sqlite:$tmp/a.db" 2>&1); rc=$?
check "jobs on a fresh database" test "$rc" -eq 0
check "jobs names each scheduled job" \
  test "$(grep -cE '^- (outbox|reminders|directory-reminders) [a-z].*\. It has never run\.$' <<<"$out")" = 3
check "jobs says no run is recorded" grep -qxF "No run has been recorded yet." <<<"$out"
out=$("$app" jobs --database-url "sqlite:$tmp/a.db" --limit 0 2>&1); rc=$?
check "jobs refuses --limit 0" test "$rc" -ne 0

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

# serve options in a file live in its [serve] section; the file wins over the environment (on
# c.db: serve runs the scheduled jobs, and b.db's directory reminders are checked by hand below)
printf 'database-url = "sqlite:%s/c.db"\nlog-level = "warn"\n[serve]\nport = 0\n' "$tmp" > "$tmp/serve.ini"
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
# a run by hand is recorded: `jobs` tells its outcome and what it did
out=$("$app" jobs --database-url "sqlite:$tmp/b.db" --limit 1 2>&1); rc=$?
check "jobs after runs by hand" test "$rc" -eq 0
check "jobs tells the last run" grep -qE \
  "^- directory-reminders .*\. Its last run started [0-9-]+ [0-9:]+ UTC on [^ ]+:[0-9]+, ended [0-9-]+ [0-9:]+ UTC: ok, 0 emails queued\.$" <<<"$out"
check "jobs lists the recent runs (--limit)" \
  test "$(grep -cE '^- directory-reminders started .*: ok, [0-9]+ emails queued\.$' <<<"$out")" = 1

# hsds-import reports in the user's language (--lang, else LANG), in sentences: never a message
# key such as field.email or a problem code such as unsupported_status
mkdir -p "$tmp/hsds-bad"
printf 'id,name,description,email\r\n3f1c2a4e-8b7d-5c21-9e0f-1a2b3c4d5e6f,Centre Exemple,Centre Exemple,not-an-email\r\n' \
  >"$tmp/hsds-bad/organizations.csv"
printf 'id,organization_id,name,description,status\r\n7a2b3c4d-5e6f-5a1b-8c2d-3e4f5a6b7c8d,3f1c2a4e-8b7d-5c21-9e0f-1a2b3c4d5e6f,Counselling,Counselling,closed\r\n' \
  >"$tmp/hsds-bad/services.csv"
hsds_import() { "$app" hsds-import --database-url "sqlite:$tmp/b.db" --sda demo-est "$@" 2>&1; }
# A catalogue key (namespace.name) or a bare problem code, anywhere in the output.
no_key() { ! grep -qE '(^|[^a-z_./])(field|hsds|directory|people|error|csv|lifecycle)\.[a-z_]|[a-z]+_[a-z_]+ *(\(|$)' <<<"$1"; }
out=$(LANG=C hsds_import --dir "$tmp/hsds-bad" --lang en); rc=$?
check "hsds-import refuses a set with problems" test "$rc" -eq 1
check "hsds-import names a field's problem in English" \
  grep -qxF "organizations.csv:2 [email] Enter an email address like name@example.org." <<<"$out"
check "hsds-import names an import problem in English" \
  grep -qxF "services.csv:2 [status] Unsupported status: use active, inactive or temporarily closed. (closed)" <<<"$out"
check "hsds-import says nothing was imported" grep -qE "^Nothing was imported: [0-9]+ problem\(s\) are listed above\.$" <<<"$out"
check "hsds-import prints no message key (en)" no_key "$out"
out=$(LANG=fr_CA.UTF-8 hsds_import --dir "$tmp/hsds-bad"); rc=$?
check "hsds-import refuses the set in French too" test "$rc" -eq 1
check "hsds-import speaks French when LANG is French" \
  grep -qxF "organizations.csv:2 [email] Entrez une adresse courriel comme nom@exemple.org." <<<"$out"
check "hsds-import says nothing was imported, in French" grep -qE "^Rien n’a été importé : [0-9]+ problème" <<<"$out"
check "hsds-import prints no message key (fr)" no_key "$out"
out=$(LANG=fr_CA.UTF-8 hsds_import --dir "$tmp/hsds-bad" --lang en)
check "--lang wins over LANG" grep -qF "Enter an email address like name@example.org." <<<"$out"
out=$(hsds_import --dir "$tmp/hsds-bad" --lang de); rc=$?
check "hsds-import refuses an unknown --lang" test "$rc" -ne 0 -a "$rc" -ne 1
# A name longer than 200 characters: the sentence carries the number (no "{0}"), once, though the
# French name, given by no French file, is the same cell.
mkdir -p "$tmp/hsds-long"
long_name="Centre $(printf 'a%.0s' {1..194})"
printf 'id,name,description\r\n3f1c2a4e-8b7d-5c21-9e0f-1a2b3c4d5e6f,%s,Centre\r\n' "$long_name" >"$tmp/hsds-long/organizations.csv"
printf 'id,organization_id,name,description,status\r\n7a2b3c4d-5e6f-5a1b-8c2d-3e4f5a6b7c8d,3f1c2a4e-8b7d-5c21-9e0f-1a2b3c4d5e6f,Counselling,Counselling,active\r\n' \
  >"$tmp/hsds-long/services.csv"
out=$(hsds_import --dir "$tmp/hsds-long" --lang en); rc=$?
check "hsds-import refuses a name too long" test "$rc" -eq 1
check "hsds-import gives the maximum length, once" \
  test "$(grep -cxF "organizations.csv:2 [name] Use at most 200 characters." <<<"$out")" = 1
no_placeholder() { ! grep -qE '\{[0-9]\}' <<<"$1"; }
check "hsds-import leaves no placeholder" no_placeholder "$out"
out=$(hsds_import --dir "$tmp/hsds-long" --lang fr)
check "hsds-import gives the maximum length in French" \
  grep -qxF "organizations.csv:2 [name] Utilisez au plus 200 caractères." <<<"$out"
# Mistakes in the arguments are told in the language asked too.
out=$(LANG=C "$app" hsds-import --database-url "sqlite:$tmp/b.db" --dir "$tmp/hsds-bad" --sda nulle-part --lang fr 2>&1); rc=$?
check "hsds-import refuses an unknown --sda" test "$rc" -eq 2
check "hsds-import names the unknown --sda in French" \
  grep -qxF -e "--sda : aucune zone de prestation de services active n’a le code nulle-part." <<<"$out"
out=$(LANG=C hsds_import --dir "$tmp/hsds-bad" --sector royalty --lang en); rc=$?
check "hsds-import refuses an unknown --sector" test "$rc" -eq 2
check "hsds-import names the unknown --sector and the known ones" \
  grep -qE -e "^--sector: unknown sector royalty\. Use one of: .*social_services" <<<"$out"
out=$(LANG=fr_CA.UTF-8 hsds_import --dir "$tmp/nowhere"); rc=$?
check "hsds-import refuses a missing --dir" test "$rc" -eq 2
check "hsds-import names the missing --dir in French" grep -qF -e "--dir : $tmp/nowhere n’est pas un dossier" <<<"$out"
# A valid set (the fuzz seed, split on its NUL bytes into its files) with one phone too many:
# checked only, and the row left out is told in a sentence.
names=(organizations.csv services.csv locations.csv addresses.csv phones.csv schedules.csv accessibility.csv
       service_at_location.csv languages.csv service_areas.csv contacts.csv taxonomy_terms.csv attributes.csv
       fr/organizations.csv fr/services.csv fr/locations.csv fr/schedules.csv fr/accessibility.csv fr/service_areas.csv
       fr/attributes.csv)
mkdir -p "$tmp/hsds-good/fr"
n=0
while IFS= read -r -d '' part || [[ -n $part ]]; do
  printf '%s' "$part" >"$tmp/hsds-good/${names[n]}"
  n=$((n + 1))
done <"$(dirname "$0")/../fuzz/corpus-hsds/full-set-valid"
printf '5b1e6f3a-0c2d-5e4f-8a9b-0c1d2e3f4a5b,e2915437-9fe0-53d6-ba62-12a2213b1f14,,,613-555-0199,voice\r\n' \
  >>"$tmp/hsds-good/phones.csv"
out=$(LANG=C hsds_import --dir "$tmp/hsds-good" --dry-run); rc=$?
check "hsds-import --dry-run accepts a valid set" test "$rc" -eq 0
check "hsds-import --dry-run says what it would import" grep -qxF \
  "Everything is valid. Importing would add 1 organisation(s), 1 location(s) and 1 service(s). Nothing was imported." <<<"$out"
check "hsds-import tells a row left out in a sentence" grep -qE "^phones\.csv:5 .*Arrimage keeps one of these per record" <<<"$out"
check "hsds-import prints no message key (notes)" no_key "$out"
out=$(hsds_import --dir "$tmp/hsds-good" --dry-run --lang fr)
check "hsds-import --dry-run in French" grep -qF "Tout est valide. L’importation ajouterait 1 organisme(s)" <<<"$out"
check "nothing was written by the checks" test "$(sqlite3 "$tmp/b.db" "SELECT COUNT(*) FROM organisations WHERE name_en = 'Centre Myriade'")" = 0

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

# two nodes on one database: one leads and runs the scheduled jobs (at its first tick, as none has
# run on this database yet); killed outright, the other takes over at its next tick (every 5 s)
wait_for() {  # wait_for COMMAND...: true once COMMAND is (tried for 10 s)
  for _ in $(seq 1 100); do "$@" && return 0; sleep 0.1; done
  return 1
}
ran_on() {  # ran_on JOB PID: the job's last run was by that process, and ended well
  "$app" jobs --database-url "sqlite:$tmp/d.db" | grep -qE "^- $1 .*Its last run started .* on [^ ]+:$2, ended .*: ok, [0-9]+ "
}
"$app" migrate --database-url "sqlite:$tmp/d.db" >/dev/null 2>&1
"$app" serve --database-url "sqlite:$tmp/d.db" --port 0 --metrics-port 0 >"$tmp/node1.log" 2>&1 &
pid=$!
node1=$pid
wait_ready "$tmp/node1.log" >/dev/null
"$app" serve --database-url "sqlite:$tmp/d.db" --port 0 --metrics-port 0 >"$tmp/node2.log" 2>&1 &
pid2=$!
wait_ready "$tmp/node2.log" >/dev/null
check "the first node leads" wait_for grep -q '"leadership taken' "$tmp/node1.log"
check "the leader ran the reminders" wait_for ran_on reminders "$node1"
check "the leader ran the directory's reminders" wait_for ran_on directory-reminders "$node1"
check "the second node does not lead" test "$(grep -c '"leadership taken' "$tmp/node2.log")" = 0
kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=""
check "the second node takes over from a node killed outright" wait_for grep -q '"leadership taken' "$tmp/node2.log"
kill -TERM "$pid2"; wait "$pid2"; rc=$?; pid2=""
check "the second node stops cleanly" test "$rc" -eq 0
out=$("$app" jobs --database-url "sqlite:$tmp/d.db" 2>&1)
check "the jobs ran once, by the first node" test "$(grep -cE '^- (reminders|directory-reminders) started ' <<<"$out")" = 2

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
check "/metrics counts failed begins and reconnections" grep -q "^arrimage_db_begin_failures_total 0" <<<"$out"
check "/metrics says whether this node leads the scheduled work" grep -q "^arrimage_scheduler_leader 1" <<<"$out"
kill -TERM "$pid"; wait "$pid"; pid=""

# backup and restore round trip (SQLite; c.db's chain is intact, b.db's was tampered with above)
out=$("$app" backup --database-url "sqlite:$tmp/c.db" --out "$tmp/backup.db" 2>&1); rc=$?
check "backup writes a file" test "$rc" -eq 0 -a -s "$tmp/backup.db"
out=$("$app" backup --database-url "sqlite:$tmp/c.db" --out "$tmp/backup.db" 2>&1); rc=$?
check "backup refuses to overwrite without --force" test "$rc" -ne 0
check "backup says why in a sentence" grep -qi "exists" <<<"$out"
out=$("$app" restore --from "$tmp/backup.db" --database-url "sqlite:$tmp/restored.db" 2>&1); rc=$?
check "restore into a new file" test "$rc" -eq 0
out=$("$app" audit verify --database-url "sqlite:$tmp/restored.db" 2>&1); rc=$?
check "the restored database's audit chain is intact" test "$rc" -eq 0
out=$("$app" restore --from "$tmp/backup.db" --database-url "sqlite:$tmp/restored.db" 2>&1); rc=$?
check "restore refuses an existing database without --force" test "$rc" -ne 0
"$app" backup --database-url "sqlite:$tmp/b.db" --out "$tmp/tampered.db" >/dev/null 2>&1
out=$("$app" restore --from "$tmp/tampered.db" --database-url "sqlite:$tmp/from-tampered.db" 2>&1); rc=$?
check "restore refuses a backup whose audit chain is broken" test "$rc" -ne 0 -a ! -e "$tmp/from-tampered.db"
check "restore names the broken row" grep -q "broken at row 2" <<<"$out"
out=$("$app" backup --database-url "postgresql://arrimage@127.0.0.1:1/none" --out "$tmp/pg.dump" 2>&1); rc=$?
check "backup of PostgreSQL names pg_dump" grep -q "pg_dump" <<<"$out"

# serve waits for a database that is not up yet, saying so, then gives up with a sentence
out=$("$app" serve --database-url "postgresql://arrimage@127.0.0.1:1/none" --database-wait-seconds 1 --port 0 \
  --metrics-port 0 2>&1); rc=$?
check "serve gives up on a database that never comes" test "$rc" -ne 0
check "serve says it waits for the database" grep -q "not reachable yet; trying again" <<<"$out"
check "serve names the database it could not reach" grep -q "cannot connect to PostgreSQL" <<<"$out"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
