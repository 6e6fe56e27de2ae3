//! Referrals through a real server process, on SQLite and PostgreSQL: a
//! commune case manager enrols a health station's two devices, the officer
//! publishes them in the signed service directory, a collaborator refers a
//! case with the survivor's consent; each station device receives only the
//! fields health may receive; the station accepts and records the service,
//! and the collaborator's case shows it delivered; without consent nothing
//! leaves; withdrawal, recorded on a teammate's phone, erases the
//! station's copies at their next sync; an
//! unanswered referral past its due date is on the manager's list. The
//! server holds none of the case's words.

use crate::support::{assert_no_case_content, intake, now_ms, Backend, Phone, Server, Team};
use binhan_core::app::{ReferralDraft, Vault, VaultOptions};
use binhan_core::model::{Role, ServiceOutcome, ServiceType};
use binhan_core::referrals::{
    inclusion, ProviderStep, ReferralField, ReferralStatus, ServiceOrganisation, SharedFact,
    Urgency,
};
use binhan_core::shelters::{DirectoryUpdate, ShelterDirectory};
use binhan_core::{Error, Refusal};
use binhan_testkit::referrals::{consent_to, health_station};
use binhan_testkit::shelters::signed;
use binhan_testkit::vault::fast_vault;

const COMMUNE: &str = "pa_u";

struct World {
    server: Server,
    team: Team,
    stations: [Phone; 2],
    health: ServiceOrganisation,
}

/// A commune team, a health station's two devices (enrolled by the
/// manager), and the directory listing them, synced by everyone.
async fn world(backend: Backend) -> World {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let stations = [
        team.manager
            .invite_phone(&server, Role::ServiceProvider, COMMUNE)
            .await,
        team.manager
            .invite_phone(&server, Role::ServiceProvider, COMMUNE)
            .await,
    ];
    let health = health_station(
        COMMUNE,
        stations
            .iter()
            .map(|s| s.app.device_id().unwrap())
            .collect(),
    );
    let directory =
        ShelterDirectory::new(1, chrono::Utc::now(), vec![]).with_services(vec![health.clone()]);
    team.officer
        .app
        .publish_shelter_directory(&signed(&DirectoryUpdate::Full(directory)))
        .await
        .unwrap();
    for phone in [
        &team.collaborators[0],
        &team.manager,
        &stations[0],
        &stations[1],
    ] {
        assert_eq!(phone.sync().await.shelters.directory_version, Some(1));
        assert_eq!(
            phone.app.service_organisations(None, None).unwrap().len(),
            1
        );
    }
    World {
        server,
        team,
        stations,
        health,
    }
}

fn draft(health: &ServiceOrganisation) -> ReferralDraft {
    ReferralDraft {
        organisation: health.id,
        service: ServiceType::Health,
        urgency: Urgency::Urgent,
        ask: "Examination after an incident (synthetic).".into(),
        due: None,
        chosen: vec![ReferralField::RiskLevel],
    }
}

/// Three weeks from now, for a vault opened later.
fn three_weeks_on() -> u64 {
    now_ms() + 21 * 86_400_000
}

