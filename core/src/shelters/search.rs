//! "Where is the nearest safe place, and does it have room tonight?" —
//! answered offline: straight-line ranking from a spatial index, and, where
//! a road network is loaded, travel time and road distance from one
//! Dijkstra search over it.

use super::availability::{AvailabilityBook, AvailabilityView, DEFAULT_MAX_AGE_HOURS};
use super::directory::ShelterDirectory;
use super::geo::{validate_in_province, GeoPoint};
use super::model::{AcceptedGroup, Accessibility, Language, Shelter, ShelterKind};
use super::roads::{tenths_of_second, Destination, RoadNetwork, ACCESS_WALK_KMH};
use crate::error::Rule;
use crate::{coded_enum, Error, Result};
use chrono::{DateTime, Duration, Utc};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How far from a road a start or a shelter may be (walked) and still be
/// joined to the network, by default.
pub const DEFAULT_MAX_SNAP_M: u32 = 2_000;

/// Most results one query may ask for.
pub const MAX_LIMIT: u32 = 50;

fn default_limit() -> u32 {
    5
}

fn default_max_age() -> u32 {
    DEFAULT_MAX_AGE_HOURS
}

fn default_max_snap() -> u32 {
    DEFAULT_MAX_SNAP_M
}

/// A search for shelters near a place. Every filter that is set must match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ShelterQuery {
    /// Where the person is.
    pub from: GeoPoint,
    /// Free places needed. A shelter qualifies if its last reported figure
    /// is at least this, or, never having reported one, its capacity is.
    #[serde(default)]
    pub people: Option<u16>,
    /// Takes children (alone or with their mother).
    #[serde(default)]
    pub children: bool,
    /// Takes this group.
    #[serde(default)]
    pub group: Option<AcceptedGroup>,
    /// Step-free access.
    #[serde(default)]
    pub step_free: bool,
    /// Support for a person with a disability.
    #[serde(default)]
    pub disability_support: bool,
    /// This language is spoken.
    #[serde(default)]
    pub language: Option<Language>,
    /// Only these kinds (all kinds if empty).
    #[serde(default)]
    pub kinds: Vec<ShelterKind>,
    /// Only shelters meeting the whole standardisation checklist.
    #[serde(default)]
    pub standardised_only: bool,
    /// How many shelters to rank.
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// Rank by straight line even if a road network is loaded.
    #[serde(default)]
    pub straight_line: bool,
    /// Hours after which a free-places figure is shown as unconfirmed.
    #[serde(default = "default_max_age")]
    pub max_age_hours: u32,
    /// Metres the start may be from the nearest road.
    #[serde(default = "default_max_snap")]
    pub max_snap_m: u32,
}

impl ShelterQuery {
    /// A query from `from` with no filters and the defaults.
    pub fn from(from: GeoPoint) -> Self {
        Self {
            from,
            people: None,
            children: false,
            group: None,
            step_free: false,
            disability_support: false,
            language: None,
            kinds: Vec::new(),
            standardised_only: false,
            limit: default_limit(),
            straight_line: false,
            max_age_hours: default_max_age(),
            max_snap_m: default_max_snap(),
        }
    }

    fn validate(&self) -> Result<()> {
        validate_in_province("start", &self.from)?;
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::invalid(
                "limit",
                Rule::OutOfRange {
                    min: 1,
                    max: MAX_LIMIT.into(),
                },
            ));
        }
        if self.people == Some(0) {
            return Err(Error::invalid("people", Rule::AtLeast { min: 1 }));
        }
        if self.max_snap_m > 20_000 {
            return Err(Error::invalid("max_snap_m", Rule::AtMost { max: 20_000 }));
        }
        Ok(())
    }
}

coded_enum! {
    /// What a result list is ordered by.
    pub enum Ranking: "shelter_ranking" {
        "Travel time by road." RoadTravelTime = ("road_travel_time", "thời gian di chuyển bằng đường bộ", "travel time by road"),
        "Straight-line distance (no road network loaded, or asked for)." StraightLine = ("straight_line", "khoảng cách đường chim bay", "straight-line distance"),
    }
}

