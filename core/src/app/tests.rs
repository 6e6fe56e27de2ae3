//! The app facade end to end: vault, workflow and encrypted store together.
//! All data here is synthetic.

use super::*;
use crate::cases::FollowUpFilter;
use crate::error::Rule;
use crate::events::ConflictValue;
use crate::model::*;

/// 2026-11-15 03:00 UTC, 10:00 in Vietnam.
fn fixed_wall() -> u64 {
    1_794_711_600_000
}

fn today() -> NaiveDate {
    day(2026, 11, 15)
}

pub(crate) fn test_config() -> VaultOptions {
    VaultOptions {
        policy: VaultPolicy {
            max_attempts: 5,
            free_attempts: 5,
            base_delay_secs: 0,
            max_delay_secs: 0,
        },
        kdf: KdfParams::new(47_104, 1, 1).unwrap(),
        platform_key: None,
        wall_clock: fixed_wall,
    }
}

pub(super) const PIN: &str = "493817";

pub(super) fn new_app() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let app = Vault::create(dir.path(), PIN, test_config()).unwrap();
    (dir, app)
}

pub(super) fn intake(code: &str) -> CaseIntake {
    let mut survivor = sample_survivor();
    survivor.code = code.into();
    survivor.name = Some("Zephyrmoss Thưởngbảnxyz".into());
    let mut incident = sample_incident();
    incident.account = Some("synthetic account quokkaflint".into());
    CaseIntake {
        survivor,
        incident,
        risk: Some(RiskAssessment {
            level: RiskLevel::Medium,
            factors: vec![RiskFactor::LivesWithPerpetrator],
            assessed_on: day(2026, 10, 27),
        }),
        safety_plan: None,
        consents: vec![Consent {
            scope: ConsentScope::Statistics,
            granted: true,
            given_by: ConsentGiver::Caregiver,
        }],
        services: vec![],
        next_follow_up: Some(day(2026, 11, 20)),
    }
}

fn full_checklist() -> ClosureChecklist {
    ClosureChecklist {
        needs_met_or_declined: true,
        safety_reviewed: true,
        survivor_informed_can_return: true,
        service_outcomes_recorded: true,
        supervisor_reviewed: true,
    }
}

#[test]
fn a_case_is_recorded_listed_updated_and_closed() {
    let (_dir, app) = new_app();
    assert_eq!(app.today(), today());
    let id = app.create_case(intake("LC-001")).unwrap();

    let detail = app.case(id).unwrap();
    assert_eq!(detail.survivor.code, "LC-001");
    assert_eq!(
        detail.survivor.name.as_deref(),
        Some("Zephyrmoss Thưởngbảnxyz")
    );
    assert_eq!(
        detail.derived.reporting_delay,
        ReportingDelayBand::Days6To14
    );
    assert_eq!(detail.derived.survivor_is_child, Some(true));
    assert_eq!(detail.risk_level, Some(RiskLevel::Medium));
    assert_eq!(detail.status, CaseStatus::Open);
    assert_eq!(detail.recorded.as_ref().map(|r| r.value), Some(today()));

    let mut survivor = detail.survivor.clone();
    survivor.village = Some("Bản synthetic".into());
    app.act(id, CaseAction::UpdateSurvivor(survivor)).unwrap();
    let events = app.events_of(id).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1].changes.len(),
        1,
        "only the changed field is recorded"
    );

    app.act(
        id,
        CaseAction::AddService(ServiceRecord {
            service: ServiceType::Psychosocial,
            outcome: ServiceOutcome::Delivered,
            date: today(),
            provider: Some("Synthetic health station".into()),
            note: None,
        }),
    )
    .unwrap();
    app.act(
        id,
        CaseAction::AddFollowUp(FollowUp {
            date: today(),
            goals: vec![GoalProgress {
                goal: "Safe housing".into(),
                status: GoalStatus::Achieved,
            }],
            next_date: Some(day(2026, 12, 1)),
            note: None,
        }),
    )
    .unwrap();
    app.act(
        id,
        CaseAction::AddNote(Note {
            text: "first note".into(),
        }),
    )
    .unwrap();
    app.act(
        id,
        CaseAction::AddNote(Note {
            text: "second note".into(),
        }),
    )
    .unwrap();

    let detail = app.case(id).unwrap();
    assert_eq!(detail.services.len(), 1);
    assert_eq!(detail.next_follow_up, Some(day(2026, 12, 1)));
    assert_eq!(
        detail
            .notes
            .iter()
            .map(|n| n.value.text.as_str())
            .collect::<Vec<_>>(),
        vec!["first note", "second note"]
    );

    let closure = Closure {
        reason: ClosureReason::NeedsMet,
        checklist: full_checklist(),
        note: None,
    };
    app.act(id, CaseAction::Close(closure)).unwrap();
    assert_eq!(app.case(id).unwrap().status, CaseStatus::Closed);
    let err = app
        .act(
            id,
            CaseAction::AddNote(Note {
                text: "after".into(),
            }),
        )
        .map(|_| ());
    assert!(err.is_ok(), "notes may still be added to a closed case");
    assert!(matches!(
        app.act(
            id,
            CaseAction::AddFollowUp(FollowUp {
                date: today(),
                goals: vec![],
                next_date: None,
                note: None
            })
        ),
        Err(Error::NotAllowed(_))
    ));
    app.act(
        id,
        CaseAction::Reopen {
            reason: "new incident".into(),
        },
    )
    .unwrap();
    assert_eq!(app.case(id).unwrap().status, CaseStatus::Open);
}

