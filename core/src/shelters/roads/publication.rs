//! The road network as the province publishes it: the compiled network file
//! (what `roads.bhrn` holds) cut into content-defined chunks, each named by
//! its SHA-256, and a [`RoadManifest`] listing them, signed with the
//! provincial key like the shelter directory ([`Publication`]).
//!
//! Chunk boundaries depend on the bytes around them (FastCDC 2020), not on
//! offsets: a small change of the map changes the chunks it falls in and
//! leaves the others as they were, so a phone holding one version downloads
//! only the chunks it lacks to build the next one.

use super::RoadNetwork;
use crate::error::Rule;
use crate::model::hex;
use crate::shelters::signing::Publication;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::fmt;

/// Smallest chunk (except the last).
pub const CHUNK_MIN_BYTES: u32 = 16 * 1024;
/// Average chunk the cut points aim for.
pub const CHUNK_AVG_BYTES: u32 = 64 * 1024;
/// Largest chunk.
pub const CHUNK_MAX_BYTES: u32 = 256 * 1024;
/// Largest road network file a manifest may describe.
pub const MAX_ROAD_NETWORK_BYTES: u64 = 512 * 1024 * 1024;

/// The SHA-256 of a chunk: its name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChunkHash(pub [u8; 32]);

impl ChunkHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(sha2::Sha256::digest(bytes).into())
    }
}

impl fmt::Display for ChunkHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl fmt::Debug for ChunkHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChunkHash({self})")
    }
}

/// One chunk of the file, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkRef {
    /// SHA-256 of its bytes.
    pub hash: ChunkHash,
    /// Its length in bytes.
    pub len: u32,
}

/// What the province signs for one version of the road network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadManifest {
    /// Version; each publication's is higher than the one before.
    pub version: u64,
    /// When the province published it.
    pub published_at: DateTime<Utc>,
    /// Length of the whole file in bytes.
    pub size: u64,
    /// SHA-256 of the whole file.
    pub sha256: [u8; 32],
    /// The file's chunks in order.
    pub chunks: Vec<ChunkRef>,
}

impl Publication for RoadManifest {
    const DOMAIN: &'static [u8] = b"binhan/road-network/v1\0";
    const WHAT: &'static str = "road network manifest";

    fn check(&self) -> Result<()> {
        self.validate()
    }
}

/// The chunks of a road network file, with their names, in order.
pub fn split_into_chunks(file: &[u8]) -> impl Iterator<Item = (ChunkRef, &[u8])> {
    fastcdc::v2020::FastCDC::new(
        file,
        CHUNK_MIN_BYTES as usize,
        CHUNK_AVG_BYTES as usize,
        CHUNK_MAX_BYTES as usize,
    )
    .map(move |cut| {
        let bytes = &file[cut.offset..cut.offset + cut.length];
        let chunk = ChunkRef {
            hash: ChunkHash::of(bytes),
            // FastCDC never cuts a chunk longer than CHUNK_MAX_BYTES.
            len: cut.length as u32,
        };
        (chunk, bytes)
    })
}

impl RoadManifest {
    /// The manifest of `network` as version `version`, and its file's bytes
    /// (which the chunks are cut from).
    pub fn of(
        network: &RoadNetwork,
        version: u64,
        published_at: DateTime<Utc>,
    ) -> Result<(Self, Vec<u8>)> {
        let file = network.to_bytes();
        let manifest = Self {
            version,
            published_at,
            size: file.len() as u64,
            sha256: sha2::Sha256::digest(&file).into(),
            chunks: split_into_chunks(&file).map(|(chunk, _)| chunk).collect(),
        };
        manifest.validate()?;
        Ok((manifest, file))
    }

    /// Checks the version, the chunk lengths and that they add up to the
    /// size.
    pub fn validate(&self) -> Result<()> {
        if self.version == 0 {
            return Err(Error::invalid(
                "road_network.version",
                Rule::AtLeast { min: 1 },
            ));
        }
        if self.size == 0 || self.size > MAX_ROAD_NETWORK_BYTES {
            return Err(Error::invalid(
                "road_network.size",
                Rule::OutOfRange {
                    min: 1,
                    max: MAX_ROAD_NETWORK_BYTES,
                },
            ));
        }
        if self
            .chunks
            .iter()
            .any(|c| c.len == 0 || c.len > CHUNK_MAX_BYTES)
        {
            return Err(Error::invalid(
                "road_network.chunks",
                Rule::OutOfRange {
                    min: 1,
                    max: u64::from(CHUNK_MAX_BYTES),
                },
            ));
        }
        let total: u64 = self.chunks.iter().map(|c| u64::from(c.len)).sum();
        if total != self.size {
            return Err(Error::invalid("road_network.chunks", Rule::Contradicts));
        }
        Ok(())
    }

    /// Builds the file from its chunks (`chunk` gives each one's bytes,
    /// already checked against its hash), checks the whole file's length
    /// and hash and that it loads as a road network; returns both.
    pub fn assemble(
        &self,
        mut chunk: impl FnMut(&ChunkRef) -> Result<Vec<u8>>,
    ) -> Result<(Vec<u8>, RoadNetwork)> {
        let mut file = Vec::with_capacity(usize::try_from(self.size).unwrap_or(0));
        for c in &self.chunks {
            file.extend(chunk(c)?);
        }
        if file.len() as u64 != self.size || ChunkHash::of(&file).0 != self.sha256 {
            return Err(Error::Tampered {
                record: format!("road network version {} (whole file)", self.version),
            });
        }
        let network = RoadNetwork::from_bytes(&file)?;
        Ok((file, network))
    }
}

/// Checks that `bytes` are the chunk `expected` names.
pub fn check_chunk(expected: &ChunkRef, bytes: &[u8]) -> Result<()> {
    if bytes.len() as u64 != u64::from(expected.len) || ChunkHash::of(bytes) != expected.hash {
        return Err(Error::Tampered {
            record: format!("road network chunk {}", expected.hash),
        });
    }
    Ok(())
}
