#!/usr/bin/env bash
# Regenerates docs/report/*.png: the pages of the sample engagement's board report.
# Scans sample-data/ into a temporary engagement (passphrase-protected key, keyring
# off), writes the PDF with a pinned date so the pages do not change from run to run,
# and renders each page with pdftoppm (poppler-utils, installed by scripts/setup.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
DATE="${REPORT_DATE:-2026-11-29}"
RES="${REPORT_DPI:-60}"

cargo build --release --bin credence
BIN="${CARGO_TARGET_DIR:-target}/release/credence"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export CREDENCE_KEYRING=off CREDENCE_PASSPHRASE="report images" HOME="$TMP"

"$BIN" new "$TMP/sample.credence" --client "ACME Water" --site "Plant 3" \
  --assessor "J. Rivera" --marking "CONFIDENTIAL - SAMPLE DATA" 2>/dev/null
"$BIN" scan -q -e "$TMP/sample.credence" sample-data -f jsonl >/dev/null || [ $? -eq 1 ]
"$BIN" report -q -e "$TMP/sample.credence" --date "$DATE" --pdf "$TMP/report.pdf"

rm -f docs/report/page-*.png
pdftoppm -r "$RES" -png "$TMP/report.pdf" docs/report/page
ls docs/report/page-*.png
