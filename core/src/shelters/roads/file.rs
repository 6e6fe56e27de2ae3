//! The road network's file on the device: little-endian arrays behind a
//! small header, the named places, and a SHA-256 of everything before it at
//! the end.
//!
//! ```text
//! "BHRN" | format u16 | reserved u16 | nodes u32 | edges u32
//! lat[nodes] i32 | lon[nodes] i32            (10⁻⁷ degree)
//! offsets[nodes + 1] u32 | targets[edges] u32
//! time[edges] u32 (tenths of a second) | length[edges] u32 (metres)
//! places u32, then for each place:           (format 2 on)
//!   lat i32 | lon i32 (10⁻⁶ degree) | kind u8 | commune length u8 | commune code
//!   | name length u16 | name (UTF-8, NFC)
//! sha256(all of the above) [32]
//! ```
//!
//! Format 1 files (before places) still load, with no places.
//!
//! Road data is public map data, so the file is not encrypted; it holds no
//! shelter and no case. Loading checks the digest and every array bound, so a
//! damaged file gives a clear error instead of a wrong route.

use super::network::{RoadNetwork, MAX_NODES};
use super::places::{Place, Places, SettlementKind, MAX_PLACES, MAX_PLACE_NAME_CHARS};
use crate::model::{commune, Coded};
use crate::{Error, Result};
use sha2::Digest;
use std::path::Path;

const MAGIC: &[u8; 4] = b"BHRN";
/// Version of the road network file format (2: with places).
pub const ROAD_FORMAT_VERSION: u16 = 2;
/// The format before places, still read.
const FORMAT_WITHOUT_PLACES: u16 = 1;
const HEADER: usize = 4 + 2 + 2 + 4 + 4;
const DIGEST: usize = 32;

fn corrupted(why: &str) -> Error {
    Error::Tampered {
        record: format!("road network file ({why})"),
    }
}

fn push_all<T: Copy>(out: &mut Vec<u8>, values: &[T], to_le: impl Fn(T) -> [u8; 4]) {
    for v in values {
        out.extend_from_slice(&to_le(*v));
    }
}

/// A file whose digest, header and sizes were checked.
struct Checked<'a> {
    version: u16,
    nodes: usize,
    edges: usize,
    /// Everything before the digest.
    body: &'a [u8],
}

impl<'a> Checked<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() < HEADER + DIGEST || &bytes[..4] != MAGIC {
            return Err(corrupted("not a road network file"));
        }
        let (body, digest) = bytes.split_at(bytes.len() - DIGEST);
        let actual: [u8; DIGEST] = sha2::Sha256::digest(body).into();
        if actual.as_slice() != digest {
            return Err(corrupted("checksum mismatch"));
        }
        let version = u16::from_le_bytes([body[4], body[5]]);
        if !matches!(version, FORMAT_WITHOUT_PLACES | ROAD_FORMAT_VERSION) {
            return Err(corrupted("unknown format version"));
        }
        let u32_at =
            |at: usize| u32::from_le_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]);
        let (nodes, edges) = (u32_at(8) as usize, u32_at(12) as usize);
        if nodes == 0 || nodes > MAX_NODES || edges > 8 * MAX_NODES {
            return Err(corrupted("implausible size"));
        }
        let checked = Self {
            version,
            nodes,
            edges,
            body,
        };
        // In u64: on a 32-bit phone the product of a forged header could wrap.
        let graph_end = checked.graph_end();
        let fits = match version {
            FORMAT_WITHOUT_PLACES => body.len() as u64 == graph_end,
            _ => body.len() as u64 >= graph_end + 4,
        };
        if !fits {
            return Err(corrupted("wrong length"));
        }
        Ok(checked)
    }

    fn graph_end(&self) -> u64 {
        HEADER as u64 + 4 * (3 * self.nodes as u64 + 1 + 3 * self.edges as u64)
    }

    /// The places after the graph (none in format 1).
    fn places(&self) -> Result<Places> {
        if self.version == FORMAT_WITHOUT_PLACES {
            return Ok(Places::default());
        }
        let mut rest = &self.body[self.graph_end() as usize..];
        let mut take = |count: usize| -> Result<&[u8]> {
            if rest.len() < count {
                return Err(corrupted("places cut short"));
            }
            let (head, tail) = rest.split_at(count);
            rest = tail;
            Ok(head)
        };
        let int = |b: &[u8]| i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let count = u32::from_le_bytes(take(4)?.try_into().unwrap_or_default()) as usize;
        if count > MAX_PLACES {
            return Err(corrupted("too many places"));
        }
        let mut list = Vec::with_capacity(count);
        for _ in 0..count {
            let fixed = take(10)?;
            let (lat_e6, lon_e6) = (int(&fixed[0..4]), int(&fixed[4..8]));
            let kind = SettlementKind::ALL
                .get(usize::from(fixed[8]))
                .copied()
                .ok_or_else(|| corrupted("unknown kind of place"))?;
            let code = std::str::from_utf8(take(usize::from(fixed[9]))?)
                .map_err(|_| corrupted("place commune not text"))?;
            let length = take(2)?;
            let name = std::str::from_utf8(take(usize::from(u16::from_le_bytes([
                length[0], length[1],
            ])))?)
            .map_err(|_| corrupted("place name not text"))?;
            if lat_e6.unsigned_abs() > 90_000_000
                || lon_e6.unsigned_abs() > 180_000_000
                || name.trim().is_empty()
                || name.chars().count() > MAX_PLACE_NAME_CHARS
            {
                return Err(corrupted("place out of range"));
            }
            list.push(Place {
                name: name.to_string(),
                kind,
                // A commune this app does not know (the list changed) is
                // left out rather than refusing the map.
                commune: commune(code).map(|c| c.code.to_string()),
                lat_e6,
                lon_e6,
            });
        }
        if !rest.is_empty() {
            return Err(corrupted("wrong length"));
        }
        Ok(Places::new(list))
    }
}

