//! Group commit: pushes that arrive while another is being written share the
//! next transaction, so many devices' pushes cost one sequence lock and one
//! commit (one fsync) instead of one each.
//!
//! One writer task per server process takes every push waiting in its queue
//! (up to [`MAX_GROUP`]) and stores them, in order, in one transaction, on
//! a connection it keeps (on SQLite, a connection's page cache survives only
//! while no other connection writes):
//! - consecutive pushes of events and snapshots only (what a device sends
//!   in a sync without team changes) are checked together in memory and
//!   written with one query per table, so a group of them costs a handful
//!   of statements;
//! - a push with team changes or bundles is stored inside its own savepoint.
//!
//! A group's events are written without first looking up which are stored
//! already: nearly all are new, and the unique index on event ids catches
//! the rest. If one was stored (a device retrying a push whose answer it
//! lost), the group is rolled back and written again with the lookup.
//!
//! A refused push gets its own error and writes nothing; the others are
//! committed. If the group's transaction fails, each of its pushes is tried
//! again in a transaction of its own, so one failing push cannot fail the
//! others. A device's retry is always safe (pushes are idempotent by item
//! id). Sequence numbers are still taken under the row lock in the
//! database, so two processes on one PostgreSQL stay one.

use super::push::{StoredCheck, ALREADY_STORED};
use super::sql::{int, SqlStorage};
use super::still_active;
use crate::error::{Result, ServerError};
use binhan_core::sync::wire::{DeviceRecord, PushRequest, PushResponse};
use sqlx::pool::PoolConnection;
use sqlx::{Acquire, Any, AnyConnection, AnyPool};
use tokio::sync::{mpsc, oneshot};

/// Most pushes written in one transaction.
pub const MAX_GROUP: usize = 64;
/// Pushes that may wait for the writer before senders wait too.
const QUEUE: usize = 1024;

/// One device's push, as the writer stores it.
#[derive(Debug, Clone)]
pub struct DevicePush {
    /// The pushing device (its signatures already verified).
    pub device: DeviceRecord,
    /// What it pushes.
    pub request: PushRequest,
    /// The server's clock when the push arrived, ms since 1970.
    pub now_ms: u64,
}

/// A push waiting for the writer, with where its answer goes.
struct PendingPush {
    push: DevicePush,
    answer: oneshot::Sender<Result<PushResponse>>,
}

/// The queue to this process's writer task.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<PendingPush>,
}

impl GroupCommit {
    /// Starts the writer task on the current tokio runtime; it stops when
    /// the last handle is dropped.
    pub fn start(pool: AnyPool) -> Self {
        let (queue, pending) = mpsc::channel(QUEUE);
        tokio::spawn(write_groups(pool, pending));
        Self { queue }
    }

    /// Stores `push` with whatever other pushes are waiting, and answers
    /// once their transaction is committed.
    pub async fn push(&self, push: DevicePush) -> Result<PushResponse> {
        let (answer, answered) = oneshot::channel();
        if self.queue.send(PendingPush { push, answer }).await.is_err() {
            return Err(writer_gone());
        }
        answered.await.unwrap_or_else(|_| Err(writer_gone()))
    }
}

fn writer_gone() -> ServerError {
    tracing::error!(kind = "storage", "the push writer has stopped");
    ServerError::internal()
}

/// The writer task: one group per transaction until the queue closes, on a
/// connection it keeps from group to group.
async fn write_groups(pool: AnyPool, mut pending: mpsc::Receiver<PendingPush>) {
    let mut waiting = Vec::with_capacity(MAX_GROUP);
    let mut kept = None;
    while pending.recv_many(&mut waiting, MAX_GROUP).await > 0 {
        let (group, answers): (Vec<DevicePush>, Vec<_>) =
            waiting.drain(..).map(|p| (p.push, p.answer)).unzip();
        let outcomes;
        (kept, outcomes) = store_isolated(&pool, kept, group).await;
        for (answer, outcome) in answers.into_iter().zip(outcomes) {
            // A sender that gave up (its connection was cut) retries later.
            let _ = answer.send(outcome);
        }
    }
}

