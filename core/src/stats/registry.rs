//! The programme registries the provincial officer keeps on the server
//! (training sessions with attendance and training targets, schools,
//! enterprises, the communes' communication activities), and the messages
//! that record them and ask for the annual report. They describe staff,
//! organisations and people reached, never survivors.

use super::activity::CommunicationActivity;
use crate::error::{Refusal, Rule};
use crate::model::validate_commune;
use crate::model::Role;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a provincial training session is held (instead of a commune code).
pub const PROVINCE: &str = "province";
/// Longest name, title or person id accepted, in characters.
const MAX_TEXT: usize = 200;
/// Most attendees of one session.
const MAX_ATTENDEES: usize = 5_000;
/// Most entries of each kind in one update.
pub const MAX_REGISTRY_ENTRIES: usize = 5_000;

/// Who a trainee is, for the 80% trained target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraineeRole {
    /// Village collaborator (cộng tác viên cơ sở).
    Collaborator,
    /// Official, civil servant or public employee doing social work.
    Official,
}

impl TraineeRole {
    /// Stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Self::Collaborator => "collaborator",
            Self::Official => "official",
        }
    }

    /// The role with `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Collaborator, Self::Official]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// One person at a training session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    /// A stable registry id of the person (not a name), so that people
    /// trained twice count once.
    pub person: String,
    /// Commune the person works in (code).
    pub commune: String,
    /// Collaborator or official.
    pub role: TraineeRole,
}

/// A training session (tập huấn, bồi dưỡng) and who attended. A session is
/// identified by its day, place and title: recording it again replaces its
/// attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSession {
    /// Day it was held.
    pub date: NaiveDate,
    /// Commune where it was held (code), or [`PROVINCE`] for a provincial one.
    pub commune: String,
    /// Topic.
    pub title: String,
    /// Who attended.
    pub attendees: Vec<Attendee>,
}

/// How many people of a commune are to be trained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingTarget {
    /// Commune (code).
    pub commune: String,
    /// Collaborators doing social work in the commune.
    pub collaborators: u32,
    /// Officials doing social work in the commune.
    pub officials: u32,
}

/// A school and its GBV prevention and response procedure (identified by
/// commune and name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// Name.
    pub name: String,
    /// Commune (code).
    pub commune: String,
    /// Day it began running the procedure to prevent, detect and respond to
    /// GBV; `None` if it does not yet.
    pub procedure_since: Option<NaiveDate>,
}

/// An enterprise and its workplace anti-harassment rules (identified by
/// commune and name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// Name.
    pub name: String,
    /// Commune (code).
    pub commune: String,
    /// Day it adopted (or integrated) rules against workplace harassment;
    /// `None` if it has not.
    pub rules_since: Option<NaiveDate>,
}

/// Entries of the programme registries: what an officer records (each entry
/// added or replacing the one with the same identity) and what the server
/// lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeRegistries {
    /// Training sessions with attendance.
    #[serde(default)]
    pub training_sessions: Vec<TrainingSession>,
    /// People to train per commune.
    #[serde(default)]
    pub training_targets: Vec<TrainingTarget>,
    /// Schools.
    #[serde(default)]
    pub schools: Vec<School>,
    /// Enterprises.
    #[serde(default)]
    pub enterprises: Vec<Enterprise>,
    /// Communication activities (each identified by its id).
    #[serde(default)]
    pub communication_activities: Vec<CommunicationActivity>,
}

/// How many entries of each kind an update recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryCounts {
    /// Training sessions.
    pub training_sessions: u32,
    /// Attendees of those sessions.
    pub attendees: u32,
    /// Training targets.
    pub training_targets: u32,
    /// Schools.
    pub schools: u32,
    /// Enterprises.
    pub enterprises: u32,
    /// Communication activities.
    #[serde(default)]
    pub communication_activities: u32,
}

fn text(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, Rule::Empty));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(Error::invalid(
            field,
            Rule::TooLong {
                max: MAX_TEXT as u32,
            },
        ));
    }
    Ok(())
}

fn count(field: &str, n: usize, max: usize) -> Result<()> {
    if n > max {
        return Err(Error::invalid(field, Rule::TooMany { max: max as u64 }));
    }
    Ok(())
}

