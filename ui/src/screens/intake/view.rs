//! The record-an-incident screen as the shells draw it: the step on
//! screen with its fields (and rows), or the review with every answer and
//! what still needs correcting.

use super::check::{date, Problems};
use super::spec::{options, IntakeField, IntakeList, IntakeStep, Kind};
use super::text::L;
use super::IntakeForm;
use crate::event::Event;
use crate::format;
use crate::view::{Action, Choice, LabelledValue, Reason};
use binhan_core::model::Lang;
use serde::Serialize;

/// The form on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IntakeView {
    /// The step on screen.
    pub step: IntakeStep,
    /// "Bước 2/6 · Vụ việc".
    pub step_label: String,
    /// Every step, to jump to one (the current one selected).
    pub steps: Vec<Choice>,
    /// The fields of this step that are not in rows, in order; only those
    /// shown given the answers so far.
    pub fields: Vec<FieldView>,
    /// The rows of this step's list (perpetrators, consents).
    pub rows: Vec<RowView>,
    /// Add a row to this step's list; disabled at the limit.
    pub add_row: Option<Action>,
    /// A hint for this step, if any.
    pub hint: Option<String>,
    /// On the review: every answer, step by step.
    pub review: Vec<ReviewSection>,
    /// On the review: the steps that still need correcting.
    pub problems_label: Option<String>,
    /// The steps with problems and how many.
    pub problems: Vec<StepProblems>,
    /// Go to the next step (every step but the review).
    pub next: Option<Action>,
    /// Save the case (on the review); disabled while anything is wrong.
    pub save: Option<Action>,
    /// Forget the draft and leave the form.
    pub discard: Action,
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldView {
    /// Which field (send it back with `row`).
    pub field: IntakeField,
    /// Its row in a list, 0 otherwise.
    pub row: u32,
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
    /// What is wrong with it, once the step was left or saving was tried.
    pub error: Option<Reason>,
}

/// How a field is entered, with its choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FieldKind {
    /// Free text.
    Text {
        /// Several lines.
        multiline: bool,
        /// Most characters.
        max_chars: u32,
    },
    /// A day (a date picker; typed as day/month/year also works).
    Date,
    /// A whole number.
    Number,
    /// One of a list (tapping the chosen one again clears it).
    Choice {
        /// The choices.
        options: Vec<Choice>,
    },
    /// Several of a list (each tap adds or removes one).
    MultiChoice {
        /// The choices.
        options: Vec<Choice>,
    },
    /// Yes or no (tapping the chosen one again clears it).
    YesNo {
        /// Yes, then no.
        options: Vec<Choice>,
    },
}

/// One row of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RowView {
    /// "Người gây bạo lực 1".
    pub title: String,
    /// Its fields.
    pub fields: Vec<FieldView>,
    /// Remove it.
    pub remove: Action,
}

/// One step's answers on the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReviewSection {
    /// The step.
    pub step: IntakeStep,
    /// Its title.
    pub title: String,
    /// Each answer given.
    pub rows: Vec<LabelledValue>,
    /// Go back to the step to change it.
    pub edit: Action,
}

/// A step that still needs correcting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StepProblems {
    /// The step.
    pub step: IntakeStep,
    /// Its title.
    pub title: String,
    /// Fields to correct there.
    pub count: u32,
    /// Go there.
    pub go: Action,
}

fn go(step: IntakeStep) -> Event {
    Event::GoToStep { step }
}

/// The field's stable snake_case code, e.g. `survivor_code`.
pub(crate) fn field_code(field: IntakeField) -> String {
    let mut code = String::new();
    for (i, c) in format!("{field:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            code.push('_');
        }
        code.push(c.to_ascii_lowercase());
    }
    code
}

