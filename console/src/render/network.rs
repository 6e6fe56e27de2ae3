//! The screens that talk to others: the shelter finder and the host's desk,
//! invitations, the commune's devices, sync and enrolment.

use super::{action, actions, choices, code, error, rows, typed, Ids, Input, Typed};
use binhan_ui::qr::QrCode;
use binhan_ui::screens::devices::DevicesView;
use binhan_ui::screens::invite::InviteView;
use binhan_ui::screens::referrals::overdue::OverdueReferralsView;
use binhan_ui::screens::referrals::ReferralInboxView;
use binhan_ui::screens::shelters::host::{HostView, StayRow};
use binhan_ui::screens::shelters::FinderView;
use binhan_ui::screens::sync::{EnrolView, SyncView, TextFieldView};
use binhan_ui::Event;
use maud::{html, Markup};

pub(crate) fn finder(ids: &Ids, view: &FinderView) -> Markup {
    html! {
        @if let Some(case) = &view.for_case { p { (case) } }
        p { (view.origin) }
        (action(ids, &view.use_location))
        @if let Some(f) = &view.place_field {
            (typed(Typed {
                id: "from-place".into(),
                label: &f.label,
                value: &f.value,
                required: false,
                help: Some(&f.help),
                error: None,
                input: Input::Line,
                template: Event::SearchPlaces { value: String::new() },
            }))
            @if !view.places.is_empty() { (choices(&f.label, &view.places)) }
        }
        @if let Some(note) = &view.places_note { p { (note) } }
        (choices("", &view.filters))
        @if let Some(ranked) = &view.ranked_by { p { small { (ranked) } } }
        @if let Some(empty) = &view.empty { p { (empty) } }
        ul.shelters {
            @for s in &view.shelters {
                li {
                    strong { (s.name) }
                    span { (s.subtitle) }
                    span { (s.distance) }
                    span { (s.places) }
                    span { (s.open) }
                    @for a in [&s.call, &s.consent, &s.request].into_iter().flatten() { (action(ids, a)) }
                }
            }
        }
    }
}

fn stays(ids: &Ids, list: &[StayRow]) -> Markup {
    html! {
        ul.stays {
            @for s in list {
                li {
                    strong { (s.needs) }
                    @if let Some(d) = &s.details { span { (d) } }
                    span { (s.status) }
                    small { (s.updated) }
                    (actions(ids, &s.actions))
                }
            }
        }
    }
}

pub(crate) fn host(ids: &Ids, view: &HostView) -> Markup {
    html! {
        @if let Some(shelter) = &view.shelter { h2 { (shelter) } }
        @if let Some(places) = &view.places { p { (places) } }
        @for a in [&view.fewer, &view.more].into_iter().flatten() { (action(ids, a)) }
        (actions(ids, &view.start))
        @if let Some(empty) = &view.empty { p { (empty) } }
        (stays(ids, &view.inbox))
        (stays(ids, &view.stays))
    }
}

/// A service provider's referral inbox: the emergency numbers, then each
/// referral with its fields and the answers possible now.
pub(crate) fn referral_inbox(ids: &Ids, view: &ReferralInboxView) -> Markup {
    html! {
        ul.emergency { @for n in &view.emergency { li { (n) } } }
        @if let Some(empty) = &view.empty { p { (empty) } }
        ul.referrals {
            @for r in &view.referrals {
                li data-overdue=(r.overdue) {
                    strong { (r.title) }
                    span { (r.status) }
                    small { (r.due) " · " (r.received) }
                    @if let Some(ask) = &r.ask { p { (ask) } }
                    (rows(&r.facts))
                    @for added in &r.added { p { (added) } }
                    @if let Some(w) = &r.withdrawn { p role="status" { (w) } }
                    (actions(ids, &r.actions))
                }
            }
        }
    }
}

pub(crate) fn overdue_referrals(ids: &Ids, view: &OverdueReferralsView) -> Markup {
    html! {
        @if let Some(empty) = &view.empty { p { (empty) } }
        ul.referrals {
            @for r in &view.rows {
                li data-overdue="true" {
                    strong { (r.title) }
                    small { (r.detail) }
                    (action(ids, &r.open))
                }
            }
        }
    }
}

