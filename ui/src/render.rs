//! From the state to the [`ViewModel`]: the current screen, its title, the
//! safety buttons, messages and the next tick.

use crate::core::Listing;
use crate::core::{Inner, Route};
use crate::event::{Event, Target};
use crate::format;
use crate::screens::{
    cases, casework, conflicts, devices, emergency, home, intake, invite, referrals, report,
    settings, setup, shelters, sync,
};
use crate::text::{Why, T};
use crate::view::{Action, Screen, ViewModel};
use binhan_core::app::CaseList;
use chrono::NaiveDate;
use std::sync::Arc;

/// Redraw a running countdown every second.
const COUNTDOWN_TICK_MS: u32 = 1000;

/// Replaces in `list` the rows `changes` brings (each at its place, newest
/// activity first, as the store orders them), and moves cases between
/// readable and unreadable.
fn merge(list: &mut CaseList, changes: binhan_core::app::CaseChanges) {
    let touched: std::collections::HashSet<_> = changes
        .changed
        .iter()
        .map(|c| c.id)
        .chain(changes.unreadable.iter().copied())
        .collect();
    if touched.is_empty() {
        return;
    }
    list.cases.retain(|c| !touched.contains(&c.id));
    list.unreadable.retain(|id| !touched.contains(id));
    for row in changes.changed {
        let at = list.cases.partition_point(|c| {
            (std::cmp::Reverse(c.last_activity), c.id)
                < (std::cmp::Reverse(row.last_activity), row.id)
        });
        list.cases.insert(at, row);
    }
    list.unreadable.extend(changes.unreadable);
}

impl Inner {
    /// Every case; empty (with a message) if they cannot be read. The
    /// listing is kept while the vault's data is unchanged (a redraw, a
    /// tick, a filter or a language change reads nothing again); after a
    /// write only the rows written since are read and merged in; it is
    /// dropped when the app locks.
    pub(crate) fn cases(&mut self, today: NaiveDate) -> Arc<CaseList> {
        let listed = match self.vault.clone() {
            Some(vault) => vault.data_version().and_then(|version| {
                match self.listing.as_mut().filter(|l| l.today == today) {
                    Some(kept) if kept.version == version => {}
                    Some(kept) => {
                        let changes = vault.case_changes(kept.through)?;
                        kept.through = changes.through;
                        kept.version = version;
                        merge(Arc::make_mut(&mut kept.list), changes);
                    }
                    None => {
                        let all = vault.case_changes(0)?;
                        self.listing = Some(Listing {
                            version,
                            today,
                            through: all.through,
                            list: Arc::new(CaseList {
                                cases: all.changed,
                                unreadable: all.unreadable,
                            }),
                        });
                    }
                }
                self.listing
                    .as_ref()
                    .map(|l| Arc::clone(&l.list))
                    .ok_or(binhan_core::Error::Locked)
            }),
            None => Err(binhan_core::Error::Locked),
        };
        listed.unwrap_or_else(|_| {
            self.refuse(Why::StorageFailed);
            Arc::new(CaseList {
                cases: Vec::new(),
                unreadable: Vec::new(),
            })
        })
    }

    /// The case list under the filter, with the pages shown.
    pub(crate) fn case_list_view(&mut self, now: u64) -> cases::CaseListView {
        let today = format::today(now);
        let list = self.cases(today);
        cases::list_view(&list, self.filter, self.list_shown, today, self.lang)
    }

