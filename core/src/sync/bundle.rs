//! Snapshot bundles: the states of many cases with the same team,
//! compressed together and sealed once for each of the team's other
//! members.
//!
//! A case's own snapshot is compressed alone, so every case pays again for
//! what cases share (field structure, a commune's names and wording). A
//! bundle compresses the states together, seals them with a fresh key,
//! wraps that key from its maker to each recipient (device to device, as a
//! case key is) and is signed by its maker, whom a recipient must know as
//! a member of every case in it before using any state.

use super::compression::{compress, decompress};
use super::wire::{BundleKey, BundledCase, WireBundle, MAX_BUNDLE_CASES, MAX_BUNDLE_RECIPIENTS};
use super::wrap::{open_from_device, seal_to_device, Purpose};
use super::{DeviceIdentity, DevicePublic, Verifier};
use crate::crypto::{open, seal, Binding, SecretKey};
use crate::error::Rule;
use crate::events::CaseState;
use crate::model::{DeviceId, EventId};
use crate::{Error, Result};
use std::collections::BTreeSet;
use zeroize::Zeroizing;

/// Most bytes of compact states one bundle holds (and may inflate to).
pub const MAX_BUNDLE_PLAIN_BYTES: usize = 1 << 20;

const BUNDLE_KEY: Purpose = Purpose {
    salt: b"binhan/bundle-key/v1",
    table: "bundle-key",
    field: "bundle_key",
};

fn key_context(bundle: EventId, signer: DeviceId, recipient: DeviceId) -> Vec<u8> {
    let mut info = Vec::with_capacity(48);
    info.extend_from_slice(bundle.as_bytes());
    info.extend_from_slice(signer.as_bytes());
    info.extend_from_slice(recipient.as_bytes());
    info
}

fn binding(header: &[u8]) -> Binding<'_> {
    Binding {
        table: "wire-bundle",
        row: header,
        field: "states",
    }
}

/// Seals the compact states (`CaseState::encode_snapshot`) of `cases`, in
/// that order, for `recipients`, and signs the bundle as `signer`.
pub fn seal_bundle<S: AsRef<[u8]>>(
    signer: &DeviceIdentity,
    recipients: &[DevicePublic],
    cases: Vec<BundledCase>,
    states: &[S],
) -> WireBundle {
    let key = SecretKey::random();
    let mut bundle = WireBundle {
        id: EventId::random(),
        signer: signer.device_id(),
        cases,
        keys: Vec::with_capacity(recipients.len()),
        ciphertext: Vec::new(),
        signature: Vec::new(),
    };
    for recipient in recipients {
        let info = key_context(bundle.id, bundle.signer, recipient.device_id);
        bundle.keys.push(BundleKey {
            recipient: recipient.device_id,
            sealed: seal_to_device(BUNDLE_KEY, signer, recipient, &info, key.as_bytes()),
        });
    }
    let parts: Vec<&[u8]> = states.iter().map(AsRef::as_ref).collect();
    let plain = Zeroizing::new(postcard::to_allocvec(&parts).unwrap_or_default());
    bundle.ciphertext = seal(&key, binding(&bundle.header()), &compress(&plain));
    bundle.signature = signer.sign(&bundle.signed_message());
    bundle
}

/// Checks a bundle's shape (cases and recipients within bounds, none
/// twice) and its signer's signature: what the server checks.
pub fn verify_bundle(bundle: &WireBundle, signer: &Verifier) -> Result<()> {
    if signer.device_id() != bundle.signer {
        return Err(Error::invalid("bundle.signer", Rule::SignerMismatch));
    }
    let cases = bundle.cases.iter().map(|c| c.case_id);
    if !distinct_within(cases, MAX_BUNDLE_CASES) {
        return Err(Error::invalid(
            "bundle.cases",
            Rule::OutOfRange {
                min: 1,
                max: MAX_BUNDLE_CASES as u64,
            },
        ));
    }
    let recipients = bundle.keys.iter().map(|k| k.recipient);
    if !distinct_within(recipients, MAX_BUNDLE_RECIPIENTS) {
        return Err(Error::invalid(
            "bundle.keys",
            Rule::OutOfRange {
                min: 1,
                max: MAX_BUNDLE_RECIPIENTS as u64,
            },
        ));
    }
    signer.verify(&bundle.signed_message(), &bundle.signature)
}

/// Whether `items` are 1 to `max` values, none twice.
pub(super) fn distinct_within<T: Ord>(items: impl ExactSizeIterator<Item = T>, max: usize) -> bool {
    let count = items.len();
    (1..=max).contains(&count) && items.collect::<BTreeSet<_>>().len() == count
}

