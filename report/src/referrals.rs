//! The referral pathway in the report: referrals by service and outcome
//! (a province-wide table under disclosure control), the share answered by
//! their due date and the median days from detection to the first service
//! delivered.
//!
//! Referrals count with their case's record, so in the period the case was
//! detected in. They count referrals, not survivors, but a referral still
//! points at a survivor, so every count goes through the same suppression
//! and audit as the survivor tables; the two figures derived from counts
//! outside the table are published only when each count behind them could
//! not name anyone (0 or at least the threshold).

use super::disclosure::{CellId, Grid, Status};
use super::programme::indicator;
use super::tables::{anchor, change, share, Year};
use binhan_core::model::{Coded, ServiceType};
use binhan_core::referrals::{takes_referrals, ReferralStatus};
use binhan_core::stats::report::{
    AuditSummary, Column, Indicator, IndicatorBase, Releases, Row, Structure, Table, Value,
    PROVINCE_ROW,
};
use binhan_core::stats::{ReferralStat, StatRecord};

/// The services a referral can ask for, in report order.
fn services() -> Vec<ServiceType> {
    ServiceType::ALL
        .iter()
        .copied()
        .filter(|s| takes_referrals(*s))
        .collect()
}

/// One period's referrals and days to the first service.
#[derive(Debug, Clone)]
pub(crate) struct ReferralTally {
    /// The services of the table's rows.
    services: Vec<ServiceType>,
    /// Per service (of [`services`]), per [`ReferralStatus`].
    counts: Vec<Vec<u64>>,
    /// Referrals answered by their due date.
    in_time: u64,
    /// Referrals that still stand on their consent: all but those withdrawn
    /// before an answer.
    standing: u64,
    /// Per survivor with a service delivered: days from detection to the
    /// first one.
    days: Vec<u16>,
}

impl Default for ReferralTally {
    fn default() -> Self {
        let services = services();
        Self {
            counts: vec![vec![0; ReferralStatus::ALL.len()]; services.len()],
            services,
            in_time: 0,
            standing: 0,
            days: Vec::new(),
        }
    }
}

impl ReferralTally {
    /// Counts one survivor's record.
    pub fn add(&mut self, record: &StatRecord) {
        for ReferralStat {
            service,
            outcome,
            answered_in_time,
        } in &record.referrals
        {
            let Some(s) = self.services.iter().position(|x| x == service) else {
                continue;
            };
            let o = ReferralStatus::ALL
                .iter()
                .position(|x| x == outcome)
                .unwrap_or(0);
            self.counts[s][o] += 1;
            self.in_time += u64::from(*answered_in_time == Some(true));
            self.standing +=
                u64::from(*outcome != ReferralStatus::Withdrawn || answered_in_time.is_some());
        }
        self.days.extend(record.days_to_first_service);
    }

    /// The lower median of the days to the first service.
    fn median_days(&self) -> Option<u64> {
        let mut days = self.days.clone();
        days.sort_unstable();
        let middle = days.len().checked_sub(1)? / 2;
        days.get(middle).map(|d| u64::from(*d))
    }
}

/// One period's referral table, protected.
#[derive(Debug, Clone)]
pub(crate) struct ReferralGrid {
    grid: Grid,
    /// Row-major: services then the total row, outcomes then the total
    /// column.
    cells: Vec<CellId>,
    cols: usize,
    share_in_time: Value,
    median_days: Value,
    /// The counts the published indicators rest on: (indicator, part,
    /// count).
    bases: Vec<(&'static str, &'static str, u64)>,
    pub audit: AuditSummary,
}

const IN_TIME: &str = "referrals_answered_in_time";
const MEDIAN_DAYS: &str = "median_days_to_first_service";

/// What earlier releases of these months kept of an indicator's `part`,
/// with the years these months were in them.
fn earlier_bases<'a>(
    earlier: &'a [(&'a Releases, Year)],
    indicator: &'a str,
    part: &'a str,
) -> impl Iterator<Item = u64> + 'a {
    earlier.iter().flat_map(move |&(releases, year)| {
        let (table, row, column) =
            IndicatorBase::place(indicator, part, matches!(year, Year::Previous));
        releases.values(&table, &row, &column).collect::<Vec<_>>()
    })
}

