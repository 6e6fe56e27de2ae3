//! Finding a shelter through `AppCore` alone: a location asked of the
//! shell or a village chosen by name, the nearest shelters by road in the
//! Mù Cả valley of the synthetic province, a call to a host from the directory's number, and a placement
//! request that waits for the survivor's consent for that shelter. All data
//! here is synthetic.

use super::support::*;
use crate::effect::Effect;
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::screens::shelters::host::HostView;
use crate::screens::shelters::{FinderView, ShelterFilter};
use crate::view::{Screen, ViewModel};
use binhan_core::app::Vault;
use binhan_core::model::DeviceId;
use binhan_core::shelters::PlacementStatus;
use binhan_core::shelters::{DirectoryUpdate, GeoPoint};
use binhan_testkit::shelters::{lai_chau, province_signer, signed};
use std::path::{Path, PathBuf};

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

/// The synthetic directory, signed, with the valley's commune office
/// hosted by `host` (so it takes requests).
fn directory(host: DeviceId) -> Vec<u8> {
    let province = lai_chau();
    let mut directory = province.directory(1);
    for shelter in &mut directory.shelters {
        if shelter.id == province.valley.same_side {
            shelter.host_device = Some(host);
        }
    }
    signed(&DirectoryUpdate::Full(directory))
}

/// The vault at `path`, opened and unlocked a second time (the app holds
/// the first), as another process of the same phone would.
fn second(path: &Path) -> Vault {
    let vault = Vault::open(path, config(delaying_policy())).expect("open");
    vault.unlock(PIN).expect("unlock");
    vault
}

/// Carries `from`'s shelter messages to `to`, as the server's mailboxes do.
fn deliver(from: &Path, to: &Path) -> usize {
    deliver_mail(&second(from), &second(to))
}

/// The seeded vault with the synthetic directory (the valley's commune
/// office hosted by `host`) and its road network; and where it is.
fn collaborator(host: DeviceId) -> (Harness, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault");
    let cases = seed_vault(&path, delaying_policy(), None);
    let province = lai_chau();
    let vault = second(&path);
    vault
        .set_provincial_key(province_signer().public_key())
        .expect("key");
    vault
        .load_shelter_directory(&directory(host))
        .expect("directory");
    vault
        .import_road_network(&province.roads_pbf())
        .expect("roads");
    drop(vault);
    let h = Harness::copy_of(&path, delaying_policy(), cases);
    drop(dir);
    let path = h.vault_path();
    (h, path)
}

/// A host's phone: an empty vault with the same directory.
fn host() -> (Harness, PathBuf, DeviceId) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault");
    let vault = Vault::create(&path, PIN, config(delaying_policy())).expect("vault");
    let id = vault.device_id().expect("id");
    vault
        .set_provincial_key(province_signer().public_key())
        .expect("key");
    vault
        .load_shelter_directory(&directory(id))
        .expect("directory");
    drop(vault);
    let h = Harness::copy_of(&path, delaying_policy(), Vec::new());
    let path = h.vault_path();
    (h, path, id)
}

fn desk(view: &ViewModel) -> &HostView {
    match &view.screen {
        Screen::HostDesk { view } => view,
        other => panic!("expected the host's desk, got {other:?}"),
    }
}