#[test]
fn invalid_values_name_the_field_and_write_nothing() {
    let (_dir, app) = new_app();
    let id = app.create_case(intake("LC-002")).unwrap();
    let before = app.events_of(id).unwrap().len();

    let mut bad = intake("LC-003");
    bad.survivor.age_years = Some(200);
    let err = app.create_case(bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid survivor.age_years: must be at most 120"
    );

    let mut bad = intake("LC-004");
    bad.incident.date = day(2027, 1, 1);
    assert!(
        matches!(app.create_case(bad), Err(Error::Invalid { field, .. }) if field == "incident.date")
    );

    let mut incident = app.case(id).unwrap().incident;
    incident.commune = "atlantis".into();
    assert!(matches!(
        app.act(id, CaseAction::UpdateIncident(incident)),
        Err(Error::Invalid { field, .. }) if field == "incident.commune"
    ));

    assert_eq!(
        app.list_cases(&CaseFilter::default()).unwrap().cases.len(),
        1
    );
    assert_eq!(app.events_of(id).unwrap().len(), before);
}

#[test]
fn closing_needs_the_checklist_and_referral_needs_consent() {
    let (_dir, app) = new_app();
    let id = app.create_case(intake("LC-005")).unwrap();
    let mut checklist = full_checklist();
    checklist.supervisor_reviewed = false;
    let err = app
        .act(
            id,
            CaseAction::Close(Closure {
                reason: ClosureReason::NeedsMet,
                checklist,
                note: None,
            }),
        )
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Invalid {
                rule: Rule::ChecklistIncomplete { missing },
                ..
            } if missing == &["supervisor_reviewed"]
        ),
        "{err}"
    );

    let referral = ServiceRecord {
        service: ServiceType::LegalAid,
        outcome: ServiceOutcome::Referred,
        date: today(),
        provider: Some("Synthetic legal aid centre".into()),
        note: None,
    };
    assert!(matches!(
        app.act(id, CaseAction::AddService(referral.clone())),
        Err(Error::NotAllowed(_))
    ));
    // The survivor's consent to share with the legal aid centre (given,
    // then withdrawn).
    let legal_aid_consent = |granted| {
        app.act(
            id,
            CaseAction::RecordConsent(Consent {
                scope: ConsentScope::Service {
                    service: ServiceType::LegalAid,
                    recipient: "Synthetic legal aid centre".into(),
                },
                granted,
                given_by: ConsentGiver::Survivor,
            }),
        )
        .unwrap();
    };
    legal_aid_consent(true);
    app.act(id, CaseAction::AddService(referral.clone()))
        .unwrap();

    // Withdrawn consent stops further referrals.
    legal_aid_consent(false);
    assert!(matches!(
        app.act(id, CaseAction::AddService(referral)),
        Err(Error::NotAllowed(_))
    ));
}

