//! [`AppCore`]: the one object a shell drives. It owns the vault, the
//! screens' state and the language; `send` applies an event and returns the
//! next [`ViewModel`]; effects go to the [`Shell`].
//!
//! Lock rules (every one decided here, none in a shell):
//! - quick exit, from any screen: lock, forget the back stack and every
//!   typed value, show the camouflage, ask the shell to hide the app;
//! - going to the background: the same, without the hide effect;
//! - idle: when a screen other than the camouflage has had no interaction
//!   for `idle_lock_secs`, the next event (a tick or a tap) locks first, and
//!   that event does nothing else;
//! - a running wrong-PIN delay survives all of these.

use crate::background::{Background, Job, SyncState};
use crate::effect::{Clock, Effect, Shell, SystemClock};
use crate::event::Event;
use crate::screens::camouflage::Calculator;
use crate::screens::cases::{ListFilter, LIST_PAGE};
use crate::screens::form::SecretForm;
use crate::screens::intake::IntakeForm;
use crate::screens::pin::PinPad;
use crate::screens::shelters::host::Step;
use crate::screens::{settings, setup};
use crate::text::{Why, T};
use crate::view::{Notice, NoticeLevel, ViewModel};
use binhan_core::app::{Vault, VaultOptions};
use binhan_core::model::{CaseId, Lang};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// How the app behaves; the defaults suit a phone.
#[derive(Debug, Clone)]
pub struct Options {
    /// How the vault is created and opened.
    pub vault: VaultOptions,
    /// The language at start.
    pub lang: Lang,
    /// Lock after this long without an interaction.
    pub idle_lock_secs: u64,
    /// The shell can scan a QR code (a phone's camera).
    pub scan_codes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            vault: VaultOptions::default(),
            lang: Lang::Vi,
            idle_lock_secs: 120,
            scan_codes: false,
        }
    }
}

/// Where the person is; the back stack is a list of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Camouflage,
    Setup,
    PinPad,
    Emergency,
    Home,
    CaseList,
    CaseSummary { id: CaseId },
    Conflicts { id: CaseId },
    CaseWork,
    RecordIncident,
    FindShelter,
    HostDesk,
    ReferralInbox,
    OverdueReferrals,
    Invite,
    Devices,
    OnlineReports,
    OnlineReport { id: String },
    Registries,
    RegistryEntry,
    RegistryImport,
    Report,
    Sync,
    Enrol,
    Settings,
    ChangePin,
    DuressPin,
    ConfirmWipe,
    Registry,
    RegistryShelter,
    RegistryOrganisation,
    RegistryNumbers,
    RegistryPublish,
}

impl Route {
    /// Screens that can be shown with the vault locked.
    pub(crate) fn before_unlock(&self) -> bool {
        matches!(
            self,
            Route::Camouflage | Route::Setup | Route::PinPad | Route::Emergency
        )
    }
}

/// Every case, kept between views while the vault's data is unchanged.
pub(crate) struct Listing {
    pub(crate) version: u64,
    pub(crate) today: chrono::NaiveDate,
    /// The store's mark of the newest row the list includes.
    pub(crate) through: u64,
    pub(crate) list: Arc<binhan_core::app::CaseList>,
}

