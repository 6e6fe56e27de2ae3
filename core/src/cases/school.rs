//! The school procedure: what a school must do when a student experiences
//! gender-based violence — detection, a report to the principal, informing
//! the family unless that puts the child at risk, referral, follow-up —
//! recorded step by step on a student's case, each step only after the
//! ones it follows.

use crate::error::Refusal;
use crate::events::{CaseState, Change};
use crate::model::validate::{optional_text, past_date, required_text};
use crate::model::{caregiver_is_perpetrator, Coded};
use crate::{coded_enum, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A step of the school procedure.
    pub enum SchoolStep: "school_step" {
        "The school detected the violence." Detected = ("detected", "phát hiện", "detected"),
        "Reported to the principal." ReportedToPrincipal = ("reported_to_principal", "báo cáo hiệu trưởng", "reported to the principal"),
        "The family was informed." FamilyInformed = ("family_informed", "thông báo cho gia đình", "family informed"),
        "The family was not informed: it would put the child at risk (the reason is recorded)." FamilyNotInformed = ("family_not_informed", "không thông báo gia đình vì có thể gây nguy hiểm cho trẻ", "family not informed: it would put the child at risk"),
        "Referred to support services." Referred = ("referred", "chuyển gửi đến dịch vụ hỗ trợ", "referred to support services"),
        "Followed up." FollowedUp = ("followed_up", "theo dõi sau hỗ trợ", "followed up"),
    }
}

impl SchoolStep {
    /// The steps that must be recorded before this one: at least one of
    /// each group.
    fn after(self) -> &'static [&'static [SchoolStep]] {
        use SchoolStep::*;
        match self {
            Detected => &[],
            ReportedToPrincipal => &[&[Detected]],
            FamilyInformed | FamilyNotInformed => &[&[ReportedToPrincipal]],
            Referred => &[&[FamilyInformed, FamilyNotInformed]],
            FollowedUp => &[&[Referred]],
        }
    }

    /// Whether it is recorded once only (a follow-up may repeat).
    fn once(self) -> bool {
        self != SchoolStep::FollowedUp
    }
}

/// One step as recorded on the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SchoolProcedureStep {
    /// The step.
    pub step: SchoolStep,
    /// Its day.
    pub on: NaiveDate,
    /// A remark; for a family not informed, why (required).
    pub note: Option<String>,
}

/// Where a student's case stands in the procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SchoolProcedure {
    /// The steps recorded, in order.
    pub done: Vec<SchoolProcedureStep>,
    /// The steps that may be recorded now.
    pub next: Vec<SchoolStep>,
    /// Every step of the procedure is recorded (detection to follow-up).
    pub complete: bool,
}

impl SchoolProcedure {
    /// The procedure of `state`'s case; `None` for a survivor not recorded
    /// as a student.
    pub fn of(state: &CaseState) -> Option<Self> {
        if state.survivor().student != Some(true) {
            return None;
        }
        let done = state.school_steps();
        let recorded: Vec<SchoolStep> = done.iter().map(|s| s.step).collect();
        let at_risk = caregiver_is_perpetrator(&state.incident().perpetrators);
        let next = SchoolStep::ALL
            .iter()
            .copied()
            .filter(|s| allowed(*s, &recorded, at_risk).is_ok())
            .collect();
        let family = [SchoolStep::FamilyInformed, SchoolStep::FamilyNotInformed];
        let complete = SchoolStep::ALL
            .iter()
            .filter(|s| !family.contains(s))
            .all(|s| recorded.contains(s))
            && recorded.iter().any(|s| family.contains(s));
        Some(Self {
            done,
            next,
            complete,
        })
    }
}

/// Whether `step` may follow the steps `recorded`; `at_risk` when an alleged
/// perpetrator is the child's parent or caregiver.
fn allowed(step: SchoolStep, recorded: &[SchoolStep], at_risk: bool) -> Result<()> {
    let family = [SchoolStep::FamilyInformed, SchoolStep::FamilyNotInformed];
    let repeated = recorded.contains(&step)
        || family.contains(&step) && recorded.iter().any(|r| family.contains(r));
    if step.once() && repeated {
        return Err(Error::NotAllowed(Refusal::SchoolStepOutOfOrder { step }));
    }
    let missing = step
        .after()
        .iter()
        .any(|group| !group.iter().any(|s| recorded.contains(s)));
    if missing {
        return Err(Error::NotAllowed(Refusal::SchoolStepOutOfOrder { step }));
    }
    if step == SchoolStep::FamilyInformed && at_risk {
        return Err(Error::NotAllowed(Refusal::FamilyPutsChildAtRisk));
    }
    Ok(())
}

/// The change that records `step` on `state`'s case: a student's open case,
/// the steps before it recorded, the family never informed when a parent or
/// caregiver is an alleged perpetrator, and why it was not informed.
pub(crate) fn plan_school_step(
    state: &CaseState,
    step: SchoolProcedureStep,
    today: NaiveDate,
) -> Result<Vec<Change>> {
    let Some(procedure) = SchoolProcedure::of(state) else {
        return Err(Error::NotAllowed(Refusal::NotASchoolCase));
    };
    past_date("school_step.on", step.on, today)?;
    match step.step {
        SchoolStep::FamilyNotInformed => required_text(
            "school_step.note",
            step.note.as_deref().unwrap_or(""),
            1_000,
        )?,
        _ => optional_text("school_step.note", step.note.as_deref(), 1_000)?,
    }
    let recorded: Vec<SchoolStep> = procedure.done.iter().map(|s| s.step).collect();
    let at_risk = caregiver_is_perpetrator(&state.incident().perpetrators);
    allowed(step.step, &recorded, at_risk)?;
    Ok(vec![Change::SchoolStep(step)])
}

