//! The sections of a case's detail under its summary: the shelter
//! placement and where its request stands, services and referrals,
//! follow-ups, notes, and the case's history (every change, newest first,
//! with which phone made it), each with the action that adds to it.

use super::text::D;
use super::WorkKind;
use crate::event::Event;
use crate::format;
use crate::screens::conflicts::{by, scope_label};
use crate::text::Why;
use crate::view::Action;
use binhan_core::cases::CaseDetail;
use binhan_core::events::{Change, Event as CaseEvent};
use binhan_core::model::{CaseStatus, Coded, DeviceId, Lang, StatusChange};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// History entries shown; older ones are counted.
pub const HISTORY_ROWS: usize = 30;

/// One section of the detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DetailSection {
    /// Stable code: `placement`, `services`, `referrals`, `follow_ups`,
    /// `notes`, `history`.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Its entries, in reading order.
    pub items: Vec<DetailItem>,
    /// What to say when it has none.
    pub empty: Option<String>,
    /// "and 12 earlier entries", when not all are shown.
    pub more: Option<String>,
    /// Add to it (disabled with the reason when the case is closed).
    pub add: Option<Action>,
}

/// One entry of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DetailItem {
    /// What it is.
    pub title: String,
    /// More about it, if anything.
    pub detail: Option<String>,
    /// When and by which phone.
    pub meta: String,
}

fn meta(at: DateTime<Utc>, author: DeviceId, me: Option<DeviceId>, lang: Lang) -> String {
    format!("{} · {}", format::instant(at), by(author, me, lang))
}

/// The action that opens the form `kind` for `case`; the forms that need
/// an open case are disabled, with the reason, on a closed one.
pub(crate) fn work_action(case: &CaseDetail, kind: WorkKind, lang: Lang) -> Action {
    let closed = case.status == CaseStatus::Closed && kind.needs_open();
    Action::new(
        kind.title(lang),
        Event::OpenCaseWork {
            case: case.id.to_string(),
            kind,
        },
    )
    .unless(closed.then(|| Why::CaseClosed.reason(lang)))
}

fn section(
    code: &str,
    title: D,
    items: Vec<DetailItem>,
    empty: D,
    add: Option<Action>,
    lang: Lang,
) -> DetailSection {
    DetailSection {
        code: code.to_string(),
        title: title.get(lang),
        empty: items.is_empty().then(|| empty.get(lang)),
        items,
        more: None,
        add,
    }
}

/// The lines that describe one change, if it is worth a line.
fn change_line(change: &Change, lang: Lang) -> Option<D> {
    Some(match change {
        Change::Created { .. } => D::Recorded,
        Change::Survivor(binhan_core::model::SurvivorField::Commune(code)) => D::Transferred(
            binhan_core::model::commune(code).map_or_else(|| code.clone(), |c| c.name.to_string()),
        ),
        Change::Survivor(_) => D::SurvivorChanged,
        Change::Incident(_) => D::IncidentChanged,
        Change::Risk(w) => D::RiskAssessed(w.value.level.label(lang).to_string()),
        Change::SafetyPlan(Some(_)) => D::SafetyPlanSet,
        Change::SafetyPlan(None) => D::SafetyPlanCleared,
        Change::NextFollowUp(Some(day)) => D::NextFollowUpSet(format::day(*day)),
        Change::NextFollowUp(None) => D::NextFollowUpCleared,
        Change::Consent(w) if w.value.granted => {
            D::ConsentAgreed(scope_label(&w.value.scope, lang))
        }
        Change::Consent(w) => D::ConsentRefused(scope_label(&w.value.scope, lang)),
        Change::ServiceAdded(s) => D::Service(format!(
            "{} · {}",
            s.service.label(lang),
            s.outcome.label(lang)
        )),
        Change::FollowUpAdded(f) => D::FollowUpOn(format::day(f.date)),
        Change::NoteAdded(_) => D::NoteAdded,
        Change::Status(StatusChange::Closed(c)) => D::Closed(c.reason.label(lang).to_string()),
        Change::Status(StatusChange::Reopened { reason }) => D::Reopened(reason.clone()),
        Change::Placement(w) => D::Placed(format!(
            "{} · {}",
            w.value.shelter_name,
            w.value.status.label(lang)
        )),
        Change::Referral(r) => D::Referred(format!(
            "{} · {} · {}",
            r.organisation_name,
            r.service.label(lang),
            r.status.label(lang)
        )),
        Change::SchoolStep(s) => D::SchoolStepDone(s.step.label(lang).to_string()),
        Change::StatisticsSeed(_) => return None,
    })
}

