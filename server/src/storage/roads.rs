//! The road network as the province publishes it, in SQL (SQLite and
//! PostgreSQL alike): chunks by SHA-256, each kept once, and the signed
//! manifests naming them.

use super::shelters::{check_province_key, endorsed_province_key};
use super::sql::{blob, select_in};
use super::SqlStorage;
use crate::error::{Result, ServerError};
use binhan_core::shelters::roads::ChunkHash;
use binhan_core::shelters::wire::{RoadManifestResponse, RoadPublishResponse};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// A verified road network manifest, as the server stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoadManifest {
    /// Its version.
    pub version: u64,
    /// The key that signed it.
    pub signer: [u8; 32],
    /// The signed manifest in its encoding.
    pub body: Vec<u8>,
    /// Size of the network file it describes.
    pub size: u64,
    /// The chunks it names.
    pub chunks: Vec<ChunkHash>,
}

/// The newest road network version published (0: none).
pub(super) async fn latest_road_version<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
) -> Result<u64> {
    let row = sqlx::query("SELECT max(version) AS v FROM road_manifests")
        .fetch_one(executor)
        .await?;
    Ok(row.try_get::<Option<i64>, _>("v")?.unwrap_or(0) as u64)
}

fn hash_keys(hashes: &[ChunkHash]) -> Vec<Vec<u8>> {
    hashes.iter().map(|h| h.0.to_vec()).collect()
}

impl SqlStorage {
    pub(super) async fn insert_road_chunks(
        &self,
        chunks: Vec<(ChunkHash, Vec<u8>)>,
        now_ms: u64,
    ) -> Result<u32> {
        let mut tx = self.pool().begin().await?;
        let mut stored = 0;
        for (hash, body) in chunks {
            let done = sqlx::query(
                "INSERT INTO road_chunks (hash, body, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (hash) DO NOTHING",
            )
            .bind(hash.0.to_vec())
            .bind(body)
            .bind(now_ms as i64)
            .execute(&mut *tx)
            .await?;
            stored += done.rows_affected() as u32;
        }
        tx.commit().await?;
        Ok(stored)
    }

    pub(super) async fn insert_road_manifest(
        &self,
        manifest: NewRoadManifest,
        now_ms: u64,
    ) -> Result<RoadPublishResponse> {
        let mut tx = self.pool().begin().await?;
        check_province_key(&mut tx, manifest.signer).await?;
        let mut response = RoadPublishResponse {
            version: manifest.version,
            ..RoadPublishResponse::default()
        };
        let same = sqlx::query("SELECT body FROM road_manifests WHERE version = $1")
            .bind(manifest.version as i64)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = same {
            return if blob(&row, "body")? == manifest.body {
                Ok(response)
            } else {
                Err(ServerError::conflict(
                    "version_taken",
                    format!(
                        "a different road network version {} is already published",
                        manifest.version
                    ),
                ))
            };
        }
        if manifest.version <= latest_road_version(&mut *tx).await? {
            return Err(ServerError::conflict(
                "stale_version",
                "a newer road network version is already published",
            ));
        }
        let held: HashSet<Vec<u8>> = select_in(
            &mut tx,
            "SELECT hash FROM road_chunks WHERE hash",
            hash_keys(&manifest.chunks),
        )
        .await?
        .iter()
        .map(|row| blob(row, "hash"))
        .collect::<Result<_>>()?;
        let mut seen = HashSet::new();
        response.missing = manifest
            .chunks
            .iter()
            .filter(|h| !held.contains(h.0.as_slice()) && seen.insert(**h))
            .copied()
            .collect();
        if !response.missing.is_empty() {
            return Ok(response);
        }
        sqlx::query(
            "INSERT INTO road_manifests (version, signer, body, size, published_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(manifest.version as i64)
        .bind(manifest.signer.to_vec())
        .bind(manifest.body)
        .bind(manifest.size as i64)
        .bind(now_ms as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        response.stored = true;
        Ok(response)
    }

    pub(super) async fn select_road_manifest(
        &self,
        held: Option<u64>,
    ) -> Result<RoadManifestResponse> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(
            "SELECT body FROM road_manifests WHERE version > $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(held.unwrap_or(0) as i64)
        .fetch_optional(&mut *conn)
        .await?;
        let (provincial_key, endorsement) = endorsed_province_key(&mut conn).await?;
        Ok(RoadManifestResponse {
            provincial_key,
            endorsement,
            manifest: row.map(|r| blob(&r, "body")).transpose()?,
        })
    }

    pub(super) async fn select_road_chunks(
        &self,
        hashes: Vec<ChunkHash>,
        max_bytes: u32,
    ) -> Result<Vec<Vec<u8>>> {
        let budget = max_bytes.clamp(16 * 1024, 8 * 1024 * 1024) as usize;
        let mut conn = self.pool().acquire().await?;
        let mut chunks = Vec::new();
        let mut bytes = 0;
        // A page of chunks at a time, so that a small budget reads little.
        for page in hashes.chunks(8) {
            let found: HashMap<Vec<u8>, Vec<u8>> = select_in(
                &mut conn,
                "SELECT hash, body FROM road_chunks WHERE hash",
                hash_keys(page),
            )
            .await?
            .iter()
            .map(|row| Ok((blob(row, "hash")?, blob(row, "body")?)))
            .collect::<Result<_>>()?;
            for hash in page {
                if !chunks.is_empty() && bytes >= budget {
                    return Ok(chunks);
                }
                let body = found.get(hash.0.as_slice()).cloned().ok_or_else(|| {
                    ServerError::not_found("unknown_chunk", format!("no road network chunk {hash}"))
                })?;
                bytes += body.len();
                chunks.push(body);
            }
        }
        Ok(chunks)
    }
}
