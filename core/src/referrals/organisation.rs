//! The service directory: the organisations that receive referrals, the
//! services each gives, the communes it covers, when and in which languages
//! it answers, and the devices enrolled for it. The province publishes it
//! inside its signed directory ([`crate::shelters::ShelterDirectory`]), so a
//! device knows which devices speak for an organisation from the province's
//! signature, never from the server's word; the devices' keys are checked
//! back to the province's root as every other key is.

use crate::error::Rule;
use crate::model::validate::{distinct, phone, required_text};
use crate::model::{random_id, validate_commune, ConsentScope, DeviceId, ServiceType};
use crate::shelters::Language;
use crate::{coded_enum, Error, Result};
use serde::{Deserialize, Serialize};

/// Most organisations the directory may list.
pub const MAX_ORGANISATIONS: usize = 5_000;
/// Most devices one organisation may have enrolled.
pub const MAX_ORGANISATION_DEVICES: usize = 20;

random_id!(
    /// Identifies a service organisation in the provincial directory.
    OrganisationId,
    "organisation_id",
    random,
    derived
);

coded_enum! {
    /// The agencies of the provincial plan that receive referrals.
    pub enum Sector: "service_sector" {
        "Health: commune health stations, district and provincial hospitals." Health = ("health", "y tế", "health"),
        "Police." Police = ("police", "công an", "police"),
        "Justice and legal aid." JusticeLegalAid = ("justice_legal_aid", "tư pháp, trợ giúp pháp lý", "justice and legal aid"),
        "Social protection and labour." SocialProtection = ("social_protection", "bảo trợ xã hội, lao động", "social protection and labour"),
        "Education: schools and their counselors." Education = ("education", "giáo dục", "education"),
        "Culture." Culture = ("culture", "văn hóa", "culture"),
        "Ethnic affairs." EthnicAffairs = ("ethnic_affairs", "dân tộc", "ethnic affairs"),
        "The Women's Union." WomensUnion = ("womens_union", "Hội Liên hiệp Phụ nữ", "Women's Union"),
        "The Youth Union." YouthUnion = ("youth_union", "Đoàn Thanh niên", "Youth Union"),
        "The Labour Federation." LabourFederation = ("labour_federation", "Liên đoàn Lao động", "Labour Federation"),
    }
}

/// The national numbers every screen that lists services shows first:
/// (number, Vietnamese, English).
pub const EMERGENCY_NUMBERS: [(&str, &str, &str); 3] = [
    ("113", "Công an", "Police"),
    ("115", "Cấp cứu y tế", "Ambulance"),
    ("111", "Tổng đài bảo vệ trẻ em", "Child protection hotline"),
];

/// One organisation that receives referrals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ServiceOrganisation {
    /// Its id.
    pub id: OrganisationId,
    /// Its name, e.g. "Trạm Y tế xã Pa Ủ".
    pub name: String,
    /// Its agency.
    pub sector: Sector,
    /// The services it gives (a referral asks for one of them).
    pub services: Vec<ServiceType>,
    /// The communes it serves (codes).
    pub communes: Vec<String>,
    /// When it answers, as people say it ("7:00–17:00, thứ Hai–thứ Sáu").
    pub hours: String,
    /// Languages spoken there.
    pub languages: Vec<Language>,
    /// The number to call, digits after an optional `+`.
    pub phone: String,
    /// The devices enrolled for it: a referral is sealed to each of them,
    /// and only their answers count.
    pub devices: Vec<DeviceId>,
}

impl ServiceOrganisation {
    /// Checks every field; errors name the field, never a value.
    pub fn validate(&self) -> Result<()> {
        required_text("directory.services.name", &self.name, 120)?;
        required_text("directory.services.hours", &self.hours, 120)?;
        phone("directory.services.phone", &self.phone, false)?;
        if self.services.is_empty() {
            return Err(Error::invalid(
                "directory.services.services",
                Rule::Required,
            ));
        }
        if self.services.contains(&ServiceType::SafeShelter) {
            // Places in a shelter are asked of its host (a placement).
            return Err(Error::invalid(
                "directory.services.services",
                Rule::NotInList,
            ));
        }
        distinct("directory.services.services", &self.services)?;
        if self.communes.is_empty() {
            return Err(Error::invalid(
                "directory.services.communes",
                Rule::Required,
            ));
        }
        self.communes
            .iter()
            .try_for_each(|c| validate_commune("directory.services.communes", c))?;
        distinct("directory.services.communes", &self.communes)?;
        distinct("directory.services.languages", &self.languages)?;
        distinct("directory.services.devices", &self.devices)?;
        if self.devices.len() > MAX_ORGANISATION_DEVICES {
            return Err(Error::invalid(
                "directory.services.devices",
                Rule::TooMany {
                    max: MAX_ORGANISATION_DEVICES as u64,
                },
            ));
        }
        Ok(())
    }

    /// Whether it gives `service` in `commune`.
    pub fn serves(&self, service: ServiceType, commune: &str) -> bool {
        self.services.contains(&service) && self.communes.iter().any(|c| c == commune)
    }

