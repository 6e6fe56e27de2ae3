//! The shelter directory and search features of [`Vault`]: the signed
//! directory, the road network and nearest search, and the device's shelter
//! record ([`DeviceShelters`]) that these and the placements
//! ([`super::placements`]) keep sealed in the store.
//!
//! The directory, free places, requests and outbox are sealed in the store
//! (shelter locations are sensitive); the road network, public map data,
//! is a plain file beside it.

use super::Vault;
use crate::error::Refusal;
use crate::shelters::roads::{import_roads, Places, RoadImportReport, RoadNetwork};
use crate::shelters::{
    next_directory, DeviceShelters, DirectoryStatus, NearestShelters, ProvincialKey, Shelter,
    ShelterCoverage, ShelterDirectory, ShelterFinder, ShelterQuery, SignedPublication,
};
use crate::store::Store;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::sync::Arc;

const KEY_META: &str = "shelters.provincial_key";
/// The directory held (with emergency contacts and the service
/// directory).
const DIRECTORY_META: &str = "shelters.directory.3";
/// Where a directory with emergency contacts but no service directory was
/// kept. It still loads, with no organisations, until the next publication
/// replaces it and this record is removed.
const DIRECTORY_META_V2: &str = "shelters.directory.2";
/// Where a directory of publication format 1 (no emergency contacts) was
/// kept; the same holds.
const DIRECTORY_META_V1: &str = "shelters.directory";
pub(super) const DESK_META: &str = "shelters.desk";

/// The road network file inside the vault directory.
pub const ROAD_FILE: &str = "roads.bhrn";

/// A directory as format 1 stored it: no emergency contacts.
#[derive(Deserialize)]
struct DirectoryV1 {
    version: u64,
    published_at: DateTime<Utc>,
    shelters: Vec<Shelter>,
}

/// A directory as the app kept it before the service directory.
#[derive(Deserialize)]
struct DirectoryV2 {
    version: u64,
    published_at: DateTime<Utc>,
    shelters: Vec<Shelter>,
    contacts: Vec<crate::shelters::CommuneContacts>,
}

/// The directory kept by an earlier version of the app, if any.
fn earlier_directory(store: &Store) -> Result<Option<ShelterDirectory>> {
    if let Some(old) = store.meta::<DirectoryV2>(DIRECTORY_META_V2)? {
        return Ok(Some(
            ShelterDirectory::new(old.version, old.published_at, old.shelters)
                .with_contacts(old.contacts),
        ));
    }
    Ok(store
        .meta::<DirectoryV1>(DIRECTORY_META_V1)?
        .map(|old| ShelterDirectory::new(old.version, old.published_at, old.shelters)))
}

