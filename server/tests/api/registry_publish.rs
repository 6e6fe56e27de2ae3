//! The officer's shelter registry through a real server: the signing key
//! generated in the officer's vault, a shelter and a commune's numbers
//! drafted there, published whole, then edited and published as a delta;
//! a collaborator's phone syncs each version and checks the province's
//! signature. Other roles are refused. Synthetic data only.

use crate::support::{Backend, Server, Team};
use binhan_core::error::Refusal;
use binhan_core::model::Role;
use binhan_core::shelters::{
    AcceptedGroup, Checklist, ContactKind, EmergencyContact, GeoPoint, HostContact, Language,
    Shelter, ShelterHours, ShelterId, ShelterKind, StandardItem,
};
use binhan_core::Error;

const COMMUNE: &str = "pa_u";

fn synthetic_shelter() -> Shelter {
    Shelter {
        id: ShelterId::random(),
        name: "Nhà bà Synthetic (giả lập)".into(),
        kind: ShelterKind::PersonOfStandingHome,
        commune: COMMUNE.into(),
        location: GeoPoint::new(22.39, 103.46),
        capacity: 2,
        accepts: vec![AcceptedGroup::Women, AcceptedGroup::WomenWithChildren],
        accessibility: vec![],
        languages: vec![Language::Vietnamese, Language::Mong],
        hours: ShelterHours::Always,
        contact: HostContact {
            name: Some("Trưởng bản (giả lập)".into()),
            phone: Some("0200 000 501".into()),
        },
        host_device: None,
        active: true,
        checklist: Checklist::default(),
    }
}

async fn the_officer_publishes_from_the_vault(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let (officer, phone) = (&team.officer.app, &team.collaborators[0].app);

    let key = officer.generate_signing_key().unwrap();
    let mut shelter = synthetic_shelter();
    officer.registry_put_shelter(shelter.clone()).unwrap();
    officer
        .registry_set_contacts(
            COMMUNE,
            vec![EmergencyContact {
                kind: ContactKind::CommunePolice,
                name: "Trực ban (giả lập)".into(),
                phone: "0200000511".into(),
            }],
        )
        .unwrap();
    let first = officer.publish_registry().await.unwrap();
    assert_eq!((first.version, first.full, first.stored), (1, true, true));
    assert_eq!(first.changes.added.len(), 1);
    assert_eq!(officer.shelter_directory().unwrap().unwrap().version, 1);
    assert_eq!(
        officer.provincial_key().unwrap().unwrap().to_string(),
        key.public_key
    );

    let report = team.collaborators[0].sync().await;
    assert_eq!(report.shelters.directory_version, Some(1));
    let held = phone.shelter_directory().unwrap().unwrap();
    assert_eq!(held.shelter(&shelter.id).unwrap().name, shelter.name);
    assert_eq!(
        held.contacts_of(COMMUNE).unwrap().contacts[0].phone,
        "0200000511"
    );
    assert_eq!(
        phone.provincial_key().unwrap().unwrap().to_string(),
        key.public_key
    );

    // Edited: the checklist met, one more place; published as a delta.
    shelter.capacity = 3;
    shelter.checklist = Checklist::all_met();
    shelter.checklist.set(StandardItem::Meals, true);
    officer.registry_put_shelter(shelter.clone()).unwrap();
    let second = officer.publish_registry().await.unwrap();
    assert_eq!((second.version, second.full), (2, false));
    assert_eq!(second.changes.edited.len(), 1);
    team.collaborators[0].sync().await;
    let held = phone.shelter_directory().unwrap().unwrap();
    assert_eq!(held.version, 2);
    assert!(held.shelter(&shelter.id).unwrap().is_standardised());
    assert_eq!(held.coverage().standardised_in_province, 1);

    // A manager cannot publish, even with a key of its own.
    let refused = team.manager.app.publish_registry().await;
    assert!(matches!(
        refused,
        Err(Error::NotAllowed(Refusal::OfficersOnly))
    ));
    assert!(matches!(
        team.manager.app.generate_signing_key(),
        Err(Error::NotAllowed(Refusal::OfficersOnly))
    ));
    assert_eq!(
        team.manager.app.enrolment().unwrap().unwrap().role,
        Role::CommuneCaseManager
    );
}

on_both_backends!(the_officer_publishes_from_the_vault);
