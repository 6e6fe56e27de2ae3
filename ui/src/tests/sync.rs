//! Enrolment and sync through `AppCore` alone, without a server: what a
//! phone that is not enrolled shows, every error of the enrolment form at
//! once, an unreachable server told in plain words, and a lock forgetting
//! what ran. (The journey through a real server is the Kotlin one,
//! `tests/kotlin/src/vn/binhan/tests/AppCoreTest.kt`.) Synthetic data.

use super::support::*;
use crate::effect::Effect;
use crate::event::{Event, Field, Target};
use crate::render::has_error;
use crate::screens::sync::{EnrolView, SyncView};
use crate::view::{Screen, ViewModel};
use std::time::{Duration, Instant};

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
    let quiet = h.send(Event::NetworkAvailable);
    assert!(quiet.messages.is_empty());

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
