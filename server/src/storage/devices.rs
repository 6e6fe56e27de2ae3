//! Devices in SQL (SQLite and PostgreSQL alike): invitations, enrolment,
//! looking devices up, revocation, used challenges, and each device's
//! standing.

use super::sql::{blob, corrupt, int, select_in, Params, INSERT_ROWS};
use super::{Enrolment, NewInvitation, SqlStorage};
use crate::error::{Result, ServerError};
use binhan_core::model::{Coded, DeviceId, Role};
use binhan_core::sync::wire::{DeviceQuery, DeviceRecord};
use binhan_core::sync::{DeviceCertificate, DevicePublic, Grant, Revocation, SchoolGrant};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};

fn device_record(row: &AnyRow) -> Result<DeviceRecord> {
    let id = DeviceId::from_slice(&blob(row, "device_id")?).ok_or_else(|| corrupt("device id"))?;
    let key = |c: &str| -> Result<[u8; 32]> {
        blob(row, c)?.try_into().map_err(|_| corrupt("device key"))
    };
    let role: String = row.try_get("role")?;
    Ok(DeviceRecord {
        public: DevicePublic {
            device_id: id,
            sign_key: key("sign_key")?,
            exchange_key: key("exchange_key")?,
        },
        role: Role::from_code(&role).ok_or_else(|| corrupt("role"))?,
        commune: row.try_get("commune")?,
        label: row.try_get("label")?,
        active: int(row, "active")? != 0,
        certificate: optional_blob(row, "certificate")?
            .map(|body| postcard::from_bytes(&body).map_err(|_| corrupt("certificate")))
            .transpose()?,
        revocation: optional_blob(row, "revocation")?
            .map(|body| postcard::from_bytes(&body).map_err(|_| corrupt("revocation")))
            .transpose()?,
        school: optional_blob(row, "school_grant")?
            .map(|body| postcard::from_bytes(&body).map_err(|_| corrupt("school")))
            .transpose()?,
    })
}

fn optional_blob(row: &AnyRow, column: &str) -> Result<Option<Vec<u8>>> {
    Ok(row.try_get::<Option<Vec<u8>>, _>(column)?)
}

/// `SELECT` of a device row, followed by the given condition.
macro_rules! select_devices {
    ($condition:literal) => {
        concat!(
            "SELECT device_id, sign_key, exchange_key, role, commune, label, active, certificate, revocation, school_grant FROM devices WHERE ",
            $condition
        )
    };
}

