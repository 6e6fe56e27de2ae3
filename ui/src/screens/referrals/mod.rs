//! The service provider's referral inbox: referrals sealed to this phone
//! for its organisation, each with only the fields its service may receive
//! (the table in `binhan_core::referrals`), and the answers the provider
//! can give now — accept, decline with a reason, ask for a field the table
//! allows that the referral lacks, record the service delivered, close —
//! computed from where the referral stands. A withdrawn
//! referral shows that it was withdrawn and nothing of its content. The
//! national emergency numbers head the screen.

pub mod overdue;
pub mod preview;
pub(crate) mod text;

use crate::core::{Inner, Route};
use crate::event::Event;
use crate::format;
use crate::text::{Why, T};
use crate::view::{Action, LabelledValue, NoticeLevel, Reason};
use binhan_core::app::Vault;
use binhan_core::model::{Coded, Lang};
use binhan_core::referrals::{
    ProviderStep, ReceivedReferral, ReferralDeclineReason, ReferralField, ReferralId, SharedFact,
    EMERGENCY_NUMBERS,
};
use binhan_core::Error;
use chrono::NaiveDate;
use serde::Serialize;
use text::L;

/// One referral, as the provider sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralRow {
    /// "health care · urgent (within three days)".
    pub title: String,
    /// Where it stands.
    pub status: String,
    /// "Answer by 18/11/2026", or that it is overdue.
    pub due: String,
    /// Whether it waits for an answer past its due date.
    pub overdue: bool,
    /// When it arrived.
    pub received: String,
    /// What is asked; none once withdrawn.
    pub ask: Option<String>,
    /// The fields shared, each labelled; none once withdrawn.
    pub facts: Vec<LabelledValue>,
    /// What the sender added when asked for more.
    pub added: Vec<String>,
    /// That the survivor withdrew consent, when she did.
    pub withdrawn: Option<String>,
    /// What the provider can do now.
    pub actions: Vec<Action>,
}

/// The inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralInboxView {
    /// The national emergency numbers, "113 · Công an".
    pub emergency: Vec<String>,
    /// Referrals: open ones first, then by due date.
    pub referrals: Vec<ReferralRow>,
    /// Why the list is empty, when it is.
    pub empty: Option<String>,
}

fn yes_no(value: bool, lang: Lang) -> String {
    if value { T::Yes } else { T::No }.get(lang)
}

