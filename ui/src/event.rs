//! What the person did, as the shell reports it to [`crate::AppCore::send`].
//!
//! Events are plain data. An event that makes no sense in the current state
//! (a case list filter on the PIN pad, a digit above 9) is refused in the
//! next view, never with an error or a panic.

use crate::screens::casework::{WorkField, WorkKind};
use crate::screens::intake::{IntakeField, IntakeList, IntakeStep};
use crate::screens::shelters::ShelterFilter;
use binhan_core::model::{CaseStatus, Lang, RiskLevel, Role};
use binhan_core::shelters::DeclineReason;
use serde::{Deserialize, Serialize};

/// One thing the person did, or one thing that happened to the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Event {
    /// A key of the camouflage calculator.
    Calculator {
        /// The key.
        key: CalcKey,
    },
    /// A key of the PIN pad.
    PinPad {
        /// The key.
        key: PinKey,
    },
    /// The text of a form field changed (PIN fields of the first-run and
    /// change-PIN forms, or the PIN pad typed as a passphrase).
    SetField {
        /// Which field.
        field: Field,
        /// Its whole new value.
        value: String,
    },
    /// Submit the form on screen.
    Submit,
    /// Go to a screen.
    Open {
        /// Where.
        target: Target,
    },
    /// Open one case's summary.
    OpenCase {
        /// The case id, 32 hexadecimal digits.
        id: String,
    },
    /// Open a case-work form (a service, a follow-up, a note, closing,
    /// reopening) from the case's summary.
    OpenCaseWork {
        /// The case id, 32 hexadecimal digits.
        case: String,
        /// Which form.
        kind: WorkKind,
    },
    /// From a case's summary: answer an organisation that asked for more
    /// about a referral this phone sent (the supplement form).
    OpenSupplement {
        /// The referral's id.
        referral: String,
    },
    /// A case-work form: a field's whole new value (a choice by its code,
    /// empty to clear it).
    SetWork {
        /// Which field.
        field: WorkField,
        /// Its whole new value.
        value: String,
    },
    /// A case-work form: add or remove one choice of a several-choice
    /// field (the closure checklist).
    ToggleWork {
        /// Which field.
        field: WorkField,
        /// The choice's code.
        code: String,
    },
    /// Ask the server for the commune's devices again.
    RefreshDevices,
    /// Revoke a device: asks for confirmation first.
    RevokeDevice {
        /// The device's id.
        device: String,
    },
    /// Confirm the revocation asked for.
    ConfirmRevoke,
    /// Change the case list filter (`None`: any).
    FilterCases {
        /// Only cases with this status.
        status: Option<CaseStatus>,
        /// Only cases at this risk level.
        risk: Option<RiskLevel>,
    },
    /// Show the next page of the case list (the person scrolled to its end).
    ShowMore,
    /// Find a shelter for this case (the case summary's action).
    FindShelterFor {
        /// The case id, 32 hexadecimal digits.
        case: String,
    },
    /// Ask the phone for its location (the finder's button).
    UseLocation,
    /// The location the phone gave, in millionths of a degree (WGS 84).
    Located {
        /// Latitude × 1,000,000.
        lat_e6: i32,
        /// Longitude × 1,000,000.
        lon_e6: i32,
    },
    /// The finder's "search from a village" field: its whole new text.
    SearchPlaces {
        /// What was typed.
        value: String,
    },
    /// Search from this place of the list the finder shows.
    ChooseOrigin {
        /// Its position in that list, from 0.
        place: u32,
    },
    /// Turn a finder filter on or off.
    ToggleShelterFilter {
        /// The filter.
        filter: ShelterFilter,
    },
    /// Call a shelter's host (the number comes from the directory).
    CallHost {
        /// The shelter's id.
        shelter: String,
    },
    /// The survivor agreed to share what a placement needs with this
    /// shelter.
    ConfirmShelterConsent {
        /// The shelter's id.
        shelter: String,
    },
    /// Ask the shelter's host for a place for the case's survivor.
    RequestPlacement {
        /// The shelter's id.
        shelter: String,
    },
    /// The host starts hosting a shelter the directory names this phone
    /// as the host of.
    HostShelter {
        /// The shelter's id.
        shelter: String,
    },
    /// The host confirms the number of free places.
    SetFreePlaces {
        /// Places free now.
        free: u16,
    },
    /// The host accepts a request.
    AcceptPlacement {
        /// The request's id.
        request: String,
    },
    /// The host declines a request.
    DeclinePlacement {
        /// The request's id.
        request: String,
        /// Why.
        reason: DeclineReason,
    },
    /// The people of an accepted request arrived.
    RecordArrival {
        /// The request's id.
        request: String,
    },
    /// The people left.
    RecordDeparture {
        /// The request's id.
        request: String,
    },
    /// Nobody came for an accepted request.
    RecordNoShow {
        /// The request's id.
        request: String,
    },
    /// A service provider answers a referral in its inbox.
    AnswerReferral {
        /// The referral's id.
        referral: String,
        /// The answer.
        step: binhan_core::referrals::ProviderStep,
    },
    /// Show a case's conflicts side by side.
    OpenConflicts {
        /// The case id.
        case: String,
    },
    /// Resolve a conflict by keeping one value.
    ResolveConflict {
        /// The case id.
        case: String,
        /// The conflicting field, as the conflicts screen gave it.
        field: String,
        /// The event whose value is kept.
        keep: String,
    },
    /// Invite: the role of the new phone.
    ChooseInviteRole {
        /// The role.
        role: Role,
    },
    /// Invite (the provincial officer): the commune of the new phone.
    ChooseInviteCommune {
        /// The commune's code.
        commune: String,
    },
    /// Invite: how long the code stays valid.
    ChooseInviteHours {
        /// Hours (24, 72 or 168).
        hours: u32,
    },
    /// Share the invitation code just made.
    ShareInvitation,
    /// Scan an invitation's QR code (the shell opens its scanner).
    ScanCode,
    /// The shell is opening a system screen on the person's request (a file
    /// picker): the app going to the background for it does not lock (idle
    /// locking still does). `Effect::ScanCode` and `Effect::SaveFile` count
    /// as such without it.
    SystemScreenOpened,
    /// What the scanner read, after `Effect::ScanCode`.
    Scanned {
        /// The text of the QR code.
        text: String,
    },
    /// Sync now (the sync screen's button).
    SyncNow,
    /// The phone has a network again (the shell's connectivity callback, or
    /// its background scheduler): sync if enrolled and unlocked.
    NetworkAvailable {
        /// The network is unmetered (Wi-Fi); false when the shell cannot
        /// tell. A road map update downloads on a metered network only if
        /// the person turned "Wi-Fi only" off.
        unmetered: bool,
    },
    /// Road map updates download on their own only over Wi-Fi, or not.
    SetRoadsWifiOnly {
        /// The new choice.
        wifi_only: bool,
    },
    /// Download the road map update waiting now, on any network.
    DownloadRoads,
    /// The programme registries desk (`screens/registries/`). JSON: the
    /// desk's own event beside the type (`{"type":"registries","do":…}`).
    Registries {
        /// What was done there.
        #[serde(flatten)]
        event: crate::screens::registries::RegistriesEvent,
    },
    /// The online reports' screens (a commune case manager). JSON: their
    /// own event beside the type (`{"type":"online_reports","do":…}`).
    OnlineReports {
        /// What was done there.
        #[serde(flatten)]
        event: crate::screens::online_reports::OnlineReportsEvent,
    },
    /// Call an emergency number.
    Dial {
        /// The number, as the emergency screen gave it.
        number: String,
    },
    /// Erase everything, after the confirmation screen.
    ConfirmWipe,
    /// The annual report desk (the provincial officer).
    Report {
        /// What was done there.
        event: crate::screens::report::ReportEvent,
    },
    /// Record an incident: a field's whole new value (a code for a choice,
    /// `yes`/`no` for a yes-no, "" to clear).
    SetIntake {
        /// Which field.
        field: IntakeField,
        /// Its row in a list, 0 otherwise.
        row: u32,
        /// Its whole new value.
        value: String,
    },
    /// Record an incident: add or remove one choice of a several-choice
    /// field.
    ToggleIntake {
        /// Which field.
        field: IntakeField,
        /// Its row in a list, 0 otherwise.
        row: u32,
        /// The choice's code.
        code: String,
    },
    /// Record an incident: add a row (a perpetrator, a consent).
    AddIntakeRow {
        /// Which list.
        list: IntakeList,
    },
    /// Record an incident: remove a row.
    RemoveIntakeRow {
        /// Which list.
        list: IntakeList,
        /// Which row.
        row: u32,
    },
    /// Record an incident: show this step.
    GoToStep {
        /// The step.
        step: IntakeStep,
    },
    /// Record an incident: check this step and go to the next.
    Next,
    /// Record an incident: forget the draft and leave the form.
    DiscardDraft,
    /// Show every text in this language.
    SetLanguage {
        /// The language.
        lang: Lang,
    },
    /// Back (the system back gesture or the back arrow).
    Back,
    /// Quick exit: lock, forget the screens, show the camouflage, hide the app.
    QuickExit,
    /// The app went to the background (another app, the home button, the
    /// screen turned off).
    Backgrounded,
    /// The app came back to the foreground.
    Foregrounded,
    /// A timer tick the shell sends when the view asks for one
    /// ([`crate::ViewModel::tick_in_ms`]); it is not an interaction.
    Tick,
    /// The provincial officer's shelter registry (its own events, tagged
    /// by `registry`).
    Registry(crate::screens::registry::RegistryEvent),
}

