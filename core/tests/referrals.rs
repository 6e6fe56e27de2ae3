//! Referrals between devices over the public API, messages passed through
//! their binary encoding: only the fields a service may receive reach the
//! organisation, only with consent; answers come back to the case;
//! withdrawal of consent erases the organisation's copy; overdue referrals
//! are listed. All data here is synthetic.

use binhan_core::app::{ReferralDraft, Vault, VaultOptions};
use binhan_core::model::*;
use binhan_core::referrals::*;
use binhan_core::shelters::{DirectoryUpdate, MailMessage, Recipient, ShelterDirectory};
use binhan_core::{Error, Refusal};
use binhan_testkit::intake::Builder;
use binhan_testkit::referrals::{consent_to, health_station, legal_aid_centre};
use binhan_testkit::shelters::{province_signer, signed};
use binhan_testkit::vault::{fast_vault, no_delays};
use chrono::{DateTime, NaiveDate, Utc};

const PIN: &str = "493817";
/// 2026-11-15 03:00 UTC, 10:00 in Vietnam.
const WALL_MS: u64 = 1_794_711_600_000;
const COMMUNE: &str = "pa_u";
const CODE: &str = "SYN-REF-0001";
const NAME: &str = "Synthetic Name Lò";
const ACCOUNT: &str = "Synthetic account, never to leave.";

fn day0() -> u64 {
    WALL_MS
}

/// Three weeks later.
fn day21() -> u64 {
    WALL_MS + 21 * 86_400_000
}

fn today() -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(WALL_MS as i64)
        .unwrap()
        .date_naive()
}

fn config(wall_clock: fn() -> u64) -> VaultOptions {
    VaultOptions {
        policy: no_delays(5),
        wall_clock,
        ..fast_vault()
    }
}

fn new_app() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let app = Vault::create(dir.path(), PIN, config(day0)).unwrap();
    (dir, app)
}

/// Delivers `from`'s outbox to the devices it is addressed to, through the
/// binary encoding, and acknowledges it; returns each delivery's result.
fn deliver(from: &Vault, to: &[&Vault]) -> Vec<binhan_core::Result<()>> {
    let sender = from.device_id().unwrap();
    let outbox = from.shelter_outbox().unwrap();
    let mut results = Vec::new();
    for entry in &outbox {
        let message = MailMessage::decode(&entry.message.encode()).unwrap();
        for app in to {
            if entry.to == Recipient::Device(app.device_id().unwrap()) {
                results.push(app.receive_mail(sender, message.clone()).map(|_| ()));
            }
        }
    }
    if let Some(last) = outbox.last() {
        from.ack_shelter_outbox(last.seq).unwrap();
    }
    results
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    sender: Vault,
    station: Vault,
    second: Vault,
    other: Vault,
    health: ServiceOrganisation,
    legal: ServiceOrganisation,
}

/// A collaborator, a health station with two devices, and a legal-aid
/// centre's device; the signed directory lists both organisations.
fn world() -> World {
    let (d1, sender) = new_app();
    let (d2, station) = new_app();
    let (d3, second) = new_app();
    let (d4, other) = new_app();
    let health = health_station(
        COMMUNE,
        vec![station.device_id().unwrap(), second.device_id().unwrap()],
    );
    let legal = legal_aid_centre(&[COMMUNE], vec![other.device_id().unwrap()]);
    let directory = ShelterDirectory::new(
        1,
        DateTime::from_timestamp(1_794_000_000, 0).unwrap(),
        vec![],
    )
    .with_services(vec![health.clone(), legal.clone()]);
    let publication = signed(&DirectoryUpdate::Full(directory));
    for app in [&sender, &station, &second, &other] {
        app.set_provincial_key(province_signer().public_key())
            .unwrap();
        app.load_shelter_directory(&publication).unwrap();
    }
    World {
        _dirs: vec![d1, d2, d3, d4],
        sender,
        station,
        second,
        other,
        health,
        legal,
    }
}

fn case(app: &Vault) -> CaseId {
    app.create_case(
        Builder::new(0, today())
            .code(CODE)
            .name(NAME)
            .commune(COMMUNE)
            .age(Some(16))
            .account(ACCOUNT)
            .build(),
    )
    .unwrap()
}

fn draft(organisation: &ServiceOrganisation, chosen: Vec<ReferralField>) -> ReferralDraft {
    ReferralDraft {
        organisation: organisation.id,
        service: organisation.services[0],
        urgency: Urgency::Urgent,
        ask: "Examination and care after an incident (synthetic).".into(),
        due: None,
        chosen,
    }
}

