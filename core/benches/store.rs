//! The encrypted store against plain rusqlite, side by side in one run.
//!
//! All data is synthetic.
//!
//! * `record_incident`: [`App::create_case`] with a full intake (event sealed
//!   with XChaCha20-Poly1305, folded into the case, state and list row sealed,
//!   one immediate transaction, WAL + `synchronous=FULL`), against one
//!   transaction per record that inserts the same number of plaintext bytes
//!   (encoded event + postcard case state + postcard list row):
//!   - `plaintext_one_row`: one row in one table (the issue's baseline);
//!   - `plaintext_same_rows`: the store's own two rows (events + cases, with
//!     the same indexes), to tell encryption and fold apart from schema cost.
//! * `list_10k`: [`App::list_cases`] over 10,000 cases (every list row opened
//!   and decoded), against the same 10,000 `CaseSummary` values as plain
//!   postcard blobs selected in the same order and decoded:
//!   - `plaintext_summary_only`: a table holding only the list rows (the
//!     issue's baseline);
//!   - `plaintext_same_layout`: the store's layout, where each row also holds
//!     the (plaintext) case state blob before the list row.
//!
//! Every database uses the store's pragmas (WAL, `synchronous=FULL`,
//! `secure_delete=ON`, `foreign_keys=ON`) and lives in one temporary
//! directory, so all share one filesystem.
//!
//! Figures measured on 2026-11-29, this machine (2 vCPU VM, virtio disk,
//! `cargo bench`, release profile):
//!
//! ```text
//! FIGURES_PLACEHOLDER
//! ```

use std::hint::black_box;
use std::path::Path;

use binhan_core::app::{App, AppConfig};
use binhan_core::cases::{CaseFilter, CaseIntake, CaseSummary};
use binhan_core::events::{CaseState, Event, Hlc};
use binhan_core::model::{
    AgeGroup, CaseId, Consent, ConsentGiver, ConsentScope, ContactMethod, ContextFlag, DeviceId,
    EthnicGroup, EventId, Incident, Perpetrator, PlaceType, Relationship, RiskAssessment,
    RiskFactor, RiskLevel, ServiceOutcome, ServiceRecord, ServiceType, Sex, Survivor, TimeOfDay,
    ViolenceType, COMMUNES,
};
use binhan_core::vault::{KdfParams, VaultPolicy};
use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rusqlite::{params, Connection};

/// Synthetic PIN for the benchmark.
const PIN: &str = "274916";

/// Cases in the listing benchmark.
const LIST_CASES: usize = 10_000;

/// Events per transaction when filling the listing vault.
const FILL_BATCH: usize = 500;

/// 2026-11-15 03:00 UTC, 10:00 in Vietnam: a fixed "now" so the synthetic
/// dates are always valid.
fn fixed_wall() -> u64 {
    1_794_711_600_000
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 15).expect("valid date")
}

fn config() -> AppConfig {
    AppConfig {
        policy: VaultPolicy::default(),
        // Unlock cost is not measured here: the floor parameters keep setup short.
        kdf: KdfParams::new(47_104, 1, 1).expect("floor parameters"),
        platform_key: None,
        wall_clock: fixed_wall,
    }
}

/// A synthetic account in the survivor's words, a few hundred bytes of
/// Vietnamese text (multi-byte UTF-8), varied by `i`.
fn account(i: usize) -> String {
    format!(
        "Dữ liệu tổng hợp (synthetic) số {i}. Chị kể rằng tối hôm đó người chồng đi uống rượu \
         về, to tiếng rồi đánh chị vào tay và vai khi chị đang nấu cơm cho các con. Hàng xóm \
         nghe tiếng khóc nhưng không ai sang. Sáng hôm sau chị đi bộ ra trạm y tế xã để khám, \
         rồi gặp cộng tác viên ở nhà văn hoá bản. Chị lo sợ nếu người nhà chồng biết chị đã kể \
         thì sẽ bị đuổi khỏi nhà. Chị muốn được tư vấn pháp lý và một nơi an toàn cho mình \
         và hai con trong vài ngày tới."
    )
}

