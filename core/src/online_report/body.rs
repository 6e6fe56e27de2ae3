//! What a report says: the page's few plain questions, as the JSON the
//! browser seals. Checked again on the phone that opens it: a page that is
//! not ours, or a browser that was tampered with, gets a clear refusal and
//! no case is built on it.

use crate::error::Rule;
use crate::model::validate::bounded_text;
use crate::model::validate_commune;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Longest free text of a report, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest contact number, in characters.
const MAX_NUMBER_CHARS: usize = 20;

/// What happened, as the page offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Harm {
    /// Bạo lực thể chất.
    Physical,
    /// Bạo lực tình dục.
    Sexual,
    /// Bạo lực tinh thần.
    Psychological,
    /// Bạo lực kinh tế.
    Economic,
    /// Bỏ mặc.
    Neglect,
    /// Mua bán người.
    Trafficking,
    /// Xâm hại trẻ em.
    ChildAbuse,
    /// Khác.
    Other,
}

/// Whether someone is in danger now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DangerNow {
    /// Yes: the page showed the emergency numbers first.
    Yes,
    /// No.
    No,
    /// The writer does not know.
    Unsure,
}

/// How the person may be contacted safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ContactWay {
    /// A phone call.
    Call,
    /// A text message.
    Sms,
    /// In person.
    InPerson,
    /// Not at all: do not contact.
    None,
}

/// How and when to contact, as the writer asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Contact {
    /// The way.
    pub how: ContactWay,
    /// A number to call or text (empty otherwise).
    pub number: String,
    /// When it is safe, in the writer's words (may be empty).
    pub when: String,
}

/// Who wrote the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Writer {
    /// The person it happened to.
    #[serde(rename = "self")]
    Survivor,
    /// A relative.
    Relative,
    /// A neighbour.
    Neighbour,
    /// A teacher.
    Teacher,
    /// Someone else.
    Other,
}

/// A report as written on the page (all synthetic in tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OnlineReport {
    /// The format's version: 1.
    pub v: u8,
    /// What happened (choices).
    pub what: Vec<Harm>,
    /// What happened, in the writer's words.
    pub what_text: String,
    /// The commune (code) it happened in.
    pub commune: String,
    /// The village, in the writer's words.
    pub village: String,
    /// Whether anyone is in danger now.
    pub danger_now: DangerNow,
    /// How and when to contact.
    pub contact: Contact,
    /// Who wrote it.
    pub writer: Writer,
    /// When the browser sealed it (UTC).
    pub written_at: chrono::DateTime<chrono::Utc>,
}

impl OnlineReport {
    /// Checks what the page promises: version 1, something said about what
    /// happened, a commune of the province (the one it was sealed for),
    /// bounded texts, and a number when a call or a text is asked for.
    pub fn validate(&self, sealed_for: &str) -> Result<()> {
        if self.v != 1 {
            return Err(Error::invalid("online_report.v", Rule::Unsupported));
        }
        if self.what.is_empty() && self.what_text.trim().is_empty() {
            return Err(Error::invalid("online_report.what", Rule::Required));
        }
        let mut seen = std::collections::HashSet::new();
        if !self.what.iter().all(|h| seen.insert(*h)) {
            return Err(Error::invalid("online_report.what", Rule::Duplicate));
        }
        validate_commune("online_report.commune", &self.commune)?;
        if self.commune != sealed_for {
            return Err(Error::invalid("online_report.commune", Rule::Contradicts));
        }
        bounded_text("online_report.what_text", &self.what_text, MAX_TEXT_CHARS)?;
        bounded_text("online_report.village", &self.village, MAX_TEXT_CHARS)?;
        bounded_text(
            "online_report.contact.when",
            &self.contact.when,
            MAX_TEXT_CHARS,
        )?;
        let number = self.contact.number.trim();
        let wants_number = matches!(self.contact.how, ContactWay::Call | ContactWay::Sms);
        if wants_number && number.is_empty() {
            return Err(Error::invalid(
                "online_report.contact.number",
                Rule::Required,
            ));
        }
        let plausible = number.chars().count() <= MAX_NUMBER_CHARS
            && number
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-'));
        if !plausible {
            return Err(Error::invalid(
                "online_report.contact.number",
                Rule::BadFormat,
            ));
        }
        Ok(())
    }
}