/// A new case referred to the health station with consent, the referral
/// delivered to both of its devices.
fn referred(w: &World) -> (CaseId, ReferralId) {
    let case = case(&w.sender);
    consent_to(&w.sender, case, &w.health, ServiceType::Health, true).unwrap();
    let id = w
        .sender
        .send_referral(case, draft(&w.health, vec![]))
        .unwrap();
    deliver(&w.sender, &[&w.station, &w.second]);
    (case, id)
}

fn inbox_content(app: &Vault) -> Vec<Option<ReferralContent>> {
    app.referral_inbox()
        .unwrap()
        .into_iter()
        .map(|r| r.content)
        .collect()
}

#[test]
fn referrals_carry_only_the_fields_the_service_may_receive() {
    let w = world();
    let case = case(&w.sender);
    consent_to(&w.sender, case, &w.health, ServiceType::Health, true).unwrap();
    let chosen = vec![ReferralField::SafeContact];
    // The preview is exactly what goes.
    let preview = w
        .sender
        .referral_preview(case, &draft(&w.health, chosen.clone()))
        .unwrap();
    assert!(preview.consented);
    let fields: Vec<ReferralField> = preview.facts.iter().map(SharedFact::field).collect();
    assert_eq!(
        fields,
        [
            ReferralField::AgeBand,
            ReferralField::Sex,
            ReferralField::IncidentDate,
            ReferralField::ViolenceType,
        ],
        "disability and safe contact unknown in this case, so absent"
    );
    assert_eq!(
        preview.may_add,
        [ReferralField::RiskLevel, ReferralField::EthnicGroup]
    );
    // A field health may not receive is refused, not dropped.
    let refused = w
        .sender
        .send_referral(case, draft(&w.health, vec![ReferralField::Name]));
    assert!(
        matches!(refused, Err(Error::NotAllowed(Refusal::FieldNotForService))),
        "{refused:?}"
    );
    let id = w
        .sender
        .send_referral(case, draft(&w.health, chosen))
        .unwrap();
    // Sealed to each of the station's devices, nothing to anyone else.
    let outbox = w.sender.shelter_outbox().unwrap();
    assert_eq!(outbox.len(), 2);
    for entry in &outbox {
        let bytes = entry.message.encode();
        for secret in [CODE, NAME, ACCOUNT, &case.to_string()] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "the referral carries no survivor code, name, account or case id"
            );
        }
    }
    let results = deliver(&w.sender, &[&w.station, &w.second, &w.other]);
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(Result::is_ok));
    assert!(w.other.referral_inbox().unwrap().is_empty());
    for provider in [&w.station, &w.second] {
        let inbox = provider.referral_inbox().unwrap();
        assert_eq!(inbox.len(), 1);
        let got = &inbox[0];
        assert_eq!((got.id, got.service), (id, ServiceType::Health));
        let content = got.content.as_ref().unwrap();
        assert_eq!(content.facts, preview.facts, "field by field, nothing else");
        assert!(content
            .facts
            .contains(&SharedFact::AgeBand(binhan_core::stats::AgeBand::Age16To17)));
    }
    // The case records the referral, and a `referred` service.
    let detail = w.sender.case(case).unwrap();
    assert_eq!(detail.referrals.len(), 1);
    assert_eq!(detail.referrals[0].latest.status, ReferralStatus::Sent);
    assert!(detail
        .services
        .iter()
        .any(|s| s.value.outcome == ServiceOutcome::Referred
            && s.value.provider.as_deref() == Some(w.health.name.as_str())));
}

