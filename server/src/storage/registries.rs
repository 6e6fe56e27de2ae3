//! The programme registries in SQL (SQLite and PostgreSQL alike).

use super::sql::{blob, corrupt};
use super::SqlStorage;
use crate::error::Result;
use binhan_core::stats::registry::{
    Attendee, Enterprise, ProgrammeRegistries, RegistryCounts, School, TraineeRole,
    TrainingSession, TrainingTarget,
};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// A session's identity: SHA-256 of its day, place and title.
fn session_key(session: &TrainingSession) -> Vec<u8> {
    let mut hash = Sha256::new();
    for part in [
        session.date.to_string().as_bytes(),
        session.commune.as_bytes(),
        session.title.as_bytes(),
    ] {
        hash.update((part.len() as u32).to_le_bytes());
        hash.update(part);
    }
    hash.finalize().to_vec()
}

fn date(row: &AnyRow, column: &str) -> Result<Option<NaiveDate>> {
    row.try_get::<Option<String>, _>(column)?
        .map(|text| text.parse().map_err(|_| corrupt("registry date")))
        .transpose()
}

fn text(row: &AnyRow, column: &str) -> Result<String> {
    Ok(row.try_get(column)?)
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Adds a commune's school or enterprise by name, or replaces the day it
/// took up its procedure or rules, with `upsert` (its table's statement,
/// binding commune, name and day); returns the rows changed.
async fn upsert_institution(
    tx: &mut sqlx::AnyConnection,
    upsert: &'static str,
    commune: &str,
    name: &str,
    since: Option<NaiveDate>,
) -> Result<u32> {
    let done = sqlx::query(upsert)
        .bind(commune.to_string())
        .bind(name.to_string())
        .bind(since.map(|d| d.to_string()))
        .execute(&mut *tx)
        .await?;
    Ok(count(done.rows_affected()))
}

impl SqlStorage {
    /// See [`Storage::record_registries`](super::Storage::record_registries).
    pub(super) async fn insert_registries(
        &self,
        entries: ProgrammeRegistries,
    ) -> Result<RegistryCounts> {
        let mut tx = self.pool().begin().await?;
        let mut counts = RegistryCounts::default();
        for session in &entries.training_sessions {
            let key = session_key(session);
            sqlx::query(
                "INSERT INTO training_sessions (session_key, held_on, commune, title) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (session_key) DO NOTHING",
            )
            .bind(key.clone())
            .bind(session.date.to_string())
            .bind(session.commune.clone())
            .bind(session.title.clone())
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM training_attendance WHERE session_key = $1")
                .bind(key.clone())
                .execute(&mut *tx)
                .await?;
            for attendee in &session.attendees {
                let done = sqlx::query(
                    "INSERT INTO training_attendance (session_key, person, role, commune) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (session_key, person, role) DO UPDATE SET commune = excluded.commune",
                )
                .bind(key.clone())
                .bind(attendee.person.clone())
                .bind(attendee.role.code())
                .bind(attendee.commune.clone())
                .execute(&mut *tx)
                .await?;
                counts.attendees += count(done.rows_affected());
            }
            counts.training_sessions += 1;
        }
        for target in &entries.training_targets {
            let done = sqlx::query(
                "INSERT INTO training_targets (commune, collaborators, officials) VALUES ($1, $2, $3)
                 ON CONFLICT (commune) DO UPDATE SET collaborators = excluded.collaborators, officials = excluded.officials",
            )
            .bind(target.commune.clone())
            .bind(i64::from(target.collaborators))
            .bind(i64::from(target.officials))
            .execute(&mut *tx)
            .await?;
            counts.training_targets += count(done.rows_affected());
        }
        for school in &entries.schools {
            counts.schools += upsert_institution(
                &mut tx,
                "INSERT INTO schools (commune, name, procedure_since) VALUES ($1, $2, $3)
                 ON CONFLICT (commune, name) DO UPDATE SET procedure_since = excluded.procedure_since",
                &school.commune,
                &school.name,
                school.procedure_since,
            )
            .await?;
        }
        for enterprise in &entries.enterprises {
            counts.enterprises += upsert_institution(
                &mut tx,
                "INSERT INTO enterprises (commune, name, rules_since) VALUES ($1, $2, $3)
                 ON CONFLICT (commune, name) DO UPDATE SET rules_since = excluded.rules_since",
                &enterprise.commune,
                &enterprise.name,
                enterprise.rules_since,
            )
            .await?;
        }
        for activity in &entries.communication_activities {
            let body = serde_json::to_string(activity).map_err(|_| corrupt("activity"))?;
            let done = sqlx::query(
                "INSERT INTO communication_activities (id, held_on, commune, body) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET held_on = excluded.held_on, body = excluded.body
                 WHERE communication_activities.commune = excluded.commune",
            )
            .bind(activity.id.as_bytes().to_vec())
            .bind(activity.date.to_string())
            .bind(activity.commune.clone())
            .bind(body)
            .execute(&mut *tx)
            .await?;
            counts.communication_activities += count(done.rows_affected());
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// See [`Storage::registries`](super::Storage::registries).
    pub(super) async fn select_registries(&self) -> Result<ProgrammeRegistries> {
        let pool = self.pool();
        let mut all = ProgrammeRegistries::default();
        let mut sessions: HashMap<Vec<u8>, usize> = HashMap::new();
        for row in sqlx::query(
            "SELECT session_key, held_on, commune, title FROM training_sessions ORDER BY held_on, commune, title",
        )
        .fetch_all(pool)
        .await?
        {
            sessions.insert(blob(&row, "session_key")?, all.training_sessions.len());
            all.training_sessions.push(TrainingSession {
                date: date(&row, "held_on")?.ok_or_else(|| corrupt("session date"))?,
                commune: text(&row, "commune")?,
                title: text(&row, "title")?,
                attendees: Vec::new(),
            });
        }
        for row in sqlx::query(
            "SELECT session_key, person, role, commune FROM training_attendance ORDER BY person, role",
        )
        .fetch_all(pool)
        .await?
        {
            let &session = sessions
                .get(&blob(&row, "session_key")?)
                .ok_or_else(|| corrupt("attendance"))?;
            all.training_sessions[session].attendees.push(Attendee {
                person: text(&row, "person")?,
                commune: text(&row, "commune")?,
                role: TraineeRole::from_code(&text(&row, "role")?)
                    .ok_or_else(|| corrupt("trainee role"))?,
            });
        }
        for row in sqlx::query(
            "SELECT commune, collaborators, officials FROM training_targets ORDER BY commune",
        )
        .fetch_all(pool)
        .await?
        {
            let number = |column: &str| -> Result<u32> {
                u32::try_from(row.try_get::<i64, _>(column)?).map_err(|_| corrupt("target"))
            };
            all.training_targets.push(TrainingTarget {
                commune: text(&row, "commune")?,
                collaborators: number("collaborators")?,
                officials: number("officials")?,
            });
        }
        for row in
            sqlx::query("SELECT commune, name, procedure_since FROM schools ORDER BY commune, name")
                .fetch_all(pool)
                .await?
        {
            all.schools.push(School {
                name: text(&row, "name")?,
                commune: text(&row, "commune")?,
                procedure_since: date(&row, "procedure_since")?,
            });
        }
        for row in
            sqlx::query("SELECT commune, name, rules_since FROM enterprises ORDER BY commune, name")
                .fetch_all(pool)
                .await?
        {
            all.enterprises.push(Enterprise {
                name: text(&row, "name")?,
                commune: text(&row, "commune")?,
                rules_since: date(&row, "rules_since")?,
            });
        }
        for row in
            sqlx::query("SELECT body FROM communication_activities ORDER BY held_on, commune, id")
                .fetch_all(pool)
                .await?
        {
            all.communication_activities
                .push(serde_json::from_str(&text(&row, "body")?).map_err(|_| corrupt("activity"))?);
        }
        Ok(all)
    }
}
