//! The public online intake: a page anyone may open (`/r`), the recipients
//! of a commune's reports, the submission of a report sealed in the
//! browser (its format: `binhan_core::online_report`). The commune case
//! managers fetch them from their inbox (`api::inbox`).
//!
//! The server holds no key to a report: it checks the clear header of the
//! sealed format (who it is sealed to), the anti-flood proof of work and
//! the challenge, and stores the ciphertext 30 days for the commune's
//! managers. It logs neither a report's content nor its commune.

pub mod challenge;
pub mod encoding;
pub mod page;

use crate::api::{now_ms, AddressLimited, AppState};
use crate::auth::sha256;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use binhan_core::model::{validate_commune, Role};
use binhan_core::online_report::{SealedReport, MAX_SEALED_BYTES};
use binhan_core::sync::wire::{DeviceQuery, DeviceRecord};
use encoding::{base64url_decode, base64url_encode, hex};
use serde::{Deserialize, Serialize};

/// The largest submission body: a sealed report at its cap in base64url,
/// and the rest of the JSON.
pub const MAX_SUBMIT_BYTES: usize = MAX_SEALED_BYTES * 4 / 3 + 2048;

/// `POST /v1/intake/recipients` body.
#[derive(Debug, Deserialize)]
pub struct RecipientsRequest {
    /// The commune's code.
    pub commune: String,
}

/// One commune case manager a report is sealed to.
#[derive(Debug, Serialize)]
pub struct Recipient {
    /// Device id, hex.
    pub device_id: String,
    /// X25519 exchange key, hex.
    pub exchange_key: String,
}

/// `POST /v1/intake/recipients` answer.
#[derive(Debug, Serialize)]
pub struct RecipientsResponse {
    /// The commune's certified, active case managers.
    pub recipients: Vec<Recipient>,
    /// The challenge to answer with the submission (base64url).
    pub challenge: String,
    /// Zero bits the proof of work needs.
    pub difficulty: u8,
}

/// `POST /v1/intake/submit` body.
#[derive(Debug, Deserialize)]
pub struct SubmitRequest {
    /// The commune's code.
    pub commune: String,
    /// The challenge of the recipients' answer (base64url).
    pub challenge: String,
    /// The proof of work (decimal u64).
    pub nonce: String,
    /// The sealed report (base64url).
    pub sealed: String,
}

fn reading(body: &[u8]) -> Result<serde_json::Value> {
    serde_json::from_slice(body)
        .map_err(|_| ServerError::bad_request("malformed_request", "the body is not JSON"))
}

async fn body_bytes(body: axum::body::Body, limit: usize) -> Result<axum::body::Bytes> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ServerError::too_large(format!("the body exceeds {limit} bytes")))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_value(reading(body)?).map_err(|_| {
        ServerError::bad_request(
            "malformed_request",
            "the body lacks a field or has a wrong one",
        )
    })
}

fn commune_of(code: &str) -> Result<()> {
    validate_commune("commune", code)
        .map_err(|_| ServerError::bad_request("unknown_commune", "not a commune code of Lai Châu"))
}

/// The commune's active case managers whose certificate checks back to
/// the province's root, with role and commune as their grant says.
async fn certified_managers<S: Storage>(storage: &S, commune: &str) -> Result<Vec<DeviceRecord>> {
    let Some(root) = storage.province_root().await? else {
        return Ok(Vec::new());
    };
    let devices = storage
        .query_devices(DeviceQuery {
            ids: Vec::new(),
            commune: Some(commune.to_string()),
            role: Some(Role::CommuneCaseManager),
        })
        .await?;
    // The query lists the commune's active managers as the server records
    // them; a device counts only as its certificate says, back to the root.
    let mut managers = Vec::new();
    for device in devices {
        let Some(certificate) = device.certificate.as_ref() else {
            continue;
        };
        let certified = certificate.device == device.public
            && certificate.role() == Role::CommuneCaseManager
            && certificate.commune() == commune;
        if !certified {
            continue;
        }
        let issuers = crate::api::issuers_of(storage, certificate).await?;
        if binhan_core::sync::check_chain(certificate, &issuers, &root.sign_key).is_ok() {
            managers.push(device);
        }
    }
    Ok(managers)
}

