//! Support services offered, referred, delivered or declined.

use super::validate::{optional_text, past_date};
use crate::error::Rule;
use crate::{coded_enum, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A kind of support service.
    pub enum ServiceType: "service_type" {
        "Health care." Health = ("health", "chăm sóc y tế", "health care"),
        "Psychosocial support." Psychosocial = ("psychosocial", "hỗ trợ tâm lý", "psychosocial support"),
        "Legal aid." LegalAid = ("legal_aid", "trợ giúp pháp lý", "legal aid"),
        "Police and protection." PoliceSecurity = ("police_security", "công an, bảo vệ an toàn", "police / protection"),
        "Safe shelter." SafeShelter = ("safe_shelter", "nơi tạm lánh", "safe shelter"),
        "Social protection." SocialProtection = ("social_protection", "trợ giúp xã hội", "social protection"),
        "Education." Education = ("education", "giáo dục", "education"),
        "Livelihood." Livelihood = ("livelihood", "sinh kế", "livelihood"),
    }
}

coded_enum! {
    /// What became of a service.
    pub enum ServiceOutcome: "service_outcome" {
        "Offered to the survivor." Offered = ("offered", "đã tư vấn", "offered"),
        "Referred to a provider." Referred = ("referred", "đã chuyển gửi", "referred"),
        "Delivered." Delivered = ("delivered", "đã cung cấp", "delivered"),
        "Declined by the survivor (a valid choice)." Declined = ("declined", "từ chối", "declined"),
        "Not available." Unavailable = ("unavailable", "không có sẵn", "unavailable"),
    }
}

/// One step in a service's history; entries are appended, never changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServiceRecord {
    /// The service.
    pub service: ServiceType,
    /// What became of it.
    pub outcome: ServiceOutcome,
    /// Day of this outcome.
    pub date: NaiveDate,
    /// The provider or agency, required for a referral.
    #[serde(default)]
    pub provider: Option<String>,
    /// A short remark.
    #[serde(default)]
    pub note: Option<String>,
}

impl ServiceRecord {
    /// Checks the fields (consent for a referral is a workflow rule, checked
    /// against the case).
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        past_date("service.date", self.date, today)?;
        optional_text("service.provider", self.provider.as_deref(), 120)?;
        optional_text("service.note", self.note.as_deref(), 2_000)?;
        if self.outcome == ServiceOutcome::Referred && self.provider.is_none() {
            return Err(Error::invalid(
                "service.provider",
                Rule::RequiredForReferral,
            ));
        }
        Ok(())
    }
}
