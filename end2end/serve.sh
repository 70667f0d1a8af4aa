#!/usr/bin/env bash
# Starts a fresh Roster for the end-to-end tests: new data folder, known users, demo sessions, and an app whose
# API key the tests read from the data folder. Usage: serve.sh [PORT] [DEMO_SESSIONS].
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${ROSTER_BIN:-target/debug/roster}
port=${1:-3100}
demo_sessions=${2:-0}
export ROSTER_DATA_DIR=end2end/.data/$port
rm -rf "$ROSTER_DATA_DIR"
mkdir -p "$ROSTER_DATA_DIR"
password='correct horse battery staple'
echo "$password" | "$bin" create-owner --email owner@example.com --name "Olivia Owner" --password-stdin
echo "$password" | "$bin" users create --email member@example.com --name "Max Member" --role member --password-stdin
echo "$password" | "$bin" users create --email billing@example.com --name "Bill Manager" --role billing_manager --password-stdin
echo "$password" | "$bin" users create --email admin@example.com --name "Ada Admin" --role admin --password-stdin
# One account per project for the lock-out test, so the desktop and phone runs do not lock each other out,
# one for the live stream test, whose sessions no other test touches, and three for My sessions (one per test), whose
# "Sign out all other sessions" would end other tests' sessions of a shared account.
for project in desktop phone; do
  for account in lock stream mine spread plain; do
    echo "$password" | "$bin" users create --email "$account-$project@example.com" --role member --password-stdin
  done
done
if [ "$demo_sessions" -gt 0 ]; then
  "$bin" demo --sessions "$demo_sessions" >/dev/null
fi
# The API key is the one word starting rk_ that the command prints.
"$bin" apps create --id e2e --name "End to end" | grep -o 'rk_[A-Za-z0-9_-]*' > "$ROSTER_DATA_DIR/e2e-app-key"
"$bin" admin-tokens create --name e2e | grep -o 'ra_[A-Za-z0-9_-]*' > "$ROSTER_DATA_DIR/e2e-admin-token"
# Every test browser signs in from 127.0.0.1: the lock-out tests alone mistype more than a minute's allowance.
exec "$bin" serve --listen "127.0.0.1:$port" --sign-in-failures-per-minute 1000