/// Everything behind the lock of [`AppCore`].
pub(crate) struct Inner {
    pub(crate) dir: PathBuf,
    pub(crate) config: VaultOptions,
    pub(crate) vault: Option<Arc<Vault>>,
    pub(crate) lang: Lang,
    /// The language a new install starts in (the shell's choice).
    pub(crate) start_lang: Lang,
    pub(crate) idle_lock_ms: u64,
    /// A system screen the person asked for (the camera's scanner, a file
    /// picker, "save as") covers the app: going to the background then
    /// does not lock, and idle locking still bounds it.
    pub(crate) system_screen: bool,
    /// The shell can scan QR codes.
    pub(crate) scan_codes: bool,
    pub(crate) stack: Vec<Route>,
    pub(crate) calculator: Calculator,
    pub(crate) pin_pad: PinPad,
    pub(crate) setup: SecretForm,
    pub(crate) change_pin: SecretForm,
    pub(crate) duress: SecretForm,
    pub(crate) filter: ListFilter,
    /// Rows the case list shows.
    pub(crate) list_shown: u32,
    /// The intake form while it is on screen (its draft is in the vault).
    pub(crate) intake: Option<IntakeForm>,
    /// The case-work form on screen.
    pub(crate) work: Option<crate::screens::casework::WorkForm>,
    /// The invitation form.
    pub(crate) invite: crate::screens::invite::InviteForm,
    /// The shelter finder's state.
    pub(crate) finder: crate::screens::shelters::Finder,
    /// The shelter registry's forms (the officer).
    pub(crate) registry: crate::screens::registry::RegistryState,
    /// The annual report desk's state.
    pub(crate) report: crate::screens::report::ReportDesk,
    /// This phone's commune's emergency numbers, as core keeps them beside
    /// the vault (read at start, after each sync, forgotten on erasure).
    pub(crate) commune_numbers: Option<binhan_core::shelters::CommuneContacts>,
    /// The case list's rows last handed out as changes.
    pub(crate) sent_rows: crate::screens::rows::SentRows,
    /// The last case listing, while the vault is unlocked.
    pub(crate) listing: Option<Listing>,
    /// Enrolment and sync: the form, what runs in the background, how the
    /// last run ended.
    pub(crate) sync: SyncState,
    /// The programme registries desk.
    pub(crate) registries: crate::screens::registries::Registries,
    /// The online reports' screens (a commune case manager).
    pub(crate) online_reports_state: crate::screens::online_reports::OnlineReports,
    pub(crate) notices: Vec<Notice>,
    pub(crate) last_interaction_ms: u64,
    pub(crate) effects: Vec<Effect>,
    /// Work to start in the background once the lock is released.
    pub(crate) jobs: Vec<Job>,
}

/// The app, as every shell drives it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct AppCore {
    inner: Arc<Mutex<Inner>>,
    shell: Arc<dyn Shell>,
    clock: Arc<dyn Clock>,
    /// Runs enrolment and sync; made at the first of them.
    runtime: std::sync::OnceLock<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for AppCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCore").finish_non_exhaustive()
    }
}

impl AppCore {
    /// The app over the vault directory `dir` (created at first run), with
    /// the system clock. It starts on the camouflage, locked.
    pub fn new(dir: PathBuf, options: Options, shell: Arc<dyn Shell>) -> Self {
        Self::with_clock(dir, options, shell, Arc::new(SystemClock))
    }

    /// The same with another clock (tests, simulations).
    pub fn with_clock(
        dir: PathBuf,
        options: Options,
        shell: Arc<dyn Shell>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let now = clock.now_ms();
        let lang = crate::flows::kept_language(&dir).unwrap_or(options.lang);
        let commune_numbers = Vault::emergency_contacts_at(&dir);
        let inner = Inner {
            dir,
            config: options.vault,
            vault: None,
            lang,
            start_lang: options.lang,
            idle_lock_ms: options.idle_lock_secs.saturating_mul(1000),
            system_screen: false,
            scan_codes: options.scan_codes,
            stack: vec![Route::Camouflage],
            calculator: Calculator::default(),
            pin_pad: PinPad::default(),
            setup: setup::form(),
            change_pin: settings::change_pin_form(),
            duress: settings::duress_form(),
            filter: ListFilter::default(),
            list_shown: LIST_PAGE,
            intake: None,
            work: None,
            sent_rows: Default::default(),
            listing: None,
            finder: Default::default(),
            registry: Default::default(),
            report: Default::default(),
            commune_numbers,
            invite: Default::default(),
            sync: SyncState::default(),
            registries: Default::default(),
            online_reports_state: Default::default(),
            notices: Vec::new(),
            last_interaction_ms: now,
            effects: Vec::new(),
            jobs: Vec::new(),
        };
        Self {
            inner: Arc::new(Mutex::new(inner)),
            shell,
            clock,
            runtime: std::sync::OnceLock::new(),
        }
    }

    fn lock_inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Starts `jobs` in the background.
    fn start(&self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        let runtime = self.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("binhan-sync")
                .enable_all()
                .build()
                // Without a runtime nothing can sync; the failure shows as
                // a sync error, never as a crash.
                .unwrap_or_else(|_| {
                    tokio::runtime::Builder::new_current_thread()
                        .build()
                        .expect("a current-thread runtime needs no resources")
                })
        });
        for job in jobs {
            let background = Background {
                inner: Arc::clone(&self.inner),
                shell: Arc::clone(&self.shell),
            };
            runtime.spawn(background.run(job));
        }
    }
}