impl ProgrammeRegistries {
    /// Checks every entry: known communes, non-empty bounded names, bounded
    /// sizes. Errors name the field, never its value.
    pub fn validate(&self) -> Result<()> {
        count(
            "training_sessions",
            self.training_sessions.len(),
            MAX_REGISTRY_ENTRIES,
        )?;
        count(
            "training_targets",
            self.training_targets.len(),
            MAX_REGISTRY_ENTRIES,
        )?;
        count("schools", self.schools.len(), MAX_REGISTRY_ENTRIES)?;
        count("enterprises", self.enterprises.len(), MAX_REGISTRY_ENTRIES)?;
        count(
            "communication_activities",
            self.communication_activities.len(),
            MAX_REGISTRY_ENTRIES,
        )?;
        for activity in &self.communication_activities {
            activity.check_shape()?;
        }
        for (i, s) in self.training_sessions.iter().enumerate() {
            let at = format!("training_sessions[{i}]");
            if s.commune != PROVINCE {
                validate_commune(&format!("{at}.commune"), &s.commune)?;
            }
            text(&format!("{at}.title"), &s.title)?;
            count(&format!("{at}.attendees"), s.attendees.len(), MAX_ATTENDEES)?;
            for (j, a) in s.attendees.iter().enumerate() {
                text(&format!("{at}.attendees[{j}].person"), &a.person)?;
                validate_commune(&format!("{at}.attendees[{j}].commune"), &a.commune)?;
            }
        }
        for (i, t) in self.training_targets.iter().enumerate() {
            validate_commune(&format!("training_targets[{i}].commune"), &t.commune)?;
        }
        for (i, s) in self.schools.iter().enumerate() {
            validate_commune(&format!("schools[{i}].commune"), &s.commune)?;
            text(&format!("schools[{i}].name"), &s.name)?;
        }
        for (i, e) in self.enterprises.iter().enumerate() {
            validate_commune(&format!("enterprises[{i}].commune"), &e.commune)?;
            text(&format!("enterprises[{i}].name"), &e.name)?;
        }
        Ok(())
    }
}

impl ProgrammeRegistries {
    /// Whether a device of `role` enrolled for `commune` may record these
    /// entries. The officer records anything; a commune case manager the
    /// training sessions held in the commune (with their attendance) and the
    /// commune's communication activities; a collaborator or a school
    /// counselor only the commune's communication activities; a shelter
    /// host nothing.
    pub fn check_commune_scope(
        &self,
        role: Role,
        commune: &str,
    ) -> std::result::Result<(), Refusal> {
        let institutions = !(self.training_targets.is_empty()
            && self.schools.is_empty()
            && self.enterprises.is_empty());
        match role {
            Role::ProvincialOfficer => return Ok(()),
            Role::CommuneCaseManager if institutions => return Err(Refusal::OnlyTrainingSessions),
            Role::CommuneCaseManager => {}
            Role::Collaborator | Role::SchoolCounselor => {
                if institutions || !self.training_sessions.is_empty() {
                    return Err(Refusal::OnlyCommunicationActivities);
                }
            }
            Role::ShelterHost | Role::ServiceProvider => {
                return Err(Refusal::OnlyCommunicationActivities)
            }
        }
        if self.training_sessions.iter().any(|s| s.commune != commune) {
            return Err(Refusal::SessionOfOtherCommune);
        }
        if self
            .communication_activities
            .iter()
            .any(|a| a.commune != commune)
        {
            return Err(Refusal::ActivityOfOtherCommune);
        }
        Ok(())
    }

    /// What a commune case manager of `commune` sees: the training sessions
    /// held in that commune, with their attendance, and its communication
    /// activities.
    pub fn of_commune(self, commune: &str) -> Self {
        Self {
            training_sessions: self
                .training_sessions
                .into_iter()
                .filter(|s| s.commune == commune)
                .collect(),
            communication_activities: self
                .communication_activities
                .into_iter()
                .filter(|a| a.commune == commune)
                .collect(),
            ..Self::default()
        }
    }
}

/// What the server lists of the registries: the entries a device's role
/// may see and, for the provincial officer, the months of school procedure
/// use ([`super::school_use`]), which show whether a school runs its
/// procedure from what its counselors record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryListing {
    /// The entries.
    pub entries: ProgrammeRegistries,
    /// Months of school procedure use (empty but for the officer).
    pub school_use: Vec<super::school_use::SchoolInUse>,
}