#[test]
fn the_providers_answers_reach_the_case_and_delivery_is_recorded() {
    let w = world();
    let (case, id) = referred(&w);
    // Delivery before accepting does not follow.
    let early = w.station.answer_referral(
        id,
        ProviderStep::Delivered {
            on: today(),
            what: "Examination (synthetic)".into(),
        },
    );
    assert!(matches!(
        early,
        Err(Error::NotAllowed(Refusal::ReferralStepNotAllowed { .. }))
    ));
    w.station
        .answer_referral(
            id,
            ProviderStep::MoreAsked("Safe time to call? (synthetic)".into()),
        )
        .unwrap();
    assert!(deliver(&w.station, &[&w.sender]).iter().all(Result::is_ok));
    // The survivor agrees to share a safe contact: the sender adds it.
    w.sender
        .act(
            case,
            binhan_core::cases::CaseAction::UpdateSurvivor(Survivor {
                contact_method: Some(ContactMethod::TrustedPerson),
                contact_details: Some("0900000000 (synthetic)".into()),
                ..w.sender.case(case).unwrap().survivor
            }),
        )
        .unwrap();
    w.sender
        .supplement_referral(id, vec![ReferralField::SafeContact], "Mornings.".into())
        .unwrap();
    deliver(&w.sender, &[&w.station, &w.second]);
    let content = w.station.referral_inbox().unwrap()[0]
        .content
        .clone()
        .unwrap();
    assert_eq!(content.supplements.len(), 1);
    assert_eq!(
        content.supplements[0].facts[0].field(),
        ReferralField::SafeContact
    );
    w.station
        .answer_referral(id, ProviderStep::Accepted)
        .unwrap();
    w.station
        .answer_referral(
            id,
            ProviderStep::Delivered {
                on: today(),
                what: "Examination and care (synthetic)".into(),
            },
        )
        .unwrap();
    w.station.answer_referral(id, ProviderStep::Closed).unwrap();
    assert!(deliver(&w.station, &[&w.sender]).iter().all(Result::is_ok));
    let detail = w.sender.case(case).unwrap();
    let summary = &detail.referrals[0];
    assert_eq!(summary.latest.status, ReferralStatus::Closed);
    assert_eq!(summary.first_delivered, Some(today()));
    assert_eq!(summary.answered_on, Some(today()));
    assert!(detail
        .services
        .iter()
        .any(|s| s.value.outcome == ServiceOutcome::Delivered
            && s.value.provider.as_deref() == Some(w.health.name.as_str())));
    // The sender's list says where it stands; an answer from a device that
    // was not sent the referral is refused.
    assert_eq!(
        w.sender.sent_referrals().unwrap()[0].status,
        ReferralStatus::Closed
    );
    let forged = w.sender.receive_mail(
        w.other.device_id().unwrap(),
        MailMessage::Referral(ReferralMessage::Answer {
            referral: id,
            step: ProviderStep::Accepted,
            at: Utc::now(),
        }),
    );
    assert!(matches!(
        forged,
        Err(Error::NotAllowed(Refusal::NotForThisOrganisation))
    ));
}

#[test]
fn a_referral_without_consent_is_refused_on_the_device_and_by_the_receiver() {
    let w = world();
    let case = case(&w.sender);
    // Consent to another organisation, or another service, is not enough.
    consent_to(&w.sender, case, &w.legal, ServiceType::LegalAid, true).unwrap();
    consent_to(&w.sender, case, &w.health, ServiceType::Psychosocial, true).unwrap();
    let refused = w.sender.send_referral(case, draft(&w.health, vec![]));
    assert!(
        matches!(refused, Err(Error::NotAllowed(Refusal::ConsentMissing))),
        "{refused:?}"
    );
    assert!(w.sender.case(case).unwrap().referrals.is_empty());
    assert!(
        w.sender.shelter_outbox().unwrap().is_empty(),
        "nothing sent"
    );
    // A referral that states no consent, or carries a field the service
    // may not receive, is refused by the receiving device.
    let forged = |consent, facts| Referral {
        id: ReferralId::random(),
        organisation: w.health.id,
        service: ServiceType::Health,
        urgency: Urgency::Routine,
        ask: "Synthetic.".into(),
        due: today(),
        sent_at: DateTime::from_timestamp_millis(WALL_MS as i64).unwrap(),
        facts,
        consent,
    };
    let from = w.sender.device_id().unwrap();
    for (bad, why) in [
        (forged(None, vec![]), Refusal::ConsentMissing),
        (
            forged(
                Some(ConsentGiver::Survivor),
                vec![SharedFact::Name(NAME.into())],
            ),
            Refusal::FieldNotForService,
        ),
    ] {
        let got = w
            .station
            .receive_mail(from, MailMessage::Referral(ReferralMessage::Send(bad)));
        assert!(
            matches!(&got, Err(Error::NotAllowed(r)) if *r == why),
            "{got:?}"
        );
    }
    // Sent to a device the directory does not list for the organisation.
    let got = w.other.receive_mail(
        from,
        MailMessage::Referral(ReferralMessage::Send(forged(
            Some(ConsentGiver::Survivor),
            vec![],
        ))),
    );
    assert!(matches!(
        got,
        Err(Error::NotAllowed(Refusal::NotForThisOrganisation))
    ));
    assert!(w.station.referral_inbox().unwrap().is_empty());
    // An organisation not serving the survivor's commune is refused too.
    let mut elsewhere = w.legal.clone();
    elsewhere.communes = vec!["mu_ca".into()];
    assert!(!elsewhere.serves(ServiceType::LegalAid, COMMUNE));
}

