//! Named settlements kept with the road network (OpenStreetMap `place`
//! nodes with a `name`), so that a person without a location fix, or
//! searching for someone elsewhere, can start the search from a village or
//! commune chosen by name. A place is its name, kind, coordinates in
//! millionths of a degree and, when the data says so, its commune.
//!
//! Names are matched accent-insensitively, as people type Vietnamese on a
//! phone without its marks: "ban na" finds "Bản Nà Hừ".

use crate::coded_enum;
use crate::error::Rule;
use crate::model::{Commune, COMMUNES};
use crate::shelters::geo::GeoPoint;
use crate::{Error, Result};
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Most places a road network may hold.
pub const MAX_PLACES: usize = 20_000;

/// Longest place name kept, in characters (longer ones are cut).
pub const MAX_PLACE_NAME_CHARS: usize = 100;

coded_enum! {
    /// A kind of named settlement, from OpenStreetMap's `place` tag.
    pub enum SettlementKind: "settlement_kind" {
        "Village." Village = ("village", "thôn, bản", "village"),
        "Hamlet (a small village)." Hamlet = ("hamlet", "xóm, bản nhỏ", "hamlet"),
        "A few isolated houses." IsolatedDwelling = ("isolated_dwelling", "nhà lẻ", "isolated houses"),
        "Town." Town = ("town", "thị trấn, thị xã", "town"),
        "Part of a town." Suburb = ("suburb", "khu phố", "part of a town"),
        "Neighbourhood of a town." Neighbourhood = ("neighbourhood", "tổ dân phố", "neighbourhood"),
        "A named place where nobody may live." Locality = ("locality", "địa danh", "named place"),
    }
}

impl SettlementKind {
    /// The kind of an OpenStreetMap `place` value; `None` for the values
    /// not kept (city, region, island …).
    pub fn from_osm(place: &str) -> Option<Self> {
        use crate::model::Coded;
        Self::from_code(place)
    }
}

/// A named settlement of the road network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Place {
    /// Its name, as the map gives it (NFC).
    pub name: String,
    /// What kind of settlement it is.
    pub kind: SettlementKind,
    /// The code of the commune it lies in, when the map says so.
    pub commune: Option<String>,
    /// Latitude × 1,000,000.
    pub lat_e6: i32,
    /// Longitude × 1,000,000.
    pub lon_e6: i32,
}

impl Place {
    /// Where it is.
    pub fn point(&self) -> GeoPoint {
        GeoPoint::new(f64::from(self.lat_e6) / 1e6, f64::from(self.lon_e6) / 1e6)
    }
}

/// `text` as compared when searching: without accents or tone marks,
/// lower case, đ as d, one space between words.
pub fn search_key(text: &str) -> String {
    let bare: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The commune a `place` node's `is_in:commune`, `addr:commune` or
/// `addr:subdistrict` value names ("Mù Cả", "Xã Mù Cả", "xa mu ca").
pub(crate) fn commune_named(value: &str) -> Option<&'static Commune> {
    let bare = |name: &str| {
        let key = search_key(name);
        ["xa ", "phuong "]
            .iter()
            .find_map(|prefix| key.strip_prefix(prefix).map(str::to_string))
            .unwrap_or(key)
    };
    let wanted = bare(value);
    COMMUNES.iter().find(|c| bare(c.name) == wanted)
}

/// The places of a road network, in alphabetical order of their search
/// key, with those keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    list: Vec<Place>,
    keys: Vec<String>,
}

impl Places {
    /// Sorts `list` and derives the search keys.
    pub(super) fn new(list: Vec<Place>) -> Self {
        let mut keyed: Vec<(String, Place)> =
            list.into_iter().map(|p| (search_key(&p.name), p)).collect();
        keyed.sort_by(|(ka, a), (kb, b)| {
            (ka, &a.name, a.kind, a.lat_e6, a.lon_e6)
                .cmp(&(kb, &b.name, b.kind, b.lat_e6, b.lon_e6))
        });
        keyed.dedup();
        let (keys, list) = keyed.into_iter().unzip();
        Self { list, keys }
    }

    /// Every place, in alphabetical order.
    pub fn all(&self) -> &[Place] {
        &self.list
    }

    /// How many places there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// At most `limit` places whose name starts with `query`, or has a word
    /// starting with it, compared without accents or case: those whose
    /// whole name starts with it first, each group alphabetical. Nothing
    /// for a blank query.
    pub fn find(&self, query: &str, limit: usize) -> Vec<&Place> {
        let query = search_key(query);
        if query.is_empty() {
            return Vec::new();
        }
        let word_starts = |key: &str| {
            key.match_indices(' ')
                .any(|(at, _)| key[at + 1..].starts_with(&query))
        };
        let mut whole: Vec<&Place> = Vec::new();
        let mut word: Vec<&Place> = Vec::new();
        for (key, place) in self.keys.iter().zip(&self.list) {
            if key.starts_with(&query) {
                whole.push(place);
            } else if word_starts(key) {
                word.push(place);
            }
            if whole.len() >= limit {
                break;
            }
        }
        whole.extend(word);
        whole.truncate(limit);
        whole
    }
}

