//! Shelters end to end: the synthetic fixture, signature checks, nearest
//! search by straight line and by road, and placements between devices.
//! All data here is synthetic.

use super::synthetic::{self, SyntheticProvince};
use super::*;
use crate::app::{App, AppConfig, ROAD_FILE};
use crate::cases::CaseAction;
use crate::events::ConflictValue;
use crate::model::*;
use crate::vault::{KdfParams, VaultPolicy};
use crate::Error;
use chrono::{DateTime, Duration, Utc};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// 2026-11-15 03:00 UTC, 10:00 in Vietnam.
const WALL_MS: u64 = 1_794_711_600_000;

fn fixed_wall() -> u64 {
    WALL_MS
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(WALL_MS as i64).unwrap()
}

fn province() -> &'static SyntheticProvince {
    static P: OnceLock<SyntheticProvince> = OnceLock::new();
    P.get_or_init(synthetic::lai_chau)
}

fn roads() -> Arc<RoadNetwork> {
    static R: OnceLock<Arc<RoadNetwork>> = OnceLock::new();
    R.get_or_init(|| Arc::new(province().road_network().unwrap()))
        .clone()
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shelters")
}

fn config() -> AppConfig {
    AppConfig {
        policy: VaultPolicy {
            max_attempts: 5,
            free_attempts: 5,
            base_delay_secs: 0,
            max_delay_secs: 0,
        },
        kdf: KdfParams::new(47_104, 1, 1).unwrap(),
        platform_key: None,
        wall_clock: fixed_wall,
    }
}

fn new_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::create(dir.path(), "493817", config()).unwrap();
    (dir, app)
}

fn ids(result: &NearestShelters) -> Vec<ShelterId> {
    result.shelters.iter().map(|m| m.shelter.id).collect()
}

fn signed(update: DirectoryUpdate) -> Vec<u8> {
    synthetic::province_signer().sign(&update).unwrap().encode()
}

// ----- the fixture -----

#[test]
fn shelters_fixture_files_are_up_to_date() {
    // Regenerate with: cargo run -p binhan-core --example shelter_fixture
    let dir = fixture_dir();
    for (name, bytes) in synthetic::fixture_files().unwrap() {
        let committed = std::fs::read(dir.join(&name))
            .unwrap_or_else(|_| panic!("{name} is missing; run the fixture example"));
        assert!(
            committed == bytes,
            "{name} is out of date; run the fixture example"
        );
    }
}

#[test]
fn shelters_fixture_has_every_kind_and_is_marked_synthetic() {
    let p = province();
    for kind in ShelterKind::ALL {
        assert!(
            p.shelters.iter().any(|s| s.kind == *kind),
            "{}",
            kind.code()
        );
    }
    for commune in COMMUNES {
        assert!(
            p.shelters.iter().any(|s| s.commune == commune.code),
            "{}",
            commune.code
        );
    }
    assert!(p.shelters.iter().all(|s| s.name.ends_with("(giả lập)")));
    let directory = p.directory(1);
    directory.validate().unwrap();
    let coverage = directory.coverage();
    assert!(coverage.standardised_in_province >= 5);
    assert!(coverage.communes_without_active_shelter.is_empty());
    assert!(p.roads_geojson().contains("\"synthetic\": true"));
}

#[test]
fn shelters_geojson_and_pbf_imports_give_the_same_network() {
    let dir = fixture_dir();
    let geojson = std::fs::read(dir.join("lai_chau_roads.geojson")).unwrap();
    let pbf = std::fs::read(dir.join("lai_chau_roads.osm.pbf")).unwrap();
    let (from_json, json_report) = roads::import_roads(&geojson).unwrap();
    let (from_pbf, pbf_report) = roads::import_roads(&pbf).unwrap();
    assert_eq!(json_report.format, roads::RoadFormat::GeoJson);
    assert_eq!(pbf_report.format, roads::RoadFormat::Pbf);
    assert_eq!(from_json.to_bytes(), from_pbf.to_bytes());
    assert_eq!(from_json.to_bytes(), roads().to_bytes());
    assert_eq!(json_report.ways, pbf_report.ways);
    assert!(json_report.network.nodes > 1_000);
    // The main network, plus the village beyond the landslide.
    assert_eq!(json_report.network.components, 2);
}

// ----- nearest search -----