/// A calculator key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CalcKey {
    /// 0–9.
    Digit {
        /// The digit.
        digit: u8,
    },
    /// The decimal point.
    Point,
    /// +
    Add,
    /// −
    Subtract,
    /// ×
    Multiply,
    /// ÷
    Divide,
    /// =
    Equals,
    /// C: clear everything.
    Clear,
    /// ⌫: remove the last digit typed.
    Backspace,
}

/// A PIN pad key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PinKey {
    /// 0–9.
    Digit {
        /// The digit.
        digit: u8,
    },
    /// Remove the last character.
    Backspace,
    /// Unlock with what was entered.
    Submit,
}

/// A form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Field {
    /// The PIN pad's entry, typed as text (a passphrase).
    UnlockPin,
    /// First run: the new PIN.
    Pin,
    /// First run: the new PIN again.
    PinConfirm,
    /// First run: the optional duress PIN.
    DuressPin,
    /// First run: the duress PIN again.
    DuressPinConfirm,
    /// Change PIN: the current PIN.
    CurrentPin,
    /// Change PIN: the new PIN.
    NewPin,
    /// Change PIN: the new PIN again.
    NewPinConfirm,
    /// Enrolment: the server's address.
    ServerUrl,
    /// Enrolment: the invitation code.
    InvitationCode,
    /// Enrolment: a label for managers (no personal data needed).
    DeviceLabel,
    /// Invite: a school counselor's school.
    InviteSchool,
}

