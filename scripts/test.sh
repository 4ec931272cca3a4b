#!/usr/bin/env bash
# Sets up what is missing and runs every test of Coop Atlas:
#   1. native: the engine's unit, property and integration tests, the CLI (cargo test);
#   2. wasm-in-browser: wasm-bindgen-test in headless Chromium;
#   3. the release build, its size report and byte budgets;
#   4. end-to-end: Playwright (playwright-core) driving Debian's Chromium against the release build.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n=== %s ===\n' "$*"; }

step "native tests (cargo test)"
cargo test --locked

step "wasm tests in headless Chromium (wasm-bindgen-test)"
# The runner reads the browser's capabilities from ./webdriver.json (generated, git-ignored).
cat > webdriver.json <<'JSON'
{ "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox",
  "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] } }
JSON
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked --target wasm32-unknown-unknown --test web

step "release build"
bash scripts/build.sh

step "size report"
node scripts/size-report.mjs dist

step "end-to-end tests (Playwright + Chromium)"
node --test --test-concurrency=1 tests/e2e/
