//! The demo's referral: a commune health station's phone (enrolled by the
//! commune case manager and listed in the province's signed directory)
//! receives a collaborator's referral, made with the survivor's consent,
//! carrying only the fields health may receive; it accepts and records the
//! service, and the collaborator's case shows it delivered.

use super::{synthetic_intake, Phone, COMMUNE};
use binhan_core::app::ReferralDraft;
use binhan_core::model::{Role, ServiceType};
use binhan_core::referrals::{ProviderStep, ServiceOrganisation, SharedFact, Urgency};
use serde_json::{json, Value};

/// Enrols the health station's phone, invited by `manager`; returns it with
/// its entry for the service directory (synthetic).
pub(super) async fn enrol_station(
    dir: &std::path::Path,
    url: &str,
    manager: &Phone,
) -> Result<(Phone, ServiceOrganisation), String> {
    let err = |e: binhan_core::Error| e.to_string();
    let station = Phone::new(dir, "health-station")?;
    let code = manager
        .app
        .invite(Role::ServiceProvider, COMMUNE, 24)
        .await
        .map_err(err)?
        .code;
    station
        .app
        .enrol(url, &code, "health-station")
        .await
        .map_err(err)?;
    let entry = binhan_testkit::referrals::health_station(
        COMMUNE,
        vec![station.app.device_id().map_err(err)?],
    );
    Ok((station, entry))
}

/// Runs the referral once the directory listing `health` is published.
pub(super) async fn run(
    collaborator: &Phone,
    station: &Phone,
    health: &ServiceOrganisation,
) -> Result<Value, String> {
    let err = |e: binhan_core::Error| e.to_string();
    let case = collaborator
        .app
        .create_case(synthetic_intake(&collaborator.app, 10))
        .map_err(err)?;
    binhan_testkit::referrals::consent_to(
        &collaborator.app,
        case,
        health,
        ServiceType::Health,
        true,
    )
    .map_err(err)?;
    let draft = ReferralDraft {
        organisation: health.id,
        service: ServiceType::Health,
        urgency: Urgency::Urgent,
        ask: "Khám và chăm sóc sau vụ việc (demo).".into(),
        due: None,
        chosen: vec![],
    };
    let referral = collaborator.app.send_referral(case, draft).map_err(err)?;
    collaborator.sync().await?;
    station.sync().await?;
    let received = station.app.referral_inbox().map_err(err)?;
    let fields: Vec<_> = received
        .iter()
        .flat_map(|r| r.content.iter().flat_map(|c| c.facts.iter()))
        .map(SharedFact::field)
        .collect();
    station
        .app
        .answer_referral(referral, ProviderStep::Accepted)
        .map_err(err)?;
    station
        .app
        .answer_referral(
            referral,
            ProviderStep::Delivered {
                on: station.app.today(),
                what: "Khám, điều trị (demo)".into(),
            },
        )
        .map_err(err)?;
    station.sync().await?;
    collaborator.sync().await?;
    let summary = collaborator
        .app
        .case(case)
        .map_err(err)?
        .referrals
        .into_iter()
        .next()
        .ok_or("the case records its referral")?;
    Ok(json!({
        "organisation": health.name,
        "referrals_in_station_inbox": received.len(),
        "fields_the_station_received": fields,
        "case_referral_status": summary.latest.status,
        "first_service_delivered_on": summary.first_delivered,
    }))
}
