#!/usr/bin/env bash
# Sets up what is missing, builds the release app and serves it at http://127.0.0.1:8080 on its
# bundled default data (precompressed files, as a phone would get them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec python3 scripts/serve.py --dir dist --port "${PORT:-8080}"
