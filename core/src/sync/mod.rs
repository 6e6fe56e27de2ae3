//! End-to-end encrypted sync, device side: identity keys, case keys and
//! their wrapping, the wire protocol, and the client that pushes and pulls.

mod activities;
mod admin;
mod auth;
mod bundle;
mod certificate;
pub(crate) mod compression;
mod devices;
mod engine;
mod envelope;
mod identity;
mod link;
mod online_reports;
mod pull;
mod push;
mod quarantine;
mod revocation;
mod school;
mod snapshots;
mod statistics;
pub(crate) use statistics::OFFICE_KEY_META;
mod team;
mod team_changes;
mod team_page;
mod transport;
pub mod wire;
mod wrap;
pub(crate) use wrap::{open_from_device, seal_to_device, Purpose};

pub(crate) use activities::{keep as keep_activity, recorded as recorded_activities};
pub use activities::{ActivitySending, RecordedActivity, MAX_KEPT_ACTIVITIES};
pub use admin::invitation_request;
#[cfg(any(test, feature = "testing"))]
pub(crate) use auth::set_enrolment;
pub use auth::{check_enrolled, enrol, enrol_request, enrolment, own_school, Enrolment};
pub use bundle::{open_bundle, seal_bundle, verify_bundle, MAX_BUNDLE_PLAIN_BYTES};
pub use certificate::{
    check_chain, commune_suits, new_code, DeviceCertificate, Grant, InvitationSecret,
    KeyEndorsement, BOOTSTRAP_CODE_CHARS, MAX_CHAIN,
};
pub use engine::{
    CancelFlag, ProgressFn, SyncContext, SyncPhase, SyncProgress, SyncReport, SNAPSHOT_AFTER_EVENTS,
};
pub use envelope::{
    open_event, open_snapshot, seal_event, seal_snapshot, sign_team_entry, verify_event,
    verify_events, verify_snapshot, verify_team_entry,
};
pub use identity::{DeviceIdentity, DevicePublic, Verifier, SIGNATURE_LEN};
pub use link::InvitationLink;
pub(crate) use quarantine::held_items;
pub use quarantine::{HeldItem, HeldKind, MAX_QUARANTINE};
pub use revocation::{may_revoke, Revocation, RevocationProof, RevocationQuery, QUERY_WINDOW_MS};
pub use school::{SchoolGrant, MAX_SCHOOL_CHARS};
pub use team::{lacks_consent, members_without_consent, TeamChange, TeamState};
pub use team_page::{open_page_keys, seal_team_page, verify_team_page, PageKey, MAX_PAGE_KEYS};
pub use transport::{
    check_server_url, http_client, HttpTransport, TrafficCounts, TrafficMeter, Transport,
    TransportFuture,
};
pub use wrap::{unwrap_case_key, wrap_case_key};
