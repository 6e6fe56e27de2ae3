//! The Rust half of the FFI benchmark (`tests/kotlin/bench.sh`): fills a
//! vault with synthetic cases, then times listing them all through the core,
//! exactly as `Vault.listCases` does from Kotlin, and prints the median.
//!
//! `cargo run --release -p binhan-ffi --example list_bench -- DIR [CASES] [ROUNDS]`

use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::CaseFilter;
use binhan_core::vault::{KdfParams, VaultPolicy};
use std::path::Path;
use std::time::Instant;

/// The PIN of the benchmark vault (synthetic).
const PIN: &str = "493817";

fn config() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::new(KdfParams::MIN_MEMORY_KIB, 1, 1).expect("valid parameters"),
        policy: VaultPolicy::default(),
        ..VaultOptions::default()
    }
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: list_bench DIR [CASES] [ROUNDS]")?;
    let cases: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(15);
    let dir = Path::new(&dir);

    let app = if Vault::exists(dir) {
        let app = Vault::open(dir, config())?;
        app.unlock(PIN)?;
        app
    } else {
        let app = Vault::create(dir, PIN, config())?;
        let started = Instant::now();
        binhan_testkit::vault::fill(&app, cases)?;
        eprintln!(
            "populated {cases} synthetic cases in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        app
    };

    let filter = CaseFilter::default();
    let mut samples = Vec::new();
    let mut listed = 0;
    for round in 0..rounds + 3 {
        let started = Instant::now();
        let list = app.list_cases(&filter)?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        listed = list.cases.len();
        if round >= 3 {
            samples.push(ms);
        }
    }
    println!(
        "rust: listed {listed} cases, median {:.1} ms over {rounds} rounds",
        median_ms(samples)
    );
    Ok(())
}
