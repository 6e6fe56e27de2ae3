//! Communication activities on the registries desk: recorded offline by a
//! collaborator, checked field by field, listed with where their sending
//! stands, and who reaches which tab. Synthetic data.

use super::activities::{merged, rows, Standing};
use super::form::{EntryForm, Spot};
use super::view::{list, RegistriesView, RegistryEntryView};
use super::*;
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::tests::support::{home, Harness, PIN};
use crate::view::{Screen, ViewModel};
use binhan_core::model::{Lang, Role};
use binhan_core::stats::activity::{
    ActivityId, ActivityKind, Campaign, CommunicationActivity, Participants,
};
use binhan_core::sync::{ActivitySending, RecordedActivity};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("day")
}

/// A synthetic village meeting in Pa Ủ.
fn meeting(date: NaiveDate, topic: &str) -> CommunicationActivity {
    CommunicationActivity {
        id: ActivityId::random(),
        date,
        commune: "pa_u".into(),
        village: "Bản Synthetic".into(),
        kind: ActivityKind::VillageMeeting,
        campaign: Campaign::Routine,
        topic: topic.into(),
        participants: Participants {
            women: 20,
            men: 12,
            girls: 3,
            boys: 2,
            ethnic_minority: 30,
        },
        materials: "Tờ rơi (synthetic)".into(),
    }
}

fn desk(view: &ViewModel) -> &RegistriesView {
    match &view.screen {
        Screen::Registries { view } => view,
        other => panic!("not the desk: {other:?}"),
    }
}

fn form(view: &ViewModel) -> &RegistryEntryView {
    match &view.screen {
        Screen::RegistryEntry { view } => view,
        other => panic!("not the form: {other:?}"),
    }
}

fn send(h: &Harness, event: RegistriesEvent) -> ViewModel {
    h.send(Event::Registries { event })
}

fn set(h: &Harness, field: EntryField, value: &str) -> ViewModel {
    send(
        h,
        RegistriesEvent::SetEntry {
            field,
            value: value.into(),
        },
    )
}

/// Taps the option labelled `label` of the choice `field`.
fn choose(h: &Harness, view: &ViewModel, field: EntryField, label: &str) -> ViewModel {
    let f = form(view)
        .fields
        .iter()
        .find(|f| f.field == field)
        .expect("field");
    let crate::screens::intake::FieldKind::Choice { options } = &f.kind else {
        panic!("{field:?} is not a choice");
    };
    let option = options.iter().find(|o| o.label == label).expect("option");
    h.send(option.event.clone())
}

/// The error codes of the form's fields, by field.
fn errors(view: &ViewModel) -> Vec<(EntryField, &str)> {
    form(view)
        .fields
        .iter()
        .filter_map(|f| f.error.as_ref().map(|e| (f.field, e.code.as_str())))
        .collect()
}

fn open_desk(h: &Harness) -> ViewModel {
    h.send(Event::Open {
        target: Target::Registries,
    })
}

