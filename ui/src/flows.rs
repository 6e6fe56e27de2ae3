//! What each event does: the camouflage gate, unlock, first run, PIN
//! change, navigation and panic wipe. Case content never reaches a log:
//! only error kinds are logged.

use crate::core::{Inner, Route};
use crate::effect::Effect;
use crate::event::{CalcKey, Field, PinKey, Target};
use crate::screens::camouflage::Pressed;
use crate::screens::form::SecretForm;
use crate::screens::pin::PinPad;
use crate::screens::{settings, setup};
use crate::text::{Why, T};
use binhan_core::app::Vault;
use binhan_core::cases::CaseAction;
use binhan_core::model::{CaseId, EventId, Lang};
use binhan_core::sync::MAX_SCHOOL_CHARS;
use binhan_core::Error;
use std::sync::Arc;

/// The two PIN forms of the settings.
#[derive(Debug, Clone, Copy)]
enum PinForm {
    Change,
    Duress,
}

/// Where the vault stands when the camouflage is opened.
enum Gate {
    /// No vault, or an erased one: first run.
    Fresh,
    /// A vault to unlock.
    Locked,
}

/// The error's kind, for logs (never its text, which may name a field).
pub(crate) fn kind(e: &Error) -> &'static str {
    match e {
        Error::Storage(_) => "storage",
        Error::Io(_) => "io",
        Error::Tampered { .. } => "tampered",
        Error::PlatformKey(_) => "platform_key",
        Error::Locked => "locked",
        Error::NotFound(_) => "not_found",
        _ => "other",
    }
}

/// The file beside the vault's that keeps the language chosen (not secret:
/// `vi` or `en`).
pub(crate) const LANG_FILE: &str = "ui-lang";

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// The language kept in `dir`, if any.
pub(crate) fn kept_language(dir: &std::path::Path) -> Option<Lang> {
    match std::fs::read_to_string(dir.join(LANG_FILE)).ok()?.trim() {
        "vi" => Some(Lang::Vi),
        "en" => Some(Lang::En),
        _ => None,
    }
}

impl Inner {
    /// Opens the vault if there is one; whether it is fresh or locked.
    fn gate(&mut self) -> Gate {
        if self.vault.is_none() && Vault::exists(&self.dir) {
            match Vault::open(&self.dir, self.config.clone()) {
                Ok(app) => self.vault = Some(Arc::new(app)),
                Err(Error::Erased) => return Gate::Fresh,
                Err(e) => {
                    // Not fresh: never offer to overwrite what may be there.
                    tracing::warn!(error = kind(&e), "the vault could not be opened");
                    return Gate::Locked;
                }
            }
        }
        match &self.vault {
            None => Gate::Fresh,
            Some(app) => match app.attempts_remaining() {
                Err(Error::Erased) => {
                    self.vault = None;
                    Gate::Fresh
                }
                _ => Gate::Locked,
            },
        }
    }

    pub(crate) fn calculator_key(&mut self, key: CalcKey) {
        if *self.top() != Route::Camouflage {
            return self.refuse(Why::NotAvailableHere);
        }
        if self.calculator.press(key) == Pressed::Secret {
            let route = match self.gate() {
                Gate::Fresh => Route::Setup,
                Gate::Locked => Route::PinPad,
            };
            self.stack.push(route);
        }
    }

    pub(crate) fn pin_key(&mut self, key: PinKey, now: u64) {
        if *self.top() != Route::PinPad {
            return self.refuse(Why::NotAvailableHere);
        }
        if key == PinKey::Submit {
            return self.unlock(now);
        }
        if let Err(why) = self.pin_pad.key(key, now) {
            self.refuse(why);
        }
    }

