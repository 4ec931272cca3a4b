#!/usr/bin/env python3
"""Projects the province shapes into SVG path strings: public/geo/vn63-svg.tsv and vn34-svg.tsv.

Why: the Map tab is an inline <svg> drawn by the app (src/ui/svg_map.rs), not an ECharts chart, so
the first view needs neither ECharts (175 KB brotli) nor GeoJSON parsed in the browser. Projected
here, once, the shapes are ready-made `d` strings the wasm puts into <path> elements as they are:
about a third of the GeoJSON's bytes, and no geometry code in the wasm.

Input: scripts/geo/vn63.json and vn34.json (GeoJSON built by scripts/geo/simplify.py from Natural
Earth; provenance in public/geo/NOTICE.md). Stdlib only, deterministic (same input -> byte-identical
output; tests/e2e/geo.test.mjs reruns it and compares with the committed files).

Projection: equirectangular with the longitude scaled by cos(middle latitude) — at Viet Nam's
latitudes (8°–23° N) that keeps shapes within 4 % of their true proportions, which a plain
longitude/latitude plot (squashed by 4–8 %) does not. Both boundary versions use the same projection
(computed from the union of their extents), so switching versions does not move the country. The
box is VIEW_W x VIEW_H units with integer coordinates (one unit ≈ 1.7 km, finer than the source's
simplification), paths written with relative commands (`M x y l dx dy … z`), whose short numbers
compress well.

Output, plain text (read by `crate::shapes` with a few lines of code: no JSON parser is needed in
the first view's wasm for it), one line per area after a header line:
  svg-map 768 1000
  01<TAB>202 141 246 191<TAB>228 168<TAB><TAB>M240 144l2 4…z
  HS<TAB>555 412 651 491<TAB>603 404<TAB>label<TAB>M625 426l3-2…z
fields: the two-digit GSO code of that boundary version (HS / TS for the Hoàng Sa and Trường Sa
archipelagos, flagged `label`: the app labels them); the bounding box x0 y0 x1 y1 (the app zooms to
the boxes of the provinces chosen); the anchor x y: for a province the interior point farthest from
its edges (where a tooltip points), for an archipelago the point above it where its label's
baseline centre goes; the flag; the path.

Usage: python3 scripts/geo/svg_map.py [--check]   (--check: exit 1 if the committed files differ)
"""

import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "scripts", "geo")
OUT = os.path.join(ROOT, "public", "geo")

VIEW_W = 768
VIEW_H = 1000
MARGIN = 12          # units kept free at the box's edges
LABEL_GAP = 8        # units between an archipelago's topmost island and its label's baseline


def load(version):
    with open(os.path.join(SRC, f"vn{version}.json"), encoding="utf-8") as f:
        return json.load(f)["features"]


def polygons_of(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["coordinates"])
    raise ValueError(f"unexpected geometry {geom['type']}")


def extent(features_lists):
    xs, ys = [], []
    for features in features_lists:
        for f in features:
            for poly in polygons_of(f["geometry"]):
                for ring in poly:
                    for x, y in ring:
                        xs.append(x)
                        ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def projection(ext):
    """lon/lat -> integer box units, north up, the extent centred in the box."""
    lon0, lat0, lon1, lat1 = ext
    k = math.cos(math.radians((lat0 + lat1) / 2))
    w, h = (lon1 - lon0) * k, lat1 - lat0
    s = min((VIEW_W - 2 * MARGIN) / w, (VIEW_H - 2 * MARGIN) / h)
    ox = (VIEW_W - w * s) / 2
    oy = (VIEW_H - h * s) / 2

    def project(lon, lat):
        return (int(round(ox + (lon - lon0) * k * s)), int(round(oy + (lat1 - lat) * s)))

    return project


def clean_ring(pts):
    """Drops repeated points and points exactly on the line between their neighbours (in integer
    units: dropping them changes nothing drawn, and a border shared by two provinces loses the same
    points in both, since their neighbours along it are the same)."""
    q = []
    for p in pts:
        if not q or q[-1] != p:
            q.append(p)
    while len(q) > 1 and q[0] == q[-1]:
        q.pop()
    changed = True
    while changed and len(q) > 3:
        changed = False
        out = []
        n = len(q)
        for i in range(n):
            a, b, c = q[i - 1], q[i], q[(i + 1) % n]
            if (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) == 0:
                changed = True
                continue
            out.append(b)
        if len(out) < 3:
            break
        q = out
    return q if len(q) >= 3 else []


