//! What the registries desk's events do, and its requests to the server,
//! which run in the background like sync (`background.rs` hands them
//! here): the state is updated when they end, unless the app locked since.

use super::form::{EntryForm, MAX_ATTENDEE_ROWS};
use super::view::shown;
use super::{Failure, ImportFile, Job, RegistriesEvent, RegistryKind, Running, Scope};
use crate::background::Background;
use crate::core::{lock, Inner, Route};
use crate::effect::Effect;
use crate::text::Why;
use binhan_core::stats::import::ImportKind;
use binhan_core::stats::registry::{RegistryCounts, RegistryListing};
use binhan_core::{Error, Refusal};

/// Longest value a form field keeps, in characters (the check says when
/// it is too long; this only bounds memory).
const MAX_TYPED: usize = 1_000;
/// Longest file name kept for the screen.
const MAX_NAME: usize = 120;

/// How a request ended well.
enum Done {
    Listed(RegistryListing),
    Recorded(RegistryCounts, RegistryListing),
}

/// Runs a request to its end and records how it ended.
pub(crate) async fn run(background: Background, job: Job) {
    let (vault, generation) = {
        let inner = lock(&background.inner);
        (inner.vault.clone(), inner.registries.generation)
    };
    let Some(vault) = vault else {
        return;
    };
    let outcome = match &job {
        Job::List => vault.registries().await.map(Done::Listed),
        Job::Record { entries, .. } => match vault.record_registries(entries).await {
            Ok(counts) => vault
                .registries()
                .await
                .map(|listed| Done::Recorded(counts, listed)),
            Err(e) => Err(e),
        },
    };
    {
        let mut inner = lock(&background.inner);
        if inner.registries.generation != generation {
            return;
        }
        let imported = matches!(job, Job::Record { imported: true, .. });
        inner.registries_finish(outcome, imported);
    }
    background.shell.effect(Effect::Refresh);
}

/// The server's coded refusals a manager can meet here.
fn refusal(error: &Error) -> Option<Refusal> {
    let Error::Refused { code, .. } = error else {
        return None;
    };
    [
        Refusal::OnlyTrainingSessions,
        Refusal::SessionOfOtherCommune,
    ]
    .into_iter()
    .find(|r| r.code() == code)
}

impl Inner {
    /// Whose registries this device keeps: every commune's for the officer,
    /// its commune's for a commune case manager, a collaborator or a school
    /// counselor ([`Scope::kinds`]); refused for any other role.
    pub(crate) fn registries_scope(&self) -> Result<Scope, Why> {
        match self.enrolment() {
            Some(e) if super::reaches_desk(e.role) => Ok(Scope {
                role: e.role,
                commune: (e.role != binhan_core::model::Role::ProvincialOfficer)
                    .then_some(e.commune),
            }),
            Some(_) => Err(Why::NotAvailableHere),
            None => Err(Why::NotEnrolled),
        }
    }

    /// Opens the lists and asks the server for them (if it lists them to
    /// this device).
    pub(crate) fn registries_open(&mut self) {
        let scope = match self.registries_scope() {
            Ok(scope) => scope,
            Err(why) => return self.refuse(why),
        };
        if *self.top() != Route::Registries {
            self.stack.push(Route::Registries);
        }
        if scope.lists() {
            self.registries_request(Running::Listing, Job::List);
        }
    }

    fn registries_request(&mut self, running: Running, job: Job) {
        let state = &mut self.registries;
        if state.running.is_some() {
            return self.refuse(Why::SyncRunning);
        }
        state.running = Some(running);
        state.failure = None;
        self.jobs.push(crate::background::Job::Registries(job));
    }