#[test]
fn shelters_road_ranking_differs_from_straight_line_in_the_valley() {
    let p = province();
    let finder = ShelterFinder::new(&p.directory(1), AvailabilityBook::default(), Some(roads()));
    let mut query = ShelterQuery::from(p.valley.start);
    query.straight_line = true;
    let straight = finder.nearest(&query, now()).unwrap();
    query.straight_line = false;
    let by_road = finder.nearest(&query, now()).unwrap();
    assert_eq!(straight.ranked_by, Ranking::StraightLine);
    assert_eq!(by_road.ranked_by, Ranking::RoadTravelTime);

    // In a straight line the host across the valley is nearest …
    assert_eq!(straight.shelters[0].shelter.id, p.valley.across);
    assert!(straight.shelters[0].straight_line_m < 4_000);
    // … by road the commune office on the same side is.
    assert_eq!(by_road.shelters[0].shelter.id, p.valley.same_side);
    assert_ne!(ids(&straight), ids(&by_road));
    let reachable: Vec<&ShelterMatch> = by_road
        .shelters
        .iter()
        .filter(|m| matches!(m.road, RoadReach::Reachable { .. }))
        .collect();
    assert_eq!(reachable.len(), 5);
    let times: Vec<u32> = reachable
        .iter()
        .map(|m| match m.road {
            RoadReach::Reachable { travel_time_s, .. } => travel_time_s,
            _ => unreachable!(),
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(times[0] < 30 * 60, "{times:?}");

    // The cut-off shelter is shown as unreachable, not dropped, not ranked.
    let cut = by_road
        .shelters
        .iter()
        .find(|m| m.shelter.id == p.valley.cut_off)
        .expect("the cut-off shelter is listed");
    assert_eq!(
        cut.road,
        RoadReach::Unreachable {
            reason: UnreachableReason::NotConnected
        }
    );
    assert!(
        by_road
            .shelters
            .iter()
            .position(|m| m.shelter.id == p.valley.cut_off)
            .unwrap()
            >= 5
    );

    // Asked for more, the host across the valley comes with its true time.
    query.limit = MAX_LIMIT;
    let all = finder.nearest(&query, now()).unwrap();
    let across = all
        .shelters
        .iter()
        .find(|m| m.shelter.id == p.valley.across)
        .expect("reachable by road, far");
    match across.road {
        RoadReach::Reachable {
            travel_time_s,
            distance_m,
        } => {
            assert!(travel_time_s > 2 * 3600, "{travel_time_s}");
            assert!(distance_m > 25_000, "{distance_m}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn shelters_start_outside_the_province_or_the_network_is_refused() {
    let p = province();
    let finder = ShelterFinder::new(&p.directory(1), AvailabilityBook::default(), Some(roads()));
    let invalid_start = |q: &ShelterQuery| match finder.nearest(q, now()) {
        Err(Error::Invalid { field, rule }) => {
            assert_eq!(field, "start");
            rule
        }
        other => panic!("{other:?}"),
    };
    // Hà Nội is not in Lai Châu.
    let rule = invalid_start(&ShelterQuery::from(GeoPoint::new(21.0285, 105.8542)));
    assert!(rule.contains("outside Lai Châu"));
    // Inside the province, far from any road of the network.
    let remote = (0..400)
        .map(|k| GeoPoint::new(21.6 + 0.0032 * k as f64, 102.2 + 0.0045 * k as f64))
        .find(|g| roads().snap(g, 2_500.0).is_none() && PROVINCE_BOUNDS.contains(g))
        .expect("a roadless spot");
    let rule = invalid_start(&ShelterQuery::from(remote));
    assert!(rule.contains("search by straight line"), "{rule}");
    // … which still works by straight line.
    let mut q = ShelterQuery::from(remote);
    q.straight_line = true;
    assert_eq!(finder.nearest(&q, now()).unwrap().shelters.len(), 5);
    // A network that covers only part of the province.
    let mut b = roads::RoadBuilder::new();
    let w: Vec<GeoPoint> = (0..5)
        .map(|k| p.valley.start.offset_m(0.0, 300.0 * k as f64))
        .collect();
    b.add_way(roads::RoadClass::Track, roads::Direction::Both, &w)
        .unwrap();
    let small = ShelterFinder::new(
        &p.directory(1),
        AvailabilityBook::default(),
        Some(Arc::new(b.build().unwrap())),
    );
    let rule = match small.nearest(&ShelterQuery::from(GeoPoint::new(22.0, 103.5)), now()) {
        Err(Error::Invalid { rule, .. }) => rule,
        other => panic!("{other:?}"),
    };
    assert!(rule.contains("outside the loaded road network"));
    // Bad limits and people are named.
    let mut q = ShelterQuery::from(p.valley.start);
    q.limit = 0;
    assert!(
        matches!(finder.nearest(&q, now()), Err(Error::Invalid { field, .. }) if field == "limit")
    );
}

#[test]
fn shelters_straight_line_index_agrees_with_a_scan() {
    let shelters = synthetic::random_shelters(2_000, 7);
    let directory = ShelterDirectory::new(1, now(), shelters.clone());
    let updates = synthetic::availability(&shelters, now());
    let mut book = AvailabilityBook::default();
    for u in updates {
        book.merge(u);
    }
    let finder = ShelterFinder::new(&directory, book, None);
    let mut rng = synthetic::Rng::new(99);
    for k in 0..60 {
        let mut q = ShelterQuery::from(GeoPoint::new(
            rng.range(21.8, 22.7),
            rng.range(102.5, 103.8),
        ));
        q.limit = 1 + (k % 9);
        if k % 3 == 0 {
            q.people = Some(2);
        }
        if k % 4 == 0 {
            q.children = true;
        }
        if k % 5 == 0 {
            q.language = Some(Language::Mong);
        }
        if k % 7 == 0 {
            q.step_free = true;
        }
        let indexed = finder.nearest(&q, now()).unwrap();
        let scanned = finder.nearest_by_scan(&q, now()).unwrap();
        assert_eq!(ids(&indexed), ids(&scanned), "query {k}");
        let d: Vec<u32> = indexed.shelters.iter().map(|m| m.straight_line_m).collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
    }
}

#[test]
fn shelters_filters_and_unconfirmed_availability() {
    let p = province();
    let directory = p.directory(1);
    let start = p.centres[10];
    let mut book = AvailabilityBook::default();
    // Every shelter: 3 free, confirmed an hour ago; the nearest: full.
    for s in &directory.shelters {
        book.merge(AvailabilityUpdate {
            shelter: s.id,
            free_places: 3.min(s.capacity),
            confirmed_at: now() - Duration::hours(1),
        });
    }
    let finder0 = ShelterFinder::new(&directory, book.clone(), None);
    let nearest = finder0
        .nearest(&ShelterQuery::from(start), now())
        .unwrap()
        .shelters[0]
        .shelter
        .id;
    book.merge(AvailabilityUpdate {
        shelter: nearest,
        free_places: 0,
        confirmed_at: now(),
    });
    let finder = ShelterFinder::new(&directory, book, None);

    let mut q = ShelterQuery::from(start);
    q.people = Some(1);
    let with_room = finder.nearest(&q, now()).unwrap();
    assert!(
        !ids(&with_room).contains(&nearest),
        "a full shelter is not offered"
    );
    assert!(with_room
        .shelters
        .iter()
        .all(|m| m.availability.free_places >= Some(1)));
    // Without the filter the full shelter is listed, with 0 free.
    let all = finder.nearest(&ShelterQuery::from(start), now()).unwrap();
    assert_eq!(all.shelters[0].availability.free_places, Some(0));

    // Freshness follows the configured age: an hour later, with a one-hour
    // limit, only the figure confirmed "now" is still confirmed.
    let later = now() + Duration::hours(1);
    let mut q = ShelterQuery::from(start);
    q.max_age_hours = 1;
    let r = finder.nearest(&q, later).unwrap();
    assert!(r
        .shelters
        .iter()
        .any(|m| m.availability.freshness == Freshness::Unconfirmed));
    assert!(r
        .shelters
        .iter()
        .any(|m| m.availability.freshness == Freshness::Confirmed));
    let r = ShelterFinder::new(&directory, AvailabilityBook::default(), None)
        .nearest(&ShelterQuery::from(start), now())
        .unwrap();
    assert!(r
        .shelters
        .iter()
        .all(|m| m.availability.freshness == Freshness::Unknown));

    // Children, step-free, language, kind, standardised.
    let mut q = ShelterQuery::from(start);
    q.children = true;
    q.step_free = true;
    q.language = Some(Language::Vietnamese);
    q.limit = 10;
    let r = finder.nearest(&q, now()).unwrap();
    assert!(!r.shelters.is_empty());
    assert!(r
        .shelters
        .iter()
        .all(|m| m.shelter.accepts_children() && m.shelter.offers(Accessibility::StepFree)));
    let mut q = ShelterQuery::from(start);
    q.kinds = vec![ShelterKind::Hospital];
    q.standardised_only = true;
    let r = finder.nearest(&q, now()).unwrap();
    assert!(r
        .shelters
        .iter()
        .all(|m| m.shelter.kind == ShelterKind::Hospital && m.standardised));
    // Inactive shelters are never offered.
    let inactive: Vec<ShelterId> = directory
        .shelters
        .iter()
        .filter(|s| !s.active)
        .map(|s| s.id)
        .collect();
    assert_eq!(inactive.len(), 2);
    let mut q = ShelterQuery::from(start);
    q.limit = MAX_LIMIT;
    assert!(ids(&finder.nearest(&q, now()).unwrap())
        .iter()
        .all(|id| !inactive.contains(id)));
}

// ----- bad road files -----

#[test]
fn shelters_malformed_road_files_are_refused_clearly() {
    let (_dir, app) = new_app();
    let good = std::fs::read(fixture_dir().join("lai_chau_roads.geojson")).unwrap();
    app.import_road_network(&good).unwrap();
    let held = app.road_network().unwrap().unwrap().to_bytes();
    let pbf = std::fs::read(fixture_dir().join("lai_chau_roads.osm.pbf")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "no roads"),
        ("garbage", b"\x00\x00\x00\x05hello".to_vec(), "not a valid OpenStreetMap PBF file"),
        ("truncated pbf", pbf[..pbf.len() / 2].to_vec(), "not a valid OpenStreetMap PBF file"),
        ("bad json", b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec(), "not valid JSON"),
        ("not geojson", b"{\"type\": \"Roads\"}".to_vec(), "not valid GeoJSON"),
        (
            "bare geometry",
            br#"{"type": "LineString", "coordinates": [[103.1, 22.1], [103.2, 22.2]]}"#.to_vec(),
            "bare geometry",
        ),
        (
            "no highway",
            br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "x"},
               "geometry": {"type": "LineString", "coordinates": [[103.1, 22.1], [103.2, 22.2]]}}]}"#
                .to_vec(),
            "no roads",
        ),
        (
            "latitude out of range",
            br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"highway": "track"},
               "geometry": {"type": "LineString", "coordinates": [[103.1, 122.1], [103.2, 22.2]]}}]}"#
                .to_vec(),
            "feature 0: coordinates",
        ),
    ];
    for (what, bytes, expected) in cases {
        match app.import_road_network(&bytes) {
            Err(Error::Invalid { field, rule }) => {
                assert_eq!(field, "road_file", "{what}");
                assert!(rule.contains(expected), "{what}: {rule}");
            }
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(
            app.road_network().unwrap().unwrap().to_bytes(),
            held,
            "{what}: network kept"
        );
    }
    // A damaged network file on the device is reported, not used.
    let path = _dir.path().join(ROAD_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    assert!(matches!(app.road_network(), Err(Error::Tampered { .. })));
}

// ----- the signed directory on a device -----

#[test]
fn shelters_directory_signature_checks_keep_the_previous_directory() {
    let (dir, app) = new_app();
    let p = province();
    let v1 = p.directory(1);
    let v2 = p.directory_v2();
    let publish_v1 = signed(DirectoryUpdate::Full(v1.clone()));

    // No key configured yet: nothing is trusted.
    assert!(matches!(
        app.load_shelter_directory(&publish_v1),
        Err(Error::NotAllowed(_))
    ));
    app.set_provincial_key(synthetic::province_signer().public_key())
        .unwrap();
    let other = ProvincialSigner::from_seed([42; 32]);
    assert!(matches!(
        app.set_provincial_key(other.public_key()),
        Err(Error::NotAllowed(_))
    ));

    let status = app.load_shelter_directory(&publish_v1).unwrap();
    assert_eq!((status.version, status.previous_version), (1, None));
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v1);

    // A directory from a key that is not the province's: refused, v1 kept.
    let forged = other
        .sign(&DirectoryUpdate::Full(v2.clone()))
        .unwrap()
        .encode();
    assert!(matches!(
        app.load_shelter_directory(&forged),
        Err(Error::NotAllowed(_))
    ));
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v1);
    // A bad signature: refused, v1 kept.
    let mut tampered = synthetic::province_signer()
        .sign(&DirectoryUpdate::Full(v2.clone()))
        .unwrap();
    tampered.body[40] ^= 1;
    assert!(matches!(
        app.load_shelter_directory(&tampered.encode()),
        Err(Error::Tampered { .. })
    ));
    let mut bad_sig = synthetic::province_signer()
        .sign(&DirectoryUpdate::Full(v2.clone()))
        .unwrap();
    bad_sig.signature[3] ^= 0x10;
    assert!(app.load_shelter_directory(&bad_sig.encode()).is_err());
    assert!(app.load_shelter_directory(b"BHSD\x01garbage").is_err());
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v1);

    // The signed delta brings it to v2; replaying v1 is refused.
    let delta = signed(DirectoryUpdate::Delta(v1.delta_to(&v2).unwrap()));
    assert!(
        delta.len() < publish_v1.len() / 10,
        "{} vs {}",
        delta.len(),
        publish_v1.len()
    );
    let status = app.load_shelter_directory(&delta).unwrap();
    assert_eq!((status.version, status.previous_version), (2, Some(1)));
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v2);
    assert!(app.load_shelter_directory(&publish_v1).is_err());
    assert!(app.load_shelter_directory(&delta).is_err());
    assert_eq!(app.shelter_directory().unwrap().unwrap().version, 2);

    // Sealed at rest: no shelter name or location is readable in the files.
    drop(app);
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
    }
    let needle = v1.shelters[0].name.as_bytes();
    assert!(!stored.windows(needle.len()).any(|w| w == needle));
    let lat = postcard::to_allocvec(&v1.shelters[0].location.lat).unwrap();
    assert!(!stored.windows(lat.len()).any(|w| w == lat.as_slice()));
}

