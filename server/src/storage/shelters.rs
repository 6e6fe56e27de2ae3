//! The signed shelter directory and the placement mailbox, in SQL (SQLite
//! and PostgreSQL alike); the province's registered key, shared with the
//! road network ([`super::roads`]).
//!
//! Mail sequence numbers are allocated under the `shelter_mail` counter's
//! row lock inside the writing transaction, like the sync sequence, so
//! mail commits in sequence order and a cursor never skips any.

use super::sql::{blob, corrupt, int};
use super::SqlStorage;
use crate::error::{Result, ServerError};
use binhan_core::model::DeviceId;
use binhan_core::shelters::wire::{DirectoryResponse, Mail, MailChunk, MailPushResponse};
use binhan_core::shelters::{ProvincialKey, SignedPublication};
use binhan_core::sync::KeyEndorsement;
use sqlx::Row;

/// Most rows read per query of publications or mail (in the SQL text:
/// SQLite plans a statement again each time its LIMIT is rebound).
const PAGE: i64 = 500;

/// A verified directory publication, as the server stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPublication {
    /// The version it brings devices to.
    pub version: u64,
    /// For a delta, the version it starts from; none for a full directory.
    pub from_version: Option<u64>,
    /// The key that signed it.
    pub signer: [u8; 32],
    /// The publication in its encoding.
    pub body: Vec<u8>,
}

fn key(bytes: Vec<u8>) -> Result<ProvincialKey> {
    bytes
        .try_into()
        .map(ProvincialKey)
        .map_err(|_| corrupt("provincial key"))
}

/// The province's key: the signer of its first publication, a directory's
/// or else a road network's (none before any).
pub(super) async fn province_key(conn: &mut sqlx::AnyConnection) -> Result<Option<ProvincialKey>> {
    for first in [
        "SELECT signer FROM shelter_publications ORDER BY version LIMIT 1",
        "SELECT signer FROM road_manifests ORDER BY version LIMIT 1",
    ] {
        if let Some(row) = sqlx::query(first).fetch_optional(&mut *conn).await? {
            return key(blob(&row, "signer")?).map(Some);
        }
    }
    Ok(None)
}

/// The province's key, with an officer's endorsement of it if one was
/// stored.
pub(super) async fn endorsed_province_key(
    conn: &mut sqlx::AnyConnection,
) -> Result<(Option<ProvincialKey>, Option<KeyEndorsement>)> {
    let Some(key) = province_key(conn).await? else {
        return Ok((None, None));
    };
    let endorsement = endorsement_of(conn, key.0).await?;
    Ok((Some(key), endorsement))
}

/// An officer's stored endorsement of the provincial key `key`, if any.
pub(super) async fn endorsement_of(
    conn: &mut sqlx::AnyConnection,
    key: [u8; 32],
) -> Result<Option<KeyEndorsement>> {
    sqlx::query("SELECT endorsement FROM province_key_endorsements WHERE signing_key = $1")
        .bind(key.to_vec())
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| {
            postcard::from_bytes(&blob(&row, "endorsement")?)
                .map_err(|_| corrupt("key endorsement"))
        })
        .transpose()
}

/// Refuses a publication that `signer` signed unless it is the province's
/// registered key (or none is registered yet: it becomes the key).
pub(super) async fn check_province_key(
    conn: &mut sqlx::AnyConnection,
    signer: [u8; 32],
) -> Result<()> {
    match province_key(conn).await? {
        Some(registered) if registered.0 != signer => Err(ServerError::forbidden(
            "not_provincial_key",
            "the publication is not signed with the province's registered key",
        )),
        _ => Ok(()),
    }
}

/// The newest directory version published (0: none).
async fn latest_version<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
) -> Result<u64> {
    let row = sqlx::query("SELECT max(version) AS v FROM shelter_publications")
        .fetch_one(executor)
        .await?;
    Ok(row.try_get::<Option<i64>, _>("v")?.unwrap_or(0) as u64)
}

