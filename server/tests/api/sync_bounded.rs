//! Bounded work per request: an oversized push is refused before the
//! writer sees it, while everyone else's pushes go on. Against a real
//! server process, on SQLite and PostgreSQL. Synthetic data only.

use crate::support::{note_event, now_ms, server_row_count, Backend, Phone, RawDevice, Server};
use binhan_core::model::{CaseId, DeviceId, EventId, Role};
use binhan_core::sync::wire::{
    encode, PushRequest, PushResponse, TeamEntry, MAX_REQUEST_BYTES, MAX_TEAM_MEMBERS,
};
use binhan_core::sync::{seal_event, sign_team_entry};

/// A signed epoch-0 team entry of `signer` for a new case: the signer and
/// `others` random devices.
fn team_of(signer: &RawDevice, others: usize) -> TeamEntry {
    let me = signer.identity.device_id();
    let mut entry = TeamEntry {
        id: EventId::random(),
        case_id: CaseId::random(),
        epoch: 0,
        members: std::iter::once(me)
            .chain((0..others).map(|_| DeviceId::random()))
            .collect(),
        wraps: vec![],
        signer: me,
        signature: vec![],
    };
    sign_team_entry(&signer.identity, &mut entry);
    entry
}

fn push_of(team: TeamEntry) -> Vec<u8> {
    encode(&PushRequest {
        team: vec![team],
        ..PushRequest::default()
    })
}

/// A device pushes a case team of 260,000 members (the size that kept the
/// writer busy for half a minute): it is refused as too large, nothing of it
/// is stored, and another device's push sent at the same time is stored.
async fn an_oversized_team_is_refused_before_the_writer(backend: Backend) {
    let server = Server::start(backend);
    let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
    let mut codes = Vec::new();
    for _ in 0..2 {
        let invitation = officer.app.invite(Role::Collaborator, "muong_te", 24);
        codes.push(invitation.await.unwrap().code);
    }
    let attacker = RawDevice::enrol(&server, &codes[0]).await;
    let honest = RawDevice::enrol(&server, &codes[1]).await;

    let oversized = push_of(team_of(&attacker, 260_000));
    assert!(oversized.len() <= MAX_REQUEST_BYTES, "it fits in a request");
    let (team, key) = honest.new_case();
    let me = honest.identity.device_id();
    let event = seal_event(
        &honest.identity,
        &key,
        0,
        &note_event(me, team.case_id, now_ms()),
    );
    let normal = encode(&PushRequest {
        team: vec![team],
        events: vec![event],
        ..PushRequest::default()
    });

    let (refused, stored) = tokio::join!(
        attacker.post("/v1/sync/push", oversized, true),
        honest.post("/v1/sync/push", normal, true),
    );
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (413, "team_too_large")
    );
    assert_eq!(stored.status, 200, "{}", stored.error_code());
    let response: PushResponse = stored.decode();
    assert_eq!((response.team, response.events.len()), (1, 1));
    for (table, rows) in [
        ("team_entries", 1),
        ("teams", 1),
        ("members", 1),
        ("events", 1),
    ] {
        assert_eq!(
            server_row_count(&server.backend, table).await,
            rows,
            "{table}: only the honest push is stored"
        );
    }

    // A team of exactly the largest size is a team like any other.
    let full = attacker
        .post(
            "/v1/sync/push",
            push_of(team_of(&attacker, MAX_TEAM_MEMBERS - 1)),
            true,
        )
        .await;
    assert_eq!(full.status, 200, "{}", full.error_code());
    assert_eq!(
        server_row_count(&server.backend, "members").await,
        1 + MAX_TEAM_MEMBERS as i64
    );
}

on_both_backends!(an_oversized_team_is_refused_before_the_writer);
