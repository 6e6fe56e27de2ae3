//! Who this device is to the server: enrolment with an invitation code,
//! short-lived tokens from a challenge signed with the device key, and the
//! authenticated call every other sync step makes.

use super::certificate::{check_chain, DeviceCertificate, InvitationSecret};
use super::engine::{SyncContext, CURSOR, ENROLMENT, SERVER, TOKEN};
use super::identity::{DeviceIdentity, DevicePublic};
use super::wire::{
    challenge_message, enrol_message, Challenge, ChallengeRequest, EnrolRequest, Enrolled, Token,
    TokenRequest,
};
use crate::model::{DeviceId, Role};
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

/// The province's root key this device checks every certificate against,
/// fixed at enrolment.
const ROOT: &str = "sync.root";

/// Enrols this device with an invitation code: only the code's id goes to
/// the server. The device takes its role, its commune and the province's
/// root from the grant its inviter signed, checked with the code, never
/// from the server's word.
pub async fn enrol(ctx: &SyncContext<'_>, code: &str, label: &str) -> Result<Enrolment> {
    let request = enrol_request(ctx.identity, code, label);
    let enrolled: Enrolled = ctx.transport.post("/v1/enrol", None, &request).await?;
    let root = check_enrolled(code, &request.device, &enrolled)?;
    let certificate = enrolled.certificate;
    let enrolment = Enrolment {
        server_url: ctx.transport.base_url().to_string(),
        role: certificate.role(),
        commune: certificate.commune().to_string(),
    };
    // This device's own record, as others see it: never asked for.
    ctx.store.put_device(
        certificate.device.device_id,
        &super::wire::DeviceRecord {
            public: certificate.device,
            role: enrolment.role,
            commune: enrolment.commune.clone(),
            label: label.to_string(),
            active: true,
            certificate: Some(certificate),
            revocation: None,
            school: enrolled.school,
        },
    )?;
    ctx.store.set_meta(ROOT, &root)?;
    ctx.store.set_meta(ENROLMENT, &enrolment)?;
    ctx.store.set_meta(SERVER, &enrolment.server_url)?;
    ctx.store.set_meta(TOKEN, &enrolled.token)?;
    ctx.store.set_meta(CURSOR, &Vec::<u8>::new())?;
    Ok(enrolment)
}

/// The request that enrols `identity` with `code`: the code's id, and the
/// binding that certifies the device's keys (with the code's grant key, or
/// for the bootstrap code, its own).
pub fn enrol_request(identity: &DeviceIdentity, code: &str, label: &str) -> EnrolRequest {
    let device = identity.public();
    let secret = InvitationSecret::from_code(code);
    let binding = if InvitationSecret::is_bootstrap(code) {
        DeviceCertificate::root(identity).binding
    } else {
        secret.bind(&device)
    };
    EnrolRequest {
        signature: identity.sign(&enrol_message(secret.id(), &device)),
        code: secret.id().to_string(),
        device,
        label: label.to_string(),
        binding,
    }
}

/// The root key the server's answer to an enrolment with `code` certifies
/// `device` under, once checked: the device's own key for the bootstrap
/// code, else the root of a grant made with this code, with a chain back
/// to it (and the school of a counselor, signed by its inviter).
pub fn check_enrolled(code: &str, device: &DevicePublic, enrolled: &Enrolled) -> Result<[u8; 32]> {
    let certificate = &enrolled.certificate;
    let tampered = || Error::Tampered {
        record: "the enrolment's certificate".into(),
    };
    let root = match (&certificate.grant, InvitationSecret::is_bootstrap(code)) {
        (None, true) => device.sign_key,
        (Some(grant), false) => {
            grant.check_made_with(&InvitationSecret::from_code(code))?;
            grant.root
        }
        _ => return Err(tampered()),
    };
    if certificate.device != *device
        || certificate.role() != enrolled.role
        || certificate.commune() != enrolled.commune
    {
        return Err(tampered());
    }
    check_chain(certificate, &enrolled.chain, &root)?;
    if let Some(school) = &enrolled.school {
        let issuer = enrolled
            .chain
            .iter()
            .find(|c| Some(c.device.device_id) == certificate.issuer())
            .ok_or_else(tampered)?;
        school.check(certificate, &issuer.device)?;
    }
    Ok(root)
}

/// The school this device's inviter certified it for, if it is a school
/// counselor with one (its own directory record, kept at enrolment).
pub fn own_school(store: &Store, me: DeviceId) -> Result<Option<String>> {
    let record: Option<super::wire::DeviceRecord> = store.device(me)?;
    Ok(record.and_then(|r| r.school).map(|s| s.school))
}

/// The root key this device was enrolled under.
pub(super) fn root(store: &Store) -> Result<[u8; 32]> {
    store.meta(ROOT)?.ok_or(Error::NotEnrolled)
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
