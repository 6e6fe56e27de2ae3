//! Points on the map, straight-line distance, and the province's bounds.
//!
//! A location of a shelter or of a person looking for one is sensitive: it is
//! stored sealed, and no error message or log line ever quotes it.

use crate::error::Rule;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl GeoPoint {
    /// A point from latitude and longitude in degrees.
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// Whether both coordinates are finite and on the globe.
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }

    /// Great-circle distance to `other` in metres (haversine).
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = la2 - la1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }

    /// The point on the unit sphere. Euclidean distance between these
    /// (the chord) orders points exactly as the great-circle distance does,
    /// so a spatial index over them finds true nearest neighbours.
    pub fn unit_vector(&self) -> [f64; 3] {
        let (lat, lon) = (self.lat.to_radians(), self.lon.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    }

    /// The point `east_m` metres east and `north_m` metres north of this one
    /// (a local flat approximation, good to a few metres over tens of km).
    pub fn offset_m(&self, east_m: f64, north_m: f64) -> GeoPoint {
        let dlat = (north_m / EARTH_RADIUS_M).to_degrees();
        let dlon = (east_m / (EARTH_RADIUS_M * self.lat.to_radians().cos())).to_degrees();
        GeoPoint::new(self.lat + dlat, self.lon + dlon)
    }

    /// Latitude and longitude in units of 10⁻⁷ degree, as OpenStreetMap
    /// stores them.
    pub fn to_e7(&self) -> (i32, i32) {
        (
            (self.lat * 1e7)
                .round()
                .clamp(i32::MIN as f64, i32::MAX as f64) as i32,
            (self.lon * 1e7)
                .round()
                .clamp(i32::MIN as f64, i32::MAX as f64) as i32,
        )
    }

    /// From units of 10⁻⁷ degree.
    pub fn from_e7(lat: i32, lon: i32) -> Self {
        Self::new(f64::from(lat) / 1e7, f64::from(lon) / 1e7)
    }
}

/// Chord length on the unit sphere corresponding to `metres` along the
/// surface (to compare with distances between [`GeoPoint::unit_vector`]s).
pub fn chord_for_m(metres: f64) -> f64 {
    2.0 * (metres / (2.0 * EARTH_RADIUS_M))
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}

/// A latitude/longitude rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GeoBounds {
    /// Southern edge.
    pub min_lat: f64,
    /// Northern edge.
    pub max_lat: f64,
    /// Western edge.
    pub min_lon: f64,
    /// Eastern edge.
    pub max_lon: f64,
}

impl GeoBounds {
    /// Whether `p` lies inside (edges included).
    pub fn contains(&self, p: &GeoPoint) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lon..=self.max_lon).contains(&p.lon)
    }

    /// The rectangle grown by `metres` on every side.
    pub fn grown_by_m(&self, metres: f64) -> GeoBounds {
        let dlat = (metres / EARTH_RADIUS_M).to_degrees();
        let widest = self.min_lat.abs().max(self.max_lat.abs()).min(89.0);
        let dlon = (metres / (EARTH_RADIUS_M * widest.to_radians().cos())).to_degrees();
        GeoBounds {
            min_lat: self.min_lat - dlat,
            max_lat: self.max_lat + dlat,
            min_lon: self.min_lon - dlon,
            max_lon: self.max_lon + dlon,
        }
    }
}

/// A rectangle around Lai Châu province (about 21.7–22.8° N, 102.3–103.95° E)
/// with a margin of a few kilometres, so that border villages are inside.
pub const PROVINCE_BOUNDS: GeoBounds = GeoBounds {
    min_lat: 21.55,
    max_lat: 22.90,
    min_lon: 102.15,
    max_lon: 104.10,
};

/// Checks that `point` is a valid location inside the province; the error
/// names `field` and never the coordinates.
pub fn validate_in_province(field: &str, point: &GeoPoint) -> Result<()> {
    if !point.is_valid() {
        return Err(Error::invalid(
            field,
            Rule::BadCoordinates { feature: None },
        ));
    }
    if !PROVINCE_BOUNDS.contains(point) {
        return Err(Error::invalid(field, Rule::OutsideProvince));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_offsets_agree() {
        let a = GeoPoint::new(22.40, 103.45);
        let b = a.offset_m(3000.0, 4000.0);
        let d = a.distance_m(&b);
        assert!((d - 5000.0).abs() < 5.0, "{d}");
        // The chord of the unit vectors matches the surface distance.
        let (u, v) = (a.unit_vector(), b.unit_vector());
        let chord = ((u[0] - v[0]).powi(2) + (u[1] - v[1]).powi(2) + (u[2] - v[2]).powi(2)).sqrt();
        assert!((chord - chord_for_m(d)).abs() < 1e-9);
        let (lat, lon) = a.to_e7();
        assert_eq!(GeoPoint::from_e7(lat, lon), a);
    }

    #[test]
    fn province_bounds_reject_outside_points_without_quoting_them() {
        validate_in_province("start", &GeoPoint::new(22.39, 103.46)).unwrap();
        let err = validate_in_province("start", &GeoPoint::new(21.03, 105.85)).unwrap_err();
        assert!(matches!(
            err,
            Error::Invalid {
                rule: Rule::OutsideProvince,
                ..
            }
        ));
        assert!(!err.to_string().contains("105"));
        assert!(validate_in_province("start", &GeoPoint::new(f64::NAN, 103.0)).is_err());
    }
}
