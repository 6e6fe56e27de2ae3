//! What a referral may carry: per service, the case fields that service
//! needs (always sent) and those sent only if the survivor chose to share
//! them. Nothing else of the case ever leaves in a referral, and the
//! receiving device refuses a referral that carries a field its service's
//! row does not list.

use crate::error::{Refusal, Rule};
use crate::events::CaseState;
use crate::model::validate::required_text;
use crate::model::{
    ContactMethod, EthnicGroup, Perpetrator, RiskLevel, ServiceType, Sex, ViolenceType,
};
use crate::stats::AgeBand;
use crate::{coded_enum, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A piece of a case that a referral may carry.
    pub enum ReferralField: "referral_field" {
        "The survivor's age band (never the date of birth)." AgeBand = ("age_band", "nhóm tuổi", "age band"),
        "The survivor's sex." Sex = ("sex", "giới tính", "sex"),
        "The incident's date." IncidentDate = ("incident_date", "ngày xảy ra vụ việc", "date of the incident"),
        "The nature of the violence." ViolenceType = ("violence_type", "hình thức bạo lực", "nature of the violence"),
        "Whether the survivor lives with a disability." Disability = ("disability", "khuyết tật", "disability"),
        "The survivor's ethnic group (for language and culture)." EthnicGroup = ("ethnic_group", "dân tộc", "ethnic group"),
        "The survivor's commune of residence." Commune = ("commune", "xã nơi cư trú", "commune of residence"),
        "The current risk level." RiskLevel = ("risk_level", "mức độ nguy cơ", "risk level"),
        "How to reach the survivor safely." SafeContact = ("safe_contact", "cách liên hệ an toàn", "safe way to make contact"),
        "The survivor's name." Name = ("name", "họ tên", "name"),
        "What happened, in the survivor's words." Account = ("account", "diễn biến vụ việc (lời người bị bạo lực)", "what happened, in the survivor's words"),
        "Who committed it: sex, age group, relationship." Perpetrators = ("perpetrators", "người gây bạo lực", "who committed it"),
    }
}

/// Whether a field goes with every referral for a service, or only if the
/// survivor chose to share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Inclusion {
    /// The service cannot act without it.
    Always,
    /// Sent only when the survivor chose it.
    IfChosen,
}

use Inclusion::{Always, IfChosen};
use ReferralField as F;

/// The table: for each service, the fields a referral may carry. A service
/// absent here (a safe shelter: ask its host) takes no referral.
pub fn fields_for(service: ServiceType) -> &'static [(ReferralField, Inclusion)] {
    match service {
        ServiceType::Health => &[
            (F::AgeBand, Always),
            (F::Sex, Always),
            (F::IncidentDate, Always),
            (F::ViolenceType, Always),
            (F::Disability, Always),
            (F::RiskLevel, IfChosen),
            (F::SafeContact, IfChosen),
            (F::EthnicGroup, IfChosen),
        ],
        ServiceType::Psychosocial => &[
            (F::AgeBand, Always),
            (F::Sex, Always),
            (F::ViolenceType, Always),
            (F::SafeContact, IfChosen),
            (F::EthnicGroup, IfChosen),
            (F::Disability, IfChosen),
        ],
        ServiceType::LegalAid => &[
            (F::AgeBand, Always),
            (F::Sex, Always),
            (F::IncidentDate, Always),
            (F::ViolenceType, Always),
            (F::Commune, Always),
            (F::Name, IfChosen),
            (F::SafeContact, IfChosen),
            (F::Account, IfChosen),
            (F::Perpetrators, IfChosen),
            (F::EthnicGroup, IfChosen),
        ],
        // The police receive only what the survivor chose.
        ServiceType::PoliceSecurity => &[
            (F::Name, IfChosen),
            (F::AgeBand, IfChosen),
            (F::Sex, IfChosen),
            (F::IncidentDate, IfChosen),
            (F::ViolenceType, IfChosen),
            (F::Commune, IfChosen),
            (F::RiskLevel, IfChosen),
            (F::Account, IfChosen),
            (F::Perpetrators, IfChosen),
            (F::SafeContact, IfChosen),
        ],
        ServiceType::SocialProtection => &[
            (F::AgeBand, Always),
            (F::Sex, Always),
            (F::Commune, Always),
            (F::Disability, Always),
            (F::Name, IfChosen),
            (F::SafeContact, IfChosen),
            (F::EthnicGroup, IfChosen),
        ],
        ServiceType::Education => &[
            (F::AgeBand, Always),
            (F::Sex, Always),
            (F::Name, IfChosen),
            (F::SafeContact, IfChosen),
        ],
        ServiceType::Livelihood => &[
            (F::AgeBand, Always),
            (F::Sex, Always),
            (F::Commune, Always),
            (F::Name, IfChosen),
            (F::SafeContact, IfChosen),
            (F::EthnicGroup, IfChosen),
            (F::Disability, IfChosen),
        ],
        ServiceType::SafeShelter => &[],
    }
}

