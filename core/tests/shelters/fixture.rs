//! The synthetic fixture: committed files up to date, every kind present,
//! both road formats alike; the enumerations the apps show.

use super::*;

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
