//! The programme registries desk: training sessions with their attendance,
//! schools and their GBV procedure, enterprises and their anti-harassment
//! rules (the provincial officer), and communication activities.
//!
//! - **Who** ([`Scope`]): the officer keeps every registry; a commune case
//!   manager the commune's training sessions and communication activities;
//!   a collaborator or a school counselor only the commune's communication
//!   activities (no import, no server list).
//! - **Lists** (`view::list`): one tab per registry; a commune case manager
//!   sees only the training sessions held in the commune (the server sends
//!   no more, and the list is filtered here too). The activities' tab shows
//!   those recorded on this device and, for managers and the officer, those
//!   the server lists (`activities.rs`).
//! - **Forms** (`form.rs`): add or correct one entry; a session's attendees
//!   are added row by row (person id, commune, role). Every field's problem
//!   is shown at once, with core's coded rules.
//! - **Import** (`view::import`): the shell hands over a file's name and
//!   bytes ([`RegistriesEvent::ImportFile`]); core reads it
//!   (`binhan_core::stats::import`), the screen shows the counts and every
//!   bad row by line, and confirming records all of it or nothing.
//!
//! Listing and recording registries talk to the server and run in the
//! background (`flow.rs`), like sync; an activity is recorded in the vault,
//! offline, and sent on the next sync. A lock forgets everything here.

pub(crate) mod activities;
pub(crate) mod flow;
pub mod form;
pub(crate) mod text;
pub mod view;

pub use form::{AttendeeField, EntryField};
pub use view::{ImportView, RegistriesView, RegistryEntryView};

use binhan_core::model::{Lang, Role};
use binhan_core::stats::import::Import;
use binhan_core::stats::registry::{ProgrammeRegistries, RegistryListing};
use form::EntryForm;
use serde::{Deserialize, Serialize};

/// Which registry a tab, a form or a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RegistryKind {
    /// Training sessions and attendance.
    #[default]
    TrainingSessions,
    /// Schools and their procedure.
    Schools,
    /// Enterprises and their rules.
    Enterprises,
    /// Communication activities (recorded offline, sent on sync).
    CommunicationActivities,
}

/// Who uses the desk, from this device's enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) role: Role,
    /// The device's commune; `None` for the officer (every commune).
    pub(crate) commune: Option<String>,
}

impl Scope {
    /// The registries this device keeps, in tab order.
    pub(crate) fn kinds(&self) -> &'static [RegistryKind] {
        match self.role {
            Role::ProvincialOfficer => &[
                RegistryKind::TrainingSessions,
                RegistryKind::Schools,
                RegistryKind::Enterprises,
                RegistryKind::CommunicationActivities,
            ],
            Role::CommuneCaseManager => &[
                RegistryKind::TrainingSessions,
                RegistryKind::CommunicationActivities,
            ],
            _ => &[RegistryKind::CommunicationActivities],
        }
    }

    /// Whether the server lists registries to this device (and takes its
    /// imports and training sessions): managers and the officer.
    pub(crate) fn lists(&self) -> bool {
        matches!(
            self.role,
            Role::ProvincialOfficer | Role::CommuneCaseManager
        )
    }

    /// The commune this device records for (`None`: the officer, any).
    pub(crate) fn commune(&self) -> Option<&str> {
        self.commune.as_deref()
    }

    /// The tab shown: the one chosen if this device keeps it, else its
    /// first.
    pub(crate) fn tab(&self, chosen: RegistryKind) -> RegistryKind {
        let kinds = self.kinds();
        if kinds.contains(&chosen) {
            chosen
        } else {
            kinds[0]
        }
    }
}

/// What the person did on the registries desk (wrapped in
/// `Event::Registries`; JSON: `{"type":"registries","do":"save_entry"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RegistriesEvent {
    /// Show this registry's list.
    ShowTab {
        /// Which.
        kind: RegistryKind,
    },
    /// Ask the server for the lists again.
    Reload,
    /// Open an empty form for the list shown.
    NewEntry,
    /// Open the form of an entry of the list shown, to correct it.
    EditEntry {
        /// Its position in the list shown, from 0.
        index: u32,
    },
    /// A field of the form: its whole new value.
    SetEntry {
        /// Which field.
        field: EntryField,
        /// Its whole new value.
        value: String,
    },
    /// A field of an attendee's row: its whole new value.
    SetAttendee {
        /// The row, from 0.
        row: u32,
        /// Which field.
        field: AttendeeField,
        /// Its whole new value (a role by its code).
        value: String,
    },
    /// Add an attendee's row.
    AddAttendee,
    /// Remove an attendee's row.
    RemoveAttendee {
        /// The row, from 0.
        row: u32,
    },
    /// Check the form and record it.
    SaveEntry,
    /// Open the import screen.
    OpenImport,
    /// The file the person chose (the shell reads it; the core decides).
    ImportFile {
        /// Its name, for its kind (`.csv`, `.xlsx`).
        name: String,
        /// Its content.
        bytes: Vec<u8>,
    },
    /// Record everything the file holds (only if it has no problem).
    ConfirmImport,
}

