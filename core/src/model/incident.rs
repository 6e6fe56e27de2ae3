//! The incident: what happened, where and when, and who did it, adapted from
//! the GBVIMS incident recording form to the provincial plan.

use super::commune::validate_commune;
use super::validate::{distinct, optional_text, past_date};
use crate::error::Rule;
use crate::{coded_enum, lww_record, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// The six GBVIMS core violence types (the most severe one applies).
    pub enum ViolenceType: "violence_type" {
        "Rape." Rape = ("rape", "hiếp dâm", "rape"),
        "Sexual assault." SexualAssault = ("sexual_assault", "tấn công tình dục", "sexual assault"),
        "Physical assault." PhysicalAssault = ("physical_assault", "bạo lực thể chất", "physical assault"),
        "Forced marriage." ForcedMarriage = ("forced_marriage", "cưỡng ép kết hôn", "forced marriage"),
        "Denial of resources, opportunities or services." DenialOfResources = ("denial_of_resources", "ngăn cản tiếp cận nguồn lực, cơ hội hoặc dịch vụ", "denial of resources, opportunities or services"),
        "Psychological or emotional abuse." PsychologicalAbuse = ("psychological_abuse", "bạo lực tinh thần", "psychological / emotional abuse"),
    }
}

coded_enum! {
    /// Context of the violence, as the provincial plan names its forms.
    pub enum ContextFlag: "context" {
        "By an intimate partner or family member (domestic violence)." IntimatePartnerFamily = ("intimate_partner_family", "bạo lực gia đình (bạn đời, vợ/chồng, người thân)", "intimate partner / family"),
        "At or around school." School = ("school", "bạo lực học đường", "school violence"),
        "Online, in cyberspace." Online = ("online", "bạo lực trên không gian mạng", "violence in cyberspace"),
        "Sexual harassment at the workplace." WorkplaceHarassment = ("workplace_harassment", "quấy rối tình dục tại nơi làm việc", "workplace sexual harassment"),
        "Child marriage." ChildMarriage = ("child_marriage", "tảo hôn", "child marriage"),
        "Consanguineous marriage." ConsanguineousMarriage = ("consanguineous_marriage", "hôn nhân cận huyết thống", "consanguineous marriage"),
        "Trafficking in persons." Trafficking = ("trafficking", "mua bán người", "trafficking"),
        "Abuse of children: a form of its own in the plan." ChildAbuse = ("child_abuse", "xâm hại trẻ em", "abuse of children"),
    }
}

coded_enum! {
    /// Time of day of the incident.
    pub enum TimeOfDay: "time_of_day" {
        "Not known." Unknown = ("unknown", "không rõ", "unknown"),
        "Morning (sunrise to noon)." Morning = ("morning", "buổi sáng", "morning"),
        "Afternoon (noon to sunset)." Afternoon = ("afternoon", "buổi chiều", "afternoon"),
        "Evening or night (sunset to sunrise)." EveningNight = ("evening_night", "buổi tối hoặc ban đêm", "evening or night"),
    }
}

coded_enum! {
    /// Type of place where the incident happened.
    pub enum PlaceType: "place_type" {
        "The survivor's home." SurvivorHome = ("survivor_home", "nhà của người bị bạo lực", "survivor's home"),
        "The perpetrator's home." PerpetratorHome = ("perpetrator_home", "nhà của người gây bạo lực", "perpetrator's home"),
        "Another home." OtherHome = ("other_home", "nhà người khác", "another home"),
        "School or its grounds." School = ("school", "trường học", "school"),
        "Workplace." Workplace = ("workplace", "nơi làm việc", "workplace"),
        "Field, forest or hillside." FieldForest = ("field_forest", "nương rẫy, rừng", "field or forest"),
        "Road or path." Road = ("road", "đường đi", "road or path"),
        "Market or other public place." PublicPlace = ("public_place", "chợ hoặc nơi công cộng", "market or public place"),
        "Online." Online = ("online", "trên mạng", "online"),
        "Another place." Other = ("other", "nơi khác", "other"),
    }
}

