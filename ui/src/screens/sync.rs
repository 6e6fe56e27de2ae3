//! Enrolment and sync as everyone can read them: what the phone is
//! enrolled as, when it last synced, what waits to be sent, what runs now,
//! and what went wrong with what to do next; the road map the province
//! publishes (its version and size, an update waiting for Wi-Fi, the
//! Wi-Fi-only choice, "download now").

use crate::background::{Activity, EnrolForm, SyncState};
use crate::event::{Event, Field, Target};
use crate::format;
use crate::text::{Why, T};
use crate::view::{Action, Choice, LabelledValue, Reason};
use binhan_core::app::{LastSync, RoadStatus};
use binhan_core::model::{commune, Coded, Lang};
use binhan_core::sync::{Enrolment, SyncPhase};
use serde::Serialize;

/// A text field that is not secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TextFieldView {
    /// Which field (send it back in `Event::SetField`).
    pub field: Field,
    /// Its label.
    pub label: String,
    /// A help line, if any.
    pub help: Option<String>,
    /// Its value.
    pub value: String,
    /// What is wrong with it, once the form was submitted.
    pub error: Option<Reason>,
}

/// The enrolment form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EnrolView {
    /// What enrolling does.
    pub intro: String,
    /// Server address, invitation code, a label for the phone.
    pub fields: Vec<TextFieldView>,
    /// Scan the invitation's QR code (fills the server and the code), on
    /// a phone with a camera.
    pub scan: Option<Action>,
    /// Enrol; disabled while it runs.
    pub submit: Action,
    /// "Enrolling…" while it runs.
    pub running: Option<String>,
    /// Why the last attempt failed, with what to do.
    pub error: Option<Reason>,
}

/// What is running, and how far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgressView {
    /// "Sending changes…".
    pub label: String,
    /// "12/40", when counted.
    pub count: Option<String>,
    /// Done, in thousandths (for a progress bar), when counted.
    pub permille: Option<u32>,
}

/// The road map on this phone and its updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoadsView {
    /// "Bản đồ đường: phiên bản 3, 2,4 MB".
    pub map: LabelledValue,
    /// "Bản cập nhật 1,1 MB đang chờ Wi-Fi", when one waits.
    pub update: Option<String>,
    /// Download updates on Wi-Fi only: selected when on; its event turns
    /// it the other way.
    pub wifi_only: Choice,
    /// "Tải ngay (1,1 MB)", when an update waits; disabled while a sync
    /// runs.
    pub download_now: Option<Action>,
}

/// The sync screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncView {
    /// What the last syncs left for the manager to know, each to show as
    /// a warning: items received that did not open or were not properly
    /// signed, held apart (`items_held`: the rest was received); case team
    /// members found without the survivor's consent
    /// (`members_without_consent`: removed with a new key by a manager's or
    /// the creator's phone). Empty when there is nothing.
    pub notices: Vec<Reason>,
    /// Server, role, commune and this phone's device code (what a manager
    /// names when the province lists it as a shelter's host); empty when
    /// not enrolled.
    pub enrolled_as: Vec<LabelledValue>,
    /// "Not enrolled: cases stay on this phone", when not enrolled.
    pub not_enrolled: Option<String>,
    /// Last successful sync, and what it carried.
    pub last_sync: LabelledValue,
    /// "3 changes waiting to be sent".
    pub waiting: String,
    /// What runs now.
    pub progress: Option<ProgressView>,
    /// Why the last run failed, with what to do.
    pub error: Option<Reason>,
    /// Sync now; disabled when not enrolled or while a sync runs.
    pub sync_now: Action,
    /// Enrol, when not enrolled.
    pub enrol: Option<Action>,
    /// The road map, when enrolled.
    pub roads: Option<RoadsView>,
}

fn field(
    field: Field,
    label: T,
    help: Option<T>,
    value: &str,
    error: Option<Why>,
    lang: Lang,
) -> TextFieldView {
    TextFieldView {
        field,
        label: label.get(lang),
        help: help.map(|h| h.get(lang)),
        value: value.to_string(),
        error: error.map(|e| e.reason(lang)),
    }
}

/// Every error of the enrolment form (empty fields).
pub(crate) fn enrol_errors(form: &EnrolForm) -> Vec<(Field, Why)> {
    [
        (Field::ServerUrl, form.server_url.as_str()),
        (Field::InvitationCode, form.code.as_str()),
        (Field::DeviceLabel, form.label.as_str()),
    ]
    .into_iter()
    .filter(|(_, value)| value.trim().is_empty())
    .map(|(field, _)| (field, Why::FieldRequired))
    .collect()
}

