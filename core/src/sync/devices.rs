//! Other devices' directory records (role, commune, keys, standing), from
//! the device's cache or the server; a device's keys are pinned the first
//! time they are seen.

use super::engine::SyncContext;
use super::wire::{DeviceList, DeviceQuery, DeviceRecord};
use crate::model::{DeviceId, Role};
use crate::{Error, Result};
use std::collections::{BTreeSet, HashMap};

impl SyncContext<'_> {
    /// Directory records of `ids`, from the cache or the server. A key that
    /// changed for a known device is refused (keys are pinned).
    pub(crate) async fn devices(
        &self,
        ids: impl IntoIterator<Item = DeviceId>,
    ) -> Result<HashMap<DeviceId, DeviceRecord>> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for id in ids.into_iter().collect::<BTreeSet<_>>() {
            match self.store.device::<DeviceRecord>(id)? {
                Some(record) if record.active => {
                    found.insert(id, record);
                }
                _ => missing.push(id),
            }
        }
        if !missing.is_empty() {
            let list: DeviceList = self
                .call(
                    "/v1/devices/query",
                    &DeviceQuery {
                        ids: missing,
                        ..DeviceQuery::default()
                    },
                )
                .await?;
            for record in list.devices {
                self.remember_device(&record)?;
                found.insert(record.public.device_id, record);
            }
        }
        Ok(found)
    }

    /// Directory records straight from the server (for revocation status).
    pub(super) async fn devices_fresh(
        &self,
        ids: &[DeviceId],
    ) -> Result<HashMap<DeviceId, DeviceRecord>> {
        let list: DeviceList = self
            .call(
                "/v1/devices/query",
                &DeviceQuery {
                    ids: ids.to_vec(),
                    ..DeviceQuery::default()
                },
            )
            .await?;
        let mut found = HashMap::new();
        for record in list.devices {
            self.remember_device(&record)?;
            found.insert(record.public.device_id, record);
        }
        Ok(found)
    }

    /// The active devices of `commune` (with `role`, if given), from the
    /// server; their keys are pinned as any other device's.
    pub(crate) async fn commune_devices(
        &self,
        commune: &str,
        role: Option<Role>,
    ) -> Result<Vec<DeviceRecord>> {
        let list: DeviceList = self
            .call(
                "/v1/devices/query",
                &DeviceQuery {
                    ids: vec![],
                    commune: Some(commune.to_string()),
                    role,
                },
            )
            .await?;
        for record in &list.devices {
            self.remember_device(record)?;
        }
        Ok(list.devices.into_iter().filter(|d| d.active).collect())
    }

    fn remember_device(&self, record: &DeviceRecord) -> Result<()> {
        let id = record.public.device_id;
        if let Some(known) = self.store.device::<DeviceRecord>(id)? {
            if known.public != record.public {
                return Err(Error::Tampered {
                    record: format!("keys of device {id} changed"),
                });
            }
        }
        self.store.put_device(id, record)
    }
}
