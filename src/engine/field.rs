//! The entity fields of the dataset format: one list, read by the JSON parser (column keys, what
//! each field expects, the flag bit of a yes/no field) and by the CSV importer (what a column can be
//! mapped to; its labels and header spellings live in `csv_import`).
//!
//! Why one list: a field added to the format must be added once; two lists drifted apart would
//! let a CSV column map to a field the parser does not know, or the other way round.

use super::vocab::{Kind, Ntm, Sector, Stage};

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

    /// What a value of this field must be, for messages.
    pub fn expected(self) -> String {
        match self {
            Field::Id => "a text of 1–64 characters".into(),
            Field::Province => "a two-digit GSO province code such as \"19\"".into(),
            Field::Year => "a whole number from 1990 to 2100".into(),
            Field::Kind => format!("one of {}", Kind::codes_list()),
            Field::Sector => format!("one of {}", Sector::codes_list()),
            Field::Ntm => format!("one of {}", Ntm::codes_list()),
            Field::Stage => format!("one of {}", Stage::codes_list()),
            Field::Members | Field::Workers | Field::OcopProducts | Field::Ocop5Star => {
                "a whole number ≥ 0".into()
            }
            Field::Income | Field::Revenue => "a number ≥ 0".into(),
            Field::OcopStar => "a whole number from 0 to 5".into(),
            Field::HighTech | Field::ValueChain | Field::Trademark | Field::EthnicArea => {
                "true, false, 1 or 0".into()
            }
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
            assert!(!f.expected().is_empty());
        }
        assert_eq!(Field::from_code("Id"), None);
        assert_eq!(Field::ALL.iter().filter(|f| f.flag_bit().is_some()).count(), 4);
    }
}
