//! The managers' inbox of online reports, in the binary protocol
//! (`binhan_core::sync::wire::{encode, decode}`).

use serde::{Deserialize, Serialize};

/// `POST /v1/intake/inbox`: the reports after `after` (a `seq` of an
/// earlier answer; 0 at first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRequest {
    /// The last `seq` the device holds.
    pub after: u64,
}

/// One sealed online report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxReport {
    /// Its place in the server's order.
    pub seq: u64,
    /// Its random id.
    pub id: [u8; 16],
    /// When the server received it, ms since 1970.
    pub received_at_ms: u64,
    /// The sealed report, as the browser made it.
    pub sealed: Vec<u8>,
}

/// The next reports to the manager's commune, about 1 MiB at most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxResponse {
    /// In `seq` order.
    pub reports: Vec<InboxReport>,
    /// More are waiting past the last one.
    pub more: bool,
}

/// About the most bytes of sealed reports in one answer.
pub const MAX_INBOX_BYTES: usize = 1024 * 1024;
/// How long the server keeps a report.
pub const KEEP_MS: u64 = 30 * 24 * 3_600_000;
