//! The case list with its filter, and one case's summary.
//!
//! The list shows its first [`LIST_PAGE`] rows and grows a page at a time
//! (`Event::ShowMore`, sent when the person scrolls to the end): a long list
//! never crosses to the shell whole. Sending changes as diffs (as
//! matrix-sdk-ui's timeline does) is a later step.

use crate::event::Event;
use crate::format;
use crate::screens::casework::detail::{sections, work_action};
use crate::screens::casework::{DetailSection, WorkKind};
use crate::text::{Why, T};
use crate::view::{Action, Choice, LabelledValue, Reason};
use binhan_core::app::CaseList;
use binhan_core::cases::{CaseDetail, CaseSummary, FollowUpState};
use binhan_core::model::{commune, CaseStatus, Coded, DeviceId, Lang, RiskLevel};
use binhan_core::referrals::{ReferralId, ReferralStatus};
use chrono::NaiveDate;
use serde::Serialize;

/// Rows a case list shows at first, and adds with each `ShowMore`.
pub const LIST_PAGE: u32 = 100;

/// One case in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseRow {
    /// The case id (send it back in `Event::OpenCase`).
    pub id: String,
    /// The survivor code.
    pub title: String,
    /// Violence type and commune.
    pub subtitle: String,
    /// The risk level's code (`high`, …) to colour the row, if assessed.
    pub risk_code: Option<String>,
    /// "High risk", if assessed.
    pub risk: Option<String>,
    /// "Open" or "Closed".
    pub status: String,
    /// Where the next follow-up stands, if one is planned.
    pub follow_up: Option<String>,
    /// Whether the follow-up is overdue (drawn as a warning).
    pub overdue: bool,
    /// "2 conflicts to resolve", if any.
    pub conflicts: Option<String>,
    /// When it last changed, in Vietnam time.
    pub updated: String,
    /// What to send to open it.
    pub open: Event,
}

/// A commune's name, or its code if unknown.
fn commune_name(code: &str) -> String {
    commune(code)
        .map(|c| c.name.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The row of `case` on `today`.
pub(crate) fn row(case: &CaseSummary, today: NaiveDate, lang: Lang) -> CaseRow {
    let state = case.follow_up_state(today);
    let follow_up = match (state, case.next_follow_up) {
        (FollowUpState::Overdue, Some(day)) => Some(T::OverdueDays((today - day).num_days())),
        (FollowUpState::DueToday, _) => Some(T::FollowUpToday),
        (FollowUpState::Planned, Some(day)) => Some(T::FollowUpOn(format::day(day))),
        _ => None,
    };
    let mut subtitle = format!(
        "{} · {}",
        case.violence_type.label(lang),
        commune_name(&case.commune)
    );
    if case.survivor_is_child == Some(true) {
        subtitle.push_str(" · ");
        subtitle.push_str(&T::Child.get(lang));
    }
    CaseRow {
        id: case.id.to_string(),
        title: case.survivor_code.clone(),
        subtitle,
        risk_code: case.risk_level.map(|r| r.code().to_string()),
        risk: case
            .risk_level
            .map(|r| T::RiskIs(r.label(lang).to_string()).get(lang)),
        status: case.status.label(lang).to_string(),
        follow_up: follow_up.map(|t| t.get(lang)),
        overdue: state == FollowUpState::Overdue,
        conflicts: (case.open_conflicts > 0)
            .then(|| T::ConflictsToResolve(case.open_conflicts).get(lang)),
        updated: T::UpdatedAt(format::instant(case.last_activity)).get(lang),
        open: Event::OpenCase {
            id: case.id.to_string(),
        },
    }
}

/// The case list filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ListFilter {
    pub(crate) status: Option<CaseStatus>,
    pub(crate) risk: Option<RiskLevel>,
}

impl ListFilter {
    /// The core's filter.
    pub(crate) fn to_core(self) -> binhan_core::cases::CaseFilter {
        binhan_core::cases::CaseFilter {
            status: self.status,
            risk: self.risk,
            ..Default::default()
        }
    }
}

/// What the case list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseListView {
    /// "Status": All, Open, Closed.
    pub status_label: String,
    /// The status choices.
    pub status_choices: Vec<Choice>,
    /// "Risk level": All, Low, Medium, High.
    pub risk_label: String,
    /// The risk choices.
    pub risk_choices: Vec<Choice>,
    /// "12 cases".
    pub count: String,
    /// Cases matching the filter.
    pub total: u32,
    /// The first matching cases, most recent activity first (a page or
    /// more of the `total`).
    pub rows: Vec<CaseRow>,
    /// Show the next page, when rows remain.
    pub more: Option<Action>,
    /// What to say when there are no rows.
    pub empty: Option<String>,
    /// Cases that could not be read (damaged data), if any.
    pub unreadable: Option<Reason>,
}

