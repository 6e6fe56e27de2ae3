//! Online reports a commune case manager's phone received: kept in its
//! vault (sealed like every stored value) with what was decided about
//! each, until they are old and sorted.

use super::{InboxReport, OnlineReport};
use crate::error::Refusal;
use crate::model::CaseId;
use crate::store::Store;
use crate::sync::DeviceIdentity;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Where the reports are kept in the store.
const RECEIVED: &str = "online_reports";
/// Most reports a phone keeps (sorted ones beyond this are forgotten
/// first; the server keeps each 30 days).
pub const MAX_KEPT_REPORTS: usize = 500;

/// What was decided about a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReportTriage {
    /// Not sorted yet.
    Waiting,
    /// A case was opened from it.
    CaseOpened {
        /// The case.
        case_id: CaseId,
    },
    /// It was added to an existing case.
    Linked {
        /// The case.
        case_id: CaseId,
    },
    /// Dismissed, with the reason.
    Dismissed {
        /// Why (e.g. a duplicate, not in this commune, not a report).
        reason: String,
    },
}

/// A report as this phone received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReceivedReport {
    /// Its id (hex), as the server gave it.
    pub id: String,
    /// When the server received it (ms since 1970, UTC).
    pub received_at_ms: u64,
    /// What it says, once opened.
    pub report: Option<OnlineReport>,
    /// Why it could not be opened (the error's stable code): altered, not
    /// sealed to this phone, or not a report the page writes.
    pub unreadable: Option<String>,
    /// What was decided.
    pub triage: ReportTriage,
}

impl ReceivedReport {
    /// Opens `sealed` for this phone, in `commune`.
    pub(crate) fn open(identity: &DeviceIdentity, sealed: &InboxReport, commune: &str) -> Self {
        let opened = super::open(identity, &sealed.sealed, commune);
        Self {
            id: sealed.id.to_string(),
            received_at_ms: sealed.received_at_ms,
            unreadable: opened.as_ref().err().map(Error::item_code),
            report: opened.ok(),
            triage: ReportTriage::Waiting,
        }
    }
}

/// The reports kept, newest first.
pub(crate) fn received(store: &Store) -> Result<Vec<ReceivedReport>> {
    Ok(store.meta(RECEIVED)?.unwrap_or_default())
}

/// Keeps `new` reports (one already kept is not replaced), newest first,
/// forgetting the oldest sorted ones past [`MAX_KEPT_REPORTS`].
pub(crate) fn keep(store: &Store, new: Vec<ReceivedReport>) -> Result<()> {
    store.update_meta(RECEIVED, |current: Option<Vec<ReceivedReport>>| {
        let mut all = current.unwrap_or_default();
        for report in new {
            if !all.iter().any(|r| r.id == report.id) {
                all.push(report);
            }
        }
        all.sort_by_key(|r| std::cmp::Reverse(r.received_at_ms));
        while all.len() > MAX_KEPT_REPORTS {
            let oldest_sorted = all
                .iter()
                .rposition(|r| r.triage != ReportTriage::Waiting)
                .unwrap_or(all.len() - 1);
            all.remove(oldest_sorted);
        }
        Ok((all, ()))
    })
}

/// Records `triage` for the report `id`; a report already sorted is
/// refused. Returns the report as it was.
pub(crate) fn set_triage(store: &Store, id: &str, triage: ReportTriage) -> Result<ReceivedReport> {
    store.update_meta(RECEIVED, |current: Option<Vec<ReceivedReport>>| {
        let mut all = current.unwrap_or_default();
        let found = all
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::NotFound("online report".into()))?;
        if found.triage != ReportTriage::Waiting {
            return Err(Error::NotAllowed(Refusal::AlreadyTriaged));
        }
        let before = found.clone();
        found.triage = triage;
        Ok((all, before))
    })
}
