//! What the fuzz targets in `fuzz/` run: one entry point per group of
//! decoders that read bytes from outside the device (the server, a
//! teammate, a file, a scanned code). Each must return, whatever the bytes,
//! without panicking, allocating without bound or looping; where a decoder
//! accepts its input, what it decoded must encode back to something it
//! decodes the same way.
//!
//! The corpora the fuzzers grew are committed under `fuzz/corpus/<target>/`
//! and replayed through these same functions by the crate's tests, so the
//! README's test command runs every input that ever found a new path.

use crate::crypto::SecretKey;
use crate::events::{CaseState, Event};
use crate::model::{CaseId, DeviceId, EventId, Role};
use crate::shelters::roads::Destination;
use crate::shelters::wire as shelter_wire;
use crate::shelters::{MailMessage, ProvincialSigner, RoadNetwork, SignedPublication};
use crate::stats::{import, StatRecord};
use crate::sync::wire::{self, TeamEntry};
use crate::sync::{DeviceIdentity, InvitationLink, TeamState};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use std::sync::OnceLock;

#[cfg(test)]
mod tests;

/// What a fuzz target runs on one input.
pub type Target = fn(&[u8]);

/// Every target, by the name of its folder under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("sync_wire", sync_wire),
    ("case_data", case_data),
    ("team", team),
    ("shelters", shelters),
    ("road_file", road_file),
    ("key_file", key_file),
    ("statistics", statistics),
    ("imports", imports),
    ("invitation", invitation),
    ("online_report", online_report),
];

/// Fixed parties: this device and a peer whose keys it knows.
struct Parties {
    me: DeviceIdentity,
    peer: DeviceIdentity,
    case_key: SecretKey,
    province: ProvincialSigner,
}

fn parties() -> &'static Parties {
    static PARTIES: OnceLock<Parties> = OnceLock::new();
    PARTIES.get_or_init(|| Parties {
        me: DeviceIdentity::from_secrets(device(0), [1; 32], [2; 32]),
        peer: DeviceIdentity::from_secrets(device(1), [3; 32], [4; 32]),
        case_key: SecretKey::from_bytes([7; 32]),
        province: ProvincialSigner::from_seed([9; 32]),
    })
}

fn device(n: u8) -> DeviceId {
    DeviceId::from_slice(&[n; 16]).unwrap_or_default()
}

/// Decodes `bytes` as a `T` of the sync protocol; if that works, its
/// encoding must decode to the same message.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(bytes: &[u8]) -> Option<T> {
    let message = wire::decode::<T>(bytes).ok()?;
    assert_eq!(
        wire::decode::<T>(&wire::encode(&message)).as_ref(),
        Ok(&message)
    );
    Some(message)
}

