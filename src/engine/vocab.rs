//! The closed vocabularies every part of the engine shares: kinds of unit, sectors, the new-rural
//! (NTM) standard of a commune, the service stage, the province boundary version and the UI language.
//!
//! Each value has one short, stable code (used in dataset files, CSV and URLs) and a label in
//! Vietnamese and English. Codes never change once published: links and files depend on them.

use std::fmt;

/// A display language. Vietnamese is the default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The code used in URLs and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses `vi` or `en`.
    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Which set of province codes a dataset or a view uses: the 63 provinces before 1 July 2025,
/// or the 34 after the merger (Nghị quyết 202/2025/QH15).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Boundary {
    /// 63 provinces, codes valid before 1 July 2025.
    #[default]
    P63,
    /// 34 provinces, codes valid from 1 July 2025.
    P34,
}

impl Boundary {
    /// `63` or `34`, as written in files and URLs.
    pub fn number(self) -> u8 {
        match self {
            Boundary::P63 => 63,
            Boundary::P34 => 34,
        }
    }

    /// Parses `63` or `34`.
    pub fn from_number(n: u64) -> Option<Boundary> {
        match n {
            63 => Some(Boundary::P63),
            34 => Some(Boundary::P34),
            _ => None,
        }
    }

    /// The other version.
    pub fn other(self) -> Boundary {
        match self {
            Boundary::P63 => Boundary::P34,
            Boundary::P34 => Boundary::P63,
        }
    }
}

/// Declares a closed vocabulary: an enum with a stable code and vi/en labels per variant.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $vi:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The stable code used in files and URLs.
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// Parses a code (exact, lowercase).
            pub fn from_code(s: &str) -> Option<$name> {
                match s { $( $code => Some($name::$variant), )+ _ => None }
            }

            /// The label in the given language.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( ($name::$variant, Lang::Vi) => $vi, ($name::$variant, Lang::En) => $en, )+
                }
            }

            /// The list of codes, for "expected one of …" messages.
            pub fn codes_list() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }

            /// The dense index of this value (0..ALL.len()), for compact columns.
            pub fn index(self) -> u8 {
                self as u8
            }

            /// The value at a dense index.
            pub fn from_index(i: u8) -> Option<$name> {
                Self::ALL.get(i as usize).copied()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// The kind of unit a record describes. Enterprises and households appear only as OCOP subjects.
    Kind {
        /// Hợp tác xã — cooperative.
        Htx = "htx", "Hợp tác xã", "Cooperative";
        /// Tổ hợp tác — cooperative group.
        Tht = "tht", "Tổ hợp tác", "Cooperative group";
        /// Quỹ tín dụng nhân dân — people's credit fund.
        Qtdnd = "qtdnd", "Quỹ tín dụng nhân dân", "People's credit fund";
        /// Liên hiệp hợp tác xã — union of cooperatives.
        Lhhtx = "lhhtx", "Liên hiệp hợp tác xã", "Union of cooperatives";
        /// Doanh nghiệp — enterprise (as an OCOP subject).
        Dn = "dn", "Doanh nghiệp", "Enterprise";
        /// Cơ sở sản xuất / hộ kinh doanh — household business (as an OCOP subject).
        Hkd = "hkd", "Cơ sở sản xuất, hộ kinh doanh", "Household business";
    }
}

impl Kind {
    /// Whether the kind belongs to the collective economy (HTX, THT, QTDND, union), as opposed to
    /// enterprises and households that appear only as OCOP subjects.
    pub fn is_collective(self) -> bool {
        matches!(self, Kind::Htx | Kind::Tht | Kind::Qtdnd | Kind::Lhhtx)
    }
}

