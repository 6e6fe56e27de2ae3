//! Large synthetic shelters and road networks for benchmarks.

use super::*;

/// `n` random shelters spread over the province (for benchmarks).
pub fn random_shelters(n: usize, seed: u64) -> Vec<Shelter> {
    let mut rng = Rng::new(seed);
    let mut maker = ShelterMaker {
        rng: Rng::new(seed ^ 0xABCD),
        count: 0,
        standardised_health_stations: 0,
    };
    (0..n)
        .map(|k| {
            let p = GeoPoint::new(rng.range(21.75, 22.75), rng.range(102.40, 103.90));
            let commune = COMMUNES[k % COMMUNES.len()].code;
            let kind = ShelterKind::ALL[rng.below(ShelterKind::ALL.len() as u64) as usize];
            let mut s = maker.make(kind, commune, p);
            s.id = ShelterId::derived(&format!("random shelter {seed} {k}"));
            s
        })
        .collect()
}

/// A road network of about `nodes` nodes over the province (for
/// benchmarks): a jittered grid of roads with a fifth of the links missing,
/// trunk roads every 40th line, tertiary every 8th, tracks elsewhere.
pub fn large_network(nodes: usize, seed: u64) -> Result<RoadNetwork> {
    grid_network(nodes, seed, false)
}

/// [`large_network`] a year later: one link of a tertiary road in the
/// middle of the grid became a secondary road, a small change of the map
/// that changes the travel time of that link and nothing else.
pub fn large_network_paved(nodes: usize, seed: u64) -> Result<RoadNetwork> {
    grid_network(nodes, seed, true)
}

fn grid_network(nodes: usize, seed: u64, paved: bool) -> Result<RoadNetwork> {
    let mut rng = Rng::new(seed);
    let side = (nodes as f64).sqrt().ceil() as usize;
    let (lat0, lat1, lon0, lon1) = (21.70, 22.80, 102.30, 103.95);
    let point = |r: usize, c: usize, rng: &mut Rng| {
        let dlat = (lat1 - lat0) / side as f64;
        let dlon = (lon1 - lon0) / side as f64;
        round6(GeoPoint::new(
            lat0 + (r as f64 + rng.range(-0.3, 0.3)) * dlat,
            lon0 + (c as f64 + rng.range(-0.3, 0.3)) * dlon,
        ))
    };
    let grid: Vec<GeoPoint> = (0..side * side)
        .map(|k| point(k / side, k % side, &mut rng))
        .collect();
    let class_of = |line: usize| {
        if line % 40 == 0 {
            RoadClass::Trunk
        } else if line % 8 == 0 {
            RoadClass::Tertiary
        } else {
            RoadClass::Track
        }
    };
    // A tertiary line near the middle (every link of it is there).
    let middle = match side / 2 / 8 * 8 {
        trunk if trunk % 40 == 0 => trunk + 8,
        tertiary => tertiary,
    };
    let mut builder = RoadBuilder::new();
    for r in 0..side {
        for c in 0..side {
            let here = grid[r * side + c];
            if c + 1 < side && (r % 8 == 0 || rng.below(5) != 0) {
                builder.add_way(
                    if paved && r == middle && c == side / 2 {
                        RoadClass::Secondary
                    } else {
                        class_of(r)
                    },
                    Direction::Both,
                    &[here, grid[r * side + c + 1]],
                )?;
            }
            if r + 1 < side && (c % 8 == 0 || rng.below(5) != 0) {
                builder.add_way(
                    class_of(c),
                    Direction::Both,
                    &[here, grid[(r + 1) * side + c]],
                )?;
            }
        }
    }
    builder.build()
}
