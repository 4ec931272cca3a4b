#!/usr/bin/env python3
"""Writes the province tables compiled into the app (src/engine/data/*.csv) from the full reference
copies in scripts/reference/, keeping only the columns the engine reads.

Why: the full tables repeat a long SOURCE note on every row (56 KB in all); compiled in with
include_str! that is wasm every phone downloads. The sources stay in scripts/reference/ and in
src/engine/data/PROVENANCE.md. Deterministic: re-running yields byte-identical files.
Usage: python3 scripts/trim_reference.py [--check]
"""
import csv
import io
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TABLES = {
    "regions_provinces_63.csv": ["old_code", "old_name", "gso_region_6", "gso_order", "new_code", "new_name",
                                 "tt02_2022_art53_difficult_ethnic_groups_31prov",
                                 "qd353_2022_has_poor_district_26prov",
                                 "qd2086_2016_very_small_ethnic_groups_12prov"],
    "province_crosswalk_2025.csv": ["old_code", "old_name", "new_code", "new_name", "status"],
}


def trimmed(name, columns):
    with open(os.path.join(ROOT, "scripts/reference", name), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r[c] for c in columns])
    return out.getvalue()


def main():
    check = "--check" in sys.argv
    stale = []
    for name, cols in TABLES.items():
        text = trimmed(name, cols)
        path = os.path.join(ROOT, "src/engine/data", name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(name)
            if not check:
                if os.path.exists(path):
                    os.chmod(path, 0o644)
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
    if check and stale:
        sys.exit("stale: " + ", ".join(stale) + " (run python3 scripts/trim_reference.py)")
    print("trimmed tables " + ("up to date" if not stale else "written: " + ", ".join(stale)))


if __name__ == "__main__":
    main()