#[test]
fn lists_filter_and_sort_by_last_activity() {
    let (_dir, app) = new_app();
    let a = app.create_case(intake("LC-A1")).unwrap();
    let mut high = intake("LC-B2");
    high.survivor.commune = "tan_phong".into();
    high.risk.as_mut().unwrap().level = RiskLevel::High;
    high.next_follow_up = Some(today());
    let b = app.create_case(high).unwrap();
    let c = app.create_case(intake("LC-C3")).unwrap();
    // Touch `a` so it is the most recent.
    app.act(
        a,
        CaseAction::AddNote(Note {
            text: "touch".into(),
        }),
    )
    .unwrap();

    let all = app.list_cases(&CaseFilter::default()).unwrap();
    assert_eq!(
        all.cases.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a, c, b]
    );

    let by = |f: CaseFilter| {
        app.list_cases(&f)
            .unwrap()
            .cases
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by(CaseFilter {
            risk: Some(RiskLevel::High),
            ..Default::default()
        }),
        vec![b]
    );
    assert_eq!(
        by(CaseFilter {
            commune: Some("tan_phong".into()),
            ..Default::default()
        }),
        vec![b]
    );
    assert_eq!(
        by(CaseFilter {
            follow_up: Some(FollowUpFilter::DueToday),
            ..Default::default()
        }),
        vec![b]
    );
    assert_eq!(
        by(CaseFilter {
            follow_up: Some(FollowUpFilter::Overdue),
            ..Default::default()
        }),
        Vec::<CaseId>::new()
    );
    assert_eq!(
        by(CaseFilter {
            status: Some(CaseStatus::Closed),
            ..Default::default()
        }),
        Vec::<CaseId>::new()
    );
    assert_eq!(app.find_by_survivor_code("c3").unwrap().cases[0].id, c);
}

#[test]
fn a_flipped_byte_spoils_only_its_own_record() {
    let (dir, app) = new_app();
    let good = app.create_case(intake("LC-G1")).unwrap();
    let bad = app.create_case(intake("LC-T1")).unwrap();
    app.lock();
    drop(app);

    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    for (table, column) in [("cases", "state"), ("case_list", "summary")] {
        let mut blob: Vec<u8> = conn
            .query_row(
                &format!("SELECT {column} FROM {table} WHERE id = ?1"),
                [bad.as_bytes().as_slice()],
                |r| r.get(0),
            )
            .unwrap();
        let middle = blob.len() / 2;
        blob[middle] ^= 0x01;
        conn.execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2"),
            rusqlite::params![blob, bad.as_bytes().as_slice()],
        )
        .unwrap();
    }
    drop(conn);

    let app = Vault::open(dir.path(), test_config()).unwrap();
    app.unlock(PIN).unwrap();
    let err = app.case(bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("case {bad} is tampered or corrupted")
    );
    assert_eq!(app.case(good).unwrap().survivor.code, "LC-G1");
    let list = app.list_cases(&CaseFilter::default()).unwrap();
    assert_eq!(
        list.cases.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![good]
    );
    assert_eq!(list.unreadable, vec![bad]);
}

