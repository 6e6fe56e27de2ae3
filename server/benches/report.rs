//! The annual report's pure computation (no database): counting the records,
//! disclosure control with its integer audit, and the exports.
//!
//! - `report/100k`: 100,000 statistical records of the report year and
//!   100,000 of the year before, decoded from their binary encoding one by
//!   one as a storage read would stream them, then the whole report.
//! - `report/1k_sparse`: a small province year (1,000 and 800 records), where
//!   most cells are small and disclosure control does the most work.
//! - `export/xlsx` and `export/csv`: writing the 100k report.
//!
//! All records are synthetic.

use std::hint::black_box;

use binhan_core::stats::StatRecord;
use binhan_server::report::{synthetic, to_csv, to_xlsx, ReportBuilder, ReportConfig};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

fn encoded(now: usize, before: usize) -> Vec<Vec<u8>> {
    synthetic::records(7, 2026, now)
        .into_iter()
        .chain(synthetic::records(8, 2025, before))
        .map(|r| r.encode())
        .collect()
}

fn report(rows: &[Vec<u8>]) -> binhan_server::report::AnnualReport {
    let registries = synthetic::registries(9, 2026);
    let mut builder = ReportBuilder::new(2026);
    for row in rows {
        if let Ok(record) = StatRecord::decode(row) {
            builder.add(&record);
        }
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    builder.finish(&registries, &ReportConfig::default(), today)
}

fn benches(c: &mut Criterion) {
    let big = encoded(100_000, 100_000);
    let sparse = encoded(1_000, 800);
    c.bench_function("report/100k", |b| {
        b.iter(|| black_box(report(black_box(&big))))
    });
    c.bench_function("report/1k_sparse", |b| {
        b.iter(|| black_box(report(black_box(&sparse))))
    });
    let done = report(&big);
    c.bench_function("export/xlsx", |b| {
        b.iter(|| black_box(to_xlsx(black_box(&done)).map(|v| v.len()).unwrap_or(0)))
    });
    c.bench_function("export/csv", |b| {
        b.iter(|| black_box(to_csv(black_box(&done)).len()))
    });
}

criterion_group! {
    name = report_benches;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(report_benches);
