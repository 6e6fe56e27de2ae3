//! What the shells draw: the whole state of the screen, every text already
//! in the chosen language, every action with whether it is allowed and why
//! not. Types derive `Serialize` (the browser shell draws them from JSON)
//! and the uniffi traits behind the `uniffi` feature (Kotlin, Swift).

use crate::event::{Event, Field};
use binhan_core::model::Lang;
use serde::Serialize;

/// Everything on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ViewModel {
    /// The screen and its state.
    pub screen: Screen,
    /// The title bar text.
    pub title: String,
    /// The language of every text in this view.
    pub lang: Lang,
    /// Whether `Event::Back` goes somewhere (the back arrow is shown).
    pub can_go_back: bool,
    /// The quick-exit button; `None` on the camouflage, which must look
    /// like nothing but a calculator.
    pub quick_exit: Option<Action>,
    /// The one-tap emergency numbers button; `None` on the camouflage and
    /// on the emergency screen itself.
    pub emergency: Option<Action>,
    /// Short messages to show once (toasts); never on the camouflage.
    pub messages: Vec<Notice>,
    /// When set, send `Event::Tick` after this many milliseconds (a
    /// countdown runs, or idle locking is armed).
    pub tick_in_ms: Option<u32>,
}

/// One screen kind with its own state.
// One screen is built per frame and moved, never kept in bulk, and uniffi
// cannot carry a boxed variant: the size difference costs nothing here.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Screen {
    /// The calculator the app shows itself as.
    Camouflage {
        /// Its state.
        view: crate::screens::camouflage::CalculatorView,
    },
    /// First run: choose a PIN (and optionally a duress PIN).
    Setup {
        /// Its state.
        view: crate::screens::setup::SetupView,
    },
    /// Unlock with the PIN.
    PinPad {
        /// Its state.
        view: crate::screens::pin::PinPadView,
    },
    /// Emergency numbers.
    Emergency {
        /// Its state.
        view: crate::screens::emergency::EmergencyView,
    },
    /// Home of a collaborator.
    Home {
        /// Its state.
        view: crate::screens::home::HomeView,
    },
    /// The case list with its filter.
    CaseList {
        /// Its state.
        view: crate::screens::cases::CaseListView,
    },
    /// One case's summary.
    CaseSummary {
        /// Its state.
        view: crate::screens::cases::CaseSummaryView,
    },
    /// Work on a case: a service, a follow-up, a note, closing, reopening.
    CaseWork {
        /// Its state.
        view: crate::screens::casework::WorkView,
    },
    /// Record an incident: the multi-step intake form.
    RecordIncident {
        /// Its state.
        view: crate::screens::intake::IntakeView,
    },
    /// The nearest shelters.
    FindShelter {
        /// Its state.
        view: crate::screens::shelters::FinderView,
    },
    /// Invite a device.
    Invite {
        /// Its state.
        view: crate::screens::invite::InviteView,
    },
    /// The commune's devices, to revoke one.
    Devices {
        /// Its state.
        view: crate::screens::devices::DevicesView,
    },
    /// The online reports (a commune case manager).
    OnlineReports {
        /// Its state.
        view: crate::screens::online_reports::OnlineReportsView,
    },
    /// One online report, with its triage.
    OnlineReport {
        /// Its state.
        view: crate::screens::online_reports::OnlineReportView,
    },
    /// The programme registries' lists.
    Registries {
        /// Its state.
        view: crate::screens::registries::RegistriesView,
    },
    /// Add or correct a registry entry.
    RegistryEntry {
        /// Its state.
        view: crate::screens::registries::RegistryEntryView,
    },
    /// Import registry entries from a file.
    RegistryImport {
        /// Its state.
        view: crate::screens::registries::ImportView,
    },
    /// The shelter host's desk.
    HostDesk {
        /// Its state.
        view: crate::screens::shelters::host::HostView,
    },
    /// A service provider's referral inbox.
    ReferralInbox {
        /// Its state.
        view: crate::screens::referrals::ReferralInboxView,
    },
    /// Referrals overdue for an answer, across the phone's cases.
    OverdueReferrals {
        /// Its state.
        view: crate::screens::referrals::overdue::OverdueReferralsView,
    },
    /// Sync status and sync now.
    Sync {
        /// Its state.
        view: crate::screens::sync::SyncView,
    },
    /// Enrol this phone.
    Enrol {
        /// Its state.
        view: crate::screens::sync::EnrolView,
    },
    /// A case's conflicts, side by side.
    Conflicts {
        /// Its state.
        view: crate::screens::conflicts::ConflictsView,
    },
    /// The annual report desk (the provincial officer).
    Report {
        /// Its state.
        view: crate::screens::report::ReportView,
    },
    /// Settings.
    Settings {
        /// Its state.
        view: crate::screens::settings::SettingsView,
    },
    /// Change the PIN.
    ChangePin {
        /// Its state.
        view: crate::screens::settings::PinFormView,
    },
    /// Set or replace the duress PIN.
    DuressPin {
        /// Its state.
        view: crate::screens::settings::PinFormView,
    },
    /// Confirm erasing everything.
    ConfirmWipe {
        /// Its state.
        view: crate::screens::settings::ConfirmWipeView,
    },
    /// The shelter registry with each commune's coverage (the officer).
    Registry {
        /// Its state.
        view: crate::screens::registry::RegistryView,
    },
    /// Add or edit a shelter of the registry.
    RegistryShelter {
        /// Its state.
        view: crate::screens::registry::ShelterFormView,
    },
    /// Add or edit a referral organisation of the registry (the service
    /// directory).
    RegistryOrganisation {
        /// Its state.
        view: crate::screens::registry::OrganisationFormView,
    },
    /// A commune's emergency numbers in the registry.
    RegistryNumbers {
        /// Its state.
        view: crate::screens::registry::NumbersView,
    },
    /// What publishing the registry changes; sign and publish.
    RegistryPublish {
        /// Its state.
        view: crate::screens::registry::PublishView,
    },
}

