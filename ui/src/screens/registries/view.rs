//! What the registries desk shows: the lists, the entry form, the import.

use super::activities::Local;
use super::form::{AttendeeField, EntryField, EntryForm, Spot, MAX_ATTENDEE_ROWS};
use super::text::{self as t, L};
use super::{Failure, Registries, RegistriesEvent, RegistryKind, Running, Scope};
use crate::event::Event;
use crate::screens::intake::FieldKind;
use crate::text::{sentence, Why};
use crate::view::{Action, Choice, Reason};
use binhan_core::error::Rule;
use binhan_core::model::{Coded, Lang};
use binhan_core::stats::activity::{ActivityKind, Campaign};
use binhan_core::stats::import::MAX_IMPORT_BYTES;
use binhan_core::stats::registry::{ProgrammeRegistries, RegistryListing, TraineeRole};
use binhan_core::stats::school_use::last_use;
use binhan_core::sync::RecordedActivity;
use serde::Serialize;

fn ev(event: RegistriesEvent) -> Event {
    Event::Registries { event }
}

/// A rule as a field's or a row's reason.
pub(crate) fn rule_reason(rule: &Rule, lang: Lang) -> Reason {
    Reason::new(rule.code(), sentence(rule.text(lang)))
}

fn failure(failure: Option<Failure>, lang: Lang) -> Option<Reason> {
    failure.map(|f| match f {
        Failure::Why(why) => why.reason(lang),
        Failure::Refused(r) => Reason::refused(&r, lang),
    })
}

fn running(state: &Registries, lang: Lang) -> Option<String> {
    state.running.map(|r| match r {
        Running::Listing => L::Loading.get(lang),
        Running::Recording => L::Recording.get(lang),
    })
}

/// Why an action waits: a request to the server runs.
fn busy(state: &Registries, lang: Lang) -> Option<Reason> {
    running(state, lang).map(|text| Reason::new("registry_request_running", text))
}

/// One entry of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryRow {
    /// The session's title, the school's or enterprise's name.
    pub title: String,
    /// Day and place, or place and since when.
    pub subtitle: String,
    /// "3 người tham dự", for a session.
    pub attendees: Option<String>,
    /// Open its form to correct it.
    pub edit: Action,
}

/// The lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistriesView {
    /// What these lists are.
    pub intro: String,
    /// One tab per registry this device keeps (a manager: training and
    /// communication; a collaborator or a counselor: communication only).
    pub tabs: Vec<Choice>,
    /// "Loading…" or "Recording…", while the server is asked.
    pub running: Option<String>,
    /// Why the last request failed.
    pub error: Option<Reason>,
    /// The entries of the tab shown.
    pub rows: Vec<RegistryRow>,
    /// "Nothing recorded yet", once listed and empty.
    pub empty: Option<String>,
    /// Add an entry to the tab shown.
    pub add: Action,
    /// Import from a file (managers and the officer, not on the
    /// activities' tab).
    pub import: Option<Action>,
    /// Ask the server again.
    pub reload: Action,
}

/// The entries of `kind` a device of `scope` lists, in the server's order
/// (a manager's: its commune's sessions only); activities newest first,
/// with those recorded on this device (`local`).
pub(crate) fn shown(
    listed: Option<&RegistryListing>,
    local: &[RecordedActivity],
    kind: RegistryKind,
    scope: Option<&str>,
    lang: Lang,
) -> Vec<(RegistryRow, EntryForm)> {
    let none = ProgrammeRegistries::default();
    let server = listed.map_or(&none, |l| &l.entries);
    let school_use = listed.map_or(&[][..], |l| l.school_use.as_slice());
    let place = |c: &str| super::form::commune_text(c);
    let since = |d: Option<chrono::NaiveDate>| {
        d.map_or_else(|| L::SinceNever.get(lang), crate::format::day)
    };
    let edit = |i: usize| {
        Action::new(
            L::Edit.get(lang),
            ev(RegistriesEvent::EditEntry { index: i as u32 }),
        )
    };
    // A school or an enterprise: its name, commune and the day its
    // procedure (or rules) started.
    let institution =
        |(i, (name, commune, started)): (usize, (&str, &str, Option<chrono::NaiveDate>))| {
            (
                RegistryRow {
                    title: name.to_string(),
                    subtitle: format!(
                        "{} · {}: {}",
                        place(commune),
                        EntryField::Since.label(kind, lang),
                        since(started)
                    ),
                    attendees: None,
                    edit: edit(i),
                },
                EntryForm::institution(kind, name, commune, started),
            )
        };
    match kind {
        RegistryKind::TrainingSessions => server
            .training_sessions
            .iter()
            .filter(|s| scope.is_none_or(|c| s.commune == c))
            .enumerate()
            .map(|(i, s)| {
                (
                    RegistryRow {
                        title: s.title.clone(),
                        subtitle: format!("{} · {}", crate::format::day(s.date), place(&s.commune)),
                        attendees: Some(t::attendee_count(s.attendees.len(), lang)),
                        edit: edit(i),
                    },
                    EntryForm::session(s),
                )
            })
            .collect(),
        RegistryKind::Schools => server
            .schools
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let entry = (s.name.as_str(), s.commune.as_str(), s.procedure_since);
                let (mut row, form) = institution((i, entry));
                // Shown from use: the last month its counselors recorded a
                // step of the procedure.
                let used = last_use(school_use, &s.name, &s.commune, None);
                row.subtitle.push_str(" · ");
                row.subtitle.push_str(&match used {
                    Some(m) => t::in_use_since(m.month, m.year, lang),
                    None => L::NoUseRecorded.get(lang),
                });
                (row, form)
            })
            .collect(),
        RegistryKind::Enterprises => server
            .enterprises
            .iter()
            .map(|e| (e.name.as_str(), e.commune.as_str(), e.rules_since))
            .enumerate()
            .map(institution)
            .collect(),
        RegistryKind::CommunicationActivities => {
            super::activities::rows(local, listed.map(|l| &l.entries), scope, lang)
        }
    }
}