/// The file format of an annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// An XLSX workbook: a cover sheet in Vietnamese, one sheet per table.
    Xlsx,
    /// CSV, one line per published value.
    Csv,
    /// The report as JSON, with the disclosure audit.
    Json,
}

impl ReportFormat {
    /// The format with `code` (`xlsx`, `csv`, `json`).
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Xlsx, Self::Csv, Self::Json]
            .into_iter()
            .find(|f| f.extension() == code)
    }

    /// File extension, which is also its code.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
        }
    }
}

/// A provincial officer asks for the annual report of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    /// The report year.
    pub year: i32,
    /// The file format.
    pub format: ReportFormat,
    /// Disclosure threshold (counts from 1 to threshold − 1 are suppressed);
    /// `None` for the default, 5.
    pub threshold: Option<u32>,
    /// The first month of the report's period (see
    /// [`super::ReportPeriod`]); `None` for the default, December of the
    /// year before.
    pub first_month: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(commune: &str) -> TrainingSession {
        TrainingSession {
            date: NaiveDate::from_ymd_opt(2026, 5, 10).expect("day"),
            commune: commune.into(),
            title: "Tập huấn (synthetic)".into(),
            attendees: vec![Attendee {
                person: "SYN-1".into(),
                commune: commune.into(),
                role: TraineeRole::Collaborator,
            }],
        }
    }

    #[test]
    fn a_manager_records_only_the_sessions_of_the_commune() {
        let own = ProgrammeRegistries {
            training_sessions: vec![session("pa_u")],
            ..Default::default()
        };
        assert_eq!(
            own.check_commune_scope(Role::CommuneCaseManager, "pa_u"),
            Ok(())
        );
        assert_eq!(
            own.check_commune_scope(Role::CommuneCaseManager, "mu_ca"),
            Err(Refusal::SessionOfOtherCommune)
        );
        let province = ProgrammeRegistries {
            training_sessions: vec![session(PROVINCE)],
            ..Default::default()
        };
        assert_eq!(
            province.check_commune_scope(Role::CommuneCaseManager, "pa_u"),
            Err(Refusal::SessionOfOtherCommune)
        );
        let school = ProgrammeRegistries {
            schools: vec![School {
                name: "Trường (synthetic)".into(),
                commune: "pa_u".into(),
                procedure_since: None,
            }],
            ..own.clone()
        };
        assert_eq!(
            school.check_commune_scope(Role::CommuneCaseManager, "pa_u"),
            Err(Refusal::OnlyTrainingSessions)
        );
        let both = ProgrammeRegistries {
            training_sessions: vec![session("pa_u"), session("mu_ca")],
            schools: school.schools.clone(),
            ..Default::default()
        };
        let seen = both.of_commune("pa_u");
        assert_eq!(seen.training_sessions, vec![session("pa_u")]);
        assert!(seen.schools.is_empty());
    }

    #[test]
    fn collaborators_and_counselors_record_only_the_activities_of_their_commune() {
        let mut activity = crate::stats::activity::tests::meeting();
        activity.commune = "pa_u".into();
        let own = ProgrammeRegistries {
            communication_activities: vec![activity],
            ..Default::default()
        };
        for role in [
            Role::Collaborator,
            Role::SchoolCounselor,
            Role::CommuneCaseManager,
        ] {
            assert_eq!(own.check_commune_scope(role, "pa_u"), Ok(()));
            assert_eq!(
                own.check_commune_scope(role, "mu_ca"),
                Err(Refusal::ActivityOfOtherCommune)
            );
        }
        assert_eq!(
            own.check_commune_scope(Role::ShelterHost, "pa_u"),
            Err(Refusal::OnlyCommunicationActivities)
        );
        let with_session = ProgrammeRegistries {
            training_sessions: vec![session("pa_u")],
            ..own.clone()
        };
        assert_eq!(
            with_session.check_commune_scope(Role::Collaborator, "pa_u"),
            Err(Refusal::OnlyCommunicationActivities)
        );
        assert_eq!(
            own.clone()
                .of_commune("pa_u")
                .communication_activities
                .len(),
            1,
            "a manager lists the commune's activities"
        );
        assert!(own.of_commune("mu_ca").communication_activities.is_empty());
    }
}
