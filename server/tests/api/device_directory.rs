//! The device directory shows a device only what it may need to reach. A
//! curious collaborator (or whoever holds its phone) asks the server to
//! list every device of its commune, or of another: refused. Everyone may
//! list the case managers of any commune (a new case's team starts with
//! those of the survivor's commune); a commune's case manager lists every
//! device of its own commune, the provincial officer every device. On
//! SQLite and PostgreSQL. A school counselor lists its own school's
//! counselors. Synthetic data only.

use crate::support::{Backend, RawDevice, Server, Team};
use binhan_core::model::Role;
use binhan_core::sync::wire::{encode, DeviceList, DeviceQuery};

const COMMUNE: &str = "pa_u";
const OTHER: &str = "than_uyen";

/// What `raw` gets for a listing of `commune`'s devices with `role`: the
/// status, and the roles listed.
async fn listing(raw: &RawDevice, commune: &str, role: Option<Role>) -> (u16, Vec<Role>) {
    let query = DeviceQuery {
        ids: vec![],
        commune: Some(commune.into()),
        role,
    };
    let response = raw.post("/v1/devices/query", encode(&query), true).await;
    if response.status != 200 {
        assert_eq!(response.error_code(), "not_listed_to_you");
        return (response.status, vec![]);
    }
    let list: DeviceList = response.decode();
    (200, list.devices.iter().map(|d| d.role).collect())
}

async fn the_directory_lists_only_what_a_device_may_reach(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let enrol = async |by: &crate::support::Phone, role, commune: &str| {
        let code = by.app.invite(role, commune, 24).await.unwrap().code;
        RawDevice::enrol(&server, &code).await
    };
    let collaborator = enrol(&team.manager, Role::Collaborator, COMMUNE).await;
    let manager = enrol(&team.officer, Role::CommuneCaseManager, COMMUNE).await;
    let other_manager = enrol(&team.officer, Role::CommuneCaseManager, OTHER).await;
    let officer = enrol(&team.officer, Role::ProvincialOfficer, "province").await;
    let managers = Some(Role::CommuneCaseManager);

    // A collaborator: its commune's managers, another commune's managers
    // (none there but one), nothing else.
    assert_eq!(listing(&collaborator, COMMUNE, managers).await.1.len(), 2);
    assert_eq!(listing(&collaborator, OTHER, managers).await.1.len(), 1);
    for role in [None, Some(Role::Collaborator)] {
        assert_eq!(listing(&collaborator, COMMUNE, role).await.0, 403);
        assert_eq!(listing(&collaborator, OTHER, role).await.0, 403);
    }
    // A manager: its own commune whole, another's managers only.
    let (status, roles) = listing(&manager, COMMUNE, None).await;
    assert_eq!((status, roles.len()), (200, 4), "{roles:?}");
    assert_eq!(listing(&other_manager, COMMUNE, None).await.0, 403);
    assert_eq!(listing(&other_manager, COMMUNE, managers).await.1.len(), 2);
    // The officer: any commune.
    assert_eq!(listing(&officer, COMMUNE, None).await.1.len(), 4);
    assert_eq!(listing(&officer, OTHER, None).await.1.len(), 1);
    // Devices by id stay open (signers of what a device pulls).
    let ids = vec![manager.identity.device_id()];
    let query = DeviceQuery {
        ids,
        ..DeviceQuery::default()
    };
    let response = collaborator
        .post("/v1/devices/query", encode(&query), true)
        .await;
    assert_eq!(response.decode::<DeviceList>().devices.len(), 1);
}
on_both_backends!(the_directory_lists_only_what_a_device_may_reach);

/// A school counselor lists the counselors of its own school (a school's
/// case starts with them on its team), as certified by its inviter, and no
/// other device beyond the managers; nobody else lists counselors but the
/// commune's managers and the officer.
async fn a_counselor_lists_only_its_school_s_counselors(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let counselor = async |school: &str| {
        let invitation = team.manager.app.invite_counselor(COMMUNE, school, 24);
        RawDevice::enrol(&server, &invitation.await.unwrap().code).await
    };
    let here = counselor("Trường THCS synthetic").await;
    let colleague = counselor("trường thcs  synthetic").await;
    let elsewhere = counselor("Trường tiểu học synthetic").await;
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let collaborator = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let counselors = Some(Role::SchoolCounselor);

    let listed = |list: DeviceList| {
        let mut ids: Vec<_> = list.devices.iter().map(|d| d.public.device_id).collect();
        ids.sort();
        ids
    };
    let query = DeviceQuery {
        ids: vec![],
        commune: Some(COMMUNE.into()),
        role: counselors,
    };
    let response = here.post("/v1/devices/query", encode(&query), true).await;
    let mut expected = vec![here.identity.device_id(), colleague.identity.device_id()];
    expected.sort();
    assert_eq!(listed(response.decode()), expected);
    assert_eq!(listing(&elsewhere, COMMUNE, counselors).await.1.len(), 1);
    assert_eq!(listing(&here, OTHER, counselors).await.0, 403);
    assert_eq!(listing(&here, COMMUNE, None).await.0, 403);
    assert_eq!(listing(&collaborator, COMMUNE, counselors).await.0, 403);
}
on_both_backends!(a_counselor_lists_only_its_school_s_counselors);
