#!/usr/bin/env bash
# The real-window end-to-end test: the built app under Xvfb and a private D-Bus,
# driven by tauri-driver (WebDriver for Tauri) and Debian's WebKitWebDriver.
#   ui/tests/e2e/run.sh /abs/path/to/credence-desktop [screenshots-dir]
# HOME and XDG folders point at a temporary directory: the app under test writes its
# settings, recent list and engagements there, and no keyring is used (the app asks
# for a passphrase, as it does on a headless machine).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ui="$(cd "$here/../.." && pwd)"
app="${1:?usage: run.sh APP_BINARY [SCREENSHOTS_DIR]}"
shots="${2:-$ui/test-results/screenshots}"
driver="${TAURI_DRIVER:-${XDG_CACHE_HOME:-$HOME/.cache}/credence/tools/bin/tauri-driver}"
[ -x "$driver" ] || { echo "e2e: tauri-driver not found at $driver (scripts/setup.sh installs it)" >&2; exit 2; }
[ -x /usr/bin/WebKitWebDriver ] || { echo "e2e: /usr/bin/WebKitWebDriver missing (apt-get install webkit2gtk-driver)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"
export HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export CREDENCE_KEYRING=off
export CREDENCE_SAMPLE_DATA="$ui/../sample-data"
export CREDENCE_APP="$app" E2E_SCREENSHOTS="$shots" TAURI_DRIVER_BIN="$driver"
cd "$ui"
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
  "$TAURI_DRIVER_BIN" --port 4444 --native-driver /usr/bin/WebKitWebDriver > "$HOME/tauri-driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
  status=0
  node --test --test-concurrency=1 tests/e2e/ || status=$?
  kill "$driver" 2>/dev/null || true
  wait "$driver" 2>/dev/null || true
  [ "$status" -eq 0 ] || { echo "--- tauri-driver log"; tail -50 "$HOME/tauri-driver.log"; }
  exit "$status"
'
