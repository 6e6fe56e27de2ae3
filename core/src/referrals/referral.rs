//! A referral: what the sender's device seals to an organisation's devices,
//! the steps of its life, and how each step is recorded on the case.

use super::fields::{check_facts, SharedFact};
use super::organisation::OrganisationId;
use crate::error::{Refusal, Rule};
use crate::model::validate::{optional_text, required_text};
use crate::model::{random_id, ConsentGiver, ServiceType};
use crate::{coded_enum, Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

random_id!(
    /// Identifies a referral, on the sender's case and in the provider's
    /// inbox. The provider never learns the case's id.
    ReferralId,
    "referral_id",
    random,
    derived
);

coded_enum! {
    /// How soon the survivor needs the service.
    pub enum Urgency: "referral_urgency" {
        "Within the day." Emergency = ("emergency", "khẩn cấp (trong ngày)", "emergency (within the day)"),
        "Within three days." Urgent = ("urgent", "gấp (trong 3 ngày)", "urgent (within three days)"),
        "Within two weeks." Routine = ("routine", "thông thường (trong 2 tuần)", "routine (within two weeks)"),
    }
}

impl Urgency {
    /// The due date a referral sent on `sent_on` gets unless the sender
    /// sets another.
    pub fn due_from(self, sent_on: NaiveDate) -> NaiveDate {
        let days = match self {
            Self::Emergency => 0,
            Self::Urgent => 3,
            Self::Routine => 14,
        };
        sent_on + chrono::Duration::days(days)
    }
}

coded_enum! {
    /// Where a referral stands.
    pub enum ReferralStatus: "referral_status" {
        "Sent, not yet answered." Sent = ("sent", "đã gửi, chờ trả lời", "sent, awaiting an answer"),
        "Accepted by the provider." Accepted = ("accepted", "đã tiếp nhận", "accepted"),
        "Declined by the provider." Declined = ("declined", "từ chối tiếp nhận", "declined"),
        "The provider asked for more." MoreAsked = ("more_asked", "đề nghị bổ sung thông tin", "more information asked"),
        "The service was delivered." Delivered = ("delivered", "đã cung cấp dịch vụ", "service delivered"),
        "Closed by the provider." Closed = ("closed", "đã kết thúc", "closed"),
        "Withdrawn: the survivor withdrew consent." Withdrawn = ("withdrawn", "đã rút lại (người bị bạo lực rút lại đồng ý)", "withdrawn (consent withdrawn)"),
    }
}

impl ReferralStatus {
    /// Whether `self` may follow `previous`.
    pub fn may_follow(self, previous: ReferralStatus) -> bool {
        use ReferralStatus::*;
        match self {
            Sent => false,
            Accepted | Declined | MoreAsked => matches!(previous, Sent | MoreAsked),
            Delivered => matches!(previous, Accepted | Delivered),
            Closed => matches!(previous, Accepted | Delivered | Declined),
            Withdrawn => previous.is_open(),
        }
    }

    /// Whether the referral still waits for something to happen.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Declined | Self::Closed | Self::Withdrawn)
    }

    /// Whether the provider has answered.
    pub fn is_answered(self) -> bool {
        self != Self::Sent
    }
}

coded_enum! {
    /// Why a provider declines.
    pub enum ReferralDeclineReason: "referral_decline_reason" {
        "We do not give this service." NotOurService = ("not_our_service", "không cung cấp dịch vụ này", "we do not give this service"),
        "Outside the area we serve." OutsideArea = ("outside_area", "ngoài địa bàn phục vụ", "outside the area we serve"),
        "No capacity now." NoCapacity = ("no_capacity", "hiện không đủ khả năng tiếp nhận", "no capacity now"),
        "The survivor could not be reached." Unreachable = ("unreachable", "không liên hệ được với người bị bạo lực", "the survivor could not be reached"),
    }
}

