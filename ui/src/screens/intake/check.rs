//! Checks every field of the intake form at once and builds core's
//! [`CaseIntake`] from it. The rules are core's own (lengths, codes, dates
//! not in the future, age against the date of birth, a school only for a
//! student, consent before sharing); here they become one coded problem per
//! field, so the person sees every error with its field, in their language.

use super::spec::{IntakeField as F, Kind};
use super::text::Problem;
use super::IntakeForm;
use binhan_core::cases::CaseIntake;
use binhan_core::model::{
    caregiver_is_perpetrator, years_between, Coded, Consent, ConsentGiver, ConsentScope, Incident,
    Perpetrator, RiskAssessment, SafetyPlan, Survivor,
};
use chrono::NaiveDate;

/// Problems by field and row.
pub(crate) type Problems = Vec<(F, u32, Problem)>;

/// Most safety-plan steps and characters in one (core's limits).
const MAX_STEPS: usize = 30;
const MAX_STEP_CHARS: usize = 500;

/// A day typed as `2026-11-20` (what date pickers send) or `20/11/2026`
/// (what people type in Vietnam); `None` for nothing typed.
pub(crate) fn date(text: &str) -> Result<Option<NaiveDate>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| Problem::BadDate)
}

/// Reads the form's fields, noting a problem for each that is wrong.
struct Reader<'a> {
    form: &'a IntakeForm,
    today: NaiveDate,
    problems: Problems,
}

