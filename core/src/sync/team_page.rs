//! Team pages: the team changes of many cases with the same members, made
//! together by one device, signed once, with each member's case keys sealed
//! once for the whole page.
//!
//! A new member of a commune's cases used to receive one signed entry per
//! case, each with its own key wrap (239 bytes a case, most of a new case
//! manager's first download). A page pays the signature and each
//! recipient's seal once: what remains per case is its id, its epoch and
//! 32 bytes of key for each member who needs it.
//!
//! Only changes that set the same members share a page, so every device a
//! page is served to was on the team of each of its cases when it was made.

use super::bundle::distinct_within;
use super::wire::{PageChange, PageKeys, TeamPage, MAX_PAGE_CHANGES, MAX_TEAM_MEMBERS};
use super::wrap::{open_from_device, seal_to_device, Purpose};
use super::{DeviceIdentity, DevicePublic, Verifier};
use crate::crypto::SecretKey;
use crate::error::Rule;
use crate::model::{CaseId, DeviceId, EventId};
use crate::{Error, Result};
use std::collections::BTreeSet;
use zeroize::Zeroizing;

/// Most case keys one page carries for one member.
pub const MAX_PAGE_KEYS: usize = 1_500;

/// Largest sealed list of keys: [`MAX_PAGE_KEYS`] keys of at most 42
/// bytes in postcard (two varints and the key), the list's length, nonce
/// and tag.
const MAX_SEALED_KEYS_BYTES: usize = MAX_PAGE_KEYS * 42 + 64;

const PAGE_KEYS: Purpose = Purpose {
    salt: b"binhan/team-page-keys/v1",
    table: "team-page-keys",
    field: "case_keys",
};

/// A key a page carries: the key of `epoch` of the case of the page's
/// change number `change`.
#[derive(Debug, Clone, Copy)]
pub struct PageKey<'k> {
    /// Index into the page's changes.
    pub change: u32,
    /// The epoch whose key it is.
    pub epoch: u32,
    /// The key.
    pub key: &'k SecretKey,
}

fn key_context(page: EventId, signer: DeviceId, recipient: DeviceId) -> Vec<u8> {
    let mut info = Vec::with_capacity(48);
    info.extend_from_slice(page.as_bytes());
    info.extend_from_slice(signer.as_bytes());
    info.extend_from_slice(recipient.as_bytes());
    info
}

