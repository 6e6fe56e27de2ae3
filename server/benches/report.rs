//! The annual report where the office's key is, from sealed statistics.
//!
//! - `sealed/sqlite/100k` and `sealed/postgres/100k`: what the officer's
//!   phone does (without HTTP), over 100,000 statistical records of the
//!   report year and 100,000 of the year before, sealed to the office's key
//!   by devices in pushes of 2,000 and stored through
//!   `Storage::push_stats`: page the sealed rows out of the database, open
//!   each with the office's key, keep each case's newest, count, run
//!   disclosure control with its integer audit and write the workbook.
//!   PostgreSQL runs when `BINHAN_BENCH_POSTGRES_URL` holds an admin URL
//!   (e.g. from `BINHAN_TEST_PG_FSYNC=on tests/postgres`); a fresh database
//!   is made on it.
//! - `open/100k`: opening the 200,000 sealed rows alone (on every core).
//! - `report/100k`: the computation alone, from opened records.
//! - `report/1k_sparse`: a small province year (1,000 and 800 records), where
//!   most cells are small and disclosure control does the most work.
//! - `export/xlsx` and `export/csv`: writing the 100k report.
//!
//! All records are synthetic.

use std::hint::black_box;

use binhan_core::shelters::ProvincialSigner;
use binhan_core::stats::sealed::{
    newest_records, open_all, OfficeKey, OfficeSecret, SealedStat, Sealer, StatSlot,
};
use binhan_core::stats::{StatRecord, StatUpdate};
use binhan_core::sync::wire::MAX_SEALED_PAGE;
use binhan_report::{synthetic, to_csv, to_xlsx, ReportBuilder, ReportConfig};
use binhan_server::storage::{SqlStorage, Storage};
use binhan_testkit::stats;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

/// Environment variable with the admin URL of a PostgreSQL cluster.
const POSTGRES_ENV: &str = "BINHAN_BENCH_POSTGRES_URL";
/// Records of the report year (and as many of the year before).
const RECORDS: usize = 100_000;
/// Rows a device seals in one push.
const PUSH: usize = 2_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
}

fn records(now: usize, before: usize) -> Vec<StatRecord> {
    stats::records(7, 2026, now)
        .into_iter()
        .chain(stats::records(8, 2025, before))
        .collect()
}

fn office() -> ProvincialSigner {
    ProvincialSigner::from_seed([11; 32])
}

/// `records` sealed as devices seal them, one ephemeral key per push.
fn sealed(records: Vec<StatRecord>) -> Vec<SealedStat> {
    let signer = office();
    let published = OfficeKey::publish(&signer).expect("office key");
    let key = OfficeKey::verify(&published, &signer.public_key()).expect("office key checks");
    let mut rows = Vec::with_capacity(records.len());
    for (p, push) in records.chunks(PUSH).enumerate() {
        let sealer = Sealer::new(&key).expect("sealer");
        for (i, record) in push.iter().enumerate() {
            let n = (p * PUSH + i) as u128;
            let slot = StatSlot(n.to_le_bytes());
            rows.push(
                sealer
                    .seal(slot, &StatUpdate::Record(record.clone()))
                    .expect("sealed"),
            );
        }
    }
    rows
}

fn opened(rows: &[SealedStat]) -> Vec<StatRecord> {
    let secret = OfficeSecret::of(&office());
    newest_records(open_all(&secret, rows).updates)
}

fn report(records: &[StatRecord]) -> binhan_report::AnnualReport {
    let registries = synthetic::registries(9, 2026);
    let mut builder = ReportBuilder::new(binhan_core::stats::ReportPeriod::of(2026));
    builder.extend(records);
    builder.finish(&registries, &ReportConfig::default(), today())
}

/// A storage holding the 100k + 100k sealed rows.
async fn filled(storage: SqlStorage, rows: &[SealedStat]) -> SqlStorage {
    let started = std::time::Instant::now();
    for batch in rows.chunks(PUSH) {
        storage
            .push_stats(batch.to_vec())
            .await
            .expect("rows stored");
    }
    eprintln!(
        "stored {} sealed rows in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    storage
}

/// The report as the officer's phone makes it, from storage to workbook
/// bytes.
async fn stored_report(storage: &SqlStorage) -> usize {
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let (page, more) = storage
            .sealed_stats(after, MAX_SEALED_PAGE)
            .await
            .expect("rows read");
        after = page.last().map(|r| r.slot);
        rows.extend(page);
        if !more {
            break;
        }
    }
    let done = report(&opened(&rows));
    to_xlsx(&done).map(|v| v.len()).unwrap_or(0)
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
    let rows = sealed(records(RECORDS, RECORDS));
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sqlite = rt.block_on(async {
        filled(
            SqlStorage::open_folder(dir.path()).await.expect("sqlite"),
            &rows,
        )
        .await
    });
    c.bench_function("sealed/sqlite/100k", |b| {
        b.iter(|| black_box(rt.block_on(stored_report(&sqlite))))
    });
    match rt.block_on(postgres()) {
        Some(storage) => {
            let pg = rt.block_on(filled(storage, &rows));
            c.bench_function("sealed/postgres/100k", |b| {
                b.iter(|| black_box(rt.block_on(stored_report(&pg))))
            });
        }
        None => eprintln!("{POSTGRES_ENV} is not set or unreachable: PostgreSQL skipped"),
    }
}

fn computation_benches(c: &mut Criterion) {
    let big = records(RECORDS, RECORDS);
    let rows = sealed(big.clone());
    c.bench_function("open/100k", |b| {
        b.iter(|| black_box(opened(black_box(&rows)).len()))
    });
    let sparse = records(1_000, 800);
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
