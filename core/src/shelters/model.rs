//! A safe community shelter (nơi tạm lánh an toàn tại cộng đồng) as the
//! provincial directory describes it.
//!
//! How many places are free, and when that was last confirmed, changes many
//! times a day and comes from the host's phone, not from the province: it is
//! kept beside the directory entry as an [`super::Availability`].

use super::checklist::Checklist;
use super::geo::{validate_in_province, GeoPoint};
use super::ids::ShelterId;
use crate::error::Rule;
use crate::model::validate::{distinct, optional_text, phone, required_text};
use crate::model::{validate_commune, DeviceId};
use crate::{coded_enum, Error, Result};
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// The kind of place a shelter is (the plan names these).
    pub enum ShelterKind: "shelter_kind" {
        "The commune People's Committee office." CommuneOffice = ("commune_office", "trụ sở UBND xã", "commune People's Committee office"),
        "A hospital." Hospital = ("hospital", "bệnh viện", "hospital"),
        "The commune health station." HealthStation = ("health_station", "trạm y tế xã", "commune health station"),
        "The home of a person of standing." PersonOfStandingHome = ("person_of_standing_home", "nhà người có uy tín", "home of a person of standing"),
        "A social protection centre." SocialProtectionCentre = ("social_protection_centre", "cơ sở trợ giúp xã hội", "social protection centre"),
    }
}

coded_enum! {
    /// Whom a shelter takes in.
    pub enum AcceptedGroup: "shelter_accepts" {
        "Women." Women = ("women", "phụ nữ", "women"),
        "Women with their children." WomenWithChildren = ("women_with_children", "phụ nữ cùng con nhỏ", "women with children"),
        "Children without an adult." ChildrenAlone = ("children_alone", "trẻ em không có người lớn đi cùng", "children alone"),
        "Men." Men = ("men", "nam giới", "men"),
    }
}

coded_enum! {
    /// A language spoken at a shelter (or needed by the people placed).
    pub enum Language: "language" {
        "Vietnamese." Vietnamese = ("vietnamese", "tiếng Việt", "Vietnamese"),
        "Mông (Hmong)." Mong = ("mong", "tiếng Mông", "Hmong"),
        "Thái." Thai = ("thai", "tiếng Thái", "Thai"),
        "Dao." Dao = ("dao", "tiếng Dao", "Dao"),
        "Hà Nhì." HaNhi = ("ha_nhi", "tiếng Hà Nhì", "Ha Nhi"),
        "Giáy." Giay = ("giay", "tiếng Giáy", "Giay"),
        "Lự." Lu = ("lu", "tiếng Lự", "Lu"),
        "Khơ Mú." KhoMu = ("kho_mu", "tiếng Khơ Mú", "Khmu"),
        "La Hủ." LaHu = ("la_hu", "tiếng La Hủ", "La Hu"),
        "Another language." Other = ("other", "ngôn ngữ khác", "another language"),
    }
}

coded_enum! {
    /// What a shelter offers people with disabilities.
    pub enum Accessibility: "shelter_accessibility" {
        "Step-free access from the road to a room and a toilet." StepFree = ("step_free", "lối đi không có bậc thềm", "step-free access"),
        "A toilet usable from a wheelchair." AccessibleToilet = ("accessible_toilet", "nhà vệ sinh cho người khuyết tật", "accessible toilet"),
        "Staff or host able to support a person with a disability." DisabilitySupport = ("disability_support", "có người hỗ trợ người khuyết tật", "support for people with disabilities"),
    }
}

/// When a shelter takes people in, in Vietnam's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ShelterHours {
    /// Day and night.
    #[default]
    Always,
    /// Every day between two times (`to` before `from` spans midnight).
    Daily {
        /// Opening time, e.g. `07:00`.
        from: NaiveTime,
        /// Closing time, e.g. `17:00`.
        to: NaiveTime,
    },
}

impl ShelterHours {
    /// Whether the shelter takes people in at local time `t`.
    pub fn is_open_at(&self, t: NaiveTime) -> bool {
        match *self {
            ShelterHours::Always => true,
            ShelterHours::Daily { from, to } if from <= to => from <= t && t < to,
            ShelterHours::Daily { from, to } => t >= from || t < to,
        }
    }

