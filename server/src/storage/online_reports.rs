//! Online reports in SQL (SQLite and PostgreSQL alike): stored sealed as
//! the page sent them, handed to the commune's case managers in order,
//! forgotten after 30 days.

use super::sql::{blob, corrupt, int};
use super::SqlStorage;
use crate::error::Result;
use binhan_core::online_report::{InboxReport, InboxResponse, OnlineReportId};
use sqlx::Row;

/// How long a report is kept, in ms.
pub const KEEP_MS: u64 = 30 * 24 * 3_600_000;
/// Most reports read per inbox answer (the `LIMIT` in the query's text).
const PAGE: usize = 200;

impl SqlStorage {
    /// See [`Storage::store_online_report`](super::Storage::store_online_report).
    pub(super) async fn insert_online_report(
        &self,
        commune: &str,
        sealed: Vec<u8>,
        now_ms: u64,
    ) -> Result<OnlineReportId> {
        let id = OnlineReportId(binhan_core::crypto::random_array());
        let mut tx = self.pool().begin().await?;
        // Take the inbox's sequence lock first: reports commit in order.
        sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'online_reports'")
            .execute(&mut *tx)
            .await?;
        let seq = int(
            &sqlx::query("SELECT value FROM counters WHERE name = 'online_reports'")
                .fetch_one(&mut *tx)
                .await?,
            "value",
        )?;
        sqlx::query("DELETE FROM online_reports WHERE received_at < $1")
            .bind(now_ms.saturating_sub(KEEP_MS) as i64)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO online_reports (seq, id, commune, received_at, sealed) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(seq)
        .bind(id.0.to_vec())
        .bind(commune)
        .bind(now_ms as i64)
        .bind(sealed)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// See [`Storage::online_reports`](super::Storage::online_reports).
    pub(super) async fn select_online_reports(
        &self,
        commune: &str,
        after: u64,
        max_bytes: usize,
    ) -> Result<InboxResponse> {
        let rows = sqlx::query(
            "SELECT seq, id, received_at, sealed FROM online_reports
             WHERE commune = $1 AND seq > $2 ORDER BY seq LIMIT 200",
        )
        .bind(commune)
        .bind(after as i64)
        .fetch_all(self.pool())
        .await?;
        let mut response = InboxResponse::default();
        let mut bytes = 0;
        for row in &rows {
            let sealed = blob(row, "sealed")?;
            if !response.reports.is_empty() && bytes + sealed.len() > max_bytes {
                response.more = true;
                break;
            }
            bytes += sealed.len();
            let id: Vec<u8> = row.try_get("id")?;
            response.reports.push(InboxReport {
                seq: int(row, "seq")? as u64,
                id: OnlineReportId(id.try_into().map_err(|_| corrupt("online report id"))?),
                received_at_ms: int(row, "received_at")? as u64,
                sealed,
            });
        }
        response.more |= rows.len() == PAGE;
        Ok(response)
    }
}
