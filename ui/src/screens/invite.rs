//! Invite a device (commune case managers and the provincial officer): the
//! role it will have, how long the code stays valid, then a one-time code
//! to type on the new phone, which the shell can share. The code is made
//! by the server in the background (`background.rs`).

use crate::background::SyncState;
use crate::event::{Event, Field};
use crate::format;
use crate::screens::sync::TextFieldView;
use crate::text::{pick, vi_en, Why};
use crate::view::{Action, Choice, LabelledValue, Reason};
use binhan_core::model::{Coded, Lang, Role, COMMUNES};
use binhan_core::sync::InvitationLink;
use serde::Serialize;

/// Hours a code may stay valid, as offered.
pub(crate) const VALIDITY_HOURS: [u32; 3] = [24, 72, 168];

/// What the manager chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InviteForm {
    pub(crate) role: Option<Role>,
    /// The commune of the new phone, chosen by the provincial officer (a
    /// manager invites into their own commune).
    pub(crate) commune: Option<String>,
    pub(crate) hours: u32,
    /// A school counselor's school, as typed.
    pub(crate) school: String,
    /// Submitted at least once: from then on a missing role is shown.
    pub(crate) submitted: bool,
}

impl Default for InviteForm {
    fn default() -> Self {
        Self {
            role: None,
            commune: None,
            hours: 72,
            school: String::new(),
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
    /// "Commune of the new phone", for the provincial officer inviting
    /// anyone but another officer.
    pub commune_label: Option<String>,
    /// The province's communes to choose from (empty when not asked).
    pub communes: Vec<Choice>,
    /// Why the form cannot be sent yet (no commune chosen), once tried.
    pub commune_error: Option<Reason>,
    /// A school counselor's school (its counselors share the school's
    /// cases): asked only when that role is chosen.
    pub school: Option<TextFieldView>,
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
    /// The server and the code as a QR code for the new phone to scan.
    pub qr: Option<crate::qr::QrCode>,
}

fn label(key: &str, lang: Lang) -> String {
    match key {
        "role" => pick(lang, "Vai trò của máy mới", "Role of the new phone"),
        "commune" => pick(lang, "Xã, phường của máy mới", "Commune of the new phone"),
        "hours" => pick(lang, "Mã có hiệu lực trong", "The code is valid for"),
        "school" => pick(lang, "Trường của cán bộ tư vấn", "The counselor's school"),
        "school_help" => pick(
            lang,
            "Các cán bộ tư vấn cùng trường cùng theo dõi vụ việc của học sinh trường mình, \
             cùng cán bộ phụ trách xã; không ai khác.",
            "Counselors of the same school share the cases of its students, with the \
             commune's case managers; no one else.",
        ),
        "submit" => pick(lang, "Tạo mã mời", "Make an invitation code"),
        "running" => pick(lang, "Đang tạo mã…", "Making the code…"),
        "code" => pick(
            lang,
            "Mã mời (dùng một lần)",
            "Invitation code (works once)",
        ),
        "expires" => pick(lang, "Hết hạn", "Expires"),
        "share" => pick(lang, "Gửi mã", "Share the code"),
        "qr" => pick(
            lang,
            "Mã QR của lời mời: quét bằng máy mới khi đăng ký",
            "QR code of the invitation: scan it with the new phone when enrolling",
        ),
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

/// The commune the new phone will belong to: a manager's own; for the
/// provincial officer, the province for another officer, else the commune
/// chosen (`None`: not chosen yet).
pub(crate) fn invite_commune(form: &InviteForm, me: Role, own: &str) -> Option<String> {
    match (me, form.role) {
        (Role::ProvincialOfficer, Some(Role::ProvincialOfficer)) => Some(own.to_string()),
        (Role::ProvincialOfficer, _) => form.commune.clone(),
        _ => Some(own.to_string()),
    }
}

/// The school of a school counselor's invitation: `Some` for that role
/// (blank when not typed yet), `None` for any other.
pub(crate) fn invite_school(form: &InviteForm) -> Option<&str> {
    (form.role == Some(Role::SchoolCounselor)).then(|| form.school.trim())
}

/// Whether `me` chooses the new phone's commune for the role chosen.
fn asks_commune(form: &InviteForm, me: Role) -> bool {
    me == Role::ProvincialOfficer && form.role != Some(Role::ProvincialOfficer)
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

/// The view; `server_url` is the server this phone is enrolled with, which
/// the new phone enrols with too.
pub(crate) fn view(
    form: &InviteForm,
    state: &SyncState,
    me: Role,
    server_url: &str,
    lang: Lang,
) -> InviteView {
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
        commune_label: asks_commune(form, me).then(|| label("commune", lang)),
        communes: if asks_commune(form, me) {
            COMMUNES
                .iter()
                .map(|c| Choice {
                    label: c.name.to_string(),
                    selected: form.commune.as_deref() == Some(c.code),
                    event: Event::ChooseInviteCommune {
                        commune: c.code.to_string(),
                    },
                })
                .collect()
        } else {
            Vec::new()
        },
        commune_error: (form.submitted && asks_commune(form, me) && form.commune.is_none())
            .then(|| Why::FieldRequired.reason(lang)),
        school: invite_school(form).map(|typed| TextFieldView {
            field: Field::InviteSchool,
            label: label("school", lang),
            help: Some(label("school_help", lang)),
            value: form.school.clone(),
            error: (form.submitted && typed.is_empty()).then(|| Why::FieldRequired.reason(lang)),
        }),
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
                        code: "commune".into(),
                        label: label("commune", lang),
                        value: binhan_core::model::commune(&i.commune)
                            .map(|c| c.name.to_string())
                            .unwrap_or_else(|| i.commune.clone()),
                    },
                ]
                .into_iter()
                .chain((i.role == Role::SchoolCounselor).then(|| LabelledValue {
                    code: "school".into(),
                    label: label("school", lang),
                    value: form.school.trim().to_string(),
                }))
                .chain([LabelledValue {
                    code: "expires".into(),
                    label: label("expires", lang),
                    value: expires.clone().unwrap_or_default(),
                }])
                .collect()
            })
            .unwrap_or_default(),
        share: invitation.map(|_| Action::new(label("share", lang), Event::ShareInvitation)),
        qr: invitation.and_then(|i| {
            let link = InvitationLink {
                server_url: server_url.to_string(),
                code: i.code.clone(),
            };
            crate::qr::encode(&link.to_uri(), label("qr", lang))
        }),
    }
}

