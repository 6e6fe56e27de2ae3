//! Placements between devices: requests, answers, arrival and departure,
//! conflicts and the rules of each step.

use super::*;
use binhan_core::cases::CaseIntake;
use binhan_testkit::intake::Builder;
use binhan_testkit::shelters::{consent_to_shelter, valley_needs};

/// Delivers `from`'s outbox to the devices it is addressed to, through the
/// binary encoding, and acknowledges it. Returns the messages delivered.
fn deliver(from: &Vault, to: &[&Vault]) -> usize {
    let sender = from.device_id().unwrap();
    let outbox = from.shelter_outbox().unwrap();
    let mut delivered = 0;
    for entry in &outbox {
        let message = MailMessage::decode(&entry.message.encode()).unwrap();
        for app in to {
            let for_it = match entry.to {
                Recipient::Device(d) => d == app.device_id().unwrap(),
                Recipient::Everyone => true,
            };
            if for_it {
                app.receive_mail(sender, message.clone()).unwrap();
                delivered += 1;
            }
        }
    }
    if let Some(last) = outbox.last() {
        from.ack_shelter_outbox(last.seq).unwrap();
    }
    delivered
}

/// A synthetic intake with survivor code `code`, the survivor agreeing to
/// share what a placement needs with the valley's commune office.
fn intake(code: &str) -> CaseIntake {
    let office = province()
        .shelters
        .iter()
        .find(|s| s.id == province().valley.same_side)
        .unwrap();
    Builder::new(0, now().date_naive())
        .code(code)
        .consent(Consent {
            scope: office.consent_scope(),
            granted: true,
            given_by: ConsentGiver::Survivor,
        })
        .build()
}

#[test]
fn shelters_a_placement_needs_the_survivors_consent_for_that_shelter() {
    let w = world(3);
    // Consent to another service, and to another shelter, is not enough.
    let case =
        w.a.create_case(Builder::new(0, now().date_naive()).code("SYN-NC").build())
            .unwrap();
    let refused = w.a.request_placement(case, w.shelter.id, valley_needs(1));
    assert!(
        matches!(refused, Err(Error::NotAllowed(Refusal::ConsentMissing))),
        "{refused:?}"
    );
    assert!(placement_of(&w.a, case).is_empty(), "nothing recorded");
    assert!(w.a.shelter_outbox().unwrap().is_empty(), "nothing sent");
    // A refused consent is no consent either.
    w.a.act(
        case,
        CaseAction::RecordConsent(Consent {
            scope: w.shelter.consent_scope(),
            granted: false,
            given_by: ConsentGiver::Survivor,
        }),
    )
    .unwrap();
    assert!(w
        .a
        .request_placement(case, w.shelter.id, valley_needs(1))
        .is_err());
    // Once the survivor agrees (the recipient compared as core's key is),
    // the request goes.
    consent_to_shelter(&w.a, case, &w.shelter).unwrap();
    w.a.request_placement(case, w.shelter.id, valley_needs(1))
        .unwrap();
    assert_eq!(w.a.shelter_outbox().unwrap().len(), 1);
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    host: Vault,
    a: Vault,
    b: Vault,
    shelter: Shelter,
}

/// A host and two collaborators; the directory names the host's device as
/// the host of the valley commune office.
fn world(free_places: u16) -> World {
    let (d1, host) = new_app();
    let (d2, a) = new_app();
    let (d3, b) = new_app();
    let mut directory = province().directory(1);
    let shelter = directory
        .shelters
        .iter_mut()
        .find(|s| s.id == province().valley.same_side)
        .unwrap();
    shelter.host_device = Some(host.device_id().unwrap());
    let shelter = shelter.clone();
    let publication = signed(&DirectoryUpdate::Full(directory));
    for app in [&host, &a, &b] {
        app.set_provincial_key(synthetic::province_signer().public_key())
            .unwrap();
        app.load_shelter_directory(&publication).unwrap();
    }
    host.host_shelter(shelter.id, free_places).unwrap();
    assert_eq!(deliver(&host, &[&a, &b]), 2, "free places reach everyone");
    World {
        _dirs: vec![d1, d2, d3],
        host,
        a,
        b,
        shelter,
    }
}

fn placement_of(app: &Vault, case: CaseId) -> Vec<Placement> {
    app.case(case)
        .unwrap()
        .placement
        .into_iter()
        .map(|p| p.value)
        .collect()
}

fn shelter_services(app: &Vault, case: CaseId) -> Vec<ServiceOutcome> {
    app.case(case)
        .unwrap()
        .services
        .into_iter()
        .filter(|s| s.value.service == ServiceType::SafeShelter)
        .map(|s| s.value.outcome)
        .collect()
}

