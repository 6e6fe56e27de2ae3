//! Online reports (tiếp nhận trực tuyến): what a survivor or a witness
//! writes in the public page `binhan-server` serves, sealed in the browser
//! to the certified keys of the commune's case managers, so that the server
//! stores only ciphertext. The managers' phones fetch them on sync
//! ([`crate::sync`]), open them with their device key ([`open`]), and
//! triage each: open a case from it, link it to a case, or dismiss it with
//! a reason ([`crate::app`]).
//!
//! The sealed format, v1 (made by the page's script, `server/src/intake/`):
//!
//! ```text
//! "BAOR1" | eph_pub (32) | n (1, 1..=32) |
//! n × [ recipient device id (16) | wrap nonce (24) | wrapped content key (48) ] |
//! body nonce (24) | body ciphertext (≥ 16)
//! ```
//!
//! For each recipient, `kek = HKDF-SHA256(X25519(eph, recipient), salt =
//! "binhan/online-report/v1", info = eph_pub ‖ recipient key ‖ recipient
//! id)` seals the random content key (XChaCha20-Poly1305, bound to the
//! recipient id); the content key seals the JSON body (bound to the
//! commune), which [`OnlineReport`] reads.

mod body;
mod note;
mod received;
mod sealed;

pub use body::{Contact, ContactWay, DangerNow, Harm, OnlineReport, Writer, MAX_TEXT_CHARS};
pub(crate) use received::{keep, received, set_triage};
pub use received::{ReceivedReport, ReportTriage, MAX_KEPT_REPORTS};
pub use sealed::{open, seal, SealedReport, MAGIC, MAX_RECIPIENTS, MAX_SEALED_BYTES};

use crate::model::DeviceId;
use serde::{Deserialize, Serialize};

/// A report's random id, given by the server when it stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OnlineReportId(pub [u8; 16]);

impl std::fmt::Display for OnlineReportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// A manager asks for the reports of its commune stored after `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxRequest {
    /// The sequence number of the last report received (0: none).
    pub after: u64,
}

/// One sealed report as the inbox hands it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxReport {
    /// Its place in the commune's inbox.
    pub seq: u64,
    /// Its id.
    pub id: OnlineReportId,
    /// When the server received it (ms since 1970, UTC).
    pub received_at_ms: u64,
    /// The sealed report, as the page sent it.
    pub sealed: Vec<u8>,
}

/// A chunk of a commune's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxResponse {
    /// Reports, in sequence order.
    pub reports: Vec<InboxReport>,
    /// More is waiting: ask again after the last.
    pub more: bool,
}

/// A recipient of a report: a certified commune case manager's device and
/// its X25519 key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    /// The device.
    pub device_id: DeviceId,
    /// Its X25519 key.
    pub exchange_key: [u8; 32],
}

#[cfg(test)]
pub(crate) mod tests;
