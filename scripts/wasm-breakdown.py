#!/usr/bin/env python3
"""What each part of a wasm costs, by crate and by Coop Atlas module (issue 13's size analysis).

Usage (after `bash scripts/build.sh`, which leaves cargo's wasm with its names in target/):
    python3 scripts/wasm-breakdown.py [coop-atlas-web|coop-atlas-first|coop-atlas-worker] [--top N]

How: the bin's wasm as cargo built it goes through the same wasm-bindgen and `wasm-opt -Oz` as the
shipped file, but with its function names kept (`-g`), and `twiggy top` (cargo install twiggy)
lists every function's size. Functions are grouped by the first crate path in their name
(`coop_atlas::ui::filters::…`, `tachys::…`; generic code `<T as tachys::…>` counts for the trait's
crate), data segments as `DATA`. The brotli column spreads the shipped file's brotli size over the
groups in proportion to their bytes: an estimate (code of different crates compresses alike, data
less so), good enough to see which part holds the size back.
"""
import collections
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = next((a for a in sys.argv[1:] if not a.startswith("--") and not a.isdigit()), "coop-atlas-web")
TOP = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 30


def tool(name):
    for d in (os.path.join(ROOT, "node_modules", ".bin"), os.path.expanduser("~/.cargo/bin")):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    p = shutil.which(name)
    if not p:
        sys.exit(f"wasm-breakdown: {name} not found (twiggy: cargo install twiggy)")
    return p


def main():
    src = os.path.join(ROOT, "target", "wasm32-unknown-unknown", "release", BIN + ".wasm")
    if not os.path.exists(src):
        sys.exit(f"wasm-breakdown: {src} missing: run bash scripts/build.sh first")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([tool("wasm-bindgen"), "--target", "web", "--out-dir", tmp, src], check=True)
        bg = os.path.join(tmp, BIN.replace("-", "_") + "_bg.wasm")
        if not os.path.exists(bg):
            bg = os.path.join(tmp, BIN + "_bg.wasm")
        opt = os.path.join(tmp, "opt.wasm")
        subprocess.run([tool("wasm-opt"), "-Oz", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
                        "--enable-reference-types", "--enable-sign-ext", "--enable-mutable-globals",
                        "--low-memory-unused", bg, "-o", opt], check=True)
        out = subprocess.run([tool("twiggy"), "top", "-n", "10000000", "-f", "csv", opt],
                             check=True, capture_output=True, text=True).stdout
        stripped = os.path.join(tmp, "stripped.wasm")
        subprocess.run([tool("wasm-opt"), "-Oz", "--strip-debug", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
                        "--enable-reference-types", "--enable-sign-ext", "--enable-mutable-globals",
                        "--low-memory-unused", bg, "-o", stripped], check=True)
        import zlib  # noqa: F401  (brotli comes from node, which the project has anyway)
        br = int(subprocess.run(["node", "-e", "const z=require('zlib');const b=require('fs').readFileSync(process.argv[1]);"
                                 "console.log(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)",
                                 stripped], check=True, capture_output=True, text=True).stdout)
        raw = os.path.getsize(stripped)
    crates = collections.Counter()
    modules = collections.Counter()
    for r in csv.DictReader(io.StringIO(out)):
        name = re.sub(r"\[[0-9a-f]{16}\]", "", r["Name"])
        size = int(r["ShallowSize"])
        if "function names" in name or name.startswith("custom section") or name.startswith("producers"):
            continue
        if name.startswith("data segment") or name.startswith("data["):
            crates["DATA (strings, tables)"] += size
            continue
        m = re.search(r"coop_atlas::([a-z_0-9]+)(?:::([a-z_0-9]+))?", name)
        if m:
            crates["coop_atlas"] += size
            top = m.group(1)
            modules[top + ("::" + m.group(2) if m.group(2) and top in ("engine", "ui", "charts") else "")] += size
            continue
        paths = [c for c in re.findall(r"([a-z_][a-z0-9_]*)::", name) if c not in ("core", "alloc", "std")]
        crates[paths[0] if paths else "std/core/alloc and unnamed"] += size
    total = sum(crates.values())
    est = lambda b: b * br / total if total else 0
    print(f"{BIN}: {raw:,} bytes after wasm-opt -Oz, {br:,} brotli (q11); {total:,} bytes attributed")
    print(f"{'bytes':>10} {'share':>6} {'≈ brotli':>9}  crate")
    for k, v in crates.most_common(TOP):
        print(f"{v:>10,} {100 * v / total:5.1f}% {est(v) / 1024:7.1f} KB  {k}")
    print(f"\n{'bytes':>10} {'share':>6} {'≈ brotli':>9}  coop_atlas module")
    for k, v in modules.most_common(TOP):
        print(f"{v:>10,} {100 * v / total:5.1f}% {est(v) / 1024:7.1f} KB  {k}")


if __name__ == "__main__":
    main()