/// Whether a count could name no one: 0, or at least `threshold`.
fn safe(count: u64, threshold: u32) -> bool {
    count == 0 || count >= u64::from(threshold)
}

impl ReferralGrid {
    /// Lays out `tally`'s table with its margins and protects it, and
    /// against what earlier releases published for these months (each of
    /// `earlier`: releases and the year these months are in them).
    pub fn protect(tally: &ReferralTally, threshold: u32, earlier: &[(&Releases, Year)]) -> Self {
        let mut grid = Grid::default();
        let outcomes = ReferralStatus::ALL.len();
        let cols = outcomes + 1;
        let mut cells = Vec::with_capacity((tally.counts.len() + 1) * cols);
        for row in &tally.counts {
            let parts: Vec<CellId> = row.iter().map(|&n| grid.cell(n, true, 10)).collect();
            let total = grid.cell(row.iter().sum(), true, 40);
            grid.line(total, parts.clone());
            cells.extend(parts);
            cells.push(total);
        }
        let rows = tally.counts.len();
        let mut totals = Vec::with_capacity(cols);
        for k in 0..cols {
            let column: Vec<CellId> = (0..rows).map(|r| cells[r * cols + k]).collect();
            let value = column.iter().map(|&id| grid.cells[id].value).sum();
            let total = grid.cell(value, true, if k == outcomes { 1_000 } else { 40 });
            grid.line(total, column);
            totals.push(total);
        }
        grid.line(totals[outcomes], totals[..outcomes].to_vec());
        cells.extend(totals);
        grid.block(rows + 1, cols, cells.clone());
        let row_codes: Vec<String> = services()
            .iter()
            .map(|s| s.code().to_string())
            .chain([PROVINCE_ROW.to_string()])
            .collect();
        let col_codes: Vec<&str> = ReferralStatus::ALL
            .iter()
            .map(|s| s.code())
            .chain(["total"])
            .collect();
        for &(releases, year) in earlier {
            for (i, &id) in cells.iter().enumerate() {
                let (r, k) = (i / cols, i % cols);
                let place = match year {
                    Year::Current => Some(col_codes[k]),
                    Year::Previous => (k == outcomes).then_some("previous_total"),
                };
                if let (Some(column), Some(row)) = (place, row_codes.get(r)) {
                    let places = [("referrals".to_string(), row.clone(), column.to_string())];
                    anchor(&mut grid, releases, id, &places);
                }
            }
        }
        let audit = grid.protect(threshold);

        // The indicators rest on counts no table shows. Against earlier
        // releases of these months they are audited like anchored cells: one
        // that moved by 1 to threshold − 1 (a referral answered, a service
        // delivered in between) withholds its indicator, and so does a
        // median that moved while its count stayed.
        let k = u64::from(threshold);
        let moved = |indicator, part, now: u64| {
            earlier_bases(earlier, indicator, part).any(|was| was != now && was.abs_diff(now) < k)
        };
        let late = tally.standing - tally.in_time;
        let mut bases = Vec::new();
        let share_in_time = if !safe(tally.in_time, threshold)
            || !safe(late, threshold)
            || moved(IN_TIME, "in_time", tally.in_time)
            || moved(IN_TIME, "late", late)
        {
            Value::Suppressed
        } else {
            bases.extend([(IN_TIME, "in_time", tally.in_time), (IN_TIME, "late", late)]);
            share(&Value::Count(tally.in_time), &Value::Count(tally.standing))
        };
        let count = tally.days.len() as u64;
        let median_days = match tally.median_days() {
            None => Value::Empty,
            Some(_) if !safe(count, threshold) || moved(MEDIAN_DAYS, "count", count) => {
                Value::Suppressed
            }
            Some(days)
                if earlier_bases(earlier, MEDIAN_DAYS, "count").any(|was| was == count)
                    && earlier_bases(earlier, MEDIAN_DAYS, "median").any(|was| was != days) =>
            {
                Value::Suppressed
            }
            Some(days) => {
                bases.extend([(MEDIAN_DAYS, "count", count), (MEDIAN_DAYS, "median", days)]);
                Value::Count(days)
            }
        };
        Self {
            grid,
            cells,
            cols,
            share_in_time,
            median_days,
            bases,
            audit,
        }
    }