fn pick<T: Copy>(options: &[T], i: usize) -> T {
    options[i % options.len()]
}

/// A realistic intake: every survivor and incident field a collaborator
/// usually fills in, a risk assessment, two consents and a referral.
fn intake(i: usize) -> CaseIntake {
    let today = today();
    let incident_day = today
        .checked_sub_days(Days::new(1 + (i % 90) as u64))
        .expect("date in range");
    let reported_on = incident_day
        .checked_add_days(Days::new((i % 4) as u64))
        .expect("date in range")
        .min(today);
    let commune = COMMUNES[i % COMMUNES.len()].code.to_string();
    let age = 9 + (i * 7 % 45) as u8;
    let student = age < 18;
    let provider = "Trạm y tế xã (synthetic)".to_string();
    CaseIntake {
        survivor: Survivor {
            code: format!("SYN-{i:05}"),
            name: Some(format!("Người tổng hợp {i}")),
            sex: pick(&[Sex::Female, Sex::Female, Sex::Female, Sex::Male], i),
            age_years: Some(age),
            age_estimated: i % 3 == 0,
            ethnic_group: Some(pick(
                &[
                    EthnicGroup::Mong,
                    EthnicGroup::Thai,
                    EthnicGroup::Dao,
                    EthnicGroup::HaNhi,
                ],
                i,
            )),
            disability: Some(i % 11 == 0),
            migrant_worker: Some(!student && i % 5 == 0),
            student: Some(student),
            school: student.then(|| "Trường THCS bán trú (synthetic)".to_string()),
            commune: commune.clone(),
            village: Some(format!("Bản tổng hợp {}", i % 40)),
            contact_method: Some(pick(
                &[ContactMethod::TrustedPerson, ContactMethod::InPerson],
                i,
            )),
            contact_time: Some("sáng thứ Hai đến thứ Sáu, khi chồng đi làm nương".into()),
            ..Survivor::default()
        },
        incident: Incident {
            date: incident_day,
            time_of_day: pick(&[TimeOfDay::EveningNight, TimeOfDay::Afternoon], i),
            place_type: pick(&[PlaceType::SurvivorHome, PlaceType::FieldForest], i),
            commune,
            account: Some(account(i)),
            violence_type: pick(
                &[
                    ViolenceType::PhysicalAssault,
                    ViolenceType::PsychologicalAbuse,
                    ViolenceType::SexualAssault,
                    ViolenceType::DenialOfResources,
                    ViolenceType::ForcedMarriage,
                    ViolenceType::Rape,
                ],
                i,
            ),
            contexts: vec![ContextFlag::IntimatePartnerFamily],
            perpetrators: vec![Perpetrator {
                sex: Sex::Male,
                age_group: AgeGroup::Age26To40,
                relationship: Relationship::IntimatePartner,
            }],
            reported_elsewhere: Some(false),
            previous_incidents: Some(i % 2 == 0),
            reported_on,
        },
        risk: Some(RiskAssessment {
            level: pick(&[RiskLevel::Low, RiskLevel::Medium, RiskLevel::High], i),
            factors: vec![RiskFactor::LivesWithPerpetrator, RiskFactor::SubstanceUse],
            assessed_on: reported_on,
        }),
        safety_plan: None,
        consents: vec![
            Consent {
                scope: ConsentScope::Statistics,
                granted: true,
                given_by: ConsentGiver::Survivor,
            },
            Consent {
                scope: ConsentScope::Service {
                    service: ServiceType::Health,
                    recipient: provider.clone(),
                },
                granted: true,
                given_by: ConsentGiver::Survivor,
            },
        ],
        services: vec![ServiceRecord {
            service: ServiceType::Health,
            outcome: ServiceOutcome::Referred,
            date: reported_on,
            provider: Some(provider),
            note: None,
        }],
        next_follow_up: (i % 5 != 0).then(|| {
            today
                .checked_add_days(Days::new((i % 21) as u64))
                .expect("date in range")
        }),
    }
}

