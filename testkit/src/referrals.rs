//! Synthetic organisations of the service directory, and the survivor's
//! consent to a referral. Every name and number here is made up.

use binhan_core::app::Vault;
use binhan_core::cases::CaseAction;
use binhan_core::model::{CaseId, Consent, ConsentGiver, DeviceId, ServiceType};
use binhan_core::referrals::{OrganisationId, Sector, ServiceOrganisation};
use binhan_core::shelters::Language;

/// A synthetic commune health station of `commune`, giving health care and
/// psychosocial support, whose referrals reach `devices`.
pub fn health_station(commune: &str, devices: Vec<DeviceId>) -> ServiceOrganisation {
    ServiceOrganisation {
        id: OrganisationId::random(),
        name: format!(
            "Trạm Y tế {} (tổng hợp)",
            binhan_core::model::commune(commune).map_or(commune, |c| c.name)
        ),
        sector: Sector::Health,
        services: vec![ServiceType::Health, ServiceType::Psychosocial],
        communes: vec![commune.to_string()],
        hours: "7:00–17:00, thứ Hai–thứ Sáu".into(),
        languages: vec![Language::Vietnamese, Language::Mong],
        phone: "0213000115".into(),
        devices,
    }
}

/// A synthetic legal-aid centre serving `communes`.
pub fn legal_aid_centre(communes: &[&str], devices: Vec<DeviceId>) -> ServiceOrganisation {
    ServiceOrganisation {
        id: OrganisationId::random(),
        name: "Trung tâm Trợ giúp pháp lý (tổng hợp)".into(),
        sector: Sector::JusticeLegalAid,
        services: vec![ServiceType::LegalAid],
        communes: communes.iter().map(|c| c.to_string()).collect(),
        hours: "7:30–16:30".into(),
        languages: vec![Language::Vietnamese],
        phone: "0213000111".into(),
        devices,
    }
}

/// Records the survivor's consent (or its withdrawal, `granted` false) to
/// `organisation` receiving what `service` needs.
pub fn consent_to(
    vault: &Vault,
    case: CaseId,
    organisation: &ServiceOrganisation,
    service: ServiceType,
    granted: bool,
) -> binhan_core::Result<()> {
    vault
        .act(
            case,
            CaseAction::RecordConsent(Consent {
                scope: organisation.consent_scope(service),
                granted,
                given_by: ConsentGiver::Survivor,
            }),
        )
        .map(|_| ())
}
