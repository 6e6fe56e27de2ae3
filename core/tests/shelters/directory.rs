//! The signed directory on a device: signature checks and committed
//! publications.

use super::*;

#[test]
fn shelters_directory_signature_checks_keep_the_previous_directory() {
    let (dir, app) = new_app();
    let p = province();
    let v1 = p.directory(1);
    let v2 = p.directory_v2();
    let publish_v1 = signed(&DirectoryUpdate::Full(v1.clone()));

    // No key configured yet: nothing is trusted.
    assert!(matches!(
        app.load_shelter_directory(&publish_v1),
        Err(Error::NotAllowed(_))
    ));
    app.set_provincial_key(synthetic::province_signer().public_key())
        .unwrap();
    let other = ProvincialSigner::from_seed([42; 32]);
    assert!(matches!(
        app.set_provincial_key(other.public_key()),
        Err(Error::NotAllowed(_))
    ));

    let status = app.load_shelter_directory(&publish_v1).unwrap();
    assert_eq!((status.version, status.previous_version), (1, None));
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v1);

    // A directory from a key that is not the province's: refused, v1 kept.
    let forged = other
        .sign(&DirectoryUpdate::Full(v2.clone()))
        .unwrap()
        .encode();
    assert!(matches!(
        app.load_shelter_directory(&forged),
        Err(Error::NotAllowed(_))
    ));
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v1);
    // A bad signature: refused, v1 kept.
    let mut tampered = synthetic::province_signer()
        .sign(&DirectoryUpdate::Full(v2.clone()))
        .unwrap();
    tampered.body[40] ^= 1;
    assert!(matches!(
        app.load_shelter_directory(&tampered.encode()),
        Err(Error::Tampered { .. })
    ));
    let mut bad_sig = synthetic::province_signer()
        .sign(&DirectoryUpdate::Full(v2.clone()))
        .unwrap();
    bad_sig.signature[3] ^= 0x10;
    assert!(app.load_shelter_directory(&bad_sig.encode()).is_err());
    assert!(app.load_shelter_directory(b"BHSD\x01garbage").is_err());
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v1);

    // The signed delta brings it to v2; replaying v1 is refused.
    let delta = signed(&DirectoryUpdate::Delta(v1.delta_to(&v2).unwrap()));
    assert!(
        delta.len() < publish_v1.len() / 10,
        "{} vs {}",
        delta.len(),
        publish_v1.len()
    );
    let status = app.load_shelter_directory(&delta).unwrap();
    assert_eq!((status.version, status.previous_version), (2, Some(1)));
    assert_eq!(app.shelter_directory().unwrap().unwrap(), v2);
    assert!(app.load_shelter_directory(&publish_v1).is_err());
    assert!(app.load_shelter_directory(&delta).is_err());
    assert_eq!(app.shelter_directory().unwrap().unwrap().version, 2);

    // Sealed at rest: no shelter name or location is readable in the files.
    drop(app);
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
    }
    let needle = v1.shelters[0].name.as_bytes();
    assert!(!stored.windows(needle.len()).any(|w| w == needle));
    let lat = postcard::to_allocvec(&v1.shelters[0].location.lat).unwrap();
    assert!(!stored.windows(lat.len()).any(|w| w == lat.as_slice()));
}

#[test]
fn shelters_committed_publications_verify_under_the_synthetic_key() {
    let key: ProvincialKey = std::fs::read_to_string(fixture_dir().join("province_key.txt"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(key, synthetic::province_signer().public_key());
    let v1 = std::fs::read(fixture_dir().join("lai_chau_directory_v1.bhsd")).unwrap();
    let delta = std::fs::read(fixture_dir().join("lai_chau_directory_v1_to_v2.bhsd")).unwrap();
    let d1 = next_directory(None, &key, &SignedPublication::decode(&v1).unwrap()).unwrap();
    let d2 = next_directory(Some(&d1), &key, &SignedPublication::decode(&delta).unwrap()).unwrap();
    assert_eq!(d2, province().directory_v2());
}