coded_enum! {
    /// Why a shelter cannot be reached by road.
    pub enum UnreachableReason: "shelter_unreachable" {
        "No road of the network connects the start to it." NotConnected = ("not_connected", "không có đường nối tới", "no road connects it"),
        "It is too far from any road of the network." NoRoadNearby = ("no_road_nearby", "không có đường gần nơi tạm lánh", "no road nearby"),
    }
}

/// A shelter's reach by road.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RoadReach {
    /// Not searched by road (no network loaded, or straight line asked).
    NotSearched,
    /// Reached by road.
    Reachable {
        /// Travel time in seconds, walking to and from the road included.
        travel_time_s: u32,
        /// Distance travelled in metres.
        distance_m: u32,
    },
    /// Cannot be reached by road; shown so, never ranked by a wrong number.
    Unreachable {
        /// Why.
        reason: UnreachableReason,
    },
}

/// One shelter in a result list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShelterMatch {
    /// The shelter as the directory describes it.
    pub shelter: Shelter,
    /// Straight-line distance from the start, metres.
    pub straight_line_m: u32,
    /// Travel by road.
    pub road: RoadReach,
    /// Free places and how fresh the figure is.
    pub availability: AvailabilityView,
    /// Whether it takes people in at this hour.
    pub open_now: bool,
    /// Whether it meets the whole standardisation checklist.
    pub standardised: bool,
}

/// A ranked result list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NearestShelters {
    /// What the list is ordered by.
    pub ranked_by: Ranking,
    /// Metres from the start to the road it was joined to, when searched by
    /// road.
    pub start_to_road_m: Option<u32>,
    /// The nearest shelters in order; under road ranking, followed by the
    /// shelters among the straight-line nearest that no road reaches.
    pub shelters: Vec<ShelterMatch>,
}

type IndexedShelter = GeomWithData<[f64; 3], u32>;

/// The active shelters of a directory indexed for search, with what is
/// known of their free places and, optionally, the road network. Build it
/// once and keep it while the directory and network do not change.
pub struct ShelterFinder {
    shelters: Vec<Shelter>,
    index: RTree<IndexedShelter>,
    availability: AvailabilityBook,
    roads: Option<Arc<RoadNetwork>>,
    /// For each shelter: its node and distance to it, if a road is near.
    snapped: Vec<Option<(u32, f64)>>,
}

impl std::fmt::Debug for ShelterFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ShelterFinder({} shelters, roads: {})",
            self.shelters.len(),
            self.roads.is_some()
        )
    }
}

fn walk_ds(metres: f64) -> u32 {
    tenths_of_second(metres, ACCESS_WALK_KMH)
}

/// Vietnam's local time of day at `now`.
fn local_time(now: DateTime<Utc>) -> chrono::NaiveTime {
    (now + Duration::hours(7)).time()
}

impl ShelterFinder {
    /// Indexes the active shelters of `directory`; shelters are joined to
    /// the nearest road within [`DEFAULT_MAX_SNAP_M`].
    pub fn new(
        directory: &ShelterDirectory,
        availability: AvailabilityBook,
        roads: Option<Arc<RoadNetwork>>,
    ) -> Self {
        let shelters: Vec<Shelter> = directory
            .shelters
            .iter()
            .filter(|s| s.active)
            .cloned()
            .collect();
        let index = RTree::bulk_load(
            shelters
                .iter()
                .enumerate()
                .map(|(i, s)| GeomWithData::new(s.location.unit_vector(), i as u32))
                .collect(),
        );
        let snapped = match &roads {
            Some(net) => shelters
                .iter()
                .map(|s| net.snap(&s.location, f64::from(DEFAULT_MAX_SNAP_M)))
                .collect(),
            None => vec![None; shelters.len()],
        };
        Self {
            shelters,
            index,
            availability,
            roads,
            snapped,
        }
    }

