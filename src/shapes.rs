//! The province shapes of the map: SVG path strings projected at build time
//! (`scripts/geo/svg_map.py` writes `public/geo/vn63-svg.tsv` and `vn34-svg.tsv`), and what is
//! computed from them without a browser: the box the map zooms to, the province an arrow key moves
//! to, and the standalone SVG file of a downloaded map.
//!
//! Why paths made at build time: the browser only puts each `d` string into a `<path>` and sets
//! its fill (`ui::svg_map`); no GeoJSON is parsed, no projection runs and no chart library is
//! needed before the map shows. Why plain text (a line per area, tab-separated) and not JSON: it is
//! read by the few lines of [`Shapes::parse`], so the first view's wasm needs no JSON deserializer
//! for it. Pure and tested natively, like `dashboard`.

use std::fmt;

use crate::dashboard::{MapView, ISLAND_COLOR};
use crate::engine::markup::escape;

/// Outline of the selected provinces (as the map drew it before: a red border).
pub const SELECTED_STROKE: &str = "#d62828";

/// One boundary version's shapes, in the generator's box (`width` × `height` units, y down).
#[derive(Clone, Debug, PartialEq)]
pub struct Shapes {
    /// Width of the box (768).
    pub width: i32,
    /// Height of the box (1000).
    pub height: i32,
    /// Every province, then the archipelagos.
    pub areas: Vec<Shape>,
}

/// One province's (or archipelago's) shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Two-digit GSO code of the boundary version, or `HS` / `TS`.
    pub code: String,
    /// The SVG path (`M x y l dx dy … z`, integer units).
    pub d: String,
    /// Bounding box `[x0, y0, x1, y1]`.
    pub bbox: [i32; 4],
    /// For a province, a point well inside it (where its tooltip points); for an archipelago, the
    /// centre of its label's baseline.
    pub anchor: [i32; 2],
    /// An archipelago: labelled, no figures of its own.
    pub label: bool,
}

/// `n` whole numbers separated by spaces, or `None`.
fn ints<const N: usize>(field: &str) -> Option<[i32; N]> {
    let mut out = [0; N];
    let mut parts = field.split(' ');
    for slot in &mut out {
        *slot = parts.next()?.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// An SVG `viewBox`, in the shapes' units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewBox {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl fmt::Display for ViewBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} {}", self.x, self.y, self.w, self.h)
    }
}

impl ViewBox {
    /// Whether `bbox` (`[x0, y0, x1, y1]`) lies inside.
    pub fn contains(&self, bbox: [i32; 4]) -> bool {
        bbox[0] >= self.x && bbox[1] >= self.y && bbox[2] <= self.x + self.w && bbox[3] <= self.y + self.h
    }
}

/// An arrow key's direction, for moving between provinces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