/// Something the person can do: a button, a menu item, a row to tap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Action {
    /// Its label.
    pub label: String,
    /// Whether it may be done now.
    pub enabled: bool,
    /// Why not, when it is disabled.
    pub disabled_reason: Option<Reason>,
    /// What to send when it is tapped (refused if sent while disabled).
    pub event: Event,
}

impl Action {
    /// An enabled action.
    pub(crate) fn new(label: String, event: Event) -> Self {
        Self {
            label,
            enabled: true,
            disabled_reason: None,
            event,
        }
    }

    /// The same action, disabled for `reason` when it is `Some`.
    pub(crate) fn unless(mut self, reason: Option<Reason>) -> Self {
        if let Some(reason) = reason {
            self.enabled = false;
            self.disabled_reason = Some(reason);
        }
        self
    }
}

/// A coded reason: a stable code the shells and tests may match on, and
/// its text in the view's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reason {
    /// Stable snake_case code, e.g. `wrong_pin`.
    pub code: String,
    /// The text to show.
    pub text: String,
}

impl Reason {
    /// A reason with its stable code and its text.
    pub(crate) fn new(code: &str, text: String) -> Self {
        Self {
            code: code.to_string(),
            text,
        }
    }

    /// The core's own coded refusal, as a sentence in `lang`.
    pub(crate) fn refused(refusal: &binhan_core::Refusal, lang: Lang) -> Self {
        Self::new(refusal.code(), crate::text::sentence(refusal.text(lang)))
    }

    /// Why not, when core's `check` refuses: the reason an action is
    /// disabled with.
    pub(crate) fn unless_allowed(check: binhan_core::Result<()>, lang: Lang) -> Option<Self> {
        match check {
            Err(binhan_core::Error::NotAllowed(refusal)) => Some(Self::refused(&refusal, lang)),
            _ => None,
        }
    }
}

/// How a notice should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NoticeLevel {
    /// Something was done.
    Info,
    /// Something was refused or failed.
    Error,
}

/// A message shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Notice {
    /// Info or error.
    pub level: NoticeLevel,
    /// What it says, with its code.
    pub reason: Reason,
}

/// A secret text field (a PIN). The value never comes back in the view:
/// only how many characters it holds, so the shell can clear its widget
/// when the core clears the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SecretFieldView {
    /// Which field (send it back in `Event::SetField`).
    pub field: Field,
    /// Its label.
    pub label: String,
    /// A help line under it, if any.
    pub help: Option<String>,
    /// Characters entered.
    pub filled: u32,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it (all fields' errors are given at once).
    pub error: Option<Reason>,
}

/// One choice of a single-choice group (filter chips, language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Choice {
    /// Its label.
    pub label: String,
    /// Whether it is the current one.
    pub selected: bool,
    /// What to send to choose it.
    pub event: Event,
}

/// A label and a value, for read-only details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LabelledValue {
    /// Stable code of the row, e.g. `risk_level`.
    pub code: String,
    /// The label.
    pub label: String,
    /// The value, formatted.
    pub value: String,
}
