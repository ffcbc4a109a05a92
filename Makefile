# Tidewatch: build, run and test the core, the UI and the desk.
#   make run     set up, build the UI, build and start the desk
#   make test    set up, core tests, the journal and the service on PostgreSQL, the phone pages in Chromium (the crew's, the tips'), the slow tier (solver-bound and timed, --ignored), UI tests, the desk end-to-end under Xvfb (alone, then as a seat on the service beside a scripted client), then the packages (made from the release build, installed, run and removed in a throwaway Debian root)
#   make bundle  the packages an office installs: the desk (+ the `tidewatch` command) and tidewatch-server, .deb and .rpm (docs/install.md)
#   make test-packages  the .debs installed, run and removed in a throwaway Debian root (debootstrap; after make bundle)
#   make bench-startup  the desk's start-up time and memory against a blank Tauri window
#   make bench-service  the PostgreSQL journal and the service: appends/s, push latency, the monthly report vs DuckDB
#   make fuzz    the fuzz tests with many cases (FUZZ_CASES=5000; never a panic or a hang)
#   make serve   the command-centre service on a local PostgreSQL (docs/service.md)
SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
.SHELLFLAGS := -eu -o pipefail -c

# One shared build cache outside the work tree, reused across runs (created if absent).
CARGO_TARGET_DIR ?= $(HOME)/.cache/tidewatch/target
export CARGO_TARGET_DIR

DESK_BIN := $(CARGO_TARGET_DIR)/release/tidewatch-desk
XVFB_RUN := xvfb-run -a -s "-screen 0 1400x900x24"

# The tauri-free crates and the command line (the desk and the PostgreSQL journal have
# targets of their own).
CORE_PACKAGES = -p tidewatch-core -p tidewatch-journal -p tidewatch-report -p tidewatch-plan \
	-p tidewatch-workstation -p tidewatch-osm -p tidewatch

SERVE_LISTEN ?= 127.0.0.1:8640
SERVE_REGION ?= assets/regions/dinghai

.PHONY: all setup ui desk run serve test test-core test-slow test-pg test-phone test-tips test-ui test-desk e2e e2e-seats bundle test-packages test-packages-release bench-startup bench-service fuzz

all: desk

setup:
	bash scripts/setup-debian.sh

# Rebuilt only when a UI source changed: a fresh ui/dist makes cargo re-embed it.
UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/vite.config.ts \
	ui/svelte.config.js ui/tsconfig.json ui/package.json ui/package-lock.json

ui: ui/dist/index.html

ui/dist/index.html: $(UI_SOURCES)
	cd ui && npm run build

# The desk embeds ui/dist (the custom-protocol feature is on by default), so a plain
# cargo build never points the window at the vite dev server.
desk: ui
	cargo build -p tidewatch-desk --release

run: setup desk
	cargo run -p tidewatch-desk --release

# The fast tier (under a minute warm). Release profile: HiGHS (C++) and the rest are then
# built once, shared with the desk.
test-core:
	cargo test --release $(CORE_PACKAGES)

# The slow tier: solver-bound checks and wall-clock assertions marked
# #[ignore = "slow tier: …"] (about 5 minutes), one at a time: their figures depend on
# having the cores to themselves.
test-slow:
	cargo test --release $(CORE_PACKAGES) -- --ignored --test-threads=1 --skip write_journal_v1_fixture

# The journal (the same contract suite as SQLite) and the service on a real PostgreSQL: installs and starts
# PostgreSQL if needed (scripts/postgres.sh, as root on Debian) and tests against a fresh
# throwaway database. One recipe line: every cargo run below sees the same URL.
test-pg:
	TIDEWATCH_PG_URL="$$(scripts/postgres.sh --test)" && export TIDEWATCH_PG_URL && \
	cargo test --release -p tidewatch-journal-pg && \
	cargo test --release -p tidewatch-service && \
	cargo test --release -p tidewatch-client && \
	cargo test --release -p tidewatch --test journal_contract --test workstation_pg --test serve --test journal_pg_import --test device_cli --test region_export_pg && \
	cargo test --release -p tidewatch --test serve_faults -- --include-ignored
	# PostgreSQL restarted under load, on a throwaway cluster of its own (never the shared one).
	scripts/pg-restart-test.sh

