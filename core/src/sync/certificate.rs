//! Certified device keys: who may receive a case key, whose team entries,
//! events and messages count, is decided by signatures that lead back to
//! the province's root key, never by the server's word.
//!
//! - The **root** is the signing key of the first provincial officer's
//!   device, fixed when it enrols with the server's one bootstrap code. It
//!   certifies itself.
//! - Every other device is certified by the one who invited it. The
//!   inviting phone makes the invitation code itself: from the code it
//!   derives an id (the only part the server sees) and a one-time **grant
//!   key**. It signs a [`Grant`] (role, commune, root, expiry, grant key)
//!   with its own key, and with the grant key. The invited phone, typing or
//!   scanning the same code, derives the same grant key, checks that the
//!   grant the server hands it was made with it (so the root it learns is
//!   the inviter's, not the server's), and signs its own public keys with
//!   the grant key. That signature, the grant and the device's keys are its
//!   [`DeviceCertificate`].
//! - A device checks a certificate by its chain: the grant signed by an
//!   issuer whose own certificate checks, back to the root, with each link
//!   inviting only what its role may invite, in its own commune.
//!
//! The server holds the grants and certificates to hand them out, but
//! never a code or a grant key: it can neither certify a device nor change
//! what a certificate says.

use super::identity::{DeviceIdentity, DevicePublic};
use crate::crypto::random_array;
use crate::model::{validate_commune, DeviceId, Role};
use crate::stats::registry::PROVINCE;
use crate::{Error, Result};
use ed25519_dalek::{Signer, SigningKey};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Most certificates between a device and the root, the root included
/// (root officer, officer, manager, collaborator).
pub const MAX_CHAIN: usize = 4;

/// Characters of a code a phone makes: 80 random bits, too many to try
/// even for a server that holds the grant.
const CODE_CHARS: usize = 16;
/// Characters of the server's one bootstrap code, for the first officer:
/// shorter, so that a phone given a phone's code can never be told by the
/// server that it is the root.
pub const BOOTSTRAP_CODE_CHARS: usize = 12;
/// Letters and digits that cannot be mistaken for one another.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new invitation code, in groups of four (`ABCD-EFGH-JKLM-NPQR`), with
/// `chars` random characters of 5 bits each.
pub fn new_code(chars: usize) -> String {
    let random: Vec<u8> = (0..chars).map(|_| random_array::<1>()[0]).collect();
    let letters: Vec<char> = random
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// What an invitation code gives the two phones that share it: the id the
/// server knows the invitation by, and the grant key, which the server
/// never learns.
pub struct InvitationSecret {
    id: String,
    grant_seed: Zeroizing<[u8; 32]>,
}

impl InvitationSecret {
    /// A new code, for an invitation this phone makes.
    pub fn new_code() -> String {
        new_code(CODE_CHARS)
    }

    /// The secret of `code`, as typed or scanned (case, spaces and dashes
    /// do not matter, as they did not when the server made the codes).
    pub fn from_code(code: &str) -> Self {
        let normalised: String = code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let hkdf = Hkdf::<Sha256>::new(Some(b"binhan/invitation/v1"), normalised.as_bytes());
        let mut id = [0u8; 16];
        let mut grant_seed = Zeroizing::new([0u8; 32]);
        // Expanding to 16 or 32 bytes of SHA-256 cannot fail.
        let _ = hkdf.expand(b"id", &mut id);
        let _ = hkdf.expand(b"grant", grant_seed.as_mut());
        Self {
            id: id.iter().map(|b| format!("{b:02x}")).collect(),
            grant_seed,
        }
    }

    /// Whether `code` is the server's bootstrap code (whose phone becomes
    /// the root) rather than a code a phone made.
    pub fn is_bootstrap(code: &str) -> bool {
        code.chars().filter(char::is_ascii_alphanumeric).count() == BOOTSTRAP_CODE_CHARS
    }

    /// The invitation's id, all the server learns of the code.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.grant_seed)
    }

    /// The grant key's public half.
    pub fn grant_key(&self) -> [u8; 32] {
        self.signing_key().verifying_key().to_bytes()
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signing_key().sign(message).to_bytes().to_vec()
    }

    /// The invited device's signature, with the grant key, over its keys.
    pub fn bind(&self, device: &DevicePublic) -> Vec<u8> {
        self.sign(&binding_message(device, Some(&self.grant_key())))
    }
}

/// What a grant key (or, for the root, the device itself) signs to certify
/// a device's keys.
pub(crate) fn binding_message(device: &DevicePublic, grant_key: Option<&[u8; 32]>) -> Vec<u8> {
    let mut m = b"binhan/certificate/v1".to_vec();
    m.extend(postcard::to_allocvec(&(device, grant_key)).unwrap_or_default());
    m
}

