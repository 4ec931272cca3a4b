#!/usr/bin/env bash
# Release build of the app into dist/: Trunk (wasm-opt -Oz), then scripts/postbuild.mjs
# (service worker file list and version, CSP hashes, brotli + gzip files next to each file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --build
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PUBLIC_URL="${PUBLIC_URL:-./}"
trunk build --release --public-url "$PUBLIC_URL" "$@"
node scripts/postbuild.mjs dist