    fn screen(&mut self, now: u64) -> (Screen, String) {
        let lang = self.lang;
        let today = format::today(now);
        match self.top().clone() {
            Route::Camouflage => (
                Screen::Camouflage {
                    view: self.calculator.view(lang),
                },
                T::CalcTitle.get(lang),
            ),
            Route::Setup => (
                Screen::Setup {
                    view: setup::view(&self.setup, lang),
                },
                T::SetupTitle.get(lang),
            ),
            Route::PinPad => (
                Screen::PinPad {
                    view: self.pin_pad.view(lang, now),
                },
                T::PinTitle.get(lang),
            ),
            Route::Emergency => (
                Screen::Emergency {
                    view: emergency::view(lang, self.commune_numbers.as_ref()),
                },
                T::EmergencyTitle.get(lang),
            ),
            Route::Home => {
                let list = self.cases(today);
                let role = self.enrolment().map(|e| e.role);
                let mut view = home::view(&list, role, today, lang);
                if let Some(waiting) = self.online_reports_waiting() {
                    home::add_online_reports(&mut view, waiting, lang);
                }
                let overdue = self
                    .vault
                    .as_ref()
                    .and_then(|v| v.overdue_referrals_at_last_sync().ok());
                if let Some(n) = overdue.filter(|n| *n > 0) {
                    home::add_overdue_referrals(&mut view, n, lang);
                }
                (Screen::Home { view }, T::HomeTitle.get(lang))
            }
            Route::CaseList => (
                Screen::CaseList {
                    view: self.case_list_view(now),
                },
                T::CaseListTitle.get(lang),
            ),
            Route::CaseSummary { id } => {
                let detail = self.vault.as_ref().map(|v| {
                    (
                        v.case(id),
                        v.events_of(id),
                        v.device_id().ok(),
                        v.sent_referrals(),
                    )
                });
                match detail {
                    Some((Ok(detail), Ok(events), me, sent)) => (
                        Screen::CaseSummary {
                            view: cases::summary_view(
                                &detail,
                                &events,
                                me,
                                self.enrolment().map(|e| e.role),
                                &sent
                                    .unwrap_or_default()
                                    .iter()
                                    .map(|r| r.referral.id)
                                    .collect::<Vec<_>>(),
                                today,
                                lang,
                            ),
                        },
                        T::SummaryTitle.get(lang),
                    ),
                    _ => {
                        // Gone or unreadable since it was opened.
                        self.stack.pop();
                        self.refuse(Why::CaseUnreadable);
                        self.screen(now)
                    }
                }
            }
            Route::CaseWork => {
                let form = self.work.clone();
                let case = form
                    .as_ref()
                    .and_then(|f| self.vault.as_ref().map(|v| v.case(f.case)));
                match (form, case, self.vault.clone()) {
                    (Some(form), Some(Ok(case)), Some(vault)) => {
                        let facts = casework::flow::facts(&vault, &form, &case);
                        let preview = form
                            .referral_draft(&facts)
                            .and_then(|draft| vault.referral_preview(case.id, &draft).ok());
                        (
                            Screen::CaseWork {
                                view: casework::view::view(
                                    &form,
                                    &case.survivor.code,
                                    &facts,
                                    preview.as_ref(),
                                    today,
                                    lang,
                                ),
                            },
                            form.kind.title(lang),
                        )
                    }
                    _ => {
                        self.stack.pop();
                        self.work = None;
                        self.refuse(Why::CaseUnreadable);
                        self.screen(now)
                    }
                }
            }
            Route::RecordIncident => match &self.intake {
                Some(form) => {
                    let problems = form.problems(today);
                    (
                        Screen::RecordIncident {
                            view: intake::view::view(form, &problems, lang),
                        },
                        intake::text::L::Title.get(lang),
                    )
                }
                None => {
                    self.stack.pop();
                    self.screen(now)
                }
            },
            Route::FindShelter => match self.vault.clone() {
                Some(vault) => {
                    let searched = self.finder.search(&vault, now);
                    let case = self.finder.case.and_then(|id| vault.case(id).ok());
                    (
                        Screen::FindShelter {
                            view: shelters::view(&self.finder, &searched, case.as_ref(), lang),
                        },
                        T::FindShelter.get(lang),
                    )
                }
                None => {
                    self.stack.pop();
                    self.screen(now)
                }
            },
            Route::Conflicts { id } => {
                let vault = self.vault.as_ref();
                let found = vault.map(|v| (v.case(id), v.device_id().ok()));
                match found {
                    Some((Ok(case), me)) => (
                        Screen::Conflicts {
                            view: conflicts::view(&case, me, lang),
                        },
                        T::Conflicts.get(lang),
                    ),
                    _ => {
                        self.stack.pop();
                        self.refuse(Why::CaseUnreadable);
                        self.screen(now)
                    }
                }
            }
            Route::Invite => match self.enrolment() {
                Some(enrolment) => (
                    Screen::Invite {
                        view: invite::view(
                            &self.invite,
                            &self.sync,
                            enrolment.role,
                            &enrolment.server_url,
                            lang,
                        ),
                    },
                    T::Invite.get(lang),
                ),
                None => {
                    self.stack.pop();
                    self.refuse(Why::NotEnrolled);
                    self.screen(now)
                }
            },
            Route::Devices => {
                let me = self.vault.as_ref().and_then(|v| v.device_id().ok());
                match (self.enrolment(), me) {
                    (Some(enrolment), Some(me)) => (
                        Screen::Devices {
                            view: devices::view(&self.sync, me, enrolment.role, lang),
                        },
                        T::Devices.get(lang),
                    ),
                    _ => {
                        self.stack.pop();
                        self.refuse(Why::NotEnrolled);
                        self.screen(now)
                    }
                }
            }
            Route::OnlineReports | Route::OnlineReport { .. } => {
                match self.online_reports_screen(lang) {
                    Some(shown) => shown,
                    None => {
                        self.stack.pop();
                        self.online_reports_state.forget();
                        self.screen(now)
                    }
                }
            }
            Route::Registries | Route::RegistryEntry | Route::RegistryImport => {
                match self.registries_screen(lang) {
                    Some(shown) => shown,
                    None => {
                        self.stack.pop();
                        self.screen(now)
                    }
                }
            }
            Route::Report => (
                Screen::Report {
                    view: report::view::view(
                        &self.report,
                        self.sync.running.as_ref().map(|r| r.activity),
                        today,
                        lang,
                    ),
                },
                report::text::L::Title.get(lang),
            ),
            Route::HostDesk => match &self.vault {
                Some(vault) => (
                    Screen::HostDesk {
                        view: shelters::host::view(vault, lang),
                    },
                    shelters::text::HostL::Title.get(lang),
                ),
                None => {
                    self.stack.pop();
                    self.screen(now)
                }
            },
            Route::OverdueReferrals => match &self.vault {
                Some(vault) => (
                    Screen::OverdueReferrals {
                        view: referrals::overdue::view(vault, today, lang),
                    },
                    referrals::text::L::OverdueTitle.get(lang),
                ),
                None => {
                    self.stack.pop();
                    self.screen(now)
                }
            },
            Route::ReferralInbox => match &self.vault {
                Some(vault) => (
                    Screen::ReferralInbox {
                        view: referrals::view(vault, crate::format::today(now), lang),
                    },
                    referrals::text::L::Title.get(lang),
                ),
                None => {
                    self.stack.pop();
                    self.screen(now)
                }
            },
            Route::Sync => (
                Screen::Sync {
                    view: sync::sync_view(
                        &self.sync,
                        sync::SyncFacts::of(self.vault.as_deref()),
                        lang,
                    ),
                },
                T::SyncTitle.get(lang),
            ),
            Route::Enrol => (
                Screen::Enrol {
                    view: sync::enrol_view(&self.sync, self.scan_codes, lang),
                },
                T::EnrolTitle.get(lang),
            ),
            Route::Settings => (
                Screen::Settings {
                    view: settings::view(lang),
                },
                T::Settings.get(lang),
            ),
            Route::ChangePin => (
                Screen::ChangePin {
                    view: settings::change_pin_view(&self.change_pin, lang),
                },
                T::ChangePin.get(lang),
            ),
            Route::DuressPin => (
                Screen::DuressPin {
                    view: settings::duress_view(&self.duress, lang),
                },
                T::SetDuressPin.get(lang),
            ),
            Route::ConfirmWipe => (
                Screen::ConfirmWipe {
                    view: settings::confirm_wipe_view(lang),
                },
                T::EraseAll.get(lang),
            ),
            route @ (Route::Registry
            | Route::RegistryShelter
            | Route::RegistryOrganisation
            | Route::RegistryNumbers
            | Route::RegistryPublish) => match self.registry_screen(&route) {
                Some(screen) => screen,
                None => {
                    self.stack.pop();
                    self.registry_leave(&route);
                    self.refuse(Why::StorageFailed);
                    self.screen(now)
                }
            },
        }
    }

