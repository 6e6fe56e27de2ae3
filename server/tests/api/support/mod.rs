//! Test support: a real `binhan-server` process on loopback (SQLite or
//! PostgreSQL), and phones (vaults) that enrol with it. Synthetic data only.

mod backend;
pub mod in_process;
pub mod proxy;

use binhan_core::app::Vault;
use binhan_core::cases::{CaseAction, CaseIntake};
use binhan_core::model::{CaseId, Consent, ConsentGiver, ConsentScope, DeviceId, RiskLevel, Role};
use binhan_core::sync::{CancelFlag, SyncReport};
use binhan_testkit::intake::Builder;
use binhan_testkit::vault::fast_vault;
use chrono::NaiveDate;
use std::process::{Child, Command};

pub use backend::Backend;

/// Environment variable with the admin URL of the test PostgreSQL cluster
/// (set by `tests/run`).
pub const POSTGRES_ENV: &str = "BINHAN_TEST_POSTGRES_URL";

impl Backend {
    /// A fresh database on the test cluster.
    pub async fn postgres() -> Self {
        let admin = std::env::var(POSTGRES_ENV).unwrap_or_else(|_| {
            panic!("{POSTGRES_ENV} is not set: run tests/run, which starts a throwaway PostgreSQL cluster")
        });
        Self::postgres_on(&admin, "binhan_test").await
    }

    /// Every byte the database holds, as a dump (for "no case content" checks).
    pub fn dump(&self) -> Vec<u8> {
        match self {
            Self::Sqlite(dir) => {
                let mut all = Vec::new();
                for entry in std::fs::read_dir(dir.path()).unwrap() {
                    all.extend(std::fs::read(entry.unwrap().path()).unwrap());
                }
                all
            }
            Self::Postgres(url) => {
                let output = Command::new(pg_dump())
                    .arg("--dbname")
                    .arg(url)
                    .output()
                    .expect("pg_dump runs");
                assert!(output.status.success(), "pg_dump failed");
                output.stdout
            }
        }
    }
}

fn pg_dump() -> String {
    if let Ok(path) = std::env::var("BINHAN_TEST_PG_DUMP") {
        return path;
    }
    for version in ["17", "16", "15"] {
        let path = format!("/usr/lib/postgresql/{version}/bin/pg_dump");
        if std::path::Path::new(&path).exists() {
            return path;
        }
    }
    "pg_dump".into()
}

/// Rate limits (per device and per address) that no test's syncs reach.
const UNLIMITED: &[&str] = &[
    "--rate-burst",
    "100000",
    "--rate-per-minute",
    "100000",
    "--address-rate-burst",
    "100000",
    "--address-rate-per-minute",
    "100000",
];

/// A running server process, stopped when dropped.
pub struct Server {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The database it runs on.
    pub backend: Backend,
    /// Where its logs go (info level, JSON lines).
    pub log: tempfile::NamedTempFile,
}

impl Server {
    /// Starts `binhan-server serve` on a free loopback port. Its per-device
    /// rate limit is set far above what a test's syncs need, so that a fast
    /// machine cannot turn a test into a rate-limit test (that one sets its
    /// own limits with [`start_with`](Self::start_with)).
    pub fn start(backend: Backend) -> Self {
        Self::start_with(backend, UNLIMITED)
    }

    /// Starts it with extra arguments (e.g. rate limits).
    pub fn start_with(backend: Backend, extra: &[&str]) -> Self {
        Self::start_on(backend, "127.0.0.1:0", extra)
    }

    /// Starts it listening on `listen`, with extra arguments.
    fn start_on(backend: Backend, listen: &str, extra: &[&str]) -> Self {
        let log = tempfile::NamedTempFile::new().unwrap();
        let env = [
            ("RUST_LOG", "info".to_string()),
            ("BINHAN_LOG_FORMAT", "json".to_string()),
        ];
        let (child, url) = backend.serve(listen, extra, &env, log.reopen().unwrap().into());
        Self {
            child,
            url,
            backend,
            log,
        }
    }

    /// Stops this server process, lets `offline` work on its data folder
    /// (SQLite), and starts a new process on the same data and address.
    pub fn restart_with(&mut self, offline: impl FnOnce(&std::path::Path)) {
        let Backend::Sqlite(dir) = &self.backend else {
            panic!("restarting on an edited data folder is for SQLite")
        };
        let _ = self.child.kill();
        let _ = self.child.wait();
        offline(dir.path());
        let address = self.url.trim_start_matches("http://").to_string();
        let backend = std::mem::replace(&mut self.backend, Backend::sqlite());
        *self = Server::start_on(backend, &address, UNLIMITED);
    }

