//! Safe community shelters as the apps call them: the signed provincial
//! directory, the road network, nearest search, the host's desk and the
//! collaborator's placement requests. A thin wrapper of the shelter methods
//! of `binhan_core::app::Vault` (`core/src/shelters/device.rs`).
//!
//! `Vault.sync` carries the shelters too: it fetches newer directory
//! publications (verified on the device against the pinned provincial key)
//! and sends and receives the placement and free-places messages that the
//! calls below queue; the provincial officer uploads publications with
//! `Vault.publishShelterDirectory` ([`crate::sync`]).
//!
//! The shelter enumerations (kind, accepted group, language, accessibility,
//! checklist item, freshness, placement status, decline reason, ranking,
//! unreachable, road class) derive their uniffi traits in core and are
//! labelled by `allEnumerations()`. The structures core keeps generic or
//! sized by `usize` do not derive them, so the few the apps see are
//! mirrored here and filled by `From`.
//!
//! Locations of shelters and of people are sensitive: nothing here logs them.

use crate::error::{BinhAnError, Result};
use crate::task::{self, ProgressPhase, TaskHandle, TaskListener, TaskOutcome};
use crate::vault::Vault;
use binhan_core::model::Coded;
use binhan_core::model::{CaseId, DeviceId};
use binhan_core::shelters::{
    self as core, AcceptedGroup, Accessibility, DeclineReason, Freshness, Language, PlacementNeeds,
    PlacementStatus, Ranking, RequestId, ShelterId, ShelterKind, StandardItem, UnreachableReason,
};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// An instant (UTC), as core's `Timestamp` custom type carries it.
type Timestamp = DateTime<Utc>;

/// Converts a count to what crosses the boundary (counts here are small).
fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A point in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GeoPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl From<core::GeoPoint> for GeoPoint {
    fn from(p: core::GeoPoint) -> Self {
        Self {
            lat: p.lat,
            lon: p.lon,
        }
    }
}

impl From<GeoPoint> for core::GeoPoint {
    fn from(p: GeoPoint) -> Self {
        Self::new(p.lat, p.lon)
    }
}

/// When a shelter takes people in, in Vietnam's local time.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ShelterHours {
    /// Day and night.
    Always,
    /// Every day between two times (`to` before `from` spans midnight).
    Daily {
        /// Opening time, `HH:MM`.
        from: String,
        /// Closing time, `HH:MM`.
        to: String,
    },
}

impl From<core::Hours> for ShelterHours {
    fn from(h: core::Hours) -> Self {
        match h {
            core::Hours::Always => Self::Always,
            core::Hours::Daily { from, to } => Self::Daily {
                from: from.format("%H:%M").to_string(),
                to: to.format("%H:%M").to_string(),
            },
        }
    }
}

/// One item of a shelter's standardisation checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ChecklistItem {
    /// The item.
    pub item: StandardItem,
    /// Whether the shelter meets it.
    pub met: bool,
}

/// One shelter of the provincial directory.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Shelter {
    /// Random id, stable across directory versions.
    pub id: ShelterId,
    /// Name shown to collaborators (may be a code name).
    pub name: String,
    /// Kind of place.
    pub kind: ShelterKind,
    /// Commune or ward (code).
    pub commune: String,
    /// Where it is.
    pub location: GeoPoint,
    /// Places in all.
    pub capacity: u16,
    /// Whom it takes in.
    pub accepts: Vec<AcceptedGroup>,
    /// What it offers people with disabilities.
    pub accessibility: Vec<Accessibility>,
    /// Languages spoken there.
    pub languages: Vec<Language>,
    /// When it takes people in.
    pub hours: ShelterHours,
    /// Whom to ask for on the phone.
    pub contact_name: Option<String>,
    /// The host's phone number.
    pub contact_phone: Option<String>,
    /// The host's enrolled device, which answers placement requests; none
    /// if the shelter takes placements by phone only.
    pub host_device: Option<DeviceId>,
    /// Whether it takes people in at present.
    pub active: bool,
    /// Whether it meets the whole standardisation checklist.
    pub standardised: bool,
    /// Every checklist item in order, met or not.
    pub checklist: Vec<ChecklistItem>,
    /// Day the checklist was last reviewed.
    pub checklist_reviewed_on: Option<NaiveDate>,
}

