//! Sealing what travels: events and snapshots are compressed, then sealed
//! with the case key; events, snapshots and team entries are signed by
//! their author.

use super::compression::compress;
use super::wire::{TeamEntry, WireEvent, WireSnapshot, MAX_EVENT_BYTES};
use super::{DeviceIdentity, DevicePublic, Verifier};
use crate::crypto::{open, seal, Binding, SecretKey};
use crate::error::Rule;
use crate::events::{CaseState, Event};
use crate::{Error, Result};
use zeroize::Zeroizing;

/// Largest a decompressed snapshot or event may grow to.
const MAX_INFLATED_BYTES: usize = 4 * MAX_EVENT_BYTES;

fn decompress(bytes: &[u8], record: impl Fn() -> String) -> Result<Zeroizing<Vec<u8>>> {
    super::compression::decompress(bytes, MAX_INFLATED_BYTES)
        .ok_or_else(|| Error::Tampered { record: record() })
}

/// Seals and signs `event` for the wire, with the case key of `epoch`.
pub fn seal_event(
    author: &DeviceIdentity,
    case_key: &SecretKey,
    epoch: u32,
    event: &Event,
) -> WireEvent {
    let mut wire = WireEvent {
        id: event.id,
        case_id: event.case_id,
        epoch,
        author: event.author,
        hlc: event.hlc.0,
        ciphertext: Vec::new(),
        signature: Vec::new(),
    };
    let header = wire.header();
    let plain = compress(&Zeroizing::new(event.encode()));
    wire.ciphertext = seal(
        case_key,
        Binding {
            table: "wire-event",
            row: &header,
            field: "body",
        },
        &plain,
    );
    wire.signature = author.sign(&wire.signed_message());
    wire
}

/// Verifies the author's signature (no key needed: what the server checks).
pub fn verify_event(wire: &WireEvent, author: &Verifier) -> Result<()> {
    if author.device_id() != wire.author {
        return Err(Error::invalid("event.author", Rule::SignerMismatch));
    }
    author.verify(&wire.signed_message(), &wire.signature)
}

/// Verifies the author's signatures on many events at once (what the server
/// checks of a push), with the same verdict as [`verify_event`] on each at
/// about a third of its cost. On failure, one that does not verify: an event
/// by another device, else the first whose signature fails.
pub fn verify_events<'a>(
    events: &'a [WireEvent],
    author: &Verifier,
) -> std::result::Result<(), &'a WireEvent> {
    if let Some(other) = events.iter().find(|e| e.author != author.device_id()) {
        return Err(other);
    }
    author
        .verify_all(events.iter().map(|e| (e.signed_message(), &e.signature)))
        .map_err(|position| &events[position])
}

/// Verifies, opens and decodes an event; its header must match its body.
pub fn open_event(wire: &WireEvent, author: &Verifier, case_key: &SecretKey) -> Result<Event> {
    verify_event(wire, author)?;
    let record = || format!("event {}", wire.id);
    let header = wire.header();
    let plain = open(
        case_key,
        Binding {
            table: "wire-event",
            row: &header,
            field: "body",
        },
        &wire.ciphertext,
    )
    .map_err(|_| Error::Tampered { record: record() })?;
    let event = Event::decode(&decompress(&plain, record)?)?;
    if event.id != wire.id
        || event.id != Event::id_for(event.author, event.hlc)
        || event.case_id != wire.case_id
        || event.author != wire.author
        || event.hlc.0 != wire.hlc
    {
        return Err(Error::Tampered { record: record() });
    }
    event.check_shape()?;
    Ok(event)
}

/// Seals and signs a case's state covering its events up to `covers_seq`.
pub fn seal_snapshot(
    author: &DeviceIdentity,
    case_key: &SecretKey,
    epoch: u32,
    covers_seq: u64,
    state: &CaseState,
) -> Result<WireSnapshot> {
    let encoded = Zeroizing::new(state.encode_snapshot()?);
    Ok(seal_encoded_snapshot(
        author, case_key, epoch, covers_seq, state.id, &encoded,
    ))
}

/// Seals and signs a case's state already in its compact form.
pub(crate) fn seal_encoded_snapshot(
    author: &DeviceIdentity,
    case_key: &SecretKey,
    epoch: u32,
    covers_seq: u64,
    case_id: crate::model::CaseId,
    encoded: &[u8],
) -> WireSnapshot {
    let mut snapshot = WireSnapshot {
        case_id,
        epoch,
        covers_seq,
        author: author.device_id(),
        ciphertext: Vec::new(),
        signature: Vec::new(),
    };
    let plain = compress(encoded);
    snapshot.ciphertext = seal(
        case_key,
        Binding {
            table: "wire-snapshot",
            row: &snapshot.header(),
            field: "state",
        },
        &plain,
    );
    snapshot.signature = author.sign(&snapshot.signed_message());
    snapshot
}

/// Verifies a snapshot's signature by its author (no key needed: what the
/// server checks).
pub fn verify_snapshot(snapshot: &WireSnapshot, author: &Verifier) -> Result<()> {
    if author.device_id() != snapshot.author {
        return Err(Error::invalid("snapshot.author", Rule::SignerMismatch));
    }
    author.verify(&snapshot.signed_message(), &snapshot.signature)
}