/// Checks `signature` over `message` by the Ed25519 key `key`.
fn verify_key(key: &[u8; 32], message: &[u8], signature: &[u8], whose: DeviceId) -> Result<()> {
    DevicePublic {
        device_id: whose,
        sign_key: *key,
        exchange_key: [0; 32],
    }
    .verify(message, signature)
}

fn tampered(device: DeviceId) -> Error {
    Error::Tampered {
        record: format!("certificate of device {device}"),
    }
}

/// An inviter's word that whoever holds the grant key may join as `role`
/// in `commune`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Role granted.
    pub role: Role,
    /// Commune granted (a commune code, or `province`).
    pub commune: String,
    /// The device that invited.
    pub issuer: DeviceId,
    /// The province's root key, as the issuer holds it.
    pub root: [u8; 32],
    /// When the code stops working (ms since 1970, UTC).
    pub expires_at_ms: u64,
    /// The public half of the key derived from the code.
    pub grant_key: [u8; 32],
    /// The issuer's signature over all the above.
    pub issuer_signature: Vec<u8>,
    /// The grant key's signature over all the above: only a holder of the
    /// code could make it.
    pub code_signature: Vec<u8>,
}

impl Grant {
    /// What both signatures cover.
    fn content(&self) -> Vec<u8> {
        let mut m = b"binhan/grant/v1".to_vec();
        let unsigned = (
            self.role,
            &self.commune,
            &self.issuer,
            &self.root,
            self.expires_at_ms,
            &self.grant_key,
        );
        m.extend(postcard::to_allocvec(&unsigned).unwrap_or_default());
        m
    }

    /// A grant by `issuer`, made with the code of `secret`.
    pub fn issue(
        issuer: &DeviceIdentity,
        root: [u8; 32],
        secret: &InvitationSecret,
        role: Role,
        commune: &str,
        expires_at_ms: u64,
    ) -> Self {
        let mut grant = Self {
            role,
            commune: commune.to_string(),
            issuer: issuer.device_id(),
            root,
            expires_at_ms,
            grant_key: secret.grant_key(),
            issuer_signature: Vec::new(),
            code_signature: Vec::new(),
        };
        let content = grant.content();
        grant.issuer_signature = issuer.sign(&content);
        grant.code_signature = secret.sign(&content);
        grant
    }

    /// Checks that the grant was made with the code of `secret` (so what it
    /// says, the root above all, is the inviter's), by the phone that holds
    /// it.
    pub fn check_made_with(&self, secret: &InvitationSecret) -> Result<()> {
        if self.grant_key != secret.grant_key() {
            return Err(tampered(self.issuer));
        }
        verify_key(
            &self.grant_key,
            &self.content(),
            &self.code_signature,
            self.issuer,
        )
        .map_err(|_| tampered(self.issuer))
    }

    /// Checks both signatures: the issuer's, by `issuer`, and the code's.
    pub fn check_signatures(&self, issuer: &DevicePublic) -> Result<()> {
        let content = self.content();
        let by_issuer = issuer.device_id == self.issuer
            && issuer.verify(&content, &self.issuer_signature).is_ok();
        let by_code =
            verify_key(&self.grant_key, &content, &self.code_signature, self.issuer).is_ok();
        if by_issuer && by_code {
            Ok(())
        } else {
            Err(tampered(issuer.device_id))
        }
    }

    /// Checks the signatures, and that `issuer` (whose certificate the
    /// caller checked) may grant this role in this commune.
    fn check_issued_by(&self, issuer: &DeviceCertificate) -> Result<()> {
        let from = issuer.device.device_id;
        self.check_signatures(&issuer.device)?;
        let role = issuer.role();
        let scoped = role == Role::ProvincialOfficer || self.commune == issuer.commune();
        if !role.may_invite(self.role) || !scoped || !commune_suits(self.role, &self.commune) {
            return Err(tampered(from));
        }
        Ok(())
    }
}

/// Whether `commune` suits `role`: `province` for a provincial officer, a
/// commune code of the province for anyone else.
pub fn commune_suits(role: Role, commune: &str) -> bool {
    if role == Role::ProvincialOfficer {
        commune == PROVINCE
    } else {
        validate_commune("commune", commune).is_ok()
    }
}

/// A device's keys, certified: by a grant and the grant key's signature,
/// or, for the root, by the device itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCertificate {
    /// The device and its public keys.
    pub device: DevicePublic,
    /// The grant it enrolled with (none for the root).
    pub grant: Option<Grant>,
    /// The grant key's signature over the device's keys (the root's own).
    pub binding: Vec<u8>,
}

