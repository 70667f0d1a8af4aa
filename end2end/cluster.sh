#!/usr/bin/env bash
# Two Roster nodes on one fresh PostgreSQL database, as behind a load balancer: node A on PORT_A, node B on
# PORT_B, each with its own data folder, sharing the database and the master key. Node A's folder holds the app
# key and admin token the tests use. Usage: cluster.sh PORT_A PORT_B (needs ROSTER_TEST_POSTGRES_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${ROSTER_BIN:-target/debug/roster}
port_a=$1
port_b=$2
server_url=${ROSTER_TEST_POSTGRES_URL:?set ROSTER_TEST_POSTGRES_URL to a PostgreSQL database this script may create databases beside}
database=roster_e2e_cluster
PGOPTIONS=--client-min-messages=warning psql "$server_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
export ROSTER_DATABASE_URL="${server_url%/*}/$database"
# Every node is given the same master key; a test key, made fresh for each run.
ROSTER_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
export ROSTER_MASTER_KEY
folder() { echo "end2end/.data/$1"; }
for port in "$port_a" "$port_b"; do
  rm -rf "$(folder "$port")"
  mkdir -p "$(folder "$port")"
done
export ROSTER_DATA_DIR=$(folder "$port_a")
echo 'correct horse battery staple' | "$bin" create-owner --email owner@example.com --name "Olivia Owner" --password-stdin
"$bin" apps create --id e2e --name "End to end" | grep -o 'rk_[A-Za-z0-9_-]*' > "$ROSTER_DATA_DIR/e2e-app-key"
"$bin" admin-tokens create --name e2e | grep -o 'ra_[A-Za-z0-9_-]*' > "$ROSTER_DATA_DIR/e2e-admin-token"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
for port in "$port_a" "$port_b"; do
  ROSTER_DATA_DIR=$(folder "$port") "$bin" serve --listen "127.0.0.1:$port" --sign-in-failures-per-minute 1000 &
  pids+=($!)
done
wait -n