#[test]
fn shelters_committed_publications_verify_under_the_synthetic_key() {
    let key: ProvincialKey = std::fs::read_to_string(fixture_dir().join("province_key.txt"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(key, synthetic::province_signer().public_key());
    let v1 = std::fs::read(fixture_dir().join("lai_chau_directory_v1.bhsd")).unwrap();
    let delta = std::fs::read(fixture_dir().join("lai_chau_directory_v1_to_v2.bhsd")).unwrap();
    let d1 = next_directory(None, &key, &SignedPublication::decode(&v1).unwrap()).unwrap();
    let d2 = next_directory(Some(&d1), &key, &SignedPublication::decode(&delta).unwrap()).unwrap();
    assert_eq!(d2, province().directory_v2());
}

// ----- placements between devices -----

/// Delivers `from`'s outbox to the devices it is addressed to, through the
/// binary encoding, and acknowledges it. Returns the messages delivered.
fn deliver(from: &App, to: &[&App]) -> usize {
    let sender = from.device_id().unwrap();
    let outbox = from.shelter_outbox().unwrap();
    let mut delivered = 0;
    for entry in &outbox {
        let message = ShelterMessage::decode(&entry.message.encode()).unwrap();
        for app in to {
            let for_it = match entry.to {
                Recipient::Device(d) => d == app.device_id().unwrap(),
                Recipient::Everyone => true,
            };
            if for_it {
                app.receive_shelter_message(sender, message.clone())
                    .unwrap();
                delivered += 1;
            }
        }
    }
    if let Some(last) = outbox.last() {
        from.ack_shelter_outbox(last.seq).unwrap();
    }
    delivered
}

use crate::cases::sample_intake as intake;

struct World {
    _dirs: Vec<tempfile::TempDir>,
    host: App,
    a: App,
    b: App,
    shelter: Shelter,
}

/// A host and two collaborators; the directory names the host's device as
/// the host of the valley commune office.
fn world(free_places: u16) -> World {
    let (d1, host) = new_app();
    let (d2, a) = new_app();
    let (d3, b) = new_app();
    let mut directory = province().directory(1);
    let shelter = directory
        .shelters
        .iter_mut()
        .find(|s| s.id == province().valley.same_side)
        .unwrap();
    shelter.host_device = Some(host.device_id().unwrap());
    let shelter = shelter.clone();
    let publication = signed(DirectoryUpdate::Full(directory));
    for app in [&host, &a, &b] {
        app.set_provincial_key(synthetic::province_signer().public_key())
            .unwrap();
        app.load_shelter_directory(&publication).unwrap();
    }
    host.host_shelter(shelter.id, free_places).unwrap();
    assert_eq!(deliver(&host, &[&a, &b]), 2, "free places reach everyone");
    World {
        _dirs: vec![d1, d2, d3],
        host,
        a,
        b,
        shelter,
    }
}

fn needs(people: u8) -> PlacementNeeds {
    PlacementNeeds {
        people,
        children: 0,
        group: AcceptedGroup::Women,
        step_free: false,
        disability_support: false,
        languages: vec![Language::HaNhi],
    }
}

fn placement_of(app: &App, case: CaseId) -> Vec<Placement> {
    app.case(case)
        .unwrap()
        .placement
        .into_iter()
        .map(|p| p.value)
        .collect()
}

fn shelter_services(app: &App, case: CaseId) -> Vec<ServiceOutcome> {
    app.case(case)
        .unwrap()
        .services
        .into_iter()
        .filter(|s| s.value.service == ServiceType::SafeShelter)
        .map(|s| s.value.outcome)
        .collect()
}

#[test]
fn shelters_a_placement_flows_from_request_to_departure_across_two_devices() {
    let w = world(3);
    let case = w.a.create_case(intake("SYN-P01")).unwrap();
    // The collaborator finds the shelter with room, and asks.
    let mut q = ShelterQuery::from(province().valley.start);
    q.people = Some(2);
    q.straight_line = true;
    q.limit = MAX_LIMIT;
    let found = w.a.nearest_shelters(&q).unwrap();
    let m = found
        .shelters
        .iter()
        .find(|m| m.shelter.id == w.shelter.id)
        .unwrap();
    assert_eq!(m.availability.free_places, Some(3));
    assert_eq!(m.availability.freshness, Freshness::Confirmed);

    let request = w.a.request_placement(case, w.shelter.id, needs(2)).unwrap();
    assert_eq!(
        placement_of(&w.a, case)[0].status,
        PlacementStatus::Requested
    );
    // What travels carries no case, no name.
    let outbox = w.a.shelter_outbox().unwrap();
    let json = serde_json::to_string(&outbox).unwrap();
    assert!(!json.contains(&case.to_string()) && !json.contains("SYN-P01"));
    assert_eq!(deliver(&w.a, &[&w.host]), 1);

    let inbox = w.host.placement_inbox().unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].request.needs, needs(2));
    let desk = w.host.accept_placement(request).unwrap();
    assert_eq!(desk.free_places, 1);
    deliver(&w.host, &[&w.a, &w.b]);
    let p = &placement_of(&w.a, case)[0];
    assert_eq!((p.status, p.people), (PlacementStatus::Accepted, 2));
    assert_eq!(shelter_services(&w.a, case), vec![ServiceOutcome::Offered]);
    // Every device now knows one place is left.
    let r = w.b.nearest_shelters(&q).unwrap();
    assert!(!ids(&r).contains(&w.shelter.id), "no room for 2 any more");

    w.host.record_arrival(request).unwrap();
    deliver(&w.host, &[&w.a, &w.b]);
    assert_eq!(placement_of(&w.a, case)[0].status, PlacementStatus::Arrived);
    assert_eq!(
        shelter_services(&w.a, case),
        vec![ServiceOutcome::Offered, ServiceOutcome::Delivered]
    );
    let desk = w.host.record_departure(request).unwrap();
    assert_eq!(desk.free_places, 3);
    deliver(&w.host, &[&w.a, &w.b]);
    assert_eq!(
        placement_of(&w.a, case)[0].status,
        PlacementStatus::Departed
    );
    assert_eq!(
        w.a.placement_requests().unwrap()[0].status,
        PlacementStatus::Departed
    );
    assert!(w.host.shelter_outbox().unwrap().is_empty());
    // A new placement may follow the finished one.
    w.a.request_placement(case, w.shelter.id, needs(1)).unwrap();
}

