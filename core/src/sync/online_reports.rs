//! A commune case manager's phone fetches its commune's online reports on
//! every sync, opens each with its device key and keeps it in its vault to
//! be sorted ([`crate::online_report`]). Other roles skip this step.

use super::engine::{SyncContext, SyncReport};
use crate::model::Role;
use crate::online_report::{keep, InboxRequest, InboxResponse, ReceivedReport};
use crate::Result;

/// Where the last report fetched is kept.
const AFTER: &str = "online_reports.after";

impl SyncContext<'_> {
    /// Where this device stands in its commune's inbox, if it has one (a
    /// commune case manager): sent with the pull, whose last chunk then
    /// brings the first reports waiting.
    pub(super) fn inbox_after(&self) -> Result<Option<u64>> {
        if self.enrolment()?.role != Role::CommuneCaseManager {
            return Ok(None);
        }
        Ok(Some(self.store.meta(AFTER)?.unwrap_or(0)))
    }

    /// Opens and keeps the reports stored since the last sync: `first`,
    /// the chunk the pull brought, then the rest, asked for. One that does
    /// not open is kept too, with the reason, so the manager sees that
    /// something arrived.
    pub(super) async fn pull_online_reports(
        &self,
        first: Option<InboxResponse>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let enrolment = self.enrolment()?;
        if enrolment.role != Role::CommuneCaseManager {
            return Ok(());
        }
        let mut after: u64 = self.store.meta(AFTER)?.unwrap_or(0);
        let mut first = first;
        loop {
            let chunk: InboxResponse = match first.take() {
                Some(chunk) => chunk,
                None => {
                    self.call("/v1/intake/inbox", &InboxRequest { after })
                        .await?
                }
            };
            let opened: Vec<ReceivedReport> = chunk
                .reports
                .iter()
                .map(|sealed| ReceivedReport::open(self.identity, sealed, &enrolment.commune))
                .collect();
            report.online_reports_received += opened.len() as u64;
            keep(self.store, opened)?;
            let Some(last) = chunk.reports.last() else {
                return Ok(());
            };
            after = last.seq;
            self.store.set_meta(AFTER, &after)?;
            if !chunk.more {
                return Ok(());
            }
        }
    }
}
