#!/usr/bin/env bash
# The Sessions console at a million sessions, end to end: serves the release build on a seeded database and
# times keystroke-to-rows in headless Chromium; then prints the release wasm's size. Assumes `make tools`.
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${BENCH_SESSIONS:-1000000}
export ROSTER_DATA_DIR=${BENCH_DATA:-target/bench-data/sessions-$sessions}
bin=target/release/roster
mkdir -p "$ROSTER_DATA_DIR"
# `cargo bench --bench console_list` may have seeded this folder first, its payloads sealed by its fixed key
# ([9; 32]): given here, a database without payload keys stores it as its key 1.
export ROSTER_PAYLOAD_KEY=${ROSTER_PAYLOAD_KEY:-CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=}
if [ ! -e "$ROSTER_DATA_DIR/seeded" ] && [ ! -e "$ROSTER_DATA_DIR/roster.db" ]; then
  echo "==> seeding $sessions demo sessions into $ROSTER_DATA_DIR (once)"
  "$bin" demo --sessions "$sessions" >/dev/null
  touch "$ROSTER_DATA_DIR/seeded"
fi
echo 'correct horse battery staple' | "$bin" users create --email bench@example.com --name "Bench Owner" \
  --role owner --password-stdin >/dev/null 2>&1 || true
"$bin" serve --listen 127.0.0.1:3200 >/tmp/roster-bench-console.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf http://127.0.0.1:3200/healthz >/dev/null && break
  sleep 0.2
done
node end2end/bench/keystroke.mjs
rss_kb=$(awk '/^VmRSS:/ {print $2}' /proc/$server/status)
printf 'TABLE\tserver memory, %s sessions (SQLite)\t%s MB resident\tafter the keystroke run (page cache: 32 MB per connection)\n' \
  "$sessions" "$((rss_kb / 1024))"

node end2end/bench/wasm-size.mjs target/site/pkg
