#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png from the real app: runs the end-to-end test (the
# debug build, as CI runs it, under Xvfb with tauri-driver) and copies the screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
(cd ui && npm run build)
# The same build as `cargo test --workspace` (the tests' tauri features): no second tauri build.
cargo test --locked -p credence-desktop --no-run
out="$(mktemp -d)"
E2E_BUILD=debug bash ui/tests/e2e/run.sh "$CARGO_TARGET_DIR/debug/credence-desktop" "$out"
mkdir -p docs/screenshots
cp "$out"/*.png docs/screenshots/
rm -rf "$out"
ls docs/screenshots
