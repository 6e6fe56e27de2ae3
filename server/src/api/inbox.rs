//! The commune case managers' inbox of online reports: sealed reports of
//! their own commune, in order, for their phones to open.

use super::extract::{Authenticated, Wire};
use super::AppState;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::State;
use binhan_core::model::Role;
use binhan_core::online_report::{InboxRequest, InboxResponse};

/// Bytes of sealed reports per answer, about.
pub(super) const INBOX_BYTES: usize = 1 << 20;

/// `POST /v1/intake/inbox`: a commune case manager's phone fetches its
/// commune's reports stored after `after`.
pub async fn inbox<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<InboxRequest>,
) -> Result<Wire<InboxResponse>> {
    if me.role != Role::CommuneCaseManager {
        return Err(ServerError::forbidden(
            "managers_only",
            "only the commune's case managers receive online reports",
        ));
    }
    let response = state
        .storage
        .online_reports(&me.commune, request.after, INBOX_BYTES)
        .await?;
    Ok(Wire(response))
}
