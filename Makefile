# The two commands of the README's Quick start, and the steps they are made of.
# Every target installs what is missing first (scripts/install-tools.sh skips what is already there).

SHELL := /bin/bash
PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PATH
# cargo-leptos sets this while it builds; leptos reads it at compile time, so every cargo command here
# sets it too and the test and site builds share one target/ without rebuilding each other.
export LEPTOS_OUTPUT_NAME := roster

.PHONY: run test tools build-release build-debug owner bench bench-validate bench-flood bench-console demo cluster

## make run: install what is missing, build in release mode and serve the console at http://127.0.0.1:3000
run: tools build-release
	./target/release/roster serve

## make test: install what is missing and run every test (Rust on SQLite and PostgreSQL, Playwright)
test:
	bash scripts/install-tools.sh --end-to-end
	bash scripts/test.sh

tools:
	bash scripts/install-tools.sh

# --split: every `#[lazy]` function and lazy route becomes a WASM chunk of its own; without it their imports
# stay unresolved and the page never hydrates.
build-release:
	cargo leptos build --release --split

build-debug:
	cargo leptos build --split

## make bench: every benchmark, then one table (validate and create vs hello world on SQLite and PostgreSQL, the
## Sessions list at 1,000,000 vs hand-tuned SQL, keystroke p75, WASM size, memory); the full output in target/bench.log
bench: tools build-release
	bash scripts/bench-table.sh

## make bench-validate: validate and create requests per second next to a hello-world route, same server, same
## run, on SQLite and (when the local server answers) PostgreSQL
bench-validate:
	BENCH_POSTGRES_URL=$${BENCH_POSTGRES_URL:-$$(psql postgres://postgres@127.0.0.1:5432/test -tAc 'select 1' >/dev/null 2>&1 && echo postgres://postgres@127.0.0.1:5432/test)} \
	  cargo bench -p server --bench validate

## make bench-flood: admin revocations while wrong sign-ins and anonymous calls flood the server, p50/p95
bench-flood:
	cargo bench -p server --bench flood

## make bench-console: the Sessions list at 1,000,000 sessions (seeded once into target/bench-data, and into
## the local PostgreSQL server when it answers), p50/p95 over every sort, filter and search, and the same pages
## written by hand and timed in sqlite3 and psql
bench-console: tools build-release
	BENCH_POSTGRES_URL=$${BENCH_POSTGRES_URL:-$$(psql postgres://postgres@127.0.0.1:5432/test -tAc 'select 1' >/dev/null 2>&1 && echo postgres://postgres@127.0.0.1:5432/test)} \
	  cargo bench -p server --bench console_list
	bash scripts/bench-console.sh

## make cluster: two nodes on one local PostgreSQL database, ports 3001 and 3002 (README, "Several nodes")
cluster: tools build-release
	bash scripts/cluster.sh

## make demo SESSIONS=100000: seed synthetic users, apps and sessions into ./data
demo: build-release
	./target/release/roster demo --sessions $(or $(SESSIONS),10000)

## make owner EMAIL=you@example.com: create the first owner (asks for the password)
owner:
	@test -n "$(EMAIL)" || { echo "usage: make owner EMAIL=you@example.com"; exit 2; }
	@read -rsp "Password for $(EMAIL) (12+ characters): " password && echo && \
	  printf '%s\n' "$$password" | ./target/release/roster create-owner --email "$(EMAIL)" --password-stdin
