//! Who this device is to the server: enrolment with an invitation code,
//! short-lived tokens from a challenge signed with the device key, and the
//! authenticated call every other sync step makes.

use super::engine::{SyncContext, CURSOR, ENROLMENT, SERVER, TOKEN};
use super::wire::{
    challenge_message, enrol_message, Challenge, ChallengeRequest, EnrolRequest, Enrolled, Token,
    TokenRequest,
};
use crate::model::Role;
use crate::store::Store;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// What a device was enrolled as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Enrolment {
    /// Server it is enrolled with.
    pub server_url: String,
    /// Role.
    pub role: Role,
    /// Commune (code).
    pub commune: String,
}

/// The device's enrolment, if any.
pub fn enrolment(store: &Store) -> Result<Option<Enrolment>> {
    store.meta(ENROLMENT)
}

/// Records an enrolment without a server (tests of what a role may do).
#[cfg(any(test, feature = "testing"))]
pub(crate) fn set_enrolment(store: &Store, enrolment: &Enrolment) -> Result<()> {
    store.set_meta(ENROLMENT, enrolment)
}

/// Enrols this device with an invitation code.
pub async fn enrol(ctx: &SyncContext<'_>, code: &str, label: &str) -> Result<Enrolment> {
    let device = ctx.identity.public();
    let code = code.trim().to_uppercase();
    let request = EnrolRequest {
        signature: ctx.identity.sign(&enrol_message(&code, &device)),
        code,
        device,
        label: label.to_string(),
    };
    let enrolled: Enrolled = ctx.transport.post("/v1/enrol", None, &request).await?;
    let enrolment = Enrolment {
        server_url: ctx.transport.base_url().to_string(),
        role: enrolled.role,
        commune: enrolled.commune,
    };
    ctx.store.set_meta(ENROLMENT, &enrolment)?;
    ctx.store.set_meta(SERVER, &enrolment.server_url)?;
    ctx.store.set_meta(TOKEN, &enrolled.token)?;
    ctx.store.set_meta(CURSOR, &Vec::<u8>::new())?;
    Ok(enrolment)
}

fn now_ms() -> u64 {
    crate::events::system_wall_ms()
}

impl SyncContext<'_> {
    pub(super) fn enrolment(&self) -> Result<Enrolment> {
        enrolment(self.store)?.ok_or(Error::NotEnrolled)
    }

    pub(super) async fn token(&self, fresh: bool) -> Result<String> {
        if !fresh {
            if let Some(token) = self.store.meta::<Token>(TOKEN)? {
                if token.expires_at_ms > now_ms() + 30_000 {
                    return Ok(token.token);
                }
            }
        }
        let device_id = self.identity.device_id();
        let challenge: Challenge = self
            .transport
            .post("/v1/auth/challenge", None, &ChallengeRequest { device_id })
            .await?;
        let request = TokenRequest {
            device_id,
            signature: self.identity.sign(&challenge_message(&challenge.challenge)),
            challenge: challenge.challenge,
        };
        let token: Token = self
            .transport
            .post("/v1/auth/token", None, &request)
            .await?;
        self.store.set_meta(TOKEN, &token)?;
        Ok(token.token)
    }

    /// An authenticated call; a rejected token is renewed once.
    pub(crate) async fn call<Req: Serialize, Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        request: &Req,
    ) -> Result<Resp> {
        let bytes = self.call_for_bytes(path, request).await?;
        super::wire::decode(&bytes).map_err(|e| Error::Network(format!("bad response: {e}")))
    }

    /// An authenticated call whose answer is returned as it is (a file);
    /// a rejected token is renewed once.
    pub(crate) async fn call_for_bytes<Req: Serialize>(
        &self,
        path: &str,
        request: &Req,
    ) -> Result<Vec<u8>> {
        let token = self.token(false).await?;
        match self
            .transport
            .post_for_bytes(path, Some(&token), request)
            .await
        {
            Err(Error::Refused { status: 401, .. }) => {
                let token = self.token(true).await?;
                self.transport
                    .post_for_bytes(path, Some(&token), request)
                    .await
            }
            other => other,
        }
    }
}
