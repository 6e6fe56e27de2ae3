//! The road graph in compressed sparse row form: for node `n`, its outgoing
//! edges are `offsets[n]..offsets[n + 1]` of `targets`, `time_ds` and
//! `length_m`. Compact enough for a phone: about 25 bytes per node and edge
//! pair, plus a spatial index built when it loads.

use super::class::{tenths_of_second, Direction, RoadClass};
use super::places::{PlaceList, Places, SettlementKind};
use crate::error::Rule;
use crate::shelters::geo::{chord_for_m, GeoBounds, GeoPoint};
use crate::{Error, Result};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::Serialize;
use std::collections::HashMap;

/// Most nodes a road network may have.
pub const MAX_NODES: usize = 50_000_000;

type IndexedNode = GeomWithData<[f64; 3], u32>;

/// A road network ready for searching.
pub struct RoadNetwork {
    pub(super) lat: Vec<i32>,
    pub(super) lon: Vec<i32>,
    pub(super) offsets: Vec<u32>,
    /// Each edge as (target node, tenths of a second, metres), side by side
    /// so a search touches one cache line per edge.
    pub(super) edge_list: Vec<[u32; 3]>,
    component: Vec<u32>,
    index: RTree<IndexedNode>,
    bounds: GeoBounds,
    pub(super) places: Places,
}

impl std::fmt::Debug for RoadNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RoadNetwork({} nodes, {} edges)",
            self.node_count(),
            self.edge_count()
        )
    }
}

/// Figures about a road network, safe to show and log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoadSummary {
    /// Junctions and shape points.
    pub nodes: u64,
    /// Directed edges.
    pub edges: u64,
    /// Groups of nodes connected to each other by road.
    pub components: u64,
    /// The rectangle the network covers.
    pub bounds: GeoBounds,
    /// Named villages and other settlements it holds.
    pub places: u64,
}

impl RoadNetwork {
    /// Builds the derived parts (spatial index, connected components) of a
    /// graph whose arrays have been checked.
    pub(super) fn from_parts(
        lat: Vec<i32>,
        lon: Vec<i32>,
        offsets: Vec<u32>,
        targets: Vec<u32>,
        time_ds: Vec<u32>,
        length_m: Vec<u32>,
        places: Places,
    ) -> Self {
        let points: Vec<IndexedNode> = (0..lat.len())
            .map(|i| GeomWithData::new(GeoPoint::from_e7(lat[i], lon[i]).unit_vector(), i as u32))
            .collect();
        let bounds = bounds_of(&lat, &lon);
        let edge_list: Vec<[u32; 3]> = targets
            .iter()
            .zip(&time_ds)
            .zip(&length_m)
            .map(|((t, s), m)| [*t, *s, *m])
            .collect();
        let component = components(lat.len(), &offsets, &edge_list);
        Self {
            lat,
            lon,
            offsets,
            edge_list,
            component,
            index: RTree::bulk_load(points),
            bounds,
            places,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.lat.len()
    }

    /// Number of directed edges.
    pub fn edge_count(&self) -> usize {
        self.edge_list.len()
    }

    /// The rectangle the network covers.
    pub fn bounds(&self) -> GeoBounds {
        self.bounds
    }

    /// Its named villages and other settlements.
    pub fn places(&self) -> &Places {
        &self.places
    }

    /// Where node `n` is.
    pub fn point(&self, n: u32) -> GeoPoint {
        GeoPoint::from_e7(self.lat[n as usize], self.lon[n as usize])
    }

    /// The connected part of the network node `n` belongs to (ignoring one-way
    /// restrictions).
    pub fn component_of(&self, n: u32) -> u32 {
        self.component[n as usize]
    }

    /// Figures about the network.
    pub fn summary(&self) -> RoadSummary {
        let mut roots: Vec<u32> = self.component.clone();
        roots.sort_unstable();
        roots.dedup();
        RoadSummary {
            nodes: self.node_count() as u64,
            edges: self.edge_count() as u64,
            components: roots.len() as u64,
            bounds: self.bounds,
            places: self.places.len() as u64,
        }
    }

    /// The node nearest to `p` if one lies within `max_m` metres, with its
    /// distance in metres.
    pub fn snap(&self, p: &GeoPoint, max_m: f64) -> Option<(u32, f64)> {
        let query = p.unit_vector();
        let max_chord = chord_for_m(max_m);
        let nearest = self.index.nearest_neighbor_with_distance_2(query)?;
        if nearest.1 > max_chord * max_chord {
            return None;
        }
        let node = nearest.0.data;
        Some((node, p.distance_m(&self.point(node))))
    }

    /// Outgoing edges of `n` as (target, tenths of a second, metres).
    pub fn edges(&self, n: u32) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let (a, b) = (
            self.offsets[n as usize] as usize,
            self.offsets[n as usize + 1] as usize,
        );
        self.edge_list[a..b].iter().map(|e| (e[0], e[1], e[2]))
    }
}

