//! What the record-an-incident events do: open (resuming the draft), change
//! a field, move between steps, save the case, discard the draft. Every
//! change is sealed into the vault's draft at once, so killing the app
//! loses nothing typed. Case content never reaches a log.

use super::{IntakeField, IntakeForm, IntakeList, IntakeStep, DRAFT};
use crate::core::{Inner, Route};
use crate::format;
use crate::text::Why;
use binhan_core::Error;

impl Inner {
    /// Opens the form: the draft if there is one, else a new form.
    pub(crate) fn intake_open(&mut self) {
        let Some(vault) = &self.vault else {
            return self.refuse(Why::NotAvailableHere);
        };
        if self.intake.is_none() {
            let today = format::today(self.last_interaction_ms);
            let form = match vault.draft::<IntakeForm>(DRAFT) {
                Ok(Some(form)) => {
                    self.intake_notice(super::text::L::DraftResumed, "draft_resumed");
                    form
                }
                Ok(None) => {
                    let enrolment = vault.enrolment().ok().flatten();
                    let mut form =
                        IntakeForm::new(today, enrolment.as_ref().map(|e| e.commune.as_str()));
                    if let Some(school) = vault.own_school().ok().flatten() {
                        form.for_student_of(&school);
                    }
                    form
                }
                Err(Error::Tampered { .. }) => {
                    // A draft from an older form, or damaged: never guess.
                    let discarded = vault.discard_draft(DRAFT);
                    if discarded.is_err() {
                        return self.refuse(Why::StorageFailed);
                    }
                    self.refuse(Why::DraftUnreadable);
                    IntakeForm::new(today, None)
                }
                Err(_) => return self.refuse(Why::StorageFailed),
            };
            self.intake = Some(form);
        }
        if *self.top() != Route::RecordIncident {
            self.stack.push(Route::RecordIncident);
        }
    }

    fn intake_notice(&mut self, label: super::text::L, code: &str) {
        let text = label.get(self.lang);
        self.inform_text(code, text);
    }

    /// Applies `change` to the form on screen and seals the draft; refused
    /// off the form or when `change` says the event does not fit.
    fn intake_change(&mut self, change: impl FnOnce(&mut IntakeForm) -> bool) {
        if *self.top() != Route::RecordIncident {
            return self.refuse(Why::NotAvailableHere);
        }
        let Some(form) = self.intake.as_mut() else {
            return self.refuse(Why::NotAvailableHere);
        };
        if !change(form) {
            return self.refuse(Why::NotAvailableHere);
        }
        self.intake_persist();
    }

    fn intake_persist(&mut self) {
        let saved = match (&self.vault, &self.intake) {
            (Some(vault), Some(form)) => vault.save_draft(DRAFT, form),
            _ => return,
        };
        if let Err(e) = saved {
            tracing::warn!(error = %crate::flows::kind(&e), "saving the draft failed");
            self.refuse(Why::StorageFailed);
        }
    }

    pub(crate) fn intake_set(&mut self, field: IntakeField, row: u32, value: &str) {
        self.intake_change(|form| form.set(field, row, value));
    }

    pub(crate) fn intake_toggle(&mut self, field: IntakeField, row: u32, code: &str) {
        self.intake_change(|form| form.toggle(field, row, code));
    }

    pub(crate) fn intake_add_row(&mut self, list: IntakeList) {
        let on_its_step = |form: &IntakeForm| match list {
            IntakeList::Perpetrators => form.step == IntakeStep::Perpetrators,
            IntakeList::Consents => form.step == IntakeStep::Consent,
        };
        let full = self
            .intake
            .as_ref()
            .is_some_and(|f| f.rows(list) >= super::MAX_ROWS);
        if full {
            return self.refuse(Why::ListFull);
        }
        self.intake_change(|form| on_its_step(form) && form.add_row(list));
    }

    pub(crate) fn intake_remove_row(&mut self, list: IntakeList, row: u32) {
        self.intake_change(|form| form.remove_row(list, row));
    }

