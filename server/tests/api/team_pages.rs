//! Team pages: the team changes of many cases with the same members, signed
//! once, one key seal per recipient. The server checks them as it checks
//! team entries, stores each once under one sequence number, and serves it
//! whole to the devices on any of its cases' teams: while they join a case
//! and in the tail. Raw devices against a real server process, on SQLite
//! and PostgreSQL. Synthetic data only.

use crate::support::{note_event, now_ms, server_row_count, Backend, Phone, RawDevice, Server};
use binhan_core::crypto::SecretKey;
use binhan_core::model::{CaseId, DeviceId, Role};
use binhan_core::sync::wire::{
    encode, PageChange, PullRequest, PullResponse, PushRequest, PushResponse, Sequenced, TeamPage,
    WireEvent, DEFAULT_PULL_BYTES, MAX_PAGE_CHANGES, MAX_TEAM_MEMBERS,
};
use binhan_core::sync::{open_event, open_page_keys, seal_event, seal_team_page, PageKey};
use std::collections::BTreeSet;

const COMMUNE: &str = "ta_tong";

/// The devices of a commune, enrolled raw through the real invitation
/// chain: its case manager, two collaborators and one more device that is
/// on no team.
struct Commune {
    server: Server,
    manager: RawDevice,
    a: RawDevice,
    b: RawDevice,
    outsider: RawDevice,
}

impl Commune {
    async fn enrol(backend: Backend) -> Self {
        let server = Server::start(backend);
        let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
        let enrol = async |role| {
            let invitation = officer.app.invite(role, COMMUNE, 24).await.unwrap();
            RawDevice::enrol(&server, &invitation.code).await
        };
        let manager = enrol(Role::CommuneCaseManager).await;
        let a = enrol(Role::Collaborator).await;
        let b = enrol(Role::Collaborator).await;
        let outsider = enrol(Role::Collaborator).await;
        Self {
            server,
            manager,
            a,
            b,
            outsider,
        }
    }
}

fn id(device: &RawDevice) -> DeviceId {
    device.identity.device_id()
}

/// A page by `signer` setting `members` on each of `changes` (case, epoch,
/// key of that epoch), carrying every change's key for each of `readers`.
fn page_of(
    signer: &RawDevice,
    members: &[&RawDevice],
    changes: &[(CaseId, u32, &SecretKey)],
    readers: &[&RawDevice],
) -> TeamPage {
    let keys: Vec<PageKey> = (0..)
        .zip(changes)
        .map(|(change, &(_, epoch, key))| PageKey { change, epoch, key })
        .collect();
    let publics: Vec<_> = readers.iter().map(|r| r.identity.public()).collect();
    let carried: Vec<_> = publics.iter().map(|p| (p, keys.clone())).collect();
    let changes = changes
        .iter()
        .map(|&(case_id, epoch, _)| PageChange { case_id, epoch })
        .collect();
    seal_team_page(
        &signer.identity,
        members.iter().map(|m| id(m)).collect(),
        changes,
        &carried,
    )
}

/// `n` new cases, each with its epoch-0 key.
fn new_cases(n: usize) -> Vec<(CaseId, SecretKey)> {
    (0..n)
        .map(|_| (CaseId::random(), SecretKey::random()))
        .collect()
}

fn at_epoch(cases: &[(CaseId, SecretKey)], epoch: u32) -> Vec<(CaseId, u32, &SecretKey)> {
    cases.iter().map(|(c, k)| (*c, epoch, k)).collect()
}

/// Pushes `request` as `device`: the status, error code and response.
async fn push(device: &RawDevice, request: PushRequest) -> (u16, String, Option<PushResponse>) {
    let answer = device.post("/v1/sync/push", encode(&request), true).await;
    let response = (answer.status == 200).then(|| answer.decode());
    (answer.status, answer.error_code(), response)
}

/// Pushes `pages` (and `events`) as `device`, which must be accepted.
async fn push_pages(device: &RawDevice, pages: Vec<TeamPage>, events: Vec<WireEvent>) {
    let count = pages.len() as u32;
    let request = PushRequest {
        pages,
        events,
        ..PushRequest::default()
    };
    let (status, code, response) = push(device, request).await;
    assert_eq!(status, 200, "{code}");
    assert_eq!(response.unwrap().pages, count);
}

