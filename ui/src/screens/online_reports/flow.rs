//! What the online reports' events do: open the list or a report, open a
//! new case from a report (the record-an-incident form, prefilled), add it
//! to a case, dismiss it with a reason. Only a commune case manager gets
//! here (the vault refuses anyone else too). Logs carry error kinds only,
//! never what a report says.

use super::text::L;
use super::view::{self, cannot_sort_into_case, reason_missing};
use super::{OnlineReportsEvent, Panel, REPORT_DRAFT};
use crate::core::{Inner, Route};
use crate::format;
use crate::screens::intake::{IntakeField, IntakeForm, DRAFT};
use crate::text::Why;
use crate::view::Screen;
use binhan_core::cases::CaseSummary;
use binhan_core::model::{CaseId, Lang, Role};
use binhan_core::online_report::{ReceivedReport, ReportTriage};
use binhan_core::Error;

/// Longest reason kept as typed, in characters (core refuses past 500;
/// this only bounds memory).
const MAX_TYPED: usize = 1_000;
/// Longest village the intake form takes.
const MAX_VILLAGE: usize = 120;

impl Inner {
    /// Whether this phone is a commune case manager's.
    pub(crate) fn is_manager(&self) -> bool {
        self.enrolment()
            .is_some_and(|e| e.role == Role::CommuneCaseManager)
    }

    /// The reports kept, newest first; `None` (refused in the view) when
    /// they cannot be read.
    fn online_reports(&mut self) -> Option<Vec<ReceivedReport>> {
        let read = self.vault.as_ref()?.online_reports();
        match read {
            Ok(reports) => Some(reports),
            Err(Error::NotAllowed(refusal)) => {
                self.refuse_core(refusal);
                None
            }
            Err(e) => {
                tracing::warn!(
                    error = crate::flows::kind(&e),
                    "reading online reports failed"
                );
                self.refuse(Why::StorageFailed);
                None
            }
        }
    }

    /// Reports waiting to be sorted, for a manager's home (`None` for any
    /// other phone).
    pub(crate) fn online_reports_waiting(&self) -> Option<usize> {
        if !self.is_manager() {
            return None;
        }
        let reports = self.vault.as_ref()?.online_reports().ok()?;
        Some(
            reports
                .iter()
                .filter(|r| r.triage == ReportTriage::Waiting)
                .count(),
        )
    }

    /// Opens the list (managers only).
    pub(crate) fn online_reports_open(&mut self) {
        if !self.is_manager() {
            return self.refuse(Why::NotAvailableHere);
        }
        self.online_reports_state.forget();
        if *self.top() != Route::OnlineReports {
            self.stack.push(Route::OnlineReports);
        }
    }

    /// An intake form with something typed is waiting, sealed or on screen
    /// (a new case from a report waits for it to be saved or discarded).
    fn intake_draft_waiting(&self) -> bool {
        if self.intake.as_ref().is_some_and(|f| !f.is_blank()) {
            return true;
        }
        self.vault
            .as_ref()
            .and_then(|v| v.draft::<IntakeForm>(DRAFT).ok().flatten())
            .is_some_and(|f| !f.is_blank())
    }

    /// The commune's cases (the case list's own listing), to add a report
    /// to one.
    fn commune_cases(&mut self) -> Vec<CaseSummary> {
        let today = format::today(self.last_interaction_ms);
        let commune = self.enrolment().map(|e| e.commune).unwrap_or_default();
        self.cases(today)
            .cases
            .iter()
            .filter(|c| c.commune == commune)
            .cloned()
            .collect()
    }