coded_enum! {
    /// Age group of a perpetrator (GBVIMS bands).
    pub enum AgeGroup: "age_group" {
        "Not known." Unknown = ("unknown", "không rõ", "unknown"),
        "0–11." Age0To11 = ("0_11", "0–11 tuổi", "0–11"),
        "12–17." Age12To17 = ("12_17", "12–17 tuổi", "12–17"),
        "18–25." Age18To25 = ("18_25", "18–25 tuổi", "18–25"),
        "26–40." Age26To40 = ("26_40", "26–40 tuổi", "26–40"),
        "41–60." Age41To60 = ("41_60", "41–60 tuổi", "41–60"),
        "61 and over." Age61Plus = ("61_plus", "từ 61 tuổi", "61 and over"),
    }
}

coded_enum! {
    /// Relationship of a perpetrator to the survivor.
    pub enum Relationship: "relationship" {
        "Not known." Unknown = ("unknown", "không rõ", "unknown"),
        "Husband, wife or intimate partner." IntimatePartner = ("intimate_partner", "vợ/chồng, bạn đời", "intimate partner"),
        "Former partner." FormerPartner = ("former_partner", "vợ/chồng hoặc bạn đời cũ", "former partner"),
        "Parent or primary caregiver." ParentCaregiver = ("parent_caregiver", "cha mẹ, người chăm sóc", "parent or caregiver"),
        "Other family member." OtherFamily = ("other_family", "người thân khác trong gia đình", "other family member"),
        "Family of the spouse." InLaw = ("in_law", "gia đình nhà chồng/vợ", "in-law"),
        "Teacher or school staff." TeacherSchoolStaff = ("teacher_school_staff", "giáo viên, nhân viên nhà trường", "teacher or school staff"),
        "Schoolmate." Schoolmate = ("schoolmate", "bạn học", "schoolmate"),
        "Employer or supervisor." EmployerSupervisor = ("employer_supervisor", "chủ sử dụng lao động, người quản lý", "employer or supervisor"),
        "Co-worker." Coworker = ("coworker", "đồng nghiệp", "co-worker"),
        "Neighbour or family friend." NeighbourFriend = ("neighbour_friend", "hàng xóm, bạn bè", "neighbour or friend"),
        "Someone met online." OnlineContact = ("online_contact", "người quen qua mạng", "someone met online"),
        "No relationship; a stranger." Stranger = ("stranger", "người lạ", "stranger"),
        "Another relationship." Other = ("other", "quan hệ khác", "other"),
    }
}

coded_enum! {
    /// Days from the incident to its report (GBVIMS bands).
    pub enum ReportingDelayBand: "reporting_delay" {
        "0–3 days." Days0To3 = ("0_3_days", "0–3 ngày", "0–3 days"),
        "4–5 days." Days4To5 = ("4_5_days", "4–5 ngày", "4–5 days"),
        "6–14 days." Days6To14 = ("6_14_days", "6–14 ngày", "6–14 days"),
        "2 weeks to 1 month." Weeks2ToMonth1 = ("2_weeks_1_month", "2 tuần đến 1 tháng", "2 weeks – 1 month"),
        "More than 1 month." OverMonth1 = ("over_1_month", "trên 1 tháng", "over 1 month"),
    }
}

impl ReportingDelayBand {
    /// The band for a delay of `days`.
    pub fn for_days(days: i64) -> Self {
        match days {
            i64::MIN..=3 => Self::Days0To3,
            4..=5 => Self::Days4To5,
            6..=14 => Self::Days6To14,
            15..=31 => Self::Weeks2ToMonth1,
            _ => Self::OverMonth1,
        }
    }
}

/// One person who committed the violence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Perpetrator {
    /// Sex.
    pub sex: super::Sex,
    /// Age group.
    #[serde(default)]
    pub age_group: AgeGroup,
    /// Relationship to the survivor.
    #[serde(default)]
    pub relationship: Relationship,
}

/// Most perpetrators one incident may list.
pub const MAX_PERPETRATORS: usize = 20;

