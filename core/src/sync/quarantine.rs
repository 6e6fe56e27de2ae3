//! Pulled items that failed their checks: kept aside with the reason, so
//! that one bad item — a garbage key wrap from a teammate, a tampered
//! event, a snapshot that does not open — never stops a device's sync. The
//! rest of the chunk applies and the cursor advances; what is held is
//! tried again at the end of every later pull (a key that arrives later
//! may open it), and the manager sees the list.

use super::engine::SyncContext;
use super::wire::{TeamEntry, TeamPage, WireBundle, WireEvent, WireSnapshot};
use crate::model::{CaseId, DeviceId};
use crate::store::Store;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

const QUARANTINE: &str = "sync.quarantine";

/// Most items held; past it the oldest are dropped (a flood must not fill
/// the phone).
pub const MAX_QUARANTINE: usize = 500;

/// What kind of item was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum HeldKind {
    /// A change to a case's team (with its key wraps), alone or in a page
    /// of changes to several cases' teams.
    TeamEntry,
    /// A bundle of case states for a joining device.
    Bundle,
    /// One case's state.
    Snapshot,
    /// An event.
    Event,
}

/// One item held back, as the manager sees it: no case content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HeldItem {
    /// What it is.
    pub kind: HeldKind,
    /// Its case (none for a bundle or a team page of several cases).
    pub case_id: Option<CaseId>,
    /// The device that signed it (a snapshot's author; an unsigned
    /// snapshot held before snapshots were signed has none).
    pub from: Option<DeviceId>,
    /// Why it was refused: the error's stable code.
    pub reason: String,
}

/// The item itself, to try again. Stored in postcard, where a variant is
/// its position: new ones go at the end.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) enum Held {
    Team(TeamEntry),
    Bundle(WireBundle),
    /// A snapshot held before snapshots were signed: refused again at
    /// every retry (no author vouches for it), kept so the list stays true.
    Unsigned(UnsignedSnapshot),
    Event(WireEvent, u64),
    Snapshot(WireSnapshot),
    /// A team page: held whole, while any of its changes is refused (the
    /// others apply, and are recognised as applied when it is tried again).
    Page(TeamPage),
}

/// A snapshot as it travelled before snapshots carried their author.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct UnsignedSnapshot {
    case_id: CaseId,
    epoch: u32,
    covers_seq: u64,
    ciphertext: Vec<u8>,
}

impl UnsignedSnapshot {
    /// Why it is refused.
    pub(super) fn refusal(&self) -> Error {
        Error::Tampered {
            record: format!("unsigned snapshot of case {}", self.case_id),
        }
    }
}

impl Held {
    /// The order items apply in: team entries, states, events.
    pub(super) fn order(&self) -> u8 {
        match self {
            Held::Team(_) | Held::Page(_) => 0,
            Held::Bundle(_) => 1,
            Held::Snapshot(_) | Held::Unsigned(_) => 2,
            Held::Event(..) => 3,
        }
    }

    fn describe(&self, reason: String) -> HeldItem {
        let (kind, case_id, from) = match self {
            Held::Team(t) => (HeldKind::TeamEntry, Some(t.case_id), Some(t.signer)),
            Held::Page(p) => {
                let case_id = match &p.changes[..] {
                    [only] => Some(only.case_id),
                    _ => None,
                };
                (HeldKind::TeamEntry, case_id, Some(p.signer))
            }
            Held::Bundle(b) => (HeldKind::Bundle, None, Some(b.signer)),
            Held::Snapshot(s) => (HeldKind::Snapshot, Some(s.case_id), Some(s.author)),
            Held::Unsigned(s) => (HeldKind::Snapshot, Some(s.case_id), None),
            Held::Event(e, _) => (HeldKind::Event, Some(e.case_id), Some(e.author)),
        };
        HeldItem {
            kind,
            case_id,
            from,
            reason,
        }
    }
}

/// Whether `error` refuses one item (held back) rather than the sync
/// (network, storage, revocation, cancel).
pub(super) fn refuses_item(error: &Error) -> bool {
    matches!(
        error,
        Error::Tampered { .. }
            | Error::NotAllowed(_)
            | Error::NotFound(_)
            | Error::Invalid { .. }
            | Error::Encoding(_)
    )
}

/// The items `store` holds back now.
pub(crate) fn held_items(store: &Store) -> Result<Vec<HeldItem>> {
    let held: Vec<(Held, HeldItem)> = store.meta(QUARANTINE)?.unwrap_or_default();
    Ok(held.into_iter().map(|(_, d)| d).collect())
}

impl SyncContext<'_> {
    fn held(&self) -> Result<Vec<(Held, HeldItem)>> {
        Ok(self.store.meta(QUARANTINE)?.unwrap_or_default())
    }

    fn set_held(&self, held: &[(Held, HeldItem)]) -> Result<()> {
        self.store.set_meta(QUARANTINE, &held)
    }

    /// Holds `item` back for `error`, or passes on an error that stops the
    /// sync. Never logs case content: kinds, ids and codes only.
    pub(super) fn hold(&self, item: Held, error: Error) -> Result<()> {
        if !refuses_item(&error) {
            return Err(error);
        }
        let described = item.describe(error.item_code());
        tracing::warn!(
            kind = ?described.kind,
            from = ?described.from,
            reason = %described.reason,
            "a pulled item was refused and held back"
        );
        let mut held = self.held()?;
        held.push((item, described));
        let over = held.len().saturating_sub(MAX_QUARANTINE);
        held.drain(..over);
        self.set_held(&held)
    }

    /// Takes every held item out, to try again (those still refused are
    /// held again).
    pub(super) fn take_held(&self) -> Result<Vec<Held>> {
        let held = self.held()?;
        self.set_held(&[])?;
        Ok(held.into_iter().map(|(item, _)| item).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quarantine as a device stored it before snapshots were signed.
    #[derive(Serialize)]
    enum Before {
        #[allow(dead_code)]
        Team(TeamEntry),
        #[allow(dead_code)]
        Bundle(WireBundle),
        Snapshot(CaseId, u32, u64, Vec<u8>),
    }

    #[test]
    fn snapshots_held_before_they_were_signed_still_read_and_stay_refused() {
        let case_id = CaseId::random();
        let item = HeldItem {
            kind: HeldKind::Snapshot,
            case_id: Some(case_id),
            from: None,
            reason: "tampered".into(),
        };
        let stored = postcard::to_allocvec(&vec![(
            Before::Snapshot(case_id, 3, 40, vec![7; 48]),
            item.clone(),
        )])
        .unwrap();
        let read: Vec<(Held, HeldItem)> = postcard::from_bytes(&stored).unwrap();
        let [(held, described)] = &read[..] else {
            panic!("one item: {read:?}")
        };
        assert_eq!(described, &item);
        let Held::Unsigned(unsigned) = held else {
            panic!("{held:?}")
        };
        assert_eq!(held.describe("tampered".into()), item);
        assert!(refuses_item(&unsigned.refusal()));
        assert_eq!(held.order(), 2);
    }
}