fn choices<V: Coded + PartialEq>(
    current: Option<V>,
    lang: Lang,
    event: impl Fn(Option<V>) -> Event,
) -> Vec<Choice> {
    std::iter::once(None)
        .chain(V::ALL.iter().copied().map(Some))
        .map(|value| Choice {
            label: value.map_or_else(|| T::Any.get(lang), |v| v.label(lang).to_string()),
            selected: value == current,
            event: event(value),
        })
        .collect()
}

/// The case list of `list` under `filter`.
/// The case list: the first `shown` cases of `list` (all cases) that
/// `filter` keeps.
pub(crate) fn list_view(
    list: &CaseList,
    filter: ListFilter,
    shown: u32,
    today: NaiveDate,
    lang: Lang,
) -> CaseListView {
    let filtered = filter != ListFilter::default();
    let matching = filter.to_core();
    let mut total: u32 = 0;
    let mut rows: Vec<CaseRow> = Vec::new();
    for case in list.cases.iter().filter(|c| matching.matches(c, today)) {
        if total < shown {
            rows.push(row(case, today, lang));
        }
        total = total.saturating_add(1);
    }
    let left = total.saturating_sub(shown);
    CaseListView {
        status_label: T::FilterStatus.get(lang),
        status_choices: choices(filter.status, lang, |status| Event::FilterCases {
            status,
            risk: filter.risk,
        }),
        risk_label: T::FilterRisk.get(lang),
        risk_choices: choices(filter.risk, lang, |risk| Event::FilterCases {
            status: filter.status,
            risk,
        }),
        count: T::CaseCount(total as usize).get(lang),
        total,
        more: (left > 0)
            .then(|| Action::new(T::ShowMore(left.min(LIST_PAGE)).get(lang), Event::ShowMore)),
        empty: rows
            .is_empty()
            .then(|| if filtered { T::NoMatch } else { T::NoCasesYet }.get(lang)),
        rows,
        unreadable: (!list.unreadable.is_empty()).then(|| {
            Reason::new(
                Why::CaseUnreadable.code(),
                T::Unreadable(list.unreadable.len()).get(lang),
            )
        }),
    }
}

/// What a case summary shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseSummaryView {
    /// The case id.
    pub id: String,
    /// The survivor code, as the heading.
    pub heading: String,
    /// The risk level's code to colour the heading, if assessed.
    pub risk_code: Option<String>,
    /// Label and value rows, in reading order.
    pub rows: Vec<LabelledValue>,
    /// What can be done from here: resolve conflicts, find a shelter,
    /// close or reopen the case.
    pub actions: Vec<Action>,
    /// The detail under the summary: placement, services and referrals,
    /// follow-ups, notes, the case's history.
    pub sections: Vec<DetailSection>,
}

