//! Communication activities (hoạt động truyền thông): the sessions, broadcasts,
//! posts and leaflets a commune runs to prevent GBV, recorded offline by the
//! commune's case managers, collaborators and school counselors, sent to the
//! province on sync and counted in the annual report, per commune and per
//! campaign. No survivor appears in them: they count people reached.

use crate::error::Rule;
use crate::model::{random_id, validate_commune};
use crate::{coded_enum, Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

random_id!(
    /// Identifies a communication activity (recording it again replaces it).
    ActivityId,
    "activity_id",
    random
);

coded_enum! {
    /// How the activity reached people.
    pub enum ActivityKind: "activity_kind" {
        "A meeting in a village." VillageMeeting = ("village_meeting", "họp thôn, bản", "village meeting"),
        "A session at a school." SchoolSession = ("school_session", "buổi truyền thông ở trường học", "school session"),
        "The commune's loudspeakers." LoudspeakerBroadcast = ("loudspeaker_broadcast", "phát trên loa truyền thanh cơ sở", "loudspeaker broadcast"),
        "A post on social media (Facebook, Zalo…)." SocialMediaPost = ("social_media_post", "bài đăng mạng xã hội", "social media post"),
        "Leaflets, handbooks, posters handed out." LeafletDistribution = ("leaflet_distribution", "phát tờ rơi, sổ tay, áp phích", "leaflet distribution"),
    }
}

coded_enum! {
    /// The campaign an activity belongs to (the plan's dates).
    pub enum Campaign: "campaign" {
        "Routine work, outside a campaign." Routine = ("routine", "truyền thông thường xuyên", "routine"),
        "Action Month for gender equality and GBV prevention, 15/11–15/12." ActionMonth = ("action_month", "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới", "Action Month for gender equality and GBV prevention"),
        "International Day for the Elimination of Violence against Women, 25/11." EliminationDay = ("elimination_day", "Ngày Quốc tế xóa bỏ mọi hình thức bạo lực đối với phụ nữ và trẻ em gái (25/11)", "International Day for the Elimination of Violence against Women (25/11)"),
        "National month against domestic violence, June." DomesticViolenceMonth = ("domestic_violence_month", "Tháng hành động quốc gia về phòng, chống bạo lực gia đình", "national month against domestic violence"),
        "Digital safety for children, students and youth." DigitalSafety = ("digital_safety", "an toàn số cho trẻ em, học sinh, thanh niên", "digital safety for students"),
    }
}

impl Campaign {
    /// Whether an activity on `date` can belong to this campaign.
    pub fn holds(self, date: NaiveDate) -> bool {
        let (month, day) = (date.month(), date.day());
        match self {
            Self::ActionMonth => (month == 11 && day >= 15) || (month == 12 && day <= 15),
            Self::EliminationDay => month == 11 && day == 25,
            Self::DomesticViolenceMonth => month == 6,
            Self::Routine | Self::DigitalSafety => true,
        }
    }
}

/// People reached, by sex and age group (children: under 16).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participants {
    /// Women.
    pub women: u32,
    /// Men.
    pub men: u32,
    /// Girls.
    pub girls: u32,
    /// Boys.
    pub boys: u32,
    /// Of all of them, people of an ethnic minority.
    pub ethnic_minority: u32,
}

impl Participants {
    /// Everyone reached.
    pub fn total(&self) -> u64 {
        [self.women, self.men, self.girls, self.boys]
            .iter()
            .map(|n| u64::from(*n))
            .sum()
    }
}

/// One communication activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunicationActivity {
    /// Random id, made where it was first recorded.
    pub id: ActivityId,
    /// Day it was held (or posted, broadcast).
    pub date: NaiveDate,
    /// Commune (code).
    pub commune: String,
    /// Village (thôn, bản), if it was held in one.
    pub village: String,
    /// How it reached people.
    pub kind: ActivityKind,
    /// The campaign it belongs to.
    pub campaign: Campaign,
    /// What it was about.
    pub topic: String,
    /// People reached (zero where nobody was counted: a broadcast, a post).
    pub participants: Participants,
    /// Materials used (leaflets, a video, a loudspeaker script…).
    pub materials: String,
}

/// First year an activity may be recorded for.
const FIRST_YEAR: i32 = 2020;
/// Longest topic or materials, in characters.
const MAX_TEXT: usize = 200;
/// Longest village name, in characters.
pub const MAX_VILLAGE_CHARS: usize = 100;
/// Most people one activity is counted to reach.
const MAX_REACHED: u32 = 1_000_000;

fn bounded(field: &str, value: &str, max: usize, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::invalid(field, Rule::Empty));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(field, Rule::TooLong { max: max as u32 }));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, Rule::ControlCharacters));
    }
    Ok(())
}

