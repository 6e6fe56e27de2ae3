//! What the intake form asks: its steps, its fields, and for each field
//! its step, its kind, whether it is required and in which list of rows.

use binhan_core::model::{
    AgeGroup, Coded, ConsentGiver, ContactMethod, ContextFlag, EthnicGroup, Lang, MaritalStatus,
    PlaceType, Relationship, RiskFactor, RiskLevel, ServiceType, Sex, TimeOfDay, ViolenceType,
    COMMUNES,
};
use serde::{Deserialize, Serialize};

/// A step of the form, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum IntakeStep {
    /// Who the case is about.
    Survivor,
    /// What happened.
    Incident,
    /// Who did it.
    Perpetrators,
    /// Risk and the safety plan.
    Risk,
    /// Consent to statistics and to each service and recipient; the first
    /// follow-up.
    Consent,
    /// Everything, read back before saving.
    Review,
}

impl IntakeStep {
    /// Every step, in order.
    pub const ALL: [IntakeStep; 6] = [
        IntakeStep::Survivor,
        IntakeStep::Incident,
        IntakeStep::Perpetrators,
        IntakeStep::Risk,
        IntakeStep::Consent,
        IntakeStep::Review,
    ];

    /// Its place, from 0.
    pub(crate) fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The step after it (the review is last).
    pub(crate) fn next(self) -> Option<IntakeStep> {
        Self::ALL.get(self.index() + 1).copied()
    }

    /// The step before it.
    pub(crate) fn previous(self) -> Option<IntakeStep> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }
}

/// A list of rows in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum IntakeList {
    /// One row per perpetrator.
    Perpetrators,
    /// One row per service and recipient the survivor decided about.
    Consents,
}

