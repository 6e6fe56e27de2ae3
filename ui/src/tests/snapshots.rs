//! Reviewed snapshots of view models, in Vietnamese and English. The data
//! is synthetic; case ids (random) are replaced by their survivor code.

use super::support::*;
use crate::event::{Event, Field, Target};
use binhan_core::model::Lang;

#[test]
fn home_with_cases() {
    let h = Harness::seeded(delaying_policy(), None);
    let vi = h.unlock(PIN);
    insta::assert_json_snapshot!("home_vi", h.json(&vi));
    let en = h.send(Event::SetLanguage { lang: Lang::En });
    insta::assert_json_snapshot!("home_en", h.json(&en));
}

#[test]
fn case_list_and_summary() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let list = h.send(Event::Open {
        target: Target::CaseList,
    });
    insta::assert_json_snapshot!("case_list_vi", h.json(&list));
    let summary = h.send(Event::OpenCase {
        id: h.id("SYN-002"),
    });
    insta::assert_json_snapshot!("case_summary_vi", h.json(&summary));
    let en = h.send(Event::SetLanguage { lang: Lang::En });
    insta::assert_json_snapshot!("case_summary_en", h.json(&en));
}

#[test]
fn pin_pad_counting_down() {
    let h = Harness::seeded(delaying_policy(), None);
    h.open_gate();
    h.enter_pin("111999");
    let vi = h.enter_pin("111998");
    insta::assert_json_snapshot!("pin_pad_countdown_vi", h.json(&vi));
}

#[test]
fn first_run_with_every_error() {
    let h = Harness::fresh();
    h.send(Event::SetLanguage { lang: Lang::En });
    h.open_gate();
    for (field, value) in [
        (Field::Pin, "123456"),
        (Field::PinConfirm, "123465"),
        (Field::DuressPin, "123456"),
    ] {
        h.set_field(field, value);
    }
    let en = h.send(Event::Submit);
    insta::assert_json_snapshot!("setup_errors_en", h.json(&en));
}

#[test]
fn camouflage_and_emergency() {
    let h = Harness::fresh();
    for key in [
        crate::event::CalcKey::Digit { digit: 7 },
        crate::event::CalcKey::Multiply,
        crate::event::CalcKey::Digit { digit: 6 },
    ] {
        h.send(Event::Calculator { key });
    }
    let calc = h.send(Event::Calculator {
        key: crate::event::CalcKey::Equals,
    });
    insta::assert_json_snapshot!("camouflage_vi", h.json(&calc));
    h.open_gate();
    let emergency = h.send(Event::Open {
        target: Target::Emergency,
    });
    insta::assert_json_snapshot!("emergency_vi", h.json(&emergency));
}

#[test]
fn case_work_forms() {
    use crate::screens::casework::{WorkField, WorkKind};
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let id = h.id("SYN-002");
    h.send(Event::OpenCase { id: id.clone() });
    h.send(Event::OpenCaseWork {
        case: id.clone(),
        kind: WorkKind::Service,
    });
    for (field, value) in [
        (WorkField::Service, "health"),
        (WorkField::Outcome, "referred"),
        (WorkField::Provider, "Trạm y tế xã (synthetic)"),
        (WorkField::Consent, "yes"),
    ] {
        h.send(Event::SetWork {
            field,
            value: value.into(),
        });
    }
    insta::assert_json_snapshot!("referral_form_vi", h.json(&h.core.view()));
    h.send(Event::Back);
    h.send(Event::SetLanguage { lang: Lang::En });
    let close = h.send(Event::OpenCaseWork {
        case: id,
        kind: WorkKind::Close,
    });
    insta::assert_json_snapshot!("close_form_en", h.json(&close));
}
