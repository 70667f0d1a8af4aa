#!/usr/bin/env bash
# `make cluster`: two Roster nodes on one PostgreSQL database, on ports 3001 and 3002, as you would run them
# behind a load balancer (README, "Several nodes"). Each node has its own data folder; they share the database
# and the master key, kept in data-cluster/master.key (made on the first run: back it up with the database).
# ROSTER_CLUSTER_DATABASE_URL chooses the database (default: roster_cluster on the local server, created once).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/roster
url=${ROSTER_CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/roster_cluster}
if [ -z "${ROSTER_CLUSTER_DATABASE_URL:-}" ]; then
  psql "${url%/*}/postgres" -tAc "select 1 from pg_database where datname='roster_cluster'" | grep -q 1 \
    || psql "${url%/*}/postgres" -qc 'create database roster_cluster'
fi
mkdir -p -m 700 data-cluster
if [ ! -s data-cluster/master.key ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 > data-cluster/master.key)
fi
export ROSTER_DATABASE_URL=$url
ROSTER_MASTER_KEY=$(cat data-cluster/master.key)
export ROSTER_MASTER_KEY
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
for node in 1 2; do
  ROSTER_DATA_DIR=data-cluster/node$node "$bin" serve --listen "127.0.0.1:300$node" &
  pids+=($!)
done
echo "two nodes on $url: http://127.0.0.1:3001 and http://127.0.0.1:3002 (Ctrl-C stops both)"
echo "create the first owner with: ROSTER_DATABASE_URL=$url ROSTER_MASTER_KEY=\$(cat data-cluster/master.key) $bin create-owner --email you@example.com --password-stdin"
wait -n
