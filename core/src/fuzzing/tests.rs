//! Replays every committed corpus through its target, and (ignored, run by
//! hand) writes the seeds the fuzzers start from. All seeds are synthetic.

use super::*;
use crate::events::Change;
use crate::model::Note;
use crate::shelters::{AvailabilityUpdate, DirectoryUpdate, ShelterId};
use crate::sync::wire::*;
use crate::sync::{seal_bundle, seal_event, seal_snapshot, sign_team_entry, wrap_case_key};
use chrono::{NaiveDate, TimeZone, Utc};
use std::path::PathBuf;

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target)
}

#[test]
fn every_committed_corpus_replays_without_a_failure() {
    for (target, run) in TARGETS {
        let dir = corpus(target);
        let inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("corpus entry").path())
            .collect();
        assert!(inputs.len() >= 3, "{target}: corpus too small");
        for input in inputs {
            let bytes = std::fs::read(&input).expect("corpus input");
            let replay = std::panic::catch_unwind(|| run(&bytes));
            assert!(replay.is_ok(), "{target}: {} fails", input.display());
        }
    }
}

#[test]
fn targets_take_empty_and_tiny_inputs() {
    for (_, run) in TARGETS {
        for input in [&[][..], &[0], &[1, 2], &[255; 9]] {
            run(input);
        }
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("day")
}

/// Synthetic events of one case by the fuzz targets' peer.
fn events() -> Vec<Event> {
    let p = parties();
    let mut intake = crate::cases::sample_intake("SYN-FUZZ-1");
    intake.consents = vec![crate::model::Consent {
        scope: crate::model::ConsentScope::Statistics,
        granted: true,
        given_by: crate::model::ConsentGiver::Survivor,
    }];
    let first = Event::on_new_case(
        p.peer.device_id(),
        intake.into_changes(today()).expect("synthetic intake"),
    );
    let mut note = Event::on_new_case(
        p.peer.device_id(),
        vec![Change::NoteAdded(Note {
            text: "Synthetic note for the fuzzers.".into(),
        })],
    );
    note.case_id = first.case_id;
    note.hlc = crate::events::Hlc(first.hlc.0 + 1);
    note.id = Event::id_for(note.author, note.hlc);
    vec![first, note]
}

fn seeds_sync_wire() -> Vec<Vec<u8>> {
    let p = parties();
    let events = events();
    let case = events[0].case_id;
    let state = CaseState::fold(case, &events);
    let wire_events: Vec<WireEvent> = events
        .iter()
        .map(|e| seal_event(&p.peer, &p.case_key, 0, e))
        .collect();
    let mut entry = TeamEntry {
        id: EventId::from_slice(&[5; 16]).expect("id"),
        case_id: case,
        epoch: 0,
        members: vec![p.peer.device_id(), p.me.device_id()],
        wraps: vec![KeyWrap {
            recipient: p.me.device_id(),
            epoch: 0,
            sealed: wrap_case_key(&p.peer, &p.me.public(), case, 0, &p.case_key),
        }],
        signer: p.peer.device_id(),
        signature: Vec::new(),
    };
    sign_team_entry(&p.peer, &mut entry);
    let snapshot = seal_snapshot(&p.peer, &p.case_key, 0, 2, &state).expect("snapshot");
    let bundle = seal_bundle(
        &p.peer,
        &[p.me.public()],
        vec![BundledCase {
            case_id: case,
            epoch: 0,
            covers_seq: 2,
        }],
        &[state.encode_snapshot().expect("state")],
    );
    let page = crate::sync::seal_team_page(
        &p.peer,
        vec![p.peer.device_id(), p.me.device_id()],
        vec![crate::sync::wire::PageChange {
            case_id: case,
            epoch: 0,
        }],
        &[(
            &p.me.public(),
            vec![crate::sync::PageKey {
                change: 0,
                epoch: 0,
                key: &p.case_key,
            }],
        )],
    );
    let push = PushRequest {
        team: vec![entry.clone()],
        pages: vec![page.clone()],
        events: wire_events.clone(),
        snapshots: vec![snapshot.clone()],
        bundles: vec![bundle.clone()],
    };
    let pull = PullResponse {
        team: vec![Sequenced {
            seq: 1,
            item: entry,
        }],
        pages: vec![Sequenced { seq: 2, item: page }],
        bundles: vec![bundle],
        snapshots: vec![snapshot],
        events: wire_events
            .into_iter()
            .enumerate()
            .map(|(i, item)| Sequenced {
                seq: i as u64 + 2,
                item,
            })
            .collect(),
        cursor: vec![1, 2, 3],
        more: true,
        rotate: vec![case],
        complete_through: 3,
        inbox: None,
    };
    let stats = StatsPush {
        rows: crate::stats::stat_update(&state)
            .map(|update| sealed_row(&update))
            .into_iter()
            .collect(),
        signature: vec![0; 64],
    };
    let with = |which: u8, body: Vec<u8>| [vec![which], body].concat();
    vec![
        with(0, encode(&push)),
        with(1, encode(&pull)),
        with(2, encode(&PullRequest::default())),
        with(3, encode(&PushResponse::default())),
        with(14, encode(&stats)),
    ]
}

fn seeds_case_data() -> Vec<Vec<u8>> {
    let events = events();
    let state = CaseState::fold(events[0].case_id, &events);
    let snapshot = state.encode_snapshot().expect("state");
    let compress = |b: &[u8]| crate::sync::compression::compress(b).to_vec();
    let mut seeds: Vec<Vec<u8>> = events
        .iter()
        .map(|e| [vec![0], e.encode()].concat())
        .collect();
    seeds.push([vec![1], snapshot.clone()].concat());
    seeds.push([vec![2], compress(&events[0].encode())].concat());
    seeds.push([vec![3], compress(&snapshot)].concat());
    // The later changes: a school procedure step, a transfer's consent and
    // the commune it moves the case to.
    let mut later = events[1].clone();
    later.changes = vec![
        Change::SchoolStep(crate::cases::SchoolProcedureStep {
            step: crate::cases::SchoolStep::ReportedToPrincipal,
            on: today(),
            note: Some("Synthetic note for the fuzzers.".into()),
        }),
        Change::Consent(crate::events::MultiWrite {
            value: crate::model::Consent {
                scope: crate::model::ConsentScope::Transfer {
                    commune: "mu_ca".into(),
                },
                granted: true,
                given_by: crate::model::ConsentGiver::Survivor,
            },
            supersedes: vec![],
        }),
        Change::Survivor(crate::model::SurvivorField::Commune("mu_ca".into())),
    ];
    seeds.push([vec![0], later.encode()].concat());
    seeds
}

fn seeds_team() -> Vec<Vec<u8>> {
    let p = parties();
    let case = CaseId::from_slice(&[3; 16]).expect("id");
    let wrap = wrap_case_key(&p.peer, &p.me.public(), case, 0, &p.case_key);
    vec![
        vec![1, 0, 0b0000_0011, 0, 0],
        [
            vec![
                3,
                0,
                0b0000_0011,
                0,
                0,
                0,
                0b0000_0111,
                1,
                3,
                1,
                0b0000_0101,
                1,
                3,
            ],
            wrap,
        ]
        .concat(),
        vec![2, 0, 0b0001_0001, 4, 1, 0, 0b0011_0001, 4, 3],
    ]
}

fn seeds_shelters() -> Vec<Vec<u8>> {
    let p = parties();
    use crate::shelters::model::tests::shelter;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 20, 8, 0, 0)
        .single()
        .expect("now");
    let v1 = crate::shelters::ShelterDirectory::new(1, now, vec![shelter("Synthetic A")]);
    let v2 = crate::shelters::ShelterDirectory::new(
        2,
        now,
        vec![shelter("Synthetic A"), shelter("Synthetic B")],
    )
    .with_services(vec![crate::referrals::health_station_for_tests("pa_u")]);
    let full = p
        .province
        .sign(&DirectoryUpdate::Full(v1.clone()))
        .expect("full");
    let delta = p
        .province
        .sign(&DirectoryUpdate::Delta(v1.delta_to(&v2).expect("delta")))
        .expect("delta");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 20, 8, 0, 0)
        .single()
        .expect("now");
    let message = MailMessage::Availability(AvailabilityUpdate {
        shelter: ShelterId::derived("synthetic shelter for the fuzzers"),
        free_places: 3,
        confirmed_at: now,
    });
    let mail = shelter_wire::Mail::seal(&p.peer, 1, Some(&p.me.public()), &message).expect("mail");
    let referral = MailMessage::Referral(crate::referrals::ReferralMessage::Send(
        crate::referrals::Referral {
            id: crate::referrals::ReferralId::derived("synthetic referral for the fuzzers"),
            organisation: crate::referrals::OrganisationId::derived("synthetic station"),
            service: crate::model::ServiceType::Health,
            urgency: crate::referrals::Urgency::Urgent,
            ask: "Synthetic ask.".into(),
            due: now.date_naive(),
            sent_at: now,
            facts: vec![crate::referrals::SharedFact::Sex(crate::model::Sex::Female)],
            consent: Some(crate::model::ConsentGiver::Survivor),
        },
    ));
    vec![
        [vec![1], referral.encode()].concat(),
        [vec![0], full.encode()].concat(),
        [vec![0], delta.encode()].concat(),
        [vec![1], message.encode()].concat(),
        [vec![2], encode(&mail)].concat(),
    ]
}

