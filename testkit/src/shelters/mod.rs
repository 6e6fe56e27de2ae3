//! A synthetic Lai Châu for tests, benchmarks, the demo and the committed
//! fixture (`tests/fixtures/shelters/`, written by
//! `cargo run -p binhan-core --example shelter_fixture`).
//!
//! **Everything here is made up.** The commune codes are the province's real
//! ones; their positions, every road and every shelter are invented on a
//! jittered grid inside the province's bounds. Shelter names end in
//! "(giả lập)" (simulated); phone numbers start with 0000, and the
//! communes' emergency contacts (police, health station, People's
//! Committee) have synthetic numbers from `0200000001` on.
//!
//! The network has main roads joining commune centres along a spanning tree
//! (so two neighbouring communes may be far apart by road), village tracks,
//! and, in the north-west, the **Mù Cả valley**: a collaborator on its west
//! rim ([`Valley::start`]) is 3.5 km in a straight line from a host's home
//! on the east rim ([`Valley::across`]) but the only bridge is 15 km
//! upstream, so it is over two and a half hours away on tracks (31 km),
//! while the commune office 5 km away on the same side
//! ([`Valley::same_side`]) is about twelve minutes by road. A village beyond
//! a landslide ([`Valley::cut_off`]) has a shelter no road reaches any more.
//! Named villages ([`SyntheticPlace`]) sit at village ends of tracks, one
//! of them at the valley's start ([`VALLEY_VILLAGE`]).

mod bench;
mod pbf;
mod places;

pub use bench::{large_network, large_network_paved, random_shelters};

pub use places::{SyntheticPlace, VALLEY_VILLAGE};

use binhan_core::model::{Coded, COMMUNES};
use binhan_core::shelters::roads::{Direction, RoadBuilder, RoadClass, RoadManifest, RoadNetwork};
use binhan_core::shelters::{
    AcceptedGroup, Accessibility, AvailabilityUpdate, Checklist, CommuneContacts, ContactKind,
    DirectoryUpdate, EmergencyContact, GeoPoint, HostContact, Language, PlacementNeeds,
    ProvincialSigner, Shelter, ShelterDirectory, ShelterHours, ShelterId, ShelterKind,
    StandardItem, EARTH_RADIUS_M,
};
use binhan_core::Result;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use sha2::Digest;

pub use crate::rng::Rng;

/// The synthetic provincial signing key. Its seed is public (derived from a
/// label), so it must never sign anything real.
pub fn province_signer() -> ProvincialSigner {
    ProvincialSigner::from_seed(province_seed())
}

/// The seed of [`province_signer`], in hexadecimal (as an officer's vault
/// is given it, `Vault::set_signing_key_seed`).
pub fn province_seed_hex() -> String {
    province_seed().iter().map(|b| format!("{b:02x}")).collect()
}

fn province_seed() -> [u8; 32] {
    sha2::Sha256::digest(b"binhan synthetic provincial key - NOT FOR PRODUCTION").into()
}

/// `update` signed with the synthetic provincial key, encoded as phones
/// and the server receive it.
pub fn signed(update: &DirectoryUpdate) -> Vec<u8> {
    province_signer()
        .sign(update)
        .expect("the synthetic key signs any update")
        .encode()
}

/// Version `version` of `network` as the province publishes it, signed with
/// the synthetic key: the encoded manifest and the network file it
/// describes (what `binhan shelters sign-roads` writes).
pub fn signed_roads(network: &RoadNetwork, version: u64) -> (Vec<u8>, Vec<u8>) {
    let (manifest, file) = RoadManifest::of(network, version, published_at())
        .expect("a synthetic network fits a manifest");
    let signed = province_signer()
        .sign(&manifest)
        .expect("the synthetic key signs any manifest");
    (signed.encode(), file)
}

/// A placement request the valley's shelters can take: `people` women, no
/// children, speaking Hà Nhì (the valley commune's language), needing no
/// step-free access or disability support.
pub fn valley_needs(people: u8) -> PlacementNeeds {
    PlacementNeeds {
        people,
        children: 0,
        group: AcceptedGroup::Women,
        step_free: false,
        disability_support: false,
        languages: vec![Language::HaNhi],
    }
}