/// Stores `group` on the writer's connection (`kept`, else a fresh one from
/// the pool) in a task of its own, so that a bug that panics fails this
/// group's pushes (answered with an internal error, not stored) and not
/// every push after it. Returns each push's outcome, and the connection to
/// keep: none after a failure at the database.
async fn store_isolated(
    pool: &AnyPool,
    kept: Option<PoolConnection<Any>>,
    group: Vec<DevicePush>,
) -> (Option<PoolConnection<Any>>, Vec<Result<PushResponse>>) {
    let count = group.len();
    let all_failed = |error: ServerError| (None, vec![Err(error); count]);
    let mut conn = match kept {
        Some(conn) => conn,
        None => match pool.acquire().await {
            Ok(conn) => conn,
            Err(error) => return all_failed(error.into()),
        },
    };
    let stored = tokio::spawn(async move {
        let outcomes = store_group(&mut conn, &group).await;
        (conn, outcomes)
    })
    .await;
    match stored {
        Ok((conn, outcomes)) => {
            let failed = outcomes
                .iter()
                .any(|o| o.as_ref().is_err_and(|e| e.status.is_server_error()));
            ((!failed).then_some(conn), outcomes)
        }
        Err(_) => {
            tracing::error!(kind = "storage", "storing a group of pushes stopped");
            all_failed(ServerError::internal())
        }
    }
}

/// Stores `group` in one transaction (again with the stored-events lookup
/// if one of its events was stored already); if that fails, each push in a
/// transaction of its own. Returns each push's outcome, in order.
pub(super) async fn store_group(
    conn: &mut AnyConnection,
    group: &[DevicePush],
) -> Vec<Result<PushResponse>> {
    let committed = match commit_group(conn, group, StoredCheck::AssumeNew).await {
        Err(error) if error.code == ALREADY_STORED => {
            commit_group(conn, group, StoredCheck::LookUp).await
        }
        committed => committed,
    };
    match committed {
        Ok(outcomes) => outcomes,
        Err(_) if group.len() > 1 => {
            tracing::warn!(
                kind = "storage",
                pushes = group.len(),
                "a group of pushes failed; storing each alone"
            );
            let mut outcomes = Vec::with_capacity(group.len());
            for push in group.chunks(1) {
                let outcome = commit_group(conn, push, StoredCheck::LookUp).await;
                outcomes.push(
                    outcome
                        .and_then(|mut o| o.pop().unwrap_or_else(|| Err(ServerError::internal()))),
                );
            }
            outcomes
        }
        Err(error) => vec![Err(error)],
    }
}

/// Stores `group` in one transaction: each push all or nothing, and
/// together committed or not at all (as `check` says, looking up which
/// events are stored already). Returns each push's own outcome.
async fn commit_group(
    conn: &mut AnyConnection,
    group: &[DevicePush],
    check: StoredCheck,
) -> Result<Vec<Result<PushResponse>>> {
    let mut tx = conn.begin().await?;
    // The sequence lock first: transactions commit in sequence order.
    let row = sqlx::query("UPDATE counters SET value = value WHERE name = 'seq' RETURNING value")
        .fetch_one(&mut *tx)
        .await?;
    let mut seq = int(&row, "value")? as u64;
    // Devices come from the enrolment cache: whether each is still active
    // is read here, in the transaction that stores its push.
    let devices: Vec<_> = group.iter().map(|p| p.device.public.device_id).collect();
    let standing = SqlStorage::standing(&mut tx, &devices).await?;
    let mut outcomes = Vec::with_capacity(group.len());
    let mut plain = Vec::new();
    for push in group {
        let active = still_active(standing.get(&push.device.public.device_id).copied());
        let request = &push.request;
        let plain_push =
            request.team.is_empty() && request.pages.is_empty() && request.bundles.is_empty();
        if active.is_ok() && plain_push {
            plain.push(push);
            continue;
        }
        // Outcomes in order: the plain pushes before this one first.
        outcomes.extend(SqlStorage::store_items(&mut tx, &plain, &mut seq, check).await?);
        plain.clear();
        if let Err(refused) = active {
            outcomes.push(Err(refused));
            continue;
        }
        let mut savepoint = tx.begin().await?;
        let before = seq;
        let outcome = SqlStorage::store_push(&mut savepoint, push, &mut seq).await;
        if outcome.is_ok() {
            savepoint.commit().await?;
        } else {
            savepoint.rollback().await?;
            seq = before;
        }
        outcomes.push(outcome);
    }
    outcomes.extend(SqlStorage::store_items(&mut tx, &plain, &mut seq, check).await?);
    if outcomes.iter().any(Result::is_ok) {
        sqlx::query("UPDATE counters SET value = $1 WHERE name = 'seq'")
            .bind(seq as i64)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(outcomes)
}