impl From<core::Shelter> for Shelter {
    fn from(s: core::Shelter) -> Self {
        let standardised = s.is_standardised();
        let checklist = StandardItem::ALL
            .iter()
            .map(|&item| ChecklistItem {
                item,
                met: s.checklist.is_met(item),
            })
            .collect();
        Self {
            id: s.id,
            name: s.name,
            kind: s.kind,
            commune: s.commune,
            location: s.location.into(),
            capacity: s.capacity,
            accepts: s.accepts,
            accessibility: s.accessibility,
            languages: s.languages,
            hours: s.hours.into(),
            contact_name: s.contact.name,
            contact_phone: s.contact.phone,
            host_device: s.host_device,
            active: s.active,
            standardised,
            checklist,
            checklist_reviewed_on: s.checklist.reviewed_on,
        }
    }
}

/// What loading a directory publication did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DirectoryStatus {
    /// The version now held.
    pub version: u64,
    /// The version held before, if any.
    pub previous_version: Option<u64>,
    /// Shelters in the directory.
    pub shelters: u64,
    /// When the province published it.
    pub published_at: Timestamp,
}

impl From<core::DirectoryStatus> for DirectoryStatus {
    fn from(s: core::DirectoryStatus) -> Self {
        Self {
            version: s.version,
            previous_version: s.previous_version,
            shelters: count(s.shelters),
            published_at: s.published_at,
        }
    }
}

/// The directory held on this device.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ShelterDirectory {
    /// Its version.
    pub version: u64,
    /// When the province published it.
    pub published_at: Timestamp,
    /// Every shelter, active or not.
    pub shelters: Vec<Shelter>,
}

impl From<core::ShelterDirectory> for ShelterDirectory {
    fn from(d: core::ShelterDirectory) -> Self {
        Self {
            version: d.version,
            published_at: d.published_at,
            shelters: d.shelters.into_iter().map(Shelter::from).collect(),
        }
    }
}

/// One commune's line of the coverage view.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CommuneCoverage {
    /// Commune code.
    pub commune: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Shelters listed.
    pub shelters: u32,
    /// Shelters taking people in.
    pub active: u32,
    /// Active shelters meeting the whole checklist.
    pub standardised: u32,
    /// Kinds of active shelter present.
    pub kinds: Vec<ShelterKind>,
}

/// The province's shelter coverage: the plan asks for at least five
/// standardised shelters and one shelter in every commune.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ShelterCoverage {
    /// Active standardised shelters in the province.
    pub standardised_in_province: u32,
    /// Communes with no active shelter (codes).
    pub communes_without_active_shelter: Vec<String>,
    /// Each commune.
    pub communes: Vec<CommuneCoverage>,
}

