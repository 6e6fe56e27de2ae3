//! From a view model to HTML. One function per screen kind (an exhaustive
//! match: a new screen kind does not build until it is drawn here), built
//! from a few pieces: an action is a form that posts its event; a text
//! field is a form whose event the server fills with what was typed; a
//! choice is a button pressed or not. maud escapes every text.

mod cases;
mod gate;
mod network;
mod online_reports;
mod registries;
mod registry;
mod report;

use binhan_core::model::Lang;
use binhan_ui::screens::intake::FieldKind;
use binhan_ui::{
    Action, Choice, Effect, Event, LabelledValue, Notice, NoticeLevel, Reason, Screen, ViewModel,
};
use maud::{html, Markup, DOCTYPE};
use std::cell::Cell;

/// Ids for `aria-describedby`, unique within one drawing.
pub(crate) struct Ids(Cell<u32>);

impl Ids {
    fn new() -> Self {
        Self(Cell::new(0))
    }

    fn next(&self, prefix: &str) -> String {
        let n = self.0.get() + 1;
        self.0.set(n);
        format!("{prefix}-{n}")
    }
}

fn json(event: &Event) -> String {
    // Serialising a plain enum cannot fail.
    serde_json::to_string(event).unwrap_or_default()
}

/// The snake_case code a field id serialises to, for element ids.
pub(crate) fn code(field: impl serde::Serialize) -> String {
    serde_json::to_value(field)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// A form that posts `event` when its button is pressed.
fn send(event: &Event, class: &str, inner: Markup) -> Markup {
    html! {
        form.(class) method="post" action="/event" data-send {
            input type="hidden" name="event" value=(json(event));
            (inner)
        }
    }
}

/// A button; a disabled one says why beside it.
pub(crate) fn action(ids: &Ids, a: &Action) -> Markup {
    let why = a.disabled_reason.as_ref().map(|r| (ids.next("why"), r));
    send(
        &a.event,
        "action",
        html! {
            button type="submit" disabled[!a.enabled]
                aria-describedby=[why.as_ref().map(|(id, _)| id.as_str())] { (a.label) }
            @if let Some((id, reason)) = &why {
                span.why id=(id) data-code=(reason.code) { (reason.text) }
            }
        },
    )
}

pub(crate) fn actions(ids: &Ids, list: &[Action]) -> Markup {
    html! { div.actions { @for a in list { (action(ids, a)) } } }
}

/// A group of choices, each a button pressed or not.
pub(crate) fn choices(label: &str, list: &[Choice]) -> Markup {
    html! {
        fieldset.choices {
            legend { (label) }
            @for c in list {
                (send(&c.event, "choice", html! {
                    button type="submit" aria-pressed=(c.selected) { (c.label) }
                }))
            }
        }
    }
}

pub(crate) fn error(reason: &Reason) -> Markup {
    html! { p.error role="alert" data-code=(reason.code) { (reason.text) } }
}

pub(crate) fn rows(list: &[LabelledValue]) -> Markup {
    html! {
        dl.rows {
            @for r in list { div data-code=(r.code) { dt { (r.label) } dd { (r.value) } } }
        }
    }
}

/// How a typed field is entered.
#[derive(Clone, Copy)]
pub(crate) enum Input {
    Line,
    Lines,
    Secret,
    Number,
}

/// One typed field: a form whose `template` event gets the typed value.
pub(crate) struct Typed<'a> {
    pub(crate) id: String,
    pub(crate) label: &'a str,
    pub(crate) value: &'a str,
    pub(crate) required: bool,
    pub(crate) help: Option<&'a str>,
    pub(crate) error: Option<&'a Reason>,
    pub(crate) input: Input,
    pub(crate) template: Event,
}