lww_record! {
    /// The incident of a case.
    pub struct Incident / IncidentField / "incident" {
        "Date of the incident (the first, if it went on)." Date => date: NaiveDate,
        "Time of day." #[serde(default)] TimeOfDay => time_of_day: TimeOfDay,
        "Type of place." PlaceType => place_type: PlaceType,
        "Commune or ward where it happened (code)." Commune => commune: String,
        "What happened, in the survivor's own words." Account => account: Option<String>,
        "Violence type (the most severe GBVIMS core type)." ViolenceType => violence_type: ViolenceType,
        "Contexts that apply." #[serde(default)] Contexts => contexts: Vec<ContextFlag>,
        "Who committed it." #[serde(default)] Perpetrators => perpetrators: Vec<Perpetrator>,
        "Already reported to someone else (police, health, another agency)." ReportedElsewhere => reported_elsewhere: Option<bool>,
        "There were previous incidents." PreviousIncidents => previous_incidents: Option<bool>,
        "Date it was reported to the person recording the case." ReportedOn => reported_on: NaiveDate,
    }
}

impl Incident {
    /// Checks every field; `today` is the recording device's date.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        past_date("incident.date", self.date, today)?;
        past_date("incident.reported_on", self.reported_on, today)?;
        if self.reported_on < self.date {
            return Err(Error::invalid(
                "incident.reported_on",
                Rule::BeforeIncidentDate,
            ));
        }
        validate_commune("incident.commune", &self.commune)?;
        optional_text("incident.account", self.account.as_deref(), 20_000)?;
        distinct("incident.contexts", &self.contexts)?;
        if self.perpetrators.len() > MAX_PERPETRATORS {
            return Err(Error::invalid(
                "incident.perpetrators",
                Rule::TooMany {
                    max: MAX_PERPETRATORS as u64,
                },
            ));
        }
        Ok(())
    }

    /// The reporting delay band (derived).
    pub fn reporting_delay(&self) -> ReportingDelayBand {
        ReportingDelayBand::for_days((self.reported_on - self.date).num_days())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::survivor::tests::day;
    use crate::model::Sex;

    /// A synthetic incident.
    pub fn incident() -> Incident {
        Incident {
            date: day(2026, 10, 20),
            time_of_day: TimeOfDay::EveningNight,
            place_type: PlaceType::SurvivorHome,
            commune: "mu_ca".into(),
            account: Some("synthetic account quokkaflint".into()),
            violence_type: ViolenceType::PhysicalAssault,
            contexts: vec![ContextFlag::IntimatePartnerFamily],
            perpetrators: vec![Perpetrator {
                sex: Sex::Male,
                age_group: AgeGroup::Age26To40,
                relationship: Relationship::IntimatePartner,
            }],
            reported_elsewhere: Some(false),
            previous_incidents: Some(true),
            reported_on: day(2026, 10, 27),
        }
    }

    #[test]
    fn delay_bands_follow_gbvims() {
        assert_eq!(incident().reporting_delay(), ReportingDelayBand::Days6To14);
        for (days, band) in [
            (0, ReportingDelayBand::Days0To3),
            (3, ReportingDelayBand::Days0To3),
            (4, ReportingDelayBand::Days4To5),
            (14, ReportingDelayBand::Days6To14),
            (15, ReportingDelayBand::Weeks2ToMonth1),
            (31, ReportingDelayBand::Weeks2ToMonth1),
            (32, ReportingDelayBand::OverMonth1),
        ] {
            assert_eq!(ReportingDelayBand::for_days(days), band, "{days} days");
        }
    }

    #[test]
    fn rules_name_their_field() {
        let today = day(2026, 11, 1);
        incident().validate(today).unwrap();
        let mut i = incident();
        i.reported_on = day(2026, 10, 1);
        assert!(
            matches!(i.validate(today), Err(Error::Invalid { field, .. }) if field == "incident.reported_on")
        );
        let mut i = incident();
        i.contexts = vec![ContextFlag::Online, ContextFlag::Online];
        assert!(
            matches!(i.validate(today), Err(Error::Invalid { field, .. }) if field == "incident.contexts")
        );
        let mut i = incident();
        i.perpetrators = vec![Perpetrator::default(); MAX_PERPETRATORS + 1];
        assert!(
            matches!(i.validate(today), Err(Error::Invalid { field, .. }) if field == "incident.perpetrators")
        );
    }
}
