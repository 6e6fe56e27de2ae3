//! Risk assessment and safety plan.

use super::validate::{optional_text, past_date, required_text};
use crate::error::Rule;
use crate::{coded_enum, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Assessed risk of further serious harm.
    pub enum RiskLevel: "risk_level" {
        "Low." Low = ("low", "thấp", "low"),
        "Medium." Medium = ("medium", "trung bình", "medium"),
        "High." High = ("high", "cao", "high"),
    }
}

coded_enum! {
    /// A factor that raises the risk.
    pub enum RiskFactor: "risk_factor" {
        "Threats to kill." ThreatsToKill = ("threats_to_kill", "đe dọa giết", "threats to kill"),
        "A weapon was used or threatened." Weapon = ("weapon", "dùng hoặc đe dọa dùng hung khí", "weapon used or threatened"),
        "Strangling or choking." Strangulation = ("strangulation", "bóp cổ", "strangulation"),
        "Violence is becoming more frequent or severe." Escalation = ("escalation", "bạo lực ngày càng nặng hoặc thường xuyên", "escalating violence"),
        "Lives with or near the perpetrator." LivesWithPerpetrator = ("lives_with_perpetrator", "sống cùng hoặc gần người gây bạo lực", "lives with or near the perpetrator"),
        "Pregnant." Pregnancy = ("pregnancy", "đang mang thai", "pregnant"),
        "Children at risk too." ChildrenAtRisk = ("children_at_risk", "trẻ em cũng có nguy cơ", "children also at risk"),
        "Cut off from family and help." Isolation = ("isolation", "bị cô lập khỏi gia đình và sự giúp đỡ", "isolated from family and help"),
        "Thoughts of self-harm or suicide." SelfHarm = ("self_harm", "có ý nghĩ tự hại hoặc tự tử", "thoughts of self-harm or suicide"),
        "Perpetrator uses alcohol or drugs." SubstanceUse = ("substance_use", "người gây bạo lực sử dụng rượu bia, ma túy", "perpetrator uses alcohol or drugs"),
        "Threats to take the children or to stop a marriage being left." ControlThreats = ("control_threats", "đe dọa bắt con hoặc ngăn cản ly hôn", "threats to take children or to prevent leaving"),
    }
}

/// A risk assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RiskAssessment {
    /// The level.
    pub level: RiskLevel,
    /// The factors present.
    #[serde(default)]
    pub factors: Vec<RiskFactor>,
    /// Day of the assessment.
    pub assessed_on: NaiveDate,
}

impl RiskAssessment {
    /// Checks the fields.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        past_date("risk.assessed_on", self.assessed_on, today)?;
        super::validate::distinct("risk.factors", &self.factors)
    }
}

/// Most steps a safety plan may hold.
pub const MAX_SAFETY_STEPS: usize = 30;

/// A safety plan agreed with the survivor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlan {
    /// Where to go in an emergency.
    #[serde(default)]
    pub safe_place: Option<String>,
    /// Whom to call or go to.
    #[serde(default)]
    pub trusted_person: Option<String>,
    /// A signal agreed with a trusted person.
    #[serde(default)]
    pub warning_signal: Option<String>,
    /// Steps agreed, in order.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Day the plan was made or last reviewed.
    pub reviewed_on: NaiveDate,
}

impl SafetyPlan {
    /// Checks the fields.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        optional_text("safety_plan.safe_place", self.safe_place.as_deref(), 300)?;
        optional_text(
            "safety_plan.trusted_person",
            self.trusted_person.as_deref(),
            300,
        )?;
        optional_text(
            "safety_plan.warning_signal",
            self.warning_signal.as_deref(),
            300,
        )?;
        if self.steps.len() > MAX_SAFETY_STEPS {
            return Err(Error::invalid(
                "safety_plan.steps",
                Rule::TooMany {
                    max: MAX_SAFETY_STEPS as u64,
                },
            ));
        }
        for step in &self.steps {
            required_text("safety_plan.steps", step, 500)?;
        }
        past_date("safety_plan.reviewed_on", self.reviewed_on, today)
    }
}
