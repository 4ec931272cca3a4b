#!/usr/bin/env bash
# Installs what Coop Atlas needs on a fresh machine that has only Rust (rustup), node/npm, python3
# and apt — from crates.io, npm and Debian only (nothing from GitHub or a CDN). Idempotent: each step
# checks what is there and skips it when it is already at the right version, and says so.
#
#   scripts/setup.sh            everything (build + tests)
#   scripts/setup.sh --build    only what building and serving the app needs (Chromium included:
#                               the build pre-renders the first view in it; no driver, no openssl)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
WANT_BROWSER=1
[ "${1:-}" = "--build" ] && WANT_BROWSER=0

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. The wasm target.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown: present, skipping"
else
  say "rust target wasm32-unknown-unknown: installing"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk (from crates.io; about 5 minutes on 2 cores the first time).
if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "trunk $TRUNK_VERSION: present, skipping"
else
  say "trunk $TRUNK_VERSION: installing from crates.io"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen-cli at the Cargo.lock version (also brings wasm-bindgen-test-runner).
#    Not --locked: its lock file pins a yanked crate.
if command -v wasm-bindgen >/dev/null && wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present, skipping"
else
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing from crates.io"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# 4. npm packages (echarts, esbuild, binaryen's wasm-opt, playwright-core, axe-core) from the lock file.
npm_ok() {
  node -e '
    const deps = require("./package.json").devDependencies;
    for (const [name, want] of Object.entries(deps)) {
      let have = null;
      try { have = require("./node_modules/" + name + "/package.json").version; } catch {}
      if (have !== want) { console.error(name + ": want " + want + ", have " + have); process.exit(1); }
    }' 2>/dev/null
}
if npm_ok; then
  say "npm packages: at package.json versions, skipping"
else
  say "npm packages: installing from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund
fi

# 5. Chromium and its driver from Debian, for the browser tests; Chromium alone for a build
#    (scripts/prerender.mjs opens the built app in it).
if [ "$WANT_BROWSER" = 0 ]; then
  if [ -x /usr/bin/chromium ]; then
    say "chromium: present ($(/usr/bin/chromium --version 2>/dev/null | head -n1)), skipping"
  else
    say "chromium: installing from Debian (the build pre-renders the first view in it)"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
else
  # openssl makes the throwaway certificate of the CORS test's second https origin; poppler-utils'
  # pdftotext reads the text of the PDF a profile prints to (tests/e2e/profile.test.mjs).
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && command -v openssl >/dev/null && command -v pdftotext >/dev/null; then
    say "chromium + chromium-driver + openssl + poppler-utils: present ($(/usr/bin/chromium --version 2>/dev/null | head -n1)), skipping"
  else
    say "chromium + chromium-driver + openssl + poppler-utils: installing from Debian"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver openssl poppler-utils >/dev/null
  fi
fi

# 6. openpyxl from PyPI, for the browser tests only: a reader that is not ours opens the .xlsx the
#    app exports (tests/e2e/xlsx-export.test.mjs, tests/xlsx_openpyxl.py).
if [ "$WANT_BROWSER" = 1 ]; then
  if python3 -c "import openpyxl" 2>/dev/null; then
    say "openpyxl: present, skipping"
  else
    say "openpyxl: installing from PyPI"
    python3 -m pip install --quiet "openpyxl==3.1.5" || python3 -m pip install --quiet --user --break-system-packages "openpyxl==3.1.5"
  fi
fi

# 7. The self-hosted ECharts bundle (also rebuilt by Trunk's pre_build hook when stale).
node scripts/build-echarts.mjs
say "done"
