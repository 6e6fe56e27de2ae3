//! Administration through the server: invitation codes, revoking a device
//! and checking this device's own revocation.

use super::certificate::{Grant, InvitationSecret};
use super::engine::SyncContext;
use super::identity::DeviceIdentity;
use super::revocation::{Revocation, RevocationProof, RevocationQuery};
use super::school::SchoolGrant;
use super::wire::{Invitation, InvitationRequest, MAX_INVITATION_HOURS};
use crate::error::Rule;
use crate::model::{DeviceId, Role};
use crate::{Error, Result};

/// A new invitation made by `issuer` under `root`: the code, to show, and
/// the request that registers it with the server (the code's id and the
/// grant, signed by the issuer and with the code's key; for a school
/// counselor, its `school`, signed by the issuer).
pub fn invitation_request(
    issuer: &DeviceIdentity,
    root: [u8; 32],
    role: Role,
    commune: &str,
    school: Option<&str>,
    valid_hours: u32,
) -> Result<(Invitation, InvitationRequest)> {
    if !(1..=MAX_INVITATION_HOURS).contains(&valid_hours) {
        return Err(Error::invalid(
            "valid_hours",
            Rule::OutOfRange {
                min: 1,
                max: u64::from(MAX_INVITATION_HOURS),
            },
        ));
    }
    let code = InvitationSecret::new_code();
    let secret = InvitationSecret::from_code(&code);
    let expires_at = chrono::Utc::now() + chrono::TimeDelta::hours(i64::from(valid_hours));
    let expires_at_ms = u64::try_from(expires_at.timestamp_millis()).unwrap_or(0);
    let grant = Grant::issue(issuer, root, &secret, role, commune, expires_at_ms);
    let school = school
        .map(|school| SchoolGrant::issue(issuer, &grant, school))
        .transpose()?;
    let request = InvitationRequest {
        id: secret.id().to_string(),
        grant,
        school,
    };
    let invitation = Invitation {
        code,
        role,
        commune: commune.to_string(),
        expires_at,
    };
    Ok((invitation, request))
}

impl SyncContext<'_> {
    /// Makes an invitation (commune case managers and provincial officers):
    /// the code, on this phone, and a grant signed with this device's key
    /// and the code's; the server learns the grant and the code's id, never
    /// the code.
    pub async fn invite(
        &self,
        role: Role,
        commune: &str,
        school: Option<&str>,
        valid_hours: u32,
    ) -> Result<Invitation> {
        let root = super::auth::root(self.store)?;
        let (invitation, request) =
            invitation_request(self.identity, root, role, commune, school, valid_hours)?;
        let () = self.call("/v1/invitations", &request).await?;
        Ok(invitation)
    }

    /// Revokes a device with a revocation signed by this device's key; it
    /// erases itself on its next contact, once it has checked the
    /// signature back to the root.
    pub async fn revoke(&self, device: DeviceId) -> Result<()> {
        let revocation = Revocation::sign(self.identity, device, crate::events::system_wall_ms());
        let () = self.call("/v1/devices/revoke", &revocation).await?;
        Ok(())
    }

    /// Refuses a proof whose revoker, or an issuer in its chain, this
    /// device already knows to be revoked: a revoked manager's key (a
    /// stolen phone's) erases no one, even with the server's help. A
    /// server that hides the revoker's revocation from this device can
    /// still pass it off (see docs/security.md).
    fn revoker_in_standing(&self, proof: &RevocationProof) -> Result<()> {
        let signers = std::iter::once(proof.revocation.revoked_by)
            .chain(proof.chain.iter().map(|c| c.device.device_id));
        for id in signers {
            if super::devices::known_revoked(self.store, id)? {
                return Err(Error::Tampered {
                    record: "revocation".into(),
                });
            }
        }
        Ok(())
    }

    /// Checks that this device was revoked by someone allowed to: the
    /// proof the server holds must name it, be signed by the revoker, whose
    /// certificate checks back to the root pinned at enrolment, and who may
    /// revoke this device's certified role in its commune. A network error,
    /// a rate limit or a server failure is passed on (try again later); any
    /// other failure is `Tampered { "revocation" }`.
    pub(crate) async fn check_own_revocation(&self) -> Result<()> {
        let query = RevocationQuery::sign(self.identity, crate::events::system_wall_ms());
        let proof: Result<RevocationProof> = self
            .transport
            .post("/v1/devices/revocation", None, &query)
            .await;
        let checked = match proof {
            // Try again later: the server could not answer now.
            Err(e @ Error::Network(_)) => return Err(e),
            Err(e @ Error::Refused { status, .. }) if status == 429 || status >= 500 => {
                return Err(e)
            }
            Err(e) => Err(e),
            Ok(proof) => {
                let root = super::auth::root(self.store)?;
                let me = self.enrolment()?;
                proof
                    .check(self.identity.device_id(), me.role, &me.commune, &root)
                    .and_then(|()| self.revoker_in_standing(&proof))
            }
        };
        checked.map_err(|e| {
            tracing::warn!(error = %e, "a revocation of this device that does not check was ignored");
            Error::Tampered {
                record: "revocation".into(),
            }
        })
    }
}