impl From<core::ShelterCoverage> for ShelterCoverage {
    fn from(c: core::ShelterCoverage) -> Self {
        Self {
            standardised_in_province: c.standardised_in_province,
            communes_without_active_shelter: c.communes_without_active_shelter,
            communes: c
                .communes
                .into_iter()
                .map(|c| CommuneCoverage {
                    commune: c.commune,
                    name: c.name,
                    shelters: c.shelters,
                    active: c.active,
                    standardised: c.standardised,
                    kinds: c
                        .kinds
                        .iter()
                        .filter_map(|code| ShelterKind::from_code(code))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The format of a road file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RoadFormat {
    /// OpenStreetMap PBF (`.osm.pbf`).
    Pbf,
    /// GeoJSON lines with OpenStreetMap tags as properties.
    GeoJson,
}

/// A rectangle of the map.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GeoBounds {
    /// Southern edge.
    pub min_lat: f64,
    /// Northern edge.
    pub max_lat: f64,
    /// Western edge.
    pub min_lon: f64,
    /// Eastern edge.
    pub max_lon: f64,
}

/// Figures about a road network.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct RoadSummary {
    /// Junctions and shape points.
    pub nodes: u64,
    /// Directed edges.
    pub edges: u64,
    /// Groups of nodes connected to each other by road.
    pub components: u64,
    /// The rectangle the network covers.
    pub bounds: GeoBounds,
}

impl From<core::roads::RoadSummary> for RoadSummary {
    fn from(s: core::roads::RoadSummary) -> Self {
        Self {
            nodes: count(s.nodes),
            edges: count(s.edges),
            components: count(s.components),
            bounds: GeoBounds {
                min_lat: s.bounds.min_lat,
                max_lat: s.bounds.max_lat,
                min_lon: s.bounds.min_lon,
                max_lon: s.bounds.max_lon,
            },
        }
    }
}

/// What a road import found.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RoadImportReport {
    /// The format read.
    pub format: RoadFormat,
    /// Ways imported, per road class code (labels: enumeration `road_class`).
    pub ways: HashMap<String, u64>,
    /// Features or ways skipped (not a travelled road, or not a line).
    pub skipped: u64,
    /// Way points whose node was missing from the extract.
    pub missing_nodes: u64,
    /// The network imported.
    pub network: RoadSummary,
}

impl From<core::roads::ImportReport> for RoadImportReport {
    fn from(r: core::roads::ImportReport) -> Self {
        Self {
            format: match r.format {
                core::roads::RoadFormat::Pbf => RoadFormat::Pbf,
                core::roads::RoadFormat::GeoJson => RoadFormat::GeoJson,
            },
            ways: r.ways.into_iter().map(|(k, v)| (k, count(v))).collect(),
            skipped: count(r.skipped),
            missing_nodes: count(r.missing_nodes),
            network: r.network.into(),
        }
    }
}

/// A search for shelters near a place. Every filter that is set must match.
/// Start from `shelterQuery(from)`, which fills core's defaults.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ShelterQuery {
    /// Where the person is.
    pub from: GeoPoint,
    /// Free places needed: a shelter qualifies if its last reported figure
    /// is at least this, or, never having reported one, its capacity is.
    pub people: Option<u16>,
    /// Takes children (alone or with their mother).
    pub children: bool,
    /// Takes this group.
    pub group: Option<AcceptedGroup>,
    /// Step-free access.
    pub step_free: bool,
    /// Support for a person with a disability.
    pub disability_support: bool,
    /// This language is spoken.
    pub language: Option<Language>,
    /// Only these kinds (all kinds if empty).
    pub kinds: Vec<ShelterKind>,
    /// Only shelters meeting the whole standardisation checklist.
    pub standardised_only: bool,
    /// How many shelters to rank (1–50).
    pub limit: u32,
    /// Rank by straight line even if a road network is loaded.
    pub straight_line: bool,
    /// Hours after which a free-places figure is shown as unconfirmed.
    pub max_age_hours: u32,
    /// Metres the start may be from the nearest road.
    pub max_snap_m: u32,
}

impl From<core::ShelterQuery> for ShelterQuery {
    fn from(q: core::ShelterQuery) -> Self {
        Self {
            from: q.from.into(),
            people: q.people,
            children: q.children,
            group: q.group,
            step_free: q.step_free,
            disability_support: q.disability_support,
            language: q.language,
            kinds: q.kinds,
            standardised_only: q.standardised_only,
            limit: u32::try_from(q.limit).unwrap_or(u32::MAX),
            straight_line: q.straight_line,
            max_age_hours: q.max_age_hours,
            max_snap_m: q.max_snap_m,
        }
    }
}

impl From<ShelterQuery> for core::ShelterQuery {
    fn from(q: ShelterQuery) -> Self {
        Self {
            from: q.from.into(),
            people: q.people,
            children: q.children,
            group: q.group,
            step_free: q.step_free,
            disability_support: q.disability_support,
            language: q.language,
            kinds: q.kinds,
            standardised_only: q.standardised_only,
            limit: usize::try_from(q.limit).unwrap_or(usize::MAX),
            straight_line: q.straight_line,
            max_age_hours: q.max_age_hours,
            max_snap_m: q.max_snap_m,
        }
    }
}

/// A query from `from` with no filters and core's defaults (five results,
/// road ranking when a network is loaded); change fields with `copy()`.
#[uniffi::export]
pub fn shelter_query(from: GeoPoint) -> ShelterQuery {
    core::ShelterQuery::from(from.into()).into()
}

/// A shelter's reach by road.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RoadReach {
    /// Not searched by road (no network loaded, or straight line asked).
    NotSearched,
    /// Reached by road.
    Reachable {
        /// Travel time in seconds, walking to and from the road included.
        travel_time_s: u32,
        /// Distance travelled in metres.
        distance_m: u32,
    },
    /// No road reaches it: shown so, never ranked by a wrong number.
    Unreachable {
        /// Why.
        reason: UnreachableReason,
    },
}

impl From<core::RoadReach> for RoadReach {
    fn from(r: core::RoadReach) -> Self {
        match r {
            core::RoadReach::NotSearched => Self::NotSearched,
            core::RoadReach::Reachable {
                travel_time_s,
                distance_m,
            } => Self::Reachable {
                travel_time_s,
                distance_m,
            },
            core::RoadReach::Unreachable { reason } => Self::Unreachable { reason },
        }
    }
}

