//! The registries desk's screens, from their state (the requests to a real
//! server are tested by `server/tests/api/registries_api.rs` and the
//! browser test `tests/browser/registries.test.mjs`). Synthetic data.

use super::form::{AttendeeRow, EntryForm, Spot};
use super::view::{entry, import, list};
use super::*;
use crate::event::Event;
use binhan_core::model::Lang;
use binhan_core::stats::import::read;
use binhan_core::stats::registry::{Attendee, School, TraineeRole, TrainingSession, PROVINCE};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("day")
}

fn session(commune: &str, title: &str) -> TrainingSession {
    TrainingSession {
        date: day(2026, 5, 10),
        commune: commune.into(),
        title: title.into(),
        attendees: vec![Attendee {
            person: "SYN-1".into(),
            commune: commune.into(),
            role: TraineeRole::Collaborator,
        }],
    }
}

fn listed() -> RegistryListing {
    RegistryListing {
        entries: ProgrammeRegistries {
            training_sessions: vec![
                session("mu_ca", "Tập huấn A (synthetic)"),
                session("pa_u", "Tập huấn B (synthetic)"),
            ],
            schools: vec![School {
                name: "Trường (synthetic)".into(),
                commune: "pa_u".into(),
                procedure_since: Some(day(2025, 9, 1)),
            }],
            ..Default::default()
        },
        school_use: Vec::new(),
    }
}

/// A commune case manager of `commune`.
fn manager_of(commune: &str) -> Scope {
    Scope {
        role: binhan_core::model::Role::CommuneCaseManager,
        commune: Some(commune.into()),
    }
}

/// The provincial officer.
fn officer_scope() -> Scope {
    Scope {
        role: binhan_core::model::Role::ProvincialOfficer,
        commune: None,
    }
}

/// No activity recorded on this device.
const NO_ACTIVITY: activities::Local = Ok(Vec::new());

fn codes(problems: &[(Spot, binhan_core::error::Rule)]) -> Vec<(Spot, &'static str)> {
    problems.iter().map(|(s, r)| (*s, r.code())).collect()
}

