//! The provincial officer's side of the programme registries: recording
//! them on the server and listing them. The server refuses every other
//! role. (The annual report itself is made by `binhan-report` from what
//! [`Vault::statistics_records`] opens.)

use super::Vault;
use crate::stats::registry::{ProgrammeRegistries, RegistryCounts, RegistryListing};
use crate::Result;

impl Vault {
    /// Records registry entries on the server (each added, or replacing the
    /// entry with the same identity); checked here first.
    pub async fn record_registries(&self, entries: &ProgrammeRegistries) -> Result<RegistryCounts> {
        entries.validate()?;
        self.with_sync(None, async |ctx| {
            ctx.call("/v1/registries/record", entries).await
        })
        .await
    }

    /// Every registry entry the server lists to this device, and (for the
    /// provincial officer) the months of school procedure use.
    pub async fn registries(&self) -> Result<RegistryListing> {
        self.with_sync(None, async |ctx| ctx.call("/v1/registries/list", &()).await)
            .await
    }
}
