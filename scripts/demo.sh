#!/usr/bin/env bash
# Set-up, then open the desktop app on the bundled sample engagement (sample-data/):
#   bash scripts/demo.sh              # the desktop app (needs a display)
#   bash scripts/demo.sh --headless   # no display: the CLI scans sample-data/ and writes
#                                     # every output format to out/
# Without a display (a server, CI) the headless path is taken on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"

headless=0
[ "${1:-}" = "--headless" ] && headless=1
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
  [ "$headless" -eq 1 ] || echo "demo: no display found; running the headless CLI demo instead" >&2
  headless=1
fi

if [ "$headless" -eq 0 ]; then
  (cd ui && npm run build --silent)
  cargo build --release --locked -p credence-desktop
  echo "demo: opening Credence on the sample engagement (created in the app's data folder on first run)" >&2
  exec "$CARGO_TARGET_DIR/release/credence-desktop" --sample
fi

cargo build --release --locked --bins -p credence
bin="$CARGO_TARGET_DIR/release/credence"
mkdir -p out
for fmt in jsonl sarif csv; do
  "$bin" scan sample-data -q -f "$fmt" -o "out/sample.$fmt" || [ $? -eq 1 ]
done
# The table a person reads (exit code 1 = findings were reported).
"$bin" scan sample-data || [ $? -eq 1 ]
echo
echo "Outputs written to out/sample.{jsonl,sarif,csv}"