impl Direction {
    /// The direction of a `KeyboardEvent.key` (`ArrowLeft` …), if it is an arrow.
    pub fn from_key(key: &str) -> Option<Direction> {
        match key {
            "ArrowLeft" => Some(Direction::Left),
            "ArrowRight" => Some(Direction::Right),
            "ArrowUp" => Some(Direction::Up),
            "ArrowDown" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// Margin around the zoomed provinces, as a share of the larger side of their box.
const ZOOM_MARGIN: f64 = 0.15;
/// Smallest margin, units (a small province still shows its neighbours).
const ZOOM_MARGIN_MIN: f64 = 24.0;
/// Smallest zoomed width, units: about a fifth of the country's, so one small province does not
/// fill the screen without context.
const ZOOM_MIN_WIDTH: f64 = 160.0;

impl Shapes {
    /// Reads a shape file (the format is in scripts/geo/svg_map.py). Errors name the line.
    pub fn parse(text: &str) -> Result<Shapes, String> {
        let mut lines = text.lines();
        let [width, height] = lines
            .next()
            .and_then(|h| h.strip_prefix("svg-map "))
            .and_then(ints::<2>)
            .filter(|[w, h]| *w > 0 && *h > 0)
            .ok_or("map shapes, line 1: not \"svg-map <width> <height>\"")?;
        let mut areas = Vec::new();
        for (i, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
            let bad = |what: &str| format!("map shapes, line {}: {what}", i + 2);
            let f: Vec<&str> = line.split('\t').collect();
            let [code, bbox, anchor, flag, d] = f[..] else { return Err(bad("not 5 tab-separated fields")) };
            let bbox = ints::<4>(bbox).filter(|b| b[0] <= b[2] && b[1] <= b[3]).ok_or_else(|| bad("no box x0 y0 x1 y1"))?;
            let anchor = ints::<2>(anchor).ok_or_else(|| bad("no anchor x y"))?;
            if code.is_empty() || !d.starts_with('M') || !matches!(flag, "" | "label") {
                return Err(bad("no code, no path or an unknown flag"));
            }
            areas.push(Shape { code: code.to_string(), d: d.to_string(), bbox, anchor, label: flag == "label" });
        }
        Ok(Shapes { width, height, areas })
    }

    /// The shape of `code`.
    pub fn shape(&self, code: &str) -> Option<&Shape> {
        self.areas.iter().find(|a| a.code == code)
    }

    /// The whole box: every province and both archipelagos.
    pub fn whole(&self) -> ViewBox {
        ViewBox { x: 0, y: 0, w: self.width, h: self.height }
    }

    /// The view box showing the provinces `codes` (unknown codes ignored) with a margin, in the
    /// whole box's proportions (so the map keeps its size on screen when it zooms), kept inside the
    /// whole box; the whole box when `codes` names none.
    pub fn zoom(&self, codes: &[String]) -> ViewBox {
        let boxes: Vec<[i32; 4]> = codes.iter().filter_map(|c| self.shape(c)).map(|s| s.bbox).collect();
        let Some(first) = boxes.first() else { return self.whole() };
        let mut b = *first;
        for o in &boxes[1..] {
            b = [b[0].min(o[0]), b[1].min(o[1]), b[2].max(o[2]), b[3].max(o[3])];
        }
        let (bw, bh) = (f64::from(b[2] - b[0]), f64::from(b[3] - b[1]));
        let margin = (bw.max(bh) * ZOOM_MARGIN).max(ZOOM_MARGIN_MIN);
        let ratio = f64::from(self.width) / f64::from(self.height);
        let mut w = (bw + 2.0 * margin).max(ZOOM_MIN_WIDTH);
        let mut h = bh + 2.0 * margin;
        if w / h < ratio {
            w = h * ratio;
        } else {
            h = w / ratio;
        }
        if w >= f64::from(self.width) || h >= f64::from(self.height) {
            return self.whole();
        }
        let cx = f64::from(b[0] + b[2]) / 2.0;
        let cy = f64::from(b[1] + b[3]) / 2.0;
        let x = (cx - w / 2.0).clamp(0.0, f64::from(self.width) - w);
        let y = (cy - h / 2.0).clamp(0.0, f64::from(self.height) - h);
        // Outward to whole units: the provinces' boxes stay inside.
        let x0 = x.floor() as i32;
        let y0 = y.floor() as i32;
        ViewBox { x: x0, y: y0, w: (x + w).ceil() as i32 - x0, h: (y + h).ceil() as i32 - y0 }
    }

    /// The province an arrow key moves to from `from`: the nearest one whose anchor lies that way
    /// (within 60° either side of the direction), nearness counting sideways distance double so
    /// the move goes straight rather than diagonal. `None` at the edge of the country.
    pub fn neighbour(&self, from: &str, dir: Direction) -> Option<&str> {
        let origin = self.shape(from)?.anchor;
        let mut best: Option<(&str, i64)> = None;
        for s in self.areas.iter().filter(|s| !s.label && s.code != from) {
            let dx = i64::from(s.anchor[0] - origin[0]);
            let dy = i64::from(s.anchor[1] - origin[1]);
            let (along, across) = match dir {
                Direction::Left => (-dx, dy.abs()),
                Direction::Right => (dx, dy.abs()),
                Direction::Up => (-dy, dx.abs()),
                Direction::Down => (dy, dx.abs()),
            };
            // tan 60° ≈ 1.73: across ≤ 1.73 × along, in integers.
            if along <= 0 || across * 100 > along * 173 {
                continue;
            }
            let score = along + 2 * across;
            if best.is_none_or(|(_, b)| score < b) {
                best = Some((&s.code, score));
            }
        }
        best.map(|(c, _)| c)
    }

    /// The map as a standalone SVG file, as on screen (`view`: its zoom): the title above, the
    /// provinces with their fills and the selection outlined, the archipelagos labelled, the
    /// legend and the source (with the illustrative-data label when it applies) below — so a
    /// downloaded map still says what it shows and where its figures come from.
    pub fn document(&self, map: &MapView, view: ViewBox) -> String {
        const PAD: i32 = 16;
        const TITLE_H: i32 = 44;
        const ROW_H: i32 = 22;
        const FOOT_H: i32 = 16;
        let map_w = self.width;
        let map_h = self.height;
        let doc_w = map_w + 2 * PAD;
        // Legend rows: entries placed left to right, wrapped at the map's width (text measured at
        // ~7 units a character of 12-unit type).
        let mut legend = Vec::new();
        let (mut lx, mut ly) = (0, 0);
        for e in &map.legend {
            let w = 24 + 7 * e.text.chars().count() as i32 + 16;
            if lx > 0 && lx + w > map_w {
                lx = 0;
                ly += ROW_H;
            }
            legend.push((lx, ly, e));
            lx += w;
        }
        let legend_top = TITLE_H + map_h + 12;
        let foot_top = legend_top + ly + ROW_H + 12;
        let doc_h = foot_top + FOOT_H * map.foot.len() as i32 + PAD;
        // Text and strokes keep their size on screen whatever the zoom.
        let k = f64::from(view.w) / f64::from(map_w);
        let mut s = String::with_capacity(40_000);
        s.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{doc_w}\" height=\"{doc_h}\" viewBox=\"0 0 {doc_w} {doc_h}\" font-family=\"system-ui, sans-serif\">"
        ));
        s.push_str(&format!("<title>{}</title>", escape(&map.title)));
        s.push_str(&format!("<rect width=\"{doc_w}\" height=\"{doc_h}\" fill=\"#ffffff\"/>"));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"30\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"600\" fill=\"#1d2a26\">{}</text>",
            doc_w / 2,
            escape(&map.title)
        ));
        s.push_str(&format!("<svg x=\"{PAD}\" y=\"{TITLE_H}\" width=\"{map_w}\" height=\"{map_h}\" viewBox=\"{view}\">"));
        for a in &map.areas {
            if let Some(shape) = self.shape(&a.code) {
                s.push_str(&format!(
                    "<path d=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"{}\"><title>{}</title></path>",
                    shape.d,
                    a.fill,
                    num(0.6 * k),
                    escape(&a.label())
                ));
            }
        }
        for a in map.areas.iter().filter(|a| a.selected) {
            if let Some(shape) = self.shape(&a.code) {
                s.push_str(&format!(
                    "<path d=\"{}\" fill=\"none\" stroke=\"{SELECTED_STROKE}\" stroke-width=\"{}\"/>",
                    shape.d,
                    num(2.5 * k)
                ));
            }
        }
        for l in &map.labels {
            if let Some(shape) = self.shape(&l.code) {
                s.push_str(&format!(
                    "<path d=\"{}\" fill=\"{ISLAND_COLOR}\" stroke=\"{ISLAND_COLOR}\" stroke-width=\"{}\"><title>{}</title></path>",
                    shape.d,
                    num(4.0 * k),
                    escape(&l.tooltip)
                ));
                s.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"#1d2a26\">{}</text>",
                    shape.anchor[0],
                    shape.anchor[1],
                    num(22.0 * k),
                    escape(&l.text)
                ));
            }
        }
        s.push_str("</svg>");
        for (x, y, e) in legend {
            let (x, y) = (PAD + x, legend_top + y);
            s.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"16\" height=\"16\" fill=\"{}\" stroke=\"#7d8b87\" stroke-width=\"0.5\"/>",
                e.color
            ));
            s.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1d2a26\">{}</text>",
                x + 22,
                y + 13,
                escape(&e.text)
            ));
        }
        for (i, line) in map.foot.iter().enumerate() {
            s.push_str(&format!(
                "<text x=\"{PAD}\" y=\"{}\" font-size=\"11\" fill=\"#4d5f59\">{}</text>",
                foot_top + 12 + FOOT_H * i as i32,
                escape(line)
            ));
        }
        s.push_str("</svg>");
        s
    }
}