/// Makes and signs a page of `changes` (each setting `members`), carrying
/// `keys` for each recipient.
pub fn seal_team_page(
    signer: &DeviceIdentity,
    members: Vec<DeviceId>,
    changes: Vec<PageChange>,
    keys: &[(&DevicePublic, Vec<PageKey<'_>>)],
) -> TeamPage {
    let mut page = TeamPage {
        id: EventId::random(),
        members,
        changes,
        keys: Vec::with_capacity(keys.len()),
        signer: signer.device_id(),
        signature: Vec::new(),
    };
    for (recipient, carried) in keys {
        let list: Vec<(u32, u32, &[u8; 32])> = carried
            .iter()
            .map(|k| (k.change, k.epoch, k.key.as_bytes()))
            .collect();
        let plain = Zeroizing::new(postcard::to_allocvec(&list).unwrap_or_default());
        let info = key_context(page.id, page.signer, recipient.device_id);
        page.keys.push(PageKeys {
            recipient: recipient.device_id,
            sealed: seal_to_device(PAGE_KEYS, signer, recipient, &info, &plain),
        });
    }
    page.signature = signer.sign(&page.signed_message());
    page
}

/// Checks a page's shape (its cases, members and recipients within bounds,
/// none twice, every recipient a member other than the signer) and its
/// signer's signature: what the server and every device check.
pub fn verify_team_page(page: &TeamPage, signer: &Verifier) -> Result<()> {
    if signer.device_id() != page.signer {
        return Err(Error::invalid("team_page.signer", Rule::SignerMismatch));
    }
    let out_of_range = |field: &str, max: usize| {
        Error::invalid(
            field,
            Rule::OutOfRange {
                min: 1,
                max: max as u64,
            },
        )
    };
    if !distinct_within(page.changes.iter().map(|c| c.case_id), MAX_PAGE_CHANGES) {
        return Err(out_of_range("team_page.changes", MAX_PAGE_CHANGES));
    }
    if !distinct_within(page.members.iter(), MAX_TEAM_MEMBERS) {
        return Err(out_of_range("team_page.members", MAX_TEAM_MEMBERS));
    }
    let recipients: BTreeSet<DeviceId> = page.keys.iter().map(|k| k.recipient).collect();
    let well_addressed = recipients.len() == page.keys.len()
        && recipients
            .iter()
            .all(|r| *r != page.signer && page.members.contains(r));
    if !well_addressed {
        return Err(out_of_range("team_page.keys", page.members.len()));
    }
    if page
        .keys
        .iter()
        .any(|k| k.sealed.len() > MAX_SEALED_KEYS_BYTES)
    {
        return Err(out_of_range("team_page.keys", MAX_SEALED_KEYS_BYTES));
    }
    signer.verify(&page.signed_message(), &page.signature)
}

/// Opens the case keys a page (already verified) carries for `me`: each
/// case with the epoch and key. None if it carries none for `me`. Keys
/// that do not open, name no change of the page, come for an epoch after
/// their change's, or come twice refuse the whole page.
pub fn open_page_keys(
    page: &TeamPage,
    me: &DeviceIdentity,
    signer: &DevicePublic,
) -> Result<Vec<(CaseId, u32, SecretKey)>> {
    let Some(sealed) = page.keys.iter().find(|k| k.recipient == me.device_id()) else {
        return Ok(Vec::new());
    };
    let tampered = || Error::Tampered {
        record: format!("case keys of team page {}", page.id),
    };
    let info = key_context(page.id, page.signer, me.device_id());
    let plain =
        open_from_device(PAGE_KEYS, me, signer, &info, &sealed.sealed).map_err(|_| tampered())?;
    let list: Vec<(u32, u32, [u8; 32])> = postcard::from_bytes(&plain).map_err(|_| tampered())?;
    let list = Zeroizing::new(list);
    if list.len() > MAX_PAGE_KEYS {
        return Err(tampered());
    }
    let mut seen = BTreeSet::new();
    list.iter()
        .map(|&(change, epoch, key)| {
            let change_of = page.changes.get(change as usize).ok_or_else(tampered)?;
            if epoch > change_of.epoch || !seen.insert((change, epoch)) {
                return Err(tampered());
            }
            Ok((change_of.case_id, epoch, SecretKey::from_bytes(key)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct World {
        maker: DeviceIdentity,
        reader: DeviceIdentity,
        stranger: DeviceIdentity,
        keys: Vec<SecretKey>,
        page: TeamPage,
    }

    /// A page of three new cases' teams (maker and reader), each case's
    /// key carried for the reader; the third case also at epoch 1.
    fn world() -> World {
        let maker = DeviceIdentity::generate(DeviceId::random());
        let reader = DeviceIdentity::generate(DeviceId::random());
        let stranger = DeviceIdentity::generate(DeviceId::random());
        let keys: Vec<SecretKey> = (0..4).map(|_| SecretKey::random()).collect();
        let changes: Vec<PageChange> = [0, 0, 1]
            .into_iter()
            .map(|epoch| PageChange {
                case_id: CaseId::random(),
                epoch,
            })
            .collect();
        let carried = vec![
            PageKey {
                change: 0,
                epoch: 0,
                key: &keys[0],
            },
            PageKey {
                change: 1,
                epoch: 0,
                key: &keys[1],
            },
            PageKey {
                change: 2,
                epoch: 0,
                key: &keys[2],
            },
            PageKey {
                change: 2,
                epoch: 1,
                key: &keys[3],
            },
        ];
        let members = vec![maker.device_id(), reader.device_id()];
        let reader_public = reader.public();
        let page = seal_team_page(&maker, members, changes, &[(&reader_public, carried)]);
        World {
            maker,
            reader,
            stranger,
            keys,
            page,
        }
    }

    fn verifier(identity: &DeviceIdentity) -> Verifier {
        identity.public().verifier().unwrap()
    }

    #[test]
    fn the_recipient_opens_each_cases_keys_and_no_one_else_does() {
        let w = world();
        verify_team_page(&w.page, &verifier(&w.maker)).unwrap();
        let opened = open_page_keys(&w.page, &w.reader, &w.maker.public()).unwrap();
        let expected: Vec<(CaseId, u32, [u8; 32])> = [(0, 0), (1, 0), (2, 0), (2, 1)]
            .iter()
            .zip(&w.keys)
            .map(|(&(change, epoch), key)| (w.page.changes[change].case_id, epoch, *key.as_bytes()))
            .collect();
        let got: Vec<(CaseId, u32, [u8; 32])> = opened
            .iter()
            .map(|(case, epoch, key)| (*case, *epoch, *key.as_bytes()))
            .collect();
        assert_eq!(got, expected);
        // The signer carries none for itself; a stranger finds none.
        assert!(open_page_keys(&w.page, &w.maker, &w.maker.public())
            .unwrap()
            .is_empty());
        assert!(open_page_keys(&w.page, &w.stranger, &w.maker.public())
            .unwrap()
            .is_empty());
        // Sealed by someone else, nothing opens.
        assert!(open_page_keys(&w.page, &w.reader, &w.stranger.public()).is_err());
    }

    #[test]
    fn any_change_to_a_signed_page_is_refused() {
        let w = world();
        let maker = verifier(&w.maker);
        let mutations: Vec<fn(&mut TeamPage)> = vec![
            |p| p.changes[0].epoch += 1,
            |p| p.changes.swap(0, 1),
            |p| {
                p.changes.pop();
            },
            |p| p.members.push(DeviceId::random()),
            |p| p.keys[0].sealed[7] ^= 1,
            |p| p.signature[3] ^= 1,
            |p| p.signature.clear(),
            |p| p.id = EventId::random(),
        ];
        for mutate in mutations {
            let mut bad = w.page.clone();
            mutate(&mut bad);
            assert!(verify_team_page(&bad, &maker).is_err());
        }
        assert!(
            verify_team_page(&w.page, &verifier(&w.stranger)).is_err(),
            "another signer"
        );
    }

    /// Even its signer cannot make a page that breaks the shape: a case
    /// twice, a key for a non-member or for itself, no cases; nor carry a
    /// key for a change the page has not, or one of a later epoch.
    #[test]
    fn a_re_signed_page_still_needs_its_shape() {
        let w = world();
        let maker = verifier(&w.maker);
        let resign = |page: &mut TeamPage| page.signature = w.maker.sign(&page.signed_message());
        let mut twice = w.page.clone();
        twice.changes[1].case_id = twice.changes[0].case_id;
        resign(&mut twice);
        let mut stranger_key = w.page.clone();
        stranger_key.keys[0].recipient = w.stranger.device_id();
        resign(&mut stranger_key);
        let mut own_key = w.page.clone();
        own_key.keys[0].recipient = w.maker.device_id();
        resign(&mut own_key);
        let mut empty = w.page.clone();
        empty.changes.clear();
        resign(&mut empty);
        let mut crowded = w.page.clone();
        crowded.members = (0..=MAX_TEAM_MEMBERS).map(|_| DeviceId::random()).collect();
        resign(&mut crowded);
        for bad in [twice, stranger_key, own_key, empty, crowded] {
            assert!(verify_team_page(&bad, &maker).is_err());
        }

        let key = SecretKey::random();
        let reader = w.reader.public();
        for (change, epoch) in [(3, 0), (0, 1)] {
            let page = seal_team_page(
                &w.maker,
                w.page.members.clone(),
                w.page.changes.clone(),
                &[(
                    &reader,
                    vec![PageKey {
                        change,
                        epoch,
                        key: &key,
                    }],
                )],
            );
            verify_team_page(&page, &maker).unwrap();
            assert!(matches!(
                open_page_keys(&page, &w.reader, &w.maker.public()),
                Err(Error::Tampered { .. })
            ));
        }
    }
}
