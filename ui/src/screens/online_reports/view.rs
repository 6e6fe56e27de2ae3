//! From the reports kept in the vault to what the shells draw: the list
//! and one report with its actions.

use super::text::{self, L};
use super::{OnlineReports, OnlineReportsEvent, Panel};
use crate::event::Event;
use crate::format;
use crate::view::{Action, LabelledValue, Reason};
use binhan_core::cases::CaseSummary;
use binhan_core::model::{commune, Coded, Lang};
use binhan_core::online_report::{ContactWay, DangerNow, ReceivedReport, ReportTriage};
use serde::Serialize;

/// The list of reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OnlineReportsView {
    /// What this list is.
    pub intro: String,
    /// "3 chờ xử lý".
    pub waiting: String,
    /// The reports, newest first.
    pub rows: Vec<ReportRow>,
    /// "No online report yet", when there is none.
    pub empty: Option<String>,
}

/// One report of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReportRow {
    /// "Nhận lúc 10:05 15/11/2026".
    pub received: String,
    /// "Người viết: hàng xóm" (`None` when it could not be opened).
    pub writer: Option<String>,
    /// What happened, its labels joined ("bạo lực thể chất, bỏ mặc").
    pub what: Option<String>,
    /// "Có người đang gặp nguy hiểm", to show prominently.
    pub danger: Option<String>,
    /// "Không mở được (tampered)", for a report that could not be opened.
    pub unreadable: Option<String>,
    /// Where it stands: `waiting`, `case_opened`, `linked`, `dismissed`.
    pub state_code: String,
    /// Where it stands, in words ("Đã bỏ qua: trùng báo cáo").
    pub state: String,
    /// Show it.
    pub open: Action,
}

/// A case of the commune to add the report to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LinkChoice {
    /// Its survivor code.
    pub code: String,
    /// Open or closed.
    pub status: String,
    /// Add the report to it ("SYN-01 · Đang mở").
    pub choose: Action,
}

/// What the detail shows under the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "panel", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TriagePanel {
    /// Choose the case to add the report to.
    Link {
        /// What choosing does.
        intro: String,
        /// The commune's cases, most recently changed first.
        cases: Vec<LinkChoice>,
        /// "The commune has no case yet", when there is none.
        empty: Option<String>,
        /// Close the panel.
        cancel: Action,
    },
    /// Dismiss with a reason.
    Dismiss {
        /// What dismissing does.
        intro: String,
        /// The field's label.
        label: String,
        /// The reason typed (send changes as `SetReason`).
        reason: String,
        /// Dismiss; disabled with `reason_required` while it is blank.
        confirm: Action,
        /// Close the panel.
        cancel: Action,
    },
}

/// One report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OnlineReportView {
    /// "Nhận lúc 10:05 15/11/2026".
    pub received: String,
    /// "Có người đang gặp nguy hiểm", to show prominently.
    pub danger: Option<String>,
    /// "Không mở được (tampered)", for a report that could not be opened.
    pub unreadable: Option<String>,
    /// Where it stands: `waiting`, `case_opened`, `linked`, `dismissed`.
    pub state_code: String,
    /// Where it stands, in words.
    pub state: String,
    /// All it says: what happened, the account, the commune, the village,
    /// danger, how, where and when to contact, who wrote it and when.
    pub details: Vec<LabelledValue>,
    /// Open a new case from it.
    pub open_case: Action,
    /// Add it to one of the commune's cases.
    pub link: Action,
    /// Dismiss it with a reason.
    pub dismiss: Action,
    /// The case choice or the reason field, once asked for.
    pub panel: Option<TriagePanel>,
}

fn event(event: OnlineReportsEvent) -> Event {
    Event::OnlineReports { event }
}

fn received(report: &ReceivedReport, lang: Lang) -> String {
    let ms = i64::try_from(report.received_at_ms).unwrap_or(i64::MAX);
    let at = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    text::received_at(format::instant(at), lang)
}