/// Declares [`IntakeField`] and its list of every field, in the order the
/// form shows them, from one list.
macro_rules! intake_fields {
    ($($(#[doc = $doc:literal])* $name:ident,)+) => {
        /// A field of the form. Fields of a list take the row's index in the
        /// events; the others take 0.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum IntakeField {
            $($(#[doc = $doc])* $name,)+
        }

        impl IntakeField {
            /// Every field, in the order the form shows them.
            pub const ALL: &'static [IntakeField] = &[$(IntakeField::$name,)+];
        }
    };
}

intake_fields! {
    /// Survivor code used instead of a name.
    SurvivorCode,
    /// Name (optional, never required).
    SurvivorName,
    /// Sex.
    Sex,
    /// Date of birth.
    DateOfBirth,
    /// Age in years, when the date of birth is not known.
    AgeYears,
    /// The date of birth or age is an estimate.
    AgeEstimated,
    /// Ethnic group.
    EthnicGroup,
    /// Lives with a disability.
    Disability,
    /// Migrant worker.
    MigrantWorker,
    /// A student.
    Student,
    /// School (students only).
    School,
    /// Marital status.
    MaritalStatus,
    /// Commune of residence.
    Commune,
    /// Village of residence.
    Village,
    /// A safe way to make contact.
    ContactMethod,
    /// A safe time to make contact.
    ContactTime,
    /// Details for the safe contact.
    ContactDetails,
    /// Date of the incident.
    IncidentDate,
    /// Time of day.
    TimeOfDay,
    /// Type of place.
    PlaceType,
    /// Commune where it happened.
    IncidentCommune,
    /// Violence type.
    ViolenceType,
    /// Contexts (the plan's forms of violence).
    Contexts,
    /// What happened, in the survivor's words.
    Account,
    /// Already reported elsewhere.
    ReportedElsewhere,
    /// Previous incidents.
    PreviousIncidents,
    /// Day it was reported to the person recording.
    ReportedOn,
    /// A perpetrator's sex.
    PerpetratorSex,
    /// A perpetrator's age group.
    PerpetratorAgeGroup,
    /// A perpetrator's relationship to the survivor.
    PerpetratorRelationship,
    /// Risk level.
    RiskLevel,
    /// Risk factors present.
    RiskFactors,
    /// Safety plan: where to go.
    SafePlace,
    /// Safety plan: whom to call or go to.
    TrustedPerson,
    /// Safety plan: a signal agreed with a trusted person.
    WarningSignal,
    /// Safety plan: steps, one per line.
    SafetySteps,
    /// Consent to being counted, without identification, in statistics.
    StatisticsConsent,
    /// Who gives consent (for a child, a parent or caregiver may).
    ConsentGivenBy,
    /// A consent row: the service.
    ConsentService,
    /// A consent row: the agency that would receive what it needs.
    ConsentRecipient,
    /// A consent row: granted or refused.
    ConsentGranted,
    /// Day of the first follow-up.
    NextFollowUp,
}

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Free text of at most this many characters.
    Text { max: usize, multiline: bool },
    /// A code of letters, digits and `- _ / .`.
    Code { max: usize },
    /// A day.
    Date,
    /// A whole number.
    Number,
    /// One of a list.
    Choice,
    /// Several of a list.
    Multi,
    /// Yes, no, or not answered.
    YesNo,
}

impl Kind {
    pub(crate) fn is_multi(self) -> bool {
        self == Kind::Multi
    }
}

/// What the form knows of a field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub(crate) step: IntakeStep,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
    pub(crate) list: Option<IntakeList>,
}

const fn spec(step: IntakeStep, kind: Kind, required: bool) -> Spec {
    Spec {
        step,
        kind,
        required,
        list: None,
    }
}

const fn row(list: IntakeList, step: IntakeStep, kind: Kind, required: bool) -> Spec {
    Spec {
        step,
        kind,
        required,
        list: Some(list),
    }
}

const fn text(max: usize) -> Kind {
    Kind::Text {
        max,
        multiline: false,
    }
}

impl IntakeField {
    /// Its step, kind and rules.
    pub(crate) fn spec(self) -> Spec {
        use IntakeField::*;
        use IntakeStep as S;
        const P: IntakeList = IntakeList::Perpetrators;
        const C: IntakeList = IntakeList::Consents;
        match self {
            SurvivorCode => spec(S::Survivor, Kind::Code { max: 32 }, true),
            SurvivorName => spec(S::Survivor, text(120), false),
            Sex => spec(S::Survivor, Kind::Choice, true),
            DateOfBirth => spec(S::Survivor, Kind::Date, false),
            AgeYears => spec(S::Survivor, Kind::Number, false),
            AgeEstimated => spec(S::Survivor, Kind::YesNo, false),
            EthnicGroup => spec(S::Survivor, Kind::Choice, false),
            Disability | MigrantWorker | Student => spec(S::Survivor, Kind::YesNo, false),
            School => spec(S::Survivor, text(120), false),
            MaritalStatus => spec(S::Survivor, Kind::Choice, false),
            Commune => spec(S::Survivor, Kind::Choice, true),
            Village => spec(S::Survivor, text(120), false),
            ContactMethod => spec(S::Survivor, Kind::Choice, false),
            ContactTime | ContactDetails => spec(S::Survivor, text(200), false),
            IncidentDate => spec(S::Incident, Kind::Date, true),
            TimeOfDay => spec(S::Incident, Kind::Choice, false),
            PlaceType => spec(S::Incident, Kind::Choice, true),
            IncidentCommune => spec(S::Incident, Kind::Choice, true),
            ViolenceType => spec(S::Incident, Kind::Choice, true),
            Contexts => spec(S::Incident, Kind::Multi, false),
            Account => spec(
                S::Incident,
                Kind::Text {
                    max: super::MAX_VALUE_CHARS,
                    multiline: true,
                },
                false,
            ),
            ReportedElsewhere | PreviousIncidents => spec(S::Incident, Kind::YesNo, false),
            ReportedOn => spec(S::Incident, Kind::Date, true),
            PerpetratorSex => row(P, S::Perpetrators, Kind::Choice, true),
            PerpetratorAgeGroup | PerpetratorRelationship => {
                row(P, S::Perpetrators, Kind::Choice, false)
            }
            RiskLevel => spec(S::Risk, Kind::Choice, false),
            RiskFactors => spec(S::Risk, Kind::Multi, false),
            SafePlace | TrustedPerson | WarningSignal => spec(S::Risk, text(300), false),
            SafetySteps => spec(
                S::Risk,
                Kind::Text {
                    max: 30 * 501,
                    multiline: true,
                },
                false,
            ),
            StatisticsConsent => spec(S::Consent, Kind::YesNo, true),
            ConsentGivenBy => spec(S::Consent, Kind::Choice, true),
            ConsentService => row(C, S::Consent, Kind::Choice, true),
            ConsentRecipient => row(C, S::Consent, text(120), true),
            ConsentGranted => row(C, S::Consent, Kind::YesNo, true),
            NextFollowUp => spec(S::Consent, Kind::Date, false),
        }
    }
}

fn coded<T: Coded>(lang: Lang) -> Vec<(&'static str, String)> {
    T::ALL
        .iter()
        .map(|v| (v.code(), v.label(lang).to_string()))
        .collect()
}

/// The choices of a one-of or several-of field: code and label.
pub(crate) fn options(field: IntakeField, lang: Lang) -> Vec<(&'static str, String)> {
    use IntakeField as F;
    match field {
        F::Sex | F::PerpetratorSex => coded::<Sex>(lang),
        F::EthnicGroup => coded::<EthnicGroup>(lang),
        F::MaritalStatus => coded::<MaritalStatus>(lang),
        F::Commune | F::IncidentCommune => COMMUNES
            .iter()
            .map(|c| (c.code, c.name.to_string()))
            .collect(),
        F::ContactMethod => coded::<ContactMethod>(lang),
        F::TimeOfDay => coded::<TimeOfDay>(lang),
        F::PlaceType => coded::<PlaceType>(lang),
        F::ViolenceType => coded::<ViolenceType>(lang),
        F::Contexts => coded::<ContextFlag>(lang),
        F::PerpetratorAgeGroup => coded::<AgeGroup>(lang),
        F::PerpetratorRelationship => coded::<Relationship>(lang),
        F::RiskLevel => coded::<RiskLevel>(lang),
        F::RiskFactors => coded::<RiskFactor>(lang),
        F::ConsentGivenBy => coded::<ConsentGiver>(lang),
        F::ConsentService => coded::<ServiceType>(lang),
        _ => Vec::new(),
    }
}

/// The codes a one-of or several-of field takes.
pub(crate) fn codes_of(field: IntakeField) -> Vec<&'static str> {
    options(field, Lang::En)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_listed_once_and_lists_are_consistent() {
        let mut seen = std::collections::HashSet::new();
        for &field in IntakeField::ALL {
            assert!(seen.insert(field), "{field:?} twice");
            let spec = field.spec();
            if matches!(spec.kind, Kind::Choice | Kind::Multi) {
                assert!(!codes_of(field).is_empty(), "{field:?} has no choices");
            }
            if spec.list == Some(IntakeList::Perpetrators) {
                assert_eq!(spec.step, IntakeStep::Perpetrators);
            }
        }
        assert_eq!(IntakeStep::Survivor.previous(), None);
        assert_eq!(IntakeStep::Consent.next(), Some(IntakeStep::Review));
        assert_eq!(IntakeStep::Review.next(), None);
    }
}
