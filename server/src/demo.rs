//! `binhan-server demo`: the whole system on one machine with synthetic
//! data. A server with embedded SQLite starts on loopback; an officer, a
//! commune case manager and two collaborators enrol through the real
//! invitation chain; cases are recorded and edited offline on several
//! phones; everyone syncs; the demo prints what converged. The officer
//! publishes the shelter directory; a collaborator searches it offline and
//! places someone with a host through the server. The cases'
//! survivors consent to statistics, so their de-identified records upload
//! with sync, and so do the communication activities two phones record
//! offline; the officer records synthetic programme registries and writes
//! the annual report workbook of the current year into the data folder.

use crate::api::bootstrap_invitation;
use crate::storage::SqlStorage;
use crate::ServerConfig;
use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::{CaseAction, CaseFilter, CaseIntake};
use binhan_core::model::{
    CaseId, Consent, ConsentGiver, ConsentScope, Note, RiskAssessment, RiskLevel, Role,
};
use binhan_core::stats::activity::{
    ActivityId, ActivityKind, Campaign, CommunicationActivity, Participants,
};
use binhan_core::stats::registry::ReportFormat;
use binhan_core::stats::report::PROVINCE_ROW;
use binhan_core::stats::ReportPeriod;
use binhan_core::sync::{CancelFlag, SyncReport};
use binhan_testkit::intake::Builder;
use serde_json::{json, Value};
use std::path::Path;

mod referrals;
mod shelters;
mod summary;

pub use summary::summary;

/// The commune the demo team works in.
const COMMUNE: &str = "mu_ca";

struct Phone {
    name: &'static str,
    app: Vault,
}

impl Phone {
    fn new(dir: &Path, name: &'static str) -> Result<Self, String> {
        let app = Vault::create(&dir.join(name), "493817", VaultOptions::default())
            .map_err(|e| e.to_string())?;
        Ok(Self { name, app })
    }

    async fn sync(&self) -> Result<SyncReport, String> {
        self.app
            .sync(&|_| {}, &CancelFlag::default())
            .await
            .map_err(|e| format!("{}: {e}", self.name))
    }
}

fn synthetic_intake(app: &Vault, i: usize) -> CaseIntake {
    Builder::varied(i, app.today())
        .code(format!("DEMO-{:03}", i + 1))
        .commune(COMMUNE)
        .account("Synthetic demo account.")
        .build()
}

