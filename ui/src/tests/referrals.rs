//! Referrals through `AppCore` alone. The sender's side: from a case's
//! summary, the referral form offers the directory's organisations that
//! serve the survivor's commune, previews exactly what will be sent, asks
//! for the survivor's consent when the case holds none, and sends. The
//! provider's side: the station's phone sees only the fields health may
//! receive, answers with the actions its view offers, and sees a withdrawn
//! referral emptied. All data here is synthetic.

use super::support::*;
use crate::event::{Event, Target};
use crate::screens::cases::CaseSummaryView;
use crate::screens::casework::{WorkField, WorkView};
use crate::screens::intake::FieldKind;
use crate::screens::referrals::ReferralInboxView;
use crate::view::{Screen, ViewModel};
use binhan_core::app::{ReferralDraft, Vault};
use binhan_core::model::{Coded, Role, ServiceOutcome, ServiceType};
use binhan_core::referrals::{ProviderStep, ReferralStatus, ServiceOrganisation, Urgency};
use binhan_core::shelters::{DirectoryUpdate, ShelterDirectory};
use binhan_testkit::referrals::{consent_to, health_station};
use binhan_testkit::shelters::{province_signer, signed};
use std::path::Path;

fn inbox(view: &ViewModel) -> &ReferralInboxView {
    match &view.screen {
        Screen::ReferralInbox { view } => view,
        other => panic!("expected the referral inbox, got {other:?}"),
    }
}

/// The vault at `path`, opened a second time (the app holds the first).
fn second(path: &Path) -> Vault {
    let vault = Vault::open(path, config(delaying_policy())).expect("open");
    vault.unlock(PIN).expect("unlock");
    vault
}

fn load(vault: &Vault, health: &ServiceOrganisation) {
    let directory = ShelterDirectory::new(1, chrono::DateTime::UNIX_EPOCH, vec![])
        .with_services(vec![health.clone()]);
    vault
        .set_provincial_key(province_signer().public_key())
        .expect("key");
    vault
        .load_shelter_directory(&signed(&DirectoryUpdate::Full(directory)))
        .expect("directory");
}

#[test]
fn a_provider_answers_referrals_from_its_inbox_and_sees_withdrawals() {
    let station = Harness::enrolled_as(Role::ServiceProvider);
    let station_vault = second(&station.vault_path());
    let health = health_station("pa_u", vec![station_vault.device_id().expect("id")]);
    load(&station_vault, &health);

    let dir = tempfile::tempdir().expect("tempdir");
    let sender =
        Vault::create(&dir.path().join("vault"), PIN, config(delaying_policy())).expect("vault");
    load(&sender, &health);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("day");
    let case = sender
        .create_case(
            binhan_testkit::intake::Builder::new(0, day)
                .code("SYN-REF-1")
                .name("Synthetic Quokkaflint")
                .commune("pa_u")
                .build(),
        )
        .expect("case");
    consent_to(&sender, case, &health, ServiceType::Health, true).expect("consent");
    sender
        .send_referral(
            case,
            ReferralDraft {
                organisation: health.id,
                service: ServiceType::Health,
                urgency: Urgency::Urgent,
                ask: "Khám sau vụ việc (tổng hợp).".into(),
                due: None,
                chosen: vec![],
            },
        )
        .expect("sent");
    deliver_mail(&sender, &station_vault);

    // The home screen leads a provider to its inbox.
    let opened = station.unlock(PIN);
    let to_inbox = home(&opened)
        .actions
        .iter()
        .find(|a| {
            a.event
                == Event::Open {
                    target: Target::ReferralInbox,
                }
        })
        .expect("the inbox on the provider's home")
        .clone();
    let view = station.send(to_inbox.event);
    let list = inbox(&view);
    assert_eq!(list.emergency[0], "113 · Công an");
    assert_eq!(list.referrals.len(), 1);
    let row = &list.referrals[0];
    assert_eq!(row.title, "chăm sóc y tế · gấp (trong 3 ngày)");
    let codes: Vec<&str> = row.facts.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["age_band", "sex", "incident_date", "violence_type"]);
    let json = serde_json::to_string(&view).expect("json");
    for marker in ["SYN-REF-1", "Quokkaflint", &case.to_string()] {
        assert!(!json.contains(marker), "nothing else of the case arrives");
    }
    // From "sent": accept, decline, or ask for a field health may still
    // receive; delivery and closing come later.
    assert_eq!(row.actions.len(), 8);
    assert_eq!(row.actions[0].label, "Tiếp nhận");
    let asks: Vec<&str> = row.actions[1..4].iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        asks,
        [
            "Đề nghị bổ sung: mức độ nguy cơ",
            "Đề nghị bổ sung: cách liên hệ an toàn",
            "Đề nghị bổ sung: dân tộc"
        ]
    );
    let accepted = station.send(row.actions[0].event.clone());
    assert_eq!(accepted.messages[0].reason.code, "referral_answered");
    let row = &inbox(&accepted).referrals[0];
    assert_eq!(row.status, "đã tiếp nhận");
    let labels: Vec<&str> = row.actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Đã cung cấp dịch vụ hôm nay", "Kết thúc"]);
    let delivered = station.send(row.actions[0].event.clone());
    assert_eq!(inbox(&delivered).referrals[0].status, "đã cung cấp dịch vụ");
    // Accepting again is refused with core's own reason.
    let again = station.send(Event::AnswerReferral {
        referral: list.referrals[0].actions[0].event_referral(),
        step: binhan_core::referrals::ProviderStep::Accepted,
    });
    assert_eq!(again.messages[0].reason.code, "referral_step_not_allowed");

    // The answers reach the sender's case.
    deliver_mail(&station_vault, &sender);
    let detail = sender.case(case).expect("case");
    assert_eq!(detail.referrals[0].latest.status, ReferralStatus::Delivered);
    assert!(detail
        .services
        .iter()
        .any(|s| s.value.outcome == ServiceOutcome::Delivered));

    // The survivor withdraws consent: the inbox shows it, and nothing more.
    consent_to(&sender, case, &health, ServiceType::Health, false).expect("withdrawn");
    deliver_mail(&sender, &station_vault);
    let view = station.send(Event::Tick);
    let row = &inbox(&view).referrals[0];
    assert!(row.withdrawn.is_some());
    assert!(row.facts.is_empty() && row.ask.is_none() && row.actions.is_empty());
}