impl Vault {
    pub(super) fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(i64::try_from(self.wall_ms()).unwrap_or(i64::MAX))
            .unwrap_or_default()
    }

    pub(super) fn desk(&self) -> Result<DeviceShelters> {
        Ok(self
            .with_store(|s| s.meta::<DeviceShelters>(DESK_META))?
            .unwrap_or_default())
    }

    pub(super) fn update_desk<R>(
        &self,
        f: impl FnOnce(&mut DeviceShelters) -> Result<R>,
    ) -> Result<R> {
        self.with_store(|store| {
            store.update_meta(DESK_META, |desk: Option<DeviceShelters>| {
                let mut desk = desk.unwrap_or_default();
                let result = f(&mut desk)?;
                Ok((desk, result))
            })
        })
    }

    // ----- the signed directory -----

    /// Configures the provincial office's public key, against which every
    /// directory is checked. Setting the same key again is harmless; a
    /// different key is refused (the province's key changes only through
    /// enrolment).
    pub fn set_provincial_key(&self, key: ProvincialKey) -> Result<()> {
        self.with_store(|store| {
            store.update_meta(KEY_META, |current: Option<ProvincialKey>| match current {
                Some(old) if old != key => Err(Error::NotAllowed(Refusal::ProvincialKeyDiffers)),
                _ => Ok((key, ())),
            })
        })
    }

    /// The provincial key configured, if any.
    pub fn provincial_key(&self) -> Result<Option<ProvincialKey>> {
        self.with_store(|s| s.meta(KEY_META))
    }

    /// Loads a signed directory publication (full or delta). It is used only
    /// if the configured provincial key signed it and it follows the version
    /// held; otherwise it is refused and the directory held is kept.
    pub fn load_shelter_directory(&self, publication: &[u8]) -> Result<DirectoryStatus> {
        let publication = SignedPublication::decode(publication)?;
        let key = self
            .provincial_key()?
            .ok_or_else(|| Error::NotAllowed(Refusal::NoProvincialKey))?;
        let (status, directory) = self.with_store(|store| {
            let earlier = earlier_directory(store)?;
            let loaded =
                store.update_meta(DIRECTORY_META, |current: Option<ShelterDirectory>| {
                    let current = current.or(earlier);
                    let next = next_directory(current.as_ref(), &key, &publication)?;
                    let status = DirectoryStatus {
                        version: next.version,
                        previous_version: current.map(|c| c.version),
                        shelters: next.shelters.len() as u64,
                        published_at: next.published_at,
                    };
                    Ok((next.clone(), (status, next)))
                })?;
            store.remove_meta(DIRECTORY_META_V2)?;
            store.remove_meta(DIRECTORY_META_V1)?;
            Ok(loaded)
        })?;
        self.update_desk(|desk| {
            desk.availability
                .retain(|id| directory.shelter(id).is_some());
            if let Some(host) = desk.hosting.as_mut() {
                if let Some(shelter) = directory.shelter(&host.shelter) {
                    host.update_capacity(shelter.capacity);
                }
            }
            Ok(())
        })?;
        self.refresh_emergency_file();
        Ok(status)
    }

    /// The directory held, if any.
    pub fn shelter_directory(&self) -> Result<Option<ShelterDirectory>> {
        self.with_store(|store| match store.meta(DIRECTORY_META)? {
            Some(directory) => Ok(Some(directory)),
            None => earlier_directory(store),
        })
    }

    pub(super) fn directory_or_error(&self) -> Result<ShelterDirectory> {
        self.shelter_directory()?.ok_or_else(|| {
            Error::NotFound("shelter directory on this device; load it first".into())
        })
    }

    /// Shelters and standardised shelters per commune.
    pub fn shelter_coverage(&self) -> Result<ShelterCoverage> {
        Ok(self.directory_or_error()?.coverage())
    }

    // ----- the road network and search -----

    /// Imports OpenStreetMap road data (PBF or GeoJSON) and keeps it as the
    /// device's road network, replacing any before (also one the province
    /// published: the next province version replaces it in turn). A malformed file is
    /// refused with the reason and the network held is kept.
    pub fn import_road_network(&self, road_file: &[u8]) -> Result<RoadImportReport> {
        self.device_id()?;
        let (network, report) = import_roads(road_file)?;
        network.save(&self.vault_dir().join(ROAD_FILE))?;
        self.forget_installed_road_version()?;
        Ok(report)
    }

    /// The road network held, if any.
    pub fn road_network(&self) -> Result<Option<RoadNetwork>> {
        self.device_id()?;
        RoadNetwork::load(&self.vault_dir().join(ROAD_FILE))
    }

    /// The named villages and settlements of the road network held, to
    /// search from one chosen by name ([`Places::find`]); `None` without a
    /// road network. Reads only the places, not the graph.
    pub fn places(&self) -> Result<Option<Places>> {
        self.device_id()?;
        RoadNetwork::load_places(&self.vault_dir().join(ROAD_FILE))
    }

    /// The directory's active shelters indexed for search, with the free
    /// places known and the road network. Keep it between searches.
    pub fn shelter_finder(&self) -> Result<ShelterFinder> {
        let directory = self.directory_or_error()?;
        let roads = self.road_network()?.map(Arc::new);
        Ok(ShelterFinder::new(
            &directory,
            self.desk()?.availability,
            roads,
        ))
    }

    /// The nearest shelters for `query` (see [`ShelterFinder::nearest`]).
    pub fn nearest_shelters(&self, query: &ShelterQuery) -> Result<NearestShelters> {
        self.shelter_finder()?.nearest(query, self.now())
    }
}
