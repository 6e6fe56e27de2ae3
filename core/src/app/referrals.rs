//! Referrals on the device: the sender's side (preview, send, add what was
//! asked, withdraw with consent), the organisation's inbox (accept,
//! decline, ask for more, record the service, close), and the overdue list.
//! Messages travel in the sealed mailbox of the shelter step of sync.

use super::Vault;
use crate::error::Refusal;
use crate::events::CaseState;
use crate::model::{CaseId, ConsentScope, DeviceId, ServiceType};
use crate::referrals::{
    facts_for, optional_fields, DeviceReferrals, ProviderStep, ReceivedReferral, Referral,
    ReferralField, ReferralId, ReferralMessage, ReferralStatus, ReferralStep, ReferralSummary,
    SenderStep, SentReferral, ServiceOrganisation, SharedFact, Urgency,
};
use crate::shelters::{MailMessage, Received, Recipient};
use crate::{cases::CaseAction, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const REFERRALS_META: &str = "referrals.desk";
/// A send in progress: written before a send's three writes (the case's
/// step, the outbox, the sent record) and removed after them, so that a
/// phone killed between them finishes the send later instead of showing
/// a referral that never leaves.
const SENDING_META: &str = "referrals.sending";
/// A send's writes: the case's step, the outbox, the sent record.
const SENDING_WRITES: usize = 3;

/// What a send in progress still has to write.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sending {
    /// The referral as sent, with its case and recipients.
    sent: SentReferral,
    /// The case's step.
    step: ReferralStep,
}

/// What a referral is to be: the organisation, the service, how soon, what
/// is asked, and the fields the survivor chose to share beyond those the
/// service always receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralDraft {
    /// The organisation.
    pub organisation: crate::referrals::OrganisationId,
    /// The service.
    pub service: ServiceType,
    /// How soon.
    pub urgency: Urgency,
    /// What is asked (no names: chosen fields carry them).
    pub ask: String,
    /// The answer wanted by; none: as the urgency says.
    pub due: Option<NaiveDate>,
    /// Fields the survivor chose to share (the table must allow them).
    pub chosen: Vec<ReferralField>,
}

/// Exactly what sending a draft would send, for the sender to see first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralPreview {
    /// The organisation.
    pub organisation: ServiceOrganisation,
    /// The service.
    pub service: ServiceType,
    /// The fields that would go, with their values.
    pub facts: Vec<SharedFact>,
    /// Fields the survivor may still choose to share.
    pub may_add: Vec<ReferralField>,
    /// The answer wanted by.
    pub due: NaiveDate,
    /// Whether the survivor's consent for this organisation and service
    /// is recorded (sending is refused without it).
    pub consented: bool,
}

/// A referral past its due date without an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OverdueReferral {
    /// The case.
    #[serde(rename = "case")]
    pub case_id: CaseId,
    /// The case's survivor code, to name it in a list.
    pub survivor_code: String,
    /// The referral.
    pub referral: ReferralSummary,
}

impl Vault {
    fn referrals(&self) -> Result<DeviceReferrals> {
        Ok(self
            .with_store(|s| s.meta::<DeviceReferrals>(REFERRALS_META))?
            .unwrap_or_default())
    }

    fn update_referrals<R>(&self, f: impl FnOnce(&mut DeviceReferrals) -> Result<R>) -> Result<R> {
        self.with_store(|store| {
            store.update_meta(REFERRALS_META, |desk: Option<DeviceReferrals>| {
                let mut desk = desk.unwrap_or_default();
                let result = f(&mut desk)?;
                Ok((desk, result))
            })
        })
    }

    /// The organisations of the service directory, offline; only those
    /// serving `commune` and giving `service` when given.
    pub fn service_organisations(
        &self,
        commune: Option<String>,
        service: Option<ServiceType>,
    ) -> Result<Vec<ServiceOrganisation>> {
        let Some(directory) = self.shelter_directory()? else {
            return Ok(Vec::new());
        };
        Ok(directory
            .services
            .into_iter()
            .filter(|o| commune.as_ref().is_none_or(|c| o.communes.contains(c)))
            .filter(|o| service.is_none_or(|s| o.services.contains(&s)))
            .collect())
    }

