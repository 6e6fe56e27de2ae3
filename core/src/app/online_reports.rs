//! Online reports on a commune case manager's phone: the list, and sorting
//! each one (open a case from it, add it to a case, or dismiss it with a
//! reason). Fetched on sync ([`crate::sync`]).

use super::Vault;
use crate::cases::CaseAction;
use crate::error::{Refusal, Rule};
use crate::model::validate::required_text;
use crate::model::{Note, Role};
use crate::online_report::{received, set_triage, ReceivedReport, ReportTriage};
use crate::{Error, Result};

/// Longest reason for dismissing a report, in characters.
const MAX_REASON_CHARS: usize = 500;

impl Vault {
    fn managers_only(&self) -> Result<()> {
        match self.enrolment()? {
            Some(e) if e.role == Role::CommuneCaseManager => Ok(()),
            _ => Err(Error::NotAllowed(Refusal::ManagersOnly)),
        }
    }

    /// (Commune case managers) The online reports received, newest first.
    pub fn online_reports(&self) -> Result<Vec<ReceivedReport>> {
        self.managers_only()?;
        self.with_store(received)
    }

    /// Keeps `reports` as if a sync had fetched them (one already kept is
    /// not replaced), for tests of the screens that show them.
    #[cfg(any(test, feature = "testing"))]
    pub fn keep_online_reports_for_tests(&self, reports: Vec<ReceivedReport>) -> Result<()> {
        self.with_store(|store| crate::online_report::keep(store, reports))
    }

    /// (Commune case managers) Sorts the report `id`. A case it opened or
    /// joined gets a note with everything the report says; a dismissal
    /// needs a reason; a report that could not be opened can only be
    /// dismissed; a report sorted once is not sorted again.
    pub fn triage_online_report(&self, id: &str, triage: ReportTriage) -> Result<()> {
        self.managers_only()?;
        let report = self
            .with_store(received)?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::NotFound("online report".into()))?;
        if report.triage != ReportTriage::Waiting {
            return Err(Error::NotAllowed(Refusal::AlreadyTriaged));
        }
        match (&triage, &report.report) {
            (ReportTriage::Waiting, _) => {
                return Err(Error::invalid("online_report.triage", Rule::Required));
            }
            (ReportTriage::Dismissed { reason }, _) => {
                required_text("online_report.reason", reason, MAX_REASON_CHARS)?;
            }
            (ReportTriage::CaseOpened { case_id } | ReportTriage::Linked { case_id }, Some(r)) => {
                let received_on = chrono::DateTime::from_timestamp_millis(
                    i64::try_from(report.received_at_ms).unwrap_or(0),
                )
                .unwrap_or_default()
                .date_naive();
                self.act(
                    *case_id,
                    CaseAction::AddNote(Note {
                        text: r.as_note(received_on),
                    }),
                )?;
            }
            (ReportTriage::CaseOpened { .. } | ReportTriage::Linked { .. }, None) => {
                return Err(Error::invalid("online_report", Rule::BadFormat));
            }
        }
        self.with_store(|store| set_triage(store, id, triage).map(drop))
    }
}

#[cfg(test)]
#[path = "online_reports_tests.rs"]
mod tests;
