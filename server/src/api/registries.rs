//! The programme registries: the provincial officer records and lists
//! them; a commune case manager records and lists the training sessions of
//! its own commune; every other role is refused with a reason. (The annual
//! report is made on the officer's phone, from statistics only its key
//! opens: see `binhan-report`.)

use super::extract::{Authenticated, Wire};
use super::{officer_only, AppState};
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::State;
use binhan_core::model::Role;
use binhan_core::stats::registry::{ProgrammeRegistries, RegistryCounts, RegistryListing};
use binhan_core::sync::wire::DeviceRecord;
use binhan_core::Refusal;

/// What only officers do here.
const OFFICERS_DO: &str = "read reports and read or record the programme registries";

/// `POST /v1/registries/record`: adds or replaces registry entries. The
/// officer records anything; a commune case manager the commune's training
/// sessions and communication activities; a collaborator or a school
/// counselor the commune's communication activities (the commune always
/// from the device's enrolment, never from the request).
pub async fn record_registries<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(entries): Wire<ProgrammeRegistries>,
) -> Result<Wire<RegistryCounts>> {
    match entries.check_commune_scope(me.role, &me.commune) {
        Ok(()) => {}
        // Other roles than a manager's: what else they sent is the
        // officer's to record.
        Err(Refusal::OnlyCommunicationActivities) => officer_only(&me, OFFICERS_DO)?,
        Err(r) => return Err(ServerError::forbidden(r.code(), r.text_en())),
    }
    entries
        .validate()
        .map_err(|e| ServerError::unprocessable("bad_registry_entry", e.to_string()))?;
    Ok(Wire(state.storage.record_registries(entries).await?))
}

/// `POST /v1/registries/list` (empty request): every registry entry for the
/// officer; the training sessions held in its commune for a commune case
/// manager.
pub async fn list_registries<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(()): Wire<()>,
) -> Result<Wire<RegistryListing>> {
    let scope = commune_scope(&me)?;
    let all = state.storage.registries().await?;
    Ok(Wire(match scope {
        Some(commune) => RegistryListing {
            entries: all.of_commune(commune),
            school_use: Vec::new(),
        },
        None => RegistryListing {
            entries: all,
            school_use: state.storage.school_use().await?,
        },
    }))
}

/// Whose registries `me` works on: every commune for the officer (`None`),
/// the commune its device was enrolled for (from the enrolment, never from
/// the request) for a commune case manager; any other role is refused.
fn commune_scope(me: &DeviceRecord) -> Result<Option<&str>> {
    match me.role {
        Role::CommuneCaseManager => Ok(Some(&me.commune)),
        _ => officer_only(me, OFFICERS_DO).map(|()| None),
    }
}
