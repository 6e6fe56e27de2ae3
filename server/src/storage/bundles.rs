//! Snapshot bundles in SQL (SQLite and PostgreSQL alike): storing those a
//! device pushes, indexing them by recipient and case, serving them to a
//! device joining their cases, and forgetting them when a recipient leaves
//! a case or a newer bundle replaces them.

use super::sql::{blob, int, Budgeted, JoinedItems, Params, INSERT_ROWS};
use super::SqlStorage;
use crate::error::{Result, ServerError};
use binhan_core::model::{CaseId, DeviceId};
use binhan_core::sync::wire::WireBundle;
use binhan_core::sync::TeamState;
use std::collections::{BTreeSet, HashMap};

/// Bundles served per query while a device joins their cases (in the SQL
/// text: SQLite plans a statement again each time its LIMIT is rebound).
const BUNDLE_PAGE: i64 = 50;

impl SqlStorage {
    /// Stores the bundles `me` pushes: each must come from a member of
    /// every case in it and be sealed only for members of every case; one
    /// made for an older epoch or a future sequence number is skipped.
    /// Each new bundle takes the next sequence number (`seq`, the push holds
    /// the sequence lock). Returns how many were accepted (stored now or
    /// before).
    pub(super) async fn store_bundles(
        tx: &mut sqlx::AnyConnection,
        me: DeviceId,
        bundles: &[WireBundle],
        teams: &HashMap<CaseId, TeamState>,
        seq: &mut u64,
    ) -> Result<u32> {
        let mut accepted = 0;
        let mut replaced = BTreeSet::new();
        for bundle in bundles {
            let id = bundle.id.as_bytes().to_vec();
            let mut stale = false;
            for case in &bundle.cases {
                let team = teams.get(&case.case_id);
                let members = team.map(TeamState::members).unwrap_or_default();
                if !members.contains(&me) {
                    return Err(ServerError::forbidden(
                        "not_a_member",
                        format!("device is not on the team of case {}", case.case_id),
                    ));
                }
                if let Some(key) = bundle.keys.iter().find(|k| !members.contains(&k.recipient)) {
                    return Err(ServerError::forbidden(
                        "not_a_member",
                        format!(
                            "bundle {} is sealed for device {}, not on the team of case {}",
                            bundle.id, key.recipient, case.case_id
                        ),
                    ));
                }
                let epoch = team.and_then(TeamState::epoch);
                stale |= epoch != Some(case.epoch) || case.covers_seq > *seq;
            }
            if stale {
                continue;
            }
            accepted += 1;
            let number = (*seq + 1) as i64;
            let stored = sqlx::query(
                "INSERT INTO bundles (id, number, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id.clone())
            .bind(number)
            .bind(postcard::to_allocvec(bundle).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
            if stored.rows_affected() == 0 {
                continue; // stored by an earlier push
            }
            *seq += 1;
            let mut indexed = 0;
            for rows in bundle.cases.chunks(INSERT_ROWS) {
                let mut insert = sqlx::query(sqlx::AssertSqlSafe(Params::of(tx).values(
                    "INSERT INTO bundle_cases (bundle_id, case_id) VALUES",
                    rows.len(),
                    2,
                    "",
                )));
                for case in rows {
                    insert = insert
                        .bind(id.clone())
                        .bind(case.case_id.as_bytes().to_vec());
                }
                insert.execute(&mut *tx).await?;
            }
            for key in &bundle.keys {
                let device = key.recipient.as_bytes().to_vec();
                for rows in bundle.cases.chunks(INSERT_ROWS / 2) {
                    let params = Params::of(tx);
                    let mut select = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT DISTINCT bundle_id FROM bundle_index WHERE device_id = {} AND case_id IN ({})",
                        params.list(1, 1),
                        params.list(2, rows.len())
                    )))
                    .bind(device.clone());
                    for case in rows {
                        select = select.bind(case.case_id.as_bytes().to_vec());
                    }
                    for row in select.fetch_all(&mut *tx).await? {
                        replaced.insert(blob(&row, "bundle_id")?);
                    }
                    // The newest bundle wins; of two with the same cover, the later.
                    let mut upsert = sqlx::query(sqlx::AssertSqlSafe(params.values(
                        "INSERT INTO bundle_index (device_id, case_id, bundle_id, number, covers_seq) VALUES",
                        rows.len(),
                        5,
                        " ON CONFLICT (device_id, case_id) DO UPDATE SET bundle_id = excluded.bundle_id,
                              number = excluded.number, covers_seq = excluded.covers_seq
                          WHERE bundle_index.covers_seq <= excluded.covers_seq",
                    )));
                    for case in rows {
                        upsert = upsert
                            .bind(device.clone())
                            .bind(case.case_id.as_bytes().to_vec())
                            .bind(id.clone())
                            .bind(number)
                            .bind(case.covers_seq as i64);
                    }
                    indexed += upsert.execute(&mut *tx).await?.rows_affected();
                }
            }
            if indexed == 0 {
                replaced.insert(id); // every row already had a newer bundle
            }
        }
        Self::drop_unindexed_bundles(tx, replaced).await?;
        Ok(accepted)
    }

    /// Stops serving to `device` every bundle that holds `case` (it left
    /// the case's team), deleting bundles no one is served any more.
    pub(super) async fn forget_bundles_of_case(
        tx: &mut sqlx::AnyConnection,
        device: &[u8],
        case: &[u8],
    ) -> Result<()> {
        let bundles = Self::bundle_ids(
            tx,
            "SELECT bundle_id FROM bundle_cases WHERE case_id = $1",
            case,
        )
        .await?;
        sqlx::query(
            "DELETE FROM bundle_index WHERE device_id = $1
               AND bundle_id IN (SELECT bundle_id FROM bundle_cases WHERE case_id = $2)",
        )
        .bind(device.to_vec())
        .bind(case.to_vec())
        .execute(&mut *tx)
        .await?;
        Self::drop_unindexed_bundles(tx, bundles).await
    }

    /// Stops serving any bundle to `device` (revoked).
    pub(super) async fn forget_bundles_of_device(
        tx: &mut sqlx::AnyConnection,
        device: &[u8],
    ) -> Result<()> {
        let bundles = Self::bundle_ids(
            tx,
            "SELECT DISTINCT bundle_id FROM bundle_index WHERE device_id = $1",
            device,
        )
        .await?;
        sqlx::query("DELETE FROM bundle_index WHERE device_id = $1")
            .bind(device.to_vec())
            .execute(&mut *tx)
            .await?;
        Self::drop_unindexed_bundles(tx, bundles).await
    }

    /// The `bundle_id`s that `sql` selects with `value` bound.
    async fn bundle_ids(
        tx: &mut sqlx::AnyConnection,
        sql: &'static str,
        value: &[u8],
    ) -> Result<BTreeSet<Vec<u8>>> {
        sqlx::query(sql)
            .bind(value.to_vec())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| blob(r, "bundle_id"))
            .collect()
    }

    /// Deletes those of `candidates` that no index row points to.
    async fn drop_unindexed_bundles(
        tx: &mut sqlx::AnyConnection,
        candidates: BTreeSet<Vec<u8>>,
    ) -> Result<()> {
        for id in candidates {
            let used =
                sqlx::query("SELECT 1 AS one FROM bundle_index WHERE bundle_id = $1 LIMIT 1")
                    .bind(id.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
            if used.is_none() {
                for sql in [
                    "DELETE FROM bundle_cases WHERE bundle_id = $1",
                    "DELETE FROM bundles WHERE id = $1",
                ] {
                    sqlx::query(sql).bind(id.clone()).execute(&mut *tx).await?;
                }
            }
        }
        Ok(())
    }

    /// The next page of bundles for `device` holding a case it joined with
    /// a sequence number in `(base, high]`, numbered after `after` and up
    /// to `high` (stored before the pull session began: a bundle stored
    /// later may replace an index row mid-session, and is not used), in
    /// number order, each with its stored size. As a pull's tail page,
    /// bodies are read only up to the one that brings their sum to
    /// `budget` bytes; the bundles after it come without one (`None`).
    pub(super) async fn joined_bundles(
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        range: (u64, u64),
        after: u64,
        budget: usize,
    ) -> Result<Vec<Budgeted<WireBundle>>> {
        const BUNDLES: JoinedItems = JoinedItems {
            table: "bundles",
            number: "number",
            kept: "TRUE",
            chosen: "SELECT bi.number FROM bundle_index bi
                       JOIN members m ON m.case_id = bi.case_id AND m.device_id = bi.device_id
                      WHERE bi.device_id = $1 AND m.joined_seq > $2 AND m.joined_seq <= $3
                        AND bi.number > $4 AND bi.number <= $3",
            limit: BUNDLE_PAGE,
            what: "bundle",
        };
        BUNDLES.read(conn, device, range, after, budget).await
    }

    /// How far the bundle `device` was served for `case` in this pull
    /// session covers it, if one was (see [`Self::joined_bundles`]).
    pub(super) async fn bundle_cover(
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        case: &[u8],
        high: u64,
    ) -> Result<Option<u64>> {
        let row = sqlx::query(
            "SELECT covers_seq FROM bundle_index WHERE device_id = $1 AND case_id = $2 AND number <= $3",
        )
        .bind(device.to_vec())
        .bind(case.to_vec())
        .bind(high as i64)
        .fetch_optional(&mut *conn)
        .await?;
        row.map(|r| int(&r, "covers_seq").map(|c| c as u64))
            .transpose()
    }
}
