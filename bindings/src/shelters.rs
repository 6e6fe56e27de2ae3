//! Safe community shelters as the apps call them: the signed provincial
//! directory, the road network, nearest search, the host's desk and the
//! collaborator's placement requests. A thin wrapper of the shelter methods
//! of `binhan_core::app::Vault` (`core/src/app/shelters.rs` and
//! `core/src/app/placements.rs`).
//!
//! `Vault.sync` carries the shelters too: it fetches newer directory
//! publications (verified on the device against the pinned provincial key)
//! and sends and receives the placement and free-places messages that the
//! calls below queue; the provincial officer uploads publications with
//! `Vault.publishShelterDirectory` ([`crate::sync`]). It also fetches the
//! road network the province publishes, as a delta of signed chunks
//! (`roadStatus`, `setRoadsWifiOnly`, `downloadRoadUpdate`).
//!
//! Every shelter type the apps see (shelter, directory, coverage, query,
//! results, road figures, requests, stays) is core's own, deriving its
//! uniffi traits in core behind the `uniffi` feature: one name from Rust to
//! Kotlin and Swift, and nothing here to keep in step.
//!
//! Locations of shelters and of people are sensitive: nothing here logs them.

use crate::error::{BinhAnError, Result};
use crate::task::{self, ProgressPhase, TaskHandle, TaskListener, TaskOutcome};
use crate::vault::Vault;
use binhan_core::app::RoadStatus;
use binhan_core::model::CaseId;
use binhan_core::shelters::roads::{Place, RoadSummary};
use binhan_core::shelters::{
    DeclineReason, DirectoryStatus, GeoPoint, HostedShelter, NearestShelters, PlacementNeeds,
    RequestId, SentPlacement, ShelterCoverage, ShelterDirectory, ShelterId, ShelterQuery, Stay,
};
use std::sync::Arc;

/// A query from `from` with no filters and core's defaults (five results,
/// road ranking when a network is loaded); change fields with `copy()`.
#[uniffi::export]
pub fn shelter_query(from: GeoPoint) -> ShelterQuery {
    ShelterQuery::from(from)
}

#[uniffi::export]
impl Vault {
    /// Configures the provincial office's public key (64 hexadecimal
    /// digits), against which every directory is checked. The same key
    /// again is harmless; a different one is refused (`NotAllowed`). Without
    /// it, the first sync pins the key the server hands out; with it, a sync
    /// refuses a server that offers another.
    pub fn set_provincial_key(&self, key: String) -> Result<()> {
        let key = key.trim().parse().map_err(BinhAnError::from)?;
        Ok(self.app().set_provincial_key(key)?)
    }

    /// The provincial key configured (hexadecimal), if any.
    pub fn provincial_key(&self) -> Result<Option<String>> {
        Ok(self.app().provincial_key()?.map(|k| k.to_string()))
    }

    /// Loads a signed directory publication (full or delta). It is used only
    /// if the configured provincial key signed it and it follows the version
    /// held; otherwise it throws (`Tampered` for a bad signature,
    /// `InvalidField` for bytes that are not a publication, `NotAllowed` for
    /// a version that does not follow) and the directory held is kept.
    pub fn load_shelter_directory(&self, publication: Vec<u8>) -> Result<DirectoryStatus> {
        Ok(self.app().load_shelter_directory(&publication)?)
    }

    /// The directory held, if any.
    pub fn shelter_directory(&self) -> Result<Option<ShelterDirectory>> {
        Ok(self.app().shelter_directory()?)
    }

    /// Shelters and standardised shelters per commune (`NotFound` before a
    /// directory is loaded).
    pub fn shelter_coverage(&self) -> Result<ShelterCoverage> {
        Ok(self.app().shelter_coverage()?)
    }

