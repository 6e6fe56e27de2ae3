//! Certificates: what checks, and each way a server (or anyone without the
//! code) could try to make a certificate that does not.

use super::*;

/// A root officer, a manager of `ban_bo` it invited, and a collaborator the
/// manager invited: identities and certificates.
struct Province {
    root: DeviceIdentity,
    root_cert: DeviceCertificate,
    manager: DeviceIdentity,
    manager_cert: DeviceCertificate,
    collaborator_cert: DeviceCertificate,
}

fn invite(
    issuer: &DeviceIdentity,
    root: &DeviceIdentity,
    role: Role,
    commune: &str,
) -> (DeviceIdentity, DeviceCertificate) {
    let code = InvitationSecret::new_code();
    let secret = InvitationSecret::from_code(&code);
    let grant = Grant::issue(issuer, root_key(root), &secret, role, commune, 1 << 50);
    // The invited phone, with the same code typed differently.
    let typed = InvitationSecret::from_code(&format!(" {} ", code.to_lowercase()));
    grant.check_made_with(&typed).unwrap();
    let device = DeviceIdentity::generate(DeviceId::random());
    let binding = typed.bind(&device.public());
    let cert = DeviceCertificate::invited(device.public(), grant, binding);
    (device, cert)
}

fn root_key(root: &DeviceIdentity) -> [u8; 32] {
    root.public().sign_key
}

fn province() -> Province {
    let root = DeviceIdentity::generate(DeviceId::random());
    let root_cert = DeviceCertificate::root(&root);
    let (manager, manager_cert) = invite(&root, &root, Role::CommuneCaseManager, "ban_bo");
    let (_, collaborator_cert) = invite(&manager, &root, Role::Collaborator, "ban_bo");
    Province {
        root,
        root_cert,
        manager,
        manager_cert,
        collaborator_cert,
    }
}

#[test]
fn a_chain_back_to_the_root_checks() {
    let p = province();
    let root = root_key(&p.root);
    let issuers = [p.manager_cert.clone(), p.root_cert.clone()];
    check_chain(&p.root_cert, &[], &root).unwrap();
    check_chain(&p.manager_cert, &issuers, &root).unwrap();
    check_chain(&p.collaborator_cert, &issuers, &root).unwrap();
    assert_eq!(p.collaborator_cert.role(), Role::Collaborator);
    assert_eq!(p.collaborator_cert.commune(), "ban_bo");
    assert_eq!(p.root_cert.role(), Role::ProvincialOfficer);
    assert_eq!(p.root_cert.commune(), PROVINCE);
}

#[test]
fn codes_are_long_and_their_secrets_differ() {
    let a = InvitationSecret::new_code();
    assert_eq!(a.len(), 19, "{a}");
    assert_ne!(a, InvitationSecret::new_code());
    let (x, y) = (
        InvitationSecret::from_code(&a),
        InvitationSecret::from_code(&InvitationSecret::new_code()),
    );
    assert_ne!(x.id(), y.id());
    assert_ne!(x.grant_key(), y.grant_key());
    assert!(!x.id().contains(&a), "the id does not reveal the code");
}

#[test]
fn a_code_typed_without_its_dashes_or_with_spaces_is_the_same_code() {
    let code = InvitationSecret::new_code();
    let secret = InvitationSecret::from_code(&code);
    for typed in [
        code.replace('-', ""),
        code.replace('-', " ").to_lowercase(),
        format!("  {}\n", code.to_lowercase()),
    ] {
        let again = InvitationSecret::from_code(&typed);
        assert_eq!(again.id(), secret.id(), "{typed:?}");
        assert_eq!(again.grant_key(), secret.grant_key(), "{typed:?}");
    }
}

#[test]
fn another_root_is_refused() {
    let p = province();
    let rogue = DeviceIdentity::generate(DeviceId::random());
    let issuers = [p.manager_cert.clone(), p.root_cert.clone()];
    // The same chain, under another root; and a second self-made root.
    assert!(check_chain(&p.collaborator_cert, &issuers, &root_key(&rogue)).is_err());
    let rogue_root = DeviceCertificate::root(&rogue);
    assert!(check_chain(&rogue_root, &[], &root_key(&p.root)).is_err());
}

