//! The road network through the sync server, as the last part of the
//! shelter step of [`Vault::sync`]: the mailbox's first chunk says which
//! road network version the province published last; if it is newer than
//! the one installed (or waiting), the device fetches the signed manifest,
//! checks the provincial key's signature, and records the update with the
//! bytes it lacks. It downloads those chunks, each checked against its
//! hash, only if the person allows it on this network: always when the
//! Wi-Fi-only choice is off, else only on an unmetered network, or when the
//! person asks ([`Vault::download_road_update`]). See [`super::roads`] for
//! staging and installing.
//!
//! The provincial officer publishes a version with
//! [`Vault::publish_road_network`]: the server answers which chunks it
//! lacks, the officer's device uploads them and publishes again.

use super::roads::{PendingRoads, RoadSyncReport};
use super::sync_shelters::refuses_item;
use super::Vault;
use crate::error::{Refusal, Rule};
use crate::shelters::roads::{split_into_chunks, ChunkHash, ChunkRef, RoadManifest};
use crate::shelters::wire::{
    RoadChunkRequest, RoadChunkResponse, RoadChunkUpload, RoadChunkUploadResponse,
    RoadManifestRequest, RoadManifestResponse, RoadPublishRequest, RoadPublishResponse,
    MAX_ROAD_CHUNKS_PER_REQUEST,
};
use crate::shelters::{ProvincialKey, SignedPublication};
use crate::sync::wire::DEFAULT_PULL_BYTES;
use crate::sync::{CancelFlag, SyncContext};
use crate::{Error, Result};
use std::collections::HashMap;

/// Most bytes of chunks in one upload (the server takes 8 MiB requests).
const UPLOAD_BYTES: usize = 4 * 1024 * 1024;

impl Vault {
    /// (Provincial officer) Publishes a road network version: `manifest`
    /// (signed, as `binhan shelters sign-roads` writes it) and `network`,
    /// the file it describes. Uploads the chunks the server lacks, then the
    /// manifest. The server refuses every other role, a signer other than
    /// the province's registered key and a version that is not newer than
    /// the last.
    pub async fn publish_road_network(
        &self,
        manifest: &[u8],
        network: &[u8],
    ) -> Result<RoadPublishResponse> {
        let signed = SignedPublication::decode(manifest)?;
        let parsed: RoadManifest = signed.verify_as(&ProvincialKey(signed.signer))?;
        if network.len() as u64 != parsed.size || ChunkHash::of(network).0 != parsed.sha256 {
            return Err(Error::invalid("road_network", Rule::Contradicts));
        }
        let chunks: HashMap<ChunkHash, &[u8]> = split_into_chunks(network)
            .map(|(chunk, bytes)| (chunk.hash, bytes))
            .collect();
        let request = RoadPublishRequest {
            manifest: manifest.to_vec(),
        };
        self.with_sync(None, async |ctx| {
            super::sync_shelters::endorse_key(ctx, signed.signer).await?;
            let first: RoadPublishResponse = ctx.call("/v1/roads/publish", &request).await?;
            if first.missing.is_empty() {
                return Ok(first);
            }
            let mut upload = RoadChunkUpload::default();
            let mut bytes = 0;
            for (i, hash) in first.missing.iter().enumerate() {
                let chunk = chunks.get(hash).ok_or_else(|| {
                    Error::Network(format!("the server asks for chunk {hash} of another file"))
                })?;
                bytes += chunk.len();
                upload.chunks.push(chunk.to_vec());
                if bytes >= UPLOAD_BYTES || i + 1 == first.missing.len() {
                    let _: RoadChunkUploadResponse = ctx.call("/v1/roads/upload", &upload).await?;
                    upload.chunks.clear();
                    bytes = 0;
                }
            }
            ctx.call("/v1/roads/publish", &request).await
        })
        .await
    }

    /// Downloads the road network update waiting, even on a metered
    /// network (the person chose to), and installs it. A chunk that does
    /// not match its hash is refused and the network held is kept.
    pub async fn download_road_update(&self) -> Result<RoadSyncReport> {
        let pending = self.pending_roads()?.ok_or_else(|| {
            Error::NotFound("road network update on this device; sync first".into())
        })?;
        self.with_sync(None, async |ctx| {
            let mut report = RoadSyncReport::default();
            self.fetch_road_update(ctx, pending, &CancelFlag::default(), &mut report)
                .await?;
            report.installed_version = self.installed_road_version()?;
            Ok(report)
        })
        .await
    }

