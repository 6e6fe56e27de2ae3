//! Disclosure control: cell suppression for linked frequency tables, with an
//! exact integer audit.
//!
//! # Model
//!
//! Every number the report publishes about survivors is a [`Cell`]: a count
//! that is either published or suppressed. Cells are tied by [`Line`]s, each
//! saying that some cells add up to another (a commune's categories add up to
//! its total; the communes add up to the province row; the province row adds
//! up to the province total). Tables share cells: every breakdown's total
//! column is the same commune total. A cell may also be *hidden*: never
//! shown, but a real count that published numbers imply, such as the
//! survivors of a commune *without* a given context flag (its total minus
//! the published flag count). Hidden cells are always unknown to a reader
//! and are protected like shown ones. Some cells are also bounded by what
//! they mean (survivors with at least one service delivered are at least as
//! many as those given any one service, and at most the sum over services):
//! a reader knows these bounds, so the audit uses them too.
//!
//! # Rule
//!
//! - **Primary suppression:** a cell with a value from 1 to `threshold − 1`.
//!   Zeros are published (the usual practice for frequency tables; a zero
//!   names no one). Suppressed cells are all shown with one marker, primary
//!   or not, so the marker says nothing about the size of the cell.
//! - **Protected:** a primary cell is protected when everything published
//!   (every number in every table, the lines between them, and that counts
//!   are whole numbers ≥ 0) is consistent both with the cell being **0** and
//!   with it being **`threshold − 1` or more**. So its feasible interval
//!   contains the whole range 0 … threshold − 1: a reader can neither show
//!   that anyone is in the cell, nor that the count is small, nor narrow it
//!   to fewer than `threshold` values. This is stricter than "interval wider
//!   than the threshold" (which can still prove that a cell is not empty,
//!   and in a village a non-empty cell can name a person).
//! - **Releases of one period:** every report made is kept (as what it
//!   published) and a new one is audited together with them. A count that
//!   moved by 1 to `threshold − 1` from a value an earlier release
//!   published (records added or withdrawn in between) is protected like
//!   a small count: everything published must be consistent both with its
//!   earlier value (nothing changed) and with a move of `threshold − 1` or
//!   more the same way, so comparing the releases names no one. Hidden
//!   cells are held to the differences a reader of the earlier releases
//!   could work out.
//! - **Audit:** the feasible set is explored with integer programming
//!   (`microlp`), not just its linear relaxation, so a reader who reasons
//!   with whole numbers learns nothing the audit did not check. The audit
//!   looks for *witnesses*: complete tables consistent with everything
//!   published in which the cell is 0, and in which it is ≥ threshold − 1.
//!   A sweep objective (minimise, or maximise capped, the sum of the cells
//!   still without a witness) finds witnesses for many cells per solve;
//!   cells still without one get their own solve, which is then an exact
//!   bound.
//! - **Complementary suppression:** first, no line may hold exactly one
//!   unknown primary cell; then, for each cell the audit finds unprotected,
//!   the cheapest rectangle (a 2×2 "hypercube" in one of its tables, margins
//!   included) that has room to move the cell to 0 and up to threshold − 1
//!   is suppressed. Suppressing more never narrows any interval, so
//!   witnesses stay valid from round to round and only failing cells are
//!   audited again. The loop ends when every primary cell is protected.
//! - **Published secondaries:** a complementary cell that the published
//!   numbers pin to one value anyway is published (it reveals nothing), so
//!   every suppressed shown cell is both unprotected against nothing and
//!   unrecoverable.

use binhan_core::stats::report::AuditSummary;
use std::collections::{BTreeMap, BTreeSet};

mod audit;

use audit::{components, Audit, Failure};

/// Index of a cell.
pub(crate) type CellId = usize;

/// Whether a cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Published as a number.
    Published,
    /// Suppressed because it is small.
    Primary,
    /// Unknown to a reader but not small: suppressed to protect a primary
    /// cell, or hidden.
    Secondary,
}

/// One count.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// The true count.
    pub value: u64,
    /// Shown in a table (hidden cells are implied, never shown).
    pub shown: bool,
    /// Information lost by suppressing it, for choosing complements.
    pub cost: u32,
    /// Published or not.
    pub status: Status,
}

/// `Σ parts = Σ totals` (exact), or `Σ parts ≤ Σ totals` (a bound a
/// reader knows from what the counts mean).
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub parts: Vec<CellId>,
    pub totals: Vec<CellId>,
    pub exact: bool,
}

impl Line {
    fn members(&self) -> impl Iterator<Item = CellId> + '_ {
        self.parts.iter().chain(&self.totals).copied()
    }
}

/// A two-way table with its margins, for choosing complementary cells: the
/// last row is the total row and the last column the total column.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub rows: usize,
    pub cols: usize,
    /// Row-major cell ids.
    pub grid: Vec<CellId>,
}

