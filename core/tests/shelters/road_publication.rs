//! The road network as the province publishes it: content-defined chunks
//! (a small change of the map changes few of them), the file rebuilt from
//! its chunks and checked, and the manifest signed under its own domain.

use super::*;
use binhan_core::shelters::roads::{
    check_chunk, split_into_chunks, ChunkHash, ChunkRef, RoadManifest, RoadNetwork,
};
use std::collections::HashSet;

/// The testkit's grid network, before or after one link was paved.
fn grid(nodes: usize, paved: bool) -> RoadNetwork {
    let network = match paved {
        false => synthetic::large_network(nodes, 3),
        true => synthetic::large_network_paved(nodes, 3),
    };
    network.unwrap()
}

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_794_700_000, 0).unwrap()
}

#[test]
fn a_small_change_of_the_map_changes_few_chunks() {
    let (v1, file1) = RoadManifest::of(&grid(20_000, false), 1, at()).unwrap();
    let (v2, file2) = RoadManifest::of(&grid(20_000, true), 2, at()).unwrap();
    assert_ne!(file1, file2);
    assert!(v1.chunks.len() >= 8, "{} chunks", v1.chunks.len());
    let held: HashSet<ChunkHash> = v1.chunks.iter().map(|c| c.hash).collect();
    let new: u64 = v2
        .chunks
        .iter()
        .filter(|c| !held.contains(&c.hash))
        .map(|c| u64::from(c.len))
        .sum();
    assert!(new > 0 && new * 4 < v2.size, "{new} of {} bytes", v2.size);

    // The file comes back from its chunks, checked.
    let pieces: Vec<(ChunkRef, Vec<u8>)> = split_into_chunks(&file2)
        .map(|(c, b)| (c, b.to_vec()))
        .collect();
    let find = |c: &ChunkRef| {
        let (_, bytes) = pieces.iter().find(|(p, _)| p == c).unwrap();
        check_chunk(c, bytes)?;
        Ok(bytes.clone())
    };
    let (file, network) = v2.assemble(find).unwrap();
    assert_eq!(file, file2);
    assert_eq!(network.to_bytes(), file2);
    // A chunk of the wrong version in its place: the whole-file hash
    // catches it even if its own check was skipped.
    let mut wrong = v2.clone();
    wrong.sha256 = v1.sha256;
    assert!(matches!(
        wrong.assemble(|c| find(c)),
        Err(Error::Tampered { .. })
    ));
    let bad = ChunkRef {
        hash: v2.chunks[0].hash,
        len: v2.chunks[0].len,
    };
    assert!(check_chunk(&bad, &pieces[1].1).is_err());
}

#[test]
fn a_manifest_is_signed_under_its_own_domain() {
    let province = ProvincialSigner::from_seed([7; 32]);
    let key = province.public_key();
    let (manifest, _) = RoadManifest::of(&grid(500, false), 3, at()).unwrap();
    let signed = province.sign(&manifest).unwrap();
    assert_eq!(signed.verify_as::<RoadManifest>(&key).unwrap(), manifest);
    // Not a directory, whatever its bytes decode to.
    assert!(signed.verify(&key).is_err());
    let directory = ShelterDirectory::new(1, at(), Vec::new());
    let as_directory = province.sign(&DirectoryUpdate::Full(directory)).unwrap();
    assert!(as_directory.verify_as::<RoadManifest>(&key).is_err());
    // Another key: refused.
    let other = ProvincialSigner::from_seed([8; 32])
        .sign(&manifest)
        .unwrap();
    assert!(matches!(
        other.verify_as::<RoadManifest>(&key),
        Err(Error::NotAllowed(_))
    ));
    // A manifest whose chunks do not add up is not signed.
    let mut short = manifest.clone();
    short.size += 1;
    assert!(province.sign(&short).is_err());
    short.size = 0;
    assert!(short.validate().is_err());
}