/// Verifies and opens a bundle sealed for `me`: the states of its cases,
/// in the order of `bundle.cases`. Whether its signer may speak for those
/// cases is the caller's check (team membership).
pub fn open_bundle(
    bundle: &WireBundle,
    me: &DeviceIdentity,
    signer: &DevicePublic,
) -> Result<Vec<CaseState>> {
    verify_bundle(bundle, &signer.verifier()?)?;
    let tampered = || Error::Tampered {
        record: format!("bundle {}", bundle.id),
    };
    let sealed_key = bundle
        .keys
        .iter()
        .find(|k| k.recipient == me.device_id())
        .ok_or_else(tampered)?;
    let info = key_context(bundle.id, bundle.signer, me.device_id());
    let key = open_from_device(BUNDLE_KEY, me, signer, &info, &sealed_key.sealed)
        .map_err(|_| tampered())?;
    let key: [u8; 32] = key.as_slice().try_into().map_err(|_| tampered())?;
    let compressed = open(
        &SecretKey::from_bytes(key),
        binding(&bundle.header()),
        &bundle.ciphertext,
    )
    .map_err(|_| tampered())?;
    let plain = decompress(&compressed, MAX_BUNDLE_PLAIN_BYTES).ok_or_else(tampered)?;
    let parts: Vec<Vec<u8>> = postcard::from_bytes(&plain).map_err(|_| tampered())?;
    let parts: Vec<Zeroizing<Vec<u8>>> = parts.into_iter().map(Zeroizing::new).collect();
    if parts.len() != bundle.cases.len() {
        return Err(tampered());
    }
    bundle
        .cases
        .iter()
        .zip(&parts)
        .map(|(case, part)| CaseState::decode_snapshot(case.case_id, part).ok_or_else(tampered))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Change, Event};
    use crate::model::Note;

    fn state(author: DeviceId, text: &str) -> CaseState {
        let event = Event::on_new_case(author, vec![Change::NoteAdded(Note { text: text.into() })]);
        CaseState::fold(event.case_id, [&event])
    }

    struct World {
        maker: DeviceIdentity,
        reader: DeviceIdentity,
        other: DeviceIdentity,
        states: Vec<CaseState>,
        bundle: WireBundle,
    }

    fn world() -> World {
        let maker = DeviceIdentity::generate(DeviceId::random());
        let reader = DeviceIdentity::generate(DeviceId::random());
        let other = DeviceIdentity::generate(DeviceId::random());
        let states: Vec<CaseState> = (0..3)
            .map(|i| state(maker.device_id(), &format!("synthetic note {i}, có dấu")))
            .collect();
        let cases = states
            .iter()
            .enumerate()
            .map(|(i, s)| BundledCase {
                case_id: s.id,
                epoch: 0,
                covers_seq: 10 + i as u64,
            })
            .collect();
        let encoded: Vec<_> = states
            .iter()
            .map(|s| Zeroizing::new(s.encode_snapshot().unwrap()))
            .collect();
        let bundle = seal_bundle(&maker, &[reader.public()], cases, &encoded);
        World {
            maker,
            reader,
            other,
            states,
            bundle,
        }
    }

    #[test]
    fn the_recipient_opens_every_state_in_order() {
        let w = world();
        let opened = open_bundle(&w.bundle, &w.reader, &w.maker.public()).unwrap();
        assert_eq!(opened, w.states);
        assert!(
            w.bundle.ciphertext.len() < 3 * w.states[0].encode_snapshot().unwrap().len(),
            "compressed together"
        );
    }

    #[test]
    fn others_and_tampering_are_refused() {
        let w = world();
        let maker = w.maker.public();
        assert!(
            open_bundle(&w.bundle, &w.other, &maker).is_err(),
            "not a recipient"
        );
        assert!(
            open_bundle(&w.bundle, &w.reader, &w.other.public()).is_err(),
            "another signer"
        );
        let mutations: Vec<fn(&mut WireBundle)> = vec![
            |b| b.ciphertext[20] ^= 1,
            |b| b.cases[0].covers_seq += 1,
            |b| b.cases.swap(0, 1),
            |b| {
                b.cases.pop();
            },
            |b| b.keys[0].sealed[5] ^= 1,
            |b| b.signature[3] ^= 1,
            |b| b.signature.clear(),
            |b| b.id = EventId::random(),
        ];
        for mutate in mutations {
            let mut bad = w.bundle.clone();
            mutate(&mut bad);
            assert!(open_bundle(&bad, &w.reader, &maker).is_err());
        }
    }

    #[test]
    fn a_re_signed_bundle_still_needs_a_consistent_body() {
        // Even the signer cannot change the case list after sealing (the
        // ciphertext is bound to it) or list a case twice.
        let w = world();
        let mut short = w.bundle.clone();
        short.cases.pop();
        short.signature = w.maker.sign(&short.signed_message());
        assert!(matches!(
            open_bundle(&short, &w.reader, &w.maker.public()),
            Err(Error::Tampered { .. })
        ));
        let mut twice = w.bundle.clone();
        twice.cases[1].case_id = twice.cases[0].case_id;
        twice.signature = w.maker.sign(&twice.signed_message());
        assert!(verify_bundle(&twice, &w.maker.public().verifier().unwrap()).is_err());
    }
}
