//! What one device keeps of referrals between uses, sealed in its store as
//! one record: those it sent (and to which devices), and, on an
//! organisation's device, its inbox. A withdrawn referral's content is
//! erased from the inbox (the store deletes securely); what stays is that
//! it existed and was withdrawn.

use super::fields::{check_facts, SharedFact};
use super::organisation::{OrganisationId, ServiceOrganisation};
use super::referral::{
    ProviderStep, Referral, ReferralId, ReferralMessage, ReferralStatus, Urgency,
};
use crate::error::Refusal;
use crate::model::{CaseId, DeviceId, ServiceType};
use crate::shelters::Received;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A referral this device sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SentReferral {
    /// As sent.
    pub referral: Referral,
    /// The case it is for (never sent).
    #[serde(rename = "case")]
    pub case_id: CaseId,
    /// The organisation's name when sent.
    pub organisation_name: String,
    /// The devices it was sealed to: only their answers count.
    pub devices: Vec<DeviceId>,
    /// Where it stands.
    pub status: ReferralStatus,
    /// When it last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

/// What the sender added when asked for more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Supplement {
    /// The answer to the question.
    pub note: String,
    /// Fields added (the table allows them).
    pub facts: Vec<SharedFact>,
}

/// What an organisation's device holds of a referral while it is shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralContent {
    /// What is asked.
    pub ask: String,
    /// The case's fields, as the table allows.
    pub facts: Vec<SharedFact>,
    /// What was added since.
    pub supplements: Vec<Supplement>,
}

/// A referral in an organisation's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReceivedReferral {
    /// Its id.
    pub id: ReferralId,
    /// The device that sent it (answers go there).
    pub from: DeviceId,
    /// The organisation it was sent to.
    pub organisation: OrganisationId,
    /// The service asked for.
    pub service: ServiceType,
    /// How soon.
    pub urgency: Urgency,
    /// The answer wanted by.
    pub due: NaiveDate,
    /// When it arrived (UTC).
    pub received_at: DateTime<Utc>,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The content; none once withdrawn (erased).
    pub content: Option<ReferralContent>,
}

/// The device's referral record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeviceReferrals {
    /// Referrals sent, by id.
    pub sent: BTreeMap<ReferralId, SentReferral>,
    /// Referrals received, by id.
    pub inbox: BTreeMap<ReferralId, ReceivedReferral>,
}

/// What an answer means for a referral this device sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderStep {
    /// Record the step on the case.
    Record(Box<SentReferral>, ProviderStep),
    /// Nothing to do.
    Skip(Received),
}

impl SentReferral {
    /// The consent it stands on.
    pub fn consent_scope(&self) -> crate::model::ConsentScope {
        super::consent_scope(self.referral.service, &self.organisation_name)
    }
}

impl ReceivedReferral {
    /// Whether it waits for the provider's first answer past its due date
    /// on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == ReferralStatus::Sent && self.due < today
    }
}

