//! The README's first command, `binhan-server demo`, end to end (its
//! `demo::run`, on a temporary folder): nothing in it may silently break.
//! Synthetic data only.

use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let report: Value = binhan_server::demo::run(dir.path()).await.unwrap();
    let at = |path: &str| report.pointer(path).cloned().unwrap_or(Value::Null);
    assert_eq!(
        at("/case_1_converged_on_all_team_phones"),
        Value::Bool(true)
    );
    let placement: Vec<String> = at("/shelters/placement_through_the_server")
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            step["case_placement"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(placement, ["requested", "accepted", "arrived"]);
    // The referral to the health station: received with only health's
    // fields, answered, delivered on the case.
    assert_eq!(
        at("/referral_to_a_health_station/fields_the_station_received"),
        serde_json::json!(["age_band", "sex", "incident_date", "violence_type"])
    );
    assert_eq!(
        at("/referral_to_a_health_station/case_referral_status"),
        Value::from("delivered")
    );
    assert!(at("/annual_report/statistics_records_uploaded").as_u64() > Some(0));
    // The report counts the referral: its case's record says health,
    // delivered, answered in time; published, one referral is under the
    // threshold and shows suppressed.
    assert_eq!(
        at("/annual_report/referrals_in_uploaded_records"),
        serde_json::json!([{
            "service": "health",
            "outcome": "delivered",
            "answered_in_time": true,
        }])
    );
    assert_eq!(
        at("/annual_report/published_referrals_health_delivered"),
        Value::from("x")
    );
    // The synthetic registries' activities of the commune, and the two
    // recorded offline on phones.
    assert!(at("/annual_report/demo_commune_activities").as_u64() >= Some(2));
    assert!(at("/annual_report/workbook_bytes").as_u64() > Some(0));
}
