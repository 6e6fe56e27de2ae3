//! The integer audit: witnesses that every protected cell can be low and
//! high given everything published (see the parent module for the rule).

#[cfg(test)]
use super::SOLVER_STOPS;
use super::{CellId, Grid, Seen, Status, NODE_LIMIT};
use microlp::{
    ComparisonOp, OptimizationDirection, Problem, SolutionStatus, SolveOptions, SolveOutcome,
};
use std::collections::{BTreeMap, BTreeSet};

/// A primary cell the audit could not protect.
#[derive(Debug, Clone, Copy)]
pub(super) struct Failure {
    pub(super) cell: CellId,
    /// No table consistent with the published numbers has it at 0.
    pub(super) low: bool,
    /// None has it at threshold − 1 or more.
    pub(super) high: bool,
}

pub(super) struct Audit {
    pub(super) seen: Vec<Seen>,
    pub(super) solves: usize,
}

/// Connected groups of unknown cells (two unknowns on one line are linked).
pub(super) struct Components {
    pub(super) of: Vec<usize>,
}

impl Components {
    pub(super) fn members(&self, comp: usize) -> Vec<CellId> {
        (0..self.of.len()).filter(|&i| self.of[i] == comp).collect()
    }
}

pub(super) fn components(grid: &Grid) -> Components {
    let n = grid.cells.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for line in &grid.lines {
        let mut first = None;
        for id in line.members() {
            if !grid.unknown(id) {
                continue;
            }
            match first {
                None => first = Some(id),
                Some(f) => {
                    let (a, b) = (find(&mut parent, f), find(&mut parent, id));
                    if a != b {
                        parent[a] = b;
                    }
                }
            }
        }
    }
    let of = (0..n)
        .map(|i| {
            if grid.unknown(i) {
                find(&mut parent, i)
            } else {
                usize::MAX
            }
        })
        .collect();
    Components { of }
}

/// Integer (or real) variables ≥ 0 for `members`, with objective
/// coefficients from `objective`.
fn add_vars(
    problem: &mut Problem,
    members: &[CellId],
    objective: impl Fn(CellId) -> f64,
    integer: bool,
) -> BTreeMap<CellId, microlp::Variable> {
    members
        .iter()
        .map(|&id| {
            let var = if integer {
                problem.add_integer_var(objective(id), (0, i32::MAX))
            } else {
                problem.add_var(objective(id), (0.0, f64::INFINITY))
            };
            (id, var)
        })
        .collect()
}

/// The lines touching `members`, published values moved to the right.
fn add_lines(
    grid: &Grid,
    problem: &mut Problem,
    members: &[CellId],
    vars: &BTreeMap<CellId, microlp::Variable>,
) {
    let mut lines = BTreeSet::new();
    for &id in members {
        lines.extend(grid.cell_lines[id].iter().copied());
    }
    for l in lines {
        let line = &grid.lines[l];
        let mut terms = Vec::new();
        let mut rhs = 0f64;
        for (id, coeff) in line
            .parts
            .iter()
            .map(|&p| (p, 1.0))
            .chain(line.totals.iter().map(|&t| (t, -1.0)))
        {
            match vars.get(&id) {
                Some(&var) => terms.push((var, coeff)),
                None => rhs -= coeff * grid.cells[id].value as f64,
            }
        }
        if terms.is_empty() {
            continue;
        }
        let op = if line.exact {
            ComparisonOp::Eq
        } else {
            ComparisonOp::Le
        };
        problem.add_constraint(terms.as_slice(), op, rhs);
    }
}

impl Audit {
    /// Audits the primary cells still without both witnesses and returns
    /// the unprotected ones.
    pub(super) fn run(&mut self, grid: &Grid) -> Vec<Failure> {
        let comps = components(grid);
        let mut by_comp: BTreeMap<usize, Vec<CellId>> = BTreeMap::new();
        for id in 0..grid.cells.len() {
            let needs = grid.cells[id].status == Status::Primary
                && (!self.seen[id].zero || !self.seen[id].high);
            if needs {
                by_comp.entry(comps.of[id]).or_default().push(id);
            }
        }
        let mut failures = Vec::new();
        for (comp, targets) in by_comp {
            let members = comps.members(comp);
            failures.extend(self.component(grid, &members, &targets));
        }
        failures
    }