# The crew's page in a real browser: Debian's Chromium through playwright-core (ui's
# node_modules) against a running `tidewatch serve` on a throwaway PostgreSQL database
# (ui/tests/phone/; screenshots in ui/tests/phone/out/).
test-phone:
	cargo build --release --bin tidewatch
	test -d ui/node_modules/playwright-core || (cd ui && npm ci)
	TIDEWATCH_PG_URL="$$(scripts/postgres.sh --test)" && export TIDEWATCH_PG_URL && \
	cd ui && node --test --test-concurrency=1 tests/phone/*.test.mjs

# The command-centre service on the Dinghai pack: installs and starts PostgreSQL if needed
# (scripts/postgres.sh), runs the migrations on start, listens on SERVE_LISTEN.
serve:
	cargo build --release --bin tidewatch
	TIDEWATCH_PG_URL="$$(scripts/postgres.sh)" && export TIDEWATCH_PG_URL && \
	$(CARGO_TARGET_DIR)/release/tidewatch serve --region $(SERVE_REGION) --listen $(SERVE_LISTEN)

test-ui:
	cd ui && npm run check && npm test && npm run test:browser

# The citizens' tips page (随手拍) in a real browser: Debian's Chromium via playwright-core
# (ui/node_modules), a phone's viewport, against `tidewatch serve` on a throwaway database.
# Screenshots in $(CARGO_TARGET_DIR)/tips-shots.
test-tips:
	cargo build --release --bin tidewatch
	TIDEWATCH_PG_URL="$$(scripts/postgres.sh --test)" && export TIDEWATCH_PG_URL && \
	TIDEWATCH_BIN=$(CARGO_TARGET_DIR)/release/tidewatch TIPS_SHOTS=$(CARGO_TARGET_DIR)/tips-shots \
	node --test --test-concurrency=1 tests/phone/tips.test.mjs

test-desk: desk
	cargo test -p tidewatch-desk --release

# The supervisor's checks pre-seed the journal with the CLI's demo history.
e2e:
	cargo build --release --bin tidewatch
	$(XVFB_RUN) node tests/e2e/run.mjs

test: setup
	$(MAKE) test-core
	$(MAKE) test-pg
	$(MAKE) test-tips
	$(MAKE) test-phone
	$(MAKE) test-slow
	$(MAKE) test-ui
	$(MAKE) test-desk
	$(MAKE) e2e
	$(MAKE) e2e-seats
	$(MAKE) test-packages-release

# The packages' test as `make test` runs it: packaged from the release profile's build (the
# one the tiers above made; only the desk is relinked and the bundler run), so CI needs no
# bundle-profile build of its own (about 20 more minutes on 2 cores). What an office gets
# is `make bundle` (the bundle profile): the same code and files, smaller binaries.
test-packages-release:
	PROFILE=release $(MAKE) bundle
	PROFILE=release $(MAKE) test-packages

# Two seats on one command centre: the real desk on one `serve` process, a scripted client
# on another, one PostgreSQL database (tests/e2e/seats.mjs; PostgreSQL as for test-pg).
e2e-seats:
	cargo build --release --bin tidewatch
	$(XVFB_RUN) node --experimental-websocket tests/e2e/seats.mjs

# The desk's .deb/.rpm (Tauri's bundler, with the `tidewatch` command, its man pages and
# completions) and tidewatch-server's (dpkg-deb, rpmbuild), built with the bundle profile
# (release without debug info, stripped); PROFILE=release builds them from the release
# profile instead (to compare sizes). Into $(CARGO_TARGET_DIR)/<profile>/bundle/.
bundle: setup
	scripts/package/desk.sh
	scripts/package/server.sh

# The packages as an office installs them, in a throwaway Debian 12 root (debootstrap, as
# root): the desk under Xvfb (a screenshot), the service from its unit's command line on
# PostgreSQL, a sign-in, removal and what it leaves (scripts/test-packages.sh; docs/install.md).
test-packages:
	timeout 1800 scripts/test-packages.sh

bench-startup: desk
	cargo build --release -p tidewatch-blank -p tidewatch
	$(XVFB_RUN) node benches/startup/run.mjs

# The journal on PostgreSQL and the service, each against a peer in the same run (figures,
# not timed tests; README "Performance"): appends/s with the chain against plain INSERTs at
# 1, 4 and 16 appenders; push latency to 20 desks against a bare tokio broadcast; the
# monthly figures on 1,000,000 incidents against DuckDB (Python's duckdb, installed for the
# user if missing); 500 phones posting positions every 5 s for 10 min
# (TIDEWATCH_LOAD_MINUTES for a shorter run); the recommendation with live positions for
# every unit against units at their places. On a fresh throwaway database, one at a time.
bench-service:
	python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --user --quiet duckdb
	TIDEWATCH_PG_URL="$$(scripts/postgres.sh --test)" && export TIDEWATCH_PG_URL && \
	cargo test --release -p tidewatch-journal-pg --test append_bench --test report_bench -- --ignored --nocapture --test-threads=1 && \
	cargo test --release -p tidewatch-service --test push_bench -- --ignored --nocapture && \
	cargo test --release -p tidewatch-service --test position_load_bench -- --ignored --nocapture && \
	cargo test --release -p tidewatch --test live_rank_bench -- --ignored --nocapture

# The fuzzers: the CLI's, and the pack loader's and journal import's when they are there.
# FUZZ_CASES sets the cases of each (PROPTEST_CASES too, for a fuzzer on proptest's defaults).
FUZZ_CASES ?= 5000
FUZZ_TESTS := fuzz_cli $(foreach t,fuzz_pack fuzz_import,$(if $(wildcard tests/$(t).rs),$(t)))

fuzz:
	FUZZ_CASES=$(FUZZ_CASES) PROPTEST_CASES=$(FUZZ_CASES) cargo test --release -p tidewatch \
		$(foreach t,$(FUZZ_TESTS),--test $(t)) -- --nocapture