    /// Applies an event of the desk.
    pub(crate) fn registries_event(&mut self, event: RegistriesEvent) {
        let scope = match self.registries_scope() {
            Ok(scope) => scope,
            Err(why) => return self.refuse(why),
        };
        let top = self.top().clone();
        let today = self.vault.as_ref().map(|v| v.today());
        let local = match (top.clone(), &event) {
            (Route::Registries, RegistriesEvent::EditEntry { .. }) => self.recorded_activities(),
            _ => Ok(Vec::new()),
        };
        let state = &mut self.registries;
        let training = state
            .form
            .as_ref()
            .is_some_and(|f| f.kind == RegistryKind::TrainingSessions);
        match (top, event) {
            (Route::Registries, RegistriesEvent::ShowTab { kind })
                if scope.kinds().contains(&kind) =>
            {
                state.tab = kind
            }
            // The activities recorded here are read again at every view.
            (Route::Registries, RegistriesEvent::Reload) if !scope.lists() => {}
            (Route::Registries, RegistriesEvent::Reload) => {
                self.registries_request(Running::Listing, Job::List)
            }
            (Route::Registries, RegistriesEvent::NewEntry) => {
                let kind = scope.tab(state.tab);
                state.form = Some(EntryForm::new(kind, scope.commune()));
                state.failure = None;
                self.stack.push(Route::RegistryEntry);
            }
            (Route::Registries, RegistriesEvent::EditEntry { index }) => {
                let kind = scope.tab(state.tab);
                let form = shown(
                    state.listed.as_ref(),
                    local.as_deref().unwrap_or_default(),
                    kind,
                    scope.commune(),
                    self.lang,
                )
                .into_iter()
                .nth(index as usize)
                .map(|(_, form)| form);
                match form {
                    Some(form) => {
                        state.form = Some(form);
                        state.failure = None;
                        self.stack.push(Route::RegistryEntry);
                    }
                    None => self.refuse(Why::NotAvailableHere),
                }
            }
            (Route::RegistryEntry, RegistriesEvent::SetEntry { field, value }) => {
                match state.form.as_mut() {
                    Some(form) if super::form::EntryField::of(form.kind).contains(&field) => {
                        form.values
                            .insert(field, value.chars().take(MAX_TYPED).collect());
                    }
                    _ => self.refuse(Why::NotAvailableHere),
                }
            }
            (Route::RegistryEntry, RegistriesEvent::SetAttendee { row, field, value })
                if training =>
            {
                match state
                    .form
                    .as_mut()
                    .and_then(|f| f.attendees.get_mut(row as usize))
                {
                    Some(attendee) => {
                        let value: String = value.chars().take(MAX_TYPED).collect();
                        match field {
                            super::AttendeeField::Person => attendee.person = value,
                            super::AttendeeField::Commune => attendee.commune = value,
                            super::AttendeeField::Role => attendee.role = value,
                        }
                    }
                    None => self.refuse(Why::NotAvailableHere),
                }
            }
            (Route::RegistryEntry, RegistriesEvent::AddAttendee) if training => {
                if let Some(form) = state.form.as_mut() {
                    if form.attendees.len() >= MAX_ATTENDEE_ROWS {
                        return self.refuse(Why::ListFull);
                    }
                    form.attendees.push(Default::default());
                }
            }
            (Route::RegistryEntry, RegistriesEvent::RemoveAttendee { row }) if training => {
                match state.form.as_mut() {
                    Some(form) if (row as usize) < form.attendees.len() => {
                        form.attendees.remove(row as usize);
                    }
                    _ => self.refuse(Why::NotAvailableHere),
                }
            }
            (Route::RegistryEntry, RegistriesEvent::SaveEntry) => {
                let Some(form) = state.form.as_mut() else {
                    return self.refuse(Why::NotAvailableHere);
                };
                form.submitted = true;
                if form.kind == RegistryKind::CommunicationActivities {
                    let checked = today.map(|today| form.activity(scope.commune(), today));
                    return match checked {
                        Some(Ok(activity)) => self.record_activity(activity),
                        Some(Err(_)) => self.refuse(Why::FormHasErrors),
                        None => self.refuse(Why::NotAvailableHere),
                    };
                }
                match form.check(scope.commune()) {
                    Ok(entries) => self.registries_request(
                        Running::Recording,
                        Job::Record {
                            entries,
                            imported: false,
                        },
                    ),
                    Err(_) => self.refuse(Why::FormHasErrors),
                }
            }
            (Route::Registries, RegistriesEvent::OpenImport) if scope.lists() => {
                state.file = None;
                state.failure = None;
                self.stack.push(Route::RegistryImport);
            }
            (Route::RegistryImport, RegistriesEvent::ImportFile { name, bytes }) => {
                let import = binhan_core::stats::import::read(&name, &bytes, scope.commune());
                state.failure = None;
                state.file = Some(ImportFile {
                    name: name.chars().take(MAX_NAME).collect(),
                    import,
                });
            }
            (Route::RegistryImport, RegistriesEvent::ConfirmImport) => {
                let entries = state
                    .file
                    .as_ref()
                    .and_then(|f| f.import.accepted())
                    .cloned();
                match entries {
                    Some(entries) => self.registries_request(
                        Running::Recording,
                        Job::Record {
                            entries,
                            imported: true,
                        },
                    ),
                    None => self.refuse(Why::FormHasErrors),
                }
            }
            _ => self.refuse(Why::NotAvailableHere),
        }
    }

    /// Records how a request ended. After recording, the form or the import
    /// closes and the lists show what the server now holds.
    fn registries_finish(&mut self, outcome: Result<Done, Error>, imported: bool) {
        self.registries.running = None;
        match outcome {
            Ok(Done::Listed(listed)) => self.registries.listed = Some(listed),
            Ok(Done::Recorded(counts, listed)) => {
                self.registries.listed = Some(listed);
                let route = if imported {
                    let kind = self.registries.file.take().and_then(|f| f.import.kind);
                    if let Some(kind) = kind {
                        self.registries.tab = match kind {
                            ImportKind::TrainingSessions => RegistryKind::TrainingSessions,
                            ImportKind::Schools => RegistryKind::Schools,
                            ImportKind::Enterprises => RegistryKind::Enterprises,
                        };
                    }
                    Route::RegistryImport
                } else {
                    if let Some(form) = self.registries.form.take() {
                        self.registries.tab = form.kind;
                    }
                    Route::RegistryEntry
                };
                if *self.top() == route {
                    self.stack.pop();
                }
                let text = super::text::recorded(&counts, self.lang);
                self.inform_text("registries_recorded", text);
            }
            Err(Error::Revoked) | Err(Error::Erased) => self.forget_everything(),
            Err(e) => {
                if !matches!(e, Error::Network(_) | Error::Cancelled) {
                    tracing::warn!(
                        error = crate::flows::kind(&e),
                        "a registries request failed"
                    );
                }
                self.registries.failure = Some(match refusal(&e) {
                    Some(r) => Failure::Refused(r),
                    None => Failure::Why(crate::background::why(&e)),
                });
            }
        }
    }
}
