//! The organisation form: reading, every problem at once, and the view.

use super::*;

fn filled() -> OrganisationForm {
    use OrganisationField as F;
    let mut form = OrganisationForm::blank();
    assert!(form.set(F::Name, "Trạm Y tế xã Pa Ủ (synthetic)"));
    assert!(form.set(F::Sector, "health"));
    assert!(form.toggle(F::Services, "health"));
    assert!(form.toggle(F::Communes, "pa_u"));
    assert!(form.toggle(F::Communes, "mu_ca"));
    assert!(form.set(F::Hours, "7:00–17:00"));
    assert!(form.set(F::Phone, "0200000001"));
    form
}

#[test]
fn a_filled_form_reads_as_core_s_organisation_and_back() {
    use OrganisationField as F;
    let mut form = filled();
    let device = DeviceId::random();
    assert!(form.set(F::Devices, &format!(" {device},\n{device} ")));
    let read = form.read().unwrap();
    assert_eq!(read.services, [ServiceType::Health]);
    assert_eq!(read.communes, ["pa_u", "mu_ca"]);
    assert_eq!(read.devices, [device], "each device once");
    read.validate().unwrap();
    let again = OrganisationForm::of(&read);
    assert_eq!(again.read().unwrap(), read);
    assert!(!again.new);
}

#[test]
fn every_problem_shows_at_once_by_its_field() {
    use OrganisationField as F;
    let mut form = OrganisationForm::blank();
    assert!(form.set(F::Phone, "call me"));
    assert!(form.set(F::Devices, "not-a-device"));
    let problems = form.read().unwrap_err();
    let fields: Vec<OrganisationField> = problems.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            F::Name,
            F::Hours,
            F::Phone,
            F::Sector,
            F::Services,
            F::Communes,
            F::Devices
        ]
    );
    let view = form_view(&form, Lang::En);
    assert!(!view.save.enabled);
    let phone = view.fields.iter().find(|f| f.field == F::Phone).unwrap();
    assert_eq!(
        phone.error.as_ref().map(|r| r.code.as_str()),
        Some("bad_dial_number")
    );
    let devices = view.fields.iter().find(|f| f.field == F::Devices).unwrap();
    assert_eq!(
        devices.error.as_ref().map(|r| r.code.as_str()),
        Some("bad_device_id")
    );
    // Choices outside the lists are refused as typed.
    assert!(!form.set(F::Sector, "army"));
    assert!(
        !form.toggle(F::Services, "safe_shelter"),
        "places are asked of a host"
    );
    assert!(!form.toggle(F::Communes, "atlantis"));
    assert!(
        !form.set(F::Services, "health"),
        "a several-of field is toggled"
    );
}

#[test]
fn the_form_says_when_no_device_will_receive_referrals() {
    let form = filled();
    let view = form_view(&form, Lang::Vi);
    assert!(
        view.save.enabled,
        "an organisation may be listed before its devices"
    );
    assert!(view.no_device.is_some());
    let services = view
        .fields
        .iter()
        .find(|f| f.field == OrganisationField::Services)
        .unwrap();
    let FieldKind::MultiChoice { options } = &services.kind else {
        panic!("services are several of a list");
    };
    let health = ServiceType::Health.label(Lang::Vi);
    assert!(options.iter().any(|o| o.selected && o.label == health));
    let mut with_device = form.clone();
    with_device.set(OrganisationField::Devices, &DeviceId::random().to_string());
    assert!(form_view(&with_device, Lang::Vi).no_device.is_none());
}
