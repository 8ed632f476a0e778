#!/usr/bin/env bash
# Set-up, then the main job on the bundled sample engagement: scan sample-data/ and
# write every output format to out/ (masked values and fingerprints only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
cargo build --release --locked --bins
bin="$CARGO_TARGET_DIR/release/credence"
mkdir -p out
for fmt in jsonl sarif csv; do
  "$bin" scan sample-data -q -f "$fmt" -o "out/sample.$fmt" || [ $? -eq 1 ]
done
# The table a person reads (exit code 1 = findings were reported).
"$bin" scan sample-data || [ $? -eq 1 ]
echo
echo "Outputs written to out/sample.{jsonl,sarif,csv}"
