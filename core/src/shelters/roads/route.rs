//! Travel times from one start to many destinations with one Dijkstra
//! search, stopping as soon as the nearest `want` destinations are settled.

use super::network::RoadNetwork;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A destination: a node and the extra time and distance from that node to
/// the place itself (walking from the road).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination {
    /// The node the place is snapped to.
    pub node: u32,
    /// Tenths of a second from the node to the place.
    pub extra_ds: u32,
    /// Metres from the node to the place.
    pub extra_m: u32,
}

/// Time and distance to a destination by road.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Tenths of a second from the start.
    pub time_ds: u32,
    /// Metres travelled (along the fastest route).
    pub distance_m: u32,
}

/// What one search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// For each destination, in the order given: its time and distance if
    /// the search settled it.
    pub reach: Vec<Option<Reach>>,
    /// Whether the search explored everything reachable from the start (then
    /// a destination not reached cannot be reached at all).
    pub exhausted: bool,
}

impl RoadNetwork {
    /// Fastest routes from `start` (reached after `start_ds` tenths of a
    /// second and `start_m` metres) to `destinations`. Stops once `want`
    /// destinations are settled and no other can arrive sooner; destinations
    /// further away are left `None`.
    pub fn travel_times(
        &self,
        start: u32,
        start_ds: u32,
        start_m: u32,
        destinations: &[Destination],
        want: usize,
    ) -> Reached {
        let n = self.node_count();
        let mut reach = vec![None; destinations.len()];
        if start as usize >= n || destinations.is_empty() || want == 0 {
            return Reached {
                reach,
                exhausted: destinations.is_empty(),
            };
        }
        // Destinations at each node, as linked lists: `first[node]`, then
        // `next[destination]` (u32::MAX ends a list).
        let mut first = vec![u32::MAX; n];
        let mut next = vec![u32::MAX; destinations.len()];
        for (i, d) in destinations.iter().enumerate() {
            if let Some(slot) = first.get_mut(d.node as usize) {
                next[i] = *slot;
                *slot = i as u32;
            }
        }
        // Per node: best time so far and the metres of that route.
        let mut best_at = vec![[u32::MAX, 0u32]; n];
        let mut heap = BinaryHeap::new();
        // The `want` best totals so far (a max-heap: its top is the cut-off).
        let mut best: BinaryHeap<u32> = BinaryHeap::new();
        best_at[start as usize] = [start_ds, start_m];
        // Entries pack (time, node) into one u64: cheaper to compare.
        let entry = |t: u32, node: u32| Reverse((u64::from(t) << 32) | u64::from(node));
        heap.push(entry(start_ds, start));
        let mut exhausted = true;
        while let Some(Reverse(packed)) = heap.pop() {
            let (t, u) = ((packed >> 32) as u32, packed as u32);
            let [t_u, m_u] = best_at[u as usize];
            if t > t_u {
                continue;
            }
            if best.len() >= want && best.peek().is_some_and(|cut| t >= *cut) {
                exhausted = false;
                break;
            }
            let mut found = first[u as usize];
            while found != u32::MAX {
                let i = found as usize;
                found = next[i];
                let d = destinations[i];
                let total = t.saturating_add(d.extra_ds);
                reach[i] = Some(Reach {
                    time_ds: total,
                    distance_m: m_u.saturating_add(d.extra_m),
                });
                best.push(total);
                if best.len() > want {
                    best.pop();
                }
            }
            for (v, dt, dm) in self.edges(u) {
                let nt = t.saturating_add(dt);
                let slot = &mut best_at[v as usize];
                if nt < slot[0] {
                    *slot = [nt, m_u.saturating_add(dm)];
                    heap.push(entry(nt, v));
                }
            }
        }
        Reached { reach, exhausted }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Direction, RoadBuilder, RoadClass};
    use super::*;
    use crate::shelters::geo::GeoPoint;

    #[test]
    fn one_search_finds_the_nearest_destinations_by_time() {
        // A fast road east and a slow path north, both 3 km.
        let o = GeoPoint::new(22.30, 103.30);
        let east: Vec<GeoPoint> = (0..=3)
            .map(|k| o.offset_m(1000.0 * k as f64, 0.0))
            .collect();
        let north: Vec<GeoPoint> = (0..=3)
            .map(|k| o.offset_m(0.0, 1000.0 * k as f64))
            .collect();
        let mut b = RoadBuilder::new();
        b.add_way(RoadClass::Secondary, Direction::Both, &east)
            .unwrap();
        b.add_way(RoadClass::Path, Direction::Both, &north).unwrap();
        let net = b.build().unwrap();
        let node = |p: &GeoPoint| net.snap(p, 1.0).unwrap().0;
        let dest = |p: &GeoPoint| Destination {
            node: node(p),
            extra_ds: 0,
            extra_m: 0,
        };
        let ds = [dest(&north[3]), dest(&east[3]), dest(&east[1])];
        let all = net.travel_times(node(&o), 0, 0, &ds, 3);
        let t = |i: usize| all.reach[i].unwrap().time_ds;
        assert!(t(2) < t(1) && t(1) < t(0));
        assert!(all.reach[1].unwrap().distance_m.abs_diff(3000) < 5);
        // 3 km at 35 km/h is about 309 s.
        assert!(t(1).abs_diff(3086) < 20, "{}", t(1));
        // Asked for the nearest only: the far path end is never settled.
        let one = net.travel_times(node(&o), 0, 0, &ds, 1);
        assert!(one.reach[2].is_some() && one.reach[0].is_none() && !one.exhausted);
    }
}
