//! A test shell, a hand-moved clock and synthetic cases. Every name, code
//! and account here is synthetic and says so.

use crate::effect::{Clock, Effect, Shell};
use crate::event::{CalcKey, Event, Field};
use crate::view::ViewModel;
use crate::{AppCore, Options};
use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::{CaseAction, CaseIntake};
use binhan_core::model::*;
use binhan_core::vault::{KdfParams, VaultPolicy};
use chrono::NaiveDate;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The PIN of the seeded vaults (synthetic).
pub(crate) const PIN: &str = "274916";
/// Their duress PIN (synthetic).
pub(crate) const DURESS: &str = "583920";
/// 2026-11-15 03:00 UTC, 10:00 in Vietnam.
pub(crate) const START_MS: u64 = 1_794_711_600_000;
/// Idle lock in the tests.
pub(crate) const IDLE_SECS: u64 = 300;

fn fixed_wall() -> u64 {
    START_MS
}

/// Cases are recorded two weeks earlier (a follow-up may not be planned
/// in the past), on 2026-11-01 at 10:00 in Vietnam.
fn seeding_wall() -> u64 {
    START_MS - 14 * 86_400_000
}

/// Small Argon2 parameters and a policy with delays after two failures.
pub(crate) fn config(policy: VaultPolicy) -> VaultOptions {
    VaultOptions {
        policy,
        kdf: KdfParams::new(KdfParams::MIN_MEMORY_KIB, 1, 1).expect("valid test KDF"),
        platform_key: None,
        wall_clock: fixed_wall,
    }
}

/// Five attempts, two free, then 60 s doubling.
pub(crate) fn delaying_policy() -> VaultPolicy {
    VaultPolicy {
        max_attempts: 5,
        free_attempts: 2,
        base_delay_secs: 60,
        max_delay_secs: 600,
    }
}

/// Carries `from`'s mail (placements, free places, referrals) to `to`, as
/// the server's mailboxes do, and acknowledges it; returns how many.
pub(crate) fn deliver_mail(from: &Vault, to: &Vault) -> usize {
    let sender = from.device_id().expect("id");
    let outbox = from.shelter_outbox().expect("outbox");
    for entry in &outbox {
        to.receive_mail(sender, entry.message.clone())
            .expect("received");
    }
    if let Some(last) = outbox.last() {
        from.ack_shelter_outbox(last.seq).expect("ack");
    }
    outbox.len()
}

/// Records effects.
#[derive(Default)]
pub(crate) struct TestShell(Mutex<Vec<Effect>>);

impl Shell for TestShell {
    fn effect(&self, effect: Effect) {
        self.0.lock().unwrap().push(effect);
    }
}