    pub(crate) fn set_field(&mut self, field: Field, value: &str, now: u64) {
        let accepted = match self.top() {
            Route::PinPad if field == Field::UnlockPin => {
                if let Some(secs) = self.pin_pad.wait_secs(now) {
                    return self.refuse(Why::WaitToRetry { secs });
                }
                self.pin_pad.set_entry(value);
                true
            }
            Route::Setup => self.setup.set(field, value),
            Route::ChangePin => self.change_pin.set(field, value),
            Route::DuressPin => self.duress.set(field, value),
            Route::Enrol => self.enrol_set(field, value),
            Route::Invite if field == Field::InviteSchool => {
                self.invite.school = value.chars().take(MAX_SCHOOL_CHARS).collect();
                true
            }
            _ => false,
        };
        if !accepted {
            self.refuse(Why::NotAvailableHere);
        }
    }

    pub(crate) fn submit(&mut self, now: u64) {
        match self.top() {
            Route::PinPad => self.unlock(now),
            Route::Setup => self.create(),
            Route::ChangePin => self.change_pin(),
            Route::DuressPin => self.set_duress(),
            Route::RecordIncident => self.intake_save(now),
            Route::CaseWork => self.work_save(now),
            Route::Enrol => self.enrol_submit(),
            Route::Invite => self.invite_submit(),
            _ => self.refuse(Why::NotAvailableHere),
        }
    }

    fn unlock(&mut self, now: u64) {
        if let Some(secs) = self.pin_pad.wait_secs(now) {
            return self.refuse(Why::WaitToRetry { secs });
        }
        if self.pin_pad.entry.is_empty() {
            self.pin_pad.problem = Some(Why::PinRequired);
            return;
        }
        if let Gate::Fresh = self.gate() {
            // Erased meanwhile: what a fresh install shows.
            self.pin_pad = PinPad::default();
            return self.lock_to_camouflage();
        }
        let Some(vault) = &self.vault else {
            self.pin_pad.reset_entry();
            self.pin_pad.problem = Some(Why::StorageFailed);
            return;
        };
        let result = vault.unlock(&self.pin_pad.entry);
        match result {
            Ok(()) => {
                // The real PIN and the duress PIN lead to the same place.
                self.pin_pad = PinPad::default();
                self.stack = vec![Route::Home];
            }
            Err(Error::WrongPin { remaining }) => {
                self.pin_pad.wrong_pin(remaining, &self.config.policy, now);
            }
            Err(Error::TooSoon { retry_after_secs }) => {
                self.pin_pad.too_soon(retry_after_secs, now);
            }
            // Too many wrong PINs: nothing may say that data existed.
            Err(Error::Erased) => self.forget_everything(),
            Err(e) => {
                tracing::warn!(error = kind(&e), "unlock failed");
                self.pin_pad.reset_entry();
                self.pin_pad.problem = Some(Why::StorageFailed);
            }
        }
    }

    fn create(&mut self) {
        self.setup.submitted = true;
        if !setup::errors(&self.setup).is_empty() {
            return;
        }
        let pin = self.setup.get(Field::Pin);
        let duress = self.setup.get(Field::DuressPin);
        match Vault::create(&self.dir, pin, self.config.clone()) {
            Ok(app) => {
                if !duress.is_empty() {
                    if let Err(e) = app.set_duress_pin(pin, duress) {
                        tracing::warn!(error = kind(&e), "setting the duress PIN failed");
                        self.refuse(Why::StorageFailed);
                    }
                }
                self.vault = Some(Arc::new(app));
                self.setup = setup::form();
                self.pin_pad = PinPad::default();
                self.stack = vec![Route::Home];
                self.inform("pin_created", T::PinCreated);
            }
            Err(Error::WeakPin(w)) => self.setup.refused = vec![(Field::Pin, Why::PinWeak(w))],
            Err(Error::AlreadyExists) => {
                self.setup = setup::form();
                self.stack = vec![Route::Camouflage, Route::PinPad];
            }
            Err(e) => {
                tracing::warn!(error = kind(&e), "creating the vault failed");
                self.refuse(Why::StorageFailed);
            }
        }
    }

    fn change_pin(&mut self) {
        self.submit_pin_form(PinForm::Change);
    }

