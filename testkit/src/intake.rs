//! Synthetic case intake forms for tests, benchmarks and the demos:
//! [`synthetic`] for a plain form, [`varied`] for one whose columns change
//! with its index, and [`Builder`] for the variations a test needs. Every
//! code, name and account is made up and says so.

use binhan_core::cases::CaseIntake;
use binhan_core::model::{
    Consent, ConsentGiver, ConsentScope, ContextFlag, EthnicGroup, Incident, PlaceType,
    RiskAssessment, RiskLevel, Sex, Survivor, TimeOfDay, ViolenceType,
};
use chrono::{Days, NaiveDate};

/// Communes the varied forms rotate through.
const COMMUNES: [&str; 4] = ["mu_ca", "sin_ho", "tan_phong", "than_uyen"];

/// The `i`-th plain synthetic form: survivor `SYN-{i:05}` in Mù Cả, an
/// incident reported on `today`, nothing else.
pub fn synthetic(i: usize, today: NaiveDate) -> CaseIntake {
    Builder::new(i, today).build()
}

/// The `i`-th form of a varied set: see [`Builder::varied`].
pub fn varied(i: usize, today: NaiveDate) -> CaseIntake {
    Builder::varied(i, today).build()
}

/// A consent to statistics given by the survivor.
pub fn statistics_consent() -> Consent {
    Consent {
        scope: ConsentScope::Statistics,
        granted: true,
        given_by: ConsentGiver::Survivor,
    }
}

/// Builds a synthetic form step by step, starting from [`synthetic`]'s.
/// Fields it has no method for can be set on the built [`CaseIntake`].
#[derive(Debug, Clone)]
pub struct Builder(CaseIntake);

impl Builder {
    /// The plain form of [`synthetic`].
    pub fn new(i: usize, today: NaiveDate) -> Self {
        Self(CaseIntake {
            survivor: Survivor {
                code: format!("SYN-{i:05}"),
                sex: Sex::Female,
                commune: COMMUNES[0].into(),
                ..Survivor::default()
            },
            incident: Incident {
                date: today,
                reported_on: today,
                commune: COMMUNES[0].into(),
                account: Some("Synthetic account.".into()),
                ..Incident::default()
            },
            risk: None,
            safety_plan: None,
            consents: vec![],
            services: vec![],
            next_follow_up: None,
        })
    }

    /// The `i`-th form of a varied set (age, ethnic group, commune, kind
    /// of violence and the incident's day change with `i`), with a medium
    /// risk assessed `today`, consent to statistics and a follow-up in a
    /// week.
    pub fn varied(i: usize, today: NaiveDate) -> Self {
        let commune = COMMUNES[i % COMMUNES.len()];
        let incident_day = today
            .checked_sub_days(Days::new(3 + (i % 30) as u64))
            .unwrap_or(today);
        Self::new(i, today)
            .age(Some(14 + (i * 7 % 40) as u8))
            .ethnic_group(Some(
                [EthnicGroup::Mong, EthnicGroup::Thai, EthnicGroup::Dao][i % 3],
            ))
            .commune(commune)
            .incident_on(incident_day, today)
            .violence(
                [
                    ViolenceType::PhysicalAssault,
                    ViolenceType::PsychologicalAbuse,
                ][i % 2],
            )
            .at_home_in_the_evening()
            .risk(RiskLevel::Medium, today)
            .statistics_consent()
            .next_follow_up(today.checked_add_days(Days::new(7)))
    }

    /// The survivor's code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.0.survivor.code = code.into();
        self
    }

    /// The survivor's (synthetic) name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.survivor.name = Some(name.into());
        self
    }

    /// The survivor's (synthetic) village.
    pub fn village(mut self, village: impl Into<String>) -> Self {
        self.0.survivor.village = Some(village.into());
        self
    }

    /// The survivor's age in years.
    pub fn age(mut self, years: Option<u8>) -> Self {
        self.0.survivor.age_years = years;
        self
    }

    /// The survivor's ethnic group.
    pub fn ethnic_group(mut self, group: Option<EthnicGroup>) -> Self {
        self.0.survivor.ethnic_group = group;
        self
    }

    /// The commune of both the survivor and the incident.
    pub fn commune(mut self, commune: &str) -> Self {
        self.0.survivor.commune = commune.into();
        self.0.incident.commune = commune.into();
        self
    }

    /// The day of the incident and the day it was reported.
    pub fn incident_on(mut self, date: NaiveDate, reported_on: NaiveDate) -> Self {
        self.0.incident.date = date;
        self.0.incident.reported_on = reported_on;
        self
    }

    /// The (synthetic) account of the incident.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.0.incident.account = Some(account.into());
        self
    }

    /// The kind of violence.
    pub fn violence(mut self, violence: ViolenceType) -> Self {
        self.0.incident.violence_type = violence;
        self
    }

    /// An incident at the survivor's home, in the evening, within the
    /// family.
    pub fn at_home_in_the_evening(mut self) -> Self {
        self.0.incident.time_of_day = TimeOfDay::EveningNight;
        self.0.incident.place_type = PlaceType::SurvivorHome;
        self.0.incident.contexts = vec![ContextFlag::IntimatePartnerFamily];
        self
    }

    /// A first risk assessment at `level`, without factors.
    pub fn risk(mut self, level: RiskLevel, assessed_on: NaiveDate) -> Self {
        self.0.risk = Some(RiskAssessment {
            level,
            factors: vec![],
            assessed_on,
        });
        self
    }

    /// Adds the survivor's consent to statistics.
    pub fn statistics_consent(self) -> Self {
        self.consent(statistics_consent())
    }

    /// Adds a consent decision.
    pub fn consent(mut self, consent: Consent) -> Self {
        self.0.consents.push(consent);
        self
    }

    /// The day of the first follow-up.
    pub fn next_follow_up(mut self, day: Option<NaiveDate>) -> Self {
        self.0.next_follow_up = day;
        self
    }

    /// The form.
    pub fn build(self) -> CaseIntake {
        self.0
    }
}
