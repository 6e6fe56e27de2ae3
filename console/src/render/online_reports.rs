//! The online reports a commune case manager sorts: the list, and one
//! report with its actions (open a case, add it to a case, dismiss it with
//! a reason).

use super::{action, actions, rows, typed, Ids, Input, Typed};
use binhan_ui::screens::online_reports::{
    OnlineReportView, OnlineReportsEvent, OnlineReportsView, TriagePanel,
};
use binhan_ui::Event;
use maud::{html, Markup};

pub(crate) fn list(ids: &Ids, view: &OnlineReportsView) -> Markup {
    html! {
        p { (view.intro) }
        p role="status" { (view.waiting) }
        @if let Some(empty) = &view.empty { p { (empty) } }
        ul.reports {
            @for r in &view.rows {
                li data-state=(r.state_code) {
                    @if let Some(danger) = &r.danger { p.danger role="alert" { strong { (danger) } } }
                    p { (r.received) }
                    @if let Some(writer) = &r.writer { p { (writer) } }
                    @if let Some(what) = &r.what { p { (what) } }
                    @if let Some(unreadable) = &r.unreadable { p.error { (unreadable) } }
                    p { (r.state) }
                    (action(ids, &r.open))
                }
            }
        }
    }
}

pub(crate) fn detail(ids: &Ids, view: &OnlineReportView) -> Markup {
    html! {
        @if let Some(danger) = &view.danger { p.danger role="alert" { strong { (danger) } } }
        p { (view.received) }
        p data-state=(view.state_code) { (view.state) }
        @if let Some(unreadable) = &view.unreadable { p.error { (unreadable) } }
        (rows(&view.details))
        (actions(ids, &[view.open_case.clone(), view.link.clone(), view.dismiss.clone()]))
        @match &view.panel {
            Some(TriagePanel::Link { intro, cases, empty, cancel }) => section.panel {
                p { (intro) }
                @if let Some(empty) = empty { p { (empty) } }
                @for c in cases { (action(ids, &c.choose)) }
                (action(ids, cancel))
            },
            Some(TriagePanel::Dismiss { intro, label, reason, confirm, cancel }) => section.panel {
                p { (intro) }
                (typed(Typed {
                    id: "dismiss-reason".into(),
                    label,
                    value: reason,
                    required: true,
                    help: None,
                    error: None,
                    input: Input::Lines,
                    template: Event::OnlineReports {
                        event: OnlineReportsEvent::SetReason { value: String::new() },
                    },
                }))
                (actions(ids, &[confirm.clone(), cancel.clone()]))
            },
            None => {},
        }
    }
}
