#!/usr/bin/env python3
"""Serves a built Coop Atlas (`dist/`) the way a good static host would, with the standard library only.

- Precompressed files: for `x.wasm`, sends `x.wasm.br` (or `.gz`) when the browser accepts it, with
  `Content-Encoding` and `Vary: Accept-Encoding`, so what is measured here is what a phone downloads.
- Cache lifetimes: files with a content hash in their name are immutable for a year; the HTML, the
  service worker, the manifest and datasets are revalidated every time (`no-cache`), with an ETag so
  an unchanged file costs a 304.
- `--prefix /sub/path/` serves the app under a sub-path, as docs/deploy.md describes for nginx.

Usage: python3 scripts/serve.py [--dir dist] [--port 8080] [--prefix /]
"""
import argparse
import hashlib
import os
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

# Trunk writes its content hash in hex without leading zeros (1 to 16 digits).
# The pre-rendered map picture is `prerender-map-<hash>.svg` (scripts/prerender.mjs).
HASHED = re.compile(r"-[0-9a-f]{1,16}(_bg)?\.(wasm|js|css|svg)$|\.[0-9a-f]{8,}\.(js|json|css|wasm)$")
TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".md": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".pack": "application/octet-stream",
    ".tsv": "text/tab-separated-values; charset=utf-8",
}


def make_handler(root: str, prefix: str):
    class Handler(SimpleHTTPRequestHandler):
        server_version = "coop-atlas-serve"
        sys_version = ""

        def log_message(self, fmt, *args):  # quiet unless asked
            if os.environ.get("SERVE_LOG"):
                sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

        def _resolve(self):
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(prefix):
                if path + "/" == prefix:
                    return "redirect"
                return None
            rel = path[len(prefix):]
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            full = os.path.realpath(os.path.join(root, rel))
            if not full.startswith(os.path.realpath(root) + os.sep):
                return None
            return full

        def do_HEAD(self):
            self._serve(head=True)

        def do_GET(self):
            self._serve(head=False)

        def _serve(self, head: bool):
            full = self._resolve()
            if full == "redirect":
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", prefix)
                self.end_headers()
                return
            if full is None or not os.path.isfile(full):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            accept = self.headers.get("Accept-Encoding", "")
            ext = os.path.splitext(full)[1]
            body_path, encoding = full, None
            for enc, suffix in (("br", ".br"), ("gzip", ".gz")):
                if enc in accept and os.path.isfile(full + suffix):
                    body_path, encoding = full + suffix, enc
                    break
            name = os.path.basename(full)
            if name in ("index.html", "sw.js", "manifest.webmanifest") or ext in (".json", ".pack") and not HASHED.search(name):
                cache = "no-cache"
            elif HASHED.search(name):
                cache = "public, max-age=31536000, immutable"
            else:
                cache = "no-cache"
            # Revalidation (`no-cache` files, the service worker's refresh) costs a 304, not the file.
            with open(body_path, "rb") as f:
                data = f.read()
            etag = '"%s"' % hashlib.sha1(data).hexdigest()[:20]
            if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", cache)
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", cache)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("X-Content-Type-Options", "nosniff")
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.end_headers()
            if not head:
                self.wfile.write(data)

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="dist")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--prefix", default="/")
    args = ap.parse_args()
    prefix = "/" + args.prefix.strip("/") + "/" if args.prefix.strip("/") else "/"
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"serve: {args.dir}/index.html not found; build first (scripts/build.sh)")
    ThreadingHTTPServer.allow_reuse_address = True
    httpd = ThreadingHTTPServer((args.host, args.port), make_handler(args.dir, prefix))
    print(f"Coop Atlas: http://{args.host}:{args.port}{prefix}  (serving {args.dir}, Ctrl-C to stop)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
