//! A minimal OpenStreetMap PBF writer, for synthetic fixtures only: one
//! header block, then one data block of plain nodes (way points, then
//! tagged `place` nodes) and one of ways, each zlib-compressed. Enough for any PBF reader, written by hand so the
//! fixture needs no extra crate.

use super::{SyntheticPlace, SyntheticWay};
use binhan_core::shelters::GeoPoint;
use std::collections::HashMap;

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn key(out: &mut Vec<u8>, field: u32, wire: u8) {
    varint(out, (u64::from(field) << 3) | u64::from(wire));
}

fn int_field(out: &mut Vec<u8>, field: u32, v: u64) {
    key(out, field, 0);
    varint(out, v);
}

fn bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn packed(values: impl IntoIterator<Item = u64>) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        varint(&mut out, v);
    }
    out
}

fn blob(kind: &str, message: &[u8]) -> Vec<u8> {
    let mut blob = Vec::new();
    int_field(&mut blob, 2, message.len() as u64);
    bytes_field(
        &mut blob,
        3,
        &miniz_oxide::deflate::compress_to_vec_zlib(message, 9),
    );
    let mut header = Vec::new();
    bytes_field(&mut header, 1, kind.as_bytes());
    int_field(&mut header, 3, blob.len() as u64);
    let mut out = (header.len() as u32).to_be_bytes().to_vec();
    out.extend(header);
    out.extend(blob);
    out
}

/// The ways and places as an `.osm.pbf` file: shared points of ways become
/// shared nodes; each place is a node of its own.
pub fn write(ways: &[SyntheticWay], places: &[SyntheticPlace]) -> Vec<u8> {
    let mut ids: HashMap<(i32, i32), i64> = HashMap::new();
    let mut nodes: Vec<(i64, GeoPoint)> = Vec::new();
    let mut way_refs: Vec<Vec<i64>> = Vec::new();
    for way in ways {
        let refs = way
            .points
            .iter()
            .map(|p| {
                *ids.entry(p.to_e7()).or_insert_with(|| {
                    nodes.push((nodes.len() as i64 + 1, *p));
                    nodes.len() as i64
                })
            })
            .collect();
        way_refs.push(refs);
    }

    // String table: 0 is the empty string by convention.
    let mut strings: Vec<String> = vec![String::new()];
    let mut string_id = |s: &str| -> u64 {
        match strings.iter().position(|x| x == s) {
            Some(i) => i as u64,
            None => {
                strings.push(s.to_string());
                (strings.len() - 1) as u64
            }
        }
    };
    let mut node_group = Vec::new();
    let untagged = nodes.iter().map(|(id, p)| (*id, *p, &[][..]));
    let tagged = places
        .iter()
        .enumerate()
        .map(|(i, place)| ((nodes.len() + 1 + i) as i64, place.point, &place.tags[..]));
    for (id, p, tags) in untagged.chain(tagged) {
        let (lat, lon) = p.to_e7();
        let mut node = Vec::new();
        key(&mut node, 1, 0);
        varint(&mut node, zigzag(id));
        if !tags.is_empty() {
            let keys: Vec<u64> = tags.iter().map(|(k, _)| string_id(k)).collect();
            let vals: Vec<u64> = tags.iter().map(|(_, v)| string_id(v)).collect();
            bytes_field(&mut node, 2, &packed(keys));
            bytes_field(&mut node, 3, &packed(vals));
        }
        key(&mut node, 8, 0);
        varint(&mut node, zigzag(i64::from(lat)));
        key(&mut node, 9, 0);
        varint(&mut node, zigzag(i64::from(lon)));
        bytes_field(&mut node_group, 1, &node);
    }
    let mut way_group = Vec::new();
    for (i, (way, refs)) in ways.iter().zip(&way_refs).enumerate() {
        let mut tags = vec![("highway", way.class.osm_value())];
        if way.oneway {
            tags.push(("oneway", "yes"));
        }
        let keys: Vec<u64> = tags.iter().map(|(k, _)| string_id(k)).collect();
        let vals: Vec<u64> = tags.iter().map(|(_, v)| string_id(v)).collect();
        let mut previous = 0i64;
        let deltas: Vec<u64> = refs
            .iter()
            .map(|r| {
                let d = zigzag(r - previous);
                previous = *r;
                d
            })
            .collect();
        let mut w = Vec::new();
        int_field(&mut w, 1, i as u64 + 1);
        bytes_field(&mut w, 2, &packed(keys));
        bytes_field(&mut w, 3, &packed(vals));
        bytes_field(&mut w, 8, &packed(deltas));
        bytes_field(&mut way_group, 3, &w);
    }
    let mut table = Vec::new();
    for s in &strings {
        bytes_field(&mut table, 1, s.as_bytes());
    }
    let mut block = Vec::new();
    bytes_field(&mut block, 1, &table);
    bytes_field(&mut block, 2, &node_group);
    bytes_field(&mut block, 2, &way_group);
    int_field(&mut block, 17, 100);

    let mut header = Vec::new();
    bytes_field(&mut header, 4, b"OsmSchema-V0.6");
    bytes_field(
        &mut header,
        16,
        b"binhan synthetic fixture (not real map data)",
    );
    let mut out = blob("OSMHeader", &header);
    out.extend(blob("OSMData", &block));
    out
}