/// Runs the demo with its data under `dir`; returns what it shows.
pub async fn run(dir: &Path) -> Result<Value, String> {
    let storage = SqlStorage::open_folder(&dir.join("server"))
        .await
        .map_err(|e| e.reason)?;
    let listener = crate::listen("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::serve(
        storage.clone(),
        listener,
        ServerConfig::default(),
        async {
            let _ = stopped.await;
        },
    ));

    let officer = Phone::new(dir, "officer")?;
    let code = bootstrap_invitation(&storage, 24, false)
        .await
        .map_err(|e| e.reason)?
        .code;
    officer
        .app
        .enrol(&url, &code, "Sở Nội vụ (demo)")
        .await
        .map_err(|e| e.to_string())?;
    // The officer's vault keeps the (synthetic) provincial signing key, so
    // its first sync publishes the office's statistics key, which every
    // phone seals its statistics to.
    officer
        .app
        .set_signing_key_seed(&binhan_testkit::shelters::province_seed_hex())
        .map_err(|e| e.to_string())?;
    officer.sync().await?;
    let invite = async |by: &Phone, role, name| -> Result<Phone, String> {
        let phone = Phone::new(dir, name)?;
        let code = by
            .app
            .invite(role, COMMUNE, 24)
            .await
            .map_err(|e| e.to_string())?
            .code;
        phone
            .app
            .enrol(&url, &code, name)
            .await
            .map_err(|e| e.to_string())?;
        Ok(phone)
    };
    let manager = invite(&officer, Role::CommuneCaseManager, "manager").await?;
    let collaborator_a = invite(&manager, Role::Collaborator, "collaborator-a").await?;
    let collaborator_b = invite(&manager, Role::Collaborator, "collaborator-b").await?;

    // Offline in the village: collaborator A records three cases.
    let cases: Vec<CaseId> = (0..3)
        .map(|i| {
            collaborator_a
                .app
                .create_case(synthetic_intake(&collaborator_a.app, i))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    collaborator_a.sync().await?;
    manager.sync().await?;
    // The survivor agrees that collaborator B helps with the first case;
    // the manager records it and puts B on the case's team.
    let b = collaborator_b.app.device_id().map_err(|e| e.to_string())?;
    let consent = Consent {
        scope: ConsentScope::TeamMember {
            device: b,
            label: "cộng tác viên B (demo)".into(),
        },
        granted: true,
        given_by: ConsentGiver::Survivor,
    };
    manager
        .app
        .act(cases[0], CaseAction::RecordConsent(consent))
        .map_err(|e| e.to_string())?;
    manager
        .app
        .add_team_member(cases[0], b)
        .await
        .map_err(|e| e.to_string())?;
    manager.sync().await?;
    collaborator_b.sync().await?;

    // Offline on every phone: notes, and two different risk assessments of case 1.
    let today = manager.app.today();
    let act = |phone: &Phone, case: CaseId, action| {
        phone
            .app
            .act(case, action)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    act(
        &manager,
        cases[0],
        CaseAction::AssessRisk(RiskAssessment {
            level: RiskLevel::High,
            factors: vec![],
            assessed_on: today,
        }),
    )?;
    act(
        &collaborator_b,
        cases[0],
        CaseAction::AssessRisk(RiskAssessment {
            level: RiskLevel::Low,
            factors: vec![],
            assessed_on: today,
        }),
    )?;
    for phone in [&manager, &collaborator_a, &collaborator_b] {
        act(
            phone,
            cases[0],
            CaseAction::AddNote(Note {
                text: format!("Visit by {} (synthetic).", phone.name),
            }),
        )?;
    }

    // Offline too: the manager and collaborator A record the commune's
    // communication activities; they go to the province with the syncs below.
    for (phone, kind) in [
        (&manager, ActivityKind::VillageMeeting),
        (&collaborator_a, ActivityKind::LoudspeakerBroadcast),
    ] {
        phone
            .app
            .record_activity(demo_activity(today, kind))
            .map_err(|e| e.to_string())?;
    }

    let mut reports = serde_json::Map::new();
    for round in 0..2 {
        for phone in [&collaborator_b, &manager, &collaborator_a] {
            let report = phone.sync().await?;
            if round == 0 {
                reports.insert(
                    phone.name.into(),
                    serde_json::to_value(report).unwrap_or_default(),
                );
            }
        }
    }
    let team_phones = [&manager, &collaborator_a, &collaborator_b];
    let converged = team_phones
        .iter()
        .all(|p| p.app.case(cases[0]).ok() == manager.app.case(cases[0]).ok());
    let first = manager.app.case(cases[0]).map_err(|e| e.to_string())?;
    let lists: serde_json::Map<String, Value> =
        [&officer, &manager, &collaborator_a, &collaborator_b]
            .iter()
            .map(|p| {
                let codes: Vec<String> = p
                    .app
                    .list_cases(&CaseFilter::default())
                    .map(|l| l.cases.into_iter().map(|c| c.survivor_code).collect())
                    .unwrap_or_default();
                (p.name.to_string(), json!(codes))
            })
            .collect();

    let (station, health) = referrals::enrol_station(dir, &url, &manager).await?;
    let shelters = shelters::run(
        dir,
        &url,
        &officer,
        &manager,
        &collaborator_a,
        vec![health.clone()],
    )
    .await?;
    let referral = referrals::run(&collaborator_a, &station, &health).await?;
    let annual_report = write_annual_report(dir, &officer).await?;

    let _ = stop.send(());
    let _ = server.await;
    Ok(json!({
        "server": url,
        "phones": ["officer", "manager", "collaborator-a", "collaborator-b"],
        "cases_each_phone_can_read": lists,
        "case_1_converged_on_all_team_phones": converged,
        "case_1_notes": first.notes.iter().map(|n| n.value.text.clone()).collect::<Vec<_>>(),
        "case_1_risk_conflict": first.conflicts.iter().map(|c| json!({
            "field": c.field,
            "values": c.candidates.len(),
        })).collect::<Vec<_>>(),
        "case_1_risk_acted_on_while_in_conflict": first.risk_level,
        "first_sync_reports": reports,
        "shelters": shelters,
        "referral_to_a_health_station": referral,
        "annual_report": annual_report,
    }))
}

/// A synthetic communication activity of the demo's commune, today: in the
/// Action Month if today falls in it.
fn demo_activity(today: chrono::NaiveDate, kind: ActivityKind) -> CommunicationActivity {
    let in_person = kind == ActivityKind::VillageMeeting;
    let count = |n: u32| if in_person { n } else { 0 };
    CommunicationActivity {
        id: ActivityId::random(),
        date: today,
        commune: COMMUNE.into(),
        village: "Bản Mù Cả (demo)".into(),
        kind,
        campaign: if Campaign::ActionMonth.holds(today) {
            Campaign::ActionMonth
        } else {
            Campaign::Routine
        },
        topic: "Phòng ngừa bạo lực gia đình (synthetic)".into(),
        participants: Participants {
            women: count(24),
            men: count(15),
            girls: count(4),
            boys: count(3),
            ethnic_minority: count(38),
        },
        materials: "Tờ rơi (synthetic)".into(),
    }
}

/// The officer records synthetic registries, makes the annual report of
/// the period that holds today on its phone and writes the workbook into
/// `dir`. What the report counts of the demo's referral is read twice: from
/// the records the officer's vault opened (what the count is made of), and
/// as the report publishes it (a count under the disclosure threshold shows
/// as suppressed).
async fn write_annual_report(dir: &Path, officer: &Phone) -> Result<Value, String> {
    use binhan_report::OfficerReport;
    let err = |e: binhan_core::Error| e.to_string();
    let period = ReportPeriod::containing(officer.app.today());
    let year = period.year;
    let registries = binhan_report::synthetic::registries(u64::from(year.unsigned_abs()), year);
    let recorded = officer
        .app
        .record_registries(&registries.programme)
        .await
        .map_err(err)?;
    let workbook = officer
        .app
        .annual_report(year, ReportFormat::Xlsx, None, None)
        .await
        .map_err(err)?;
    let path = dir.join(format!("annual-report-{year}.xlsx"));
    std::fs::write(&path, &workbook).map_err(|e| e.to_string())?;
    let uploaded: Vec<_> = officer
        .app
        .statistics_records()
        .await
        .map_err(err)?
        .records
        .into_iter()
        .filter(|r| period.contains_month(i32::from(r.year), u32::from(r.month)))
        .collect();
    let referrals: Vec<Value> = uploaded
        .iter()
        .flat_map(|r| &r.referrals)
        .map(|r| {
            json!({
                "service": r.service,
                "outcome": r.outcome,
                "answered_in_time": r.answered_in_time,
            })
        })
        .collect();
    let published = officer
        .app
        .annual_report_data(year, None, None)
        .await
        .map_err(err)?;
    let cell = |row: &str, column: &str| {
        published
            .table("referrals")
            .and_then(|t| t.value(row, column))
            .map_or("?".into(), |v| v.to_text())
    };
    let activities = officer
        .app
        .registries()
        .await
        .map_err(err)?
        .entries
        .communication_activities
        .iter()
        .filter(|a| a.commune == COMMUNE && period.contains(a.date))
        .count();
    Ok(json!({
        "year": year,
        "period": [period.first_day(), period.last_day()],
        "statistics_records_uploaded": uploaded.len(),
        "referrals_in_uploaded_records": referrals,
        "published_referrals_health_delivered": cell("health", "delivered"),
        "published_referrals_total": cell(PROVINCE_ROW, "total"),
        "demo_commune_activities": activities,
        "registries_recorded": recorded,
        "workbook": path,
        "workbook_bytes": workbook.len(),
    }))
}

/// Removes the demo's server database and phone vaults from `dir`, keeping
/// the annual report workbook.
pub fn remove_data(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