    /// A second process on the same database.
    pub fn another_process(&self) -> Server {
        let backend = match &self.backend {
            Backend::Postgres(url) => Backend::Postgres(url.clone()),
            Backend::Sqlite(_) => panic!("a second process is for PostgreSQL"),
        };
        Server::start(backend)
    }

    /// Everything the server logged so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// A one-time code for the first provincial officer.
    pub fn bootstrap_officer(&self) -> String {
        self.backend.bootstrap_officer()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A phone: a vault in a temporary folder.
pub struct Phone {
    /// The app core.
    pub app: Vault,
    dir: tempfile::TempDir,
}

impl Phone {
    /// A new phone with a vault.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let app = Vault::create(&dir.path().join("vault"), "493817", fast_vault()).unwrap();
        Self { app, dir }
    }

    /// The commune's emergency numbers the phone keeps beside its vault
    /// (what its emergency screen shows before unlocking).
    pub fn emergency_contacts(&self) -> Option<binhan_core::shelters::CommuneContacts> {
        Vault::emergency_contacts_at(&self.dir.path().join("vault"))
    }

    /// A new phone enrolled with `code`.
    pub async fn enrolled(server: &Server, code: &str) -> Self {
        let phone = Self::new();
        phone
            .app
            .enrol(&server.url, code, "synthetic test phone")
            .await
            .unwrap();
        phone
    }

    /// The folder of its vault (to open it again, as another process or
    /// with another clock).
    pub fn vault_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("vault")
    }

    /// Syncs, failing the test on error.
    pub async fn sync(&self) -> SyncReport {
        self.app
            .sync(&|_| {}, &CancelFlag::default())
            .await
            .unwrap()
    }

    /// The survivor of `case` withdraws consent to statistics (on this
    /// phone, until it syncs).
    pub fn withdraw_statistics_consent(&self, case: CaseId) {
        self.app
            .act(
                case,
                CaseAction::RecordConsent(Consent {
                    scope: ConsentScope::Statistics,
                    granted: false,
                    given_by: ConsentGiver::Survivor,
                }),
            )
            .unwrap();
    }

    /// The survivor of `case` agrees (or no longer agrees) to share it
    /// with whoever holds `device` (on this phone, until it syncs).
    pub fn consent_to_member(&self, case: CaseId, device: DeviceId, granted: bool) {
        self.app
            .act(
                case,
                CaseAction::RecordConsent(Consent {
                    scope: ConsentScope::TeamMember {
                        device,
                        label: "synthetic teammate".into(),
                    },
                    granted,
                    given_by: ConsentGiver::Survivor,
                }),
            )
            .unwrap();
    }

    /// Adds `device` to the team of `case` with the survivor's consent.
    pub async fn add_with_consent(&self, case: CaseId, device: DeviceId) {
        self.consent_to_member(case, device, true);
        self.app.add_team_member(case, device).await.unwrap();
    }

    /// Invites a new phone with `role` in `commune` and enrols it.
    pub async fn invite_phone(&self, server: &Server, role: Role, commune: &str) -> Phone {
        let invitation = self.app.invite(role, commune, 24).await.unwrap();
        Phone::enrolled(server, &invitation.code).await
    }
}

impl Phone {
    /// Invites a school counselor of `school` in `commune` and enrols it.
    pub async fn invite_counselor(&self, server: &Server, commune: &str, school: &str) -> Phone {
        let invitation = self
            .app
            .invite_counselor(commune, school, 24)
            .await
            .unwrap();
        Phone::enrolled(server, &invitation.code).await
    }
}

/// An officer, a commune case manager of `commune` and two collaborators.
pub struct Team {
    pub officer: Phone,
    pub manager: Phone,
    pub collaborators: Vec<Phone>,
}

impl Team {
    /// Enrols everyone through the real invitation chain.
    pub async fn enrol(server: &Server, commune: &str, collaborators: usize) -> Self {
        let officer = Phone::enrolled(server, &server.bootstrap_officer()).await;
        let manager = officer
            .invite_phone(server, Role::CommuneCaseManager, commune)
            .await;
        let mut list = Vec::new();
        for _ in 0..collaborators {
            list.push(
                manager
                    .invite_phone(server, Role::Collaborator, commune)
                    .await,
            );
        }
        Self {
            officer,
            manager,
            collaborators: list,
        }
    }
}

