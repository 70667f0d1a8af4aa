#!/usr/bin/env bash
# Starts a fresh Roster for the end-to-end tests: new data folder, known users, port 3100.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${ROSTER_BIN:-target/debug/roster}
export ROSTER_DATA_DIR=end2end/.data
rm -rf "$ROSTER_DATA_DIR"
password='correct horse battery staple'
echo "$password" | "$bin" create-owner --email owner@example.com --name "Olivia Owner" --password-stdin
echo "$password" | "$bin" users create --email member@example.com --name "Max Member" --role member --password-stdin
# One account per project for the lock-out test, so the desktop and phone runs do not lock each other out.
for project in desktop phone; do
  echo "$password" | "$bin" users create --email "lock-$project@example.com" --role member --password-stdin
done
exec "$bin" serve --listen 127.0.0.1:3100
