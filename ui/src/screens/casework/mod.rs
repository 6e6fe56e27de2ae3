//! Work on a case after intake, one small form per kind: record a service
//! (or a referral, only with the survivor's consent for that service and
//! recipient), refer to an organisation of the signed service directory
//! (`referral.rs`: what is sent is previewed first), a follow-up, a note;
//! close the case with its checklist; reopen it with a reason.
//!
//! The form holds what was typed or chosen as text; [`WorkForm::check`]
//! checks every field at once against what the case already holds (its
//! consents, whether the survivor is a child, its perpetrators) and builds
//! core's actions. A referral whose consent is missing asks whether the
//! survivor agrees now: saving then records the consent first, and the
//! referral after it. The form is kept in memory only (it is short); quick
//! exit and locking forget it.

pub mod detail;
pub(crate) mod flow;
pub(crate) mod referral;
pub(crate) mod text;
pub mod view;

pub use detail::{DetailItem, DetailSection};
pub use view::{WorkFieldView, WorkView};

use super::intake::check::date;
use super::intake::text::Problem;
use binhan_core::cases::{CaseAction, CaseDetail, SchoolProcedureStep, SchoolStep};
use binhan_core::model::{
    caregiver_is_perpetrator, CaseId, Closure, ClosureChecklist, ClosureReason, Coded, Consent,
    ConsentGiver, ConsentScope, FollowUp, Note, ServiceOutcome, ServiceRecord, ServiceType,
};
use binhan_core::referrals::{OrganisationId, ReferralField, ServiceOrganisation, Urgency};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WorkKind {
    /// A service given, offered, declined or referred.
    Service,
    /// A referral to an organisation of the service directory, sealed to
    /// its devices.
    Referral,
    /// The answer to an organisation that asked for more about a referral:
    /// fields the survivor agreed to add, and a note.
    Supplement,
    /// Transfer the case to the commune the survivor moved to (a commune
    /// case manager's, with the survivor's consent for that commune).
    Transfer,
    /// A step of the school procedure on a student's case.
    SchoolStep,
    /// A follow-up with the survivor.
    FollowUp,
    /// A note.
    Note,
    /// Close the case with its checklist.
    Close,
    /// Reopen a closed case.
    Reopen,
}

/// A field of a case-work form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WorkField {
    /// The service (one of core's service types).
    Service,
    /// Its outcome: offered, referred, delivered, declined, unavailable.
    Outcome,
    /// The day of the service or follow-up.
    Date,
    /// Who gave it, or who it is referred to.
    Provider,
    /// Whether the survivor agrees to the referral (shown when the case
    /// holds no consent for that service and recipient).
    Consent,
    /// Who gives that consent (shown for a child, or an age not known).
    ConsentGivenBy,
    /// The day of the next follow-up.
    NextDate,
    /// A note (the note itself, or one beside a service, follow-up or
    /// closure).
    Note,
    /// Why the case is closed.
    ClosureReason,
    /// The closure checklist (every item must be ticked).
    Checklist,
    /// Why the case is reopened.
    Reason,
    /// The organisation a referral goes to (its id).
    Organisation,
    /// How soon the survivor needs the service.
    Urgency,
    /// What the referral asks for.
    Ask,
    /// The answer wanted by (empty: as the urgency says).
    Due,
    /// Fields the survivor chose to add to what the service always
    /// receives.
    Shared,
    /// The commune a case is transferred to.
    Commune,
    /// The step of the school procedure recorded.
    Step,
}

/// The items of the closure checklist, by code.
pub(crate) const CHECKLIST: [&str; 5] = [
    "needs_met_or_declined",
    "safety_reviewed",
    "survivor_informed_can_return",
    "service_outcomes_recorded",
    "supervisor_reviewed",
];

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text { max: usize, multiline: bool },
    Date,
    Choice,
    Multi,
    YesNo,
}

