//! The twelve months a report covers: by default 1 December of the year
//! before to 30 November, or from any other first month. A record counts in
//! the period of the month it was reported in. Synthetic records only.

use super::*;
use binhan_core::stats::report::Value;
use binhan_testkit::stats;

/// Survivors detected in the period and in the one before.
fn detected(period: ReportPeriod, records: &[StatRecord]) -> (Value, Value) {
    let config = ReportConfig { threshold: 0 };
    let today = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
    let report = annual_report(period, records, &Registries::default(), &config, today);
    assert_eq!(report.period(), period);
    let indicator = report.indicator("survivors_detected").unwrap();
    (indicator.value.clone(), indicator.previous.clone())
}

#[test]
fn a_record_counts_in_the_period_of_the_month_it_was_reported() {
    let months = [(2025, 12); 5]
        .into_iter()
        .chain([(2026, 6); 4])
        .chain([(2026, 12); 3]);
    let mut records = stats::records(7, 2026, 12);
    for (record, (year, month)) in records.iter_mut().zip(months) {
        (record.year, record.month) = (year, month);
    }
    let count = |n| Value::Count(n);
    // December 2025 to November 2026, after December 2024 to November 2025.
    assert_eq!(
        detected(ReportPeriod::of(2026), &records),
        (count(9), count(0))
    );
    // From 1 December 2026 a case counts for 2027.
    assert_eq!(
        detected(ReportPeriod::of(2027), &records),
        (count(3), count(9))
    );
    // The calendar year, if asked for.
    let calendar = ReportPeriod::new(2026, Some(1)).unwrap();
    assert_eq!(detected(calendar, &records), (count(7), count(5)));
}

#[test]
fn the_workbook_states_the_period_and_whom_survivor_counts_cover() {
    let report = annual_report(
        ReportPeriod::of(2026),
        &[],
        &Registries::default(),
        &ReportConfig::default(),
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    );
    let indicators = report.table("indicators").unwrap();
    assert!(indicators
        .title_vi
        .contains("chỉ tính những người đã đồng ý cho thống kê"));
    assert!(indicators.title_en.contains("only those who consented"));
    let lines = export::cover_lines(&report);
    assert!(lines
        .iter()
        .any(|l| l.starts_with("Kỳ báo cáo: từ ngày 01/12/2025 đến ngày 30/11/2026")));
}