/// What a background request does.
#[derive(Debug)]
pub(crate) enum Job {
    /// List the registries.
    List,
    /// Record entries, then list again.
    Record {
        entries: ProgrammeRegistries,
        /// From the import screen (which closes on success).
        imported: bool,
    },
}

/// How the last request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// As sync failures read (offline, refused, …).
    Why(crate::text::Why),
    /// The server's own coded refusal (another commune, another registry).
    Refused(binhan_core::Refusal),
}

/// A chosen file, as core read it.
#[derive(Debug)]
pub(crate) struct ImportFile {
    pub(crate) name: String,
    pub(crate) import: Import,
}

/// The desk's state while the vault is unlocked.
#[derive(Debug, Default)]
pub(crate) struct Registries {
    pub(crate) tab: RegistryKind,
    /// What the server listed last.
    pub(crate) listed: Option<RegistryListing>,
    pub(crate) form: Option<EntryForm>,
    pub(crate) file: Option<ImportFile>,
    /// A request runs (listing or recording).
    pub(crate) running: Option<Running>,
    pub(crate) failure: Option<Failure>,
    /// Changes with every lock: a request started before leaves the state
    /// alone.
    pub(crate) generation: u64,
}

/// What runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Running {
    Listing,
    Recording,
}

impl Registries {
    /// Forgets everything (the app locked).
    pub(crate) fn forget(&mut self) {
        *self = Registries {
            generation: self.generation.wrapping_add(1),
            ..Registries::default()
        };
    }
}

/// Whether a device enrolled as `role` reaches the desk.
pub(crate) fn reaches_desk(role: Role) -> bool {
    matches!(
        role,
        Role::ProvincialOfficer
            | Role::CommuneCaseManager
            | Role::Collaborator
            | Role::SchoolCounselor
    )
}

/// The home screen's action and the desk's title: the commune's training
/// for a manager, the communication activities for a collaborator or a
/// counselor, every registry for the officer.
pub(crate) fn home_label(role: Role, lang: Lang) -> String {
    match role {
        Role::CommuneCaseManager => text::L::CommuneTitle.get(lang),
        Role::ProvincialOfficer => text::L::Title.get(lang),
        _ => text::L::ActivitiesTitle.get(lang),
    }
}

impl crate::core::Inner {
    /// The desk's screen on top, with its title; `None` when this device
    /// may not keep registries (or the form is gone).
    pub(crate) fn registries_screen(
        &mut self,
        lang: Lang,
    ) -> Option<(crate::view::Screen, String)> {
        use crate::core::Route;
        use crate::view::Screen;
        let scope = match self.registries_scope() {
            Ok(scope) => scope,
            Err(why) => {
                self.refuse(why);
                return None;
            }
        };
        let state = &self.registries;
        let title = home_label(scope.role, lang);
        let today = self.vault.as_ref()?.today();
        Some(match self.top() {
            Route::RegistryEntry => {
                let form = state.form.as_ref()?;
                let title = if form.editing {
                    form.kind.edit(lang)
                } else {
                    form.kind.add(lang)
                };
                (
                    Screen::RegistryEntry {
                        view: view::entry(state, form, &scope, today, lang),
                    },
                    title,
                )
            }
            Route::RegistryImport => (
                Screen::RegistryImport {
                    view: view::import(state, lang),
                },
                text::L::ImportTitle.get(lang),
            ),
            _ => {
                let local = self.recorded_activities();
                (
                    Screen::Registries {
                        view: view::list(&self.registries, &scope, &local, lang),
                    },
                    title,
                )
            }
        })
    }
}

#[cfg(test)]
mod activities_tests;
#[cfg(test)]
mod tests;