/// The lists of a device of `scope`; `local`: the activities recorded on
/// it.
pub(crate) fn list(state: &Registries, scope: &Scope, local: &Local, lang: Lang) -> RegistriesView {
    let tab = scope.tab(state.tab);
    let activities = tab == RegistryKind::CommunicationActivities;
    let rows: Vec<RegistryRow> = shown(
        state.listed.as_ref(),
        local.as_deref().unwrap_or_default(),
        tab,
        scope.commune(),
        lang,
    )
    .into_iter()
    .map(|(r, _)| r)
    .collect();
    // The activities recorded here are known at once; the rest once the
    // server answered.
    let known = if activities {
        local.is_ok() && (state.running.is_none() || !scope.lists())
    } else {
        state.listed.is_some()
    };
    let local_error = match local {
        Err(why) if activities => Some(why.reason(lang)),
        _ => None,
    };
    RegistriesView {
        intro: match scope.role {
            binhan_core::model::Role::ProvincialOfficer => L::IntroOfficer,
            binhan_core::model::Role::CommuneCaseManager => L::IntroManager,
            _ => L::IntroActivities,
        }
        .get(lang),
        tabs: scope
            .kinds()
            .iter()
            .map(|k| Choice {
                label: k.label(lang),
                selected: *k == tab,
                event: ev(RegistriesEvent::ShowTab { kind: *k }),
            })
            .collect(),
        running: running(state, lang),
        error: failure(state.failure, lang).or(local_error),
        empty: (known && rows.is_empty()).then(|| L::Empty.get(lang)),
        rows,
        add: Action::new(tab.add(lang), ev(RegistriesEvent::NewEntry)),
        import: (scope.lists() && !activities)
            .then(|| Action::new(L::Import.get(lang), ev(RegistriesEvent::OpenImport))),
        reload: Action::new(L::Reload.get(lang), ev(RegistriesEvent::Reload))
            .unless(busy(state, lang)),
    }
}

/// A field of the entry form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryFieldView {
    /// Which field (send it back in `SetEntry`).
    pub field: EntryField,
    /// Its label.
    pub label: String,
    /// A help line.
    pub help: Option<String>,
    /// How it is entered.
    pub kind: FieldKind,
    /// The text as entered.
    pub value: String,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it (every field's problem at once, after Save).
    pub error: Option<Reason>,
}

/// A field of an attendee's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttendeeFieldView {
    /// Which field (send it back in `SetAttendee` with the row).
    pub field: AttendeeField,
    /// Its label.
    pub label: String,
    /// A help line.
    pub help: Option<String>,
    /// How it is entered (the role: a choice).
    pub kind: FieldKind,
    /// The text as entered (the role's code).
    pub value: String,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it.
    pub error: Option<Reason>,
}

/// One attendee's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttendeeRowView {
    /// Its row, from 0.
    pub row: u32,
    /// "Người tham dự 2".
    pub title: String,
    /// Person id, commune, role.
    pub fields: Vec<AttendeeFieldView>,
    /// Remove the row.
    pub remove: Action,
}

