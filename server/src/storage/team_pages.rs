//! Team pages in SQL (SQLite and PostgreSQL alike): storing those a device
//! pushes, each change by the same rules as a team entry, and finding them
//! for a device that joined one of their cases.
//!
//! A page is served whole to a member of any of its cases, even of only
//! some of them: a device added later to one case needs that case's team
//! history, which the page holds. Of the page's other cases it learns only
//! their ids and epochs (their keys are sealed only to the page's members).

use super::sql::{Budgeted, JoinedItems, Params, INSERT_ROWS};
use super::SqlStorage;
use crate::error::Result;
use binhan_core::model::CaseId;
use binhan_core::sync::wire::{DeviceRecord, TeamPage};
use binhan_core::sync::TeamState;
use std::collections::HashMap;

/// Pages served per query while a device joins their cases (in the SQL
/// text: SQLite plans a statement again each time its LIMIT is rebound).
const JOIN_PAGES: i64 = 50;

impl SqlStorage {
    /// Stores `device`'s team pages (each once, by id), each taking the
    /// next sequence number, every change of a page applied as a team
    /// entry's ([`Self::change_team`]) with the page's number, keeping the
    /// cases' teams (in `teams`, every case's loaded) and member rows in
    /// step. Returns how many were accepted (stored now or before).
    pub(super) async fn store_team_pages(
        tx: &mut sqlx::AnyConnection,
        device: &DeviceRecord,
        pages: &[TeamPage],
        teams: &mut HashMap<CaseId, TeamState>,
        seq: &mut u64,
    ) -> Result<u32> {
        for page in pages {
            let id = page.id.as_bytes().to_vec();
            let known = sqlx::query("SELECT seq FROM team_pages WHERE id = $1")
                .bind(id.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_some() {
                continue;
            }
            let number = *seq + 1;
            for (case_id, change) in page.team_changes() {
                Self::change_team(tx, device, teams, case_id, change, number).await?;
            }
            sqlx::query("INSERT INTO team_pages (seq, id, signer, body) VALUES ($1, $2, $3, $4)")
                .bind(number as i64)
                .bind(id)
                .bind(page.signer.as_bytes().to_vec())
                .bind(postcard::to_allocvec(page).unwrap_or_default())
                .execute(&mut *tx)
                .await?;
            for rows in page.changes.chunks(INSERT_ROWS) {
                let mut insert = sqlx::query(sqlx::AssertSqlSafe(Params::of(tx).values(
                    "INSERT INTO team_page_cases (page_seq, case_id) VALUES",
                    rows.len(),
                    2,
                    "",
                )));
                for change in rows {
                    insert = insert
                        .bind(number as i64)
                        .bind(change.case_id.as_bytes().to_vec());
                }
                insert.execute(&mut *tx).await?;
            }
            *seq = number;
        }
        Ok(pages.len() as u32)
    }

    /// The next page of team pages touching a case `device` joined with a
    /// sequence number in `(base, high]`, numbered after `after` and up to
    /// `high`, each once, in number order, with its stored size (not its
    /// own: a device holds the teams it changed). As a
    /// pull's tail page, bodies are read only up to the one that brings
    /// their sum to `budget` bytes; the pages after it come without one.
    pub(super) async fn joined_pages(
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        range: (u64, u64),
        after: u64,
        budget: usize,
    ) -> Result<Vec<Budgeted<TeamPage>>> {
        const PAGES: JoinedItems = JoinedItems {
            table: "team_pages",
            number: "seq",
            kept: "t.signer <> $1",
            chosen: "SELECT c.page_seq FROM members m
                       JOIN team_page_cases c ON c.case_id = m.case_id
                      WHERE m.device_id = $1 AND m.joined_seq > $2 AND m.joined_seq <= $3
                        AND c.page_seq > $4 AND c.page_seq <= $3",
            limit: JOIN_PAGES,
            what: "team page",
        };
        PAGES.read(conn, device, range, after, budget).await
    }
}
