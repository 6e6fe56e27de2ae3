//! Online reports (tiếp nhận trực tuyến), on a commune case manager's
//! phone: what survivors and witnesses wrote in the public page, fetched
//! and opened during the normal sync, kept in the vault
//! (`binhan_core::app::Vault::online_reports`).
//!
//! - **List** (`view::list`): newest first; each row says when it came,
//!   who wrote it, what happened, a danger flag, and where it stands
//!   (waiting, case opened, added to a case, dismissed with the reason); a
//!   report that could not be opened says so with its code.
//! - **Detail** (`view::detail`): all it says (the contact hidden when
//!   the writer asked for none) and three actions while it waits: open a
//!   new case (the record-an-incident form, prefilled with the commune and
//!   the village; saving it sorts the report), add it to one of the
//!   commune's cases, or dismiss it with a reason. Each is disabled with a
//!   coded reason when it is not allowed.
//!
//! The report a new case is opened from is kept as a small sealed draft
//! beside the form's (`REPORT_DRAFT`, with the form's case id): the link
//! survives a lock or the app being killed, and saving that form sorts the
//! report. Nothing a report says reaches a log.

pub(crate) mod flow;
pub(crate) mod text;
pub mod view;

pub use view::{LinkChoice, OnlineReportView, OnlineReportsView, ReportRow, TriagePanel};

use serde::{Deserialize, Serialize};

/// The sealed draft that ties the intake form on screen to the report it
/// was opened from: `(report id, the form's case id)`.
pub(crate) const REPORT_DRAFT: &str = "intake_online_report";

/// What the person did on the online reports' screens (wrapped in
/// `Event::OnlineReports`; JSON: `{"type":"online_reports","do":"dismiss"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OnlineReportsEvent {
    /// Show one report.
    Show {
        /// Its id, as the list gives it.
        id: String,
    },
    /// Open a new case from the report shown (the record-an-incident form).
    OpenCase,
    /// Show the commune's cases, to add the report to one.
    ChooseCase,
    /// Add the report shown to this case.
    Link {
        /// The case id, 32 hexadecimal digits.
        case: String,
    },
    /// Show the reason field, to dismiss the report.
    AskDismiss,
    /// The reason for dismissing: its whole new value.
    SetReason {
        /// Its whole new value.
        value: String,
    },
    /// Dismiss the report shown with the reason typed.
    Dismiss,
}

/// What the detail shows under the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Panel {
    /// The commune's cases, to choose one.
    Link,
    /// The reason field and the confirmation.
    Dismiss,
}

/// The screens' state while the vault is unlocked.
#[derive(Debug, Default)]
pub(crate) struct OnlineReports {
    pub(crate) panel: Option<Panel>,
    /// The reason typed for dismissing.
    pub(crate) reason: String,
}

impl OnlineReports {
    /// Forgets the panel and what was typed.
    pub(crate) fn forget(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests;
