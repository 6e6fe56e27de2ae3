//! The case list's rows as changes: a shell that keeps the rows it drew
//! asks [`crate::AppCore::case_rows`] for what changed since the version it
//! holds and applies the changes in order, as matrix-sdk-ui's timeline
//! hands out vector diffs, instead of receiving every row again. The view
//! model's `rows` stay the whole page for shells that redraw everything
//! (the browser, the tests).

use super::cases::CaseRow;
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// One change to a list of rows; indexes are positions in the list as it
/// stands when the change is applied (apply the changes in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RowChange {
    /// Replace every row.
    Reset {
        /// The rows.
        rows: Vec<CaseRow>,
    },
    /// Insert a row before `index`.
    Insert {
        /// Where.
        index: u32,
        /// The row.
        row: CaseRow,
    },
    /// Remove the row at `index`.
    Remove {
        /// Where.
        index: u32,
    },
    /// Replace the row at `index` (the same case, changed).
    Set {
        /// Where.
        index: u32,
        /// The row.
        row: CaseRow,
    },
}

/// What changed since the version the shell holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RowsUpdate {
    /// The version the rows are at after the changes (send it next time).
    pub version: u64,
    /// The changes, in order; empty when nothing changed.
    pub changes: Vec<RowChange>,
}

/// The rows last handed out, and their version.
#[derive(Debug, Clone, Default)]
pub(crate) struct SentRows {
    pub(crate) version: u64,
    pub(crate) rows: Vec<CaseRow>,
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The changes that turn `old` into `new`: rows are matched by case id
/// (Myers diff), and a matched row whose content changed is set again.
pub(crate) fn diff(old: &[CaseRow], new: &[CaseRow]) -> Vec<RowChange> {
    let old_ids: Vec<&str> = old.iter().map(|r| r.id.as_str()).collect();
    let new_ids: Vec<&str> = new.iter().map(|r| r.id.as_str()).collect();
    let mut changes = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_ids, &new_ids) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    if old[old_index + k] != new[new_index + k] {
                        changes.push(RowChange::Set {
                            index: index(new_index + k),
                            row: new[new_index + k].clone(),
                        });
                    }
                }
            }
            DiffOp::Delete {
                old_len, new_index, ..
            } => changes.extend((0..old_len).map(|_| RowChange::Remove {
                index: index(new_index),
            })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => changes.extend((0..new_len).map(|k| RowChange::Insert {
                index: index(new_index + k),
                row: new[new_index + k].clone(),
            })),
            DiffOp::Replace {
                old_len,
                new_index,
                new_len,
                ..
            } => {
                changes.extend((0..old_len).map(|_| RowChange::Remove {
                    index: index(new_index),
                }));
                changes.extend((0..new_len).map(|k| RowChange::Insert {
                    index: index(new_index + k),
                    row: new[new_index + k].clone(),
                }));
            }
        }
    }
    changes
}

impl SentRows {
    /// What a shell at `since` must apply to reach `rows`; remembers them
    /// as the new version when they differ.
    pub(crate) fn update(&mut self, since: u64, rows: Vec<CaseRow>) -> RowsUpdate {
        if since == self.version && since != 0 {
            let changes = diff(&self.rows, &rows);
            if !changes.is_empty() {
                self.version += 1;
                self.rows = rows;
            }
            return RowsUpdate {
                version: self.version,
                changes,
            };
        }
        // A shell that holds another version (or none) starts again.
        self.version += 1;
        self.rows = rows.clone();
        RowsUpdate {
            version: self.version,
            changes: vec![RowChange::Reset { rows }],
        }
    }
}

/// Applies `changes` to `rows` as a shell does (for tests and benches).
pub fn apply(rows: &mut Vec<CaseRow>, changes: Vec<RowChange>) {
    for change in changes {
        match change {
            RowChange::Reset { rows: all } => *rows = all,
            RowChange::Insert { index, row } => rows.insert(index as usize, row),
            RowChange::Remove { index } => {
                rows.remove(index as usize);
            }
            RowChange::Set { index, row } => rows[index as usize] = row,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use proptest::prelude::*;

    fn row(id: u8, rev: u8) -> CaseRow {
        CaseRow {
            id: format!("{id:032x}"),
            title: format!("SYN-{id:03}"),
            subtitle: String::new(),
            risk_code: None,
            risk: None,
            status: String::new(),
            follow_up: None,
            overdue: false,
            conflicts: None,
            updated: format!("rev {rev}"),
            open: Event::OpenCase {
                id: format!("{id:032x}"),
            },
        }
    }

    #[test]
    fn a_case_that_changed_moves_to_the_top_as_one_remove_and_one_insert() {
        let old: Vec<CaseRow> = (0..5).map(|i| row(i, 0)).collect();
        let mut new = old.clone();
        let moved = new.remove(3);
        new.insert(
            0,
            CaseRow {
                updated: "rev 1".into(),
                ..moved
            },
        );
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 2, "{changes:?}");
        let mut rows = old;
        apply(&mut rows, changes);
        assert_eq!(rows, new);
    }

    #[test]
    fn a_shell_at_the_version_gets_changes_and_any_other_a_reset() {
        let mut sent = SentRows::default();
        let first: Vec<CaseRow> = (0..3).map(|i| row(i, 0)).collect();
        let update = sent.update(0, first.clone());
        assert!(matches!(&update.changes[..], [RowChange::Reset { rows }] if *rows == first));
        let same = sent.update(update.version, first.clone());
        assert_eq!(same.version, update.version);
        assert!(same.changes.is_empty());
        let mut second = first.clone();
        second[1] = row(1, 1);
        let changed = sent.update(update.version, second.clone());
        assert_eq!(
            changed.changes,
            vec![RowChange::Set {
                index: 1,
                row: row(1, 1)
            }]
        );
        let stale = sent.update(update.version, second.clone());
        assert!(matches!(&stale.changes[..], [RowChange::Reset { .. }]));
    }

    proptest! {
        #[test]
        fn applying_the_diff_gives_the_new_rows(
            old in proptest::collection::vec((0u8..40, 0u8..3), 0..30),
            new in proptest::collection::vec((0u8..40, 0u8..3), 0..30),
        ) {
            // Ids are unique in a list, as case ids are.
            let unique = |v: Vec<(u8, u8)>| {
                let mut seen = std::collections::HashSet::new();
                v.into_iter().filter(|(id, _)| seen.insert(*id)).map(|(id, rev)| row(id, rev)).collect::<Vec<_>>()
            };
            let (old, new) = (unique(old), unique(new));
            let mut rows = old.clone();
            apply(&mut rows, diff(&old, &new));
            prop_assert_eq!(rows, new);
        }
    }
}