    /// Shows `step`; the errors of the step left are shown from now on.
    pub(crate) fn intake_go_to(&mut self, step: IntakeStep) {
        self.intake_change(|form| {
            form.shown.insert(form.step);
            if step == IntakeStep::Review {
                form.shown.extend(IntakeStep::ALL);
            }
            form.step = step;
            true
        });
    }

    /// Checks the step on screen: on to the next step if it has no problem,
    /// else its errors are shown and it stays.
    pub(crate) fn intake_next(&mut self, now: u64) {
        let today = format::today(now);
        self.intake_change(|form| {
            let Some(next) = form.step.next() else {
                return false;
            };
            form.shown.insert(form.step);
            let step = form.step;
            let stuck = form
                .problems(today)
                .iter()
                .any(|(f, _, _)| f.spec().step == step);
            if !stuck {
                form.step = next;
                if next == IntakeStep::Review {
                    form.shown.extend(IntakeStep::ALL);
                }
            }
            true
        });
    }

    /// Back on the form: the step before, if any (true), else leave (false).
    pub(crate) fn intake_back(&mut self) -> bool {
        let Some(form) = self.intake.as_mut() else {
            return false;
        };
        let Some(previous) = form.step.previous() else {
            return false;
        };
        form.shown.insert(form.step);
        form.step = previous;
        self.intake_persist();
        true
    }

    /// Leaves the form: its text leaves memory (the draft stays sealed in
    /// the vault), and a form left as new keeps no draft.
    pub(crate) fn intake_leave(&mut self) {
        let Some(form) = self.intake.take() else {
            return;
        };
        if let (true, Some(vault)) = (form.is_blank(), &self.vault) {
            if let Err(e) = vault.discard_draft(DRAFT) {
                tracing::warn!(error = %crate::flows::kind(&e), "discarding a blank draft failed");
            }
        }
    }

    pub(crate) fn intake_discard(&mut self) {
        if *self.top() != Route::RecordIncident {
            return self.refuse(Why::NotAvailableHere);
        }
        if let Some(vault) = &self.vault {
            if vault.discard_draft(DRAFT).is_err() {
                return self.refuse(Why::StorageFailed);
            }
        }
        self.online_report_draft_discarded();
        self.intake = None;
        self.stack.pop();
        self.intake_notice(super::text::L::DraftDiscarded, "draft_discarded");
    }

    /// Saves the case from the review: every problem shown if any, else the
    /// case recorded under the draft's id, the draft discarded, and its
    /// summary shown.
    pub(crate) fn intake_save(&mut self, now: u64) {
        let today = format::today(now);
        let Some(form) = self.intake.as_mut() else {
            return self.refuse(Why::NotAvailableHere);
        };
        form.shown.extend(IntakeStep::ALL);
        if form.step != IntakeStep::Review {
            form.step = IntakeStep::Review;
        }
        let built = form.build(today);
        let case_id = form.case_id;
        let Ok(intake) = built else {
            self.intake_persist();
            return self.refuse(Why::FormHasErrors);
        };
        let Some(vault) = &self.vault else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.create_case_with_id(case_id, intake) {
            Ok(id) => {
                if let Err(e) = vault.discard_draft(DRAFT) {
                    // The case is saved; a leftover draft saves to the
                    // same case again, recording nothing more.
                    tracing::warn!(error = %crate::flows::kind(&e), "discarding the draft failed");
                }
                self.intake = None;
                self.stack.pop();
                if self.online_report_case_saved(id) {
                    return;
                }
                self.stack.push(Route::CaseSummary { id });
                self.intake_notice(super::text::L::CaseSaved, "case_saved");
            }
            Err(Error::Invalid { .. }) => {
                self.intake_persist();
                self.refuse(Why::IntakeRejected);
            }
            Err(e) => {
                tracing::warn!(error = %crate::flows::kind(&e), "saving the case failed");
                self.intake_persist();
                self.refuse(Why::StorageFailed);
            }
        }
    }
}
