#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png from the real app: runs the end-to-end test (release
# build under Xvfb, tauri-driver) and copies the screenshots it saved.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
(cd ui && npm run build)
cargo build --release --locked -p credence-desktop
out="$(mktemp -d)"
bash ui/tests/e2e/run.sh "$CARGO_TARGET_DIR/release/credence-desktop" "$out"
mkdir -p docs/screenshots
cp "$out"/*.png docs/screenshots/
rm -rf "$out"
ls docs/screenshots
