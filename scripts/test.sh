#!/usr/bin/env bash
# Set-up, then every test: formatting, lints, unit, integration and specification
# tests of the library, CLI and desktop commands (cargo); the UI's type check and unit
# tests (Vitest); page tests in headless Chromium with the IPC mocked; the real app
# (the debug build `cargo test` already made) under Xvfb driven by tauri-driver. Each
# step runs under `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Builds are incremental across runs on one machine when the cache lives outside the
# clone; a cold cache works too.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
# Nothing in cargo removes the builds of earlier dependency sets, so a cache on a
# long-lived machine only grows; past its bound it is started afresh (a full build is
# about 5 GB). Out of disk, the linker dies with a bus error rather than a clear message.
cache_limit_gb="${CREDENCE_CACHE_LIMIT_GB:-20}"
if [ -d "$CARGO_TARGET_DIR" ]; then
  cache_gb="$(du -s --block-size=1G "$CARGO_TARGET_DIR" 2>/dev/null | cut -f1)"
  if [ "${cache_gb:-0}" -gt "$cache_limit_gb" ]; then
    echo "test: build cache $CARGO_TARGET_DIR is ${cache_gb} GB (over ${cache_limit_gb} GB): cargo clean" >&2
    cargo clean --quiet
  fi
fi
mkdir -p "$CARGO_TARGET_DIR"
free_gb="$(df --output=avail --block-size=1G "$CARGO_TARGET_DIR" | tail -1 | tr -d ' ')"
[ "$free_gb" -ge 8 ] || echo "test: only ${free_gb} GB free where the build goes; a cold build needs about 6 GB" >&2
log="${TMPDIR:-/tmp}/credence-test.log"
: > "$log"
step() { echo "== $1 ($(date +%T))"; }

step "ui: type check, unit tests, build"
(cd ui && timeout 600 npm run check && NO_COLOR=1 timeout 600 npm run test:unit 2>&1 | tee -a "$log" && timeout 600 npm run build)

step "cargo fmt --check"
cargo fmt --all -- --check
# --workspace: the root package alone is the default; the desktop shell (src-tauri) is
# linted and tested too.
step "cargo clippy"
timeout 2400 cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
timeout 2400 cargo test --workspace --all-targets --locked -- --nocapture 2>&1 | tee -a "$log"

step "ui: configuration and page tests (headless Chromium)"
(cd ui && timeout 900 npm run test:page 2>&1 | tee -a "$log")

step "desktop: the real-window end-to-end test (debug build)"
# `cargo test` built the app's binary for its integration tests (target/debug): the
# test drives that one, so CI compiles the desktop app once. (`cargo build` would
# rebuild tauri without the tests' feature.) The release figure is in the README.
app="$CARGO_TARGET_DIR/debug/credence-desktop"
[ -x "$app" ] || { echo "test: $app missing after cargo test" >&2; exit 1; }
E2E_BUILD=debug timeout 900 bash ui/tests/e2e/run.sh "$app" 2>&1 | tee -a "$log"

# Summed up for a reader: cargo prints one result line per test binary, Vitest one
# "Tests" line, node's runner "# pass" / "# fail" per run.
awk '
  /^test result:/ {p+=$4; f+=$6}
  /^ *Tests +[0-9]+ passed/ {for (i=1;i<=NF;i++) if ($i=="passed") p+=$(i-1); for (i=1;i<=NF;i++) if ($i=="failed") f+=$(i-1)}
  /^# pass [0-9]+/ {p+=$3}
  /^# fail [0-9]+/ {f+=$3}
  END {printf "all tests: %d passed, %d failed\n", p, f}' "$log"
grep -h "FIGURE" "$log" || true