    fn component(&mut self, grid: &Grid, members: &[CellId], targets: &[CellId]) -> Vec<Failure> {
        let mut fail_low = BTreeSet::new();
        let mut fail_high = BTreeSet::new();
        // Zero witnesses, then witnesses at threshold − 1 or more: sweep
        // while sweeps find new witnesses, then one cell at a time (each
        // solve still records a witness for every cell).
        for want_zero in [true, false] {
            let mut stalled = false;
            loop {
                let need: Vec<CellId> = targets
                    .iter()
                    .copied()
                    .filter(|&id| {
                        if want_zero {
                            !self.seen[id].zero && !fail_low.contains(&id)
                        } else {
                            !self.seen[id].high && !fail_high.contains(&id)
                        }
                    })
                    .collect();
                let Some(&first) = need.first() else {
                    break;
                };
                let cells = if stalled { &need[..1] } else { &need[..] };
                if want_zero {
                    self.solve_min(grid, members, cells);
                } else {
                    self.solve_max(grid, members, cells, &|id| grid.hi[id]);
                }
                if stalled || need.len() == 1 {
                    if want_zero && !self.seen[first].zero {
                        fail_low.insert(first);
                    }
                    if !want_zero && !self.seen[first].high {
                        fail_high.insert(first);
                    }
                } else {
                    let progress = need.iter().any(|&id| {
                        if want_zero {
                            self.seen[id].zero
                        } else {
                            self.seen[id].high
                        }
                    });
                    stalled = !progress;
                }
            }
        }
        let failing: BTreeSet<CellId> = fail_low.union(&fail_high).copied().collect();
        failing
            .into_iter()
            .map(|cell| Failure {
                cell,
                low: fail_low.contains(&cell),
                high: fail_high.contains(&cell),
            })
            .collect()
    }

    /// Minimises the sum of `targets` and records the witness; whether the
    /// minimum was proven.
    pub(super) fn solve_min(
        &mut self,
        grid: &Grid,
        members: &[CellId],
        targets: &[CellId],
    ) -> bool {
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let targets: BTreeSet<CellId> = targets.iter().copied().collect();
        let vars = add_vars(
            &mut problem,
            members,
            |id| if targets.contains(&id) { 1.0 } else { 0.0 },
            true,
        );
        add_lines(grid, &mut problem, members, &vars);
        self.finish(grid, &problem, &vars)
    }

    /// Maximises the sum of `targets`, each capped at `cap(cell)`, and
    /// records the witness; whether the maximum was proven.
    pub(super) fn solve_max(
        &mut self,
        grid: &Grid,
        members: &[CellId],
        targets: &[CellId],
        cap: &dyn Fn(CellId) -> u64,
    ) -> bool {
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        let vars = add_vars(&mut problem, members, |_| 0.0, true);
        add_lines(grid, &mut problem, members, &vars);
        for id in targets {
            if let Some(&x) = vars.get(id) {
                let y = problem.add_var(1.0, (0.0, cap(*id) as f64));
                problem.add_constraint([(y, 1.0), (x, -1.0)], ComparisonOp::Le, 0.0);
            }
        }
        self.finish(grid, &problem, &vars)
    }

    /// Solves `problem`, records what its assignment witnesses, and says
    /// whether it proved its optimum (a solve that stopped at its limit
    /// proves nothing, though any assignment it found is still a witness).
    fn finish(
        &mut self,
        grid: &Grid,
        problem: &Problem,
        vars: &BTreeMap<CellId, microlp::Variable>,
    ) -> bool {
        self.solves += 1;
        #[cfg(test)]
        if SOLVER_STOPS.with(std::cell::Cell::get) {
            return false;
        }
        let mut options = SolveOptions::default();
        options.node_limit = Some(NODE_LIMIT);
        let Ok(SolveOutcome::Solution(solution)) = problem.solve_with(options) else {
            return false;
        };
        for (&id, &var) in vars {
            let value = solution.var_value(var).round();
            let value = if value <= 0.0 { 0 } else { value as u64 };
            let seen = &mut self.seen[id];
            seen.zero |= value <= grid.lo[id];
            seen.high |= value >= grid.hi[id];
            seen.moved |= value != grid.cells[id].value;
        }
        solution.status() == SolutionStatus::Optimal
    }
}
