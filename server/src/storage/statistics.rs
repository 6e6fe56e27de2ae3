//! De-identified statistics records in SQL (SQLite and PostgreSQL alike):
//! storing devices' updates, reading a year's records, and streaming two
//! years of them into the annual report; the months of school procedure
//! use counselors' phones send.

use super::sql::{blob, corrupt};
use super::SqlStorage;
use crate::error::Result;
use binhan_core::model::DeviceId;
use binhan_core::stats::school_use::{SchoolInUse, UseMonth};
use binhan_core::stats::{StatRecord, StatUpdate};
use binhan_core::sync::SchoolGrant;
use binhan_report::ReportBuilder;
use futures_util::TryStreamExt;
use sqlx::Row;

impl SqlStorage {
    /// See [`Storage::push_stats`](super::Storage::push_stats).
    pub(super) async fn store_stats(&self, updates: Vec<StatUpdate>) -> Result<u32> {
        let mut tx = self.pool().begin().await?;
        let mut applied = 0;
        for update in updates {
            let (year, body) = match &update {
                StatUpdate::Record(record) => (Some(i64::from(record.year)), Some(record.encode())),
                StatUpdate::Withdraw(_) => (None, None),
            };
            let result = sqlx::query(
                "INSERT INTO stat_records (statistics_id, revision, year, body) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (statistics_id) DO UPDATE SET revision = excluded.revision,
                     year = excluded.year, body = excluded.body
                 WHERE stat_records.revision < excluded.revision",
            )
            .bind(update.statistics_id().as_bytes().to_vec())
            .bind(update.revision() as i64)
            .bind(year)
            .bind(body)
            .execute(&mut *tx)
            .await?;
            applied += result.rows_affected() as u32;
        }
        tx.commit().await?;
        Ok(applied)
    }

    /// See [`Storage::stat_records`](super::Storage::stat_records).
    pub(super) async fn select_stat_records(&self, year: u16) -> Result<Vec<StatRecord>> {
        let rows =
            sqlx::query("SELECT body FROM stat_records WHERE year = $1 AND body IS NOT NULL")
                .bind(i64::from(year))
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|row| {
                StatRecord::decode(&blob(row, "body")?).map_err(|_| corrupt("statistics record"))
            })
            .collect()
    }

    /// See [`Storage::tally_stats`](super::Storage::tally_stats).
    pub(super) async fn stream_stats(&self, builder: &mut ReportBuilder) -> Result<()> {
        let years = builder.years();
        let mut rows = sqlx::query(
            "SELECT body FROM stat_records WHERE year BETWEEN $1 AND $2 AND body IS NOT NULL",
        )
        .bind(i64::from(*years.start()))
        .bind(i64::from(*years.end()))
        .fetch(self.pool());
        while let Some(row) = rows.try_next().await? {
            let record = StatRecord::decode(&blob(&row, "body")?)
                .map_err(|_| corrupt("statistics record"))?;
            builder.add(&record);
        }
        Ok(())
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