/// The form that adds or corrects an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryEntryView {
    /// Which registry.
    pub kind: RegistryKind,
    /// What correcting does, when correcting.
    pub help: Option<String>,
    /// The entry's fields.
    pub fields: Vec<EntryFieldView>,
    /// "Người tham dự", for a session.
    pub attendees_label: Option<String>,
    /// The attendees' rows.
    pub attendees: Vec<AttendeeRowView>,
    /// "No attendees yet", for a session without any.
    pub no_attendees: Option<String>,
    /// Add a row (a session only; disabled when the form is full).
    pub add_attendee: Option<Action>,
    /// Save (disabled with `form_has_errors` after a Save that found
    /// problems, until they are corrected).
    pub save: Action,
    /// "Recording…".
    pub running: Option<String>,
    /// Why the last request failed.
    pub error: Option<Reason>,
}

fn role_options(row: u32, value: &str, lang: Lang) -> Vec<Choice> {
    [
        (TraineeRole::Collaborator, L::Collaborator),
        (TraineeRole::Official, L::Official),
    ]
    .into_iter()
    .map(|(role, label)| Choice {
        label: label.get(lang),
        selected: value == role.code(),
        event: ev(RegistriesEvent::SetAttendee {
            row,
            field: AttendeeField::Role,
            value: role.code().to_string(),
        }),
    })
    .collect()
}

fn text_kind() -> FieldKind {
    FieldKind::Text {
        multiline: false,
        max_chars: super::form::MAX_TEXT as u32,
    }
}

/// A choice among a coded list's values, each sending its code.
fn coded_options<T: Coded>(field: EntryField, value: &str, lang: Lang) -> Vec<Choice> {
    T::ALL
        .iter()
        .map(|v| Choice {
            label: v.label(lang).to_string(),
            selected: value == v.code(),
            event: ev(RegistriesEvent::SetEntry {
                field,
                value: v.code().to_string(),
            }),
        })
        .collect()
}

/// How `field` is entered, its value being `value`.
fn field_kind(field: EntryField, value: &str, lang: Lang) -> FieldKind {
    match field {
        EntryField::Date | EntryField::Since => FieldKind::Date,
        EntryField::ActivityKind => FieldKind::Choice {
            options: coded_options::<ActivityKind>(field, value, lang),
        },
        EntryField::Campaign => FieldKind::Choice {
            options: coded_options::<Campaign>(field, value, lang),
        },
        f if f.is_count() => FieldKind::Number,
        EntryField::Village => FieldKind::Text {
            multiline: false,
            max_chars: binhan_core::stats::activity::MAX_VILLAGE_CHARS as u32,
        },
        _ => text_kind(),
    }
}

/// The form on screen, for a device of `scope`, as of `today`.
pub(crate) fn entry(
    state: &Registries,
    form: &EntryForm,
    scope: &Scope,
    today: chrono::NaiveDate,
    lang: Lang,
) -> RegistryEntryView {
    let problems = if form.submitted {
        form.problems(scope.commune(), today)
    } else {
        Vec::new()
    };
    let error_at = |spot: Spot| {
        problems
            .iter()
            .find(|(s, _)| *s == spot)
            .map(|(_, rule)| rule_reason(rule, lang))
    };
    let kind = form.kind;
    let fields = EntryField::of(kind)
        .iter()
        .map(|f| EntryFieldView {
            field: *f,
            label: f.label(kind, lang),
            help: f.help(scope.commune().is_some(), lang),
            kind: field_kind(*f, form.get(*f), lang),
            value: form.get(*f).to_string(),
            required: f.required(),
            error: error_at(Spot::Entry(*f)),
        })
        .collect();
    let training = kind == RegistryKind::TrainingSessions;
    let activity = kind == RegistryKind::CommunicationActivities;
    let attendees = form
        .attendees
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let i = i as u32;
            AttendeeRowView {
                row: i,
                title: t::attendee_title(i, lang),
                fields: [
                    AttendeeField::Person,
                    AttendeeField::Commune,
                    AttendeeField::Role,
                ]
                .into_iter()
                .map(|f| AttendeeFieldView {
                    field: f,
                    label: f.label(lang),
                    help: f.help(lang),
                    kind: match f {
                        AttendeeField::Role => FieldKind::Choice {
                            options: role_options(i, row.get(f), lang),
                        },
                        _ => text_kind(),
                    },
                    value: row.get(f).to_string(),
                    required: f != AttendeeField::Commune,
                    error: error_at(Spot::Attendee(i, f)),
                })
                .collect(),
                remove: Action::new(
                    L::RemoveAttendee.get(lang),
                    ev(RegistriesEvent::RemoveAttendee { row: i }),
                ),
            }
        })
        .collect();
    let full = form.attendees.len() >= MAX_ATTENDEE_ROWS;
    RegistryEntryView {
        kind,
        help: form.editing.then(|| {
            if activity {
                L::EditActivityHelp
            } else {
                L::EditHelp
            }
            .get(lang)
        }),
        fields,
        attendees_label: training.then(|| L::Attendees.get(lang)),
        attendees,
        no_attendees: (training && form.attendees.is_empty()).then(|| L::NoAttendees.get(lang)),
        add_attendee: training.then(|| {
            Action::new(L::AddAttendee.get(lang), ev(RegistriesEvent::AddAttendee))
                .unless(full.then(|| Why::ListFull.reason(lang)))
        }),
        // An activity is kept on this device: a request to the server does
        // not hold it back.
        save: Action::new(L::Save.get(lang), ev(RegistriesEvent::SaveEntry)).unless(
            busy(state, lang)
                .filter(|_| !activity)
                .or_else(|| (!problems.is_empty()).then(|| Why::FormHasErrors.reason(lang))),
        ),
        running: running(state, lang).filter(|_| !activity),
        error: failure(state.failure, lang).filter(|_| !activity),
    }
}

