//! Enrolment, authentication, invitations, the device directory and
//! signed revocation.

use super::enrolled::active_device;
use super::extract::{AddressLimited, Authenticated, Wire};
use super::{now_ms, AppState};
use crate::auth::{
    check_challenge, invitation_hash, issue_challenge, issue_token, sha256, TOKEN_TTL_MS,
};
use crate::error::{Result, ServerError};
use crate::storage::{root_exists, Enrolment, NewInvitation, Storage};
use axum::extract::State;
use binhan_core::model::{validate_commune, Role};
use binhan_core::sync::wire::{
    challenge_message, enrol_message, Challenge, ChallengeRequest, DeviceList, DeviceQuery,
    DeviceRecord, EnrolRequest, Enrolled, Invitation, InvitationRequest, Token, TokenRequest,
    MAX_INVITATION_HOURS,
};
use binhan_core::sync::{
    check_chain, may_revoke, new_code, DeviceCertificate, InvitationSecret, Revocation,
    RevocationProof, RevocationQuery, BOOTSTRAP_CODE_CHARS, MAX_CHAIN, QUERY_WINDOW_MS,
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

/// The expiry, ms since 1970, of an invitation valid for `valid_hours`,
/// or the refusal of a validity out of range.
fn expiry_ms(valid_hours: u32) -> Result<u64> {
    if !(1..=MAX_INVITATION_HOURS).contains(&valid_hours) {
        return Err(ServerError::bad_request(
            "bad_validity",
            "an invitation is valid for 1 to 168 hours",
        ));
    }
    Ok(now_ms() + u64::from(valid_hours) * 3_600_000)
}

/// The bootstrap command's one-time code for the first provincial officer,
/// whose device becomes the province's root. Refused once the province has
/// a root, unless `replace_root`: the new root's devices then trust none of
/// the old ones, and receive no key to anything recorded before.
pub async fn bootstrap_invitation<S: Storage>(
    storage: &S,
    valid_hours: u32,
    replace_root: bool,
) -> Result<Invitation> {
    if !replace_root && storage.province_root().await?.is_some() {
        return Err(root_exists());
    }
    let expires_at_ms = expiry_ms(valid_hours)?;
    let code = new_code(BOOTSTRAP_CODE_CHARS);
    storage
        .create_invitation(NewInvitation {
            code_hash: invitation_hash(InvitationSecret::from_code(&code).id()),
            role: Role::ProvincialOfficer,
            commune: PROVINCE.to_string(),
            expires_at_ms,
            issued_by: None,
            grant: None,
            replaces_root: replace_root,
            school: None,
        })
        .await?;
    Ok(Invitation {
        code,
        role: Role::ProvincialOfficer,
        commune: PROVINCE.to_string(),
        expires_at: chrono::DateTime::from_timestamp_millis(expires_at_ms as i64)
            .unwrap_or_default(),
    })
}

/// `POST /v1/invitations`: a manager registers an invitation its phone
/// made. The server checks what it can (who signed, what it grants, until
/// when); devices check the grant again, back to the root.
pub async fn invite<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<InvitationRequest>,
) -> Result<Wire<()>> {
    let grant = &request.grant;
    if !me.role.may_invite(grant.role) {
        return Err(ServerError::forbidden(
            "cannot_invite",
            "this role may not invite that role",
        ));
    }
    if me.role == Role::CommuneCaseManager && grant.commune != me.commune {
        return Err(ServerError::forbidden(
            "other_commune",
            "a commune case manager invites only to their own commune",
        ));
    }
    check_commune(grant.role, &grant.commune)?;
    let latest = expiry_ms(MAX_INVITATION_HOURS)? + 60_000;
    if grant.expires_at_ms <= now_ms() || grant.expires_at_ms > latest {
        return Err(ServerError::bad_request(
            "bad_validity",
            "an invitation is valid for 1 to 168 hours",
        ));
    }
    let root = state.storage.province_root().await?;
    let signed = grant.issuer == me.public.device_id
        && root.is_some_and(|r| r.sign_key == grant.root)
        && me
            .certificate
            .as_ref()
            .is_some_and(|c| c.device == me.public)
        && grant.check_signatures(&me.public).is_ok();
    if !signed {
        return Err(ServerError::unprocessable(
            "bad_grant",
            "the invitation's grant is not signed by this certified device under the province's root",
        ));
    }
    if let Some(school) = &request.school {
        school.check_grant(grant, &me.public).map_err(|_| {
            ServerError::unprocessable(
                "bad_school",
                "a school is given only to a school counselor's invitation, signed by its inviter",
            )
        })?;
    }
    state
        .storage
        .create_invitation(NewInvitation {
            code_hash: invitation_hash(&request.id),
            role: grant.role,
            commune: grant.commune.clone(),
            expires_at_ms: grant.expires_at_ms,
            issued_by: Some(me.public.device_id),
            grant: Some(grant.clone()),
            replaces_root: false,
            school: request.school,
        })
        .await?;
    tracing::info!(role = ?grant.role, "invitation registered");
    Ok(Wire(()))
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
            Enrolment {
                code_hash: invitation_hash(&request.code),
                device: request.device,
                label: request.label,
                binding: request.binding,
            },
            now_ms(),
        )
        .await?;
    let certificate = record.certificate.ok_or_else(ServerError::internal)?;
    let chain = issuers_of(&state.storage, &certificate).await?;
    let expires_at_ms = now_ms() + TOKEN_TTL_MS;
    tracing::info!(device = %record.public.device_id, role = ?record.role, "device enrolled");
    Ok(Wire(Enrolled {
        role: record.role,
        commune: record.commune,
        token: Token {
            token: issue_token(&state.secret, record.public.device_id, expires_at_ms),
            expires_at_ms,
        },
        certificate,
        chain,
        school: record.school,
    }))
}

