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

fn report(records: &[StatRecord], earlier: &Releases) -> AnnualReport {
    let mut builder = ReportBuilder::new(ReportPeriod::new(2026, Some(1)).unwrap());
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
    let (a, b) = (counts(before), counts(after));
    let mut found: Vec<String> = a
        .iter()
        .filter_map(|(key, &was)| {
            let now = *b.get(key)?;
            (was != now && was.abs_diff(now) < u64::from(THRESHOLD))
                .then(|| format!("{key}: {was} → {now}"))
        })
        .collect();
    found.sort();
    found
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
