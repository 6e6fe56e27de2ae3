//! The referrals waiting for an answer past their due date, across the
//! cases this phone holds (a commune case manager's: the commune's), most
//! overdue first, each opening its case. Reached from the home screen when
//! the last sync counted any.

use super::text::L;
use crate::event::Event;
use crate::format;
use crate::view::Action;
use binhan_core::app::Vault;
use binhan_core::model::{Coded, Lang};
use chrono::NaiveDate;
use serde::Serialize;

/// One overdue referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OverdueRow {
    /// "SYN-001 · Trạm Y tế … · health care".
    pub title: String,
    /// "Overdue for 4 days (due 18/11/2026) · sent on 15/11/2026".
    pub detail: String,
    /// Open the case.
    pub open: Action,
}

/// The list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OverdueReferralsView {
    /// Most overdue first.
    pub rows: Vec<OverdueRow>,
    /// That none is overdue, when the list is empty.
    pub empty: Option<String>,
}

/// The overdue referrals of `vault` on `today`.
pub(crate) fn view(vault: &Vault, today: NaiveDate, lang: Lang) -> OverdueReferralsView {
    let rows: Vec<OverdueRow> = vault
        .overdue_referrals_on(today)
        .unwrap_or_default()
        .into_iter()
        .map(|o| {
            let sent = &o.referral.sent;
            OverdueRow {
                title: format!(
                    "{} · {} · {}",
                    o.survivor_code,
                    sent.organisation_name,
                    sent.service.label(lang)
                ),
                detail: L::OverdueFor(
                    (today - sent.due).num_days(),
                    format::day(sent.due),
                    format::day(sent.on),
                )
                .get(lang),
                open: Action::new(
                    L::OpenCase.get(lang),
                    Event::OpenCase {
                        id: o.case_id.to_string(),
                    },
                ),
            }
        })
        .collect();
    OverdueReferralsView {
        empty: rows.is_empty().then(|| L::NoneOverdue.get(lang)),
        rows,
    }
}