/// How `field` goes with a referral for `service`, if it may at all.
pub fn inclusion(service: ServiceType, field: ReferralField) -> Option<Inclusion> {
    fields_for(service)
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, i)| *i)
}

/// The safe way to reach the survivor, as shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SafeContact {
    /// How.
    pub method: Option<ContactMethod>,
    /// When.
    pub time: Option<String>,
    /// Details (the trusted person's phone).
    pub details: Option<String>,
}

/// One piece of a case as a referral carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SharedFact {
    /// The age band.
    AgeBand(AgeBand),
    /// Sex.
    Sex(Sex),
    /// The incident's date.
    IncidentDate(NaiveDate),
    /// The nature of the violence.
    ViolenceType(ViolenceType),
    /// Lives with a disability.
    Disability(bool),
    /// Ethnic group.
    EthnicGroup(EthnicGroup),
    /// Commune of residence (code).
    Commune(String),
    /// The current risk level.
    RiskLevel(RiskLevel),
    /// How to reach the survivor.
    SafeContact(SafeContact),
    /// The survivor's name.
    Name(String),
    /// What happened, in her words.
    Account(String),
    /// Who committed it.
    Perpetrators(Vec<Perpetrator>),
}

impl SharedFact {
    /// Which field it is.
    pub fn field(&self) -> ReferralField {
        match self {
            Self::AgeBand(_) => F::AgeBand,
            Self::Sex(_) => F::Sex,
            Self::IncidentDate(_) => F::IncidentDate,
            Self::ViolenceType(_) => F::ViolenceType,
            Self::Disability(_) => F::Disability,
            Self::EthnicGroup(_) => F::EthnicGroup,
            Self::Commune(_) => F::Commune,
            Self::RiskLevel(_) => F::RiskLevel,
            Self::SafeContact(_) => F::SafeContact,
            Self::Name(_) => F::Name,
            Self::Account(_) => F::Account,
            Self::Perpetrators(_) => F::Perpetrators,
        }
    }

    /// The value of `field` in a case, if the case holds one.
    fn of(state: &CaseState, field: ReferralField) -> Option<Self> {
        let survivor = state.survivor();
        let incident = state.incident();
        let derived = crate::cases::Derived::of(state, &survivor, &incident);
        Some(match field {
            F::AgeBand => Self::AgeBand(AgeBand::for_age(derived.age_at_incident)),
            F::Sex => Self::Sex(survivor.sex),
            F::IncidentDate => Self::IncidentDate(incident.date),
            F::ViolenceType => Self::ViolenceType(incident.violence_type),
            F::Disability => Self::Disability(survivor.disability?),
            F::EthnicGroup => Self::EthnicGroup(survivor.ethnic_group?),
            F::Commune => Self::Commune(survivor.commune),
            F::RiskLevel => Self::RiskLevel(state.effective_risk()?),
            F::SafeContact => {
                if survivor.contact_method.is_none() && survivor.contact_details.is_none() {
                    return None;
                }
                Self::SafeContact(SafeContact {
                    method: survivor.contact_method,
                    time: survivor.contact_time,
                    details: survivor.contact_details,
                })
            }
            F::Name => Self::Name(survivor.name?),
            F::Account => Self::Account(incident.account?),
            F::Perpetrators if incident.perpetrators.is_empty() => return None,
            F::Perpetrators => Self::Perpetrators(incident.perpetrators),
        })
    }