/// The first event of a new case made on another device, as `create_case`
/// would have made it there.
fn first_event(i: usize, author: DeviceId, hlc: Hlc) -> Event {
    Event {
        id: EventId::random(),
        case_id: CaseId::random(),
        hlc,
        author,
        changes: intake(i).into_changes(today()).expect("valid intake"),
    }
}

/// Plaintext bytes the store seals for one new case: the encoded event, the
/// case state and the list row.
struct RecordBytes {
    event: Vec<u8>,
    state: Vec<u8>,
    summary: Vec<u8>,
}

impl RecordBytes {
    fn of(event: &Event) -> Self {
        let mut state = CaseState::new(event.case_id);
        state.apply(event);
        Self {
            event: event.encode(),
            state: postcard::to_allocvec(&state).expect("encode state"),
            summary: postcard::to_allocvec(&CaseSummary::of(&state)).expect("encode summary"),
        }
    }

    fn total(&self) -> usize {
        self.event.len() + self.state.len() + self.summary.len()
    }
}

/// A plain database with the store's pragmas.
fn plain_db(path: &Path, schema: &str) -> Connection {
    let conn = Connection::open(path).expect("open plain database");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("synchronous");
    conn.pragma_update(None, "secure_delete", "ON")
        .expect("secure_delete");
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("foreign_keys");
    conn.execute_batch(schema).expect("schema");
    conn
}

