//! Synthetic cases for the benchmarks: an intake and ten edits (notes,
//! follow-ups, field updates, risk assessments, services, safety plans),
//! and the same case as a plain JSON document after each step, for the
//! CouchDB-style baseline. Every word is synthetic.

use crate::Rng;
use binhan_core::cases::{CaseAction, CaseIntake};
use binhan_core::model::{
    AgeGroup, Closure, ClosureChecklist, ClosureReason, Consent, ConsentGiver, ConsentScope,
    ContactMethod, ContextFlag, EthnicGroup, FollowUp, GoalProgress, GoalStatus, Incident,
    MaritalStatus, Note, Perpetrator, PlaceType, Relationship, RiskAssessment, RiskFactor,
    RiskLevel, SafetyPlan, ServiceOutcome, ServiceRecord, ServiceType, Sex, Survivor, TimeOfDay,
    ViolenceType,
};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// A closing with every item of the checklist confirmed: the needs met.
pub fn complete_closure() -> Closure {
    Closure {
        reason: ClosureReason::NeedsMet,
        checklist: ClosureChecklist {
            needs_met_or_declined: true,
            safety_reviewed: true,
            survivor_informed_can_return: true,
            service_outcomes_recorded: true,
            supervisor_reviewed: true,
        },
        note: None,
    }
}

/// A case as a CouchDB-style app would keep it: one JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct PlainCase {
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    survivor: Survivor,
    incident: Incident,
    risk: Option<RiskAssessment>,
    safety_plan: Option<SafetyPlan>,
    consents: Vec<Consent>,
    services: Vec<ServiceRecord>,
    follow_ups: Vec<FollowUp>,
    notes: Vec<Note>,
    next_follow_up: Option<NaiveDate>,
    updated_on: NaiveDate,
    updated_by: String,
}

impl PlainCase {
    /// The document as JSON, without null fields (as an app would store it).
    pub fn to_json(&self) -> serde_json::Value {
        fn strip(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::Object(map) => {
                    map.retain(|_, v| !v.is_null());
                    map.values_mut().for_each(strip);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
                _ => {}
            }
        }
        let mut value = serde_json::to_value(self).expect("plain data");
        strip(&mut value);
        value
    }
}

/// How the free text of cases (accounts, notes) is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// Drawn whole from a few synthetic sentences, so many cases share them.
    Pooled,
    /// The same sentences with their words shuffled per case, so no two
    /// cases share a sentence (as real notes do not). Draws the same main
    /// random sequence as `Pooled`.
    Unique,
}

impl Wording {
    fn text(self, rng: &mut Rng, shuffler: &mut Rng, pool: &[&str]) -> String {
        let sentence = *rng.pick(pool);
        match self {
            Self::Pooled => sentence.into(),
            Self::Unique => {
                let mut words: Vec<&str> = sentence.split(' ').collect();
                for i in (1..words.len()).rev() {
                    words.swap(i, shuffler.below(i as u64 + 1) as usize);
                }
                words.join(" ")
            }
        }
    }
}

/// One case: its intake, its edits, and the plain document after each step
/// (intake first).
pub struct CaseScript {
    /// The intake form.
    pub intake: CaseIntake,
    /// Edits, in order.
    pub edits: Vec<CaseAction>,
    /// Plain JSON after the intake and after each edit.
    pub revisions: Vec<serde_json::Value>,
}

const NOTES: &[&str] = &[
    "Gọi điện hỏi thăm, chị cho biết tình hình đã ổn định hơn (synthetic).",
    "Đã gặp tại trạm y tế xã, trao đổi về kế hoạch an toàn (synthetic).",
    "Người thân đồng ý hỗ trợ chỗ ở tạm thời trong tuần tới (synthetic).",
    "Chị chưa muốn báo công an, sẽ trao đổi lại sau (synthetic).",
    "Synthetic note: visited with the village health worker, no new incident.",
    "Synthetic note: school counselor informed, attendance is regular again.",
    "Hẹn gặp lại tại nhà văn hoá bản vào thứ Hai (synthetic).",
    "Synthetic note: survivor asked for information about legal aid.",
];