/// Records on `case` the survivor's consent to share what a placement
/// needs with `shelter` (as the finder's "the survivor agrees" does).
pub fn consent_to_shelter(
    vault: &binhan_core::app::Vault,
    case: binhan_core::model::CaseId,
    shelter: &Shelter,
) -> binhan_core::Result<()> {
    use binhan_core::cases::CaseAction;
    use binhan_core::model::{Consent, ConsentGiver};
    vault
        .act(
            case,
            CaseAction::RecordConsent(Consent {
                scope: shelter.consent_scope(),
                granted: true,
                given_by: ConsentGiver::Survivor,
            }),
        )
        .map(|_| ())
}

/// When the synthetic directory's first version was published.
pub fn published_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_272_000, 0).unwrap_or_default() // 2026-06-01 00:00 UTC
}

/// One road of the synthetic network.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticWay {
    /// Its class.
    pub class: RoadClass,
    /// One-way in the order of its points.
    pub oneway: bool,
    /// Its points (rounded to 10⁻⁶ degree, so file formats lose nothing).
    pub points: Vec<GeoPoint>,
}

/// The places of the Mù Cả valley scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Valley {
    /// A collaborator on the west rim.
    pub start: GeoPoint,
    /// A host's home on the east rim: nearest in a straight line, far by road.
    pub across: ShelterId,
    /// The commune office on the same side: further in a straight line,
    /// nearest by road.
    pub same_side: ShelterId,
    /// A shelter beyond a landslide: no road reaches it.
    pub cut_off: ShelterId,
}

/// The synthetic province.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticProvince {
    /// Roads and paths.
    pub ways: Vec<SyntheticWay>,
    /// Named villages and other `place` nodes.
    pub places: Vec<SyntheticPlace>,
    /// Shelters, by id.
    pub shelters: Vec<Shelter>,
    /// Commune centres, in the order of [`COMMUNES`].
    pub centres: Vec<GeoPoint>,
    /// The valley scenario.
    pub valley: Valley,
}

fn round6(p: GeoPoint) -> GeoPoint {
    GeoPoint::new((p.lat * 1e6).round() / 1e6, (p.lon * 1e6).round() / 1e6)
}

/// A road from `a` to `b` that bends like a mountain road, a point every
/// ~400 m; the ends are exactly `a` and `b`.
fn bending(a: GeoPoint, b: GeoPoint, rng: &mut Rng, bend: f64) -> Vec<GeoPoint> {
    let east = (b.lon - a.lon).to_radians() * EARTH_RADIUS_M * a.lat.to_radians().cos();
    let north = (b.lat - a.lat).to_radians() * EARTH_RADIUS_M;
    let len = east.hypot(north).max(1.0);
    let (px, py) = (-north / len, east / len);
    let n = ((len / 400.0).ceil() as usize).max(2);
    let waves = rng.range(2.0, 5.0).round();
    let phase = rng.range(0.0, std::f64::consts::PI);
    let amp = (bend * len).min(1_500.0);
    let mut points: Vec<GeoPoint> = (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let off = amp
                * (std::f64::consts::PI * t).sin()
                * (waves * std::f64::consts::PI * t + phase).sin();
            round6(a.offset_m(t * east + off * px, t * north + off * py))
        })
        .collect();
    points[0] = a;
    points[n] = b;
    points
}

/// District towns (with a hospital in the fixture).
const DISTRICT_TOWNS: [&str; 8] = [
    "tan_phong",
    "tam_duong",
    "phong_tho",
    "sin_ho",
    "muong_te",
    "than_uyen",
    "tan_uyen",
    "nam_hang",
];

/// The commune of the valley scenario.
pub const VALLEY_COMMUNE: &str = "mu_ca";

