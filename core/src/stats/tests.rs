//! Statistical records: consent rules, fields, and what they never contain.
//! All data here is synthetic.

use super::*;
use crate::cases::CaseIntake;
use crate::events::{Change, Event, Hlc, MultiWrite};
use crate::model::*;
use crate::Error;

const DEVICE: DeviceId = DeviceId([7; 16]);

pub(super) fn intake(consents: Vec<Consent>) -> CaseIntake {
    let mut survivor = sample_survivor();
    survivor.name = Some("Synthetic Name Zorblatt".into());
    survivor.village = Some("Bản Quibbleton".into());
    survivor.disability = Some(true);
    survivor.contact_details = Some("0900 synthetic 424242".into());
    let mut incident = sample_incident();
    incident.contexts = vec![ContextFlag::Online, ContextFlag::IntimatePartnerFamily];
    CaseIntake {
        survivor,
        incident,
        risk: None,
        safety_plan: None,
        consents,
        services: vec![
            ServiceRecord {
                service: ServiceType::Health,
                outcome: ServiceOutcome::Delivered,
                date: day(2026, 10, 28),
                provider: Some("Trạm y tế synthetic Flumph".into()),
                note: Some("note synthetic Grommet".into()),
            },
            ServiceRecord {
                service: ServiceType::LegalAid,
                outcome: ServiceOutcome::Declined,
                date: day(2026, 10, 28),
                provider: None,
                note: None,
            },
            ServiceRecord {
                service: ServiceType::Psychosocial,
                outcome: ServiceOutcome::Offered,
                date: day(2026, 10, 28),
                provider: None,
                note: None,
            },
        ],
        next_follow_up: None,
    }
}

pub(super) fn statistics(granted: bool) -> Consent {
    Consent {
        scope: ConsentScope::Statistics,
        granted,
        given_by: ConsentGiver::Survivor,
    }
}

fn event(case_id: CaseId, wall_ms: u64, changes: Vec<Change>) -> Event {
    Event {
        id: EventId::random(),
        case_id,
        hlc: Hlc::from_wall_ms(wall_ms),
        author: DEVICE,
        changes,
    }
}

/// A case opened from `intake` on 1 November 2026.
pub(super) fn open(intake: CaseIntake) -> (CaseId, Vec<Event>) {
    let case_id = CaseId::random();
    let changes = intake.into_changes(day(2026, 11, 1)).unwrap();
    (case_id, vec![event(case_id, 1_000_000, changes)])
}

fn consent_change(state: &CaseState, granted: bool) -> Change {
    Change::Consent(MultiWrite {
        value: statistics(granted),
        supersedes: state.head_events(&ConsentScope::Statistics.key()),
    })
}

#[test]
fn a_case_without_consent_yields_nothing() {
    let (id, events) = open(intake(vec![]));
    let state = CaseState::fold(id, &events);
    assert!(state.statistics_seed().is_some());
    assert_eq!(stat_update(&state), None);

    let (id, events) = open(intake(vec![statistics(false)]));
    assert_eq!(stat_update(&CaseState::fold(id, &events)), None);

    // Consent to a service is not consent to statistics.
    let (id, events) = open(intake(vec![Consent {
        scope: ConsentScope::Service {
            service: ServiceType::Health,
            recipient: "Trạm y tế".into(),
        },
        granted: true,
        given_by: ConsentGiver::Survivor,
    }]));
    assert_eq!(stat_update(&CaseState::fold(id, &events)), None);
}

/// Abuse of children is a context of its own (the plan's form "xâm hại trẻ
/// em"): recorded on the case, carried into its record, counted apart.
#[test]
fn abuse_of_children_is_counted_as_its_own_context() {
    let mut child = intake(vec![statistics(true)]);
    child.incident.contexts = vec![ContextFlag::IntimatePartnerFamily, ContextFlag::ChildAbuse];
    let (id, events) = open(child);
    let Some(StatUpdate::Record(r)) = stat_update(&CaseState::fold(id, &events)) else {
        panic!("a consenting case yields a record");
    };
    assert_eq!(
        r.contexts,
        vec![ContextFlag::IntimatePartnerFamily, ContextFlag::ChildAbuse]
    );
    assert_eq!(StatRecord::decode(&r.encode()).unwrap(), r);
    assert_eq!(ContextFlag::ChildAbuse.code(), "child_abuse");
    assert_eq!(ContextFlag::ChildAbuse.label(Lang::Vi), "xâm hại trẻ em");
}

