//! Tests of the annual report: counts checked against an independent count,
//! an attacker who tries to recover suppressed cells, consent rules end to
//! end, and the exports read back. All data is synthetic.

use super::synthetic;
use super::*;
use binhan_core::model::{Coded, COMMUNES};
use binhan_core::stats::StatRecord;
use binhan_testkit::stats;
use std::collections::{BTreeMap, HashMap};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn year_records(seed: u64, now: usize, before: usize) -> Vec<StatRecord> {
    let mut records = stats::records(seed, 2026, now);
    records.extend(stats::records(seed + 1, 2025, before));
    records
}

/// The calendar year `year`, as the synthetic records are made by
/// calendar year (the default period is `period_tests`').
fn calendar(year: i32) -> ReportPeriod {
    ReportPeriod::new(year, Some(1)).unwrap()
}

fn report_of(records: &[StatRecord], threshold: u32) -> AnnualReport {
    annual_report(
        calendar(2026),
        records,
        &synthetic::registries(3, 2026),
        &ReportConfig { threshold },
        today(),
    )
}

/// Every survivor table, each with a `total` column.
const SURVIVOR_TABLES: [&str; 9] = [
    "survivors",
    "violence_type",
    "context",
    "sex",
    "age_band",
    "ethnic_group",
    "disability",
    "migrant_worker",
    "services_delivered",
];

/// Independent count: (table, row, column) → survivors, rows being commune
/// codes and `province`, column `total` the survivors of the row.
fn count(records: &[StatRecord], year: u16) -> HashMap<(String, String, String), u64> {
    let mut out: HashMap<(String, String, String), u64> = HashMap::new();
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    for r in records.iter().filter(|r| r.year == year) {
        let mut columns: Vec<(&str, String)> = vec![
            (
                "survivors",
                if r.services_delivered.is_empty() {
                    "without_service".into()
                } else {
                    "with_service".into()
                },
            ),
            ("violence_type", r.violence_type.code().into()),
            ("sex", r.sex.code().into()),
            ("age_band", r.age_band.code().into()),
            (
                "ethnic_group",
                r.ethnic_group.map_or("unknown".into(), |e| e.code().into()),
            ),
            ("disability", yes_no(r.disability).into()),
            ("migrant_worker", yes_no(r.migrant_worker).into()),
        ];
        columns.extend(r.contexts.iter().map(|c| ("context", c.code().to_string())));
        columns.extend(
            r.services_delivered
                .iter()
                .map(|s| ("services_delivered", s.code().to_string())),
        );
        for table in SURVIVOR_TABLES {
            columns.push((table, "total".into()));
        }
        for referral in &r.referrals {
            for column in [referral.outcome.code(), "total"] {
                for row in [referral.service.code(), "province"] {
                    *out.entry(("referrals".into(), row.into(), column.into()))
                        .or_default() += 1;
                }
            }
        }
        for (table, column) in columns {
            for row in [r.commune.as_str(), "province"] {
                *out.entry((table.into(), row.into(), column.clone()))
                    .or_default() += 1;
            }
        }
    }
    out
}

/// Checks every survivor count of `report` against the independent count:
/// published values are exact, small values are never published.
fn check_counts(report: &AnnualReport, expected: &HashMap<(String, String, String), u64>) -> usize {
    let k = u64::from(report.threshold);
    let mut suppressed = 0;
    for id in SURVIVOR_TABLES.into_iter().chain(["referrals"]) {
        let table = report.table(id).unwrap();
        let (Structure::Partition { categories, total }
        | Structure::MultiResponse { categories, total }) = &table.structure
        else {
            panic!("{id} is a survivor table");
        };
        if id != "referrals" {
            assert_eq!(table.rows.len(), COMMUNES.len() + 1);
        }
        for row in &table.rows {
            for &c in categories.iter().chain([total]) {
                let column = &table.columns[c].code;
                let want = expected
                    .get(&(id.to_string(), row.code.clone(), column.clone()))
                    .copied()
                    .unwrap_or(0);
                match &row.cells[c] {
                    Value::Count(n) => {
                        assert_eq!(*n, want, "{id} {} {column}", row.code);
                        assert!(
                            *n == 0 || *n >= k,
                            "{id} {} {column}: small count published",
                            row.code
                        );
                    }
                    // Totals are one cell shared by every table.
                    Value::Suppressed => {
                        suppressed +=
                            usize::from(c != *total || matches!(id, "survivors" | "referrals"))
                    }
                    other => panic!("{id} {} {column}: {other:?}", row.code),
                }
            }
        }
    }
    suppressed
}

