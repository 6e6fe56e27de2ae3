//! Safe community shelters: the signed provincial directory, offline
//! nearest-shelter search by straight line and by road, and the hosts'
//! and collaborators' sides of a placement.
//!
//! - [`model`](Shelter): a shelter, its kinds, accepted groups, languages and
//!   accessibility as coded enums, and the standardisation [`Checklist`];
//! - [`ShelterDirectory`]: versioned, changed by [`DirectoryDelta`]s, published as
//!   [`SignedPublication`]s that a device uses only after checking the
//!   provincial key's signature ([`next_directory`]);
//! - [`ShelterFinder`]: ranking by straight line from a spatial index, or by
//!   travel time over a [`RoadNetwork`] imported from OpenStreetMap data;
//! - [`HostedShelter`] and the placement messages ([`MailMessage`]): requests
//!   that carry only what a host needs, accepted or declined, arrival and
//!   departure, free places following; on the collaborator's side each step
//!   is recorded on the case ([`Placement`]);
//! - the [`Vault`](crate::app::Vault) methods that keep all of it sealed on the
//!   device, and the sync step that carries it through the server
//!   ([`wire`]: publications and an end-to-end sealed mailbox).

mod availability;
mod checklist;
pub(crate) mod contacts;
mod desk;
mod directory;
mod geo;
mod host;
mod ids;
mod messages;
pub(crate) mod model;
mod placement;
mod registry;
pub mod roads;
mod search;
mod signing;
pub mod wire;

pub use crate::app::sync_shelters::ShelterSyncReport;
pub use availability::{
    AvailabilityBook, AvailabilityUpdate, AvailabilityView, Freshness, DEFAULT_MAX_AGE_HOURS,
};
pub use checklist::{Checklist, ChecklistItems, StandardItem};
pub use contacts::{CommuneContacts, ContactKind, EmergencyContact, MAX_CONTACTS_PER_COMMUNE};
pub(crate) use desk::HostStep;
pub use desk::{DeviceShelters, SentPlacement, MAX_OUTBOX};
pub use directory::{
    CommuneCoverage, DirectoryDelta, DirectoryStatus, ShelterCoverage, ShelterDirectory,
    MAX_SHELTERS,
};
pub use geo::{validate_in_province, GeoBounds, GeoPoint, EARTH_RADIUS_M, PROVINCE_BOUNDS};
pub use host::{HostedShelter, Outgoing, Stay, Stays};
pub use ids::{MailId, RequestId, ShelterId};
pub use messages::{
    CancelRequest, Decision, MailMessage, OutboxEntry, PlacementRequest, PlacementResponse,
    Received, Recipient, StayUpdate, MESSAGE_FORMAT_VERSION,
};
pub use model::{
    AcceptedGroup, Accessibility, HostContact, Language, Shelter, ShelterHours, ShelterKind,
    MAX_CAPACITY,
};
pub(crate) use placement::plan_placement;
pub use placement::{
    DeclineReason, Placement, PlacementNeeds, PlacementStatus, MAX_PEOPLE, PLACEMENT_REGISTER,
};
pub use registry::{RegistryChanges, RegistryDraft};
pub use roads::RoadNetwork;
pub use search::{
    NearestShelters, Ranking, RoadReach, ShelterFinder, ShelterMatch, ShelterQuery,
    UnreachableReason, DEFAULT_MAX_SNAP_M, MAX_LIMIT,
};
pub use signing::{
    next_directory, DirectoryUpdate, ProvincialKey, ProvincialSigner, Publication,
    SignedPublication, PUBLICATION_FORMAT_VERSION,
};

use crate::model::Enumeration;

/// The labels of every shelter enumeration the apps show.
pub fn enumerations() -> Vec<Enumeration> {
    vec![
        Enumeration::of::<ShelterKind>(),
        Enumeration::of::<AcceptedGroup>(),
        Enumeration::of::<Language>(),
        Enumeration::of::<Accessibility>(),
        Enumeration::of::<StandardItem>(),
        Enumeration::of::<Freshness>(),
        Enumeration::of::<PlacementStatus>(),
        Enumeration::of::<DeclineReason>(),
        Enumeration::of::<Ranking>(),
        Enumeration::of::<UnreachableReason>(),
        Enumeration::of::<roads::RoadClass>(),
        Enumeration::of::<roads::SettlementKind>(),
        Enumeration::of::<ContactKind>(),
    ]
}
