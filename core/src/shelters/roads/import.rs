//! Importing OpenStreetMap road data: a PBF extract (read with `osmpbf`) or
//! GeoJSON lines with a `highway` property (read with `geojson`); with the
//! named settlements (`place` nodes, or GeoJSON points, with a `name`).

use super::class::{Direction, RoadClass};
use super::network::{RoadBuilder, RoadNetwork};
use super::places::{commune_tag, SettlementKind};
use crate::error::Rule;
use crate::shelters::geo::GeoPoint;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{Read, Seek};

/// Largest road file accepted for import.
pub const MAX_ROAD_FILE_BYTES: usize = 512 * 1024 * 1024;

/// The formats a road file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RoadFormat {
    /// OpenStreetMap PBF (`.osm.pbf`).
    Pbf,
    /// GeoJSON lines with OpenStreetMap tags as properties.
    GeoJson,
}

impl RoadFormat {
    /// Guesses the format from the first bytes: GeoJSON is text starting
    /// with `{`, anything else is taken for PBF.
    pub fn detect(bytes: &[u8]) -> Self {
        let text_start = bytes
            .iter()
            .copied()
            .find(|b| !(b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF)));
        if text_start == Some(b'{') {
            Self::GeoJson
        } else {
            Self::Pbf
        }
    }
}

/// Ways imported per road class code (crosses to Kotlin and Swift as a map).
pub type WaysPerClass = std::collections::BTreeMap<String, u64>;

/// What an import found, safe to show and log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoadImportReport {
    /// The format read.
    pub format: RoadFormat,
    /// Ways (lines) imported, per road class code.
    pub ways: WaysPerClass,
    /// Features or ways skipped (no highway class that is travelled, or not
    /// a line, and not a named place).
    pub skipped: u64,
    /// Way points whose node was missing from the extract (clipped at its
    /// edge).
    pub missing_nodes: u64,
    /// Nodes, edges, components, bounds and places of the result.
    pub network: super::network::RoadSummary,
}

fn report(
    format: RoadFormat,
    ways: Vec<(RoadClass, usize)>,
    skipped: usize,
    missing_nodes: usize,
    net: &RoadNetwork,
) -> RoadImportReport {
    use crate::model::Coded;
    RoadImportReport {
        format,
        ways: ways
            .into_iter()
            .map(|(c, n)| (c.code().to_string(), n as u64))
            .collect(),
        skipped: skipped as u64,
        missing_nodes: missing_nodes as u64,
        network: net.summary(),
    }
}

/// Imports a road file in either format.
pub fn import_roads(bytes: &[u8]) -> Result<(RoadNetwork, RoadImportReport)> {
    if bytes.len() > MAX_ROAD_FILE_BYTES {
        return Err(Error::invalid(
            "road_file",
            Rule::TooLarge {
                max_mib: (MAX_ROAD_FILE_BYTES / (1024 * 1024)) as u32,
            },
        ));
    }
    match RoadFormat::detect(bytes) {
        RoadFormat::GeoJson => import_geojson(bytes),
        RoadFormat::Pbf => import_pbf(std::io::Cursor::new(bytes)),
    }
}

fn property_str<'a>(feature: &'a geojson::Feature, key: &str) -> Option<&'a str> {
    feature.property(key).and_then(|v| v.as_str())
}

fn bad_coordinates(feature: usize) -> Error {
    Error::invalid(
        "road_file",
        Rule::BadCoordinates {
            feature: Some(feature as u32),
        },
    )
}

/// Adds the settlement an element's tags describe, if they describe one
/// kept: `place` of a kind kept, and a `name` (unnamed ones are left out).
/// True if the element was a place of a kind kept.
fn add_place<'a>(
    builder: &mut RoadBuilder,
    point: GeoPoint,
    tag: impl Fn(&str) -> Option<&'a str>,
) -> Result<bool> {
    let Some(kind) = tag("place").and_then(SettlementKind::from_osm) else {
        return Ok(false);
    };
    if let Some(name) = tag("name") {
        builder.add_place(name, kind, point, commune_tag(&tag))?;
    }
    Ok(true)
}

