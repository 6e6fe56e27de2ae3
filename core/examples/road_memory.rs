//! Load time and memory of a synthetic road network of about 200,000 nodes
//! (issue 5: load ≤ 1 s and ≤ 100 MB).
//!
//! Run: `cargo run --release -p binhan-core --example road_memory [-- NODES]`
//!
//! Writes the network file in one process, then starts itself again so the
//! load runs in a fresh process, and prints that process's resident memory
//! (VmRSS, and its peak VmHWM, from /proc/self/status: Linux and Android)
//! before and after loading, the load time, and the time of one search for
//! the 5 nearest of 1,000 synthetic shelters by travel time.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use binhan_core::shelters::{
    AvailabilityBook, RoadNetwork, ShelterDirectory, ShelterFinder, ShelterQuery,
};
use binhan_testkit::shelters as synthetic;

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn load(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let (rss0, hwm0) = (
        status_kib("VmRSS:").unwrap_or(0),
        status_kib("VmHWM:").unwrap_or(0),
    );
    let started = Instant::now();
    let network = RoadNetwork::load(path)?.ok_or("no network file")?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let (rss1, hwm1) = (
        status_kib("VmRSS:").unwrap_or(0),
        status_kib("VmHWM:").unwrap_or(0),
    );
    println!(
        "nodes: {}  edges: {}",
        network.node_count(),
        network.edge_count()
    );
    println!(
        "file:  {:.1} MB",
        std::fs::metadata(path)?.len() as f64 / 1e6
    );
    println!("load time:            {load_ms:.0} ms");
    println!(
        "VmRSS before / after: {rss0} / {rss1} KiB (+{:.1} MiB)",
        (rss1.saturating_sub(rss0)) as f64 / 1024.0
    );
    println!(
        "VmHWM before / after: {hwm0} / {hwm1} KiB (peak {:.1} MiB)",
        hwm1 as f64 / 1024.0
    );

    let now = chrono::DateTime::from_timestamp(1_794_711_600, 0).unwrap_or_default();
    let directory = ShelterDirectory::new(1, now, synthetic::random_shelters(1_000, 2));
    let finder = ShelterFinder::new(
        &directory,
        AvailabilityBook::default(),
        Some(Arc::new(network)),
    );
    let query = ShelterQuery::from(binhan_core::shelters::GeoPoint::new(22.3, 103.2));
    let started = Instant::now();
    let found = finder.nearest(&query, now)?;
    println!(
        "5 nearest by travel time: {:.1} ms ({} listed)",
        started.elapsed().as_secs_f64() * 1e3,
        found.shelters.len()
    );
    println!(
        "VmHWM with 1,000 shelters indexed and one search: {:.1} MiB",
        status_kib("VmHWM:").unwrap_or(0) as f64 / 1024.0
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, file] = args.as_slice() {
        if mode == "--load" {
            return load(Path::new(file));
        }
    }
    let nodes: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("roads.bhrn");
    synthetic::large_network(nodes, 3)?.save(&path)?;
    let status = Command::new(std::env::current_exe()?)
        .arg("--load")
        .arg(&path)
        .status()?;
    if !status.success() {
        return Err(format!("the load process failed: {status}").into());
    }
    Ok(())
}
