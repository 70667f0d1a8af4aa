#!/usr/bin/env bash
# `make bench`: every benchmark in one run, then one table of their figures, each beside its peer or floor.
# Each bench prints `TABLE<tab>what<tab>figure<tab>beside` lines; this collects them. The whole output is kept in
# target/bench.log. Assumes `make tools` and a release build (the Makefile sees to both).
set -euo pipefail
cd "$(dirname "$0")/.."
log=target/bench.log
mkdir -p target
: > "$log"
postgres=${BENCH_POSTGRES_URL:-}
if [ -z "$postgres" ] && psql postgres://postgres@127.0.0.1:5432/test -tAc 'select 1' >/dev/null 2>&1; then
  postgres=postgres://postgres@127.0.0.1:5432/test
fi
export BENCH_POSTGRES_URL=$postgres

echo "==> validate and create, next to hello world" | tee -a "$log"
cargo bench -p server --bench validate 2>&1 | tee -a "$log"
echo "==> the console's pages at 1,000,000 sessions, and the same pages by hand in sqlite3 and psql" | tee -a "$log"
cargo bench -p server --bench console_list 2>&1 | tee -a "$log"
echo "==> keystroke to rows in Chromium, the server's memory, the WASM's size" | tee -a "$log"
bash scripts/bench-console.sh 2>&1 | tee -a "$log"

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
memory=$(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
echo
if [ -n "$postgres" ]; then where="PostgreSQL $(psql "$postgres" -tAc 'show server_version' 2>/dev/null || echo '?') at $postgres"; else where="PostgreSQL not measured"; fi
echo "Roster benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $memory; $where"
echo
echo "| what | figure | beside |"
echo "|---|---|---|"
grep -a $'^TABLE\t' "$log" | awk -F'\t' '{printf "| %s | %s | %s |\n", $2, $3, $4}'