    /// The screen on top, with its title; `None` when it cannot be shown.
    pub(crate) fn online_reports_screen(&mut self, lang: Lang) -> Option<(Screen, String)> {
        let top = self.top().clone();
        let reports = self.online_reports()?;
        match top {
            Route::OnlineReports => Some((
                Screen::OnlineReports {
                    view: view::list(&reports, lang),
                },
                L::Title.get(lang),
            )),
            Route::OnlineReport { id } => {
                let report = reports.into_iter().find(|r| r.id == id)?;
                let cases = if self.online_reports_state.panel == Some(Panel::Link) {
                    self.commune_cases()
                } else {
                    Vec::new()
                };
                let draft = self.intake_draft_waiting();
                Some((
                    Screen::OnlineReport {
                        view: view::detail(
                            &report,
                            &self.online_reports_state,
                            &cases,
                            draft,
                            lang,
                        ),
                    },
                    L::DetailTitle.get(lang),
                ))
            }
            _ => None,
        }
    }

    /// Applies an event of the online reports' screens.
    pub(crate) fn online_reports_event(&mut self, event: OnlineReportsEvent) {
        if !self.is_manager() {
            return self.refuse(Why::NotAvailableHere);
        }
        let Some(reports) = self.online_reports() else {
            return;
        };
        let top = self.top().clone();
        let shown = match &top {
            Route::OnlineReport { id } => reports.iter().find(|r| &r.id == id).cloned(),
            _ => None,
        };
        let lang = self.lang;
        let panel = self.online_reports_state.panel;
        match (top, event, shown) {
            (Route::OnlineReports, OnlineReportsEvent::Show { id }, _) => {
                if !reports.iter().any(|r| r.id == id) {
                    return self.refuse(Why::NotAvailableHere);
                }
                self.online_reports_state.forget();
                self.stack.push(Route::OnlineReport { id });
            }
            (_, OnlineReportsEvent::OpenCase, Some(report)) => self.report_open_case(&report),
            (_, OnlineReportsEvent::ChooseCase, Some(report)) => {
                match cannot_sort_into_case(&report, lang) {
                    Some(why) => self.refuse_reason(why),
                    None => self.online_reports_state.panel = Some(Panel::Link),
                }
            }
            (_, OnlineReportsEvent::Link { case }, Some(report)) if panel == Some(Panel::Link) => {
                if let Some(why) = cannot_sort_into_case(&report, lang) {
                    return self.refuse_reason(why);
                }
                let case_id = case.parse::<CaseId>().ok();
                let listed = case_id.filter(|id| self.commune_cases().iter().any(|c| c.id == *id));
                match listed {
                    Some(case_id) => {
                        self.report_triage(
                            &report.id,
                            ReportTriage::Linked { case_id },
                            ("report_linked", L::LinkedDone),
                        );
                    }
                    None => self.refuse(Why::CaseNotFound),
                }
            }
            (_, OnlineReportsEvent::AskDismiss, Some(report)) => {
                if report.triage != ReportTriage::Waiting {
                    return self.refuse_reason(crate::view::Reason::new(
                        "already_sorted",
                        L::AlreadySorted.get(lang),
                    ));
                }
                self.online_reports_state.panel = Some(Panel::Dismiss);
            }
            (_, OnlineReportsEvent::SetReason { value }, Some(_))
                if panel == Some(Panel::Dismiss) =>
            {
                self.online_reports_state.reason = value.chars().take(MAX_TYPED).collect();
            }
            (_, OnlineReportsEvent::Dismiss, Some(report)) if panel == Some(Panel::Dismiss) => {
                let reason = self.online_reports_state.reason.trim().to_string();
                if let Some(why) = reason_missing(&reason, lang) {
                    return self.refuse_reason(why);
                }
                self.report_triage(
                    &report.id,
                    ReportTriage::Dismissed { reason },
                    ("report_dismissed", L::DismissedDone),
                );
            }
            _ => self.refuse(Why::NotAvailableHere),
        }
    }

    fn refuse_reason(&mut self, reason: crate::view::Reason) {
        self.notice(crate::view::NoticeLevel::Error, reason);
    }