    /// The consent a referral here for `service` needs: that service, with
    /// this organisation as the recipient (compared as
    /// [`ConsentScope::same_as`] does).
    pub fn consent_scope(&self, service: ServiceType) -> ConsentScope {
        consent_scope(service, &self.name)
    }

    /// Whether `device` is enrolled for it.
    pub fn has_device(&self, device: DeviceId) -> bool {
        self.devices.contains(&device)
    }
}

/// The consent a referral needs: `service`, with the organisation named
/// `organisation` as the recipient. One rule for sending, for the case's
/// record of it, and for withdrawal.
pub fn consent_scope(service: ServiceType, organisation: &str) -> ConsentScope {
    ConsentScope::Service {
        service,
        recipient: organisation.to_string(),
    }
}

/// Checks a directory's organisations: each valid, ordered by id, none
/// twice, at most [`MAX_ORGANISATIONS`].
pub fn validate_all(organisations: &[ServiceOrganisation]) -> Result<()> {
    if organisations.len() > MAX_ORGANISATIONS {
        return Err(Error::invalid(
            "directory.services",
            Rule::TooMany {
                max: MAX_ORGANISATIONS as u64,
            },
        ));
    }
    for pair in organisations.windows(2) {
        if pair[0].id >= pair[1].id {
            return Err(Error::invalid("directory.services", Rule::NotOrdered));
        }
    }
    organisations
        .iter()
        .try_for_each(ServiceOrganisation::validate)
}

/// What changed between two ordered lists: the organisations added or
/// changed (whole), and the ids removed.
pub fn changes(
    old: &[ServiceOrganisation],
    new: &[ServiceOrganisation],
) -> (Vec<ServiceOrganisation>, Vec<OrganisationId>) {
    let upserts = new.iter().filter(|n| !old.contains(n)).cloned().collect();
    let removals = old
        .iter()
        .filter(|o| !new.iter().any(|n| n.id == o.id))
        .map(|o| o.id)
        .collect();
    (upserts, removals)
}

/// `old` with `upserts` and `removals` applied, in id order.
pub fn apply(
    old: &[ServiceOrganisation],
    upserts: &[ServiceOrganisation],
    removals: &[OrganisationId],
) -> Vec<ServiceOrganisation> {
    let mut by_id: std::collections::BTreeMap<OrganisationId, ServiceOrganisation> = old
        .iter()
        .filter(|o| !removals.contains(&o.id))
        .map(|o| (o.id, o.clone()))
        .collect();
    for o in upserts {
        by_id.insert(o.id, o.clone());
    }
    by_id.into_values().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A synthetic health station serving `commune`, with `devices`.
    pub(crate) fn health_station(commune: &str, devices: Vec<DeviceId>) -> ServiceOrganisation {
        ServiceOrganisation {
            id: OrganisationId::random(),
            name: format!("Trạm Y tế xã {commune} (synthetic)"),
            sector: Sector::Health,
            services: vec![ServiceType::Health, ServiceType::Psychosocial],
            communes: vec![commune.into()],
            hours: "7:00–17:00".into(),
            languages: vec![Language::Vietnamese, Language::Mong],
            phone: "0213000000".into(),
            devices,
        }
    }

    #[test]
    fn an_organisation_is_checked_field_by_field() {
        let good = health_station("pa_u", vec![DeviceId::random()]);
        good.validate().unwrap();
        assert!(good.serves(ServiceType::Health, "pa_u"));
        assert!(!good.serves(ServiceType::LegalAid, "pa_u"));
        assert!(!good.serves(ServiceType::Health, "mu_ca"));
        let field = |o: ServiceOrganisation| match o.validate() {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let mut o = good.clone();
        o.services = vec![ServiceType::SafeShelter];
        assert_eq!(field(o), "directory.services.services");
        let mut o = good.clone();
        o.communes = vec!["nowhere".into()];
        assert_eq!(field(o), "directory.services.communes");
        let mut o = good.clone();
        o.phone = "call us".into();
        assert_eq!(field(o), "directory.services.phone");
        let mut o = good.clone();
        o.devices = (0..=MAX_ORGANISATION_DEVICES)
            .map(|_| DeviceId::random())
            .collect();
        assert_eq!(field(o), "directory.services.devices");
    }

    #[test]
    fn changes_and_apply_reproduce_the_newer_list() {
        let mut old = vec![
            health_station("pa_u", vec![]),
            health_station("mu_ca", vec![]),
            health_station("tan_phong", vec![]),
        ];
        old.sort_by_key(|o| o.id);
        let mut new = old.clone();
        new.remove(0);
        new[0].phone = "0213999999".into();
        new.push(health_station("pa_u", vec![DeviceId::random()]));
        new.sort_by_key(|o| o.id);
        let (upserts, removals) = changes(&old, &new);
        assert_eq!(upserts.len(), 2);
        assert_eq!(removals, [old[0].id]);
        assert_eq!(apply(&old, &upserts, &removals), new);
        validate_all(&new).unwrap();
        new.reverse();
        assert!(validate_all(&new).is_err());
    }
}
