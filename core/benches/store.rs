//! The encrypted store against plain rusqlite, side by side in one run.
//!
//! All data is synthetic.
//!
//! * `record_incident`: [`Vault::create_case`] with a full intake (event sealed
//!   with XChaCha20-Poly1305, folded into the case, state and list row sealed,
//!   one immediate transaction, WAL + `synchronous=FULL`), against one
//!   transaction per record that inserts the same number of plaintext bytes
//!   (encoded event + postcard case state + postcard list row):
//!   - `plaintext_one_row`: one row in one table (the issue's baseline);
//!   - `plaintext_same_rows`: the store's own two rows (events + cases, same
//!     indexes, same SQL), to tell encryption and fold apart from schema cost.
//! * `list_10k`: [`Vault::list_cases`] over 10,000 cases (every list row opened
//!   and decoded), against the same 10,000 `CaseSummary` values as postcard
//!   blobs, selected with the store's query and decoded:
//!   - `plaintext_summary_only`: a table holding only the list rows (the
//!     issue's baseline);
//!   - `plaintext_same_layout`: the store's layout, where each row also holds
//!     the (plaintext) case state blob, stored before the list row;
//!   - `what_if_sealed_list_table`: list rows sealed as the store seals them,
//!     in a table of their own: what `Store::list` would cost with that layout.
//!
//! Each group runs twice: in wall-clock time (`record_incident`, `list_10k`)
//! and in CPU time of the benchmark thread, user + system (`*_cpu`). Recording
//! waits on fsync, so its wall-clock figures are the ones that count; a
//! listing reads from the page cache, so its CPU time is what it costs on an
//! idle device even when other processes share this machine's two cores.
//!
//! Every database uses the store's pragmas (WAL, `synchronous=FULL`,
//! `secure_delete=ON`, `foreign_keys=ON`) and lives in one temporary
//! directory, so all share one filesystem.
//!
//! `plaintext_same_layout` and `what_if_sealed_list_table` are kept as the
//! record of why the store's layout changed: with the state and the list row
//! in one table, listing walked every state's overflow pages (1.25 s wall,
//! 379 ms CPU for 10,000 cases); the store now keeps list rows in a narrow
//! `case_list` table of their own, read through a separate reader connection.
//!
//! Figures measured on 2026-11-29, this machine (2-vCPU VM, ext4 on a virtio
//! disk, release profile, load average about 5 from other builds), after the
//! layout change; medians:
//!
//! ```text
//! record one incident (4,201 B plaintext; 4,542 B sealed)   wall/record  records/s  CPU/record
//!   encrypted_app_create_case                                5.00 ms      200        0.73 ms
//!   plaintext_one_row                                        4.00 ms      250        0.40 ms
//!   plaintext_same_rows                                      4.02 ms      249        0.75 ms
//!   encrypted / plaintext_one_row throughput                 80 %   (target >= 50 %)
//!
//! list 10,000 cases                                          wall         CPU
//!   encrypted_app_list_cases                                 186 ms       96 ms
//!   plaintext_summary_only                                   118 ms       56 ms
//!   encrypted / plaintext                                    1.57x        1.71x
//!   target: encrypted listing <= 200 ms                      met
//!   (old layout, plaintext_same_layout                       610 ms)
//! ```

use std::hint::black_box;
use std::path::Path;

use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::{CaseFilter, CaseIntake, CaseSummary};
use binhan_core::crypto::{open, seal, Binding, SecretKey};
use binhan_core::events::{CaseState, Event, Hlc};
use binhan_core::model::{
    AgeGroup, CaseId, Consent, ConsentGiver, ConsentScope, ContactMethod, ContextFlag, DeviceId,
    EthnicGroup, EventId, Incident, Perpetrator, PlaceType, Relationship, RiskAssessment,
    RiskFactor, RiskLevel, ServiceOutcome, ServiceRecord, ServiceType, Sex, Survivor, TimeOfDay,
    ViolenceType, COMMUNES,
};
use binhan_testkit::vault::fast_vault;
use chrono::{Days, NaiveDate};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BatchSize, Criterion, SamplingMode, Throughput};
use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::HashMap;
use std::time::Duration;

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

