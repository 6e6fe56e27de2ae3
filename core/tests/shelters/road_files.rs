//! Road files that are malformed are refused clearly.

use super::*;

#[test]
fn shelters_malformed_road_files_are_refused_clearly() {
    let (_dir, app) = new_app();
    let good = std::fs::read(fixture_dir().join("lai_chau_roads.geojson")).unwrap();
    app.import_road_network(&good).unwrap();
    let held = app.road_network().unwrap().unwrap().to_bytes();
    let pbf = std::fs::read(fixture_dir().join("lai_chau_roads.osm.pbf")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "no_roads"),
        ("garbage", b"\x00\x00\x00\x05hello".to_vec(), "corrupted"),
        ("truncated pbf", pbf[..pbf.len() / 2].to_vec(), "corrupted"),
        ("bad json", b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec(), "bad_json"),
        ("not geojson", b"{\"type\": \"Roads\"}".to_vec(), "bad_geojson"),
        (
            "bare geometry",
            br#"{"type": "LineString", "coordinates": [[103.1, 22.1], [103.2, 22.2]]}"#.to_vec(),
            "wrong_file_kind",
        ),
        (
            "no highway",
            br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "x"},
               "geometry": {"type": "LineString", "coordinates": [[103.1, 22.1], [103.2, 22.2]]}}]}"#
                .to_vec(),
            "no_roads",
        ),
        (
            "latitude out of range",
            br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"highway": "track"},
               "geometry": {"type": "LineString", "coordinates": [[103.1, 122.1], [103.2, 22.2]]}}]}"#
                .to_vec(),
            "bad_coordinates",
        ),
    ];
    for (what, bytes, expected) in cases {
        match app.import_road_network(&bytes) {
            Err(Error::Invalid { field, rule }) => {
                assert_eq!(field, "road_file", "{what}");
                assert_eq!(rule.code(), expected, "{what}: {rule}");
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

#[test]
fn shelters_road_files_keep_named_places_and_drop_unnamed_ones() {
    let (dir, app) = new_app();
    assert!(app.places().unwrap().is_none(), "no road network yet");
    let pbf = std::fs::read(fixture_dir().join("lai_chau_roads.osm.pbf")).unwrap();
    let report = app.import_road_network(&pbf).unwrap();
    let p = province();
    // The synthetic file has an unnamed hamlet and a named island: both left out.
    let named = p
        .places
        .iter()
        .filter(|s| s.tags.iter().any(|(k, _)| *k == "name"))
        .count();
    assert_eq!(report.network.places as usize, named - 1);
    let places = app.places().unwrap().unwrap();
    assert_eq!(places.len(), named - 1);
    assert!(places
        .all()
        .iter()
        .all(|p| p.name.ends_with("(giả lập)") && !p.name.starts_with("Đảo")));
    let kinds: Vec<_> = places.all().iter().map(|p| p.kind).collect();
    for kind in [
        roads::SettlementKind::Village,
        roads::SettlementKind::Hamlet,
        roads::SettlementKind::Town,
    ] {
        assert!(kinds.contains(&kind), "{kind:?}");
    }

    // Typed without accents, in any case.
    let found = places.find("ban na", 10);
    let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Bản Nà Hừ (giả lập)",
            "Bản Nà Khuy (giả lập)",
            "Bản Nậm Đích (giả lập)"
        ]
    );
    let valley = places.find("NA HU", 10);
    assert_eq!(valley.len(), 1);
    assert_eq!(valley[0].name, synthetic::VALLEY_VILLAGE);
    assert_eq!(valley[0].commune.as_deref(), Some("mu_ca"));
    assert!(valley[0].point().distance_m(&p.valley.start) < 1.0);
    assert_eq!(
        places.find("dan dang", 10)[0].commune,
        None,
        "no commune tag, no commune"
    );

    // A format 1 file (before places) still loads, with none.
    use sha2::Digest;
    let path = dir.path().join(ROAD_FILE);
    let bytes = std::fs::read(&path).unwrap();
    let graph_end = bytes.len() - 32 - places_section(&places);
    let mut old = bytes[..graph_end].to_vec();
    old[4..6].copy_from_slice(&1u16.to_le_bytes());
    let digest: [u8; 32] = sha2::Sha256::digest(&old).into();
    old.extend_from_slice(&digest);
    std::fs::write(&path, &old).unwrap();
    let network = app.road_network().unwrap().unwrap();
    assert!(network.places().is_empty());
    assert_eq!(network.summary().nodes, report.network.nodes);
    assert!(app.places().unwrap().unwrap().is_empty());
}

/// Bytes of the places section of a road network file.
fn places_section(places: &roads::Places) -> usize {
    4 + places
        .all()
        .iter()
        .map(|p| 8 + 1 + 1 + p.commune.as_ref().map_or(0, String::len) + 2 + p.name.len())
        .sum::<usize>()
}
