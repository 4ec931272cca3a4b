#!/usr/bin/env python3
"""Builds the map shapes scripts/geo/vn63.json and vn34.json (GeoJSON, the input of svg_map.py) from Natural Earth 10m.

Why this script: the source polygons (scripts/reference/*.geojson, copies of /work/shared/data/geo)
are ~400 KB each with 15-digit coordinates, too heavy for a phone. This script, stdlib only and
deterministic (same input -> byte-identical output), makes them small while keeping the map honest:

1. Drops islets smaller than MIN_ISLAND_DEG2 (keeps Phú Quốc- and Côn Đảo-scale islands).
2. Splits every ring into arcs at junctions (points where the neighbouring rings change), so a
   border shared by two provinces is ONE arc, simplified once (Douglas–Peucker, TOLERANCE_DEG) and
   used by both: neighbours keep matching edges, no gaps or overlaps appear between them.
3. Quantizes to 3 decimals (~110 m) and drops repeated points.
4. Writes properties {code, name}: the two-digit GSO code of that boundary version and the official
   name with diacritics (from the project's province tables, not Natural Earth's spelling).
5. Adds the Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos, which Natural Earth's admin-1
   layer lacks, as small diamonds at the main islands' positions, with {code: "HS"/"TS", name,
   label: true, belongs_to: Đà Nẵng / Khánh Hòa code} so the map labels them.

A correction to the source: Natural Earth assigns the Côn Đảo polygon (8.7°N 106.6°E) to Sóc Trăng;
Côn Đảo was a district of Bà Rịa - Vũng Tàu (63-province map) and is part of Hồ Chí Minh City
since 1 July 2025 (34-province map), so the polygon is moved there.

Usage: python3 scripts/geo/simplify.py   (prints raw sizes; see docs/performance.md for brotli)
"""

import csv
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REF = os.path.join(ROOT, "scripts", "reference")
OUT = os.path.join(ROOT, "scripts", "geo")

TOLERANCE_DEG = 0.002      # Douglas–Peucker tolerance, degrees (~220 m; NE 10m itself is coarser)
MIN_ISLAND_DEG2 = 0.004    # islands below ~45 km² are dropped (Côn Đảo ≈ 0.0048 is kept)
DECIMALS = 3
ISLAND_HALF = 0.035        # half-diagonal of an archipelago diamond, degrees (~4 km)

# Côn Đảo: centroid box, and where it belongs in each version.
CON_DAO_BOX = (106.4, 8.5, 106.8, 8.9)
CON_DAO_OWNER = {"63": "77", "34": "79"}

HOANG_SA = [  # (name, lat, lon)
    ("Phú Lâm", 16.834, 112.339), ("Cây", 16.983, 112.267), ("Linh Côn", 16.669, 112.729),
    ("Hoàng Sa", 16.533, 111.608), ("Quang Hòa", 16.449, 111.706), ("Bom Bay", 16.045, 111.783),
    ("Tri Tôn", 15.783, 111.200),
]
TRUONG_SA = [
    ("Song Tử Tây", 11.429, 114.331), ("Thị Tứ", 11.054, 114.284), ("Loại Ta", 10.682, 114.422),
    ("Ba Bình", 10.377, 114.365), ("Sơn Ca", 10.375, 114.478), ("Nam Yết", 10.181, 114.361),
    ("Sinh Tồn", 9.883, 114.329), ("Phan Vinh", 8.971, 113.693), ("Trường Sa Lớn", 8.645, 111.920),
    ("An Bang", 7.890, 112.915),
]