/// `POST /v1/intake/recipients`: whom to seal a report to, and the
/// challenge to answer.
pub async fn recipients<S: Storage>(
    State(state): State<AppState<S>>,
    _: AddressLimited,
    body: axum::body::Body,
) -> Result<Json<RecipientsResponse>> {
    let request: RecipientsRequest = parse(&body_bytes(body, 1024).await?)?;
    commune_of(&request.commune)?;
    let managers = certified_managers(&state.storage, &request.commune).await?;
    if managers.is_empty() {
        return Err(ServerError::not_found(
            "no_recipients",
            "this commune has no case manager reachable online yet; call the numbers on the page",
        ));
    }
    let difficulty = state.intake_difficulty;
    Ok(Json(RecipientsResponse {
        recipients: managers
            .iter()
            .map(|m| Recipient {
                device_id: hex(m.public.device_id.as_bytes()),
                exchange_key: hex(&m.public.exchange_key),
            })
            .collect(),
        challenge: base64url_encode(&challenge::issue(
            &state.secret,
            &request.commune,
            difficulty,
            now_ms(),
        )),
        difficulty,
    }))
}

/// `POST /v1/intake/submit`: stores a sealed report for the commune's
/// managers, or refuses it with nothing stored.
pub async fn submit<S: Storage>(
    State(state): State<AppState<S>>,
    _: AddressLimited,
    body: axum::body::Body,
) -> Result<Response> {
    let request: SubmitRequest = parse(&body_bytes(body, MAX_SUBMIT_BYTES).await?)?;
    commune_of(&request.commune)?;
    let now = now_ms();
    let challenge_bytes = base64url_decode(&request.challenge).unwrap_or_default();
    let checked = challenge::check(&state.secret, &request.commune, &challenge_bytes, now)
        .ok_or_else(|| {
            ServerError::forbidden(
                "bad_challenge",
                "the challenge is not this server's, is for another commune, or has expired",
            )
        })?;
    let nonce: u64 = request.nonce.parse().map_err(|_| {
        ServerError::bad_request("malformed_request", "the nonce is not a decimal number")
    })?;
    if challenge::work_bits(&challenge_bytes, nonce) < u32::from(checked.difficulty) {
        return Err(ServerError::unprocessable(
            "bad_proof_of_work",
            "the proof of work does not answer the challenge",
        ));
    }
    let sealed = base64url_decode(&request.sealed).ok_or_else(malformed_envelope)?;
    if sealed.len() > MAX_SEALED_BYTES {
        return Err(ServerError::too_large(format!(
            "a sealed report is at most {MAX_SEALED_BYTES} bytes"
        )));
    }
    let envelope = SealedReport::parse(&sealed).map_err(|_| malformed_envelope())?;
    let managers = certified_managers(&state.storage, &request.commune).await?;
    let known = |id| managers.iter().any(|m| m.public.device_id == id);
    if !envelope.recipients().all(known) {
        return Err(ServerError::unprocessable(
            "unknown_recipient",
            "the report is sealed to a device that is not a certified case manager of the commune",
        ));
    }
    if !state
        .storage
        .use_challenge(sha256(&challenge_bytes), checked.expires_at_ms, now)
        .await?
    {
        return Err(ServerError::conflict(
            "replayed",
            "this challenge was already used; fetch a new one",
        ));
    }
    state
        .storage
        .store_online_report(&request.commune, sealed, now)
        .await?;
    tracing::info!("online report received");
    Ok((
        StatusCode::ACCEPTED,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({"received": true})),
    )
        .into_response())
}

fn malformed_envelope() -> ServerError {
    ServerError::bad_request(
        "malformed_envelope",
        "the report is not sealed in the online report format",
    )
}