impl SqlStorage {
    /// See [`Storage::create_invitation`](super::Storage::create_invitation).
    pub(super) async fn insert_invitation(&self, inv: NewInvitation) -> Result<()> {
        sqlx::query("INSERT INTO invitations (code_hash, role, commune, expires_at, issued_by, grant_body, replaces_root, school_grant) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(inv.code_hash.to_vec())
            .bind(inv.role.code())
            .bind(inv.commune)
            .bind(inv.expires_at_ms as i64)
            .bind(inv.issued_by.map(|d| d.as_bytes().to_vec()))
            .bind(inv.grant.map(|g| postcard::to_allocvec(&g).unwrap_or_default()))
            .bind(i32::from(inv.replaces_root))
            .bind(inv.school.map(|g| postcard::to_allocvec(&g).unwrap_or_default()))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// See [`Storage::enrol`](super::Storage::enrol).
    pub(super) async fn enrol_device(
        &self,
        enrolment: Enrolment,
        now_ms: u64,
    ) -> Result<DeviceRecord> {
        let Enrolment {
            code_hash,
            device,
            label,
            binding,
        } = enrolment;
        // An unknown, used or expired code, or keys its grant does not
        // certify, are refused on a read: a stranger guessing codes starts
        // no write (on SQLite, the database's one write lock). The update
        // below checks again, as another enrolment may use the code in
        // between.
        let usable = sqlx::query(
            "SELECT grant_body, replaces_root, school_grant FROM invitations WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(code_hash.to_vec())
        .bind(now_ms as i64)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(invalid_invitation)?;
        let grant: Option<Grant> = optional_blob(&usable, "grant_body")?
            .map(|body| postcard::from_bytes(&body).map_err(|_| corrupt("grant")))
            .transpose()?;
        let replaces_root = int(&usable, "replaces_root")? != 0;
        let school_body = optional_blob(&usable, "school_grant")?;
        let school: Option<SchoolGrant> = school_body
            .as_deref()
            .map(|body| postcard::from_bytes(body).map_err(|_| corrupt("school")))
            .transpose()?;
        let certificate = match grant {
            Some(grant) => DeviceCertificate::invited(device, grant, binding),
            None => DeviceCertificate {
                device,
                grant: None,
                binding,
            },
        };
        certificate.check_binding().map_err(|_| {
            ServerError::unprocessable(
                "bad_certificate",
                "the device's keys are not certified by its invitation",
            )
        })?;
        let mut tx = self.pool().begin().await?;
        let used = sqlx::query(
            "UPDATE invitations SET used_at = $1, used_by = $2
             WHERE code_hash = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING role, commune",
        )
        .bind(now_ms as i64)
        .bind(device.device_id.as_bytes().to_vec())
        .bind(code_hash.to_vec())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = used else {
            return Err(invalid_invitation());
        };
        let role: String = row.try_get("role")?;
        let role = Role::from_code(&role).ok_or_else(|| corrupt("role"))?;
        let commune: String = row.try_get("commune")?;
        if certificate.grant.is_none() {
            Self::set_root(&mut tx, &device, replaces_root, now_ms).await?;
        }
        let inserted = sqlx::query(
            "INSERT INTO devices (device_id, sign_key, exchange_key, role, commune, label, active, enrolled_at, certificate, school_grant)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9) ON CONFLICT (device_id) DO NOTHING",
        )
        .bind(device.device_id.as_bytes().to_vec())
        .bind(device.sign_key.to_vec())
        .bind(device.exchange_key.to_vec())
        .bind(role.code())
        .bind(commune.clone())
        .bind(label.clone())
        .bind(now_ms as i64)
        .bind(postcard::to_allocvec(&certificate).unwrap_or_default())
        .bind(school_body)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() != 1 {
            return Err(ServerError::conflict(
                "already_enrolled",
                "this device id is already enrolled",
            ));
        }
        tx.commit().await?;
        Ok(DeviceRecord {
            public: device,
            role,
            commune,
            label,
            active: true,
            certificate: Some(certificate),
            revocation: None,
            school,
        })
    }

    /// Makes `device` the province's root: refused when there is one,
    /// unless the bootstrap invitation replaces it.
    async fn set_root(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        device: &DevicePublic,
        replaces_root: bool,
        now_ms: u64,
    ) -> Result<()> {
        if !replaces_root {
            let existing = sqlx::query("SELECT 1 AS one FROM province_root WHERE id = 1")
                .fetch_optional(&mut **tx)
                .await?;
            if existing.is_some() {
                return Err(root_exists());
            }
        }
        sqlx::query("DELETE FROM province_root WHERE id = 1")
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO province_root (id, device_id, sign_key, set_at) VALUES (1, $1, $2, $3)",
        )
        .bind(device.device_id.as_bytes().to_vec())
        .bind(device.sign_key.to_vec())
        .bind(now_ms as i64)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// See [`Storage::province_root`](super::Storage::province_root).
    pub(super) async fn select_province_root(&self) -> Result<Option<DevicePublic>> {
        let row = sqlx::query("SELECT device_id FROM province_root WHERE id = 1")
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let id =
            DeviceId::from_slice(&blob(&row, "device_id")?).ok_or_else(|| corrupt("device id"))?;
        Ok(self.select_device(id).await?.map(|d| d.public))
    }

    /// See [`Storage::device`](super::Storage::device).
    pub(super) async fn select_device(&self, id: DeviceId) -> Result<Option<DeviceRecord>> {
        let row = sqlx::query(select_devices!("device_id = $1"))
            .bind(id.as_bytes().to_vec())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(device_record).transpose()
    }

    /// See [`Storage::query_devices`](super::Storage::query_devices).
    pub(super) async fn select_devices(&self, query: DeviceQuery) -> Result<Vec<DeviceRecord>> {
        let mut found = Vec::new();
        let params = Params::for_postgres(self.is_postgres());
        for chunk in query.ids.chunks(INSERT_ROWS) {
            // Only placeholders are spliced in; every value is bound.
            let sql = format!(
                concat!(select_devices!("device_id IN "), "({})"),
                params.list(1, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.as_bytes().to_vec());
            }
            for row in q.fetch_all(self.pool()).await? {
                found.push(device_record(&row)?);
            }
        }
        if let Some(commune) = query.commune {
            let rows = sqlx::query(select_devices!(
                "commune = $1 AND active = 1 AND ($2 = '' OR role = $2)"
            ))
            .bind(commune)
            .bind(query.role.map(|r| r.code()).unwrap_or(""))
            .fetch_all(self.pool())
            .await?;
            for row in rows {
                found.push(device_record(&row)?);
            }
        }
        Ok(found)
    }

    /// See [`Storage::revoke`](super::Storage::revoke).
    pub(super) async fn revoke_device(&self, revocation: &Revocation, now_ms: u64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let device = revocation.device.as_bytes().to_vec();
        // A device revoked twice keeps its first revocation.
        sqlx::query("UPDATE devices SET active = 0, revoked_at = $1, revocation = $2 WHERE device_id = $3 AND revocation IS NULL")
            .bind(now_ms as i64)
            .bind(postcard::to_allocvec(revocation).unwrap_or_default())
            .bind(device.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE teams SET rotate_pending = 1 WHERE case_id IN (SELECT case_id FROM members WHERE device_id = $1)")
            .bind(device.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM members WHERE device_id = $1")
            .bind(device.clone())
            .execute(&mut *tx)
            .await?;
        Self::forget_bundles_of_device(&mut tx, &device).await?;
        tx.commit().await?;
        Ok(())
    }

    /// See [`Storage::use_challenge`](super::Storage::use_challenge).
    pub(super) async fn insert_challenge(
        &self,
        hash: [u8; 32],
        expires_at_ms: u64,
        now_ms: u64,
    ) -> Result<bool> {
        sqlx::query("DELETE FROM used_challenges WHERE expires_at < $1")
            .bind(now_ms as i64)
            .execute(self.pool())
            .await?;
        let inserted = sqlx::query("INSERT INTO used_challenges (hash, expires_at) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
            .bind(hash.to_vec())
            .bind(expires_at_ms as i64)
            .execute(self.pool())
            .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Whether each of `devices` is active (`false`: revoked); a device not
    /// enrolled is missing.
    pub(super) async fn standing(
        conn: &mut sqlx::AnyConnection,
        devices: &[DeviceId],
    ) -> Result<HashMap<DeviceId, bool>> {
        let ids: BTreeSet<DeviceId> = devices.iter().copied().collect();
        let keys = ids.iter().map(|d| d.as_bytes().to_vec()).collect();
        let select = "SELECT device_id, active FROM devices WHERE device_id";
        let rows = select_in(conn, select, keys).await?;
        rows.iter()
            .map(|row| {
                let id = DeviceId::from_slice(&blob(row, "device_id")?)
                    .ok_or_else(|| corrupt("device id"))?;
                Ok((id, int(row, "active")? != 0))
            })
            .collect()
    }
}

/// The refusal of a second root without the explicit replacement.
pub fn root_exists() -> ServerError {
    ServerError::conflict(
        "root_exists",
        "the province already has a root; bootstrap-officer --replace-root replaces it",
    )
}

/// The refusal of a code that is unknown, used or expired.
fn invalid_invitation() -> ServerError {
    ServerError::forbidden(
        binhan_core::sync::wire::INVALID_INVITATION,
        "the invitation code is unknown, used or expired",
    )
}