#[test]
fn fields_match_the_case() {
    let (id, events) = open(intake(vec![statistics(true)]));
    let state = CaseState::fold(id, &events);
    let Some(StatUpdate::Record(r)) = stat_update(&state) else {
        panic!("a consenting case yields a record");
    };
    r.validate().unwrap();
    assert_eq!(r.commune, "mu_ca");
    assert_eq!((r.year, r.month), (2026, 10));
    assert_eq!(r.violence_type, ViolenceType::PhysicalAssault);
    assert_eq!(
        r.contexts,
        vec![ContextFlag::IntimatePartnerFamily, ContextFlag::Online]
    );
    assert_eq!(r.sex, Sex::Female);
    // 16 when recorded on 2026-11-01, so 16 at the incident of 2026-10-20.
    assert_eq!(r.age_band, AgeBand::Age16To17);
    assert_eq!(r.age_band.is_child(), Some(true));
    assert_eq!(r.ethnic_group, Some(EthnicGroup::Mong));
    assert_eq!(r.disability, Some(true));
    assert_eq!(r.migrant_worker, None);
    assert_eq!(r.student, Some(true));
    assert_eq!(r.services_delivered, vec![ServiceType::Health]);
    assert_eq!(r.services_declined, vec![ServiceType::LegalAid]);
    assert_eq!(r.reporting_delay, ReportingDelayBand::Days6To14);
    assert!(!r.referral_made);
    assert!(!r.shelter_used);
    assert!(r.any_service_delivered());
    assert_eq!(
        r.statistics_id,
        state.statistics_seed().unwrap().statistics_id()
    );

    // The record follows the case: a shelter placement and a referral later.
    let mut events = events;
    events.push(event(
        id,
        2_000_000,
        vec![Change::ServiceAdded(ServiceRecord {
            service: ServiceType::SafeShelter,
            outcome: ServiceOutcome::Delivered,
            date: day(2026, 11, 2),
            provider: None,
            note: None,
        })],
    ));
    events.push(event(
        id,
        2_000_001,
        vec![
            Change::ServiceAdded(ServiceRecord {
                service: ServiceType::LegalAid,
                outcome: ServiceOutcome::Referred,
                date: day(2026, 11, 3),
                provider: Some("Legal aid centre".into()),
                note: None,
            }),
            Change::ServiceAdded(ServiceRecord {
                service: ServiceType::LegalAid,
                outcome: ServiceOutcome::Delivered,
                date: day(2026, 11, 4),
                provider: Some("Legal aid centre".into()),
                note: None,
            }),
        ],
    ));
    let Some(StatUpdate::Record(later)) = stat_update(&CaseState::fold(id, &events)) else {
        panic!("still a record");
    };
    assert_eq!(later.statistics_id, r.statistics_id, "an update replaces");
    assert!(
        later.revision > r.revision,
        "a newer state has a newer revision"
    );
    assert_eq!(
        later.services_delivered,
        vec![
            ServiceType::Health,
            ServiceType::LegalAid,
            ServiceType::SafeShelter
        ]
    );
    assert!(later.services_declined.is_empty(), "delivered after all");
    assert!(later.referral_made);
    assert!(later.shelter_used);
    later.validate().unwrap();
}