    fn set_duress(&mut self) {
        self.submit_pin_form(PinForm::Duress);
    }

    fn pin_form(&mut self, which: PinForm) -> &mut SecretForm {
        match which {
            PinForm::Change => &mut self.change_pin,
            PinForm::Duress => &mut self.duress,
        }
    }

    /// Submits the change-PIN or duress-PIN form: every error at once,
    /// then the vault (which checks the current PIN as an unlock attempt).
    fn submit_pin_form(&mut self, which: PinForm) {
        let (errors, new_field) = match which {
            PinForm::Change => (settings::change_pin_errors(&self.change_pin), Field::NewPin),
            PinForm::Duress => (settings::duress_errors(&self.duress), Field::DuressPin),
        };
        self.pin_form(which).submitted = true;
        if !errors.is_empty() {
            return;
        }
        let Some(vault) = &self.vault else {
            return self.lock_to_camouflage();
        };
        let form = match which {
            PinForm::Change => &self.change_pin,
            PinForm::Duress => &self.duress,
        };
        let (current, new) = (form.get(Field::CurrentPin), form.get(new_field));
        let result = match which {
            PinForm::Change => vault.change_pin(current, new),
            PinForm::Duress => vault.set_duress_pin(current, new),
        };
        let refusal = match result {
            Ok(()) => {
                *self.pin_form(which) = match which {
                    PinForm::Change => settings::change_pin_form(),
                    PinForm::Duress => settings::duress_form(),
                };
                self.stack.pop();
                return match which {
                    PinForm::Change => self.inform("pin_changed", T::PinChanged),
                    PinForm::Duress => self.inform("duress_pin_set", T::DuressPinSet),
                };
            }
            Err(Error::WrongPin { remaining }) => (Field::CurrentPin, Why::WrongPin { remaining }),
            Err(Error::TooSoon { retry_after_secs }) => (
                Field::CurrentPin,
                Why::WaitToRetry {
                    secs: retry_after_secs,
                },
            ),
            Err(Error::WeakPin(w)) => (new_field, Why::PinWeak(w)),
            Err(Error::Erased) => return self.forget_everything(),
            Err(e) => {
                tracing::warn!(error = kind(&e), "a PIN form failed");
                return self.refuse(Why::StorageFailed);
            }
        };
        let form = self.pin_form(which);
        if refusal.0 == Field::CurrentPin {
            form.clear(Field::CurrentPin);
        }
        form.refused = vec![refusal];
    }

    pub(crate) fn open(&mut self, target: Target) {
        if target == Target::Emergency {
            if !matches!(self.top(), Route::Camouflage | Route::Emergency) {
                self.stack.push(Route::Emergency);
            }
            return;
        }
        let on_lock_screen = matches!(self.top(), Route::Camouflage | Route::PinPad | Route::Setup);
        if !self.unlocked() || on_lock_screen {
            return self.refuse(Why::NotAvailableHere);
        }
        let route = match target {
            Target::Home => {
                self.stack = vec![Route::Home];
                return self.intake_leave();
            }
            Target::CaseList => Route::CaseList,
            Target::Settings => Route::Settings,
            Target::ChangePin => {
                self.change_pin = settings::change_pin_form();
                Route::ChangePin
            }
            Target::DuressPin => {
                self.duress = settings::duress_form();
                Route::DuressPin
            }
            Target::Wipe => Route::ConfirmWipe,
            Target::RecordIncident => return self.intake_open(),
            Target::FindShelter => return self.finder_open(None),
            Target::Sync => Route::Sync,
            Target::HostDesk => Route::HostDesk,
            Target::ReferralInbox => Route::ReferralInbox,
            Target::OverdueReferrals => Route::OverdueReferrals,
            Target::Invite => {
                self.invite = Default::default();
                Route::Invite
            }
            Target::Enrol => Route::Enrol,
            Target::Devices => return self.devices_open(),
            Target::OnlineReports => return self.online_reports_open(),
            Target::Registry => return self.registry_open(),
            Target::Registries => return self.registries_open(),
            // The time of this event.
            Target::Report => return self.report_open(self.last_interaction_ms),
            Target::Emergency => Route::Emergency,
        };
        if *self.top() != route {
            self.stack.push(route);
        }
    }