impl SqlStorage {
    /// See [`Storage::endorse_key`](super::Storage::endorse_key).
    pub(super) async fn store_endorsement(&self, endorsement: KeyEndorsement) -> Result<()> {
        let body = postcard::to_allocvec(&endorsement).unwrap_or_default();
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM province_key_endorsements WHERE signing_key = $1")
            .bind(endorsement.key.to_vec())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO province_key_endorsements (signing_key, endorsement) VALUES ($1, $2)",
        )
        .bind(endorsement.key.to_vec())
        .bind(body)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn insert_publication(
        &self,
        publication: NewPublication,
        now_ms: u64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        check_province_key(&mut tx, publication.signer).await?;
        let same = sqlx::query("SELECT body FROM shelter_publications WHERE version = $1")
            .bind(publication.version as i64)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = same {
            return if blob(&row, "body")? == publication.body {
                Ok(false)
            } else {
                Err(ServerError::conflict(
                    "version_taken",
                    format!(
                        "a different directory version {} is already published",
                        publication.version
                    ),
                ))
            };
        }
        let latest = Some(latest_version(&mut *tx).await?).filter(|v| *v > 0);
        if latest.is_some_and(|l| publication.version <= l) {
            return Err(ServerError::conflict(
                "stale_version",
                "a newer directory version is already published",
            ));
        }
        if let Some(from) = publication.from_version {
            if latest != Some(from) {
                return Err(ServerError::conflict(
                    "delta_gap",
                    "a delta must start from the newest version published",
                ));
            }
        }
        sqlx::query(
            "INSERT INTO shelter_publications (version, from_version, signer, body, published_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(publication.version as i64)
        .bind(publication.from_version.map(|v| v as i64))
        .bind(publication.signer.to_vec())
        .bind(publication.body)
        .bind(now_ms as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(super) async fn select_publications(
        &self,
        held: Option<u64>,
        max_bytes: u32,
    ) -> Result<DirectoryResponse> {
        let budget = max_bytes.clamp(16 * 1024, 8 * 1024 * 1024) as usize;
        let mut conn = self.pool().acquire().await?;
        let (provincial_key, endorsement) = endorsed_province_key(&mut conn).await?;
        let mut response = DirectoryResponse {
            provincial_key,
            endorsement,
            ..DirectoryResponse::default()
        };
        response.latest = latest_version(&mut *conn).await?;
        let held_version = held.unwrap_or(0);
        if held.is_some_and(|h| h >= response.latest) || response.latest == 0 {
            return Ok(response);
        }
        // Everything after the version held, when it chains from it; else
        // the newest full directory and what follows it.
        let next = sqlx::query(
            "SELECT from_version FROM shelter_publications WHERE version > $1 ORDER BY version LIMIT 1",
        )
        .bind(held_version as i64)
        .fetch_optional(&mut *conn)
        .await?;
        let chains = match next {
            Some(row) if held.is_some() => {
                let from = row.try_get::<Option<i64>, _>("from_version")?;
                from.is_none() || from == Some(held_version as i64)
            }
            _ => false,
        };
        let start = if chains {
            held_version + 1
        } else {
            let full = sqlx::query(
                "SELECT max(version) AS v FROM shelter_publications WHERE from_version IS NULL",
            )
            .fetch_one(&mut *conn)
            .await?
            .try_get::<Option<i64>, _>("v")?;
            match full {
                Some(v) => v as u64,
                None => return Ok(response),
            }
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT body FROM shelter_publications WHERE version >= $1 ORDER BY version LIMIT {PAGE}",
        )))
        .bind(start as i64)
        .fetch_all(&mut *conn)
        .await?;
        let mut bytes = 0;
        response.more = rows.len() as i64 == PAGE;
        for (i, row) in rows.iter().enumerate() {
            let body = blob(row, "body")?;
            bytes += body.len();
            response.publications.push(body);
            if bytes >= budget && i + 1 < rows.len() {
                response.more = true;
                break;
            }
        }
        Ok(response)
    }

    pub(super) async fn select_latest_full(&self) -> Result<Option<SignedPublication>> {
        let row = sqlx::query(
            "SELECT body FROM shelter_publications WHERE from_version IS NULL
             ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            SignedPublication::decode(&blob(&r, "body")?).map_err(|_| corrupt("publication"))
        })
        .transpose()
    }