/// The certificates of the issuers above `certificate`, back to the root.
pub async fn issuers_of<S: Storage>(
    storage: &S,
    certificate: &DeviceCertificate,
) -> Result<Vec<DeviceCertificate>> {
    certificates_above(storage, certificate.issuer()).await
}

/// The certificates of `devices` and of their issuers, back to the root,
/// each once (a chain is at most [`MAX_CHAIN`] long; a device with no
/// stored certificate ends its chain).
async fn certificates_above<S: Storage>(
    storage: &S,
    devices: impl IntoIterator<Item = binhan_core::model::DeviceId>,
) -> Result<Vec<DeviceCertificate>> {
    let mut found: std::collections::BTreeMap<_, DeviceCertificate> = Default::default();
    let mut wanted: std::collections::BTreeSet<_> = devices.into_iter().collect();
    for _ in 0..MAX_CHAIN {
        let ask: Vec<_> = std::mem::take(&mut wanted)
            .into_iter()
            .filter(|id| !found.contains_key(id))
            .collect();
        if ask.is_empty() {
            break;
        }
        for id in ask {
            if let Some(certificate) = storage.device(id).await?.and_then(|d| d.certificate) {
                wanted.extend(certificate.issuer());
                found.insert(id, certificate);
            }
        }
    }
    Ok(found.into_values().collect())
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

/// Whether `me` may list the devices of `commune` (with `role`, if
/// given): anyone the case managers of any commune (a new case's team
/// starts with those of the survivor's commune), a school counselor the
/// counselors of its own school (see [`same_school`]), a commune case
/// manager every device of its own commune (it looks after them), the
/// provincial officer every device. Devices by id (signers of what a
/// device pulled, a shelter's host, issuers in a certificate chain) are not
/// listed this way and stay open to every enrolled device.
fn may_list(me: &DeviceRecord, commune: &str, role: Option<Role>) -> bool {
    let counselor = me.role == Role::SchoolCounselor && me.school.is_some();
    role == Some(Role::CommuneCaseManager)
        || me.role == Role::ProvincialOfficer
        || (me.role == Role::CommuneCaseManager && me.commune == commune)
        || (counselor && role == Some(Role::SchoolCounselor) && me.commune == commune)
}

/// Whether a counselor `me` may see `device` in a listing: only the
/// counselors of its own school are listed to it (a counselor's school
/// case starts with them on its team).
fn same_school(me: &DeviceRecord, device: &DeviceRecord) -> bool {
    me.role != Role::SchoolCounselor
        || device.role != Role::SchoolCounselor
        || me
            .school
            .as_ref()
            .zip(device.school.as_ref())
            .is_some_and(|(mine, theirs)| mine.is(&theirs.school))
}

/// `POST /v1/devices/query`: public keys and roles of devices, listed only
/// as far as [`may_list`] allows.
pub async fn query<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(query): Wire<DeviceQuery>,
) -> Result<Wire<DeviceList>> {
    if query.ids.len() > 1_000 {
        return Err(ServerError::bad_request(
            "too_many_ids",
            "ask for at most 1000 devices at once",
        ));
    }
    if let Some(commune) = &query.commune {
        if !may_list(&me, commune, query.role) {
            return Err(ServerError::forbidden(
                "not_listed_to_you",
                "only a commune's case managers are listed to everyone; a commune's other \
                 devices only to its case managers and the provincial officer",
            ));
        }
    }
    let listed = query.commune.is_some();
    let mut devices = state.storage.query_devices(query).await?;
    if listed {
        devices.retain(|d| same_school(&me, d));
    }
    let chain = chains_of(&state.storage, &devices).await?;
    Ok(Wire(DeviceList { devices, chain }))
}

