//! Enumerations with stable codes and Vietnamese and English labels.
//!
//! Every enumeration the apps show is declared with [`coded_enum!`], so each
//! value has a code that never changes (used in JSON, exports and reports) and
//! a label in both languages; the apps hard-code none of them.

use serde::Serialize;

/// A language the interface is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt (first).
    Vi,
    /// English.
    En,
}

/// A value of a coded enumeration.
pub trait Coded: Sized + Copy + 'static {
    /// Name of the enumeration, e.g. `violence_type`.
    const NAME: &'static str;
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The stable code, e.g. `physical_assault`.
    fn code(&self) -> &'static str;
    /// The Vietnamese label.
    fn label_vi(&self) -> &'static str;
    /// The English label.
    fn label_en(&self) -> &'static str;

    /// The label in `lang`.
    fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.label_vi(),
            Lang::En => self.label_en(),
        }
    }

    /// The value with this code, if any.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// One value of an enumeration with its labels, for the apps' pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Label {
    /// Stable code.
    pub code: String,
    /// Vietnamese label.
    pub vi: String,
    /// English label.
    pub en: String,
}

/// An enumeration and all its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Enumeration {
    /// Name of the enumeration, e.g. `service_type`.
    pub name: String,
    /// Its values in display order.
    pub values: Vec<Label>,
}

impl Enumeration {
    /// The labels of every value of `T`.
    pub fn of<T: Coded>() -> Self {
        Self {
            name: T::NAME.to_string(),
            values: T::ALL
                .iter()
                .map(|v| Label {
                    code: v.code().to_string(),
                    vi: v.label_vi().to_string(),
                    en: v.label_en().to_string(),
                })
                .collect(),
        }
    }
}

/// Declares a coded enumeration.
///
/// Each variant is written `Variant = ("code", "nhãn tiếng Việt", "English label")`.
/// The first variant is the `Default`. Variants may only be appended: the
/// binary event encoding refers to them by position.
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $enum_name:literal {
            $first_doc:literal $first:ident = ($first_code:literal, $first_vi:literal, $first_en:literal),
            $( $doc:literal $variant:ident = ($code:literal, $vi:literal, $en:literal) ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        $vis enum $name {
            #[doc = $first_doc]
            #[default]
            #[serde(rename = $first_code)]
            $first,
            $(
                #[doc = $doc]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl $crate::model::Coded for $name {
            const NAME: &'static str = $enum_name;
            const ALL: &'static [Self] = &[Self::$first, $(Self::$variant),*];
            fn code(&self) -> &'static str {
                match self { Self::$first => $first_code, $(Self::$variant => $code),* }
            }
            fn label_vi(&self) -> &'static str {
                match self { Self::$first => $first_vi, $(Self::$variant => $vi),* }
            }
            fn label_en(&self) -> &'static str {
                match self { Self::$first => $first_en, $(Self::$variant => $en),* }
            }
        }

        // The code and labels as methods of the Kotlin and Swift enums.
        #[cfg(feature = "uniffi")]
        #[uniffi::export]
        impl $name {
            /// The stable code, e.g. `physical_assault`.
            #[uniffi::method(name = "code")]
            pub fn uniffi_code(&self) -> String {
                $crate::model::Coded::code(self).to_string()
            }
            /// The label in `lang`.
            #[uniffi::method(name = "label")]
            pub fn uniffi_label(&self, lang: $crate::model::Lang) -> String {
                $crate::model::Coded::label(self, lang).to_string()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::all_enumerations;
    use std::collections::HashSet;

    #[test]
    fn every_enumeration_has_unique_codes_and_both_labels() {
        let all = all_enumerations();
        let names: HashSet<_> = all.iter().map(|e| e.name.clone()).collect();
        assert_eq!(names.len(), all.len(), "enumeration names are unique");
        for e in &all {
            let codes: HashSet<_> = e.values.iter().map(|v| v.code.clone()).collect();
            assert_eq!(codes.len(), e.values.len(), "{} codes are unique", e.name);
            for v in &e.values {
                assert!(
                    v.code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{}: code {:?} is snake_case ascii",
                    e.name,
                    v.code
                );
                assert!(
                    !v.vi.is_empty() && !v.en.is_empty(),
                    "{}.{} has labels",
                    e.name,
                    v.code
                );
            }
        }
    }

    #[test]
    fn codes_round_trip_through_json() {
        use crate::model::ViolenceType;
        for v in ViolenceType::ALL {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.code()));
            assert_eq!(ViolenceType::from_code(v.code()), Some(*v));
        }
        assert_eq!(
            ViolenceType::PhysicalAssault.label(Lang::Vi),
            "bạo lực thể chất"
        );
    }
}