    pub(super) async fn insert_mail(
        &self,
        mail: Vec<Mail>,
        now_ms: u64,
    ) -> Result<MailPushResponse> {
        let mut tx = self.pool().begin().await?;
        // Take the mail sequence lock first: mail commits in sequence order.
        sqlx::query("UPDATE counters SET value = value WHERE name = 'shelter_mail'")
            .execute(&mut *tx)
            .await?;
        let mut seq = int(
            &sqlx::query("SELECT value FROM counters WHERE name = 'shelter_mail'")
                .fetch_one(&mut *tx)
                .await?,
            "value",
        )?;
        let mut response = MailPushResponse::default();
        for item in mail {
            let known = sqlx::query("SELECT seq FROM shelter_mail WHERE id = $1")
                .bind(item.id.0.to_vec())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_some() {
                response.stored += 1;
                continue;
            }
            if let Some(to) = item.to {
                let active = sqlx::query("SELECT active FROM devices WHERE device_id = $1")
                    .bind(to.as_bytes().to_vec())
                    .fetch_optional(&mut *tx)
                    .await?;
                if !matches!(active.map(|r| int(&r, "active")), Some(Ok(1))) {
                    response.refused.push(item.id);
                    continue;
                }
            }
            seq += 1;
            let sender = item.from.as_bytes().to_vec();
            sqlx::query(
                "INSERT INTO shelter_mail (seq, id, sender, recipient, body, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(seq)
            .bind(item.id.0.to_vec())
            .bind(sender.clone())
            .bind(item.to.map(|d| d.as_bytes().to_vec()))
            .bind(postcard::to_allocvec(&item).unwrap_or_default())
            .bind(now_ms as i64)
            .execute(&mut *tx)
            .await?;
            if item.to.is_none() {
                // A host's newer free places replace its older ones.
                sqlx::query(
                    "DELETE FROM shelter_mail WHERE sender = $1 AND recipient IS NULL AND seq < $2",
                )
                .bind(sender)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
            }
            response.stored += 1;
        }
        sqlx::query("UPDATE counters SET value = $1 WHERE name = 'shelter_mail'")
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(response)
    }

    pub(super) async fn select_mail(
        &self,
        device: DeviceId,
        after: u64,
        max_bytes: u32,
    ) -> Result<MailChunk> {
        let me = device.as_bytes().to_vec();
        let budget = max_bytes.clamp(16 * 1024, 8 * 1024 * 1024) as usize;
        // Pulling after a position acknowledges this device's mail up to it.
        sqlx::query("DELETE FROM shelter_mail WHERE recipient = $1 AND seq <= $2")
            .bind(me.clone())
            .bind(after as i64)
            .execute(self.pool())
            .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT seq, body FROM shelter_mail
             WHERE seq > $1 AND (recipient = $2 OR (recipient IS NULL AND sender <> $2))
             ORDER BY seq LIMIT {PAGE}",
        )))
        .bind(after as i64)
        .bind(me)
        .fetch_all(self.pool())
        .await?;
        let mut chunk = MailChunk {
            cursor: after,
            more: rows.len() as i64 == PAGE,
            directory_version: latest_version(self.pool()).await?,
            road_version: super::roads::latest_road_version(self.pool()).await?,
            ..MailChunk::default()
        };
        let mut bytes = 0;
        for (i, row) in rows.iter().enumerate() {
            let body = blob(row, "body")?;
            bytes += body.len();
            chunk
                .mail
                .push(postcard::from_bytes(&body).map_err(|_| corrupt("shelter mail"))?);
            chunk.cursor = int(row, "seq")? as u64;
            if bytes >= budget && i + 1 < rows.len() {
                chunk.more = true;
                break;
            }
        }
        Ok(chunk)
    }
}