#[test]
fn shelters_a_placement_flows_from_request_to_departure_across_two_devices() {
    let w = world(3);
    let case = w.a.create_case(intake("SYN-P01")).unwrap();
    // The collaborator finds the shelter with room, and asks.
    let mut q = ShelterQuery::from(province().valley.start);
    q.people = Some(2);
    q.straight_line = true;
    q.limit = MAX_LIMIT;
    let found = w.a.nearest_shelters(&q).unwrap();
    let m = found
        .shelters
        .iter()
        .find(|m| m.shelter.id == w.shelter.id)
        .unwrap();
    assert_eq!(m.availability.free_places, Some(3));
    assert_eq!(m.availability.freshness, Freshness::Confirmed);

    let request =
        w.a.request_placement(case, w.shelter.id, valley_needs(2))
            .unwrap();
    assert_eq!(
        placement_of(&w.a, case)[0].status,
        PlacementStatus::Requested
    );
    // What travels carries no case, no name.
    let outbox = w.a.shelter_outbox().unwrap();
    let json = serde_json::to_string(&outbox).unwrap();
    assert!(!json.contains(&case.to_string()) && !json.contains("SYN-P01"));
    assert_eq!(deliver(&w.a, &[&w.host]), 1);

    let inbox = w.host.placement_inbox().unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].request.needs, valley_needs(2));
    let desk = w.host.accept_placement(request).unwrap();
    assert_eq!(desk.free_places, 1);
    deliver(&w.host, &[&w.a, &w.b]);
    let p = &placement_of(&w.a, case)[0];
    assert_eq!((p.status, p.people), (PlacementStatus::Accepted, 2));
    assert_eq!(shelter_services(&w.a, case), vec![ServiceOutcome::Offered]);
    // Every device now knows one place is left.
    let r = w.b.nearest_shelters(&q).unwrap();
    assert!(!ids(&r).contains(&w.shelter.id), "no room for 2 any more");

    w.host.record_arrival(request).unwrap();
    deliver(&w.host, &[&w.a, &w.b]);
    assert_eq!(placement_of(&w.a, case)[0].status, PlacementStatus::Arrived);
    assert_eq!(
        shelter_services(&w.a, case),
        vec![ServiceOutcome::Offered, ServiceOutcome::Delivered]
    );
    let desk = w.host.record_departure(request).unwrap();
    assert_eq!(desk.free_places, 3);
    deliver(&w.host, &[&w.a, &w.b]);
    assert_eq!(
        placement_of(&w.a, case)[0].status,
        PlacementStatus::Departed
    );
    assert_eq!(
        w.a.placement_requests().unwrap()[0].status,
        PlacementStatus::Departed
    );
    assert!(w.host.shelter_outbox().unwrap().is_empty());
    // A new placement may follow the finished one.
    w.a.request_placement(case, w.shelter.id, valley_needs(1))
        .unwrap();
}

#[test]
fn shelters_two_requests_for_the_last_place_one_wins_the_other_is_told() {
    let w = world(1);
    let case_a = w.a.create_case(intake("SYN-A")).unwrap();
    let case_b = w.b.create_case(intake("SYN-B")).unwrap();
    // Both ask at once, offline from each other.
    let ra =
        w.a.request_placement(case_a, w.shelter.id, valley_needs(1))
            .unwrap();
    let rb =
        w.b.request_placement(case_b, w.shelter.id, valley_needs(1))
            .unwrap();
    deliver(&w.a, &[&w.host]);
    deliver(&w.b, &[&w.host]);
    assert_eq!(w.host.placement_inbox().unwrap().len(), 2);

    w.host.accept_placement(ra).unwrap();
    // The other request was declined at that moment, and cannot be accepted.
    assert!(w.host.placement_inbox().unwrap().is_empty());
    assert!(matches!(
        w.host.accept_placement(rb),
        Err(Error::NotAllowed(_))
    ));
    deliver(&w.host, &[&w.a, &w.b]);

    assert_eq!(
        placement_of(&w.a, case_a)[0].status,
        PlacementStatus::Accepted
    );
    let lost = &placement_of(&w.b, case_b)[0];
    assert_eq!(lost.status, PlacementStatus::Declined);
    assert_eq!(lost.decline_reason, Some(DeclineReason::NoFreePlaces));
    assert_eq!(
        shelter_services(&w.b, case_b),
        vec![ServiceOutcome::Unavailable]
    );
    // B may now look elsewhere.
    let other = province()
        .shelters
        .iter()
        .find(|s| s.id != w.shelter.id && s.active)
        .unwrap();
    assert!(matches!(
        w.b.request_placement(case_b, other.id, valley_needs(1)),
        Err(Error::NotAllowed(_)) // no host device: by phone
    ));
}

