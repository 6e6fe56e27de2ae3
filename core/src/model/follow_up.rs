//! Follow-ups and notes, both append-only.

use super::validate::{optional_text, past_date, required_text};
use crate::error::Rule;
use crate::{coded_enum, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Progress on one goal of the case plan.
    pub enum GoalStatus: "goal_status" {
        "Not started." NotStarted = ("not_started", "chưa bắt đầu", "not started"),
        "In progress." InProgress = ("in_progress", "đang thực hiện", "in progress"),
        "Achieved." Achieved = ("achieved", "đã đạt", "achieved"),
        "No longer needed." NoLongerNeeded = ("no_longer_needed", "không còn cần thiết", "no longer needed"),
    }
}

/// Progress on one goal at a follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GoalProgress {
    /// The goal, in a few words.
    pub goal: String,
    /// Where it stands.
    pub status: GoalStatus,
}

/// A follow-up contact with the survivor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FollowUp {
    /// Day of the follow-up.
    pub date: NaiveDate,
    /// Progress per goal.
    #[serde(default)]
    pub goals: Vec<GoalProgress>,
    /// Day of the next follow-up, if one is planned.
    #[serde(default)]
    pub next_date: Option<NaiveDate>,
    /// A short remark.
    #[serde(default)]
    pub note: Option<String>,
}

impl FollowUp {
    /// Checks the fields.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        past_date("follow_up.date", self.date, today)?;
        for g in &self.goals {
            required_text("follow_up.goals.goal", &g.goal, 300)?;
        }
        if let Some(next) = self.next_date {
            if next < self.date {
                return Err(Error::invalid(
                    "follow_up.next_date",
                    Rule::BeforeFollowUpDate,
                ));
            }
        }
        optional_text("follow_up.note", self.note.as_deref(), 5_000)
    }
}

/// Largest note, in bytes of UTF-8.
pub const MAX_NOTE_BYTES: usize = 2 * 1024 * 1024;

/// A case note; notes are appended and never edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Note {
    /// The text.
    pub text: String,
}

impl Note {
    /// Checks the text.
    pub fn validate(&self) -> Result<()> {
        if self.text.trim().is_empty() {
            return Err(Error::invalid("note.text", Rule::Required));
        }
        if self.text.len() > MAX_NOTE_BYTES {
            return Err(Error::invalid(
                "note.text",
                Rule::TooLarge {
                    max_mib: (MAX_NOTE_BYTES / (1024 * 1024)) as u32,
                },
            ));
        }
        Ok(())
    }
}