    /// The counts this grid's published indicators rest on, for the
    /// release's record (`previous`: the grid is the previous year's).
    pub fn bases(&self, previous: bool) -> impl Iterator<Item = IndicatorBase> + '_ {
        self.bases
            .iter()
            .map(move |&(indicator, part, count)| IndicatorBase {
                indicator: indicator.into(),
                part: part.into(),
                previous,
                count,
            })
    }

    fn value(&self, row: usize, col: usize) -> Value {
        let cell = &self.grid.cells[self.cells[row * self.cols + col]];
        match cell.status {
            Status::Published => Value::Count(cell.value),
            Status::Primary | Status::Secondary => Value::Suppressed,
        }
    }

    fn made(&self) -> Value {
        self.value(self.cells.len() / self.cols - 1, self.cols - 1)
    }
}

/// The referral table of the period, with last period's totals beside it.
pub(crate) fn table(current: &ReferralGrid, previous: &ReferralGrid) -> Table {
    let outcomes = ReferralStatus::ALL.len();
    let mut columns: Vec<Column> = ReferralStatus::ALL
        .iter()
        .map(|s| Column::new(s.code(), s.label_vi(), s.label_en()))
        .collect();
    columns.extend([
        Column::new("total", "Tổng số lượt chuyển gửi", "referrals made"),
        Column::new(
            "previous_total",
            "Năm trước: tổng số",
            "previous year: referrals",
        ),
        Column::new(
            "change_total",
            "Tăng (+), giảm (−)",
            "change from the previous year",
        ),
    ]);
    let labels = services()
        .into_iter()
        .map(|s| (s.code().to_string(), s.label_vi().to_string()))
        .chain([(PROVINCE_ROW.to_string(), "Toàn tỉnh".to_string())]);
    let rows = labels
        .enumerate()
        .map(|(r, (code, label))| {
            let mut cells: Vec<Value> = (0..=outcomes).map(|k| current.value(r, k)).collect();
            let before = previous.value(r, outcomes);
            cells.extend([before.clone(), change(&cells[outcomes], &before)]);
            Row { code, label, cells }
        })
        .collect();
    Table {
        id: "referrals".into(),
        sheet: "Chuyển gửi".into(),
        title_vi: "Lượt chuyển gửi theo dịch vụ và kết quả (toàn tỉnh, theo năm phát hiện vụ việc)"
            .into(),
        title_en: "Referrals by service and outcome (province, by the year the case was detected)"
            .into(),
        row_heading: "Dịch vụ".into(),
        columns,
        rows,
        structure: Structure::Partition {
            categories: (0..outcomes).collect(),
            total: outcomes,
        },
    }
}

