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
# The packed form of every bundled dataset file (engine::wire), which the page fetches instead of
# the JSON: `coop-atlas pack` runs every check on the JSON first and refuses a file with errors.
cargo build --locked --quiet --bin coop-atlas
python3 - <<'PY'
import json, subprocess, sys
catalog = json.load(open("dist/data/catalog.json", encoding="utf-8"))
for d in catalog["datasets"]:
    for path in d["files"].values():
        out = "dist/" + (path[:-5] if path.endswith(".json") else path) + ".pack"
        # Without the unit ids: the page never shows them (a fifth of each file; src/engine/columns.rs).
        r = subprocess.run(["target/debug/coop-atlas", "pack", "dist/" + path, out, "--without-ids"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"build: {path} cannot be packed:\n{r.stdout}{r.stderr}")
        print(r.stdout.strip().splitlines()[-1])
PY
trunk build bench/index.html --release --filehash false --public-url ./ --dist dist/bench
node scripts/prerender.mjs dist
node scripts/postbuild.mjs dist
