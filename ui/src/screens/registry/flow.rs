//! What the registry's events do. Every screen is for the provincial
//! officer only (core refuses anyone else as well); saving a form changes
//! core's sealed draft or nothing; publishing runs in the background.

use super::check::{self, Problem};
use super::organisation::OrganisationForm;
use super::text::L;
use super::{NumberRow, NumbersForm, RegistryEvent, ShelterForm, MAX_ROWS};
use crate::background::{Activity, Job};
use crate::core::{Inner, Route};
use crate::text::Why;
use binhan_core::model::Role;
use binhan_core::Error;
use zeroize::Zeroizing;

/// Longest seed accepted as typed (64 hex digits and some spaces).
const MAX_SEED_CHARS: usize = 80;

impl Inner {
    /// Whether this phone is enrolled as the provincial officer.
    fn is_officer(&self) -> bool {
        self.enrolment()
            .is_some_and(|e| e.role == Role::ProvincialOfficer)
    }

    /// Opens the registry (the officer's home action).
    pub(crate) fn registry_open(&mut self) {
        if !self.is_officer() {
            return self.refuse(Why::NotAvailableHere);
        }
        if *self.top() != Route::Registry {
            self.stack.push(Route::Registry);
        }
    }

    /// Forgets the form of the screen left.
    pub(crate) fn registry_leave(&mut self, route: &Route) {
        match route {
            Route::RegistryShelter => self.registry.shelter = None,
            Route::RegistryOrganisation => self.registry.organisation = None,
            Route::RegistryNumbers => self.registry.numbers = None,
            Route::RegistryPublish => {
                self.registry.seed = Zeroizing::new(String::new());
                self.registry.seed_problem = None;
                self.registry.publish_error = None;
            }
            _ => {}
        }
    }

    /// A core refusal as a notice, anything else logged by kind.
    fn registry_failed(&mut self, e: Error, what: &'static str) {
        match e {
            Error::NotAllowed(refusal) => self.refuse_core(refusal),
            e => {
                tracing::warn!(error = crate::flows::kind(&e), "{what}");
                self.refuse(Why::StorageFailed);
            }
        }
    }

    /// Applies a registry event.
    pub(crate) fn registry_event(&mut self, event: RegistryEvent) {
        let top = self.top().clone();
        if !self.is_officer() || !top.is_registry() {
            return self.refuse(Why::NotAvailableHere);
        }
        let accepted = match (event, top) {
            (RegistryEvent::NewShelter, Route::Registry) => {
                self.registry.shelter = Some(ShelterForm::blank());
                self.stack.push(Route::RegistryShelter);
                true
            }
            (RegistryEvent::EditShelter { id }, Route::Registry) => self.registry_edit(&id),
            (RegistryEvent::SetShelter { field, value }, Route::RegistryShelter) => self
                .registry
                .shelter
                .as_mut()
                .is_some_and(|f| f.set(field, &value)),
            (RegistryEvent::ToggleShelter { field, code }, Route::RegistryShelter) => self
                .registry
                .shelter
                .as_mut()
                .is_some_and(|f| f.toggle(field, &code)),
            (RegistryEvent::SaveShelter, Route::RegistryShelter) => {
                self.registry_save_shelter();
                true
            }
            (RegistryEvent::NewOrganisation, Route::Registry) => {
                self.registry.organisation = Some(OrganisationForm::blank());
                self.stack.push(Route::RegistryOrganisation);
                true
            }
            (RegistryEvent::EditOrganisation { id }, Route::Registry) => {
                self.registry_edit_organisation(&id)
            }
            (RegistryEvent::SetOrganisation { field, value }, Route::RegistryOrganisation) => self
                .registry
                .organisation
                .as_mut()
                .is_some_and(|f| f.set(field, &value)),
            (RegistryEvent::ToggleOrganisation { field, code }, Route::RegistryOrganisation) => {
                self.registry
                    .organisation
                    .as_mut()
                    .is_some_and(|f| f.toggle(field, &code))
            }
            (RegistryEvent::SaveOrganisation, Route::RegistryOrganisation) => {
                self.registry_save_organisation();
                true
            }
            (RegistryEvent::EditNumbers { commune }, Route::Registry) => {
                self.registry_numbers(&commune)
            }
            (RegistryEvent::SetNumber { row, field, value }, Route::RegistryNumbers) => self
                .registry
                .numbers
                .as_mut()
                .is_some_and(|f| f.set(row, field, &value)),
            (RegistryEvent::AddNumber, Route::RegistryNumbers) => {
                match self.registry.numbers.as_mut() {
                    Some(f) if f.rows.len() < MAX_ROWS => {
                        f.rows.push(NumberRow::default());
                        true
                    }
                    _ => false,
                }
            }
            (RegistryEvent::RemoveNumber { row }, Route::RegistryNumbers) => {
                match self.registry.numbers.as_mut() {
                    Some(f) if (row as usize) < f.rows.len() => {
                        f.rows.remove(row as usize);
                        true
                    }
                    _ => false,
                }
            }
            (RegistryEvent::SaveNumbers, Route::RegistryNumbers) => {
                self.registry_save_numbers();
                true
            }
            (RegistryEvent::OpenPublish, Route::Registry) => {
                self.stack.push(Route::RegistryPublish);
                true
            }
            (RegistryEvent::SetSeed { value }, Route::RegistryPublish) => {
                let mut seed = Zeroizing::new(String::with_capacity(value.len()));
                seed.extend(value.chars().take(MAX_SEED_CHARS));
                self.registry.seed = seed;
                self.registry.seed_problem = None;
                true
            }
            (RegistryEvent::SaveSeed, Route::RegistryPublish) => {
                self.registry_save_seed();
                true
            }
            (RegistryEvent::GenerateKey, Route::RegistryPublish) => {
                self.registry_generate_key();
                true
            }
            (RegistryEvent::ConfirmPublish, Route::RegistryPublish) => {
                self.registry_publish();
                true
            }
            (RegistryEvent::DiscardDraft, Route::Registry) => {
                self.registry_discard();
                true
            }
            _ => false,
        };
        if !accepted {
            self.refuse(Why::NotAvailableHere);
        }
    }