/// What a device received in one pull session.
#[derive(Default)]
struct Pulled {
    /// The most pages one response held.
    most_pages: usize,
    pages: Vec<Sequenced<TeamPage>>,
    events: Vec<WireEvent>,
}

/// Pulls as `device` from `cursor` until nothing more is waiting, checking
/// that no response holds a page twice.
async fn pull_session(device: &RawDevice, cursor: &mut Vec<u8>) -> Pulled {
    pull_session_by(device, cursor, DEFAULT_PULL_BYTES).await
}

/// [`pull_session`], asking for `max_bytes` a response.
async fn pull_session_by(device: &RawDevice, cursor: &mut Vec<u8>, max_bytes: u32) -> Pulled {
    let mut pulled = Pulled::default();
    loop {
        let request = encode(&PullRequest {
            cursor: std::mem::take(cursor),
            max_bytes,
            inbox_after: None,
        });
        let answer = device.post("/v1/sync/pull", request, true).await;
        assert_eq!(answer.status, 200, "{}", answer.error_code());
        let response: PullResponse = answer.decode();
        let distinct: BTreeSet<u64> = response.pages.iter().map(|p| p.seq).collect();
        assert_eq!(
            distinct.len(),
            response.pages.len(),
            "a page twice in one response"
        );
        pulled.most_pages = pulled.most_pages.max(response.pages.len());
        pulled.pages.extend(response.pages);
        pulled
            .events
            .extend(response.events.into_iter().map(|e| e.item));
        *cursor = response.cursor;
        if !response.more {
            return pulled;
        }
    }
}

fn page_ids(pulled: &Pulled) -> Vec<binhan_core::model::EventId> {
    pulled.pages.iter().map(|p| p.item.id).collect()
}

/// A note on each of `cases` by `author`, sealed with the case's key of
/// epoch 0.
fn notes(author: &RawDevice, cases: &[(CaseId, SecretKey)]) -> Vec<WireEvent> {
    let now = now_ms();
    (0..)
        .zip(cases)
        .map(|(i, (case_id, key))| {
            let note = note_event(id(author), *case_id, now + i);
            seal_event(&author.identity, key, 0, &note)
        })
        .collect()
}

/// A collaborator's one page makes the teams of three cases (itself and
/// the manager), with a note on each: the manager's first pull brings the
/// page once, whose keys open every note; a later page (a new key for one
/// case) comes in the tail; a device on none of the teams gets no page.
async fn a_page_reaches_the_manager_once_with_its_keys(backend: Backend) {
    let w = Commune::enrol(backend).await;
    let cases = new_cases(3);
    let page = page_of(
        &w.a,
        &[&w.a, &w.manager],
        &at_epoch(&cases, 0),
        &[&w.manager],
    );
    push_pages(&w.a, vec![page.clone()], notes(&w.a, &cases)).await;

    let (mut cursor, mut outsider_cursor) = (Vec::new(), Vec::new());
    let first = pull_session(&w.manager, &mut cursor).await;
    assert_eq!(page_ids(&first), vec![page.id], "the page, once");
    let a_public = w.a.identity.public();
    let keys = open_page_keys(&first.pages[0].item, &w.manager.identity, &a_public).unwrap();
    let expected: Vec<(CaseId, u32, [u8; 32])> =
        cases.iter().map(|(c, k)| (*c, 0, *k.as_bytes())).collect();
    let opened: Vec<(CaseId, u32, [u8; 32])> = keys
        .iter()
        .map(|(c, e, k)| (*c, *e, *k.as_bytes()))
        .collect();
    assert_eq!(opened, expected);
    assert_eq!(first.events.len(), cases.len());
    let verifier = a_public.verifier().unwrap();
    for event in &first.events {
        let (_, key) = cases.iter().find(|(c, _)| *c == event.case_id).unwrap();
        assert_eq!(
            open_event(event, &verifier, key).unwrap().case_id,
            event.case_id
        );
    }

    // A new key for the first case, in a page of its own: in the tail.
    let rotated = SecretKey::random();
    let rotation = page_of(
        &w.a,
        &[&w.a, &w.manager],
        &[(cases[0].0, 1, &rotated)],
        &[&w.manager],
    );
    push_pages(&w.a, vec![rotation.clone()], vec![]).await;
    let next = pull_session(&w.manager, &mut cursor).await;
    assert_eq!(page_ids(&next), vec![rotation.id]);
    let keys = open_page_keys(&next.pages[0].item, &w.manager.identity, &a_public).unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!((keys[0].0, keys[0].1), (cases[0].0, 1));
    assert_eq!(keys[0].2.as_bytes(), rotated.as_bytes());
    assert!(pull_session(&w.manager, &mut cursor).await.pages.is_empty());

    // A device on none of the teams gets none.
    assert!(pull_session(&w.outsider, &mut outsider_cursor)
        .await
        .pages
        .is_empty());
}