#[test]
fn a_collaborator_records_an_activity_offline_and_sees_it_wait_for_sync() {
    let mut h = Harness::enrolled_as(Role::Collaborator);
    let view = h.unlock(PIN);
    let action = home(&view)
        .actions
        .iter()
        .find(|a| {
            a.event
                == Event::Open {
                    target: Target::Registries,
                }
        })
        .expect("a collaborator reaches the desk");
    assert_eq!(action.label, "Hoạt động truyền thông");
    let view = open_desk(&h);
    let d = desk(&view);
    assert_eq!(view.title, "Hoạt động truyền thông");
    assert_eq!(
        d.tabs.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
        ["Truyền thông"]
    );
    assert!(d.import.is_none(), "no import");
    assert!(d.running.is_none(), "nothing asked of the server");
    assert_eq!(d.empty.as_deref(), Some("Chưa có mục nào."));
    assert_eq!(d.add.label, "Thêm hoạt động truyền thông");

    let view = send(&h, RegistriesEvent::NewEntry);
    assert_eq!(view.title, "Thêm hoạt động truyền thông");
    let f = form(&view);
    assert_eq!(f.kind, RegistryKind::CommunicationActivities);
    assert_eq!(
        f.fields
            .iter()
            .find(|f| f.field == EntryField::Commune)
            .map(|f| f.value.as_str()),
        Some("Xã Pa Ủ"),
        "the device's own commune"
    );
    assert!(f.add_attendee.is_none() && f.attendees_label.is_none());
    set(&h, EntryField::Date, "10/11/2026");
    set(&h, EntryField::Village, "Bản Synthetic");
    let view = set(&h, EntryField::Title, "Phòng ngừa bạo lực (synthetic)");
    let view = choose(&h, &view, EntryField::ActivityKind, "họp thôn, bản");
    let view = choose(&h, &view, EntryField::Campaign, "truyền thông thường xuyên");
    assert!(matches!(
        form(&view)
            .fields
            .iter()
            .find(|f| f.field == EntryField::Women)
            .map(|f| &f.kind),
        Some(crate::screens::intake::FieldKind::Number)
    ));
    set(&h, EntryField::Women, "20");
    set(&h, EntryField::Men, " 12 ");
    set(&h, EntryField::EthnicMinority, "25");
    let view = send(&h, RegistriesEvent::SaveEntry);
    assert!(
        view.messages
            .iter()
            .any(|n| n.reason.code == "activity_recorded"),
        "{:?}",
        view.messages
    );
    let d = desk(&view);
    assert_eq!(d.rows.len(), 1);
    assert_eq!(d.rows[0].title, "Phòng ngừa bạo lực (synthetic)");
    assert_eq!(
        d.rows[0].subtitle,
        "10/11/2026 · Bản Synthetic, Xã Pa Ủ · họp thôn, bản · truyền thông thường xuyên \
         · 32 người được tiếp cận · chờ đồng bộ"
    );

    // The vault holds it: after a restart it is still there, and
    // correcting it keeps its id (one row, not two).
    h.restart();
    h.unlock(PIN);
    let view = open_desk(&h);
    assert_eq!(desk(&view).rows.len(), 1);
    let view = send(&h, RegistriesEvent::EditEntry { index: 0 });
    assert_eq!(view.title, "Sửa hoạt động truyền thông");
    assert!(form(&view).help.is_some());
    set(&h, EntryField::Title, "Phòng ngừa bạo lực, sửa (synthetic)");
    let view = send(&h, RegistriesEvent::SaveEntry);
    let d = desk(&view);
    assert_eq!(d.rows.len(), 1, "corrected, not added");
    assert_eq!(d.rows[0].title, "Phòng ngừa bạo lực, sửa (synthetic)");
}

#[test]
fn bad_fields_are_shown_on_their_fields_and_nothing_is_kept() {
    let h = Harness::enrolled_as(Role::Collaborator);
    h.unlock(PIN);
    open_desk(&h);
    send(&h, RegistriesEvent::NewEntry);
    set(&h, EntryField::Date, "31/02/2026");
    set(&h, EntryField::Women, "nhiều");
    set(&h, EntryField::Commune, "Xã Mù Cả");
    let view = send(&h, RegistriesEvent::SaveEntry);
    assert!(has_error(&view, "form_has_errors"));
    // Every typed problem at once, each on its field, in the form's order.
    assert_eq!(
        errors(&view),
        vec![
            (EntryField::Date, "bad_format"),
            (EntryField::Commune, "other_commune"),
            (EntryField::ActivityKind, "empty"),
            (EntryField::Campaign, "empty"),
            (EntryField::Title, "empty"),
            (EntryField::Women, "bad_format"),
        ]
    );
    assert!(!form(&view).save.enabled);

    // Typed well, then core's own check names the field, with its rule's
    // text: more of an ethnic minority than people reached.
    set(&h, EntryField::Date, "2026-11-10");
    set(&h, EntryField::Commune, "pa_u");
    set(&h, EntryField::ActivityKind, "village_meeting");
    set(&h, EntryField::Campaign, "routine");
    set(&h, EntryField::Title, "Họp bản (synthetic)");
    set(&h, EntryField::Women, "5");
    let view = set(&h, EntryField::EthnicMinority, "9");
    assert_eq!(errors(&view), vec![(EntryField::EthnicMinority, "at_most")]);
    let shown = form(&view)
        .fields
        .iter()
        .find_map(|f| f.error.clone())
        .expect("an error");
    assert_eq!(
        shown.text,
        crate::text::sentence(binhan_core::Rule::AtMost { max: 5 }.text(Lang::Vi))
    );
    // A campaign outside its dates; a meeting with nobody counted.
    set(&h, EntryField::EthnicMinority, "");
    let view = set(&h, EntryField::Campaign, "domestic_violence_month");
    assert_eq!(errors(&view), vec![(EntryField::Campaign, "contradicts")]);
    set(&h, EntryField::Campaign, "routine");
    let view = set(&h, EntryField::Women, "");
    assert_eq!(
        errors(&view),
        vec![
            (EntryField::Women, "at_least"),
            (EntryField::Men, "at_least"),
            (EntryField::Girls, "at_least"),
            (EntryField::Boys, "at_least"),
        ]
    );
    // A day to come.
    set(&h, EntryField::Women, "5");
    let view = set(&h, EntryField::Date, "2027-01-10");
    assert_eq!(errors(&view), vec![(EntryField::Date, "in_future")]);
    let view = send(&h, RegistriesEvent::SaveEntry);
    assert!(has_error(&view, "form_has_errors"));
    assert!(matches!(view.screen, Screen::RegistryEntry { .. }));

    // Nothing was kept.
    let view = h.send(Event::Back);
    let d = desk(&view);
    assert!(d.rows.is_empty());
    assert!(d.empty.is_some());
}