def read_csv(name):
    with open(os.path.join(REF, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ring_area(r):
    a = 0.0
    for i in range(len(r) - 1):
        a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1]
    return abs(a) / 2


def centroid(r):
    xs = [p[0] for p in r[:-1]]
    ys = [p[1] for p in r[:-1]]
    return sum(xs) / len(xs), sum(ys) / len(ys)


def key(p):
    return (round(p[0], 7), round(p[1], 7))


def polygons_of(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["coordinates"])
    raise ValueError(f"unexpected geometry {geom['type']}")


def perp_dist(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    px, py = x1 + t * dx, y1 + t * dy
    return ((x - px) ** 2 + (y - py) ** 2) ** 0.5


def douglas_peucker(pts, tol):
    """Iterative Douglas–Peucker; endpoints always kept. Works for closed lines (first == last)."""
    n = len(pts)
    if n <= 2:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            d = perp_dist(pts[k], pts[i], pts[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(pts, keep) if k]


def simplify_shapes(shapes, tol):
    """shapes: list of (props, [polygon=[ring=[(x,y),...closed]]]). Returns the same with shared
    arcs simplified identically."""
    # 1. neighbour pairs of every point occurrence
    pairs = {}
    for _, polys in shapes:
        for poly in polys:
            for ring in poly:
                pts = ring[:-1]
                m = len(pts)
                for i, p in enumerate(pts):
                    a, b = key(pts[i - 1]), key(pts[(i + 1) % m])
                    pairs.setdefault(key(p), set()).add(frozenset((a, b)))
    junction = {k for k, s in pairs.items() if len(s) > 1}
    cache = {}

    def simp_arc(arc):
        ks = tuple(key(p) for p in arc)
        rev = ks[::-1]
        if rev < ks:
            canon, flipped = rev, True
        else:
            canon, flipped = ks, False
        if canon not in cache:
            cache[canon] = douglas_peucker(list(canon), tol)
        out = cache[canon]
        return out[::-1] if flipped else out

    result = []
    for props, polys in shapes:
        new_polys = []
        for poly in polys:
            new_rings = []
            for ring in poly:
                pts = [key(p) for p in ring[:-1]]
                js = [i for i, p in enumerate(pts) if p in junction]
                if not js:
                    # island: canonical start at the smallest point, so the result does not depend
                    # on where the source ring happened to start
                    s = pts.index(min(pts))
                    rot = pts[s:] + pts[:s]
                    out = simp_arc(rot + [rot[0]])
                else:
                    s = js[0]
                    rot = pts[s:] + pts[:s]
                    cut = [i for i, p in enumerate(rot) if p in junction] + [len(rot)]
                    rot = rot + [rot[0]]
                    out = []
                    for a, b in zip(cut, cut[1:]):
                        seg = simp_arc(rot[a:b + 1])
                        out.extend(seg if not out else seg[1:])
                q = []
                for x, y in out:
                    p = (round(x, DECIMALS), round(y, DECIMALS))
                    if not q or q[-1] != p:
                        q.append(p)
                if len(q) > 1 and q[0] == q[-1]:
                    q.pop()
                if len(q) >= 3:
                    new_rings.append(q + [q[0]])
                elif not new_rings:
                    break  # the outer ring collapsed: drop the polygon
            if new_rings:
                new_polys.append(new_rings)
        result.append((props, new_polys))
    return result


def diamond(lat, lon, h=ISLAND_HALF):
    pts = [(lon, lat - h), (lon + h, lat), (lon, lat + h), (lon - h, lat), (lon, lat - h)]
    return [[(round(x, DECIMALS), round(y, DECIMALS)) for x, y in pts]]


def fmt(v):
    s = f"{v:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def geometry_json(polys):
    body = ",".join("[" + ",".join("[" + ",".join(f"[{fmt(x)},{fmt(y)}]" for x, y in ring) + "]"
                                   for ring in poly) + "]" for poly in polys)
    return '{"type":"MultiPolygon","coordinates":[' + body + "]}"


def feature_json(props, polys):
    return ('{"type":"Feature","properties":' + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
            + ',"geometry":' + geometry_json(polys) + "}")


def build(version):
    if version == "63":
        src = "vn63_provinces_ne10m.geojson"
        code_of = lambda p: p["old_code"]
        names = {r["old_code"]: r["old_name"] for r in read_csv("regions_provinces_63.csv")}
    else:
        src = "vn34_provinces_dissolved_from_ne10m.geojson"
        code_of = lambda p: p["new_code"]
        names = {r["new_code"]: r["new_name"] for r in read_csv("province_crosswalk_2025.csv")}
    with open(os.path.join(REF, src), encoding="utf-8") as f:
        fc = json.load(f)
    by_code = {}
    con_dao = []
    for feat in fc["features"]:
        code = code_of(feat["properties"])
        assert code in names, f"{src}: unknown code {code}"
        polys = []
        for poly in polygons_of(feat["geometry"]):
            rings = [[(float(x), float(y)) for x, y in ring] for ring in poly]
            a = ring_area(rings[0])
            cx, cy = centroid(rings[0])
            x0, y0, x1, y1 = CON_DAO_BOX
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                con_dao.append(rings)
                continue
            if a < MIN_ISLAND_DEG2:
                continue
            polys.append(rings)
        by_code.setdefault(code, []).extend(polys)
    assert len(con_dao) == 1, f"{src}: expected one Côn Đảo polygon, found {len(con_dao)}"
    by_code[CON_DAO_OWNER[version]].extend(con_dao)
    expected = 63 if version == "63" else 34
    assert len(by_code) == expected, f"{src}: {len(by_code)} provinces, expected {expected}"
    shapes = [({"code": c, "name": names[c]}, by_code[c]) for c in sorted(by_code)]
    shapes = simplify_shapes(shapes, TOLERANCE_DEG)
    for props, polys in shapes:
        assert polys, f"{props['code']} lost all its polygons"
    danang = "48"
    khanhhoa = "56"
    assert names.get(danang) == "Đà Nẵng" and names.get(khanhhoa) == "Khánh Hòa"
    shapes.append(({"code": "HS", "name": "Quần đảo Hoàng Sa (Đà Nẵng)", "label": True, "belongs_to": danang},
                   [diamond(lat, lon) for _, lat, lon in HOANG_SA]))
    shapes.append(({"code": "TS", "name": "Quần đảo Trường Sa (Khánh Hòa)", "label": True, "belongs_to": khanhhoa},
                   [diamond(lat, lon) for _, lat, lon in TRUONG_SA]))
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(feature_json(p, g) for p, g in shapes)
            + "\n]}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for version in ("63", "34"):
        text = build(version)
        path = os.path.join(OUT, f"vn{version}.json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"{len(text.encode('utf-8')):>8} bytes  {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