/// A shelter's free places as this device knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Availability {
    /// Places free, if ever reported.
    pub free_places: Option<u16>,
    /// When the host confirmed the figure.
    pub confirmed_at: Option<Timestamp>,
    /// Whether the figure can be trusted now.
    pub freshness: Freshness,
}

impl From<core::AvailabilityView> for Availability {
    fn from(a: core::AvailabilityView) -> Self {
        Self {
            free_places: a.free_places,
            confirmed_at: a.confirmed_at,
            freshness: a.freshness,
        }
    }
}

/// One shelter in a result list.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ShelterMatch {
    /// The shelter as the directory describes it.
    pub shelter: Shelter,
    /// Straight-line distance from the start, metres.
    pub straight_line_m: u32,
    /// Travel by road.
    pub road: RoadReach,
    /// Free places and how fresh the figure is.
    pub availability: Availability,
    /// Whether it takes people in at this hour.
    pub open_now: bool,
    /// Whether it meets the whole standardisation checklist.
    pub standardised: bool,
}

/// A ranked result list.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NearestShelters {
    /// What the list is ordered by.
    pub ranked_by: Ranking,
    /// Metres from the start to the road it was joined to, when searched by
    /// road.
    pub start_to_road_m: Option<u32>,
    /// The nearest shelters in order; under road ranking, followed by the
    /// shelters among the straight-line nearest that no road reaches.
    pub shelters: Vec<ShelterMatch>,
}

impl From<core::NearestShelters> for NearestShelters {
    fn from(n: core::NearestShelters) -> Self {
        Self {
            ranked_by: n.ranked_by,
            start_to_road_m: n.start_to_road_m,
            shelters: n
                .shelters
                .into_iter()
                .map(|m| ShelterMatch {
                    shelter: m.shelter.into(),
                    straight_line_m: m.straight_line_m,
                    road: m.road.into(),
                    availability: m.availability.into(),
                    open_now: m.open_now,
                    standardised: m.standardised,
                })
                .collect(),
        }
    }
}

/// A placement request as sent: only what a host needs (no name, no case).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlacementRequest {
    /// Its random id.
    pub request: RequestId,
    /// The shelter asked.
    pub shelter: ShelterId,
    /// Who needs places.
    pub needs: PlacementNeeds,
    /// When it was sent.
    pub sent_at: Timestamp,
}

impl From<core::PlacementRequest> for PlacementRequest {
    fn from(r: core::PlacementRequest) -> Self {
        Self {
            request: r.request,
            shelter: r.shelter,
            needs: r.needs,
            sent_at: r.sent_at,
        }
    }
}

/// One request as the host sees it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Stay {
    /// The request as received.
    pub request: PlacementRequest,
    /// The collaborator's device that sent it.
    pub from: DeviceId,
    /// Where it stands.
    pub status: PlacementStatus,
    /// Why it was declined.
    pub decline_reason: Option<DeclineReason>,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl From<core::Stay> for Stay {
    fn from(s: core::Stay) -> Self {
        Self {
            request: s.request.into(),
            from: s.from,
            status: s.status,
            decline_reason: s.decline_reason,
            updated_at: s.updated_at,
        }
    }
}

/// The shelter this device hosts, with its requests and stays.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HostedShelter {
    /// The shelter.
    pub shelter: ShelterId,
    /// Its places in all (from the directory).
    pub capacity: u16,
    /// Places free now.
    pub free_places: u16,
    /// When the host last confirmed the figure.
    pub confirmed_at: Timestamp,
    /// Requests and stays, in request id order.
    pub stays: Vec<Stay>,
}

impl From<core::HostedShelter> for HostedShelter {
    fn from(h: core::HostedShelter) -> Self {
        Self {
            shelter: h.shelter,
            capacity: h.capacity,
            free_places: h.free_places,
            confirmed_at: h.confirmed_at,
            stays: h.stays.into_values().map(Stay::from).collect(),
        }
    }
}

