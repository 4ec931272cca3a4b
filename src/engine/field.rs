//! The entity fields of the dataset format: one list, read by the JSON parser (column keys, what
//! each field expects, the flag bit of a yes/no field) and by the CSV importer (what a column can be
//! mapped to; its labels and header spellings live in `csv_import`).
//!
//! Why one list: a field added to the format must be added once; two lists drifted apart would
//! let a CSV column map to a field the parser does not know, or the other way round.

use super::error::Phrase;
use super::vocab::{Kind, Lang, Ntm, Sector, Stage};

/// An entity field, in the order of docs/dataset-format.md. The discriminant is the field's bit
/// in the parser's "columns seen" mask and its slot in per-column tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`
    Id,
    /// `province`
    Province,
    /// `year`
    Year,
    /// `kind`
    Kind,
    /// `sector`
    Sector,
    /// `members`
    Members,
    /// `workers`
    Workers,
    /// `income`
    Income,
    /// `revenue`
    Revenue,
    /// `high_tech`
    HighTech,
    /// `value_chain`
    ValueChain,
    /// `ntm`
    Ntm,
    /// `ocop_star`
    OcopStar,
    /// `ocop_products`
    OcopProducts,
    /// `ocop_5star`
    Ocop5Star,
    /// `trademark`
    Trademark,
    /// `stage`
    Stage,
    /// `ethnic_area`
    EthnicArea,
}

impl Field {
    /// Every field, in the order of docs/dataset-format.md.
    pub const ALL: &'static [Field] = &[
        Field::Id,
        Field::Province,
        Field::Year,
        Field::Kind,
        Field::Sector,
        Field::Members,
        Field::Workers,
        Field::Income,
        Field::Revenue,
        Field::HighTech,
        Field::ValueChain,
        Field::Ntm,
        Field::OcopStar,
        Field::OcopProducts,
        Field::Ocop5Star,
        Field::Trademark,
        Field::Stage,
        Field::EthnicArea,
    ];

    /// The fields a dataset cannot do without.
    pub const REQUIRED: &'static [Field] = &[Field::Id, Field::Province, Field::Year, Field::Kind];

    /// The key in the JSON format.
    pub fn code(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Province => "province",
            Field::Year => "year",
            Field::Kind => "kind",
            Field::Sector => "sector",
            Field::Members => "members",
            Field::Workers => "workers",
            Field::Income => "income",
            Field::Revenue => "revenue",
            Field::HighTech => "high_tech",
            Field::ValueChain => "value_chain",
            Field::Ntm => "ntm",
            Field::OcopStar => "ocop_star",
            Field::OcopProducts => "ocop_products",
            Field::Ocop5Star => "ocop_5star",
            Field::Trademark => "trademark",
            Field::Stage => "stage",
            Field::EthnicArea => "ethnic_area",
        }
    }

    /// Parses a field code (as written in the JSON format).
    pub fn from_code(s: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.code() == s)
    }

    /// This field's bit in a mask of fields.
    pub fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// What a value of this field must be, for messages, in both languages.
    pub fn expected(self) -> Phrase {
        Phrase::new(self.expected_in(Lang::En), self.expected_in(Lang::Vi))
    }

    /// What a value of this field must be, in `lang`.
    pub fn expected_in(self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
        let one_of = |list: String| if vi { format!("một trong {list}") } else { format!("one of {list}") };
        match self {
            Field::Id => pick("một mã gồm 1–64 ký tự", "a text of 1–64 characters"),
            Field::Province => pick("mã tỉnh hai chữ số, ví dụ \"19\"", "a two-digit GSO province code such as \"19\""),
            Field::Year => pick("một năm từ 1990 đến 2100", "a whole number from 1990 to 2100"),
            // Listed as the user may write them: each code with its name (a CSV accepts either).
            Field::Kind => one_of(named(Kind::ALL, Kind::code, Kind::label, lang)),
            Field::Sector => one_of(named(Sector::ALL, Sector::code, Sector::label, lang)),
            Field::Ntm => one_of(named(Ntm::ALL, Ntm::code, Ntm::label, lang)),
            Field::Stage => one_of(named(Stage::ALL, Stage::code, Stage::label, lang)),
            Field::Members | Field::Workers | Field::OcopProducts | Field::Ocop5Star => pick("một số nguyên từ 0 trở lên", "a whole number ≥ 0"),
            Field::Income | Field::Revenue => pick("một số từ 0 trở lên", "a number ≥ 0"),
            Field::OcopStar => pick("số sao từ 0 đến 5", "a whole number from 0 to 5"),
            // As a Vietnamese register writes it first; the format's words are accepted too.
            Field::HighTech | Field::ValueChain | Field::Trademark | Field::EthnicArea => pick("có hoặc không (cũng nhận 1 và 0)", "true, false, 1 or 0"),
        }
    }

    /// The bit of a yes/no field in the entity flags byte (`columns::flag`).
    pub fn flag_bit(self) -> Option<u8> {
        use super::columns::flag;
        match self {
            Field::HighTech => Some(flag::HIGH_TECH),
            Field::ValueChain => Some(flag::VALUE_CHAIN),
            Field::Trademark => Some(flag::TRADEMARK),
            Field::EthnicArea => Some(flag::ETHNIC_AREA),
            _ => None,
        }
    }
}

/// A vocabulary listed code by code with its name in `lang`: `htx (Hợp tác xã), tht (Tổ hợp tác), …`.
fn named<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T, Lang) -> &'static str, lang: Lang) -> String {
    all.iter().map(|&v| format!("{} ({})", code(v), label(v, lang))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_bits_are_distinct() {
        let mut mask = 0u32;
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i, "ALL is in discriminant order");
            assert_eq!(Field::from_code(f.code()), Some(*f));
            assert_eq!(mask & f.bit(), 0);
            mask |= f.bit();
            assert!(!f.expected().en.is_empty());
            assert_eq!(f.expected().en, f.expected_in(Lang::En));
            assert_ne!(f.expected().vi, f.expected().en, "{f:?} has no Vietnamese text");
        }
        assert_eq!(Field::from_code("Id"), None);
        assert_eq!(Field::ALL.iter().filter(|f| f.flag_bit().is_some()).count(), 4);
    }
}