/// The certificates a device needs to check `records` back to the root:
/// their issuers', and their revokers' with their issuers'.
async fn chains_of<S: Storage>(
    storage: &S,
    records: &[binhan_core::sync::wire::DeviceRecord],
) -> Result<Vec<DeviceCertificate>> {
    let issuers = records
        .iter()
        .filter_map(|r| r.certificate.as_ref()?.issuer());
    let revokers = records
        .iter()
        .filter_map(|r| Some(r.revocation.as_ref()?.revoked_by));
    certificates_above(storage, issuers.chain(revokers)).await
}

/// `POST /v1/devices/revoke`: a revocation signed by the revoker's device
/// key. A commune case manager revokes a device of their commune (not an
/// officer), a provincial officer any device, by the roles and communes
/// their certificates grant; the revoker's certificate must check back to
/// the province's root. The revoked device checks all this again before
/// it erases itself.
pub async fn revoke<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(revocation): Wire<Revocation>,
) -> Result<Wire<()>> {
    let target = revocation.device;
    let device = state
        .storage
        .device(target)
        .await?
        .ok_or_else(|| ServerError::not_found("unknown_device", "no such device"))?;
    if revocation.revoked_by != me.public.device_id
        || revocation.check_signature(&me.public).is_err()
    {
        return Err(ServerError::unprocessable(
            "bad_signature",
            "the revocation is not signed by this device's key",
        ));
    }
    let certified = match (&me.certificate, state.storage.province_root().await?) {
        (Some(cert), Some(root)) if cert.device == me.public => {
            let chain = issuers_of(&state.storage, cert).await?;
            check_chain(cert, &chain, &root.sign_key)
                .is_ok()
                .then_some(cert)
        }
        _ => None,
    };
    let Some(cert) = certified else {
        return Err(ServerError::forbidden(
            "cannot_revoke",
            "this device is not certified under the province's root",
        ));
    };
    let (role, commune) = device
        .certificate
        .as_ref()
        .map_or((device.role, device.commune.as_str()), |c| {
            (c.role(), c.commune())
        });
    if !may_revoke(cert.role(), cert.commune(), role, commune) {
        return Err(ServerError::forbidden(
            "cannot_revoke",
            "this device may not revoke that one",
        ));
    }
    state.storage.revoke(&revocation, now_ms()).await?;
    tracing::info!(device = %target, "device revoked");
    Ok(Wire(()))
}

/// `POST /v1/devices/revocation`: a revoked device, asking with a query
/// signed by its key, is shown the proof of its revocation (the signed
/// revocation, the revoker's certificate and its issuers'), which it checks
/// before erasing itself.
pub async fn revocation<S: Storage>(
    State(state): State<AppState<S>>,
    _: AddressLimited,
    Wire(query): Wire<RevocationQuery>,
) -> Result<Wire<RevocationProof>> {
    let device = state
        .storage
        .device(query.device)
        .await?
        .ok_or_else(ServerError::unknown_device)?;
    if query.check(&device.public).is_err() || query.at_ms.abs_diff(now_ms()) > QUERY_WINDOW_MS {
        return Err(ServerError::unprocessable(
            "bad_signature",
            "the query is not signed by the device's key, or not now",
        ));
    }
    let not_revoked = || ServerError::not_found("not_revoked", "this device holds no revocation");
    let revocation = device.revocation.ok_or_else(not_revoked)?;
    let revoker = state
        .storage
        .device(revocation.revoked_by)
        .await?
        .and_then(|d| d.certificate)
        .ok_or_else(not_revoked)?;
    let chain = issuers_of(&state.storage, &revoker).await?;
    Ok(Wire(RevocationProof {
        revocation,
        revoker,
        chain,
    }))
}
