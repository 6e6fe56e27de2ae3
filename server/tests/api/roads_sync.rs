//! The road network through a real server process, on SQLite and
//! PostgreSQL: the officer publishes a signed version in chunks, a phone
//! that never saw a road file ranks shelters by road after one sync; a
//! phone on a metered network only learns the size; a cut download resumes
//! with the chunks it lacks; a small change of the map travels as the few
//! chunks it changed. As an attacker who holds the server (a transport
//! between phone and server that rewrites answers): a manifest signed by
//! another key and a chunk whose bytes do not match its hash are refused
//! and the network held is kept. Synthetic data only.

use crate::support::{Backend, Phone, Server, Team};
use binhan_core::app::{RoadStatus, RoadUpdate, SyncOptions};
use binhan_core::shelters::roads::{ChunkHash, RoadManifest};
use binhan_core::shelters::wire::{RoadChunkRequest, RoadChunkResponse, RoadManifestResponse};
use binhan_core::shelters::{
    DirectoryUpdate, Language, ProvincialKey, ProvincialSigner, Ranking, ShelterQuery,
    SignedPublication,
};
use binhan_core::sync::wire::{decode, encode};
use binhan_core::sync::{CancelFlag, HttpTransport, Transport};
use binhan_core::{Error, Result};
use binhan_testkit::shelters::{self as synthetic, signed, signed_roads, SyntheticProvince};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

fn province() -> &'static SyntheticProvince {
    static P: std::sync::OnceLock<SyntheticProvince> = std::sync::OnceLock::new();
    P.get_or_init(synthetic::lai_chau)
}

/// What the attacker's transport does and saw.
#[derive(Default)]
struct Meddling {
    /// Cut the connection at this chunk request (1 = the next).
    cut_at: Option<usize>,
    /// Flip a byte of the last chunk of every answer.
    flip_last: bool,
    /// Serve this manifest and key instead of the server's.
    forged: Option<(Vec<u8>, ProvincialKey)>,
    /// Chunk requests, chunks asked for and chunks delivered intact.
    chunk_requests: usize,
    asked: Vec<ChunkHash>,
    delivered: Vec<ChunkHash>,
}

/// A transport between a phone and the real server that rewrites answers.
struct Meddler {
    inner: HttpTransport,
    state: Mutex<Meddling>,
}

impl Meddler {
    /// Puts a meddler between `phone` and the server at `url`.
    fn between(phone: &Phone, url: &str) -> Arc<Self> {
        let meddler = Arc::new(Self {
            inner: HttpTransport::new(url).unwrap(),
            state: Mutex::default(),
        });
        phone.app.set_transport(Some(meddler.clone()));
        meddler
    }

