//! Checking a push's 20 event signatures, as the server does: one by one
//! (ZIP 215 rules, and the strict cofactorless check the server used before)
//! against all together in one batch check.

use std::hint::black_box;

use binhan_core::model::DeviceId;
use binhan_core::sync::DeviceIdentity;
use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::{Signature, VerifyingKey};

/// Events in one device's push in the load benchmark.
const PUSH: usize = 20;

fn signatures(c: &mut Criterion) {
    let me = DeviceIdentity::generate(DeviceId::random());
    let public = me.public();
    let verifier = public.verifier().expect("a key");
    let signed: Vec<(Vec<u8>, Vec<u8>)> = (0..PUSH)
        .map(|i| {
            // Synthetic stand-in for an event's signed header and ciphertext.
            let message = vec![i as u8; 400];
            let signature = me.sign(&message);
            (message, signature)
        })
        .collect();
    let strict = VerifyingKey::from_bytes(&public.sign_key).expect("a key");
    let mut group = c.benchmark_group("push_of_20_signatures");
    group.bench_function("strict_one_by_one", |b| {
        b.iter(|| {
            for (message, signature) in &signed {
                let signature = Signature::from_slice(signature).expect("64 bytes");
                strict
                    .verify_strict(black_box(message), &signature)
                    .expect("valid");
            }
        })
    });
    group.bench_function("zip215_one_by_one", |b| {
        b.iter(|| {
            for (message, signature) in &signed {
                verifier
                    .verify(black_box(message), signature)
                    .expect("valid");
            }
        })
    });
    group.bench_function("zip215_together", |b| {
        b.iter(|| {
            verifier
                .verify_all(black_box(&signed).iter().map(|(m, s)| (m, s)))
                .expect("valid")
        })
    });
    group.finish();
}

criterion_group!(benches, signatures);
criterion_main!(benches);