#[test]
fn report_matches_an_independent_count() {
    let records = year_records(11, 900, 700);
    let report = report_of(&records, 5);
    assert!(report.audit.protected && report.audit_previous.protected);
    let expected = count(&records, 2026);
    let suppressed = check_counts(&report, &expected);
    assert!(suppressed > 0, "synthetic data has small cells");
    assert_eq!(
        suppressed, report.audit.suppressed_cells,
        "every suppressed cell is in a table"
    );

    let n = expected[&("survivors".into(), "province".into(), "total".into())];
    assert_eq!(n, 900);
    let detected = report.indicator("survivors_detected").unwrap();
    assert_eq!(detected.value, Value::Count(900));
    assert_eq!(detected.previous, Value::Count(700));
    assert_eq!(detected.change, Value::Change(200));
    let served = expected[&("survivors".into(), "province".into(), "with_service".into())];
    match &report.indicator("share_with_service").unwrap().value {
        Value::Percent(p) => assert!((p - 100.0 * served as f64 / n as f64).abs() < 1e-9),
        Value::Suppressed => {}
        other => panic!("share: {other:?}"),
    }

    // Previous year, beside the survivors and in the comparison.
    let before = count(&records, 2025);
    let survivors = report.table("survivors").unwrap();
    for row in &survivors.rows {
        let want = before
            .get(&("survivors".into(), row.code.clone(), "total".into()))
            .copied()
            .unwrap_or(0);
        match survivors.value(&row.code, "previous_total").unwrap() {
            Value::Count(v) => assert_eq!(*v, want),
            Value::Suppressed => assert!(want > 0),
            other => panic!("{other:?}"),
        }
    }
    let comparison = report.table("comparison").unwrap();
    for row in &comparison.rows {
        let (table, column) = row.code.split_once('.').unwrap();
        let now = &row.cells[0];
        let in_table = report
            .table(table)
            .unwrap()
            .value("province", column)
            .unwrap();
        assert_eq!(now, in_table, "{}", row.code);
        match (&row.cells[0], &row.cells[1], &row.cells[2]) {
            (Value::Count(a), Value::Count(b), Value::Change(d)) => {
                assert_eq!(*a as i64 - *b as i64, *d)
            }
            (_, _, Value::Suppressed) => {
                assert!(row.cells[0] == Value::Suppressed || row.cells[1] == Value::Suppressed)
            }
            other => panic!("{}: {other:?}", row.code),
        }
    }
}

#[test]
fn every_small_count_is_suppressed_at_any_threshold() {
    let records = year_records(5, 300, 10);
    for threshold in [3, 5, 10] {
        let report = report_of(&records, threshold);
        assert!(report.audit.protected);
        check_counts(&report, &count(&records, 2026));
    }
    // Threshold 1: nothing to suppress.
    let report = report_of(&records, 1);
    assert_eq!(report.audit.suppressed_cells, 0);
    assert_eq!(check_counts(&report, &count(&records, 2026)), 0);
}

/// What an attacker knows: the published tables and how they add up.
struct Attacker {
    /// Unknowns: suppressed cells and implied cells (survivors without a
    /// flag); each with the true value, which only the test knows.
    vars: Vec<(String, u64)>,
    index: HashMap<String, usize>,
    /// Σ coefficient × unknown = constant (or ≤, when not exact).
    equations: Vec<Relation>,
    /// Shown suppressed cells.
    shown: Vec<usize>,
}

/// Terms (unknown, coefficient), constant, and whether it is an equation.
type Relation = (Vec<(usize, f64)>, f64, bool);

enum Term {
    Known(f64),
    Unknown(usize),
}

impl Attacker {
    fn term(&mut self, key: String, value: &Value, truth: u64, shown: bool) -> Term {
        match value {
            Value::Count(n) => Term::Known(*n as f64),
            Value::Suppressed => {
                let next = self.vars.len();
                let i = *self.index.entry(key.clone()).or_insert(next);
                if i == next {
                    self.vars.push((key, truth));
                    if shown {
                        self.shown.push(i);
                    }
                }
                Term::Unknown(i)
            }
            other => panic!("{key}: {other:?} in a survivor column"),
        }
    }

    fn equation(&mut self, terms: Vec<(f64, Term)>) {
        self.relation(terms, true);
    }

    fn relation(&mut self, terms: Vec<(f64, Term)>, exact: bool) {
        let mut lhs = Vec::new();
        let mut rhs = 0.0;
        for (coeff, term) in terms {
            match term {
                Term::Known(v) => rhs -= coeff * v,
                Term::Unknown(i) => lhs.push((i, coeff)),
            }
        }
        if !lhs.is_empty() {
            self.equations.push((lhs, rhs, exact));
        } else if exact {
            assert!(rhs.abs() < 1e-9, "published numbers disagree");
        } else {
            assert!(rhs >= -1e-9, "published numbers break a bound");
        }
    }