vocabulary! {
    /// Main sector of activity.
    Sector {
        /// Nông, lâm, ngư nghiệp.
        Nn = "nn", "Nông, lâm, ngư nghiệp", "Agriculture, forestry, fishery";
        /// Công nghiệp, tiểu thủ công nghiệp.
        Cn = "cn", "Công nghiệp, tiểu thủ công nghiệp", "Industry and handicraft";
        /// Xây dựng.
        Xd = "xd", "Xây dựng", "Construction";
        /// Thương mại, dịch vụ.
        Tm = "tm", "Thương mại, dịch vụ", "Trade and services";
        /// Vận tải.
        Vt = "vt", "Vận tải", "Transport";
        /// Tín dụng.
        Td = "td", "Tín dụng", "Credit";
        /// Khác.
        Khac = "khac", "Khác", "Other";
    }
}

vocabulary! {
    /// The new-rural (nông thôn mới) standard reached by the commune where the unit is located.
    Ntm {
        /// Not (yet) meeting the standard.
        None = "none", "Chưa đạt chuẩn", "Not met";
        /// Đạt chuẩn nông thôn mới.
        Ntm = "ntm", "Nông thôn mới", "New-rural standard";
        /// Nông thôn mới nâng cao.
        Advanced = "advanced", "Nông thôn mới nâng cao", "Advanced new-rural";
        /// Nông thôn mới kiểu mẫu.
        Model = "model", "Nông thôn mới kiểu mẫu", "Model new-rural";
    }
}

impl Ntm {
    /// Whether the commune meets the standard at any level (NTM, advanced or model).
    pub fn is_met(self) -> bool {
        !matches!(self, Ntm::None)
    }
}

vocabulary! {
    /// Which stage of the chain the unit serves its members in.
    Stage {
        /// Dịch vụ đầu vào — inputs (seed, fertiliser, irrigation…).
        Input = "input", "Đầu vào", "Input services";
        /// Dịch vụ đầu ra — outputs (processing, marketing, sales).
        Output = "output", "Đầu ra", "Output services";
        /// Cả đầu vào và đầu ra.
        Both = "both", "Cả đầu vào và đầu ra", "Both";
    }
}

impl Stage {
    /// Whether the unit works in output services (alone or with inputs).
    pub fn serves_output(self) -> bool {
        matches!(self, Stage::Output | Stage::Both)
    }
}

vocabulary! {
    /// The six socio-economic regions used by the General Statistics Office (GSO).
    Region {
        /// Trung du và miền núi phía Bắc.
        Tdmnpb = "tdmnpb", "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains";
        /// Đồng bằng sông Hồng.
        Dbsh = "dbsh", "Đồng bằng sông Hồng", "Red River Delta";
        /// Bắc Trung Bộ và Duyên hải miền Trung.
        Btb = "btb", "Bắc Trung Bộ và Duyên hải miền Trung", "North Central and Central Coast";
        /// Tây Nguyên.
        Tn = "tn", "Tây Nguyên", "Central Highlands";
        /// Đông Nam Bộ.
        Dnb = "dnb", "Đông Nam Bộ", "Southeast";
        /// Đồng bằng sông Cửu Long.
        Dbscl = "dbscl", "Đồng bằng sông Cửu Long", "Mekong River Delta";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(*k));
            assert_eq!(Kind::from_index(k.index()), Some(*k));
        }
        for s in Sector::ALL {
            assert_eq!(Sector::from_code(s.code()), Some(*s));
        }
        for n in Ntm::ALL {
            assert_eq!(Ntm::from_code(n.code()), Some(*n));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(*s));
        }
        assert_eq!(Kind::from_code("HTX"), None);
        assert_eq!(Boundary::from_number(34), Some(Boundary::P34));
        assert_eq!(Boundary::from_number(35), None);
    }

    #[test]
    fn labels_are_bilingual() {
        assert_eq!(Kind::Htx.label(Lang::Vi), "Hợp tác xã");
        assert_eq!(Kind::Htx.label(Lang::En), "Cooperative");
        assert_eq!(Kind::codes_list(), "htx, tht, qtdnd, lhhtx, dn, hkd");
    }
}