#[test]
fn the_nearest_shelter_by_road_and_a_request_only_with_consent() {
    let (h, path) = collaborator(DeviceId::random());
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

    // A redraw reuses the search (it loaded the road network once): with
    // the network gone from the disk, a tick still shows the search by
    // road, and a new filter searches again, by straight line.
    std::fs::remove_file(path.join(binhan_core::app::ROAD_FILE)).expect("road file");
    let redrawn = h.send(Event::Tick);
    assert_eq!(finder(&redrawn), finder(&found));
    let filtered = h.send(Event::ToggleShelterFilter {
        filter: ShelterFilter::Standardised,
    });
    assert!(finder(&filtered).filters.iter().any(|f| f.selected));
    assert_eq!(
        finder(&filtered).ranked_by.as_deref(),
        Some("Xếp theo khoảng cách đường chim bay (chưa có bản đồ đường)")
    );
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

#[test]
fn a_request_goes_from_the_finder_to_the_host_and_the_answer_comes_back() {
    let province = lai_chau();
    let (host, host_path, host_id) = host();
    let (h, path) = collaborator(host_id);

    host.unlock(PIN);
    let opened = host.send(Event::Open {
        target: Target::HostDesk,
    });
    let start = desk(&opened).start.clone();
    assert_eq!(
        start.len(),
        1,
        "the directory names this phone for one shelter"
    );
    let hosting = host.send(start[0].event.clone());
    let view = desk(&hosting);
    assert!(
        view.places
            .as_deref()
            .is_some_and(|p| p.starts_with("Còn 4/4 chỗ")),
        "{:?}",
        view.places
    );
    assert!(view.inbox.is_empty());

    // The collaborator asks, with the survivor's consent.
    h.unlock(PIN);
    h.send(Event::FindShelterFor {
        case: h.id("SYN-001"),
    });
    h.send(located(province.valley.start));
    let office = province.valley.same_side.to_string();
    h.send(Event::ConfirmShelterConsent {
        shelter: office.clone(),
    });
    let asked = h.send(Event::RequestPlacement { shelter: office });
    assert_eq!(asked.messages[0].reason.code, "placement_requested");
    assert_eq!(deliver(&path, &host_path), 1);

    // The host sees only what a host needs, and accepts.
    let inbox = host.send(Event::Tick);
    let request = &desk(&inbox).inbox[0];
    assert_eq!(request.needs, "1 người · phụ nữ");
    let json = serde_json::to_string(&inbox).expect("json");
    assert!(
        !json.contains("SYN-001"),
        "no case or survivor code reaches the host"
    );
    let accepted = host.send(request.actions[0].event.clone());
    let view = desk(&accepted);
    assert!(view.inbox.is_empty());
    assert!(view
        .places
        .as_deref()
        .is_some_and(|p| p.starts_with("Còn 3/4 chỗ")));
    let stay = &view.stays[0];
    assert_eq!(stay.status, "nơi tạm lánh đã nhận");
    let arrived = host.send(stay.actions[0].event.clone());
    assert_eq!(desk(&arrived).stays[0].status, "đã đến nơi tạm lánh");
    // Accepting again is refused with core's own reason, in the phone's
    // language.
    let again = host.send(request.actions[0].event.clone());
    assert_eq!(again.messages[0].reason.code, "step_not_allowed");
    assert_eq!(
        again.messages[0].reason.text,
        "Yêu cầu đang ở bước «đã đến nơi tạm lánh», không thể chuyển sang «nơi tạm lánh đã nhận»"
    );

    // The answers reach the collaborator's phone and its case.
    assert!(deliver(&host_path, &path) >= 2);
    let sent = second(&path).placement_requests().expect("requests");
    assert_eq!(sent[0].status, PlacementStatus::Arrived);

    // Steps that do not fit are refused in the view.
    assert!(has_error(
        &host.send(Event::AcceptPlacement {
            request: "not a request".into()
        }),
        "request_unknown"
    ));
    assert!(has_error(
        &host.send(Event::SetFreePlaces { free: 99 }),
        "places_out_of_range"
    ));
}

#[test]
fn choosing_a_village_by_name_ranks_shelters_from_it() {
    let (h, path) = collaborator(DeviceId::random());
    let province = lai_chau();
    h.unlock(PIN);
    let opened = h.send(Event::Open {
        target: Target::FindShelter,
    });
    let view = finder(&opened);
    let field = view
        .place_field
        .as_ref()
        .expect("the road map names villages");
    assert_eq!(field.label, "Tìm từ thôn, bản");
    assert!(view.places.is_empty() && view.places_note.is_none());

    // Typed without accents: the villages whose name starts so, then
    // those with a word that does.
    let typed = h.send(Event::SearchPlaces {
        value: "ban na".into(),
    });
    let view = finder(&typed);
    let labels: Vec<&str> = view.places.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Bản Nà Hừ (giả lập) · thôn, bản · Xã Mù Cả",
            "Bản Nà Khuy (giả lập) · thôn, bản · Xã Dào San",
            "Bản Nậm Đích (giả lập) · thôn, bản · Xã Bản Bo",
        ]
    );
    insta::assert_json_snapshot!("finder_places_vi", h.json(&typed));
    let none = h.send(Event::SearchPlaces {
        value: "xyz".into(),
    });
    assert!(finder(&none).places.is_empty());
    assert_eq!(
        finder(&none).places_note.as_deref(),
        Some("Không có thôn, bản nào có tên như vậy trên bản đồ")
    );

    // Choosing the valley's village ranks from it, as a location fix there
    // does; the list and the text are cleared.
    let typed = h.send(Event::SearchPlaces {
        value: "NA HU".into(),
    });
    let chosen = h.send(finder(&typed).places[0].event.clone());
    let view = finder(&chosen);
    assert_eq!(view.origin, "Từ: Bản Nà Hừ (giả lập)");
    assert!(view.places.is_empty());
    assert_eq!(
        view.place_field.as_ref().map(|f| f.value.as_str()),
        Some("")
    );
    assert_eq!(
        view.shelters[0].id,
        province.valley.same_side.to_string(),
        "nearest by road from the village"
    );
    let from_village: Vec<_> = view.shelters.iter().map(|s| s.id.clone()).collect();
    let fix = h.send(located(province.valley.start));
    assert_eq!(finder(&fix).origin, "Từ vị trí hiện tại");
    let from_fix: Vec<_> = finder(&fix).shelters.iter().map(|s| s.id.clone()).collect();
    assert_eq!(from_village, from_fix);
    // In English too.
    let english = h.send(Event::SetLanguage {
        lang: binhan_core::model::Lang::En,
    });
    assert_eq!(
        finder(&english)
            .place_field
            .as_ref()
            .map(|f| f.label.as_str()),
        Some("Search from a village")
    );
    let typed = h.send(Event::SearchPlaces {
        value: "pac".into(),
    });
    assert_eq!(
        finder(&typed).places[0].label,
        "Bản Pắc Ma (giả lập) · hamlet · Xã Bum Nưa"
    );
    h.send(Event::SetLanguage {
        lang: binhan_core::model::Lang::Vi,
    });

    // A place not listed is refused; typed text is forgotten on lock.
    assert!(has_error(
        &h.send(Event::ChooseOrigin { place: 99 }),
        "not_available_here"
    ));
    h.send(Event::SearchPlaces {
        value: "ban".into(),
    });
    h.send(Event::QuickExit);
    h.unlock(PIN);
    let reopened = h.send(Event::Open {
        target: Target::FindShelter,
    });
    let view = finder(&reopened);
    assert_eq!(
        view.place_field.as_ref().map(|f| f.value.as_str()),
        Some("")
    );
    assert!(view.places.is_empty());

    // Without a road map the field is not offered; the location still is.
    std::fs::remove_file(path.join(binhan_core::app::ROAD_FILE)).expect("road file");
    h.advance_secs(61);
    let later = h.send(Event::SearchPlaces {
        value: String::new(),
    });
    let view = finder(&later);
    assert!(view.place_field.is_none());
    assert_eq!(
        view.places_note.as_deref(),
        Some(
            "Chưa có bản đồ đường trên máy nên chưa chọn được thôn, bản: hãy dùng vị trí hiện tại"
        )
    );
    assert_eq!(view.use_location.event, Event::UseLocation);
}