    fn with<R>(&self, f: impl FnOnce(&mut Meddling) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    /// Forgets what it saw and stops meddling.
    fn reset(&self) {
        self.with(|m| *m = Meddling::default());
    }

    async fn handle(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Result<Vec<u8>> {
        match path {
            "/v1/roads/chunks" => {
                let request: RoadChunkRequest = decode(&body).unwrap();
                let (cut, flip) = self.with(|m| {
                    m.chunk_requests += 1;
                    m.asked.extend(&request.chunks);
                    (m.cut_at == Some(m.chunk_requests), m.flip_last)
                });
                if cut {
                    return Err(Error::Network("connection cut (test)".into()));
                }
                let answer = self.inner.post_bytes(path, token, body).await?;
                let mut response: RoadChunkResponse = decode(&answer).unwrap();
                if flip {
                    response.chunks.last_mut().unwrap()[7] ^= 0x10;
                }
                let intact = response.chunks.len() - usize::from(flip);
                self.with(|m| m.delivered.extend(&request.chunks[..intact]));
                Ok(encode(&response))
            }
            "/v1/roads/manifest" => {
                let answer = self.inner.post_bytes(path, token, body).await?;
                let Some((manifest, key)) = self.with(|m| m.forged.clone()) else {
                    return Ok(answer);
                };
                Ok(encode(&RoadManifestResponse {
                    provincial_key: Some(key),
                    endorsement: None,
                    manifest: Some(manifest),
                }))
            }
            _ => self.inner.post_bytes(path, token, body).await,
        }
    }
}

meddling_transport!(Meddler);

async fn sync_on_wifi(phone: &Phone) -> binhan_core::app::RoadSyncReport {
    let options = SyncOptions { unmetered: true };
    let cancel = CancelFlag::default();
    let report = phone.app.sync_with(options, &|_| {}, &cancel).await;
    report.unwrap().shelters.roads
}

fn network_bytes(phone: &Phone) -> Option<Vec<u8>> {
    phone.app.road_network().unwrap().map(|n| n.to_bytes())
}

/// The synthetic grid network (3 MB) as version 1, and after one track was
/// paved as version 2.
fn grid(version: u64) -> (Vec<u8>, Vec<u8>) {
    let network = match version {
        1 => synthetic::large_network(60_000, 3),
        _ => synthetic::large_network_paved(60_000, 3),
    };
    signed_roads(&network.unwrap(), version)
}

fn chunk_hashes(file: &[u8]) -> HashSet<ChunkHash> {
    binhan_core::shelters::roads::split_into_chunks(file)
        .map(|(c, _)| c.hash)
        .collect()
}

async fn a_phone_that_never_saw_a_file_ranks_by_road(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, synthetic::VALLEY_COMMUNE, 2).await;
    let officer = &team.officer.app;
    officer
        .publish_shelter_directory(&signed(&DirectoryUpdate::Full(province().directory(1))))
        .await
        .unwrap();
    let network = province().road_network().unwrap();
    let (manifest, file) = signed_roads(&network, 1);
    let (a, b) = (&team.collaborators[0], &team.collaborators[1]);

    // Only the officer publishes, with the province's key, newer versions.
    match a.app.publish_road_network(&manifest, &file).await {
        Err(Error::Refused {
            status: 403, code, ..
        }) => assert_eq!(code, "not_provincial_officer"),
        other => panic!("a collaborator published roads: {other:?}"),
    }
    let published = officer
        .publish_road_network(&manifest, &file)
        .await
        .unwrap();
    assert_eq!(
        (published.version, published.stored, published.missing),
        (1, true, vec![])
    );
    let again = officer
        .publish_road_network(&manifest, &file)
        .await
        .unwrap();
    assert!(!again.stored, "publishing is idempotent");
    let at = synthetic::published_at();
    let (v2, _) = RoadManifest::of(&network, 2, at).unwrap();
    let foreign = ProvincialSigner::from_seed([9; 32]).sign(&v2).unwrap();
    match officer.publish_road_network(&foreign.encode(), &file).await {
        Err(Error::Refused {
            status: 403, code, ..
        }) => assert_eq!(code, "not_provincial_key"),
        other => panic!("another key published roads: {other:?}"),
    }
    let paved = synthetic::large_network_paved(400, 1).unwrap();
    let (other, other_file) = signed_roads(&paved, 1);
    match officer.publish_road_network(&other, &other_file).await {
        Err(Error::Refused {
            status: 409, code, ..
        }) => assert_eq!(code, "version_taken"),
        other => panic!("version 1 published twice: {other:?}"),
    }

    // A phone that never saw a road file, on Wi-Fi: one sync and it ranks
    // by road.
    assert!(network_bytes(a).is_none());
    let report = sync_on_wifi(a).await;
    assert_eq!(report.installed_version, Some(1));
    assert!(report.installed_now);
    assert_eq!(report.bytes_fetched, file.len() as u64);
    assert_eq!(network_bytes(a), Some(file.clone()));
    let mut query = ShelterQuery::from(province().valley.start);
    query.people = Some(2);
    query.language = Some(Language::Vietnamese);
    let found = a.app.nearest_shelters(&query).unwrap();
    assert_eq!(found.ranked_by, Ranking::RoadTravelTime);
    assert_eq!(found.shelters[0].shelter.id, province().valley.same_side);

    // A phone on a metered network (or one it cannot tell), Wi-Fi only by
    // default: nothing downloads, the size is known.
    let report = b.sync().await.shelters.roads;
    let size = file.len() as u64;
    let waiting = RoadUpdate {
        version: 1,
        download_bytes: size,
        total_bytes: size,
    };
    assert_eq!(report.waiting_for_wifi, Some(waiting));
    assert_eq!((report.bytes_fetched, report.installed_version), (0, None));
    assert_eq!(
        b.app.road_status().unwrap(),
        RoadStatus {
            installed_version: None,
            installed_bytes: None,
            update: Some(waiting),
            wifi_only: true,
        }
    );
    assert!(network_bytes(b).is_none());
    // The person chooses to download it now anyway.
    let now = b.app.download_road_update().await.unwrap();
    assert_eq!((now.installed_version, now.bytes_fetched), (Some(1), size));
    let status = b.app.road_status().unwrap();
    assert_eq!(
        (
            status.installed_version,
            status.installed_bytes,
            status.update
        ),
        (Some(1), Some(size), None)
    );
    // Nothing new: nothing waits, nothing travels.
    let report = b.sync().await.shelters.roads;
    assert_eq!((report.waiting_for_wifi, report.bytes_fetched), (None, 0));
}

async fn a_cut_download_resumes_and_an_update_brings_only_what_changed(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, synthetic::VALLEY_COMMUNE, 1).await;
    let officer = &team.officer.app;
    let (m1, f1) = grid(1);
    assert!(officer.publish_road_network(&m1, &f1).await.unwrap().stored);
    let phone = &team.collaborators[0];
    phone.app.set_roads_wifi_only(false).unwrap();
    let meddler = Meddler::between(phone, &server.url);

