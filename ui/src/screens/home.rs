//! The home screen, per role: follow-ups due and overdue, conflicts to
//! resolve, recent cases (a school counselor: the school's open cases), and
//! the next things to do (a shelter host's desk; a manager's invitations
//! and devices).

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

/// Open cases a school counselor's home lists (the case list has all).
pub const SCHOOL_CASES: usize = 50;

/// Rows each follow-up and conflicts section of the home shows; the rest
/// are counted, and the case list has them all.
pub const HOME_ROWS: usize = 20;

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
    /// "12 more cases need attention: see the case list", when the
    /// sections above hold more than they show.
    pub more: Option<Action>,
    /// "Recent cases" ("Students being supported" for a school
    /// counselor).
    pub recent_label: String,
    /// The most recently changed cases; for a school counselor, every open
    /// case of the school (the phone holds only those).
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
    let counselor = role == Some(Role::SchoolCounselor);
    let mut overdue: Vec<_> = open()
        .filter(|c| c.follow_up_state(today) == FollowUpState::Overdue)
        .collect();
    overdue.sort_by_key(|c| c.next_follow_up);
    let due_today: Vec<_> = open()
        .filter(|c| c.follow_up_state(today) == FollowUpState::DueToday)
        .collect();
    let conflicted: Vec<_> = list.cases.iter().filter(|c| c.open_conflicts > 0).collect();
    let hidden = [overdue.len(), due_today.len(), conflicted.len()]
        .iter()
        .map(|n| n.saturating_sub(HOME_ROWS))
        .sum::<usize>();
    let rows = |cases: Vec<&binhan_core::cases::CaseSummary>| -> Vec<CaseRow> {
        cases
            .into_iter()
            .take(HOME_ROWS)
            .map(|c| row(c, today, lang))
            .collect()
    };
    let (overdue, due_today, conflicts) = (rows(overdue), rows(due_today), rows(conflicted));
    HomeView {
        overdue_label: T::Overdue.get(lang),
        nothing_due: (overdue.is_empty() && due_today.is_empty()).then(|| T::NothingDue.get(lang)),
        overdue,
        due_today_label: T::DueToday.get(lang),
        due_today,
        conflicts_label: (!conflicts.is_empty()).then(|| T::Conflicts.get(lang)),
        conflicts,
        more: (hidden > 0).then(|| {
            Action::new(
                T::MoreNeedAttention(hidden).get(lang),
                Event::Open {
                    target: Target::CaseList,
                },
            )
        }),
        recent_label: if counselor { T::SchoolCases } else { T::Recent }.get(lang),
        recent: if counselor {
            open()
                .take(SCHOOL_CASES)
                .map(|c| row(c, today, lang))
                .collect()
        } else {
            list.cases
                .iter()
                .take(RECENT_CASES)
                .map(|c| row(c, today, lang))
                .collect()
        },
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

/// What a role adds to the home screen: a shelter host's desk; a
/// collaborator's or a counselor's communication activities.
fn role_actions(role: Option<Role>, lang: Lang) -> Vec<Action> {
    match role {
        Some(Role::ShelterHost) => vec![Action::new(
            HostL::Title.get(lang),
            Event::Open {
                target: Target::HostDesk,
            },
        )],
        Some(Role::ServiceProvider) => vec![Action::new(
            crate::screens::referrals::text::L::Title.get(lang),
            Event::Open {
                target: Target::ReferralInbox,
            },
        )],
        Some(role @ (Role::Collaborator | Role::SchoolCounselor)) => vec![Action::new(
            crate::screens::registries::home_label(role, lang),
            Event::Open {
                target: Target::Registries,
            },
        )],
        Some(Role::CommuneCaseManager) => manager_actions(Role::CommuneCaseManager, lang),
        Some(Role::ProvincialOfficer) => manager_actions(Role::ProvincialOfficer, lang)
            .into_iter()
            .chain([
                Action::new(
                    crate::screens::registry::text::L::Title.get(lang),
                    Event::Open {
                        target: Target::Registry,
                    },
                ),
                Action::new(
                    crate::screens::report::text::L::Title.get(lang),
                    Event::Open {
                        target: Target::Report,
                    },
                ),
            ])
            .collect(),
        _ => Vec::new(),
    }
}

/// A manager's (and the officer's) invitations, devices and programme
/// registries.
fn manager_actions(role: Role, lang: Lang) -> Vec<Action> {
    vec![
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
        Action::new(
            crate::screens::registries::home_label(role, lang),
            Event::Open {
                target: Target::Registries,
            },
        ),
    ]
}

/// A commune case manager's home leads to the online reports, first, with
/// the count of those waiting ("Báo cáo trực tuyến (3 chờ xử lý)").
pub(crate) fn add_online_reports(home: &mut HomeView, waiting: usize, lang: Lang) {
    home.actions.insert(
        0,
        Action::new(
            crate::screens::online_reports::text::home_label(waiting, lang),
            Event::Open {
                target: Target::OnlineReports,
            },
        ),
    );
}

/// Puts the referrals the last sync found overdue for an answer (`n`)
/// first among the home's actions.
pub(crate) fn add_overdue_referrals(home: &mut HomeView, n: u64, lang: Lang) {
    home.actions.insert(
        0,
        Action::new(
            crate::screens::referrals::text::L::OverdueHome(n).get(lang),
            Event::Open {
                target: Target::OverdueReferrals,
            },
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use binhan_core::cases::CaseSummary;
    use binhan_core::model::{CaseId, ViolenceType};

    fn case(code: &str, status: CaseStatus) -> CaseSummary {
        CaseSummary {
            id: CaseId::random(),
            survivor_code: code.into(),
            status,
            risk_level: None,
            commune: "pa_u".into(),
            violence_type: ViolenceType::PsychologicalAbuse,
            survivor_is_child: Some(true),
            next_follow_up: None,
            open_conflicts: 0,
            last_activity: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn referrals_overdue_at_the_last_sync_come_first() {
        let list = CaseList {
            cases: vec![case("SYN-REF", CaseStatus::Open)],
            unreadable: Vec::new(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).expect("day");
        let mut home = view(&list, Some(Role::CommuneCaseManager), today, Lang::Vi);
        add_overdue_referrals(&mut home, 3, Lang::Vi);
        assert_eq!(home.actions[0].label, "Chuyển gửi quá hạn phản hồi (3)");
        assert_eq!(
            home.actions[0].event,
            Event::Open {
                target: Target::OverdueReferrals
            }
        );
    }

    #[test]
    fn a_school_counselor_sees_every_open_case_of_the_school() {
        let mut cases: Vec<CaseSummary> = (0..8)
            .map(|i| case(&format!("SYN-SCH-{i}"), CaseStatus::Open))
            .collect();
        cases.insert(3, case("SYN-SCH-CLOSED", CaseStatus::Closed));
        let list = CaseList {
            cases,
            unreadable: Vec::new(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).expect("day");
        let counselor = view(&list, Some(Role::SchoolCounselor), today, Lang::Vi);
        assert_eq!(counselor.recent_label, "Học sinh đang được hỗ trợ");
        assert_eq!(counselor.recent.len(), 8);
        assert!(counselor.recent.iter().all(|r| r.title != "SYN-SCH-CLOSED"));
        let collaborator = view(&list, Some(Role::Collaborator), today, Lang::Vi);
        assert_eq!(collaborator.recent.len(), RECENT_CASES);
        assert_eq!(collaborator.recent[3].title, "SYN-SCH-CLOSED");
        // Neither gets a manager's actions.
        for home in [&counselor, &collaborator] {
            assert!(!home.actions.iter().any(|a| a.event
                == Event::Open {
                    target: Target::Devices
                }));
        }
        let manager = view(&list, Some(Role::CommuneCaseManager), today, Lang::Vi);
        assert!(manager.actions.iter().any(|a| a.event
            == Event::Open {
                target: Target::Devices
            }));
        // Only the officer gets the shelter registry.
        let registry = |home: &HomeView| {
            home.actions.iter().any(|a| {
                a.event
                    == Event::Open {
                        target: Target::Registry,
                    }
            })
        };
        assert!(!registry(&manager) && !registry(&collaborator));
        let officer = view(&list, Some(Role::ProvincialOfficer), today, Lang::En);
        assert!(registry(&officer));
        assert!(officer
            .actions
            .iter()
            .any(|a| a.label == "Shelter registry"));
    }

    #[test]
    fn a_long_overdue_list_shows_a_page_and_counts_the_rest() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).expect("day");
        let cases = (0..30)
            .map(|i| CaseSummary {
                next_follow_up: Some(today - chrono::Days::new(i + 1)),
                ..case(&format!("SYN-LATE-{i:02}"), CaseStatus::Open)
            })
            .collect();
        let list = CaseList {
            cases,
            unreadable: Vec::new(),
        };
        let home = view(&list, Some(Role::Collaborator), today, Lang::Vi);
        assert_eq!(home.overdue.len(), HOME_ROWS);
        // Most overdue first.
        assert_eq!(home.overdue[0].title, "SYN-LATE-29");
        let more = home.more.expect("the rest is counted");
        assert_eq!(
            more.label,
            "Còn 10 hồ sơ cần chú ý nữa: xem danh sách hồ sơ"
        );
        assert_eq!(
            more.event,
            Event::Open {
                target: Target::CaseList
            }
        );
        let short = view(
            &CaseList {
                cases: vec![],
                unreadable: vec![],
            },
            None,
            today,
            Lang::Vi,
        );
        assert!(short.more.is_none());
    }
}
