//! Records whose fields merge one by one (last writer wins per field).
//!
//! [`lww_record!`] declares a plain struct together with an enum that has one
//! variant per field. Events carry only the fields a person changed, so two
//! people editing different fields of the same record offline both keep their
//! edit; the fold in [`crate::events`] keeps the newest write of each field.

/// Declares a record and its per-field change enum.
///
/// `pub struct Name / NameField / "prefix" { "doc" #[attr] Variant => field: Type, … }`
/// (field attributes such as `#[serde(default)]` are optional)
/// generates the struct, the enum, `key()` (e.g. `survivor.sex`), `apply`,
/// `fields` (every field, for a new record) and `changed_fields` (a diff).
/// Fields may only be appended: events refer to them by position.
#[macro_export]
macro_rules! lww_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $field_enum:ident / $prefix:literal {
            $( $doc:literal $(#[$field_meta:meta])* $variant:ident => $field:ident : $ty:ty ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( #[doc = $doc] $(#[$field_meta])* pub $field: $ty, )+
        }

        #[doc = concat!("One field of [`", stringify!($name), "`], as an event carries it.")]
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $field_enum {
            $( #[doc = $doc] $variant($ty), )+
        }

        impl $field_enum {
            /// The register this field merges in, e.g. `survivor.sex`.
            pub fn key(&self) -> &'static str {
                match self {
                    $( Self::$variant(_) => concat!($prefix, ".", stringify!($field)), )+
                }
            }
        }

        impl $name {
            /// Sets the field that `change` carries.
            pub fn apply(&mut self, change: $field_enum) {
                match change {
                    $( $field_enum::$variant(value) => self.$field = value, )+
                }
            }

            /// Every field, as the changes that create this record.
            pub fn fields(&self) -> Vec<$field_enum> {
                vec![ $( $field_enum::$variant(self.$field.clone()), )+ ]
            }

            /// The fields of `new` that differ from `self`.
            pub fn changed_fields(&self, new: &Self) -> Vec<$field_enum> {
                let mut changed = Vec::new();
                $(
                    if self.$field != new.$field {
                        changed.push($field_enum::$variant(new.$field.clone()));
                    }
                )+
                changed
            }
        }
    };
}