#[test]
fn shelters_two_requests_for_the_last_place_one_wins_the_other_is_told() {
    let w = world(1);
    let case_a = w.a.create_case(intake("SYN-A")).unwrap();
    let case_b = w.b.create_case(intake("SYN-B")).unwrap();
    // Both ask at once, offline from each other.
    let ra =
        w.a.request_placement(case_a, w.shelter.id, needs(1))
            .unwrap();
    let rb =
        w.b.request_placement(case_b, w.shelter.id, needs(1))
            .unwrap();
    deliver(&w.a, &[&w.host]);
    deliver(&w.b, &[&w.host]);
    assert_eq!(w.host.placement_inbox().unwrap().len(), 2);

    w.host.accept_placement(ra).unwrap();
    // The other request was declined at that moment, and cannot be accepted.
    assert!(w.host.placement_inbox().unwrap().is_empty());
    assert!(matches!(
        w.host.accept_placement(rb),
        Err(Error::NotAllowed(_))
    ));
    deliver(&w.host, &[&w.a, &w.b]);

    assert_eq!(
        placement_of(&w.a, case_a)[0].status,
        PlacementStatus::Accepted
    );
    let lost = &placement_of(&w.b, case_b)[0];
    assert_eq!(lost.status, PlacementStatus::Declined);
    assert_eq!(lost.decline_reason, Some(DeclineReason::NoFreePlaces));
    assert_eq!(
        shelter_services(&w.b, case_b),
        vec![ServiceOutcome::Unavailable]
    );
    // B may now look elsewhere.
    let other = province()
        .shelters
        .iter()
        .find(|s| s.id != w.shelter.id && s.active)
        .unwrap();
    assert!(matches!(
        w.b.request_placement(case_b, other.id, needs(1)),
        Err(Error::NotAllowed(_)) // no host device: by phone
    ));
}

