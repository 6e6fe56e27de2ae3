//! Two releases of one period, made on either side of a record added or
//! withdrawn: the pair must isolate no one. The attacker holds both
//! reports and compares every count published in both (and every count a
//! reader works out from them: survivors without a flag); a change from 1
//! to threshold − 1 names the survivors who came or went. All records
//! synthetic.

use super::*;
use binhan_core::stats::report::Releases;
use binhan_core::stats::StatRecord;
use binhan_testkit::stats;
use chrono::NaiveDate;

const THRESHOLD: u32 = 5;

fn report(records: &[StatRecord], releases: &Releases) -> AnnualReport {
    report_of_period(
        2026,
        records,
        &Earlier {
            this: releases.clone(),
            ..Earlier::default()
        },
    )
}

fn report_of_period(year: i32, records: &[StatRecord], earlier: &Earlier) -> AnnualReport {
    let mut builder = ReportBuilder::new(ReportPeriod::new(year, Some(1)).unwrap());
    builder.extend(records);
    builder.finish_after(
        &synthetic::registries(3, 2026),
        &ReportConfig {
            threshold: THRESHOLD,
        },
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        earlier,
    )
}

/// Every count `report` publishes, and for multi-response tables the
/// survivors without each flag (row total minus the flag).
fn counts(report: &AnnualReport) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for table in &report.tables {
        let total_col = table.columns.iter().position(|c| c.code == "total");
        for row in &table.rows {
            for (column, value) in table.columns.iter().zip(&row.cells) {
                if let Value::Count(n) = value {
                    out.insert(format!("{}/{}/{}", table.id, row.code, column.code), *n);
                }
            }
            let multi = matches!(table.structure, Structure::MultiResponse { .. });
            if let (true, Some(t), Some(Value::Count(all))) =
                (multi, total_col, total_col.and_then(|t| row.cells.get(t)))
            {
                for (k, value) in row.cells.iter().enumerate().take(t) {
                    if let Value::Count(with) = value {
                        let code = &table.columns[k].code;
                        out.insert(
                            format!("{}/{}/without {}", table.id, row.code, code),
                            all - with,
                        );
                    }
                }
            }
        }
    }
    out
}

/// What comparing the two releases tells the attacker: counts that moved
/// by 1 to threshold − 1.
fn isolated(before: &AnnualReport, after: &AnnualReport) -> Vec<String> {
    moved_a_little(&counts(before), &counts(after))
}

/// The counts found in both `was` and `now` that moved by 1 to
/// threshold − 1.
fn moved_a_little(was: &HashMap<String, u64>, now: &HashMap<String, u64>) -> Vec<String> {
    let mut found: Vec<String> = was
        .iter()
        .filter_map(|(key, &a)| {
            let b = *now.get(key)?;
            (a != b && a.abs_diff(b) < u64::from(THRESHOLD)).then(|| format!("{key}: {a} → {b}"))
        })
        .collect();
    found.sort();
    found
}

/// The survivors table's column `column` per row, where published.
fn survivors_column(report: &AnnualReport, column: &str) -> HashMap<String, u64> {
    let table = report.table("survivors").unwrap();
    let at = table.columns.iter().position(|c| c.code == column).unwrap();
    table
        .rows
        .iter()
        .filter_map(|row| match row.cells[at] {
            Value::Count(n) => Some((row.code.clone(), n)),
            _ => None,
        })
        .collect()
}

use std::collections::HashMap;

#[test]
fn a_record_added_or_withdrawn_between_two_releases_is_not_recovered_from_the_pair() {
    let records = stats::records(22, 2026, 250);
    let mut kept = Releases::default();
    let first = report(&records, &kept);
    kept.add(&first);

    // One more record (a case recorded after the first release).
    let mut added = records.clone();
    added.extend(stats::records(77, 2026, 1));
    let naive = report(&added, &Releases::default());
    let leaks = isolated(&first, &naive);
    assert!(
        !leaks.is_empty(),
        "without the earlier release the pair gives the new record away"
    );
    let second = report(&added, &kept);
    assert!(second.audit.protected);
    assert_eq!(isolated(&first, &second), Vec::<String>::new());
    kept.add(&second);

    // One record withdrawn (consent withdrawn after both releases).
    let withdrawn: Vec<StatRecord> = added[1..].to_vec();
    let third = report(&withdrawn, &kept);
    assert!(third.audit.protected);
    assert_eq!(isolated(&first, &third), Vec::<String>::new());
    assert_eq!(isolated(&second, &third), Vec::<String>::new());

    // Nothing changed: the release publishes what the first did.
    let again = report(&records, &kept);
    assert_eq!(counts(&again).len(), counts(&first).len());
}