fn seeds_road_file() -> Vec<Vec<u8>> {
    use crate::shelters::roads::{Direction, RoadBuilder, RoadClass};
    use crate::shelters::GeoPoint;
    let a = GeoPoint::new(22.40, 103.40);
    let (b, c) = (a.offset_m(1000.0, 0.0), a.offset_m(1000.0, 1000.0));
    let mut builder = RoadBuilder::new();
    builder
        .add_way(RoadClass::Tertiary, Direction::Both, &[a, b])
        .expect("way");
    builder
        .add_way(RoadClass::Track, Direction::Forward, &[b, c])
        .expect("way");
    let file = builder.build().expect("synthetic roads").to_bytes();
    let without_digest = file[..file.len() - 32].to_vec();
    vec![
        [vec![0], file.clone()].concat(),
        [vec![0], file[..64].to_vec()].concat(),
        [vec![1], without_digest].concat(),
    ]
}

fn seeds_key_file() -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = crate::app::VaultOptions {
        kdf: crate::vault::KdfParams::new(crate::vault::KdfParams::MIN_MEMORY_KIB, 1, 1)
            .expect("the floor"),
        ..Default::default()
    };
    let app = crate::app::Vault::create(dir.path(), "synthetic-pin-2468", options).expect("vault");
    let active = std::fs::read(dir.path().join(crate::vault::KEY_FILE)).expect("key file");
    drop(app);
    crate::vault::KeyVault::erase_at(dir.path(), None).expect("erase");
    let erased = std::fs::read(dir.path().join(crate::vault::KEY_FILE)).expect("erased file");
    vec![active.clone(), erased, active[..active.len() / 2].to_vec()]
}