/// The store's tables for events and cases (migration 1 and 2), plaintext.
const STORE_LAYOUT: &str = "
    CREATE TABLE events (
        id      BLOB PRIMARY KEY,
        case_id BLOB NOT NULL,
        hlc     INTEGER NOT NULL,
        author  BLOB NOT NULL,
        size    INTEGER NOT NULL,
        body    BLOB NOT NULL,
        pushed  INTEGER NOT NULL DEFAULT 0,
        seq     INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX events_by_case ON events (case_id, hlc);
    CREATE INDEX events_unpushed ON events (pushed, hlc);
    CREATE TABLE cases (
        id            BLOB PRIMARY KEY,
        last_activity INTEGER NOT NULL,
        state         BLOB NOT NULL,
        summary       BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX cases_by_activity ON cases (last_activity DESC);";

/// Sum of the sealed blob sizes the store wrote for its only case.
fn stored_bytes(vault_db: &Path) -> (i64, i64, i64) {
    let conn = Connection::open(vault_db).expect("open vault database");
    conn.query_row(
        "SELECT (SELECT sum(length(body)) FROM events),
                (SELECT sum(length(state)) FROM cases),
                (SELECT sum(length(summary)) FROM cases)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("sizes")
}

fn record_incident(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");

    // Size of one record as the store writes it, from a vault of its own.
    let probe_dir = dir.path().join("probe");
    let probe = App::create(&probe_dir, PIN, config()).expect("create vault");
    probe.create_case(intake(7)).expect("create case");
    let (event_sealed, state_sealed, summary_sealed) =
        stored_bytes(&probe_dir.join(binhan_core::store::DATABASE_FILE));
    drop(probe);
    let plain = RecordBytes::of(&first_event(7, DeviceId::random(), Hlc::from_wall_ms(1)));
    let overhead = binhan_core::crypto::SEAL_OVERHEAD;
    eprintln!(
        "record: plaintext {} B (event {} + state {} + summary {}); stored sealed \
         {} B (event {event_sealed} + state {state_sealed} + summary {summary_sealed}, \
         {overhead} B seal overhead each)",
        plain.total(),
        plain.event.len(),
        plain.state.len(),
        plain.summary.len(),
        event_sealed + state_sealed + summary_sealed,
    );
    let one_blob: Vec<u8> = [&plain.event[..], &plain.state, &plain.summary].concat();

    let app = App::create(&dir.path().join("vault"), PIN, config()).expect("create vault");
    let one_row = plain_db(
        &dir.path().join("plain_one_row.db"),
        "CREATE TABLE records (id BLOB PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;",
    );
    let mut same_rows = plain_db(&dir.path().join("plain_same_rows.db"), STORE_LAYOUT);

    let mut group = c.benchmark_group("record_incident");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(8));

    let form = intake(7);
    group.bench_function("encrypted_app_create_case", |b| {
        b.iter_batched(
            || form.clone(),
            |form| black_box(app.create_case(form).expect("create case")),
            BatchSize::SmallInput,
        )
    });

    group.bench_function("plaintext_one_row", |b| {
        let mut stmt = one_row
            .prepare_cached("INSERT INTO records (id, body) VALUES (?1, ?2)")
            .expect("prepare");
        b.iter(|| {
            one_row.execute_batch("BEGIN IMMEDIATE").expect("begin");
            stmt.execute(params![EventId::random().as_bytes().as_slice(), &one_blob])
                .expect("insert");
            one_row.execute_batch("COMMIT").expect("commit");
        })
    });

    let author = DeviceId::random();
    let mut hlc = Hlc::from_wall_ms(fixed_wall()).0;
    group.bench_function("plaintext_same_rows", |b| {
        b.iter(|| {
            hlc += 1;
            let tx = same_rows
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .expect("begin");
            let case_id = CaseId::random();
            tx.execute(
                "INSERT OR IGNORE INTO events (id, case_id, hlc, author, size, body, pushed, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    EventId::random().as_bytes().as_slice(),
                    case_id.as_bytes().as_slice(),
                    hlc as i64,
                    author.as_bytes().as_slice(),
                    plain.event.len() as i64,
                    &plain.event,
                    false,
                    None::<i64>
                ],
            )
            .expect("insert event");
            tx.execute(
                "INSERT INTO cases (id, last_activity, state, summary) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET last_activity = excluded.last_activity,
                     state = excluded.state, summary = excluded.summary",
                params![
                    case_id.as_bytes().as_slice(),
                    hlc as i64,
                    &plain.state,
                    &plain.summary
                ],
            )
            .expect("insert case");
            tx.commit().expect("commit");
        })
    });
    group.finish();
}

/// Fills a plain database with `rows` in one transaction.
fn fill_plain(conn: &mut Connection, insert: &str, rows: &[(CaseSummary, i64, Vec<u8>)]) {
    let tx = conn.transaction().expect("begin");
    {
        let mut stmt = tx.prepare(insert).expect("prepare");
        for (summary, last_activity, state) in rows {
            let blob = postcard::to_allocvec(summary).expect("encode summary");
            if insert.contains("state") {
                stmt.execute(params![
                    summary.id.as_bytes().as_slice(),
                    last_activity,
                    state,
                    blob
                ])
            } else {
                stmt.execute(params![
                    summary.id.as_bytes().as_slice(),
                    last_activity,
                    blob
                ])
            }
            .expect("insert");
        }
    }
    tx.commit().expect("commit");
}

/// What the plaintext listings do, as `Store::list` and `App::list_cases` do
/// it, without the seal.
fn list_plain(conn: &Connection, filter: &CaseFilter, today: NaiveDate) -> Vec<CaseSummary> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, summary FROM cases WHERE length(summary) > 0
             ORDER BY last_activity DESC, id",
        )
        .expect("prepare");
    let mut rows = stmt.query([]).expect("query");
    let mut listing = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        let raw_id: Vec<u8> = row.get(0).expect("id");
        let Some(_id) = CaseId::from_slice(&raw_id) else {
            continue;
        };
        let blob: Vec<u8> = row.get(1).expect("summary");
        let summary: CaseSummary = postcard::from_bytes(&blob).expect("decode summary");
        listing.push(summary);
    }
    listing
        .into_iter()
        .filter(|row| filter.matches(row, today))
        .collect()
}