/// Referrals made, the share answered by their due date, and the median
/// days from detection to the first service delivered.
pub(crate) fn indicators(current: &ReferralGrid, previous: &ReferralGrid) -> Vec<Indicator> {
    vec![
        indicator(
            "referrals_made",
            "Số lượt chuyển gửi đến cơ quan, tổ chức cung cấp dịch vụ",
            "referrals made to service providers",
            (current.made(), previous.made()),
            None,
        ),
        indicator(
            IN_TIME,
            "Tỷ lệ lượt chuyển gửi được trả lời đúng hạn (%; chưa trả lời tính là không đúng hạn)",
            "share of referrals answered by their due date (%; unanswered counts as not in time)",
            (
                current.share_in_time.clone(),
                previous.share_in_time.clone(),
            ),
            None,
        ),
        indicator(
            MEDIAN_DAYS,
            "Số ngày trung vị từ khi phát hiện đến khi được cung cấp dịch vụ đầu tiên",
            "median days from detection to the first service delivered",
            (current.median_days.clone(), previous.median_days.clone()),
            None,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use binhan_testkit::stats;

    fn tally(records: &[StatRecord]) -> ReferralTally {
        let mut tally = ReferralTally::default();
        for record in records {
            tally.add(record);
        }
        tally
    }

    fn referral(
        service: ServiceType,
        outcome: ReferralStatus,
        in_time: Option<bool>,
    ) -> ReferralStat {
        ReferralStat {
            service,
            outcome,
            answered_in_time: in_time,
        }
    }

    /// Fifteen synthetic survivors: ten referred to health and delivered
    /// (eight in time), two to the police unanswered, three to legal aid
    /// and withdrawn before an answer; days to the first service 1 to 10.
    fn fifteen() -> Vec<StatRecord> {
        let mut records = stats::records(3, 2026, 15);
        for (i, record) in records.iter_mut().enumerate() {
            record.referrals = vec![match i {
                0..=9 => referral(ServiceType::Health, ReferralStatus::Delivered, Some(i < 8)),
                10 | 11 => referral(ServiceType::PoliceSecurity, ReferralStatus::Sent, None),
                _ => referral(ServiceType::LegalAid, ReferralStatus::Withdrawn, None),
            }];
            record.days_to_first_service = (i < 10).then_some(i as u16 + 1);
        }
        records
    }

    fn empty() -> ReferralGrid {
        ReferralGrid::protect(&ReferralTally::default(), 5, &[])
    }

    #[test]
    fn counts_by_service_and_outcome_with_small_cells_suppressed() {
        let grid = ReferralGrid::protect(&tally(&fifteen()), 5, &[]);
        let table = table(&grid, &empty());
        assert_eq!(table.value("health", "delivered"), Some(&Value::Count(10)));
        assert_eq!(table.value("province", "total"), Some(&Value::Count(15)));
        assert_eq!(
            table.value("province", "change_total"),
            Some(&Value::Change(15))
        );
        // Two unanswered police referrals and three withdrawn: suppressed,
        // and so are the margins that would give them away; the total of
        // the five could be any split between them.
        for (row, col) in [
            ("police_security", "sent"),
            ("police_security", "total"),
            ("legal_aid", "withdrawn"),
            ("legal_aid", "total"),
            ("province", "sent"),
            ("province", "withdrawn"),
        ] {
            assert_eq!(
                table.value(row, col),
                Some(&Value::Suppressed),
                "{row} {col}"
            );
        }
        assert!(grid.audit.protected);
    }

    /// With one small count beside the rest, the grand total and the other
    /// rows would tell it: they are not all published.
    #[test]
    fn margins_that_would_pin_one_small_count_are_withheld() {
        let records: Vec<StatRecord> = fifteen().into_iter().skip(1).take(11).collect();
        let grid = ReferralGrid::protect(&tally(&records), 5, &[]);
        let table = table(&grid, &empty());
        assert_eq!(
            table.value("police_security", "sent"),
            Some(&Value::Suppressed)
        );
        let published = |row: &str| matches!(table.value(row, "total"), Some(Value::Count(_)));
        assert!(!(published("province") && published("health")));
        assert!(grid.audit.protected);
    }

    #[test]
    fn the_share_in_time_and_the_median_wait() {
        let current = ReferralGrid::protect(&tally(&fifteen()), 5, &[]);
        let figures = indicators(&current, &empty());
        let value = |code: &str| {
            figures
                .iter()
                .find(|i| i.code == code)
                .map(|i| i.value.clone())
                .unwrap()
        };
        assert_eq!(value("referrals_made"), Value::Count(15));
        // Of the twelve still standing on consent, eight were answered in
        // time and four not (two late, two unanswered): four names a few,
        // so the share is withheld at threshold 5 and shown at threshold 3.
        assert_eq!(value("referrals_answered_in_time"), Value::Suppressed);
        let open = ReferralGrid::protect(&tally(&fifteen()), 3, &[]);
        assert_eq!(open.share_in_time, Value::Percent(800.0 / 12.0));
        // Days 1..=10: the lower median is 5.
        assert_eq!(value("median_days_to_first_service"), Value::Count(5));
        assert_eq!(empty().median_days, Value::Empty);
    }

    #[test]
    fn a_median_over_fewer_than_the_threshold_is_withheld() {
        let records: Vec<StatRecord> = fifteen().into_iter().take(4).collect();
        let grid = ReferralGrid::protect(&tally(&records), 5, &[]);
        assert_eq!(grid.median_days, Value::Suppressed);
    }
}