    /// Number of active shelters indexed.
    pub fn len(&self) -> usize {
        self.shelters.len()
    }

    /// Whether no active shelter is indexed.
    pub fn is_empty(&self) -> bool {
        self.shelters.is_empty()
    }

    /// Whether a road network is loaded.
    pub fn has_roads(&self) -> bool {
        self.roads.is_some()
    }

    fn passes(&self, s: &Shelter, q: &ShelterQuery) -> bool {
        if let Some(needed) = q.people {
            let room = match self.availability.get(&s.id) {
                Some(a) => a.free_places,
                None => s.capacity,
            };
            if room < needed {
                return false;
            }
        }
        (!q.children || s.accepts_children())
            && q.group.is_none_or(|g| s.accepts(g))
            && (!q.step_free || s.offers(Accessibility::StepFree))
            && (!q.disability_support || s.offers(Accessibility::DisabilitySupport))
            && q.language.is_none_or(|l| s.speaks(l))
            && (q.kinds.is_empty() || q.kinds.contains(&s.kind))
            && (!q.standardised_only || s.is_standardised())
    }

    fn matched(
        &self,
        i: usize,
        q: &ShelterQuery,
        now: DateTime<Utc>,
        road: RoadReach,
    ) -> ShelterMatch {
        let s = &self.shelters[i];
        let max_age = Duration::hours(i64::from(q.max_age_hours));
        ShelterMatch {
            straight_line_m: q.from.distance_m(&s.location).round() as u32,
            road,
            availability: self.availability.view(&s.id, now, max_age),
            open_now: s.hours.is_open_at(local_time(now)),
            standardised: s.is_standardised(),
            shelter: s.clone(),
        }
    }

    /// The `limit` nearest shelters passing the filters, by straight line,
    /// from the spatial index (nearest first).
    fn straight_line(&self, q: &ShelterQuery) -> Vec<usize> {
        self.index
            .nearest_neighbor_iter(q.from.unit_vector())
            .map(|item| item.data as usize)
            .filter(|i| self.passes(&self.shelters[*i], q))
            .take(q.limit as usize)
            .collect()
    }

    /// The ranked list for `q` at `now`: by road where a network is loaded
    /// (and the query does not ask for straight line), else by straight
    /// line.
    pub fn nearest(&self, q: &ShelterQuery, now: DateTime<Utc>) -> Result<NearestShelters> {
        q.validate()?;
        match (&self.roads, q.straight_line) {
            (Some(net), false) => self.by_road(net, q, now),
            _ => Ok(NearestShelters {
                ranked_by: Ranking::StraightLine,
                start_to_road_m: None,
                shelters: self
                    .straight_line(q)
                    .into_iter()
                    .map(|i| self.matched(i, q, now, RoadReach::NotSearched))
                    .collect(),
            }),
        }
    }

