//! Who receives a case key is decided by certificates back to the
//! province's root, not by the server's word. The attacker here holds the
//! server, its database and its secret, and plants a "commune case
//! manager" by every route an operator has: a second bootstrap that
//! replaces the root, a token forged with the stored secret (and, when
//! the server refuses the forged grant, the invitation written straight
//! into the database), and a row inserted into the devices table. None of
//! them receives a key to a case recorded afterwards, and the real manager
//! still does. On SQLite and PostgreSQL. Synthetic data only.

use crate::support::{intake, now_ms, storage, Backend, Phone, RawDevice, Server, Team};
use binhan_core::cases::CaseFilter;
use binhan_core::model::{DeviceId, Role};
use binhan_core::sync::wire::{
    encode, Enrolled, InvitationRequest, PullRequest, PullResponse, DEFAULT_PULL_BYTES,
};
use binhan_core::sync::{
    enrol_request, DeviceCertificate, DeviceIdentity, Grant, InvitationSecret,
};
use binhan_server::storage::{NewInvitation, Storage};

const COMMUNE: &str = "mu_ca";

/// Every key wrap the server hands `device` on a full pull.
async fn wraps_for(device: &RawDevice) -> usize {
    let mut cursor = Vec::new();
    let mut wraps = 0;
    loop {
        let request = encode(&PullRequest {
            cursor,
            max_bytes: DEFAULT_PULL_BYTES,
            inbox_after: None,
        });
        let response = device.post("/v1/sync/pull", request, true).await;
        assert_eq!(response.status, 200, "{}", response.error_code());
        let chunk: PullResponse = response.decode();
        wraps += chunk
            .team
            .iter()
            .flat_map(|t| &t.item.wraps)
            .filter(|w| w.recipient == device.identity.device_id())
            .count();
        if !chunk.more {
            return wraps;
        }
        cursor = chunk.cursor;
    }
}

/// A device the attacker enrols by hand with `code` (it ignores what a real
/// phone would check).
async fn planted(server: &Server, code: &str) -> RawDevice {
    RawDevice::enrol(server, code).await
}