/// Every message of the sync and shelter protocols, as either side
/// receives it; the first byte picks the message. Pulled items go through
/// the checks a device makes before applying anything (signatures, seals).
pub fn sync_wire(data: &[u8]) {
    use crate::sync::wire::*;
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let p = parties();
    match which % 24 {
        0 => {
            if let Some(push) = round_trip::<PushRequest>(body) {
                let verifier = p.peer.public().verifier().ok();
                if let Some(verifier) = verifier {
                    let _ = crate::sync::verify_events(&push.events, &verifier);
                    for snapshot in &push.snapshots {
                        let _ = crate::sync::verify_snapshot(snapshot, &verifier);
                    }
                    for bundle in &push.bundles {
                        let _ = crate::sync::verify_bundle(bundle, &verifier);
                    }
                    for page in &push.pages {
                        let _ = crate::sync::verify_team_page(page, &verifier);
                    }
                }
                for entry in &push.team {
                    let _ = crate::sync::verify_team_entry(entry, &p.peer.public());
                }
            }
        }
        1 => {
            if let Some(pull) = round_trip::<PullResponse>(body) {
                open_pulled(&pull);
            }
        }
        2 => drop(round_trip::<PullRequest>(body)),
        3 => drop(round_trip::<PushResponse>(body)),
        4 => drop(round_trip::<EnrolRequest>(body)),
        5 => drop(round_trip::<Enrolled>(body)),
        6 => drop(round_trip::<ChallengeRequest>(body)),
        7 => drop(round_trip::<Challenge>(body)),
        8 => drop(round_trip::<TokenRequest>(body)),
        9 => drop(round_trip::<Token>(body)),
        10 => drop(round_trip::<DeviceQuery>(body)),
        11 => drop(round_trip::<DeviceList>(body)),
        12 => drop(round_trip::<InvitationRequest>(body)),
        13 => drop(round_trip::<Invitation>(body)),
        14 => {
            // What the server checks of each sealed row.
            if let Some(push) = round_trip::<StatsPush>(body) {
                for row in &push.rows {
                    let _ = row.check_shape();
                }
            }
        }
        15 => drop(round_trip::<StatsPushResponse>(body)),
        16 => drop(round_trip::<shelter_wire::PublishRequest>(body)),
        17 => drop(round_trip::<shelter_wire::DirectoryRequest>(body)),
        18 => drop(round_trip::<shelter_wire::DirectoryResponse>(body)),
        19 => drop(round_trip::<shelter_wire::RoadManifestResponse>(body)),
        20 => drop(round_trip::<shelter_wire::RoadChunkResponse>(body)),
        21 => drop(round_trip::<shelter_wire::MailPush>(body)),
        22 => drop(round_trip::<shelter_wire::MailPull>(body)),
        _ => {
            drop(round_trip::<shelter_wire::MailChunk>(body));
            // The school procedure's use, as the server reads it, and the
            // registries as the officer's phone reads them.
            if let Some(used) = round_trip::<crate::stats::school_use::SchoolUse>(body) {
                let _ = used.validate();
            }
            drop(round_trip::<crate::stats::registry::RegistryListing>(body));
            // The office key and sealed statistics pages, as phones read
            // them.
            drop(round_trip::<wire::OfficeKeyResponse>(body));
            drop(round_trip::<wire::OfficeKeyPublish>(body));
            let _ = round_trip::<wire::SealedStatsRequest>(body);
            if let Some(page) = round_trip::<wire::SealedStatsPage>(body) {
                let secret = office_secret();
                let mut opener = crate::stats::sealed::Opener::new(&secret);
                for row in &page.rows {
                    let _ = opener.open(row);
                }
            }
        }
    }
}

/// What a device does with a pulled chunk before it applies anything:
/// checks every signature and seal, and reads what opens.
fn open_pulled(pull: &wire::PullResponse) {
    let p = parties();
    let peer = p.peer.public();
    let Ok(verifier) = peer.verifier() else {
        return;
    };
    for event in &pull.events {
        if let Ok(event) = crate::sync::open_event(&event.item, &verifier, &p.case_key) {
            let mut state = CaseState::new(event.case_id);
            state.apply(&event);
            read_views(&state);
        }
    }
    for snapshot in &pull.snapshots {
        if let Ok(state) = crate::sync::open_snapshot(snapshot, &verifier, &p.case_key) {
            read_views(&state);
        }
    }
    for bundle in &pull.bundles {
        for state in crate::sync::open_bundle(bundle, &p.me, &peer).unwrap_or_default() {
            read_views(&state);
        }
    }
    for entry in &pull.team {
        let _ = crate::sync::verify_team_entry(&entry.item, &peer);
        for wrap in &entry.item.wraps {
            let _ = crate::sync::unwrap_case_key(
                &p.me,
                &peer,
                entry.item.case_id,
                wrap.epoch,
                &wrap.sealed,
            );
        }
    }
    for page in &pull.pages {
        if let Ok(verifier) = peer.verifier() {
            let _ = crate::sync::verify_team_page(&page.item, &verifier);
        }
        let _ = crate::sync::open_page_keys(&page.item, &p.me, &peer);
    }
}

