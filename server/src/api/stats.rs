//! De-identified statistics: devices send records and withdrawals; only
//! provincial officers read what the server aggregates from them.

use super::extract::{Authenticated, Wire};
use super::AppState;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::State;
use binhan_core::model::Role;
use binhan_core::stats::school_use::SchoolUse;
use binhan_core::stats::StatUpdate;
use binhan_core::sync::wire::{stats_message, StatsPush, StatsPushResponse, MAX_PUSH_ITEMS};

/// `POST /v1/stats/push`: signed by the device; every record is checked.
pub async fn push<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<StatsPush>,
) -> Result<Wire<StatsPushResponse>> {
    if matches!(
        me.role,
        Role::ProvincialOfficer | Role::ShelterHost | Role::ServiceProvider
    ) {
        return Err(ServerError::forbidden(
            "not_a_case_worker",
            "only devices that work on cases send statistics",
        ));
    }
    if request.updates.len() > MAX_PUSH_ITEMS {
        return Err(ServerError::too_large(format!(
            "at most {MAX_PUSH_ITEMS} statistics updates at once"
        )));
    }
    me.public
        .verify(&stats_message(&request.updates), &request.signature)
        .map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                "the statistics are not signed by the device",
            )
        })?;
    for update in &request.updates {
        if let StatUpdate::Record(record) = update {
            record
                .validate()
                .map_err(|e| ServerError::unprocessable("bad_record", e.to_string()))?;
        }
    }
    let applied = state.storage.push_stats(request.updates).await?;
    Ok(Wire(StatsPushResponse { applied }))
}

/// `POST /v1/stats/school-use`: a school counselor's phone sends the months
/// in which a step of the school procedure was recorded on its school's
/// cases; the school is its certified record's, never the phone's word.
pub async fn school_use<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<SchoolUse>,
) -> Result<Wire<()>> {
    if me.role != Role::SchoolCounselor || me.school.is_none() {
        return Err(ServerError::forbidden(
            "not_a_school_counselor",
            "only a school counselor with a certified school sends its school's use",
        ));
    }
    request
        .validate()
        .map_err(|e| ServerError::unprocessable("bad_school_use", e.to_string()))?;
    state
        .storage
        .record_school_use(me.public.device_id, &request.months)
        .await?;
    Ok(Wire(()))
}