#[test]
fn shelters_a_shelter_with_no_free_places_is_refused_or_declined() {
    let w = world(0);
    let case = w.a.create_case(intake("SYN-F")).unwrap();
    // Known full (confirmed just now): refused before anything is sent.
    let err =
        w.a.request_placement(case, w.shelter.id, needs(1))
            .unwrap_err();
    assert!(matches!(err, Error::NotAllowed(_)), "{err:?}");
    assert!(placement_of(&w.a, case).is_empty());
    // A device that never heard the figure sends; the host declines at once.
    let (_d, c) = new_app();
    c.set_provincial_key(synthetic::province_signer().public_key())
        .unwrap();
    let mut directory = province().directory(1);
    directory
        .shelters
        .iter_mut()
        .find(|s| s.id == w.shelter.id)
        .unwrap()
        .host_device = Some(w.host.device_id().unwrap());
    c.load_shelter_directory(&signed(DirectoryUpdate::Full(directory)))
        .unwrap();
    let case_c = c.create_case(intake("SYN-G")).unwrap();
    c.request_placement(case_c, w.shelter.id, needs(1)).unwrap();
    deliver(&c, &[&w.host]);
    assert!(w.host.placement_inbox().unwrap().is_empty());
    deliver(&w.host, &[&c]);
    let p = &placement_of(&c, case_c)[0];
    assert_eq!(
        (p.status, p.decline_reason),
        (PlacementStatus::Declined, Some(DeclineReason::NoFreePlaces))
    );
    // Needs the shelter cannot meet are declined too.
    w.host.set_free_places(2).unwrap();
    let mut n = needs(1);
    n.group = AcceptedGroup::Men;
    assert!(matches!(
        w.a.request_placement(case, w.shelter.id, n),
        Err(Error::NotAllowed(_))
    ));
}