/// The triage's code and words.
fn state(triage: &ReportTriage, lang: Lang) -> (&'static str, String) {
    match triage {
        ReportTriage::Waiting => ("waiting", L::Waiting.get(lang)),
        ReportTriage::CaseOpened { .. } => ("case_opened", L::CaseOpened.get(lang)),
        ReportTriage::Linked { .. } => ("linked", L::Linked.get(lang)),
        ReportTriage::Dismissed { reason } => ("dismissed", text::dismissed(reason, lang)),
    }
}

fn danger(report: &ReceivedReport, lang: Lang) -> Option<String> {
    report
        .report
        .as_ref()
        .filter(|r| r.danger_now == DangerNow::Yes)
        .map(|_| L::Danger.get(lang))
}

fn unreadable(report: &ReceivedReport, lang: Lang) -> Option<String> {
    match (&report.report, &report.unreadable) {
        (Some(_), _) => None,
        (None, code) => Some(text::unreadable(
            code.as_deref().unwrap_or("unreadable"),
            lang,
        )),
    }
}

fn what(report: &ReceivedReport, lang: Lang) -> Option<String> {
    let r = report.report.as_ref()?;
    let labels: Vec<String> = r.what.iter().map(|h| text::harm(*h, lang)).collect();
    (!labels.is_empty()).then(|| labels.join(", "))
}

/// The list, as the vault keeps it (newest first).
pub(crate) fn list(reports: &[ReceivedReport], lang: Lang) -> OnlineReportsView {
    let waiting = reports
        .iter()
        .filter(|r| r.triage == ReportTriage::Waiting)
        .count();
    OnlineReportsView {
        intro: L::Intro.get(lang),
        waiting: text::waiting_count(waiting, lang),
        rows: reports
            .iter()
            .map(|r| {
                let (code, words) = state(&r.triage, lang);
                ReportRow {
                    received: received(r, lang),
                    writer: r.report.as_ref().map(|b| text::written_by(b.writer, lang)),
                    what: what(r, lang),
                    danger: danger(r, lang),
                    unreadable: unreadable(r, lang),
                    state_code: code.into(),
                    state: words,
                    open: Action::new(
                        L::Open.get(lang),
                        event(OnlineReportsEvent::Show { id: r.id.clone() }),
                    ),
                }
            })
            .collect(),
        empty: reports.is_empty().then(|| L::Empty.get(lang)),
    }
}

fn row(code: &str, label: L, value: String, lang: Lang) -> LabelledValue {
    LabelledValue {
        code: code.into(),
        label: label.get(lang),
        value,
    }
}

/// All a readable report says; the number and the time to contact only
/// when the writer asked to be contacted.
fn details(report: &ReceivedReport, lang: Lang) -> Vec<LabelledValue> {
    let Some(r) = &report.report else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    if let Some(what) = what(report, lang) {
        rows.push(row("what", L::LabelWhat, what, lang));
    }
    let mut text_row = |code: &str, label: L, value: &str| {
        if !value.trim().is_empty() {
            rows.push(row(code, label, value.trim().to_string(), lang));
        }
    };
    text_row("what_text", L::LabelAccount, &r.what_text);
    let commune_name = commune(&r.commune).map_or_else(|| r.commune.clone(), |c| c.name.into());
    text_row("commune", L::LabelCommune, &commune_name);
    text_row("village", L::LabelVillage, &r.village);
    rows.push(row(
        "danger_now",
        L::LabelDanger,
        text::danger(r.danger_now, lang),
        lang,
    ));
    rows.push(row(
        "contact",
        L::LabelContact,
        text::contact_way(r.contact.how, lang),
        lang,
    ));
    if r.contact.how != ContactWay::None {
        for (code, label, value) in [
            ("contact_number", L::LabelNumber, &r.contact.number),
            ("contact_when", L::LabelWhen, &r.contact.when),
        ] {
            if !value.trim().is_empty() {
                rows.push(row(code, label, value.trim().to_string(), lang));
            }
        }
    }
    rows.push(row(
        "writer",
        L::LabelWriter,
        text::writer(r.writer, lang),
        lang,
    ));
    rows.push(row(
        "written_at",
        L::LabelWritten,
        format::instant(r.written_at),
        lang,
    ));
    rows
}

