//! Revocations: who may revoke whom, and each way a server (or a device
//! not allowed) could try to make one that checks.

use super::*;
use crate::sync::certificate::{Grant, InvitationSecret};

fn invite(
    issuer: &DeviceIdentity,
    root: &[u8; 32],
    role: Role,
    commune: &str,
) -> (DeviceIdentity, DeviceCertificate) {
    let secret = InvitationSecret::from_code(&InvitationSecret::new_code());
    let grant = Grant::issue(issuer, *root, &secret, role, commune, 1 << 50);
    let device = DeviceIdentity::generate(DeviceId::random());
    let binding = secret.bind(&device.public());
    (
        device.clone(),
        DeviceCertificate::invited(device.public(), grant, binding),
    )
}

/// A root officer, a manager of `ban_bo` and of `mu_ca`, a collaborator of
/// `ban_bo`.
struct Province {
    root_key: [u8; 32],
    officer: (DeviceIdentity, DeviceCertificate),
    manager: (DeviceIdentity, DeviceCertificate),
    other_manager: (DeviceIdentity, DeviceCertificate),
    collaborator: (DeviceIdentity, DeviceCertificate),
}

fn province() -> Province {
    let root = DeviceIdentity::generate(DeviceId::random());
    let root_key = root.public().sign_key;
    let root_cert = DeviceCertificate::root(&root);
    let manager = invite(&root, &root_key, Role::CommuneCaseManager, "ban_bo");
    let other_manager = invite(&root, &root_key, Role::CommuneCaseManager, "mu_ca");
    let collaborator = invite(&manager.0, &root_key, Role::Collaborator, "ban_bo");
    Province {
        root_key,
        officer: (root, root_cert),
        manager,
        other_manager,
        collaborator,
    }
}

impl Province {
    fn chain(&self) -> Vec<DeviceCertificate> {
        vec![self.officer.1.clone(), self.manager.1.clone()]
    }

    /// The proof of `by`'s revocation of the collaborator.
    fn proof(&self, by: &(DeviceIdentity, DeviceCertificate)) -> RevocationProof {
        RevocationProof {
            revocation: Revocation::sign(&by.0, self.collaborator.0.device_id(), 1_000),
            revoker: by.1.clone(),
            chain: self.chain(),
        }
    }

    fn check(&self, proof: &RevocationProof) -> Result<()> {
        let target = self.collaborator.0.device_id();
        proof.check(target, Role::Collaborator, "ban_bo", &self.root_key)
    }
}

#[test]
fn the_officer_and_the_commune_manager_may_revoke() {
    let p = province();
    p.check(&p.proof(&p.officer)).unwrap();
    p.check(&p.proof(&p.manager)).unwrap();
    assert!(may_revoke(
        Role::ProvincialOfficer,
        "province",
        Role::ProvincialOfficer,
        "province"
    ));
    assert!(!may_revoke(
        Role::CommuneCaseManager,
        "ban_bo",
        Role::ProvincialOfficer,
        "province"
    ));
}

#[test]
fn no_one_else_may_revoke() {
    let p = province();
    // A manager of another commune, a collaborator.
    assert!(p.check(&p.proof(&p.other_manager)).is_err());
    assert!(p.check(&p.proof(&p.collaborator)).is_err());
    // A device certified under another root (the server's own officer).
    let rogue = DeviceIdentity::generate(DeviceId::random());
    let rogue_cert = DeviceCertificate::root(&rogue);
    assert!(p.check(&p.proof(&(rogue, rogue_cert))).is_err());
    // A device whose certificate's chain is not given.
    let mut no_chain = p.proof(&p.manager);
    no_chain.chain.clear();
    assert!(p.check(&no_chain).is_err());
}

#[test]
fn a_changed_revocation_does_not_check() {
    let p = province();
    let honest = p.proof(&p.manager);
    // For another device.
    let mut other = honest.clone();
    other.revocation.device = DeviceId::random();
    assert!(p.check(&other).is_err());
    // The revoker's name changed to the officer's, with its certificate.
    let mut renamed = honest.clone();
    renamed.revocation.revoked_by = p.officer.0.device_id();
    renamed.revoker = p.officer.1.clone();
    assert!(p.check(&renamed).is_err());
    // Another time.
    let mut later = honest.clone();
    later.revocation.at_ms += 1;
    assert!(p.check(&later).is_err());
    // The revocation of another device shown to this one.
    let manager_revoked = RevocationProof {
        revocation: Revocation::sign(&p.officer.0, p.manager.0.device_id(), 1_000),
        revoker: p.officer.1.clone(),
        chain: vec![],
    };
    assert!(p.check(&manager_revoked).is_err());
}

#[test]
fn a_query_is_signed_by_its_device() {
    let p = province();
    let query = RevocationQuery::sign(&p.collaborator.0, 5);
    query.check(&p.collaborator.0.public()).unwrap();
    assert!(query.check(&p.manager.0.public()).is_err());
    let mut changed = query;
    changed.at_ms = 6;
    assert!(changed.check(&p.collaborator.0.public()).is_err());
}