impl TestShell {
    pub(crate) fn take(&self) -> Vec<Effect> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// A clock moved by hand.
pub(crate) struct ManualClock(AtomicU64);

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// One synthetic case to seed.
pub(crate) struct Seed {
    pub(crate) code: &'static str,
    pub(crate) risk: RiskLevel,
    pub(crate) violence: ViolenceType,
    pub(crate) age: u8,
    pub(crate) follow_up: Option<NaiveDate>,
    pub(crate) closed: bool,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid day")
}

/// Four synthetic cases: overdue, due today, planned, closed.
pub(crate) fn seeds() -> Vec<Seed> {
    vec![
        Seed {
            code: "SYN-001",
            risk: RiskLevel::High,
            violence: ViolenceType::PhysicalAssault,
            age: 31,
            follow_up: Some(day(2026, 11, 10)),
            closed: false,
        },
        Seed {
            code: "SYN-002",
            risk: RiskLevel::Medium,
            violence: ViolenceType::PsychologicalAbuse,
            age: 15,
            follow_up: Some(day(2026, 11, 15)),
            closed: false,
        },
        Seed {
            code: "SYN-003",
            risk: RiskLevel::Low,
            violence: ViolenceType::ForcedMarriage,
            age: 16,
            follow_up: Some(day(2026, 11, 25)),
            closed: false,
        },
        Seed {
            code: "SYN-004",
            risk: RiskLevel::Low,
            violence: ViolenceType::DenialOfResources,
            age: 44,
            follow_up: None,
            closed: true,
        },
    ]
}

/// Text of the seeded cases that must never show once locked.
pub(crate) fn case_markers() -> Vec<String> {
    let mut markers: Vec<String> = seeds().iter().map(|s| s.code.to_string()).collect();
    markers.extend(["Synthetic".into(), "quokkaflint".into(), "Mù Cả".into()]);
    markers
}

pub(crate) fn intake(seed: &Seed) -> CaseIntake {
    CaseIntake {
        survivor: Survivor {
            code: seed.code.into(),
            name: Some(format!("Synthetic Zephyrmoss {}", seed.code)),
            sex: Sex::Female,
            age_years: Some(seed.age),
            ethnic_group: Some(EthnicGroup::Mong),
            commune: "mu_ca".into(),
            ..Survivor::default()
        },
        incident: Incident {
            date: day(2026, 10, 20),
            time_of_day: TimeOfDay::EveningNight,
            place_type: PlaceType::SurvivorHome,
            commune: "mu_ca".into(),
            account: Some("synthetic account quokkaflint".into()),
            violence_type: seed.violence,
            contexts: vec![ContextFlag::IntimatePartnerFamily],
            perpetrators: vec![],
            reported_elsewhere: Some(false),
            previous_incidents: None,
            reported_on: day(2026, 10, 27),
        },
        risk: Some(RiskAssessment {
            level: seed.risk,
            factors: vec![],
            assessed_on: day(2026, 10, 27),
        }),
        safety_plan: None,
        consents: vec![],
        services: vec![],
        next_follow_up: seed.follow_up,
    }
}

/// Makes a vault in `dir` with the synthetic cases; returns code → id.
pub(crate) fn seed_vault(
    dir: &Path,
    policy: VaultPolicy,
    duress: Option<&str>,
) -> Vec<(String, CaseId)> {
    let seeding = VaultOptions {
        wall_clock: seeding_wall,
        ..config(policy)
    };
    let app = Vault::create(dir, PIN, seeding).expect("create test vault");
    let mut ids = Vec::new();
    for seed in seeds() {
        let id = app.create_case(intake(&seed)).expect("seed case");
        if seed.closed {
            let closure = binhan_testkit::cases::complete_closure();
            app.act(id, CaseAction::Close(closure)).expect("close");
        }
        ids.push((seed.code.to_string(), id));
    }
    if let Some(duress) = duress {
        app.set_duress_pin(PIN, duress).expect("duress");
    }
    ids
}

/// An app under test.
pub(crate) struct Harness {
    /// The directory the vault is in, kept as long as the app.
    dir: tempfile::TempDir,
    pub(crate) core: AppCore,
    pub(crate) shell: Arc<TestShell>,
    pub(crate) clock: Arc<ManualClock>,
    /// Seeded cases, code → id.
    pub(crate) cases: Vec<(String, CaseId)>,
    policy: VaultPolicy,
}

impl Harness {
    fn over(dir: tempfile::TempDir, policy: VaultPolicy, cases: Vec<(String, CaseId)>) -> Self {
        let shell = Arc::new(TestShell::default());
        let clock = Arc::new(ManualClock(AtomicU64::new(START_MS)));
        let core = Self::app(dir.path(), policy, &shell, &clock);
        Self {
            dir,
            core,
            shell,
            clock,
            cases,
            policy,
        }
    }

    fn app(
        dir: &Path,
        policy: VaultPolicy,
        shell: &Arc<TestShell>,
        clock: &Arc<ManualClock>,
    ) -> AppCore {
        let options = Options {
            vault: config(policy),
            lang: Lang::Vi,
            idle_lock_secs: IDLE_SECS,
            scan_codes: true,
        };
        AppCore::with_clock(dir.join("vault"), options, shell.clone(), clock.clone())
    }

    /// Where the vault is.
    pub(crate) fn vault_path(&self) -> std::path::PathBuf {
        self.dir.path().join("vault")
    }

    /// The app killed and started again over the same vault: everything in
    /// memory is gone, what the vault holds remains.
    pub(crate) fn restart(&mut self) {
        self.core = Self::app(self.dir.path(), self.policy, &self.shell, &self.clock);
    }

    /// No vault yet (a new install).
    pub(crate) fn fresh() -> Self {
        Self::over(
            tempfile::tempdir().expect("tempdir"),
            delaying_policy(),
            vec![],
        )
    }

    /// A vault with the synthetic cases, locked, under `policy`.
    pub(crate) fn seeded(policy: VaultPolicy, duress: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = seed_vault(&dir.path().join("vault"), policy, duress);
        Self::over(dir, policy, cases)
    }

