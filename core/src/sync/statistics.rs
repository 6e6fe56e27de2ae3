//! De-identified statistics records (and their withdrawals) sent to the
//! server, each case's newest revision once.

use super::engine::{SyncContext, SyncReport, PUSH_BATCH_ITEMS, STATS_SENT};
use super::wire::{stats_message, StatsPush, StatsPushResponse};
use crate::model::{CaseId, Role};
use crate::stats::school_use::{procedure_months, SchoolUse};
use crate::Result;
use std::collections::BTreeMap;

/// The months of school procedure use this phone last sent.
const SCHOOL_USE_SENT: &str = "stats.school_use_sent";

impl SyncContext<'_> {
    /// Sends the de-identified statistics record (or its withdrawal) of every
    /// case whose statistics changed since this device last sent them. Every
    /// team device may send; the server keeps the newest revision.
    pub(super) async fn push_statistics(&self, report: &mut SyncReport) -> Result<()> {
        let enrolment = self.enrolment()?;
        let role = enrolment.role;
        if matches!(
            role,
            Role::ProvincialOfficer | Role::ShelterHost | Role::ServiceProvider
        ) {
            return Ok(());
        }
        let mut sent: BTreeMap<CaseId, u64> = self.store.meta(STATS_SENT)?.unwrap_or_default();
        let mut updates = Vec::new();
        let mut revisions = Vec::new();
        // A counselor's school, whose procedure use goes out with the
        // statistics, read from the same case states.
        let school = match role {
            Role::SchoolCounselor => {
                super::auth::own_school(self.store, self.identity.device_id())?
            }
            _ => None,
        };
        let mut school_states = Vec::new();
        for case_id in self.store.case_ids()? {
            let Some(state) = self.store.case_state(case_id)? else {
                continue;
            };
            let update = crate::stats::stat_update(&state);
            if school.is_some() {
                school_states.push(state);
            }
            let Some(update) = update else {
                continue;
            };
            if sent.get(&case_id) == Some(&update.revision()) {
                continue;
            }
            revisions.push((case_id, update.revision()));
            updates.push(update);
        }
        for (batch, revs) in updates
            .chunks(PUSH_BATCH_ITEMS)
            .zip(revisions.chunks(PUSH_BATCH_ITEMS))
        {
            let request = StatsPush {
                signature: self.identity.sign(&stats_message(batch)),
                updates: batch.to_vec(),
            };
            let _: StatsPushResponse = self.call("/v1/stats/push", &request).await?;
            sent.extend(revs.iter().copied());
            self.store.set_meta(STATS_SENT, &sent)?;
            report.statistics_sent += batch.len() as u64;
        }
        if let Some(school) = school {
            let used = procedure_months(&school_states, &school, &enrolment.commune);
            self.push_school_use(used).await?;
        }
        Ok(())
    }

    /// A school counselor's phone: sends the months in which a step of the
    /// school procedure was recorded on its school's cases it holds
    /// ([`procedure_months`]), when they changed since it last sent them.
    /// The server takes the school from the counselor's certified record.
    async fn push_school_use(&self, used: SchoolUse) -> Result<()> {
        let sent: SchoolUse = self.store.meta(SCHOOL_USE_SENT)?.unwrap_or_default();
        if used.months.is_empty() || used == sent {
            return Ok(());
        }
        let () = self.call("/v1/stats/school-use", &used).await?;
        self.store.set_meta(SCHOOL_USE_SENT, &used)
    }
}