/// One history entry per event: what it changed (each kind once).
fn history(events: &[CaseEvent], me: Option<DeviceId>, lang: Lang) -> DetailSection {
    let mut sorted: Vec<&CaseEvent> = events.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.hlc));
    let items: Vec<DetailItem> = sorted
        .iter()
        .take(HISTORY_ROWS)
        .map(|event| {
            // The event that records a case writes every survivor and
            // incident field: that is the recording, not a change.
            let recording = event
                .changes
                .iter()
                .any(|c| matches!(c, Change::Created { .. }));
            let mut lines: Vec<String> = Vec::new();
            for line in event
                .changes
                .iter()
                .filter(|c| !(recording && matches!(c, Change::Survivor(_) | Change::Incident(_))))
                .filter_map(|c| change_line(c, lang))
            {
                let line = line.get(lang);
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
            let mut lines = lines.into_iter();
            DetailItem {
                title: lines.next().unwrap_or_default(),
                detail: Some(lines.collect::<Vec<_>>().join(" · ")).filter(|d| !d.is_empty()),
                meta: meta(event.hlc.to_utc(), event.author, me, lang),
            }
        })
        .collect();
    DetailSection {
        code: "history".to_string(),
        title: D::Timeline.get(lang),
        items,
        empty: None,
        more: (sorted.len() > HISTORY_ROWS)
            .then(|| D::EarlierEntries(sorted.len() - HISTORY_ROWS).get(lang)),
        add: None,
    }
}

/// The referrals section: each referral's organisation and service,
/// where it stands, and its due date (overdue on `today` when unanswered
/// past it).
fn referrals(case: &CaseDetail, today: NaiveDate, lang: Lang) -> DetailSection {
    let items = case
        .referrals
        .iter()
        .map(|r| {
            let due = format::day(r.sent.due);
            let due = if r.overdue(today) {
                D::AnswerOverdue(due)
            } else {
                D::AnswerBy(due)
            };
            let status = r.latest.status;
            DetailItem {
                title: format!(
                    "{} · {}",
                    r.sent.organisation_name,
                    r.sent.service.label(lang)
                ),
                detail: Some(
                    [Some(status.label(lang).to_string()), r.latest.note.clone()]
                        .into_iter()
                        .flatten()
                        .chain((status.is_open() && !status.is_answered()).then(|| due.get(lang)))
                        .collect::<Vec<_>>()
                        .join(" · "),
                ),
                meta: D::ReferralSent(format::day(r.sent.on)).get(lang),
            }
        })
        .collect();
    section(
        "referrals",
        D::Referrals,
        items,
        D::NoReferrals,
        Some(work_action(case, WorkKind::Referral, lang)),
        lang,
    )
}

/// Every section of `case`'s detail on `today`, given its events.
pub(crate) fn sections(
    case: &CaseDetail,
    events: &[CaseEvent],
    me: Option<DeviceId>,
    today: NaiveDate,
    lang: Lang,
) -> Vec<DetailSection> {
    let mut sections = Vec::new();
    if !case.placement.is_empty() {
        let items = case
            .placement
            .iter()
            .map(|p| DetailItem {
                title: format!("{} · {}", p.value.shelter_name, p.value.status.label(lang)),
                detail: p.value.decline_reason.map(|r| r.label(lang).to_string()),
                meta: meta(p.at, p.author, me, lang),
            })
            .collect();
        sections.push(section(
            "placement",
            D::Placement,
            items,
            D::Placement,
            None,
            lang,
        ));
    }
    let services = case
        .services
        .iter()
        .map(|s| DetailItem {
            title: format!(
                "{} · {}",
                s.value.service.label(lang),
                s.value.outcome.label(lang)
            ),
            detail: Some(
                [s.value.provider.clone(), s.value.note.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
            )
            .filter(|d| !d.is_empty()),
            meta: format!("{} · {}", format::day(s.value.date), by(s.author, me, lang)),
        })
        .collect();
    sections.push(section(
        "services",
        D::Services,
        services,
        D::NoServices,
        Some(work_action(case, WorkKind::Service, lang)),
        lang,
    ));
    sections.push(referrals(case, today, lang));
    if let Some(school) = &case.school {
        let items = school
            .done
            .iter()
            .map(|s| DetailItem {
                title: s.step.label(lang).to_string(),
                detail: s.note.clone(),
                meta: format::day(s.on),
            })
            .collect();
        sections.push(section(
            "school",
            D::School,
            items,
            D::NoSchoolSteps,
            Some(work_action(case, WorkKind::SchoolStep, lang)),
            lang,
        ));
    }
    let follow_ups = case
        .follow_ups
        .iter()
        .map(|f| DetailItem {
            title: D::FollowUpOn(format::day(f.value.date)).get(lang),
            detail: Some(
                [
                    f.value
                        .next_date
                        .map(|d| D::NextOn(format::day(d)).get(lang)),
                    f.value.note.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            )
            .filter(|d| !d.is_empty()),
            meta: by(f.author, me, lang),
        })
        .collect();
    sections.push(section(
        "follow_ups",
        D::FollowUps,
        follow_ups,
        D::NoFollowUps,
        Some(work_action(case, WorkKind::FollowUp, lang)),
        lang,
    ));
    let notes = case
        .notes
        .iter()
        .map(|n| DetailItem {
            title: n.value.text.clone(),
            detail: None,
            meta: meta(n.at, n.author, me, lang),
        })
        .collect();
    sections.push(section(
        "notes",
        D::Notes,
        notes,
        D::NoNotes,
        Some(work_action(case, WorkKind::Note, lang)),
        lang,
    ));
    sections.push(history(events, me, lang));
    sections
}