#[test]
fn shelters_a_shelter_with_no_free_places_is_refused_or_declined() {
    let w = world(0);
    let case = w.a.create_case(intake("SYN-F")).unwrap();
    // Known full (confirmed just now): refused before anything is sent.
    let err =
        w.a.request_placement(case, w.shelter.id, valley_needs(1))
            .unwrap_err();
    assert!(matches!(err, Error::NotAllowed(_)), "{err:?}");
    assert!(placement_of(&w.a, case).is_empty());
    // A device that never heard the figure sends; the host declines at once.
    let (_d, c) = new_app();
    c.set_provincial_key(synthetic::province_signer().public_key())
        .unwrap();
    let mut directory = province().directory(1);
    directory
        .shelters
        .iter_mut()
        .find(|s| s.id == w.shelter.id)
        .unwrap()
        .host_device = Some(w.host.device_id().unwrap());
    c.load_shelter_directory(&signed(&DirectoryUpdate::Full(directory)))
        .unwrap();
    let case_c = c.create_case(intake("SYN-G")).unwrap();
    c.request_placement(case_c, w.shelter.id, valley_needs(1))
        .unwrap();
    deliver(&c, &[&w.host]);
    assert!(w.host.placement_inbox().unwrap().is_empty());
    deliver(&w.host, &[&c]);
    let p = &placement_of(&c, case_c)[0];
    assert_eq!(
        (p.status, p.decline_reason),
        (PlacementStatus::Declined, Some(DeclineReason::NoFreePlaces))
    );
    // Needs the shelter cannot meet are declined too.
    w.host.set_free_places(2).unwrap();
    let mut n = valley_needs(1);
    n.group = AcceptedGroup::Men;
    assert!(matches!(
        w.a.request_placement(case, w.shelter.id, n),
        Err(Error::NotAllowed(_))
    ));
}

#[test]
fn shelters_placement_messages_are_idempotent_and_checked() {
    let w = world(2);
    let case = w.a.create_case(intake("SYN-I")).unwrap();
    let request =
        w.a.request_placement(case, w.shelter.id, valley_needs(1))
            .unwrap();
    let sent = w.a.shelter_outbox().unwrap();
    let a_id = w.a.device_id().unwrap();
    for _ in 0..2 {
        w.host.receive_mail(a_id, sent[0].message.clone()).unwrap();
    }
    assert_eq!(w.host.placement_inbox().unwrap().len(), 1);
    w.host.accept_placement(request).unwrap();
    let answers = w.host.shelter_outbox().unwrap();
    let response = answers
        .iter()
        .find(|e| matches!(e.message, MailMessage::Response(_)))
        .unwrap()
        .message
        .clone();
    // From a device that does not host the shelter: refused.
    let b_id = w.b.device_id().unwrap();
    assert!(matches!(
        w.a.receive_mail(b_id, response.clone()),
        Err(Error::NotAllowed(_))
    ));
    // Free places from a device that is not the host: refused.
    let fake = MailMessage::Availability(AvailabilityUpdate {
        shelter: w.shelter.id,
        free_places: 1,
        confirmed_at: now(),
    });
    assert!(w.a.receive_mail(b_id, fake).is_err());
    let host_id = w.host.device_id().unwrap();
    assert_eq!(
        w.a.receive_mail(host_id, response.clone()).unwrap(),
        Received::Applied
    );
    assert_eq!(
        w.a.receive_mail(host_id, response).unwrap(),
        Received::Duplicate
    );
    assert_eq!(shelter_services(&w.a, case), vec![ServiceOutcome::Offered]);

    // The survivor chooses otherwise: cancelled on the case, places freed.
    w.a.cancel_placement(request).unwrap();
    assert_eq!(
        placement_of(&w.a, case)[0].status,
        PlacementStatus::Cancelled
    );
    assert_eq!(
        shelter_services(&w.a, case),
        vec![ServiceOutcome::Offered, ServiceOutcome::Declined]
    );
    w.a.ack_shelter_outbox(0).unwrap();
    deliver(&w.a, &[&w.host]);
    assert_eq!(w.host.hosted_shelter().unwrap().unwrap().free_places, 2);
    // Only the requester may cancel; arrival after cancellation is refused.
    assert!(matches!(
        w.host.record_arrival(request),
        Err(Error::NotAllowed(_))
    ));
    assert!(w.a.cancel_placement(request).is_err());
}