const ACCOUNTS: &[&str] = &[
    "Synthetic account: chồng say rượu, đánh vào tay và lưng sau khi cãi nhau về tiền.",
    "Synthetic account: bị ép phải nghỉ học để lấy chồng ở bản bên.",
    "Synthetic account: người quen nhắn tin đe doạ qua mạng, đòi gặp riêng.",
    "Synthetic account: bị gia đình nhà chồng không cho về thăm bố mẹ, giữ giấy tờ.",
    "Synthetic account: pushed and hit at the field hut after an argument.",
    "Synthetic account: threatened with a knife at home, neighbours intervened.",
];

const VILLAGES: &[&str] = &[
    "Bản Nậm Sỏ",
    "Bản Huổi Só",
    "Bản Pa Vệ Sử",
    "Bản Mù Cả",
    "Bản Tá Bạ",
    "Bản Giẳng Pho",
];

const GOALS: &[&str] = &[
    "Safe housing",
    "Health check",
    "Return to school",
    "Legal advice",
    "Income support",
];

const PROVIDERS: &[&str] = &[
    "Trạm y tế xã (synthetic)",
    "Hội Phụ nữ xã (synthetic)",
    "Trung tâm trợ giúp pháp lý (synthetic)",
];

fn survivor(rng: &mut Rng, index: usize, commune: &str) -> Survivor {
    let sex = match rng.below(20) {
        0 => Sex::Male,
        1 => Sex::Other,
        _ => Sex::Female,
    };
    Survivor {
        code: format!("SYN-{index:05}"),
        sex,
        age_years: Some(12 + rng.below(50) as u8),
        age_estimated: rng.percent(30),
        ethnic_group: Some(*rng.pick(&[
            EthnicGroup::Mong,
            EthnicGroup::Thai,
            EthnicGroup::Dao,
            EthnicGroup::HaNhi,
            EthnicGroup::Kinh,
        ])),
        marital_status: Some(*rng.pick(&[
            MaritalStatus::Married,
            MaritalStatus::Single,
            MaritalStatus::Cohabiting,
        ])),
        commune: commune.into(),
        village: Some((*rng.pick(VILLAGES)).into()),
        contact_method: Some(*rng.pick(&[
            ContactMethod::InPerson,
            ContactMethod::TrustedPerson,
            ContactMethod::OwnPhone,
        ])),
        ..Survivor::default()
    }
}

fn incident(
    rng: &mut Rng,
    commune: &str,
    date: NaiveDate,
    reported_on: NaiveDate,
    wording: Wording,
    shuffler: &mut Rng,
) -> Incident {
    Incident {
        date,
        reported_on,
        time_of_day: *rng.pick(&[
            TimeOfDay::Morning,
            TimeOfDay::Afternoon,
            TimeOfDay::EveningNight,
        ]),
        place_type: *rng.pick(&[
            PlaceType::SurvivorHome,
            PlaceType::FieldForest,
            PlaceType::Road,
            PlaceType::Online,
        ]),
        commune: commune.into(),
        account: Some(wording.text(rng, shuffler, ACCOUNTS)),
        violence_type: *rng.pick(&[
            ViolenceType::PhysicalAssault,
            ViolenceType::PsychologicalAbuse,
            ViolenceType::ForcedMarriage,
            ViolenceType::DenialOfResources,
            ViolenceType::SexualAssault,
        ]),
        contexts: vec![ContextFlag::IntimatePartnerFamily],
        perpetrators: vec![Perpetrator {
            sex: Sex::Male,
            age_group: *rng.pick(&[
                AgeGroup::Age18To25,
                AgeGroup::Age26To40,
                AgeGroup::Age41To60,
            ]),
            relationship: *rng.pick(&[
                Relationship::IntimatePartner,
                Relationship::InLaw,
                Relationship::OtherFamily,
            ]),
        }],
        reported_elsewhere: Some(rng.percent(20)),
        previous_incidents: Some(rng.percent(50)),
    }
}

fn risk(rng: &mut Rng, on: NaiveDate) -> RiskAssessment {
    let mut factors = Vec::new();
    for factor in [
        RiskFactor::LivesWithPerpetrator,
        RiskFactor::Escalation,
        RiskFactor::SubstanceUse,
        RiskFactor::ChildrenAtRisk,
    ] {
        if rng.percent(30) {
            factors.push(factor);
        }
    }
    RiskAssessment {
        level: *rng.pick(&[RiskLevel::Low, RiskLevel::Medium, RiskLevel::High]),
        factors,
        assessed_on: on,
    }
}