impl Team {
    /// The officer's vault keeps the synthetic provincial signing key, and
    /// its sync publishes the office's statistics key, which the team's
    /// phones seal their statistics to.
    pub async fn open_office(&self) {
        self.officer
            .app
            .set_signing_key_seed(&binhan_testkit::shelters::province_seed_hex())
            .unwrap();
        self.officer.sync().await;
    }

    /// The statistics records of `year` the officer's vault opens.
    pub async fn office_records(&self, year: u16) -> Vec<binhan_core::stats::StatRecord> {
        let read = self.officer.app.statistics_records().await.unwrap();
        assert_eq!(read.unreadable, 0, "every sealed row opens");
        read.records
            .into_iter()
            .filter(|r| r.year == year)
            .collect()
    }

    /// Enrols a second commune case manager (invited by the officer).
    pub async fn second_manager(&self, server: &Server, commune: &str) -> Phone {
        self.officer
            .invite_phone(server, Role::CommuneCaseManager, commune)
            .await
    }
}

/// Records `count` synthetic cases on `phone` (codes `{prefix}-{i}`), each
/// with as many notes as make an editor upload a snapshot.
pub fn cases_due_a_snapshot(
    phone: &Phone,
    prefix: &str,
    commune: &str,
    count: usize,
) -> Vec<binhan_core::model::CaseId> {
    (0..count)
        .map(|i| {
            let id = phone
                .app
                .create_case(intake(&format!("{prefix}-{i}"), commune))
                .unwrap();
            for step in 0..binhan_core::sync::SNAPSHOT_AFTER_EVENTS {
                let text = format!("synthetic note {step}");
                let note = binhan_core::model::Note { text };
                phone
                    .app
                    .act(id, binhan_core::cases::CaseAction::AddNote(note))
                    .unwrap();
            }
            id
        })
        .collect()
}

/// A health service delivered on `date`, as a case action.
pub fn health_service_delivered(date: NaiveDate) -> binhan_core::cases::CaseAction {
    use binhan_core::model::{ServiceOutcome, ServiceRecord, ServiceType};
    binhan_core::cases::CaseAction::AddService(ServiceRecord {
        service: ServiceType::Health,
        outcome: ServiceOutcome::Delivered,
        date,
        provider: None,
        note: None,
    })
}

/// A synthetic intake with distinctive words that must never reach the server.
pub fn intake(code: &str, commune: &str) -> CaseIntake {
    let day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    Builder::new(0, day)
        .code(code)
        .commune(commune)
        .name("Quillfeather Zanthoroq")
        .village("Bản Vexmorrow")
        .age(Some(29))
        .account("Synthetic account: glimmerhorn brackwater.")
        .risk(RiskLevel::Medium, day)
        .statistics_consent()
        .build()
}

/// Words written into cases by [`intake`] that the server must never hold.
pub const SECRET_WORDS: &[&str] = &[
    "Quillfeather",
    "Zanthoroq",
    "Vexmorrow",
    "glimmerhorn",
    "brackwater",
];

/// The `Transport` of a test transport that wraps the real one (its field
/// `inner`) and answers every request through its own
/// `async fn handle(&self, path, token, body) -> Result<Vec<u8>>`, to
/// change what a server says on the way.
macro_rules! meddling_transport {
    ($name:ty) => {
        impl binhan_core::sync::Transport for $name {
            fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            fn post_bytes<'a>(
                &'a self,
                path: &'a str,
                token: Option<&'a str>,
                body: Vec<u8>,
            ) -> binhan_core::sync::TransportFuture<'a> {
                Box::pin(self.handle(path, token, body))
            }

            fn counts(&self) -> binhan_core::sync::TrafficCounts {
                self.inner.counts()
            }
        }
    };
}

/// Runs a scenario on SQLite and on PostgreSQL.
macro_rules! on_both_backends {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$scenario(crate::support::Backend::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$scenario(crate::support::Backend::postgres().await).await;
            }
        }
    };
}

/// A device driven by hand, byte by byte, to send what a well-behaved
/// phone never would.
pub struct RawDevice {
    /// Its keys.
    pub identity: binhan_core::sync::DeviceIdentity,
    /// A valid token.
    pub token: String,
    url: String,
    http: reqwest::Client,
}

/// A response: status and body.
pub struct Raw {
    /// HTTP status.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Its `Retry-After` header, in seconds, if it has one.
    pub retry_after: Option<u64>,
}

