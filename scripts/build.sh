#!/usr/bin/env bash
# Release build of the app into dist/: Trunk (wasm-opt -Oz), then scripts/prerender.mjs (the first
# view as the built app renders it, copied into index.html: needs Chromium), then
# scripts/postbuild.mjs (service worker file list and version, CSP hashes, brotli + gzip files next
# to each file), which accounts for the changed index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --build
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PUBLIC_URL="${PUBLIC_URL:-./}"
trunk build --release --public-url "$PUBLIC_URL" "$@"
# The browser benchmark (issue 8; docs/performance.md): the engine alone, into dist/bench/, after
# the app (Trunk empties its dist). Unhashed names so its Worker imports it; not precached.
trunk build bench/index.html --release --filehash false --public-url ./ --dist dist/bench
node scripts/prerender.mjs dist
node scripts/postbuild.mjs dist