    /// Reads the survivor tables of `report` (`truth` only labels the
    /// unknowns for the checks).
    fn read(report: &AnnualReport, truth: &HashMap<(String, String, String), u64>) -> Self {
        let mut a = Attacker {
            vars: Vec::new(),
            index: HashMap::new(),
            equations: Vec::new(),
            shown: Vec::new(),
        };
        let value_of = |t: &str, r: &str, c: &str| {
            truth
                .get(&(t.to_string(), r.to_string(), c.to_string()))
                .copied()
                .unwrap_or(0)
        };
        for table in report.tables.iter() {
            let (multi, categories, total) = match &table.structure {
                Structure::Partition { categories, total } => (false, categories, *total),
                Structure::MultiResponse { categories, total } => (true, categories, *total),
                Structure::Plain => continue,
            };
            let province = table.rows.len() - 1;
            let cell = |a: &mut Attacker, r: usize, c: usize| a.cell(table, r, c, total, truth);
            // Columns: communes add up to the province.
            for &c in categories.iter().chain([&total]) {
                let mut terms: Vec<(f64, Term)> =
                    (0..province).map(|r| (1.0, cell(&mut a, r, c))).collect();
                terms.push((-1.0, cell(&mut a, province, c)));
                a.equation(terms);
            }
            for r in 0..=province {
                if multi {
                    // Survivors without a flag: total minus flag, ≥ 0.
                    for &c in categories {
                        let row = table.rows[r].code.clone();
                        let col = table.columns[c].code.clone();
                        let t =
                            value_of("survivors", &row, "total") - value_of(&table.id, &row, &col);
                        let without = a.term(
                            format!("{}/{row}/{col}/without", table.id),
                            &Value::Suppressed,
                            t,
                            false,
                        );
                        let terms = vec![
                            (1.0, cell(&mut a, r, c)),
                            (1.0, without),
                            (-1.0, cell(&mut a, r, total)),
                        ];
                        a.equation(terms);
                    }
                } else {
                    let mut terms: Vec<(f64, Term)> = categories
                        .iter()
                        .map(|&c| (1.0, cell(&mut a, r, c)))
                        .collect();
                    terms.push((-1.0, cell(&mut a, r, total)));
                    a.equation(terms);
                }
            }
        }
        // What the counts mean: survivors with a service delivered are at
        // least those given any one service and at most all of them summed.
        let survivors = report.table("survivors").unwrap();
        let services = report.table("services_delivered").unwrap();
        let with = survivors.column("with_service").unwrap();
        let (s_total, d_total) = (
            survivors.column("total").unwrap(),
            services.column("total").unwrap(),
        );
        for r in 0..survivors.rows.len() {
            let mut sum = vec![(-1.0, a.cell(survivors, r, with, s_total, truth))];
            for c in 0..services.columns.len() - 1 {
                let one = a.cell(services, r, c, d_total, truth);
                let with_term = a.cell(survivors, r, with, s_total, truth);
                let again = a.cell(services, r, c, d_total, truth);
                a.relation(vec![(1.0, again), (-1.0, with_term)], false);
                sum.push((1.0, one));
            }
            // with ≤ Σ delivered  ⇔  with − Σ delivered ≤ 0
            let sum = sum.into_iter().map(|(c, t)| (-c, t)).collect();
            a.relation(sum, false);
        }
        a
    }

    /// The unknown (or known value) of a cell of a survivor table.
    fn cell(
        &mut self,
        table: &Table,
        r: usize,
        c: usize,
        total: usize,
        truth: &HashMap<(String, String, String), u64>,
    ) -> Term {
        let row = &table.rows[r].code;
        let col = &table.columns[c].code;
        let value_of = |t: &str, col: &str| {
            truth
                .get(&(t.to_string(), row.to_string(), col.to_string()))
                .copied()
                .unwrap_or(0)
        };
        // Totals are the same count in every table.
        let (key, t) = if c == total {
            (format!("total/{row}"), value_of("survivors", "total"))
        } else {
            (
                format!("{}/{row}/{col}", table.id),
                value_of(&table.id, col),
            )
        };
        self.term(key, &table.rows[r].cells[c], t, true)
    }

    /// Groups of unknowns tied by equations.
    fn components(&self) -> Vec<(Vec<usize>, Vec<usize>)> {
        let n = self.vars.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for (lhs, _, _) in &self.equations {
            for w in lhs.windows(2) {
                let (a, b) = (find(&mut parent, w[0].0), find(&mut parent, w[1].0));
                parent[a] = b;
            }
        }
        let mut groups: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for v in 0..n {
            let root = find(&mut parent, v);
            groups.entry(root).or_default().0.push(v);
        }
        for (e, (lhs, _, _)) in self.equations.iter().enumerate() {
            let root = find(&mut parent, lhs[0].0);
            groups.entry(root).or_default().1.push(e);
        }
        groups.into_values().collect()
    }