fn bounds_of(lat: &[i32], lon: &[i32]) -> GeoBounds {
    let min = |v: &[i32]| v.iter().copied().min().unwrap_or(0);
    let max = |v: &[i32]| v.iter().copied().max().unwrap_or(0);
    GeoBounds {
        min_lat: f64::from(min(lat)) / 1e7,
        max_lat: f64::from(max(lat)) / 1e7,
        min_lon: f64::from(min(lon)) / 1e7,
        max_lon: f64::from(max(lon)) / 1e7,
    }
}

/// Component id of every node (union-find over the edges, ignoring
/// direction); each id is the smallest node of its component.
fn components(n: usize, offsets: &[u32], edges: &[[u32; 3]]) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let grand = parent[parent[x as usize] as usize];
            parent[x as usize] = grand;
            x = grand;
        }
        x
    }
    for u in 0..n {
        for &[target, ..] in &edges[offsets[u] as usize..offsets[u + 1] as usize] {
            let (a, b) = (find(&mut parent, u as u32), find(&mut parent, target));
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
    }
    (0..n as u32).map(|x| find(&mut parent, x)).collect()
}

/// Assembles a road network from ways, joining ways where they share a point
/// (to 10⁻⁷ degree).
#[derive(Debug, Default)]
pub struct RoadBuilder {
    ids: HashMap<(i32, i32), u32>,
    lat: Vec<i32>,
    lon: Vec<i32>,
    edges: Vec<(u32, u32, u32, u32)>,
    ways: HashMap<RoadClass, usize>,
    places: PlaceList,
}

impl RoadBuilder {
    /// An empty network.
    pub fn new() -> Self {
        Self::default()
    }

    fn node(&mut self, p: &GeoPoint) -> Result<u32> {
        let key = p.to_e7();
        if let Some(id) = self.ids.get(&key) {
            return Ok(*id);
        }
        if self.lat.len() >= MAX_NODES {
            return Err(Error::invalid(
                "road_file",
                Rule::TooMany {
                    max: MAX_NODES as u64,
                },
            ));
        }
        let id = self.lat.len() as u32;
        self.ids.insert(key, id);
        self.lat.push(key.0);
        self.lon.push(key.1);
        Ok(id)
    }

    /// Adds a way through `points` (each checked to be a valid coordinate).
    pub fn add_way(
        &mut self,
        class: RoadClass,
        direction: Direction,
        points: &[GeoPoint],
    ) -> Result<()> {
        if points.iter().any(|p| !p.is_valid()) {
            return Err(Error::invalid(
                "road_file",
                Rule::BadCoordinates { feature: None },
            ));
        }
        if points.len() < 2 {
            return Ok(());
        }
        *self.ways.entry(class).or_default() += 1;
        let mut previous = self.node(&points[0])?;
        for pair in points.windows(2) {
            let next = self.node(&pair[1])?;
            if next == previous {
                continue;
            }
            let metres = pair[0].distance_m(&pair[1]);
            let time = tenths_of_second(metres, class.speed_kmh());
            let length = metres.round().clamp(0.0, u32::MAX as f64) as u32;
            if direction != Direction::Backward {
                self.edges.push((previous, next, time, length));
            }
            if direction != Direction::Forward {
                self.edges.push((next, previous, time, length));
            }
            previous = next;
        }
        Ok(())
    }