    /// The synthetic cases in a vault enrolled (offline) as `role` of Pa
    /// Ủ, locked.
    pub(crate) fn seeded_as(role: Role) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let policy = delaying_policy();
        let cases = seed_vault(&dir.path().join("vault"), policy, None);
        let vault = Vault::open(&dir.path().join("vault"), config(policy)).expect("vault");
        vault.unlock(PIN).expect("unlock");
        vault.enrol_offline(role, "pa_u").expect("enrolled");
        drop(vault);
        Self::over(dir, policy, cases)
    }

    /// A vault enrolled (offline) as `role` of Pa Ủ, with no case, locked.
    pub(crate) fn enrolled_as(role: Role) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let policy = delaying_policy();
        let vault = Vault::create(&dir.path().join("vault"), PIN, config(policy)).expect("vault");
        vault.enrol_offline(role, "pa_u").expect("enrolled");
        drop(vault);
        Self::over(dir, policy, vec![])
    }

    /// A copy of `template`'s vault directory (faster than seeding anew).
    pub(crate) fn copy_of(
        template: &Path,
        policy: VaultPolicy,
        cases: Vec<(String, CaseId)>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let to = dir.path().join("vault");
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(template).expect("read template") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
        Self::over(dir, policy, cases)
    }

    pub(crate) fn send(&self, event: Event) -> ViewModel {
        self.core.send(event)
    }

    /// Types the secret sequence on the calculator.
    pub(crate) fn open_gate(&self) -> ViewModel {
        for digit in [4, 0, 7, 1, 5, 2] {
            self.send(Event::Calculator {
                key: CalcKey::Digit { digit },
            });
        }
        self.send(Event::Calculator {
            key: CalcKey::Equals,
        });
        self.send(Event::Calculator {
            key: CalcKey::Equals,
        })
    }

    /// Types `value` into `field`.
    pub(crate) fn set_field(&self, field: Field, value: &str) -> ViewModel {
        self.send(Event::SetField {
            field,
            value: value.into(),
        })
    }

    /// Types `pin` on the PIN pad and submits it.
    pub(crate) fn enter_pin(&self, pin: &str) -> ViewModel {
        self.set_field(Field::UnlockPin, pin);
        self.send(Event::Submit)
    }

    /// From the camouflage: the gate, then `pin`.
    pub(crate) fn unlock(&self, pin: &str) -> ViewModel {
        self.open_gate();
        self.enter_pin(pin)
    }

    /// Moves the clock on.
    pub(crate) fn advance_secs(&self, secs: u64) {
        self.clock.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }

    /// The id of the seeded case `code`.
    pub(crate) fn id(&self, code: &str) -> String {
        self.cases
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| id.to_string())
            .expect("seeded case")
    }

    /// The view as JSON, with case ids replaced by their survivor code.
    pub(crate) fn json(&self, view: &ViewModel) -> serde_json::Value {
        let mut text = serde_json::to_string(view).expect("serialize");
        for (code, id) in &self.cases {
            text = text.replace(&id.to_string(), &format!("<id of {code}>"));
        }
        serde_json::from_str(&text).expect("json")
    }
}

// Reading view models.

pub(crate) fn home(view: &crate::view::ViewModel) -> &crate::screens::home::HomeView {
    match &view.screen {
        crate::view::Screen::Home { view } => view,
        other => panic!("expected home, got {other:?}"),
    }
}

pub(crate) fn list(view: &crate::view::ViewModel) -> &crate::screens::cases::CaseListView {
    match &view.screen {
        crate::view::Screen::CaseList { view } => view,
        other => panic!("expected the case list, got {other:?}"),
    }
}

pub(crate) fn pin_pad(view: &crate::view::ViewModel) -> &crate::screens::pin::PinPadView {
    match &view.screen {
        crate::view::Screen::PinPad { view } => view,
        other => panic!("expected the PIN pad, got {other:?}"),
    }
}

/// The error code of each field of a form (`None`: no error), in order.
pub(crate) fn error_codes(fields: &[crate::view::SecretFieldView]) -> Vec<Option<&str>> {
    fields
        .iter()
        .map(|f| f.error.as_ref().map(|e| e.code.as_str()))
        .collect()
}

pub(crate) fn assert_camouflaged(h: &Harness, view: &crate::view::ViewModel) {
    assert!(
        matches!(view.screen, crate::view::Screen::Camouflage { .. }),
        "{view:?}"
    );
    assert!(!h.core.is_unlocked());
    assert!(!view.can_go_back && view.quick_exit.is_none() && view.emergency.is_none());
    assert!(view.messages.is_empty());
}
