//! The road network as the province publishes it, on the device: which
//! version is installed, which newer one waits and how much of it is still
//! to download, the person's Wi-Fi-only choice, and the staging folder
//! where downloaded chunks wait until a version is complete.
//!
//! A chunk is kept in staging only after its hash was checked, so a cut
//! download resumes where it stopped and a bad chunk is never kept. The
//! chunks the installed file already holds are cut from it again (the
//! cut points depend on the bytes only), so an update downloads only what
//! changed. A version is installed only once the whole file's hash holds
//! and it loads as a road network; the file is replaced atomically, and
//! the network held stays in place until then.
//!
//! The manifests are kept in the store; the network and the staged chunks,
//! public map data, are plain files in the vault directory, removed with
//! the vault (an erase, a duress unlock), as a new vault has none.

use super::shelters::ROAD_FILE;
use super::Vault;
use crate::shelters::roads::{
    check_chunk, split_into_chunks, write_atomically, ChunkHash, ChunkRef, RoadManifest,
};
use crate::Result;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

const INSTALLED_META: &str = "roads.installed";
const PENDING_META: &str = "roads.pending";
const WIFI_ONLY_META: &str = "roads.wifi_only";

/// The folder inside the vault directory where verified chunks of a road
/// network update wait until every chunk is there.
pub const ROAD_STAGING_DIR: &str = "roads.staging";

/// A newer road network version than the one installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoadUpdate {
    /// Its version.
    pub version: u64,
    /// Bytes still to download (what this device does not hold yet).
    pub download_bytes: u64,
    /// Size of the whole network file in bytes.
    pub total_bytes: u64,
}

/// The road network on this device and the update waiting, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoadStatus {
    /// The version installed, when it came from the province (none: no
    /// network, or one imported from a file).
    pub installed_version: Option<u64>,
    /// Size of the network installed in bytes (none: no network).
    pub installed_bytes: Option<u64>,
    /// A newer version the province published, not yet installed.
    pub update: Option<RoadUpdate>,
    /// Updates download on their own only over an unmetered network
    /// (Wi-Fi); the person can still download one now.
    pub wifi_only: bool,
}

/// What one sync did for the road network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoadSyncReport {
    /// The version installed after the sync (none: none from the province).
    pub installed_version: Option<u64>,
    /// True if this sync installed it.
    pub installed_now: bool,
    /// Chunks downloaded.
    pub chunks_fetched: u64,
    /// Bytes of chunks downloaded.
    pub bytes_fetched: u64,
    /// An update that waits for an unmetered network (Wi-Fi only and the
    /// network is metered or unknown).
    pub waiting_for_wifi: Option<RoadUpdate>,
    /// Why a manifest or a chunk was refused (the network held was kept).
    pub refused: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct InstalledRoads {
    version: u64,
}

/// A verified manifest newer than the version installed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct PendingRoads {
    pub(super) manifest: RoadManifest,
    /// Bytes still to download, as last counted.
    pub(super) download_bytes: u64,
}

impl PendingRoads {
    pub(super) fn update(&self) -> RoadUpdate {
        RoadUpdate {
            version: self.manifest.version,
            download_bytes: self.download_bytes,
            total_bytes: self.manifest.size,
        }
    }
}

/// The chunks this device holds towards a manifest.
struct HeldChunks {
    /// The installed file's bytes, and where each of its chunks lies.
    installed: Vec<u8>,
    in_installed: HashMap<ChunkHash, (usize, usize)>,
    /// Chunks in the staging folder.
    staged: HashSet<ChunkHash>,
}

/// Removes the road network, the temporary file of a cut write and the
/// staging folder from the vault directory `dir` (nothing if they are not
/// there); every one is tried, the first error returned.
pub(super) fn remove_road_files(dir: &Path) -> Result<()> {
    let network = dir.join(ROAD_FILE);
    let files = [network.with_extension("tmp"), network]
        .iter()
        .map(|path| ignore_missing(std::fs::remove_file(path)))
        .fold(Ok(()), Result::and);
    files.and(ignore_missing(std::fs::remove_dir_all(
        dir.join(ROAD_STAGING_DIR),
    )))
}