/// The same months published in two places: as the report year of one
/// period and as the previous year of the next. A record of the earlier
/// year added after its report must not show as a small change there.
#[test]
fn the_previous_year_of_a_report_is_audited_with_that_year_s_own_releases() {
    let last_year = stats::records(24, 2025, 200);
    let mut releases_2025 = Releases::default();
    let report_2025 = report_of_period(2025, &last_year, &Earlier::default());
    releases_2025.add(&report_2025);

    // A case of 2025 recorded (or its consent withdrawn) after that report.
    let mut both: Vec<StatRecord> = last_year[1..].to_vec();
    both.extend(stats::records(25, 2026, 150));
    // 2025 as its own report published it, and as 2026's shows it.
    let small = |report_2026: &AnnualReport| {
        moved_a_little(
            &survivors_column(&report_2025, "total"),
            &survivors_column(report_2026, "previous_total"),
        )
    };
    let naive = report_of_period(2026, &both, &Earlier::default());
    assert!(
        !small(&naive).is_empty(),
        "without 2025's release the change shows"
    );
    let audited = report_of_period(
        2026,
        &both,
        &Earlier {
            before: releases_2025,
            ..Earlier::default()
        },
    );
    assert!(audited.audit_previous.protected);
    assert_eq!(small(&audited), Vec::<String>::new());
}

/// The referral indicators rest on counts no table shows: how many
/// referrals were answered in time, and how many survivors' first service
/// the median is taken over. A referral answered in time between two
/// releases moves the share by one referral; a survivor served in between
/// moves the median's count by one. Audited with the earlier release,
/// neither indicator is published again until such a change is large.
#[test]
fn a_referral_answered_or_a_service_delivered_between_releases_is_not_recovered() {
    let share = |report: &AnnualReport| {
        report
            .indicator("referrals_answered_in_time")
            .unwrap()
            .value
            .clone()
    };
    let median = |report: &AnnualReport| {
        report
            .indicator("median_days_to_first_service")
            .unwrap()
            .value
            .clone()
    };
    let records = stats::records(31, 2026, 400);
    let mut kept = Releases::default();
    let first = report(&records, &kept);
    assert!(matches!(share(&first), Value::Percent(_)));
    assert!(matches!(median(&first), Value::Count(_)));
    kept.add(&first);
    assert!(
        !first.bases.is_empty(),
        "the release keeps the counts its indicators rest on"
    );

    // Nothing changed: published again, the same.
    let again = report(&records, &kept);
    assert_eq!(
        (share(&again), median(&again)),
        (share(&first), median(&first))
    );

    // One referral that was late is answered in time.
    let mut answered = records.clone();
    let referral = answered
        .iter_mut()
        .flat_map(|r| r.referrals.iter_mut())
        .find(|r| r.answered_in_time == Some(false))
        .expect("a late referral in the synthetic records");
    referral.answered_in_time = Some(true);
    let naive = report(&answered, &Releases::default());
    assert!(
        matches!((share(&first), share(&naive)), (Value::Percent(a), Value::Percent(b)) if a != b),
        "without the earlier release the share moves by one referral"
    );
    assert_eq!(share(&report(&answered, &kept)), Value::Suppressed);

    // One more survivor served (a case recorded after the first release).
    let mut served = records.clone();
    let mut late_case = stats::records(78, 2026, 40);
    late_case.retain(|r| r.days_to_first_service.is_some());
    served.push(late_case.swap_remove(0));
    assert!(matches!(
        median(&report(&served, &Releases::default())),
        Value::Count(_)
    ));
    assert_eq!(median(&report(&served, &kept)), Value::Suppressed);
}
