//! The annual report desk through `AppCore`: only an enrolled provincial
//! officer reaches it; over a report fetched (synthetic, put in place as a
//! server would), its tables are chosen and its files saved; a fetch that
//! fails says why; locking forgets it all. Synthetic data.

use super::support::*;
use crate::core::Route;
use crate::effect::Effect;
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::screens::report::tests::fetched;
use crate::screens::report::{ReportDesk, ReportEvent, ReportFile, ReportView};
use crate::view::{Screen, ViewModel};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn report(view: &ViewModel) -> &ReportView {
    match &view.screen {
        Screen::Report { view } => view,
        other => panic!("expected the report desk, got {other:?}"),
    }
}

fn send_report(h: &Harness, event: ReportEvent) -> ViewModel {
    h.send(Event::Report { event })
}

/// The officer's desk with the synthetic report of 2026 fetched.
fn on_the_desk(h: &Harness) {
    h.core.with_inner(|inner| {
        inner.stack.push(Route::Report);
        inner.report = ReportDesk {
            year: Some(2026),
            fetched: Some(Arc::new(fetched())),
            ..ReportDesk::default()
        };
    });
}

#[test]
fn a_device_not_enrolled_as_the_officer_does_not_reach_the_report() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let home = h.core.view();
    let Screen::Home { view } = &home.screen else {
        panic!("home");
    };
    assert!(!view.actions.iter().any(|a| a.event
        == Event::Open {
            target: Target::Report
        }));
    let refused = h.send(Event::Open {
        target: Target::Report,
    });
    assert!(has_error(&refused, "not_enrolled"), "{refused:?}");
    assert!(matches!(refused.screen, Screen::Home { .. }));
    // The desk's events elsewhere are refused, and nothing starts.
    for event in [
        ReportEvent::Reload,
        ReportEvent::ChooseYear { year: 2026 },
        ReportEvent::Download {
            file: ReportFile::Xlsx,
        },
    ] {
        assert!(has_error(&send_report(&h, event), "not_available_here"));
    }
    assert!(h.shell.take().is_empty());
    // The officer's home offers it; a manager's does not.
    let list = binhan_core::app::CaseList {
        cases: vec![],
        unreadable: vec![],
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).expect("day");
    let offers = |role| {
        crate::screens::home::view(&list, Some(role), today, binhan_core::model::Lang::Vi)
            .actions
            .iter()
            .any(|a| {
                a.event
                    == Event::Open {
                        target: Target::Report,
                    }
                    && a.label == "Báo cáo định kỳ hằng năm"
            })
    };
    assert!(offers(binhan_core::model::Role::ProvincialOfficer));
    assert!(!offers(binhan_core::model::Role::CommuneCaseManager));
}

#[test]
fn the_officer_chooses_a_table_saves_the_files_and_a_lock_forgets_them() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    on_the_desk(&h);
    let view = h.core.view();
    assert_eq!(view.title, "Báo cáo định kỳ hằng năm");
    let body = report(&view).report.as_ref().expect("shown");
    assert_eq!(
        body.table.as_ref().map(|t| t.id.as_str()),
        Some("survivors")
    );
    let shelters = body.tables[1].event.clone();
    let view = h.send(shelters);
    let body = report(&view).report.as_ref().expect("shown");
    assert_eq!(body.table.as_ref().map(|t| t.id.as_str()), Some("shelters"));
    // A table that is not offered is refused.
    let refused = send_report(
        &h,
        ReportEvent::ShowTable {
            table: "indicators".into(),
        },
    );
    assert!(has_error(&refused, "not_available_here"));
    // Saving: the file goes to the shell, and the view says it is ready.
    let saved = h.send(body.downloads[0].event.clone());
    assert!(saved
        .messages
        .iter()
        .any(|m| m.reason.code == "report_file_ready"
            && m.reason.text == "Đã xuất tệp bao-cao-blg-2026.xlsx"));
    let effects = h.shell.take();
    let xlsx = fetched().xlsx;
    assert!(
        effects.iter().any(|e| matches!(e,
        Effect::SaveFile { name, bytes, .. } if name == "bao-cao-blg-2026.xlsx" && *bytes == xlsx))
    );
    send_report(
        &h,
        ReportEvent::Download {
            file: ReportFile::Csv,
        },
    );
    assert!(h.shell.take().iter().any(|e| matches!(e,
        Effect::SaveFile { name, .. } if name == "bao-cao-blg-2026.csv")));
    // Quick exit forgets the report.
    h.send(Event::QuickExit);
    assert!(h.core.with_inner(|inner| inner.report.fetched.is_none()));
    let json = serde_json::to_string(&h.core.view()).unwrap();
    assert!(!json.contains("Người bị BLG") && !json.contains("bao-cao"));
}

#[test]
fn a_fetch_that_fails_says_why_and_what_to_do() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    on_the_desk(&h);
    // Another year: fetched in the background; this vault is not enrolled,
    // so the fetch fails, and the desk says so plainly.
    let view = send_report(&h, ReportEvent::ChooseYear { year: 2025 });
    let desk = report(&view);
    assert_eq!(desk.running.as_deref(), Some("Đang lập báo cáo năm 2025…"));
    assert!(
        desk.report.is_none(),
        "the 2026 report is not shown as 2025's"
    );
    assert!(!desk.reload.enabled);
    let deadline = Instant::now() + Duration::from_secs(30);
    let failed = loop {
        let refreshed = h.shell.take().contains(&Effect::Refresh);
        let view = h.core.view();
        if refreshed && report(&view).running.is_none() {
            break view;
        }
        assert!(Instant::now() < deadline, "never ended: {view:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let desk = report(&failed);
    let error = desk.error.as_ref().expect("said");
    assert_eq!(error.code, "not_enrolled");
    assert!(error.text.contains("mã mời"));
    assert!(desk.reload.enabled);
    assert!(desk.years[1].selected);
    // Downloading before a report is there says so.
    let refused = send_report(
        &h,
        ReportEvent::Download {
            file: ReportFile::Csv,
        },
    );
    assert!(has_error(&refused, "report_not_loaded"));
    // A year not offered is refused.
    assert!(has_error(
        &send_report(&h, ReportEvent::ChooseYear { year: 1999 }),
        "not_available_here"
    ));
}
