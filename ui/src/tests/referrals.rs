//! A service provider's referral inbox through `AppCore` alone: a
//! collaborator's phone refers a synthetic case to a health station, the
//! station's phone sees only the fields health may receive, answers with
//! the actions its view offers, and sees a withdrawn referral emptied. All
//! data here is synthetic.

use super::support::*;
use crate::event::{Event, Target};
use crate::screens::referrals::ReferralInboxView;
use crate::view::{Screen, ViewModel};
use binhan_core::app::{ReferralDraft, Vault};
use binhan_core::model::{Role, ServiceOutcome, ServiceType};
use binhan_core::referrals::{ReferralStatus, ServiceOrganisation, Urgency};
use binhan_core::shelters::{DirectoryUpdate, ShelterDirectory};
use binhan_testkit::referrals::{consent_to, health_station};
use binhan_testkit::shelters::{province_signer, signed};
use std::path::Path;

fn inbox(view: &ViewModel) -> &ReferralInboxView {
    match &view.screen {
        Screen::ReferralInbox { view } => view,
        other => panic!("expected the referral inbox, got {other:?}"),
    }
}

/// The vault at `path`, opened a second time (the app holds the first).
fn second(path: &Path) -> Vault {
    let vault = Vault::open(path, config(delaying_policy())).expect("open");
    vault.unlock(PIN).expect("unlock");
    vault
}

fn load(vault: &Vault, health: &ServiceOrganisation) {
    let directory = ShelterDirectory::new(1, chrono::DateTime::UNIX_EPOCH, vec![])
        .with_services(vec![health.clone()]);
    vault
        .set_provincial_key(province_signer().public_key())
        .expect("key");
    vault
        .load_shelter_directory(&signed(&DirectoryUpdate::Full(directory)))
        .expect("directory");
}

#[test]
fn a_provider_answers_referrals_from_its_inbox_and_sees_withdrawals() {
    let station = Harness::enrolled_as(Role::ServiceProvider);
    let station_vault = second(&station.vault_path());
    let health = health_station("pa_u", vec![station_vault.device_id().expect("id")]);
    load(&station_vault, &health);

    let dir = tempfile::tempdir().expect("tempdir");
    let sender =
        Vault::create(&dir.path().join("vault"), PIN, config(delaying_policy())).expect("vault");
    load(&sender, &health);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("day");
    let case = sender
        .create_case(
            binhan_testkit::intake::Builder::new(0, day)
                .code("SYN-REF-1")
                .name("Synthetic Quokkaflint")
                .commune("pa_u")
                .build(),
        )
        .expect("case");
    consent_to(&sender, case, &health, ServiceType::Health, true).expect("consent");
    sender
        .send_referral(
            case,
            ReferralDraft {
                organisation: health.id,
                service: ServiceType::Health,
                urgency: Urgency::Urgent,
                ask: "Khám sau vụ việc (tổng hợp).".into(),
                due: None,
                chosen: vec![],
            },
        )
        .expect("sent");
    deliver_mail(&sender, &station_vault);

    // The home screen leads a provider to its inbox.
    let opened = station.unlock(PIN);
    let to_inbox = home(&opened)
        .actions
        .iter()
        .find(|a| {
            a.event
                == Event::Open {
                    target: Target::ReferralInbox,
                }
        })
        .expect("the inbox on the provider's home")
        .clone();
    let view = station.send(to_inbox.event);
    let list = inbox(&view);
    assert_eq!(list.emergency[0], "113 · Công an");
    assert_eq!(list.referrals.len(), 1);
    let row = &list.referrals[0];
    assert_eq!(row.title, "chăm sóc y tế · gấp (trong 3 ngày)");
    let codes: Vec<&str> = row.facts.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["age_band", "sex", "incident_date", "violence_type"]);
    let json = serde_json::to_string(&view).expect("json");
    for marker in ["SYN-REF-1", "Quokkaflint", &case.to_string()] {
        assert!(!json.contains(marker), "nothing else of the case arrives");
    }
    // From "sent": accept or decline; delivery and closing come later.
    assert_eq!(row.actions.len(), 5);
    assert_eq!(row.actions[0].label, "Tiếp nhận");
    let accepted = station.send(row.actions[0].event.clone());
    assert_eq!(accepted.messages[0].reason.code, "referral_answered");
    let row = &inbox(&accepted).referrals[0];
    assert_eq!(row.status, "đã tiếp nhận");
    let labels: Vec<&str> = row.actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Đã cung cấp dịch vụ hôm nay", "Kết thúc"]);
    let delivered = station.send(row.actions[0].event.clone());
    assert_eq!(inbox(&delivered).referrals[0].status, "đã cung cấp dịch vụ");
    // Accepting again is refused with core's own reason.
    let again = station.send(Event::AnswerReferral {
        referral: list.referrals[0].actions[0].event_referral(),
        step: binhan_core::referrals::ProviderStep::Accepted,
    });
    assert_eq!(again.messages[0].reason.code, "referral_step_not_allowed");

    // The answers reach the sender's case.
    deliver_mail(&station_vault, &sender);
    let detail = sender.case(case).expect("case");
    assert_eq!(detail.referrals[0].latest.status, ReferralStatus::Delivered);
    assert!(detail
        .services
        .iter()
        .any(|s| s.value.outcome == ServiceOutcome::Delivered));

    // The survivor withdraws consent: the inbox shows it, and nothing more.
    consent_to(&sender, case, &health, ServiceType::Health, false).expect("withdrawn");
    deliver_mail(&sender, &station_vault);
    let view = station.send(Event::Tick);
    let row = &inbox(&view).referrals[0];
    assert!(row.withdrawn.is_some());
    assert!(row.facts.is_empty() && row.ask.is_none() && row.actions.is_empty());
}

impl crate::view::Action {
    /// The referral id an inbox action is about.
    fn event_referral(&self) -> String {
        match &self.event {
            Event::AnswerReferral { referral, .. } => referral.clone(),
            other => panic!("not a referral answer: {other:?}"),
        }
    }
}