#[test]
fn wrong_pins_count_down_and_the_limit_erases_for_good() {
    let (dir, app) = new_app();
    let id = app.create_case(intake("LC-W1")).unwrap();
    app.lock();
    assert!(matches!(app.case(id), Err(Error::Locked)));
    for remaining in (1..5).rev() {
        match app.unlock("000999") {
            Err(Error::WrongPin { remaining: r }) => assert_eq!(r, remaining),
            other => panic!("expected wrong PIN, got {other:?}"),
        }
    }
    assert_eq!(app.attempts_remaining().unwrap(), 1);
    assert!(matches!(app.unlock("000999"), Err(Error::Erased)));
    assert!(matches!(app.unlock(PIN), Err(Error::Erased)));
    let reopened = Vault::open(dir.path(), test_config()).unwrap();
    assert!(matches!(reopened.unlock(PIN), Err(Error::Erased)));
}

#[test]
fn a_correct_pin_resets_the_count() {
    let (_dir, app) = new_app();
    app.lock();
    assert!(app.unlock("000999").is_err());
    assert_eq!(app.attempts_remaining().unwrap(), 4);
    app.unlock(PIN).unwrap();
    assert_eq!(app.attempts_remaining().unwrap(), 5);
}

#[test]
fn the_duress_pin_opens_an_empty_vault_and_the_real_data_is_gone() {
    let (dir, app) = new_app();
    app.set_duress_pin(PIN, "860274").unwrap();
    app.create_case(intake("LC-D1")).unwrap();
    let real_device = app.device_id().unwrap();
    app.lock();

    app.unlock("860274").unwrap();
    assert!(app
        .list_cases(&CaseFilter::default())
        .unwrap()
        .cases
        .is_empty());
    assert_ne!(app.device_id().unwrap(), real_device);
    // It behaves like any vault: new cases can be recorded.
    app.create_case(intake("LC-X9")).unwrap();
    app.lock();

    assert!(matches!(app.unlock(PIN), Err(Error::WrongPin { .. })));
    app.unlock("860274").unwrap();
    let codes: Vec<_> = app
        .list_cases(&CaseFilter::default())
        .unwrap()
        .cases
        .into_iter()
        .map(|c| c.survivor_code)
        .collect();
    assert_eq!(codes, vec!["LC-X9"]);
    drop(app);
    assert_no_word_in_files(dir.path(), &["Zephyrmoss", "quokkaflint", "LC-D1"]);
}

#[test]
fn changing_the_pin_keeps_the_data() {
    let (_dir, app) = new_app();
    let id = app.create_case(intake("LC-P1")).unwrap();
    app.change_pin(PIN, "718293").unwrap();
    app.lock();
    assert!(matches!(app.unlock(PIN), Err(Error::WrongPin { .. })));
    app.unlock("718293").unwrap();
    assert_eq!(app.case(id).unwrap().survivor.code, "LC-P1");
}

#[test]
fn panic_wipe_erases_keys_then_data() {
    let (dir, app) = new_app();
    app.create_case(intake("LC-Z1")).unwrap();
    app.panic_wipe().unwrap();
    assert!(!app.is_unlocked());
    assert!(!dir.path().join(DATABASE_FILE).exists());
    assert!(matches!(app.unlock(PIN), Err(Error::Erased)));
    assert_no_word_in_files(dir.path(), &["Zephyrmoss", "quokkaflint"]);
}

/// Every file in `dir` (database, WAL, journal, key file) is free of `words`.
fn assert_no_word_in_files(dir: &Path, words: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for word in words {
            let found = bytes.windows(word.len()).any(|w| w == word.as_bytes());
            assert!(!found, "{word:?} found in {}", path.display());
        }
    }
}

#[test]
fn no_case_content_reaches_the_database_wal_or_journal() {
    let (dir, app) = new_app();
    for i in 0..20 {
        let id = app.create_case(intake(&format!("LC-S{i}"))).unwrap();
        app.act(
            id,
            CaseAction::AddNote(Note {
                text: "Nightjarquill bản Hồ Thầuxyz".into(),
            }),
        )
        .unwrap();
    }
    let wal = dir.path().join(format!("{DATABASE_FILE}-wal"));
    assert!(
        wal.exists() && std::fs::metadata(&wal).unwrap().len() > 0,
        "the WAL holds the writes"
    );
    assert_no_word_in_files(
        dir.path(),
        &[
            "Zephyrmoss",
            "Thưởngbảnxyz",
            "quokkaflint",
            "Nightjarquill",
            "Hồ Thầuxyz",
            "LC-S1",
            "mu_ca",
        ],
    );
}