fn reason(code: &str, label: L, lang: Lang) -> Option<Reason> {
    Some(Reason::new(code, label.get(lang)))
}

/// Why a report may not be sorted into a case now (`None`: it may).
pub(crate) fn cannot_sort_into_case(report: &ReceivedReport, lang: Lang) -> Option<Reason> {
    if report.triage != ReportTriage::Waiting {
        reason("already_sorted", L::AlreadySorted, lang)
    } else if report.report.is_none() {
        reason("report_unreadable", L::UnreadableOnlyDismiss, lang)
    } else {
        None
    }
}

/// Why the reason typed does not do (`None`: it does).
pub(crate) fn reason_missing(typed: &str, lang: Lang) -> Option<Reason> {
    typed
        .trim()
        .is_empty()
        .then(|| Reason::new("reason_required", L::ReasonRequired.get(lang)))
}

/// One report, with the commune's `cases` to add it to and whether an
/// unsaved intake draft is waiting (a new case waits for it).
pub(crate) fn detail(
    report: &ReceivedReport,
    state_: &OnlineReports,
    cases: &[CaseSummary],
    draft_waiting: bool,
    lang: Lang,
) -> OnlineReportView {
    let (code, words) = state(&report.triage, lang);
    let sorted = (report.triage != ReportTriage::Waiting)
        .then(|| Reason::new("already_sorted", L::AlreadySorted.get(lang)));
    let into_case = cannot_sort_into_case(report, lang);
    let draft = draft_waiting.then(|| Reason::new("draft_waiting", L::DraftWaiting.get(lang)));
    let waiting = report.triage == ReportTriage::Waiting;
    let panel = match state_.panel.filter(|_| waiting) {
        Some(Panel::Link) if into_case.is_none() => Some(TriagePanel::Link {
            intro: L::LinkIntro.get(lang),
            cases: cases
                .iter()
                .map(|c| {
                    let status = c.status.label(lang).to_string();
                    LinkChoice {
                        choose: Action::new(
                            text::case_choice(&c.survivor_code, &status),
                            event(OnlineReportsEvent::Link {
                                case: c.id.to_string(),
                            }),
                        ),
                        code: c.survivor_code.clone(),
                        status,
                    }
                })
                .collect(),
            empty: cases.is_empty().then(|| L::NoCases.get(lang)),
            cancel: Action::new(L::Cancel.get(lang), Event::Back),
        }),
        Some(Panel::Dismiss) => Some(TriagePanel::Dismiss {
            intro: L::DismissIntro.get(lang),
            label: L::ReasonLabel.get(lang),
            reason: state_.reason.clone(),
            confirm: Action::new(
                L::ConfirmDismiss.get(lang),
                event(OnlineReportsEvent::Dismiss),
            )
            .unless(reason_missing(&state_.reason, lang)),
            cancel: Action::new(L::Cancel.get(lang), Event::Back),
        }),
        _ => None,
    };
    OnlineReportView {
        received: received(report, lang),
        danger: danger(report, lang),
        unreadable: unreadable(report, lang),
        state_code: code.into(),
        state: words,
        details: details(report, lang),
        open_case: Action::new(L::OpenCase.get(lang), event(OnlineReportsEvent::OpenCase))
            .unless(into_case.clone().or(draft)),
        link: Action::new(L::Link.get(lang), event(OnlineReportsEvent::ChooseCase))
            .unless(into_case),
        dismiss: Action::new(L::Dismiss.get(lang), event(OnlineReportsEvent::AskDismiss))
            .unless(sorted),
        panel,
    }
}
