//! The endpoints a device reaches before it has a token (enrol, challenge,
//! token) are limited per client address, and a refused enrolment writes
//! nothing, not even for a moment. Against a real server process, on SQLite
//! and PostgreSQL. Synthetic data only.

use crate::support::{Backend, Phone, RawDevice, Server};
use binhan_core::model::{DeviceId, Role};
use binhan_core::sync::wire::{encode, ChallengeRequest, PullRequest, INVALID_INVITATION};
use binhan_core::sync::{enrol_request, DeviceIdentity};
use std::time::Duration;

/// A fresh device's signed enrolment with `code`.
fn enrolment(code: &str) -> Vec<u8> {
    let identity = DeviceIdentity::generate(DeviceId::random());
    encode(&enrol_request(&identity, code, "synthetic test device"))
}

/// Per-device limits no test reaches, and a small one per address.
const SMALL_ADDRESS_LIMIT: &[&str] = &[
    "--rate-burst",
    "100000",
    "--rate-per-minute",
    "100000",
    "--address-rate-burst",
    "12",
    "--address-rate-per-minute",
    "1",
];

/// One address asking for challenges (for a device that does not exist)
/// and enrolling runs out of its allowance: it is answered 429
/// `rate_limited` with a `Retry-After`, before anything is looked up; a
/// device that already holds a token goes on syncing.
async fn unauthenticated_requests_are_limited_per_address(backend: Backend) {
    let server = Server::start_with(backend, SMALL_ADDRESS_LIMIT);
    let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
    let code = officer.app.invite(Role::Collaborator, "muong_te", 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let stranger = encode(&ChallengeRequest {
        device_id: DeviceId::random(),
    });

    let mut answers = Vec::new();
    for _ in 0..20 {
        let answer = raw
            .post("/v1/auth/challenge", stranger.clone(), false)
            .await;
        let limited = answer.status == 429;
        answers.push(answer);
        if limited {
            break;
        }
    }
    let last = answers.pop().unwrap();
    assert!(
        answers
            .iter()
            .all(|a| (a.status, a.error_code().as_str()) == (401, "unknown_device")),
        "until the allowance runs out, challenges are answered"
    );
    assert_eq!(
        (last.status, last.error_code().as_str()),
        (429, "rate_limited"),
        "the allowance of 12 runs out within 20 requests"
    );
    assert!(
        last.retry_after.is_some_and(|s| s >= 1),
        "with a Retry-After"
    );

    let code = officer.app.invite(Role::Collaborator, "muong_te", 24);
    let enrol = raw
        .post("/v1/enrol", enrolment(&code.await.unwrap().code), false)
        .await;
    assert_eq!(
        (enrol.status, enrol.error_code().as_str()),
        (429, "rate_limited")
    );
    let pull = encode(&PullRequest {
        cursor: vec![],
        max_bytes: 0,
        inbox_after: None,
    });
    assert_eq!(raw.post("/v1/sync/pull", pull, true).await.status, 200);
}

on_both_backends!(unauthenticated_requests_are_limited_per_address);

/// Another connection holding the database's write lock (SQLite) or a lock
/// on the invitations that every write to them waits for (PostgreSQL).
async fn hold_the_write_lock(backend: &Backend) -> sqlx::AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&backend.database_url())
        .await
        .unwrap();
    let statements: &[&str] = match backend {
        Backend::Sqlite(_) => &["BEGIN IMMEDIATE"],
        Backend::Postgres(_) => &["BEGIN", "LOCK TABLE invitations IN EXCLUSIVE MODE"],
    };
    for statement in statements {
        sqlx::query(sqlx::AssertSqlSafe(*statement))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn
}

/// Enrolments with an unknown, a used and an expired code are refused while
/// another connection holds the write lock: refusing them writes nothing
/// (it would wait for the lock). Once the lock is released a good code
/// enrols.
async fn a_refused_enrolment_writes_nothing(backend: Backend) {
    let server = Server::start(backend);
    let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        let invitation = officer.app.invite(Role::Collaborator, "muong_te", 24);
        codes.push(invitation.await.unwrap().code);
    }
    let raw = RawDevice::enrol(&server, &codes[0]).await;
    {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&server.backend.database_url())
            .await
            .unwrap();
        // Every invitation but one expired long ago (the bootstrap one
        // and the first were used).
        sqlx::query("UPDATE invitations SET expires_at = 1 WHERE used_at IS NULL")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let fresh = officer.app.invite(Role::Collaborator, "muong_te", 24);
    let fresh = fresh.await.unwrap().code;

    let lock = hold_the_write_lock(&server.backend).await;
    for (what, code) in [
        ("unknown", "AAAA-BBBB-CCCC"),
        ("used", codes[0].as_str()),
        ("expired", codes[1].as_str()),
    ] {
        let answer = tokio::time::timeout(
            Duration::from_secs(30),
            raw.post("/v1/enrol", enrolment(code), false),
        )
        .await
        .unwrap_or_else(|_| panic!("the {what} code waited for the write lock"));
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (403, INVALID_INVITATION),
            "{what} code"
        );
    }
    drop(lock);
    let answer = raw.post("/v1/enrol", enrolment(&fresh), false).await;
    assert_eq!(answer.status, 200, "{}", answer.error_code());
}

on_both_backends!(a_refused_enrolment_writes_nothing);
