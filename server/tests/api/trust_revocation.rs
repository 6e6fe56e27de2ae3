//! A phone erases itself only on a revocation signed by someone allowed to
//! revoke it, never on the server's word. The attacker here holds the
//! server, its database and its secret: it marks a device inactive in the
//! database, answers "revoked, erase" from a fake server, or plants a
//! revocation signed by a device that may not revoke. None of these erases
//! the phone, which keeps every case and says why it refused. A real
//! revocation by the commune's case manager still erases it. On SQLite and
//! PostgreSQL. Synthetic data only.

use crate::support::{intake, Backend, Phone, Server, Team};
use binhan_core::cases::CaseFilter;
use binhan_core::model::{CaseId, DeviceId};
use binhan_core::sync::wire::ErrorBody;
use binhan_core::sync::{CancelFlag, TrafficCounts, TrafficMeter, Transport, TransportFuture};
use binhan_core::Error;
use std::sync::Arc;

const COMMUNE: &str = "mu_ca";

/// Runs `sql` with `device` bound to `$1`, as an operator with database
/// access would.
async fn as_operator(backend: &Backend, sql: &str, device: DeviceId) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(device.as_bytes().to_vec())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// A team whose collaborator recorded a case and synced it.
async fn team_with_a_case(server: &Server) -> (Team, CaseId) {
    let team = Team::enrol(server, COMMUNE, 2).await;
    let phone = &team.collaborators[0];
    let id = phone.app.create_case(intake("REVOKE-001", COMMUNE)).unwrap();
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
    phone.app.unlock("493817").expect("the vault was not erased");
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