#[cfg(test)]
mod tests {
    use super::SchoolStep::*;
    use super::*;

    #[test]
    fn steps_follow_the_procedure_and_spare_a_child_at_risk() {
        let refused = |step, recorded: &[SchoolStep], at_risk| {
            matches!(allowed(step, recorded, at_risk), Err(Error::NotAllowed(_)))
        };
        assert!(allowed(Detected, &[], false).is_ok());
        assert!(refused(ReportedToPrincipal, &[], false));
        assert!(allowed(ReportedToPrincipal, &[Detected], false).is_ok());
        assert!(refused(Detected, &[Detected], false), "once");
        let reported = [Detected, ReportedToPrincipal];
        assert!(allowed(FamilyInformed, &reported, false).is_ok());
        assert!(matches!(
            allowed(FamilyInformed, &reported, true),
            Err(Error::NotAllowed(Refusal::FamilyPutsChildAtRisk))
        ));
        assert!(allowed(FamilyNotInformed, &reported, true).is_ok());
        let told = [Detected, ReportedToPrincipal, FamilyNotInformed];
        assert!(refused(FamilyInformed, &told, false), "one family step");
        assert!(refused(FollowedUp, &told, false));
        let referred = [Detected, ReportedToPrincipal, FamilyNotInformed, Referred];
        assert!(allowed(FollowedUp, &referred, false).is_ok());
        let followed = [
            Detected,
            ReportedToPrincipal,
            FamilyNotInformed,
            Referred,
            FollowedUp,
        ];
        assert!(
            allowed(FollowedUp, &followed, false).is_ok(),
            "follow-ups repeat"
        );
    }

    /// Through the case: only a student's case, the family step refused
    /// while a parent is accused, and the reason for not informing them
    /// required; the procedure is complete once followed up.
    #[test]
    fn a_student_s_case_records_the_procedure_to_its_end() {
        use crate::cases::CaseIntake;
        use crate::events::{Event, Hlc};
        use crate::model::{
            sample_incident, sample_survivor, CaseId, DeviceId, Perpetrator, Relationship,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day");
        let author = DeviceId([3; 16]);
        let case_id = CaseId([4; 16]);
        let mut events: Vec<Event> = Vec::new();
        let push = |changes: Vec<Change>, events: &mut Vec<Event>| {
            let hlc = Hlc::from_wall_ms(1_800_000_000_000 + events.len() as u64);
            events.push(Event {
                id: Event::id_for(author, hlc),
                case_id,
                hlc,
                author,
                changes,
            });
            CaseState::fold(case_id, events.iter())
        };
        let mut survivor = sample_survivor();
        let school = survivor.school.take();
        survivor.student = Some(false);
        let mut incident = sample_incident();
        incident.perpetrators = vec![Perpetrator {
            sex: crate::model::Sex::Male,
            age_group: Default::default(),
            relationship: Relationship::ParentCaregiver,
        }];
        let intake = CaseIntake {
            survivor,
            incident,
            risk: None,
            safety_plan: None,
            consents: vec![],
            services: vec![],
            next_follow_up: None,
        };
        let state = push(intake.into_changes(today).expect("intake"), &mut events);
        let step = |step, note: Option<&str>| SchoolProcedureStep {
            step,
            on: today,
            note: note.map(String::from),
        };
        assert!(matches!(
            plan_school_step(&state, step(Detected, None), today),
            Err(Error::NotAllowed(Refusal::NotASchoolCase))
        ));
        let mut student = state.survivor();
        student.student = Some(true);
        student.school = school;
        let changes = student_changes(&state, student);
        let mut state = push(changes, &mut events);
        assert_eq!(
            SchoolProcedure::of(&state).expect("a student").next,
            [Detected]
        );
        for next in [Detected, ReportedToPrincipal] {
            let changes = plan_school_step(&state, step(next, None), today).expect("in order");
            state = push(changes, &mut events);
        }
        assert!(matches!(
            plan_school_step(&state, step(FamilyInformed, None), today),
            Err(Error::NotAllowed(Refusal::FamilyPutsChildAtRisk))
        ));
        assert!(plan_school_step(&state, step(FamilyNotInformed, None), today).is_err());
        let why = Some("Cha là người bị nghi gây bạo lực (tổng hợp)");
        for (next, note) in [
            (FamilyNotInformed, why),
            (Referred, None),
            (FollowedUp, None),
        ] {
            let changes = plan_school_step(&state, step(next, note), today).expect("in order");
            state = push(changes, &mut events);
        }
        let procedure = SchoolProcedure::of(&state).expect("a student");
        assert!(procedure.complete);
        assert_eq!(procedure.done.len(), 5);
        assert_eq!(procedure.next, [FollowedUp]);
    }

    fn student_changes(state: &CaseState, student: crate::model::Survivor) -> Vec<Change> {
        state
            .survivor()
            .changed_fields(&student)
            .into_iter()
            .map(Change::Survivor)
            .collect()
    }
}