/// The enrolment form; `scan_codes`: the shell can scan a QR code.
pub(crate) fn enrol_view(state: &SyncState, scan_codes: bool, lang: Lang) -> EnrolView {
    let form = &state.form;
    let errors = if form.submitted {
        enrol_errors(form)
    } else {
        Vec::new()
    };
    let error_of = |f: Field| errors.iter().find(|(e, _)| *e == f).map(|(_, w)| *w);
    let running = state
        .running
        .as_ref()
        .is_some_and(|r| r.activity == Activity::Enrol);
    EnrolView {
        intro: T::EnrolIntro.get(lang),
        fields: vec![
            field(
                Field::ServerUrl,
                T::FieldServerUrl,
                None,
                &form.server_url,
                error_of(Field::ServerUrl),
                lang,
            ),
            field(
                Field::InvitationCode,
                T::FieldInvitationCode,
                Some(T::InvitationHelp),
                &form.code,
                error_of(Field::InvitationCode),
                lang,
            ),
            field(
                Field::DeviceLabel,
                T::FieldDeviceLabel,
                None,
                &form.label,
                error_of(Field::DeviceLabel),
                lang,
            ),
        ],
        scan: scan_codes.then(|| {
            Action::new(T::ScanInvitation.get(lang), Event::ScanCode)
                .unless(running.then(|| Why::SyncRunning.reason(lang)))
        }),
        submit: Action::new(T::EnrolSubmit.get(lang), Event::Submit)
            .unless(running.then(|| Why::SyncRunning.reason(lang))),
        running: running.then(|| T::Enrolling.get(lang)),
        error: state.last_error.map(|w| w.reason(lang)),
    }
}

fn progress_view(state: &SyncState, lang: Lang) -> Option<ProgressView> {
    let running = state.running.as_ref()?;
    let alone = match running.activity {
        Activity::Enrol => Some(T::Enrolling),
        Activity::DownloadRoads => Some(T::DownloadingRoads),
        Activity::Sync
        | Activity::Invite
        | Activity::Devices
        | Activity::Revoke
        | Activity::PublishRegistry
        | Activity::Report => None,
    };
    if let Some(label) = alone {
        return Some(ProgressView {
            label: label.get(lang),
            count: None,
            permille: None,
        });
    }
    let (label, counted) = match running.progress.as_ref() {
        None => (T::Authenticating, None),
        Some(p) => (
            match p.phase {
                SyncPhase::Authenticating => T::Authenticating,
                SyncPhase::Pushing => T::Pushing,
                SyncPhase::Pulling => T::Pulling,
                SyncPhase::Snapshots => T::Snapshots,
            },
            (p.total > 0).then_some((p.done.min(p.total), p.total)),
        ),
    };
    Some(ProgressView {
        label: label.get(lang),
        count: counted.map(|(done, total)| T::Progress(done, total).get(lang)),
        permille: counted.map(|(done, total)| u32::try_from(done * 1000 / total).unwrap_or(1000)),
    })
}

pub(crate) fn roads_view(status: &RoadStatus, blocked: Option<Why>, lang: Lang) -> RoadsView {
    let map = match status.installed_bytes {
        Some(bytes) => T::RoadMapInstalled(status.installed_version, bytes),
        None => T::RoadMapNone,
    };
    let update = status.update.map(|u| {
        if status.wifi_only {
            T::RoadUpdateWaitingWifi(u.download_bytes)
        } else {
            T::RoadUpdateNotDone(u.download_bytes)
        }
    });
    RoadsView {
        map: LabelledValue {
            code: "road_map".into(),
            label: T::RoadMap.get(lang),
            value: map.get(lang),
        },
        update: update.map(|t| t.get(lang)),
        wifi_only: Choice {
            label: T::RoadsWifiOnly.get(lang),
            selected: status.wifi_only,
            event: Event::SetRoadsWifiOnly {
                wifi_only: !status.wifi_only,
            },
        },
        download_now: status.update.map(|u| {
            Action::new(
                T::RoadsDownloadNow(u.download_bytes).get(lang),
                Event::DownloadRoads,
            )
            .unless(blocked.map(|w| w.reason(lang)))
        }),
    }
}

/// What the vault says about this phone's sync.
#[derive(Debug, Default)]
pub(crate) struct SyncFacts {
    pub(crate) enrolment: Option<Enrolment>,
    pub(crate) device: Option<String>,
    pub(crate) waiting: u64,
    pub(crate) last_sync: Option<LastSync>,
    pub(crate) roads: Option<RoadStatus>,
    /// Pulled items refused and held back.
    pub(crate) held: usize,
    /// Team members the last sync found without consent.
    pub(crate) without_consent: u64,
    /// Referrals overdue for an answer at the last sync.
    pub(crate) overdue: u64,
    /// Statistics kept back at the last sync for want of the office's key.
    pub(crate) statistics_waiting: u64,
}