impl WorkKind {
    /// Its fields, in order (some are shown only given the answers).
    pub(crate) fn fields(self) -> &'static [WorkField] {
        use WorkField as F;
        match self {
            WorkKind::Service => &[
                F::Service,
                F::Outcome,
                F::Date,
                F::Provider,
                F::Consent,
                F::ConsentGivenBy,
                F::Note,
            ],
            WorkKind::Referral => &[
                F::Organisation,
                F::Service,
                F::Urgency,
                F::Ask,
                F::Due,
                F::Shared,
                F::Consent,
                F::ConsentGivenBy,
            ],
            WorkKind::Supplement => &[F::Shared, F::Note],
            WorkKind::Transfer => &[F::Commune, F::Consent, F::ConsentGivenBy],
            WorkKind::SchoolStep => &[F::Step, F::Date, F::Note],
            WorkKind::FollowUp => &[F::Date, F::NextDate, F::Note],
            WorkKind::Note => &[F::Note],
            WorkKind::Close => &[F::ClosureReason, F::Checklist, F::Note],
            WorkKind::Reopen => &[F::Reason],
        }
    }

    /// Whether the case must be open for it (core's rule).
    pub(crate) fn needs_open(self) -> bool {
        matches!(
            self,
            WorkKind::Service
                | WorkKind::Referral
                | WorkKind::Supplement
                | WorkKind::Transfer
                | WorkKind::SchoolStep
                | WorkKind::FollowUp
                | WorkKind::Close
        )
    }
}

impl WorkField {
    /// How it is entered on a form of `kind` (core's length limits).
    pub(crate) fn kind(self, form: WorkKind) -> Kind {
        use WorkField as F;
        match self {
            F::Service | F::Outcome | F::ConsentGivenBy | F::ClosureReason => Kind::Choice,
            F::Organisation | F::Urgency | F::Commune | F::Step => Kind::Choice,
            F::Date | F::NextDate | F::Due => Kind::Date,
            F::Ask => Kind::Text {
                max: 2_000,
                multiline: true,
            },
            F::Provider => Kind::Text {
                max: 120,
                multiline: false,
            },
            F::Consent => Kind::YesNo,
            F::Checklist | F::Shared => Kind::Multi,
            F::Reason => Kind::Text {
                max: 500,
                multiline: true,
            },
            F::Note => Kind::Text {
                max: match form {
                    WorkKind::Note => 20_000,
                    WorkKind::FollowUp => 5_000,
                    WorkKind::Supplement => 1_000,
                    _ => 2_000,
                },
                multiline: true,
            },
        }
    }

    /// The codes a choice takes (an organisation: any id; which ones the
    /// case can reach is checked against its facts).
    pub(crate) fn codes(self) -> Vec<&'static str> {
        fn all<T: Coded>() -> Vec<&'static str> {
            T::ALL.iter().map(|v| v.code()).collect()
        }
        match self {
            WorkField::Service => all::<ServiceType>(),
            WorkField::Outcome => all::<ServiceOutcome>(),
            WorkField::ConsentGivenBy => all::<ConsentGiver>(),
            WorkField::ClosureReason => all::<ClosureReason>(),
            WorkField::Checklist => CHECKLIST.to_vec(),
            WorkField::Urgency => all::<Urgency>(),
            WorkField::Commune => binhan_core::model::COMMUNES
                .iter()
                .map(|c| c.code)
                .collect(),
            WorkField::Step => all::<SchoolStep>(),
            WorkField::Shared => all::<ReferralField>(),
            WorkField::Consent => vec!["yes", "no"],
            _ => Vec::new(),
        }
    }
}

/// What the form needs to know of its case.
#[derive(Debug, Clone)]
pub(crate) struct CaseFacts {
    /// The survivor is a child (`None`: age not known).
    pub(crate) child: Option<bool>,
    /// An alleged perpetrator is the survivor's parent or caregiver.
    pub(crate) caregiver_perpetrator: bool,
    /// Keys of the consent scopes granted now (core's normalised keys).
    pub(crate) granted: Vec<String>,
    /// The survivor's commune (code).
    pub(crate) commune: String,
    /// The school procedure's steps that may be recorded now (a student's
    /// case).
    pub(crate) school_next: Vec<SchoolStep>,
    /// The organisations a referral can go to (for the referral form).
    pub(crate) organisations: Vec<ServiceOrganisation>,
    /// The fields a supplement may add: the table allows them and the
    /// referral does not carry them yet (for the supplement form).
    pub(crate) may_add: Vec<ReferralField>,
}

impl CaseFacts {
    /// The facts of `case`.
    pub(crate) fn of(case: &CaseDetail) -> Self {
        Self {
            child: case.derived.survivor_is_child,
            caregiver_perpetrator: caregiver_is_perpetrator(&case.incident.perpetrators),
            granted: case
                .consents
                .iter()
                .filter(|c| c.granted)
                .map(|c| c.scope.key())
                .collect(),
            commune: case.survivor.commune.clone(),
            school_next: case
                .school
                .as_ref()
                .map(|s| s.next.clone())
                .unwrap_or_default(),
            organisations: Vec::new(),
            may_add: Vec::new(),
        }
    }

