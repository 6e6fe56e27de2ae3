//! De-identified statistics the server cannot read or link. The attacker
//! holds every table of the server's database, at two moments (before and
//! after a collaborator adds a note to one case), and its log; it knows the
//! code. It must read no statistics record and link none to a case: today
//! a record is stored in the clear, and its revision is the case's newest
//! clock reading plus a fixed secret offset, so the change of a revision
//! between the two copies equals the change of the case's clock in the
//! events table. Nor can it make phones seal to a key of its own. On SQLite
//! and PostgreSQL. Synthetic data only.

use crate::support::{assert_no_case_content, intake, Backend, Server, Team};
use binhan_core::model::Note;
use binhan_core::shelters::ProvincialSigner;
use binhan_core::stats::sealed::{OfficeKey, OfficeSecret, Opener, SealedStat, StatSlot};
use binhan_core::stats::StatRecord;
use binhan_core::sync::wire::WireEvent;
use binhan_core::sync::KeyEndorsement;
use sqlx::Row;
use std::collections::HashMap;

/// One value of a row, as the attacker reads it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Number(i64),
    Bytes(Vec<u8>),
    Other,
}

/// What the attacker copies: every row of every statistics table (keyed
/// by table and first column), and each case's newest clock reading from
/// the clear headers of its events.
struct Copy {
    rows: HashMap<(String, Vec<u8>), Vec<Cell>>,
    clocks: HashMap<Vec<u8>, u64>,
}

async fn copy(backend: &Backend) -> Copy {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    let tables_sql = match backend {
        Backend::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stat%'"
        }
        Backend::Postgres(_) => {
            "SELECT tablename::text AS name FROM pg_tables
             WHERE schemaname = current_schema() AND tablename LIKE 'stat%'"
        }
    };
    let tables: Vec<String> = sqlx::query(tables_sql)
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("name").unwrap())
        .collect();
    assert!(!tables.is_empty(), "the server keeps statistics somewhere");
    let mut rows = HashMap::new();
    for table in tables {
        let sql = format!("SELECT * FROM {table}");
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&pool)
            .await
            .unwrap()
        {
            let cells: Vec<Cell> = (0..row.columns().len())
                .map(|i| {
                    if let Ok(n) = row.try_get::<i64, _>(i) {
                        Cell::Number(n)
                    } else if let Ok(b) = row.try_get::<Vec<u8>, _>(i) {
                        Cell::Bytes(b)
                    } else {
                        Cell::Other
                    }
                })
                .collect();
            let key = match &cells[0] {
                Cell::Bytes(b) => b.clone(),
                Cell::Number(n) => n.to_le_bytes().to_vec(),
                Cell::Other => Vec::new(),
            };
            rows.insert((table.clone(), key), cells);
        }
    }
    let mut clocks: HashMap<Vec<u8>, u64> = HashMap::new();
    for row in sqlx::query("SELECT case_id, body FROM events")
        .fetch_all(&pool)
        .await
        .unwrap()
    {
        let case: Vec<u8> = row.try_get("case_id").unwrap();
        let body: Vec<u8> = row.try_get("body").unwrap();
        let event: WireEvent = postcard::from_bytes(&body).unwrap();
        let newest = clocks.entry(case).or_default();
        *newest = (*newest).max(event.hlc);
    }
    pool.close().await;
    Copy { rows, clocks }
}

/// Records the attacker reads straight from a statistics row.
fn readable(copy: &Copy) -> usize {
    copy.rows
        .values()
        .flatten()
        .filter(|cell| match cell {
            Cell::Bytes(b) => StatRecord::decode(b).is_ok_and(|r| r.validate().is_ok()),
            _ => false,
        })
        .count()
}

/// Statistics rows the attacker links to a case: a number in the row that
/// moved between the two copies by exactly as much as one case's clock.
fn linked(before: &Copy, after: &Copy) -> usize {
    let moved: Vec<i64> = after
        .clocks
        .iter()
        .filter_map(|(case, clock)| {
            let was = before.clocks.get(case)?;
            (clock != was).then(|| clock.wrapping_sub(*was) as i64)
        })
        .collect();
    assert!(!moved.is_empty(), "the attacker saw a case change");
    after
        .rows
        .iter()
        .filter(|(key, cells)| {
            let Some(old) = before.rows.get(*key) else {
                return false;
            };
            cells.iter().zip(old).any(|(now, was)| match (now, was) {
                (Cell::Number(n), Cell::Number(w)) => moved.contains(&n.wrapping_sub(*w)),
                _ => false,
            })
        })
        .count()
}

