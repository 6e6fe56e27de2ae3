//! The shelter directory and placements through a real server process, on
//! SQLite and PostgreSQL: the officer publishes the synthetic Lai Châu
//! directory, devices sync it and check the province's signature; a
//! placement flows from request to departure between a collaborator's and
//! a host's phone through the sealed mailbox, and free places follow; two
//! collaborators race for the last place; tampered or foreign publications
//! are refused and the previous directory kept; outsiders get nothing; an
//! enrolled phone keeps its commune's emergency numbers from the directory.

use crate::support::{assert_no_case_content, intake, Backend, Phone, RawDevice, Server, Team};
use binhan_core::model::{CaseId, DeviceId, Role};
use binhan_core::shelters::wire::{
    DirectoryRequest, DirectoryResponse, Mail, MailPull, MailPush, MailPushResponse,
    PublishRequest, MAX_MAIL_ITEMS,
};
use binhan_core::shelters::{
    AvailabilityUpdate, CancelRequest, ContactKind, DeclineReason, DirectoryUpdate, MailMessage,
    PlacementStatus, ProvincialSigner, RequestId, ShelterId, ShelterQuery, MAX_LIMIT,
};
use binhan_core::sync::wire::encode;
use binhan_core::Error;
use binhan_testkit::shelters::{self as synthetic, signed, valley_needs, SyntheticProvince};

fn province() -> &'static SyntheticProvince {
    static P: std::sync::OnceLock<SyntheticProvince> = std::sync::OnceLock::new();
    P.get_or_init(synthetic::lai_chau)
}

/// The valley commune office, hosted by `host`.
fn shelter() -> ShelterId {
    province().valley.same_side
}

/// The survivor of `case` agrees to share what a placement needs with the
/// valley commune office.
fn agree(phone: &Phone, case: binhan_core::model::CaseId) {
    let office = province()
        .shelters
        .iter()
        .find(|s| s.id == shelter())
        .unwrap();
    binhan_testkit::shelters::consent_to_shelter(&phone.app, case, office).unwrap();
}

/// Version `version` of the synthetic directory (2: `directory_v2`), with
/// `host` named as the host of the valley commune office.
fn directory(version: u64, host: DeviceId) -> binhan_core::shelters::ShelterDirectory {
    let mut d = match version {
        1 => province().directory(1),
        _ => province().directory_v2(),
    };
    for s in d.shelters.iter_mut().filter(|s| s.id == shelter()) {
        s.host_device = Some(host);
    }
    d
}

/// The placement status recorded on the case.
fn status(phone: &Phone, case: CaseId) -> Option<PlacementStatus> {
    let placement = phone.app.case(case).unwrap().placement;
    assert!(placement.len() <= 1, "no conflicting placements");
    placement.first().map(|p| p.value.status)
}

fn free_places(phone: &Phone) -> Option<u16> {
    let mut query = ShelterQuery::from(province().valley.start);
    query.straight_line = true;
    query.limit = MAX_LIMIT;
    let found = phone.app.nearest_shelters(&query).unwrap();
    found
        .shelters
        .iter()
        .find(|m| m.shelter.id == shelter())
        .and_then(|m| m.availability.free_places)
}

/// The health station's number among the phone's commune numbers.
fn health_station(phone: &Phone) -> Option<String> {
    phone
        .emergency_contacts()?
        .contacts
        .into_iter()
        .find(|c| c.kind == ContactKind::HealthStation)
        .map(|c| c.phone)
}

struct World {
    server: Server,
    team: Team,
    host: Phone,
}

