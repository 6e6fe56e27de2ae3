//! `binhan shelters`: the signed shelter directory, the road network,
//! nearest search, hosting a shelter and placing people. JSON in and out.
//!
//! Locations are read from JSON (standard input or --file), never from
//! arguments, which other programs on the machine can see.

use crate::input::Input;
use binhan_core::app::{Vault, VaultOptions, ROAD_FILE};
use binhan_core::model::{CaseId, Coded, DeviceId};
use binhan_core::shelters::roads::{import_roads, RoadManifest};
use binhan_core::shelters::{
    AcceptedGroup, DeclineReason, DirectoryUpdate, Language, MailMessage, PlacementNeeds,
    ProvincialKey, ProvincialSigner, Ranking, Recipient, RequestId, ShelterDirectory, ShelterId,
    ShelterQuery,
};
use binhan_core::{Error, Result, Rule};
use binhan_testkit::shelters as synthetic;
use clap::Subcommand;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Shelter commands.
#[derive(Subcommand)]
pub enum ShelterCommand {
    /// Configure the provincial office's public key (64 hex digits), against
    /// which every directory is checked.
    TrustKey {
        /// The key, e.g. `$(cat tests/fixtures/shelters/province_key.txt)`.
        key: ProvincialKey,
    },
    /// Load a signed directory publication (full or delta, a .bhsd file).
    LoadDirectory {
        /// The publication.
        #[arg(long)]
        file: PathBuf,
    },
    /// (Provincial officer) Upload a signed publication (a .bhsd file from
    /// `sign`) to the sync server; enrolled devices receive it at their next
    /// `binhan sync`, and pin the province's key from the server the first
    /// time unless `trust-key` configured one.
    Publish {
        /// The publication.
        #[arg(long)]
        file: PathBuf,
    },
    /// The directory on this device.
    Directory,
    /// (Provincial officer) The provincial signing key sealed in this
    /// vault, as its public key and fingerprint (the secret never comes
    /// out). `--generate` makes one; `--from-env` keeps the one whose seed
    /// is in BINHAN_PROVINCE_SIGNING_KEY (set once).
    SigningKey {
        /// Generate the key in the vault.
        #[arg(long, conflicts_with = "from_env")]
        generate: bool,
        /// Keep the key whose seed is in BINHAN_PROVINCE_SIGNING_KEY.
        #[arg(long)]
        from_env: bool,
    },
    /// (Provincial officer) Put a shelter (JSON, as in the directory) into
    /// the registry's draft, adding it or replacing the one with its id.
    DraftShelter {
        /// The shelter (JSON).
        #[arg(long)]
        file: PathBuf,
    },
    /// (Provincial officer) What publishing the registry's draft changes,
    /// and the version it publishes.
    Draft,
    /// (Provincial officer) Sign the registry's draft with the key in the
    /// vault and publish it (a delta from the directory held, or whole).
    PublishDraft,
    /// Shelters and standardised shelters per commune.
    Coverage,
    /// Import OpenStreetMap road data (.osm.pbf or GeoJSON) as this
    /// device's road network.
    ImportRoads {
        /// The road file.
        #[arg(long)]
        file: PathBuf,
    },
    /// The road network on this device, the update waiting (its size) and
    /// whether updates wait for Wi-Fi.
    Roads,
    /// Whether road network updates download on their own only on an
    /// unmetered network (`binhan sync --unmetered`).
    RoadsWifiOnly {
        /// true or false.
        #[arg(action = clap::ArgAction::Set)]
        wifi_only: bool,
    },
    /// Download the road network update waiting now, on any network.
    DownloadRoads,
    /// (Provincial office) Import OpenStreetMap road data and sign it as
    /// road network version --version: writes the signed manifest
    /// (roads.bhsd) and the network file it describes (roads.bhrn) to
    /// --out. The signing key as for `sign`.
    SignRoads {
        /// The road file (.osm.pbf or GeoJSON).
        #[arg(long)]
        file: PathBuf,
        /// The version published (higher than the last).
        #[arg(long)]
        version: u64,
        /// Sign with the synthetic key of the test fixture (training only).
        #[arg(long)]
        synthetic_key: bool,
        /// The folder to write to.
        #[arg(long)]
        out: PathBuf,
    },
    /// (Provincial officer) Upload a road network version (the folder
    /// `sign-roads` wrote) to the sync server: the chunks it lacks, then the
    /// manifest. Devices fetch what they lack at their next sync.
    PublishRoads {
        /// The folder `sign-roads` wrote.
        #[arg(long)]
        dir: PathBuf,
    },
    /// The nearest shelters: {"from": {"lat": …, "lon": …}, "people": …,
    /// "children": …, "step_free": …, "language": …, "limit": …,
    /// "straight_line": …, "max_age_hours": …}.
    Nearest {
        /// Read the query from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Host a shelter on this device (the directory must name this device).
    Host {
        /// The shelter id.
        shelter: ShelterId,
        /// Places free now.
        #[arg(long)]
        free: u16,
    },
    /// The host confirms how many places are free.
    Availability {
        /// Places free now.
        #[arg(long)]
        free: u16,
    },
    /// Requests waiting for this host's decision.
    Inbox,
    /// The host accepts a request.
    Accept {
        /// The request id.
        request: RequestId,
    },
    /// The host declines a request.
    Decline {
        /// The request id.
        request: RequestId,
        /// Why: no_free_places, group_not_accepted, cannot_meet_needs,
        /// not_taking_people, safety_concern, other.
        #[arg(long)]
        reason: String,
    },
    /// The people of an accepted request arrived.
    Arrive {
        /// The request id.
        request: RequestId,
    },
    /// The people left.
    Depart {
        /// The request id.
        request: RequestId,
    },
    /// Nobody came for an accepted request.
    NoShow {
        /// The request id.
        request: RequestId,
    },
    /// Ask a shelter for places for a case: {"shelter": ID, "needs":
    /// {"people": …, "children": …, "group": …, "step_free": …,
    /// "disability_support": …, "languages": […]}}.
    Request {
        /// The case id.
        case: CaseId,
        /// Read the request from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Withdraw a request this device sent.
    Cancel {
        /// The request id.
        request: RequestId,
    },
    /// Placement requests this device sent.
    Requests,
    /// Messages waiting to be sent, as JSON that `receive` on another device
    /// reads (`binhan sync` carries them through the server; this is for
    /// devices that meet without it).
    Outbox {
        /// Forget the messages once printed.
        #[arg(long)]
        ack: bool,
    },
    /// Apply another device's `outbox` output: the messages addressed to
    /// this device or to every device.
    Receive {
        /// Read the messages from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// (Provincial office) Sign a directory (JSON: its shelters and, in
    /// `contacts`, each commune's emergency numbers) as a full publication,
    /// or as a delta from --previous. The signing key's seed is read from
    /// BINHAN_PROVINCE_SIGNING_KEY (64 hex digits), never from an argument.
    Sign {
        /// The directory to publish (JSON).
        #[arg(long)]
        file: PathBuf,
        /// The directory devices hold now (JSON): publish a delta from it.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Name a host device for a shelter: SHELTER_ID=DEVICE_ID (repeatable).
        #[arg(long = "host")]
        hosts: Vec<String>,
        /// Set the version published.
        #[arg(long)]
        version: Option<u64>,
        /// Sign with the synthetic key of the test fixture (training only).
        #[arg(long)]
        synthetic_key: bool,
        /// Where to write the publication (.bhsd).
        #[arg(long)]
        out: PathBuf,
    },
    /// Two phones, synthetic data: a nearest-shelter search by straight line
    /// and by road, then a placement from request to arrival.
    Demo,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Encoding(e.to_string()))
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    Ok(std::fs::read(path)?)
}

fn code<T: Coded>(field: &str, value: &str) -> Result<T> {
    T::from_code(value).ok_or_else(|| Error::invalid(field, Rule::NotInList))
}

/// What `outbox` prints and `receive` reads.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Parcel {
    from: DeviceId,
    messages: Vec<binhan_core::shelters::OutboxEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestInput {
    shelter: ShelterId,
    needs: PlacementNeeds,
}

/// Runs a shelter command.
pub fn run(vault: &Path, input: &mut Input, command: ShelterCommand) -> Result<Value> {
    match command {
        ShelterCommand::Sign {
            file,
            previous,
            hosts,
            version,
            synthetic_key,
            out,
        } => {
            return sign(
                input,
                &file,
                previous.as_deref(),
                &hosts,
                version,
                synthetic_key,
                &out,
            )
        }
        ShelterCommand::SignRoads {
            file,
            version,
            synthetic_key,
            out,
        } => return sign_roads(input, &file, version, synthetic_key, &out),
        ShelterCommand::Demo => {
            let dir = vault.join(format!("shelters-demo-{}", std::process::id()));
            let report = demo(&dir);
            std::fs::remove_dir_all(&dir)?;
            return report;
        }
        _ => {}
    }
    let app = Vault::open(vault, VaultOptions::default())?;
    app.unlock(&input.pin()?)?;
    let host_json = |desk: binhan_core::shelters::HostedShelter| to_json(&desk);
    match command {
        ShelterCommand::TrustKey { key } => {
            app.set_provincial_key(key)?;
            Ok(json!({"provincial_key": key}))
        }
        ShelterCommand::LoadDirectory { file } => {
            to_json(&app.load_shelter_directory(&read_file(&file)?)?)
        }
        ShelterCommand::Publish { file } => {
            let publication = read_file(&file)?;
            to_json(&crate::sync::runtime()?.block_on(app.publish_shelter_directory(&publication))?)
        }
        ShelterCommand::Directory => match app.shelter_directory()? {
            Some(d) => to_json(&d),
            None => Ok(Value::Null),
        },
        ShelterCommand::Coverage => to_json(&app.shelter_coverage()?),
        ShelterCommand::SigningKey { generate, from_env } => {
            if generate {
                app.generate_signing_key()?;
            } else if from_env {
                let seed = input.secret("BINHAN_PROVINCE_SIGNING_KEY", "signing_key")?;
                app.set_signing_key_seed(&seed)?;
            }
            to_json(&app.signing_key()?)
        }
        ShelterCommand::DraftShelter { .. } | ShelterCommand::Draft => {
            if let ShelterCommand::DraftShelter { file } = &command {
                app.registry_put_shelter(input.json(Some(file), "shelter")?)?;
            }
            let (changes, version) = app.registry_changes()?;
            Ok(json!({"version": version, "changes": to_json(&changes)?}))
        }
        ShelterCommand::PublishDraft => {
            to_json(&crate::sync::runtime()?.block_on(app.publish_registry())?)
        }
        ShelterCommand::ImportRoads { file } => {
            to_json(&app.import_road_network(&read_file(&file)?)?)
        }
        ShelterCommand::Roads => to_json(&app.road_status()?),
        ShelterCommand::RoadsWifiOnly { wifi_only } => {
            app.set_roads_wifi_only(wifi_only)?;
            to_json(&app.road_status()?)
        }
        ShelterCommand::DownloadRoads => {
            to_json(&crate::sync::runtime()?.block_on(app.download_road_update())?)
        }
        ShelterCommand::PublishRoads { dir } => {
            let manifest = read_file(&dir.join(ROAD_MANIFEST_FILE))?;
            let network = read_file(&dir.join(ROAD_FILE))?;
            let rt = crate::sync::runtime()?;
            to_json(&rt.block_on(app.publish_road_network(&manifest, &network))?)
        }
        ShelterCommand::Nearest { file } => {
            let query: ShelterQuery = input.json(file.as_deref(), "")?;
            to_json(&app.nearest_shelters(&query)?)
        }
        ShelterCommand::Host { shelter, free } => host_json(app.host_shelter(shelter, free)?),
        ShelterCommand::Availability { free } => host_json(app.set_free_places(free)?),
        ShelterCommand::Inbox => to_json(&app.placement_inbox()?),
        ShelterCommand::Accept { request } => host_json(app.accept_placement(request)?),
        ShelterCommand::Decline { request, reason } => {
            let reason: DeclineReason = code("reason", &reason)?;
            host_json(app.decline_placement(request, reason)?)
        }
        ShelterCommand::Arrive { request } => host_json(app.record_arrival(request)?),
        ShelterCommand::Depart { request } => host_json(app.record_departure(request)?),
        ShelterCommand::NoShow { request } => host_json(app.record_no_show(request)?),
        ShelterCommand::Request { case, file } => {
            let r: RequestInput = input.json(file.as_deref(), "")?;
            let id = app.request_placement(case, r.shelter, r.needs)?;
            Ok(json!({"case_id": case, "request_id": id}))
        }
        ShelterCommand::Cancel { request } => {
            app.cancel_placement(request)?;
            Ok(json!({"request_id": request, "cancelled": true}))
        }
        ShelterCommand::Requests => to_json(&app.placement_requests()?),
        ShelterCommand::Outbox { ack } => {
            let messages = app.shelter_outbox()?;
            if ack {
                if let Some(last) = messages.last() {
                    app.ack_shelter_outbox(last.seq)?;
                }
            }
            to_json(&Parcel {
                from: app.device_id()?,
                messages,
            })
        }
        ShelterCommand::Receive { file } => {
            let parcel: Parcel = input.json(file.as_deref(), "")?;
            let me = app.device_id()?;
            let mut results = Vec::new();
            for entry in parcel.messages {
                let for_me = match entry.to {
                    Recipient::Device(d) => d == me,
                    Recipient::Everyone => true,
                };
                if for_me && parcel.from != me {
                    results.push(app.receive_mail(parcel.from, entry.message)?);
                }
            }
            Ok(json!({"received": results}))
        }
        ShelterCommand::Sign { .. } | ShelterCommand::SignRoads { .. } | ShelterCommand::Demo => {
            Ok(Value::Null)
        }
    }
}

/// The signed road network manifest in the folder `sign-roads` writes.
const ROAD_MANIFEST_FILE: &str = "roads.bhsd";

/// The provincial signing key: the synthetic one, or the seed from
/// BINHAN_PROVINCE_SIGNING_KEY.
fn province_signer(input: &mut Input, synthetic_key: bool) -> Result<ProvincialSigner> {
    if synthetic_key {
        return Ok(synthetic::province_signer());
    }
    let seed = input.secret("BINHAN_PROVINCE_SIGNING_KEY", "signing_key")?;
    ProvincialSigner::from_hex_seed(&seed)
}

fn sign_roads(
    input: &mut Input,
    file: &Path,
    version: u64,
    synthetic_key: bool,
    out: &Path,
) -> Result<Value> {
    let signer = province_signer(input, synthetic_key)?;
    let (network, import) = import_roads(&read_file(file)?)?;
    let (manifest, bytes) = RoadManifest::of(&network, version, chrono::Utc::now())?;
    let signed = signer.sign(&manifest)?.encode();
    std::fs::create_dir_all(out)?;
    std::fs::write(out.join(ROAD_MANIFEST_FILE), &signed)?;
    std::fs::write(out.join(ROAD_FILE), &bytes)?;
    Ok(json!({
        "version": version,
        "bytes": manifest.size,
        "chunks": manifest.chunks.len(),
        "manifest_bytes": signed.len(),
        "network": to_json(&import.network)?,
        "signer": signer.public_key(),
    }))
}

fn sign(
    input: &mut Input,
    file: &Path,
    previous: Option<&Path>,
    hosts: &[String],
    version: Option<u64>,
    synthetic_key: bool,
    out: &Path,
) -> Result<Value> {
    let signer = province_signer(input, synthetic_key)?;
    let mut directory: ShelterDirectory = input.json(Some(file), "directory")?;
    for host in hosts {
        let (shelter, device) = host
            .split_once('=')
            .ok_or_else(|| Error::invalid("host", Rule::BadFormat))?;
        let shelter: ShelterId = shelter.parse()?;
        let device: DeviceId = device.parse()?;
        let entry = directory
            .shelters
            .iter_mut()
            .find(|s| s.id == shelter)
            .ok_or_else(|| Error::NotFound(format!("shelter {shelter}")))?;
        entry.host_device = Some(device);
    }
    if let Some(v) = version {
        directory.version = v;
    }
    directory = ShelterDirectory::new(
        directory.version,
        directory.published_at,
        directory.shelters,
    )
    .with_contacts(directory.contacts)
    .with_services(directory.services);
    let update = match previous {
        Some(path) => {
            let old: ShelterDirectory = input.json(Some(path), "previous")?;
            DirectoryUpdate::Delta(old.delta_to(&directory)?)
        }
        None => DirectoryUpdate::Full(directory.clone()),
    };
    let bytes = signer.sign(&update)?.encode();
    std::fs::write(out, &bytes)?;
    Ok(json!({
        "kind": match update { DirectoryUpdate::Full(_) => "full", DirectoryUpdate::Delta(_) => "delta" },
        "version": update.version(),
        "shelters": directory.shelters.len(),
        "communes_with_contacts": directory.contacts.len(),
        "bytes": bytes.len(),
        "signer": signer.public_key(),
    }))
}

/// The demo: a host's phone and a collaborator's phone, synthetic data, in
/// `dir` (which it leaves for the caller to remove). `binhan demo` can call it.
pub fn demo(dir: &Path) -> Result<Value> {
    let config = VaultOptions::default();
    let host = Vault::create(&dir.join("host"), "493817", config.clone())?;
    let phone = Vault::create(&dir.join("collaborator"), "602938", config)?;
    let province = synthetic::lai_chau();
    let mut directory = province.directory(1);
    let office = province.valley.same_side;
    if let Some(s) = directory.shelters.iter_mut().find(|s| s.id == office) {
        s.host_device = Some(host.device_id()?);
    }
    let signer = synthetic::province_signer();
    let publication = signer.sign(&DirectoryUpdate::Full(directory))?.encode();
    let roads = province.roads_geojson();
    for app in [&host, &phone] {
        app.set_provincial_key(signer.public_key())?;
        app.load_shelter_directory(&publication)?;
    }
    phone.import_road_network(roads.as_bytes())?;
    host.host_shelter(office, 3)?;
    deliver(&host, &phone)?;

    // A collaborator on the valley's west rim looks for a place for 2.
    let mut query = ShelterQuery::from(province.valley.start);
    query.people = Some(2);
    query.language = Some(Language::Vietnamese);
    query.straight_line = true;
    let straight = phone.nearest_shelters(&query)?;
    query.straight_line = false;
    let by_road = phone.nearest_shelters(&query)?;
    let summary = |r: &binhan_core::shelters::NearestShelters| -> Value {
        Value::Array(
            r.shelters
                .iter()
                .map(|m| {
                    json!({
                        "name": m.shelter.name,
                        "straight_line_m": m.straight_line_m,
                        "road": m.road,
                        "free_places": m.availability.free_places,
                        "availability": m.availability.freshness.code(),
                    })
                })
                .collect(),
        )
    };

    let intake: binhan_core::cases::CaseIntake = serde_json::from_value(json!({
        "survivor": {"code": "DEMO-SHELTER", "sex": "female", "age_years": 27,
                     "commune": "mu_ca", "ethnic_group": "ha_nhi"},
        "incident": {"date": phone.today(), "time_of_day": "evening_night",
                     "place_type": "survivor_home", "commune": "mu_ca",
                     "violence_type": "physical_assault", "reported_on": phone.today(),
                     "account": "Synthetic demo account."},
    }))
    .map_err(|e| Error::Encoding(e.to_string()))?;
    let case = phone.create_case(intake)?;
    let needs = PlacementNeeds {
        people: 2,
        children: 1,
        group: AcceptedGroup::WomenWithChildren,
        step_free: false,
        disability_support: false,
        languages: vec![Language::HaNhi, Language::Vietnamese],
    };
    let shelter = province
        .shelters
        .iter()
        .find(|s| s.id == office)
        .ok_or_else(|| Error::NotFound("the demo's shelter".into()))?;
    binhan_testkit::shelters::consent_to_shelter(&phone, case, shelter)?;
    let request = phone.request_placement(case, office, needs)?;
    deliver(&phone, &host)?;
    let inbox = host.placement_inbox()?.len();
    host.accept_placement(request)?;
    deliver(&host, &phone)?;
    host.record_arrival(request)?;
    deliver(&host, &phone)?;
    let detail = phone.case(case)?;
    Ok(json!({
        "synthetic": true,
        "nearest_by_straight_line": summary(&straight),
        "nearest_by_road": summary(&by_road),
        "road_order_differs": straight.ranked_by == Ranking::StraightLine
            && straight.shelters.first().map(|m| m.shelter.id)
                != by_road.shelters.first().map(|m| m.shelter.id),
        "host_inbox_before_accepting": inbox,
        "placement_on_the_case": to_json(&detail.placement)?,
        "safe_shelter_services": to_json(&detail.services)?,
        "host_free_places_now": host.hosted_shelter()?.map(|h| h.free_places),
    }))
}

/// Hands `from`'s outbox to `to` as sync will.
fn deliver(from: &Vault, to: &Vault) -> Result<()> {
    let (sender, me) = (from.device_id()?, to.device_id()?);
    let outbox = from.shelter_outbox()?;
    for entry in &outbox {
        let for_it = match entry.to {
            Recipient::Device(d) => d == me,
            Recipient::Everyone => true,
        };
        if for_it {
            to.receive_mail(sender, MailMessage::decode(&entry.message.encode())?)?;
        }
    }
    if let Some(last) = outbox.last() {
        from.ack_shelter_outbox(last.seq)?;
    }
    Ok(())
}
