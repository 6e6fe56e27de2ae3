//! Signed revocations: a device is revoked by the signature of a device
//! allowed to revoke it, never by the server's word alone.
//!
//! The revoker (a provincial officer: any device; a commune case manager:
//! the devices of its own commune but officers) signs a [`Revocation`] with
//! its device key. The server checks it, stores it and hands it out with
//! the revoked device's directory record. A revoked device asks for the
//! proof ([`RevocationProof`]: the revocation, the revoker's certificate and
//! its issuers') and erases itself only when the revocation names it, is
//! signed by the revoker, the revoker's certificate checks back to the
//! root the device pinned at enrolment, and the revoker may revoke it.

use super::certificate::{check_chain, DeviceCertificate};
use super::identity::{DeviceIdentity, DevicePublic};
use crate::model::{DeviceId, Role};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// How far the time of a [`RevocationQuery`] may be from the server's
/// clock (phones' clocks drift; the query only shows a proof).
pub const QUERY_WINDOW_MS: u64 = 7 * 24 * 3_600_000;

/// Whether a device certified as `revoker_role` in `revoker_commune` may
/// revoke one certified as `role` in `commune`: an officer any device, a
/// commune case manager the devices of its own commune but officers.
pub fn may_revoke(revoker_role: Role, revoker_commune: &str, role: Role, commune: &str) -> bool {
    match revoker_role {
        Role::ProvincialOfficer => true,
        Role::CommuneCaseManager => commune == revoker_commune && role != Role::ProvincialOfficer,
        _ => false,
    }
}

fn refused() -> Error {
    Error::Tampered {
        record: "revocation".into(),
    }
}

/// A revoker's word that `device` is revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The revoked device.
    pub device: DeviceId,
    /// The device that revoked it.
    pub revoked_by: DeviceId,
    /// When, by the revoker's clock (ms since 1970, UTC).
    pub at_ms: u64,
    /// The revoker's signature over all the above.
    pub signature: Vec<u8>,
}

impl Revocation {
    fn content(device: DeviceId, revoked_by: DeviceId, at_ms: u64) -> Vec<u8> {
        let mut m = b"binhan/revocation/v1".to_vec();
        m.extend(postcard::to_allocvec(&(device, revoked_by, at_ms)).unwrap_or_default());
        m
    }

    /// `revoker`'s revocation of `device` at `at_ms`.
    pub fn sign(revoker: &DeviceIdentity, device: DeviceId, at_ms: u64) -> Self {
        let revoked_by = revoker.device_id();
        Self {
            device,
            revoked_by,
            at_ms,
            signature: revoker.sign(&Self::content(device, revoked_by, at_ms)),
        }
    }

    /// Checks the signature by `revoker` (whose id must be `revoked_by`).
    pub fn check_signature(&self, revoker: &DevicePublic) -> Result<()> {
        if revoker.device_id != self.revoked_by {
            return Err(refused());
        }
        revoker
            .verify(
                &Self::content(self.device, self.revoked_by, self.at_ms),
                &self.signature,
            )
            .map_err(|_| refused())
    }

    /// Checks the revocation of a device certified as `role` in `commune`:
    /// signed by `revoker`, whose certificate checks back to `root` through
    /// `issuers`, and who may revoke such a device.
    pub fn check(
        &self,
        role: Role,
        commune: &str,
        revoker: &DeviceCertificate,
        issuers: &[DeviceCertificate],
        root: &[u8; 32],
    ) -> Result<()> {
        self.check_signature(&revoker.device)?;
        check_chain(revoker, issuers, root).map_err(|_| refused())?;
        if !may_revoke(revoker.role(), revoker.commune(), role, commune) {
            return Err(refused());
        }
        Ok(())
    }
}

/// A revoked device's question for the proof of its revocation, signed
/// with its key so that only it learns who revoked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationQuery {
    /// The device asking.
    pub device: DeviceId,
    /// When it asks (ms since 1970, UTC).
    pub at_ms: u64,
    /// Its signature over the above.
    pub signature: Vec<u8>,
}

impl RevocationQuery {
    fn content(device: DeviceId, at_ms: u64) -> Vec<u8> {
        let mut m = b"binhan/revocation-query/v1".to_vec();
        m.extend(postcard::to_allocvec(&(device, at_ms)).unwrap_or_default());
        m
    }

    /// `identity`'s question at `at_ms`.
    pub fn sign(identity: &DeviceIdentity, at_ms: u64) -> Self {
        let device = identity.device_id();
        Self {
            device,
            at_ms,
            signature: identity.sign(&Self::content(device, at_ms)),
        }
    }

    /// Checks the signature by `device`.
    pub fn check(&self, device: &DevicePublic) -> Result<()> {
        if device.device_id != self.device {
            return Err(refused());
        }
        device
            .verify(&Self::content(self.device, self.at_ms), &self.signature)
            .map_err(|_| refused())
    }
}

/// What a revoked device is shown: its revocation, the revoker's
/// certificate and its issuers' certificates back to the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationProof {
    /// The revocation.
    pub revocation: Revocation,
    /// The revoker's certificate.
    pub revoker: DeviceCertificate,
    /// The certificates of the revoker's issuers.
    pub chain: Vec<DeviceCertificate>,
}

impl RevocationProof {
    /// Checks that the proof revokes `device`, certified as `role` in
    /// `commune` under `root`.
    pub fn check(
        &self,
        device: DeviceId,
        role: Role,
        commune: &str,
        root: &[u8; 32],
    ) -> Result<()> {
        if self.revocation.device != device {
            return Err(refused());
        }
        self.revocation
            .check(role, commune, &self.revoker, &self.chain, root)
    }
}

#[cfg(test)]
#[path = "revocation_tests.rs"]
mod tests;
