//! Conflicts of a case, side by side: two phones changed the same thing
//! (a risk assessment, a consent, a placement) without seeing each other's
//! change. Each value shows what it says, which phone wrote it and when;
//! keeping one records the resolution for every phone on the case's team.

use crate::event::Event;
use crate::format;
use crate::text::{pick, vi_en};
use crate::view::Action;
use binhan_core::cases::CaseDetail;
use binhan_core::events::{Attributed, Conflict, ConflictValue};
use binhan_core::model::{Coded, ConsentScope, DeviceId, Lang};
use serde::Serialize;

/// One value of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CandidateView {
    /// What the value says.
    pub value: String,
    /// Which phone wrote it ("this phone", or the first digits of its code).
    pub by: String,
    /// When, by that phone's clock, in Vietnam time.
    pub at: String,
    /// Keep this value.
    pub keep: Action,
}

/// One conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConflictView {
    /// What is in conflict.
    pub label: String,
    /// The values side by side, oldest first.
    pub candidates: Vec<CandidateView>,
}

/// The conflicts of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConflictsView {
    /// The survivor code.
    pub heading: String,
    /// What to do.
    pub intro: String,
    /// Each conflict.
    pub conflicts: Vec<ConflictView>,
    /// "No conflict left", when all are resolved.
    pub none: Option<String>,
}

pub(crate) fn scope_label(scope: &ConsentScope, lang: Lang) -> String {
    match scope {
        ConsentScope::Statistics => pick(
            lang,
            "thống kê (không nêu danh tính)",
            "statistics (no identification)",
        ),
        ConsentScope::Service { service, recipient } => {
            format!("{} · {recipient}", service.label(lang))
        }
        ConsentScope::TeamMember { label, .. } => {
            format!(
                "{} · {label}",
                pick(lang, "chia sẻ hồ sơ", "sharing the case")
            )
        }
        ConsentScope::Transfer { commune } => format!(
            "{} · {}",
            pick(lang, "chuyển hồ sơ sang xã", "transfer to the commune"),
            binhan_core::model::commune(commune).map_or(commune.as_str(), |c| c.name)
        ),
    }
}

fn yes_no(value: bool, lang: Lang) -> String {
    if value {
        pick(lang, "đồng ý", "agreed")
    } else {
        pick(lang, "không đồng ý", "refused")
    }
}

fn value_text(value: &ConflictValue, lang: Lang) -> String {
    match value {
        ConflictValue::Risk(risk) => {
            let factors: Vec<&str> = risk.factors.iter().map(|f| f.label(lang)).collect();
            let mut text = format!(
                "{} · {}",
                risk.level.label(lang),
                format::day(risk.assessed_on)
            );
            if !factors.is_empty() {
                text.push_str(&format!(" · {}", factors.join(", ")));
            }
            text
        }
        ConflictValue::Consent(consent) => format!(
            "{} · {}",
            yes_no(consent.granted, lang),
            consent.given_by.label(lang)
        ),
        ConflictValue::Placement(placement) => format!(
            "{} · {} · {}",
            placement.shelter_name,
            placement.status.label(lang),
            format::day(placement.on)
        ),
    }
}

fn label(conflict: &Conflict, lang: Lang) -> String {
    match conflict.candidates.first().map(|c| &c.value) {
        Some(ConflictValue::Risk(_)) => pick(lang, "Đánh giá nguy cơ", "Risk assessment"),
        Some(ConflictValue::Consent(consent)) => vi_en(
            lang,
            format!("Sự đồng ý: {}", scope_label(&consent.scope, lang)),
            format!("Consent: {}", scope_label(&consent.scope, lang)),
        ),
        Some(ConflictValue::Placement(_)) => pick(lang, "Tạm lánh", "Shelter placement"),
        None => conflict.field.clone(),
    }
}

pub(crate) fn by(author: DeviceId, me: Option<DeviceId>, lang: Lang) -> String {
    if Some(author) == me {
        return pick(lang, "máy này", "this phone");
    }
    let code: String = author.to_string().chars().take(8).collect();
    vi_en(lang, format!("máy {code}"), format!("phone {code}"))
}

fn candidate(
    case: &str,
    field: &str,
    c: &Attributed<ConflictValue>,
    me: Option<DeviceId>,
    lang: Lang,
) -> CandidateView {
    CandidateView {
        value: value_text(&c.value, lang),
        by: by(c.author, me, lang),
        at: format::instant(c.at),
        keep: Action::new(
            pick(lang, "Giữ giá trị này", "Keep this one"),
            Event::ResolveConflict {
                case: case.to_string(),
                field: field.to_string(),
                keep: c.event.to_string(),
            },
        ),
    }
}

/// The conflicts of `case` (as its detail holds them), `me` being this
/// phone.
pub(crate) fn view(case: &CaseDetail, me: Option<DeviceId>, lang: Lang) -> ConflictsView {
    let id = case.id.to_string();
    let conflicts = &case.conflicts;
    ConflictsView {
        heading: case.survivor.code.clone(),
        intro: pick(
            lang,
            "Hai máy đã sửa cùng một mục mà không thấy thay đổi của nhau. Hãy hỏi lại nếu cần, rồi giữ giá trị đúng.",
            "Two phones changed the same thing without seeing each other's change. Check if needed, then keep the right value.",
        ),
        conflicts: conflicts
            .iter()
            .map(|c| ConflictView {
                label: label(c, lang),
                candidates: c
                    .candidates
                    .iter()
                    .map(|v| candidate(&id, &c.field, v, me, lang))
                    .collect(),
            })
            .collect(),
        none: conflicts
            .is_empty()
            .then(|| pick(lang, "Không còn xung đột", "No conflict left")),
    }
}