    /// Checks the value's size.
    fn validate(&self) -> Result<()> {
        match self {
            Self::Commune(c) => crate::model::validate_commune("referral.facts", c),
            Self::Name(t) => required_text("referral.facts", t, 120),
            Self::Account(t) => required_text("referral.facts", t, 4_000),
            Self::SafeContact(c) => [&c.time, &c.details]
                .into_iter()
                .flatten()
                .try_for_each(|t| required_text("referral.facts", t, 200)),
            Self::Perpetrators(p) if p.len() > crate::model::MAX_PERPETRATORS => {
                Err(Error::invalid("referral.facts", Rule::TooMany { max: 20 }))
            }
            _ => Ok(()),
        }
    }
}

/// What a referral for `service` carries from `state`: every field the
/// service always needs and the case holds, and those of `chosen` the
/// table allows. A chosen field the service may not receive is refused,
/// never dropped in silence.
pub fn facts_for(
    state: &CaseState,
    service: ServiceType,
    chosen: &[ReferralField],
) -> Result<Vec<SharedFact>> {
    if !takes_referrals(service) {
        return Err(Error::NotAllowed(Refusal::ServiceTakesNoReferral));
    }
    if chosen.iter().any(|f| inclusion(service, *f).is_none()) {
        return Err(Error::NotAllowed(Refusal::FieldNotForService));
    }
    Ok(fields_for(service)
        .iter()
        .filter(|(field, how)| *how == Always || chosen.contains(field))
        .filter_map(|(field, _)| SharedFact::of(state, *field))
        .collect())
}

/// Whether a referral may ask for `service` (the table has a row for it).
pub fn takes_referrals(service: ServiceType) -> bool {
    !fields_for(service).is_empty()
}

/// The fields a referral for `service` carries only if the survivor
/// chooses them, in the table's order.
pub fn optional_fields(service: ServiceType) -> Vec<ReferralField> {
    fields_for(service)
        .iter()
        .filter(|(_, how)| *how == IfChosen)
        .map(|(f, _)| *f)
        .collect()
}

/// Checks, on the receiving device, that `facts` hold only fields the
/// service's row lists, each once and of a sensible size.
pub fn check_facts(service: ServiceType, facts: &[SharedFact]) -> Result<()> {
    for (i, fact) in facts.iter().enumerate() {
        if inclusion(service, fact.field()).is_none() {
            return Err(Error::NotAllowed(Refusal::FieldNotForService));
        }
        if facts[..i].iter().any(|f| f.field() == fact.field()) {
            return Err(Error::invalid("referral.facts", Rule::Duplicate));
        }
        fact.validate()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coded;

    #[test]
    fn every_service_but_shelter_has_a_row_and_police_get_only_what_was_chosen() {
        for service in ServiceType::ALL {
            let row = fields_for(*service);
            assert_eq!(row.is_empty(), *service == ServiceType::SafeShelter);
            for (i, (field, _)) in row.iter().enumerate() {
                assert!(!row[..i].iter().any(|(f, _)| f == field), "{service:?}");
            }
        }
        assert!(fields_for(ServiceType::PoliceSecurity)
            .iter()
            .all(|(_, how)| *how == IfChosen));
        // Health never learns a name or the account.
        assert_eq!(inclusion(ServiceType::Health, F::Name), None);
        assert_eq!(inclusion(ServiceType::Health, F::Account), None);
    }

    #[test]
    fn the_receiver_refuses_a_field_the_service_may_not_receive() {
        let facts = vec![SharedFact::Sex(Sex::Female), SharedFact::Name("X".into())];
        assert!(matches!(
            check_facts(ServiceType::Health, &facts),
            Err(Error::NotAllowed(Refusal::FieldNotForService))
        ));
        check_facts(ServiceType::LegalAid, &facts).unwrap();
        let twice = vec![SharedFact::Sex(Sex::Female), SharedFact::Sex(Sex::Male)];
        assert!(check_facts(ServiceType::Health, &twice).is_err());
    }
}
