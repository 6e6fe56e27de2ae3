//! Enrolment and sync through `AppCore` alone, without a server: what a
//! phone that is not enrolled shows, every error of the enrolment form at
//! once, an unreachable server told in plain words, and a lock forgetting
//! what ran. (The journey through a real server is the Kotlin one,
//! `tests/kotlin/src/vn/binhan/tests/AppCoreTest.kt`.) Synthetic data.

use super::support::*;
use crate::effect::Effect;
use crate::event::{Event, Field, Target};
use crate::render::has_error;
use crate::screens::sync::{roads_view, EnrolView, SyncView};
use crate::text::Why;
use crate::view::{Screen, ViewModel};
use binhan_core::app::{RoadStatus, RoadUpdate};
use binhan_core::model::{Lang, Role};
use std::time::{Duration, Instant};

#[test]
fn the_road_map_shows_its_version_size_and_an_update_waiting_for_wifi() {
    let mut status = RoadStatus {
        installed_version: Some(3),
        installed_bytes: Some(2_400_000),
        update: Some(RoadUpdate {
            version: 4,
            download_bytes: 1_100_000,
            total_bytes: 2_450_000,
        }),
        wifi_only: true,
    };
    let view = roads_view(&status, None, Lang::Vi);
    assert_eq!(
        (view.map.label.as_str(), view.map.value.as_str()),
        ("Bản đồ đường", "phiên bản 3, 2,4 MB")
    );
    assert_eq!(
        view.update.as_deref(),
        Some("Bản cập nhật 1,1 MB đang chờ Wi-Fi")
    );
    assert!(view.wifi_only.selected);
    assert_eq!(
        view.wifi_only.event,
        Event::SetRoadsWifiOnly { wifi_only: false }
    );
    let download = view.download_now.expect("offered while an update waits");
    assert_eq!(
        (download.label.as_str(), download.event, download.enabled),
        ("Tải ngay (1,1 MB)", Event::DownloadRoads, true)
    );
    // While a sync runs it waits; in English; Wi-Fi only turned off.
    status.wifi_only = false;
    let view = roads_view(&status, Some(Why::SyncRunning), Lang::En);
    assert_eq!(view.map.value, "version 3, 2.4 MB");
    assert_eq!(
        view.update.as_deref(),
        Some("An update of 1.1 MB is not downloaded yet")
    );
    assert!(!view.download_now.unwrap().enabled);
    // Nothing installed, nothing waiting.
    let none = RoadStatus {
        installed_version: None,
        installed_bytes: None,
        update: None,
        wifi_only: true,
    };
    let view = roads_view(&none, None, Lang::En);
    assert!(view.map.value.starts_with("none yet"));
    assert!(view.update.is_none() && view.download_now.is_none());
}

fn sync_screen(view: &ViewModel) -> &SyncView {
    match &view.screen {
        Screen::Sync { view } => view,
        other => panic!("expected the sync screen, got {other:?}"),
    }
}

fn enrol_screen(view: &ViewModel) -> &EnrolView {
    match &view.screen {
        Screen::Enrol { view } => view,
        other => panic!("expected the enrolment form, got {other:?}"),
    }
}

