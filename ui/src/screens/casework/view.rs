//! A case-work form as the shells draw it: its fields (only those shown
//! given the answers), every field's problem at once, and the save button,
//! disabled with its reason while anything is wrong.

use super::text::checklist_item;
use super::{CaseFacts, Kind, Problems, WorkField, WorkForm, WorkKind, CHECKLIST};
use crate::event::Event;
use crate::screens::intake::text::{Problem, L};
use crate::screens::intake::FieldKind;
use crate::screens::referrals::preview::{self, ReferralPreviewView};
use crate::text::Why;
use crate::view::{Action, Choice, Reason};
use binhan_core::app::ReferralPreview;
use binhan_core::model::{ClosureReason, Coded, ConsentGiver, Lang, ServiceOutcome, ServiceType};
use binhan_core::referrals::Urgency;
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
    /// A referral: exactly what will be sent, once the organisation and
    /// the service are chosen.
    pub preview: Option<ReferralPreviewView>,
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

fn labels<T: Coded>(lang: Lang) -> Vec<(String, String)> {
    T::ALL
        .iter()
        .map(|v| (v.code().to_string(), v.label(lang).to_string()))
        .collect()
}

fn coded<T: Coded>(values: impl IntoIterator<Item = T>, lang: Lang) -> Vec<(String, String)> {
    values
        .into_iter()
        .map(|v| (v.code().to_string(), v.label(lang).to_string()))
        .collect()
}

impl WorkForm {
    fn options(&self, field: WorkField, facts: &CaseFacts, lang: Lang) -> Vec<(String, String)> {
        match field {
            WorkField::Service if self.kind == WorkKind::Referral => {
                coded(self.referral_services(facts), lang)
            }
            WorkField::Service => labels::<ServiceType>(lang),
            WorkField::Organisation => facts
                .organisations
                .iter()
                .map(|o| {
                    (
                        o.id.to_string(),
                        format!("{} · {}", o.name, o.sector.label(lang)),
                    )
                })
                .collect(),
            WorkField::Urgency => labels::<Urgency>(lang),
            WorkField::Step => coded(facts.school_next.iter().copied(), lang),
            WorkField::Commune => binhan_core::model::COMMUNES
                .iter()
                .filter(|c| c.code != facts.commune)
                .map(|c| (c.code.to_string(), c.name.to_string()))
                .collect(),
            WorkField::Shared if self.kind == WorkKind::Supplement => {
                coded(facts.may_add.iter().copied(), lang)
            }
            WorkField::Shared => coded(
                self.service()
                    .map(binhan_core::referrals::optional_fields)
                    .unwrap_or_default(),
                lang,
            ),
            WorkField::Outcome => labels::<ServiceOutcome>(lang),
            WorkField::ConsentGivenBy => labels::<ConsentGiver>(lang),
            WorkField::ClosureReason => labels::<ClosureReason>(lang),
            WorkField::Checklist => CHECKLIST
                .iter()
                .map(|code| (code.to_string(), checklist_item(code, lang)))
                .collect(),
            WorkField::Consent => vec![
                ("yes".to_string(), L::Yes.get(lang)),
                ("no".to_string(), L::No.get(lang)),
            ],
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

    fn field_view(
        &self,
        field: WorkField,
        problems: &Problems,
        facts: &CaseFacts,
        lang: Lang,
    ) -> WorkFieldView {
        let kind = match field.kind(self.kind) {
            Kind::Text { max, multiline } => FieldKind::Text {
                multiline,
                max_chars: u32::try_from(max).unwrap_or(u32::MAX),
            },
            Kind::Date => FieldKind::Date,
            Kind::Choice | Kind::YesNo => {
                let options = self
                    .options(field, facts, lang)
                    .into_iter()
                    .map(|(code, label)| self.one_of(field, &code, label))
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
                        .options(field, facts, lang)
                        .into_iter()
                        .map(|(code, label)| Choice {
                            label,
                            selected: chosen.contains(&code.as_str()),
                            event: Event::ToggleWork { field, code },
                        })
                        .collect(),
                }
            }
        };
        WorkFieldView {
            field,
            label: field.label(self.kind, lang),
            help: field.help(self.kind, lang),
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
/// or a transfer needs it, else the count of fields to correct.
fn blocked(kind: WorkKind, problems: &Problems, lang: Lang) -> Option<Reason> {
    if let Some((_, problem)) = problems.iter().find(|(f, p)| {
        *f == WorkField::Consent
            && matches!(
                p,
                Problem::Required | Problem::ReferralNeedsConsent | Problem::TransferNeedsConsent
            )
    }) {
        return Some(Reason::new(
            "consent_missing",
            match problem {
                Problem::Required => super::WorkField::Consent
                    .help(kind, lang)
                    .unwrap_or_default(),
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

/// The form on screen for the case whose survivor code is `heading`; a
/// referral's form shows core's `preview` of what it would send.
pub(crate) fn view(
    form: &WorkForm,
    heading: &str,
    facts: &CaseFacts,
    preview: Option<&ReferralPreview>,
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
            .map(|f| form.field_view(*f, &problems, facts, lang))
            .collect(),
        save: Action::new(form.kind.save(lang), Event::Submit)
            .unless(blocked(form.kind, &problems, lang)),
        preview: preview.map(|p| preview::view(p, lang)),
    }
}