// What the shells call; exported to Kotlin and Swift as methods of the
// `AppCore` object (its constructor, over the platform's vault directory
// and key, is exported with the bindings in the next step).
#[cfg_attr(feature = "uniffi", uniffi::export)]
impl AppCore {
    /// Applies `event` and returns the next view. Never fails: a refusal is
    /// a message in the view. Effects are handed to the shell after the
    /// internal lock is released. Unlocking runs the key derivation (about
    /// a second on a phone): call this off the UI thread.
    pub fn send(&self, event: Event) -> ViewModel {
        let now = self.clock.now_ms();
        let (view, effects, jobs) = {
            let mut inner = self.lock_inner();
            inner.notices.clear();
            inner.handle(event, now);
            // The scanner and "save as" are system screens the core asked for.
            if inner
                .effects
                .iter()
                .any(|e| matches!(e, Effect::ScanCode | Effect::SaveFile { .. }))
            {
                inner.system_screen = true;
            }
            let view = inner.render(now);
            let effects = std::mem::take(&mut inner.effects);
            (view, effects, std::mem::take(&mut inner.jobs))
        };
        self.start(jobs);
        for effect in effects {
            self.shell.effect(effect);
        }
        view
    }

    /// The current view, changing nothing.
    pub fn view(&self) -> ViewModel {
        let now = self.clock.now_ms();
        self.lock_inner().render(now)
    }

    /// The case list's rows (its filter, the pages shown) as the changes
    /// since `since`, the version the shell holds (0: none): a shell that
    /// keeps its rows applies them instead of taking every row again. Empty
    /// when locked.
    pub fn case_rows(&self, since: u64) -> crate::screens::rows::RowsUpdate {
        let now = self.clock.now_ms();
        let mut inner = self.lock_inner();
        let rows = if inner.unlocked() {
            inner.case_list_view(now).rows
        } else {
            Vec::new()
        };
        inner.sent_rows.update(since, rows)
    }

    /// Whether the vault is unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.lock_inner().unlocked()
    }
}

#[cfg(test)]
impl AppCore {
    /// Runs `f` on the state, for tests that put the app where only a
    /// server would (a report fetched).
    pub(crate) fn with_inner<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.lock_inner())
    }
}

/// Locks the state. A panic cannot leave it half-made in a way that matters
/// for safety: the worst is a stale screen, and quick exit resets it.
pub(crate) fn lock(inner: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    inner.lock().unwrap_or_else(|p| p.into_inner())
}

impl Inner {
    pub(crate) fn unlocked(&self) -> bool {
        self.vault.as_ref().is_some_and(|v| v.is_unlocked())
    }

    pub(crate) fn top(&self) -> &Route {
        self.stack.last().unwrap_or(&Route::Camouflage)
    }

    pub(crate) fn notice(&mut self, level: NoticeLevel, reason: crate::view::Reason) {
        self.notices.push(Notice { level, reason });
    }

    pub(crate) fn refuse(&mut self, why: Why) {
        let reason = why.reason(self.lang);
        self.notice(NoticeLevel::Error, reason);
    }

    /// Refuses with the core's own coded reason, in the view's language:
    /// more precise than a generic message (the case is closed, the shelter
    /// takes no one at present, …).
    pub(crate) fn refuse_core(&mut self, refusal: binhan_core::Refusal) {
        let reason = crate::view::Reason::refused(&refusal, self.lang);
        self.notice(NoticeLevel::Error, reason);
    }

    pub(crate) fn inform(&mut self, code: &str, text: T) {
        let text = text.get(self.lang);
        self.inform_text(code, text);
    }

    /// An info notice with its code and text (screens with catalogs of their
    /// own).
    pub(crate) fn inform_text(&mut self, code: &str, text: String) {
        self.notice(NoticeLevel::Info, crate::view::Reason::new(code, text));
    }