impl Raw {
    /// The JSON error code of a refusal.
    pub fn error_code(&self) -> String {
        serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Decodes a protocol response.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> T {
        binhan_core::sync::wire::decode(&self.body).expect("a protocol response")
    }
}

impl RawDevice {
    /// Enrols a fresh identity with `code`.
    pub async fn enrol(server: &Server, code: &str) -> Self {
        use binhan_core::sync::wire::{encode, Enrolled};
        let identity =
            binhan_core::sync::DeviceIdentity::generate(binhan_core::model::DeviceId::random());
        let request = binhan_core::sync::enrol_request(&identity, code, "raw test device");
        let http = binhan_core::sync::http_client().unwrap();
        let mut raw = Self {
            identity,
            token: String::new(),
            url: server.url.clone(),
            http,
        };
        let response = raw.post("/v1/enrol", encode(&request), false).await;
        assert_eq!(response.status, 200, "enrol: {}", response.error_code());
        raw.token = response.decode::<Enrolled>().token.token;
        raw
    }

    /// POSTs raw bytes, with the token if `auth`.
    pub async fn post(&self, path: &str, body: Vec<u8>, auth: bool) -> Raw {
        let mut request = self.http.post(format!("{}{path}", self.url)).body(body);
        if auth {
            request = request.bearer_auth(&self.token);
        }
        let response = request.send().await.expect("the server answers");
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.parse().ok());
        Raw {
            retry_after,
            status: response.status().as_u16(),
            body: response.bytes().await.unwrap().to_vec(),
        }
    }
}

/// The wall clock, ms since 1970.
pub fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis() as u64
}

/// A synthetic note by `author` on `case_id` at `wall_ms`.
pub fn note_event(
    author: binhan_core::model::DeviceId,
    case_id: binhan_core::model::CaseId,
    wall_ms: u64,
) -> binhan_core::events::Event {
    use binhan_core::events::{Change, Event, Hlc};
    let hlc = Hlc::from_wall_ms(wall_ms);
    Event {
        id: Event::id_for(author, hlc),
        case_id,
        hlc,
        author,
        changes: vec![Change::NoteAdded(binhan_core::model::Note {
            text: "Synthetic: glimmerhorn".into(),
        })],
    }
}

impl RawDevice {
    /// The signed first team entry of a new case of this device's own with
    /// `others` on its team too, `key` wrapped for each (to the keys the
    /// server lists for them).
    pub async fn team_of_new_case(
        &self,
        case_id: binhan_core::model::CaseId,
        others: &[binhan_core::model::DeviceId],
        key: &binhan_core::crypto::SecretKey,
    ) -> binhan_core::sync::wire::TeamEntry {
        use binhan_core::sync::wire::{encode, DeviceList, DeviceQuery, KeyWrap, TeamEntry};
        let me = self.identity.device_id();
        let query = DeviceQuery {
            ids: others.to_vec(),
            ..DeviceQuery::default()
        };
        let list: DeviceList = self
            .post("/v1/devices/query", encode(&query), true)
            .await
            .decode();
        let wraps = list
            .devices
            .iter()
            .map(|d| KeyWrap {
                recipient: d.public.device_id,
                epoch: 0,
                sealed: binhan_core::sync::wrap_case_key(
                    &self.identity,
                    &d.public,
                    case_id,
                    0,
                    key,
                ),
            })
            .collect();
        let mut entry = TeamEntry {
            id: binhan_core::model::EventId::random(),
            case_id,
            epoch: 0,
            members: [me].into_iter().chain(others.iter().copied()).collect(),
            wraps,
            signer: me,
            signature: vec![],
        };
        binhan_core::sync::sign_team_entry(&self.identity, &mut entry);
        entry
    }

