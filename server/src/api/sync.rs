//! Push and pull.

use super::extract::{Syncing, Wire};
use super::{now_ms, AppState};
use crate::error::{Result, ServerError};
use crate::storage::{Cursor, Storage};
use axum::extract::State;
use binhan_core::events::{Event, Hlc};
use binhan_core::model::Role;
use binhan_core::sync::wire::{
    DeviceRecord, PullRequest, PullResponse, PushRequest, PushResponse, MAX_EVENT_BYTES,
    MAX_PUSH_ITEMS, MAX_PUSH_TEAM_MEMBERS, MAX_TEAM_MEMBERS,
};
use binhan_core::sync::{
    verify_bundle, verify_events, verify_snapshot, verify_team_entry, verify_team_page,
};

/// `POST /v1/sync/push`: every check that needs no database is made before
/// anything is written: its shape (counts, at once, as they cost nothing),
/// then authorship, ids and signatures off the async workers; then the push
/// is stored all or nothing.
pub async fn push<S: Storage>(
    State(state): State<AppState<S>>,
    Syncing(me): Syncing,
    Wire(request): Wire<PushRequest>,
) -> Result<Wire<PushResponse>> {
    check_shape(&request)?;
    let device = me.clone();
    let request = state
        .off_workers(move || check_push(&device, &request).map(|()| request))
        .await??;
    let events = request.events.len();
    let response = state.storage.push(me, request, now_ms()).await?;
    tracing::info!(
        events,
        accepted = response.events.len(),
        pages = response.pages,
        "push stored"
    );
    Ok(Wire(response))
}

/// Checks a push by `me` (of a checked shape) before storage sees it: that
/// every item is `me`'s, event sizes and ids, and every signature (the
/// events' together, in one batch check; snapshots', team entries', team
/// pages' and bundles' one by one).
fn check_push(me: &DeviceRecord, request: &PushRequest) -> Result<()> {
    let verifier = me.public.verifier().map_err(|_| {
        ServerError::unprocessable("bad_key", "the device's signing key is not valid")
    })?;
    for event in &request.events {
        if event.ciphertext.len() > MAX_EVENT_BYTES {
            return Err(ServerError::too_large(format!(
                "event {} exceeds {MAX_EVENT_BYTES} bytes",
                event.id
            )));
        }
        if event.author != me.public.device_id {
            return Err(ServerError::forbidden(
                "not_author",
                "devices push only the events they wrote",
            ));
        }
        // Ids come from author and clock, so no device can take another's.
        if event.id != Event::id_for(event.author, Hlc(event.hlc)) {
            return Err(ServerError::unprocessable(
                "bad_event_id",
                format!("event {} does not carry its author-and-clock id", event.id),
            ));
        }
    }
    verify_events(&request.events, &verifier).map_err(|event| {
        ServerError::unprocessable(
            "bad_signature",
            format!("event {} is not signed by its author", event.id),
        )
    })?;
    for entry in &request.team {
        if entry.signer != me.public.device_id {
            return Err(ServerError::forbidden(
                "not_signer",
                "a team change must be signed by the device pushing it",
            ));
        }
        verify_team_entry(entry, &me.public).map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                format!("team change {} is not signed by its signer", entry.id),
            )
        })?;
    }
    for page in &request.pages {
        if page.signer != me.public.device_id {
            return Err(ServerError::forbidden(
                "not_signer",
                "a team page must be signed by the device pushing it",
            ));
        }
        verify_team_page(page, &verifier).map_err(|e| {
            ServerError::unprocessable(
                "bad_team_page",
                format!(
                    "team page {} is malformed or not signed by its signer: {e}",
                    page.id
                ),
            )
        })?;
    }
    for snapshot in &request.snapshots {
        if snapshot.author != me.public.device_id {
            return Err(ServerError::forbidden(
                "not_author",
                "devices push only the snapshots they made",
            ));
        }
        verify_snapshot(snapshot, &verifier).map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                format!(
                    "the snapshot of case {} is not signed by its author",
                    snapshot.case_id
                ),
            )
        })?;
    }
    for bundle in &request.bundles {
        if bundle.signer != me.public.device_id {
            return Err(ServerError::forbidden(
                "not_signer",
                "a bundle must be signed by the device pushing it",
            ));
        }
        if bundle.ciphertext.len() > MAX_EVENT_BYTES {
            return Err(ServerError::too_large(format!(
                "bundle {} exceeds {MAX_EVENT_BYTES} bytes",
                bundle.id
            )));
        }
        verify_bundle(bundle, &verifier).map_err(|e| {
            ServerError::unprocessable(
                "bad_bundle",
                format!(
                    "bundle {} is malformed or not signed by its signer: {e}",
                    bundle.id
                ),
            )
        })?;
    }
    Ok(())
}

/// Refuses a push larger than the writer should ever be handed: too many
/// items (a team page counts as its changes), a team entry or page listing
/// more members than a team may have (the team rules refuse it too, but
/// only inside the writer's transaction), or more members in all its team
/// entries and pages (each page's once) than a device's push ever lists.
fn check_shape(request: &PushRequest) -> Result<()> {
    let page_changes: usize = request.pages.iter().map(|p| p.changes.len()).sum();
    let items = request.team.len()
        + page_changes
        + request.events.len()
        + request.snapshots.len()
        + request.bundles.len();
    if items > MAX_PUSH_ITEMS {
        return Err(ServerError::too_large(format!(
            "a push holds at most {MAX_PUSH_ITEMS} items"
        )));
    }
    let entries = request.team.iter().map(|e| (e.id, e.members.len()));
    let pages = request.pages.iter().map(|p| (p.id, p.members.len()));
    let teams = entries.chain(pages);
    if let Some((id, _)) = teams
        .clone()
        .find(|(_, members)| *members > MAX_TEAM_MEMBERS)
    {
        return Err(ServerError::too_large_as(
            "team_too_large",
            format!("team change {id} lists more than {MAX_TEAM_MEMBERS} members"),
        ));
    }
    let members: usize = teams.map(|(_, members)| members).sum();
    if members > MAX_PUSH_TEAM_MEMBERS {
        return Err(ServerError::too_large_as(
            "team_too_large",
            format!("a push lists at most {MAX_PUSH_TEAM_MEMBERS} team members in all"),
        ));
    }
    Ok(())
}

/// `POST /v1/sync/pull`.
pub async fn pull<S: Storage>(
    State(state): State<AppState<S>>,
    Syncing(me): Syncing,
    Wire(request): Wire<PullRequest>,
) -> Result<Wire<PullResponse>> {
    let cursor = Cursor::decode(&request.cursor).ok_or_else(|| {
        ServerError::bad_request("bad_cursor", "the cursor is not one this server issued")
    })?;
    let commune = (me.role == Role::CommuneCaseManager).then(|| me.commune.clone());
    let mut response = state.storage.pull(me, cursor, request.max_bytes).await?;
    // A manager's last chunk brings its inbox's first reports too.
    if let (false, Some(commune), Some(after)) = (response.more, commune, request.inbox_after) {
        let inbox = state
            .storage
            .online_reports(&commune, after, super::inbox::INBOX_BYTES)
            .await?;
        response.inbox = Some(inbox);
    }
    tracing::info!(
        events = response.events.len(),
        team = response.team.len(),
        pages = response.pages.len(),
        snapshots = response.snapshots.len(),
        bundles = response.bundles.len(),
        more = response.more,
        "pull served"
    );
    Ok(Wire(response))
}
