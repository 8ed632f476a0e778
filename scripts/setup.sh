#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: the system packages the build,
# tests, benchmarks and the desktop app need, the UI's npm packages (from
# ui/package-lock.json), and tauri-driver for the real-window test. Safe to run again;
# installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential pkg-config ca-certificates file
  ripgrep          # benchmark reference
  poppler-utils    # pdftotext / pdftoppm for report tests
  strace           # offline test (no socket connect)
  # Desktop app (Tauri 2 on WebKitGTK 4.1)
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libsecret-1-dev gnome-keyring dbus-x11
  # UI tests: headless browser, virtual display, WebDriver for the real window
  chromium xvfb xauth webkit2gtk-driver
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
command -v node >/dev/null && command -v npm >/dev/null || { echo "setup: Node.js 20.19+ and npm are required for the desktop UI" >&2; exit 2; }

# The UI's packages, exactly as locked; reinstalled only when the lock file changed.
lock_sum="$(sha256sum ui/package-lock.json | cut -d' ' -f1)"
if [ "$(cat ui/node_modules/.credence-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: npm ci in ui/" >&2
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > ui/node_modules/.credence-lock
else
  echo "setup: ui/node_modules up to date" >&2
fi

# tauri-driver (WebDriver for Tauri apps) in a cache folder, built once.
tools="${XDG_CACHE_HOME:-$HOME/.cache}/credence/tools"
if [ ! -x "$tools/bin/tauri-driver" ]; then
  echo "setup: building tauri-driver 2.1.0 into $tools (once, about 2 minutes)" >&2
  cargo install tauri-driver --locked --version 2.1.0 --root "$tools" --quiet
else
  echo "setup: tauri-driver present" >&2
fi