    /// Imports OpenStreetMap road data (PBF or GeoJSON bytes) in the
    /// background and keeps it as the device's road network, replacing any
    /// before; a malformed file fails with the reason and the network held
    /// is kept. Progress: `IMPORTING_ROADS` 0 of 1, then 1 of 1. The outcome
    /// is `TaskOutcome.RoadsImported`. Cancelling before the import starts
    /// skips it; an import already under way still completes (the network
    /// is replaced whole or not at all), see `roadNetwork()`.
    pub fn import_road_network(
        &self,
        road_file: Vec<u8>,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |reporter, cancel| async move {
            let report = task::blocking(move || {
                if cancel.is_cancelled() {
                    return Err(BinhAnError::Cancelled);
                }
                reporter.progress(ProgressPhase::ImportingRoads, 0, 1);
                let report = app.import_road_network(&road_file)?;
                reporter.progress(ProgressPhase::ImportingRoads, 1, 1);
                Ok(report)
            })
            .await?;
            Ok(TaskOutcome::RoadsImported { report })
        })
    }

    /// The road network on this device (the province's version, its size),
    /// the update the province published that waits (bytes to download,
    /// total size) and whether updates wait for Wi-Fi. `Vault.sync` checks
    /// for updates and downloads one only if allowed (see `syncOn`).
    pub fn road_status(&self) -> Result<RoadStatus> {
        Ok(self.app().road_status()?)
    }

    /// Sets whether road network updates download on their own only on an
    /// unmetered network (Wi-Fi); on by default.
    pub fn set_roads_wifi_only(&self, wifi_only: bool) -> Result<()> {
        Ok(self.app().set_roads_wifi_only(wifi_only)?)
    }

    /// Downloads the road network update waiting now, on any network (the
    /// person chose to), checking every chunk's hash, and installs it. The
    /// outcome is `TaskOutcome.RoadsDownloaded`; a chunk that does not match
    /// fails with `Tampered` and the network held is kept (the chunks
    /// already checked are kept for the next try).
    pub fn download_road_update(&self, listener: Arc<dyn TaskListener>) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            let report = app.download_road_update().await?;
            Ok(TaskOutcome::RoadsDownloaded { report })
        })
    }

    /// The road network held, if any.
    pub fn road_network(&self) -> Result<Option<RoadSummary>> {
        Ok(self.app().road_network()?.map(|n| n.summary()))
    }

    /// At most `limit` named villages and settlements of the road network
    /// held whose name (or a word of it) starts with `query`, accents
    /// optional; empty without a road network or for a blank query.
    pub fn find_places(&self, query: String, limit: u32) -> Result<Vec<Place>> {
        let places = self.app().places()?.unwrap_or_default();
        Ok(places
            .find(&query, limit as usize)
            .into_iter()
            .cloned()
            .collect())
    }

    /// The nearest shelters for `query`, ranked by road travel time when a
    /// road network is loaded (unless `straightLine`), else by straight line.
    pub fn nearest_shelters(&self, query: ShelterQuery) -> Result<NearestShelters> {
        Ok(self.app().nearest_shelters(&query)?)
    }

    /// Starts hosting `shelter` on this device with `free_places`; the
    /// directory must name this device as the shelter's host.
    pub fn host_shelter(&self, shelter: ShelterId, free_places: u16) -> Result<HostedShelter> {
        Ok(self.app().host_shelter(shelter, free_places)?)
    }

    /// The shelter this device hosts, with its requests and stays.
    pub fn hosted_shelter(&self) -> Result<Option<HostedShelter>> {
        Ok(self.app().hosted_shelter()?)
    }

    /// The host confirms the number of free places.
    pub fn set_free_places(&self, free_places: u16) -> Result<HostedShelter> {
        Ok(self.app().set_free_places(free_places)?)
    }

    /// Requests waiting for this host's decision, oldest first.
    pub fn placement_inbox(&self) -> Result<Vec<Stay>> {
        Ok(self.app().placement_inbox()?)
    }

    /// The host accepts a request (refused if its places are no longer
    /// free); other waiting requests that no longer fit are declined.
    pub fn accept_placement(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().accept_placement(request)?)
    }

    /// The host declines a request.
    pub fn decline_placement(
        &self,
        request: RequestId,
        reason: DeclineReason,
    ) -> Result<HostedShelter> {
        Ok(self.app().decline_placement(request, reason)?)
    }

    /// The people of an accepted request arrived.
    pub fn record_arrival(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().record_arrival(request)?)
    }

    /// The people left; their places are free again.
    pub fn record_departure(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().record_departure(request)?)
    }

    /// Nobody came for an accepted request; its places are free again.
    pub fn record_no_show(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().record_no_show(request)?)
    }

    /// Asks a shelter's host for places for the people of a case, recording
    /// the request on the case; the request carries only `needs`. It goes
    /// out with the next sync.
    pub fn request_placement(
        &self,
        case_id: CaseId,
        shelter: ShelterId,
        needs: PlacementNeeds,
    ) -> Result<RequestId> {
        Ok(self.app().request_placement(case_id, shelter, needs)?)
    }

    /// Placement requests this device sent, newest first.
    pub fn placement_requests(&self) -> Result<Vec<SentPlacement>> {
        Ok(self.app().placement_requests()?)
    }

    /// Withdraws a request this device sent (the survivor chose otherwise),
    /// recording it on the case and telling the host.
    pub fn cancel_placement(&self, request: RequestId) -> Result<()> {
        Ok(self.app().cancel_placement(request)?)
    }
}
