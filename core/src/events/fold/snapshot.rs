//! The compact form of a [`CaseState`] that snapshots carry.
//!
//! In memory every register keeps its full [`Stamp`] (clock, author, event
//! id: 40 bytes), and a case has a few dozen registers but only as many
//! distinct stamps as events. The compact form lists each distinct stamp
//! once (sorted, clocks as deltas, authors as indexes) and lets every
//! register point into that table; register keys are not stored, since each
//! change names its own. An event id that [`Event::id_for`] recomputes from
//! its stamp is left out, and so are the case id (the snapshot's header
//! names it) and the newest clock when a stamp holds it. Nothing the merge
//! needs is dropped: the decoded state is equal to the encoded one.

use super::{CaseState, Stamp};
use crate::events::event::Merge;
use crate::events::{Change, Event, Hlc};
use crate::model::{CaseId, DeviceId, EventId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Format of the compact encoding, first in every snapshot.
const COMPACT_FORMAT: u8 = 2;

#[derive(Serialize, Deserialize)]
struct CompactState {
    format: u8,
    event_count: u32,
    /// Newest clock minus the last stamp's clock (wrapping).
    last_activity: i64,
    authors: Vec<DeviceId>,
    /// Sorted stamps: (clock minus the previous stamp's clock, author index,
    /// event id unless it is the one [`Event::id_for`] gives).
    stamps: Vec<(u64, u32, Option<EventId>)>,
    /// (stamp index, change) of every last-writer-wins register.
    last_writer: Vec<(u32, Change)>,
    /// (stamp index, change) of every kept multi-value write.
    multi: Vec<(u32, Change)>,
    /// (stamp index, position in its event, change) of every appended change.
    appended: Vec<(u32, u32, Change)>,
}

/// `last_activity` relative to the newest stamp's clock: 0 when a stamp
/// holds it, as it usually does.
fn clock_offset(last_activity: Hlc, stamps: &BTreeSet<Stamp>) -> i64 {
    let newest = stamps.last().map_or(0, |s| s.hlc.0);
    last_activity.0.wrapping_sub(newest) as i64
}

impl CaseState {
    /// The state in the compact form snapshots carry (see the module docs).
    pub fn encode_snapshot(&self) -> crate::Result<Vec<u8>> {
        let stamps: BTreeSet<Stamp> = self
            .last_writer
            .values()
            .map(|(s, _)| *s)
            .chain(
                self.multi
                    .values()
                    .flat_map(|w| w.values().map(|(s, _)| *s)),
            )
            .chain(self.appended.keys().map(|(s, _)| *s))
            .collect();
        let authors: Vec<DeviceId> = stamps
            .iter()
            .map(|s| s.author)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index: BTreeMap<Stamp, u32> = stamps.iter().zip(0u32..).map(|(s, i)| (*s, i)).collect();
        let mut previous = 0u64;
        let compact = CompactState {
            format: COMPACT_FORMAT,
            event_count: self.event_count,
            last_activity: clock_offset(self.last_activity, &stamps),
            stamps: stamps
                .iter()
                .map(|s| {
                    let delta = s.hlc.0 - previous; // sorted: never negative
                    previous = s.hlc.0;
                    let author = authors.binary_search(&s.author).unwrap_or_default() as u32;
                    let derived = Event::id_for(s.author, s.hlc) == s.event;
                    (delta, author, (!derived).then_some(s.event))
                })
                .collect(),
            authors,
            last_writer: self
                .last_writer
                .values()
                .map(|(s, c)| (index[s], c.clone()))
                .collect(),
            multi: self
                .multi
                .values()
                .flat_map(|w| w.values().map(|(s, c)| (index[s], c.clone())))
                .collect(),
            appended: self
                .appended
                .iter()
                .map(|((s, position), c)| (index[s], *position, c.clone()))
                .collect(),
        };
        postcard::to_allocvec(&compact).map_err(|e| crate::Error::Encoding(e.to_string()))
    }

    /// Reads [`encode_snapshot`](Self::encode_snapshot)'s output for case
    /// `id`; `None` if it is malformed or inconsistent.
    pub fn decode_snapshot(id: CaseId, bytes: &[u8]) -> Option<Self> {
        let compact: CompactState = postcard::from_bytes(bytes).ok()?;
        if compact.format != COMPACT_FORMAT {
            return None;
        }
        let mut hlc = 0u64;
        let stamps = compact
            .stamps
            .iter()
            .map(|(delta, author, event)| {
                hlc = hlc.checked_add(*delta)?;
                let author = *compact.authors.get(*author as usize)?;
                Some(Stamp {
                    hlc: Hlc(hlc),
                    author,
                    event: event.unwrap_or_else(|| Event::id_for(author, Hlc(hlc))),
                })
            })
            .collect::<Option<Vec<Stamp>>>()?;
        let stamp = |i: u32| stamps.get(i as usize).copied();
        let mut state = CaseState::new(id);
        state.event_count = compact.event_count;
        state.last_activity = Hlc(hlc.wrapping_add_signed(compact.last_activity));
        for (i, change) in compact.last_writer {
            let Merge::LastWriterWins(key) = change.merge() else {
                return None;
            };
            state.last_writer.insert(key, (stamp(i)?, change));
        }
        for (i, change) in compact.multi {
            let Merge::MultiValue(key) = change.merge() else {
                return None;
            };
            let s = stamp(i)?;
            state
                .multi
                .entry(key)
                .or_default()
                .insert(s.event, (s, change));
        }
        for (i, position, change) in compact.appended {
            if !matches!(change.merge(), Merge::Append) {
                return None;
            }
            state.appended.insert((stamp(i)?, position), change);
        }
        Some(state)
    }
}
