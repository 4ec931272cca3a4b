//! The catalogue of bundled datasets (`public/data/catalog.json`): which datasets ship with the app,
//! and which file holds which year, so the first view fetches only the latest year and earlier
//! years are fetched when a view needs them.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::engine::vocab::Lang;

/// `catalog.json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Catalog {
    /// Bundled datasets; the first is the default view's.
    pub datasets: Vec<CatalogEntry>,
}

/// One bundled dataset.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CatalogEntry {
    /// The dataset id (`meta.id` of its files).
    pub id: String,
    /// Title, for the dataset switcher before the file is fetched.
    pub title: CatalogText,
    /// Generated data (labelled as such everywhere).
    #[serde(default)]
    pub illustrative: bool,
    /// 63 or 34.
    #[serde(default)]
    pub boundary: u8,
    /// The years the dataset has.
    #[serde(default)]
    pub years: Vec<u16>,
    /// Year (as a string) or `"all"` → file path relative to the app root.
    pub files: BTreeMap<String, String>,
}

/// A vi/en text in the catalogue.
#[derive(Clone, Debug, Deserialize, PartialEq, Default)]
pub struct CatalogText {
    /// Vietnamese.
    #[serde(default)]
    pub vi: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl CatalogText {
    /// The text in `lang`, Vietnamese when English is missing.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.vi,
        }
    }
}

/// Which file to fetch for which year: the plan for loading one dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePlan {
    /// `(year, path)`, latest year first; `year` is `None` for a single file holding every year.
    pub files: Vec<(Option<u16>, String)>,
}

impl Catalog {
    /// Parses `catalog.json`; the error says what is wrong in it.
    pub fn parse(bytes: &[u8]) -> Result<Catalog, String> {
        let c: Catalog = serde_json::from_slice(bytes).map_err(|e| format!("catalog.json: {e}"))?;
        if c.datasets.is_empty() {
            return Err("catalog.json: no dataset listed".to_string());
        }
        Ok(c)
    }

    /// The entry of a dataset id.
    pub fn get(&self, id: &str) -> Option<&CatalogEntry> {
        self.datasets.iter().find(|d| d.id == id)
    }
}

/// The packed form (`engine::wire`) of a bundled file, which the page fetches instead of the
/// published JSON: `data/dtts-mn/2024.json` → `data/dtts-mn/2024.pack`. The build writes it next to
/// the JSON with `coop-atlas pack` after every check has passed (scripts/build.sh), so the page
/// decodes columns instead of parsing and checking JSON, and carries no JSON dataset parser.
/// The catalogue keeps naming the JSON: it is the published format, the one publishers and the
/// command line read.
pub fn packed_path(json_path: &str) -> String {
    match json_path.strip_suffix(".json") {
        Some(stem) => format!("{stem}.pack"),
        None => format!("{json_path}.pack"),
    }
}

impl CatalogEntry {
    /// The files to fetch, latest year first (the first view needs only the first one).
    pub fn plan(&self) -> FilePlan {
        if let Some(all) = self.files.get("all") {
            return FilePlan { files: vec![(None, all.clone())] };
        }
        let mut files: Vec<(Option<u16>, String)> = self
            .files
            .iter()
            .filter_map(|(k, v)| k.parse::<u16>().ok().map(|y| (Some(y), v.clone())))
            .collect();
        crate::engine::order::sort_by(&mut files, |a, b| b.0.cmp(&a.0));
        FilePlan { files }
    }

    /// The latest year the dataset has.
    pub fn latest_year(&self) -> Option<u16> {
        self.years.iter().copied().max().or_else(|| self.plan().files.first().and_then(|f| f.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"datasets":[
        {"id":"a","title":{"vi":"A","en":""},"illustrative":true,"boundary":63,"years":[2019,2020],
         "files":{"2019":"data/a/2019.json","2020":"data/a/2020.json"}},
        {"id":"b","title":{"vi":"B","en":"Bee"},"files":{"all":"data/b.json"}}]}"#;

    #[test]
    fn plans_latest_year_first() {
        let c = Catalog::parse(SAMPLE.as_bytes()).unwrap();
        let a = c.get("a").unwrap();
        assert_eq!(a.plan().files, vec![(Some(2020), "data/a/2020.json".into()), (Some(2019), "data/a/2019.json".into())]);
        assert_eq!(a.latest_year(), Some(2020));
        assert_eq!(a.title.get(Lang::En), "A");
        let b = c.get("b").unwrap();
        assert_eq!(b.plan().files, vec![(None, "data/b.json".into())]);
        assert_eq!(b.title.get(Lang::En), "Bee");
        assert!(c.get("zzz").is_none());
    }

    #[test]
    fn packed_files_sit_next_to_their_json() {
        assert_eq!(packed_path("data/dtts-mn/2024.json"), "data/dtts-mn/2024.pack");
        assert_eq!(packed_path("data/x"), "data/x.pack");
    }

    #[test]
    fn bad_catalogs_are_errors() {
        assert!(Catalog::parse(b"").unwrap_err().starts_with("catalog.json"));
        assert!(Catalog::parse(br#"{"datasets":[]}"#).unwrap_err().contains("no dataset"));
        assert!(Catalog::parse(br#"{"datasets":[{"id":1}]}"#).is_err());
    }
}
