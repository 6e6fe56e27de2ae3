//! The road network as the province publishes it: public map data, in
//! chunks named by their SHA-256 and a manifest signed by the province.
//!
//! Only provincial officers upload and publish; every enrolled device
//! reads. The server checks the manifest's signature under its own signer
//! (and storage, that the signer is the province's registered key) and
//! names each uploaded chunk by the hash it computes; devices check the
//! signature and every chunk's hash again themselves.

use super::extract::{Authenticated, Wire};
use super::{now_ms, officer_only, AppState};
use crate::error::{Result, ServerError};
use crate::storage::{NewRoadManifest, Storage};
use axum::extract::State;
use binhan_core::shelters::roads::{ChunkHash, RoadManifest, CHUNK_MAX_BYTES};
use binhan_core::shelters::wire::{
    RoadChunkRequest, RoadChunkResponse, RoadChunkUpload, RoadChunkUploadResponse,
    RoadManifestRequest, RoadManifestResponse, RoadPublishRequest, RoadPublishResponse,
    MAX_ROAD_CHUNKS_PER_REQUEST,
};
use binhan_core::shelters::{ProvincialKey, SignedPublication};

/// What only officers do here.
const OFFICERS_DO: &str = "publish the road network";

/// `POST /v1/roads/upload`: a provincial officer uploads chunks.
pub async fn upload<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<RoadChunkUpload>,
) -> Result<Wire<RoadChunkUploadResponse>> {
    officer_only(&me, OFFICERS_DO)?;
    if request
        .chunks
        .iter()
        .any(|c| c.is_empty() || c.len() > CHUNK_MAX_BYTES as usize)
    {
        return Err(ServerError::too_large(format!(
            "every road network chunk holds 1 to {CHUNK_MAX_BYTES} bytes"
        )));
    }
    let chunks = request
        .chunks
        .into_iter()
        .map(|c| (ChunkHash::of(&c), c))
        .collect();
    let stored = state.storage.store_road_chunks(chunks, now_ms()).await?;
    tracing::info!(stored, "road network chunks uploaded");
    Ok(Wire(RoadChunkUploadResponse { stored }))
}

/// `POST /v1/roads/publish`: a provincial officer publishes a manifest
/// (once every chunk it names is uploaded).
pub async fn publish<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<RoadPublishRequest>,
) -> Result<Wire<RoadPublishResponse>> {
    officer_only(&me, OFFICERS_DO)?;
    let signed = SignedPublication::decode(&request.manifest).map_err(|_| {
        ServerError::bad_request(
            "bad_publication",
            "the body is not a signed road network manifest",
        )
    })?;
    let manifest: RoadManifest = signed
        .verify_as(&ProvincialKey(signed.signer))
        .map_err(|_| {
            ServerError::unprocessable("bad_signature", "the manifest's signature does not hold")
        })?;
    manifest
        .validate()
        .map_err(|e| ServerError::unprocessable("bad_manifest", e.to_string()))?;
    let response = state
        .storage
        .publish_roads(
            NewRoadManifest {
                version: manifest.version,
                signer: signed.signer,
                body: request.manifest,
                size: manifest.size,
                chunks: manifest.chunks.iter().map(|c| c.hash).collect(),
            },
            now_ms(),
        )
        .await?;
    tracing::info!(
        version = response.version,
        stored = response.stored,
        missing = response.missing.len(),
        "road network published"
    );
    Ok(Wire(response))
}

/// `POST /v1/roads/manifest`: the newest manifest, if newer than the
/// version the device holds.
pub async fn manifest<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(_): Authenticated,
    Wire(request): Wire<RoadManifestRequest>,
) -> Result<Wire<RoadManifestResponse>> {
    let response = state.storage.road_manifest(request.held).await?;
    tracing::info!(
        newer = response.manifest.is_some(),
        "road network manifest served"
    );
    Ok(Wire(response))
}

/// `POST /v1/roads/chunks`: chunks by hash, within a byte budget.
pub async fn chunks<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(_): Authenticated,
    Wire(request): Wire<RoadChunkRequest>,
) -> Result<Wire<RoadChunkResponse>> {
    if request.chunks.len() > MAX_ROAD_CHUNKS_PER_REQUEST {
        return Err(ServerError::too_large(format!(
            "a request names at most {MAX_ROAD_CHUNKS_PER_REQUEST} chunks"
        )));
    }
    let chunks = state
        .storage
        .road_chunks(request.chunks, request.max_bytes)
        .await?;
    tracing::info!(chunks = chunks.len(), "road network chunks served");
    Ok(Wire(RoadChunkResponse { chunks }))
}
