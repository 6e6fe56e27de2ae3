//! The officer's shelter registry through `AppCore`: reachable only from the
//! officer's home; a shelter added with every problem shown at once, then
//! saved with its checklist; a commune's numbers; the draft kept through a
//! quick exit; the signing key generated in the vault; publishing refused
//! (no server answers) with the draft kept; a referral organisation added
//! to the service directory, edited, and listed among what publishing
//! changes. Synthetic data only.

use super::support::{Harness, PIN};
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::screens::registry::{
    NumberField, NumbersView, OrganisationField, OrganisationFormView, PublishView, RegistryEvent,
    RegistryView, ShelterField, ShelterFormView,
};
use crate::view::{Screen, ViewModel};
use binhan_core::model::{Lang, Role};

fn reg(event: RegistryEvent) -> Event {
    Event::Registry(event)
}

fn registry(view: &ViewModel) -> &RegistryView {
    match &view.screen {
        Screen::Registry { view } => view,
        other => panic!("expected the registry, got {other:?}"),
    }
}

fn form(view: &ViewModel) -> &ShelterFormView {
    match &view.screen {
        Screen::RegistryShelter { view } => view,
        other => panic!("expected the shelter form, got {other:?}"),
    }
}

fn numbers(view: &ViewModel) -> &NumbersView {
    match &view.screen {
        Screen::RegistryNumbers { view } => view,
        other => panic!("expected the numbers, got {other:?}"),
    }
}

fn publish(view: &ViewModel) -> &PublishView {
    match &view.screen {
        Screen::RegistryPublish { view } => view,
        other => panic!("expected the publish screen, got {other:?}"),
    }
}

fn set(h: &Harness, field: ShelterField, value: &str) -> ViewModel {
    h.send(reg(RegistryEvent::SetShelter {
        field,
        value: value.into(),
    }))
}

fn toggle(h: &Harness, field: ShelterField, code: &str) -> ViewModel {
    h.send(reg(RegistryEvent::ToggleShelter {
        field,
        code: code.into(),
    }))
}

fn open_registry(h: &Harness) -> ViewModel {
    h.send(Event::Open {
        target: Target::Registry,
    })
}

#[test]
fn only_the_officer_reaches_the_registry() {
    for role in [Role::CommuneCaseManager, Role::Collaborator] {
        let h = Harness::enrolled_as(role);
        h.unlock(PIN);
        let refused = open_registry(&h);
        assert!(has_error(&refused, "not_available_here"));
        assert!(matches!(refused.screen, Screen::Home { .. }));
        assert!(has_error(
            &h.send(reg(RegistryEvent::NewShelter)),
            "not_available_here"
        ));
    }
}

