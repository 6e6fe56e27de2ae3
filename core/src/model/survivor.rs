//! The survivor: who the case is about. A name is optional and never required;
//! the survivor code is what staff use.

use super::commune::validate_commune;
use super::validate::{code_text, optional_text, past_date};
use crate::error::Rule;
use crate::{coded_enum, lww_record, Error, Result};
use chrono::{Datelike, NaiveDate};

coded_enum! {
    /// Sex of a person.
    pub enum Sex: "sex" {
        "Female." Female = ("female", "nữ", "female"),
        "Male." Male = ("male", "nam", "male"),
        "Other." Other = ("other", "khác", "other"),
    }
}

coded_enum! {
    /// Ethnic groups of Lai Châu, plus other.
    pub enum EthnicGroup: "ethnic_group" {
        "Thái." Thai = ("thai", "Thái", "Thai"),
        "Mông (H'Mong)." Mong = ("mong", "Mông", "Hmong"),
        "Dao." Dao = ("dao", "Dao", "Dao"),
        "Kinh." Kinh = ("kinh", "Kinh", "Kinh"),
        "Hà Nhì." HaNhi = ("ha_nhi", "Hà Nhì", "Ha Nhi"),
        "Giáy." Giay = ("giay", "Giáy", "Giay"),
        "Lự." Lu = ("lu", "Lự", "Lu"),
        "Khơ Mú." KhoMu = ("kho_mu", "Khơ Mú", "Khmu"),
        "La Hủ." LaHu = ("la_hu", "La Hủ", "La Hu"),
        "Cống." Cong = ("cong", "Cống", "Cong"),
        "Mảng." Mang = ("mang", "Mảng", "Mang"),
        "Si La." SiLa = ("si_la", "Si La", "Si La"),
        "Kháng." Khang = ("khang", "Kháng", "Khang"),
        "Tày." Tay = ("tay", "Tày", "Tay"),
        "Another group." Other = ("other", "dân tộc khác", "other"),
    }
}

coded_enum! {
    /// Marital status.
    pub enum MaritalStatus: "marital_status" {
        "Single." Single = ("single", "độc thân", "single"),
        "Married." Married = ("married", "đã kết hôn", "married"),
        "Living together without registered marriage." Cohabiting = ("cohabiting", "chung sống như vợ chồng", "living together"),
        "Divorced or separated." DivorcedSeparated = ("divorced_separated", "ly hôn hoặc ly thân", "divorced or separated"),
        "Widowed." Widowed = ("widowed", "góa", "widowed"),
    }
}

coded_enum! {
    /// A safe way to reach the survivor.
    pub enum ContactMethod: "contact_method" {
        "Meet in person at an agreed place." InPerson = ("in_person", "gặp trực tiếp tại nơi đã hẹn", "in person at an agreed place"),
        "Call the survivor's own phone." OwnPhone = ("own_phone", "gọi điện thoại của người bị bạo lực", "call the survivor's own phone"),
        "Through a trusted person." TrustedPerson = ("trusted_person", "qua người tin cậy", "through a trusted person"),
        "Through the school counselor." School = ("school", "qua cán bộ tư vấn học đường", "through the school counselor"),
        "Do not contact; the survivor will come back." NoContact = ("no_contact", "không liên hệ, người bị bạo lực sẽ tự liên hệ", "do not contact; the survivor will reach out"),
    }
}

/// Age, in whole years, from which a person is an adult.
pub const ADULT_AGE: u32 = 18;

lww_record! {
    /// The survivor of a case.
    pub struct Survivor / SurvivorField / "survivor" {
        "Survivor code used by staff instead of a name (letters, digits, - _ / .)." Code => code: String,
        "Name, optional and never required." Name => name: Option<String>,
        "Sex." Sex => sex: Sex,
        "Date of birth, if known." DateOfBirth => date_of_birth: Option<NaiveDate>,
        "Age in years when the case was recorded, if the date of birth is unknown." AgeYears => age_years: Option<u8>,
        "The date of birth or age is an estimate." #[serde(default)] AgeEstimated => age_estimated: bool,
        "Ethnic group." EthnicGroup => ethnic_group: Option<EthnicGroup>,
        "Lives with a disability." Disability => disability: Option<bool>,
        "Is a migrant worker." MigrantWorker => migrant_worker: Option<bool>,
        "Is a student." Student => student: Option<bool>,
        "School, for a student." School => school: Option<String>,
        "Marital status." MaritalStatus => marital_status: Option<MaritalStatus>,
        "Commune or ward of residence (code)." Commune => commune: String,
        "Village (thôn, bản) of residence." Village => village: Option<String>,
        "A safe way to make contact." ContactMethod => contact_method: Option<ContactMethod>,
        "A safe time to make contact, e.g. weekday mornings." ContactTime => contact_time: Option<String>,
        "Details for the safe contact, e.g. the trusted person's phone." ContactDetails => contact_details: Option<String>,
    }
}