/// A placement request this device sent, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SentPlacement {
    /// The request.
    pub request: PlacementRequest,
    /// The case it is for.
    pub case_id: CaseId,
    /// The host's device.
    pub host: DeviceId,
    /// The shelter's name when sent.
    pub shelter_name: String,
    /// Where it stands.
    pub status: PlacementStatus,
    /// The host's reason, when declined.
    pub decline_reason: Option<DeclineReason>,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl From<core::SentPlacement> for SentPlacement {
    fn from(r: core::SentPlacement) -> Self {
        Self {
            request: r.request.into(),
            case_id: r.case,
            host: r.host,
            shelter_name: r.shelter_name,
            status: r.status,
            decline_reason: r.decline_reason,
            updated_at: r.updated_at,
        }
    }
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
        Ok(self.app().load_shelter_directory(&publication)?.into())
    }

    /// The directory held, if any.
    pub fn shelter_directory(&self) -> Result<Option<ShelterDirectory>> {
        Ok(self.app().shelter_directory()?.map(ShelterDirectory::from))
    }

    /// Shelters and standardised shelters per commune (`NotFound` before a
    /// directory is loaded).
    pub fn shelter_coverage(&self) -> Result<ShelterCoverage> {
        Ok(self.app().shelter_coverage()?.into())
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
            Ok(TaskOutcome::RoadsImported {
                report: report.into(),
            })
        })
    }

    /// The road network held, if any.
    pub fn road_network(&self) -> Result<Option<RoadSummary>> {
        Ok(self.app().road_network()?.map(|n| n.summary().into()))
    }

    /// The nearest shelters for `query`, ranked by road travel time when a
    /// road network is loaded (unless `straightLine`), else by straight line.
    pub fn nearest_shelters(&self, query: ShelterQuery) -> Result<NearestShelters> {
        Ok(self.app().nearest_shelters(&query.into())?.into())
    }

    /// Starts hosting `shelter` on this device with `free_places`; the
    /// directory must name this device as the shelter's host.
    pub fn host_shelter(&self, shelter: ShelterId, free_places: u16) -> Result<HostedShelter> {
        Ok(self.app().host_shelter(shelter, free_places)?.into())
    }

    /// The shelter this device hosts, with its requests and stays.
    pub fn hosted_shelter(&self) -> Result<Option<HostedShelter>> {
        Ok(self.app().hosted_shelter()?.map(HostedShelter::from))
    }

    /// The host confirms the number of free places.
    pub fn set_free_places(&self, free_places: u16) -> Result<HostedShelter> {
        Ok(self.app().set_free_places(free_places)?.into())
    }

    /// Requests waiting for this host's decision, oldest first.
    pub fn placement_inbox(&self) -> Result<Vec<Stay>> {
        Ok(self
            .app()
            .placement_inbox()?
            .into_iter()
            .map(Stay::from)
            .collect())
    }

    /// The host accepts a request (refused if its places are no longer
    /// free); other waiting requests that no longer fit are declined.
    pub fn accept_placement(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().accept_placement(request)?.into())
    }

    /// The host declines a request.
    pub fn decline_placement(
        &self,
        request: RequestId,
        reason: DeclineReason,
    ) -> Result<HostedShelter> {
        Ok(self.app().decline_placement(request, reason)?.into())
    }

    /// The people of an accepted request arrived.
    pub fn record_arrival(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().record_arrival(request)?.into())
    }

    /// The people left; their places are free again.
    pub fn record_departure(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().record_departure(request)?.into())
    }

    /// Nobody came for an accepted request; its places are free again.
    pub fn record_no_show(&self, request: RequestId) -> Result<HostedShelter> {
        Ok(self.app().record_no_show(request)?.into())
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
        Ok(self
            .app()
            .placement_requests()?
            .into_iter()
            .map(SentPlacement::from)
            .collect())
    }

    /// Withdraws a request this device sent (the survivor chose otherwise),
    /// recording it on the case and telling the host.
    pub fn cancel_placement(&self, request: RequestId) -> Result<()> {
        Ok(self.app().cancel_placement(request)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_reach_cross_unchanged() {
        let from = GeoPoint {
            lat: 22.39,
            lon: 103.46,
        };
        let query = shelter_query(from);
        let defaults = core::ShelterQuery::from(from.into());
        let back: core::ShelterQuery = query.clone().into();
        assert_eq!(back, defaults);
        assert_eq!(query.limit, 5);
        assert_eq!(
            RoadReach::from(core::RoadReach::Unreachable {
                reason: UnreachableReason::NoRoadNearby
            }),
            RoadReach::Unreachable {
                reason: UnreachableReason::NoRoadNearby
            }
        );
        assert_eq!(
            ShelterHours::from(core::Hours::Daily {
                from: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
                to: chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
            }),
            ShelterHours::Daily {
                from: "07:00".into(),
                to: "17:30".into()
            }
        );
    }
}
