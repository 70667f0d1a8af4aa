#!/usr/bin/env bash
# Installs what building Roster needs and is missing; every step is skipped when already satisfied,
# so running it on every `make run` / `make test` costs a second.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, or the build fails with a schema error.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

log() { printf '==> %s\n' "$*"; }

# `--end-to-end` (make test): the browser tests drive Debian's Chromium (never a downloaded browser) and read
# the audit log with the sqlite3 shell, as an operator would. Serving the console needs neither.
if [ "${1:-}" = "--end-to-end" ]; then
  apt_need=()
  command -v chromium >/dev/null || apt_need+=(chromium)
  command -v sqlite3 >/dev/null || apt_need+=(sqlite3)
  if [ ${#apt_need[@]} -gt 0 ]; then
    log "installing ${apt_need[*]} with apt-get"
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${apt_need[@]}" >/dev/null
  fi
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " ${CARGO_LEPTOS_VERSION}\$"; then
  log "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (once per machine, ~13 minutes)"
  # 0.3.11's lock file needs a newer rustc than this machine has; 0.3.10 builds.
  cargo install cargo-leptos --version "${CARGO_LEPTOS_VERSION}" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  log "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
  # --locked pins a webpki-roots release the registry here does not serve.
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/@playwright/test ] || [ ! -d node_modules/@axe-core/playwright ]; then
  log "installing npm packages (wasm-opt from binaryen, Playwright without browsers, axe-core)"
  # Debian's binaryen 108 produces a wasm that never hydrates; binaryen@132 from npm works.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
