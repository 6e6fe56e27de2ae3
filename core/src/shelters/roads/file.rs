//! The road network's file on the device: little-endian arrays behind a
//! small header, with a SHA-256 of everything before it at the end.
//!
//! ```text
//! "BHRN" | format u16 | reserved u16 | nodes u32 | edges u32
//! lat[nodes] i32 | lon[nodes] i32            (10⁻⁷ degree)
//! offsets[nodes + 1] u32 | targets[edges] u32
//! time[edges] u32 (tenths of a second) | length[edges] u32 (metres)
//! sha256(all of the above) [32]
//! ```
//!
//! Road data is public map data, so the file is not encrypted; it holds no
//! shelter and no case. Loading checks the digest and every array bound, so a
//! damaged file gives a clear error instead of a wrong route.

use super::network::{RoadNetwork, MAX_NODES};
use crate::{Error, Result};
use sha2::Digest;
use std::path::Path;

const MAGIC: &[u8; 4] = b"BHRN";
/// Version of the road network file format.
pub const ROAD_FORMAT_VERSION: u16 = 1;
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
        let digest: [u8; DIGEST] = sha2::Sha256::digest(&out).into();
        out.extend_from_slice(&digest);
        out
    }

    /// Reads [`RoadNetwork::to_bytes`]'s output, checking every bound.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < HEADER + DIGEST || &bytes[..4] != MAGIC {
            return Err(corrupted("not a road network file"));
        }
        let (body, digest) = bytes.split_at(bytes.len() - DIGEST);
        let actual: [u8; DIGEST] = sha2::Sha256::digest(body).into();
        if actual.as_slice() != digest {
            return Err(corrupted("checksum mismatch"));
        }
        let u16_at = |at: usize| u16::from_le_bytes([body[at], body[at + 1]]);
        let u32_at =
            |at: usize| u32::from_le_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]);
        if u16_at(4) != ROAD_FORMAT_VERSION {
            return Err(corrupted("unknown format version"));
        }
        let (n, m) = (u32_at(8) as usize, u32_at(12) as usize);
        if n == 0 || n > MAX_NODES || m > 8 * MAX_NODES {
            return Err(corrupted("implausible size"));
        }
        // In u64: on a 32-bit phone the product of a forged header could wrap.
        let expected = HEADER as u64 + 4 * (3 * n as u64 + 1 + 3 * m as u64);
        if body.len() as u64 != expected {
            return Err(corrupted("wrong length"));
        }
        let mut at = HEADER;
        let mut take = |count: usize| {
            let slice = &body[at..at + 4 * count];
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
            lat, lon, offsets, targets, time_ds, length_m,
        ))
    }

    /// Writes the file atomically (a temporary file renamed over `path`).
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomically(path, &self.to_bytes())
    }

    /// Loads the file at `path`; `None` if there is none.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        match std::fs::read(path) {
            Ok(bytes) => Self::from_bytes(&bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
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
    use super::super::{Direction, RoadBuilder, RoadClass};
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
        b.build().unwrap()
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
        net.save(&path).unwrap();
        assert_eq!(RoadNetwork::load(&path).unwrap().unwrap().to_bytes(), bytes);
    }
}
