//! De-identified statistics in SQL (SQLite and PostgreSQL alike): sealed
//! rows devices send, which only the office's key opens, paged out to the
//! officer's phone; the office's key; the months of school procedure use
//! counselors' phones send.

use super::shelters::{check_province_key, endorsement_of, province_key};
use super::sql::{blob, corrupt};
use super::SqlStorage;
use crate::error::Result;
use binhan_core::model::DeviceId;
use binhan_core::shelters::SignedPublication;
use binhan_core::stats::school_use::{SchoolInUse, UseMonth};
use binhan_core::stats::sealed::{SealedStat, StatSlot};
use binhan_core::sync::wire::{OfficeKeyPublish, OfficeKeyResponse};
use binhan_core::sync::SchoolGrant;
use sqlx::Row;

impl SqlStorage {
    /// See [`Storage::push_stats`](super::Storage::push_stats).
    pub(super) async fn store_stats(&self, rows: Vec<SealedStat>) -> Result<u32> {
        let mut tx = self.pool().begin().await?;
        for row in &rows {
            sqlx::query(
                "INSERT INTO stat_sealed (slot, body) VALUES ($1, $2)
                 ON CONFLICT (slot) DO UPDATE SET body = excluded.body",
            )
            .bind(row.slot.0.to_vec())
            .bind(row.body.clone())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u32)
    }

    /// See [`Storage::sealed_stats`](super::Storage::sealed_stats).
    pub(super) async fn select_sealed_stats(
        &self,
        after: Option<StatSlot>,
        limit: u32,
    ) -> Result<(Vec<SealedStat>, bool)> {
        let rows = sqlx::query(
            "SELECT slot, body FROM stat_sealed WHERE slot > $1 ORDER BY slot LIMIT $2",
        )
        .bind(after.map(|s| s.0.to_vec()).unwrap_or_default())
        .bind(i64::from(limit) + 1)
        .fetch_all(self.pool())
        .await?;
        let more = rows.len() > limit as usize;
        let page = rows
            .iter()
            .take(limit as usize)
            .map(|row| {
                let slot: [u8; 16] = blob(row, "slot")?
                    .try_into()
                    .map_err(|_| corrupt("statistics slot"))?;
                Ok(SealedStat {
                    slot: StatSlot(slot),
                    body: blob(row, "body")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((page, more))
    }

    /// See [`Storage::publish_office_key`](super::Storage::publish_office_key).
    pub(super) async fn insert_office_key(&self, publish: OfficeKeyPublish) -> Result<()> {
        let signer = publish.office_key.signer;
        {
            let mut conn = self.pool().acquire().await?;
            check_province_key(&mut conn, signer).await?;
        }
        self.store_endorsement(publish.endorsement).await?;
        sqlx::query(
            "INSERT INTO office_keys (signing_key, publication) VALUES ($1, $2)
             ON CONFLICT (signing_key) DO UPDATE SET publication = excluded.publication",
        )
        .bind(signer.to_vec())
        .bind(publish.office_key.encode())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// See [`Storage::office_key`](super::Storage::office_key).
    pub(super) async fn select_office_key(&self) -> Result<OfficeKeyResponse> {
        let mut conn = self.pool().acquire().await?;
        let registered = province_key(&mut conn).await?;
        let row = match registered {
            Some(key) => {
                sqlx::query("SELECT publication FROM office_keys WHERE signing_key = $1")
                    .bind(key.0.to_vec())
                    .fetch_optional(&mut *conn)
                    .await?
            }
            // Before any directory: one an officer endorsed the key of.
            None => {
                sqlx::query(
                    "SELECT o.publication FROM office_keys o
                     JOIN province_key_endorsements e ON e.signing_key = o.signing_key
                     ORDER BY o.signing_key LIMIT 1",
                )
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        let Some(row) = row else {
            return Ok(OfficeKeyResponse::default());
        };
        let office_key = SignedPublication::decode(&blob(&row, "publication")?)
            .map_err(|_| corrupt("office key"))?;
        let endorsement = endorsement_of(&mut conn, office_key.signer).await?;
        Ok(OfficeKeyResponse {
            office_key: Some(office_key),
            endorsement,
        })
    }

    /// See [`Storage::record_school_use`](super::Storage::record_school_use).
    pub(super) async fn insert_school_use(
        &self,
        device: DeviceId,
        months: &[UseMonth],
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for m in months {
            sqlx::query(
                "INSERT INTO school_use (device_id, year, month) VALUES ($1, $2, $3)
                 ON CONFLICT (device_id, year, month) DO NOTHING",
            )
            .bind(device.as_bytes().to_vec())
            .bind(i64::from(m.year))
            .bind(i64::from(m.month))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// See [`Storage::school_use`](super::Storage::school_use).
    pub(super) async fn select_school_use(&self) -> Result<Vec<SchoolInUse>> {
        let rows = sqlx::query(
            "SELECT d.commune, d.school_grant, u.year, u.month FROM school_use u
             JOIN devices d ON d.device_id = u.device_id
             WHERE d.school_grant IS NOT NULL ORDER BY u.year, u.month",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let grant: SchoolGrant = postcard::from_bytes(&blob(row, "school_grant")?)
                    .map_err(|_| corrupt("school"))?;
                let number = |c: &str| -> Result<i64> { Ok(row.try_get::<i64, _>(c)?) };
                Ok(SchoolInUse {
                    commune: row.try_get("commune")?,
                    school: grant.school,
                    month: UseMonth {
                        year: i32::try_from(number("year")?).map_err(|_| corrupt("year"))?,
                        month: u32::try_from(number("month")?).map_err(|_| corrupt("month"))?,
                    },
                })
            })
            .collect()
    }
}