    /// With the organisations of the service directory (`directory`)
    /// that a referral from this case can reach.
    pub(crate) fn with_organisations(mut self, directory: Vec<ServiceOrganisation>) -> Self {
        self.organisations = referral::reachable(directory);
        self
    }
}

/// Problems by field.
pub(crate) type Problems = Vec<(WorkField, Problem)>;

/// A case-work form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkForm {
    /// The case.
    pub(crate) case: CaseId,
    /// Which form.
    pub(crate) kind: WorkKind,
    /// Values by field: text as typed, a choice by its code, several
    /// choices as codes joined by commas.
    pub(crate) values: BTreeMap<WorkField, String>,
    /// The referral a supplement answers.
    pub(crate) referral: Option<binhan_core::referrals::ReferralId>,
}

impl WorkForm {
    /// A new form of `kind` for `case`: dated today where it has a day.
    pub(crate) fn new(case: CaseId, kind: WorkKind, today: NaiveDate) -> Self {
        let mut values = BTreeMap::new();
        if kind.fields().contains(&WorkField::Date) {
            values.insert(WorkField::Date, today.format("%Y-%m-%d").to_string());
        }
        Self {
            case,
            kind,
            values,
            referral: None,
        }
    }

    pub(crate) fn get(&self, field: WorkField) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// The codes chosen in a several-of field.
    pub(crate) fn chosen(&self, field: WorkField) -> Vec<&str> {
        self.get(field)
            .split(',')
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// Sets a field of this form; false if it is not one, or the value is
    /// not one of its choices.
    pub(crate) fn set(&mut self, field: WorkField, value: &str) -> bool {
        if !self.kind.fields().contains(&field) {
            return false;
        }
        let value = value.trim_end_matches(['\r', '\n']);
        if field == WorkField::Organisation {
            if !value.is_empty() && value.parse::<OrganisationId>().is_err() {
                return false;
            }
            self.values.insert(field, value.to_string());
            return true;
        }
        match field.kind(self.kind) {
            Kind::Choice | Kind::YesNo if !value.is_empty() && !field.codes().contains(&value) => {
                return false
            }
            Kind::Multi => return false,
            Kind::Text { max, .. } if value.chars().count() > max.saturating_mul(2) => {
                return false
            }
            _ => {}
        }
        self.values.insert(field, value.to_string());
        true
    }

    /// Adds or removes one code of a several-of field.
    pub(crate) fn toggle(&mut self, field: WorkField, code: &str) -> bool {
        if !self.kind.fields().contains(&field)
            || field.kind(self.kind) != Kind::Multi
            || !field.codes().contains(&code)
        {
            return false;
        }
        let mut chosen: Vec<String> = self.chosen(field).into_iter().map(String::from).collect();
        if let Some(i) = chosen.iter().position(|c| c == code) {
            chosen.remove(i);
        } else {
            chosen.push(code.to_string());
        }
        self.values.insert(field, chosen.join(","));
        true
    }

    /// The consent scope of the referral on the form, once the service and
    /// the recipient are filled.
    fn referral_scope(&self, facts: &CaseFacts) -> Option<ConsentScope> {
        match self.kind {
            WorkKind::Referral => return self.referral_consent_scope(facts),
            WorkKind::Transfer => {
                let commune = self.get(WorkField::Commune);
                return (!commune.is_empty()).then(|| ConsentScope::Transfer {
                    commune: commune.to_string(),
                });
            }
            _ => {}
        }
        let referred = self.kind == WorkKind::Service
            && self.get(WorkField::Outcome) == ServiceOutcome::Referred.code();
        let service = ServiceType::from_code(self.get(WorkField::Service))?;
        let recipient = self.get(WorkField::Provider).trim();
        (referred && !recipient.is_empty()).then(|| ConsentScope::Service {
            service,
            recipient: recipient.to_string(),
        })
    }

    /// Whether `field` is shown given the answers and the case.
    pub(crate) fn is_shown(&self, field: WorkField, facts: &CaseFacts) -> bool {
        let needs_consent = || {
            self.referral_scope(facts)
                .is_some_and(|scope| !facts.granted.contains(&scope.key()))
        };
        match field {
            WorkField::Consent => needs_consent(),
            WorkField::ConsentGivenBy => {
                needs_consent()
                    && self.get(WorkField::Consent) == "yes"
                    && facts.child != Some(false)
            }
            WorkField::Shared if self.kind == WorkKind::Supplement => !facts.may_add.is_empty(),
            WorkField::Shared => self
                .service()
                .is_some_and(|s| !binhan_core::referrals::optional_fields(s).is_empty()),
            _ => self.kind.fields().contains(&field),
        }
    }

    /// Whether `field` must be filled.
    pub(crate) fn is_required(&self, field: WorkField) -> bool {
        match field {
            WorkField::Provider => self.get(WorkField::Outcome) == ServiceOutcome::Referred.code(),
            WorkField::Note => {
                matches!(self.kind, WorkKind::Note | WorkKind::Supplement)
                    || self.get(WorkField::Step) == SchoolStep::FamilyNotInformed.code()
            }
            WorkField::NextDate | WorkField::Due | WorkField::Shared => false,
            _ => true,
        }
    }

    /// Every problem of the form at once.
    pub(crate) fn problems(&self, facts: &CaseFacts, today: NaiveDate) -> Problems {
        match self.check(facts, today) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        }
    }

