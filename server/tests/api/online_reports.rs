//! Online reports reach the commune's case managers and no one else: a
//! report sealed (as the public page seals it) to the certified managers of
//! a commune, stored by the server as ciphertext, is fetched and opened by
//! each manager's phone on sync, and becomes a case; a report that does not
//! open is kept with its reason and the sync goes on; another commune's
//! manager and a collaborator get nothing. On SQLite and PostgreSQL.
//! Synthetic data only.

use crate::support::{intake, now_ms, storage, Backend, RawDevice, Server, Team};
use binhan_core::model::Role;
use binhan_core::online_report::{
    seal, Contact, ContactWay, DangerNow, Harm, InboxRequest, OnlineReport, Recipient,
    ReportTriage, Writer,
};
use binhan_core::sync::wire::{encode, DeviceQuery};
use binhan_server::storage::Storage;

const COMMUNE: &str = "mu_ca";
const WORDS: &[&str] = &["Zephyrine", "Vantablorn"];

fn report() -> OnlineReport {
    OnlineReport {
        v: 1,
        what: vec![Harm::Physical],
        what_text: "Synthetic account: Zephyrine was hurt at home.".into(),
        commune: COMMUNE.into(),
        village: "Bản Vantablorn".into(),
        danger_now: DangerNow::Yes,
        contact: Contact {
            how: ContactWay::Call,
            number: "0900000000".into(),
            when: "mornings".into(),
        },
        writer: Writer::Relative,
        written_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    }
}

async fn a_report_reaches_the_communes_managers_and_becomes_a_case(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let second = team.second_manager(&server, COMMUNE).await;
    let elsewhere = team
        .officer
        .invite_phone(&server, Role::CommuneCaseManager, "ban_bo")
        .await;
    let store = storage(&server.backend).await;
    let managers = store
        .query_devices(DeviceQuery {
            commune: Some(COMMUNE.into()),
            role: Some(Role::CommuneCaseManager),
            ..DeviceQuery::default()
        })
        .await
        .unwrap();
    let to: Vec<Recipient> = managers
        .iter()
        .map(|d| Recipient {
            device_id: d.public.device_id,
            exchange_key: d.public.exchange_key,
        })
        .collect();
    assert_eq!(to.len(), 2);
    let sealed = seal(&to, COMMUNE, &report()).unwrap();
    store
        .store_online_report(COMMUNE, sealed.clone(), now_ms())
        .await
        .unwrap();
    // One the browser altered on the way (or a forgery): kept, unread.
    let mut altered = sealed;
    let last = altered.len() - 1;
    altered[last] ^= 1;
    store
        .store_online_report(COMMUNE, altered, now_ms())
        .await
        .unwrap();

    for manager in [&team.manager, &second] {
        let synced = manager.sync().await;
        assert_eq!(synced.online_reports_received, 2);
        let received = manager.app.online_reports().unwrap();
        let opened: Vec<_> = received.iter().filter_map(|r| r.report.clone()).collect();
        assert_eq!(opened, vec![report()]);
        let unread: Vec<_> = received
            .iter()
            .filter_map(|r| r.unreadable.clone())
            .collect();
        assert_eq!(unread, vec!["tampered".to_string()]);
        // A second sync fetches nothing again.
        assert_eq!(manager.sync().await.online_reports_received, 0);
    }
    let received = team.manager.app.online_reports().unwrap();
    let good = received.iter().find(|r| r.report.is_some()).unwrap();
    let case_id = team
        .manager
        .app
        .create_case(intake("ONLINE-001", COMMUNE))
        .unwrap();
    team.manager
        .app
        .triage_online_report(&good.id, ReportTriage::CaseOpened { case_id })
        .unwrap();
    let case = team.manager.app.case(case_id).unwrap();
    assert!(case
        .notes
        .iter()
        .any(|n| n.value.text.contains("Zephyrine")));
    team.manager.sync().await;

    // Another commune's manager receives nothing; a collaborator is refused.
    assert_eq!(elsewhere.sync().await.online_reports_received, 0);
    let code = team
        .manager
        .app
        .invite(Role::Collaborator, COMMUNE, 24)
        .await
        .unwrap()
        .code;
    let collaborator = RawDevice::enrol(&server, &code).await;
    let refused = collaborator
        .post("/v1/intake/inbox", encode(&InboxRequest { after: 0 }), true)
        .await;
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (403, "managers_only")
    );

    // The server holds the report only as ciphertext.
    let dump = server.backend.dump();
    let logs = server.logs();
    for word in WORDS {
        assert!(!dump.windows(word.len()).any(|w| w == word.as_bytes()));
        assert!(!logs.contains(word));
    }
}
on_both_backends!(a_report_reaches_the_communes_managers_and_becomes_a_case);