    /// A new case as a (possibly modified) app of this device makes it,
    /// pushed in one request: its first team entry with `others` holding
    /// the key, the creation event of `intake`, then each of `later` as one
    /// more event of this device. The push must be accepted.
    pub async fn push_new_case(
        &self,
        others: &[DeviceId],
        intake: CaseIntake,
        later: Vec<Vec<binhan_core::events::Change>>,
    ) -> CaseId {
        use binhan_core::events::{Event, Hlc};
        use binhan_core::sync::wire::{encode, PushRequest};
        let me = self.identity.device_id();
        let case_id = CaseId::random();
        let key = binhan_core::crypto::SecretKey::random();
        let entry = self.team_of_new_case(case_id, others, &key).await;
        let now = now_ms();
        let created = intake
            .into_changes(chrono::Utc::now().date_naive())
            .unwrap();
        let events: Vec<Event> = std::iter::once(created)
            .chain(later)
            .enumerate()
            .map(|(i, changes)| {
                let hlc = Hlc::from_wall_ms(now + i as u64);
                Event {
                    id: Event::id_for(me, hlc),
                    case_id,
                    hlc,
                    author: me,
                    changes,
                }
            })
            .collect();
        let push = PushRequest {
            team: vec![entry],
            pages: vec![],
            events: events
                .iter()
                .map(|e| binhan_core::sync::seal_event(&self.identity, &key, 0, e))
                .collect(),
            snapshots: vec![],
            bundles: vec![],
        };
        let response = self.post("/v1/sync/push", encode(&push), true).await;
        assert_eq!(response.status, 200, "{}", response.error_code());
        case_id
    }

    /// A new case of this device's own: its signed team entry (the device
    /// alone, epoch 0) and its key.
    pub fn new_case(
        &self,
    ) -> (
        binhan_core::sync::wire::TeamEntry,
        binhan_core::crypto::SecretKey,
    ) {
        let me = self.identity.device_id();
        let mut entry = binhan_core::sync::wire::TeamEntry {
            id: binhan_core::model::EventId::random(),
            case_id: binhan_core::model::CaseId::random(),
            epoch: 0,
            members: vec![me],
            wraps: vec![],
            signer: me,
            signature: vec![],
        };
        binhan_core::sync::sign_team_entry(&self.identity, &mut entry);
        (entry, binhan_core::crypto::SecretKey::random())
    }
}

/// Counts stored events on the server's database.
pub async fn server_event_count(backend: &Backend) -> i64 {
    server_row_count(backend, "events").await
}

/// The server's storage, opened beside the running server process (to
/// read it or to drive a pull step by step).
pub async fn storage(backend: &Backend) -> binhan_server::storage::SqlStorage {
    use binhan_server::storage::SqlStorage;
    match backend {
        Backend::Sqlite(dir) => SqlStorage::open_folder(dir.path()).await.unwrap(),
        Backend::Postgres(url) => SqlStorage::connect(url).await.unwrap(),
    }
}

/// How many rows the server's table `table` holds.
pub async fn server_row_count(backend: &Backend, table: &str) -> i64 {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    let sql = format!("SELECT count(*) AS n FROM {table}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&pool)
        .await
        .unwrap();
    let n: i64 = row.try_get("n").unwrap();
    pool.close().await;
    n
}

/// Asserts the server's database and logs hold none of [`SECRET_WORDS`].
pub fn assert_no_case_content(server: &Server) {
    let dump = server.backend.dump();
    let logs = server.logs();
    assert!(
        logs.contains("\"handled\""),
        "the server logged its requests"
    );
    for word in SECRET_WORDS {
        assert!(
            !dump.windows(word.len()).any(|w| w == word.as_bytes()),
            "{word} reached the server database"
        );
        assert!(!logs.contains(word), "{word} reached the server logs");
    }
}

impl Phone {
    /// A new phone enrolled with `code` through `url` (e.g. a fault proxy).
    pub async fn enrolled_via(url: &str, code: &str) -> Self {
        let phone = Self::new();
        phone
            .app
            .enrol(url, code, "synthetic test phone")
            .await
            .unwrap();
        phone
    }
}

impl RawDevice {
    /// A device with these keys and this token, talking to `server`.
    pub fn from_parts(
        server: &Server,
        identity: binhan_core::sync::DeviceIdentity,
        token: &str,
    ) -> Self {
        Self {
            identity,
            token: token.to_string(),
            url: server.url.clone(),
            http: binhan_core::sync::http_client().unwrap(),
        }
    }

    /// The same device with another token (to test forgeries).
    pub fn clone_with_token(&self, token: &str) -> Self {
        Self {
            identity: self.identity.clone(),
            token: token.to_string(),
            url: self.url.clone(),
            http: self.http.clone(),
        }
    }

    /// The same device talking to another server process at `url`.
    pub fn through(&self, url: &str) -> Self {
        Self {
            url: url.to_string(),
            ..self.clone_with_token(&self.token)
        }
    }
}

/// Runs `sql` with `device` bound to `$1`, as an operator with database
/// access would.
pub async fn as_operator(backend: &Backend, sql: &str, device: DeviceId) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(device.as_bytes().to_vec())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}