fn list_10k(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let vault_dir = dir.path().join("vault");
    let app = App::create(&vault_dir, PIN, config()).expect("create vault");

    // 10,000 cases from three other devices, last activity spread over the
    // past year, merged in batches (one transaction each).
    let started = std::time::Instant::now();
    let devices = [DeviceId::random(), DeviceId::random(), DeviceId::random()];
    let year_ago = fixed_wall() - 365 * 24 * 3600 * 1000;
    let events: Vec<Event> = (0..LIST_CASES)
        .map(|i| {
            let wall = year_ago + (i as u64 * 7_919 % LIST_CASES as u64) * 3_153_600;
            first_event(i, devices[i % devices.len()], Hlc::from_wall_ms(wall))
        })
        .collect();
    let mut states: Vec<(i64, Vec<u8>)> = Vec::with_capacity(LIST_CASES);
    for event in &events {
        let mut state = CaseState::new(event.case_id);
        state.apply(event);
        states.push((
            state.last_activity().0 as i64,
            postcard::to_allocvec(&state).expect("encode state"),
        ));
    }
    for batch in events.chunks(FILL_BATCH) {
        app.merge_events(batch).expect("merge events");
    }
    eprintln!(
        "list: filled {LIST_CASES} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let filter = CaseFilter::default();
    let listed = app.list_cases(&filter).expect("list");
    assert_eq!(listed.cases.len(), LIST_CASES);
    assert!(listed.unreadable.is_empty());

    // The same rows, plaintext, keyed and ordered the same way.
    let by_id: std::collections::HashMap<CaseId, (i64, Vec<u8>)> =
        events.iter().map(|e| e.case_id).zip(states).collect();
    let rows: Vec<(CaseSummary, i64, Vec<u8>)> = listed
        .cases
        .iter()
        .map(|s| {
            let (last_activity, state) = by_id[&s.id].clone();
            (s.clone(), last_activity, state)
        })
        .collect();
    let mut summary_only = plain_db(
        &dir.path().join("plain_summary_only.db"),
        "CREATE TABLE cases (
            id            BLOB PRIMARY KEY,
            last_activity INTEGER NOT NULL,
            summary       BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX cases_by_activity ON cases (last_activity DESC);",
    );
    fill_plain(
        &mut summary_only,
        "INSERT INTO cases (id, last_activity, summary) VALUES (?1, ?2, ?3)",
        &rows,
    );
    let mut same_layout = plain_db(&dir.path().join("plain_same_layout.db"), STORE_LAYOUT);
    fill_plain(
        &mut same_layout,
        "INSERT INTO cases (id, last_activity, state, summary) VALUES (?1, ?2, ?3, ?4)",
        &rows,
    );
    let today = today();
    assert_eq!(list_plain(&summary_only, &filter, today), listed.cases);
    assert_eq!(list_plain(&same_layout, &filter, today), listed.cases);

    let mut group = c.benchmark_group("list_10k");
    group.throughput(Throughput::Elements(LIST_CASES as u64));
    group.sample_size(20);
    group.bench_function("encrypted_app_list_cases", |b| {
        b.iter(|| black_box(app.list_cases(black_box(&filter)).expect("list")))
    });
    group.bench_function("plaintext_summary_only", |b| {
        b.iter(|| black_box(list_plain(&summary_only, black_box(&filter), today)))
    });
    group.bench_function("plaintext_same_layout", |b| {
        b.iter(|| black_box(list_plain(&same_layout, black_box(&filter), today)))
    });
    group.finish();
}

criterion_group!(benches, record_incident, list_10k);
criterion_main!(benches);