/// A team of the valley commune, a shelter host, and the directory naming
/// the host published and synced by everyone.
async fn world(backend: Backend) -> World {
    let server = Server::start(backend);
    let team = Team::enrol(&server, synthetic::VALLEY_COMMUNE, 2).await;
    let host = team
        .manager
        .invite_phone(&server, Role::ShelterHost, synthetic::VALLEY_COMMUNE)
        .await;
    let v1 = signed(&DirectoryUpdate::Full(directory(
        1,
        host.app.device_id().unwrap(),
    )));
    let published = team
        .officer
        .app
        .publish_shelter_directory(&v1)
        .await
        .unwrap();
    assert_eq!((published.version, published.stored), (1, true));
    let again = team
        .officer
        .app
        .publish_shelter_directory(&v1)
        .await
        .unwrap();
    assert!(!again.stored, "publishing is idempotent");
    for phone in [&host, &team.collaborators[0], &team.collaborators[1]] {
        let report = phone.sync().await;
        assert_eq!(report.shelters.directory_version, Some(1));
        assert_eq!(report.shelters.directory_refused, None);
        assert_eq!(
            phone.app.provincial_key().unwrap(),
            Some(synthetic::province_signer().public_key()),
            "the province's key is pinned from the server"
        );
    }
    World { server, team, host }
}

async fn a_placement_flows_through_the_server(backend: Backend) {
    let w = world(backend).await;
    let (a, b) = (&w.team.collaborators[0], &w.team.collaborators[1]);

    // Each enrolled phone keeps its own commune's emergency numbers (the
    // synthetic Mù Cả's), readable before unlocking.
    a.app.lock();
    let mu_ca = a.emergency_contacts().expect("the commune's numbers");
    assert_eq!(mu_ca.commune, synthetic::VALLEY_COMMUNE);
    let numbers: Vec<_> = mu_ca.contacts.iter().map(|c| c.phone.as_str()).collect();
    assert_eq!(numbers, ["0200000037", "0200000038", "0200000039"]);
    a.app.unlock("493817").unwrap();

    // Only the officer publishes.
    let v1 = signed(&DirectoryUpdate::Full(directory(1, DeviceId::random())));
    match a.app.publish_shelter_directory(&v1).await {
        Err(Error::Refused {
            status: 403, code, ..
        }) => {
            assert_eq!(code, "not_provincial_officer")
        }
        other => panic!("{other:?}"),
    }

    w.host.app.host_shelter(shelter(), 3).unwrap();
    assert_eq!(w.host.sync().await.shelters.messages_sent, 1);
    a.sync().await;
    assert_eq!(free_places(a), Some(3), "free places reach every device");

    let case = a.app.create_case(intake("SHELTER-E2E-1", "mu_ca")).unwrap();
    agree(a, case);
    let request = a
        .app
        .request_placement(case, shelter(), valley_needs(2))
        .unwrap();
    assert_eq!(a.sync().await.shelters.messages_sent, 1);
    assert_eq!(w.host.sync().await.shelters.messages_received, 1);
    let inbox = w.host.app.placement_inbox().unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].request.needs, valley_needs(2));
    assert_eq!(w.host.app.accept_placement(request).unwrap().free_places, 1);
    w.host.sync().await;

    a.sync().await;
    assert_eq!(status(a, case), Some(PlacementStatus::Accepted));
    b.sync().await;
    assert_eq!(free_places(b), Some(1), "free places follow");

    w.host.app.record_arrival(request).unwrap();
    w.host.sync().await;
    a.sync().await;
    assert_eq!(status(a, case), Some(PlacementStatus::Arrived));
    assert_eq!(w.host.app.record_departure(request).unwrap().free_places, 3);
    w.host.sync().await;
    a.sync().await;
    b.sync().await;
    assert_eq!(status(a, case), Some(PlacementStatus::Departed));
    assert_eq!(free_places(b), Some(3));

    // The placement is on the case, and the case team sees it.
    a.sync().await;
    w.team.manager.sync().await;
    assert_eq!(
        status(&w.team.manager, case),
        Some(PlacementStatus::Departed)
    );

    // Repeating a sync moves nothing.
    let again = a.sync().await.shelters;
    assert_eq!((again.messages_sent, again.messages_received), (0, 0));

    // A delta reaches devices incrementally.
    let host_id = w.host.app.device_id().unwrap();
    let delta = directory(1, host_id)
        .delta_to(&directory(2, host_id))
        .unwrap();
    let v2 = signed(&DirectoryUpdate::Delta(delta));
    let published = w
        .team
        .officer
        .app
        .publish_shelter_directory(&v2)
        .await
        .unwrap();
    assert_eq!(published.version, 2);
    let report = a.sync().await.shelters;
    assert_eq!(report.directory_version, Some(2));
    assert_eq!(report.publications_applied, 1);
    assert_eq!(
        health_station(a).as_deref(),
        Some("0209999999"),
        "the delta's new number"
    );
    // A device that joins later gets the full directory, then the delta.
    let late = w
        .team
        .manager
        .invite_phone(&w.server, Role::Collaborator, "mu_ca")
        .await;
    let report = late.sync().await.shelters;
    assert_eq!(
        (report.directory_version, report.publications_applied),
        (Some(2), 2)
    );
    // It also hears the newest free places only.
    assert_eq!(free_places(&late), Some(3));
    assert_eq!(health_station(&late).as_deref(), Some("0209999999"));

    assert_no_case_content(&w.server);
    // The case never travels with shelter messages, and its code is sealed.
    let dump = w.server.backend.dump();
    assert!(!String::from_utf8_lossy(&dump).contains("SHELTER-E2E-1"));
}