impl RoadNetwork {
    /// The file encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (n, m) = (self.node_count(), self.edge_count());
        let mut out = Vec::with_capacity(HEADER + 4 * (3 * n + 1 + 3 * m) + DIGEST);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&ROAD_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&(m as u32).to_le_bytes());
        push_all(&mut out, &self.lat, i32::to_le_bytes);
        push_all(&mut out, &self.lon, i32::to_le_bytes);
        push_all(&mut out, &self.offsets, u32::to_le_bytes);
        for field in 0..3 {
            for edge in &self.edge_list {
                out.extend_from_slice(&edge[field].to_le_bytes());
            }
        }
        let places = self.places.all();
        out.extend_from_slice(&(places.len() as u32).to_le_bytes());
        for p in places {
            out.extend_from_slice(&p.lat_e6.to_le_bytes());
            out.extend_from_slice(&p.lon_e6.to_le_bytes());
            let kind = SettlementKind::ALL.iter().position(|k| *k == p.kind);
            out.push(kind.unwrap_or_default() as u8);
            // Commune codes are short ascii; names at most 100 characters.
            let code = p.commune.as_deref().unwrap_or_default().as_bytes();
            out.push(code.len() as u8);
            out.extend_from_slice(code);
            out.extend_from_slice(&(p.name.len() as u16).to_le_bytes());
            out.extend_from_slice(p.name.as_bytes());
        }
        let digest: [u8; DIGEST] = sha2::Sha256::digest(&out).into();
        out.extend_from_slice(&digest);
        out
    }

    /// Reads [`RoadNetwork::to_bytes`]'s output (or a format 1 file, with
    /// no places), checking every bound.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let file = Checked::open(bytes)?;
        let (n, m) = (file.nodes, file.edges);
        let mut at = HEADER;
        let mut take = |count: usize| {
            let slice = &file.body[at..at + 4 * count];
            at += 4 * count;
            slice
        };
        let ints = |s: &[u8]| -> Vec<i32> {
            s.chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        };
        let uints = |s: &[u8]| -> Vec<u32> {
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        };
        let lat = ints(take(n));
        let lon = ints(take(n));
        let offsets = uints(take(n + 1));
        let targets = uints(take(m));
        let time_ds = uints(take(m));
        let length_m = uints(take(m));
        if lat.iter().any(|v| v.unsigned_abs() > 900_000_000)
            || lon.iter().any(|v| v.unsigned_abs() > 1_800_000_000)
        {
            return Err(corrupted("coordinate out of range"));
        }
        if offsets[0] != 0 || offsets[n] as usize != m || offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(corrupted("edge offsets out of order"));
        }
        if targets.iter().any(|t| *t as usize >= n) {
            return Err(corrupted("edge to a missing node"));
        }
        Ok(Self::from_parts(
            lat,
            lon,
            offsets,
            targets,
            time_ds,
            length_m,
            file.places()?,
        ))
    }

    /// Only the places of a road network file, checked as
    /// [`RoadNetwork::from_bytes`] checks them, without building the graph.
    pub fn places_from_bytes(bytes: &[u8]) -> Result<Places> {
        Checked::open(bytes)?.places()
    }

    /// Writes the file atomically (a temporary file renamed over `path`).
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomically(path, &self.to_bytes())
    }

    /// Loads the file at `path`; `None` if there is none.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        read_if_there(path)?
            .map(|bytes| Self::from_bytes(&bytes))
            .transpose()
    }

    /// Loads only the places of the file at `path`; `None` if there is no
    /// file.
    pub fn load_places(path: &Path) -> Result<Option<Places>> {
        read_if_there(path)?
            .map(|bytes| Self::places_from_bytes(&bytes))
            .transpose()
    }
}