fn summary(view: &ViewModel) -> &CaseSummaryView {
    match &view.screen {
        Screen::CaseSummary { view } => view,
        other => panic!("expected a case summary, got {other:?}"),
    }
}

fn work(view: &ViewModel) -> &WorkView {
    match &view.screen {
        Screen::CaseWork { view } => view,
        other => panic!("expected a case-work form, got {other:?}"),
    }
}

fn shown(view: &WorkView) -> Vec<WorkField> {
    view.fields.iter().map(|f| f.field).collect()
}

/// The labels of a choice field's options.
fn options(view: &WorkView, field: WorkField) -> Vec<String> {
    let field = view
        .fields
        .iter()
        .find(|f| f.field == field)
        .expect("shown");
    match &field.kind {
        FieldKind::Choice { options } | FieldKind::MultiChoice { options } => {
            options.iter().map(|o| o.label.clone()).collect()
        }
        other => panic!("not a choice: {other:?}"),
    }
}

fn set(h: &Harness, field: WorkField, value: &str) -> ViewModel {
    h.send(Event::SetWork {
        field,
        value: value.into(),
    })
}

#[test]
fn a_collaborator_sees_exactly_what_goes_and_refers_only_with_consent() {
    let sender = Harness::seeded_as(Role::Collaborator);
    let sender_vault = second(&sender.vault_path());
    let dir = tempfile::tempdir().expect("tempdir");
    let station =
        Vault::create(&dir.path().join("vault"), PIN, config(delaying_policy())).expect("vault");
    let health = health_station("mu_ca", vec![station.device_id().expect("id")]);
    load(&station, &health);

    // Before the directory arrives: no organisation to choose, and the
    // help line says where they come from.
    sender.unlock(PIN);
    let id = sender.id("SYN-001");
    let opened = sender.send(Event::OpenCase { id: id.clone() });
    let section = summary(&opened)
        .sections
        .iter()
        .find(|s| s.code == "referrals")
        .expect("a referrals section")
        .clone();
    assert_eq!(
        section.empty.as_deref(),
        Some("Chưa chuyển gửi đến đơn vị nào")
    );
    let form = sender.send(section.add.expect("refer from the case").event);
    assert!(options(work(&form), WorkField::Organisation).is_empty());
    assert!(!work(&form).save.enabled);
    sender.send(Event::Back);

    load(&sender_vault, &health);
    let form = sender.send(Event::OpenCaseWork {
        case: id.clone(),
        kind: crate::screens::casework::WorkKind::Referral,
    });
    let view = work(&form);
    assert_eq!(
        shown(view),
        [
            WorkField::Organisation,
            WorkField::Service,
            WorkField::Urgency,
            WorkField::Ask,
            WorkField::Due
        ]
    );
    assert_eq!(
        options(view, WorkField::Organisation),
        [format!("{} · y tế", health.name)]
    );
    assert!(view.preview.is_none(), "nothing to preview yet");
    // An organisation the case cannot reach is refused by name.
    let unknown = set(
        &sender,
        WorkField::Organisation,
        &binhan_core::referrals::OrganisationId::random().to_string(),
    );
    let problem = work(&unknown).fields[0].error.clone().expect("a problem");
    assert_eq!(problem.code, "unknown_choice");

    set(&sender, WorkField::Organisation, &health.id.to_string());
    // The organisation's services that take referrals, only.
    assert_eq!(
        options(work(&sender.send(Event::Tick)), WorkField::Service),
        ["chăm sóc y tế", "hỗ trợ tâm lý"]
    );
    set(&sender, WorkField::Service, "health");
    set(&sender, WorkField::Urgency, "urgent");
    let view = set(&sender, WorkField::Ask, "Khám sau vụ việc (tổng hợp).");
    let form = work(&view);
    // Exactly what health always receives, from core's preview.
    let preview = form.preview.clone().expect("a preview");
    let codes: Vec<&str> = preview.sent.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["age_band", "sex", "incident_date", "violence_type"]);
    assert!(preview.heading.starts_with(&health.name));
    assert!(preview.consent.starts_with("Cần sự đồng ý"));
    // What the survivor may add, and the consent question.
    assert_eq!(
        options(form, WorkField::Shared),
        ["mức độ nguy cơ", "cách liên hệ an toàn", "dân tộc"]
    );
    assert!(shown(form).contains(&WorkField::Consent));
    assert_eq!(
        form.save.disabled_reason.as_ref().map(|r| r.code.as_str()),
        Some("consent_missing")
    );
    let view = sender.send(Event::ToggleWork {
        field: WorkField::Shared,
        code: "ethnic_group".into(),
    });
    let preview = work(&view).preview.clone().expect("a preview");
    assert_eq!(
        preview.sent.last().map(|f| f.code.as_str()),
        Some("ethnic_group")
    );
    let json = serde_json::to_string(&preview).expect("json");
    for marker in ["SYN-001", "Zephyrmoss", "quokkaflint", &id] {
        assert!(!json.contains(marker), "the preview names nothing else");
    }
    // A due date in the past is refused; empty takes the urgency's.
    let view = set(&sender, WorkField::Due, "2020-01-01");
    let due = work(&view)
        .fields
        .iter()
        .find(|f| f.field == WorkField::Due);
    assert_eq!(
        due.and_then(|f| f.error.as_ref()).map(|e| e.code.as_str()),
        Some("due_in_past")
    );
    set(&sender, WorkField::Due, "");

    let ready = set(&sender, WorkField::Consent, "yes");
    assert!(work(&ready).save.enabled);
    let sent = sender.send(Event::Submit);
    assert_eq!(sent.messages[0].reason.code, "referral_sent");
    let item = &summary(&sent)
        .sections
        .iter()
        .find(|s| s.code == "referrals")
        .expect("referrals")
        .items[0];
    assert_eq!(item.title, format!("{} · chăm sóc y tế", health.name));
    assert!(item
        .detail
        .as_deref()
        .is_some_and(|d| d.starts_with("đã gửi, chờ trả lời · Cần trả lời trước")));

    // The station receives what the preview showed, and nothing else.
    deliver_mail(&sender_vault, &station);
    let received = station.referral_inbox().expect("inbox");
    let facts: Vec<&str> = received[0]
        .content
        .iter()
        .flat_map(|c| c.facts.iter())
        .map(|f| f.field().code())
        .collect();
    assert_eq!(
        facts,
        codes
            .iter()
            .copied()
            .chain(["ethnic_group"])
            .collect::<Vec<_>>()
    );

    // The station asks for more; only the sending phone can answer, with
    // the fields the referral may still carry.
    let referral = received[0].id;
    station
        .answer_referral(
            referral,
            ProviderStep::MoreAsked("Đơn vị đề nghị bổ sung: mức độ nguy cơ (tổng hợp)".into()),
        )
        .expect("asked");
    deliver_mail(&station, &sender_vault);
    let view = sender.send(Event::Tick);
    let answer = summary(&view)
        .actions
        .iter()
        .find(|a| matches!(a.event, Event::OpenSupplement { .. }))
        .expect("answer the organisation from the summary")
        .clone();
    assert_eq!(
        answer.label,
        format!("Bổ sung thông tin cho {}", health.name)
    );
    let form = sender.send(answer.event);
    let view = work(&form);
    assert_eq!(shown(view), [WorkField::Shared, WorkField::Note]);
    assert_eq!(
        options(view, WorkField::Shared),
        ["mức độ nguy cơ", "cách liên hệ an toàn"],
        "what the referral does not carry yet"
    );
    assert!(!view.save.enabled, "the answer needs a note");
    sender.send(Event::ToggleWork {
        field: WorkField::Shared,
        code: "risk_level".into(),
    });
    set(
        &sender,
        WorkField::Note,
        "Người bị bạo lực đồng ý (tổng hợp).",
    );
    let sent = sender.send(Event::Submit);
    assert_eq!(sent.messages[0].reason.code, "supplement_sent");
    deliver_mail(&sender_vault, &station);
    let content = station.referral_inbox().expect("inbox")[0]
        .content
        .clone()
        .expect("content");
    let added: Vec<&str> = content.supplements[0]
        .facts
        .iter()
        .map(|f| f.field().code())
        .collect();
    assert_eq!(added, ["risk_level"]);
}