impl CommunicationActivity {
    /// Checks the activity as of `today`, field by field (errors name the
    /// field, never its value): a known commune, a day from 2020 to today
    /// within its campaign's dates, a topic, bounded texts, and people
    /// counted plausibly (someone at a meeting or a school session; no more
    /// of an ethnic minority than in all).
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        self.check_shape()?;
        if self.date > today {
            return Err(Error::invalid("activity.date", Rule::InFuture));
        }
        Ok(())
    }

    /// What [`validate`](Self::validate) checks that needs no date of today
    /// (what the server checks of activities recorded days ago).
    pub fn check_shape(&self) -> Result<()> {
        validate_commune("activity.commune", &self.commune)?;
        if self.date.year() < FIRST_YEAR {
            return Err(Error::invalid(
                "activity.date",
                Rule::BeforeYear {
                    year: FIRST_YEAR as u32,
                },
            ));
        }
        if !self.campaign.holds(self.date) {
            return Err(Error::invalid("activity.campaign", Rule::Contradicts));
        }
        bounded("activity.topic", &self.topic, MAX_TEXT, true)?;
        bounded("activity.village", &self.village, MAX_VILLAGE_CHARS, false)?;
        bounded("activity.materials", &self.materials, MAX_TEXT, false)?;
        let p = &self.participants;
        for (field, n) in [
            ("activity.participants.women", p.women),
            ("activity.participants.men", p.men),
            ("activity.participants.girls", p.girls),
            ("activity.participants.boys", p.boys),
        ] {
            if n > MAX_REACHED {
                return Err(Error::invalid(
                    field,
                    Rule::AtMost {
                        max: MAX_REACHED.into(),
                    },
                ));
            }
        }
        let in_person = matches!(
            self.kind,
            ActivityKind::VillageMeeting | ActivityKind::SchoolSession
        );
        if in_person && p.total() == 0 {
            return Err(Error::invalid(
                "activity.participants",
                Rule::AtLeast { min: 1 },
            ));
        }
        if u64::from(p.ethnic_minority) > p.total() {
            return Err(Error::invalid(
                "activity.participants.ethnic_minority",
                Rule::AtMost { max: p.total() },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("day")
    }

    /// A synthetic village meeting in the Action Month.
    pub(crate) fn meeting() -> CommunicationActivity {
        CommunicationActivity {
            id: ActivityId::random(),
            date: day(2026, 11, 20),
            commune: "mu_ca".into(),
            village: "Bản Synthetic".into(),
            kind: ActivityKind::VillageMeeting,
            campaign: Campaign::ActionMonth,
            topic: "Phòng ngừa bạo lực gia đình (synthetic)".into(),
            participants: Participants {
                women: 20,
                men: 12,
                girls: 3,
                boys: 2,
                ethnic_minority: 30,
            },
            materials: "Tờ rơi (synthetic)".into(),
        }
    }

    fn rule_of(activity: &CommunicationActivity, today: NaiveDate) -> Option<(String, Rule)> {
        match activity.validate(today) {
            Ok(()) => None,
            Err(Error::Invalid { field, rule }) => Some((field, rule)),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_plausible_activity_passes() {
        assert_eq!(rule_of(&meeting(), day(2026, 12, 1)), None);
    }

    #[test]
    fn each_implausible_field_is_named_with_its_rule() {
        let today = day(2026, 12, 1);
        type Spoil = fn(&mut CommunicationActivity);
        let cases: Vec<(Spoil, &str, Rule)> = vec![
            (
                |a| a.commune = "nowhere".into(),
                "activity.commune",
                Rule::NotACommune,
            ),
            (
                |a| a.date = day(2026, 12, 2),
                "activity.date",
                Rule::InFuture,
            ),
            (
                |a| a.date = day(2019, 11, 20),
                "activity.date",
                Rule::BeforeYear { year: 2020 },
            ),
            (
                |a| a.date = day(2026, 10, 1),
                "activity.campaign",
                Rule::Contradicts,
            ),
            (|a| a.topic = " ".into(), "activity.topic", Rule::Empty),
            (
                |a| a.village = "x".repeat(101),
                "activity.village",
                Rule::TooLong { max: 100 },
            ),
            (
                |a| a.materials = "a\u{7}b".into(),
                "activity.materials",
                Rule::ControlCharacters,
            ),
            (
                |a| a.participants = Participants::default(),
                "activity.participants",
                Rule::AtLeast { min: 1 },
            ),
            (
                |a| a.participants.ethnic_minority = 38,
                "activity.participants.ethnic_minority",
                Rule::AtMost { max: 37 },
            ),
        ];
        for (spoil, field, rule) in cases {
            let mut activity = meeting();
            spoil(&mut activity);
            assert_eq!(
                rule_of(&activity, today),
                Some((field.to_string(), rule)),
                "{field}"
            );
        }
    }

    #[test]
    fn a_broadcast_may_count_nobody_and_campaigns_keep_their_dates() {
        let mut broadcast = meeting();
        broadcast.kind = ActivityKind::LoudspeakerBroadcast;
        broadcast.participants = Participants::default();
        assert_eq!(rule_of(&broadcast, day(2026, 12, 1)), None);
        assert!(Campaign::ActionMonth.holds(day(2026, 12, 15)));
        assert!(!Campaign::ActionMonth.holds(day(2026, 12, 16)));
        assert!(Campaign::EliminationDay.holds(day(2026, 11, 25)));
        assert!(!Campaign::EliminationDay.holds(day(2026, 11, 24)));
        assert!(Campaign::DomesticViolenceMonth.holds(day(2026, 6, 30)));
        assert!(!Campaign::DomesticViolenceMonth.holds(day(2026, 7, 1)));
    }
}
