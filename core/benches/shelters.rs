//! Nearest-shelter search (issue 5 targets):
//! - 5 nearest of 10,000 shelters by straight line, from the spatial index,
//!   against a brute-force scan in the same run (target ≤ 100 µs);
//! - a road network of about 200,000 nodes: loading its file (target ≤ 1 s)
//!   and the 5 nearest of 1,000 shelters by travel time (target ≤ 50 ms).
//!   Its memory is measured by `cargo run --release -p binhan-core --example
//!   road_memory`.
//!
//! All shelters and roads are synthetic.

use std::hint::black_box;
use std::sync::Arc;

use binhan_core::shelters::{
    AvailabilityBook, GeoPoint, RoadNetwork, ShelterDirectory, ShelterFinder, ShelterQuery,
};
use binhan_testkit::shelters::{self as synthetic, Rng};
use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_794_711_600, 0).expect("a valid instant")
}

/// 256 query points spread over the province.
fn starts() -> Vec<GeoPoint> {
    let mut rng = Rng::new(5);
    (0..256)
        .map(|_| GeoPoint::new(rng.range(21.8, 22.7), rng.range(102.45, 103.85)))
        .collect()
}

fn straight_line(c: &mut Criterion) {
    let shelters = synthetic::random_shelters(10_000, 1);
    let directory = ShelterDirectory::new(1, now(), shelters);
    let finder = ShelterFinder::new(&directory, AvailabilityBook::default(), None);
    let queries: Vec<ShelterQuery> = starts()
        .into_iter()
        .map(|p| {
            let mut q = ShelterQuery::from(p);
            q.straight_line = true;
            q
        })
        .collect();
    let mut group = c.benchmark_group("shelters_straight_line_5_of_10000");
    let mut i = 0;
    group.bench_function("rtree_index", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(finder.nearest(&queries[i], now()).expect("search"))
        })
    });
    group.bench_function("brute_force_scan", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(finder.nearest_by_scan(&queries[i], now()).expect("search"))
        })
    });
    group.finish();
}

fn road(c: &mut Criterion) {
    let network = synthetic::large_network(200_000, 3).expect("synthetic network");
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("roads.bhrn");
    network.save(&path).expect("save");
    let nodes = network.node_count();
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "road network: {nodes} nodes, {} edges, file {:.1} MB",
        network.edge_count(),
        bytes as f64 / 1e6
    );

    let mut group = c.benchmark_group("shelters_road_200k_nodes");
    group.sample_size(10);
    group.bench_function("load_file", |b| {
        b.iter(|| black_box(RoadNetwork::load(&path).expect("load").expect("present")))
    });

    let shelters = synthetic::random_shelters(1_000, 2);
    let directory = ShelterDirectory::new(1, now(), shelters);
    let finder_roads = Some(Arc::new(network));
    let finder = ShelterFinder::new(
        &directory,
        AvailabilityBook::default(),
        finder_roads.clone(),
    );
    let queries: Vec<ShelterQuery> = starts().into_iter().map(ShelterQuery::from).collect();
    let mut i = 0;
    group.sample_size(50);
    group.bench_function("nearest_5_by_travel_time_of_1000", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(finder.nearest(&queries[i], now()).expect("search"))
        })
    });
    // Worst case: only 5 shelters in the province, so the search settles
    // most of the network before it has them all.
    let few = ShelterDirectory::new(1, now(), synthetic::random_shelters(5, 4));
    let sparse = ShelterFinder::new(&few, AvailabilityBook::default(), finder_roads);
    group.bench_function("nearest_5_by_travel_time_of_5", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(sparse.nearest(&queries[i], now()).expect("search"))
        })
    });
    group.finish();
}

criterion_group!(benches, straight_line, road);
criterion_main!(benches);
