//! Road classes and the travel speed assumed on each, for mountain roads.

use crate::coded_enum;
use crate::model::Coded;

coded_enum! {
    /// A class of road or path, from OpenStreetMap's `highway` tag.
    pub enum RoadClass: "road_class" {
        "Motorway." Motorway = ("motorway", "đường cao tốc", "motorway"),
        "Trunk road (national highway)." Trunk = ("trunk", "quốc lộ", "trunk road"),
        "Primary road." Primary = ("primary", "đường chính", "primary road"),
        "Secondary road (provincial road)." Secondary = ("secondary", "đường tỉnh", "secondary road"),
        "Tertiary road (district or commune road)." Tertiary = ("tertiary", "đường huyện, đường xã", "tertiary road"),
        "Minor road." Unclassified = ("unclassified", "đường nhỏ", "minor road"),
        "Village or residential street." Residential = ("residential", "đường thôn, bản", "village street"),
        "Service road or lane." Service = ("service", "đường nội bộ", "service road"),
        "Track (unpaved, often steep)." Track = ("track", "đường đất", "track"),
        "Footpath or mountain path (on foot)." Path = ("path", "đường mòn", "footpath"),
        "Steps (on foot)." Steps = ("steps", "bậc thang", "steps"),
    }
}

impl RoadClass {
    /// The class of an OpenStreetMap `highway` value; `None` for values that
    /// are not travelled (construction, proposed, platforms …).
    pub fn from_osm(highway: &str) -> Option<Self> {
        Some(match highway {
            "motorway" | "motorway_link" => Self::Motorway,
            "trunk" | "trunk_link" => Self::Trunk,
            "primary" | "primary_link" => Self::Primary,
            "secondary" | "secondary_link" => Self::Secondary,
            "tertiary" | "tertiary_link" => Self::Tertiary,
            "unclassified" | "road" => Self::Unclassified,
            "residential" | "living_street" => Self::Residential,
            "service" => Self::Service,
            "track" => Self::Track,
            "path" | "footway" | "bridleway" | "pedestrian" | "cycleway" => Self::Path,
            "steps" => Self::Steps,
            _ => return None,
        })
    }

    /// The OpenStreetMap `highway` value that stands for this class.
    pub fn osm_value(self) -> &'static str {
        self.code()
    }

    /// Average speed assumed in the mountains, km/h (bends, gradients,
    /// surfaces; walking on paths).
    pub fn speed_kmh(self) -> f64 {
        match self {
            Self::Motorway => 70.0,
            Self::Trunk => 45.0,
            Self::Primary => 40.0,
            Self::Secondary => 35.0,
            Self::Tertiary => 28.0,
            Self::Unclassified => 22.0,
            Self::Residential => 18.0,
            Self::Service => 12.0,
            Self::Track => 12.0,
            Self::Path => 3.5,
            Self::Steps => 2.0,
        }
    }

    /// Whether the class is one-way unless tagged otherwise.
    pub fn oneway_by_default(self) -> bool {
        self == Self::Motorway
    }
}

/// Which way a road may be travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Both ways.
    Both,
    /// Only in the order of its points.
    Forward,
    /// Only against the order of its points.
    Backward,
}

impl Direction {
    /// From OpenStreetMap's `oneway` (and `junction`) tags for `class`.
    pub fn from_osm(class: RoadClass, oneway: Option<&str>, junction: Option<&str>) -> Self {
        match oneway {
            Some("yes" | "1" | "true") => Self::Forward,
            Some("-1" | "reverse") => Self::Backward,
            Some("no" | "0" | "false") => Self::Both,
            _ if junction == Some("roundabout") || class.oneway_by_default() => Self::Forward,
            _ => Self::Both,
        }
    }
}

/// Walking speed off the road network (from a start to the nearest road, and
/// from a road to a shelter), km/h.
pub const ACCESS_WALK_KMH: f64 = 4.0;

/// Travel time in tenths of a second over `metres` at `kmh`.
pub fn tenths_of_second(metres: f64, kmh: f64) -> u32 {
    let seconds = metres / (kmh / 3.6);
    (seconds * 10.0).round().clamp(0.0, u32::MAX as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osm_values_map_to_classes_and_speeds() {
        assert_eq!(RoadClass::from_osm("trunk_link"), Some(RoadClass::Trunk));
        assert_eq!(RoadClass::from_osm("construction"), None);
        for class in RoadClass::ALL {
            assert_eq!(RoadClass::from_osm(class.osm_value()), Some(*class));
            assert!(class.speed_kmh() > 0.0);
        }
        assert_eq!(
            Direction::from_osm(RoadClass::Track, Some("-1"), None),
            Direction::Backward
        );
        assert_eq!(
            Direction::from_osm(RoadClass::Track, None, Some("roundabout")),
            Direction::Forward
        );
        assert_eq!(
            Direction::from_osm(RoadClass::Motorway, Some("no"), None),
            Direction::Both
        );
        // 1 km at 36 km/h is 100 s.
        assert_eq!(tenths_of_second(1000.0, 36.0), 1000);
    }
}