impl Block {
    fn at(&self, r: usize, c: usize) -> CellId {
        self.grid[r * self.cols + c]
    }
}

/// Linked tables and their suppression state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    pub cells: Vec<Cell>,
    pub lines: Vec<Line>,
    pub blocks: Vec<Block>,
    cell_lines: Vec<Vec<usize>>,
    cell_blocks: Vec<Vec<(usize, usize, usize)>>,
    /// Values earlier releases of the same period published for a cell.
    anchors: Vec<(CellId, u64)>,
    /// Per cell, what its protection needs a reader to be unable to rule
    /// out: a count at most `lo` and one at least `hi` (set by `protect`).
    lo: Vec<u64>,
    hi: Vec<u64>,
}

/// Witnesses found so far for one cell.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    zero: bool,
    high: bool,
    moved: bool,
}

#[cfg(test)]
thread_local! {
    /// Tests only: primary suppression alone, to show the attacker test
    /// would notice the missing complements.
    pub(crate) static PRIMARY_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Tests only: every solve stops at its limit before any proof (as a
    /// large, knotted table can make it).
    pub(crate) static SOLVER_STOPS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Most rounds before every cell near a failing one is suppressed.
const MAX_ROUNDS: usize = 60;
/// Branch-and-bound nodes per solve; a solve that runs out finds no witness
/// and proves no bound, which can only cause more suppression, never less.
const NODE_LIMIT: u64 = 20_000;

impl Grid {
    /// Records that an earlier release of the same period published `value`
    /// for cell `id`: a change from it smaller than the threshold (records
    /// added or withdrawn in between) is protected like a small count.
    pub fn anchor(&mut self, id: CellId, value: u64) {
        self.anchors.push((id, value));
    }

    /// Which cells need protection and how far: a small count must be able
    /// to be 0 and threshold − 1 or more; a count that moved by less than
    /// the threshold from a value an earlier release published must be able
    /// to be that value (nothing changed) and to have moved by threshold − 1
    /// or more the same way. `None`: the cell needs nothing.
    fn targets(&self, k: u64) -> Vec<Option<(u64, u64)>> {
        let high = k.saturating_sub(1);
        let mut targets: Vec<Option<(u64, u64)>> = self
            .cells
            .iter()
            .map(|c| (1..k).contains(&c.value).then_some((0, high)))
            .collect();
        for &(id, before) in &self.anchors {
            let now = self.cells[id].value;
            if now == before || now.abs_diff(before) >= k {
                continue;
            }
            let (lo, hi) = if now > before {
                (before, before + high)
            } else {
                (before.saturating_sub(high), before)
            };
            targets[id] = Some(match targets[id] {
                Some((l, h)) => (l.min(lo), h.max(hi)),
                None => (lo, hi),
            });
        }
        targets
    }

    /// Adds a cell.
    pub fn cell(&mut self, value: u64, shown: bool, cost: u32) -> CellId {
        self.cells.push(Cell {
            value,
            shown,
            cost,
            status: Status::Published,
        });
        self.cells.len() - 1
    }

    /// Adds `total = Σ parts`.
    pub fn line(&mut self, total: CellId, parts: Vec<CellId>) {
        self.lines.push(Line {
            parts,
            totals: vec![total],
            exact: true,
        });
    }

    /// Adds `Σ parts ≤ Σ totals`.
    pub fn at_most(&mut self, parts: Vec<CellId>, totals: Vec<CellId>) {
        self.lines.push(Line {
            parts,
            totals,
            exact: false,
        });
    }

    /// Adds a block (rows × cols, margins last).
    pub fn block(&mut self, rows: usize, cols: usize, grid: Vec<CellId>) {
        debug_assert_eq!(grid.len(), rows * cols);
        self.blocks.push(Block { rows, cols, grid });
    }

    fn index(&mut self) {
        self.cell_lines = vec![Vec::new(); self.cells.len()];
        for (i, line) in self.lines.iter().enumerate() {
            for id in line.members() {
                self.cell_lines[id].push(i);
            }
        }
        self.cell_blocks = vec![Vec::new(); self.cells.len()];
        for (b, block) in self.blocks.iter().enumerate() {
            for r in 0..block.rows {
                for c in 0..block.cols {
                    self.cell_blocks[block.at(r, c)].push((b, r, c));
                }
            }
        }
    }

    fn unknown(&self, id: CellId) -> bool {
        self.cells[id].status != Status::Published
    }

    fn suppress(&mut self, id: CellId) -> bool {
        if self.unknown(id) {
            return false;
        }
        self.cells[id].status = Status::Secondary;
        true
    }

    /// Applies primary and complementary suppression with `threshold` and
    /// audits the result.
    pub fn protect(&mut self, threshold: u32) -> AuditSummary {
        self.index();
        let k = u64::from(threshold);
        let targets = self.targets(k);
        self.lo = targets.iter().map(|t| t.map_or(0, |(lo, _)| lo)).collect();
        self.hi = targets.iter().map(|t| t.map_or(0, |(_, hi)| hi)).collect();
        for (cell, target) in self.cells.iter_mut().zip(&targets) {
            cell.status = if target.is_some() {
                Status::Primary
            } else if cell.shown {
                Status::Published
            } else {
                Status::Secondary
            };
        }
        let mut audit = Audit {
            seen: self
                .cells
                .iter()
                .enumerate()
                .map(|(id, c)| Seen {
                    zero: c.value <= self.lo[id],
                    high: c.value >= self.hi[id],
                    moved: false,
                })
                .collect(),
            solves: 0,
        };
        let mut rounds = 0;
        let mut protected = false;
        #[cfg(test)]
        if PRIMARY_ONLY.with(std::cell::Cell::get) {
            rounds = MAX_ROUNDS;
            protected = true;
        }
        while rounds < MAX_ROUNDS {
            rounds += 1;
            self.fix_singletons();
            let failures = audit.run(self);
            if failures.is_empty() {
                protected = true;
                break;
            }
            let mut touched = BTreeSet::new();
            for failure in failures {
                if touched.contains(&failure.cell) {
                    continue;
                }
                let added = self.complement(&failure);
                if added.is_empty() {
                    self.widen(failure.cell);
                }
                touched.extend(added);
            }
        }
        if !protected && rounds >= MAX_ROUNDS {
            // Last resort: suppress every shown cell tied to a failing one
            // until the audit passes (with nothing published the audit
            // always passes).
            loop {
                let failures = audit.run(self);
                if failures.is_empty() {
                    protected = true;
                    break;
                }
                let mut changed = false;
                for failure in failures {
                    for line in self.cell_lines[failure.cell].clone() {
                        let line = self.lines[line].clone();
                        for id in line.members() {
                            changed |= self.suppress(id);
                        }
                    }
                }
                if !changed {
                    break;
                }
                rounds += 1;
            }
        }
        self.publish_pinned(&mut audit);
        AuditSummary {
            threshold,
            suppressed_cells: self
                .cells
                .iter()
                .filter(|c| c.shown && c.status != Status::Published)
                .count(),
            shown_cells: self.cells.iter().filter(|c| c.shown).count(),
            rounds,
            solves: audit.solves,
            protected,
        }
    }

    /// No line may leave a primary cell as its only unknown.
    fn fix_singletons(&mut self) {
        loop {
            let mut changed = false;
            for i in 0..self.lines.len() {
                let line = &self.lines[i];
                if !line.exact {
                    continue;
                }
                let members: Vec<CellId> = line.members().collect();
                let unknown: Vec<CellId> = members
                    .iter()
                    .copied()
                    .filter(|&id| self.unknown(id))
                    .collect();
                if unknown.len() != 1 || self.cells[unknown[0]].status != Status::Primary {
                    continue;
                }
                let need = self.cells[unknown[0]].value;
                let best = members
                    .iter()
                    .copied()
                    .filter(|&id| !self.unknown(id))
                    .min_by_key(|&id| {
                        let c = &self.cells[id];
                        (c.cost, c.value < need.max(1), c.value)
                    });
                if let Some(id) = best {
                    changed |= self.suppress(id);
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Suppresses the cheapest rectangle that can protect `failure`, in
    /// every block of a cell shared by several blocks; returns the corners.
    fn complement(&mut self, failure: &Failure) -> Vec<CellId> {
        let p = failure.cell;
        let places = self.cell_blocks[p].clone();
        if places.is_empty() {
            return Vec::new();
        }
        // A cell in several blocks (a commune total) moves in all of them:
        // pick the partner row that is cheapest over all its blocks.
        let mut by_partner: BTreeMap<usize, (u64, Vec<Vec<CellId>>)> = BTreeMap::new();
        for &(b, r1, c1) in &places {
            let block = &self.blocks[b];
            for r2 in (0..block.rows).filter(|&r| r != r1) {
                let best = (0..block.cols)
                    .filter(|&c| c != c1)
                    .filter_map(|c2| self.rectangle(block, failure, (r1, c1), (r2, c2)))
                    .min_by_key(|(cost, _)| *cost);
                if let Some((cost, corners)) = best {
                    let entry = by_partner.entry(r2).or_insert((0, Vec::new()));
                    entry.0 = entry.0.saturating_add(cost);
                    entry.1.push(corners);
                }
            }
        }
        let Some((_, (_, rectangles))) = by_partner
            .into_iter()
            .min_by_key(|(r, (cost, _))| (*cost, *r))
        else {
            return Vec::new();
        };
        let mut added = Vec::new();
        for corners in rectangles {
            for id in corners {
                if self.suppress(id) {
                    added.push(id);
                }
            }
        }
        added
    }

    /// The cost of suppressing the rectangle with corners `a` (the failing
    /// cell) and `b`, or `None` if it adds nothing. Rectangles without room
    /// to protect the cell cost far more than any with room.
    fn rectangle(
        &self,
        block: &Block,
        failure: &Failure,
        (r1, c1): (usize, usize),
        (r2, c2): (usize, usize),
    ) -> Option<(u64, Vec<CellId>)> {
        // Moving the failing cell by +d moves the others by ±d: the second
        // row (column) moves against the first unless one of them is the
        // margin, in which case both move together.
        let row_sign = if r1 == block.rows - 1 || r2 == block.rows - 1 {
            1
        } else {
            -1
        };
        let col_sign = if c1 == block.cols - 1 || c2 == block.cols - 1 {
            1
        } else {
            -1
        };
        let corners = [
            (block.at(r1, c2), col_sign),
            (block.at(r2, c1), row_sign),
            (block.at(r2, c2), row_sign * col_sign),
        ];
        let p = &self.cells[failure.cell];
        let down = p.value.saturating_sub(self.lo[failure.cell]);
        let up = self.hi[failure.cell].saturating_sub(p.value);
        let mut cost = 0u64;
        let mut new = 0;
        let mut room = true;
        for &(id, sign) in &corners {
            let c = &self.cells[id];
            // Same sign: falls as the cell falls; opposite: falls as it rises.
            let need = if sign > 0 {
                if failure.low {
                    down
                } else {
                    0
                }
            } else if failure.high {
                up
            } else {
                0
            };
            if c.value < need {
                room = false;
            }
            if !self.unknown(id) {
                new += 1;
                cost += u64::from(c.cost);
            }
        }
        if new == 0 {
            return None;
        }
        if !room {
            cost += 1_000_000;
        }
        Some((cost, corners.iter().map(|&(id, _)| id).collect()))
    }

    /// When no rectangle adds a cell: suppresses the cheapest published cell
    /// on the nearest line, searching outward from `start`.
    fn widen(&mut self, start: CellId) {
        let mut seen_cells = BTreeSet::from([start]);
        let mut frontier = vec![start];
        let mut seen_lines = BTreeSet::new();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            let mut candidates = Vec::new();
            for id in frontier {
                for &l in &self.cell_lines[id] {
                    if !seen_lines.insert(l) {
                        continue;
                    }
                    let line = &self.lines[l];
                    for m in line.members() {
                        if !self.unknown(m) {
                            candidates.push(m);
                        } else if seen_cells.insert(m) {
                            next.push(m);
                        }
                    }
                }
            }
            if let Some(&best) = candidates
                .iter()
                .min_by_key(|&&id| (self.cells[id].cost, self.cells[id].value))
            {
                self.suppress(best);
                return;
            }
            frontier = next;
        }
    }

    /// Publishes suppressed shown cells that the published numbers pin to
    /// their value anyway.
    fn publish_pinned(&mut self, audit: &mut Audit) {
        let comps = components(self);
        let mut by_comp: BTreeMap<usize, Vec<CellId>> = BTreeMap::new();
        for id in 0..self.cells.len() {
            let c = &self.cells[id];
            if c.shown && c.status == Status::Secondary && !audit.seen[id].moved {
                by_comp.entry(comps.of[id]).or_default().push(id);
            }
        }
        let mut pinned = Vec::new();
        for (comp, candidates) in by_comp {
            let members = comps.members(comp);
            // Sweeps: all down at once, all up (by one) at once.
            if candidates.len() > 1 {
                let _ = audit.solve_min(self, &members, &candidates);
                let open: Vec<CellId> = candidates
                    .iter()
                    .copied()
                    .filter(|&id| !audit.seen[id].moved)
                    .collect();
                if !open.is_empty() {
                    let _ = audit.solve_max(self, &members, &open, &|id| self.cells[id].value + 1);
                }
            }
            for id in candidates {
                if audit.seen[id].moved {
                    continue;
                }
                // Pinned only when both bounds are proven: a solve that
                // stopped at its limit leaves the cell suppressed.
                let value = self.cells[id].value;
                let low = value == 0 || audit.solve_min(self, &members, &[id]);
                let high =
                    !audit.seen[id].moved && audit.solve_max(self, &members, &[id], &|_| value + 1);
                if low && high && !audit.seen[id].moved {
                    pinned.push(id);
                }
            }
        }
        // Publishing a value the published numbers already imply changes
        // nothing a reader can work out.
        for id in pinned {
            self.cells[id].status = Status::Published;
        }
    }
}