    /// Day and night.
    pub fn is_always(&self) -> bool {
        matches!(self, ShelterHours::Always)
    }
}

/// How to reach the host by phone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct HostContact {
    /// Whom to ask for (a role such as "trưởng bản" is enough).
    #[serde(default)]
    pub name: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Most places a shelter may declare.
pub const MAX_CAPACITY: u16 = 500;

/// One shelter of the provincial directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Shelter {
    /// Random id, stable across directory versions.
    pub id: ShelterId,
    /// Name shown to collaborators; a code name is allowed.
    pub name: String,
    /// Kind of place.
    pub kind: ShelterKind,
    /// Commune or ward (code).
    pub commune: String,
    /// Where it is.
    pub location: GeoPoint,
    /// Places in all.
    pub capacity: u16,
    /// Whom it takes in.
    pub accepts: Vec<AcceptedGroup>,
    /// What it offers people with disabilities.
    #[serde(default)]
    pub accessibility: Vec<Accessibility>,
    /// Languages spoken there.
    pub languages: Vec<Language>,
    /// When it takes people in.
    #[serde(default)]
    pub hours: ShelterHours,
    /// The host's contact.
    #[serde(default)]
    pub contact: HostContact,
    /// The host's enrolled device, which answers placement requests; `None`
    /// if the shelter takes placements by phone only.
    #[serde(default)]
    pub host_device: Option<DeviceId>,
    /// Whether it takes people in at present.
    pub active: bool,
    /// The provincial standardisation checklist.
    #[serde(default)]
    pub checklist: Checklist,
}

impl Shelter {
    /// The consent a placement here needs: the safe-shelter service, with
    /// this shelter as the recipient.
    pub fn consent_scope(&self) -> crate::model::ConsentScope {
        crate::model::ConsentScope::Service {
            service: crate::model::ServiceType::SafeShelter,
            recipient: self.name.clone(),
        }
    }

