//! Settings: language, PIN change and panic wipe (with its confirmation).

use super::form::SecretForm;
use crate::event::{Event, Field, Target};
use crate::text::{Why, T};
use crate::view::{Action, Choice, SecretFieldView};
use binhan_core::model::Lang;
use binhan_core::PinWeakness;
use serde::Serialize;

/// What the settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SettingsView {
    /// "Language".
    pub language_label: String,
    /// Tiếng Việt, English.
    pub languages: Vec<Choice>,
    /// Change the PIN.
    pub change_pin: Action,
    /// Set or replace the duress PIN.
    pub duress_pin: Action,
    /// Erase all data (opens the confirmation).
    pub wipe: Action,
}

/// The settings screen in `lang`.
pub(crate) fn view(lang: Lang) -> SettingsView {
    SettingsView {
        language_label: T::Language.get(lang),
        languages: [(Lang::Vi, "Tiếng Việt"), (Lang::En, "English")]
            .into_iter()
            .map(|(l, name)| Choice {
                // Each language's own name, whatever the current language.
                label: name.to_string(),
                selected: l == lang,
                event: Event::SetLanguage { lang: l },
            })
            .collect(),
        change_pin: Action::new(
            T::ChangePin.get(lang),
            Event::Open {
                target: Target::ChangePin,
            },
        ),
        duress_pin: Action::new(
            T::SetDuressPin.get(lang),
            Event::Open {
                target: Target::DuressPin,
            },
        ),
        wipe: Action::new(
            T::EraseAll.get(lang),
            Event::Open {
                target: Target::Wipe,
            },
        ),
    }
}

/// What a PIN form of the settings shows (change the PIN, set the duress PIN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PinFormView {
    /// Current PIN, then the new one and its repeat.
    pub fields: Vec<SecretFieldView>,
    /// Save.
    pub save: Action,
}

/// The change-PIN form.
pub(crate) fn change_pin_form() -> SecretForm {
    SecretForm::new(&[Field::CurrentPin, Field::NewPin, Field::NewPinConfirm])
}

/// Every error of a settings PIN form at once: the current PIN is required,
/// and the PIN chosen in `new` must differ from it (`same` says why when it
/// does not).
fn pin_form_errors(form: &SecretForm, new: Field, confirm: Field, same: Why) -> Vec<(Field, Why)> {
    let current = form.get(Field::CurrentPin);
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push((Field::CurrentPin, Why::PinRequired));
    }
    errors.extend(form.new_pin_errors(new, confirm, Some((current, same))));
    errors
}

/// The view of a settings PIN form: the current PIN, then the PIN chosen
/// and its repeat (`chosen`: each field with its label and help), all
/// required.
fn pin_form_view(
    form: &SecretForm,
    errors: &[(Field, Why)],
    chosen: [(Field, T, Option<T>); 2],
    lang: Lang,
) -> PinFormView {
    PinFormView {
        fields: [(Field::CurrentPin, T::FieldCurrentPin, None)]
            .into_iter()
            .chain(chosen)
            .map(|(field, label, help)| form.field(field, label, help, true, errors, lang))
            .collect(),
        save: Action::new(T::Save.get(lang), Event::Submit),
    }
}

/// Every error of the change-PIN form at once.
pub(crate) fn change_pin_errors(form: &SecretForm) -> Vec<(Field, Why)> {
    pin_form_errors(
        form,
        Field::NewPin,
        Field::NewPinConfirm,
        Why::NewPinSameAsCurrent,
    )
}

/// The change-PIN view of `form` in `lang`.
pub(crate) fn change_pin_view(form: &SecretForm, lang: Lang) -> PinFormView {
    pin_form_view(
        form,
        &change_pin_errors(form),
        [
            (Field::NewPin, T::FieldNewPin, None),
            (Field::NewPinConfirm, T::FieldNewPinConfirm, None),
        ],
        lang,
    )
}

/// The duress-PIN form.
pub(crate) fn duress_form() -> SecretForm {
    SecretForm::new(&[Field::CurrentPin, Field::DuressPin, Field::DuressPinConfirm])
}

/// Every error of the duress-PIN form at once.
pub(crate) fn duress_errors(form: &SecretForm) -> Vec<(Field, Why)> {
    pin_form_errors(
        form,
        Field::DuressPin,
        Field::DuressPinConfirm,
        Why::PinWeak(PinWeakness::SameAsPin),
    )
}

/// The duress-PIN view of `form` in `lang`.
pub(crate) fn duress_view(form: &SecretForm, lang: Lang) -> PinFormView {
    pin_form_view(
        form,
        &duress_errors(form),
        [
            (
                Field::DuressPin,
                T::FieldDuressRequired,
                Some(T::DuressHelp),
            ),
            (Field::DuressPinConfirm, T::FieldDuressConfirm, None),
        ],
        lang,
    )
}

/// What the erase confirmation shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConfirmWipeView {
    /// What will happen.
    pub warning: String,
    /// Erase now.
    pub confirm: Action,
    /// Cancel (back).
    pub cancel: Action,
}

/// The erase confirmation in `lang`.
pub(crate) fn confirm_wipe_view(lang: Lang) -> ConfirmWipeView {
    ConfirmWipeView {
        warning: T::WipeWarning.get(lang),
        confirm: Action::new(T::WipeConfirm.get(lang), Event::ConfirmWipe),
        cancel: Action::new(T::Cancel.get(lang), Event::Back),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_pin_errors_come_together() {
        let mut form = change_pin_form();
        form.set(Field::NewPin, "000000");
        form.set(Field::NewPinConfirm, "000001");
        let codes: Vec<_> = change_pin_errors(&form)
            .into_iter()
            .map(|(f, why)| (f, why.code()))
            .collect();
        assert_eq!(
            codes,
            [
                (Field::CurrentPin, "pin_required"),
                (Field::NewPin, "pin_all_same"),
                (Field::NewPinConfirm, "pin_mismatch"),
            ]
        );
        form.set(Field::CurrentPin, "583920");
        form.set(Field::NewPin, "583920");
        form.set(Field::NewPinConfirm, "583920");
        assert_eq!(
            change_pin_errors(&form),
            [(Field::NewPin, Why::NewPinSameAsCurrent)]
        );
    }
}