fn local_languages(commune: &str) -> Vec<Language> {
    const LOCAL: [Language; 8] = [
        Language::Mong,
        Language::Thai,
        Language::Dao,
        Language::HaNhi,
        Language::Giay,
        Language::Lu,
        Language::KhoMu,
        Language::LaHu,
    ];
    if commune == VALLEY_COMMUNE {
        return vec![Language::HaNhi, Language::LaHu];
    }
    let h = sha2::Sha256::digest(commune.as_bytes());
    let first = LOCAL[h[0] as usize % LOCAL.len()];
    let second = LOCAL[h[1] as usize % LOCAL.len()];
    if first == second {
        vec![first]
    } else {
        vec![first, second]
    }
}

struct ShelterMaker {
    rng: Rng,
    count: u32,
    standardised_health_stations: u32,
}

impl ShelterMaker {
    fn make(&mut self, kind: ShelterKind, commune: &str, location: GeoPoint) -> Shelter {
        let rng = &mut self.rng;
        self.count += 1;
        let name_of_commune = binhan_core::model::commune(commune)
            .map(|c| c.place())
            .unwrap_or(commune);
        let (capacity, accepts, accessibility): (u16, Vec<AcceptedGroup>, Vec<Accessibility>) =
            match kind {
                ShelterKind::Hospital => (
                    10 + rng.below(11) as u16,
                    AcceptedGroup::ALL.to_vec(),
                    Accessibility::ALL.to_vec(),
                ),
                ShelterKind::SocialProtectionCentre => (
                    30,
                    vec![
                        AcceptedGroup::Women,
                        AcceptedGroup::WomenWithChildren,
                        AcceptedGroup::ChildrenAlone,
                    ],
                    Accessibility::ALL.to_vec(),
                ),
                ShelterKind::HealthStation => (
                    3 + rng.below(4) as u16,
                    if rng.below(2) == 0 {
                        vec![
                            AcceptedGroup::Women,
                            AcceptedGroup::WomenWithChildren,
                            AcceptedGroup::ChildrenAlone,
                        ]
                    } else {
                        vec![AcceptedGroup::Women, AcceptedGroup::WomenWithChildren]
                    },
                    vec![Accessibility::StepFree, Accessibility::AccessibleToilet],
                ),
                ShelterKind::CommuneOffice => (
                    4 + rng.below(5) as u16,
                    vec![AcceptedGroup::Women, AcceptedGroup::WomenWithChildren],
                    if rng.below(2) == 0 {
                        vec![Accessibility::StepFree]
                    } else {
                        vec![]
                    },
                ),
                ShelterKind::PersonOfStandingHome => (
                    2 + rng.below(3) as u16,
                    if rng.below(3) == 0 {
                        vec![AcceptedGroup::Women]
                    } else {
                        vec![AcceptedGroup::Women, AcceptedGroup::WomenWithChildren]
                    },
                    if rng.below(3) == 0 {
                        vec![Accessibility::DisabilitySupport]
                    } else {
                        vec![]
                    },
                ),
            };
        let mut languages = vec![Language::Vietnamese];
        languages.extend(local_languages(commune));
        let standardised = match kind {
            ShelterKind::Hospital | ShelterKind::SocialProtectionCentre => true,
            ShelterKind::HealthStation if self.standardised_health_stations < 5 => {
                self.standardised_health_stations += 1;
                true
            }
            _ => false,
        };
        let mut checklist = Checklist::all_met();
        if !standardised {
            for _ in 0..=rng.below(4) {
                let item = StandardItem::ALL[rng.below(StandardItem::ALL.len() as u64) as usize];
                checklist.set(item, false);
            }
        }
        checklist.reviewed_on = chrono::NaiveDate::from_ymd_opt(2026, 5, 1 + rng.below(28) as u32);
        let hours = match kind {
            ShelterKind::CommuneOffice => ShelterHours::Daily {
                from: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
                to: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
            },
            _ => ShelterHours::Always,
        };
        Shelter {
            id: ShelterId::derived(&format!(
                "synthetic shelter {} {commune} {}",
                kind.code(),
                self.count
            )),
            name: format!("{} {name_of_commune} (giả lập)", kind_name(kind)),
            kind,
            commune: commune.to_string(),
            location: round6(location),
            capacity,
            accepts,
            accessibility,
            languages,
            hours,
            contact: HostContact {
                name: Some("Người phụ trách (giả lập)".into()),
                phone: Some(format!("0000 {:06}", self.count)),
            },
            host_device: None,
            active: true,
            checklist,
        }
    }
}