async fn a_referral_flows_to_a_health_station_and_back(backend: Backend) {
    let w = world(backend).await;
    let a = &w.team.collaborators[0];
    let case = a.app.create_case(intake("REF-E2E-1", COMMUNE)).unwrap();

    // Without consent nothing leaves.
    let refused = a.app.send_referral(case, draft(&w.health));
    assert!(
        matches!(refused, Err(Error::NotAllowed(Refusal::ConsentMissing))),
        "{refused:?}"
    );
    assert_eq!(a.sync().await.shelters.messages_sent, 0);

    consent_to(&a.app, case, &w.health, ServiceType::Health, true).unwrap();
    let preview = a.app.referral_preview(case, &draft(&w.health)).unwrap();
    let referral = a.app.send_referral(case, draft(&w.health)).unwrap();
    assert_eq!(a.sync().await.shelters.messages_sent, 2, "one per device");

    // Each station device decrypts exactly the previewed fields, each one
    // health may receive.
    for station in &w.stations {
        assert_eq!(station.sync().await.shelters.messages_received, 1);
        let inbox = station.app.referral_inbox().unwrap();
        assert_eq!(inbox.len(), 1);
        let content = inbox[0].content.clone().unwrap();
        assert_eq!(content.facts, preview.facts);
        let fields: Vec<ReferralField> = content.facts.iter().map(SharedFact::field).collect();
        assert_eq!(
            fields,
            [
                ReferralField::AgeBand,
                ReferralField::Sex,
                ReferralField::IncidentDate,
                ReferralField::ViolenceType,
                ReferralField::RiskLevel,
            ]
        );
        assert!(fields
            .iter()
            .all(|f| inclusion(ServiceType::Health, *f).is_some()));
        assert!(
            station
                .app
                .list_cases(&Default::default())
                .unwrap()
                .cases
                .is_empty(),
            "the station never joins the case"
        );
    }

    // The station accepts and records the service.
    let station = &w.stations[0];
    station
        .app
        .answer_referral(referral, ProviderStep::Accepted)
        .unwrap();
    station
        .app
        .answer_referral(
            referral,
            ProviderStep::Delivered {
                on: chrono::Utc::now().date_naive(),
                what: "Examination and care (synthetic)".into(),
            },
        )
        .unwrap();
    assert_eq!(station.sync().await.shelters.messages_sent, 2);
    assert_eq!(a.sync().await.shelters.messages_received, 2);
    let detail = a.app.case(case).unwrap();
    assert_eq!(detail.referrals[0].latest.status, ReferralStatus::Delivered);
    assert!(detail
        .services
        .iter()
        .any(|s| s.value.outcome == ServiceOutcome::Delivered));
    // The case team sees it too.
    a.sync().await;
    w.team.manager.sync().await;
    let seen = w.team.manager.app.case(case).unwrap();
    assert_eq!(seen.referrals[0].latest.status, ReferralStatus::Delivered);
    assert_no_case_content(&w.server);
}

async fn withdrawal_erases_and_overdue_referrals_reach_the_manager(backend: Backend) {
    let w = world(backend).await;
    let a = &w.team.collaborators[0];
    let withdrawn = a.app.create_case(intake("REF-E2E-2", COMMUNE)).unwrap();
    let unanswered = a.app.create_case(intake("REF-E2E-3", COMMUNE)).unwrap();
    for case in [withdrawn, unanswered] {
        consent_to(&a.app, case, &w.health, ServiceType::Health, true).unwrap();
        a.app.send_referral(case, draft(&w.health)).unwrap();
    }
    a.sync().await;
    for station in &w.stations {
        station.sync().await;
        assert_eq!(station.app.referral_inbox().unwrap().len(), 2);
    }

    // The survivor withdraws consent, recorded on the manager's phone: the
    // collaborator's next sync withdraws the referral it sent, and each
    // station device erases its copy at its next sync and sees that it
    // was withdrawn.
    w.team.manager.sync().await;
    consent_to(
        &w.team.manager.app,
        withdrawn,
        &w.health,
        ServiceType::Health,
        false,
    )
    .unwrap();
    w.team.manager.sync().await;
    assert!(a.sync().await.shelters.messages_sent >= 2);
    assert_eq!(
        a.app.case(withdrawn).unwrap().referrals[0].latest.status,
        ReferralStatus::Withdrawn
    );
    for station in &w.stations {
        assert_eq!(station.sync().await.shelters.messages_received, 1);
        let inbox = station.app.referral_inbox().unwrap();
        let gone: Vec<_> = inbox
            .iter()
            .filter(|r| r.status == ReferralStatus::Withdrawn)
            .collect();
        assert_eq!(gone.len(), 1);
        assert!(gone[0].content.is_none());
    }

    // Three weeks on, the manager's list shows the one never answered.
    w.team.manager.sync().await;
    assert!(w.team.manager.app.overdue_referrals().unwrap().is_empty());
    let later = Vault::open(
        &w.team.manager.vault_dir(),
        VaultOptions {
            wall_clock: three_weeks_on,
            ..fast_vault()
        },
    )
    .unwrap();
    later.unlock("493817").unwrap();
    let overdue = later.overdue_referrals().unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].case_id, unanswered);
    assert_no_case_content(&w.server);
}

on_both_backends!(a_referral_flows_to_a_health_station_and_back);
on_both_backends!(withdrawal_erases_and_overdue_referrals_reach_the_manager);