/// Imports GeoJSON: a FeatureCollection whose LineString or MultiLineString
/// features carry OpenStreetMap's `highway` (and optionally `oneway`,
/// `junction`) as properties, and whose Point features with `place` and
/// `name` are settlements. Other features are skipped.
pub fn import_geojson(bytes: &[u8]) -> Result<(RoadNetwork, RoadImportReport)> {
    let parsed: geojson::GeoJson = serde_json::from_slice(bytes).map_err(|e| {
        let (line, column) = (e.line() as u32, e.column() as u32);
        let rule = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                Rule::BadJson { line, column }
            }
            _ => Rule::BadGeoJson { line, column },
        };
        Error::invalid("road_file", rule)
    })?;
    let features = match parsed {
        geojson::GeoJson::FeatureCollection(fc) => fc.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(_) => {
            return Err(Error::invalid("road_file", Rule::WrongFileKind))
        }
    };
    let mut builder = RoadBuilder::new();
    let mut skipped = 0;
    for (i, feature) in features.iter().enumerate() {
        if let (Some(geojson::GeometryValue::Point { coordinates }), Some(_)) = (
            feature.geometry.as_ref().map(|g| &g.value),
            property_str(feature, "place"),
        ) {
            let point = match coordinates.as_slice() {
                [lon, lat, ..] => GeoPoint::new(*lat, *lon),
                _ => return Err(bad_coordinates(i)),
            };
            if !point.is_valid() {
                return Err(bad_coordinates(i));
            }
            if add_place(&mut builder, point, |key| property_str(feature, key))? {
                continue;
            }
        }
        let Some(class) = property_str(feature, "highway").and_then(RoadClass::from_osm) else {
            skipped += 1;
            continue;
        };
        let direction = Direction::from_osm(
            class,
            property_str(feature, "oneway"),
            property_str(feature, "junction"),
        );
        let lines: Vec<&Vec<geojson::Position>> = match feature.geometry.as_ref().map(|g| &g.value)
        {
            Some(geojson::GeometryValue::LineString { coordinates }) => vec![coordinates],
            Some(geojson::GeometryValue::MultiLineString { coordinates }) => {
                coordinates.iter().collect()
            }
            _ => {
                skipped += 1;
                continue;
            }
        };
        for line in lines {
            let points: Vec<GeoPoint> = line
                .iter()
                .map(|p| match p.as_slice() {
                    [lon, lat, ..] => Ok(GeoPoint::new(*lat, *lon)),
                    _ => Err(bad_coordinates(i)),
                })
                .collect::<Result<_>>()?;
            builder
                .add_way(class, direction, &points)
                .map_err(|_| bad_coordinates(i))?;
        }
    }
    let ways = builder.ways_by_class();
    let net = builder.build()?;
    let report = report(RoadFormat::GeoJson, ways, skipped, 0, &net);
    Ok((net, report))
}

struct PbfWay {
    class: RoadClass,
    direction: Direction,
    refs: Vec<i64>,
}

/// Imports an OpenStreetMap PBF extract: every way with a travelled
/// `highway` class, with its nodes, and every named `place` node.
pub fn import_pbf<R: Read + Seek + Send>(reader: R) -> Result<(RoadNetwork, RoadImportReport)> {
    let bad = |_: osmpbf::Error| Error::invalid("road_file", Rule::Corrupted);
    let mut pbf = osmpbf::IndexedReader::new(reader).map_err(bad)?;
    let mut ways: Vec<PbfWay> = Vec::new();
    let mut nodes: HashMap<i64, GeoPoint> = HashMap::new();
    let mut skipped = 0usize;
    pbf.read_ways_and_deps(
        |way| {
            let keep = way
                .tags()
                .any(|(k, v)| k == "highway" && RoadClass::from_osm(v).is_some());
            if !keep {
                skipped += 1;
            }
            keep
        },
        |element| match element {
            osmpbf::Element::Way(way) => {
                let tag = |key: &str| way.tags().find(|(k, _)| *k == key).map(|(_, v)| v);
                if let Some(class) = tag("highway").and_then(RoadClass::from_osm) {
                    ways.push(PbfWay {
                        class,
                        direction: Direction::from_osm(class, tag("oneway"), tag("junction")),
                        refs: way.refs().collect(),
                    });
                }
            }
            osmpbf::Element::Node(node) => {
                nodes.insert(
                    node.id(),
                    GeoPoint::from_e7(node.decimicro_lat(), node.decimicro_lon()),
                );
            }
            osmpbf::Element::DenseNode(node) => {
                nodes.insert(
                    node.id(),
                    GeoPoint::from_e7(node.decimicro_lat(), node.decimicro_lon()),
                );
            }
            osmpbf::Element::Relation(_) => {}
        },
    )
    .map_err(bad)?;
    let mut builder = RoadBuilder::new();
    let mut refused = None;
    let mut place_node = |point: GeoPoint, tags: Vec<(&str, &str)>| {
        let tag = |key: &str| tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        if refused.is_none() {
            refused = add_place(&mut builder, point, tag).err();
        }
    };
    pbf.for_each_node(|element| match element {
        osmpbf::Element::Node(node) => place_node(
            GeoPoint::from_e7(node.decimicro_lat(), node.decimicro_lon()),
            node.tags().collect(),
        ),
        osmpbf::Element::DenseNode(node) => place_node(
            GeoPoint::from_e7(node.decimicro_lat(), node.decimicro_lon()),
            node.tags().collect(),
        ),
        _ => {}
    })
    .map_err(bad)?;
    if let Some(e) = refused {
        return Err(e);
    }
    let mut missing = 0usize;
    for way in &ways {
        // A way clipped at the extract's edge: keep the runs of nodes present.
        let mut run: Vec<GeoPoint> = Vec::with_capacity(way.refs.len());
        for id in &way.refs {
            match nodes.get(id) {
                Some(p) => run.push(*p),
                None => {
                    missing += 1;
                    builder.add_way(way.class, way.direction, &run)?;
                    run.clear();
                }
            }
        }
        builder.add_way(way.class, way.direction, &run)?;
    }
    let ways = builder.ways_by_class();
    let net = builder.build()?;
    let report = report(RoadFormat::Pbf, ways, skipped, missing, &net);
    Ok((net, report))
}
