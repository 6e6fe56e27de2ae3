//! Invite a device (commune case managers and the provincial officer): the
//! role it will have, how long the code stays valid, then a one-time code
//! to type on the new phone, which the shell can share. The code is made
//! by the server in the background (`background.rs`).

use crate::background::SyncState;
use crate::event::Event;
use crate::format;
use crate::text::{pick, vi_en, Why};
use crate::view::{Action, Choice, LabelledValue, Reason};
use binhan_core::model::{Coded, Lang, Role};
use serde::Serialize;

/// Hours a code may stay valid, as offered.
pub(crate) const VALIDITY_HOURS: [u32; 3] = [24, 72, 168];

/// What the manager chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InviteForm {
    pub(crate) role: Option<Role>,
    pub(crate) hours: u32,
    /// Submitted at least once: from then on a missing role is shown.
    pub(crate) submitted: bool,
}

impl Default for InviteForm {
    fn default() -> Self {
        Self {
            role: None,
            hours: 72,
            submitted: false,
        }
    }
}

/// The invitation screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InviteView {
    /// "Role of the new phone".
    pub role_label: String,
    /// The roles this phone may invite.
    pub roles: Vec<Choice>,
    /// Why the form cannot be sent yet (no role chosen), once tried.
    pub role_error: Option<Reason>,
    /// "Valid for".
    pub hours_label: String,
    /// 24 hours, 3 days, 7 days.
    pub hours: Vec<Choice>,
    /// Make the code; disabled while one is being made.
    pub submit: Action,
    /// "Making the code…".
    pub running: Option<String>,
    /// Why the last attempt failed, with what to do.
    pub error: Option<Reason>,
    /// The code, the role, the commune and when it expires, once made.
    pub invitation: Vec<LabelledValue>,
    /// Share the code (the phone's share sheet).
    pub share: Option<Action>,
}

fn label(key: &str, lang: Lang) -> String {
    match key {
        "role" => pick(lang, "Vai trò của máy mới", "Role of the new phone"),
        "hours" => pick(lang, "Mã có hiệu lực trong", "The code is valid for"),
        "submit" => pick(lang, "Tạo mã mời", "Make an invitation code"),
        "running" => pick(lang, "Đang tạo mã…", "Making the code…"),
        "code" => pick(
            lang,
            "Mã mời (dùng một lần)",
            "Invitation code (works once)",
        ),
        "expires" => pick(lang, "Hết hạn", "Expires"),
        "share" => pick(lang, "Gửi mã", "Share the code"),
        _ => pick(lang, "Vai trò", "Role"),
    }
}

fn hours_label(hours: u32, lang: Lang) -> String {
    match hours {
        24 => pick(lang, "1 ngày", "1 day"),
        h => vi_en(lang, format!("{} ngày", h / 24), format!("{} days", h / 24)),
    }
}

/// The roles `me` may invite, in the enumeration's order.
pub(crate) fn invitable(me: Role) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| me.may_invite(*r))
        .collect()
}

/// The text shared with the new phone's holder: the code and its expiry,
/// nothing about any case.
pub(crate) fn share_text(code: &str, expires: &str, lang: Lang) -> String {
    vi_en(
        lang,
        format!("Mã mời Bình An: {code} (hết hạn {expires})"),
        format!("Bình An invitation code: {code} (expires {expires})"),
    )
}

pub(crate) fn view(form: &InviteForm, state: &SyncState, me: Role, lang: Lang) -> InviteView {
    let running = state.running.is_some();
    let invitation = state.invitation.as_ref();
    let expires = invitation.map(|i| format::instant(i.expires_at));
    InviteView {
        role_label: label("role", lang),
        roles: invitable(me)
            .into_iter()
            .map(|role| Choice {
                label: role.label(lang).to_string(),
                selected: form.role == Some(role),
                event: Event::ChooseInviteRole { role },
            })
            .collect(),
        role_error: (form.submitted && form.role.is_none())
            .then(|| Why::FieldRequired.reason(lang)),
        hours_label: label("hours", lang),
        hours: VALIDITY_HOURS
            .iter()
            .map(|h| Choice {
                label: hours_label(*h, lang),
                selected: form.hours == *h,
                event: Event::ChooseInviteHours { hours: *h },
            })
            .collect(),
        submit: Action::new(label("submit", lang), Event::Submit)
            .unless(running.then(|| Why::SyncRunning.reason(lang))),
        running: running.then(|| label("running", lang)),
        error: state.last_error.map(|w| w.reason(lang)),
        invitation: invitation
            .map(|i| {
                vec![
                    LabelledValue {
                        code: "code".into(),
                        label: label("code", lang),
                        value: i.code.clone(),
                    },
                    LabelledValue {
                        code: "role".into(),
                        label: label("other", lang),
                        value: i.role.label(lang).to_string(),
                    },
                    LabelledValue {
                        code: "expires".into(),
                        label: label("expires", lang),
                        value: expires.clone().unwrap_or_default(),
                    },
                ]
            })
            .unwrap_or_default(),
        share: invitation.map(|_| Action::new(label("share", lang), Event::ShareInvitation)),
    }
}