async fn two_collaborators_race_for_the_last_place(backend: Backend) {
    let w = world(backend).await;
    let (a, b) = (&w.team.collaborators[0], &w.team.collaborators[1]);
    w.host.app.host_shelter(shelter(), 1).unwrap();
    w.host.sync().await;
    a.sync().await;
    b.sync().await;
    let case_a = a
        .app
        .create_case(intake("SHELTER-RACE-A", "mu_ca"))
        .unwrap();
    let case_b = b
        .app
        .create_case(intake("SHELTER-RACE-B", "mu_ca"))
        .unwrap();
    agree(a, case_a);
    agree(b, case_b);
    let ra = a
        .app
        .request_placement(case_a, shelter(), valley_needs(1))
        .unwrap();
    let rb = b
        .app
        .request_placement(case_b, shelter(), valley_needs(1))
        .unwrap();
    let (ja, jb) = tokio::join!(a.sync(), b.sync());
    assert_eq!(
        (ja.shelters.messages_sent, jb.shelters.messages_sent),
        (1, 1)
    );
    w.host.sync().await;
    assert_eq!(w.host.app.placement_inbox().unwrap().len(), 2);
    w.host.app.accept_placement(ra).unwrap();
    assert!(matches!(
        w.host.app.accept_placement(rb),
        Err(Error::NotAllowed(_))
    ));
    w.host.sync().await;
    a.sync().await;
    b.sync().await;
    assert_eq!(status(a, case_a), Some(PlacementStatus::Accepted));
    assert_eq!(status(b, case_b), Some(PlacementStatus::Declined));
    let sent = b.app.placement_requests().unwrap();
    assert_eq!(sent[0].decline_reason, Some(DeclineReason::NoFreePlaces));
    assert_eq!(free_places(b), Some(0));
}

/// Runs `sql` with `blobs` bound on the server's database (a compromised
/// database, for the tests that need one).
async fn tamper(backend: &Backend, sql: &'static str, version: i64, blobs: Vec<Vec<u8>>) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    let mut query = sqlx::query(sql).bind(version);
    for blob in blobs {
        query = query.bind(blob);
    }
    query.execute(&pool).await.unwrap();
    pool.close().await;
}