#[test]
fn shelters_placement_messages_are_idempotent_and_checked() {
    let w = world(2);
    let case = w.a.create_case(intake("SYN-I")).unwrap();
    let request = w.a.request_placement(case, w.shelter.id, needs(1)).unwrap();
    let sent = w.a.shelter_outbox().unwrap();
    let a_id = w.a.device_id().unwrap();
    for _ in 0..2 {
        w.host
            .receive_shelter_message(a_id, sent[0].message.clone())
            .unwrap();
    }
    assert_eq!(w.host.placement_inbox().unwrap().len(), 1);
    w.host.accept_placement(request).unwrap();
    let answers = w.host.shelter_outbox().unwrap();
    let response = answers
        .iter()
        .find(|e| matches!(e.message, ShelterMessage::Response(_)))
        .unwrap()
        .message
        .clone();
    // From a device that does not host the shelter: refused.
    let b_id = w.b.device_id().unwrap();
    assert!(matches!(
        w.a.receive_shelter_message(b_id, response.clone()),
        Err(Error::NotAllowed(_))
    ));
    // Free places from a device that is not the host: refused.
    let fake = ShelterMessage::Availability(AvailabilityUpdate {
        shelter: w.shelter.id,
        free_places: 1,
        confirmed_at: now(),
    });
    assert!(w.a.receive_shelter_message(b_id, fake).is_err());
    let host_id = w.host.device_id().unwrap();
    assert_eq!(
        w.a.receive_shelter_message(host_id, response.clone())
            .unwrap(),
        Received::Applied
    );
    assert_eq!(
        w.a.receive_shelter_message(host_id, response).unwrap(),
        Received::Duplicate
    );
    assert_eq!(shelter_services(&w.a, case), vec![ServiceOutcome::Offered]);

    // The survivor chooses otherwise: cancelled on the case, places freed.
    w.a.cancel_placement(request).unwrap();
    assert_eq!(
        placement_of(&w.a, case)[0].status,
        PlacementStatus::Cancelled
    );
    assert_eq!(
        shelter_services(&w.a, case),
        vec![ServiceOutcome::Offered, ServiceOutcome::Declined]
    );
    w.a.ack_shelter_outbox(0).unwrap();
    deliver(&w.a, &[&w.host]);
    assert_eq!(w.host.hosted_shelter().unwrap().unwrap().free_places, 2);
    // Only the requester may cancel; arrival after cancellation is refused.
    assert!(matches!(
        w.host.record_arrival(request),
        Err(Error::NotAllowed(_))
    ));
    assert!(w.a.cancel_placement(request).is_err());
}