#[test]
fn shelters_concurrent_placements_of_one_case_are_a_conflict() {
    let w = world(4);
    let case = w.a.create_case(intake("SYN-C")).unwrap();
    w.b.merge_events(&w.a.events_of(case).unwrap()).unwrap();
    // Both collaborators place the same survivor while offline.
    w.a.request_placement(case, w.shelter.id, valley_needs(1))
        .unwrap();
    w.b.request_placement(case, w.shelter.id, valley_needs(1))
        .unwrap();
    w.a.merge_events(&w.b.events_of(case).unwrap()).unwrap();
    w.b.merge_events(&w.a.events_of(case).unwrap()).unwrap();
    let detail = w.a.case(case).unwrap();
    assert_eq!(detail, w.b.case(case).unwrap(), "same state in any order");
    assert_eq!(detail.placement.len(), 2);
    let conflict = detail
        .conflicts
        .iter()
        .find(|c| c.field == PLACEMENT_REGISTER)
        .expect("a placement conflict");
    assert!(conflict
        .candidates
        .iter()
        .all(|c| matches!(c.value, ConflictValue::Placement(_))));
    // A person resolves it by keeping one.
    let keep = conflict.candidates[0].event;
    w.a.act(
        case,
        CaseAction::ResolveConflict {
            field: PLACEMENT_REGISTER.into(),
            keep,
        },
    )
    .unwrap();
    assert_eq!(w.a.case(case).unwrap().placement.len(), 1);
    assert!(w.a.conflicts(case).unwrap().is_empty());
}

#[test]
fn shelters_placement_steps_follow_the_rules() {
    let w = world(2);
    let case = w.a.create_case(intake("SYN-R")).unwrap();
    let step = |status, reason| Placement {
        request: RequestId::derived("r1"),
        shelter: w.shelter.id,
        shelter_name: w.shelter.name.clone(),
        status,
        people: 1,
        children: 0,
        on: w.a.today(),
        decline_reason: reason,
    };
    let act = |p: Placement| w.a.act(case, CaseAction::RecordPlacement(p));
    assert!(matches!(
        act(step(PlacementStatus::Accepted, None)),
        Err(Error::NotFound(_))
    ));
    act(step(PlacementStatus::Requested, None)).unwrap();
    assert!(act(step(PlacementStatus::Requested, None)).is_err());
    assert!(matches!(
        act(step(PlacementStatus::Departed, None)),
        Err(Error::NotAllowed(_))
    ));
    assert!(matches!(
        act(step(PlacementStatus::Declined, None)),
        Err(Error::Invalid { field, .. }) if field == "placement.decline_reason"
    ));
    act(step(PlacementStatus::Accepted, None)).unwrap();
    let mut other = step(PlacementStatus::Requested, None);
    other.request = RequestId::derived("r2");
    assert!(
        matches!(act(other), Err(Error::NotAllowed(_))),
        "one placement at a time"
    );
    let mut future = step(PlacementStatus::Arrived, None);
    future.on = w.a.today() + Duration::days(1);
    assert!(act(future).is_err());
    // Needs are checked against the group.
    let mut n = valley_needs(2);
    n.validate().unwrap();
    n.children = 1;
    assert!(
        n.validate().is_err(),
        "a child needs the group women_with_children"
    );
    n.group = AcceptedGroup::WomenWithChildren;
    n.validate().unwrap();
    n.children = 2;
    assert!(n.validate().is_err());
    n.group = AcceptedGroup::ChildrenAlone;
    n.validate().unwrap();
    n.people = 0;
    assert!(n.validate().is_err());
}

mod fold {
    //! Property: placements fold to the same state in any arrival order.
    use super::*;
    use binhan_core::events::{CaseState, Change, Event, Hlc, MultiWrite};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn placement(k: u8, status: usize) -> Placement {
        Placement {
            request: RequestId::derived(&format!("r{k}")),
            shelter: ShelterId::derived("s"),
            shelter_name: "Synthetic shelter".into(),
            status: PlacementStatus::ALL[status % PlacementStatus::ALL.len()],
            people: 1,
            children: 0,
            on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            decline_reason: None,
        }
    }

    proptest! {
        #[test]
        fn shelters_placements_fold_the_same_in_any_order(
            writes in proptest::collection::vec((0u8..3, 0usize..7, 0u8..3, any::<u64>()), 1..12),
            seed in any::<u64>(),
        ) {
            let case = CaseId([9; 16]);
            let mut events: Vec<Event> = Vec::new();
            for (i, (request, status, device, pick)) in writes.iter().enumerate() {
                let supersedes = events
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (pick >> (j % 64)) & 1 == 1)
                    .map(|(_, e)| e.id)
                    .collect();
                events.push(Event {
                    id: EventId([i as u8 + 1; 16]),
                    case_id: case,
                    hlc: Hlc(1_000 + (i as u64 % 4)),
                    author: DeviceId([*device; 16]),
                    changes: vec![Change::Placement(MultiWrite {
                        value: placement(*request, *status),
                        supersedes,
                    })],
                });
            }
            let in_order = CaseState::fold(case, &events);
            let mut shuffled = events.clone();
            let mut rng = synthetic::Rng::new(seed);
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let reordered = CaseState::fold(case, &shuffled);
            prop_assert_eq!(in_order.placement_values(), reordered.placement_values());
            prop_assert_eq!(in_order.conflicts(), reordered.conflicts());
        }
    }
}
