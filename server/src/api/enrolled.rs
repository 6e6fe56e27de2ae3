//! What each device enrolled with, kept in memory by each server process:
//! its keys, role, commune and label never change, so a sync request needs
//! no lookup of its own. Whether a device is still active does change; the
//! storage checks that in the statements that serve the push or pull, so a
//! revoked device is refused as soon as the revocation is committed, by
//! every process.

use crate::error::ServerError;
use crate::storage::{still_active, Storage};
use binhan_core::model::DeviceId;
use binhan_core::sync::wire::DeviceRecord;
use std::collections::HashMap;
use std::sync::Mutex;

/// Enrolment records of the devices this process has served.
#[derive(Default)]
pub struct EnrolledDevices {
    known: Mutex<HashMap<DeviceId, DeviceRecord>>,
}

impl EnrolledDevices {
    /// `id`'s enrolment record: from memory, or read from `storage` (and
    /// kept) the first time, when a device not enrolled or not active is
    /// refused. The record's `active` says nothing after that first time.
    pub async fn get<S: Storage>(
        &self,
        storage: &S,
        id: DeviceId,
    ) -> Result<DeviceRecord, ServerError> {
        if let Some(known) = self.lock().get(&id) {
            return Ok(known.clone());
        }
        let device = active_device(storage.device(id).await?)?;
        self.lock().insert(id, device.clone());
        Ok(device)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DeviceId, DeviceRecord>> {
        // A panic while holding the lock cannot leave the map half-changed.
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A device as storage read it, if it is enrolled and active.
pub fn active_device(device: Option<DeviceRecord>) -> Result<DeviceRecord, ServerError> {
    still_active(device.as_ref().map(|d| d.active))?;
    device.ok_or_else(ServerError::unknown_device)
}