impl SyncFacts {
    /// The facts of `vault` (none when locked).
    pub(crate) fn of(vault: Option<&binhan_core::app::Vault>) -> Self {
        let Some(vault) = vault else {
            return Self::default();
        };
        Self {
            enrolment: vault.enrolment().ok().flatten(),
            device: vault.device_id().ok().map(|d| d.to_string()),
            waiting: vault.pending_events().unwrap_or(0),
            last_sync: vault.last_sync().ok().flatten(),
            roads: vault.road_status().ok(),
            held: vault.held_items().map(|h| h.len()).unwrap_or(0),
            without_consent: vault.members_without_consent().unwrap_or(0),
            overdue: vault.overdue_referrals_at_last_sync().unwrap_or(0),
            statistics_waiting: vault.statistics_waiting_at_last_sync().unwrap_or(0),
        }
    }
}

pub(crate) fn sync_view(state: &SyncState, facts: SyncFacts, lang: Lang) -> SyncView {
    let SyncFacts {
        enrolment,
        device,
        waiting,
        last_sync,
        roads,
        held,
        without_consent,
        overdue,
        statistics_waiting,
    } = facts;
    let enrolment = enrolment.as_ref();
    let enrolled_as = enrolment
        .map(|e| {
            let device = LabelledValue {
                code: "device".into(),
                label: T::DeviceCode.get(lang),
                value: device.unwrap_or_default(),
            };
            vec![
                LabelledValue {
                    code: "server".into(),
                    label: T::EnrolledServer.get(lang),
                    value: e.server_url.clone(),
                },
                LabelledValue {
                    code: "role".into(),
                    label: T::EnrolledRole.get(lang),
                    value: e.role.label(lang).to_string(),
                },
                LabelledValue {
                    code: "commune".into(),
                    label: T::EnrolledCommune.get(lang),
                    value: commune(&e.commune)
                        .map(|c| c.name.to_string())
                        .unwrap_or_else(|| e.commune.clone()),
                },
                device,
            ]
        })
        .unwrap_or_default();
    let last = match last_sync {
        Some(last) => format!(
            "{} · {}",
            format::instant(last.at),
            T::SyncedCounts(last.events_pushed, last.events_pulled).get(lang)
        ),
        None => T::NeverSynced.get(lang),
    };
    let blocked = if enrolment.is_none() {
        Some(Why::NotEnrolled)
    } else if state.running.is_some() {
        Some(Why::SyncRunning)
    } else {
        None
    };
    SyncView {
        notices: [
            (held > 0).then(|| Reason::new("items_held", T::ItemsHeld(held).get(lang))),
            (without_consent > 0).then(|| {
                let text = T::MembersWithoutConsent(without_consent).get(lang);
                Reason::new("members_without_consent", text)
            }),
            (overdue > 0)
                .then(|| Reason::new("referrals_overdue", T::ReferralsOverdue(overdue).get(lang))),
            (statistics_waiting > 0).then(|| {
                let text = T::StatisticsWaiting(statistics_waiting).get(lang);
                Reason::new("statistics_waiting", text)
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
        not_enrolled: enrolment.is_none().then(|| T::NotEnrolled.get(lang)),
        enrolled_as,
        last_sync: LabelledValue {
            code: "last_sync".into(),
            label: T::LastSync.get(lang),
            value: last,
        },
        waiting: T::Waiting(waiting).get(lang),
        progress: progress_view(state, lang),
        error: state.last_error.map(|w| w.reason(lang)),
        sync_now: Action::new(T::SyncNow.get(lang), Event::SyncNow)
            .unless(blocked.map(|w| w.reason(lang))),
        roads: roads
            .filter(|_| enrolment.is_some())
            .map(|status| roads_view(&status, blocked, lang)),
        enrol: enrolment.is_none().then(|| {
            Action::new(
                T::EnrolTitle.get(lang),
                Event::Open {
                    target: Target::Enrol,
                },
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_items_and_members_without_consent_are_told_and_nothing_when_none() {
        let state = SyncState::default();
        let none = sync_view(&state, SyncFacts::default(), Lang::Vi);
        assert!(none.notices.is_empty());
        let told = |facts, lang| sync_view(&state, facts, lang).notices;
        let held = told(
            SyncFacts {
                held: 3,
                ..SyncFacts::default()
            },
            Lang::En,
        );
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].code, "items_held");
        assert!(held[0].text.starts_with("3 items received"));
        let without = told(
            SyncFacts {
                without_consent: 2,
                ..SyncFacts::default()
            },
            Lang::Vi,
        );
        assert_eq!(without.len(), 1);
        assert_eq!(without[0].code, "members_without_consent");
        let overdue = told(
            SyncFacts {
                overdue: 1,
                ..SyncFacts::default()
            },
            Lang::En,
        );
        assert_eq!(overdue[0].code, "referrals_overdue");
        let statistics = told(
            SyncFacts {
                statistics_waiting: 2,
                ..SyncFacts::default()
            },
            Lang::Vi,
        );
        assert_eq!(statistics[0].code, "statistics_waiting");
        assert!(statistics[0].text.contains("khóa của Sở Nội vụ"));
        assert!(overdue[0].text.starts_with("1 referrals are overdue"));
        assert!(
            without[0].text.starts_with("2 người"),
            "{}",
            without[0].text
        );
    }
}