    // The connection is cut during the second request for chunks.
    meddler.with(|m| m.cut_at = Some(2));
    let cut = phone.app.sync(&|_| {}, &CancelFlag::default()).await;
    assert!(matches!(cut, Err(Error::Network(_))), "{cut:?}");
    assert!(network_bytes(phone).is_none());
    let before = meddler.with(|m| m.delivered.clone());
    assert!(!before.is_empty());
    let wanted = chunk_hashes(&f1);
    let left = phone.app.road_status().unwrap().update.unwrap();
    assert!(left.download_bytes < f1.len() as u64);

    // The next sync asks only for the chunks still missing, each once.
    meddler.reset();
    let report = phone.sync().await.shelters.roads;
    let asked = meddler.with(|m| m.asked.clone());
    assert_eq!(asked.len() + before.len(), wanted.len());
    assert!(asked.iter().all(|h| !before.contains(h)));
    assert_eq!(report.bytes_fetched, left.download_bytes);
    assert_eq!(report.installed_version, Some(1));
    assert_eq!(network_bytes(phone), Some(f1.clone()));

    // One track paved: only the chunks it changed travel.
    let (m2, f2) = grid(2);
    assert!(officer.publish_road_network(&m2, &f2).await.unwrap().stored);
    meddler.reset();
    let report = phone.sync().await.shelters.roads;
    assert_eq!(report.installed_version, Some(2));
    let changed = chunk_hashes(&f2).difference(&wanted).count();
    assert_eq!(report.chunks_fetched, changed as u64);
    assert!(report.bytes_fetched * 4 < f2.len() as u64, "{report:?}");
    assert_eq!(meddler.with(|m| m.chunk_requests), 1);
    assert_eq!(network_bytes(phone), Some(f2));
}

async fn an_attacker_holding_the_server_cannot_change_the_roads(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, synthetic::VALLEY_COMMUNE, 1).await;
    let officer = &team.officer.app;
    let (m1, f1) = grid(1);
    officer.publish_road_network(&m1, &f1).await.unwrap();
    let phone = &team.collaborators[0];
    sync_on_wifi(phone).await;
    assert_eq!(
        phone.app.provincial_key().unwrap(),
        Some(synthetic::province_signer().public_key()),
        "the province's key is pinned from the server"
    );
    let meddler = Meddler::between(phone, &server.url);
    let (m2, f2) = grid(2);
    officer.publish_road_network(&m2, &f2).await.unwrap();

    // Version 2 as the attacker signed it, offered with the attacker's key.
    let attacker = ProvincialSigner::from_seed([66; 32]);
    let key = synthetic::province_signer().public_key();
    let manifest: RoadManifest = SignedPublication::decode(&m2)
        .unwrap()
        .verify_as(&key)
        .unwrap();
    let forged = attacker.sign(&manifest).unwrap();
    meddler.with(|m| m.forged = Some((forged.encode(), attacker.public_key())));
    let report = sync_on_wifi(phone).await;
    assert!(report.refused.unwrap().contains("provincial key"));
    assert_eq!(phone.app.road_status().unwrap().update, None);
    // Claiming the province's key: the signature does not hold.
    let claimed = SignedPublication {
        signer: key.0,
        ..forged
    };
    meddler.with(|m| m.forged = Some((claimed.encode(), key)));
    let report = sync_on_wifi(phone).await;
    assert!(report.refused.unwrap().contains("signature"));
    assert_eq!(phone.app.road_status().unwrap().update, None);
    assert_eq!(network_bytes(phone), Some(f1.clone()));

    // The real manifest, but a chunk whose bytes do not match its hash.
    meddler.reset();
    meddler.with(|m| m.flip_last = true);
    let report = sync_on_wifi(phone).await;
    assert!(report.refused.unwrap().contains("road network chunk"));
    assert_eq!(report.installed_version, Some(1));
    assert_eq!(network_bytes(phone), Some(f1));
    let kept = meddler.with(|m| m.delivered.clone());
    assert_eq!(report.chunks_fetched, kept.len() as u64);

    // An honest answer: the chunks kept are not fetched again.
    meddler.reset();
    let report = sync_on_wifi(phone).await;
    assert_eq!(report.installed_version, Some(2));
    assert!(meddler.with(|m| m.asked.iter().all(|h| !kept.contains(h))));
    assert_eq!(network_bytes(phone), Some(f2));
}

on_both_backends!(a_phone_that_never_saw_a_file_ranks_by_road);
on_both_backends!(a_cut_download_resumes_and_an_update_brings_only_what_changed);
on_both_backends!(an_attacker_holding_the_server_cannot_change_the_roads);