impl IntakeForm {
    /// A one-of choice: tapping the chosen one again clears the field.
    fn one_of(&self, field: IntakeField, row: u32, code: &str, label: String) -> Choice {
        let selected = self.get(field, row) == code;
        Choice {
            label,
            selected,
            event: Event::SetIntake {
                field,
                row,
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
        field: IntakeField,
        row: u32,
        problems: &Problems,
        lang: Lang,
    ) -> FieldView {
        let spec = field.spec();
        let chars = |max: usize| u32::try_from(max).unwrap_or(u32::MAX);
        let kind = match spec.kind {
            Kind::Text { max, multiline } => FieldKind::Text {
                multiline,
                max_chars: chars(max),
            },
            Kind::Code { max } => FieldKind::Text {
                multiline: false,
                max_chars: chars(max),
            },
            Kind::Date => FieldKind::Date,
            Kind::Number => FieldKind::Number,
            Kind::Choice => FieldKind::Choice {
                options: options(field, lang)
                    .into_iter()
                    .map(|(code, label)| self.one_of(field, row, code, label))
                    .collect(),
            },
            Kind::Multi => {
                let chosen = self.codes(field, row);
                FieldKind::MultiChoice {
                    options: options(field, lang)
                        .into_iter()
                        .map(|(code, label)| Choice {
                            label,
                            selected: chosen.contains(&code),
                            event: Event::ToggleIntake {
                                field,
                                row,
                                code: code.to_string(),
                            },
                        })
                        .collect(),
                }
            }
            Kind::YesNo => FieldKind::YesNo {
                options: vec![
                    self.one_of(field, row, "yes", L::Yes.get(lang)),
                    self.one_of(field, row, "no", L::No.get(lang)),
                ],
            },
        };
        let error = self
            .shown
            .contains(&spec.step)
            .then(|| {
                problems
                    .iter()
                    .find(|(f, r, _)| *f == field && *r == row)
                    .map(|(_, _, p)| p.reason(lang))
            })
            .flatten();
        FieldView {
            field,
            row,
            label: field.label(lang),
            help: field.help(lang),
            kind,
            value: self.get(field, row).to_string(),
            required: spec.required,
            error,
        }
    }
}

/// A value as the review shows it: labels for choices, days as 20/11/2026.
fn shown_value(form: &IntakeForm, field: IntakeField, row: u32, lang: Lang) -> String {
    let value = form.get(field, row);
    let label_of = |code: &str| {
        options(field, lang)
            .into_iter()
            .find(|(c, _)| *c == code)
            .map(|(_, label)| label)
            .unwrap_or_else(|| code.to_string())
    };
    match field.spec().kind {
        Kind::Choice => label_of(value),
        Kind::Multi => form
            .codes(field, row)
            .into_iter()
            .map(label_of)
            .collect::<Vec<_>>()
            .join(", "),
        Kind::YesNo => match value {
            "yes" => L::Yes.get(lang),
            "no" => L::No.get(lang),
            other => other.to_string(),
        },
        Kind::Date => match date(value) {
            Ok(Some(day)) => format::day(day),
            _ => value.to_string(),
        },
        Kind::Text { .. } | Kind::Code { .. } | Kind::Number => value.to_string(),
    }
}

/// The review of one step: every shown field with an answer.
fn section(form: &IntakeForm, step: IntakeStep, lang: Lang) -> ReviewSection {
    let mut rows = Vec::new();
    for field in IntakeField::ALL
        .iter()
        .copied()
        .filter(|f| f.spec().step == step)
    {
        let count = field.spec().list.map_or(1, |list| form.rows(list));
        for row in 0..count {
            if !form.is_shown(field, row) || form.get(field, row).is_empty() {
                continue;
            }
            let label = match field.spec().list {
                Some(IntakeList::Perpetrators) => {
                    format!(
                        "{} · {}",
                        L::PerpetratorN(row + 1).get(lang),
                        field.label(lang)
                    )
                }
                Some(IntakeList::Consents) => {
                    format!("{} · {}", L::ConsentN(row + 1).get(lang), field.label(lang))
                }
                None => field.label(lang),
            };
            rows.push(LabelledValue {
                code: field_code(field),
                label,
                value: shown_value(form, field, row, lang),
            });
        }
    }
    ReviewSection {
        step,
        title: step.title(lang),
        rows,
        edit: Action::new(L::Edit.get(lang), go(step)),
    }
}

/// The screen for `form`; `problems` are the form's problems now.
pub(crate) fn view(form: &IntakeForm, problems: &Problems, lang: Lang) -> IntakeView {
    let step = form.step;
    let in_step = |f: &IntakeField| f.spec().step == step;
    let fields = IntakeField::ALL
        .iter()
        .copied()
        .filter(|f| in_step(f) && f.spec().list.is_none() && form.is_shown(*f, 0))
        .map(|f| form.field_view(f, 0, problems, lang))
        .collect();
    let list = match step {
        IntakeStep::Perpetrators => Some(IntakeList::Perpetrators),
        IntakeStep::Consent => Some(IntakeList::Consents),
        _ => None,
    };
    let rows = list
        .map(|list| {
            (0..form.rows(list))
                .map(|row| RowView {
                    title: match list {
                        IntakeList::Perpetrators => L::PerpetratorN(row + 1),
                        IntakeList::Consents => L::ConsentN(row + 1),
                    }
                    .get(lang),
                    fields: IntakeField::ALL
                        .iter()
                        .copied()
                        .filter(|f| f.spec().list == Some(list))
                        .map(|f| form.field_view(f, row, problems, lang))
                        .collect(),
                    remove: Action::new(L::Remove.get(lang), Event::RemoveIntakeRow { list, row }),
                })
                .collect()
        })
        .unwrap_or_default();
    let add_row = list.map(|list| {
        let label = match list {
            IntakeList::Perpetrators => L::AddPerpetrator,
            IntakeList::Consents => L::AddConsent,
        };
        let full = form.rows(list) >= super::MAX_ROWS;
        Action::new(label.get(lang), Event::AddIntakeRow { list })
            .unless(full.then(|| crate::text::Why::ListFull.reason(lang)))
    });
    let on_review = step == IntakeStep::Review;
    let problems_by_step: Vec<StepProblems> = IntakeStep::ALL
        .into_iter()
        .filter_map(|s| {
            let count = problems
                .iter()
                .filter(|(f, _, _)| f.spec().step == s)
                .count();
            (count > 0).then(|| StepProblems {
                step: s,
                title: s.title(lang),
                count: u32::try_from(count).unwrap_or(u32::MAX),
                go: Action::new(s.title(lang), go(s)),
            })
        })
        .collect();
    let save_blocked = (!problems.is_empty()).then(|| crate::text::Why::FormHasErrors.reason(lang));
    IntakeView {
        step,
        step_label: format!(
            "{} · {}",
            L::StepOf {
                step: step.index() + 1,
                of: IntakeStep::ALL.len()
            }
            .get(lang),
            step.title(lang)
        ),
        steps: IntakeStep::ALL
            .into_iter()
            .map(|s| Choice {
                label: s.title(lang),
                selected: s == step,
                event: go(s),
            })
            .collect(),
        fields,
        rows,
        add_row,
        hint: (step == IntakeStep::Perpetrators).then(|| L::NoPerpetratorKnown.get(lang)),
        review: if on_review {
            IntakeStep::ALL[..IntakeStep::ALL.len() - 1]
                .iter()
                .map(|s| section(form, *s, lang))
                .collect()
        } else {
            Vec::new()
        },
        problems_label: (on_review && !problems_by_step.is_empty())
            .then(|| L::ProblemsIn.get(lang)),
        problems: if on_review {
            problems_by_step
        } else {
            Vec::new()
        },
        next: (!on_review).then(|| Action::new(L::Next.get(lang), Event::Next)),
        save: on_review
            .then(|| Action::new(L::SaveCase.get(lang), Event::Submit).unless(save_blocked)),
        discard: Action::new(L::DiscardDraft.get(lang), Event::DiscardDraft),
    }
}