#[test]
fn concurrent_risk_assessments_are_kept_side_by_side_until_resolved() {
    let (_da, a) = new_app();
    let (_db, b) = new_app();
    let id = a.create_case(intake("LC-C1")).unwrap();
    b.merge_events(&a.events_of(id).unwrap()).unwrap();

    let assess = |level| {
        CaseAction::AssessRisk(RiskAssessment {
            level,
            factors: vec![],
            assessed_on: today(),
        })
    };
    a.act(id, assess(RiskLevel::Low)).unwrap();
    b.act(id, assess(RiskLevel::High)).unwrap();
    a.merge_events(&b.events_of(id).unwrap()).unwrap();
    b.merge_events(&a.events_of(id).unwrap()).unwrap();

    for app in [&a, &b] {
        let detail = app.case(id).unwrap();
        assert_eq!(detail.conflicts.len(), 1);
        assert_eq!(detail.conflicts[0].field, "risk");
        assert_eq!(
            detail.risk_level,
            Some(RiskLevel::High),
            "act on the highest while in conflict"
        );
        assert!(matches!(
            app.act(
                id,
                CaseAction::Close(Closure {
                    reason: ClosureReason::NeedsMet,
                    checklist: full_checklist(),
                    note: None
                })
            ),
            Err(Error::NotAllowed(_))
        ));
    }
    assert_eq!(a.case(id).unwrap(), b.case(id).unwrap());

    let conflict = &a.conflicts(id).unwrap()[0];
    let keep = conflict
        .candidates
        .iter()
        .find(|c| matches!(&c.value, ConflictValue::Risk(r) if r.level == RiskLevel::Low))
        .unwrap()
        .event;
    a.act(
        id,
        CaseAction::ResolveConflict {
            field: "risk".into(),
            keep,
        },
    )
    .unwrap();
    b.merge_events(&a.events_of(id).unwrap()).unwrap();
    for app in [&a, &b] {
        assert!(app.conflicts(id).unwrap().is_empty());
        assert_eq!(app.case(id).unwrap().risk_level, Some(RiskLevel::Low));
    }
}

#[test]
fn concurrent_edits_of_different_fields_both_survive() {
    let (_da, a) = new_app();
    let (_db, b) = new_app();
    let id = a.create_case(intake("LC-F1")).unwrap();
    b.merge_events(&a.events_of(id).unwrap()).unwrap();

    let mut sa = a.case(id).unwrap().survivor;
    sa.village = Some("Bản A".into());
    a.act(id, CaseAction::UpdateSurvivor(sa)).unwrap();
    let mut sb = b.case(id).unwrap().survivor;
    sb.disability = Some(true);
    b.act(id, CaseAction::UpdateSurvivor(sb)).unwrap();

    a.merge_events(&b.events_of(id).unwrap()).unwrap();
    b.merge_events(&a.events_of(id).unwrap()).unwrap();
    let merged = a.case(id).unwrap().survivor;
    assert_eq!(merged.village.as_deref(), Some("Bản A"));
    assert_eq!(merged.disability, Some(true));
    assert_eq!(a.case(id).unwrap(), b.case(id).unwrap());
}