async fn bad_publications_are_refused_and_the_directory_kept(backend: Backend) {
    let w = world(backend).await;
    let a = &w.team.collaborators[0];
    let officer = &w.team.officer;
    let host_id = w.host.app.device_id().unwrap();

    // A key other than the province's: the server refuses it.
    let impostor = ProvincialSigner::from_seed([9; 32]);
    let foreign = impostor
        .sign(&DirectoryUpdate::Full(directory(2, host_id)))
        .unwrap();
    match officer
        .app
        .publish_shelter_directory(&foreign.encode())
        .await
    {
        Err(Error::Refused {
            status: 403, code, ..
        }) => assert_eq!(code, "not_provincial_key"),
        other => panic!("{other:?}"),
    }
    // A tampered upload: refused before anything is stored.
    let mut tampered = synthetic::province_signer()
        .sign(&DirectoryUpdate::Full(directory(2, host_id)))
        .unwrap();
    tampered.signature[5] ^= 1;
    let officer_raw = RawDevice::enrol(
        &w.server,
        &officer
            .app
            .invite(Role::ProvincialOfficer, "province", 24)
            .await
            .unwrap()
            .code,
    )
    .await;
    let raw = officer_raw
        .post(
            "/v1/shelters/publish",
            encode(&PublishRequest {
                publication: tampered.encode(),
            }),
            true,
        )
        .await;
    assert_eq!(
        (raw.status, raw.error_code().as_str()),
        (422, "bad_signature")
    );
    let raw = officer_raw
        .post(
            "/v1/shelters/publish",
            encode(&PublishRequest {
                publication: b"BHSD\x01 not a publication".to_vec(),
            }),
            true,
        )
        .await;
    assert_eq!(
        (raw.status, raw.error_code().as_str()),
        (400, "bad_publication")
    );
    // An older version, or a delta that does not start from the newest.
    let stale = signed(&DirectoryUpdate::Full(directory(1, DeviceId::random())));
    match officer.app.publish_shelter_directory(&stale).await {
        Err(Error::Refused { status: 409, .. }) => {}
        other => panic!("{other:?}"),
    }

    // A compromised database slips a publication in: the tampered one, then
    // one signed by the impostor. Devices refuse both and keep version 1.
    for bad in [tampered.encode(), foreign.encode()] {
        tamper(
            &w.server.backend,
            "INSERT INTO shelter_publications (version, from_version, signer, body, published_at)
             VALUES ($1, NULL, $2, $3, 0)",
            2,
            vec![synthetic::province_signer().public_key().0.to_vec(), bad],
        )
        .await;
        let report = a.sync().await.shelters;
        assert!(report.directory_refused.is_some(), "{report:?}");
        assert_eq!(report.directory_version, Some(1));
        assert_eq!(a.app.shelter_directory().unwrap().unwrap().version, 1);
        a.app
            .nearest_shelters(&ShelterQuery::from(province().valley.start))
            .expect("the directory held still answers");
        tamper(
            &w.server.backend,
            "DELETE FROM shelter_publications WHERE version = $1",
            2,
            vec![],
        )
        .await;
    }

    // A device configured with another provincial key refuses the server's.
    let stranger = w
        .team
        .manager
        .invite_phone(&w.server, Role::Collaborator, "mu_ca")
        .await;
    stranger
        .app
        .set_provincial_key(impostor.public_key())
        .unwrap();
    let report = stranger.sync().await.shelters;
    assert!(report.directory_refused.is_some());
    assert_eq!(report.directory_version, None);

    // The genuine version 2 still goes through afterwards.
    officer
        .app
        .publish_shelter_directory(&signed(&DirectoryUpdate::Full(directory(2, host_id))))
        .await
        .unwrap();
    assert_eq!(a.sync().await.shelters.directory_version, Some(2));
}

