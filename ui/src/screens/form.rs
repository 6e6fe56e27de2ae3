//! Secret text fields (PINs) held in memory that is wiped when dropped.

use crate::event::Field;
use crate::text::{Why, T};
use crate::view::SecretFieldView;
use binhan_core::model::Lang;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// The longest PIN or passphrase accepted, in characters.
pub(crate) const MAX_PIN_CHARS: usize = 64;

/// A form of secret fields; errors are shown once it was submitted.
#[derive(Debug, Default)]
pub(crate) struct SecretForm {
    values: Vec<(Field, Zeroizing<String>)>,
    /// Submitted at least once: from then on every error is shown.
    pub(crate) submitted: bool,
    /// Refusals from the vault for the last submission, by field.
    pub(crate) refused: Vec<(Field, Why)>,
}

impl SecretForm {
    /// A form with these fields, all empty.
    pub(crate) fn new(fields: &[Field]) -> Self {
        Self {
            values: fields
                .iter()
                .map(|f| (*f, Zeroizing::new(String::new())))
                .collect(),
            submitted: false,
            refused: Vec::new(),
        }
    }

    /// Sets `field`; false if the form has no such field.
    pub(crate) fn set(&mut self, field: Field, value: &str) -> bool {
        let Some((_, slot)) = self.values.iter_mut().find(|(f, _)| *f == field) else {
            return false;
        };
        let mut text = Zeroizing::new(String::with_capacity(value.len()));
        text.extend(value.chars().take(MAX_PIN_CHARS));
        *slot = text;
        self.refused.retain(|(f, _)| *f != field);
        true
    }

    /// Clears `field`.
    pub(crate) fn clear(&mut self, field: Field) {
        self.set(field, "");
    }

    /// The value of `field` ("" if none).
    pub(crate) fn get(&self, field: Field) -> &str {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The view of `field`: the vault's refusal if any, else the first of
    /// `errors` that concerns it.
    pub(crate) fn field(
        &self,
        field: Field,
        label: T,
        help: Option<T>,
        required: bool,
        errors: &[(Field, Why)],
        lang: Lang,
    ) -> SecretFieldView {
        let error = if self.submitted {
            self.refused
                .iter()
                .chain(errors.iter())
                .find(|(f, _)| *f == field)
                .map(|(_, why)| why.reason(lang))
        } else {
            None
        };
        SecretFieldView {
            field,
            label: label.get(lang),
            help: help.map(|h| h.get(lang)),
            filled: u32::try_from(self.get(field).chars().count()).unwrap_or(u32::MAX),
            required,
            error,
        }
    }

    /// The errors of a PIN chosen in `new` and repeated in `confirm`: it
    /// must be strong, differ from the other PIN of `differ_from` if given
    /// (its `Why` says so when it does not), and be repeated exactly. The
    /// first run and both settings PIN forms hold a new PIN to these rules.
    pub(crate) fn new_pin_errors(
        &self,
        new: Field,
        confirm: Field,
        differ_from: Option<(&str, Why)>,
    ) -> Vec<(Field, Why)> {
        let pin = self.get(new);
        let mut errors = Vec::new();
        if let Some(why) = new_pin_error(pin) {
            errors.push((new, why));
        } else if let Some((_, why)) = differ_from.filter(|(other, _)| same_pin(other, pin)) {
            errors.push((new, why));
        }
        if let Some(why) = confirm_error(pin, self.get(confirm)) {
            errors.push((confirm, why));
        }
        errors
    }
}

/// Whether two PINs are the same once normalised (keyboards may send
/// Vietnamese text composed or decomposed).
fn same_pin(a: &str, b: &str) -> bool {
    a.nfc().eq(b.nfc())
}

/// The error of a new PIN field, if any.
fn new_pin_error(pin: &str) -> Option<Why> {
    if pin.is_empty() {
        return Some(Why::PinRequired);
    }
    binhan_core::vault::check_pin_strength(pin)
        .err()
        .map(Why::PinWeak)
}

/// The error of a "repeat the PIN" field, if any.
fn confirm_error(pin: &str, confirm: &str) -> Option<Why> {
    if confirm.is_empty() {
        Some(Why::PinRequired)
    } else if !same_pin(pin, confirm) {
        Some(Why::PinMismatch)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_capped_and_refusals_cleared_on_change() {
        let mut form = SecretForm::new(&[Field::Pin]);
        form.refused.push((Field::Pin, Why::PinMismatch));
        assert!(form.set(Field::Pin, &"7".repeat(100)));
        assert_eq!(form.get(Field::Pin).len(), MAX_PIN_CHARS);
        assert!(form.refused.is_empty());
        assert!(!form.set(Field::NewPin, "1"));
    }

    #[test]
    fn composed_and_decomposed_pins_are_the_same() {
        assert!(same_pin("Bi\u{0300}nh An 7", "B\u{00EC}nh An 7"));
        assert_eq!(confirm_error("274916", "274917"), Some(Why::PinMismatch));
        assert_eq!(confirm_error("274916", ""), Some(Why::PinRequired));
        assert_eq!(confirm_error("274916", "274916"), None);
    }
}