impl DeviceCertificate {
    /// The root's certificate of itself.
    pub fn root(identity: &DeviceIdentity) -> Self {
        let device = identity.public();
        Self {
            device,
            grant: None,
            binding: identity.sign(&binding_message(&device, None)),
        }
    }

    /// The certificate of `device`, invited with `grant`, bound by the
    /// invited device's `binding` ([`InvitationSecret::bind`]).
    pub fn invited(device: DevicePublic, grant: Grant, binding: Vec<u8>) -> Self {
        Self {
            device,
            grant: Some(grant),
            binding,
        }
    }

    /// The role it certifies.
    pub fn role(&self) -> Role {
        self.grant
            .as_ref()
            .map_or(Role::ProvincialOfficer, |g| g.role)
    }

    /// The commune it certifies.
    pub fn commune(&self) -> &str {
        self.grant.as_ref().map_or(PROVINCE, |g| &g.commune)
    }

    /// Who certified it (none for the root).
    pub fn issuer(&self) -> Option<DeviceId> {
        self.grant.as_ref().map(|g| g.issuer)
    }

    /// Checks the binding of the device's keys alone: what the server can
    /// check at enrolment, without the chain.
    pub fn check_binding(&self) -> Result<()> {
        let id = self.device.device_id;
        let (key, grant_key) = match &self.grant {
            Some(grant) => (&grant.grant_key, Some(&grant.grant_key)),
            None => (&self.device.sign_key, None),
        };
        verify_key(
            key,
            &binding_message(&self.device, grant_key),
            &self.binding,
            id,
        )
        .map_err(|_| tampered(id))
    }

    /// Checks this certificate under `root`, given its issuer's certificate
    /// (already checked the same way; none for the root itself).
    pub fn check(&self, root: &[u8; 32], issuer: Option<&DeviceCertificate>) -> Result<()> {
        let id = self.device.device_id;
        self.check_binding()?;
        match (&self.grant, issuer) {
            (None, None) if &self.device.sign_key == root => Ok(()),
            (Some(grant), Some(issuer)) if &grant.root == root => grant.check_issued_by(issuer),
            _ => Err(tampered(id)),
        }
    }
}

/// A provincial officer's word, signed with its certified device key, that
/// `key` is the key the province signs its shelter directory, road network
/// and registries with. A device that was not given the key pins what the
/// server hands out only with an endorsement by an officer whose
/// certificate checks back to its root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEndorsement {
    /// The provincial key.
    pub key: [u8; 32],
    /// The officer's device.
    pub endorser: DeviceId,
    /// The officer's signature.
    pub signature: Vec<u8>,
}

impl KeyEndorsement {
    fn message(key: &[u8; 32]) -> Vec<u8> {
        let mut m = b"binhan/provincial-key/v1".to_vec();
        m.extend_from_slice(key);
        m
    }

    /// `officer`'s endorsement of `key`.
    pub fn sign(officer: &DeviceIdentity, key: [u8; 32]) -> Self {
        Self {
            key,
            endorser: officer.device_id(),
            signature: officer.sign(&Self::message(&key)),
        }
    }

    /// Checks the signature by `endorser` (whose keys the caller took from
    /// a checked certificate) over `key`, and that it certifies an officer.
    pub fn check(&self, key: &[u8; 32], endorser: &DevicePublic, role: Role) -> Result<()> {
        let bad = || Error::Tampered {
            record: "endorsement of the provincial key".into(),
        };
        if &self.key != key
            || endorser.device_id != self.endorser
            || role != Role::ProvincialOfficer
        {
            return Err(bad());
        }
        endorser
            .verify(&Self::message(key), &self.signature)
            .map_err(|_| bad())
    }
}

/// Checks `certificate` and the chain of its issuers' certificates back to
/// `root`: `issuers` holds them, in any order (others are ignored).
pub fn check_chain(
    certificate: &DeviceCertificate,
    issuers: &[DeviceCertificate],
    root: &[u8; 32],
) -> Result<()> {
    let mut chain = vec![certificate];
    while let Some(issuer) = chain.last().and_then(|c| c.issuer()) {
        let next = issuers
            .iter()
            .find(|c| c.device.device_id == issuer)
            .ok_or_else(|| tampered(certificate.device.device_id))?;
        if chain.len() == MAX_CHAIN || chain.iter().any(|c| c.device.device_id == issuer) {
            return Err(tampered(certificate.device.device_id));
        }
        chain.push(next);
    }
    // From the root down, each checked under the one above it.
    let mut above: Option<&DeviceCertificate> = None;
    for link in chain.into_iter().rev() {
        link.check(root, above)?;
        above = Some(link);
    }
    Ok(())
}

#[cfg(test)]
#[path = "certificate_tests.rs"]
mod tests;
