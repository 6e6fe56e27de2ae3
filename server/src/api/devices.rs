//! Enrolment, authentication, invitations, the device directory and
//! revocation.

use super::enrolled::active_device;
use super::extract::{AddressLimited, Authenticated, Wire};
use super::{now_ms, AppState};
use crate::auth::{
    check_challenge, invitation_hash, issue_challenge, issue_token, new_invitation_code, sha256,
    TOKEN_TTL_MS,
};
use crate::error::{Result, ServerError};
use crate::storage::{NewInvitation, Storage};
use axum::extract::State;
use binhan_core::model::{validate_commune, DeviceId, Role};
use binhan_core::sync::wire::{
    challenge_message, enrol_message, Challenge, ChallengeRequest, DeviceList, DeviceQuery,
    EnrolRequest, Enrolled, Invitation, InvitationRequest, Token, TokenRequest,
};

/// The commune code of province-wide roles.
pub const PROVINCE: &str = "province";

/// Checks that `commune` suits `role` (province-wide or a commune code).
pub fn check_commune(role: Role, commune: &str) -> Result<()> {
    if role == Role::ProvincialOfficer {
        if commune != PROVINCE {
            return Err(ServerError::bad_request(
                "bad_commune",
                "a provincial officer's commune is \"province\"",
            ));
        }
        return Ok(());
    }
    validate_commune("commune", commune)
        .map_err(|_| ServerError::bad_request("bad_commune", "not a commune code of Lai Châu"))
}

/// Creates an invitation (also used by the bootstrap command).
pub async fn create_invitation<S: Storage>(
    storage: &S,
    role: Role,
    commune: &str,
    valid_hours: u32,
    issued_by: Option<DeviceId>,
) -> Result<Invitation> {
    check_commune(role, commune)?;
    if !(1..=168).contains(&valid_hours) {
        return Err(ServerError::bad_request(
            "bad_validity",
            "an invitation is valid for 1 to 168 hours",
        ));
    }
    let code = new_invitation_code();
    let expires_at = chrono::Utc::now() + chrono::TimeDelta::hours(i64::from(valid_hours));
    let expires_at_ms = u64::try_from(expires_at.timestamp_millis()).unwrap_or(0);
    storage
        .create_invitation(NewInvitation {
            code_hash: invitation_hash(&code),
            role,
            commune: commune.to_string(),
            expires_at_ms,
            issued_by,
        })
        .await?;
    Ok(Invitation {
        code,
        role,
        commune: commune.to_string(),
        expires_at,
    })
}

/// `POST /v1/invitations`: a manager invites a device to a role and commune.
pub async fn invite<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<InvitationRequest>,
) -> Result<Wire<Invitation>> {
    if !me.role.may_invite(request.role) {
        return Err(ServerError::forbidden(
            "cannot_invite",
            "this role may not invite that role",
        ));
    }
    if me.role == Role::CommuneCaseManager && request.commune != me.commune {
        return Err(ServerError::forbidden(
            "other_commune",
            "a commune case manager invites only to their own commune",
        ));
    }
    let invitation = create_invitation(
        &state.storage,
        request.role,
        &request.commune,
        request.valid_hours,
        Some(me.public.device_id),
    )
    .await?;
    tracing::info!(role = ?request.role, "invitation issued");
    Ok(Wire(invitation))
}

/// `POST /v1/enrol`: a device enrols with a code, proving it holds its key.
pub async fn enrol<S: Storage>(
    State(state): State<AppState<S>>,
    _: AddressLimited,
    Wire(request): Wire<EnrolRequest>,
) -> Result<Wire<Enrolled>> {
    if request.label.chars().count() > 80 {
        return Err(ServerError::bad_request(
            "bad_label",
            "the label must be at most 80 characters",
        ));
    }
    request
        .device
        .verify(
            &enrol_message(&request.code, &request.device),
            &request.signature,
        )
        .map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                "the enrolment is not signed by the device's key",
            )
        })?;
    let record = state
        .storage
        .enrol(
            invitation_hash(&request.code),
            request.device,
            request.label,
            now_ms(),
        )
        .await?;
    let expires_at_ms = now_ms() + TOKEN_TTL_MS;
    tracing::info!(device = %record.public.device_id, role = ?record.role, "device enrolled");
    Ok(Wire(Enrolled {
        role: record.role,
        commune: record.commune,
        token: Token {
            token: issue_token(&state.secret, record.public.device_id, expires_at_ms),
            expires_at_ms,
        },
    }))
}

/// `POST /v1/auth/challenge`.
pub async fn challenge<S: Storage>(
    State(state): State<AppState<S>>,
    _: AddressLimited,
    Wire(request): Wire<ChallengeRequest>,
) -> Result<Wire<Challenge>> {
    active_device(state.storage.device(request.device_id).await?)?;
    Ok(Wire(Challenge {
        challenge: issue_challenge(&state.secret, request.device_id, now_ms()),
    }))
}

/// `POST /v1/auth/token`: a signed challenge becomes a short-lived token.
pub async fn token<S: Storage>(
    State(state): State<AppState<S>>,
    _: AddressLimited,
    Wire(request): Wire<TokenRequest>,
) -> Result<Wire<Token>> {
    let now = now_ms();
    let expires = check_challenge(&state.secret, request.device_id, &request.challenge, now)
        .ok_or_else(|| {
            ServerError::unauthorized(
                "bad_challenge",
                "the challenge is not this server's, or has expired",
            )
        })?;
    let device = active_device(state.storage.device(request.device_id).await?)?;
    device
        .public
        .verify(&challenge_message(&request.challenge), &request.signature)
        .map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                "the challenge is not signed by the device's key",
            )
        })?;
    if !state
        .storage
        .use_challenge(sha256(&request.challenge), expires, now)
        .await?
    {
        return Err(ServerError::conflict(
            "replayed",
            "this challenge was already answered",
        ));
    }
    let expires_at_ms = now + TOKEN_TTL_MS;
    Ok(Wire(Token {
        token: issue_token(&state.secret, request.device_id, expires_at_ms),
        expires_at_ms,
    }))
}

/// `POST /v1/devices/query`: public keys and roles of devices.
pub async fn query<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(_): Authenticated,
    Wire(query): Wire<DeviceQuery>,
) -> Result<Wire<DeviceList>> {
    if query.ids.len() > 1_000 {
        return Err(ServerError::bad_request(
            "too_many_ids",
            "ask for at most 1000 devices at once",
        ));
    }
    Ok(Wire(DeviceList {
        devices: state.storage.query_devices(query).await?,
    }))
}

/// `POST /v1/devices/revoke`: a manager revokes a device of their commune,
/// a provincial officer any device.
pub async fn revoke<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(target): Wire<DeviceId>,
) -> Result<Wire<()>> {
    let device = state
        .storage
        .device(target)
        .await?
        .ok_or_else(|| ServerError::not_found("unknown_device", "no such device"))?;
    let allowed = me.role == Role::ProvincialOfficer
        || (me.role == Role::CommuneCaseManager
            && device.commune == me.commune
            && device.role != Role::ProvincialOfficer);
    if !allowed {
        return Err(ServerError::forbidden(
            "cannot_revoke",
            "this device may not revoke that one",
        ));
    }
    state.storage.revoke(target, now_ms()).await?;
    tracing::info!(device = %target, "device revoked");
    Ok(Wire(()))
}