/// One problem of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportProblemView {
    /// The file's line (0: the file as a whole).
    pub line: u32,
    /// The rule's stable code.
    pub code: String,
    /// "Dòng 4, cột «Xã»: Không phải là xã, phường của tỉnh".
    pub text: String,
}

/// The import screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportView {
    /// The layout the file must have.
    pub layout: String,
    /// The file input's label.
    pub file_label: String,
    /// "At most 5 MB".
    pub file_help: String,
    /// The button that hands the chosen file over ("Read the file").
    pub upload: String,
    /// What the file input accepts (for the shell's picker).
    pub accept: String,
    /// The largest file the shell should hand over.
    pub max_bytes: u64,
    /// The file chosen, or "No file chosen".
    pub file: String,
    /// "12 rows: 3 training sessions, 9 attendances".
    pub summary: Option<String>,
    /// The file is refused as a whole (it has problems).
    pub refused: Option<Reason>,
    /// Every problem, by line.
    pub problems: Vec<ImportProblemView>,
    /// Record all (disabled with its reason until a clean file is chosen).
    pub confirm: Action,
    /// "Recording…".
    pub running: Option<String>,
    /// Why the last request failed.
    pub error: Option<Reason>,
}

/// The import screen.
pub(crate) fn import(state: &Registries, lang: Lang) -> ImportView {
    let file = state.file.as_ref();
    let read = file.map(|f| &f.import);
    let clean = read.and_then(|i| i.accepted());
    let problems: Vec<ImportProblemView> = read
        .map(|i| {
            i.problems
                .iter()
                .map(|p| ImportProblemView {
                    line: p.line,
                    code: p.rule.code().to_string(),
                    text: t::problem_text(p.line, p.column.as_deref(), &p.rule.text(lang), lang),
                })
                .collect()
        })
        .unwrap_or_default();
    let not_yet = match (file, clean) {
        (None, _) => Some(Reason::new("no_file", L::NoFile.get(lang))),
        (Some(_), None) => Some(Reason::new("import_refused", L::ImportRefused.get(lang))),
        (Some(_), Some(_)) => None,
    };
    ImportView {
        layout: L::FileHelp.get(lang),
        file_label: L::ChooseFile.get(lang),
        file_help: t::max_size(lang),
        upload: L::ReadFile.get(lang),
        // Some Android phones label CSV files text/comma-separated-values.
        accept: ".csv,.xlsx,text/csv,text/comma-separated-values,\
                 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            .into(),
        max_bytes: MAX_IMPORT_BYTES as u64,
        file: file.map_or_else(|| L::NoFile.get(lang), |f| f.name.clone()),
        summary: read.map(|i| {
            let e = &i.entries;
            if clean.is_none() {
                return t::refused_summary(i.rows, i.problems.len(), lang);
            }
            t::import_summary(
                i.kind,
                i.rows,
                e.training_sessions.len(),
                e.training_sessions.iter().map(|s| s.attendees.len()).sum(),
                e.schools.len() + e.enterprises.len(),
                lang,
            )
        }),
        refused: (file.is_some() && clean.is_none())
            .then(|| Reason::new("import_refused", L::ImportRefused.get(lang))),
        problems,
        confirm: Action::new(L::RecordAll.get(lang), ev(RegistriesEvent::ConfirmImport))
            .unless(busy(state, lang).or(not_yet)),
        running: running(state, lang),
        error: failure(state.failure, lang),
    }
}
