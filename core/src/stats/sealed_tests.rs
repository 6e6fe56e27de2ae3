//! Sealing statistics to the office key: only the office opens them, a row
//! cannot be moved or altered, the office key is the province's, and the
//! newest update of each case stands. All data synthetic.

use super::sealed::*;
use super::tests::{intake, open, statistics};
use super::{stat_update, StatRecord, StatSeed, StatUpdate, Withdrawal};
use crate::events::CaseState;
use crate::model::DeviceId;
use crate::shelters::ProvincialSigner;

fn record() -> StatRecord {
    let (id, events) = open(intake(vec![statistics(true)]));
    match stat_update(&CaseState::fold(id, &events)) {
        Some(StatUpdate::Record(r)) => r,
        other => panic!("a record expected, got {other:?}"),
    }
}

fn with_revision(mut record: StatRecord, revision: u64) -> StatUpdate {
    record.revision = revision;
    StatUpdate::Record(record)
}

fn office() -> (ProvincialSigner, OfficeKey) {
    let signer = ProvincialSigner::from_seed([3; 32]);
    let published = OfficeKey::publish(&signer).unwrap();
    let key = OfficeKey::verify(&published, &signer.public_key()).unwrap();
    (signer, key)
}

#[test]
fn only_the_office_opens_what_a_device_sealed() {
    let (signer, key) = office();
    let update = StatUpdate::Record(record());
    let slot = StatSeed([1; 32]).slot(DeviceId::random());
    let row = Sealer::new(&key).unwrap().seal(slot, &update).unwrap();
    row.check_shape().unwrap();
    assert!(!row.body.windows(5).any(|w| w == b"mu_ca"));

    let secret = OfficeSecret::of(&signer);
    assert_eq!(Opener::new(&secret).open(&row).unwrap(), update);

    // Another province's office key opens nothing.
    let other = OfficeSecret::of(&ProvincialSigner::from_seed([4; 32]));
    assert!(matches!(
        Opener::new(&other).open(&row),
        Err(crate::Error::Tampered { .. })
    ));
    // A row moved to another slot, or altered anywhere, does not open.
    let moved = SealedStat {
        slot: StatSeed([2; 32]).slot(DeviceId::random()),
        body: row.body.clone(),
    };
    assert!(Opener::new(&secret).open(&moved).is_err());
    for at in [5, 40, row.body.len() - 1] {
        let mut altered = row.clone();
        altered.body[at] ^= 1;
        assert!(Opener::new(&secret).open(&altered).is_err(), "byte {at}");
    }
}

#[test]
fn the_server_can_check_only_the_shape() {
    let (_, key) = office();
    let row = Sealer::new(&key)
        .unwrap()
        .seal(StatSlot([0; 16]), &StatUpdate::Record(record()))
        .unwrap();
    let mut wrong_magic = row.clone();
    wrong_magic.body[0] = b'X';
    assert!(wrong_magic.check_shape().is_err());
    let short = SealedStat {
        slot: row.slot,
        body: row.body[..MAGIC.len() + 40].to_vec(),
    };
    assert!(short.check_shape().is_err());
    let huge = SealedStat {
        slot: row.slot,
        body: [MAGIC.as_slice(), &vec![0; MAX_SEALED_STAT_BYTES]].concat(),
    };
    assert!(huge.check_shape().is_err());
}

#[test]
fn a_device_seals_only_to_the_key_its_province_signed() {
    let (signer, key) = office();
    let published = OfficeKey::publish(&signer).unwrap();
    // The server's own "office key", signed by a key of its own.
    let server = ProvincialSigner::from_seed([5; 32]);
    let planted = OfficeKey::publish(&server).unwrap();
    assert!(OfficeKey::verify(&planted, &signer.public_key()).is_err());
    // The province's signature over another key does not hold either.
    let mut swapped = published.clone();
    swapped.body = postcard::to_allocvec(&OfficeKey { key: [9; 32] }).unwrap();
    assert!(OfficeKey::verify(&swapped, &signer.public_key()).is_err());
    assert_eq!(key.key, OfficeSecret::of(&signer).public());
}

#[test]
fn slots_share_nothing_across_devices_or_with_the_statistics_id() {
    let seed = StatSeed([7; 32]);
    let (a, b) = (DeviceId::random(), DeviceId::random());
    assert_eq!(seed.slot(a), seed.slot(a));
    assert_ne!(seed.slot(a), seed.slot(b));
    assert_ne!(seed.slot(a).0, seed.statistics_id().as_bytes()[..16]);
    assert_ne!(StatSeed([8; 32]).slot(a), seed.slot(a));
}

#[test]
fn the_office_agrees_keys_once_per_push() {
    let (signer, key) = office();
    let secret = OfficeSecret::of(&signer);
    let mut opener = Opener::new(&secret);
    let mut opened = 0;
    for _push in 0..3 {
        let sealer = Sealer::new(&key).unwrap();
        for i in 0..50u8 {
            let row = sealer
                .seal(StatSlot([i; 16]), &StatUpdate::Record(record()))
                .unwrap();
            opener.open(&row).unwrap();
            opened += 1;
        }
    }
    assert_eq!(opened, 150);
    assert_eq!(opener.agreements(), 3);
}

#[test]
fn the_newest_update_of_each_case_stands_and_a_withdrawal_removes_it() {
    let kept = record();
    let withdrawn = record();
    let updates = vec![
        with_revision(kept.clone(), 10),
        with_revision(kept.clone(), 12),
        with_revision(kept.clone(), 11),
        with_revision(withdrawn.clone(), 20),
        StatUpdate::Withdraw(Withdrawal {
            statistics_id: withdrawn.statistics_id,
            revision: 21,
        }),
        // An older record from a device that had not learnt of the
        // withdrawal does not bring it back.
        with_revision(withdrawn.clone(), 19),
    ];
    let records = newest_records(updates);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].statistics_id, kept.statistics_id);
    assert_eq!(records[0].revision, 12);
    // A withdrawal wins a tie.
    let tie = newest_records(vec![
        with_revision(kept.clone(), 30),
        StatUpdate::Withdraw(Withdrawal {
            statistics_id: kept.statistics_id,
            revision: 30,
        }),
    ]);
    assert!(tie.is_empty());
}

#[test]
fn a_record_breaking_its_rules_is_refused_when_opened() {
    let (signer, key) = office();
    let mut bad = record();
    bad.month = 13;
    let row = Sealer::new(&key)
        .unwrap()
        .seal(StatSlot([1; 16]), &StatUpdate::Record(bad))
        .unwrap();
    let secret = OfficeSecret::of(&signer);
    assert!(matches!(
        Opener::new(&secret).open(&row),
        Err(crate::Error::Invalid { .. })
    ));
}

#[test]
fn opening_many_rows_on_every_core_keeps_each_and_counts_the_bad() {
    let (signer, key) = office();
    let sealer = Sealer::new(&key).unwrap();
    let mut rows: Vec<SealedStat> = (0..300u16)
        .map(|i| {
            let mut slot = [0u8; 16];
            slot[..2].copy_from_slice(&i.to_le_bytes());
            sealer
                .seal(StatSlot(slot), &StatUpdate::Record(record()))
                .unwrap()
        })
        .collect();
    rows[17].body[50] ^= 1;
    let opened = open_all(&OfficeSecret::of(&signer), &rows);
    assert_eq!((opened.updates.len(), opened.unreadable), (299, 1));
    assert!(open_all(&OfficeSecret::of(&signer), &[]).updates.is_empty());
}