#[test]
fn the_officer_drafts_a_shelter_and_numbers_then_publishes() {
    let h = Harness::enrolled_as(Role::ProvincialOfficer);
    h.unlock(PIN);
    let list = open_registry(&h);
    let view = registry(&list);
    assert_eq!(list.title, "Danh bạ nơi tạm lánh");
    assert_eq!(
        view.no_shelters.as_deref(),
        Some("Chưa có nơi tạm lánh nào")
    );
    assert!(view.communes.iter().all(|c| c.without_shelter));
    assert!(!view.actions[2].enabled, "nothing to discard");

    // A new shelter: every problem at once, Save disabled with their count.
    let blank = h.send(reg(RegistryEvent::NewShelter));
    let f = form(&blank);
    assert!(f.new);
    assert!(!f.save.enabled);
    let errors: Vec<_> = f
        .fields
        .iter()
        .filter_map(|x| x.error.as_ref().map(|e| (x.field, e.code.clone())))
        .collect();
    for expected in [
        ShelterField::Name,
        ShelterField::Kind,
        ShelterField::Commune,
        ShelterField::Latitude,
        ShelterField::Longitude,
        ShelterField::Capacity,
        ShelterField::Accepts,
        ShelterField::Languages,
    ] {
        assert!(errors.iter().any(|(f, _)| *f == expected), "{expected:?}");
    }
    assert!(!f.fields.iter().any(|x| x.field == ShelterField::OpensAt));

    for (field, value) in [
        (ShelterField::Name, "Nhà văn hóa bản (giả lập)"),
        (ShelterField::Kind, "commune_office"),
        (ShelterField::Commune, "pa_u"),
        (ShelterField::Latitude, "22,39"),
        (ShelterField::Longitude, "103.46"),
        (ShelterField::Capacity, "5"),
        (ShelterField::Hours, "daily"),
        (ShelterField::OpensAt, "07:00"),
        (ShelterField::ClosesAt, "7pm"),
    ] {
        set(&h, field, value);
    }
    toggle(&h, ShelterField::Accepts, "women");
    toggle(&h, ShelterField::Languages, "mong");
    toggle(&h, ShelterField::Checklist, "private_room");
    let one_left = toggle(&h, ShelterField::Checklist, "meals");
    let f = form(&one_left);
    let closes = f
        .fields
        .iter()
        .find(|x| x.field == ShelterField::ClosesAt)
        .unwrap();
    assert_eq!(closes.error.as_ref().unwrap().code, "bad_time");
    assert!(!f.save.enabled);
    assert!(has_error(
        &h.send(reg(RegistryEvent::SaveShelter)),
        "form_has_errors"
    ));
    set(&h, ShelterField::ClosesAt, "19:00");
    let saved = h.send(reg(RegistryEvent::SaveShelter));
    let view = registry(&saved);
    assert_eq!(view.shelters.len(), 1);
    assert!(view.shelters[0].subtitle.contains("2/12"));
    assert!(!view.shelters[0].standardised);
    assert_eq!(view.pending, "Bản nháp: 1 thay đổi chưa công bố");

    // Edit it: the form comes back as saved.
    let edit = view.shelters[0].edit.event.clone();
    let editing = h.send(edit);
    let f = form(&editing);
    assert!(!f.new && f.save.enabled);
    let capacity = f
        .fields
        .iter()
        .find(|x| x.field == ShelterField::Capacity)
        .unwrap();
    assert_eq!(capacity.value, "5");
    h.send(Event::Back);

    // The commune's numbers: row by row, then saved.
    let pa_u = registry(&h.core.view())
        .communes
        .iter()
        .find(|c| c.code == "pa_u")
        .unwrap()
        .edit_numbers
        .event
        .clone();
    let opened = h.send(pa_u);
    assert!(numbers(&opened).empty.is_some());
    h.send(reg(RegistryEvent::AddNumber));
    for (field, value) in [
        (NumberField::Kind, "commune_police"),
        (NumberField::Name, "Trực ban (giả lập)"),
        (NumberField::Phone, "0200 000 37"),
    ] {
        h.send(reg(RegistryEvent::SetNumber {
            row: 0,
            field,
            value: value.into(),
        }));
    }
    let bad = h.core.view();
    let phone = &numbers(&bad).rows[0].fields[2];
    assert_eq!(phone.error.as_ref().unwrap().code, "bad_dial_number");
    h.send(reg(RegistryEvent::SetNumber {
        row: 0,
        field: NumberField::Phone,
        value: "020000037".into(),
    }));
    let saved = h.send(reg(RegistryEvent::SaveNumbers));
    let view = registry(&saved);
    let row = view.communes.iter().find(|c| c.code == "pa_u").unwrap();
    assert_eq!((row.shelters, row.numbers.as_str()), (1, "1 số"));

    // Quick exit forgets the screens; the draft stays sealed in the vault.
    h.send(Event::QuickExit);
    h.unlock(PIN);
    let back = open_registry(&h);
    assert_eq!(registry(&back).shelters.len(), 1);

    // Publishing: no key yet, so the confirm is disabled with its reason.
    h.send(Event::SetLanguage { lang: Lang::En });
    let review = h.send(reg(RegistryEvent::OpenPublish));
    let p = publish(&review);
    assert_eq!(p.version, "Version 1, the whole directory");
    assert_eq!(p.sections[0].items, ["Nhà văn hóa bản (giả lập)"]);
    assert_eq!(p.sections[2].items, ["Xã Pa Ủ"]);
    assert_eq!(
        p.confirm.disabled_reason.as_ref().unwrap().code,
        "no_signing_key"
    );
    // A seed that is not one is refused beside its field.
    h.send(reg(RegistryEvent::SetSeed {
        value: "not a seed".into(),
    }));
    let refused = h.send(reg(RegistryEvent::SaveSeed));
    assert_eq!(
        publish(&refused).seed_error.as_ref().unwrap().code,
        "not_hex"
    );
    let generated = h.send(reg(RegistryEvent::GenerateKey));
    let p = publish(&generated);
    assert!(p
        .key
        .as_ref()
        .unwrap()
        .starts_with("Provincial signing key"));
    assert!(p.generate.is_none() && p.confirm.enabled);
    let json = serde_json::to_string(&generated).unwrap();
    assert!(!json.contains("seed\":\""), "the seed never comes back");

    // Nobody answers at the server's address: the draft is kept.
    h.send(reg(RegistryEvent::ConfirmPublish));
    let mut waited = h.core.view();
    for _ in 0..200 {
        if publish(&waited).running.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        waited = h.core.view();
    }
    let p = publish(&waited);
    assert_eq!(p.error.as_ref().unwrap().code, "sync_offline");
    h.send(Event::Back);
    assert_eq!(registry(&h.core.view()).shelters.len(), 1);
}