async fn a_manager_planted_by_the_server_receives_no_key(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let store = storage(&server.backend).await;
    let secret = store.server_secret().await.unwrap();
    let officer_id = team.officer.app.device_id().unwrap();

    // 1. A second bootstrap is refused…
    let refused = server.backend.bootstrap(&[]).unwrap_err();
    assert!(refused.contains("root"), "{refused}");
    // …unless told to replace the root; its officer then invites a manager.
    let replacing = server.backend.bootstrap(&["--replace-root"]).unwrap();
    let rogue_officer = Phone::enrolled(&server, &replacing).await;
    let by_new_root = rogue_officer
        .app
        .invite(Role::CommuneCaseManager, COMMUNE, 24)
        .await
        .unwrap();
    let rogue_by_root = planted(&server, &by_new_root.code).await;

    // 2. A token forged for the real officer with the stored secret, and a
    // grant the attacker signs in the officer's name: refused by the
    // server's check; so the operator writes the invitation itself.
    let attacker = DeviceIdentity::generate(DeviceId::random());
    let forged_token = binhan_server::auth::issue_token(&secret, officer_id, now_ms() + 600_000);
    let as_officer = rogue_by_root.clone_with_token(&forged_token);
    let code = InvitationSecret::new_code();
    let invitation = InvitationSecret::from_code(&code);
    let root = store
        .device(officer_id)
        .await
        .unwrap()
        .unwrap()
        .public
        .sign_key;
    let mut grant = Grant::issue(
        &attacker,
        root,
        &invitation,
        Role::CommuneCaseManager,
        COMMUNE,
        now_ms() + 3_600_000,
    );
    grant.issuer = officer_id;
    let request = InvitationRequest {
        id: invitation.id().to_string(),
        grant: grant.clone(),
        school: None,
    };
    let response = as_officer
        .post("/v1/invitations", encode(&request), true)
        .await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (422, "bad_grant")
    );
    store
        .create_invitation(NewInvitation {
            code_hash: binhan_server::auth::invitation_hash(invitation.id()),
            role: Role::CommuneCaseManager,
            commune: COMMUNE.into(),
            expires_at_ms: now_ms() + 3_600_000,
            issued_by: Some(officer_id),
            grant: Some(grant),
            replaces_root: false,
            school: None,
        })
        .await
        .unwrap();
    let rogue_by_token = planted(&server, &code).await;

    // 3. A row inserted into the devices table, with a copy of the real
    // manager's certificate; the attacker forges its token too.
    let inserted = DeviceIdentity::generate(DeviceId::random());
    let manager_record = store
        .device(team.manager.app.device_id().unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut copied: DeviceCertificate = manager_record.certificate.unwrap();
    copied.device = inserted.public();
    insert_device(&server.backend, &inserted, &copied).await;
    let token = binhan_server::auth::issue_token(&secret, inserted.device_id(), now_ms() + 600_000);
    let rogue_inserted = RawDevice::from_parts(&server, inserted, &token);

    // The server lists all three as managers of the commune.
    let listed = store
        .query_devices(binhan_core::sync::wire::DeviceQuery {
            commune: Some(COMMUNE.into()),
            role: Some(Role::CommuneCaseManager),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 4, "the real manager and three planted");

    // A collaborator records a case: only the real manager gets its key.
    let collaborator = &team.collaborators[0];
    let id = collaborator
        .app
        .create_case(intake("TRUST-001", COMMUNE))
        .unwrap();
    collaborator.sync().await;
    for (route, rogue) in [
        ("second root", &rogue_by_root),
        ("forged token", &rogue_by_token),
        ("inserted row", &rogue_inserted),
    ] {
        assert_eq!(wraps_for(rogue).await, 0, "{route} received a key");
    }
    assert_eq!(
        collaborator.app.team_members(id).unwrap().len(),
        2,
        "the collaborator and the real manager"
    );
    team.manager.sync().await;
    assert_eq!(
        team.manager.app.case(id).unwrap().survivor.code,
        "TRUST-001"
    );
    // The replacing root's officer, a full phone, reads nothing.
    rogue_officer.sync().await;
    let seen = rogue_officer
        .app
        .list_cases(&CaseFilter::default())
        .unwrap();
    assert!(seen.cases.is_empty());
}
on_both_backends!(a_manager_planted_by_the_server_receives_no_key);

/// Inserts a device row as an operator with database access would.
async fn insert_device(backend: &Backend, device: &DeviceIdentity, cert: &DeviceCertificate) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    let public = device.public();
    sqlx::query(
        "INSERT INTO devices (device_id, sign_key, exchange_key, role, commune, label, active, enrolled_at, certificate)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
    )
    .bind(public.device_id.as_bytes().to_vec())
    .bind(public.sign_key.to_vec())
    .bind(public.exchange_key.to_vec())
    .bind("commune_case_manager")
    .bind(COMMUNE)
    .bind("synthetic planted device")
    .bind(now_ms() as i64)
    .bind(postcard::to_allocvec(cert).unwrap())
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

/// The phone's own check of its enrolment: a server's answer for another
/// code, or a certificate not back to a root, is refused.
#[test]
fn a_phone_checks_the_certificate_it_enrols_with() {
    let officer = DeviceIdentity::generate(DeviceId::random());
    let phone = DeviceIdentity::generate(DeviceId::random());
    let code = InvitationSecret::new_code();
    let request = enrol_request(&phone, &code, "synthetic");
    let secret = InvitationSecret::from_code(&code);
    let grant = Grant::issue(
        &officer,
        officer.public().sign_key,
        &secret,
        Role::Collaborator,
        COMMUNE,
        now_ms() + 3_600_000,
    );
    let enrolled = |grant: Option<Grant>, chain: Vec<DeviceCertificate>| Enrolled {
        role: Role::Collaborator,
        commune: COMMUNE.into(),
        token: binhan_core::sync::wire::Token {
            token: String::new(),
            expires_at_ms: 0,
        },
        certificate: DeviceCertificate {
            device: request.device,
            grant,
            binding: request.binding.clone(),
        },
        chain,
        school: None,
    };
    let root = DeviceCertificate::root(&officer);
    // The honest answer checks, and gives the officer's key as the root.
    let honest = enrolled(Some(grant.clone()), vec![root.clone()]);
    assert_eq!(
        binhan_core::sync::check_enrolled(&code, &request.device, &honest).unwrap(),
        officer.public().sign_key
    );
    // The server says "you are the root" to a phone with a phone's code.
    let as_root = enrolled(None, vec![]);
    assert!(binhan_core::sync::check_enrolled(&code, &request.device, &as_root).is_err());
    // Without the issuer's certificate, or with another code's grant.
    let no_chain = enrolled(Some(grant), vec![]);
    assert!(binhan_core::sync::check_enrolled(&code, &request.device, &no_chain).is_err());
    let other = InvitationSecret::from_code(&InvitationSecret::new_code());
    let wrong = Grant::issue(
        &officer,
        officer.public().sign_key,
        &other,
        Role::Collaborator,
        COMMUNE,
        now_ms() + 3_600_000,
    );
    let wrong = enrolled(Some(wrong), vec![root]);
    assert!(binhan_core::sync::check_enrolled(&code, &request.device, &wrong).is_err());
}

/// The server registers a shelter directory signed with a key of its own,
/// and hands it out with endorsements by anyone but a provincial officer
/// certified under the province's root: by a certified collaborator, by
/// the officer of a root the operator made, or none. A phone that never
/// synced before, and so was never given the key, refuses the directory
/// and pins no key; and keeps syncing its cases.
async fn a_directory_not_endorsed_by_a_certified_officer_is_refused(backend: Backend) {
    use binhan_core::shelters::{DirectoryUpdate, ProvincialSigner};
    use binhan_core::sync::KeyEndorsement;
    use binhan_server::storage::NewPublication;

    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let store = storage(&server.backend).await;
    let attacker = ProvincialSigner::from_seed(binhan_core::crypto::random_array());
    let key = attacker.public_key();
    let directory = binhan_testkit::shelters::lai_chau().directory(1);
    let body = attacker
        .sign(&DirectoryUpdate::Full(directory))
        .unwrap()
        .encode();
    store
        .publish_directory(
            NewPublication {
                version: 1,
                from_version: None,
                signer: key.0,
                body,
            },
            now_ms(),
        )
        .await
        .unwrap();
    let invited = team
        .manager
        .app
        .invite(Role::Collaborator, COMMUNE, 24)
        .await
        .unwrap();
    let collaborator = planted(&server, &invited.code).await;
    // Three phones enrolled (by the real manager) that never synced.
    let mut phones = Vec::new();
    for _ in 0..3 {
        let phone = team
            .manager
            .invite_phone(&server, Role::Collaborator, COMMUNE)
            .await;
        phones.push(phone);
    }
    let rogue_root = server.backend.bootstrap(&["--replace-root"]).unwrap();
    let rogue_officer = planted(&server, &rogue_root).await;
    for (endorser, phone) in [None, Some(&collaborator), Some(&rogue_officer)]
        .into_iter()
        .zip(&phones)
    {
        if let Some(device) = endorser {
            store
                .endorse_key(KeyEndorsement::sign(&device.identity, key.0))
                .await
                .unwrap();
        }
        let report = phone.sync().await;
        assert!(report.shelters.directory_refused.is_some());
        assert_eq!(report.shelters.publications_applied, 0);
        assert_eq!(phone.app.provincial_key().unwrap(), None);
        assert!(phone.app.shelter_directory().unwrap().is_none());
    }
}
on_both_backends!(a_directory_not_endorsed_by_a_certified_officer_is_refused);