#[test]
fn a_counselor_sees_only_the_activities_tab_and_a_host_has_no_desk() {
    let h = Harness::enrolled_as(Role::SchoolCounselor);
    let view = h.unlock(PIN);
    assert!(home(&view).actions.iter().any(|a| a.event
        == Event::Open {
            target: Target::Registries
        }));
    let view = open_desk(&h);
    let d = desk(&view);
    assert_eq!(d.tabs.len(), 1);
    assert!(d.tabs[0].selected);
    assert_eq!(
        d.tabs[0].event,
        Event::Registries {
            event: RegistriesEvent::ShowTab {
                kind: RegistryKind::CommunicationActivities
            }
        }
    );
    assert!(d.import.is_none());
    for event in [
        RegistriesEvent::ShowTab {
            kind: RegistryKind::Schools,
        },
        RegistriesEvent::OpenImport,
    ] {
        let view = send(&h, event);
        assert!(has_error(&view, "not_available_here"), "{view:?}");
        assert!(matches!(view.screen, Screen::Registries { .. }));
    }
    // Reload asks no server: the list is this device's.
    let view = send(&h, RegistriesEvent::Reload);
    assert!(desk(&view).running.is_none());
    let view = send(&h, RegistriesEvent::NewEntry);
    assert_eq!(form(&view).kind, RegistryKind::CommunicationActivities);

    let host = Harness::enrolled_as(Role::ShelterHost);
    let view = host.unlock(PIN);
    assert!(!home(&view).actions.iter().any(|a| a.event
        == Event::Open {
            target: Target::Registries
        }));
    assert!(has_error(&open_desk(&host), "not_available_here"));
}

#[test]
fn managers_and_the_officer_keep_their_tabs_and_import_stays_off_the_activities() {
    let manager = Scope {
        role: Role::CommuneCaseManager,
        commune: Some("pa_u".into()),
    };
    let officer = Scope {
        role: Role::ProvincialOfficer,
        commune: None,
    };
    let local: activities::Local = Ok(Vec::new());
    let mut state = Registries::default();
    let view = list(&state, &manager, &local, Lang::Vi);
    assert_eq!(
        view.tabs
            .iter()
            .map(|t| t.label.as_str())
            .collect::<Vec<_>>(),
        ["Tập huấn", "Truyền thông"]
    );
    assert!(view.tabs[0].selected && view.import.is_some());
    assert_eq!(list(&state, &officer, &local, Lang::En).tabs.len(), 4);
    state.tab = RegistryKind::CommunicationActivities;
    for scope in [&manager, &officer] {
        let view = list(&state, scope, &local, Lang::Vi);
        assert!(view.tabs[view.tabs.len() - 1].selected);
        assert!(view.import.is_none());
        assert_eq!(view.add.label, "Thêm hoạt động truyền thông");
    }
    // A manager's tab not kept (schools) falls back to its first.
    state.tab = RegistryKind::Schools;
    assert!(list(&state, &manager, &local, Lang::Vi).tabs[0].selected);
    // While the server is asked for the lists, a session waits to be
    // saved; an activity, kept on this device, does not.
    state.running = Some(Running::Listing);
    let today = day(2026, 11, 15);
    let session = EntryForm::new(RegistryKind::TrainingSessions, Some("pa_u"));
    let view = super::view::entry(&state, &session, &manager, today, Lang::Vi);
    assert!(!view.save.enabled);
    let activity = EntryForm::new(RegistryKind::CommunicationActivities, Some("pa_u"));
    let view = super::view::entry(&state, &activity, &manager, today, Lang::Vi);
    assert!(view.save.enabled && view.running.is_none());
}