/// The summary of `case` on `today`, with the detail its `events` give;
/// `me` is this phone, enrolled as `role` (closing is a commune case
/// manager's: for others the action says why not), which sent the
/// referrals `sent_here` (only the sender answers an organisation that
/// asks for more).
pub(crate) fn summary_view(
    case: &CaseDetail,
    events: &[binhan_core::events::Event],
    me: Option<DeviceId>,
    role: Option<binhan_core::model::Role>,
    sent_here: &[ReferralId],
    today: NaiveDate,
    lang: Lang,
) -> CaseSummaryView {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => T::Yes.get(lang),
        Some(false) => T::No.get(lang),
        None => T::NotKnown.get(lang),
    };
    let row = |code: &str, label: T, value: String| LabelledValue {
        code: code.to_string(),
        label: label.get(lang),
        value,
    };
    let contexts = if case.incident.contexts.is_empty() {
        T::NoneYet.get(lang)
    } else {
        let labels: Vec<&str> = case
            .incident
            .contexts
            .iter()
            .map(|c| c.label(lang))
            .collect();
        labels.join(", ")
    };
    let follow_up = match case.next_follow_up {
        None => T::NoneYet.get(lang),
        Some(day) if day < today => format!(
            "{} ({})",
            format::day(day),
            T::OverdueDays((today - day).num_days()).get(lang)
        ),
        Some(day) => format::day(day),
    };
    let mut rows = vec![
        row("survivor_code", T::SurvivorCode, case.survivor.code.clone()),
        row("status", T::Status, case.status.label(lang).to_string()),
        row(
            "risk_level",
            T::RiskLevel,
            case.risk_level
                .map_or_else(|| T::NotKnown.get(lang), |r| r.label(lang).to_string()),
        ),
        row(
            "violence_type",
            T::ViolenceType,
            case.incident.violence_type.label(lang).to_string(),
        ),
        row("contexts", T::Contexts, contexts),
        row("commune", T::Commune, commune_name(&case.survivor.commune)),
        row(
            "incident_date",
            T::IncidentDate,
            format::day(case.incident.date),
        ),
        row(
            "reported_on",
            T::ReportedOn,
            format::day(case.incident.reported_on),
        ),
        row(
            "child",
            T::ChildUnder18,
            yes_no(case.derived.survivor_is_child),
        ),
        row("next_follow_up", T::NextFollowUp, follow_up),
        row("services", T::Services, case.services.len().to_string()),
        row("notes", T::Notes, case.notes.len().to_string()),
    ];
    if !case.conflicts.is_empty() {
        rows.push(row(
            "conflicts",
            T::Conflicts,
            case.conflicts.len().to_string(),
        ));
    }
    rows.push(row(
        "last_activity",
        T::LastUpdated,
        format::instant(case.last_activity),
    ));
    CaseSummaryView {
        id: case.id.to_string(),
        heading: case.survivor.code.clone(),
        risk_code: case.risk_level.map(|r| r.code().to_string()),
        rows,
        actions: (!case.conflicts.is_empty())
            .then(|| {
                Action::new(
                    T::ResolveConflicts(u32::try_from(case.conflicts.len()).unwrap_or(u32::MAX))
                        .get(lang),
                    Event::OpenConflicts {
                        case: case.id.to_string(),
                    },
                )
            })
            .into_iter()
            .chain(
                case.referrals
                    .iter()
                    .filter(|r| r.latest.status == ReferralStatus::MoreAsked)
                    .map(|r| {
                        Action::new(
                            T::AnswerOrganisation(r.sent.organisation_name.clone()).get(lang),
                            Event::OpenSupplement {
                                referral: r.sent.referral.to_string(),
                            },
                        )
                        .unless(
                            (!sent_here.contains(&r.sent.referral)).then(|| {
                                Reason::refused(&binhan_core::Refusal::NotReferralSender, lang)
                            }),
                        )
                    }),
            )
            .chain([
                Action::new(
                    T::FindShelter.get(lang),
                    Event::FindShelterFor {
                        case: case.id.to_string(),
                    },
                ),
                work_action(case, WorkKind::Transfer, lang).unless(Reason::unless_allowed(
                    binhan_core::cases::check_transferrer(role),
                    lang,
                )),
                match case.status {
                    CaseStatus::Open => work_action(case, WorkKind::Close, lang).unless(
                        Reason::unless_allowed(binhan_core::cases::check_closer(role), lang),
                    ),
                    CaseStatus::Closed => work_action(case, WorkKind::Reopen, lang),
                },
            ])
            .collect(),
        sections: sections(case, events, me, today, lang),
    }
}