pub(crate) fn typed(t: Typed<'_>) -> Markup {
    let help_id = format!("{}-help", t.id);
    let error_id = format!("{}-error", t.id);
    let described: Vec<&str> = [
        t.help.map(|_| help_id.as_str()),
        t.error.map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    html! {
        form.field method="post" action="/event" data-send {
            input type="hidden" name="template" value=(json(&t.template));
            label for=(t.id) { (t.label) @if t.required { span.required aria-hidden="true" { " *" } } }
            @match t.input {
                Input::Lines => textarea id=(t.id) name="value" rows="4" data-live
                    required[t.required] aria-invalid=[t.error.map(|_| "true")]
                    aria-describedby=[described.as_deref()] { (t.value) },
                Input::Secret => input id=(t.id) name="value" type="password" data-live
                    autocomplete="off" inputmode="numeric" required[t.required]
                    aria-invalid=[t.error.map(|_| "true")] aria-describedby=[described.as_deref()];,
                Input::Number => input id=(t.id) name="value" type="text" inputmode="numeric"
                    value=(t.value) data-live required[t.required]
                    aria-invalid=[t.error.map(|_| "true")] aria-describedby=[described.as_deref()];,
                Input::Line => input id=(t.id) name="value" type="text" value=(t.value) data-live
                    required[t.required] aria-invalid=[t.error.map(|_| "true")]
                    aria-describedby=[described.as_deref()];,
            }
            @if let Some(help) = t.help { small id=(help_id) { (help) } }
            @if let Some(e) = t.error { p.error id=(error_id) data-code=(e.code) { (e.text) } }
            noscript { button type="submit" { "OK" } }
        }
    }
}

/// A field of the intake or case-work forms: choices as buttons, the rest
/// typed (`field.input` is replaced by what `kind` says).
pub(crate) fn form_field(kind: &FieldKind, field: Typed<'_>) -> Markup {
    let label = if field.required {
        format!("{} *", field.label)
    } else {
        field.label.to_string()
    };
    match kind {
        FieldKind::Choice { options }
        | FieldKind::MultiChoice { options }
        | FieldKind::YesNo { options } => html! {
            div.field {
                (choices(&label, options))
                @if let Some(help) = field.help { small { (help) } }
                @if let Some(e) = field.error { (error(e)) }
            }
        },
        _ => typed(Typed {
            input: match kind {
                FieldKind::Text {
                    multiline: true, ..
                } => Input::Lines,
                FieldKind::Number => Input::Number,
                _ => Input::Line,
            },
            ..field
        }),
    }
}

fn messages(list: &[Notice]) -> Markup {
    html! {
        div.messages role="status" aria-live="polite" {
            @for m in list {
                p class=(match m.level { NoticeLevel::Info => "info", NoticeLevel::Error => "error" })
                    data-code=(m.reason.code) { (m.reason.text) }
            }
        }
    }
}

/// What the platform is asked to do, drawn for a desktop: a number to call
/// from a phone, a text to copy, a location asked of the browser.
fn effects(list: &[Effect], lang: Lang) -> Markup {
    let (call, copy, save) = match lang {
        Lang::Vi => (
            "Gọi từ điện thoại",
            "Sao chép nội dung này",
            "Tải tệp về máy",
        ),
        Lang::En => ("Call from a phone", "Copy this", "Save the file"),
    };
    html! {
        @for effect in list {
            @match effect {
                Effect::Dial { number } => p.effect { (call) ": " a href=(format!("tel:{number}")) { (number) } },
                Effect::Share { text } => div.effect {
                    label for="share" { (copy) }
                    textarea id="share" readonly rows="3" { (text) }
                },
                // The console keeps the file; the page downloads it from
                // `/download` (the script follows this link at once).
                Effect::SaveFile { name, .. } => p.effect {
                    (save) ": " a id="download" href="/download" download=(name) { (name) }
                },
                _ => {}
            }
        }
    }
}

/// The `<main>` the page swaps: the header, messages and the screen.
pub(crate) fn app(view: &ViewModel, pending: &[Effect], generation: u64) -> Markup {
    let ids = Ids::new();
    let locate = pending.contains(&Effect::RequestLocation);
    let download = pending.iter().any(|e| matches!(e, Effect::SaveFile { .. }));
    let camouflage = matches!(view.screen, Screen::Camouflage { .. });
    html! {
        main id="app" lang=(lang_code(view.lang)) data-tick=[view.tick_in_ms]
            data-generation=(generation) data-locate[locate] data-download[download]
            class=(if camouflage { "camouflage" } else { "screen" }) {
            header {
                @if view.can_go_back {
                    (send(&Event::Back, "back", html! {
                        button type="submit" aria-label=(match view.lang { Lang::Vi => "Quay lại", Lang::En => "Back" }) { "←" }
                    }))
                }
                h1 { (view.title) }
                @if let Some(exit) = &view.quick_exit {
                    (send(&exit.event, "quick-exit", html! {
                        button type="submit" { (exit.label) }
                    }))
                }
            }
            @if !camouflage { (messages(&view.messages)) }
            (effects(pending, view.lang))
            (screen(&ids, &view.screen))
            @if let Some(emergency) = &view.emergency {
                footer { (action(&ids, emergency)) }
            }
        }
    }
}

fn screen(ids: &Ids, screen: &Screen) -> Markup {
    match screen {
        Screen::Camouflage { view } => gate::calculator(view),
        Screen::Setup { view } => gate::setup(ids, view),
        Screen::PinPad { view } => gate::pin_pad(ids, view),
        Screen::Emergency { view } => gate::emergency(ids, view),
        Screen::Settings { view } => gate::settings(ids, view),
        Screen::ChangePin { view } | Screen::DuressPin { view } => gate::pin_form(ids, view),
        Screen::ConfirmWipe { view } => gate::confirm_wipe(ids, view),
        Screen::Home { view } => cases::home(ids, view),
        Screen::CaseList { view } => cases::list(ids, view),
        Screen::CaseSummary { view } => cases::summary(ids, view),
        Screen::CaseWork { view } => cases::work(ids, view),
        Screen::RecordIncident { view } => cases::intake(ids, view),
        Screen::Conflicts { view } => cases::conflicts(ids, view),
        Screen::FindShelter { view } => network::finder(ids, view),
        Screen::HostDesk { view } => network::host(ids, view),
        Screen::ReferralInbox { view } => network::referral_inbox(ids, view),
        Screen::OverdueReferrals { view } => network::overdue_referrals(ids, view),
        Screen::Invite { view } => network::invite(ids, view),
        Screen::Devices { view } => network::devices(ids, view),
        Screen::OnlineReports { view } => online_reports::list(ids, view),
        Screen::OnlineReport { view } => online_reports::detail(ids, view),
        Screen::Registries { view } => registries::list(ids, view),
        Screen::RegistryEntry { view } => registries::entry(ids, view),
        Screen::RegistryImport { view } => registries::import(ids, view),
        Screen::Sync { view } => network::sync(ids, view),
        Screen::Enrol { view } => network::enrol(ids, view),
        Screen::Registry { view } => registry::list(ids, view),
        Screen::RegistryShelter { view } => registry::shelter(ids, view),
        Screen::RegistryOrganisation { view } => registry::organisation(ids, view),
        Screen::RegistryNumbers { view } => registry::numbers(ids, view),
        Screen::RegistryPublish { view } => registry::publish(ids, view),
        Screen::Report { view } => report::report(ids, view),
    }
}

/// The whole page around `app`.
pub(crate) fn page(view: &ViewModel, app: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang_code(view.lang)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (view.title) }
                link rel="stylesheet" href="/assets/console.css";
                script src="/assets/console.js" defer {}
            }
            body { (app) }
        }
    }
    .into_string()
}

/// Where quick exit goes: an empty page with a neutral title.
pub(crate) fn neutral() -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Thẻ mới" }
            }
            body {}
        }
    }
}