/// Verifies a snapshot's signature by `author`, then opens it with the
/// case key.
pub fn open_snapshot(
    snapshot: &WireSnapshot,
    author: &Verifier,
    case_key: &SecretKey,
) -> Result<CaseState> {
    verify_snapshot(snapshot, author)?;
    let record = || format!("snapshot of case {}", snapshot.case_id);
    let plain = open(
        case_key,
        Binding {
            table: "wire-snapshot",
            row: &snapshot.header(),
            field: "state",
        },
        &snapshot.ciphertext,
    )
    .map_err(|_| Error::Tampered { record: record() })?;
    CaseState::decode_snapshot(snapshot.case_id, &decompress(&plain, record)?)
        .ok_or_else(|| Error::Tampered { record: record() })
}

/// Signs a team entry in place.
pub fn sign_team_entry(signer: &DeviceIdentity, entry: &mut TeamEntry) {
    entry.signer = signer.device_id();
    entry.signature = signer.sign(&entry.signed_message());
}

/// Verifies a team entry's signature by `signer`.
pub fn verify_team_entry(entry: &TeamEntry, signer: &DevicePublic) -> Result<()> {
    if signer.device_id != entry.signer {
        return Err(Error::invalid("team.signer", Rule::SignerMismatch));
    }
    signer.verify(&entry.signed_message(), &entry.signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Change;
    use crate::model::{CaseId, DeviceId, Note};

    fn event(author: DeviceId) -> Event {
        Event::on_new_case(
            author,
            vec![Change::NoteAdded(Note {
                text: "synthetic note, có dấu".into(),
            })],
        )
    }

    #[test]
    fn events_open_only_untampered_with_the_right_key_and_author() {
        let me = DeviceIdentity::generate(DeviceId::random());
        let key = SecretKey::random();
        let e = event(me.device_id());
        let wire = seal_event(&me, &key, 0, &e);
        assert_eq!(
            open_event(&wire, &me.public().verifier().unwrap(), &key).unwrap(),
            e
        );
        assert!(open_event(
            &wire,
            &me.public().verifier().unwrap(),
            &SecretKey::random()
        )
        .is_err());
        let stranger = DeviceIdentity::generate(me.device_id());
        assert!(
            open_event(&wire, &stranger.public().verifier().unwrap(), &key).is_err(),
            "signature by another key"
        );
        for mutate in [
            |w: &mut WireEvent| w.ciphertext[30] ^= 1,
            |w: &mut WireEvent| w.hlc += 1,
            |w: &mut WireEvent| w.epoch += 1,
            |w: &mut WireEvent| w.signature[0] ^= 1,
            |w: &mut WireEvent| w.case_id = CaseId::random(),
        ] {
            let mut bad = wire.clone();
            mutate(&mut bad);
            assert!(open_event(&bad, &me.public().verifier().unwrap(), &key).is_err());
        }
    }

    #[test]
    fn snapshots_round_trip_and_bind_their_header() {
        let me = DeviceIdentity::generate(DeviceId::random());
        let verifier = me.public().verifier().unwrap();
        let e = event(me.device_id());
        let state = CaseState::fold(e.case_id, [&e]);
        let key = SecretKey::random();
        let snap = seal_snapshot(&me, &key, 2, 77, &state).unwrap();
        assert_eq!(snap.author, me.device_id());
        assert_eq!(open_snapshot(&snap, &verifier, &key).unwrap(), state);
        assert!(open_snapshot(&snap, &verifier, &SecretKey::random()).is_err());
        let stranger = DeviceIdentity::generate(me.device_id());
        assert!(
            open_snapshot(&snap, &stranger.public().verifier().unwrap(), &key).is_err(),
            "signature by another key"
        );
        let other = DeviceIdentity::generate(DeviceId::random());
        for mutate in [
            |s: &mut WireSnapshot| s.covers_seq += 1,
            |s: &mut WireSnapshot| s.epoch += 1,
            |s: &mut WireSnapshot| s.case_id = CaseId::random(),
            |s: &mut WireSnapshot| s.ciphertext[30] ^= 1,
            |s: &mut WireSnapshot| s.signature[0] ^= 1,
            |s: &mut WireSnapshot| s.signature.clear(),
        ] {
            let mut bad = snap.clone();
            mutate(&mut bad);
            assert!(verify_snapshot(&bad, &verifier).is_err(), "{bad:?}");
            assert!(open_snapshot(&bad, &verifier, &key).is_err());
        }
        // Another member re-signing it as theirs: the seal binds the author.
        let mut taken = snap.clone();
        taken.author = other.device_id();
        taken.signature = other.sign(&taken.signed_message());
        let theirs = other.public().verifier().unwrap();
        assert!(verify_snapshot(&taken, &theirs).is_ok());
        assert!(open_snapshot(&taken, &theirs, &key).is_err());
        assert!(matches!(
            verify_snapshot(&snap, &theirs),
            Err(Error::Invalid {
                rule: Rule::SignerMismatch,
                ..
            })
        ));
    }
}
