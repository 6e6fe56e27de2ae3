//! The labels the apps show, so they hard-code none: every enumeration's
//! codes with Vietnamese and English labels, and the communes of Lai Châu.
//! (Each enumeration value also has `code()` and `label(lang)` methods.)

use binhan_core::model::{self, Enumeration};

/// Every enumeration the apps show (the case model's and the shelters'),
/// each value with its stable code and its Vietnamese and English labels, in
/// display order.
#[uniffi::export]
pub fn all_enumerations() -> Vec<Enumeration> {
    let mut all = model::all_enumerations();
    all.extend(binhan_core::shelters::enumerations());
    all
}

/// A commune or ward of Lai Châu.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Commune {
    /// Stable code, e.g. `tan_phong` (what the forms store).
    pub code: String,
    /// Vietnamese name with its kind, e.g. `Phường Tân Phong`.
    pub name: String,
}

/// Every commune and ward of the province, in alphabetical order.
#[uniffi::export]
pub fn communes() -> Vec<Commune> {
    model::COMMUNES
        .iter()
        .map(|c| Commune {
            code: c.code.to_string(),
            name: c.name.to_string(),
        })
        .collect()
}