fn config() -> VaultOptions {
    // Unlock cost is not measured here: the floor parameters keep setup short.
    VaultOptions {
        wall_clock: fixed_wall,
        ..fast_vault()
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
                (SELECT sum(length(summary)) FROM case_list)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("sizes")
}

/// CPU time of the calling thread (user + system), which is what a listing
/// costs on an idle phone; wall-clock time on a shared machine also counts
/// the time other processes held the CPU.
struct ThreadCpu;

static WALL_TIME: WallTime = WallTime;

#[cfg(target_os = "linux")]
fn thread_cpu_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: std::os::raw::c_long,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ns() -> u64 {
    // Elsewhere: wall-clock time since the first call.
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = Duration;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, started: u64) -> Duration {
        Duration::from_nanos(thread_cpu_ns().saturating_sub(started))
    }
    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL_TIME.formatter()
    }
}

/// A vault and two plain databases to record into.
struct RecordFixture {
    app: Vault,
    form: CaseIntake,
    one_row: Connection,
    same_rows: Connection,
    plain: RecordBytes,
    one_blob: Vec<u8>,
    author: DeviceId,
    hlc: u64,
}

impl RecordFixture {
    fn new(dir: &Path) -> Self {
        // Size of one record as the store writes it, from a vault of its own.
        let probe_dir = dir.join("probe");
        let probe = Vault::create(&probe_dir, PIN, config()).expect("create vault");
        probe.create_case(intake(7)).expect("create case");
        let (event_sealed, state_sealed, summary_sealed) =
            stored_bytes(&probe_dir.join(binhan_core::store::DATABASE_FILE));
        drop(probe);
        let plain = RecordBytes::of(&first_event(7, DeviceId::random(), Hlc::from_wall_ms(1)));
        eprintln!(
            "record: plaintext {} B (event {} + state {} + summary {}); stored sealed \
             {} B (event {event_sealed} + state {state_sealed} + summary {summary_sealed}, \
             {} B seal overhead each)",
            plain.total(),
            plain.event.len(),
            plain.state.len(),
            plain.summary.len(),
            event_sealed + state_sealed + summary_sealed,
            binhan_core::crypto::SEAL_OVERHEAD,
        );
        let one_blob = [&plain.event[..], &plain.state, &plain.summary].concat();
        Self {
            app: Vault::create(&dir.join("vault"), PIN, config()).expect("create vault"),
            form: intake(7),
            one_row: plain_db(
                &dir.join("plain_one_row.db"),
                "CREATE TABLE records (id BLOB PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;",
            ),
            same_rows: plain_db(&dir.join("plain_same_rows.db"), STORE_LAYOUT),
            plain,
            one_blob,
            author: DeviceId::random(),
            hlc: Hlc::from_wall_ms(fixed_wall()).0,
        }
    }

    /// One plaintext record in the store's own two rows, with the SQL the
    /// store runs, one immediate transaction.
    fn insert_same_rows(&mut self) {
        self.hlc += 1;
        let tx = self
            .same_rows
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .expect("begin");
        let case_id = CaseId::random();
        tx.execute(
            "INSERT OR IGNORE INTO events (id, case_id, hlc, author, size, body, pushed, seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                EventId::random().as_bytes().as_slice(),
                case_id.as_bytes().as_slice(),
                self.hlc as i64,
                self.author.as_bytes().as_slice(),
                self.plain.event.len() as i64,
                &self.plain.event,
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
                self.hlc as i64,
                &self.plain.state,
                &self.plain.summary
            ],
        )
        .expect("insert case");
        tx.commit().expect("commit");
    }
}