    /// Adds a named settlement at `point`, in the commune `commune` names
    /// if it names one (see [`super::Place`]); one without a name is left
    /// out. An error beyond [`super::MAX_PLACES`].
    pub fn add_place(
        &mut self,
        name: &str,
        kind: SettlementKind,
        point: GeoPoint,
        commune: Option<&str>,
    ) -> Result<()> {
        self.places.add(name, kind, point, commune)
    }

    /// Ways added, per class.
    pub fn ways_by_class(&self) -> Vec<(RoadClass, usize)> {
        let mut out: Vec<_> = self.ways.iter().map(|(c, n)| (*c, *n)).collect();
        out.sort();
        out
    }

    /// The finished network; an error if no road was added.
    pub fn build(mut self) -> Result<RoadNetwork> {
        if self.edges.is_empty() {
            return Err(Error::invalid("road_file", Rule::NoRoads));
        }
        let n = self.lat.len();
        // Parallel edges between the same nodes: keep the fastest.
        self.edges.sort_unstable();
        self.edges
            .dedup_by(|later, earlier| later.0 == earlier.0 && later.1 == earlier.1);
        let mut offsets = vec![0u32; n + 1];
        for (from, ..) in &self.edges {
            offsets[*from as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let targets = self.edges.iter().map(|e| e.1).collect();
        let time_ds = self.edges.iter().map(|e| e.2).collect();
        let length_m = self.edges.iter().map(|e| e.3).collect();
        Ok(RoadNetwork::from_parts(
            self.lat,
            self.lon,
            offsets,
            targets,
            time_ds,
            length_m,
            Places::new(self.places.0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_join_at_shared_points_and_components_split() {
        let a = GeoPoint::new(22.40, 103.40);
        let b = a.offset_m(1000.0, 0.0);
        let c = a.offset_m(1000.0, 1000.0);
        let far = a.offset_m(10_000.0, 0.0);
        let far2 = far.offset_m(500.0, 0.0);
        let mut builder = RoadBuilder::new();
        builder
            .add_way(RoadClass::Tertiary, Direction::Both, &[a, b])
            .unwrap();
        builder
            .add_way(RoadClass::Track, Direction::Forward, &[b, c])
            .unwrap();
        builder
            .add_way(RoadClass::Path, Direction::Both, &[far, far2])
            .unwrap();
        let net = builder.build().unwrap();
        assert_eq!(net.node_count(), 5);
        assert_eq!(net.edge_count(), 2 + 1 + 2);
        assert_eq!(net.summary().components, 2);
        let (na, _) = net.snap(&a.offset_m(30.0, 0.0), 100.0).unwrap();
        let (nc, _) = net.snap(&c, 100.0).unwrap();
        let (nf, d) = net.snap(&far.offset_m(0.0, 40.0), 100.0).unwrap();
        assert!((d - 40.0).abs() < 1.0);
        assert_eq!(net.component_of(na), net.component_of(nc));
        assert_ne!(net.component_of(na), net.component_of(nf));
        assert!(net.snap(&a.offset_m(0.0, 5000.0), 2000.0).is_none());
        // The track from b to c is one-way.
        let (nb, _) = net.snap(&b, 1.0).unwrap();
        assert_eq!(net.edges(nc).count(), 0);
        assert_eq!(net.edges(nb).count(), 2);
    }

    #[test]
    fn an_empty_or_invalid_way_list_is_refused() {
        assert!(RoadBuilder::new().build().is_err());
        let mut b = RoadBuilder::new();
        let err = b
            .add_way(
                RoadClass::Track,
                Direction::Both,
                &[GeoPoint::new(95.0, 0.0), GeoPoint::new(1.0, 1.0)],
            )
            .unwrap_err();
        assert!(err.to_string().contains("road_file"));
    }
}