    fn by_road(
        &self,
        net: &RoadNetwork,
        q: &ShelterQuery,
        now: DateTime<Utc>,
    ) -> Result<NearestShelters> {
        let max_snap = f64::from(q.max_snap_m);
        if !net.bounds().grown_by_m(max_snap).contains(&q.from) {
            return Err(Error::invalid("start", Rule::OutsideRoadNetwork));
        }
        let (start, start_m) = net.snap(&q.from, max_snap).ok_or_else(|| {
            Error::invalid(
                "start",
                Rule::FarFromRoad {
                    max_m: q.max_snap_m,
                },
            )
        })?;
        let start_component = net.component_of(start);

        let candidates: Vec<usize> = (0..self.shelters.len())
            .filter(|i| self.passes(&self.shelters[*i], q))
            .collect();
        let mut destinations = Vec::new();
        let mut routed = Vec::new();
        let mut reach: Vec<RoadReach> = Vec::with_capacity(candidates.len());
        for &i in &candidates {
            reach.push(match self.snapped[i] {
                None => RoadReach::Unreachable {
                    reason: UnreachableReason::NoRoadNearby,
                },
                Some((node, _)) if net.component_of(node) != start_component => {
                    RoadReach::Unreachable {
                        reason: UnreachableReason::NotConnected,
                    }
                }
                Some((node, metres)) => {
                    routed.push(reach.len());
                    destinations.push(Destination {
                        node,
                        extra_ds: walk_ds(metres),
                        extra_m: metres.round() as u32,
                    });
                    RoadReach::NotSearched
                }
            });
        }
        let found = net.travel_times(
            start,
            walk_ds(start_m),
            start_m.round() as u32,
            &destinations,
            q.limit as usize,
        );
        for (slot, result) in routed.iter().zip(&found.reach) {
            reach[*slot] = match result {
                Some(r) => RoadReach::Reachable {
                    travel_time_s: r.time_ds.div_ceil(10),
                    distance_m: r.distance_m,
                },
                // Explored everything reachable and never got there (one-way
                // roads): unreachable. Otherwise it is simply further away.
                None if found.exhausted => RoadReach::Unreachable {
                    reason: UnreachableReason::NotConnected,
                },
                None => RoadReach::NotSearched,
            };
        }

        // (travel time, slot in `candidates`) of every shelter reached.
        let mut reachable: Vec<(u32, usize)> = reach
            .iter()
            .enumerate()
            .filter_map(|(slot, r)| match r {
                RoadReach::Reachable { travel_time_s, .. } => Some((*travel_time_s, slot)),
                _ => None,
            })
            .collect();
        reachable.sort_by_key(|(t, slot)| (*t, self.shelters[candidates[*slot]].id));
        reachable.truncate(q.limit as usize);
        let mut shelters: Vec<ShelterMatch> = reachable
            .iter()
            .map(|(_, slot)| self.matched(candidates[*slot], q, now, reach[*slot]))
            .collect();
        // UnreachableReason shelters a straight-line list would have shown.
        let start_vector = q.from.unit_vector();
        let mut near: Vec<(f64, usize, RoadReach)> = candidates
            .iter()
            .zip(&reach)
            .filter(|(_, r)| matches!(r, RoadReach::Unreachable { .. }))
            .map(|(i, r)| {
                let v = self.shelters[*i].location.unit_vector();
                let d2: f64 = (0..3).map(|k| (v[k] - start_vector[k]).powi(2)).sum();
                (d2, *i, *r)
            })
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let straight_cut = self
            .straight_line(q)
            .last()
            .map(|i| {
                let v = self.shelters[*i].location.unit_vector();
                (0..3)
                    .map(|k| (v[k] - start_vector[k]).powi(2))
                    .sum::<f64>()
            })
            .unwrap_or(0.0);
        shelters.extend(
            near.into_iter()
                .take_while(|(d2, ..)| *d2 <= straight_cut)
                .map(|(_, i, r)| self.matched(i, q, now, r)),
        );
        Ok(NearestShelters {
            ranked_by: Ranking::RoadTravelTime,
            start_to_road_m: Some(start_m.round() as u32),
            shelters,
        })
    }

    /// The straight-line ranking computed by scanning every shelter: the
    /// baseline the spatial index is measured against.
    pub fn nearest_by_scan(&self, q: &ShelterQuery, now: DateTime<Utc>) -> Result<NearestShelters> {
        q.validate()?;
        let mut all: Vec<(f64, usize)> = self
            .shelters
            .iter()
            .enumerate()
            .filter(|(_, s)| self.passes(s, q))
            .map(|(i, s)| (q.from.distance_m(&s.location), i))
            .collect();
        let k = (q.limit as usize).min(all.len());
        if k > 0 && k < all.len() {
            all.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0));
            all.truncate(k);
        }
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(NearestShelters {
            ranked_by: Ranking::StraightLine,
            start_to_road_m: None,
            shelters: all
                .into_iter()
                .map(|(_, i)| self.matched(i, q, now, RoadReach::NotSearched))
                .collect(),
        })
    }
}