on_both_backends!(a_page_reaches_the_manager_once_with_its_keys);

/// The same page pushed again (or twice in one push) is stored once, and
/// still answered as accepted.
async fn a_page_pushed_again_is_stored_once(backend: Backend) {
    let w = Commune::enrol(backend).await;
    let cases = new_cases(4);
    let page = page_of(
        &w.a,
        &[&w.a, &w.manager],
        &at_epoch(&cases, 0),
        &[&w.manager],
    );
    push_pages(&w.a, vec![page.clone()], vec![]).await;
    push_pages(&w.a, vec![page.clone()], vec![]).await;
    push_pages(&w.a, vec![page.clone(), page], vec![]).await;
    for (table, rows) in [
        ("team_pages", 1),
        ("team_page_cases", 4),
        ("teams", 4),
        ("members", 8),
    ] {
        assert_eq!(
            server_row_count(&w.server.backend, table).await,
            rows,
            "{table}"
        );
    }
    let pulled = pull_session(&w.manager, &mut Vec::new()).await;
    assert_eq!(pulled.pages.len(), 1);
}

on_both_backends!(a_page_pushed_again_is_stored_once);

/// Pages the server refuses, each with its reason, storing nothing: signed
/// with another device's key, signed by another device, a case twice, one
/// change too many, one member too many, and a change that breaks the team
/// rules (after one that keeps them).
async fn a_bad_page_is_refused_and_nothing_stored(backend: Backend) {
    let w = Commune::enrol(backend).await;
    let members = [&w.a, &w.manager];
    let cases = new_cases(2);
    let good = || page_of(&w.a, &members, &at_epoch(&cases, 0), &[&w.manager]);

    let mut forged = good();
    forged.signature = w.b.identity.sign(&forged.signed_message());
    let by_b = page_of(&w.b, &[&w.b, &w.manager], &at_epoch(&cases, 0), &[]);
    let mut twice = good();
    twice.changes[1].case_id = twice.changes[0].case_id;
    twice.signature = w.a.identity.sign(&twice.signed_message());
    let many = new_cases(MAX_PAGE_CHANGES + 1);
    let too_many = page_of(&w.a, &members, &at_epoch(&many, 0), &[]);
    let crowd = std::iter::once(id(&w.a)).chain((0..MAX_TEAM_MEMBERS).map(|_| DeviceId::random()));
    let changes = vec![PageChange {
        case_id: cases[0].0,
        epoch: 0,
    }];
    let crowded = seal_team_page(&w.a.identity, crowd.collect(), changes, &[]);
    let (first, later) = (&cases[0], &cases[1]);
    let wrong_epoch = page_of(
        &w.a,
        &members,
        &[(first.0, 0, &first.1), (later.0, 3, &later.1)],
        &[&w.manager],
    );

    for (page, status, code) in [
        (forged, 422, "bad_team_page"),
        (by_b, 403, "not_signer"),
        (twice, 422, "bad_team_page"),
        (too_many, 422, "bad_team_page"),
        (crowded, 413, "team_too_large"),
        (wrong_epoch, 409, "team_conflict"),
    ] {
        let request = PushRequest {
            pages: vec![page],
            events: notes(&w.a, &cases[..1]),
            ..PushRequest::default()
        };
        let (got, error, _) = push(&w.a, request).await;
        assert_eq!((got, error.as_str()), (status, code));
        for table in [
            "team_pages",
            "team_page_cases",
            "teams",
            "members",
            "events",
        ] {
            let rows = server_row_count(&w.server.backend, table).await;
            assert_eq!(rows, 0, "{code}: nothing stored in {table}");
        }
    }
    // The good page is stored.
    push_pages(&w.a, vec![good()], vec![]).await;
    assert_eq!(server_row_count(&w.server.backend, "team_pages").await, 1);
}

on_both_backends!(a_bad_page_is_refused_and_nothing_stored);