#[test]
fn the_list_merges_this_devices_activities_with_the_servers_newest_first() {
    let pending = meeting(day(2026, 11, 12), "Chờ (synthetic)");
    let mut sent = meeting(day(2026, 11, 3), "Đã gửi (synthetic)");
    let refused = meeting(day(2026, 11, 8), "Từ chối (synthetic)");
    let local = vec![
        RecordedActivity {
            activity: pending.clone(),
            sending: ActivitySending::Pending,
        },
        RecordedActivity {
            activity: refused.clone(),
            sending: ActivitySending::Refused {
                code: "activity_of_other_commune".into(),
            },
        },
        RecordedActivity {
            activity: sent.clone(),
            sending: ActivitySending::Sent,
        },
    ];
    // The server has the sent one, corrected by the officer, one from
    // another device of the commune, and one of another commune.
    sent.topic = "Đã gửi, tỉnh sửa (synthetic)".into();
    let other_device = meeting(day(2026, 11, 10), "Máy khác (synthetic)");
    let mut elsewhere = meeting(day(2026, 11, 11), "Xã khác (synthetic)");
    elsewhere.commune = "mu_ca".into();
    let listed = ProgrammeRegistries {
        communication_activities: vec![sent.clone(), other_device.clone(), elsewhere],
        ..Default::default()
    };
    let all = merged(&local, Some(&listed), Some("pa_u"));
    assert_eq!(
        all.iter()
            .map(|(a, s)| (a.topic.as_str(), s.clone()))
            .collect::<Vec<_>>(),
        vec![
            ("Chờ (synthetic)", Standing::Here(ActivitySending::Pending)),
            ("Máy khác (synthetic)", Standing::OnServer),
            (
                "Từ chối (synthetic)",
                Standing::Here(ActivitySending::Refused {
                    code: "activity_of_other_commune".into()
                })
            ),
            (
                "Đã gửi, tỉnh sửa (synthetic)",
                Standing::Here(ActivitySending::Sent)
            ),
        ]
    );
    let shown = rows(&local, Some(&listed), Some("pa_u"), Lang::En);
    let ends: Vec<String> = shown
        .iter()
        .map(|(r, _)| r.subtitle.rsplit(" · ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(ends[0], "waiting for sync");
    assert_eq!(ends[1], "recorded on another device");
    assert!(ends[2].starts_with("refused: "), "{}", ends[2]);
    assert!(ends[2].contains(&crate::text::sentence(
        binhan_core::Refusal::ActivityOfOtherCommune.text(Lang::En)
    )));
    assert_eq!(ends[3], "sent");
    // Correcting keeps the id; an unknown refusal shows its code only.
    assert_eq!(shown[3].1.activity_id, Some(sent.id));
    let odd = [RecordedActivity {
        activity: pending.clone(),
        sending: ActivitySending::Refused {
            code: "odd_code<script>".into(),
        },
    }];
    let row = &rows(&odd, None, None, Lang::Vi)[0].0;
    assert!(
        row.subtitle.contains("mã odd_codescript"),
        "{}",
        row.subtitle
    );
    // Without the server's list (offline, or a collaborator): this
    // device's only.
    assert_eq!(merged(&local, None, Some("pa_u")).len(), 3);
}

#[test]
fn the_form_reads_an_activity_and_refuses_another_commune() {
    let today = day(2026, 11, 15);
    let a = meeting(day(2026, 11, 10), "Họp bản (synthetic)");
    let form = EntryForm::activity_of(&a);
    assert_eq!(form.activity(Some("pa_u"), today), Ok(a.clone()));
    assert_eq!(form.activity(None, today), Ok(a.clone()), "the officer");
    let problems = form.activity(Some("mu_ca"), today).unwrap_err();
    assert_eq!(
        problems
            .iter()
            .map(|(s, r)| (*s, r.code()))
            .collect::<Vec<_>>(),
        vec![(Spot::Entry(EntryField::Commune), "other_commune")]
    );
}

#[test]
fn the_activities_texts_exist_in_both_languages() {
    let kind = RegistryKind::CommunicationActivities;
    let both = |f: &dyn Fn(Lang) -> String| {
        let (vi, en) = (f(Lang::Vi), f(Lang::En));
        assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{vi} / {en}");
    };
    both(&|l| kind.label(l));
    both(&|l| kind.add(l));
    both(&|l| kind.edit(l));
    assert_eq!(kind.label(Lang::Vi), "Truyền thông");
    assert_eq!(kind.label(Lang::En), "Communication");
    for field in EntryField::of(kind) {
        both(&|l| field.label(kind, l));
        if let Some(vi) = field.help(false, Lang::Vi) {
            assert_ne!(Some(vi), field.help(false, Lang::En));
        }
    }
    for l in [
        text::L::IntroActivities,
        text::L::ActivitiesTitle,
        text::L::EditActivityHelp,
        text::L::Pending,
        text::L::Sent,
        text::L::OnServer,
        text::L::ActivityRecorded,
    ] {
        both(&|lang| l.get(lang));
    }
    both(&|l| text::reached(37, l));
    both(&|l| text::refused("x", l));
    both(&|l| text::refused_code("x", l));
    for role in [Role::Collaborator, Role::SchoolCounselor] {
        both(&|l| home_label(role, l));
    }
}