def num_pair(dx, dy):
    """`dx dy` the shortest way: a minus sign separates numbers by itself."""
    return f"{dx}{'' if dy < 0 else ' '}{dy}"


def path_of(rings):
    """One path for all rings (outer and holes; fill-rule evenodd is not needed: holes run the
    other way round in the source), relative commands after each ring's absolute start."""
    out = []
    for ring in rings:
        x0, y0 = ring[0]
        s = f"M{x0} {y0}l"
        px, py = x0, y0
        parts = []
        for x, y in ring[1:]:
            parts.append(num_pair(x - px, y - py))
            px, py = x, y
        body = ""
        for p in parts:
            body += p if not body or p.startswith("-") else " " + p
        out.append(s + body + "z")
    return "".join(out)


def seg_dist(x, y, a, b):
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def interior_point(rings):
    """A point inside the largest ring far from its edges: of the middles of the ring's inside
    spans along every row and every column (whole units), the one farthest from every edge. A
    tooltip placed there sits inside the province, also for a crescent-shaped one."""
    def area(r):
        return abs(sum(r[i][0] * r[(i + 1) % len(r)][1] - r[(i + 1) % len(r)][0] * r[i][1] for i in range(len(r)))) / 2
    ring = max(rings, key=area)
    edges = [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))]
    x0, y0 = min(p[0] for p in ring), min(p[1] for p in ring)
    x1, y1 = max(p[0] for p in ring), max(p[1] for p in ring)
    candidates = []
    for axis in (0, 1):
        lo, hi = (y0, y1) if axis == 0 else (x0, x1)
        for k in range(lo, hi):
            c = k + 0.5  # between grid lines: never through a vertex
            cuts = []
            for a, b in edges:
                if (a[1 - axis] > c) != (b[1 - axis] > c):
                    t = (c - a[1 - axis]) / (b[1 - axis] - a[1 - axis])
                    cuts.append(a[axis] + t * (b[axis] - a[axis]))
            cuts.sort()
            for s, e in zip(cuts[0::2], cuts[1::2]):
                m = (s + e) / 2
                candidates.append((m, c) if axis == 0 else (c, m))
    best, best_d = None, -1.0
    for x, y in candidates:
        d = min(seg_dist(x, y, a, b) for a, b in edges)
        if d > best_d:
            best, best_d = (x, y), d
    if best is None:  # a sliver: its box's centre
        return [int(round((x0 + x1) / 2)), int(round((y0 + y1) / 2))]
    return [int(round(best[0])), int(round(best[1]))]


def build(version, project):
    areas = []
    for f in load(version):
        p = f["properties"]
        rings = []
        for poly in polygons_of(f["geometry"]):
            for ring in poly:
                r = clean_ring([project(x, y) for x, y in ring])
                if r:
                    rings.append(r)
        if not rings:
            raise ValueError(f"vn{version}: {p['code']} vanished when projected")
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        box = [min(xs), min(ys), max(xs), max(ys)]
        if p.get("label"):
            anchor, flag = [int(round((box[0] + box[2]) / 2)), box[1] - LABEL_GAP], "label"
        else:
            anchor, flag = interior_point(rings), ""
        nums = lambda xs: " ".join(str(v) for v in xs)
        areas.append("\t".join([p["code"], nums(box), nums(anchor), flag, path_of(rings)]))
    return f"svg-map {VIEW_W} {VIEW_H}\n" + "\n".join(areas) + "\n"


def outputs():
    features = {v: load(v) for v in ("63", "34")}
    project = projection(extent(features.values()))
    return {os.path.join(OUT, f"vn{v}-svg.tsv"): build(v, project) for v in ("63", "34")}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for path, text in outputs().items():
        rel = os.path.relpath(path, ROOT)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    same = f.read() == text
            except FileNotFoundError:
                same = False
            if not same:
                stale.append(rel)
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"{len(text.encode('utf-8')):>8} bytes  {rel}")
    if stale:
        print("out of date (run python3 scripts/geo/svg_map.py): " + ", ".join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