    fn registry_edit(&mut self, id: &str) -> bool {
        let found = id.parse().ok().and_then(|id| {
            let draft = self.vault.as_ref()?.registry_draft().ok()?;
            draft.shelter(&id).map(ShelterForm::of)
        });
        match found {
            Some(form) => {
                self.registry.shelter = Some(form);
                self.stack.push(Route::RegistryShelter);
                true
            }
            None => false,
        }
    }

    fn registry_edit_organisation(&mut self, id: &str) -> bool {
        let found = id.parse().ok().and_then(|id| {
            let draft = self.vault.as_ref()?.registry_draft().ok()?;
            draft.organisation(&id).map(OrganisationForm::of)
        });
        match found {
            Some(form) => {
                self.registry.organisation = Some(form);
                self.stack.push(Route::RegistryOrganisation);
                true
            }
            None => false,
        }
    }

    fn registry_save_organisation(&mut self) {
        let Some(form) = &self.registry.organisation else {
            return self.refuse(Why::NotAvailableHere);
        };
        let Ok(organisation) = form.read() else {
            return self.refuse(Why::FormHasErrors);
        };
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.registry_put_organisation(organisation) {
            Ok(()) => {
                self.registry.organisation = None;
                self.stack.pop();
                self.inform_text("organisation_saved", L::OrganisationSaved.get(self.lang));
            }
            Err(e) => self.registry_failed(e, "saving an organisation to the draft failed"),
        }
    }

    fn registry_numbers(&mut self, commune: &str) -> bool {
        if binhan_core::model::commune(commune).is_none() {
            return false;
        }
        let held = self
            .vault
            .as_ref()
            .and_then(|v| v.registry_contacts(commune).ok())
            .flatten();
        self.registry.numbers = Some(NumbersForm::of(commune, held.as_ref()));
        self.stack.push(Route::RegistryNumbers);
        true
    }

    fn registry_save_shelter(&mut self) {
        let Some(form) = &self.registry.shelter else {
            return self.refuse(Why::NotAvailableHere);
        };
        let Ok(shelter) = check::shelter(form) else {
            return self.refuse(Why::FormHasErrors);
        };
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.registry_put_shelter(shelter) {
            Ok(()) => {
                self.registry.shelter = None;
                self.stack.pop();
                self.inform_text("shelter_saved", L::Saved.get(self.lang));
            }
            Err(e) => self.registry_failed(e, "saving a shelter to the draft failed"),
        }
    }

    fn registry_save_numbers(&mut self) {
        let Some(form) = &self.registry.numbers else {
            return self.refuse(Why::NotAvailableHere);
        };
        let Ok(list) = check::numbers(form) else {
            return self.refuse(Why::FormHasErrors);
        };
        let commune = form.commune.clone();
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.registry_set_contacts(&commune, list) {
            Ok(()) => {
                self.registry.numbers = None;
                self.stack.pop();
                self.inform_text("numbers_saved", L::NumbersSaved.get(self.lang));
            }
            Err(e) => self.registry_failed(e, "saving numbers to the draft failed"),
        }
    }

