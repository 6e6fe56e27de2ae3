//! Administration through the server: invitation codes and revoking a
//! device.

use super::engine::SyncContext;
use super::wire::{Invitation, InvitationRequest};
use crate::model::{DeviceId, Role};
use crate::Result;

impl SyncContext<'_> {
    /// Asks the server for an invitation code (commune case managers and
    /// provincial officers).
    pub async fn invite(&self, role: Role, commune: &str, valid_hours: u32) -> Result<Invitation> {
        self.call(
            "/v1/invitations",
            &InvitationRequest {
                role,
                commune: commune.to_string(),
                valid_hours,
            },
        )
        .await
    }

    /// Revokes a device; it erases itself on its next contact.
    pub async fn revoke(&self, device: DeviceId) -> Result<()> {
        let _: () = self.call("/v1/devices/revoke", &device).await?;
        Ok(())
    }
}