    /// Locks, forgets the screens and everything typed, shows the camouflage.
    pub(crate) fn lock_to_camouflage(&mut self) {
        if let Some(vault) = &self.vault {
            vault.lock();
        }
        self.stack = vec![Route::Camouflage];
        self.system_screen = false;
        self.calculator = Calculator::default();
        self.pin_pad.reset_entry();
        self.pin_pad.wrong = None;
        self.setup = setup::form();
        self.change_pin = settings::change_pin_form();
        self.duress = settings::duress_form();
        self.filter = ListFilter::default();
        self.list_shown = LIST_PAGE;
        self.intake = None;
        self.work = None;
        self.sent_rows = Default::default();
        self.listing = None;
        self.finder = Default::default();
        self.registry = Default::default();
        self.report = Default::default();
        self.invite = Default::default();
        self.sync.forget();
        self.registries.forget();
        self.online_reports_state.forget();
        self.notices.clear();
    }

    fn idle_expired(&self, now: u64) -> bool {
        *self.top() != Route::Camouflage
            && now.saturating_sub(self.last_interaction_ms) >= self.idle_lock_ms
    }

    fn handle(&mut self, event: Event, now: u64) {
        if self.idle_expired(now) {
            self.lock_to_camouflage();
            if event == Event::QuickExit {
                self.effects.push(Effect::HideApp);
            }
            return;
        }
        if event != Event::Tick {
            self.last_interaction_ms = now;
        }
        // On the camouflage only the calculator, the language and the
        // lifecycle act; anything else is refused, and the camouflage view
        // never shows a refusal (see `render`).
        match event {
            Event::Tick => {}
            Event::Foregrounded => self.system_screen = false,
            Event::QuickExit => {
                self.lock_to_camouflage();
                self.effects.push(Effect::HideApp);
            }
            // Covered by a system screen the person opened: not a lock.
            Event::Backgrounded if self.system_screen => {}
            Event::Backgrounded => self.lock_to_camouflage(),
            Event::SystemScreenOpened => {
                self.system_screen = *self.top() != Route::Camouflage && self.vault.is_some()
            }
            Event::SetLanguage { lang } => self.set_language(lang),
            Event::Back => self.back(),
            Event::Calculator { key } => self.calculator_key(key),
            Event::PinPad { key } => self.pin_key(key, now),
            Event::SetField { field, value } => self.set_field(field, &value, now),
            Event::Submit => self.submit(now),
            Event::Open { target } => self.open(target),
            Event::OpenCase { id } => self.open_case(&id),
            Event::OpenCaseWork { case, kind } => self.work_open(&case, kind),
            Event::OpenSupplement { referral } => self.supplement_open(&referral),
            Event::SetWork { field, value } => self.work_set(field, &value),
            Event::ToggleWork { field, code } => self.work_toggle(field, &code),
            Event::FilterCases { status, risk } => {
                if *self.top() == Route::CaseList {
                    self.filter = ListFilter { status, risk };
                    self.list_shown = LIST_PAGE;
                } else {
                    self.refuse(Why::NotAvailableHere);
                }
            }
            Event::FindShelterFor { case } => self.finder_open(Some(&case)),
            Event::UseLocation => self.finder_use_location(),
            Event::Located { lat_e6, lon_e6 } => self.finder_located(lat_e6, lon_e6),
            Event::SearchPlaces { value } => self.finder_search_places(&value),
            Event::ChooseOrigin { place } => self.finder_choose_origin(place),
            Event::ToggleShelterFilter { filter } => self.finder_toggle(filter),
            Event::CallHost { shelter } => self.call_host(&shelter),
            Event::ConfirmShelterConsent { shelter } => self.confirm_shelter_consent(&shelter),
            Event::RequestPlacement { shelter } => self.request_placement(&shelter),
            Event::HostShelter { shelter } => self.host_start(&shelter),
            Event::SetFreePlaces { free } => self.host_set_free(free),
            Event::AcceptPlacement { request } => self.host_step(&request, Step::Accept),
            Event::DeclinePlacement { request, reason } => {
                self.host_step(&request, Step::Decline(reason))
            }
            Event::RecordArrival { request } => self.host_step(&request, Step::Arrival),
            Event::RecordDeparture { request } => self.host_step(&request, Step::Departure),
            Event::RecordNoShow { request } => self.host_step(&request, Step::NoShow),
            Event::AnswerReferral { referral, step } => self.answer_referral(&referral, step),
            Event::OpenConflicts { case } => self.open_conflicts(&case),
            Event::ResolveConflict { case, field, keep } => {
                self.resolve_conflict(&case, field, &keep)
            }
            Event::ChooseInviteRole { role } if *self.top() == Route::Invite => {
                self.invite.role = Some(role)
            }
            Event::ChooseInviteHours { hours }
                if *self.top() == Route::Invite
                    && crate::screens::invite::VALIDITY_HOURS.contains(&hours) =>
            {
                self.invite.hours = hours
            }
            Event::ChooseInviteCommune { commune }
                if *self.top() == Route::Invite
                    && binhan_core::model::commune(&commune).is_some() =>
            {
                self.invite.commune = Some(commune)
            }
            Event::ChooseInviteRole { .. }
            | Event::ChooseInviteHours { .. }
            | Event::ChooseInviteCommune { .. } => self.refuse(Why::NotAvailableHere),
            Event::ShareInvitation => self.share_invitation(),
            Event::ScanCode => self.scan_code(),
            Event::Scanned { text } => self.scanned(&text),
            Event::RefreshDevices => self.devices_refresh(),
            Event::RevokeDevice { device } => self.revoke_ask(&device),
            Event::ConfirmRevoke => self.revoke_confirm(),
            Event::SyncNow => self.sync_now(),
            Event::NetworkAvailable { unmetered } => self.network_available(unmetered),
            Event::SetRoadsWifiOnly { wifi_only } => self.set_roads_wifi_only(wifi_only),
            Event::DownloadRoads => self.download_roads(),
            Event::ShowMore => {
                if *self.top() == Route::CaseList {
                    self.list_shown = self.list_shown.saturating_add(LIST_PAGE);
                } else {
                    self.refuse(Why::NotAvailableHere);
                }
            }
            Event::Registries { event } => self.registries_event(event),
            Event::OnlineReports { event } => self.online_reports_event(event),
            Event::Dial { number } => self.dial(number),
            Event::ConfirmWipe => self.confirm_wipe(),
            Event::Report { event } => self.report_event(event, now),
            Event::SetIntake { field, row, value } => self.intake_set(field, row, &value),
            Event::ToggleIntake { field, row, code } => self.intake_toggle(field, row, &code),
            Event::AddIntakeRow { list } => self.intake_add_row(list),
            Event::RemoveIntakeRow { list, row } => self.intake_remove_row(list, row),
            Event::GoToStep { step } => self.intake_go_to(step),
            Event::Next => self.intake_next(now),
            Event::DiscardDraft => self.intake_discard(),
            Event::Registry(event) => self.registry_event(event),
        }
    }

