//! Synthetic registries (shelters, training, schools, enterprises,
//! communication activities) for the
//! report's tests, benchmarks and the demo; the synthetic records they go
//! with are in `binhan_testkit::stats`. Deterministic for a seed. Nothing
//! here describes a real person.

use super::input::{
    Attendee, Enterprise, Registries, School, ShelterInput, TraineeRole, TrainingSession,
    TrainingTarget,
};
use binhan_core::model::COMMUNES;
use binhan_core::stats::activity::{
    ActivityId, ActivityKind, Campaign, CommunicationActivity, Participants,
};
use binhan_testkit::Rng;
use chrono::NaiveDate;

/// Synthetic registries: shelters, training sessions up to the end of
/// `year`, schools, enterprises and communication activities.
pub fn registries(seed: u64, year: i32) -> Registries {
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
    let mut reach = Rng::new(seed.wrapping_mul(37).wrapping_add(11));
    let mut r = Registries::default();
    for (i, c) in COMMUNES.iter().enumerate() {
        if i % 5 != 4 {
            r.shelters.push(ShelterInput {
                commune: c.code.into(),
                standardised: i % 6 == 0,
                active: true,
            });
        }
        if i % 9 == 0 {
            r.shelters.push(ShelterInput {
                commune: c.code.into(),
                standardised: false,
                active: i % 2 == 0,
            });
        }
        let collaborators = 10 + rng.below(20) as u32;
        let officials = 3 + rng.below(6) as u32;
        r.programme.training_targets.push(TrainingTarget {
            commune: c.code.into(),
            collaborators,
            officials,
        });
        for session_year in [year - 1, year] {
            let mut attendees = Vec::new();
            for (role, tag, count, p) in [
                (TraineeRole::Collaborator, "C", collaborators, 0.4),
                (TraineeRole::Official, "O", officials, 0.5),
            ] {
                for n in 0..count {
                    if rng.chance(p) {
                        attendees.push(Attendee {
                            person: format!("SYN-{}-{tag}{n}", c.code),
                            commune: c.code.into(),
                            role,
                        });
                    }
                }
            }
            r.programme.training_sessions.push(TrainingSession {
                date: NaiveDate::from_ymd_opt(session_year, 1 + (i % 12) as u32, 10)
                    .unwrap_or_default(),
                commune: c.code.into(),
                title: "Tập huấn phòng ngừa và ứng phó với bạo lực trên cơ sở giới (synthetic)"
                    .into(),
                attendees,
            });
        }
        for s in 0..(1 + rng.below(4)) {
            r.programme.schools.push(School {
                name: format!("Trường synthetic {s} {}", c.code),
                commune: c.code.into(),
                procedure_since: rng.chance(0.7).then(|| {
                    NaiveDate::from_ymd_opt(year - rng.below(2) as i32, 9, 5).unwrap_or_default()
                }),
            });
        }
        for e in 0..rng.below(3) {
            r.programme.enterprises.push(Enterprise {
                name: format!("Doanh nghiệp synthetic {e} {}", c.code),
                commune: c.code.into(),
                rules_since: rng.chance(0.5).then(|| {
                    NaiveDate::from_ymd_opt(year - rng.below(2) as i32, 3, 1).unwrap_or_default()
                }),
            });
        }
        r.programme
            .communication_activities
            .extend(activities(&mut reach, c.code, i, year));
    }
    r
}

/// A commune's synthetic activities of `year`: a village meeting in the
/// Action Month, a broadcast in the June month, a digital-safety session
/// at a school (some communes skip some).
fn activities(rng: &mut Rng, commune: &str, i: usize, year: i32) -> Vec<CommunicationActivity> {
    let day = |m: u32, d: usize| NaiveDate::from_ymd_opt(year, m, 1 + (d % 28) as u32);
    let mut out = Vec::new();
    for (kind, campaign, date) in [
        (
            ActivityKind::VillageMeeting,
            Campaign::ActionMonth,
            day(11, 14 + i % 14),
        ),
        (
            ActivityKind::LoudspeakerBroadcast,
            Campaign::DomesticViolenceMonth,
            day(6, i),
        ),
        (
            ActivityKind::SchoolSession,
            Campaign::DigitalSafety,
            day(3 + (i % 8) as u32, i),
        ),
    ] {
        if !rng.chance(0.8) {
            continue;
        }
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
        id[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
        let counted = kind != ActivityKind::LoudspeakerBroadcast;
        let mut people = |n: u64| if counted { 1 + rng.below(n) as u32 } else { 0 };
        let (women, men, girls, boys) = (people(40), people(30), people(20), people(20));
        let (Some(id), Some(date)) = (ActivityId::from_slice(&id), date) else {
            continue;
        };
        out.push(CommunicationActivity {
            id,
            date,
            commune: commune.into(),
            village: format!("Bản synthetic {}", i % 7),
            kind,
            campaign,
            topic: "Phòng ngừa bạo lực trên cơ sở giới (synthetic)".into(),
            participants: Participants {
                women,
                men,
                girls,
                boys,
                ethnic_minority: (women + men) / 2,
            },
            materials: "Tờ rơi, áp phích (synthetic)".into(),
        });
    }
    out
}