/// What a sender seals to an organisation's devices: only what the service
/// needs (the table in [`super::fields`]), never the case's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Its id.
    pub id: ReferralId,
    /// The organisation asked.
    pub organisation: OrganisationId,
    /// The service asked for.
    pub service: ServiceType,
    /// How soon.
    pub urgency: Urgency,
    /// What is asked, in the sender's words (no names: the facts carry
    /// what was chosen).
    pub ask: String,
    /// Answer wanted by.
    pub due: NaiveDate,
    /// When it was sent (UTC).
    pub sent_at: DateTime<Utc>,
    /// The case's fields, as the table allows.
    pub facts: Vec<SharedFact>,
    /// Who consented to this organisation receiving this for this
    /// service: the sender's signed word (its device checked the case).
    pub consent: Option<ConsentGiver>,
}

impl Referral {
    /// Checks it as a receiving device does: consent stated, only allowed
    /// fields, a sensible ask.
    pub fn check(&self) -> Result<()> {
        if self.consent.is_none() {
            return Err(Error::NotAllowed(Refusal::ConsentMissing));
        }
        required_text("referral.ask", &self.ask, 2_000)?;
        if self.due < self.sent_at.date_naive() {
            return Err(Error::invalid("referral.due", Rule::InPast));
        }
        check_facts(self.service, &self.facts)
    }
}

/// A provider's answer, as it travels back to the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ProviderStep {
    /// Taken on.
    Accepted,
    /// Not taken on, and why.
    Declined(ReferralDeclineReason),
    /// More is needed to act; the question (no names).
    MoreAsked(String),
    /// A service was given.
    Delivered {
        /// The day.
        on: NaiveDate,
        /// What was given.
        what: String,
    },
    /// Nothing more will follow.
    Closed,
}

impl ProviderStep {
    /// The status it leads to.
    pub fn status(&self) -> ReferralStatus {
        match self {
            Self::Accepted => ReferralStatus::Accepted,
            Self::Declined(_) => ReferralStatus::Declined,
            Self::MoreAsked(_) => ReferralStatus::MoreAsked,
            Self::Delivered { .. } => ReferralStatus::Delivered,
            Self::Closed => ReferralStatus::Closed,
        }
    }

    /// Checks the texts.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        match self {
            Self::MoreAsked(question) => required_text("referral.question", question, 1_000),
            Self::Delivered { on, what } => {
                crate::model::validate::past_date("referral.delivered_on", *on, today)?;
                required_text("referral.delivered", what, 1_000)
            }
            _ => Ok(()),
        }
    }

    /// The remark kept with the step on the case.
    pub fn note(&self) -> Option<String> {
        match self {
            Self::MoreAsked(text) | Self::Delivered { what: text, .. } => Some(text.clone()),
            _ => None,
        }
    }
}

/// Everything referral senders and providers say to each other, carried
/// by the end-to-end sealed mailbox ([`crate::shelters::wire::Mail`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralMessage {
    /// Sender → each of the organisation's devices.
    Send(Referral),
    /// Sender → each device: what was asked for, with the survivor's
    /// consent (fields the table allows, and a note).
    Supplement {
        /// The referral.
        referral: ReferralId,
        /// More fields.
        facts: Vec<SharedFact>,
        /// The answer to the question.
        note: String,
    },
    /// Provider → sender.
    Answer {
        /// The referral.
        referral: ReferralId,
        /// The step.
        step: ProviderStep,
        /// When (UTC).
        at: DateTime<Utc>,
    },
    /// Sender → each device: consent withdrawn; forget it.
    Withdraw {
        /// The referral.
        referral: ReferralId,
        /// When (UTC).
        at: DateTime<Utc>,
    },
}

