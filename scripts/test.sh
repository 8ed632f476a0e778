#!/usr/bin/env bash
# Set-up, then every test: formatting, lints, unit, integration and specification
# tests (sample engagement, rules' examples, peer corpus when ../shared exists).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Builds are incremental across runs on one machine when the cache lives outside the
# clone; a cold cache works too (about 5 minutes on 2 cores).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --all-targets --locked -- --nocapture 2>&1 | tee "${TMPDIR:-/tmp}/credence-test.log"
# Summed up for a reader (cargo prints one result line per test binary above).
awk '/^test result:/ {p+=$4; f+=$6} END {printf "all test binaries: %d passed, %d failed\n", p, f}' "${TMPDIR:-/tmp}/credence-test.log"
