//! The pull cursor: opaque to devices, a small binary record here.

use binhan_core::model::CaseId;
use serde::{Deserialize, Serialize};

/// Where a device's pull stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Cases joined after this sequence number are sent whole.
    pub base: u64,
    /// The server's newest sequence number when this pull session began.
    pub high: u64,
    /// Tail position: items after this sequence number are still to send.
    pub tail_after: u64,
    /// What is being sent.
    pub phase: Phase,
}

/// The phases of one pull session. (New variants go last: postcard
/// encodes a variant by its position, and cursors issued before must still
/// decode.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Sending the states and events of cases the device joined, in
    /// case-id order (their teams and bundles went first).
    Join {
        /// The last case sent whole.
        after_case: Option<CaseId>,
    },
    /// Sending everything newer, in sequence order.
    Tail,
    /// The session finished; the next pull starts a new one.
    Done,
    /// Sending the team entries of cases the device joined, in case-id
    /// order, so it can check every state and event that follows (then
    /// their team pages, [`Self::JoinPages`]).
    JoinTeams {
        /// The last case whose team was sent.
        after_case: Option<CaseId>,
    },
    /// Sending bundles of the cases the device joined, in number order.
    JoinBundles {
        /// The last bundle number sent.
        after: u64,
    },
    /// Sending the events of one case the device joined, a page at a time
    /// (its snapshot went first), before the cases after it ([`Self::Join`]).
    JoinEvents {
        /// The case.
        case: CaseId,
        /// The last of its events sent, or what its snapshot or bundle covers.
        after_seq: u64,
    },
    /// Sending the team entries of one case the device joined, a page at a
    /// time, before the cases after it ([`Self::JoinTeams`]).
    JoinTeamEntries {
        /// The case.
        case: CaseId,
        /// The last of its team entries sent.
        after_seq: u64,
    },
    /// Sending the team pages that touch cases the device joined, each
    /// once, in sequence order (after their team entries, before the
    /// bundles).
    JoinPages {
        /// The last page's sequence number sent.
        after: u64,
    },
}

impl Cursor {
    /// Decodes a cursor sent back by a device; empty means "from the start".
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.is_empty() {
            return Some(Self {
                base: 0,
                high: 0,
                tail_after: 0,
                phase: Phase::Done,
            });
        }
        let cursor: Self = postcard::from_bytes(bytes).ok()?;
        (cursor.base <= cursor.high || cursor.phase == Phase::Done).then_some(cursor)
    }

    /// The bytes a device keeps.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{Cursor, Phase};

    /// Every phase keeps its position in the encoding: a cursor a device
    /// kept from an older server still decodes to the same phase.
    #[test]
    fn phases_keep_their_encoding() {
        let phases = [
            Phase::Join { after_case: None },
            Phase::Tail,
            Phase::Done,
            Phase::JoinTeams { after_case: None },
            Phase::JoinBundles { after: 0 },
            Phase::JoinEvents {
                case: Default::default(),
                after_seq: 0,
            },
            Phase::JoinTeamEntries {
                case: Default::default(),
                after_seq: 0,
            },
            Phase::JoinPages { after: 0 },
        ];
        for (position, phase) in phases.into_iter().enumerate() {
            let cursor = Cursor {
                base: 1,
                high: 2,
                tail_after: 3,
                phase,
            };
            let bytes = cursor.encode();
            assert_eq!(usize::from(bytes[3]), position, "{cursor:?}");
            assert_eq!(Cursor::decode(&bytes), Some(cursor));
        }
    }
}
