#!/usr/bin/env bash
# Runs every test and ends with one summary line per suite. Called by `make test` (after the tools are in place).
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
# Same value cargo-leptos builds with (see Makefile), so cargo test reuses its build.
export LEPTOS_OUTPUT_NAME=roster

postgres_url=${ROSTER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
skip_postgres=()
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql "$postgres_url" -tAc 'select 1' >/dev/null 2>&1; then
  export ROSTER_TEST_POSTGRES_URL=$postgres_url
  postgres_note="storage suite ran on SQLite and on PostgreSQL ($postgres_url)"
else
  skip_postgres=(--skip postgres::)
  postgres_note="PostgreSQL storage tests SKIPPED: no PostgreSQL server answered at $postgres_url (set ROSTER_TEST_POSTGRES_URL to use another)"
  echo "==> $postgres_note"
fi

echo "==> lint: rustfmt, and clippy with warnings as errors on the server build (ssr) and the browser build (hydrate)"
cargo fmt --all --check
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

echo "==> Rust tests (app with ssr, server unit and integration tests)"
cargo test -p app --features ssr 2>&1 | tee "$logs/app.log"
cargo test -p server -- "${skip_postgres[@]}" 2>&1 | tee "$logs/server.log"

echo "==> building the site for the end-to-end tests"
if ! cargo leptos build --split > "$logs/build.log" 2>&1; then
  grep -vE '^\s+(at |[0-9]+: )' "$logs/build.log" | tail -n 60
  echo "the site build failed"
  exit 1
fi

echo "==> Playwright (desktop 1280x800 and phone 390x844, headless Chromium)"
set +e
npx playwright test --config end2end/playwright.config.ts 2>&1 | tee "$logs/e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e

rust_passed=$(cat "$logs/app.log" "$logs/server.log" | awk '/^test result:/ {sum += $4} END {print sum + 0}')
e2e_passed=$(grep -Eo '[0-9]+ passed' "$logs/e2e.log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
e2e_failed=$(grep -Eo '[0-9]+ failed' "$logs/e2e.log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
e2e_flaky=$(grep -Eo '[0-9]+ flaky' "$logs/e2e.log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
# Only the two-node test skips, and only without PostgreSQL (it says why): never counted as passed.
e2e_skipped=$(grep -Eo '[0-9]+ skipped' "$logs/e2e.log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
echo
echo "Summary:"
echo "  Rust: $rust_passed passed ($postgres_note)"
echo "  Playwright: $e2e_passed passed, $e2e_failed failed, $e2e_flaky flaky (passed only on their one retry), $e2e_skipped skipped (the two-node test, when no PostgreSQL answers)"
exit "$e2e_status"
