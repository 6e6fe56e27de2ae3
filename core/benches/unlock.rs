//! Time of one unlock with the default Argon2id parameters (64 MiB, t=3, p=1).
//!
//! An unlock is one derivation plus two synced writes of the key file (the
//! attempt is counted before the derivation and cleared after it).

use std::hint::black_box;

use binhan_core::vault::{KdfParams, KeyVault, VaultPolicy};
use criterion::{criterion_group, criterion_main, Criterion};

/// Synthetic PIN for the benchmark.
const PIN: &str = "274916";

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (vault, _) = KeyVault::create(
        dir.path(),
        PIN,
        VaultPolicy::default(),
        KdfParams::default(),
        None,
    )
    .expect("create vault");
    c.bench_function("unlock/default_kdf_64MiB_t3_p1", |b| {
        b.iter(|| black_box(vault.unlock(black_box(PIN)).expect("unlock")))
    });

    let dir = tempfile::tempdir().expect("temporary directory");
    let floor = KdfParams::new(KdfParams::MIN_MEMORY_KIB, 1, 1).expect("floor parameters");
    let (vault, _) = KeyVault::create(dir.path(), PIN, VaultPolicy::default(), floor, None)
        .expect("create vault");
    c.bench_function("unlock/floor_kdf_46MiB_t1_p1", |b| {
        b.iter(|| black_box(vault.unlock(black_box(PIN)).expect("unlock")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = unlock
}
criterion_main!(benches);