    fn organisation(&self, id: crate::referrals::OrganisationId) -> Result<ServiceOrganisation> {
        self.directory_or_error()?
            .organisation(id)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("organisation {id}")))
    }

    /// What sending `draft` for `case` would send: computed exactly as
    /// [`Vault::send_referral`] computes it.
    pub fn referral_preview(&self, case: CaseId, draft: &ReferralDraft) -> Result<ReferralPreview> {
        let session = self.session()?;
        self.preview_of(&self.state(&session, case)?, draft)
    }

    fn preview_of(&self, state: &CaseState, draft: &ReferralDraft) -> Result<ReferralPreview> {
        let organisation = self.organisation(draft.organisation)?;
        let facts = facts_for(state, draft.service, &draft.chosen)?;
        let may_add = optional_fields(draft.service)
            .into_iter()
            .filter(|f| !draft.chosen.contains(f))
            .collect();
        let consented = state.consent_granted(&organisation.consent_scope(draft.service));
        Ok(ReferralPreview {
            due: draft
                .due
                .unwrap_or_else(|| draft.urgency.due_from(self.today())),
            organisation,
            service: draft.service,
            facts,
            may_add,
            consented,
        })
    }

    /// Sends a referral for `case`: refused without the survivor's consent
    /// for that organisation and service, for an organisation that does
    /// not give the service in the survivor's commune or has no device.
    /// Records it on the case and seals it to each of the organisation's
    /// devices at the next sync.
    pub fn send_referral(&self, case: CaseId, draft: ReferralDraft) -> Result<ReferralId> {
        self.send_writing(case, draft, SENDING_WRITES)
    }

    /// A send, making the first `writes` of its writes.
    fn send_writing(
        &self,
        case: CaseId,
        draft: ReferralDraft,
        writes: usize,
    ) -> Result<ReferralId> {
        self.finish_interrupted_send()?;
        let session = self.session()?;
        let state = self.state(&session, case)?;
        let preview = self.preview_of(&state, &draft)?;
        let organisation = &preview.organisation;
        if !organisation.serves(draft.service, &state.survivor().commune) {
            return Err(Error::NotAllowed(Refusal::OrganisationDoesNotServe));
        }
        if organisation.devices.is_empty() {
            return Err(Error::NotAllowed(Refusal::OrganisationHasNoDevice));
        }
        let scope = organisation.consent_scope(draft.service);
        let giver = state
            .consent_values()
            .into_iter()
            .find(|(s, _)| s.same_as(&scope))
            .and_then(|(_, values)| values.first().map(|v| v.value.given_by))
            .filter(|_| state.consent_granted(&scope))
            .ok_or(Error::NotAllowed(Refusal::ConsentMissing))?;
        let now = self.now();
        let referral = Referral {
            id: ReferralId::random(),
            organisation: organisation.id,
            service: draft.service,
            urgency: draft.urgency,
            ask: draft.ask,
            due: preview.due,
            sent_at: now,
            facts: preview.facts,
            consent: Some(giver),
        };
        referral.check()?;
        let sent = SentReferral {
            referral: referral.clone(),
            case_id: case,
            organisation_name: organisation.name.clone(),
            devices: organisation.devices.clone(),
            status: ReferralStatus::Sent,
            updated_at: now,
        };
        let sending = Sending {
            step: self.step_of(&sent, ReferralStatus::Sent, None, None),
            sent,
        };
        self.with_store(|s| s.set_meta(SENDING_META, &Some(&sending)))?;
        self.complete_sending(sending, writes)?;
        Ok(referral.id)
    }

    /// Finishes a send a phone killed in the middle of left behind (each of
    /// its writes is made only if it is not there yet; a provider drops a
    /// referral it already holds). Runs before every send and sync.
    pub fn finish_interrupted_send(&self) -> Result<()> {
        let Some(Some(sending)) = self.with_store(|s| s.meta::<Option<Sending>>(SENDING_META))?
        else {
            return Ok(());
        };
        match self.complete_sending(sending, SENDING_WRITES) {
            Err(Error::NotAllowed(_) | Error::Invalid { .. }) => {
                tracing::warn!("an interrupted referral could no longer be sent and was abandoned");
                Ok(())
            }
            other => other,
        }
    }

    /// Makes the first `writes` of a send's writes that are not made yet
    /// (all three: [`SENDING_WRITES`]), then forgets the send in progress.
    fn complete_sending(&self, sending: Sending, writes: usize) -> Result<()> {
        let Sending { sent, step } = sending;
        let id = sent.referral.id;
        let case = sent.case_id;
        let session = self.session()?;
        let stepped = self
            .state(&session, case)?
            .referral_steps()
            .iter()
            .any(|s| s.referral == id);
        if !stepped && writes >= 1 {
            if let Err(e) = self.act(case, CaseAction::RecordReferral(step)) {
                // Refused (the case closed, consent withdrawn since): the
                // send is abandoned, nothing of it written.
                if matches!(e, Error::NotAllowed(_) | Error::Invalid { .. }) {
                    self.with_store(|s| s.set_meta(SENDING_META, &None::<Sending>))?;
                }
                return Err(e);
            }
        }
        let queued = self.with_store(|s| {
            Ok(s.meta::<crate::shelters::DeviceShelters>(super::shelters::DESK_META)?
                .is_some_and(|desk| {
                    desk.outbox.iter().any(|e| {
                        matches!(&e.message, MailMessage::Referral(ReferralMessage::Send(r)) if r.id == id)
                    })
                }))
        })?;
        let recorded = self.referrals()?.sent.contains_key(&id);
        if !queued && !recorded && writes >= 2 {
            self.queue_to_organisation(
                &sent.devices,
                ReferralMessage::Send(sent.referral.clone()),
            )?;
        }
        if writes < SENDING_WRITES {
            return Ok(()); // (tests: the phone dies here)
        }
        self.update_referrals(|desk| {
            desk.sent.entry(id).or_insert(sent);
            Ok(())
        })?;
        self.with_store(|s| s.set_meta(SENDING_META, &None::<Sending>))
    }

    /// Sends like [`Self::send_referral`], but stops after `writes` (0 to
    /// 2) of its three writes, as a phone killed in the middle would.
    #[cfg(any(test, feature = "testing"))]
    pub fn send_referral_interrupted(
        &self,
        case: CaseId,
        draft: ReferralDraft,
        writes: usize,
    ) -> Result<ReferralId> {
        self.send_writing(case, draft, writes)
    }

    fn step_of(
        &self,
        sent: &SentReferral,
        status: ReferralStatus,
        step: Option<&ProviderStep>,
        on: Option<NaiveDate>,
    ) -> ReferralStep {
        ReferralStep {
            referral: sent.referral.id,
            organisation: sent.referral.organisation,
            organisation_name: sent.organisation_name.clone(),
            service: sent.referral.service,
            status,
            on: on.unwrap_or_else(|| self.today()),
            due: sent.referral.due,
            decline_reason: match step {
                Some(ProviderStep::Declined(reason)) => Some(*reason),
                _ => None,
            },
            note: step.and_then(ProviderStep::note),
        }
    }

    fn queue_to_organisation(&self, devices: &[DeviceId], message: ReferralMessage) -> Result<()> {
        self.update_desk(|desk| {
            desk.queue(
                devices
                    .iter()
                    .map(|d| {
                        (
                            Recipient::Device(*d),
                            MailMessage::Referral(message.clone()),
                        )
                    })
                    .collect(),
            );
            Ok(())
        })
    }

    /// Referrals this device sent, newest first.
    pub fn sent_referrals(&self) -> Result<Vec<SentReferral>> {
        let mut all: Vec<SentReferral> = self.referrals()?.sent.into_values().collect();
        all.sort_by_key(|r| std::cmp::Reverse(r.referral.sent_at));
        Ok(all)
    }

    /// Answers the provider's question with more fields the survivor chose
    /// to share (the table must allow them) and a note.
    pub fn supplement_referral(
        &self,
        referral: ReferralId,
        chosen: Vec<ReferralField>,
        note: String,
    ) -> Result<()> {
        let sent = self
            .referrals()?
            .sent
            .remove(&referral)
            .ok_or_else(|| Error::NotFound(format!("referral {referral}")))?;
        if sent.status != ReferralStatus::MoreAsked {
            return Err(Error::NotAllowed(Refusal::ReferralStepNotAllowed {
                from: sent.status,
                to: ReferralStatus::Sent,
            }));
        }
        let session = self.session()?;
        let state = self.state(&session, sent.case_id)?;
        let organisation = self.organisation(sent.referral.organisation)?;
        if !state.consent_granted(&organisation.consent_scope(sent.referral.service)) {
            return Err(Error::NotAllowed(Refusal::ConsentMissing));
        }
        let facts = facts_for(&state, sent.referral.service, &chosen)?
            .into_iter()
            .filter(|f| chosen.contains(&f.field()))
            .collect::<Vec<_>>();
        crate::referrals::check_facts(sent.referral.service, &facts)?;
        crate::model::validate::required_text("referral.supplement", &note, 2_000)?;
        self.queue_to_organisation(
            &sent.devices,
            ReferralMessage::Supplement {
                referral,
                facts,
                note,
            },
        )
    }

    /// Withdraws, after the survivor withdrew consent for `scope` on
    /// `case`, every open referral that consent covered: each device of the
    /// organisation erases it at its next sync, and the case records it.
    pub(super) fn withdraw_referrals(&self, case: CaseId, scope: &ConsentScope) -> Result<()> {
        let open: Vec<SentReferral> = self
            .referrals()?
            .sent
            .into_values()
            .filter(|s| s.case_id == case && s.status.is_open())
            .filter(|s| s.consent_scope().same_as(scope))
            .collect();
        let now = self.now();
        for sent in open {
            let step = self.step_of(&sent, ReferralStatus::Withdrawn, None, None);
            self.act(case, CaseAction::RecordReferral(step))?;
            self.queue_to_organisation(
                &sent.devices,
                ReferralMessage::Withdraw {
                    referral: sent.referral.id,
                    at: now,
                },
            )?;
            self.update_referrals(|desk| {
                if let Some(s) = desk.sent.get_mut(&sent.referral.id) {
                    s.status = ReferralStatus::Withdrawn;
                    s.updated_at = now;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Withdraws every open referral this phone sent whose consent no
    /// longer stands on its case (withdrawn here or on a teammate's phone
    /// and pulled since).
    /// Returns how many cases had referrals withdrawn.
    pub(super) fn withdraw_unconsented_referrals(&self) -> Result<usize> {
        let open: Vec<(CaseId, ConsentScope)> = self
            .referrals()?
            .sent
            .into_values()
            .filter(|s| s.status.is_open())
            .map(|s| (s.case_id, s.consent_scope()))
            .collect();
        let session = self.session()?;
        let mut withdrawn = 0;
        for (case, scope) in open {
            if !self.state(&session, case)?.consent_granted(&scope) {
                self.withdraw_referrals(case, &scope)?;
                withdrawn += 1;
            }
        }
        Ok(withdrawn)
    }

    /// Referrals past their due date without an answer, on every case this
    /// device holds (a commune case manager's: the commune's), most
    /// overdue first.
    pub fn overdue_referrals(&self) -> Result<Vec<OverdueReferral>> {
        self.overdue_referrals_on(self.today())
    }

    /// [`Vault::overdue_referrals`] as of `today` (the day a screen shows).
    pub fn overdue_referrals_on(&self, today: NaiveDate) -> Result<Vec<OverdueReferral>> {
        let session = self.session()?;
        let mut out = Vec::new();
        for row in session.store.list()?.rows {
            let Some(state) = session.store.case_state(row.id)? else {
                continue;
            };
            let survivor_code = state.survivor().code;
            out.extend(
                ReferralSummary::of(&state.referral_steps())
                    .into_iter()
                    .filter(|r| r.overdue(today))
                    .map(|referral| OverdueReferral {
                        case_id: row.id,
                        survivor_code: survivor_code.clone(),
                        referral,
                    }),
            );
        }
        out.sort_by_key(|o| o.referral.sent.due);
        Ok(out)
    }

    // ----- the organisation's side -----

    /// The organisation's inbox on this device: open referrals first, then
    /// by due date.
    pub fn referral_inbox(&self) -> Result<Vec<ReceivedReferral>> {
        let mut all: Vec<ReceivedReferral> = self.referrals()?.inbox.into_values().collect();
        all.sort_by_key(|r| (!r.status.is_open(), r.due, r.received_at));
        Ok(all)
    }

    /// Answers a referral in the inbox: accept, decline with a reason, ask
    /// for more, record the service delivered, close. The answer goes back
    /// to the sender at the next sync.
    pub fn answer_referral(&self, referral: ReferralId, step: ProviderStep) -> Result<()> {
        let (now, today) = (self.now(), self.today());
        // A withdrawn referral takes no answer: no step follows `withdrawn`.
        let (to, message) =
            self.update_referrals(|desk| desk.answer(referral, step, today, now))?;
        self.update_desk(|desk| {
            desk.queue(vec![(
                Recipient::Device(to),
                MailMessage::Referral(message),
            )]);
            Ok(())
        })
    }

    /// Applies a referral message that the enrolled device `from` sent.
    pub(super) fn receive_referral_message(
        &self,
        from: DeviceId,
        message: ReferralMessage,
    ) -> Result<Received> {
        let now = self.now();
        if matches!(message, ReferralMessage::Answer { .. }) {
            return match self.update_referrals(|d| d.receive_as_sender(from, message, now))? {
                SenderStep::Skip(received) => Ok(received),
                SenderStep::Record(sent, step) => {
                    let on = match &step {
                        ProviderStep::Delivered { on, .. } => Some(*on),
                        _ => None,
                    };
                    let record = self.step_of(&sent, step.status(), Some(&step), on);
                    match self.act(sent.case_id, CaseAction::RecordReferral(record)) {
                        Err(Error::NotAllowed(Refusal::NothingChanged)) => Ok(Received::Duplicate),
                        Err(e) => Err(e),
                        Ok(_) => Ok(Received::Applied),
                    }
                }
            };
        }
        let me = self.device_id()?;
        let directory = self.directory_or_error()?;
        self.update_referrals(|desk| {
            desk.receive_as_provider(
                me,
                from,
                message,
                |id| directory.organisation(id).cloned(),
                now,
            )
        })
    }
}