/// What a teammate's key can make the device decode: an event or a case's
/// state once opened (compressed or not). Decoded items are folded into a
/// case and every view of it is read.
pub fn case_data(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let case = CaseId::from_slice(&[3; 16]).unwrap_or_default();
    match which % 4 {
        0 => fold_event(case, body),
        1 => {
            if let Some(state) = CaseState::decode_snapshot(case, body) {
                read_views(&state);
                let again = state.encode_snapshot().expect("a decoded state encodes");
                assert_eq!(
                    CaseState::decode_snapshot(case, &again).as_ref(),
                    Some(&state)
                );
            }
        }
        2 => {
            let limit = 1 << 16;
            if let Some(plain) = crate::sync::compression::decompress(body, limit) {
                assert!(plain.len() <= limit);
                fold_event(case, &plain);
            }
        }
        _ => {
            let limit = 1 << 16;
            if let Some(plain) = crate::sync::compression::decompress(body, limit) {
                if let Some(state) = CaseState::decode_snapshot(case, &plain) {
                    read_views(&state);
                }
            }
        }
    }
}

fn fold_event(case: CaseId, bytes: &[u8]) {
    let Ok(event) = Event::decode(bytes) else {
        return;
    };
    assert_eq!(Event::decode(&event.encode()).ok().as_ref(), Some(&event));
    if event.check_shape().is_ok() {
        let mut state = CaseState::new(case);
        state.apply(&event);
        state.apply(&event);
        read_views(&state);
    }
}

fn read_views(state: &CaseState) {
    let _ = (state.survivor(), state.incident(), state.status());
    let _ = (state.conflicts(), state.services(), state.follow_ups());
    let _ = (
        state.notes(),
        state.effective_risk(),
        state.consent_values(),
    );
    let _ = (state.placement_values(), state.next_follow_up());
    let _ = (state.recorded_on(), state.statistics_seed());
}

/// A case's team as entries arrive: a count, then four bytes per entry
/// (epoch, members from a pool of eight devices, signer, signer's role). A
/// refused entry changes nothing; an accepted one leaves exactly its
/// members in the team. The bytes after the entries are a key wrap to open.
pub fn team(data: &[u8]) {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let (entries, wrap) = rest.split_at(rest.len().min(4 * usize::from(count)));
    let roles = [
        Role::Collaborator,
        Role::ShelterHost,
        Role::SchoolCounselor,
        Role::CommuneCaseManager,
        Role::ProvincialOfficer,
    ];
    let case = CaseId::from_slice(&[3; 16]).unwrap_or_default();
    let mut state = TeamState::default();
    for (n, chunk) in entries.chunks_exact(4).enumerate() {
        let entry = TeamEntry {
            id: EventId::from_slice(&[n as u8; 16]).unwrap_or_default(),
            case_id: case,
            epoch: u32::from(chunk[0] % 4),
            members: (0..8)
                .filter(|i| chunk[1] & (1 << i) != 0)
                .map(device)
                .collect(),
            wraps: Vec::new(),
            signer: device(chunk[2] % 8),
            signature: Vec::new(),
        };
        let before = state.clone();
        match state.accept(entry.change(), roles[usize::from(chunk[3]) % roles.len()]) {
            Ok(()) => {
                assert_eq!(state.epoch(), Some(entry.epoch));
                assert_eq!(state.members(), entry.members.as_slice());
                assert!(before.epoch().is_none_or(|e| e <= entry.epoch));
            }
            Err(_) => assert_eq!(state, before),
        }
    }
    let p = parties();
    let _ = crate::sync::unwrap_case_key(&p.me, &p.peer.public(), case, 0, wrap);
}

/// The shelter directory as published (decoded, checked against the
/// province's key, applied to no directory and to itself), shelter
/// messages as opened, and mail as received.
pub fn shelters(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let p = parties();
    match which % 3 {
        0 => {
            if let Ok(publication) = SignedPublication::decode(body) {
                assert_eq!(
                    SignedPublication::decode(&publication.encode()).ok(),
                    Some(publication.clone())
                );
                let trusted = p.province.public_key();
                if let Ok(directory) = crate::shelters::next_directory(None, &trusted, &publication)
                {
                    let _ =
                        crate::shelters::next_directory(Some(&directory), &trusted, &publication);
                }
            }
        }
        1 => {
            if let Ok(message) = MailMessage::decode(body) {
                assert_eq!(MailMessage::decode(&message.encode()).ok(), Some(message));
            }
        }
        _ => {
            if let Some(mail) = round_trip::<shelter_wire::Mail>(body) {
                let _ = mail.broadcast();
                let _ = mail.open(&p.peer.public(), &p.me);
            }
        }
    }
}