    fn back(&mut self) {
        if self.stack.len() <= 1 {
            return self.refuse(Why::NothingToGoBackTo);
        }
        if *self.top() == Route::RecordIncident && self.intake_back() {
            return;
        }
        if *self.top() == Route::Devices && self.sync.revoke.take().is_some() {
            return;
        }
        if matches!(self.top(), Route::OnlineReport { .. })
            && self.online_reports_state.panel.is_some()
        {
            return self.online_reports_state.forget();
        }
        match self.stack.pop() {
            Some(route) if route.is_registry() => self.registry_leave(&route),
            Some(Route::PinPad) => self.pin_pad.reset_entry(),
            Some(Route::Setup) => self.setup = setup::form(),
            Some(Route::ChangePin) => self.change_pin = settings::change_pin_form(),
            Some(Route::DuressPin) => self.duress = settings::duress_form(),
            Some(Route::CaseList) => {
                self.filter = ListFilter::default();
                self.list_shown = LIST_PAGE;
            }
            Some(Route::RecordIncident) => self.intake_leave(),
            Some(Route::CaseWork) => self.work = None,
            Some(Route::RegistryEntry) => self.registries.form = None,
            Some(Route::RegistryImport) => self.registries.file = None,
            Some(Route::OnlineReport { .. }) => self.online_reports_state.forget(),
            Some(Route::Enrol) if self.sync.running.is_none() => {
                self.sync.form = crate::background::EnrolForm::default();
            }
            _ => {}
        }
    }

    fn dial(&mut self, number: String) {
        if *self.top() == Route::Camouflage {
            return;
        }
        if crate::screens::emergency::is_emergency_number(&number, self.commune_numbers.as_ref()) {
            self.effects.push(Effect::Dial { number });
        } else {
            self.refuse(Why::UnknownNumber);
        }
    }
}
