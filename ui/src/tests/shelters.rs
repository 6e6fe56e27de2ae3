//! Finding a shelter through `AppCore` alone: a location asked of the
//! shell, the nearest shelters by road in the Mù Cả valley of the synthetic
//! province, a call to a host from the directory's number, and a placement
//! request that waits for the survivor's consent for that shelter. All data
//! here is synthetic.

use super::support::*;
use crate::effect::Effect;
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::screens::shelters::{FinderView, ShelterFilter};
use crate::view::{Screen, ViewModel};
use binhan_core::app::Vault;
use binhan_core::model::DeviceId;
use binhan_core::shelters::{DirectoryUpdate, GeoPoint};
use binhan_testkit::shelters::{lai_chau, province_signer, signed};

fn finder(view: &ViewModel) -> &FinderView {
    match &view.screen {
        Screen::FindShelter { view } => view,
        other => panic!("expected the shelter finder, got {other:?}"),
    }
}

fn located(at: GeoPoint) -> Event {
    Event::Located {
        lat_e6: (at.lat * 1e6).round() as i32,
        lon_e6: (at.lon * 1e6).round() as i32,
    }
}

/// The seeded vault with the synthetic directory (the valley's commune
/// office hosted by a device, so it takes requests) and its road network.
fn harness() -> Harness {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault");
    let cases = seed_vault(&path, delaying_policy(), None);
    let province = lai_chau();
    let mut directory = province.directory(1);
    for shelter in &mut directory.shelters {
        if shelter.id == province.valley.same_side {
            shelter.host_device = Some(DeviceId::random());
        }
    }
    let vault = Vault::open(&path, config(delaying_policy())).expect("open");
    vault.unlock(PIN).expect("unlock");
    vault
        .set_provincial_key(province_signer().public_key())
        .expect("key");
    vault
        .load_shelter_directory(&signed(&DirectoryUpdate::Full(directory)))
        .expect("directory");
    vault
        .import_road_network(&province.roads_pbf())
        .expect("roads");
    drop(vault);
    let h = Harness::copy_of(&path, delaying_policy(), cases);
    drop(dir);
    h
}

#[test]
fn the_nearest_shelter_by_road_and_a_request_only_with_consent() {
    let h = harness();
    let province = lai_chau();
    h.unlock(PIN);
    let opened = h.send(Event::Open {
        target: Target::FindShelter,
    });
    let view = finder(&opened);
    assert_eq!(view.origin, "Cần vị trí hiện tại để tìm nơi gần nhất");
    assert!(view.shelters.is_empty() && view.for_case.is_none());
    h.shell.take();
    h.send(view.use_location.event.clone());
    assert_eq!(h.shell.take(), [Effect::RequestLocation]);

    let found = h.send(located(province.valley.start));
    insta::assert_json_snapshot!("finder_vi", h.json(&found));
    let view = finder(&found);
    assert_eq!(
        view.ranked_by.as_deref(),
        Some("Xếp theo thời gian đi đường")
    );
    let first = &view.shelters[0];
    assert_eq!(
        first.id,
        province.valley.same_side.to_string(),
        "nearest by road, not in a straight line"
    );
    assert!(
        first.distance.contains("phút đi đường"),
        "{}",
        first.distance
    );
    assert!(
        view.shelters.iter().any(|s| s.unreachable),
        "the shelter beyond the landslide says so"
    );
    assert!(first.request.is_none(), "no case: nothing to request");

    // Filters narrow the list.
    let filtered = h.send(Event::ToggleShelterFilter {
        filter: ShelterFilter::Standardised,
    });
    assert!(finder(&filtered).filters.iter().any(|f| f.selected));
    h.send(Event::ToggleShelterFilter {
        filter: ShelterFilter::Standardised,
    });

    // From a case: the request waits for the survivor's consent.
    h.send(Event::Back);
    h.send(Event::OpenCase {
        id: h.id("SYN-001"),
    });
    let summary = h.core.view();
    let Screen::CaseSummary { view } = &summary.screen else {
        panic!("{:?}", summary.screen)
    };
    let for_case = h.send(view.actions[0].event.clone());
    let view = finder(&for_case);
    assert_eq!(view.for_case.as_deref(), Some("Cho hồ sơ SYN-001"));
    let office = view
        .shelters
        .iter()
        .find(|s| s.id == province.valley.same_side.to_string())
        .expect("the office, from the kept location");
    let request = office.request.as_ref().expect("a request from a case");
    assert!(!request.enabled);
    assert_eq!(
        request.disabled_reason.as_ref().map(|r| r.code.as_str()),
        Some("consent_needed")
    );
    assert!(has_error(
        &h.send(Event::RequestPlacement {
            shelter: office.id.clone()
        }),
        "consent_needed"
    ));
    let consented = h.send(
        office
            .consent
            .as_ref()
            .expect("consent offered")
            .event
            .clone(),
    );
    assert_eq!(consented.messages[0].reason.code, "consent_recorded");
    let office = finder(&consented)
        .shelters
        .iter()
        .find(|s| s.id == province.valley.same_side.to_string())
        .expect("office")
        .clone();
    assert!(office.consent.is_none());
    let requested = h.send(office.request.expect("request").event);
    assert_eq!(requested.messages[0].reason.code, "placement_requested");

    // A shelter without a host device is asked by phone.
    let phone_only = finder(&requested)
        .shelters
        .iter()
        .find(|s| s.id != office.id && s.call.is_some())
        .expect("a host with a number")
        .clone();
    assert_eq!(
        phone_only
            .request
            .as_ref()
            .and_then(|r| r.disabled_reason.as_ref())
            .map(|r| r.code.as_str()),
        Some("phone_only")
    );
    h.shell.take();
    h.send(phone_only.call.expect("call").event);
    assert!(matches!(h.shell.take().as_slice(), [Effect::Dial { .. }]));

    // What makes no sense is refused.
    assert!(has_error(
        &h.send(Event::CallHost {
            shelter: "not a shelter".into()
        }),
        "shelter_unknown"
    ));
    assert!(has_error(
        &h.send(Event::Located {
            lat_e6: 123_000_000,
            lon_e6: 0
        }),
        "not_available_here"
    ));
}