fn ignore_missing(removed: std::io::Result<()>) -> Result<()> {
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

impl Vault {
    fn road_file(&self) -> PathBuf {
        self.vault_dir().join(ROAD_FILE)
    }

    fn staging_dir(&self) -> PathBuf {
        self.vault_dir().join(ROAD_STAGING_DIR)
    }

    /// The road network on this device, the update waiting and the
    /// Wi-Fi-only choice.
    pub fn road_status(&self) -> Result<RoadStatus> {
        let installed_bytes = match std::fs::metadata(self.road_file()) {
            Ok(meta) => Some(meta.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        Ok(RoadStatus {
            installed_version: self.installed_road_version()?,
            installed_bytes,
            update: self.pending_roads()?.map(|p| p.update()),
            wifi_only: self.roads_wifi_only()?,
        })
    }

    /// Whether road network updates download on their own only over an
    /// unmetered network (the default: yes).
    pub fn roads_wifi_only(&self) -> Result<bool> {
        Ok(self.with_store(|s| s.meta(WIFI_ONLY_META))?.unwrap_or(true))
    }

    /// Sets whether road network updates download on their own only over
    /// an unmetered network.
    pub fn set_roads_wifi_only(&self, wifi_only: bool) -> Result<()> {
        self.with_store(|s| s.set_meta(WIFI_ONLY_META, &wifi_only))
    }

    pub(super) fn installed_road_version(&self) -> Result<Option<u64>> {
        Ok(self
            .with_store(|s| s.meta::<InstalledRoads>(INSTALLED_META))?
            .map(|i| i.version))
    }

    /// A network imported from a file has no province version.
    pub(super) fn forget_installed_road_version(&self) -> Result<()> {
        self.with_store(|s| s.remove_meta(INSTALLED_META))
    }

    pub(super) fn pending_roads(&self) -> Result<Option<PendingRoads>> {
        self.with_store(|s| s.meta(PENDING_META))
    }

    pub(super) fn set_pending_roads(&self, pending: &PendingRoads) -> Result<()> {
        self.with_store(|s| s.set_meta(PENDING_META, pending))
    }

    fn held_chunks(&self) -> Result<HeldChunks> {
        let installed = match std::fs::read(self.road_file()) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let mut in_installed = HashMap::new();
        let mut at = 0;
        for (chunk, bytes) in split_into_chunks(&installed) {
            in_installed.insert(chunk.hash, (at, bytes.len()));
            at += bytes.len();
        }
        let staged = match std::fs::read_dir(self.staging_dir()) {
            Ok(entries) => entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|name| crate::model::from_hex::<32>(&name).map(ChunkHash))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashSet::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(HeldChunks {
            installed,
            in_installed,
            staged,
        })
    }

    /// The chunks of `manifest` this device does not hold, each once, in
    /// order.
    pub(super) fn missing_road_chunks(&self, manifest: &RoadManifest) -> Result<Vec<ChunkRef>> {
        let held = self.held_chunks()?;
        let mut seen = HashSet::new();
        Ok(manifest
            .chunks
            .iter()
            .filter(|c| {
                !held.in_installed.contains_key(&c.hash)
                    && !held.staged.contains(&c.hash)
                    && seen.insert(c.hash)
            })
            .copied()
            .collect())
    }

    /// Keeps a downloaded chunk in staging after checking its hash; a chunk
    /// that does not match is refused and nothing is written.
    pub(super) fn stage_road_chunk(&self, chunk: &ChunkRef, bytes: &[u8]) -> Result<()> {
        check_chunk(chunk, bytes)?;
        let dir = self.staging_dir();
        std::fs::create_dir_all(&dir)?;
        write_atomically(&dir.join(chunk.hash.to_string()), bytes)
    }

    /// Builds the pending version from the installed file and staging,
    /// checks it, replaces the network file atomically and clears staging.
    pub(super) fn install_road_update(&self, pending: &PendingRoads) -> Result<()> {
        let held = self.held_chunks()?;
        let staging = self.staging_dir();
        let (_, network) = pending.manifest.assemble(|chunk| {
            if let Some(&(at, len)) = held.in_installed.get(&chunk.hash) {
                return Ok(held.installed[at..at + len].to_vec());
            }
            let path = staging.join(chunk.hash.to_string());
            let bytes = std::fs::read(&path)?;
            if let Err(e) = check_chunk(chunk, &bytes) {
                // Damaged on disk since: fetched again next time.
                std::fs::remove_file(&path)?;
                return Err(e);
            }
            Ok(bytes)
        })?;
        network.save(&self.road_file())?;
        let version = pending.manifest.version;
        self.with_store(|s| {
            s.set_meta(INSTALLED_META, &InstalledRoads { version })?;
            s.remove_meta(PENDING_META)
        })?;
        ignore_missing(std::fs::remove_dir_all(&staging))
    }
}