/// A case recorded by `author` (for the plain document) in `commune`, with
/// `edits` edits; every date is on or before `today`.
pub fn case_script(
    rng: &mut Rng,
    index: usize,
    commune: &str,
    today: NaiveDate,
    edits: usize,
    author: &str,
    wording: Wording,
) -> CaseScript {
    let mut shuffler = Rng::new(0x5EED_5407_0000 ^ index as u64);
    let date = today - Duration::days(60 + rng.below(60) as i64);
    let reported_on = date + Duration::days(rng.below(4) as i64);
    let day = |step: usize| (reported_on + Duration::days(5 * (step as i64 + 1))).min(today);
    let survivor = survivor(rng, index, commune);
    let incident = incident(rng, commune, date, reported_on, wording, &mut shuffler);
    let first_risk = risk(rng, reported_on);
    let consents = vec![Consent {
        scope: ConsentScope::Statistics,
        granted: true,
        given_by: ConsentGiver::Survivor,
    }];
    let intake = CaseIntake {
        survivor: survivor.clone(),
        incident: incident.clone(),
        risk: Some(first_risk.clone()),
        safety_plan: None,
        consents: consents.clone(),
        services: vec![],
        next_follow_up: Some(today),
    };
    let mut plain = PlainCase {
        kind: "case",
        status: "open",
        survivor,
        incident,
        risk: Some(first_risk),
        safety_plan: None,
        consents,
        services: vec![],
        follow_ups: vec![],
        notes: vec![],
        next_follow_up: Some(today),
        updated_on: reported_on,
        updated_by: author.into(),
    };
    let mut revisions = vec![plain.to_json()];
    let mut actions = Vec::with_capacity(edits);
    for step in 0..edits {
        let on = day(step);
        let action = match rng.below(20) {
            0..=6 => {
                let note = Note {
                    text: wording.text(rng, &mut shuffler, NOTES),
                };
                plain.notes.push(note.clone());
                CaseAction::AddNote(note)
            }
            7..=11 => {
                let next = (on + Duration::days(7)).min(today).max(on);
                let follow_up = FollowUp {
                    date: on,
                    goals: vec![GoalProgress {
                        goal: (*rng.pick(GOALS)).into(),
                        status: *rng.pick(&[
                            GoalStatus::InProgress,
                            GoalStatus::Achieved,
                            GoalStatus::NotStarted,
                        ]),
                    }],
                    next_date: Some(next),
                    note: rng
                        .percent(50)
                        .then(|| "Synthetic follow-up remark.".to_string()),
                };
                plain.follow_ups.push(follow_up.clone());
                plain.next_follow_up = Some(next);
                CaseAction::AddFollowUp(follow_up)
            }
            12..=14 => {
                let mut updated = plain.survivor.clone();
                match rng.below(3) {
                    0 => updated.village = Some(format!("{} (moved {step})", rng.pick(VILLAGES))),
                    1 => updated.disability = Some(!updated.disability.unwrap_or(false)),
                    _ => {
                        updated.contact_time =
                            Some(format!("Synthetic: weekday mornings, step {step}"))
                    }
                }
                plain.survivor = updated.clone();
                CaseAction::UpdateSurvivor(updated)
            }
            15..=17 => {
                let assessment = risk(rng, on);
                plain.risk = Some(assessment.clone());
                CaseAction::AssessRisk(assessment)
            }
            18 => {
                let service = ServiceRecord {
                    service: *rng.pick(&[
                        ServiceType::Health,
                        ServiceType::Psychosocial,
                        ServiceType::SocialProtection,
                    ]),
                    outcome: *rng.pick(&[ServiceOutcome::Offered, ServiceOutcome::Delivered]),
                    date: on,
                    provider: Some((*rng.pick(PROVIDERS)).into()),
                    note: None,
                };
                plain.services.push(service.clone());
                CaseAction::AddService(service)
            }
            _ => {
                let safety = SafetyPlan {
                    safe_place: Some("Nhà chị gái ở bản bên (synthetic)".into()),
                    trusted_person: Some("Trưởng bản (synthetic)".into()),
                    warning_signal: Some("Synthetic: a missed call twice".into()),
                    steps: vec!["Keep documents with the sister (synthetic)".into()],
                    reviewed_on: on,
                };
                plain.safety_plan = Some(safety.clone());
                CaseAction::SetSafetyPlan(Some(safety))
            }
        };
        plain.updated_on = on;
        revisions.push(plain.to_json());
        actions.push(action);
    }
    CaseScript {
        intake,
        edits: actions,
        revisions,
    }
}