fn organisation_form(view: &ViewModel) -> &OrganisationFormView {
    match &view.screen {
        Screen::RegistryOrganisation { view } => view,
        other => panic!("expected the organisation form, got {other:?}"),
    }
}

#[test]
fn the_officer_adds_a_referral_organisation_to_the_service_directory() {
    use OrganisationField as F;
    let h = Harness::enrolled_as(Role::ProvincialOfficer);
    h.unlock(PIN);
    let list = open_registry(&h);
    let view = registry(&list);
    assert_eq!(
        view.no_organisations.as_deref(),
        Some("Chưa có cơ quan nhận chuyển gửi nào")
    );
    let add = view.actions.last().unwrap();
    assert_eq!(add.label, "Thêm cơ quan nhận chuyển gửi");
    let blank = h.send(add.event.clone());
    assert_eq!(blank.title, "Thêm cơ quan nhận chuyển gửi");
    assert!(!organisation_form(&blank).save.enabled);

    let set = |field, value: &str| {
        h.send(reg(RegistryEvent::SetOrganisation {
            field,
            value: value.into(),
        }))
    };
    let toggle = |field, code: &str| {
        h.send(reg(RegistryEvent::ToggleOrganisation {
            field,
            code: code.into(),
        }))
    };
    set(F::Name, "Trạm Y tế xã Pa Ủ (giả lập)");
    set(F::Sector, "health");
    toggle(F::Services, "health");
    toggle(F::Communes, "pa_u");
    set(F::Hours, "7:00–17:00, thứ Hai–thứ Sáu");
    set(F::Phone, "0200000099");
    let device = binhan_core::model::DeviceId::random().to_string();
    let filled = set(F::Devices, &device);
    let form = organisation_form(&filled);
    assert!(form.save.enabled && form.no_device.is_none());
    let saved = h.send(reg(RegistryEvent::SaveOrganisation));
    let view = registry(&saved);
    assert_eq!(view.organisations.len(), 1);
    assert_eq!(view.organisations[0].title, "Trạm Y tế xã Pa Ủ (giả lập)");
    assert!(view.organisations[0].subtitle.contains("Xã Pa Ủ"));
    assert!(view.organisations[0].subtitle.ends_with("1 máy"));
    assert_eq!(view.pending, "Bản nháp: 1 thay đổi chưa công bố");

    // Edited: the form comes back as saved; a change of its number stays.
    let edit = h.send(view.organisations[0].edit.event.clone());
    let again = organisation_form(&edit);
    assert!(!again.new);
    let devices = again.fields.iter().find(|f| f.field == F::Devices).unwrap();
    assert_eq!(devices.value, device);
    set(F::Phone, "0200000098");
    h.send(reg(RegistryEvent::SaveOrganisation));

    // What publishing changes names it.
    h.send(Event::SetLanguage { lang: Lang::En });
    let review = h.send(reg(RegistryEvent::OpenPublish));
    let p = publish(&review);
    let section = p
        .sections
        .iter()
        .find(|s| s.code == "organisations")
        .unwrap();
    assert_eq!(section.title, "Referral organisations added or changed");
    assert_eq!(section.items, ["Trạm Y tế xã Pa Ủ (giả lập)"]);

    // A form left unsaved is forgotten by quick exit, the draft kept.
    h.send(Event::Back);
    let list = h.core.view();
    h.send(registry(&list).actions.last().unwrap().event.clone());
    set(F::Name, "Unsaved (synthetic)");
    h.send(Event::QuickExit);
    h.unlock(PIN);
    let back = open_registry(&h);
    assert_eq!(registry(&back).organisations.len(), 1);
}