    /// Checks every field; errors name the field, never a value. The first
    /// of [`Shelter::problems`].
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every field's problem at once (a form shows them all), in field
    /// order; each an [`Error::Invalid`] naming the field, never a value.
    pub fn problems(&self) -> Vec<Error> {
        let mut checks = vec![
            required_text("shelter.name", &self.name, 120),
            validate_commune("shelter.commune", &self.commune),
            validate_in_province("shelter.location", &self.location),
        ];
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            checks.push(Err(Error::invalid(
                "shelter.capacity",
                Rule::OutOfRange {
                    min: 1,
                    max: MAX_CAPACITY.into(),
                },
            )));
        }
        checks.push(if self.accepts.is_empty() {
            Err(Error::invalid("shelter.accepts", Rule::NoneChosen))
        } else {
            distinct("shelter.accepts", &self.accepts)
        });
        checks.push(distinct("shelter.accessibility", &self.accessibility));
        checks.push(if self.languages.is_empty() {
            Err(Error::invalid("shelter.languages", Rule::NoneChosen))
        } else {
            distinct("shelter.languages", &self.languages)
        });
        if let ShelterHours::Daily { from, to } = self.hours {
            if from == to {
                checks.push(Err(Error::invalid("shelter.hours", Rule::SameOpenAndClose)));
            }
        }
        checks.push(optional_text(
            "shelter.contact.name",
            self.contact.name.as_deref(),
            120,
        ));
        checks.push(
            optional_text("shelter.contact.phone", self.contact.phone.as_deref(), 20).and_then(
                |()| match &self.contact.phone {
                    Some(number) => phone("shelter.contact.phone", number, true),
                    None => Ok(()),
                },
            ),
        );
        checks.into_iter().filter_map(Result::err).collect()
    }

    /// Whether it takes in `group`.
    pub fn accepts(&self, group: AcceptedGroup) -> bool {
        self.accepts.contains(&group)
    }

    /// Whether it takes in children (alone or with their mother).
    pub fn accepts_children(&self) -> bool {
        self.accepts(AcceptedGroup::WomenWithChildren) || self.accepts(AcceptedGroup::ChildrenAlone)
    }

    /// Whether it offers `feature`.
    pub fn offers(&self, feature: Accessibility) -> bool {
        self.accessibility.contains(&feature)
    }

    /// Whether `language` is spoken there.
    pub fn speaks(&self, language: Language) -> bool {
        self.languages.contains(&language)
    }

    /// Whether it meets every item of the standardisation checklist.
    pub fn is_standardised(&self) -> bool {
        self.checklist.is_standardised()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::shelters::checklist::StandardItem;

    /// A valid synthetic shelter.
    pub(crate) fn shelter(name: &str) -> Shelter {
        Shelter {
            id: ShelterId::derived(name),
            name: name.into(),
            kind: ShelterKind::HealthStation,
            commune: "tan_phong".into(),
            location: GeoPoint::new(22.39, 103.46),
            capacity: 4,
            accepts: vec![AcceptedGroup::Women, AcceptedGroup::WomenWithChildren],
            accessibility: vec![Accessibility::StepFree],
            languages: vec![Language::Vietnamese, Language::Mong],
            hours: ShelterHours::Always,
            contact: HostContact {
                name: Some("Trạm trưởng (giả lập)".into()),
                phone: Some("0000 000 001".into()),
            },
            host_device: None,
            active: true,
            checklist: Checklist::all_met(),
        }
    }

    #[test]
    fn a_shelter_validates_each_field_by_name() {
        let good = shelter("Synthetic station");
        good.validate().unwrap();
        assert!(good.is_standardised() && good.accepts_children() && good.speaks(Language::Mong));

        let field = |s: Shelter| match s.validate() {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(
            field(Shelter {
                capacity: 0,
                ..good.clone()
            }),
            "shelter.capacity"
        );
        assert_eq!(
            field(Shelter {
                commune: "hanoi".into(),
                ..good.clone()
            }),
            "shelter.commune"
        );
        assert_eq!(
            field(Shelter {
                location: GeoPoint::new(21.03, 105.85),
                ..good.clone()
            }),
            "shelter.location"
        );
        assert_eq!(
            field(Shelter {
                languages: vec![],
                ..good.clone()
            }),
            "shelter.languages"
        );
        assert_eq!(
            field(Shelter {
                accepts: vec![AcceptedGroup::Men, AcceptedGroup::Men],
                ..good.clone()
            }),
            "shelter.accepts"
        );
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        assert_eq!(
            field(Shelter {
                hours: ShelterHours::Daily {
                    from: noon,
                    to: noon
                },
                ..good.clone()
            }),
            "shelter.hours"
        );
        let mut bad_phone = good.clone();
        bad_phone.contact.phone = Some("call me".into());
        assert_eq!(field(bad_phone), "shelter.contact.phone");
        let mut partial = good.clone();
        partial.checklist.set(StandardItem::TrainedHost, false);
        let many = Shelter {
            name: " ".into(),
            capacity: 0,
            languages: vec![],
            ..good
        };
        let fields: Vec<_> = many
            .problems()
            .into_iter()
            .map(|e| match e {
                Error::Invalid { field, .. } => field,
                other => panic!("expected invalid, got {other:?}"),
            })
            .collect();
        assert_eq!(
            fields,
            ["shelter.name", "shelter.capacity", "shelter.languages"]
        );
        assert!(!partial.is_standardised());
    }

    #[test]
    fn hours_span_midnight() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let day = ShelterHours::Daily {
            from: t(7),
            to: t(17),
        };
        assert!(day.is_open_at(t(8)) && !day.is_open_at(t(17)) && !day.is_open_at(t(2)));
        let night = ShelterHours::Daily {
            from: t(18),
            to: t(6),
        };
        assert!(night.is_open_at(t(23)) && night.is_open_at(t(2)) && !night.is_open_at(t(12)));
        assert!(ShelterHours::Always.is_open_at(t(3)));
        let json: ShelterHours =
            serde_json::from_str(r#"{"daily": {"from": "07:00", "to": "17:30"}}"#).unwrap();
        assert!(json.is_open_at(t(17)));
    }
}
