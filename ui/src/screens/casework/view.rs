//! A case-work form as the shells draw it: its fields (only those shown
//! given the answers), every field's problem at once, and the save button,
//! disabled with its reason while anything is wrong.

use super::text::checklist_item;
use super::{CaseFacts, Kind, Problems, WorkField, WorkForm, WorkKind, CHECKLIST};
use crate::event::Event;
use crate::screens::intake::text::{Problem, L};
use crate::screens::intake::FieldKind;
use crate::text::Why;
use crate::view::{Action, Choice, Reason};
use binhan_core::model::{ClosureReason, Coded, ConsentGiver, Lang, ServiceOutcome, ServiceType};
use serde::Serialize;

/// The form on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WorkView {
    /// Which form.
    pub kind: WorkKind,
    /// The survivor code of the case.
    pub heading: String,
    /// The fields shown, in order.
    pub fields: Vec<WorkFieldView>,
    /// Save; disabled with the reason while anything is wrong.
    pub save: Action,
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WorkFieldView {
    /// Which field (send it back in `Event::SetWork`).
    pub field: WorkField,
    /// Its label.
    pub label: String,
    /// A help line, if any.
    pub help: Option<String>,
    /// How it is entered.
    pub kind: FieldKind,
    /// The text as entered (a code for choices, `yes`/`no` for yes-no).
    pub value: String,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it (every field's problem is shown at once).
    pub error: Option<Reason>,
}

fn labels<T: Coded>(lang: Lang) -> Vec<(&'static str, String)> {
    T::ALL
        .iter()
        .map(|v| (v.code(), v.label(lang).to_string()))
        .collect()
}

impl WorkForm {
    fn options(&self, field: WorkField, lang: Lang) -> Vec<(&'static str, String)> {
        match field {
            WorkField::Service => labels::<ServiceType>(lang),
            WorkField::Outcome => labels::<ServiceOutcome>(lang),
            WorkField::ConsentGivenBy => labels::<ConsentGiver>(lang),
            WorkField::ClosureReason => labels::<ClosureReason>(lang),
            WorkField::Checklist => CHECKLIST
                .iter()
                .map(|code| (*code, checklist_item(code, lang)))
                .collect(),
            WorkField::Consent => vec![("yes", L::Yes.get(lang)), ("no", L::No.get(lang))],
            _ => Vec::new(),
        }
    }

    /// A one-of choice: tapping the chosen one again clears the field.
    fn one_of(&self, field: WorkField, code: &str, label: String) -> Choice {
        let selected = self.get(field) == code;
        Choice {
            label,
            selected,
            event: Event::SetWork {
                field,
                value: if selected {
                    String::new()
                } else {
                    code.to_string()
                },
            },
        }
    }

    fn field_view(&self, field: WorkField, problems: &Problems, lang: Lang) -> WorkFieldView {
        let kind = match field.kind(self.kind) {
            Kind::Text { max, multiline } => FieldKind::Text {
                multiline,
                max_chars: u32::try_from(max).unwrap_or(u32::MAX),
            },
            Kind::Date => FieldKind::Date,
            Kind::Choice | Kind::YesNo => {
                let options = self
                    .options(field, lang)
                    .into_iter()
                    .map(|(code, label)| self.one_of(field, code, label))
                    .collect();
                if field.kind(self.kind) == Kind::YesNo {
                    FieldKind::YesNo { options }
                } else {
                    FieldKind::Choice { options }
                }
            }
            Kind::Multi => {
                let chosen = self.chosen(field);
                FieldKind::MultiChoice {
                    options: self
                        .options(field, lang)
                        .into_iter()
                        .map(|(code, label)| Choice {
                            label,
                            selected: chosen.contains(&code),
                            event: Event::ToggleWork {
                                field,
                                code: code.to_string(),
                            },
                        })
                        .collect(),
                }
            }
        };
        WorkFieldView {
            field,
            label: field.label(self.kind, lang),
            help: field.help(lang),
            kind,
            value: self.get(field).to_string(),
            required: self.is_required(field),
            error: problems
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, p)| p.reason(lang)),
        }
    }
}

/// Why saving is not possible yet: the survivor's consent when a referral
/// needs it, else the count of fields to correct.
fn blocked(problems: &Problems, lang: Lang) -> Option<Reason> {
    if let Some((_, problem)) = problems.iter().find(|(f, p)| {
        *f == WorkField::Consent && matches!(p, Problem::Required | Problem::ReferralNeedsConsent)
    }) {
        return Some(Reason::new(
            "consent_missing",
            match problem {
                Problem::Required => super::WorkField::Consent.help(lang).unwrap_or_default(),
                other => other.text(lang),
            },
        ));
    }
    (!problems.is_empty()).then(|| {
        Reason::new(
            Why::FormHasErrors.code(),
            super::text::D::ToCorrect(problems.len()).get(lang),
        )
    })
}

/// The form on screen for the case whose survivor code is `heading`.
pub(crate) fn view(
    form: &WorkForm,
    heading: &str,
    facts: &CaseFacts,
    today: chrono::NaiveDate,
    lang: Lang,
) -> WorkView {
    let problems = form.problems(facts, today);
    WorkView {
        kind: form.kind,
        heading: heading.to_string(),
        fields: form
            .kind
            .fields()
            .iter()
            .filter(|f| form.is_shown(**f, facts))
            .map(|f| form.field_view(*f, &problems, lang))
            .collect(),
        save: Action::new(form.kind.save(lang), Event::Submit).unless(blocked(&problems, lang)),
    }
}