    fn tick_in_ms(&self, now: u64) -> Option<u32> {
        if *self.top() == Route::Camouflage {
            return None;
        }
        let idle_left = self
            .last_interaction_ms
            .saturating_add(self.idle_lock_ms)
            .saturating_sub(now)
            .max(1);
        let idle_left = u32::try_from(idle_left).unwrap_or(u32::MAX);
        if *self.top() == Route::PinPad && self.pin_pad.wait_secs(now).is_some() {
            Some(idle_left.min(COUNTDOWN_TICK_MS))
        } else {
            Some(idle_left)
        }
    }

    /// The view at `now`.
    pub(crate) fn render(&mut self, now: u64) -> ViewModel {
        let (screen, title) = self.screen(now);
        let lang = self.lang;
        let camouflage = matches!(screen, Screen::Camouflage { .. });
        let on_emergency = matches!(screen, Screen::Emergency { .. });
        ViewModel {
            title,
            lang,
            can_go_back: self.stack.len() > 1,
            quick_exit: (!camouflage)
                .then(|| Action::new(T::QuickExit.get(lang), Event::QuickExit)),
            emergency: (!camouflage && !on_emergency).then(|| {
                Action::new(
                    T::EmergencyButton.get(lang),
                    Event::Open {
                        target: Target::Emergency,
                    },
                )
            }),
            messages: if camouflage {
                Vec::new()
            } else {
                self.notices.clone()
            },
            tick_in_ms: self.tick_in_ms(now),
            screen,
        }
    }
}

/// Whether a view has an error message with `code` (for tests).
#[cfg(test)]
pub(crate) fn has_error(view: &ViewModel, code: &str) -> bool {
    view.messages
        .iter()
        .any(|n| n.level == crate::view::NoticeLevel::Error && n.reason.code == code)
}