/// A road network file, as downloaded or read from the phone's storage; a
/// file that loads is routed on. The first byte picks whether the rest is
/// the file as is (its digest checked), or the part before its digest, to
/// which the right digest is added so that the checks behind it are
/// reached too.
pub fn road_file(data: &[u8]) {
    use sha2::Digest;
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let file = if which & 1 == 0 {
        body.to_vec()
    } else {
        let digest: [u8; 32] = sha2::Sha256::digest(body).into();
        [body, &digest].concat()
    };
    let _ = RoadNetwork::places_from_bytes(&file);
    let Ok(network) = RoadNetwork::from_bytes(&file) else {
        return;
    };
    let _ = network.summary();
    let nodes = network.node_count() as u32;
    if nodes > 0 {
        let centre = network.point(nodes / 2);
        let _ = network.snap(&centre, 1_000.0);
        let far = Destination {
            node: nodes - 1,
            extra_ds: 10,
            extra_m: 10,
        };
        let _ = network.travel_times(0, 0, 0, &[far], 1);
    }
}

/// The vault's key file as read from the phone's storage.
pub fn key_file(data: &[u8]) {
    use crate::vault::keyfile::{decode, encode};
    if let Ok(file) = decode(data) {
        let again = encode(&file).expect("a decoded key file encodes");
        let reread = decode(&again).expect("an encoded key file decodes");
        assert_eq!(encode(&reread).ok(), Some(again));
    }
}

/// The office's key the fuzz targets open sealed statistics with.
fn office_secret() -> crate::stats::sealed::OfficeSecret {
    crate::stats::sealed::OfficeSecret::of(&crate::shelters::ProvincialSigner::from_seed([11; 32]))
}

/// A de-identified statistics record as the office reads it: a record's
/// encoding, and the same bytes as a sealed row the office opens (the
/// first 16 bytes its slot).
pub fn statistics(data: &[u8]) {
    if let Ok(record) = StatRecord::decode(data) {
        let _ = record.validate();
        assert_eq!(StatRecord::decode(&record.encode()).ok(), Some(record));
    }
    if let Some((slot, body)) = data.split_first_chunk::<16>() {
        let row = crate::stats::sealed::SealedStat {
            slot: crate::stats::sealed::StatSlot(*slot),
            body: body.to_vec(),
        };
        let secret = office_secret();
        if let Ok(update) = crate::stats::sealed::Opener::new(&secret).open(&row) {
            drop(crate::stats::sealed::newest_records([update]));
        }
    }
}

/// A programme registry sheet as imported (CSV, or XLSX); the first byte
/// picks the format and whether a commune case manager imports it.
pub fn imports(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let name = if which & 1 == 0 {
        "fuzz.csv"
    } else {
        "fuzz.xlsx"
    };
    let commune = (which & 2 != 0).then_some("00001");
    let read = import::read(name, body, commune);
    match read.accepted() {
        Some(entries) => assert!(entries.validate().is_ok()),
        None => assert_eq!(read.entries, Default::default()),
    }
}

/// An invitation as scanned or typed.
pub fn invitation(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(link) = InvitationLink::parse(&text) {
        assert_eq!(InvitationLink::parse(&link.to_uri()).ok(), Some(link));
    }
}

/// A sealed online report, as the server and a manager's phone read it
/// from the public page: the envelope, then the opening and the checks of
/// what it says. One that opens, sealed again, opens the same.
pub fn online_report(data: &[u8]) {
    use crate::online_report::{open, seal, Recipient, SealedReport, MAX_RECIPIENTS};
    let Ok(envelope) = SealedReport::parse(data) else {
        return;
    };
    assert!((1..=MAX_RECIPIENTS).contains(&envelope.recipients().count()));
    let me = &parties().me;
    if let Ok(report) = open(me, data, "mu_ca") {
        let public = me.public();
        let to = Recipient {
            device_id: public.device_id,
            exchange_key: public.exchange_key,
        };
        let again = seal(&[to], "mu_ca", &report).expect("a report that opened seals");
        assert_eq!(open(me, &again, "mu_ca").ok(), Some(report));
    }
}