impl crate::view::Action {
    /// The referral id an inbox action is about.
    fn event_referral(&self) -> String {
        match &self.event {
            Event::AnswerReferral { referral, .. } => referral.clone(),
            other => panic!("not a referral answer: {other:?}"),
        }
    }
}

/// A referral left unanswered past its due date is listed, most overdue
/// first, and opens its case.
#[test]
fn referrals_overdue_for_an_answer_are_listed_and_open_their_case() {
    let sender = Harness::seeded_as(Role::CommuneCaseManager);
    let sender_vault = second(&sender.vault_path());
    let health = health_station("mu_ca", vec![binhan_core::model::DeviceId::random()]);
    load(&sender_vault, &health);
    // Referred through the form, on the phone's clock.
    sender.unlock(PIN);
    let id = sender.id("SYN-001");
    sender.send(Event::OpenCase { id: id.clone() });
    sender.send(Event::OpenCaseWork {
        case: id,
        kind: crate::screens::casework::WorkKind::Referral,
    });
    set(&sender, WorkField::Organisation, &health.id.to_string());
    set(&sender, WorkField::Service, "health");
    set(&sender, WorkField::Urgency, "urgent");
    set(&sender, WorkField::Ask, "Khám sau vụ việc (tổng hợp).");
    set(&sender, WorkField::Consent, "yes");
    let sent = sender.send(Event::Submit);
    assert_eq!(sent.messages[0].reason.code, "referral_sent");
    sender.send(Event::Back);
    let open = Event::Open {
        target: Target::OverdueReferrals,
    };
    let list = |view: &ViewModel| match &view.screen {
        Screen::OverdueReferrals { view } => view.clone(),
        other => panic!("expected the overdue list, got {other:?}"),
    };
    let before = list(&sender.send(open.clone()));
    assert_eq!(
        before.empty.as_deref(),
        Some("Không có chuyển gửi nào quá hạn phản hồi")
    );
    sender.send(Event::Back);
    // Five days on, the urgent referral (three days) waits past its date.
    // (The idle lock closed the app meanwhile.)
    sender.advance_secs(5 * 86_400);
    sender.send(Event::Tick);
    sender.unlock(PIN);
    let after = list(&sender.send(open));
    assert_eq!(after.rows.len(), 1);
    let row = &after.rows[0];
    assert_eq!(
        row.title,
        format!("SYN-001 · {} · chăm sóc y tế", health.name)
    );
    assert!(row.detail.starts_with("Quá hạn 2 ngày"), "{}", row.detail);
    let opened = sender.send(row.open.event.clone());
    assert!(matches!(opened.screen, Screen::CaseSummary { .. }));
}