impl DeviceReferrals {
    /// Receives, on an organisation's device, a message from `from`;
    /// `organisation`: the directory's entry of the organisation it names,
    /// if any.
    pub fn receive_as_provider(
        &mut self,
        me: DeviceId,
        from: DeviceId,
        message: ReferralMessage,
        organisation: impl Fn(OrganisationId) -> Option<ServiceOrganisation>,
        now: DateTime<Utc>,
    ) -> Result<Received> {
        match message {
            ReferralMessage::Send(referral) => {
                if let Some(held) = self.inbox.get(&referral.id) {
                    return if held.from == from {
                        Ok(Received::Duplicate)
                    } else {
                        Err(Error::NotAllowed(Refusal::NotReferralSender))
                    };
                }
                let org = organisation(referral.organisation)
                    .filter(|o| o.has_device(me))
                    .ok_or(Error::NotAllowed(Refusal::NotForThisOrganisation))?;
                if !org.services.contains(&referral.service) {
                    return Err(Error::NotAllowed(Refusal::NotForThisOrganisation));
                }
                referral.check()?;
                self.inbox.insert(
                    referral.id,
                    ReceivedReferral {
                        id: referral.id,
                        from,
                        organisation: referral.organisation,
                        service: referral.service,
                        urgency: referral.urgency,
                        due: referral.due,
                        received_at: now,
                        status: ReferralStatus::Sent,
                        content: Some(ReferralContent {
                            ask: referral.ask,
                            facts: referral.facts,
                            supplements: Vec::new(),
                        }),
                    },
                );
                Ok(Received::Applied)
            }
            ReferralMessage::Supplement {
                referral,
                facts,
                note,
            } => {
                let held = self.held_from(referral, from)?;
                check_facts(held.service, &facts)?;
                crate::model::validate::required_text("referral.supplement", &note, 2_000)?;
                let Some(content) = held.content.as_mut() else {
                    return Ok(Received::Stale);
                };
                let supplement = Supplement { note, facts };
                if content.supplements.contains(&supplement) {
                    return Ok(Received::Duplicate);
                }
                content.supplements.push(supplement);
                Ok(Received::Applied)
            }
            ReferralMessage::Withdraw { referral, .. } => {
                let held = self.held_from(referral, from)?;
                if held.content.is_none() {
                    return Ok(Received::Duplicate);
                }
                held.content = None;
                held.status = ReferralStatus::Withdrawn;
                Ok(Received::Applied)
            }
            ReferralMessage::Answer { .. } => Err(Error::NotAllowed(Refusal::NotReferralSender)),
        }
    }

    fn held_from(&mut self, id: ReferralId, from: DeviceId) -> Result<&mut ReceivedReferral> {
        let held = self
            .inbox
            .get_mut(&id)
            .ok_or_else(|| Error::NotFound(format!("referral {id}")))?;
        if held.from != from {
            return Err(Error::NotAllowed(Refusal::NotReferralSender));
        }
        Ok(held)
    }

    /// The provider's answer to a referral in its inbox, on the phone's
    /// `today` (its local date): the message for the sender.
    pub fn answer(
        &mut self,
        id: ReferralId,
        step: ProviderStep,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(DeviceId, ReferralMessage)> {
        step.validate(today)?;
        let held = self
            .inbox
            .get_mut(&id)
            .ok_or_else(|| Error::NotFound(format!("referral {id}")))?;
        let to = step.status();
        if !to.may_follow(held.status) {
            return Err(Error::NotAllowed(Refusal::ReferralStepNotAllowed {
                from: held.status,
                to,
            }));
        }
        held.status = to;
        Ok((
            held.from,
            ReferralMessage::Answer {
                referral: id,
                step,
                at: now,
            },
        ))
    }

    /// Receives, on the sender's device, a message from `from`.
    pub fn receive_as_sender(
        &mut self,
        from: DeviceId,
        message: ReferralMessage,
        now: DateTime<Utc>,
    ) -> Result<SenderStep> {
        let ReferralMessage::Answer { referral, step, .. } = message else {
            return Err(Error::NotAllowed(Refusal::NotForThisOrganisation));
        };
        let sent = self
            .sent
            .get_mut(&referral)
            .ok_or_else(|| Error::NotFound(format!("referral {referral}")))?;
        if !sent.devices.contains(&from) {
            return Err(Error::NotAllowed(Refusal::NotForThisOrganisation));
        }
        let to = step.status();
        // Messages may arrive twice, and a delivery may follow a delivery.
        if to == sent.status && to != ReferralStatus::Delivered && to != ReferralStatus::MoreAsked {
            return Ok(SenderStep::Skip(Received::Duplicate));
        }
        if !to.may_follow(sent.status) {
            return Ok(SenderStep::Skip(Received::Stale));
        }
        sent.status = to;
        sent.updated_at = now;
        Ok(SenderStep::Record(Box::new(sent.clone()), step))
    }
}
