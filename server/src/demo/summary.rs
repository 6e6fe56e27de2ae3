//! The demo's summary: what happened, in one screen, read from the demo's
//! report (whose whole record the demo also keeps as JSON).

use serde_json::Value;
use std::fmt::Write;
use std::path::Path;

/// The value at `pointer` (a JSON pointer) as text: a string bare, a number
/// or boolean as written, anything missing as "?".
fn text(report: &Value, pointer: &str) -> String {
    match report.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => "?".into(),
        Some(v) => v.to_string(),
    }
}

/// The array at `pointer` (empty if there is none).
fn items<'a>(report: &'a Value, pointer: &str) -> &'a [Value] {
    report
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// "yes" or "no" for the boolean at `pointer`.
fn yes(report: &Value, pointer: &str) -> &'static str {
    match report.pointer(pointer).and_then(Value::as_bool) {
        Some(true) => "yes",
        _ => "no",
    }
}

/// Kilometres, to a tenth, of the metres at `pointer`.
fn km(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_u64)
        .map_or("?".into(), |m| format!("{:.1} km", m as f64 / 1000.0))
}

/// A shelter of a ranking: its name and how far it is (by road, the
/// distance and minutes travelled, or why no road reaches it).
fn shelter(shelter: &Value) -> String {
    let reach = match text(shelter, "/road/status").as_str() {
        "reachable" => format!(
            "{} by road, {} min",
            km(shelter, "/road/distance_m"),
            shelter
                .pointer("/road/travel_time_s")
                .and_then(Value::as_u64)
                .map_or("?".into(), |s| s.div_ceil(60).to_string())
        ),
        "unreachable" => format!("no road ({})", text(shelter, "/road/reason")),
        _ => format!("{} in a straight line", km(shelter, "/straight_line_m")),
    };
    format!("{:<38} {reach}", text(shelter, "/name"))
}

