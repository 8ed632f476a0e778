#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: system packages the build,
# tests and benchmarks need. Safe to run again; installs only what is missing.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config ca-certificates
  ripgrep          # benchmark reference
  poppler-utils    # pdftotext / pdftoppm for report tests
  strace           # offline test (no socket connect)
  time             # hostile-corpus test: peak RSS of each scan (GNU time)
  libreoffice-calc-nogui  # report_libreoffice test: the XLSX converts headless (about 40 s to install)
  python3          # report_libreoffice test: zipfile + expat read every XLSX part
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present" >&2
fi

command -v cargo >/dev/null || { echo "setup: cargo (Rust toolchain) is required: https://rustup.rs" >&2; exit 2; }