#[test]
fn withdrawing_consent_yields_a_withdrawal_and_regranting_a_record() {
    let (id, mut events) = open(intake(vec![statistics(true)]));
    let granted = stat_update(&CaseState::fold(id, &events)).unwrap();

    let state = CaseState::fold(id, &events);
    events.push(event(id, 3_000_000, vec![consent_change(&state, false)]));
    let withdrawn = stat_update(&CaseState::fold(id, &events)).unwrap();
    let StatUpdate::Withdraw(w) = withdrawn else {
        panic!("withdrawal expected, got {withdrawn:?}");
    };
    assert_eq!(w.statistics_id, granted.statistics_id());
    assert!(w.revision > granted.revision());

    let state = CaseState::fold(id, &events);
    events.push(event(id, 4_000_000, vec![consent_change(&state, true)]));
    let again = stat_update(&CaseState::fold(id, &events)).unwrap();
    assert!(matches!(again, StatUpdate::Record(_)));
    assert_eq!(again.statistics_id(), w.statistics_id);
    assert!(again.revision() > w.revision);
}

#[test]
fn a_consent_conflict_is_not_consent() {
    let (id, mut events) = open(intake(vec![statistics(true)]));
    let state = CaseState::fold(id, &events);
    // Two devices write concurrently, one withdrawing, one confirming.
    events.push(event(id, 5_000_000, vec![consent_change(&state, false)]));
    events.push(event(id, 5_000_001, vec![consent_change(&state, true)]));
    let state = CaseState::fold(id, &events);
    assert_eq!(state.conflicts().len(), 1);
    assert!(matches!(stat_update(&state), Some(StatUpdate::Withdraw(_))));
}

#[test]
fn every_device_derives_the_same_record_in_any_order() {
    let (id, mut events) = open(intake(vec![statistics(true)]));
    events.push(event(
        id,
        6_000_000,
        vec![Change::Survivor(SurvivorField::MigrantWorker(Some(true)))],
    ));
    events.push(event(
        id,
        6_000_500,
        vec![Change::NoteAdded(Note {
            text: "synthetic note".into(),
        })],
    ));
    let a = stat_update(&CaseState::fold(id, &events)).unwrap();
    events.reverse();
    let b = stat_update(&CaseState::fold(id, &events)).unwrap();
    assert_eq!(a, b);
    let (StatUpdate::Record(a), StatUpdate::Record(b)) = (a, b) else {
        panic!("records expected");
    };
    assert_eq!(a.encode(), b.encode());
    assert_eq!(a.migrant_worker, Some(true));
}

#[test]
fn nothing_identifying_in_the_record() {
    let (id, events) = open(intake(vec![statistics(true)]));
    let state = CaseState::fold(id, &events);
    let Some(StatUpdate::Record(r)) = stat_update(&state) else {
        panic!("record expected");
    };
    let json = serde_json::to_string(&r).unwrap();
    let binary = r.encode();
    for secret in [
        "LC-TEST-001",
        "Zorblatt",
        "Quibbleton",
        "quokkaflint",
        "Trường synthetic",
        "424242",
        "Flumph",
        "Grommet",
        "2026-10-20",
        "2026-10-27",
        "2026-11-01",
        "2026-10-28",
    ] {
        assert!(!json.contains(secret), "{secret} leaked into the record");
        assert!(
            !binary.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} leaked into the binary record"
        );
    }
    // No case id, event id or device id, in any form.
    let event_ids: Vec<[u8; 16]> = events.iter().map(|e| e.id.0).collect();
    for raw in [id.0, DEVICE.0].into_iter().chain(event_ids) {
        assert!(!binary.windows(16).any(|w| w == raw));
        assert!(!json.contains(&CaseId(raw).to_string()));
    }
    // The revision is no clock reading the server saw on an event.
    assert!(events.iter().all(|e| e.hlc.0 != r.revision));
    // Exactly the fields of the issue, nothing more.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "age_band",
            "commune",
            "contexts",
            "days_to_first_service",
            "disability",
            "ethnic_group",
            "migrant_worker",
            "month",
            "referral_made",
            "referrals",
            "reporting_delay",
            "revision",
            "services_declined",
            "services_delivered",
            "sex",
            "shelter_used",
            "statistics_id",
            "student",
            "violence_type",
            "year",
        ]
    );
}