    pub(crate) fn open_case(&mut self, id: &str) {
        if !self.unlocked() || self.top().before_unlock() {
            return self.refuse(Why::NotAvailableHere);
        }
        let Ok(id) = id.parse::<CaseId>() else {
            return self.refuse(Why::CaseNotFound);
        };
        let Some(vault) = &self.vault else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.case(id) {
            Ok(_) => self.stack.push(Route::CaseSummary { id }),
            Err(Error::NotFound(_)) => self.refuse(Why::CaseNotFound),
            Err(Error::Tampered { .. }) => self.refuse(Why::CaseUnreadable),
            Err(e) => {
                tracing::warn!(error = kind(&e), "opening a case failed");
                self.refuse(Why::StorageFailed);
            }
        }
    }

    /// Shows a case's conflicts.
    pub(crate) fn open_conflicts(&mut self, id: &str) {
        if !self.unlocked() || self.top().before_unlock() {
            return self.refuse(Why::NotAvailableHere);
        }
        match id.parse::<CaseId>() {
            Ok(id) if self.vault.as_ref().is_some_and(|v| v.case(id).is_ok()) => {
                self.stack.push(Route::Conflicts { id })
            }
            _ => self.refuse(Why::CaseNotFound),
        }
    }

    /// Keeps one value of a conflict, on the conflicts screen of that case.
    pub(crate) fn resolve_conflict(&mut self, id: &str, field: String, keep: &str) {
        let (Ok(id), Ok(keep)) = (id.parse::<CaseId>(), keep.parse::<EventId>()) else {
            return self.refuse(Why::NotAvailableHere);
        };
        if *self.top() != (Route::Conflicts { id }) {
            return self.refuse(Why::NotAvailableHere);
        }
        let Some(vault) = &self.vault else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.act(id, CaseAction::ResolveConflict { field, keep }) {
            Ok(_) => self.inform("conflict_resolved", T::ConflictResolved),
            Err(Error::NotAllowed(refusal)) => self.refuse_core(refusal),
            Err(Error::NotFound(_) | Error::Invalid { .. }) => self.refuse(Why::NotAvailableHere),
            Err(e) => {
                tracing::warn!(error = kind(&e), "resolving a conflict failed");
                self.refuse(Why::StorageFailed);
            }
        }
    }

    pub(crate) fn confirm_wipe(&mut self) {
        if *self.top() != Route::ConfirmWipe || !self.unlocked() {
            return self.refuse(Why::NotAvailableHere);
        }
        if let Some(vault) = self.vault.take() {
            if let Err(e) = vault.panic_wipe() {
                // The keys are erased first; a leftover file is unreadable.
                tracing::warn!(error = kind(&e), "panic wipe finished with an error");
            }
        }
        self.forget_everything();
        self.effects.push(Effect::HideApp);
    }

    /// The vault was erased: the app becomes what a new install is, down to
    /// the language it starts in.
    pub(crate) fn forget_everything(&mut self) {
        self.vault = None;
        self.pin_pad = PinPad::default();
        // Core removed the file with the vault's data.
        self.commune_numbers = None;
        self.lang = self.start_lang;
        match std::fs::remove_file(self.dir.join(LANG_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(error = %e.kind(), "the language choice could not be removed"),
        }
        self.lock_to_camouflage();
    }

    /// Changes the language and keeps the choice beside the vault, so the
    /// app opens in it next time (before unlocking too).
    pub(crate) fn set_language(&mut self, lang: Lang) {
        self.lang = lang;
        let written = std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(self.dir.join(LANG_FILE), lang_code(lang)));
        if let Err(e) = written {
            tracing::warn!(error = %e.kind(), "the language choice could not be kept");
        }
    }
}