#[test]
fn calls_from_many_threads_at_once() {
    let (_dir, app) = new_app();
    let app = Arc::new(app);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let app = Arc::clone(&app);
            std::thread::spawn(move || {
                for i in 0..10 {
                    let id = app.create_case(intake(&format!("LC-T{t}-{i}"))).unwrap();
                    app.act(id, CaseAction::AddNote(Note { text: "n".into() }))
                        .unwrap();
                    app.list_cases(&CaseFilter::default()).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(
        app.list_cases(&CaseFilter::default()).unwrap().cases.len(),
        80
    );
    app.integrity_check().unwrap();
}

#[test]
fn events_get_ids_from_author_and_clock_and_a_taken_reading_moves_on() {
    use crate::events::Hlc;
    let (_dir, app) = new_app();
    let case = app.create_case(intake("SYN-ID-1")).unwrap();
    let session = app.session().unwrap();
    let first = &app.events_of(case).unwrap()[0];
    assert_eq!(first.id, Event::id_for(first.author, first.hlc));
    // Another session on the same vault stored an event at the reading
    // this session's clock gives next.
    let taken = Hlc(session.clock.last().0 + 1);
    let other = Event {
        id: Event::id_for(session.device, taken),
        hlc: taken,
        ..first.clone()
    };
    session.store.append(std::slice::from_ref(&other)).unwrap();
    let id = app
        .act(
            case,
            CaseAction::AddNote(Note {
                text: "synthetic note after a taken reading".into(),
            }),
        )
        .unwrap();
    let events = app.events_of(case).unwrap();
    assert_eq!(events.len(), 3, "neither event was lost");
    let recorded = events.iter().find(|e| e.id == id).unwrap();
    assert!(recorded.hlc > taken);
    assert_eq!(recorded.id, Event::id_for(recorded.author, recorded.hlc));
}

#[test]
fn the_data_version_moves_with_every_write_from_any_vault_object() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::create(dir.path(), "493817", test_config()).unwrap();
    let before = vault.data_version().unwrap();
    assert_eq!(
        vault.data_version().unwrap(),
        before,
        "reading changes nothing"
    );
    vault
        .create_case(crate::cases::sample_intake("SYN-V1"))
        .unwrap();
    let after_own = vault.data_version().unwrap();
    assert_ne!(after_own, before);
    // Another object on the same vault (a background sync) writes.
    let other = Vault::open(dir.path(), test_config()).unwrap();
    other.unlock("493817").unwrap();
    other
        .create_case(crate::cases::sample_intake("SYN-V2"))
        .unwrap();
    assert_ne!(vault.data_version().unwrap(), after_own);
}

#[test]
fn case_changes_read_only_the_rows_written_since() {
    let (_dir, app) = new_app();
    let ids: Vec<CaseId> = ["SYN-CH-1", "SYN-CH-2", "SYN-CH-3"]
        .iter()
        .map(|code| app.create_case(intake(code)).unwrap())
        .collect();
    let all = app.case_changes(0).unwrap();
    assert_eq!(all.changed.len(), 3);
    assert_eq!(app.case_changes(all.through).unwrap().changed, vec![]);
    app.act(
        ids[0],
        CaseAction::AddNote(Note {
            text: "Synthetic note".into(),
        }),
    )
    .unwrap();
    let since = app.case_changes(all.through).unwrap();
    assert_eq!(
        since.changed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    assert!(since.through > all.through);
    // Every row again from 0, in the list's order.
    assert_eq!(
        app.case_changes(0).unwrap().changed,
        app.list_cases(&CaseFilter::default()).unwrap().cases
    );
}

/// Enrolment sends the invitation code and gets the first token: over plain
/// HTTP only to this machine, refused before anything is sent.
#[test]
fn enrolment_refuses_plain_http_to_another_machine() {
    let (_dir, app) = new_app();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for server in [
        "http://sync.example.test",
        "http://127.0.0.1:80@sync.example.test",
    ] {
        match rt.block_on(app.enrol(server, "SYNT-HETI-C000", "synthetic phone")) {
            Err(Error::Invalid { field, rule }) => {
                assert_eq!((field.as_str(), rule), ("server_url", Rule::PlainHttp));
            }
            other => panic!("{server}: {other:?}"),
        }
    }
    assert_eq!(app.enrolment().unwrap(), None);
}