/// `update` sealed to the fuzz targets' office key.
fn sealed_row(update: &crate::stats::StatUpdate) -> crate::stats::sealed::SealedStat {
    use crate::stats::sealed::{OfficeKey, Sealer, StatSlot};
    let signer = crate::shelters::ProvincialSigner::from_seed([11; 32]);
    let published = OfficeKey::publish(&signer).expect("office key");
    let key = OfficeKey::verify(&published, &signer.public_key()).expect("checks");
    let sealer = Sealer::new(&key).expect("sealer");
    sealer.seal(StatSlot([5; 16]), update).expect("sealed")
}

fn seeds_statistics() -> Vec<Vec<u8>> {
    let events = events();
    let state = CaseState::fold(events[0].case_id, &events);
    let Some(crate::stats::StatUpdate::Record(record)) = crate::stats::stat_update(&state) else {
        panic!("a synthetic case with consent gives a record");
    };
    let mut other = record.clone();
    other.revision += 1;
    other.referrals = vec![crate::stats::ReferralStat {
        service: crate::model::ServiceType::Health,
        outcome: crate::referrals::ReferralStatus::Delivered,
        answered_in_time: Some(true),
    }];
    other.days_to_first_service = record.any_service_delivered().then_some(3);
    vec![
        record.encode(),
        other.encode(),
        record.encode()[..8].to_vec(),
        sealed_as_bytes(&crate::stats::StatUpdate::Record(record.clone())),
        sealed_as_bytes(&crate::stats::StatUpdate::Withdraw(
            crate::stats::Withdrawal {
                statistics_id: record.statistics_id,
                revision: other.revision + 1,
            },
        )),
    ]
}

/// A sealed row as the statistics target reads it: slot, then body.
fn sealed_as_bytes(update: &crate::stats::StatUpdate) -> Vec<u8> {
    let row = sealed_row(update);
    [row.slot.0.as_slice(), &row.body].concat()
}

