//! De-identified statistics records (and their withdrawals) sent to the
//! server sealed to the provincial office's key, each case's newest
//! revision once ([`crate::stats::sealed`]).

use super::engine::{SyncContext, SyncReport, PUSH_BATCH_ITEMS, STATS_SENT};
use super::wire::{stats_message, StatsPush, StatsPushResponse};
use crate::model::{CaseId, Role};
use crate::stats::school_use::{procedure_months, SchoolUse};
use crate::stats::sealed::{OfficeKey, Sealer};
use crate::Result;
use std::collections::BTreeMap;

/// The months of school procedure use this phone last sent.
const SCHOOL_USE_SENT: &str = "stats.school_use_sent";
/// The office's statistics key, once checked against the pinned provincial
/// key ([`crate::app`] fetches it after the shelter step).
pub(crate) const OFFICE_KEY_META: &str = "stats.office_key";

impl SyncContext<'_> {
    /// Sends the de-identified statistics record (or its withdrawal) of every
    /// case whose statistics changed since this device last sent them,
    /// sealed to the office's key, each in this device's slot of the case.
    /// Every team device may send; the office keeps the newest revision.
    /// Until the office's key is known they wait (counted in the report).
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
        let me = self.identity.device_id();
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
            let seed = state.statistics_seed();
            if school.is_some() {
                school_states.push(state);
            }
            let (Some(update), Some(seed)) = (update, seed) else {
                continue;
            };
            if sent.get(&case_id) == Some(&update.revision()) {
                continue;
            }
            revisions.push((case_id, update.revision()));
            updates.push((seed.slot(me), update));
        }
        let office: Option<OfficeKey> = self.store.meta(OFFICE_KEY_META)?;
        let Some(office) = office else {
            report.statistics_waiting = updates.len() as u64;
            return self
                .push_school_use_of(school, &enrolment.commune, &school_states)
                .await;
        };
        report.statistics_waiting = 0;
        for (batch, revs) in updates
            .chunks(PUSH_BATCH_ITEMS)
            .zip(revisions.chunks(PUSH_BATCH_ITEMS))
        {
            let sealer = Sealer::new(&office)?;
            let rows = batch
                .iter()
                .map(|(slot, update)| sealer.seal(*slot, update))
                .collect::<Result<Vec<_>>>()?;
            let request = StatsPush {
                signature: self.identity.sign(&stats_message(&rows)),
                rows,
            };
            let _: StatsPushResponse = self.call("/v1/stats/push", &request).await?;
            sent.extend(revs.iter().copied());
            self.store.set_meta(STATS_SENT, &sent)?;
            report.statistics_sent += batch.len() as u64;
        }
        self.push_school_use_of(school, &enrolment.commune, &school_states)
            .await
    }

    /// A counselor's school use, from the case states the statistics read.
    async fn push_school_use_of(
        &self,
        school: Option<String>,
        commune: &str,
        states: &[crate::events::CaseState],
    ) -> Result<()> {
        match school {
            Some(school) => {
                self.push_school_use(procedure_months(states, &school, commune))
                    .await
            }
            None => Ok(()),
        }
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