#[test]
fn withdrawing_consent_erases_the_referral_on_every_device_that_holds_it() {
    let w = world();
    let (case, id) = referred(&w);
    w.station
        .answer_referral(id, ProviderStep::Accepted)
        .unwrap();
    deliver(&w.station, &[&w.sender]);
    // The survivor withdraws consent: the referral is withdrawn with it.
    consent_to(&w.sender, case, &w.health, ServiceType::Health, false).unwrap();
    let detail = w.sender.case(case).unwrap();
    assert_eq!(detail.referrals[0].latest.status, ReferralStatus::Withdrawn);
    assert!(deliver(&w.sender, &[&w.station, &w.second])
        .iter()
        .all(Result::is_ok));
    for provider in [&w.station, &w.second] {
        let inbox = provider.referral_inbox().unwrap();
        assert_eq!(inbox[0].status, ReferralStatus::Withdrawn, "they see it");
        assert_eq!(inbox_content(provider), [None], "and hold nothing of it");
    }
    let answer = w.station.answer_referral(
        id,
        ProviderStep::Delivered {
            on: today(),
            what: "Synthetic".into(),
        },
    );
    assert!(answer.is_err(), "nothing more can be done with it");
    // Sending again needs consent again.
    assert!(w
        .sender
        .send_referral(case, draft(&w.health, vec![]))
        .is_err());
}

#[test]
fn an_unanswered_referral_past_its_due_date_is_listed_as_overdue() {
    let w = world();
    let case = case(&w.sender);
    consent_to(&w.sender, case, &w.health, ServiceType::Health, true).unwrap();
    consent_to(&w.sender, case, &w.legal, ServiceType::LegalAid, true).unwrap();
    let unanswered = w
        .sender
        .send_referral(case, draft(&w.health, vec![]))
        .unwrap();
    let answered = w
        .sender
        .send_referral(case, draft(&w.legal, vec![]))
        .unwrap();
    deliver(&w.sender, &[&w.station, &w.other]);
    w.other
        .answer_referral(answered, ProviderStep::Accepted)
        .unwrap();
    deliver(&w.other, &[&w.sender]);
    assert!(
        w.sender.overdue_referrals().unwrap().is_empty(),
        "not yet due"
    );
    // Three weeks later, the same vault.
    let dir = w._dirs[0].path().to_path_buf();
    drop(w.sender);
    let later = Vault::open(&dir, config(day21)).unwrap();
    later.unlock(PIN).unwrap();
    let overdue = later.overdue_referrals().unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].case_id, case);
    assert_eq!(overdue[0].referral.sent.referral, unanswered);
}

/// How many of `app`'s outbox entries carry the referral `id`.
fn queued(app: &Vault, id: ReferralId) -> usize {
    app.shelter_outbox()
        .unwrap()
        .iter()
        .filter(
            |e| matches!(&e.message, MailMessage::Referral(ReferralMessage::Send(r)) if r.id == id),
        )
        .count()
}

/// A phone killed in the middle of a send — after none, one or two of its
/// three writes (the case's step, the outbox, the sent record) — finishes
/// it when the vault is opened again and sends or syncs: the case's step
/// once, the referral queued once for each of the organisation's devices,
/// the sent record; finishing again writes nothing more, and each device
/// of the organisation receives it once.
#[test]
fn a_send_cut_short_by_a_killed_phone_is_finished_later() {
    for writes in 0..=2 {
        let w = world();
        let case = case(&w.sender);
        consent_to(&w.sender, case, &w.health, ServiceType::Health, true).unwrap();
        let id = w
            .sender
            .send_referral_interrupted(case, draft(&w.health, vec![]), writes)
            .unwrap();
        assert!(w.sender.sent_referrals().unwrap().is_empty(), "{writes}");
        // The phone comes back: the same vault opened again.
        let back = Vault::open(w._dirs[0].path(), config(day0)).unwrap();
        back.unlock(PIN).unwrap();
        back.finish_interrupted_send().unwrap();
        back.finish_interrupted_send().unwrap();
        let steps = back.case(case).unwrap().referrals;
        assert_eq!(steps.len(), 1, "{writes}: the case's step once");
        assert_eq!(queued(&back, id), 2, "{writes}: once for each device");
        let sent = back.sent_referrals().unwrap();
        assert_eq!(sent.len(), 1, "{writes}");
        assert_eq!(sent[0].referral.id, id);
        deliver(&back, &[&w.station, &w.second]);
        for device in [&w.station, &w.second] {
            assert_eq!(device.referral_inbox().unwrap().len(), 1, "{writes}");
        }
    }
}