#[test]
fn a_server_without_the_code_cannot_certify() {
    let p = province();
    let root = root_key(&p.root);
    let issuers = [p.manager_cert.clone(), p.root_cert.clone()];
    let stranger = DeviceIdentity::generate(DeviceId::random());
    // The manager's real grant, bound to the stranger's keys by a key that
    // is not the grant key (the server's own).
    let mut stolen = p.collaborator_cert.clone();
    stolen.device = stranger.public();
    stolen.binding = stranger.sign(b"anything");
    assert!(check_chain(&stolen, &issuers, &root).is_err());
    // A certificate with no grant that is not the root.
    let mut no_grant = DeviceCertificate::root(&stranger);
    no_grant.grant = None;
    assert!(check_chain(&no_grant, &issuers, &root).is_err());
    // A grant the server makes with a code of its own, "issued" by the
    // manager: the manager never signed it.
    let secret = InvitationSecret::from_code(&InvitationSecret::new_code());
    let mut forged = Grant::issue(
        &stranger,
        root,
        &secret,
        Role::CommuneCaseManager,
        "ban_bo",
        1,
    );
    forged.issuer = p.manager.device_id();
    let forged_cert = DeviceCertificate::invited(
        stranger.public(),
        forged.clone(),
        secret.bind(&stranger.public()),
    );
    assert!(check_chain(&forged_cert, &issuers, &root).is_err());
    // The invited phone refuses a grant not made with its code.
    assert!(forged
        .check_made_with(&InvitationSecret::from_code("SYNT-HETI-C000-CODE"))
        .is_err());
}

#[test]
fn what_a_certificate_says_cannot_be_changed() {
    let p = province();
    let root = root_key(&p.root);
    let issuers = [p.manager_cert.clone(), p.root_cert.clone()];
    let mut changes: Vec<DeviceCertificate> = Vec::new();
    for change in 0..5 {
        let mut cert = p.collaborator_cert.clone();
        let grant = cert.grant.as_mut().unwrap();
        match change {
            0 => grant.role = Role::CommuneCaseManager,
            1 => grant.commune = "binh_lu".into(),
            2 => grant.expires_at_ms += 1,
            3 => cert.device.exchange_key = [7; 32],
            _ => grant.root = [1; 32],
        }
        changes.push(cert);
    }
    for cert in changes {
        assert!(check_chain(&cert, &issuers, &root).is_err());
    }
}

#[test]
fn each_link_grants_only_what_its_role_may() {
    let p = province();
    let root = root_key(&p.root);
    let issuers = [p.manager_cert.clone(), p.root_cert.clone()];
    // A manager cannot make an officer, nor a collaborator of another commune.
    let (_, officer) = invite(&p.manager, &p.root, Role::ProvincialOfficer, PROVINCE);
    assert!(check_chain(&officer, &issuers, &root).is_err());
    let (_, elsewhere) = invite(&p.manager, &p.root, Role::Collaborator, "binh_lu");
    assert!(check_chain(&elsewhere, &issuers, &root).is_err());
    // An officer can, anywhere; an officer's commune is the province.
    let (_, officer) = invite(&p.root, &p.root, Role::ProvincialOfficer, PROVINCE);
    check_chain(&officer, &issuers, &root).unwrap();
    let (_, bad) = invite(&p.root, &p.root, Role::ProvincialOfficer, "ban_bo");
    assert!(check_chain(&bad, &issuers, &root).is_err());
    // A collaborator invites nobody.
    let (collaborator, collaborator_cert) =
        invite(&p.manager, &p.root, Role::Collaborator, "ban_bo");
    let (_, invited) = invite(&collaborator, &p.root, Role::Collaborator, "ban_bo");
    let with = [issuers[0].clone(), issuers[1].clone(), collaborator_cert];
    assert!(check_chain(&invited, &with, &root).is_err());
}

#[test]
fn a_missing_or_looping_chain_is_refused() {
    let p = province();
    let root = root_key(&p.root);
    assert!(check_chain(
        &p.collaborator_cert,
        std::slice::from_ref(&p.root_cert),
        &root
    )
    .is_err());
    // Officers inviting officers, deeper than any real chain.
    let mut issuer = (p.root.clone(), p.root_cert.clone());
    let mut all = vec![p.root_cert.clone()];
    for _ in 0..MAX_CHAIN {
        let next = invite(&issuer.0, &p.root, Role::ProvincialOfficer, PROVINCE);
        all.push(next.1.clone());
        issuer = next;
    }
    assert!(check_chain(&issuer.1, &all, &root).is_err());
    check_chain(&all[MAX_CHAIN - 1], &all, &root).unwrap();
}
