//! The signed shelter directory and the placement mailbox.
//!
//! Only provincial officers publish; every enrolled device reads. The
//! server checks each publication's signature under its own signer (and
//! storage, that the signer is the province's registered key), so a
//! corrupted upload is refused at once; devices check it again themselves.
//! Mail must be signed by the device sending it; mail to every device must
//! hold free places and nothing else.

use super::extract::{Authenticated, Wire};
use super::{now_ms, officer_only, AppState};
use crate::error::{Result, ServerError};
use crate::storage::{NewPublication, Storage};
use axum::extract::State;
use binhan_core::shelters::wire::{
    DirectoryRequest, DirectoryResponse, MailChunk, MailPull, MailPush, MailPushResponse,
    PublishRequest, PublishResponse, MAX_MAIL_BYTES, MAX_MAIL_ITEMS,
};
use binhan_core::shelters::{DirectoryUpdate, ProvincialKey, SignedPublication};
use binhan_core::sync::wire::DeviceRecord;
use binhan_core::sync::KeyEndorsement;

/// Refuses an endorsement of a provincial key that is not signed by `me`,
/// an officer's device.
pub(super) fn check_endorsement(me: &DeviceRecord, endorsement: &KeyEndorsement) -> Result<()> {
    endorsement
        .check(&endorsement.key, &me.public, me.role)
        .map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                "the endorsement is not signed by this officer's device",
            )
        })
}

/// `POST /v1/province/key`: a provincial officer endorses the key the
/// province signs with (its phone does before each publication). Devices
/// check the endorsement themselves; the server only keeps what it can
/// check: the officer's own signature.
pub async fn endorse_key<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(endorsement): Wire<KeyEndorsement>,
) -> Result<Wire<()>> {
    officer_only(&me, "endorse the provincial key")?;
    check_endorsement(&me, &endorsement)?;
    state.storage.endorse_key(endorsement).await?;
    tracing::info!("provincial key endorsed");
    Ok(Wire(()))
}

/// `POST /v1/shelters/publish`: a provincial officer uploads a publication.
pub async fn publish<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<PublishRequest>,
) -> Result<Wire<PublishResponse>> {
    officer_only(&me, "publish the shelter directory")?;
    let publication = SignedPublication::decode(&request.publication).map_err(|_| {
        ServerError::bad_request(
            "bad_publication",
            "the body is not a signed shelter directory publication",
        )
    })?;
    let update = publication
        .verify(&ProvincialKey(publication.signer))
        .map_err(|_| {
            ServerError::unprocessable("bad_signature", "the publication's signature does not hold")
        })?;
    let (version, from_version) = match &update {
        DirectoryUpdate::Full(directory) => {
            directory
                .validate()
                .map_err(|e| ServerError::unprocessable("bad_directory", e.to_string()))?;
            (directory.version, None)
        }
        DirectoryUpdate::Delta(delta) => (delta.to_version, Some(delta.from_version)),
    };
    let stored = state
        .storage
        .publish_directory(
            NewPublication {
                version,
                from_version,
                signer: publication.signer,
                body: request.publication,
            },
            now_ms(),
        )
        .await?;
    tracing::info!(version, stored, "shelter directory published");
    Ok(Wire(PublishResponse { version, stored }))
}

/// `POST /v1/shelters/directory`: the publications newer than the version
/// the device holds.
pub async fn directory<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(_): Authenticated,
    Wire(request): Wire<DirectoryRequest>,
) -> Result<Wire<DirectoryResponse>> {
    let response = state
        .storage
        .directory_publications(request.held, request.max_bytes)
        .await?;
    tracing::info!(
        publications = response.publications.len(),
        latest = response.latest,
        "shelter directory served"
    );
    Ok(Wire(response))
}

/// `POST /v1/shelters/send`: mail from this device's outbox.
pub async fn send<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<MailPush>,
) -> Result<Wire<MailPushResponse>> {
    if request.mail.len() > MAX_MAIL_ITEMS {
        return Err(ServerError::too_large(format!(
            "a push holds at most {MAX_MAIL_ITEMS} messages"
        )));
    }
    for mail in &request.mail {
        if mail.body.len() > MAX_MAIL_BYTES {
            return Err(ServerError::too_large(format!(
                "message {} exceeds {MAX_MAIL_BYTES} bytes",
                mail.id
            )));
        }
        if mail.from != me.public.device_id {
            return Err(ServerError::forbidden(
                "not_sender",
                "devices send only their own messages",
            ));
        }
        mail.verify(&me.public).map_err(|_| {
            ServerError::unprocessable(
                "bad_signature",
                format!("message {} is not signed by its sender", mail.id),
            )
        })?;
        if mail.to.is_none() {
            mail.broadcast().map_err(|_| {
                ServerError::unprocessable(
                    "not_free_places",
                    format!(
                        "message {} to every device must hold free places only",
                        mail.id
                    ),
                )
            })?;
        }
    }
    let count = request.mail.len();
    let response = state.storage.push_mail(request.mail, now_ms()).await?;
    tracing::info!(
        messages = count,
        refused = response.refused.len(),
        "shelter mail stored"
    );
    Ok(Wire(response))
}

/// `POST /v1/shelters/mailbox`: the next chunk of this device's mail;
/// acknowledges what it had up to the cursor it sends.
pub async fn mailbox<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<MailPull>,
) -> Result<Wire<MailChunk>> {
    let chunk = state
        .storage
        .pull_mail(me.public.device_id, request.after, request.max_bytes)
        .await?;
    tracing::info!(
        messages = chunk.mail.len(),
        more = chunk.more,
        "shelter mail served"
    );
    Ok(Wire(chunk))
}
