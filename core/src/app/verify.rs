//! Verifying the whole store: the database's structure, then every case's
//! list row, state and events must open and authenticate. For support staff
//! after a crash or before a phone is handed over; long on a full phone, so
//! it reports progress and can be cancelled (it only reads).

use super::App;
use crate::model::CaseId;
use crate::sync::CancelFlag;
use crate::{Error, Result};

/// What a store verification found.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VerifyReport {
    /// Cases checked.
    pub cases_checked: u64,
    /// Events checked (each opened and authenticated).
    pub events_checked: u64,
    /// Cases with a stored record that failed authentication (tampered or
    /// corrupted); every other case reads.
    pub unreadable: Vec<CaseId>,
}

impl App {
    /// Checks the database's integrity, then opens every case's list row,
    /// state and events. `progress(done, total)` is called after each case;
    /// [`Error::Cancelled`] once `cancel` is set.
    pub fn verify_store(
        &self,
        progress: &dyn Fn(u64, u64),
        cancel: &CancelFlag,
    ) -> Result<VerifyReport> {
        let session = self.session()?;
        session.store.integrity_check()?;
        let listing = session.store.list()?;
        let mut unreadable = listing.unreadable;
        let ids: Vec<CaseId> = listing
            .rows
            .iter()
            .map(|row| row.id)
            .chain(unreadable.iter().copied())
            .collect();
        let total = ids.len() as u64;
        let mut report = VerifyReport::default();
        progress(0, total);
        for id in ids {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            match session
                .store
                .case_state(id)
                .and_then(|_| session.store.events_of(id))
            {
                Ok(events) => report.events_checked += events.len() as u64,
                Err(Error::Tampered { .. }) => unreadable.push(id),
                Err(e) => return Err(e),
            }
            report.cases_checked += 1;
            progress(report.cases_checked, total);
        }
        unreadable.sort();
        unreadable.dedup();
        report.unreadable = unreadable;
        Ok(report)
    }
}