async fn outsiders_and_bad_mail_are_refused(backend: Backend) {
    let w = world(backend).await;
    let code = w
        .team
        .manager
        .app
        .invite(Role::Collaborator, "mu_ca", 24)
        .await
        .unwrap()
        .code;
    let raw = RawDevice::enrol(&w.server, &code).await;
    let ask = encode(&DirectoryRequest {
        held: None,
        max_bytes: 1 << 20,
    });

    // Without a token, or with a forged one: nothing.
    let refused = raw.post("/v1/shelters/directory", ask.clone(), false).await;
    assert_eq!(refused.status, 401);
    let forged = raw.clone_with_token("forged.token");
    assert_eq!(
        forged
            .post("/v1/shelters/directory", ask.clone(), true)
            .await
            .status,
        401
    );
    assert_eq!(
        raw.post("/v1/shelters/mailbox", encode(&MailPull::default()), false)
            .await
            .status,
        401
    );
    // Enrolled: the directory, with the province's key.
    let ok = raw.post("/v1/shelters/directory", ask.clone(), true).await;
    assert_eq!(ok.status, 200);
    let response: DirectoryResponse = ok.decode();
    assert_eq!(response.publications.len(), 1);
    assert_eq!(
        response.provincial_key,
        Some(synthetic::province_signer().public_key())
    );
    // Holding the newest: nothing to send.
    let none: DirectoryResponse = raw
        .post(
            "/v1/shelters/directory",
            encode(&DirectoryRequest {
                held: Some(1),
                max_bytes: 0,
            }),
            true,
        )
        .await
        .decode();
    assert!(none.publications.is_empty());

    // Bad mail: a clear 4xx each, and nothing stored.
    let host = w.host.app.device_id().unwrap();
    let host_record = binhan_core::sync::DevicePublic {
        device_id: host,
        ..raw.identity.public()
    };
    let cancel = MailMessage::Cancel(CancelRequest {
        request: RequestId::random(),
        shelter: shelter(),
        at: chrono::Utc::now(),
    });
    let good = Mail::seal(&raw.identity, 1, Some(&host_record), &cancel).unwrap();
    let post = |mail: Vec<Mail>| raw.post("/v1/shelters/send", encode(&MailPush { mail }), true);
    let mut unsigned = good.clone();
    unsigned.signature[0] ^= 1;
    let r = post(vec![unsigned]).await;
    assert_eq!((r.status, r.error_code().as_str()), (422, "bad_signature"));
    let mut not_mine = good.clone();
    not_mine.from = host;
    let r = post(vec![not_mine]).await;
    assert_eq!((r.status, r.error_code().as_str()), (403, "not_sender"));
    let mut shout = good.clone();
    shout.to = None;
    shout.body = cancel.encode();
    shout.signature = raw.identity.sign(&shout.signed_message());
    let r = post(vec![shout]).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "not_free_places")
    );
    let r = post(vec![good.clone(); MAX_MAIL_ITEMS + 1]).await;
    assert_eq!(r.status, 413);
    let r = raw
        .post("/v1/shelters/send", vec![1, 0xff, 0xff], true)
        .await;
    assert_eq!(r.status, 400);
    // To a device that is not enrolled: refused by id, not stored.
    let nobody = binhan_core::sync::DeviceIdentity::generate(DeviceId::random()).public();
    let lost = Mail::seal(&raw.identity, 2, Some(&nobody), &cancel).unwrap();
    let r: MailPushResponse = post(vec![lost.clone()]).await.decode();
    assert_eq!((r.stored, r.refused), (0, vec![lost.id]));

    // Free places from a device that does not host the shelter reach
    // devices, which refuse them.
    let fake = MailMessage::Availability(AvailabilityUpdate {
        shelter: shelter(),
        free_places: 9,
        confirmed_at: chrono::Utc::now(),
    });
    let r: MailPushResponse = post(vec![Mail::seal(&raw.identity, 3, None, &fake).unwrap()])
        .await
        .decode();
    assert_eq!(r.stored, 1);
    let a = &w.team.collaborators[0];
    let report = a.sync().await.shelters;
    assert_eq!(report.messages_refused, 1);
    assert_eq!(free_places(a), None);
    // The well-formed mail to the host is stored once however often sent.
    let r: MailPushResponse = post(vec![good.clone(), good]).await.decode();
    assert_eq!(r.stored, 2);
    // The host refuses it (it was not sealed to the host's key) and the
    // false free places too.
    let report = w.host.sync().await.shelters;
    assert_eq!(report.messages_refused, 2);

    // A revoked device is refused at once.
    w.team
        .manager
        .app
        .revoke_device(raw.identity.device_id())
        .await
        .unwrap();
    let r = raw.post("/v1/shelters/directory", ask, true).await;
    assert!(
        r.status == 401 || r.status == 403 || r.status == 410,
        "{}",
        r.status
    );
}

on_both_backends!(a_placement_flows_through_the_server);
on_both_backends!(two_collaborators_race_for_the_last_place);
on_both_backends!(bad_publications_are_refused_and_the_directory_kept);
on_both_backends!(outsiders_and_bad_mail_are_refused);
