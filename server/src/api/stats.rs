//! De-identified statistics: devices send rows sealed to the provincial
//! office's key, which the server stores without reading; only provincial
//! officers page them out, to open on their phones. The office's key is
//! published by an officer and handed to every device.

use super::extract::{Authenticated, Wire};
use super::shelters::check_endorsement;
use super::{officer_only, AppState};
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::State;
use binhan_core::model::Role;
use binhan_core::shelters::ProvincialKey;
use binhan_core::stats::school_use::SchoolUse;
use binhan_core::stats::sealed::OfficeKey;
use binhan_core::sync::wire::{
    stats_message, OfficeKeyPublish, OfficeKeyResponse, SealedStatsPage, SealedStatsRequest,
    StatsPush, StatsPushResponse, MAX_PUSH_ITEMS, MAX_SEALED_PAGE,
};

/// `POST /v1/stats/push`: signed by the device; every row's shape is
/// checked (what it holds only the office can check).
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
    if request.rows.len() > MAX_PUSH_ITEMS {
        return Err(ServerError::too_large(format!(
            "at most {MAX_PUSH_ITEMS} statistics rows at once"
        )));
    }
    me.public
        .verify(&stats_message(&request.rows), &request.signature)
        .map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                "the statistics are not signed by the device",
            )
        })?;
    for row in &request.rows {
        row.check_shape().map_err(|_| {
            ServerError::unprocessable("bad_record", "a row is not sealed statistics")
        })?;
    }
    let applied = state.storage.push_stats(request.rows).await?;
    Ok(Wire(StatsPushResponse { applied }))
}

/// `POST /v1/stats/sealed`: a page of sealed rows, for the provincial
/// officer's phone to open.
pub async fn sealed<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<SealedStatsRequest>,
) -> Result<Wire<SealedStatsPage>> {
    officer_only(&me, "read the sealed statistics")?;
    let limit = request.limit.clamp(1, MAX_SEALED_PAGE);
    let (rows, more) = state.storage.sealed_stats(request.after, limit).await?;
    Ok(Wire(SealedStatsPage { rows, more }))
}

/// `POST /v1/province/office-key`: an officer publishes the office's
/// statistics key, signed with the provincial key and endorsed by its
/// device. Devices check both themselves; the server keeps only what
/// checks, under the province's registered key.
pub async fn publish_office_key<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<OfficeKeyPublish>,
) -> Result<Wire<()>> {
    officer_only(&me, "publish the statistics office key")?;
    let signer = request.office_key.signer;
    if request.endorsement.key != signer {
        return Err(ServerError::unprocessable(
            "bad_endorsement",
            "the endorsement is not of the key that signed the office key",
        ));
    }
    check_endorsement(&me, &request.endorsement)?;
    OfficeKey::verify(&request.office_key, &ProvincialKey(signer)).map_err(|_| {
        ServerError::unprocessable(
            "bad_signature",
            "the office key is not signed by its signer",
        )
    })?;
    state.storage.publish_office_key(request).await?;
    tracing::info!("statistics office key published");
    Ok(Wire(()))
}

/// `POST /v1/stats/office-key`: the office's statistics key for any
/// enrolled device (none before an officer published it).
pub async fn office_key<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(_me): Authenticated,
    Wire(()): Wire<()>,
) -> Result<Wire<OfficeKeyResponse>> {
    Ok(Wire(state.storage.office_key().await?))
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