/// Waits (at most 30 s) until the background asks for a redraw and `done`
/// holds for the view.
fn wait_for(h: &Harness, done: impl Fn(&ViewModel) -> bool) -> ViewModel {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let refreshed = h.shell.take().contains(&Effect::Refresh);
        let view = h.core.view();
        if refreshed && done(&view) {
            return view;
        }
        assert!(
            Instant::now() < deadline,
            "the background never finished: {view:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_phone_not_enrolled_says_so_and_an_unreachable_server_is_told_plainly() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    // Quietly nothing when the network comes back and there is no server.
    let quiet = h.send(Event::NetworkAvailable { unmetered: true });
    assert!(quiet.messages.is_empty());
    // No road map download without a server; the Wi-Fi-only choice is kept.
    assert!(has_error(&h.send(Event::DownloadRoads), "not_enrolled"));
    let kept = h.send(Event::SetRoadsWifiOnly { wifi_only: false });
    assert!(kept.messages.is_empty());

    let opened = h.send(Event::Open {
        target: Target::Sync,
    });
    let view = sync_screen(&opened);
    assert!(view.enrolled_as.is_empty());
    assert_eq!(
        view.not_enrolled.as_deref(),
        Some("Máy này chưa đăng ký: hồ sơ chỉ lưu trên máy.")
    );
    assert_eq!(
        view.waiting, "5 thay đổi chờ gửi",
        "four cases, one closed later"
    );
    assert!(!view.sync_now.enabled);
    assert_eq!(
        view.sync_now
            .disabled_reason
            .as_ref()
            .map(|r| r.code.as_str()),
        Some("not_enrolled")
    );
    assert!(has_error(&h.send(Event::SyncNow), "not_enrolled"));

    let form = h.send(view.enrol.as_ref().expect("enrol offered").event.clone());
    assert!(enrol_screen(&form).fields.iter().all(|f| f.error.is_none()));
    let refused = h.send(Event::Submit);
    let errors: Vec<_> = enrol_screen(&refused)
        .fields
        .iter()
        .map(|f| f.error.as_ref().map(|e| e.code.as_str()))
        .collect();
    assert_eq!(errors, [Some("required"); 3], "every error at once");

    // Port 9 on loopback: nothing listens there.
    for (field, value) in [
        (Field::ServerUrl, "http://127.0.0.1:9"),
        (Field::InvitationCode, "SYNTHETIC-CODE"),
        (Field::DeviceLabel, "synthetic phone"),
    ] {
        h.set_field(field, value);
    }
    let running = h.send(Event::Submit);
    let view = enrol_screen(&running);
    assert!(!view.submit.enabled, "no second enrolment while one runs");
    assert!(view.running.is_some() || view.error.is_some());
    let failed = wait_for(
        &h,
        |v| matches!(&v.screen, Screen::Enrol { view } if view.error.is_some()),
    );
    let view = enrol_screen(&failed);
    assert_eq!(
        view.error.as_ref().map(|e| e.code.as_str()),
        Some("sync_offline")
    );
    assert!(view.submit.enabled);
    assert_eq!(
        view.fields[0].value, "http://127.0.0.1:9",
        "what was typed is kept"
    );

    // A lock forgets the form and the error.
    h.send(Event::QuickExit);
    h.unlock(PIN);
    let again = h.send(Event::Open {
        target: Target::Enrol,
    });
    let view = enrol_screen(&again);
    assert!(view.error.is_none() && view.fields[0].value.is_empty());
}

#[test]
fn inviting_needs_an_enrolled_manager_and_a_role() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    // Not enrolled: the screen is not offered, and says why when forced.
    let home = h.core.view();
    assert!(!home_actions(&home).contains(&"Mời thiết bị".to_string()));
    let refused = h.send(Event::Open {
        target: Target::Invite,
    });
    assert!(has_error(&refused, "not_enrolled"));
    assert!(matches!(refused.screen, Screen::Home { .. }));
    // Its events elsewhere are refused too.
    assert!(has_error(
        &h.send(Event::ChooseInviteRole {
            role: binhan_core::model::Role::Collaborator
        }),
        "not_available_here"
    ));
    assert!(has_error(
        &h.send(Event::ShareInvitation),
        "not_available_here"
    ));
}

fn home_actions(view: &ViewModel) -> Vec<String> {
    home(view).actions.iter().map(|a| a.label.clone()).collect()
}

#[test]
fn devices_need_an_enrolled_manager_and_a_listed_device() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let refused = h.send(Event::Open {
        target: Target::Devices,
    });
    assert!(has_error(&refused, "not_enrolled"));
    assert!(matches!(refused.screen, Screen::Home { .. }));
    for event in [
        Event::RevokeDevice {
            device: "00000000000000000000000000000000".into(),
        },
        Event::ConfirmRevoke,
        Event::RefreshDevices,
    ] {
        let view = h.send(event);
        assert!(has_error(&view, "not_available_here"), "{view:?}");
        assert!(h.shell.take().is_empty(), "nothing starts");
    }
}