/// A stroke width or font size: two decimals at most, no trailing zeros (with the engine's decimal
/// printing, not `format!("{:.2}")`, which would link the standard library's into the wasm).
fn num(x: f64) -> String {
    let s = crate::engine::format::plain(x, 2);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}


#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> Shapes {
        let path = format!("{}/public/geo/{name}", env!("CARGO_MANIFEST_DIR"));
        Shapes::parse(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_refuses_broken_files_with_their_place() {
        assert!(Shapes::parse("{").unwrap_err().contains("line 1"));
        assert!(Shapes::parse("svg-map 0 10\n").unwrap_err().contains("line 1"));
        assert!(Shapes::parse("svg-map 10 10 3\n").unwrap_err().contains("line 1"));
        let good = "svg-map 10 10\n01\t0 0 1 1\t0 0\t\tM0 0l1 1z\nHS\t2 2 3 3\t2 1\tlabel\tM2 2l1 1z\n";
        let s = Shapes::parse(good).unwrap();
        assert_eq!((s.width, s.height, s.areas.len()), (10, 10, 2));
        assert_eq!(s.areas[1], Shape { code: "HS".into(), d: "M2 2l1 1z".into(), bbox: [2, 2, 3, 3], anchor: [2, 1], label: true });
        let inverted = "svg-map 10 10\n01\t5 0 1 1\t0 0\t\tM0 0l1 1z\n";
        assert!(Shapes::parse(inverted).unwrap_err().contains("line 2: no box"));
        let no_path = "svg-map 10 10\n01\t0 0 1 1\t0 0\t\t\n";
        assert!(Shapes::parse(no_path).unwrap_err().contains("line 2"));
        let short = "svg-map 10 10\n01\t0 0 1 1\t0 0\n";
        assert!(Shapes::parse(short).unwrap_err().contains("line 2: not 5"));
        let flag = "svg-map 10 10\n01\t0 0 1 1\t0 0\tbold\tM0 0z\n";
        assert!(Shapes::parse(flag).unwrap_err().contains("flag"));
    }

    #[test]
    fn zoom_holds_the_chosen_provinces_in_the_country_s_proportions() {
        let s = file("vn63-svg.tsv");
        assert_eq!(s.zoom(&[]), s.whole());
        assert_eq!(s.zoom(&codes(&["zz"])), s.whole());
        for pick in [&["19"][..], &["01", "79"], &["02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22", "24", "25"]] {
            let v = s.zoom(&codes(pick));
            for c in pick {
                assert!(v.contains(s.shape(c).unwrap().bbox), "{pick:?}: {v} lacks {c}");
            }
            assert!(v.x >= 0 && v.y >= 0 && v.x + v.w <= s.width && v.y + v.h <= s.height, "{v}");
            // The whole box's proportions (within rounding), so the map keeps its size on screen.
            let r = f64::from(v.w) / f64::from(v.h);
            assert!((r - 0.768).abs() < 0.01, "{pick:?}: {v} ratio {r}");
        }
        // One province: much smaller than the country, yet at least ZOOM_MIN_WIDTH wide.
        let one = s.zoom(&codes(&["19"]));
        assert!(one.w < s.width / 2 && one.w >= ZOOM_MIN_WIDTH as i32, "{one}");
        // Hà Nội and Hồ Chí Minh City span most of the country, the box too.
        let far = s.zoom(&codes(&["01", "79"]));
        assert!(far.h > s.height * 4 / 5 && far.h <= s.height, "{far}");
    }

    #[test]
    fn arrows_move_to_the_province_that_way() {
        let s = file("vn63-svg.tsv");
        // Hà Nội (01): Hồ Chí Minh City is far south, Lạng Sơn (20) north-east, Hòa Bình (17) south-west.
        let down = s.neighbour("01", Direction::Down).unwrap();
        let up = s.neighbour("01", Direction::Up).unwrap();
        let (a01, ad, au) = (s.shape("01").unwrap().anchor, s.shape(down).unwrap().anchor, s.shape(up).unwrap().anchor);
        assert!(ad[1] > a01[1] && au[1] < a01[1], "{down} {up}");
        assert!(s.neighbour(down, Direction::Up).is_some());
        // Cà Mau (96) is the southern tip: nothing below it; archipelagos are never a stop.
        assert_eq!(s.neighbour("96", Direction::Down), None);
        for c in ["01", "19", "48", "79"] {
            for d in [Direction::Left, Direction::Right, Direction::Up, Direction::Down] {
                assert!(!matches!(s.neighbour(c, d), Some("HS" | "TS")));
            }
        }
        assert_eq!(Direction::from_key("ArrowLeft"), Some(Direction::Left));
        assert_eq!(Direction::from_key("Enter"), None);
    }

    #[test]
    fn every_province_has_a_shape_its_anchor_inside_its_box() {
        use crate::engine::provinces::registry;
        use crate::engine::vocab::Boundary;
        for (name, b) in [("vn63-svg.tsv", Boundary::P63), ("vn34-svg.tsv", Boundary::P34)] {
            let s = file(name);
            assert_eq!((s.width, s.height), (768, 1000));
            for p in registry().provinces(b) {
                let shape = s.shape(p.code).unwrap_or_else(|| panic!("{name}: no {}", p.code));
                let [x0, y0, x1, y1] = shape.bbox;
                let [ax, ay] = shape.anchor;
                assert!(x0 <= ax && ax <= x1 && y0 <= ay && ay <= y1, "{name} {}", p.code);
                assert!(x0 >= 0 && y0 >= 0 && x1 <= s.width && y1 <= s.height, "{name} {}", p.code);
            }
            for c in ["HS", "TS"] {
                let shape = s.shape(c).unwrap();
                assert!(shape.label, "{name} {c}");
                // The label sits above the islands and inside the box.
                assert!(shape.anchor[1] < shape.bbox[1] && shape.anchor[1] > 12, "{name} {c}");
            }
            assert_eq!(s.areas.len(), registry().provinces(b).len() + 2, "{name}");
        }
    }

    #[test]
    fn a_downloaded_map_carries_every_province_its_title_legend_and_source() {
        use crate::dashboard::map_view;
        use crate::engine::parse::{parse_dataset, Limits};
        use crate::engine::url_state::ViewState;
        use crate::engine::vocab::{Boundary, Lang};
        let bytes = std::fs::read(format!("{}/public/data/dtts-mn/2024.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let ds = parse_dataset(&bytes, &Limits::default()).unwrap().dataset;
        for (b, name, lang) in [(Boundary::P63, "vn63-svg.tsv", Lang::Vi), (Boundary::P34, "vn34-svg.tsv", Lang::En)] {
            let s = file(name);
            let v = ViewState { boundary: b, lang, provinces: vec!["19".into()], ..ViewState::default() };
            let m = map_view(&ds, &v, lang);
            let doc = s.document(&m, s.zoom(&m.focus));
            assert!(doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && doc.ends_with("</svg>"));
            // Every province once with its fill and its name and value; the selection outlined once.
            for a in &m.areas {
                let d = &s.shape(&a.code).unwrap().d;
                assert!(doc.contains(&format!("<path d=\"{d}\" fill=\"{}\"", a.fill)), "{name} {}", a.code);
                assert!(doc.contains(&format!("<title>{}</title>", escape(&a.label()))), "{name} {}", a.code);
            }
            assert_eq!(doc.matches(&format!("stroke=\"{SELECTED_STROKE}\"")).count(), 1, "{name}");
            for l in &m.labels {
                assert!(doc.contains(&format!(">{}</text>", escape(&l.text))), "{name} {}", l.text);
            }
            assert!(doc.contains(&format!(">{}</text>", escape(&m.title))));
            for e in &m.legend {
                assert!(doc.contains(&format!("fill=\"{}\" stroke=\"#7d8b87\"", e.color)) && doc.contains(&escape(&e.text)), "{name}");
            }
            for line in &m.foot {
                assert!(doc.contains(&format!(">{}</text>", escape(line))), "{name}: {line}");
            }
            assert!(doc.contains(&format!("viewBox=\"{}\"", s.zoom(&m.focus))));
        }
        // Dataset text stays text.
    }
}
