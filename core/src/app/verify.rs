//! Verifying the whole store: the database's structure, then every case's
//! list row, state and events must open and authenticate. For support staff
//! after a crash or before a phone is handed over; long on a full phone, so
//! it reports progress and can be cancelled (it only reads).

use super::Vault;
use crate::model::CaseId;
use crate::sync::CancelFlag;
use crate::{Error, Result};

/// What a store verification found.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VerifyReport {
    /// Cases checked.
    pub cases_checked: u64,
    /// Events checked (each opened and authenticated).
    pub events_checked: u64,
    /// Cases with a stored record that failed authentication (tampered or
    /// corrupted); every other case reads.
    pub unreadable: Vec<CaseId>,
}

impl Vault {
    /// Checks the database's integrity, then opens every case's list row,
    /// state and events. `progress(done, total)` is called after each case;
    /// [`Error::Cancelled`] once `cancel` is set.
    pub fn verify_store(
        &self,
        progress: &dyn Fn(u64, u64),
        cancel: &CancelFlag,
    ) -> Result<VerifyReport> {
        let session = self.session()?;
        session.store.integrity_check()?;
        let listing = session.store.list()?;
        let mut unreadable = listing.unreadable;
        let ids: Vec<CaseId> = listing
            .rows
            .iter()
            .map(|row| row.id)
            .chain(unreadable.iter().copied())
            .collect();
        let total = ids.len() as u64;
        let mut report = VerifyReport::default();
        progress(0, total);
        for id in ids {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            match session
                .store
                .case_state(id)
                .and_then(|_| session.store.events_of(id))
            {
                Ok(events) => report.events_checked += events.len() as u64,
                Err(Error::Tampered { .. }) => unreadable.push(id),
                Err(e) => return Err(e),
            }
            report.cases_checked += 1;
            progress(report.cases_checked, total);
        }
        unreadable.sort();
        unreadable.dedup();
        report.unreadable = unreadable;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::sample_intake as intake;
    use crate::store::DATABASE_FILE;
    use std::sync::Mutex;

    #[test]
    fn verifies_every_case_and_names_the_tampered_one() {
        let dir = tempfile::tempdir().unwrap();
        let app = Vault::create(dir.path(), "493817", super::super::tests::test_config()).unwrap();
        let good = app.create_case(intake("LC-V1")).unwrap();
        let bad = app.create_case(intake("LC-V2")).unwrap();
        let seen = Mutex::new(Vec::new());
        let report = app
            .verify_store(
                &|done, total| seen.lock().unwrap().push((done, total)),
                &CancelFlag::default(),
            )
            .unwrap();
        assert_eq!(report.cases_checked, 2);
        assert_eq!(report.events_checked, 2);
        assert!(report.unreadable.is_empty());
        assert_eq!(*seen.lock().unwrap(), vec![(0, 2), (1, 2), (2, 2)]);

        // One flipped byte in an event body: the list still reads, the
        // verification names the case.
        app.lock();
        let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        let mut body: Vec<u8> = conn
            .query_row(
                "SELECT body FROM events WHERE case_id = ?1",
                [bad.as_bytes().as_slice()],
                |r| r.get(0),
            )
            .unwrap();
        let middle = body.len() / 2;
        body[middle] ^= 0x01;
        conn.execute(
            "UPDATE events SET body = ?1 WHERE case_id = ?2",
            rusqlite::params![body, bad.as_bytes().as_slice()],
        )
        .unwrap();
        drop(conn);
        app.unlock("493817").unwrap();
        assert_eq!(app.list_cases(&Default::default()).unwrap().cases.len(), 2);
        let report = app
            .verify_store(&|_, _| {}, &CancelFlag::default())
            .unwrap();
        assert_eq!(report.cases_checked, 2);
        assert_eq!(report.unreadable, vec![bad]);
        assert_ne!(report.unreadable, vec![good]);
    }

    #[test]
    fn stops_when_cancelled_and_needs_the_vault_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let app = Vault::create(dir.path(), "493817", super::super::tests::test_config()).unwrap();
        app.create_case(intake("LC-V1")).unwrap();
        let cancel = CancelFlag::default();
        cancel.cancel();
        assert!(matches!(
            app.verify_store(&|_, _| {}, &cancel),
            Err(Error::Cancelled)
        ));
        app.lock();
        assert!(matches!(
            app.verify_store(&|_, _| {}, &CancelFlag::default()),
            Err(Error::Locked)
        ));
    }
}