#[test]
fn shelters_concurrent_placements_of_one_case_are_a_conflict() {
    let w = world(4);
    let case = w.a.create_case(intake("SYN-C")).unwrap();
    w.b.merge_events(&w.a.events_of(case).unwrap()).unwrap();
    // Both collaborators place the same survivor while offline.
    w.a.request_placement(case, w.shelter.id, needs(1)).unwrap();
    w.b.request_placement(case, w.shelter.id, needs(1)).unwrap();
    w.a.merge_events(&w.b.events_of(case).unwrap()).unwrap();
    w.b.merge_events(&w.a.events_of(case).unwrap()).unwrap();
    let detail = w.a.case(case).unwrap();
    assert_eq!(detail, w.b.case(case).unwrap(), "same state in any order");
    assert_eq!(detail.placement.len(), 2);
    let conflict = detail
        .conflicts
        .iter()
        .find(|c| c.field == PLACEMENT_REGISTER)
        .expect("a placement conflict");
    assert!(conflict
        .candidates
        .iter()
        .all(|c| matches!(c.value, ConflictValue::Placement(_))));
    // A person resolves it by keeping one.
    let keep = conflict.candidates[0].event;
    w.a.act(
        case,
        CaseAction::ResolveConflict {
            field: PLACEMENT_REGISTER.into(),
            keep,
        },
    )
    .unwrap();
    assert_eq!(w.a.case(case).unwrap().placement.len(), 1);
    assert!(w.a.conflicts(case).unwrap().is_empty());
}