#[test]
fn events_keep_a_flat_json_form() {
    let event = Event::Registries {
        event: RegistriesEvent::SetAttendee {
            row: 2,
            field: AttendeeField::Role,
            value: "official".into(),
        },
    };
    let json =
        r#"{"type":"registries","do":"set_attendee","row":2,"field":"role","value":"official"}"#;
    assert_eq!(serde_json::to_string(&event).unwrap(), json);
    assert_eq!(serde_json::from_str::<Event>(json).unwrap(), event);
    let save = r#"{"type":"registries","do":"save_entry"}"#;
    assert_eq!(
        serde_json::from_str::<Event>(save).unwrap(),
        Event::Registries {
            event: RegistriesEvent::SaveEntry
        }
    );
    assert!(serde_json::from_str::<Event>(r#"{"type":"registries","do":"drop_all"}"#).is_err());
}

/// The officer sees each school's procedure from use: the last month one
/// of its counselors recorded a step (the school as typed any way), or
/// that none did.
#[test]
fn a_school_shows_when_its_counselors_last_recorded_the_procedure() {
    use binhan_core::stats::school_use::{SchoolInUse, UseMonth};
    let mut listing = listed();
    let state = |listing: &RegistryListing| Registries {
        listed: Some(listing.clone()),
        tab: RegistryKind::Schools,
        ..Default::default()
    };
    let officer = list(&state(&listing), &officer_scope(), &NO_ACTIVITY, Lang::En);
    assert!(officer.rows[0]
        .subtitle
        .ends_with("its counselors have recorded no step of the procedure"));
    let used = |commune: &str, month: u32| SchoolInUse {
        commune: commune.into(),
        school: "trường  (SYNTHETIC)".into(),
        month: UseMonth { year: 2026, month },
    };
    // Another commune's school of the same name does not count.
    listing.school_use = vec![used("pa_u", 3), used("pa_u", 10), used("mu_ca", 11)];
    let officer = list(&state(&listing), &officer_scope(), &NO_ACTIVITY, Lang::Vi);
    assert!(
        officer.rows[0]
            .subtitle
            .ends_with("quy trình được ghi nhận thực hiện gần nhất: 10/2026"),
        "{}",
        officer.rows[0].subtitle
    );
}

#[test]
fn a_manager_lists_only_the_communes_sessions_and_no_other_registry() {
    let state = Registries {
        listed: Some(listed()),
        tab: RegistryKind::Schools,
        ..Default::default()
    };
    let manager = list(&state, &manager_of("pa_u"), &NO_ACTIVITY, Lang::Vi);
    // Training, and (since issue 19) the commune's communication.
    assert_eq!(manager.tabs.len(), 2);
    assert!(manager.tabs[0].selected);
    assert_eq!(manager.rows.len(), 1);
    assert_eq!(manager.rows[0].title, "Tập huấn B (synthetic)");
    assert_eq!(manager.rows[0].subtitle, "10/05/2026 · Xã Pa Ủ");
    assert_eq!(
        manager.rows[0].attendees.as_deref(),
        Some("1 người tham dự")
    );
    assert_eq!(manager.add.label, "Thêm buổi tập huấn");
    let officer = list(&state, &officer_scope(), &NO_ACTIVITY, Lang::En);
    assert_eq!(officer.tabs.len(), 4);
    assert_eq!(officer.rows.len(), 1, "the schools tab");
    assert!(officer.rows[0].subtitle.contains("01/09/2025"));
    assert_eq!(
        officer.rows[0].edit.event,
        Event::Registries {
            event: RegistriesEvent::EditEntry { index: 0 }
        }
    );
    // Before the server answered: nothing, and no "empty" either.
    let loading = Registries {
        running: Some(Running::Listing),
        ..Default::default()
    };
    let view = list(&loading, &officer_scope(), &NO_ACTIVITY, Lang::Vi);
    assert!(view.empty.is_none() && view.rows.is_empty());
    assert_eq!(view.running.as_deref(), Some("Đang tải danh sách…"));
    let reload = &view.reload;
    assert!(!reload.enabled);
    assert_eq!(
        reload.disabled_reason.as_ref().map(|r| r.code.as_str()),
        Some("registry_request_running")
    );
}

#[test]
fn every_field_problem_of_a_session_is_found_at_once() {
    let mut form = EntryForm::new(RegistryKind::TrainingSessions, None);
    form.values.insert(EntryField::Date, "31/02/2026".into());
    form.values.insert(EntryField::Commune, "Atlantis".into());
    form.attendees = vec![
        AttendeeRow {
            person: "SYN-1".into(),
            commune: String::new(),
            role: "collaborator".into(),
        },
        AttendeeRow {
            person: String::new(),
            commune: "nowhere".into(),
            role: String::new(),
        },
        AttendeeRow {
            person: "syn-1".into(),
            commune: "Xã Mù Cả".into(),
            role: "collaborator".into(),
        },
    ];
    let problems = form.check(None).unwrap_err();
    assert_eq!(
        codes(&problems),
        vec![
            (Spot::Entry(EntryField::Date), "bad_format"),
            (Spot::Entry(EntryField::Commune), "not_a_commune"),
            (Spot::Entry(EntryField::Title), "empty"),
            (Spot::Attendee(1, AttendeeField::Person), "empty"),
            (Spot::Attendee(1, AttendeeField::Commune), "not_a_commune"),
            (Spot::Attendee(1, AttendeeField::Role), "empty"),
            (Spot::Attendee(2, AttendeeField::Person), "duplicate"),
        ]
    );
    // Shown on the form only once Save was pressed; Save then waits for
    // the corrections, with its reason.
    let state = Registries::default();
    let before = entry(&state, &form, &officer_scope(), day(2026, 11, 15), Lang::Vi);
    assert!(before.fields.iter().all(|f| f.error.is_none()));
    assert!(before.save.enabled);
    form.submitted = true;
    let after = entry(&state, &form, &officer_scope(), day(2026, 11, 15), Lang::Vi);
    let errors: Vec<_> = after
        .fields
        .iter()
        .map(|f| f.error.as_ref().map(|e| e.code.as_str()))
        .collect();
    assert_eq!(
        errors,
        vec![Some("bad_format"), Some("not_a_commune"), Some("empty")]
    );
    assert_eq!(
        after.attendees[1].fields[2]
            .error
            .as_ref()
            .map(|e| e.code.as_str()),
        Some("empty")
    );
    assert!(!after.save.enabled);
    assert_eq!(
        after.save.disabled_reason.as_ref().map(|r| r.code.as_str()),
        Some("form_has_errors")
    );

    // Corrected: one session, attendees in the session's commune unless
    // another is given.
    form.values.insert(EntryField::Date, "10/05/2026".into());
    form.values.insert(EntryField::Commune, "mù cả".into());
    form.values
        .insert(EntryField::Title, "Tập huấn (synthetic)".into());
    form.attendees.remove(2);
    form.attendees[1] = AttendeeRow {
        person: "SYN-2".into(),
        commune: "pa_u".into(),
        role: "official".into(),
    };
    let entries = form.check(None).expect("clean");
    let s = &entries.training_sessions[0];
    assert_eq!((s.date, s.commune.as_str()), (day(2026, 5, 10), "mu_ca"));
    assert_eq!(
        s.attendees
            .iter()
            .map(|a| (a.commune.as_str(), a.role))
            .collect::<Vec<_>>(),
        vec![
            ("mu_ca", TraineeRole::Collaborator),
            ("pa_u", TraineeRole::Official)
        ]
    );
}

#[test]
fn a_managers_form_holds_its_commune_and_refuses_another() {
    let mut form = EntryForm::new(RegistryKind::TrainingSessions, Some("pa_u"));
    assert_eq!(form.get(EntryField::Commune), "Xã Pa Ủ");
    form.values.insert(EntryField::Date, "2026-06-02".into());
    form.values
        .insert(EntryField::Title, "Tập huấn (synthetic)".into());
    assert!(form.check(Some("pa_u")).is_ok());
    form.values.insert(EntryField::Commune, "mu_ca".into());
    assert_eq!(
        codes(&form.check(Some("pa_u")).unwrap_err()),
        vec![(Spot::Entry(EntryField::Commune), "other_commune")]
    );
    // "Tỉnh" is the officer's only.
    form.values.insert(EntryField::Commune, "Tỉnh".into());
    assert_eq!(
        codes(&form.check(Some("pa_u")).unwrap_err()),
        vec![(Spot::Entry(EntryField::Commune), "not_a_commune")]
    );
    let officer = form.check(None).expect("a provincial session");
    assert_eq!(officer.training_sessions[0].commune, PROVINCE);
}

#[test]
fn schools_and_enterprises_need_a_name_and_a_commune() {
    let mut form = EntryForm::new(RegistryKind::Enterprises, None);
    form.values.insert(EntryField::Since, "soon".into());
    assert_eq!(
        codes(&form.check(None).unwrap_err()),
        vec![
            (Spot::Entry(EntryField::Name), "empty"),
            (Spot::Entry(EntryField::Commune), "empty"),
            (Spot::Entry(EntryField::Since), "bad_format"),
        ]
    );
    let school = &listed().entries.schools[0];
    let form = EntryForm::institution(
        RegistryKind::Schools,
        &school.name,
        &school.commune,
        school.procedure_since,
    );
    assert_eq!(
        form.check(None).expect("clean").schools,
        vec![school.clone()]
    );
    let view = entry(
        &Registries::default(),
        &form,
        &officer_scope(),
        day(2026, 11, 15),
        Lang::En,
    );
    assert!(view.help.is_some(), "correcting says what it does");
    assert!(view.add_attendee.is_none() && view.attendees_label.is_none());
}

#[test]
fn an_import_with_a_bad_row_shows_it_by_line_and_cannot_be_recorded() {
    let bad = "Ngày,Xã,Chủ đề,Mã học viên,Vai trò\n\
               10/05/2026,Mù Cả,Tập huấn (synthetic),SYN-1,ctv\n\
               10/05/2026,Atlantis,Tập huấn (synthetic),SYN-2,ctv\n";
    let mut state = Registries {
        file: Some(ImportFile {
            name: "tap-huan.csv".into(),
            import: read("tap-huan.csv", bad.as_bytes(), None),
        }),
        ..Default::default()
    };
    let view = import(&state, Lang::Vi);
    assert_eq!(view.file, "tap-huan.csv");
    assert_eq!(view.problems.len(), 1);
    assert_eq!(view.problems[0].line, 3);
    assert_eq!(view.problems[0].code, "not_a_commune");
    assert!(view.problems[0].text.starts_with("Dòng 3, cột «Xã»: "));
    assert_eq!(view.summary.as_deref(), Some("2 dòng, 1 lỗi"));
    assert_eq!(
        view.refused.as_ref().map(|r| r.code.as_str()),
        Some("import_refused")
    );
    assert!(!view.confirm.enabled);
    assert_eq!(
        view.confirm
            .disabled_reason
            .as_ref()
            .map(|r| r.code.as_str()),
        Some("import_refused")
    );

    let good = bad.replace("Atlantis", "pa_u");
    state.file = Some(ImportFile {
        name: "tap-huan.csv".into(),
        import: read("tap-huan.csv", good.as_bytes(), None),
    });
    let view = import(&state, Lang::En);
    assert!(view.problems.is_empty() && view.refused.is_none());
    assert_eq!(
        view.summary.as_deref(),
        Some("2 rows: 2 training sessions, 2 attendances")
    );
    assert!(view.confirm.enabled);
    // Nothing chosen yet: Record all waits for a file.
    let none = import(&Registries::default(), Lang::En);
    assert_eq!(
        none.confirm
            .disabled_reason
            .as_ref()
            .map(|r| r.code.as_str()),
        Some("no_file")
    );
}

#[test]
fn a_lock_forgets_the_desk() {
    let mut state = Registries {
        listed: Some(listed()),
        form: Some(EntryForm::new(RegistryKind::Schools, None)),
        running: Some(Running::Recording),
        generation: 7,
        ..Default::default()
    };
    state.forget();
    assert!(state.listed.is_none() && state.form.is_none() && state.running.is_none());
    assert_eq!(state.generation, 8, "a request that ends later is ignored");
}

#[test]
fn a_phone_not_enrolled_as_manager_or_officer_has_no_desk() {
    use crate::render::has_error;
    use crate::tests::support::{delaying_policy, home, Harness, PIN};
    use crate::view::Screen;
    let h = Harness::seeded(delaying_policy(), None);
    let view = h.unlock(PIN);
    assert!(!home(&view).actions.iter().any(|a| a.event
        == Event::Open {
            target: crate::event::Target::Registries
        }));
    let refused = h.send(Event::Open {
        target: crate::event::Target::Registries,
    });
    assert!(has_error(&refused, "not_enrolled"));
    assert!(matches!(refused.screen, Screen::Home { .. }));
    for event in [
        RegistriesEvent::NewEntry,
        RegistriesEvent::ConfirmImport,
        RegistriesEvent::ImportFile {
            name: "x.csv".into(),
            bytes: b"Ngay,Xa,Chu de\n".to_vec(),
        },
    ] {
        let view = h.send(Event::Registries { event });
        assert!(has_error(&view, "not_enrolled"), "{view:?}");
        assert!(h.shell.take().is_empty(), "nothing starts");
    }
}
