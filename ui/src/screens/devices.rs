//! The devices of the commune (commune case managers and the provincial
//! officer): each enrolled phone with its label and role, and revoking one
//! after a confirmation. A revoked phone is refused by the server from then
//! on and erases its data at its next contact. The list and the revocation
//! come from the server in the background (`background.rs`).

use crate::background::{Activity, SyncState};
use crate::event::Event;
use crate::text::{pick, vi_en, Why};
use crate::view::{Action, Reason};
use binhan_core::model::{Coded, DeviceId, Lang, Role};
use binhan_core::sync::wire::DeviceRecord;
use serde::Serialize;

/// One device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceRow {
    /// The label given at enrolment.
    pub label: String,
    /// Its role.
    pub role: String,
    /// The first characters of its code ("this phone" for this one).
    pub code: String,
    /// Revoke it; `None` for this phone, disabled with the reason for a
    /// device this phone may not revoke.
    pub revoke: Option<Action>,
}

/// Asking before revoking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RevokeConfirm {
    /// What revoking does, naming the device.
    pub text: String,
    /// Revoke.
    pub confirm: Action,
    /// Keep it.
    pub cancel: Action,
}

/// The devices screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DevicesView {
    /// What this list is.
    pub intro: String,
    /// The devices, once loaded.
    pub rows: Vec<DeviceRow>,
    /// "Loading…" or "Revoking…", while the server is asked.
    pub running: Option<String>,
    /// Why the last request failed, with what to do.
    pub error: Option<Reason>,
    /// Ask the server again.
    pub refresh: Action,
    /// The confirmation, when a revocation was asked for.
    pub confirm: Option<RevokeConfirm>,
}

/// Whether a device of `me`'s role may revoke one of role `other` (the
/// server's rule: a manager any device of the commune but an officer's).
pub(crate) fn may_revoke(me: Role, other: Role) -> bool {
    match me {
        Role::ProvincialOfficer => true,
        Role::CommuneCaseManager => other != Role::ProvincialOfficer,
        _ => false,
    }
}

fn short(id: DeviceId) -> String {
    id.to_string().chars().take(8).collect()
}

fn row(device: &DeviceRecord, me: DeviceId, role: Role, lang: Lang) -> DeviceRow {
    let id = device.public.device_id;
    let this = id == me;
    DeviceRow {
        label: device.label.clone(),
        role: device.role.label(lang).to_string(),
        code: if this {
            pick(lang, "máy này", "this phone")
        } else {
            short(id)
        },
        revoke: (!this).then(|| {
            Action::new(
                pick(lang, "Thu hồi", "Revoke"),
                Event::RevokeDevice {
                    device: id.to_string(),
                },
            )
            .unless((!may_revoke(role, device.role)).then(|| {
                Reason::new(
                    "cannot_revoke",
                    pick(
                        lang,
                        "Chỉ Sở Nội vụ thu hồi được máy này",
                        "Only the provincial office can revoke this device",
                    ),
                )
            }))
        }),
    }
}

/// The devices screen of a phone with `role`, this phone being `me`.
pub(crate) fn view(sync: &SyncState, me: DeviceId, role: Role, lang: Lang) -> DevicesView {
    let devices = sync.devices.as_deref().unwrap_or_default();
    let confirm = sync.revoke.and_then(|id| {
        let device = devices.iter().find(|d| d.public.device_id == id)?;
        Some(RevokeConfirm {
            text: vi_en(
                lang,
                format!(
                    "Thu hồi máy “{}” ({})? Máy đó sẽ không đồng bộ được nữa và tự xóa toàn bộ dữ liệu khi kết nối lần tới. Không thể hoàn tác.",
                    device.label,
                    short(id)
                ),
                format!(
                    "Revoke the device “{}” ({})? It will no longer sync, and it erases all its data at its next contact. This cannot be undone.",
                    device.label,
                    short(id)
                ),
            ),
            confirm: Action::new(pick(lang, "Thu hồi máy này", "Revoke this device"), Event::ConfirmRevoke),
            cancel: Action::new(pick(lang, "Không thu hồi", "Keep it"), Event::Back),
        })
    });
    let running = sync.running.as_ref().and_then(|r| match r.activity {
        Activity::Devices => Some(pick(lang, "Đang tải danh sách…", "Loading the list…")),
        Activity::Revoke => Some(pick(lang, "Đang thu hồi…", "Revoking…")),
        _ => None,
    });
    DevicesView {
        intro: pick(
            lang,
            "Các máy đang hoạt động trong xã. Thu hồi máy bị mất, bị lấy hoặc không còn dùng.",
            "The active devices of the commune. Revoke a phone that is lost, taken, or no longer used.",
        ),
        rows: devices.iter().map(|d| row(d, me, role, lang)).collect(),
        refresh: Action::new(pick(lang, "Tải lại", "Reload"), Event::RefreshDevices)
            .unless(sync.running.is_some().then(|| Why::SyncRunning.reason(lang))),
        running,
        error: sync.last_error.as_ref().map(|why| why.reason(lang)),
        confirm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use binhan_core::sync::DevicePublic;

    fn device(role: Role, label: &str) -> DeviceRecord {
        DeviceRecord {
            public: DevicePublic {
                device_id: DeviceId::random(),
                sign_key: [1; 32],
                exchange_key: [2; 32],
            },
            role,
            commune: "pa_u".into(),
            label: label.into(),
            active: true,
            certificate: None,
            revocation: None,
            school: None,
        }
    }

    #[test]
    fn a_manager_revokes_the_communes_phones_but_not_itself_or_the_province() {
        let me = device(Role::CommuneCaseManager, "synthetic manager");
        let collaborator = device(Role::Collaborator, "synthetic collaborator");
        let officer = device(Role::ProvincialOfficer, "synthetic officer");
        let sync = SyncState {
            devices: Some(vec![me.clone(), collaborator.clone(), officer]),
            revoke: Some(collaborator.public.device_id),
            ..SyncState::default()
        };
        let view = view(
            &sync,
            me.public.device_id,
            Role::CommuneCaseManager,
            Lang::Vi,
        );
        assert_eq!(view.rows[0].code, "máy này");
        assert!(view.rows[0].revoke.is_none());
        assert!(view.rows[1].revoke.as_ref().is_some_and(|a| a.enabled));
        let officer = view.rows[2].revoke.as_ref().expect("shown");
        assert!(!officer.enabled);
        assert_eq!(
            officer.disabled_reason.as_ref().map(|r| r.code.as_str()),
            Some("cannot_revoke")
        );
        let confirm = view.confirm.expect("asked");
        assert!(confirm.text.contains("synthetic collaborator"));
        assert_eq!(confirm.confirm.event, Event::ConfirmRevoke);
        assert!(!may_revoke(Role::Collaborator, Role::Collaborator));
        assert!(may_revoke(Role::ProvincialOfficer, Role::ProvincialOfficer));
    }
}