/// Referrals through the pathway and the wait for the first service: each
/// referral's service, outcome and timeliness (never its organisation,
/// dates or note), and whole days from detection.
#[test]
fn the_record_counts_referrals_and_days_to_the_first_service() {
    use crate::referrals::{ReferralId, ReferralStatus, ReferralStep};
    let (id, mut events) = open(intake(vec![statistics(true)]));
    let step = |referral, service, status, on| ReferralStep {
        referral,
        organisation: crate::referrals::OrganisationId([3; 16]),
        organisation_name: "Trung tâm synthetic Flumph".into(),
        service,
        status,
        on,
        due: day(2026, 11, 5),
        decline_reason: None,
        note: Some("note synthetic Grommet".into()),
    };
    let (legal, police) = (ReferralId([1; 16]), ReferralId([2; 16]));
    events.push(event(
        id,
        2_000_000,
        vec![
            Change::Referral(step(
                legal,
                ServiceType::LegalAid,
                ReferralStatus::Sent,
                day(2026, 11, 2),
            )),
            Change::Referral(step(
                police,
                ServiceType::PoliceSecurity,
                ReferralStatus::Sent,
                day(2026, 11, 2),
            )),
            Change::Referral(step(
                legal,
                ServiceType::LegalAid,
                ReferralStatus::Accepted,
                day(2026, 11, 4),
            )),
            Change::Referral(step(
                police,
                ServiceType::PoliceSecurity,
                ReferralStatus::Declined,
                day(2026, 11, 9),
            )),
        ],
    ));
    let Some(StatUpdate::Record(r)) = stat_update(&CaseState::fold(id, &events)) else {
        panic!("record expected");
    };
    r.validate().unwrap();
    assert_eq!(
        r.referrals,
        vec![
            ReferralStat {
                service: ServiceType::LegalAid,
                outcome: ReferralStatus::Accepted,
                answered_in_time: Some(true),
            },
            ReferralStat {
                service: ServiceType::PoliceSecurity,
                outcome: ReferralStatus::Declined,
                answered_in_time: Some(false),
            },
        ]
    );
    // Reported on 2026-10-27, health delivered on 2026-10-28.
    assert_eq!(r.days_to_first_service, Some(1));
    let binary = r.encode();
    assert_eq!(StatRecord::decode(&binary).unwrap(), r);
    for secret in ["Flumph", "Grommet"] {
        assert!(!binary.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
    for raw in [legal.0, police.0, [3; 16]] {
        assert!(!binary.windows(16).any(|w| w == raw));
    }

    // What contradicts itself is refused before the server stores it.
    let mut unanswered_in_time = r.clone();
    unanswered_in_time.referrals[0].outcome = ReferralStatus::Sent;
    assert!(unanswered_in_time.validate().is_err());
    let mut unsorted = r.clone();
    unsorted.referrals.reverse();
    assert!(unsorted.validate().is_err());
    let mut no_service = r.clone();
    no_service.services_delivered.clear();
    assert!(no_service.validate().is_err());
    let mut too_long = r;
    too_long.days_to_first_service = Some(MAX_DAYS_TO_SERVICE + 1);
    assert!(too_long.validate().is_err());
}

/// A record of the first format (before referrals) still decodes, with no
/// referrals and no days: phones not yet updated keep counting.
#[test]
fn a_record_of_the_first_format_still_decodes() {
    let (id, events) = open(intake(vec![statistics(true)]));
    let Some(StatUpdate::Record(mut r)) = stat_update(&CaseState::fold(id, &events)) else {
        panic!("record expected");
    };
    r.days_to_first_service = None;
    let mut v1 = r.encode();
    // Version 2 appends an empty list and a missing number: one byte each.
    assert_eq!(v1.split_off(v1.len() - 2), [0, 0]);
    v1[0] = 1;
    assert_eq!(StatRecord::decode(&v1).unwrap(), r);
    assert!(StatRecord::decode(&v1[..v1.len() - 1]).is_err());
}

#[test]
fn encodings_round_trip_compactly() {
    let (id, events) = open(intake(vec![statistics(true)]));
    let Some(StatUpdate::Record(r)) = stat_update(&CaseState::fold(id, &events)) else {
        panic!("record expected");
    };
    let binary = r.encode();
    assert!(binary.len() < 64, "{} bytes", binary.len());
    assert_eq!(StatRecord::decode(&binary).unwrap(), r);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<StatRecord>(&json).unwrap(), r);
    assert!(json.contains("\"violence_type\":\"physical_assault\""));
    assert!(json.contains(&format!("\"statistics_id\":\"{}\"", r.statistics_id)));

    let update = StatUpdate::Withdraw(Withdrawal {
        statistics_id: r.statistics_id,
        revision: 9,
    });
    let bytes = postcard::to_allocvec(&update).unwrap();
    assert_eq!(postcard::from_bytes::<StatUpdate>(&bytes).unwrap(), update);
    let json = serde_json::to_string(&update).unwrap();
    assert_eq!(serde_json::from_str::<StatUpdate>(&json).unwrap(), update);

    assert!(StatRecord::decode(&[]).is_err());
    assert!(StatRecord::decode(&[99, 1, 2]).is_err());
    assert!(StatRecord::decode(&binary[..binary.len() - 3]).is_err());
}

#[test]
fn the_seed_event_is_part_of_the_first_event_and_decodes() {
    let (id, events) = open(intake(vec![]));
    let decoded = Event::decode(&events[0].encode()).unwrap();
    assert_eq!(decoded, events[0]);
    assert_eq!(
        CaseState::fold(id, [&decoded]).statistics_seed(),
        CaseState::fold(id, &events).statistics_seed()
    );
    // Two cases never share a statistics id.
    let (other, other_events) = open(intake(vec![]));
    assert_ne!(
        CaseState::fold(id, &events)
            .statistics_seed()
            .unwrap()
            .statistics_id(),
        CaseState::fold(other, &other_events)
            .statistics_seed()
            .unwrap()
            .statistics_id()
    );
    // The seed never shows in debug output.
    let seed = CaseState::fold(id, &events).statistics_seed().unwrap();
    assert_eq!(format!("{seed:?}"), "StatSeed(…)");
}

#[test]
fn validation_names_the_field() {
    let (id, events) = open(intake(vec![statistics(true)]));
    let Some(StatUpdate::Record(good)) = stat_update(&CaseState::fold(id, &events)) else {
        panic!("record expected");
    };
    type Breaker = fn(&mut StatRecord);
    let cases: [(Breaker, &str); 6] = [
        (|r| r.commune = "nowhere".into(), "stat.commune"),
        (|r| r.month = 13, "stat.month"),
        (|r| r.year = 1900, "stat.year"),
        (
            |r| r.contexts = vec![ContextFlag::Online, ContextFlag::School],
            "stat.contexts",
        ),
        (
            |r| r.services_declined = vec![ServiceType::Health],
            "stat.services_declined",
        ),
        (|r| r.shelter_used = true, "stat.shelter_used"),
    ];
    for (break_it, field) in cases {
        let mut r = good.clone();
        break_it(&mut r);
        match r.validate() {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
}

#[test]
fn age_bands() {
    for (age, band) in [
        (None, AgeBand::Unknown),
        (Some(0), AgeBand::Age0To11),
        (Some(11), AgeBand::Age0To11),
        (Some(12), AgeBand::Age12To15),
        (Some(15), AgeBand::Age12To15),
        (Some(16), AgeBand::Age16To17),
        (Some(17), AgeBand::Age16To17),
        (Some(18), AgeBand::Age18To25),
        (Some(40), AgeBand::Age26To40),
        (Some(60), AgeBand::Age41To60),
        (Some(61), AgeBand::Age61Plus),
    ] {
        assert_eq!(AgeBand::for_age(age), band, "{age:?}");
    }
    assert_eq!(AgeBand::Age18To25.is_child(), Some(false));
    assert_eq!(AgeBand::Unknown.is_child(), None);
}