/// The demo's summary from its `report`, ending with where its details,
/// its workbook and its server's log are.
pub fn summary(report: &Value, details: &Path, log: &Path) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let mut line = |text: &str| {
        let _ = writeln!(out, "{text}");
    };
    line("Bình An demo: the whole system on this machine, synthetic data");
    line(&format!(
        "Server      {} (embedded SQLite), its log in the file below",
        text(report, "/server")
    ));
    line("");
    let phones: Vec<String> = items(report, "/phones")
        .iter()
        .map(|p| text(p, ""))
        .collect();
    line(&format!(
        "Devices     {} enrolled through the invitation chain",
        phones.join(", ")
    ));
    line("            (officer -> manager -> collaborators; the manager also invites a shelter host)");
    line("Cases       collaborator-a records 3 cases offline; the manager puts collaborator-b");
    line("            on case 1, which three phones then edit offline (a note each, two risk levels)");
    if let Some(lists) = report
        .pointer("/cases_each_phone_can_read")
        .and_then(Value::as_object)
    {
        for (phone, codes) in lists {
            let codes: Vec<String> = items(codes, "").iter().map(|c| text(c, "")).collect();
            let count = codes.len();
            let codes = codes.join(" ");
            line(format!("            {phone:<15} reads {count} case(s) {codes}").trim_end());
        }
    }
    line("Sync        first round, per phone:");
    if let Some(reports) = report
        .pointer("/first_sync_reports")
        .and_then(Value::as_object)
    {
        for (phone, sync) in reports {
            line(&format!(
                "            {phone:<15} events {} up, {} down; team changes {} up, {} down; {} round trips",
                text(sync, "/events_pushed"),
                text(sync, "/events_pulled"),
                text(sync, "/team_changes_pushed"),
                text(sync, "/team_changes_pulled"),
                text(sync, "/traffic/round_trips"),
            ));
        }
    }
    line(&format!(
        "            after two rounds, case 1 converged on every team phone: {}",
        yes(report, "/case_1_converged_on_all_team_phones")
    ));
    line(&format!(
        "            case 1 has {} notes; risk in conflict: {}; acted on meanwhile as {}",
        items(report, "/case_1_notes").len(),
        items(report, "/case_1_risk_conflict")
            .iter()
            .map(|c| format!("{} ({} values)", text(c, "/field"), text(c, "/values")))
            .collect::<Vec<_>>()
            .join(", "),
        text(report, "/case_1_risk_acted_on_while_in_conflict"),
    ));
    line(&format!(
        "Shelters    the officer publishes directory version {}; collaborator-a holds version {}",
        text(report, "/shelters/directory_published_version"),
        text(
            report,
            "/shelters/collaborator_directory_sync/directory_version"
        ),
    ));
    let nearest = "/shelters/nearest_from_the_west_rim_of_mu_ca_valley";
    for (how, pointer) in [
        ("in a straight line", "straight_line"),
        ("by road", "by_road"),
    ] {
        line(&format!(
            "            nearest to the west rim of the Mù Cả valley {how}:"
        ));
        let found = format!("{nearest}/{pointer}/shelters");
        for (rank, found) in items(report, &found).iter().enumerate() {
            line(&format!("              {}. {}", rank + 1, shelter(found)));
        }
    }
    line(&format!(
        "            the two rankings differ: {}",
        yes(report, &format!("{nearest}/rankings_differ"))
    ));
    let steps: Vec<String> = items(report, "/shelters/placement_through_the_server")
        .iter()
        .map(|step| {
            let places = step
                .pointer("/free_places")
                .map(|_| format!(" ({} free places left)", text(step, "/free_places")))
                .unwrap_or_default();
            format!("{}{places}", text(step, "/case_placement"))
        })
        .collect();
    line(&format!(
        "            a placement through the server: {}",
        steps.join(" -> ")
    ));
    line(&format!(
        "Referral    to {}: the station received only {}; on the case: {}",
        text(report, "/referral_to_a_health_station/organisation"),
        items(
            report,
            "/referral_to_a_health_station/fields_the_station_received"
        )
        .iter()
        .map(|f| f.as_str().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join(", "),
        text(report, "/referral_to_a_health_station/case_referral_status"),
    ));
    let referrals: Vec<String> = items(report, "/annual_report/referrals_in_uploaded_records")
        .iter()
        .map(|r| {
            let timing = match r.pointer("/answered_in_time").and_then(Value::as_bool) {
                Some(true) => "answered in time",
                Some(false) => "answered late",
                None => "unanswered",
            };
            format!("{} {} ({timing})", text(r, "/service"), text(r, "/outcome"))
        })
        .collect();
    line(&format!(
        "Report      {} statistics records uploaded with sync for {} to {}; referrals in them: {}",
        text(report, "/annual_report/statistics_records_uploaded"),
        text(report, "/annual_report/period/0"),
        text(report, "/annual_report/period/1"),
        referrals.join(", "),
    ));
    line(&format!(
        "            published: health referrals delivered {}, referrals in all {} (x: under 5, suppressed)",
        text(report, "/annual_report/published_referrals_health_delivered"),
        text(report, "/annual_report/published_referrals_total"),
    ));
    line(&format!(
        "            registries recorded: {} training sessions, {} attendees, {} targets, {} schools, {} enterprises",
        text(report, "/annual_report/registries_recorded/training_sessions"),
        text(report, "/annual_report/registries_recorded/attendees"),
        text(report, "/annual_report/registries_recorded/training_targets"),
        text(report, "/annual_report/registries_recorded/schools"),
        text(report, "/annual_report/registries_recorded/enterprises"),
    ));
    line(&format!(
        "            {} communication activities of the demo commune in the period (2 recorded offline on phones); the {} workbook is {} bytes",
        text(report, "/annual_report/demo_commune_activities"),
        text(report, "/annual_report/year"),
        text(report, "/annual_report/workbook_bytes"),
    ));
    line("");
    line(&format!("Details     {}", details.display()));
    line(&format!(
        "Workbook    {}",
        text(report, "/annual_report/workbook")
    ));
    line(&format!("Server log  {}", log.display()));
    out
}
