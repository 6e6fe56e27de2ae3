//! Home of a village collaborator: follow-ups due and overdue, recent
//! cases, and the next things to do.

use super::cases::{row, CaseRow};
use super::shelters::text::HostL;
use crate::event::{Event, Target};
use crate::text::T;
use crate::view::Action;
use binhan_core::app::CaseList;
use binhan_core::cases::FollowUpState;
use binhan_core::model::{CaseStatus, Lang, Role};
use chrono::NaiveDate;
use serde::Serialize;

/// Cases in the "recent" section.
pub const RECENT_CASES: usize = 5;

/// What the home screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HomeView {
    /// "Overdue follow-ups".
    pub overdue_label: String,
    /// Open cases whose follow-up day has passed, oldest first.
    pub overdue: Vec<CaseRow>,
    /// "Follow-ups due today".
    pub due_today_label: String,
    /// Open cases with a follow-up today.
    pub due_today: Vec<CaseRow>,
    /// "No follow-up is due", when both lists are empty.
    pub nothing_due: Option<String>,
    /// "Conflicts to resolve", when a case has any.
    pub conflicts_label: Option<String>,
    /// Cases with conflicts between phones, to resolve side by side.
    pub conflicts: Vec<CaseRow>,
    /// "Recent cases".
    pub recent_label: String,
    /// The most recently changed cases.
    pub recent: Vec<CaseRow>,
    /// "No cases yet", when there are none.
    pub no_cases: Option<String>,
    /// Record an incident, the case list, find a shelter, settings.
    pub actions: Vec<Action>,
}

/// The home screen from every case on the phone (the vault's list is most
/// recent first).
pub(crate) fn view(list: &CaseList, role: Option<Role>, today: NaiveDate, lang: Lang) -> HomeView {
    let open = || list.cases.iter().filter(|c| c.status == CaseStatus::Open);
    let mut overdue: Vec<_> = open()
        .filter(|c| c.follow_up_state(today) == FollowUpState::Overdue)
        .collect();
    overdue.sort_by_key(|c| c.next_follow_up);
    let overdue: Vec<CaseRow> = overdue.into_iter().map(|c| row(c, today, lang)).collect();
    let due_today: Vec<CaseRow> = open()
        .filter(|c| c.follow_up_state(today) == FollowUpState::DueToday)
        .map(|c| row(c, today, lang))
        .collect();
    HomeView {
        overdue_label: T::Overdue.get(lang),
        nothing_due: (overdue.is_empty() && due_today.is_empty()).then(|| T::NothingDue.get(lang)),
        overdue,
        due_today_label: T::DueToday.get(lang),
        due_today,
        conflicts_label: list
            .cases
            .iter()
            .any(|c| c.open_conflicts > 0)
            .then(|| T::Conflicts.get(lang)),
        conflicts: list
            .cases
            .iter()
            .filter(|c| c.open_conflicts > 0)
            .map(|c| row(c, today, lang))
            .collect(),
        recent_label: T::Recent.get(lang),
        recent: list
            .cases
            .iter()
            .take(RECENT_CASES)
            .map(|c| row(c, today, lang))
            .collect(),
        no_cases: list.cases.is_empty().then(|| T::NoCasesYet.get(lang)),
        actions: role_actions(role, lang)
            .into_iter()
            .chain([
                Action::new(
                    T::RecordIncident.get(lang),
                    Event::Open {
                        target: Target::RecordIncident,
                    },
                ),
                Action::new(
                    T::AllCases.get(lang),
                    Event::Open {
                        target: Target::CaseList,
                    },
                ),
                Action::new(
                    T::FindShelter.get(lang),
                    Event::Open {
                        target: Target::FindShelter,
                    },
                ),
                Action::new(
                    T::SyncTitle.get(lang),
                    Event::Open {
                        target: Target::Sync,
                    },
                ),
                Action::new(
                    T::Settings.get(lang),
                    Event::Open {
                        target: Target::Settings,
                    },
                ),
            ])
            .collect(),
    }
}

/// What a role adds to the home screen: a shelter host's desk.
fn role_actions(role: Option<Role>, lang: Lang) -> Vec<Action> {
    match role {
        Some(Role::ShelterHost) => vec![Action::new(
            HostL::Title.get(lang),
            Event::Open {
                target: Target::HostDesk,
            },
        )],
        Some(Role::CommuneCaseManager | Role::ProvincialOfficer) => vec![
            Action::new(
                T::Invite.get(lang),
                Event::Open {
                    target: Target::Invite,
                },
            ),
            Action::new(
                T::Devices.get(lang),
                Event::Open {
                    target: Target::Devices,
                },
            ),
        ],
        _ => Vec::new(),
    }
}
