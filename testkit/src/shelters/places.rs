//! Synthetic named settlements of the synthetic Lai Châu: OpenStreetMap
//! `place` nodes, written into the GeoJSON and PBF road files. Names are
//! invented (in the style of the province's village names) and end in
//! "(giả lập)"; one village has no name and one place is of a kind the
//! importer leaves out, so tests see both dropped.

use binhan_core::model::COMMUNES;
use binhan_core::shelters::roads::{RoadBuilder, SettlementKind};
use binhan_core::shelters::GeoPoint;
use binhan_core::Result;

/// The village at the start of the Mù Cả valley scenario.
pub const VALLEY_VILLAGE: &str = "Bản Nà Hừ (giả lập)";

/// Stems of the other villages' names, one per commune in the order of
/// [`COMMUNES`] (skipping the valley's).
const STEMS: [&str; 8] = [
    "Nậm Đích",
    "Huổi Luông",
    "Pắc Ma",
    "Đán Đăng",
    "Nà Khuy",
    "Phìn Hồ",
    "Sì Choang",
    "Tà Pạ",
];

/// One `place` node.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticPlace {
    /// OpenStreetMap tags: `place`, usually `name`, sometimes a commune.
    pub tags: Vec<(&'static str, String)>,
    /// Where it is (rounded to 10⁻⁶ degree).
    pub point: GeoPoint,
}

impl SyntheticPlace {
    /// As a GeoJSON Point feature with its tags as properties.
    pub(super) fn geojson(&self) -> serde_json::Value {
        let properties: serde_json::Map<String, serde_json::Value> = self
            .tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_str().into()))
            .collect();
        serde_json::json!({
            "type": "Feature",
            "properties": properties,
            "geometry": {"type": "Point", "coordinates": [self.point.lon, self.point.lat]},
        })
    }

    fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The places: the valley's village at `start`, then one village or hamlet
/// at the first village of the first communes, a town at a district town's
/// centre, an unnamed hamlet and a named island (both left out on import).
pub(super) fn places(
    valley_commune: usize,
    start: GeoPoint,
    centres: &[GeoPoint],
    villages: &[Vec<GeoPoint>],
    town: usize,
) -> Vec<SyntheticPlace> {
    let tags = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    };
    let mut out = vec![SyntheticPlace {
        tags: tags(&[
            ("place", "village"),
            ("name", VALLEY_VILLAGE),
            ("is_in:commune", "Mù Cả"),
        ]),
        point: start,
    }];
    let others = villages
        .iter()
        .enumerate()
        .filter(|(i, v)| *i != valley_commune && !v.is_empty());
    for (k, ((i, v), stem)) in others.zip(STEMS).enumerate() {
        let name = format!("Bản {stem} (giả lập)");
        let kind = if k % 3 == 2 { "hamlet" } else { "village" };
        let mut t = tags(&[("place", kind), ("name", &name)]);
        if k % 2 == 0 {
            t.push(("addr:subdistrict", COMMUNES[i].name.to_string()));
        }
        out.push(SyntheticPlace {
            tags: t,
            point: v[0],
        });
    }
    let centre = centres[town];
    out.push(SyntheticPlace {
        tags: tags(&[("place", "town"), ("name", "Thị trấn Synthetic (giả lập)")]),
        point: centre,
    });
    out.push(SyntheticPlace {
        tags: tags(&[("place", "hamlet")]),
        point: villages[town].first().copied().unwrap_or(centre),
    });
    out.push(SyntheticPlace {
        tags: tags(&[("place", "island"), ("name", "Đảo Synthetic (giả lập)")]),
        point: centre,
    });
    out
}

/// Adds the places the importer keeps to `builder`, as it would.
pub(super) fn add_to(builder: &mut RoadBuilder, places: &[SyntheticPlace]) -> Result<()> {
    for p in places {
        let kind = p.tag("place").and_then(SettlementKind::from_osm);
        if let (Some(kind), Some(name)) = (kind, p.tag("name")) {
            let commune = p.tag("is_in:commune").or(p.tag("addr:subdistrict"));
            builder.add_place(name, kind, p.point, commune)?;
        }
    }
    Ok(())
}