/// A screen that can be opened directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Target {
    /// The home screen.
    Home,
    /// The case list.
    CaseList,
    /// Emergency numbers (also before unlocking).
    Emergency,
    /// Settings.
    Settings,
    /// The change-PIN form.
    ChangePin,
    /// The form that sets or replaces the duress PIN.
    DuressPin,
    /// The confirmation before erasing everything.
    Wipe,
    /// Record an incident (resumes the draft if there is one).
    RecordIncident,
    /// Find the nearest shelter.
    FindShelter,
    /// Sync status and sync now.
    Sync,
    /// The shelter host's desk.
    HostDesk,
    /// A service provider's referral inbox.
    ReferralInbox,
    /// Referrals overdue for an answer, across the phone's cases.
    OverdueReferrals,
    /// Invite a device (managers).
    Invite,
    /// Enrol this phone with an invitation code.
    Enrol,
    /// The commune's devices (managers).
    Devices,
    /// The online reports (commune case managers).
    OnlineReports,
    /// The shelter registry (the provincial officer).
    Registry,
    /// The programme registries (managers: the commune's training and
    /// communication; collaborators and counselors: communication).
    Registries,
    /// The annual report (the provincial officer).
    Report,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON the browser shell sends (issue 16): tagged by `type`.
    #[test]
    fn events_have_a_stable_json_form() {
        let cases = [
            (
                Event::Calculator {
                    key: CalcKey::Digit { digit: 7 },
                },
                r#"{"type":"calculator","key":{"key":"digit","digit":7}}"#,
            ),
            (
                Event::SetField {
                    field: Field::PinConfirm,
                    value: "x".into(),
                },
                r#"{"type":"set_field","field":"pin_confirm","value":"x"}"#,
            ),
            (
                Event::FilterCases {
                    status: Some(CaseStatus::Open),
                    risk: None,
                },
                r#"{"type":"filter_cases","status":"open","risk":null}"#,
            ),
            (Event::QuickExit, r#"{"type":"quick_exit"}"#),
        ];
        for (event, json) in cases {
            assert_eq!(serde_json::to_string(&event).unwrap(), json);
            assert_eq!(serde_json::from_str::<Event>(json).unwrap(), event);
        }
        assert!(serde_json::from_str::<Event>(r#"{"type":"launch_missiles"}"#).is_err());
    }
}