fn kind_name(kind: ShelterKind) -> &'static str {
    match kind {
        ShelterKind::CommuneOffice => "Trụ sở UBND",
        ShelterKind::Hospital => "Bệnh viện",
        ShelterKind::HealthStation => "Trạm y tế",
        ShelterKind::PersonOfStandingHome => "Nhà người có uy tín",
        ShelterKind::SocialProtectionCentre => "Cơ sở trợ giúp xã hội",
    }
}

/// The synthetic province (the same on every run).
pub fn lai_chau() -> SyntheticProvince {
    let mut rng = Rng::new(0x4c41_4943_4841_5531); // "LAICHAU1"
                                                   // Commune centres on a jittered 8 × 5 grid; the valley commune takes the
                                                   // north-west corner.
    let (cols, rows) = (8usize, 5usize);
    let (lat0, lat1, lon0, lon1) = (21.78, 22.70, 102.42, 103.88);
    let mut slots: Vec<GeoPoint> = (0..rows * cols)
        .map(|k| {
            let (r, c) = (k / cols, k % cols);
            let lat =
                lat1 - (r as f64 + 0.5 + rng.range(-0.25, 0.25)) * (lat1 - lat0) / rows as f64;
            let lon =
                lon0 + (c as f64 + 0.5 + rng.range(-0.25, 0.25)) * (lon1 - lon0) / cols as f64;
            round6(GeoPoint::new(lat, lon))
        })
        .collect();
    let valley_index = COMMUNES
        .iter()
        .position(|c| c.code == VALLEY_COMMUNE)
        .unwrap_or(0);
    // Slot 0 is the north-west corner; skip the slot south-east of it so the
    // grid has one slot per commune.
    slots.remove(cols + 1);
    slots.truncate(COMMUNES.len());
    slots.swap(0, valley_index);
    let centres = slots;

    let mut ways: Vec<SyntheticWay> = Vec::new();
    let road = |class: RoadClass, points: Vec<GeoPoint>, ways: &mut Vec<SyntheticWay>| {
        ways.push(SyntheticWay {
            class,
            oneway: false,
            points,
        });
    };

    // Main roads: a minimum spanning tree of the centres (Prim), then a few
    // short extra links that make loops.
    let n = centres.len();
    let dist = |i: usize, j: usize| centres[i].distance_m(&centres[j]);
    let mut in_tree = vec![false; n];
    let mut links: Vec<(usize, usize)> = Vec::new();
    in_tree[0] = true;
    for _ in 1..n {
        let mut best: Option<(f64, usize, usize)> = None;
        for i in (0..n).filter(|i| in_tree[*i]) {
            for j in (0..n).filter(|j| !in_tree[*j]) {
                let d = dist(i, j);
                if best.is_none_or(|(bd, ..)| d < bd) {
                    best = Some((d, i, j));
                }
            }
        }
        if let Some((_, i, j)) = best {
            in_tree[j] = true;
            links.push((i, j));
        }
    }
    let town = |i: usize| DISTRICT_TOWNS.contains(&COMMUNES[i].code);
    for &(i, j) in &links {
        let class = if town(i) && town(j) {
            RoadClass::Trunk
        } else if town(i) || town(j) {
            RoadClass::Secondary
        } else {
            RoadClass::Tertiary
        };
        let points = bending(centres[i], centres[j], &mut rng, 0.07);
        road(class, points, &mut ways);
    }
    let mut extra: Vec<(f64, usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .filter(|(i, j)| *i != valley_index && *j != valley_index)
        .filter(|(i, j)| !links.contains(&(*i, *j)) && !links.contains(&(*j, *i)))
        .map(|(i, j)| (dist(i, j), i, j))
        .collect();
    extra.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, i, j) in extra.into_iter().take(4) {
        let points = bending(centres[i], centres[j], &mut rng, 0.07);
        road(RoadClass::Unclassified, points, &mut ways);
    }

    // Villages: two per commune (the valley commune has its own), joined to
    // the centre by a track or a minor road.
    let mut villages: Vec<Vec<GeoPoint>> = vec![Vec::new(); n];
    for (i, centre) in centres.iter().enumerate() {
        if i == valley_index {
            continue;
        }
        for _ in 0..2 {
            let angle = rng.range(0.0, std::f64::consts::TAU);
            let r = rng.range(3_000.0, 6_000.0);
            let village = round6(centre.offset_m(r * angle.cos(), r * angle.sin()));
            let class = if rng.below(2) == 0 {
                RoadClass::Track
            } else {
                RoadClass::Unclassified
            };
            road(class, bending(*centre, village, &mut rng, 0.12), &mut ways);
            villages[i].push(village);
        }
    }

    // The Mù Cả valley, north of its commune centre X.
    let x = centres[valley_index];
    let at = |east: f64, north: f64| round6(x.offset_m(east, north));
    let start = at(0.0, 5_000.0);
    let bridge = at(1_750.0, 20_000.0);
    let across_home = at(3_500.0, 5_000.0);
    let west_rim = [
        at(0.0, 0.0),
        at(-250.0, 1_200.0),
        at(150.0, 2_600.0),
        at(-100.0, 3_800.0),
        start,
    ];
    let mut west = vec![x];
    west.extend_from_slice(&west_rim[1..]);
    road(RoadClass::Tertiary, west, &mut ways);
    road(
        RoadClass::Track,
        bending(start, bridge, &mut rng, 0.05),
        &mut ways,
    );
    road(
        RoadClass::Track,
        bending(bridge, across_home, &mut rng, 0.05),
        &mut ways,
    );
    // Beyond the landslide: a village track that no longer joins anything.
    let cut_village = at(-4_000.0, 7_000.0);
    road(
        RoadClass::Track,
        bending(at(-2_600.0, 5_600.0), cut_village, &mut rng, 0.1),
        &mut ways,
    );

    // Shelters.
    let mut maker = ShelterMaker {
        rng: Rng::new(0x5348_454c_5445_5253), // "SHELTERS"
        count: 0,
        standardised_health_stations: 0,
    };
    let mut shelters = Vec::new();
    let mut same_side = ShelterId::default();
    for (i, commune) in COMMUNES.iter().enumerate() {
        let c = centres[i];
        let office = maker.make(
            ShelterKind::CommuneOffice,
            commune.code,
            c.offset_m(40.0, 0.0),
        );
        if i == valley_index {
            same_side = office.id;
        }
        shelters.push(office);
        shelters.push(maker.make(
            ShelterKind::HealthStation,
            commune.code,
            c.offset_m(250.0, -150.0),
        ));
        if let Some(v) = villages[i].first() {
            shelters.push(maker.make(
                ShelterKind::PersonOfStandingHome,
                commune.code,
                v.offset_m(30.0, 0.0),
            ));
        }
        if DISTRICT_TOWNS.contains(&commune.code) {
            shelters.push(maker.make(
                ShelterKind::Hospital,
                commune.code,
                c.offset_m(-400.0, 300.0),
            ));
        }
        if commune.code == "doan_ket" {
            shelters.push(maker.make(
                ShelterKind::SocialProtectionCentre,
                commune.code,
                c.offset_m(600.0, 200.0),
            ));
        }
    }
    let across = maker.make(
        ShelterKind::PersonOfStandingHome,
        VALLEY_COMMUNE,
        across_home.offset_m(20.0, 0.0),
    );
    let cut_off = maker.make(
        ShelterKind::PersonOfStandingHome,
        VALLEY_COMMUNE,
        cut_village.offset_m(20.0, 0.0),
    );
    let valley = Valley {
        start,
        across: across.id,
        same_side,
        cut_off: cut_off.id,
    };
    shelters.push(across);
    shelters.push(cut_off);
    // Two shelters not taking people in at present.
    for k in [7, 40] {
        if let Some(s) = shelters.get_mut(k) {
            s.active = false;
        }
    }
    shelters.sort_by_key(|s| s.id);
    let town = (0..n)
        .find(|i| *i != valley_index && town(*i))
        .unwrap_or_default();
    SyntheticProvince {
        places: places::places(valley_index, start, &centres, &villages, town),
        ways,
        shelters,
        centres,
        valley,
    }
}