impl Reader<'_> {
    fn problem(&mut self, field: F, row: u32, problem: Problem) {
        if !self
            .problems
            .iter()
            .any(|(f, r, _)| *f == field && *r == row)
        {
            self.problems.push((field, row, problem));
        }
    }

    /// The trimmed text of a shown field, `None` if empty; notes a missing
    /// required value and a value too long.
    fn text(&mut self, field: F, row: u32) -> Option<String> {
        if !self.form.is_shown(field, row) {
            return None;
        }
        let value = self.form.get(field, row).trim();
        let spec = field.spec();
        if value.is_empty() {
            if spec.required {
                self.problem(field, row, Problem::Required);
            }
            return None;
        }
        match spec.kind {
            Kind::Text { max, .. } | Kind::Code { max } if value.chars().count() > max => {
                self.problem(field, row, Problem::TooLong { max });
            }
            Kind::Code { .. }
                if !value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')) =>
            {
                self.problem(field, row, Problem::BadCode);
            }
            _ => {}
        }
        Some(value.to_string())
    }

    /// A day that is not in the future.
    fn past_date(&mut self, field: F, row: u32) -> Option<NaiveDate> {
        let text = self.text(field, row)?;
        match date(&text) {
            Ok(Some(day)) if day > self.today => {
                self.problem(field, row, Problem::InFuture);
                None
            }
            Ok(day) => day,
            Err(problem) => {
                self.problem(field, row, problem);
                None
            }
        }
    }

    fn choice<T: Coded>(&mut self, field: F, row: u32) -> Option<T> {
        let code = self.text(field, row)?;
        let value = T::from_code(&code);
        if value.is_none() {
            self.problem(field, row, Problem::UnknownChoice);
        }
        value
    }

    fn choices<T: Coded>(&mut self, field: F, row: u32) -> Vec<T> {
        self.form
            .codes(field, row)
            .into_iter()
            .filter_map(T::from_code)
            .collect()
    }

    fn yes_no(&mut self, field: F, row: u32) -> Option<bool> {
        match self.text(field, row)?.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                self.problem(field, row, Problem::UnknownChoice);
                None
            }
        }
    }

    fn survivor(&mut self) -> Option<Survivor> {
        let code = self.text(F::SurvivorCode, 0);
        let sex = self.choice(F::Sex, 0);
        let date_of_birth = self.past_date(F::DateOfBirth, 0);
        let age_years = self.text(F::AgeYears, 0).and_then(|t| {
            if !t.chars().all(|c| c.is_ascii_digit()) {
                self.problem(F::AgeYears, 0, Problem::BadNumber);
                return None;
            }
            match t.parse::<u8>() {
                Ok(age) if age <= 120 => Some(age),
                _ => {
                    self.problem(F::AgeYears, 0, Problem::AgeTooHigh);
                    None
                }
            }
        });
        if let (Some(dob), Some(age)) = (date_of_birth, age_years) {
            if years_between(dob, self.today).abs_diff(u32::from(age)) > 1 {
                self.problem(F::AgeYears, 0, Problem::AgeDisagrees);
            }
        }
        let student = self.yes_no(F::Student, 0);
        let survivor = Survivor {
            code: code.unwrap_or_default(),
            name: self.text(F::SurvivorName, 0),
            sex: sex.unwrap_or_default(),
            date_of_birth,
            age_years,
            age_estimated: self.yes_no(F::AgeEstimated, 0) == Some(true),
            ethnic_group: self.choice(F::EthnicGroup, 0),
            disability: self.yes_no(F::Disability, 0),
            migrant_worker: self.yes_no(F::MigrantWorker, 0),
            student,
            school: self.text(F::School, 0),
            marital_status: self.choice(F::MaritalStatus, 0),
            commune: self.choice_code(F::Commune).unwrap_or_default(),
            village: self.text(F::Village, 0),
            contact_method: self.choice(F::ContactMethod, 0),
            contact_time: self.text(F::ContactTime, 0),
            contact_details: self.text(F::ContactDetails, 0),
        };
        sex.map(|_| survivor)
    }

    /// A commune's code, checked against the province's list.
    fn choice_code(&mut self, field: F) -> Option<String> {
        let code = self.text(field, 0)?;
        if binhan_core::model::commune(&code).is_none() {
            self.problem(field, 0, Problem::UnknownChoice);
            return None;
        }
        Some(code)
    }

    fn incident(&mut self) -> Option<Incident> {
        let date = self.past_date(F::IncidentDate, 0);
        let reported_on = self.past_date(F::ReportedOn, 0);
        if let (Some(date), Some(reported)) = (date, reported_on) {
            if reported < date {
                self.problem(F::ReportedOn, 0, Problem::BeforeIncident);
            }
        }
        let place_type = self.choice(F::PlaceType, 0);
        let commune = self.choice_code(F::IncidentCommune);
        let violence_type = self.choice(F::ViolenceType, 0);
        let mut perpetrators = Vec::new();
        for row in 0..self.form.perpetrators {
            let sex = self.choice(F::PerpetratorSex, row);
            let age_group = self.choice(F::PerpetratorAgeGroup, row);
            let relationship = self.choice(F::PerpetratorRelationship, row);
            perpetrators.push(Perpetrator {
                sex: sex.unwrap_or_default(),
                age_group: age_group.unwrap_or_default(),
                relationship: relationship.unwrap_or_default(),
            });
        }
        let incident = Incident {
            date: date?,
            time_of_day: self.choice(F::TimeOfDay, 0).unwrap_or_default(),
            place_type: place_type?,
            commune: commune?,
            account: self.text(F::Account, 0),
            violence_type: violence_type?,
            contexts: self.choices(F::Contexts, 0),
            perpetrators,
            reported_elsewhere: self.yes_no(F::ReportedElsewhere, 0),
            previous_incidents: self.yes_no(F::PreviousIncidents, 0),
            reported_on: reported_on?,
        };
        Some(incident)
    }

    fn risk(&mut self) -> (Option<RiskAssessment>, Option<SafetyPlan>) {
        let level = self.choice(F::RiskLevel, 0);
        let factors = self.choices(F::RiskFactors, 0);
        if level.is_none() && !factors.is_empty() {
            self.problem(F::RiskLevel, 0, Problem::RiskLevelNeeded);
        }
        let risk = level.map(|level| RiskAssessment {
            level,
            factors,
            assessed_on: self.today,
        });
        let steps: Vec<String> = self
            .text(F::SafetySteps, 0)
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if steps.len() > MAX_STEPS {
            self.problem(F::SafetySteps, 0, Problem::TooManySteps { max: MAX_STEPS });
        } else if steps.iter().any(|s| s.chars().count() > MAX_STEP_CHARS) {
            self.problem(
                F::SafetySteps,
                0,
                Problem::TooLong {
                    max: MAX_STEP_CHARS,
                },
            );
        }
        let plan = SafetyPlan {
            safe_place: self.text(F::SafePlace, 0),
            trusted_person: self.text(F::TrustedPerson, 0),
            warning_signal: self.text(F::WarningSignal, 0),
            steps,
            reviewed_on: self.today,
        };
        let empty = plan.safe_place.is_none()
            && plan.trusted_person.is_none()
            && plan.warning_signal.is_none()
            && plan.steps.is_empty();
        (risk, (!empty).then_some(plan))
    }

    fn consents(&mut self, perpetrators: &[Perpetrator]) -> Vec<Consent> {
        let child = self.form.is_child();
        let given_by = if self.form.is_shown(F::ConsentGivenBy, 0) {
            self.choice(F::ConsentGivenBy, 0)
                .unwrap_or(ConsentGiver::Survivor)
        } else {
            ConsentGiver::Survivor
        };
        if given_by == ConsentGiver::Caregiver {
            if child == Some(false) {
                self.problem(F::ConsentGivenBy, 0, Problem::AdultConsentsHerself);
            } else if caregiver_is_perpetrator(perpetrators) {
                // The plan's rule: a caregiver who is the alleged
                // perpetrator cannot consent for the child.
                self.problem(F::ConsentGivenBy, 0, Problem::CaregiverIsPerpetrator);
            }
        }
        let mut consents = Vec::new();
        if let Some(granted) = self.yes_no(F::StatisticsConsent, 0) {
            consents.push(Consent {
                scope: ConsentScope::Statistics,
                granted,
                given_by,
            });
        }
        for row in 0..self.form.consents {
            let service = self.choice(F::ConsentService, row);
            let recipient = self.text(F::ConsentRecipient, row);
            let granted = self.yes_no(F::ConsentGranted, row);
            let (Some(service), Some(recipient), Some(granted)) = (service, recipient, granted)
            else {
                continue;
            };
            let scope = ConsentScope::Service { service, recipient };
            // Recipients are compared as core compares them everywhere.
            if consents.iter().any(|c| c.scope.same_as(&scope)) {
                self.problem(F::ConsentRecipient, row, Problem::DuplicateConsent);
                continue;
            }
            consents.push(Consent {
                scope,
                granted,
                given_by,
            });
        }
        consents
    }

    fn next_follow_up(&mut self) -> Option<NaiveDate> {
        let text = self.text(F::NextFollowUp, 0)?;
        match date(&text) {
            Ok(Some(day)) if day < self.today => {
                self.problem(F::NextFollowUp, 0, Problem::FollowUpInPast);
                None
            }
            Ok(day) => day,
            Err(problem) => {
                self.problem(F::NextFollowUp, 0, problem);
                None
            }
        }
    }
}

