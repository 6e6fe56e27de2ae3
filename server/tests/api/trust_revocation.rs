//! A phone erases itself only on a revocation signed by someone allowed to
//! revoke it, never on the server's word. The attacker here holds the
//! server, its database and its secret: it marks a device inactive in the
//! database, answers "revoked, erase" from a fake server, or plants a
//! revocation signed by a device that may not revoke. None of these erases
//! the phone, which keeps every case and says why it refused. A real
//! revocation by the commune's case manager still erases it. On SQLite and
//! PostgreSQL. Synthetic data only.

use crate::support::{
    as_operator, intake, now_ms, storage, Backend, Phone, RawDevice, Server, Team,
};
use binhan_core::cases::CaseFilter;
use binhan_core::model::{CaseId, Role};
use binhan_core::sync::wire::{encode, ErrorBody};
use binhan_core::sync::{
    CancelFlag, DeviceIdentity, Revocation, TrafficCounts, TrafficMeter, Transport, TransportFuture,
};
use binhan_core::Error;
use binhan_server::storage::Storage;
use std::sync::Arc;

const COMMUNE: &str = "mu_ca";

/// A team whose collaborator recorded a case and synced it.
async fn team_with_a_case(server: &Server) -> (Team, CaseId) {
    let team = Team::enrol(server, COMMUNE, 2).await;
    let phone = &team.collaborators[0];
    let id = phone
        .app
        .create_case(intake("REVOKE-001", COMMUNE))
        .unwrap();
    phone.sync().await;
    (team, id)
}

/// The phone's sync fails without erasing anything: the error is not
/// `Revoked`, and after locking, the PIN opens the vault and the case is
/// there.
async fn refuses_and_keeps_its_data(phone: &Phone, id: CaseId) {
    let result = phone.app.sync(&|_| {}, &CancelFlag::default()).await;
    match &result {
        Err(Error::Tampered { record }) => assert!(record.contains("revocation"), "{record}"),
        other => panic!("expected a refused revocation, got {other:?}"),
    }
    phone.app.lock();
    phone
        .app
        .unlock("493817")
        .expect("the vault was not erased");
    assert_eq!(phone.app.case(id).unwrap().survivor.code, "REVOKE-001");
    let listed = phone.app.list_cases(&CaseFilter::default()).unwrap();
    assert_eq!(listed.cases.len(), 1);
}

/// The operator sets `active = 0` on a device's row, with no revocation
/// signed by anyone: the server refuses the device as revoked, and the
/// phone does not erase itself.
async fn a_device_marked_inactive_by_the_server_keeps_its_data(backend: Backend) {
    let server = Server::start(backend);
    let (team, id) = team_with_a_case(&server).await;
    let phone = &team.collaborators[0];
    let device = phone.app.device_id().unwrap();
    as_operator(
        &server.backend,
        "UPDATE devices SET active = 0 WHERE device_id = $1",
        device,
    )
    .await;
    refuses_and_keeps_its_data(phone, id).await;
}
on_both_backends!(a_device_marked_inactive_by_the_server_keeps_its_data);

/// A fake server answering every request "revoked, erase".
struct SaysRevoked {
    base: String,
    meter: TrafficMeter,
}

impl Transport for SaysRevoked {
    fn base_url(&self) -> &str {
        &self.base
    }

    fn post_bytes<'a>(
        &'a self,
        _path: &'a str,
        _token: Option<&'a str>,
        body: Vec<u8>,
    ) -> TransportFuture<'a> {
        self.meter.request(body.len());
        let answer = serde_json::to_vec(&ErrorBody {
            error: "revoked".into(),
            reason: "this device was revoked; erase its data".into(),
            erase: true,
        })
        .unwrap();
        Box::pin(std::future::ready(self.meter.answer(410, "Gone", answer)))
    }

    fn counts(&self) -> TrafficCounts {
        self.meter.counts()
    }
}

/// A forged answer `{"error":"revoked","erase":true}` to every request
/// erases nothing.
async fn a_forged_erase_answer_erases_nothing(backend: Backend) {
    let server = Server::start(backend);
    let (team, id) = team_with_a_case(&server).await;
    let phone = &team.collaborators[0];
    phone.app.set_transport(Some(Arc::new(SaysRevoked {
        base: server.url.clone(),
        meter: TrafficMeter::default(),
    })));
    refuses_and_keeps_its_data(phone, id).await;
    // Back on the real server, it syncs as before.
    phone.app.set_transport(None);
    phone.sync().await;
}
on_both_backends!(a_forged_erase_answer_erases_nothing);

/// A real revocation still erases the phone at its next contact: the
/// officer's of a manager (the manager's of a collaborator is
/// `sync_faults::a_revoked_device_is_refused_and_erases_itself`).
async fn the_officers_revocation_erases_the_phone(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let manager = team.manager.app.device_id().unwrap();
    team.officer.app.revoke_device(manager).await.unwrap();
    let result = team.manager.app.sync(&|_| {}, &CancelFlag::default()).await;
    assert!(matches!(result, Err(Error::Revoked)), "{result:?}");
    assert!(matches!(
        team.manager.app.unlock("493817"),
        Err(Error::Erased)
    ));
    // The officer's directory shows the signed revocation.
    let record = storage(&server.backend)
        .await
        .device(manager)
        .await
        .unwrap()
        .unwrap();
    let revocation = record.revocation.expect("stored");
    assert_eq!(
        (revocation.device, revocation.revoked_by, record.active),
        (manager, team.officer.app.device_id().unwrap(), false)
    );
}
on_both_backends!(the_officers_revocation_erases_the_phone);

