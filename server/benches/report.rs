//! The annual report, through the real storage and as pure computation.
//!
//! - `storage/sqlite/100k` and `storage/postgres/100k`: what
//!   `POST /v1/reports` does, over 100,000 statistical records of the
//!   report year and 100,000 of the year before stored through
//!   `Storage::push_stats`: stream the records from the database into the
//!   report builder, read the registries, run disclosure control with its
//!   integer audit and write the workbook. PostgreSQL runs when
//!   `BINHAN_BENCH_POSTGRES_URL` holds an admin URL (e.g. from
//!   `BINHAN_TEST_PG_FSYNC=on tests/postgres`); a fresh database is made on
//!   it.
//! - `report/100k`: the computation alone, records decoded from their
//!   binary encoding one by one as a storage read would stream them.
//! - `report/1k_sparse`: a small province year (1,000 and 800 records), where
//!   most cells are small and disclosure control does the most work.
//! - `export/xlsx` and `export/csv`: writing the 100k report.
//!
//! All records are synthetic.

use std::hint::black_box;

use binhan_core::stats::{StatRecord, StatUpdate};
use binhan_report::{synthetic, to_csv, to_xlsx, Registries, ReportBuilder, ReportConfig};
use binhan_server::storage::{SqlStorage, Storage};
use binhan_testkit::stats;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

/// Environment variable with the admin URL of a PostgreSQL cluster.
const POSTGRES_ENV: &str = "BINHAN_BENCH_POSTGRES_URL";
/// Records of the report year (and as many of the year before).
const RECORDS: usize = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
}

fn records(now: usize, before: usize) -> Vec<StatRecord> {
    stats::records(7, 2026, now)
        .into_iter()
        .chain(stats::records(8, 2025, before))
        .collect()
}

fn report(rows: &[Vec<u8>]) -> binhan_report::AnnualReport {
    let registries = synthetic::registries(9, 2026);
    let mut builder = ReportBuilder::new(binhan_core::stats::ReportPeriod::of(2026));
    for row in rows {
        if let Ok(record) = StatRecord::decode(row) {
            builder.add(&record);
        }
    }
    builder.finish(&registries, &ReportConfig::default(), today())
}

/// A storage holding the 100k + 100k records and the synthetic registries.
async fn filled(storage: SqlStorage) -> SqlStorage {
    let started = std::time::Instant::now();
    let updates: Vec<StatUpdate> = records(RECORDS, RECORDS)
        .into_iter()
        .map(StatUpdate::Record)
        .collect();
    for batch in updates.chunks(5_000) {
        storage
            .push_stats(batch.to_vec())
            .await
            .expect("records stored");
    }
    storage
        .record_registries(synthetic::registries(9, 2026).programme)
        .await
        .expect("registries stored");
    eprintln!(
        "stored {} records in {:.1} s",
        updates.len(),
        started.elapsed().as_secs_f64()
    );
    storage
}

/// The report as the endpoint makes it, from storage to workbook bytes.
async fn stored_report(storage: &SqlStorage) -> usize {
    let mut builder = ReportBuilder::new(binhan_core::stats::ReportPeriod::of(2026));
    storage
        .tally_stats(&mut builder)
        .await
        .expect("records read");
    let registries = Registries {
        programme: storage.registries().await.expect("registries"),
        shelters: Vec::new(),
        school_use: storage.school_use().await.expect("school use"),
    };
    let report = builder.finish(&registries, &ReportConfig::default(), today());
    to_xlsx(&report).map(|v| v.len()).unwrap_or(0)
}

async fn postgres() -> Option<SqlStorage> {
    use sqlx::Connection;
    let admin = std::env::var(POSTGRES_ENV).ok()?;
    let name = format!("binhan_bench_report_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .ok()?;
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    SqlStorage::connect(&format!("{base}/{name}")).await.ok()
}

fn storage_benches(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sqlite = rt.block_on(async {
        filled(SqlStorage::open_folder(dir.path()).await.expect("sqlite")).await
    });
    c.bench_function("storage/sqlite/100k", |b| {
        b.iter(|| black_box(rt.block_on(stored_report(&sqlite))))
    });
    match rt.block_on(postgres()) {
        Some(storage) => {
            let pg = rt.block_on(filled(storage));
            c.bench_function("storage/postgres/100k", |b| {
                b.iter(|| black_box(rt.block_on(stored_report(&pg))))
            });
        }
        None => eprintln!("{POSTGRES_ENV} is not set or unreachable: PostgreSQL skipped"),
    }
}

fn computation_benches(c: &mut Criterion) {
    let encode = |all: Vec<StatRecord>| all.iter().map(StatRecord::encode).collect::<Vec<_>>();
    let big = encode(records(RECORDS, RECORDS));
    let sparse = encode(records(1_000, 800));
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
    targets = storage_benches, computation_benches
}
criterion_main!(report_benches);
