//! Property: folding a case's events in any order gives the same state.

use super::*;
use crate::cases::CaseDetail;
use crate::model::*;
use proptest::prelude::*;

fn devices() -> [DeviceId; 3] {
    [DeviceId([1; 16]), DeviceId([2; 16]), DeviceId([3; 16])]
}

/// One random change, drawn from every merge rule.
fn change(prior: Vec<EventId>) -> impl Strategy<Value = Change> {
    let supersedes = proptest::sample::subsequence(prior.clone(), 0..=prior.len());
    let risk = (0usize..3, supersedes.clone()).prop_map(|(level, supersedes)| {
        Change::Risk(MultiWrite {
            value: RiskAssessment {
                level: RiskLevel::ALL[level],
                factors: vec![],
                assessed_on: day(2026, 11, 1),
            },
            supersedes,
        })
    });
    let consent = (any::<bool>(), supersedes).prop_map(|(granted, supersedes)| {
        Change::Consent(MultiWrite {
            value: Consent {
                scope: ConsentScope::Statistics,
                granted,
                given_by: ConsentGiver::Survivor,
            },
            supersedes,
        })
    });
    prop_oneof![
        (0usize..3).prop_map(|s| Change::Survivor(SurvivorField::Sex(Sex::ALL[s]))),
        "[a-z]{1,6}".prop_map(|v| Change::Survivor(SurvivorField::Village(Some(v)))),
        (0usize..6)
            .prop_map(|v| Change::Incident(IncidentField::ViolenceType(ViolenceType::ALL[v]))),
        risk,
        consent,
        "[a-z]{1,8}".prop_map(|text| Change::NoteAdded(Note { text })),
        (0usize..8).prop_map(|s| Change::ServiceAdded(ServiceRecord {
            service: ServiceType::ALL[s],
            outcome: ServiceOutcome::Delivered,
            date: day(2026, 11, 2),
            provider: None,
            note: None,
        })),
        any::<bool>().prop_map(|closed| Change::Status(if closed {
            StatusChange::Closed(Closure {
                reason: ClosureReason::NeedsMet,
                checklist: ClosureChecklist::default(),
                note: None,
            })
        } else {
            StatusChange::Reopened { reason: "r".into() }
        })),
    ]
}

