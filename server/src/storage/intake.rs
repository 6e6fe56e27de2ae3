//! Sealed online reports in SQL (SQLite and PostgreSQL alike): stored as
//! the browser sealed them, handed to the commune's managers in order, and
//! deleted after 30 days.

use super::sql::{blob, int};
use super::SqlStorage;
use crate::error::Result;
use crate::intake::wire::{InboxReport, InboxResponse, KEEP_MS};

/// Rows one inbox query reads at most (each at most 32 KiB).
const INBOX_ROWS: i64 = 64;

impl SqlStorage {
    /// See [`Storage::store_online_report`](super::Storage::store_online_report).
    pub(super) async fn insert_online_report(
        &self,
        id: [u8; 16],
        commune: String,
        received_at_ms: u64,
        sealed: Vec<u8>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM online_reports WHERE received_at < $1")
            .bind(received_at_ms.saturating_sub(KEEP_MS) as i64)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO online_reports (id, commune, received_at, sealed) VALUES ($1, $2, $3, $4)",
        )
        .bind(id.to_vec())
        .bind(commune)
        .bind(received_at_ms as i64)
        .bind(sealed)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// See [`Storage::online_reports`](super::Storage::online_reports).
    pub(super) async fn select_online_reports(
        &self,
        commune: String,
        after: u64,
        max_bytes: usize,
        since_ms: u64,
    ) -> Result<InboxResponse> {
        let rows = sqlx::query("SELECT seq, id, received_at, sealed FROM online_reports WHERE commune = $1 AND seq > $2 AND received_at >= $3 ORDER BY seq LIMIT $4")
            .bind(commune)
            .bind(i64::try_from(after).unwrap_or(i64::MAX))
            .bind(since_ms as i64)
            .bind(INBOX_ROWS)
            .fetch_all(self.pool())
            .await?;
        let mut reports = Vec::new();
        let mut bytes = 0;
        for row in &rows {
            let sealed = blob(row, "sealed")?;
            if !reports.is_empty() && bytes + sealed.len() > max_bytes {
                break;
            }
            bytes += sealed.len();
            reports.push(InboxReport {
                seq: int(row, "seq")? as u64,
                id: blob(row, "id")?
                    .try_into()
                    .map_err(|_| super::sql::corrupt("online report id"))?,
                received_at_ms: int(row, "received_at")? as u64,
                sealed,
            });
        }
        let more = reports.len() < rows.len() || rows.len() as i64 == INBOX_ROWS;
        Ok(InboxResponse { reports, more })
    }
}