/// Places as the importer gathers them.
#[derive(Debug, Default)]
pub(super) struct PlaceList(pub(super) Vec<Place>);

impl PlaceList {
    /// Keeps a place if it has a name and a kind kept; an error beyond
    /// [`MAX_PLACES`] or for a position that is not a coordinate.
    pub(super) fn add(
        &mut self,
        name: &str,
        kind: SettlementKind,
        point: GeoPoint,
        commune: Option<&str>,
    ) -> Result<()> {
        let name: String = name
            .nfc()
            .filter(|c| !c.is_control())
            .take(MAX_PLACE_NAME_CHARS)
            .collect();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Ok(());
        }
        if !point.is_valid() {
            return Err(Error::invalid(
                "road_file",
                Rule::BadCoordinates { feature: None },
            ));
        }
        if self.0.len() >= MAX_PLACES {
            return Err(Error::invalid(
                "road_file.places",
                Rule::TooMany {
                    max: MAX_PLACES as u64,
                },
            ));
        }
        self.0.push(Place {
            name,
            kind,
            commune: commune.and_then(commune_named).map(|c| c.code.to_string()),
            lat_e6: (point.lat * 1e6).round() as i32,
            lon_e6: (point.lon * 1e6).round() as i32,
        });
        Ok(())
    }
}

/// The commune a place's tags name, if any (`is_in:commune`,
/// `addr:commune`, then `addr:subdistrict`).
pub(super) fn commune_tag<'a>(tag: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    ["is_in:commune", "addr:commune", "addr:subdistrict"]
        .into_iter()
        .find_map(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str) -> Place {
        Place {
            name: name.into(),
            kind: SettlementKind::Village,
            commune: None,
            lat_e6: 22_000_000,
            lon_e6: 103_000_000,
        }
    }

    #[test]
    fn names_are_found_without_accents_by_their_start_or_a_word() {
        assert_eq!(search_key("  Bản  Nà Hừ "), "ban na hu");
        assert_eq!(search_key("Đán Đăng"), "dan dang");
        // Decomposed input (some keyboards) folds alike.
        assert_eq!(search_key("Ba\u{0309}n"), "ban");
        let places = Places::new(
            [
                "Bản Nà Hừ",
                "Nà Phát",
                "Bản Nậm Đích",
                "Bản Huổi Luông",
                "Bản Nà Hừ",
            ]
            .map(place)
            .to_vec(),
        );
        assert_eq!(places.len(), 4, "exact duplicates are dropped");
        let names = |q: &str, limit| -> Vec<&str> {
            places
                .find(q, limit)
                .iter()
                .map(|p| p.name.as_str())
                .collect()
        };
        assert_eq!(names("ban na", 10), ["Bản Nà Hừ", "Bản Nậm Đích"]);
        assert_eq!(names("BẢN NÀ H", 10), ["Bản Nà Hừ"]);
        assert_eq!(names("na", 10), ["Nà Phát", "Bản Nà Hừ", "Bản Nậm Đích"]);
        assert_eq!(names("na", 2), ["Nà Phát", "Bản Nà Hừ"]);
        assert_eq!(names("dich", 10), ["Bản Nậm Đích"]);
        assert!(names("  ", 10).is_empty());
        assert!(names("xyz", 10).is_empty());
    }

    #[test]
    fn communes_are_matched_by_name_with_or_without_their_kind() {
        for value in ["Mù Cả", "Xã Mù Cả", "xa mu ca"] {
            assert_eq!(commune_named(value).map(|c| c.code), Some("mu_ca"));
        }
        assert_eq!(
            commune_named("Phường Tân Phong").map(|c| c.code),
            Some("tan_phong")
        );
        assert!(commune_named("Hà Nội").is_none());
    }

    #[test]
    fn unnamed_places_are_dropped_and_the_count_is_capped() {
        let p = GeoPoint::new(22.0, 103.0);
        let mut list = PlaceList::default();
        list.add(" \t", SettlementKind::Hamlet, p, None).unwrap();
        assert!(list.0.is_empty());
        list.add(
            "Ba\u{0309}n  X",
            SettlementKind::Hamlet,
            p,
            Some("Xã Mù Cả"),
        )
        .unwrap();
        assert_eq!(list.0[0].name, "Bản X", "NFC, one space");
        assert_eq!(list.0[0].commune.as_deref(), Some("mu_ca"));
        let err = list
            .add("Y", SettlementKind::Village, GeoPoint::new(95.0, 0.0), None)
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Invalid {
                rule: Rule::BadCoordinates { .. },
                ..
            }
        ));
        while list.0.len() < MAX_PLACES {
            list.0.push(list.0[0].clone());
        }
        match list.add("Z", SettlementKind::Village, p, None) {
            Err(Error::Invalid { field, rule }) => {
                assert_eq!(field, "road_file.places");
                assert_eq!(rule, Rule::TooMany { max: 20_000 });
            }
            other => panic!("{other:?}"),
        }
    }
}