    /// Checks every field at once and builds core's actions, in the order
    /// they are recorded (a consent before the referral that needs it).
    pub(crate) fn check(
        &self,
        facts: &CaseFacts,
        today: NaiveDate,
    ) -> Result<Vec<CaseAction>, Problems> {
        let mut problems = Problems::new();
        let mut note = |field: WorkField, problem: Problem| {
            if !problems.iter().any(|(f, _)| *f == field) {
                problems.push((field, problem));
            }
        };
        for &field in self.kind.fields() {
            if !self.is_shown(field, facts) {
                continue;
            }
            let value = self.get(field).trim();
            if value.is_empty() {
                if self.is_required(field) {
                    note(field, Problem::Required);
                }
                continue;
            }
            match field.kind(self.kind) {
                Kind::Text { max, .. } if value.chars().count() > max => {
                    note(field, Problem::TooLong { max });
                }
                Kind::Date => match date(value) {
                    Err(problem) => note(field, problem),
                    Ok(Some(day)) if field == WorkField::Date && day > today => {
                        note(field, Problem::InFuture)
                    }
                    Ok(Some(day)) if field == WorkField::NextDate && day < today => {
                        note(field, Problem::FollowUpInPast)
                    }
                    Ok(Some(day)) if field == WorkField::Due && day < today => {
                        note(field, Problem::DueInPast)
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        let day = |field| date(self.get(field)).ok().flatten();
        let text = |field| Some(self.get(field).trim().to_string()).filter(|t| !t.is_empty());
        if let (Some(day), Some(next)) = (day(WorkField::Date), day(WorkField::NextDate)) {
            if next < day && self.kind == WorkKind::FollowUp {
                note(WorkField::NextDate, Problem::BeforeFollowUp);
            }
        }
        if self.kind == WorkKind::Close {
            let ticked = self.chosen(WorkField::Checklist);
            let missing = CHECKLIST.iter().filter(|c| !ticked.contains(c)).count();
            if missing > 0 && !ticked.is_empty() {
                note(
                    WorkField::Checklist,
                    Problem::ChecklistIncomplete { missing },
                );
            }
        }
        if matches!(self.kind, WorkKind::Referral | WorkKind::Supplement) {
            for (field, problem) in self.referral_problems(facts) {
                note(field, problem);
            }
        }
        if self.kind == WorkKind::Transfer && self.get(WorkField::Commune) == facts.commune {
            note(WorkField::Commune, Problem::UnknownChoice);
        }
        let step = SchoolStep::from_code(self.get(WorkField::Step));
        if self.kind == WorkKind::SchoolStep
            && step.is_some_and(|s| !facts.school_next.contains(&s))
        {
            note(WorkField::Step, Problem::UnknownChoice);
        }
        let mut consent = None;
        if self.is_shown(WorkField::Consent, facts) {
            match self.get(WorkField::Consent) {
                "yes" => {
                    let given_by = if self.is_shown(WorkField::ConsentGivenBy, facts) {
                        ConsentGiver::from_code(self.get(WorkField::ConsentGivenBy))
                    } else {
                        Some(ConsentGiver::Survivor)
                    };
                    if given_by == Some(ConsentGiver::Caregiver) && facts.caregiver_perpetrator {
                        // The plan's rule: a caregiver who is the alleged
                        // perpetrator cannot consent for the child.
                        note(WorkField::ConsentGivenBy, Problem::CaregiverIsPerpetrator);
                    }
                    consent = self.referral_scope(facts).zip(given_by);
                }
                "no" if self.kind == WorkKind::Transfer => {
                    note(WorkField::Consent, Problem::TransferNeedsConsent)
                }
                "no" => note(WorkField::Consent, Problem::ReferralNeedsConsent),
                _ => {}
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let choice = |field| self.get(field);
        let mut actions = Vec::new();
        if let Some((scope, given_by)) = consent {
            actions.push(CaseAction::RecordConsent(Consent {
                scope,
                granted: true,
                given_by,
            }));
        }
        let built = match self.kind {
            WorkKind::Service => ServiceType::from_code(choice(WorkField::Service))
                .zip(ServiceOutcome::from_code(choice(WorkField::Outcome)))
                .zip(day(WorkField::Date))
                .map(|((service, outcome), date)| {
                    CaseAction::AddService(ServiceRecord {
                        service,
                        outcome,
                        date,
                        provider: text(WorkField::Provider),
                        note: text(WorkField::Note),
                    })
                }),
            // The referral itself is sent by core from the draft, after
            // the consent it needs.
            WorkKind::Referral => {
                return match self.referral_draft(facts) {
                    Some(_) => Ok(actions),
                    None => Err(vec![(WorkField::Organisation, Problem::Required)]),
                }
            }
            // So is a supplement, from the form's fields.
            WorkKind::Supplement => return Ok(actions),
            WorkKind::SchoolStep => step.zip(day(WorkField::Date)).map(|(step, on)| {
                CaseAction::RecordSchoolStep(SchoolProcedureStep {
                    step,
                    on,
                    note: text(WorkField::Note),
                })
            }),
            WorkKind::Transfer => Some(CaseAction::Transfer {
                commune: choice(WorkField::Commune).to_string(),
            })
            .filter(|_| !choice(WorkField::Commune).is_empty()),
            WorkKind::FollowUp => day(WorkField::Date).map(|date| {
                CaseAction::AddFollowUp(FollowUp {
                    date,
                    goals: Vec::new(),
                    next_date: day(WorkField::NextDate),
                    note: text(WorkField::Note),
                })
            }),
            WorkKind::Note => text(WorkField::Note).map(|text| CaseAction::AddNote(Note { text })),
            WorkKind::Close => {
                ClosureReason::from_code(choice(WorkField::ClosureReason)).map(|reason| {
                    CaseAction::Close(Closure {
                        reason,
                        checklist: ClosureChecklist {
                            needs_met_or_declined: true,
                            safety_reviewed: true,
                            survivor_informed_can_return: true,
                            service_outcomes_recorded: true,
                            supervisor_reviewed: true,
                        },
                        note: text(WorkField::Note),
                    })
                })
            }
            WorkKind::Reopen => text(WorkField::Reason).map(|reason| CaseAction::Reopen { reason }),
        };
        match built {
            Some(action) => {
                actions.push(action);
                Ok(actions)
            }
            // Unreachable once every required field passed; never guess.
            None => Err(vec![(self.kind.fields()[0], Problem::Required)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test day")
    }

    fn facts(child: Option<bool>, caregiver_perpetrator: bool, granted: &[&str]) -> CaseFacts {
        CaseFacts {
            child,
            caregiver_perpetrator,
            granted: granted.iter().map(|s| s.to_string()).collect(),
            commune: "pa_u".into(),
            school_next: Vec::new(),
            organisations: Vec::new(),
            may_add: Vec::new(),
        }
    }

    fn form(kind: WorkKind, values: &[(WorkField, &str)]) -> WorkForm {
        let mut form = WorkForm::new(CaseId::random(), kind, day("2026-12-01"));
        for (field, value) in values {
            assert!(form.set(*field, value), "{field:?} takes {value}");
        }
        form
    }

    #[test]
    fn every_problem_is_given_at_once() {
        let today = day("2026-12-01");
        let f = form(
            WorkKind::Service,
            &[
                (WorkField::Outcome, "referred"),
                (WorkField::Date, "2026-12-24"),
            ],
        );
        let problems = f.problems(&facts(Some(false), false, &[]), today);
        let fields: Vec<WorkField> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![WorkField::Service, WorkField::Date, WorkField::Provider]
        );
        assert_eq!(problems[1].1, Problem::InFuture);
    }

    #[test]
    fn a_referral_without_consent_asks_for_it_and_records_it_first() {
        let today = day("2026-12-01");
        let mut f = form(
            WorkKind::Service,
            &[
                (WorkField::Service, "legal_aid"),
                (WorkField::Outcome, "referred"),
                (WorkField::Provider, "Trung tâm TGPL (synthetic)"),
            ],
        );
        let adult = facts(Some(false), false, &[]);
        assert!(f.is_shown(WorkField::Consent, &adult));
        assert_eq!(
            f.problems(&adult, today),
            vec![(WorkField::Consent, Problem::Required)]
        );
        f.set(WorkField::Consent, "no");
        assert_eq!(
            f.problems(&adult, today),
            vec![(WorkField::Consent, Problem::ReferralNeedsConsent)]
        );
        f.set(WorkField::Consent, "yes");
        let actions = f.check(&adult, today).expect("consent given");
        assert!(matches!(
            &actions[..],
            [CaseAction::RecordConsent(c), CaseAction::AddService(s)]
                if c.granted && c.given_by == ConsentGiver::Survivor
                    && s.outcome == ServiceOutcome::Referred
        ));
        // Consent already on the case, compared by core's key (case and
        // spaces do not matter): no question, only the referral.
        let key = ConsentScope::Service {
            service: ServiceType::LegalAid,
            recipient: "trung tâm tgpl (synthetic)".into(),
        }
        .key();
        let granted = facts(Some(false), false, &[&key]);
        assert!(!f.is_shown(WorkField::Consent, &granted));
        assert!(matches!(
            &f.check(&granted, today).expect("granted")[..],
            [CaseAction::AddService(_)]
        ));
    }

    #[test]
    fn a_caregiver_who_is_a_perpetrator_cannot_consent_for_a_child() {
        let today = day("2026-12-01");
        let f = form(
            WorkKind::Service,
            &[
                (WorkField::Service, "health"),
                (WorkField::Outcome, "referred"),
                (WorkField::Provider, "Trạm y tế (synthetic)"),
                (WorkField::Consent, "yes"),
                (WorkField::ConsentGivenBy, "caregiver"),
            ],
        );
        assert_eq!(
            f.problems(&facts(Some(true), true, &[]), today),
            vec![(WorkField::ConsentGivenBy, Problem::CaregiverIsPerpetrator)]
        );
        assert!(f.check(&facts(Some(true), false, &[]), today).is_ok());
    }

    #[test]
    fn closing_needs_every_checklist_item() {
        let today = day("2026-12-01");
        let mut f = form(WorkKind::Close, &[(WorkField::ClosureReason, "needs_met")]);
        let none = facts(None, false, &[]);
        assert_eq!(
            f.problems(&none, today),
            vec![(WorkField::Checklist, Problem::Required)]
        );
        assert!(f.toggle(WorkField::Checklist, "safety_reviewed"));
        assert_eq!(
            f.problems(&none, today),
            vec![(
                WorkField::Checklist,
                Problem::ChecklistIncomplete { missing: 4 }
            )]
        );
        for code in CHECKLIST {
            if code != "safety_reviewed" {
                f.toggle(WorkField::Checklist, code);
            }
        }
        assert!(matches!(
            &f.check(&none, today).expect("complete")[..],
            [CaseAction::Close(c)] if c.validate().is_ok()
        ));
        assert!(!f.toggle(WorkField::Checklist, "not_an_item"));
    }

    #[test]
    fn values_a_form_does_not_take_are_refused() {
        let mut f = form(WorkKind::Note, &[]);
        assert!(!f.set(WorkField::Service, "health"));
        let mut s = form(WorkKind::Service, &[]);
        assert!(!s.set(WorkField::Outcome, "maybe"));
        assert!(!s.toggle(WorkField::Service, "health"));
        assert!(f.set(WorkField::Note, "synthetic note"));
        let next_before = form(
            WorkKind::FollowUp,
            &[
                (WorkField::Date, "2026-11-30"),
                (WorkField::NextDate, "2026-12-01"),
            ],
        );
        assert!(next_before
            .check(&facts(None, false, &[]), day("2026-12-01"))
            .is_ok());
    }
}