pub(crate) fn invite(ids: &Ids, view: &InviteView) -> Markup {
    html! {
        (choices(&view.role_label, &view.roles))
        @if let Some(e) = &view.role_error { (error(e)) }
        @if let Some(label) = &view.commune_label { (choices(label, &view.communes)) }
        @if let Some(e) = &view.commune_error { (error(e)) }
        @if let Some(school) = &view.school { (text_field(school)) }
        (choices(&view.hours_label, &view.hours))
        (action(ids, &view.submit))
        @if let Some(running) = &view.running { p role="status" { (running) } }
        @if let Some(e) = &view.error { (error(e)) }
        (rows(&view.invitation))
        @if let Some(qr) = &view.qr { (qr_svg(qr)) }
        @if let Some(share) = &view.share { (action(ids, share)) }
    }
}

/// A QR code as an SVG image: one path of unit squares, the four-module
/// quiet zone in the view box, crisp edges; the description is its name.
fn qr_svg(qr: &QrCode) -> Markup {
    let w = qr.width as usize;
    let mut path = String::with_capacity(qr.dark.len() * 4);
    for (i, _) in qr.dark.iter().enumerate().filter(|(_, dark)| **dark) {
        path.push_str(&format!("M{} {}h1v1h-1z", i % w, i / w));
    }
    let side = w + 8;
    html! {
        figure.qr {
            svg role="img" aria-label=(qr.description) viewBox=(format!("-4 -4 {side} {side}"))
                shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg" {
                rect x="-4" y="-4" width=(side) height=(side) fill="#fff" {}
                path d=(path) fill="#000" {}
            }
            figcaption { (qr.description) }
        }
    }
}

pub(crate) fn devices(ids: &Ids, view: &DevicesView) -> Markup {
    html! {
        p { (view.intro) }
        @if let Some(running) = &view.running { p role="status" { (running) } }
        @if let Some(e) = &view.error { (error(e)) }
        @if let Some(confirm) = &view.confirm {
            div.confirm role="alertdialog" aria-labelledby="confirm-text" {
                p id="confirm-text" { (confirm.text) }
                (actions(ids, &[confirm.confirm.clone(), confirm.cancel.clone()]))
            }
        }
        table.devices {
            tbody {
                @for d in &view.rows {
                    tr {
                        td { (d.label) }
                        td { (d.role) }
                        td { (d.code) }
                        td { @if let Some(revoke) = &d.revoke { (action(ids, revoke)) } }
                    }
                }
            }
        }
        (action(ids, &view.refresh))
    }
}

pub(crate) fn sync(ids: &Ids, view: &SyncView) -> Markup {
    html! {
        @if let Some(not) = &view.not_enrolled { p { (not) } }
        (rows(&view.enrolled_as))
        (rows(std::slice::from_ref(&view.last_sync)))
        p { (view.waiting) }
        @if let Some(p) = &view.progress {
            div role="status" {
                p { (p.label) @if let Some(c) = &p.count { " · " (c) } }
                @if let Some(permille) = p.permille { progress max="1000" value=(permille) {} }
            }
        }
        @if let Some(e) = &view.error { (error(e)) }
        @for notice in &view.notices { (error(notice)) }
        (action(ids, &view.sync_now))
        @if let Some(roads) = &view.roads {
            section.roads {
                (rows(std::slice::from_ref(&roads.map)))
                @if let Some(update) = &roads.update { p { (update) } }
                (choices(&roads.map.label, std::slice::from_ref(&roads.wifi_only)))
                @if let Some(now) = &roads.download_now { (action(ids, now)) }
            }
        }
        @if let Some(enrol) = &view.enrol { (action(ids, enrol)) }
    }
}

/// A required line of text that is not secret.
fn text_field(f: &TextFieldView) -> Markup {
    typed(Typed {
        id: format!("e-{}", code(f.field)),
        label: &f.label,
        value: &f.value,
        required: true,
        help: f.help.as_deref(),
        error: f.error.as_ref(),
        input: Input::Line,
        template: Event::SetField {
            field: f.field,
            value: String::new(),
        },
    })
}

pub(crate) fn enrol(ids: &Ids, view: &EnrolView) -> Markup {
    html! {
        p { (view.intro) }
        @for f in &view.fields { (text_field(f)) }
        @if let Some(scan) = &view.scan { (action(ids, scan)) }
        (action(ids, &view.submit))
        @if let Some(running) = &view.running { p role="status" { (running) } }
        @if let Some(e) = &view.error { (error(e)) }
    }
}