/// Every commune's synthetic emergency contacts: its police, health station
/// and People's Committee, numbered `0200000001` on in commune order (not
/// real numbers).
pub fn emergency_contacts() -> Vec<CommuneContacts> {
    let kinds = [
        (ContactKind::CommunePolice, "Trực ban công an"),
        (ContactKind::HealthStation, "Trực trạm y tế"),
        (ContactKind::CommunePeopleCommittee, "Văn phòng UBND"),
    ];
    COMMUNES
        .iter()
        .enumerate()
        .map(|(i, c)| CommuneContacts {
            commune: c.code.to_string(),
            contacts: kinds
                .iter()
                .enumerate()
                .map(|(k, (kind, name))| EmergencyContact {
                    kind: *kind,
                    name: format!("{name} (giả lập)"),
                    phone: format!("02{:08}", i * kinds.len() + k + 1),
                })
                .collect(),
        })
        .collect()
}

impl SyntheticProvince {
    /// The directory of these shelters at `version`, with every commune's
    /// synthetic emergency contacts.
    pub fn directory(&self, version: u64) -> ShelterDirectory {
        ShelterDirectory::new(version, published_at(), self.shelters.clone())
            .with_contacts(emergency_contacts())
    }

    /// A second version: one shelter's capacity changed, one shelter back in
    /// service, one new host's home, the valley commune's health station on
    /// a new (synthetic) number, published a month later.
    pub fn directory_v2(&self) -> ShelterDirectory {
        let mut shelters = self.shelters.clone();
        if let Some(s) = shelters.iter_mut().find(|s| !s.active) {
            s.active = true;
        }
        if let Some(s) = shelters
            .iter_mut()
            .find(|s| s.kind == ShelterKind::Hospital)
        {
            s.capacity += 5;
        }
        let mut maker = ShelterMaker {
            rng: Rng::new(2),
            count: 1_000,
            standardised_health_stations: 5,
        };
        let at = self.centres[1].offset_m(-2_000.0, 1_500.0);
        shelters.push(maker.make(ShelterKind::PersonOfStandingHome, COMMUNES[1].code, at));
        let mut contacts = emergency_contacts();
        for c in contacts.iter_mut().filter(|c| c.commune == VALLEY_COMMUNE) {
            for contact in c
                .contacts
                .iter_mut()
                .filter(|c| c.kind == ContactKind::HealthStation)
            {
                contact.phone = "0209999999".into();
            }
        }
        ShelterDirectory::new(2, published_at() + Duration::days(30), shelters)
            .with_contacts(contacts)
    }