    fn registry_save_seed(&mut self) {
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        let seed: Zeroizing<String> = Zeroizing::new(
            self.registry
                .seed
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
        );
        if seed.is_empty() {
            self.registry.seed_problem = Some(Problem::Required);
            return;
        }
        match vault.set_signing_key_seed(&seed) {
            Ok(_) => {
                self.registry.seed = Zeroizing::new(String::new());
                self.registry.seed_problem = None;
                self.inform_text("signing_key_kept", L::KeyKept.get(self.lang));
            }
            Err(Error::Invalid { rule, .. }) => {
                self.registry.seed_problem = Some(Problem::Rule(rule))
            }
            Err(e) => self.registry_failed(e, "keeping the signing key failed"),
        }
    }

    fn registry_generate_key(&mut self) {
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.generate_signing_key() {
            Ok(_) => self.inform_text("signing_key_kept", L::KeyKept.get(self.lang)),
            Err(e) => self.registry_failed(e, "generating the signing key failed"),
        }
    }

    fn registry_publish(&mut self) {
        if !self.sync.begin(Activity::PublishRegistry) {
            return self.refuse(Why::SyncRunning);
        }
        self.registry.publish_error = None;
        self.jobs.push(Job::PublishRegistry);
    }

    fn registry_discard(&mut self) {
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.registry_discard() {
            Ok(()) => self.inform_text("draft_discarded", L::Discarded.get(self.lang)),
            Err(e) => self.registry_failed(e, "discarding the draft failed"),
        }
    }

    /// A publication ended: back to the registry, saying which version.
    pub(crate) fn registry_published(&mut self, version: u64) {
        if *self.top() == Route::RegistryPublish {
            self.stack.pop();
        }
        self.inform_text(
            "directory_published",
            L::Published { version }.get(self.lang),
        );
    }
}

impl Route {
    /// The registry's screens.
    pub(crate) fn is_registry(&self) -> bool {
        matches!(
            self,
            Route::Registry
                | Route::RegistryShelter
                | Route::RegistryOrganisation
                | Route::RegistryNumbers
                | Route::RegistryPublish
        )
    }
}

// From the state to the registry's screens.
impl Inner {
    /// The registry screen of `route` and its title; `None` if the draft
    /// cannot be read (locked meanwhile, or not the officer any more).
    pub(crate) fn registry_screen(&self, route: &Route) -> Option<(crate::Screen, String)> {
        use super::view;
        use crate::Screen;
        let lang = self.lang;
        let vault = self.vault.as_ref()?;
        Some(match route {
            Route::Registry => {
                let draft = vault.registry_draft().ok()?;
                let held = vault.shelter_directory().ok()?;
                (
                    Screen::Registry {
                        view: view::registry_view(&draft, held.as_ref(), lang),
                    },
                    L::Title.get(lang),
                )
            }
            Route::RegistryShelter => {
                let form = self.registry.shelter.as_ref()?;
                (
                    Screen::RegistryShelter {
                        view: view::shelter_form_view(form, lang),
                    },
                    L::ShelterTitle { new: form.new }.get(lang),
                )
            }
            Route::RegistryOrganisation => {
                let form = self.registry.organisation.as_ref()?;
                (
                    Screen::RegistryOrganisation {
                        view: super::organisation::form_view(form, lang),
                    },
                    L::OrganisationTitle { new: form.new }.get(lang),
                )
            }
            Route::RegistryNumbers => {
                let form = self.registry.numbers.as_ref()?;
                let name = binhan_core::model::commune(&form.commune)?.name.to_string();
                (
                    Screen::RegistryNumbers {
                        view: view::numbers_view(form, lang),
                    },
                    L::NumbersTitle(name).get(lang),
                )
            }
            Route::RegistryPublish => {
                let (changes, version) = vault.registry_changes().ok()?;
                let held = vault.shelter_directory().ok()?.map(|d| d.version);
                let key = vault.signing_key().ok()?;
                let running = self
                    .sync
                    .running
                    .as_ref()
                    .is_some_and(|r| r.activity == Activity::PublishRegistry);
                let facts = view::PublishFacts {
                    changes: &changes,
                    version,
                    held,
                    key: key.as_ref(),
                    seed_filled: u32::try_from(self.registry.seed.chars().count())
                        .unwrap_or(u32::MAX),
                    seed_problem: self.registry.seed_problem.as_ref(),
                    running,
                    error: self.registry.publish_error,
                };
                (
                    Screen::RegistryPublish {
                        view: view::publish_view(facts, lang),
                    },
                    L::PublishTitle.get(lang),
                )
            }
            _ => return None,
        })
    }
}