    /// The road step of a sync: `announced` is the newest version the
    /// server has; `unmetered` whether the network is unmetered. A refused
    /// manifest or chunk is reported and the sync goes on.
    pub(crate) async fn sync_roads(
        &self,
        ctx: &SyncContext<'_>,
        announced: u64,
        unmetered: bool,
        cancel: &CancelFlag,
    ) -> Result<RoadSyncReport> {
        let mut report = RoadSyncReport::default();
        match self
            .check_and_fetch_roads(ctx, announced, unmetered, cancel, &mut report)
            .await
        {
            Err(e) if refuses_item(&e) => {
                tracing::warn!("a road network manifest or chunk was refused");
                report.refused = Some(e.to_string());
            }
            Err(e) => return Err(e),
            Ok(()) => {}
        }
        report.installed_version = self.installed_road_version()?;
        Ok(report)
    }

    async fn check_and_fetch_roads(
        &self,
        ctx: &SyncContext<'_>,
        announced: u64,
        unmetered: bool,
        cancel: &CancelFlag,
        report: &mut RoadSyncReport,
    ) -> Result<()> {
        let known = match self.pending_roads()? {
            Some(pending) => Some(pending.manifest.version),
            None => self.installed_road_version()?,
        };
        if announced > known.unwrap_or(0) {
            self.check_road_manifest(ctx, known).await?;
        }
        let Some(pending) = self.pending_roads()? else {
            return Ok(());
        };
        if !unmetered && self.roads_wifi_only()? {
            report.waiting_for_wifi = Some(pending.update());
            return Ok(());
        }
        self.fetch_road_update(ctx, pending, cancel, report).await
    }

    /// Fetches the newest manifest, checks it and records it as the update
    /// waiting, with the bytes this device lacks.
    async fn check_road_manifest(&self, ctx: &SyncContext<'_>, known: Option<u64>) -> Result<()> {
        let request = RoadManifestRequest { held: known };
        let response: RoadManifestResponse = ctx.call("/v1/roads/manifest", &request).await?;
        if let Some(key) = response.provincial_key {
            self.pin_served_key(ctx, key, response.endorsement.as_ref())
                .await?;
        }
        let Some(bytes) = response.manifest else {
            return Ok(());
        };
        let key = self
            .provincial_key()?
            .ok_or_else(|| Error::NotAllowed(Refusal::NoProvincialKey))?;
        let manifest: RoadManifest = SignedPublication::decode(&bytes)?.verify_as(&key)?;
        manifest.validate()?;
        if known.is_some_and(|k| manifest.version <= k) {
            return Err(Error::invalid(
                "road_network.version",
                Rule::VersionNotHigher,
            ));
        }
        let download_bytes = self
            .missing_road_chunks(&manifest)?
            .iter()
            .map(|c| u64::from(c.len))
            .sum();
        self.set_pending_roads(&PendingRoads {
            manifest,
            download_bytes,
        })
    }

    /// Downloads the chunks of `pending` this device lacks, in requests of
    /// about [`DEFAULT_PULL_BYTES`], keeping each once its hash holds; then
    /// installs the version.
    async fn fetch_road_update(
        &self,
        ctx: &SyncContext<'_>,
        mut pending: PendingRoads,
        cancel: &CancelFlag,
        report: &mut RoadSyncReport,
    ) -> Result<()> {
        let mut missing = self.missing_road_chunks(&pending.manifest)?;
        while !missing.is_empty() {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            // About a response's worth, named by the manifest's lengths.
            let mut bytes = 0;
            let asked: Vec<ChunkRef> = missing
                .iter()
                .take(MAX_ROAD_CHUNKS_PER_REQUEST)
                .take_while(|c| {
                    let first = bytes == 0;
                    bytes += u64::from(c.len);
                    first || bytes <= u64::from(DEFAULT_PULL_BYTES)
                })
                .copied()
                .collect();
            let request = RoadChunkRequest {
                chunks: asked.iter().map(|c| c.hash).collect(),
                max_bytes: DEFAULT_PULL_BYTES,
            };
            let response: RoadChunkResponse = ctx.call("/v1/roads/chunks", &request).await?;
            if response.chunks.is_empty() {
                return Err(Error::Network("bad response: no road network chunk".into()));
            }
            let staged: Result<()> =
                asked
                    .iter()
                    .zip(&response.chunks)
                    .try_for_each(|(chunk, bytes)| {
                        self.stage_road_chunk(chunk, bytes)?;
                        report.chunks_fetched += 1;
                        report.bytes_fetched += bytes.len() as u64;
                        pending.download_bytes =
                            pending.download_bytes.saturating_sub(u64::from(chunk.len));
                        Ok(())
                    });
            self.set_pending_roads(&pending)?;
            staged?;
            missing.drain(..response.chunks.len().min(asked.len()));
        }
        self.install_road_update(&pending)?;
        report.installed_now = true;
        Ok(())
    }
}