    /// Records `triage` for the report `id`, then back to the list with a
    /// message; a refusal is shown and nothing changes.
    fn report_triage(&mut self, id: &str, triage: ReportTriage, done: (&str, L)) -> bool {
        let Some(vault) = self.vault.clone() else {
            self.refuse(Why::NotAvailableHere);
            return false;
        };
        match vault.triage_online_report(id, triage) {
            Ok(()) => {
                while matches!(self.top(), Route::OnlineReport { .. }) {
                    self.stack.pop();
                }
                self.online_reports_state.forget();
                let text = done.1.get(self.lang);
                self.inform_text(done.0, text);
                true
            }
            Err(Error::NotAllowed(refusal)) => {
                self.refuse_core(refusal);
                false
            }
            Err(Error::Invalid { .. } | Error::NotFound(_)) => {
                self.refuse(Why::NotAvailableHere);
                false
            }
            Err(e) => {
                tracing::warn!(
                    error = crate::flows::kind(&e),
                    "sorting an online report failed"
                );
                self.refuse(Why::StorageFailed);
                false
            }
        }
    }

    /// Opens the record-an-incident form for `report`: its commune and
    /// village filled in, and the report remembered (sealed beside the
    /// draft) to be sorted when the case is saved.
    fn report_open_case(&mut self, report: &ReceivedReport) {
        let lang = self.lang;
        if let Some(why) = cannot_sort_into_case(report, lang) {
            return self.refuse_reason(why);
        }
        if self.intake_draft_waiting() {
            return self.refuse_reason(crate::view::Reason::new(
                "draft_waiting",
                L::DraftWaiting.get(lang),
            ));
        }
        let (Some(body), Some(vault)) = (&report.report, self.vault.clone()) else {
            return self.refuse(Why::NotAvailableHere);
        };
        let today = format::today(self.last_interaction_ms);
        let mut form = IntakeForm::new(today, Some(&body.commune));
        let village: String = body.village.trim().chars().take(MAX_VILLAGE).collect();
        if !village.is_empty() {
            form.set(IntakeField::Village, 0, &village);
        }
        let saved = vault
            .save_draft(DRAFT, &form)
            .and_then(|()| vault.save_draft(REPORT_DRAFT, &(report.id.clone(), form.case_id)));
        if let Err(e) = saved {
            tracing::warn!(
                error = crate::flows::kind(&e),
                "opening a case from a report failed"
            );
            return self.refuse(Why::StorageFailed);
        }
        self.online_reports_state.forget();
        self.intake = Some(form);
        self.stack.push(Route::RecordIncident);
    }

    /// The intake form saved the case `id`: if it was opened from an online
    /// report, that report is sorted as "case opened" (the case gets its
    /// note) and the list is shown with a message. False if the form was
    /// not opened from a report, or the report could not be sorted.
    pub(crate) fn online_report_case_saved(&mut self, id: CaseId) -> bool {
        let Some(vault) = self.vault.clone() else {
            return false;
        };
        let link = match vault.draft::<(String, CaseId)>(REPORT_DRAFT) {
            Ok(Some((report, case))) if case == id => report,
            _ => return false,
        };
        if let Err(e) = vault.discard_draft(REPORT_DRAFT) {
            tracing::warn!(
                error = crate::flows::kind(&e),
                "forgetting a report's link failed"
            );
        }
        let sorted = self.report_triage(
            &link,
            ReportTriage::CaseOpened { case_id: id },
            ("report_case_opened", L::CaseOpenedDone),
        );
        if sorted && *self.top() != Route::OnlineReports {
            self.stack.push(Route::OnlineReports);
        }
        sorted
    }

    /// The intake draft was discarded: so is its link to a report.
    pub(crate) fn online_report_draft_discarded(&mut self) {
        if let Some(vault) = &self.vault {
            if let Err(e) = vault.discard_draft(REPORT_DRAFT) {
                tracing::warn!(
                    error = crate::flows::kind(&e),
                    "forgetting a report's link failed"
                );
            }
        }
    }
}
