//! The case screens: home, the case list, a case's summary and detail, case
//! work, the record-an-incident form and conflicts.

use super::{action, actions, choices, code, error, form_field, rows, send, Ids, Input, Typed};
use binhan_ui::screens::cases::{CaseListView, CaseRow, CaseSummaryView};
use binhan_ui::screens::casework::WorkView;
use binhan_ui::screens::conflicts::ConflictsView;
use binhan_ui::screens::home::HomeView;
use binhan_ui::screens::intake::{FieldView, IntakeView};
use binhan_ui::Event;
use maud::{html, Markup};

fn case_rows(list: &[CaseRow]) -> Markup {
    html! {
        ul.cases {
            @for r in list {
                li class=[r.risk_code.as_deref().map(|c| format!("risk-{c}"))] {
                    (send(&r.open, "open", html! {
                        button type="submit" {
                            strong { (r.title) }
                            span { (r.subtitle) }
                            @if let Some(risk) = &r.risk { span { (risk) } }
                            span { (r.status) }
                            @if let Some(f) = &r.follow_up {
                                span class=(if r.overdue { "overdue" } else { "follow-up" }) { (f) }
                            }
                            @if let Some(c) = &r.conflicts { span.conflicts { (c) } }
                            small { (r.updated) }
                        }
                    }))
                }
            }
        }
    }
}

fn section(title: &str, list: &[CaseRow], empty: Option<&str>) -> Markup {
    html! {
        section {
            h2 { (title) }
            @if list.is_empty() {
                @if let Some(empty) = empty { p { (empty) } }
            } @else {
                (case_rows(list))
            }
        }
    }
}

pub(crate) fn home(ids: &Ids, view: &HomeView) -> Markup {
    html! {
        (actions(ids, &view.actions))
        @if let Some(nothing) = &view.nothing_due { p { (nothing) } }
        @if !view.overdue.is_empty() { (section(&view.overdue_label, &view.overdue, None)) }
        @if !view.due_today.is_empty() { (section(&view.due_today_label, &view.due_today, None)) }
        @if let Some(label) = &view.conflicts_label { (section(label, &view.conflicts, None)) }
        @if let Some(more) = &view.more { (action(ids, more)) }
        (section(&view.recent_label, &view.recent, view.no_cases.as_deref()))
    }
}

pub(crate) fn list(ids: &Ids, view: &CaseListView) -> Markup {
    html! {
        div.filters {
            (choices(&view.status_label, &view.status_choices))
            (choices(&view.risk_label, &view.risk_choices))
        }
        p { (view.count) }
        @if let Some(unreadable) = &view.unreadable { (error(unreadable)) }
        @if let Some(empty) = &view.empty { p { (empty) } }
        (case_rows(&view.rows))
        @if let Some(more) = &view.more { (action(ids, more)) }
    }
}

pub(crate) fn summary(ids: &Ids, view: &CaseSummaryView) -> Markup {
    html! {
        h2 class=[view.risk_code.as_deref().map(|c| format!("risk-{c}"))] { (view.heading) }
        (rows(&view.rows))
        (actions(ids, &view.actions))
        @for s in &view.sections {
            section data-code=(s.code) {
                h2 { (s.title) }
                @if let Some(empty) = &s.empty { p { (empty) } }
                @if !s.items.is_empty() {
                    ul.items {
                        @for item in &s.items {
                            li {
                                span { (item.title) }
                                @if let Some(detail) = &item.detail { span.detail { (detail) } }
                                small { (item.meta) }
                            }
                        }
                    }
                }
                @if let Some(more) = &s.more { p { small { (more) } } }
                @if let Some(add) = &s.add { (action(ids, add)) }
            }
        }
    }
}

pub(crate) fn work(ids: &Ids, view: &WorkView) -> Markup {
    html! {
        h2 { (view.heading) }
        @for f in &view.fields {
            (form_field(&f.kind, Typed {
                id: format!("w-{}", code(f.field)),
                label: &f.label,
                value: &f.value,
                required: f.required,
                help: f.help.as_deref(),
                error: f.error.as_ref(),
                input: Input::Line,
                template: Event::SetWork { field: f.field, value: String::new() },
            }))
        }
        @if let Some(p) = &view.preview {
            section.preview aria-labelledby="referral-preview" {
                h3 #referral-preview { (p.heading) }
                p { (p.contact) }
                (rows(&p.sent))
                p { (p.not_sent) }
                p { (p.due) }
                p role="status" { (p.consent) }
            }
        }
        (action(ids, &view.save))
    }
}

fn intake_field(f: &FieldView) -> Markup {
    form_field(
        &f.kind,
        Typed {
            id: format!("i-{}-{}", code(f.field), f.row),
            label: &f.label,
            value: &f.value,
            required: f.required,
            help: f.help.as_deref(),
            error: f.error.as_ref(),
            input: Input::Line,
            template: Event::SetIntake {
                field: f.field,
                row: f.row,
                value: String::new(),
            },
        },
    )
}

pub(crate) fn intake(ids: &Ids, view: &IntakeView) -> Markup {
    html! {
        p.step { (view.step_label) }
        (choices(&view.step_label, &view.steps))
        @if let Some(hint) = &view.hint { p { (hint) } }
        @for f in &view.fields { (intake_field(f)) }
        @for row in &view.rows {
            fieldset.row {
                legend { (row.title) }
                @for f in &row.fields { (intake_field(f)) }
                (action(ids, &row.remove))
            }
        }
        @if let Some(add) = &view.add_row { (action(ids, add)) }
        @for s in &view.review {
            section {
                h2 { (s.title) }
                (rows(&s.rows))
                (action(ids, &s.edit))
            }
        }
        @if let Some(label) = &view.problems_label {
            section {
                h2 { (label) }
                @for p in &view.problems { (action(ids, &p.go)) }
            }
        }
        @if let Some(next) = &view.next { (action(ids, next)) }
        @if let Some(save) = &view.save { (action(ids, save)) }
        (action(ids, &view.discard))
    }
}

pub(crate) fn conflicts(ids: &Ids, view: &ConflictsView) -> Markup {
    html! {
        h2 { (view.heading) }
        p { (view.intro) }
        @if let Some(none) = &view.none { p { (none) } }
        @for c in &view.conflicts {
            section {
                h2 { (c.label) }
                div.side-by-side {
                    @for candidate in &c.candidates {
                        div.candidate {
                            p { (candidate.value) }
                            small { (candidate.by) " · " (candidate.at) }
                            (action(ids, &candidate.keep))
                        }
                    }
                }
            }
        }
    }
}