#[cfg(test)]
mod commune_tests {
    use super::*;

    const SERVER: &str = "https://sync.example.test";

    #[test]
    fn the_officer_chooses_the_commune_a_manager_invites_into_their_own() {
        let state = SyncState::default();
        let mut form = InviteForm {
            role: Some(Role::CommuneCaseManager),
            submitted: true,
            ..InviteForm::default()
        };
        let asked = view(&form, &state, Role::ProvincialOfficer, SERVER, Lang::Vi);
        assert_eq!(
            asked.commune_label.as_deref(),
            Some("Xã, phường của máy mới")
        );
        assert_eq!(asked.communes.len(), COMMUNES.len());
        assert_eq!(
            asked.commune_error.as_ref().map(|r| r.code.as_str()),
            Some("required")
        );
        assert_eq!(
            invite_commune(&form, Role::ProvincialOfficer, "province"),
            None
        );
        form.commune = Some("pa_u".into());
        let chosen = view(&form, &state, Role::ProvincialOfficer, SERVER, Lang::Vi);
        assert!(chosen.commune_error.is_none());
        assert!(chosen
            .communes
            .iter()
            .any(|c| c.selected && c.label == "Xã Pa Ủ"));
        assert_eq!(
            invite_commune(&form, Role::ProvincialOfficer, "province").as_deref(),
            Some("pa_u")
        );
        // Another officer belongs to the province; a manager's phones to
        // the manager's commune, whatever the form holds.
        form.role = Some(Role::ProvincialOfficer);
        assert!(
            view(&form, &state, Role::ProvincialOfficer, SERVER, Lang::Vi)
                .communes
                .is_empty()
        );
        assert_eq!(
            invite_commune(&form, Role::ProvincialOfficer, "province").as_deref(),
            Some("province")
        );
        form.role = Some(Role::Collaborator);
        assert!(
            view(&form, &state, Role::CommuneCaseManager, SERVER, Lang::Vi)
                .communes
                .is_empty()
        );
        assert_eq!(
            invite_commune(&form, Role::CommuneCaseManager, "mu_ca").as_deref(),
            Some("mu_ca")
        );
    }

    /// A school counselor's invitation asks for the school, which is
    /// required; no other role's does.
    #[test]
    fn a_counselor_s_invitation_asks_for_the_school() {
        let state = SyncState::default();
        let mut form = InviteForm {
            role: Some(Role::Collaborator),
            submitted: true,
            ..InviteForm::default()
        };
        let me = Role::CommuneCaseManager;
        assert!(view(&form, &state, me, SERVER, Lang::Vi).school.is_none());
        assert_eq!(invite_school(&form), None);
        form.role = Some(Role::SchoolCounselor);
        let asked = view(&form, &state, me, SERVER, Lang::En).school.unwrap();
        assert_eq!(
            (asked.field, asked.label.as_str()),
            (Field::InviteSchool, "The counselor's school")
        );
        assert_eq!(asked.error.map(|r| r.code), Some("required".to_string()));
        assert_eq!(invite_school(&form), Some(""));
        form.school = "  Trường THCS synthetic ".into();
        let typed = view(&form, &state, me, SERVER, Lang::Vi).school.unwrap();
        assert!(typed.error.is_none());
        assert_eq!(invite_school(&form), Some("Trường THCS synthetic"));
    }
}
