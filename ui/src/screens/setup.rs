//! First run: choose the PIN, and optionally a duress PIN.

use super::form::SecretForm;
use crate::event::{Event, Field};
use crate::text::{Why, T};
use crate::view::{Action, SecretFieldView};
use binhan_core::model::Lang;
use binhan_core::PinWeakness;
use serde::Serialize;

/// What the first-run screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SetupView {
    /// How the disguise works and how to open the app.
    pub intro: String,
    /// PIN, repeat, duress PIN, repeat.
    pub fields: Vec<SecretFieldView>,
    /// Create the vault.
    pub create: Action,
}

/// The first-run form.
pub(crate) fn form() -> SecretForm {
    SecretForm::new(&[
        Field::Pin,
        Field::PinConfirm,
        Field::DuressPin,
        Field::DuressPinConfirm,
    ])
}

/// Every error of the form at once.
pub(crate) fn errors(form: &SecretForm) -> Vec<(Field, Why)> {
    let pin = form.get(Field::Pin);
    let mut errors = form.new_pin_errors(Field::Pin, Field::PinConfirm, None);
    if !form.get(Field::DuressPin).is_empty() {
        errors.extend(form.new_pin_errors(
            Field::DuressPin,
            Field::DuressPinConfirm,
            Some((pin, Why::PinWeak(PinWeakness::SameAsPin))),
        ));
    } else if !form.get(Field::DuressPinConfirm).is_empty() {
        errors.push((Field::DuressPinConfirm, Why::PinMismatch));
    }
    errors
}

/// The view of `form` in `lang`.
pub(crate) fn view(form: &SecretForm, lang: Lang) -> SetupView {
    let errors = errors(form);
    let has_duress = !form.get(Field::DuressPin).is_empty();
    SetupView {
        intro: T::SetupIntro.get(lang),
        fields: vec![
            form.field(Field::Pin, T::FieldPin, None, true, &errors, lang),
            form.field(
                Field::PinConfirm,
                T::FieldPinConfirm,
                None,
                true,
                &errors,
                lang,
            ),
            form.field(
                Field::DuressPin,
                T::FieldDuress,
                Some(T::DuressHelp),
                false,
                &errors,
                lang,
            ),
            form.field(
                Field::DuressPinConfirm,
                T::FieldDuressConfirm,
                None,
                has_duress,
                &errors,
                lang,
            ),
        ],
        create: Action::new(T::SetupCreate.get(lang), Event::Submit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(values: [&str; 4]) -> SecretForm {
        let mut f = form();
        for (field, v) in [
            Field::Pin,
            Field::PinConfirm,
            Field::DuressPin,
            Field::DuressPinConfirm,
        ]
        .into_iter()
        .zip(values)
        {
            f.set(field, v);
        }
        f
    }

    #[test]
    fn every_error_is_given_at_once() {
        let codes = |f: &SecretForm| {
            errors(f)
                .into_iter()
                .map(|(field, why)| (field, why.code()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(&filled(["123456", "123457", "111111", ""])),
            [
                (Field::Pin, "pin_sequence"),
                (Field::PinConfirm, "pin_mismatch"),
                (Field::DuressPin, "pin_all_same"),
                (Field::DuressPinConfirm, "pin_required"),
            ]
        );
        assert_eq!(
            codes(&filled(["274916", "274916", "274916", "274916"])),
            [(Field::DuressPin, "duress_same_as_pin")]
        );
        assert!(codes(&filled(["274916", "274916", "", ""])).is_empty());
        assert!(codes(&filled(["274916", "274916", "583920", "583920"])).is_empty());
    }

    #[test]
    fn errors_show_only_after_a_first_submit() {
        let mut f = filled(["12", "", "", ""]);
        assert!(view(&f, Lang::Vi).fields.iter().all(|x| x.error.is_none()));
        f.submitted = true;
        let v = view(&f, Lang::Vi);
        assert_eq!(
            v.fields[0].error.as_ref().unwrap().text,
            "Mã PIN phải có ít nhất 6 ký tự"
        );
        assert_eq!(v.fields[0].filled, 2);
    }
}