/// One step of a referral as the case records it (appended, never
/// changed): the team sees where the referral stands and the overdue list
/// is computed from these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ReferralStep {
    /// The referral.
    pub referral: ReferralId,
    /// The organisation.
    pub organisation: OrganisationId,
    /// Its name when sent.
    pub organisation_name: String,
    /// The service.
    pub service: ServiceType,
    /// The status this step brings.
    pub status: ReferralStatus,
    /// The day of the step.
    pub on: NaiveDate,
    /// The answer wanted by.
    pub due: NaiveDate,
    /// The provider's reason, when declined.
    pub decline_reason: Option<ReferralDeclineReason>,
    /// The question asked, or what was delivered.
    pub note: Option<String>,
}

impl ReferralStep {
    /// The consent the referral stands on.
    pub fn consent_scope(&self) -> crate::model::ConsentScope {
        super::consent_scope(self.service, &self.organisation_name)
    }

    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        required_text("referral.organisation_name", &self.organisation_name, 120)?;
        optional_text("referral.note", self.note.as_deref(), 1_000)
    }
}

/// A referral as the case's steps tell it: the latest status of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralSummary {
    /// The first step (sent).
    pub sent: ReferralStep,
    /// The latest step.
    pub latest: ReferralStep,
    /// The first day a service was delivered.
    pub first_delivered: Option<NaiveDate>,
    /// The first day of an answer.
    pub answered_on: Option<NaiveDate>,
}

impl ReferralSummary {
    /// Whether it waits for an answer past its due date on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.answered_on.is_none() && self.latest.status.is_open() && self.sent.due < today
    }

    /// The referrals of `steps` (in their order), each summed up.
    pub fn of(steps: &[ReferralStep]) -> Vec<ReferralSummary> {
        let mut out: Vec<ReferralSummary> = Vec::new();
        for step in steps {
            match out.iter_mut().find(|r| r.sent.referral == step.referral) {
                None if step.status == ReferralStatus::Sent => out.push(ReferralSummary {
                    sent: step.clone(),
                    latest: step.clone(),
                    first_delivered: None,
                    answered_on: None,
                }),
                None => {}
                Some(summary) => {
                    if step.status != ReferralStatus::Withdrawn && summary.answered_on.is_none() {
                        summary.answered_on = Some(step.on);
                    }
                    if step.status == ReferralStatus::Delivered && summary.first_delivered.is_none()
                    {
                        summary.first_delivered = Some(step.on);
                    }
                    summary.latest = step.clone();
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;

    fn step(referral: ReferralId, status: ReferralStatus, day: u32) -> ReferralStep {
        ReferralStep {
            referral,
            organisation: OrganisationId::random(),
            organisation_name: "Trạm Y tế (synthetic)".into(),
            service: ServiceType::Health,
            status,
            on: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            due: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            decline_reason: None,
            note: None,
        }
    }

    #[test]
    fn statuses_follow_the_provider_s_path() {
        assert!(Accepted.may_follow(Sent));
        assert!(Delivered.may_follow(Accepted));
        assert!(Delivered.may_follow(Delivered));
        assert!(Closed.may_follow(Delivered));
        assert!(!Delivered.may_follow(Sent));
        assert!(!Accepted.may_follow(Closed));
        assert!(Withdrawn.may_follow(Accepted));
        assert!(!Withdrawn.may_follow(Closed));
        assert!(!Sent.may_follow(Sent));
    }

    #[test]
    fn a_summary_knows_answered_delivered_and_overdue() {
        let (a, b) = (ReferralId::random(), ReferralId::random());
        let steps = [
            step(a, Sent, 1),
            step(b, Sent, 1),
            step(a, Accepted, 2),
            step(a, Delivered, 3),
        ];
        let all = ReferralSummary::of(&steps);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].latest.status, Delivered);
        assert_eq!(all[0].answered_on, Some(steps[2].on));
        assert_eq!(all[0].first_delivered, Some(steps[3].on));
        let after_due = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert!(!all[0].overdue(after_due));
        assert!(all[1].overdue(after_due));
        assert!(!all[1].overdue(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()));
    }
}