#[test]
fn a_scanned_invitation_fills_the_server_and_the_code_and_anything_else_is_told() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    // Only on the enrolment form.
    assert!(has_error(&h.send(Event::ScanCode), "not_available_here"));
    let link = binhan_core::sync::InvitationLink {
        server_url: "https://sync.example.test".into(),
        code: "SYNT-HETI-C000".into(),
    }
    .to_uri();
    assert!(has_error(
        &h.send(Event::Scanned { text: link.clone() }),
        "not_available_here"
    ));
    let form = h.send(Event::Open {
        target: Target::Enrol,
    });
    let scan = enrol_screen(&form).scan.clone().expect("a phone scans");
    assert!(scan.enabled);
    h.shell.take();
    h.send(scan.event);
    assert_eq!(h.shell.take(), [Effect::ScanCode]);

    // Something else scanned (a shop's QR code) changes nothing and says so.
    h.set_field(Field::DeviceLabel, "synthetic phone");
    let wrong = h.send(Event::Scanned {
        text: "https://shop.example.test/menu".into(),
    });
    assert!(has_error(&wrong, "not_an_invitation"));
    assert!(enrol_screen(&wrong).fields[..2]
        .iter()
        .all(|f| f.value.is_empty()));

    let read = h.send(Event::Scanned { text: link });
    assert_eq!(
        read.messages
            .iter()
            .map(|m| m.reason.code.as_str())
            .collect::<Vec<_>>(),
        ["invitation_scanned"]
    );
    let values: Vec<_> = enrol_screen(&read)
        .fields
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    assert_eq!(
        values,
        [
            "https://sync.example.test",
            "SYNT-HETI-C000",
            "synthetic phone"
        ],
        "the label typed is kept"
    );
}

#[test]
fn the_invitation_is_shown_as_a_qr_code_of_the_server_and_the_code() {
    use crate::background::SyncState;
    use crate::screens::invite::{view, InviteForm};
    let mut state = SyncState::default();
    let form = InviteForm::default();
    let server = "https://sync.example.test";
    assert!(
        view(&form, &state, Role::CommuneCaseManager, server, Lang::Vi)
            .qr
            .is_none()
    );
    state.invitation = Some(binhan_core::sync::wire::Invitation {
        code: "SYNT-HETI-C000".into(),
        role: Role::Collaborator,
        commune: "pa_u".into(),
        expires_at: chrono::DateTime::UNIX_EPOCH,
    });
    let qr = view(&form, &state, Role::CommuneCaseManager, server, Lang::En)
        .qr
        .expect("a code, once made");
    assert_eq!(
        qr.description,
        "QR code of the invitation: scan it with the new phone when enrolling"
    );
    let expected = crate::qr::encode(
        &binhan_core::sync::InvitationLink {
            server_url: server.into(),
            code: "SYNT-HETI-C000".into(),
        }
        .to_uri(),
        qr.description.clone(),
    );
    assert_eq!(Some(qr), expected);
}

#[test]
fn a_system_screen_the_person_opened_does_not_lock_but_idle_locking_still_bounds_it() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let on_enrol = |v: &ViewModel| matches!(v.screen, Screen::Enrol { .. });
    h.send(Event::Open {
        target: Target::Enrol,
    });
    // The camera's scanner covers the app: the activity stops, nothing locks.
    h.send(Event::ScanCode);
    assert!(on_enrol(&h.send(Event::Backgrounded)));
    assert!(on_enrol(&h.send(Event::Foregrounded)));
    // Back in front, going to the background locks as always.
    assert_camouflaged(&h, &h.send(Event::Backgrounded));

    // A file picker the shell announces, left longer than the idle time:
    // coming back locks before anything else.
    h.unlock(PIN);
    h.send(Event::Open {
        target: Target::Enrol,
    });
    h.send(Event::SystemScreenOpened);
    assert!(on_enrol(&h.send(Event::Backgrounded)));
    h.advance_secs(IDLE_SECS + 1);
    assert_camouflaged(&h, &h.send(Event::Foregrounded));

    // Announced on the camouflage, it changes nothing.
    h.send(Event::SystemScreenOpened);
    assert_camouflaged(&h, &h.send(Event::Backgrounded));
}
