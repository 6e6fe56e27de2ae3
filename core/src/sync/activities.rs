//! Communication activities recorded on this device, kept in its vault
//! until the server has them: recorded offline, sent on the next sync.

use super::engine::{SyncContext, SyncReport, PUSH_BATCH_ITEMS};
use crate::stats::activity::{ActivityId, CommunicationActivity};
use crate::stats::registry::{ProgrammeRegistries, RegistryCounts};
use crate::store::Store;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Where the activities are kept in the store.
const ACTIVITIES: &str = "activities";
/// Most activities a device keeps (sent ones beyond this are forgotten
/// first; the server keeps them all).
pub const MAX_KEPT_ACTIVITIES: usize = 2_000;

/// Where a recorded activity stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivitySending {
    /// Waiting for the next sync.
    Pending,
    /// The server has it.
    Sent,
    /// The server refused it (its stable error code); correcting it sends
    /// it again.
    Refused {
        /// The server's error code.
        code: String,
    },
}

/// An activity recorded on this device, and whether the server has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedActivity {
    /// The activity.
    pub activity: CommunicationActivity,
    /// Where its sending stands.
    pub sending: ActivitySending,
}

/// The activities kept on this device, newest day first.
pub(crate) fn recorded(store: &Store) -> Result<Vec<RecordedActivity>> {
    Ok(store.meta(ACTIVITIES)?.unwrap_or_default())
}

/// Keeps `activity` to send (replacing the one with its id).
pub(crate) fn keep(store: &Store, activity: CommunicationActivity) -> Result<()> {
    let mut all = recorded(store)?;
    all.retain(|r| r.activity.id != activity.id);
    if all.len() >= MAX_KEPT_ACTIVITIES {
        match all.iter().rposition(|r| r.sending == ActivitySending::Sent) {
            Some(oldest_sent) => drop(all.remove(oldest_sent)),
            None => {
                return Err(Error::invalid(
                    "activities",
                    crate::Rule::TooMany {
                        max: MAX_KEPT_ACTIVITIES as u64,
                    },
                ))
            }
        }
    }
    all.push(RecordedActivity {
        activity,
        sending: ActivitySending::Pending,
    });
    all.sort_by_key(|r| std::cmp::Reverse(r.activity.date));
    store.set_meta(ACTIVITIES, &all)
}

fn mark(store: &Store, ids: &[ActivityId], sending: &ActivitySending) -> Result<()> {
    let mut all = recorded(store)?;
    for r in all.iter_mut().filter(|r| ids.contains(&r.activity.id)) {
        r.sending = sending.clone();
    }
    store.set_meta(ACTIVITIES, &all)
}

impl SyncContext<'_> {
    /// Sends the activities waiting on this device. A batch the server
    /// refuses (an activity it finds wrong) is marked refused with the
    /// server's code and does not stop the sync; a broken connection does,
    /// and the activities wait for the next one.
    pub(super) async fn push_activities(&self, report: &mut SyncReport) -> Result<()> {
        let pending: Vec<CommunicationActivity> = recorded(self.store)?
            .into_iter()
            .filter(|r| r.sending == ActivitySending::Pending)
            .map(|r| r.activity)
            .collect();
        for batch in pending.chunks(PUSH_BATCH_ITEMS) {
            let ids: Vec<ActivityId> = batch.iter().map(|a| a.id).collect();
            let entries = ProgrammeRegistries {
                communication_activities: batch.to_vec(),
                ..Default::default()
            };
            match self
                .call::<_, RegistryCounts>("/v1/registries/record", &entries)
                .await
            {
                Ok(_) => {
                    mark(self.store, &ids, &ActivitySending::Sent)?;
                    report.activities_sent += batch.len() as u64;
                }
                Err(Error::Refused { status, code, .. }) if (400..500).contains(&status) => {
                    mark(self.store, &ids, &ActivitySending::Refused { code })?;
                    report.activities_refused += batch.len() as u64;
                }
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }
}