fn seeds_imports() -> Vec<Vec<u8>> {
    let training = "Ngày,Xã,Chủ đề,Mã học viên,Xã học viên,Vai trò,Ghi chú\n\
                    10/05/2026,Xã Mù Cả,Tập huấn (synthetic),SYN-1,,Cộng tác viên,\n\
                    2026-06-01,Tỉnh,Tập huấn cấp tỉnh (synthetic),,,,\n";
    let schools = "\u{feff}Tên trường,Xã,Áp dụng quy trình từ\n\
                   Trường A (synthetic),Xã Pa Ủ,01/09/2025\n";
    let enterprises = "Enterprise,Commune,Since\nCông ty (synthetic),pa_u,2026-01-15\n";
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, text) in ["Tên trường", "Xã", "Áp dụng quy trình từ"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *text).expect("header");
    }
    sheet
        .write_string(1, 0, "Trường B (synthetic)")
        .expect("name");
    sheet.write_string(1, 1, "pa_u").expect("commune");
    sheet.write_string(1, 2, "2025-09-01").expect("since");
    let xlsx = book.save_to_buffer().expect("workbook");
    vec![
        [b"\0".to_vec(), training.as_bytes().to_vec()].concat(),
        [b"\x02".to_vec(), training.as_bytes().to_vec()].concat(),
        [b"\0".to_vec(), schools.as_bytes().to_vec()].concat(),
        [b"\0".to_vec(), enterprises.as_bytes().to_vec()].concat(),
        [b"\x01".to_vec(), xlsx].concat(),
    ]
}

fn seeds_invitation() -> Vec<Vec<u8>> {
    let link = |server: &str, code: &str| {
        InvitationLink {
            server_url: server.into(),
            code: code.into(),
        }
        .to_uri()
        .into_bytes()
    };
    vec![
        link("https://binhan.example.vn", "ABCD-EFGH-JKMN"),
        link("http://127.0.0.1:8080", "2345-6789"),
        b"ABCD-EFGH-JKMN".to_vec(),
    ]
}

fn seeds_online_report() -> Vec<Vec<u8>> {
    use crate::online_report::{seal, Recipient};
    let report = crate::online_report::tests::report("mu_ca");
    let to = |identity: &DeviceIdentity| {
        let public = identity.public();
        Recipient {
            device_id: public.device_id,
            exchange_key: public.exchange_key,
        }
    };
    let p = parties();
    vec![
        seal(&[to(&p.me)], "mu_ca", &report).expect("seal"),
        seal(&[to(&p.peer), to(&p.me)], "mu_ca", &report).expect("seal"),
        seal(&[to(&p.peer)], "mu_ca", &report).expect("seal"),
        serde_json::to_vec(&report).expect("json"),
    ]
}

/// Every target has seeds made from synthetic data, and each runs through
/// its target. With `BINHAN_WRITE_FUZZ_SEEDS=1` they are also written to
/// `fuzz/corpus/<target>/seed-<n>`, where the fuzzers start from them
/// (`BINHAN_WRITE_FUZZ_SEEDS=1 cargo test -p binhan-core fuzzing::tests::every_target_has_seeds`).
#[test]
fn every_target_has_seeds_that_run_through_it() {
    type Seeds = fn() -> Vec<Vec<u8>>;
    let seeds: &[(&str, Seeds)] = &[
        ("sync_wire", seeds_sync_wire),
        ("case_data", seeds_case_data),
        ("team", seeds_team),
        ("shelters", seeds_shelters),
        ("road_file", seeds_road_file),
        ("key_file", seeds_key_file),
        ("statistics", seeds_statistics),
        ("imports", seeds_imports),
        ("invitation", seeds_invitation),
        ("online_report", seeds_online_report),
    ];
    let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(
        names(&seeds.iter().map(|(t, _)| *t).collect::<Vec<_>>()),
        names(&TARGETS.iter().map(|(t, _)| *t).collect::<Vec<_>>())
    );
    let write = std::env::var_os("BINHAN_WRITE_FUZZ_SEEDS").is_some();
    for ((target, make), (_, run)) in seeds.iter().zip(TARGETS) {
        let made = make();
        assert!(!made.is_empty(), "{target}");
        for (n, seed) in made.into_iter().enumerate() {
            run(&seed);
            if write {
                let dir = corpus(target);
                std::fs::create_dir_all(&dir).expect("corpus folder");
                std::fs::write(dir.join(format!("seed-{n}")), seed).expect("seed");
            }
        }
    }
}