    /// Unknowns that linear algebra on the equations alone pins down: first
    /// by peeling (an equation with one unknown left gives it), then, for
    /// groups small enough to reduce densely, by reduced row echelon form
    /// (a larger group's unknowns are shown free by the linear programmes,
    /// whose points all satisfy the equations).
    fn determined(&self) -> Vec<bool> {
        let mut out = vec![false; self.vars.len()];
        loop {
            let mut changed = false;
            for (lhs, _, _) in self.equations.iter().filter(|e| e.2) {
                let open: Vec<usize> = lhs.iter().map(|&(v, _)| v).filter(|&v| !out[v]).collect();
                if open.len() == 1 {
                    out[open[0]] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (vars, eqs) in self.components() {
            if vars.len() > 300 {
                continue;
            }
            let col: HashMap<usize, usize> =
                vars.iter().enumerate().map(|(i, &v)| (v, i)).collect();
            let width = vars.len();
            let mut m: Vec<Vec<f64>> = eqs
                .iter()
                .filter(|&&e| self.equations[e].2)
                .map(|&e| {
                    let mut row = vec![0.0; width];
                    for &(v, c) in &self.equations[e].0 {
                        row[col[&v]] += c;
                    }
                    row
                })
                .collect();
            // Reduced row echelon form.
            let mut pivots = Vec::new();
            let mut r = 0;
            for c in 0..width {
                let Some(p) = (r..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
                else {
                    break;
                };
                if m[p][c].abs() < 1e-9 {
                    continue;
                }
                m.swap(r, p);
                let lead = m[r][c];
                for x in m[r].iter_mut() {
                    *x /= lead;
                }
                for i in 0..m.len() {
                    if i != r && m[i][c].abs() > 1e-12 {
                        let f = m[i][c];
                        let pivot_row = m[r].clone();
                        for (x, y) in m[i].iter_mut().zip(&pivot_row) {
                            *x -= f * y;
                        }
                    }
                }
                pivots.push((r, c));
                r += 1;
                if r == m.len() {
                    break;
                }
            }
            let pivot_cols: Vec<usize> = pivots.iter().map(|&(_, c)| c).collect();
            for &(row, c) in &pivots {
                let free_terms = (0..width)
                    .filter(|x| !pivot_cols.contains(x))
                    .any(|x| m[row][x].abs() > 1e-9);
                if !free_terms {
                    out[vars[c]] = true;
                }
            }
        }
        out
    }

    /// What linear programming over the reals can show about each unknown:
    /// whether some table consistent with the published numbers has it at
    /// 0, at `k − 1` or more, and at a value other than the true one. Each
    /// solve is a witness for every unknown at once; cells that sweeps leave
    /// open get their own exact minimum or maximum.
    fn witnesses(&self, k: f64) -> Vec<Witnessed> {
        use microlp::{ComparisonOp, OptimizationDirection, Problem};
        let mut out: Vec<Witnessed> = self
            .vars
            .iter()
            .map(|(_, v)| Witnessed {
                zero: *v == 0,
                high: *v as f64 >= k - 1.0,
                moved: false,
            })
            .collect();
        for (vars, eqs) in self.components() {
            // Solves with objective Σ weight × min(x, cap) and records the point.
            let solve =
                |out: &mut Vec<Witnessed>, direction, targets: &[usize], cap: Option<f64>| {
                    let mut problem = Problem::new(direction);
                    let x: HashMap<usize, microlp::Variable> = vars
                        .iter()
                        .map(|&v| {
                            let objective = if cap.is_none() && targets.contains(&v) {
                                1.0
                            } else {
                                0.0
                            };
                            (v, problem.add_var(objective, (0.0, f64::INFINITY)))
                        })
                        .collect();
                    for &e in &eqs {
                        let (lhs, rhs, exact) = &self.equations[e];
                        let terms: Vec<_> = lhs.iter().map(|&(v, c)| (x[&v], c)).collect();
                        let op = if *exact {
                            ComparisonOp::Eq
                        } else {
                            ComparisonOp::Le
                        };
                        problem.add_constraint(terms.as_slice(), op, *rhs);
                    }
                    if let Some(cap) = cap {
                        for t in targets {
                            let y = problem.add_var(1.0, (0.0, cap));
                            problem.add_constraint([(y, 1.0), (x[t], -1.0)], ComparisonOp::Le, 0.0);
                        }
                    }
                    let solution = problem
                        .solve()
                        .expect("the true table is feasible")
                        .into_solution()
                        .expect("a solution");
                    for &v in &vars {
                        let value = solution.var_value(x[&v]);
                        let w = &mut out[v];
                        w.zero |= value <= 1e-6;
                        w.high |= value >= k - 1.0 - 1e-6;
                        w.moved |= (value - self.vars[v].1 as f64).abs() > 0.5;
                    }
                };
            for want_zero in [true, false] {
                let open = |out: &Vec<Witnessed>| -> Vec<usize> {
                    vars.iter()
                        .copied()
                        .filter(|&v| {
                            let small = (1..k as u64).contains(&self.vars[v].1);
                            small
                                && if want_zero {
                                    !out[v].zero
                                } else {
                                    !out[v].high
                                }
                        })
                        .collect()
                };
                let mut done = Vec::new();
                loop {
                    let need: Vec<usize> = open(&out)
                        .into_iter()
                        .filter(|v| !done.contains(v))
                        .collect();
                    let Some(&first) = need.first() else { break };
                    if want_zero {
                        solve(&mut out, OptimizationDirection::Minimize, &need, None);
                    } else {
                        solve(
                            &mut out,
                            OptimizationDirection::Maximize,
                            &need,
                            Some(k - 1.0),
                        );
                    }
                    let after: Vec<usize> = open(&out)
                        .into_iter()
                        .filter(|v| !done.contains(v))
                        .collect();
                    if after.len() == need.len() {
                        // No progress: the first cell's own optimum decides it.
                        if need.len() > 1 {
                            if want_zero {
                                solve(&mut out, OptimizationDirection::Minimize, &[first], None);
                            } else {
                                solve(
                                    &mut out,
                                    OptimizationDirection::Maximize,
                                    &[first],
                                    Some(k - 1.0),
                                );
                            }
                        }
                        done.push(first);
                    }
                }
            }
            // Suppressed cells that no point has moved yet.
            for &v in vars.iter().filter(|v| self.shown.contains(v)) {
                if out[v].moved {
                    continue;
                }
                solve(&mut out, OptimizationDirection::Minimize, &[v], None);
                if !out[v].moved {
                    let truth = self.vars[v].1 as f64;
                    solve(
                        &mut out,
                        OptimizationDirection::Maximize,
                        &[v],
                        Some(truth + 1.0),
                    );
                }
            }
        }
        out
    }
}

/// What the attacker could not rule out about one unknown.
#[derive(Debug, Clone, Copy)]
struct Witnessed {
    zero: bool,
    high: bool,
    moved: bool,
}

/// What the attacker learns from `report`'s published tables (the true
/// values label the unknowns for the verdicts, nothing else): every small
/// cell it can show is not 0, or is below `threshold − 1`, and every
/// suppressed cell it can pin down. Also returns how many small cells it
/// went after.
fn breaches(report: &AnnualReport, records: &[StatRecord]) -> (Vec<String>, usize) {
    let threshold = report.threshold;
    let truth = count(records, 2026);
    let attacker = Attacker::read(report, &truth);
    let k = f64::from(threshold);
    let determined = attacker.determined();
    let witnessed = attacker.witnesses(k);
    let mut found = Vec::new();
    let mut attacked = 0;
    for (i, (key, value)) in attacker.vars.iter().enumerate() {
        if (1..u64::from(threshold)).contains(value) {
            attacked += 1;
            if determined[i] {
                found.push(format!("{key} = {value} recovered by linear algebra"));
            }
            if !witnessed[i].zero {
                found.push(format!("{key} = {value}: shown not to be 0"));
            }
            if !witnessed[i].high {
                found.push(format!(
                    "{key} = {value}: shown to be below {}",
                    threshold - 1
                ));
            }
        }
    }
    for &i in &attacker.shown {
        let (key, value) = &attacker.vars[i];
        if determined[i] {
            found.push(format!(
                "suppressed {key} = {value} recovered by linear algebra"
            ));
        } else if !witnessed[i].moved {
            found.push(format!(
                "suppressed {key} = {value} pinned by linear programming"
            ));
        }
    }
    // Derived columns never reveal a suppressed count.
    let survivors = report.table("survivors").unwrap();
    for row in &survivors.rows {
        let share = survivors.value(&row.code, "share_with_service").unwrap();
        let with = survivors.value(&row.code, "with_service").unwrap();
        let total = survivors.value(&row.code, "total").unwrap();
        if matches!(share, Value::Percent(_))
            && !matches!((with, total), (Value::Count(_), Value::Count(_)))
        {
            found.push(format!(
                "share of {} published beside a suppressed count",
                row.code
            ));
        }
    }
    (found, attacked)
}

/// The attacker fails on every cell of the report of `records`.
fn attack(records: &[StatRecord], threshold: u32) -> usize {
    let report = report_of(records, threshold);
    assert!(report.audit.protected);
    let (found, attacked) = breaches(&report, records);
    assert!(found.is_empty(), "the attacker learnt: {found:#?}");
    attacked
}

#[test]
fn an_attacker_cannot_recover_suppressed_cells() {
    let mut attacked = 0;
    for (seed, n) in [(21, 900), (22, 250), (23, 60)] {
        attacked += attack(&stats::records(seed, 2026, n), 5);
    }
    assert!(
        attacked > 100,
        "the attack had small cells to go after ({attacked})"
    );
}

#[test]
fn the_attacker_breaks_primary_suppression_alone() {
    // Without complementary suppression the same attacker succeeds, so its
    // failure above means something.
    let records = stats::records(22, 2026, 250);
    disclosure::PRIMARY_ONLY.with(|p| p.set(true));
    let report = report_of(&records, 5);
    disclosure::PRIMARY_ONLY.with(|p| p.set(false));
    let (found, _) = breaches(&report, &records);
    assert!(
        found
            .iter()
            .any(|f| f.contains("recovered by linear algebra")),
        "{found:#?}"
    );
    assert!(found.iter().any(|f| f.contains("shown")), "{found:#?}");
}

#[test]
fn a_solver_stopped_at_its_limit_publishes_nothing_it_did_not_prove() {
    // A 2×2 table with its margins and one small cell (2). When no solve
    // finishes nothing is proven: the audit says so, and no complementary
    // cell is published as "pinned" on the strength of a solve that
    // stopped, so no line leaves the small cell as its only unknown.
    use disclosure::{Grid, Status};
    let mut grid = Grid::default();
    let values = [[2, 8, 10], [7, 9, 16], [9, 17, 26]];
    let ids: Vec<Vec<usize>> = values
        .iter()
        .map(|row| row.iter().map(|&v| grid.cell(v, true, 1)).collect())
        .collect();
    for row in &ids {
        grid.line(row[2], vec![row[0], row[1]]);
    }
    for (c, &total) in ids[2].iter().enumerate() {
        grid.line(total, vec![ids[0][c], ids[1][c]]);
    }
    grid.block(3, 3, ids.iter().flatten().copied().collect());
    disclosure::SOLVER_STOPS.with(|p| p.set(true));
    let audit = grid.protect(5);
    disclosure::SOLVER_STOPS.with(|p| p.set(false));
    assert!(!audit.protected, "nothing was proven");
    let small = ids[0][0];
    assert_eq!(grid.cells[small].status, Status::Primary);
    for line in grid.lines.iter().filter(|l| l.parts.contains(&small)) {
        let others_published = line
            .parts
            .iter()
            .chain(&line.totals)
            .filter(|&&id| id != small)
            .all(|&id| grid.cells[id].status == Status::Published);
        assert!(!others_published, "the small cell follows from its line");
    }
}

#[test]
fn an_attacker_fails_on_a_tiny_year_and_a_high_threshold() {
    attack(&stats::records(31, 2026, 12), 5);
    attack(&stats::records(32, 2026, 400), 10);
}

#[test]
fn records_stream_in_and_other_years_are_ignored() {
    let mut records = year_records(41, 120, 80);
    records.extend(stats::records(42, 2024, 50));
    let all = report_of(&records, 5);
    let mut builder = ReportBuilder::new(calendar(2026));
    for r in records.iter().rev() {
        builder.add(r);
    }
    let mut odd = records[0].clone();
    odd.commune = "nowhere".into();
    odd.year = 2026;
    assert!(!builder.add(&odd));
    assert_eq!(builder.current.skipped(), 1);
    assert_eq!(builder.current.total(), 120);
    assert_eq!(builder.previous.total(), 80);
    let streamed = builder.finish(
        &synthetic::registries(3, 2026),
        &ReportConfig::default(),
        today(),
    );
    assert_eq!(streamed, all);
}

#[test]
fn registries_count_the_plan_targets() {
    use super::input::{Attendee, TraineeRole, TrainingSession, TrainingTarget};
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let person = |p: &str, role| Attendee {
        person: p.into(),
        commune: "mu_ca".into(),
        role,
    };
    let mut reg = Registries::default();
    reg.programme.training_targets.push(TrainingTarget {
        commune: "mu_ca".into(),
        collaborators: 4,
        officials: 1,
    });
    for (date, people) in [
        (d(2025, 5, 1), vec!["a"]),
        (d(2026, 5, 1), vec!["a", "b", "c"]),
        (d(2027, 1, 5), vec!["d"]),
    ] {
        reg.programme.training_sessions.push(TrainingSession {
            date,
            commune: "mu_ca".into(),
            title: "synthetic".into(),
            attendees: people
                .iter()
                .map(|p| person(p, TraineeRole::Collaborator))
                .collect(),
        });
    }
    reg.programme.training_sessions[1]
        .attendees
        .push(person("z", TraineeRole::Official));
    for (i, c) in COMMUNES.iter().enumerate().take(6) {
        reg.shelters.push(ShelterInput {
            commune: c.code.into(),
            standardised: i < 5,
            active: true,
        });
    }
    reg.shelters.push(ShelterInput {
        commune: "mu_ca".into(),
        standardised: true,
        active: false,
    });
    reg.programme.schools.push(School {
        name: "synthetic A".into(),
        commune: "mu_ca".into(),
        procedure_since: Some(d(2026, 9, 1)),
    });
    reg.programme.schools.push(School {
        name: "synthetic B".into(),
        commune: "mu_ca".into(),
        procedure_since: Some(d(2027, 9, 1)),
    });
    reg.programme.enterprises.push(Enterprise {
        name: "synthetic E".into(),
        commune: "tan_phong".into(),
        rules_since: Some(d(2025, 1, 1)),
    });
    let report = annual_report(calendar(2026), &[], &reg, &ReportConfig::default(), today());
    let ind = |code: &str| report.indicator(code).unwrap().clone();
    assert_eq!(ind("shelters").value, Value::Count(6));
    assert_eq!(ind("standardised_shelters").value, Value::Count(5));
    assert_eq!(ind("standardised_shelters").met, Some(true));
    assert_eq!(ind("communes_with_shelter").value, Value::Count(6));
    assert_eq!(ind("communes_with_shelter").met, Some(false));
    // 2026: a, b, c and z trained of 5; 2025: a only.
    assert_eq!(ind("share_trained").value, Value::Percent(80.0));
    assert_eq!(ind("share_trained").met, Some(true));
    assert_eq!(ind("share_trained").previous, Value::Percent(20.0));
    assert_eq!(ind("share_trained").change, Value::Percent(60.0));
    assert_eq!(ind("training_sessions").value, Value::Count(1));
    assert_eq!(ind("share_schools").value, Value::Percent(50.0));
    assert_eq!(ind("share_schools").met, Some(false));
    assert_eq!(ind("share_enterprises").value, Value::Percent(100.0));
    assert_eq!(ind("survivors_detected").value, Value::Count(0));
    assert_eq!(ind("share_with_service").value, Value::Empty);
    let training = report.table("training").unwrap();
    assert_eq!(
        training.value("mu_ca", "collaborators_trained"),
        Some(&Value::Count(3))
    );
    assert_eq!(
        training.value("mu_ca", "officials_trained"),
        Some(&Value::Count(1))
    );
    assert_eq!(
        training.value("province", "collaborators_to_train"),
        Some(&Value::Count(4))
    );
    let shelters = report.table("shelters").unwrap();
    assert_eq!(
        shelters.value("ban_bo", "has_shelter"),
        Some(&Value::Text("Có".into()))
    );
    // Its only shelter is out of service.
    assert_eq!(
        shelters.value("mu_ca", "has_shelter"),
        Some(&Value::Text("Chưa có".into()))
    );
    assert_eq!(
        shelters.value("province", "has_shelter"),
        Some(&Value::Count(6))
    );
}

#[test]
fn consent_decides_what_is_counted() {
    use binhan_core::events::{CaseState, Change, Event, Hlc, MultiWrite};
    use binhan_core::model::*;
    use binhan_core::stats::{stat_update, StatUpdate};
    use binhan_testkit::intake::Builder;

    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let statistics = |granted| Consent {
        scope: ConsentScope::Statistics,
        granted,
        given_by: ConsentGiver::Survivor,
    };
    // The server's rule: keep the newest revision; a withdrawal deletes and
    // leaves a tombstone that older records cannot pass.
    let mut server: BTreeMap<[u8; 16], (u64, Option<StatRecord>)> = BTreeMap::new();
    let mut upload = |update: StatUpdate| {
        let id = update.statistics_id().0;
        let revision = update.revision();
        if server.get(&id).is_some_and(|(r, _)| *r >= revision) {
            return;
        }
        let record = match update {
            StatUpdate::Record(r) => Some(r),
            StatUpdate::Withdraw(_) => None,
        };
        server.insert(id, (revision, record));
    };
    let mut late = Vec::new();
    for i in 0..30u32 {
        let mut builder = Builder::new(0, day(2026, 3, 4))
            .code(format!("SYN-{i}"))
            .age(Some(20 + (i % 30) as u8))
            .incident_on(day(2026, 3, 1), day(2026, 3, 4))
            .violence(ViolenceType::PhysicalAssault);
        if i % 3 != 0 {
            builder = builder.consent(statistics(true));
        }
        let intake = builder.build();
        let case_id = CaseId::random();
        let first = Event {
            id: EventId::random(),
            case_id,
            hlc: Hlc::from_wall_ms(1_000 + u64::from(i)),
            author: DeviceId([1; 16]),
            changes: intake.into_changes(day(2026, 3, 5)).unwrap(),
        };
        let mut events = vec![first];
        if let Some(update) = stat_update(&CaseState::fold(case_id, &events)) {
            if i % 3 == 2 {
                late.push(update.clone());
            }
            upload(update);
        }
        if i % 3 == 2 {
            // Consent withdrawn on another device.
            let state = CaseState::fold(case_id, &events);
            events.push(Event {
                id: EventId::random(),
                case_id,
                hlc: Hlc::from_wall_ms(9_000 + u64::from(i)),
                author: DeviceId([2; 16]),
                changes: vec![Change::Consent(MultiWrite {
                    value: statistics(false),
                    supersedes: state.head_events(&ConsentScope::Statistics.key()),
                })],
            });
            upload(stat_update(&CaseState::fold(case_id, &events)).unwrap());
        }
    }
    // A stale device re-sends its old records after the withdrawals.
    for update in late {
        upload(update);
    }
    let records: Vec<StatRecord> = server.values().filter_map(|(_, r)| r.clone()).collect();
    assert_eq!(records.len(), 10, "only cases that consent, and still do");
    let report = annual_report(
        calendar(2026),
        &records,
        &Registries::default(),
        &ReportConfig::default(),
        today(),
    );
    assert_eq!(
        report.indicator("survivors_detected").unwrap().value,
        Value::Count(10)
    );
    assert_eq!(
        report.table("survivors").unwrap().value("mu_ca", "total"),
        Some(&Value::Count(10))
    );
}

#[test]
fn the_workbook_reads_back_with_the_same_numbers() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let records = year_records(51, 400, 300);
    let report = report_of(&records, 5);
    let bytes = to_xlsx(&report).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let mut expected_sheets = vec![COVER_SHEET.to_string()];
    expected_sheets.extend(report.tables.iter().map(|t| t.sheet.clone()));
    assert_eq!(book.sheet_names(), expected_sheets);

    let cover = book.worksheet_range(COVER_SHEET).unwrap();
    let text: String = cover
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "Lai Châu",
        "Năm báo cáo: 2026",
        "Ngày lập báo cáo: 20/11/2026",
        "\"x\"",
        "từ 1 đến 4 người",
    ] {
        assert!(text.contains(needle), "cover lacks {needle}");
    }

    let mut suppressed = 0;
    for table in &report.tables {
        let sheet = book.worksheet_range(&table.sheet).unwrap();
        let at = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(at(0, 0), Data::String(table.title_vi.clone()));
        for (c, column) in table.columns.iter().enumerate() {
            assert_eq!(
                at(export::HEADING_ROW, c as u32 + 1),
                Data::String(column.vi.clone())
            );
        }
        for (r, row) in table.rows.iter().enumerate() {
            let line = export::HEADING_ROW + 1 + r as u32;
            assert_eq!(at(line, 0), Data::String(row.label.clone()));
            for (c, value) in row.cells.iter().enumerate() {
                let got = at(line, c as u32 + 1);
                match value {
                    Value::Count(n) => {
                        assert_eq!(got, Data::Float(*n as f64), "{} {} {c}", table.id, row.code)
                    }
                    Value::Change(n) => assert_eq!(got, Data::Float(*n as f64)),
                    Value::Percent(p) => match got {
                        Data::Float(f) => assert!((f - p).abs() < 0.051),
                        other => panic!("{other:?}"),
                    },
                    Value::Text(t) => assert_eq!(got, Data::String(t.clone())),
                    Value::Suppressed => {
                        suppressed += 1;
                        assert_eq!(got, Data::String(SUPPRESSED.into()));
                    }
                    Value::Empty => assert_eq!(got, Data::Empty),
                }
            }
        }
    }
    assert!(suppressed >= report.audit.suppressed_cells);
    let survivors = book.worksheet_range("Người bị BLG").unwrap();
    let province_row = export::HEADING_ROW + 1 + COMMUNES.len() as u32;
    assert_eq!(
        survivors.get_value((province_row, 3)),
        Some(&Data::Float(400.0)),
        "province survivors in the total column"
    );
}

#[test]
fn csv_has_every_value_and_the_marker() {
    let records = year_records(61, 200, 150);
    let report = report_of(&records, 5);
    let csv = to_csv(&report);
    let body = csv.strip_prefix('\u{feff}').expect("byte order mark");
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("table,row_code,row,column_code,column,value")
    );
    let values: usize = report
        .tables
        .iter()
        .map(|t| t.rows.len() * t.columns.len())
        .sum();
    assert_eq!(lines.clone().count(), values);
    let survivors = report.table("survivors").unwrap();
    let mu_ca = survivors.value("mu_ca", "total").unwrap().to_text();
    assert!(body.contains(&format!(
        "survivors,mu_ca,Xã Mù Cả,total,Tổng số người bị bạo lực được phát hiện,{mu_ca}\r\n"
    )));
    let marked = lines.filter(|l| l.ends_with(",x")).count();
    assert!(marked >= report.audit.suppressed_cells);
    // A value with a comma is quoted.
    let context = table_csv(report.table("context").unwrap());
    assert!(context.contains("\"bạo lực gia đình (bạn đời, vợ/chồng, người thân)\""));
    assert_eq!(context.lines().count(), COMMUNES.len() + 2);
}