fn read_if_there(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, flushed
/// to disk, renamed over it. A cut leaves the old file or the new one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Direction, RoadBuilder, RoadClass, SettlementKind};
    use super::*;
    use crate::shelters::geo::GeoPoint;

    fn small() -> RoadNetwork {
        let a = GeoPoint::new(22.40, 103.40);
        let mut b = RoadBuilder::new();
        b.add_way(
            RoadClass::Secondary,
            Direction::Both,
            &[a, a.offset_m(500.0, 0.0), a.offset_m(500.0, 800.0)],
        )
        .unwrap();
        b.add_place(
            "Bản Nà Hừ (giả lập)",
            SettlementKind::Village,
            a,
            Some("Mù Cả"),
        )
        .unwrap();
        b.add_place(
            "Xóm Synthetic",
            SettlementKind::Hamlet,
            a.offset_m(500.0, 0.0),
            None,
        )
        .unwrap();
        b.build().unwrap()
    }

    /// `bytes` as format 1 wrote them: no places, version 1.
    fn as_format_1(bytes: &[u8], places_bytes: usize) -> Vec<u8> {
        let end = bytes.len() - DIGEST - places_bytes;
        let mut old = bytes[..end].to_vec();
        old[4..6].copy_from_slice(&1u16.to_le_bytes());
        let digest: [u8; DIGEST] = sha2::Sha256::digest(&old).into();
        old.extend_from_slice(&digest);
        old
    }

    #[test]
    fn the_file_round_trips_and_every_damage_is_caught() {
        let net = small();
        let bytes = net.to_bytes();
        let back = RoadNetwork::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.summary(), net.summary());
        for i in [0, 5, 9, 20, bytes.len() / 2, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            let err = RoadNetwork::from_bytes(&bad).unwrap_err();
            assert!(matches!(err, Error::Tampered { .. }), "byte {i}: {err}");
        }
        assert!(RoadNetwork::from_bytes(&bytes[..bytes.len() - 7]).is_err());
        assert!(RoadNetwork::from_bytes(b"").is_err());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roads.bhrn");
        assert!(RoadNetwork::load(&path).unwrap().is_none());
        assert!(RoadNetwork::load_places(&path).unwrap().is_none());
        net.save(&path).unwrap();
        assert_eq!(RoadNetwork::load(&path).unwrap().unwrap().to_bytes(), bytes);
        let places = RoadNetwork::load_places(&path).unwrap().unwrap();
        assert_eq!(&places, net.places());
    }

    #[test]
    fn places_round_trip_and_a_format_1_file_loads_without_them() {
        let net = small();
        assert_eq!(net.summary().places, 2);
        let back = RoadNetwork::from_bytes(&net.to_bytes()).unwrap();
        let names: Vec<_> = back.places().all().iter().map(|p| &p.name).collect();
        assert_eq!(names, ["Bản Nà Hừ (giả lập)", "Xóm Synthetic"]);
        let first = &back.places().all()[0];
        assert_eq!(first.commune.as_deref(), Some("mu_ca"));
        assert_eq!((first.lat_e6, first.lon_e6), (22_400_000, 103_400_000));

        // Format 1: the same graph, no places section.
        let places_bytes: usize = 4 + net
            .places()
            .all()
            .iter()
            .map(|p| 8 + 1 + 1 + p.commune.as_ref().map_or(0, String::len) + 2 + p.name.len())
            .sum::<usize>();
        let old = as_format_1(&net.to_bytes(), places_bytes);
        let loaded = RoadNetwork::from_bytes(&old).unwrap();
        assert!(loaded.places().is_empty());
        assert_eq!(loaded.summary().nodes, net.summary().nodes);
        assert_eq!(loaded.summary().edges, net.summary().edges);
        assert!(RoadNetwork::places_from_bytes(&old).unwrap().is_empty());
        // Written again, it is format 2 with no places.
        let again = loaded.to_bytes();
        assert_eq!(
            u16::from_le_bytes([again[4], again[5]]),
            ROAD_FORMAT_VERSION
        );
        assert_eq!(again.len(), old.len() + 4);

        // A format 2 file cut before its places, or an unknown version, is refused.
        let mut cut = as_format_1(&net.to_bytes(), places_bytes);
        cut[4..6].copy_from_slice(&2u16.to_le_bytes());
        let n = cut.len() - DIGEST;
        let digest: [u8; DIGEST] = sha2::Sha256::digest(&cut[..n]).into();
        cut[n..].copy_from_slice(&digest);
        assert!(matches!(
            RoadNetwork::from_bytes(&cut),
            Err(Error::Tampered { .. })
        ));
        let mut future = net.to_bytes();
        future[4..6].copy_from_slice(&3u16.to_le_bytes());
        let n = future.len() - DIGEST;
        let digest: [u8; DIGEST] = sha2::Sha256::digest(&future[..n]).into();
        future[n..].copy_from_slice(&digest);
        assert!(matches!(
            RoadNetwork::from_bytes(&future),
            Err(Error::Tampered { .. })
        ));
    }
}