    /// The road network, built directly from the ways.
    pub fn road_network(&self) -> Result<RoadNetwork> {
        let mut builder = RoadBuilder::new();
        for way in &self.ways {
            let direction = if way.oneway {
                Direction::Forward
            } else {
                Direction::Both
            };
            builder.add_way(way.class, direction, &way.points)?;
        }
        places::add_to(&mut builder, &self.places)?;
        builder.build()
    }

    /// The roads and places as GeoJSON, one feature per line, marked
    /// synthetic.
    pub fn roads_geojson(&self) -> String {
        let mut out = String::from(
            "{\"type\": \"FeatureCollection\", \"synthetic\": true, \"description\": \"SYNTHETIC \
             road network of Lai Chau for Binh An tests; not real map data. Generated by \
             core/examples/shelter_fixture.rs\", \"features\": [\n",
        );
        let lines = self.ways.iter().map(|way| {
            let coordinates: Vec<[f64; 2]> = way.points.iter().map(|p| [p.lon, p.lat]).collect();
            let mut properties = serde_json::json!({"highway": way.class.osm_value()});
            if way.oneway {
                properties["oneway"] = "yes".into();
            }
            serde_json::json!({
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "LineString", "coordinates": coordinates},
            })
        });
        let points = self.places.iter().map(SyntheticPlace::geojson);
        let features: Vec<String> = lines.chain(points).map(|f| f.to_string()).collect();
        out.push_str(&features.join(",\n"));
        out.push('\n');
        out.push_str("]}\n");
        out
    }

    /// The roads and places as an OpenStreetMap PBF file.
    pub fn roads_pbf(&self) -> Vec<u8> {
        pbf::write(&self.ways, &self.places)
    }
}

