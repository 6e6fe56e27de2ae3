//! The provincial officer's shelter registry: the list with each commune's
//! coverage (a table), the shelter form, a commune's numbers, and publish.

use super::{action, actions, code, error, form_field, typed, Ids, Input, Typed};
use binhan_ui::screens::registry::{
    NumbersView, OrganisationFormView, PublishView, RegistryEvent, RegistryView, ShelterFormView,
};
use binhan_ui::Event;
use maud::{html, Markup};

pub(crate) fn list(ids: &Ids, view: &RegistryView) -> Markup {
    html! {
        p { (view.held) }
        p data-code="pending" { (view.pending) }
        p { strong { (view.standardised) } }
        p { (view.without) }
        (actions(ids, &view.actions))
        section {
            h2 { (view.shelters_label) }
            @if let Some(none) = &view.no_shelters { p { (none) } }
            ul.shelters {
                @for s in &view.shelters {
                    li class=[s.standardised.then_some("standardised")] {
                        strong { (s.title) }
                        span { (s.subtitle) }
                        @if let Some(inactive) = &s.inactive { span { (inactive) } }
                        (action(ids, &s.edit))
                    }
                }
            }
        }
        section {
            h2 id="coverage" { (view.coverage_label) }
            div.table {
                table aria-labelledby="coverage" {
                    thead { tr { @for c in &view.columns { th scope="col" { (c) } } } }
                    tbody {
                        @for c in &view.communes {
                            tr data-commune=(c.code) class=[c.without_shelter.then_some("uncovered")] {
                                th scope="row" { (c.name) }
                                td { (c.shelters) }
                                td { (c.standardised) }
                                td { (c.numbers) " " (action(ids, &c.edit_numbers)) }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { (view.organisations_label) }
            @if let Some(none) = &view.no_organisations { p { (none) } }
            ul.organisations {
                @for o in &view.organisations {
                    li {
                        strong { (o.title) }
                        span { (o.subtitle) }
                        (action(ids, &o.edit))
                    }
                }
            }
        }
    }
}

pub(crate) fn organisation(ids: &Ids, view: &OrganisationFormView) -> Markup {
    html! {
        @for f in &view.fields {
            (form_field(&f.kind, Typed {
                id: format!("o-{}", code(f.field)),
                label: &f.label,
                value: &f.value,
                required: f.required,
                help: f.help.as_deref(),
                error: f.error.as_ref(),
                input: Input::Line,
                template: Event::Registry(RegistryEvent::SetOrganisation {
                    field: f.field,
                    value: String::new(),
                }),
            }))
        }
        @if let Some(none) = &view.no_device { p role="note" { (none) } }
        (action(ids, &view.save))
    }
}

pub(crate) fn shelter(ids: &Ids, view: &ShelterFormView) -> Markup {
    html! {
        @for f in &view.fields {
            (form_field(&f.kind, Typed {
                id: format!("r-{}", code(f.field)),
                label: &f.label,
                value: &f.value,
                required: f.required,
                help: f.help.as_deref(),
                error: f.error.as_ref(),
                input: Input::Line,
                template: Event::Registry(RegistryEvent::SetShelter {
                    field: f.field,
                    value: String::new(),
                }),
            }))
        }
        (action(ids, &view.save))
    }
}

pub(crate) fn numbers(ids: &Ids, view: &NumbersView) -> Markup {
    html! {
        p { small { (view.help) } }
        @if let Some(empty) = &view.empty { p { (empty) } }
        @for e in &view.errors { (error(e)) }
        @for row in &view.rows {
            fieldset.row {
                legend { (row.title) }
                @for f in &row.fields {
                    (form_field(&f.kind, Typed {
                        id: format!("n-{}-{}", row.row, code(f.field)),
                        label: &f.label,
                        value: &f.value,
                        required: true,
                        help: None,
                        error: f.error.as_ref(),
                        input: Input::Line,
                        template: Event::Registry(RegistryEvent::SetNumber {
                            row: row.row,
                            field: f.field,
                            value: String::new(),
                        }),
                    }))
                }
                (action(ids, &row.remove))
            }
        }
        (action(ids, &view.add))
        (action(ids, &view.save))
    }
}

pub(crate) fn publish(ids: &Ids, view: &PublishView) -> Markup {
    html! {
        p { strong { (view.version) } }
        @for s in &view.sections {
            section data-code=(s.code) {
                h2 { (s.title) }
                @if let Some(none) = &s.empty { p { (none) } }
                @if !s.items.is_empty() { ul { @for item in &s.items { li { (item) } } } }
            }
        }
        section data-code="key" {
            @if let Some(key) = &view.key { p.key { (key) } }
            @if let Some(none) = &view.no_key { p { (none) } }
            p { small { (view.key_help) } }
            @if let Some(generate) = &view.generate { (action(ids, generate)) }
            @if let Some(label) = &view.seed_label {
                (typed(Typed {
                    id: "r-seed".into(),
                    label,
                    value: "",
                    required: false,
                    help: view.seed_help.as_deref(),
                    error: view.seed_error.as_ref(),
                    input: Input::Secret,
                    template: Event::Registry(RegistryEvent::SetSeed { value: String::new() }),
                }))
            }
            @if let Some(save) = &view.save_seed { (action(ids, save)) }
        }
        @if let Some(running) = &view.running { p role="status" { (running) } }
        @if let Some(e) = &view.error { (error(e)) }
        (action(ids, &view.confirm))
    }
}

#[cfg(test)]
mod tests {
    use super::super::app;
    use binhan_core::app::Vault;
    use binhan_core::model::Role;
    use binhan_testkit::vault::fast_vault;
    use binhan_ui::screens::registry::RegistryEvent;
    use binhan_ui::{AppCore, CalcKey, Effect, Event, Options, PinKey, Shell, Target};
    use std::sync::Arc;

    struct Quiet;
    impl Shell for Quiet {
        fn effect(&self, _: Effect) {}
    }

    const PIN: &str = "493817";

    /// The officer's app, unlocked, over a vault enrolled offline.
    fn officer() -> (tempfile::TempDir, AppCore) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::create(dir.path(), PIN, fast_vault()).unwrap();
        vault
            .enrol_offline(Role::ProvincialOfficer, "pa_u")
            .unwrap();
        drop(vault);
        let options = Options {
            vault: fast_vault(),
            ..Options::default()
        };
        let core = AppCore::new(dir.path().to_path_buf(), options, Arc::new(Quiet));
        for _ in 0..6 {
            core.send(Event::Calculator {
                key: CalcKey::Digit { digit: 1 },
            });
        }
        for _ in 0..2 {
            core.send(Event::Calculator {
                key: CalcKey::Equals,
            });
        }
        for d in PIN.bytes() {
            core.send(Event::PinPad {
                key: PinKey::Digit { digit: d - b'0' },
            });
        }
        core.send(Event::PinPad {
            key: PinKey::Submit,
        });
        (dir, core)
    }

    fn html(core: &AppCore) -> String {
        app(&core.view(), &[], 0).into_string()
    }

    #[test]
    fn every_registry_screen_draws_labelled_and_keeps_the_seed_out() {
        let (_dir, core) = officer();
        core.send(Event::Open {
            target: Target::Registry,
        });
        let list = html(&core);
        assert!(list.contains("<th scope=\"row\">Xã Pa Ủ</th>"), "{list}");
        assert!(list.contains("data-commune=\"pa_u\""));

        core.send(Event::Registry(RegistryEvent::NewShelter));
        let form = html(&core);
        // Every typed field has its label, and its problem beside it.
        for id in ["r-name", "r-latitude", "r-longitude", "r-capacity"] {
            assert!(form.contains(&format!("for=\"{id}\"")), "{id}");
            assert!(form.contains(&format!("id=\"{id}-error\"")), "{id}");
        }
        assert!(form.contains("aria-pressed=\"false\""), "checklist toggles");
        core.send(Event::Back);

        core.send(Event::Registry(RegistryEvent::OpenPublish));
        core.send(Event::Registry(RegistryEvent::SetSeed {
            value: "ab".repeat(32),
        }));
        let publish = html(&core);
        assert!(publish.contains("type=\"password\""));
        assert!(
            !publish.contains(&"ab".repeat(32)),
            "the seed is never drawn"
        );
    }
}
