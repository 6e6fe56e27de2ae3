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