/// Free places for every shelter, confirmed at various times before `now`:
/// some within the last hours, some days ago, some full.
pub fn availability(shelters: &[Shelter], now: DateTime<Utc>) -> Vec<AvailabilityUpdate> {
    let mut rng = Rng::new(0x4652_4545);
    shelters
        .iter()
        .map(|s| AvailabilityUpdate {
            shelter: s.id,
            free_places: match rng.below(5) {
                0 => 0,
                _ => rng.below(u64::from(s.capacity) + 1) as u16,
            },
            confirmed_at: now - Duration::hours(rng.below(48) as i64),
        })
        .collect()
}

/// The committed fixture files, by name (what the `shelter_fixture` example
/// writes to `tests/fixtures/shelters/`, and the tests compare with).
pub fn fixture_files() -> Result<Vec<(String, Vec<u8>)>> {
    let p = lai_chau();
    let signer = province_signer();
    let (v1, v2) = (p.directory(1), p.directory_v2());
    let full = signer.sign(&DirectoryUpdate::Full(v1.clone()))?.encode();
    let delta = signer
        .sign(&DirectoryUpdate::Delta(v1.delta_to(&v2)?))?
        .encode();
    let to_json = |v: serde_json::Value| {
        let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    };
    // The directory as JSON, one shelter and one commune's emergency
    // contacts per line.
    fn lines<T: serde::Serialize>(items: &[T]) -> Result<String> {
        let lines = items
            .iter()
            .map(serde_json::to_string)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| binhan_core::Error::Encoding(e.to_string()))?;
        Ok(lines.join(",\n"))
    }
    let shelters = format!(
        "{{\"version\": {}, \"published_at\": \"{}\", \"shelters\": [\n{}\n], \"contacts\": [\n{}\n]}}\n",
        v1.version,
        v1.published_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        lines(&v1.shelters)?,
        lines(&v1.contacts)?,
    );
    let valley = serde_json::json!({
        "synthetic": true,
        "description": "The Mù Cả valley scenario of the synthetic fixture: from `start`, \
            `across` is nearest in a straight line but far by road, `same_side` is nearest \
            by road, `cut_off` no road reaches.",
        "start": {"lat": p.valley.start.lat, "lon": p.valley.start.lon},
        "across": p.valley.across.to_string(),
        "same_side": p.valley.same_side.to_string(),
        "cut_off": p.valley.cut_off.to_string(),
    });
    Ok(vec![
        (
            "lai_chau_roads.geojson".into(),
            p.roads_geojson().into_bytes(),
        ),
        ("lai_chau_roads.osm.pbf".into(), p.roads_pbf()),
        ("lai_chau_shelters.json".into(), shelters.into_bytes()),
        ("lai_chau_directory_v1.bhsd".into(), full),
        ("lai_chau_directory_v1_to_v2.bhsd".into(), delta),
        (
            "province_key.txt".into(),
            format!("{}\n", signer.public_key()).into_bytes(),
        ),
        ("valley.json".into(), to_json(valley)),
    ])
}
