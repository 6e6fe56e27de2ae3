//! The demo's shelters: the officer publishes the synthetic Lai Châu
//! directory (signed with the fixture's synthetic key), a collaborator
//! searches for the nearest shelter in the Mù Cả valley by straight line
//! and by road, and a placement goes from request to arrival between the
//! collaborator's and the host's phones through the server.

use super::{synthetic_intake, Phone, COMMUNE};
use binhan_core::model::Role;
use binhan_core::shelters::{
    AcceptedGroup, DirectoryUpdate, NearestShelters, PlacementNeeds, ShelterId, ShelterQuery,
};
use binhan_testkit::shelters as synthetic;
use serde_json::{json, Value};

fn ranking(found: &NearestShelters) -> Value {
    json!({
        "ranked_by": found.ranked_by,
        "shelters": found.shelters.iter().map(|m| json!({
            "name": m.shelter.name,
            "straight_line_m": m.straight_line_m,
            "road": m.road,
            "free_places": m.availability.free_places,
        })).collect::<Vec<_>>(),
    })
}

fn status(phone: &Phone, case: binhan_core::model::CaseId) -> Result<Value, String> {
    let placement = phone.app.case(case).map_err(|e| e.to_string())?.placement;
    Ok(json!(placement.first().map(|p| p.value.status)))
}

/// Runs the shelter part of the demo with the officer's, the commune
/// manager's (who invites the host) and a collaborator's phones; the
/// directory the officer publishes lists `services` too.
pub(super) async fn run(
    dir: &std::path::Path,
    url: &str,
    officer: &Phone,
    manager: &Phone,
    collaborator: &Phone,
    services: Vec<binhan_core::referrals::ServiceOrganisation>,
) -> Result<Value, String> {
    let err = |e: binhan_core::Error| e.to_string();
    let host = Phone::new(dir, "shelter-host")?;
    let code = manager
        .app
        .invite(Role::ShelterHost, COMMUNE, 24)
        .await
        .map_err(err)?
        .code;
    host.app
        .enrol(url, &code, "shelter-host")
        .await
        .map_err(err)?;

    let province = synthetic::lai_chau();
    let valley = &province.valley;
    let shelter: ShelterId = valley.same_side;
    let mut directory = province.directory(1).with_services(services);
    for s in directory.shelters.iter_mut().filter(|s| s.id == shelter) {
        s.host_device = Some(host.app.device_id().map_err(err)?);
    }
    let hosted = directory
        .shelter(&shelter)
        .cloned()
        .ok_or("the synthetic valley shelter is in the directory")?;
    let publication = synthetic::province_signer()
        .sign(&DirectoryUpdate::Full(directory))
        .map_err(err)?
        .encode();
    let published = officer
        .app
        .publish_shelter_directory(&publication)
        .await
        .map_err(err)?;
    host.sync().await?;
    host.app.host_shelter(shelter, 3).map_err(err)?;
    host.sync().await?;
    let directory_sync = collaborator.sync().await?.shelters;

    collaborator
        .app
        .import_road_network(&province.roads_pbf())
        .map_err(err)?;
    let mut query = ShelterQuery::from(valley.start);
    query.limit = 3;
    query.straight_line = true;
    let straight = collaborator.app.nearest_shelters(&query).map_err(err)?;
    query.straight_line = false;
    let by_road = collaborator.app.nearest_shelters(&query).map_err(err)?;
    let first = |found: &NearestShelters| found.shelters.first().map(|m| m.shelter.id);

    let case = collaborator
        .app
        .create_case(synthetic_intake(&collaborator.app, 9))
        .map_err(err)?;
    // The survivor agrees to share what the placement needs with that shelter.
    synthetic::consent_to_shelter(&collaborator.app, case, &hosted).map_err(err)?;
    let needs = PlacementNeeds {
        people: 2,
        children: 0,
        group: AcceptedGroup::Women,
        step_free: false,
        disability_support: false,
        languages: vec![],
    };
    let request = collaborator
        .app
        .request_placement(case, shelter, needs)
        .map_err(err)?;
    let mut steps =
        vec![json!({"collaborator": "requested", "case_placement": status(collaborator, case)?})];
    collaborator.sync().await?;
    host.sync().await?;
    let waiting = host.app.placement_inbox().map_err(err)?.len();
    let accepted = host.app.accept_placement(request).map_err(err)?;
    host.sync().await?;
    collaborator.sync().await?;
    steps.push(json!({
        "host": "accepted",
        "requests_waiting_at_host": waiting,
        "free_places": accepted.free_places,
        "case_placement": status(collaborator, case)?,
    }));
    let arrived = host.app.record_arrival(request).map_err(err)?;
    host.sync().await?;
    collaborator.sync().await?;
    steps.push(json!({
        "host": "arrived",
        "free_places": arrived.free_places,
        "case_placement": status(collaborator, case)?,
    }));

    Ok(json!({
        "directory_published_version": published.version,
        "collaborator_directory_sync": directory_sync,
        "nearest_from_the_west_rim_of_mu_ca_valley": {
            "straight_line": ranking(&straight),
            "by_road": ranking(&by_road),
            "rankings_differ": first(&straight) != first(&by_road),
        },
        "placement_through_the_server": steps,
    }))
}