/// Writes `revocation` into the revoked device's row, as an operator with
/// database access would.
async fn plant(backend: &Backend, revocation: &Revocation) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    sqlx::query("UPDATE devices SET active = 0, revocation = $1 WHERE device_id = $2")
        .bind(postcard::to_allocvec(revocation).unwrap())
        .bind(revocation.device.as_bytes().to_vec())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// A device invited by `by` as `role` in `commune`, driven by hand.
async fn raw_invited(server: &Server, by: &Phone, role: Role, commune: &str) -> RawDevice {
    let code = by.app.invite(role, commune, 24).await.unwrap().code;
    RawDevice::enrol(server, &code).await
}

/// `device` posts `revocation`; the answer's status and code.
async fn post_revocation(device: &RawDevice, revocation: &Revocation) -> (u16, String) {
    let response = device
        .post("/v1/devices/revoke", encode(revocation), true)
        .await;
    (response.status, response.error_code())
}

/// A revocation signed by a device that may not revoke, or by a key that
/// is not the revoker's: the server refuses it, and the phone shown one
/// (written into the database, or taken by a server whose root was
/// replaced) keeps its data.
async fn a_revocation_by_someone_not_allowed_is_refused_and_ignored(backend: Backend) {
    let server = Server::start(backend);
    let (team, id) = team_with_a_case(&server).await;
    let phone = &team.collaborators[0];
    let device = phone.app.device_id().unwrap();
    let collaborator = raw_invited(&server, &team.manager, Role::Collaborator, COMMUNE).await;
    let other_manager =
        raw_invited(&server, &team.officer, Role::CommuneCaseManager, "ban_bo").await;
    let cannot = (403, "cannot_revoke".to_string());

    // The server refuses a collaborator's and another commune's manager's,
    // and a manager's of the officer.
    for by in [&collaborator, &other_manager] {
        let revocation = Revocation::sign(&by.identity, device, now_ms());
        assert_eq!(post_revocation(by, &revocation).await, cannot);
    }
    let officer = team.officer.app.device_id().unwrap();
    match team.manager.app.revoke_device(officer).await {
        Err(Error::Refused { status, code, .. }) => assert_eq!((status, code), cannot),
        other => panic!("{other:?}"),
    }
    // The operator forges the manager's token with the stored secret and
    // signs in the manager's name with a key of its own.
    let secret = storage(&server.backend)
        .await
        .server_secret()
        .await
        .unwrap();
    let manager = team.manager.app.device_id().unwrap();
    let token = binhan_server::auth::issue_token(&secret, manager, now_ms() + 600_000);
    let made_up = DeviceIdentity::generate(manager);
    let as_manager = RawDevice::from_parts(&server, made_up.clone(), &token);
    let forged = Revocation::sign(&made_up, device, now_ms());
    assert_eq!(
        post_revocation(&as_manager, &forged).await,
        (422, "bad_signature".to_string())
    );
    phone.sync().await;

    // So it writes them into the database itself.
    for (who, revocation) in [
        (
            "collaborator",
            Revocation::sign(&collaborator.identity, device, now_ms()),
        ),
        (
            "other commune",
            Revocation::sign(&other_manager.identity, device, now_ms()),
        ),
        ("made-up key", forged),
    ] {
        plant(&server.backend, &revocation).await;
        let result = phone.app.sync(&|_| {}, &CancelFlag::default()).await;
        assert!(
            matches!(&result, Err(Error::Tampered { record }) if record == "revocation"),
            "{who}: {result:?}"
        );
    }

    // Or replaces the province's root: its officer's revocation is taken
    // by the server, but checks back to a root the phone never pinned.
    as_operator(
        &server.backend,
        "UPDATE devices SET active = 1, revocation = NULL WHERE device_id = $1",
        device,
    )
    .await;
    let replacing = server.backend.bootstrap(&["--replace-root"]).unwrap();
    let rogue = RawDevice::enrol(&server, &replacing).await;
    let by_rogue = Revocation::sign(&rogue.identity, device, now_ms());
    assert_eq!(
        post_revocation(&rogue, &by_rogue).await,
        (200, String::new())
    );
    refuses_and_keeps_its_data(phone, id).await;
}
on_both_backends!(a_revocation_by_someone_not_allowed_is_refused_and_ignored);

/// A manager's phone is stolen and the officer revokes it. The thief, with
/// the server's help, signs a revocation of a collaborator with the stolen
/// key, and the server hides the stolen phone's own revocation again. The
/// collaborator checked that revocation when it replaced its case's key:
/// it keeps knowing, and keeps its data.
async fn a_revoked_managers_key_erases_no_one(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let stolen = raw_invited(&server, &team.officer, Role::CommuneCaseManager, COMMUNE).await;
    let stolen_id = stolen.identity.device_id();
    let phone = team
        .manager
        .invite_phone(&server, Role::Collaborator, COMMUNE)
        .await;
    let id = phone
        .app
        .create_case(intake("REVOKE-001", COMMUNE))
        .unwrap();
    phone.sync().await;
    assert!(phone.app.team_members(id).unwrap().contains(&stolen_id));
    team.officer.app.revoke_device(stolen_id).await.unwrap();
    let report = phone.sync().await;
    assert_eq!(report.keys_rotated, 1);
    assert!(!phone.app.team_members(id).unwrap().contains(&stolen_id));

    as_operator(
        &server.backend,
        "UPDATE devices SET active = 1, revocation = NULL WHERE device_id = $1",
        stolen_id,
    )
    .await;
    let forged = Revocation::sign(&stolen.identity, phone.app.device_id().unwrap(), now_ms());
    plant(&server.backend, &forged).await;
    refuses_and_keeps_its_data(&phone, id).await;
}
on_both_backends!(a_revoked_managers_key_erases_no_one);