/// A shared field as a labelled line.
pub(crate) fn fact_line(fact: &SharedFact, lang: Lang) -> LabelledValue {
    let field = fact.field();
    let value = match fact {
        SharedFact::AgeBand(b) => b.label(lang).to_string(),
        SharedFact::Sex(s) => s.label(lang).to_string(),
        SharedFact::IncidentDate(d) => format::day(*d),
        SharedFact::ViolenceType(v) => v.label(lang).to_string(),
        SharedFact::Disability(d) => yes_no(*d, lang),
        SharedFact::EthnicGroup(g) => g.label(lang).to_string(),
        SharedFact::Commune(c) => {
            binhan_core::model::commune(c).map_or_else(|| c.clone(), |c| c.name.to_string())
        }
        SharedFact::RiskLevel(r) => r.label(lang).to_string(),
        SharedFact::SafeContact(c) => [
            c.method.map(|m| m.label(lang).to_string()),
            c.time.clone(),
            c.details.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
        SharedFact::Name(t) | SharedFact::Account(t) => t.clone(),
        SharedFact::Perpetrators(list) => list
            .iter()
            .map(|p| {
                format!(
                    "{}, {}, {}",
                    p.relationship.label(lang),
                    p.sex.label(lang),
                    p.age_group.label(lang)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    };
    LabelledValue {
        code: field.code().to_string(),
        label: field.label(lang).to_string(),
        value,
    }
}

fn actions(referral: &ReceivedReferral, today: NaiveDate, lang: Lang) -> Vec<Action> {
    if referral.content.is_none() {
        return Vec::new();
    }
    let id = referral.id.to_string();
    let answer = |label: L, step: ProviderStep| {
        Action::new(
            label.get(lang),
            Event::AnswerReferral {
                referral: id.clone(),
                step,
            },
        )
    };
    let mut steps = vec![(L::Accept, ProviderStep::Accepted)];
    // Ask for a field the table allows and the referral lacks: the sender
    // answers with it only if the survivor agrees.
    let content = referral.content.as_ref();
    let shared: Vec<ReferralField> = content
        .iter()
        .flat_map(|c| {
            c.facts
                .iter()
                .chain(c.supplements.iter().flat_map(|s| s.facts.iter()))
        })
        .map(SharedFact::field)
        .collect();
    steps.extend(
        binhan_core::referrals::optional_fields(referral.service)
            .into_iter()
            .filter(|f| !shared.contains(f))
            .map(|field| {
                let label = field.label(lang).to_string();
                (
                    L::AskFor(label.clone()),
                    ProviderStep::MoreAsked(L::AskedFor(label).get(lang)),
                )
            }),
    );
    steps.extend(ReferralDeclineReason::ALL.iter().map(|reason| {
        (
            L::Decline(reason.label(lang).to_string()),
            ProviderStep::Declined(*reason),
        )
    }));
    steps.push((
        L::Delivered,
        ProviderStep::Delivered {
            on: today,
            what: L::DeliveredWhat(referral.service.label(lang).to_string()).get(lang),
        },
    ));
    steps.push((L::Close, ProviderStep::Closed));
    steps
        .into_iter()
        .filter(|(_, step)| step.status().may_follow(referral.status))
        .map(|(label, step)| answer(label, step))
        .collect()
}

fn row(referral: &ReceivedReferral, today: NaiveDate, lang: Lang) -> ReferralRow {
    let overdue = referral.overdue(today);
    let due = format::day(referral.due);
    ReferralRow {
        title: format!(
            "{} · {}",
            referral.service.label(lang),
            referral.urgency.label(lang)
        ),
        status: referral.status.label(lang).to_string(),
        due: if overdue {
            L::Overdue(due)
        } else {
            L::Due(due)
        }
        .get(lang),
        overdue,
        received: L::Received(format::instant(referral.received_at)).get(lang),
        ask: referral
            .content
            .as_ref()
            .map(|c| L::Asked(c.ask.clone()).get(lang)),
        facts: referral
            .content
            .iter()
            .flat_map(|c| {
                c.facts
                    .iter()
                    .chain(c.supplements.iter().flat_map(|s| s.facts.iter()))
            })
            .map(|f| fact_line(f, lang))
            .collect(),
        added: referral
            .content
            .iter()
            .flat_map(|c| c.supplements.iter())
            .map(|s| L::Added(s.note.clone()).get(lang))
            .collect(),
        withdrawn: referral.content.is_none().then(|| L::Withdrawn.get(lang)),
        actions: actions(referral, today, lang),
    }
}

/// The inbox of this phone on `today`.
pub(crate) fn view(vault: &Vault, today: NaiveDate, lang: Lang) -> ReferralInboxView {
    let referrals: Vec<ReferralRow> = vault
        .referral_inbox()
        .unwrap_or_default()
        .iter()
        .map(|r| row(r, today, lang))
        .collect();
    ReferralInboxView {
        emergency: EMERGENCY_NUMBERS
            .iter()
            .map(|(number, vi, en)| {
                L::Emergency(number.to_string(), crate::text::pick(lang, vi, en)).get(lang)
            })
            .collect(),
        empty: referrals.is_empty().then(|| L::Empty.get(lang)),
        referrals,
    }
}

impl Inner {
    /// The provider answers a referral in the inbox.
    pub(crate) fn answer_referral(&mut self, referral: &str, step: ProviderStep) {
        if *self.top() != Route::ReferralInbox {
            return self.refuse(Why::NotAvailableHere);
        }
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        let unknown = |lang| Reason::new("referral_unknown", L::ReferralUnknown.get(lang));
        let Ok(id) = referral.parse::<ReferralId>() else {
            let reason = unknown(self.lang);
            return self.notice(NoticeLevel::Error, reason);
        };
        match vault.answer_referral(id, step) {
            Ok(()) => {
                let reason = Reason::new("referral_answered", L::Answered.get(self.lang));
                self.notice(NoticeLevel::Info, reason);
            }
            Err(Error::NotFound(_)) => {
                let reason = unknown(self.lang);
                self.notice(NoticeLevel::Error, reason);
            }
            Err(Error::NotAllowed(refusal)) => self.refuse_core(refusal),
            Err(Error::Invalid { .. }) => self.refuse(Why::NotAvailableHere),
            Err(_) => self.refuse(Why::StorageFailed),
        }
    }
}