/// `budget`: warm-up and measurement time, in the group's measurement.
fn record_incident<M: Measurement>(
    c: &mut Criterion<M>,
    name: &str,
    fx: &mut RecordFixture,
    budget: (Duration, Duration),
) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.warm_up_time(budget.0);
    group.measurement_time(budget.1);

    group.bench_function("encrypted_app_create_case", |b| {
        b.iter_batched(
            || fx.form.clone(),
            |form| black_box(fx.app.create_case(form).expect("create case")),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("plaintext_one_row", |b| {
        let mut stmt = fx
            .one_row
            .prepare_cached("INSERT INTO records (id, body) VALUES (?1, ?2)")
            .expect("prepare");
        b.iter(|| {
            fx.one_row.execute_batch("BEGIN IMMEDIATE").expect("begin");
            stmt.execute(params![
                EventId::random().as_bytes().as_slice(),
                &fx.one_blob
            ])
            .expect("insert");
            fx.one_row.execute_batch("COMMIT").expect("commit");
        })
    });
    group.bench_function("plaintext_same_rows", |b| b.iter(|| fx.insert_same_rows()));
    group.finish();
}

/// A vault of 10,000 cases and the same list rows in plain databases.
struct ListFixture {
    app: Vault,
    filter: CaseFilter,
    summary_only: Connection,
    same_layout: Connection,
    sealed_table: Connection,
    key: SecretKey,
}

/// The list query of `Store::list`.
const LIST_SQL: &str = "SELECT id, summary FROM cases WHERE length(summary) > 0
     ORDER BY last_activity DESC, id";

impl ListFixture {
    fn new(dir: &Path) -> Self {
        let app = Vault::create(&dir.join("list_vault"), PIN, config()).expect("create vault");

        // 10,000 cases from three other devices, last activity spread over
        // the past year, merged in batches (one transaction each).
        let started = std::time::Instant::now();
        let devices = [DeviceId::random(), DeviceId::random(), DeviceId::random()];
        let year_ago = fixed_wall() - 365 * 24 * 3600 * 1000;
        let events: Vec<Event> = (0..LIST_CASES)
            .map(|i| {
                let wall = year_ago + (i as u64 * 7_919 % LIST_CASES as u64) * 3_153_600;
                first_event(i, devices[i % devices.len()], Hlc::from_wall_ms(wall))
            })
            .collect();
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

        // The same rows, keyed and ordered the same way.
        let states: HashMap<CaseId, (i64, Vec<u8>)> = events
            .iter()
            .map(|event| {
                let mut state = CaseState::new(event.case_id);
                state.apply(event);
                let blob = postcard::to_allocvec(&state).expect("encode state");
                (event.case_id, (state.last_activity().0 as i64, blob))
            })
            .collect();
        let key = SecretKey::random();
        let mut summary_only = plain_db(&dir.join("plain_summary_only.db"), LIST_TABLE);
        let mut same_layout = plain_db(&dir.join("plain_same_layout.db"), STORE_LAYOUT);
        let mut sealed_table = plain_db(&dir.join("sealed_list_table.db"), LIST_TABLE);
        for (conn, with_state, sealed) in [
            (&mut summary_only, false, false),
            (&mut same_layout, true, false),
            (&mut sealed_table, false, true),
        ] {
            let tx = conn.transaction().expect("begin");
            for summary in &listed.cases {
                let (last_activity, state) = &states[&summary.id];
                let row = summary.id.as_bytes();
                let mut blob = postcard::to_allocvec(summary).expect("encode summary");
                if sealed {
                    blob = seal(&key, binding(row), &blob);
                }
                if with_state {
                    tx.execute(
                        "INSERT INTO cases (id, last_activity, state, summary)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![row.as_slice(), last_activity, state, blob],
                    )
                } else {
                    tx.execute(
                        "INSERT INTO cases (id, last_activity, summary) VALUES (?1, ?2, ?3)",
                        params![row.as_slice(), last_activity, blob],
                    )
                }
                .expect("insert");
            }
            tx.commit().expect("commit");
        }
        let fx = Self {
            app,
            filter,
            summary_only,
            same_layout,
            sealed_table,
            key,
        };
        assert_eq!(fx.list_plain(&fx.summary_only), listed.cases);
        assert_eq!(fx.list_plain(&fx.same_layout), listed.cases);
        assert_eq!(fx.list_sealed(), listed.cases);
        fx
    }

    /// `Store::list` and `Vault::list_cases` without the seal.
    fn list_plain(&self, conn: &Connection) -> Vec<CaseSummary> {
        self.list_with(conn, |_, blob| {
            postcard::from_bytes(blob).expect("decode summary")
        })
    }

    /// `Store::list` and `Vault::list_cases` over a table of sealed list rows
    /// alone.
    fn list_sealed(&self) -> Vec<CaseSummary> {
        self.list_with(&self.sealed_table, |id, sealed| {
            let bytes = open(&self.key, binding(id.as_bytes()), sealed).expect("open");
            postcard::from_bytes(&bytes).expect("decode summary")
        })
    }

    fn list_with(
        &self,
        conn: &Connection,
        decode: impl Fn(CaseId, &[u8]) -> CaseSummary,
    ) -> Vec<CaseSummary> {
        let mut stmt = conn.prepare_cached(LIST_SQL).expect("prepare");
        let mut rows = stmt.query([]).expect("query");
        let mut listing = Vec::new();
        while let Some(row) = rows.next().expect("row") {
            let raw_id: Vec<u8> = row.get(0).expect("id");
            let Some(id) = CaseId::from_slice(&raw_id) else {
                continue;
            };
            let blob: Vec<u8> = row.get(1).expect("summary");
            listing.push(decode(id, &blob));
        }
        let today = today();
        listing
            .into_iter()
            .filter(|row| self.filter.matches(row, today))
            .collect()
    }
}

/// A table of list rows alone.
const LIST_TABLE: &str = "
    CREATE TABLE cases (
        id            BLOB PRIMARY KEY,
        last_activity INTEGER NOT NULL,
        summary       BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX cases_by_activity ON cases (last_activity DESC);";

fn binding(row: &[u8]) -> Binding<'_> {
    Binding {
        table: "cases",
        row,
        field: "summary",
    }
}

fn list_10k<M: Measurement>(c: &mut Criterion<M>, name: &str, fx: &ListFixture) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(LIST_CASES as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("encrypted_app_list_cases", |b| {
        b.iter(|| black_box(fx.app.list_cases(black_box(&fx.filter)).expect("list")))
    });
    group.bench_function("plaintext_summary_only", |b| {
        b.iter(|| black_box(fx.list_plain(&fx.summary_only)))
    });
    group.bench_function("plaintext_same_layout", |b| {
        b.iter(|| black_box(fx.list_plain(&fx.same_layout)))
    });
    group.bench_function("what_if_sealed_list_table", |b| {
        b.iter(|| black_box(fx.list_sealed()))
    });
    group.finish();
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut wall = Criterion::default().configure_from_args();
    let mut cpu = Criterion::default()
        .with_measurement(ThreadCpu)
        .configure_from_args();

    let mut record = RecordFixture::new(dir.path());
    // A record costs about an eighth of its wall-clock time in CPU time.
    let seconds = |s: f64| Duration::from_secs_f64(s);
    record_incident(
        &mut wall,
        "record_incident",
        &mut record,
        (seconds(2.0), seconds(6.0)),
    );
    record_incident(
        &mut cpu,
        "record_incident_cpu",
        &mut record,
        (seconds(0.3), seconds(2.0)),
    );
    drop(record);

    let list = ListFixture::new(dir.path());
    list_10k(&mut wall, "list_10k", &list);
    list_10k(&mut cpu, "list_10k_cpu", &list);

    wall.final_summary();
}