/// A case's history: a creating event, then events from three devices with
/// clocks that may collide, each write seeing some earlier ones.
fn history() -> impl Strategy<Value = Vec<Event>> {
    let case_id = CaseId([9; 16]);
    let create = Event {
        id: EventId([0; 16]),
        case_id,
        hlc: Hlc::from_wall_ms(1_000),
        author: devices()[0],
        changes: vec![Change::Created {
            recorded_on: day(2026, 11, 1),
        }],
    };
    (1usize..12).prop_flat_map(move |n| {
        let create = create.clone();
        let ids: Vec<EventId> = (1..=n as u8).map(|i| EventId([i; 16])).collect();
        let steps: Vec<_> = (0..n)
            .map(|i| {
                let prior = ids[..i].to_vec();
                (0usize..3, 1_000u64..1_006, change(prior))
            })
            .collect();
        steps.prop_map(move |steps| {
            let mut events = vec![create.clone()];
            for (i, (device, wall, change)) in steps.into_iter().enumerate() {
                events.push(Event {
                    id: EventId([i as u8 + 1; 16]),
                    case_id,
                    hlc: Hlc::from_wall_ms(wall),
                    author: devices()[device],
                    changes: vec![change],
                });
            }
            events
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_arrival_order_gives_the_same_state(
        (events, shuffled) in history().prop_flat_map(|events| {
            let shuffled = Just(events.clone()).prop_shuffle();
            (Just(events), shuffled)
        })
    ) {
        let case_id = events[0].case_id;
        let in_order = CaseState::fold(case_id, &events);
        let reordered = CaseState::fold(case_id, &shuffled);
        prop_assert_eq!(&in_order, &reordered);
        prop_assert_eq!(in_order.conflicts(), reordered.conflicts());
        prop_assert_eq!(in_order.survivor(), reordered.survivor());
        // Applying every event again changes no register, only the count.
        let mut twice = reordered.clone();
        for e in &events {
            prop_assert!(twice.apply(e));
        }
        prop_assert_eq!(twice.event_count(), 2 * reordered.event_count());
        prop_assert_eq!(CaseDetail::of(&twice).conflicts, CaseDetail::of(&reordered).conflicts);
        prop_assert_eq!(twice.survivor(), reordered.survivor());
        prop_assert_eq!(twice.services(), reordered.services());
        prop_assert_eq!(twice.risk_values(), reordered.risk_values());
        // A snapshot of any prefix merged with the rest gives the same case.
        let split = events.len() / 2;
        let mut from_snapshot = CaseState::fold(case_id, &shuffled[..split]);
        from_snapshot.merge(CaseState::fold(case_id, &shuffled[split..]));
        prop_assert_eq!(CaseDetail::of(&from_snapshot).conflicts, CaseDetail::of(&in_order).conflicts);
        prop_assert_eq!(from_snapshot.survivor(), in_order.survivor());
        prop_assert_eq!(from_snapshot.notes(), in_order.notes());
        prop_assert_eq!(from_snapshot.status(), in_order.status());
    }

    #[test]
    fn the_compact_snapshot_form_keeps_every_register(mut events in history(), derive in any::<u16>()) {
        // Some events carry the id the app derives from author and clock
        // (left out of the snapshot), the others any id (kept in it).
        for (i, event) in events.iter_mut().enumerate() {
            if derive & (1 << (i % 16)) != 0 {
                event.id = Event::id_for(event.author, event.hlc);
            }
        }
        let case_id = events[0].case_id;
        let state = CaseState::fold(case_id, &events);
        let bytes = state.encode_snapshot().unwrap();
        prop_assert_eq!(CaseState::decode_snapshot(case_id, &bytes), Some(state.clone()));
        prop_assert!(bytes.len() <= postcard::to_allocvec(&state).unwrap().len());
        // Damaged bytes never panic; they decode to nothing or to some state.
        let mut damaged = bytes.clone();
        let at = damaged.len() / 2;
        damaged[at] ^= 0x5a;
        let _ = CaseState::decode_snapshot(case_id, &damaged);
        prop_assert_eq!(CaseState::decode_snapshot(case_id, &bytes[..bytes.len() - 1]), None);
    }
}

#[test]
fn all_permutations_of_a_small_history_agree() {
    // Exhaustive over 5 events: 120 orders.
    let case_id = CaseId([7; 16]);
    let ev = |i: u8, wall: u64, device: usize, change: Change| Event {
        id: EventId([i; 16]),
        case_id,
        hlc: Hlc::from_wall_ms(wall),
        author: devices()[device],
        changes: vec![change],
    };
    let risk = |level, supersedes: Vec<u8>| {
        Change::Risk(MultiWrite {
            value: RiskAssessment {
                level,
                factors: vec![],
                assessed_on: day(2026, 11, 1),
            },
            supersedes: supersedes.into_iter().map(|i| EventId([i; 16])).collect(),
        })
    };
    let events = vec![
        ev(
            1,
            10,
            0,
            Change::Created {
                recorded_on: day(2026, 11, 1),
            },
        ),
        ev(2, 11, 1, risk(RiskLevel::Low, vec![])),
        ev(3, 11, 2, risk(RiskLevel::High, vec![])),
        ev(4, 12, 0, Change::Survivor(SurvivorField::Sex(Sex::Male))),
        ev(5, 12, 1, Change::Survivor(SurvivorField::Sex(Sex::Other))),
    ];
    let reference = CaseState::fold(case_id, &events);
    assert_eq!(reference.conflicts().len(), 1);
    assert_eq!(
        reference.survivor().sex,
        Sex::Other,
        "same clock: higher device id wins"
    );
    let mut order: Vec<usize> = (0..events.len()).collect();
    permutations(&mut order, 0, &mut |perm| {
        let state = CaseState::fold(case_id, perm.iter().map(|&i| &events[i]));
        assert_eq!(state, reference, "order {perm:?}");
    });
}

fn permutations(items: &mut Vec<usize>, k: usize, visit: &mut impl FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

#[test]
fn events_round_trip_through_the_binary_encoding() {
    let event = Event {
        id: EventId::random(),
        case_id: CaseId::random(),
        hlc: Hlc::from_wall_ms(1_794_711_600_000),
        author: DeviceId::random(),
        changes: vec![Change::NoteAdded(Note {
            text: "Ghi chú có dấu: ắ ộ ữ".into(),
        })],
    };
    let bytes = event.encode();
    assert_eq!(bytes[0], EVENT_FORMAT_VERSION);
    assert_eq!(Event::decode(&bytes).unwrap(), event);
    assert!(Event::decode(&bytes[..bytes.len() - 3]).is_err());
    assert!(Event::decode(&[9, 1, 2]).is_err());
    assert!(Event::decode(&[]).is_err());
}