#[test]
fn shelters_placement_steps_follow_the_rules() {
    let w = world(2);
    let case = w.a.create_case(intake("SYN-R")).unwrap();
    let step = |status, reason| Placement {
        request: RequestId::derived("r1"),
        shelter: w.shelter.id,
        shelter_name: w.shelter.name.clone(),
        status,
        people: 1,
        children: 0,
        on: w.a.today(),
        decline_reason: reason,
    };
    let act = |p: Placement| w.a.act(case, CaseAction::RecordPlacement(p));
    assert!(matches!(
        act(step(PlacementStatus::Accepted, None)),
        Err(Error::NotFound(_))
    ));
    act(step(PlacementStatus::Requested, None)).unwrap();
    assert!(act(step(PlacementStatus::Requested, None)).is_err());
    assert!(matches!(
        act(step(PlacementStatus::Departed, None)),
        Err(Error::NotAllowed(_))
    ));
    assert!(matches!(
        act(step(PlacementStatus::Declined, None)),
        Err(Error::Invalid { field, .. }) if field == "placement.decline_reason"
    ));
    act(step(PlacementStatus::Accepted, None)).unwrap();
    let mut other = step(PlacementStatus::Requested, None);
    other.request = RequestId::derived("r2");
    assert!(
        matches!(act(other), Err(Error::NotAllowed(_))),
        "one placement at a time"
    );
    let mut future = step(PlacementStatus::Arrived, None);
    future.on = w.a.today() + Duration::days(1);
    assert!(act(future).is_err());
    // Needs are checked against the group.
    let mut n = needs(2);
    n.validate().unwrap();
    n.children = 1;
    assert!(
        n.validate().is_err(),
        "a child needs the group women_with_children"
    );
    n.group = AcceptedGroup::WomenWithChildren;
    n.validate().unwrap();
    n.children = 2;
    assert!(n.validate().is_err());
    n.group = AcceptedGroup::ChildrenAlone;
    n.validate().unwrap();
    n.people = 0;
    assert!(n.validate().is_err());
}

#[test]
fn shelters_enumerations_have_unique_codes_and_both_labels() {
    let all = enumerations();
    let mut names: Vec<&String> = all.iter().map(|e| &e.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all.len());
    for e in &all {
        let mut codes: Vec<&String> = e.values.iter().map(|v| &v.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), e.values.len(), "{}", e.name);
        assert!(e
            .values
            .iter()
            .all(|v| !v.vi.is_empty() && !v.en.is_empty()));
    }
}

mod fold {
    //! Property: placements fold to the same state in any arrival order.
    use super::*;
    use crate::events::{CaseState, Change, Event, Hlc, MultiWrite};
    use proptest::prelude::*;

    fn placement(k: u8, status: usize) -> Placement {
        Placement {
            request: RequestId::derived(&format!("r{k}")),
            shelter: ShelterId::derived("s"),
            shelter_name: "Synthetic shelter".into(),
            status: PlacementStatus::ALL[status % PlacementStatus::ALL.len()],
            people: 1,
            children: 0,
            on: day(2026, 11, 1),
            decline_reason: None,
        }
    }

    proptest! {
        #[test]
        fn shelters_placements_fold_the_same_in_any_order(
            writes in proptest::collection::vec((0u8..3, 0usize..7, 0u8..3, any::<u64>()), 1..12),
            seed in any::<u64>(),
        ) {
            let case = CaseId([9; 16]);
            let mut events: Vec<Event> = Vec::new();
            for (i, (request, status, device, pick)) in writes.iter().enumerate() {
                let supersedes = events
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (pick >> (j % 64)) & 1 == 1)
                    .map(|(_, e)| e.id)
                    .collect();
                events.push(Event {
                    id: EventId([i as u8 + 1; 16]),
                    case_id: case,
                    hlc: Hlc(1_000 + (i as u64 % 4)),
                    author: DeviceId([*device; 16]),
                    changes: vec![Change::Placement(MultiWrite {
                        value: placement(*request, *status),
                        supersedes,
                    })],
                });
            }
            let in_order = CaseState::fold(case, &events);
            let mut shuffled = events.clone();
            let mut rng = synthetic::Rng::new(seed);
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let reordered = CaseState::fold(case, &shuffled);
            prop_assert_eq!(in_order.placement_values(), reordered.placement_values());
            prop_assert_eq!(in_order.conflicts(), reordered.conflicts());
        }
    }
}
