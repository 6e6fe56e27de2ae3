//! Nearest-shelter search by straight line and by road.

use super::*;

#[test]
fn shelters_road_ranking_differs_from_straight_line_in_the_valley() {
    let p = province();
    let finder = ShelterFinder::new(&p.directory(1), AvailabilityBook::default(), Some(roads()));
    let mut query = ShelterQuery::from(p.valley.start);
    query.straight_line = true;
    let straight = finder.nearest(&query, now()).unwrap();
    query.straight_line = false;
    let by_road = finder.nearest(&query, now()).unwrap();
    assert_eq!(straight.ranked_by, Ranking::StraightLine);
    assert_eq!(by_road.ranked_by, Ranking::RoadTravelTime);

    // In a straight line the host across the valley is nearest …
    assert_eq!(straight.shelters[0].shelter.id, p.valley.across);
    assert!(straight.shelters[0].straight_line_m < 4_000);
    // … by road the commune office on the same side is.
    assert_eq!(by_road.shelters[0].shelter.id, p.valley.same_side);
    assert_ne!(ids(&straight), ids(&by_road));
    let reachable: Vec<&ShelterMatch> = by_road
        .shelters
        .iter()
        .filter(|m| matches!(m.road, RoadReach::Reachable { .. }))
        .collect();
    assert_eq!(reachable.len(), 5);
    let times: Vec<u32> = reachable
        .iter()
        .map(|m| match m.road {
            RoadReach::Reachable { travel_time_s, .. } => travel_time_s,
            _ => unreachable!(),
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(times[0] < 30 * 60, "{times:?}");

    // The cut-off shelter is shown as unreachable, not dropped, not ranked.
    let cut = by_road
        .shelters
        .iter()
        .find(|m| m.shelter.id == p.valley.cut_off)
        .expect("the cut-off shelter is listed");
    assert_eq!(
        cut.road,
        RoadReach::Unreachable {
            reason: UnreachableReason::NotConnected
        }
    );
    assert!(
        by_road
            .shelters
            .iter()
            .position(|m| m.shelter.id == p.valley.cut_off)
            .unwrap()
            >= 5
    );

    // Asked for more, the host across the valley comes with its true time.
    query.limit = MAX_LIMIT;
    let all = finder.nearest(&query, now()).unwrap();
    let across = all
        .shelters
        .iter()
        .find(|m| m.shelter.id == p.valley.across)
        .expect("reachable by road, far");
    match across.road {
        RoadReach::Reachable {
            travel_time_s,
            distance_m,
        } => {
            assert!(travel_time_s > 2 * 3600, "{travel_time_s}");
            assert!(distance_m > 25_000, "{distance_m}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn shelters_start_outside_the_province_or_the_network_is_refused() {
    let p = province();
    let finder = ShelterFinder::new(&p.directory(1), AvailabilityBook::default(), Some(roads()));
    let invalid_start = |q: &ShelterQuery| match finder.nearest(q, now()) {
        Err(Error::Invalid { field, rule }) => {
            assert_eq!(field, "start");
            rule
        }
        other => panic!("{other:?}"),
    };
    // Hà Nội is not in Lai Châu.
    let rule = invalid_start(&ShelterQuery::from(GeoPoint::new(21.0285, 105.8542)));
    assert_eq!(rule, Rule::OutsideProvince);
    // Inside the province, far from any road of the network.
    let remote = (0..400)
        .map(|k| GeoPoint::new(21.6 + 0.0032 * k as f64, 102.2 + 0.0045 * k as f64))
        .find(|g| roads().snap(g, 2_500.0).is_none() && PROVINCE_BOUNDS.contains(g))
        .expect("a roadless spot");
    let rule = invalid_start(&ShelterQuery::from(remote));
    assert!(
        matches!(rule, Rule::FarFromRoad { .. } | Rule::OutsideRoadNetwork),
        "{rule}"
    );
    // … which still works by straight line.
    let mut q = ShelterQuery::from(remote);
    q.straight_line = true;
    assert_eq!(finder.nearest(&q, now()).unwrap().shelters.len(), 5);
    // A network that covers only part of the province.
    let mut b = roads::RoadBuilder::new();
    let w: Vec<GeoPoint> = (0..5)
        .map(|k| p.valley.start.offset_m(0.0, 300.0 * k as f64))
        .collect();
    b.add_way(roads::RoadClass::Track, roads::Direction::Both, &w)
        .unwrap();
    let small = ShelterFinder::new(
        &p.directory(1),
        AvailabilityBook::default(),
        Some(Arc::new(b.build().unwrap())),
    );
    let rule = match small.nearest(&ShelterQuery::from(GeoPoint::new(22.0, 103.5)), now()) {
        Err(Error::Invalid { rule, .. }) => rule,
        other => panic!("{other:?}"),
    };
    assert_eq!(rule, Rule::OutsideRoadNetwork);
    // Bad limits and people are named.
    let mut q = ShelterQuery::from(p.valley.start);
    q.limit = 0;
    assert!(
        matches!(finder.nearest(&q, now()), Err(Error::Invalid { field, .. }) if field == "limit")
    );
}

#[test]
fn shelters_straight_line_index_agrees_with_a_scan() {
    let shelters = synthetic::random_shelters(2_000, 7);
    let directory = ShelterDirectory::new(1, now(), shelters.clone());
    let updates = synthetic::availability(&shelters, now());
    let mut book = AvailabilityBook::default();
    for u in updates {
        book.merge(u);
    }
    let finder = ShelterFinder::new(&directory, book, None);
    let mut rng = synthetic::Rng::new(99);
    for k in 0..60 {
        let mut q = ShelterQuery::from(GeoPoint::new(
            rng.range(21.8, 22.7),
            rng.range(102.5, 103.8),
        ));
        q.limit = 1 + (k % 9);
        if k % 3 == 0 {
            q.people = Some(2);
        }
        if k % 4 == 0 {
            q.children = true;
        }
        if k % 5 == 0 {
            q.language = Some(Language::Mong);
        }
        if k % 7 == 0 {
            q.step_free = true;
        }
        let indexed = finder.nearest(&q, now()).unwrap();
        let scanned = finder.nearest_by_scan(&q, now()).unwrap();
        assert_eq!(ids(&indexed), ids(&scanned), "query {k}");
        let d: Vec<u32> = indexed.shelters.iter().map(|m| m.straight_line_m).collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
    }
}

#[test]
fn shelters_filters_and_unconfirmed_availability() {
    let p = province();
    let directory = p.directory(1);
    let start = p.centres[10];
    let mut book = AvailabilityBook::default();
    // Every shelter: 3 free, confirmed an hour ago; the nearest: full.
    for s in &directory.shelters {
        book.merge(AvailabilityUpdate {
            shelter: s.id,
            free_places: 3.min(s.capacity),
            confirmed_at: now() - Duration::hours(1),
        });
    }
    let finder0 = ShelterFinder::new(&directory, book.clone(), None);
    let nearest = finder0
        .nearest(&ShelterQuery::from(start), now())
        .unwrap()
        .shelters[0]
        .shelter
        .id;
    book.merge(AvailabilityUpdate {
        shelter: nearest,
        free_places: 0,
        confirmed_at: now(),
    });
    let finder = ShelterFinder::new(&directory, book, None);

    let mut q = ShelterQuery::from(start);
    q.people = Some(1);
    let with_room = finder.nearest(&q, now()).unwrap();
    assert!(
        !ids(&with_room).contains(&nearest),
        "a full shelter is not offered"
    );
    assert!(with_room
        .shelters
        .iter()
        .all(|m| m.availability.free_places >= Some(1)));
    // Without the filter the full shelter is listed, with 0 free.
    let all = finder.nearest(&ShelterQuery::from(start), now()).unwrap();
    assert_eq!(all.shelters[0].availability.free_places, Some(0));

    // Freshness follows the configured age: an hour later, with a one-hour
    // limit, only the figure confirmed "now" is still confirmed.
    let later = now() + Duration::hours(1);
    let mut q = ShelterQuery::from(start);
    q.max_age_hours = 1;
    let r = finder.nearest(&q, later).unwrap();
    assert!(r
        .shelters
        .iter()
        .any(|m| m.availability.freshness == Freshness::Unconfirmed));
    assert!(r
        .shelters
        .iter()
        .any(|m| m.availability.freshness == Freshness::Confirmed));
    let r = ShelterFinder::new(&directory, AvailabilityBook::default(), None)
        .nearest(&ShelterQuery::from(start), now())
        .unwrap();
    assert!(r
        .shelters
        .iter()
        .all(|m| m.availability.freshness == Freshness::Unknown));

    // Children, step-free, language, kind, standardised.
    let mut q = ShelterQuery::from(start);
    q.children = true;
    q.step_free = true;
    q.language = Some(Language::Vietnamese);
    q.limit = 10;
    let r = finder.nearest(&q, now()).unwrap();
    assert!(!r.shelters.is_empty());
    assert!(r
        .shelters
        .iter()
        .all(|m| m.shelter.accepts_children() && m.shelter.offers(Accessibility::StepFree)));
    let mut q = ShelterQuery::from(start);
    q.kinds = vec![ShelterKind::Hospital];
    q.standardised_only = true;
    let r = finder.nearest(&q, now()).unwrap();
    assert!(r
        .shelters
        .iter()
        .all(|m| m.shelter.kind == ShelterKind::Hospital && m.standardised));
    // Inactive shelters are never offered.
    let inactive: Vec<ShelterId> = directory
        .shelters
        .iter()
        .filter(|s| !s.active)
        .map(|s| s.id)
        .collect();
    assert_eq!(inactive.len(), 2);
    let mut q = ShelterQuery::from(start);
    q.limit = MAX_LIMIT;
    assert!(ids(&finder.nearest(&q, now()).unwrap())
        .iter()
        .all(|id| !inactive.contains(id)));
}