/// A device added to one case of a page gets that page too (the case's
/// team history), with the page that added it, whose key it opens; later
/// pages of only the cases it is not on never reach it.
async fn a_later_member_of_one_case_gets_its_history(backend: Backend) {
    let w = Commune::enrol(backend).await;
    let (newcomer, m) = (&w.b, &w.manager);
    let mut newcomer_cursor = Vec::new();
    assert!(pull_session(newcomer, &mut newcomer_cursor)
        .await
        .pages
        .is_empty());

    let cases = new_cases(2);
    let (x, y) = (&cases[0], &cases[1]);
    let first = page_of(&w.a, &[&w.a, m], &at_epoch(&cases, 0), &[m]);
    push_pages(&w.a, vec![first.clone()], vec![]).await;
    let added = page_of(m, &[&w.a, m, newcomer], &[(x.0, 0, &x.1)], &[newcomer]);
    push_pages(m, vec![added.clone()], vec![]).await;

    let pulled = pull_session(newcomer, &mut newcomer_cursor).await;
    assert_eq!(page_ids(&pulled), vec![first.id, added.id]);
    let opened = open_page_keys(
        &pulled.pages[1].item,
        &newcomer.identity,
        &m.identity.public(),
    );
    let opened = opened.unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!((opened[0].0, opened[0].1), (x.0, 0));
    assert_eq!(opened[0].2.as_bytes(), x.1.as_bytes());
    let none = open_page_keys(
        &pulled.pages[0].item,
        &newcomer.identity,
        &w.a.identity.public(),
    );
    assert!(none.unwrap().is_empty(), "no key of the first page is its");

    // A new key for the case it is not on: the manager's, not its.
    let rotated = SecretKey::random();
    let only_y = page_of(&w.a, &[&w.a, m], &[(y.0, 1, &rotated)], &[m]);
    push_pages(&w.a, vec![only_y.clone()], vec![]).await;
    assert!(pull_session(newcomer, &mut newcomer_cursor)
        .await
        .pages
        .is_empty());
    let mut manager_cursor = Vec::new();
    let all = pull_session(m, &mut manager_cursor).await;
    let others = all.pages.iter().filter(|p| p.item.signer != id(m));
    let others: Vec<_> = others.map(|p| p.item.id).collect();
    assert_eq!(others, vec![first.id, only_y.id]);
}

on_both_backends!(a_later_member_of_one_case_gets_its_history);

/// A page of a case the device held and of one it joins with that page is
/// due both while joining and in the tail: it comes once.
async fn a_page_of_a_held_and_a_joined_case_comes_once(backend: Backend) {
    let w = Commune::enrol(backend).await;
    let members = [&w.a, &w.manager, &w.b];
    let held = new_cases(1);
    let first = page_of(&w.a, &members, &at_epoch(&held, 0), &[&w.b]);
    push_pages(&w.a, vec![first.clone()], vec![]).await;
    let mut cursor = Vec::new();
    assert_eq!(
        page_ids(&pull_session(&w.b, &mut cursor).await),
        vec![first.id]
    );

    let joined = new_cases(1);
    let both = [at_epoch(&held, 0), at_epoch(&joined, 0)].concat();
    let second = page_of(&w.a, &members, &both, &[&w.b]);
    push_pages(&w.a, vec![second.clone()], vec![]).await;
    let pulled = pull_session(&w.b, &mut cursor).await;
    assert_eq!(page_ids(&pulled), vec![second.id]);
}

on_both_backends!(a_page_of_a_held_and_a_joined_case_comes_once);

/// Pages larger than a small pull's budget, of cases a device joins: one
/// page a response, each once, in order.
async fn a_small_budget_pages_the_joined_pages(backend: Backend) {
    let w = Commune::enrol(backend).await;
    let mut sent = Vec::new();
    for _ in 0..3 {
        let cases = new_cases(MAX_PAGE_CHANGES);
        let page = page_of(
            &w.a,
            &[&w.a, &w.manager],
            &at_epoch(&cases, 0),
            &[&w.manager],
        );
        sent.push(page.id);
        push_pages(&w.a, vec![page], vec![]).await;
    }
    let pulled = pull_session_by(&w.manager, &mut Vec::new(), 16 * 1024).await;
    assert_eq!(page_ids(&pulled), sent);
    assert_eq!(pulled.most_pages, 1, "one page a response");
}

on_both_backends!(a_small_budget_pages_the_joined_pages);
