//! End-to-end encrypted sync, device side: identity keys, case keys and
//! their wrapping, the wire protocol, and the client that pushes and pulls.

mod bundle;
mod compression;
mod engine;
mod envelope;
mod identity;
mod team;
mod transport;
pub mod wire;
mod wrap;
pub(crate) use wrap::{open_from_device, seal_to_device, Purpose};

pub use bundle::{open_bundle, seal_bundle, verify_bundle, MAX_BUNDLE_PLAIN_BYTES};
pub use engine::{
    enrol, enrolment, CancelFlag, Enrolment, ProgressFn, SyncContext, SyncPhase, SyncProgress,
    SyncReport, SNAPSHOT_AFTER_EVENTS,
};
pub use envelope::{
    open_event, open_snapshot, seal_event, seal_snapshot, sign_team_entry, verify_event,
    verify_events, verify_team_entry,
};
pub use identity::{DeviceIdentity, DevicePublic, Verifier, SIGNATURE_LEN};
pub use team::TeamState;
pub use transport::{http_client, TrafficCounts, Transport};
pub use wrap::{unwrap_case_key, wrap_case_key};
