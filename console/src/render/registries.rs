//! The programme registries desk: the lists, the entry form with its
//! attendees' rows, and the import screen, whose file input posts the
//! chosen file to `/import` as a plain multipart form (with or without the
//! script); the core reads the file and decides everything.

use super::{action, actions, choices, code, error, form_field, Ids, Input, Typed};
use binhan_ui::screens::registries::view::RegistryRow;
use binhan_ui::screens::registries::{
    ImportView, RegistriesEvent, RegistriesView, RegistryEntryView,
};
use binhan_ui::Event;
use maud::{html, Markup};

fn running(view: Option<&String>) -> Markup {
    html! { @if let Some(r) = view { p role="status" { (r) } } }
}

fn row(ids: &Ids, r: &RegistryRow) -> Markup {
    html! {
        li {
            strong { (r.title) }
            span { (r.subtitle) }
            @if let Some(a) = &r.attendees { span { (a) } }
            (action(ids, &r.edit))
        }
    }
}

pub(crate) fn list(ids: &Ids, view: &RegistriesView) -> Markup {
    html! {
        p { (view.intro) }
        @if view.tabs.len() > 1 { (choices("", &view.tabs)) }
        (running(view.running.as_ref()))
        @if let Some(e) = &view.error { (error(e)) }
        (actions(ids, &[Some(&view.add), view.import.as_ref(), Some(&view.reload)]
            .into_iter().flatten().cloned().collect::<Vec<_>>()))
        @if let Some(empty) = &view.empty { p { (empty) } }
        ul.registry { @for r in &view.rows { (row(ids, r)) } }
    }
}

pub(crate) fn entry(ids: &Ids, view: &RegistryEntryView) -> Markup {
    html! {
        @if let Some(help) = &view.help { p { (help) } }
        @for f in &view.fields {
            (form_field(&f.kind, Typed {
                id: format!("r-{}", code(f.field)),
                label: &f.label,
                value: &f.value,
                required: f.required,
                help: f.help.as_deref(),
                error: f.error.as_ref(),
                input: Input::Line,
                template: Event::Registries {
                    event: RegistriesEvent::SetEntry { field: f.field, value: String::new() },
                },
            }))
        }
        @if let Some(label) = &view.attendees_label {
            section.attendees aria-label=(label) {
                h2 { (label) }
                @if let Some(none) = &view.no_attendees { p { (none) } }
                @for r in &view.attendees {
                    fieldset.row {
                        legend { (r.title) }
                        @for f in &r.fields {
                            (form_field(&f.kind, Typed {
                                id: format!("a-{}-{}", r.row, code(f.field)),
                                label: &f.label,
                                value: &f.value,
                                required: f.required,
                                help: f.help.as_deref(),
                                error: f.error.as_ref(),
                                input: Input::Line,
                                template: Event::Registries {
                                    event: RegistriesEvent::SetAttendee {
                                        row: r.row,
                                        field: f.field,
                                        value: String::new(),
                                    },
                                },
                            }))
                        }
                        (action(ids, &r.remove))
                    }
                }
                @if let Some(add) = &view.add_attendee { (action(ids, add)) }
            }
        }
        (action(ids, &view.save))
        (running(view.running.as_ref()))
        @if let Some(e) = &view.error { (error(e)) }
    }
}

pub(crate) fn import(ids: &Ids, view: &ImportView) -> Markup {
    html! {
        p id="import-layout" { (view.layout) }
        form.upload method="post" action="/import" enctype="multipart/form-data" {
            label for="import-file" { (view.file_label) }
            input id="import-file" type="file" name="file" accept=(view.accept) required
                aria-describedby="import-help import-layout";
            small id="import-help" { (view.file_help) }
            button type="submit" { (view.upload) }
        }
        p data-code="import-file" { (view.file) }
        @if let Some(summary) = &view.summary { p { (summary) } }
        @if let Some(refused) = &view.refused { (error(refused)) }
        @if !view.problems.is_empty() {
            ul.problems {
                @for p in &view.problems {
                    li data-code=(p.code) data-line=(p.line) { (p.text) }
                }
            }
        }
        (action(ids, &view.confirm))
        (running(view.running.as_ref()))
        @if let Some(e) = &view.error { (error(e)) }
    }
}
