#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for SECONDS each (default 60), seeded
# from sample-data/ and the hostile specimens, and prints one line per target.
# Needs a nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (installed here when missing). Crashes are kept in fuzz/artifacts/<target>/: copy each
# into tests/data/fuzz-regressions/<target>/ so `cargo test --test fuzz_regressions`
# replays it forever after.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
ONLY="${2:-}"

rustup toolchain list | grep -q '^nightly' || { echo "fuzz: needs a nightly toolchain (rustup toolchain install nightly)" >&2; exit 2; }
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/fuzz-target}"

# Seeds: the sample files of each target's format (a fuzzer starting from a valid
# file reaches the deep parser paths in seconds instead of hours).
seed() { # target, then find(1) name patterns
  local t="$1"; shift
  mkdir -p "fuzz/corpus/$t"
  local args=() p
  for p in "$@"; do args+=(-o -name "$p"); done
  find sample-data tests/data assessment-templates -type f \( -false "${args[@]}" \) -exec cp -n {} "fuzz/corpus/$t/" \; 2>/dev/null || true
}
seed text_file '*.txt' '*.md' '*.log' '.env' '*.properties'
seed csv_export '*.csv'
seed sheet_xlsx '*.xlsx'
seed sheet_xls '*.xls'
seed sheet_xlsb '*.xlsb'
seed sheet_ods '*.ods'
seed doc_docx '*.docx'
seed archive_zip '*.zip' '*.xlsx' '*.docx'
seed config_cisco '*.cfg'
seed config_juniper '*.conf'
seed config_fortios 'hq-fgt01.conf'
seed config_paloalto '*set.txt' '*.xml'
seed config_mikrotik '*.rsc'
seed config_hp_aruba 'ot-access-sw05.cfg'
seed config_industrial '*.cli' 'sub1-rtu-gw07.conf'
seed windows_gpp 'Groups.xml'
seed windows_unattend 'unattend.xml'
seed winapps_rdp '*.rdp'
seed winapps_winscp 'WinSCP.ini'
seed winapps_filezilla 'sitemanager.xml'
seed winapps_mremoteng 'confCons.xml'
seed winapps_vnc '*.reg'
mkdir -p fuzz/corpus/assess_template && cp -n assessment-templates/*.toml fuzz/corpus/assess_template/ 2>/dev/null || true

printf '%-24s %8s %12s %s\n' target seconds executions result
for t in $(cargo +nightly fuzz list); do
  [ -n "$ONLY" ] && [ "$t" != "$ONLY" ] && continue
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log="fuzz/artifacts/$t/last-run.log"
  before=$(ls "fuzz/artifacts/$t")
  if cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
    result="no crash"
  else
    new=$(comm -13 <(echo "$before" | sort) <(ls "fuzz/artifacts/$t" | sort) | grep -v last-run.log | head -1)
    result="CRASH: ${new:-see $log}"
  fi
  # Each ASan binary is ~150 MB: drop it once its run is over (the shared
  # dependencies stay built, so the next target only compiles and links itself).
  rm -f "$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/$t" "$CARGO_TARGET_DIR"/x86_64-unknown-linux-gnu/release/deps/"$t"-*
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  printf '%-24s %8s %12s %s\n' "$t" "$SECONDS_EACH" "$runs" "$result"
done