impl Survivor {
    /// Checks every field; `recorded_on` is the day the case was recorded.
    pub fn validate(&self, recorded_on: NaiveDate) -> Result<()> {
        code_text("survivor.code", &self.code, 32)?;
        optional_text("survivor.name", self.name.as_deref(), 120)?;
        if let Some(dob) = self.date_of_birth {
            past_date("survivor.date_of_birth", dob, recorded_on)?;
        }
        if let Some(age) = self.age_years {
            if age > 120 {
                return Err(Error::invalid(
                    "survivor.age_years",
                    Rule::AtMost { max: 120 },
                ));
            }
            if let Some(dob) = self.date_of_birth {
                let from_dob = years_between(dob, recorded_on);
                if from_dob.abs_diff(u32::from(age)) > 1 {
                    return Err(Error::invalid(
                        "survivor.age_years",
                        Rule::DisagreesWithBirthDate,
                    ));
                }
            }
        }
        optional_text("survivor.school", self.school.as_deref(), 120)?;
        if self.school.is_some() && self.student != Some(true) {
            return Err(Error::invalid("survivor.school", Rule::OnlyForStudent));
        }
        validate_commune("survivor.commune", &self.commune)?;
        optional_text("survivor.village", self.village.as_deref(), 120)?;
        optional_text("survivor.contact_time", self.contact_time.as_deref(), 200)?;
        optional_text(
            "survivor.contact_details",
            self.contact_details.as_deref(),
            200,
        )
    }

    /// Age in whole years on `day`, from the date of birth or from the age
    /// given on `recorded_on`; `None` when neither is known.
    pub fn age_on(&self, day: NaiveDate, recorded_on: NaiveDate) -> Option<u32> {
        if let Some(dob) = self.date_of_birth {
            return Some(years_between(dob, day));
        }
        let age = u32::from(self.age_years?);
        if day >= recorded_on {
            Some(age + years_between(recorded_on, day))
        } else {
            Some(age.saturating_sub(years_between(day, recorded_on)))
        }
    }
}

/// Whole years from `from` to `to` (0 if `to` is earlier).
pub fn years_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A synthetic survivor.
    pub fn survivor() -> Survivor {
        Survivor {
            code: "LC-TEST-001".into(),
            sex: Sex::Female,
            age_years: Some(16),
            age_estimated: true,
            ethnic_group: Some(EthnicGroup::Mong),
            student: Some(true),
            school: Some("Trường synthetic".into()),
            commune: "mu_ca".into(),
            ..Survivor::default()
        }
    }

    #[test]
    fn a_valid_survivor_passes() {
        survivor().validate(day(2026, 11, 1)).unwrap();
    }

    #[test]
    fn each_rule_names_its_field() {
        let on = day(2026, 11, 1);
        type Breaker = Box<dyn Fn(&mut Survivor)>;
        let cases: Vec<(Breaker, &str)> = vec![
            (Box::new(|s| s.code = String::new()), "survivor.code"),
            (Box::new(|s| s.code = "có dấu".into()), "survivor.code"),
            (Box::new(|s| s.age_years = Some(130)), "survivor.age_years"),
            (
                Box::new(|s| s.date_of_birth = Some(day(2027, 1, 1))),
                "survivor.date_of_birth",
            ),
            (
                Box::new(|s| s.date_of_birth = Some(day(1990, 1, 1))),
                "survivor.age_years",
            ),
            (Box::new(|s| s.student = Some(false)), "survivor.school"),
            (
                Box::new(|s| s.commune = "nowhere".into()),
                "survivor.commune",
            ),
            (Box::new(|s| s.name = Some(" ".into())), "survivor.name"),
        ];
        for (break_it, field) in cases {
            let mut s = survivor();
            break_it(&mut s);
            match s.validate(on) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("expected invalid {field}, got {other:?}"),
            }
        }
    }

    #[test]
    fn age_from_birth_date_or_recorded_age() {
        let mut s = survivor();
        assert_eq!(s.age_on(day(2025, 11, 1), day(2026, 11, 1)), Some(15));
        s.date_of_birth = Some(day(2010, 6, 15));
        assert_eq!(s.age_on(day(2026, 6, 14), day(2026, 11, 1)), Some(15));
        assert_eq!(s.age_on(day(2026, 6, 15), day(2026, 11, 1)), Some(16));
    }

    #[test]
    fn diff_lists_only_changed_fields() {
        let old = survivor();
        let mut new = old.clone();
        new.sex = Sex::Other;
        new.village = Some("Bản synthetic".into());
        let changed = old.changed_fields(&new);
        assert_eq!(
            changed.iter().map(|c| c.key()).collect::<Vec<_>>(),
            vec!["survivor.sex", "survivor.village"]
        );
        let mut rebuilt = old.clone();
        for c in changed {
            rebuilt.apply(c);
        }
        assert_eq!(rebuilt, new);
    }
}