impl IntakeForm {
    /// The case as core records it, or every problem of the form.
    pub(crate) fn build(&self, today: NaiveDate) -> Result<CaseIntake, Problems> {
        let mut r = Reader {
            form: self,
            today,
            problems: Vec::new(),
        };
        let survivor = r.survivor();
        let incident = r.incident();
        let (risk, safety_plan) = r.risk();
        let perpetrators = incident
            .as_ref()
            .map(|i| i.perpetrators.clone())
            .unwrap_or_default();
        let consents = r.consents(&perpetrators);
        let next_follow_up = r.next_follow_up();
        match (survivor, incident) {
            (Some(survivor), Some(incident)) if r.problems.is_empty() => Ok(CaseIntake {
                survivor,
                incident,
                risk,
                safety_plan,
                consents,
                services: Vec::new(),
                next_follow_up,
            }),
            _ => Err(r.problems),
        }
    }

    /// Every problem of the form (none when it can be saved).
    pub(crate) fn problems(&self, today: NaiveDate) -> Problems {
        self.build(today).err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_pickers_send_them_and_as_people_type_them() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(date("2026-11-20"), Ok(Some(day)));
        assert_eq!(date(" 20/11/2026 "), Ok(Some(day)));
        assert_eq!(date(""), Ok(None));
        assert_eq!(date("31/02/2026"), Err(Problem::BadDate));
        assert_eq!(date("yesterday"), Err(Problem::BadDate));
    }
}
