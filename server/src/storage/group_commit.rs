//! Group commit: pushes that arrive while another is being written share the
//! next transaction, so many devices' pushes cost one sequence lock and one
//! commit (one fsync) instead of one each.
//!
//! One writer task per server process takes every push waiting in its queue
//! (up to [`MAX_GROUP`]), stores each inside its own savepoint and commits
//! them together. A push that is refused, or fails, is rolled back to its
//! savepoint alone and gets its own error; the others are committed. If the
//! commit itself fails, every push of the group gets the error and nothing of
//! the group is stored, so a device's retry is always safe (pushes are
//! idempotent by item id). Sequence numbers are still taken under the row
//! lock in the database, so two processes on one PostgreSQL stay one.

use super::sql::{int, SqlStorage};
use crate::error::{Result, ServerError};
use binhan_core::sync::wire::{DeviceRecord, PushRequest, PushResponse};
use sqlx::{Acquire, AnyPool};
use tokio::sync::{mpsc, oneshot};

/// Most pushes written in one transaction.
pub const MAX_GROUP: usize = 64;
/// Pushes that may wait for the writer before senders wait too.
const QUEUE: usize = 1024;

/// A push waiting for the writer, with where its answer goes.
struct PendingPush {
    device: DeviceRecord,
    request: PushRequest,
    now_ms: u64,
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

    /// Stores `request` from `device` with whatever other pushes are
    /// waiting, and answers once their transaction is committed.
    pub async fn push(
        &self,
        device: DeviceRecord,
        request: PushRequest,
        now_ms: u64,
    ) -> Result<PushResponse> {
        let (answer, answered) = oneshot::channel();
        let pending = PendingPush {
            device,
            request,
            now_ms,
            answer,
        };
        if self.queue.send(pending).await.is_err() {
            return Err(writer_gone());
        }
        answered.await.unwrap_or_else(|_| Err(writer_gone()))
    }
}

fn writer_gone() -> ServerError {
    tracing::error!(kind = "storage", "the push writer has stopped");
    ServerError::internal()
}

/// The writer task: one group per transaction until the queue closes.
async fn write_groups(pool: AnyPool, mut pending: mpsc::Receiver<PendingPush>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while pending.recv_many(&mut group, MAX_GROUP).await > 0 {
        let outcomes = match commit_group(&pool, &group).await {
            Ok(outcomes) => outcomes,
            Err(error) => group.iter().map(|_| Err(error.clone())).collect(),
        };
        for (push, outcome) in group.drain(..).zip(outcomes) {
            // A sender that gave up (its connection was cut) retries later.
            let _ = push.answer.send(outcome);
        }
    }
}

/// Stores `group` in one transaction: each push all or nothing, and
/// together committed or not at all. Returns each push's own outcome.
async fn commit_group(pool: &AnyPool, group: &[PendingPush]) -> Result<Vec<Result<PushResponse>>> {
    let mut tx = pool.begin().await?;
    // The sequence lock first: transactions commit in sequence order.
    let row = sqlx::query("UPDATE counters SET value = value WHERE name = 'seq' RETURNING value")
        .fetch_one(&mut *tx)
        .await?;
    let mut seq = int(&row, "value")? as u64;
    let mut outcomes = Vec::with_capacity(group.len());
    for push in group {
        let mut savepoint = tx.begin().await?;
        let before = seq;
        let outcome = SqlStorage::store_push(
            &mut savepoint,
            &push.device,
            &push.request,
            push.now_ms,
            &mut seq,
        )
        .await;
        if outcome.is_ok() {
            savepoint.commit().await?;
        } else {
            savepoint.rollback().await?;
            seq = before;
        }
        outcomes.push(outcome);
    }
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