async fn the_operator_reads_and_links_no_statistics_record(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "muong_kim", 1).await;
    let officer = &team.officer;
    officer.app.generate_signing_key().unwrap();
    officer.sync().await;
    let phone = &team.collaborators[0];
    let noted = phone.app.create_case(intake("TS-1", "muong_kim")).unwrap();
    phone.app.create_case(intake("TS-2", "muong_kim")).unwrap();
    phone.sync().await;
    team.manager.sync().await;
    phone.sync().await;
    let before = copy(&server.backend).await;

    phone
        .app
        .act(
            noted,
            binhan_core::cases::CaseAction::AddNote(Note {
                text: "synthetic note".into(),
            }),
        )
        .unwrap();
    let sent = phone.sync().await;
    assert!(
        sent.statistics_sent > 0,
        "the changed case's statistics went out"
    );
    let after = copy(&server.backend).await;

    assert_eq!(readable(&before) + readable(&after), 0, "a record was read");
    assert_eq!(
        linked(&before, &after),
        0,
        "a record was linked to its case"
    );
    // And the office still counts both cases.
    let records = officer.app.statistics_records().await.unwrap();
    assert_eq!(records.records.len(), 2);
    assert_eq!(records.unreadable, 0);
    assert_no_case_content(&server);
}
on_both_backends!(the_operator_reads_and_links_no_statistics_record);

/// The operator writes an office key of its own (signed by a provincial key
/// it made) into the database before the province publishes one: no phone
/// seals to it. Statistics wait on the phone, then go to the office's real
/// key once an officer publishes it, and the operator's key opens none.
async fn a_planted_office_key_receives_nothing(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "muong_kim", 1).await;
    let operator = ProvincialSigner::from_seed([66; 32]);
    let planted = OfficeKey::publish(&operator).unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&server.backend.database_url())
        .await
        .unwrap();
    sqlx::query("INSERT INTO office_keys (signing_key, publication) VALUES ($1, $2)")
        .bind(planted.signer.to_vec())
        .bind(planted.encode())
        .execute(&pool)
        .await
        .unwrap();
    // With a forged endorsement too (the operator holds no officer's key).
    let forged = KeyEndorsement {
        key: planted.signer,
        endorser: team.officer.app.device_id().unwrap(),
        signature: vec![7; 64],
    };
    sqlx::query("INSERT INTO province_key_endorsements (signing_key, endorsement) VALUES ($1, $2)")
        .bind(planted.signer.to_vec())
        .bind(postcard::to_allocvec(&forged).unwrap())
        .execute(&pool)
        .await
        .unwrap();

    let phone = &team.collaborators[0];
    phone.app.create_case(intake("TS-3", "muong_kim")).unwrap();
    let refused = phone.sync().await;
    assert_eq!(
        (refused.statistics_sent, refused.statistics_waiting),
        (0, 1)
    );
    assert_eq!(phone.app.provincial_key().unwrap(), None, "nothing pinned");

    // The operator's rows go; the province's office key is published.
    sqlx::query("DELETE FROM office_keys")
        .execute(&pool)
        .await
        .unwrap();
    team.open_office().await;
    let sent = phone.sync().await;
    assert_eq!((sent.statistics_sent, sent.statistics_waiting), (1, 0));
    assert_eq!(team.office_records(2026).await.len(), 1);
    let rows = sqlx::query("SELECT slot, body FROM stat_sealed")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let secret = OfficeSecret::of(&operator);
    for row in rows {
        let slot: Vec<u8> = row.try_get("slot").unwrap();
        let sealed = SealedStat {
            slot: StatSlot(slot.try_into().unwrap()),
            body: row.try_get("body").unwrap(),
        };
        assert!(Opener::new(&secret).open(&sealed).is_err());
    }
    pool.close().await;
}
on_both_backends!(a_planted_office_key_receives_nothing);
