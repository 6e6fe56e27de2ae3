//! A conflict between two phones, resolved side by side through `AppCore`:
//! two phones assess the same case's risk without seeing each other's
//! assessment; the home lists the case, its summary offers the conflicts,
//! and keeping one value resolves it. Synthetic data.

use super::support::*;
use crate::event::Event;
use crate::render::has_error;
use crate::view::Screen;
use binhan_core::app::Vault;
use binhan_core::cases::CaseAction;
use binhan_core::model::{RiskAssessment, RiskFactor, RiskLevel};

#[test]
fn two_phones_disagree_and_the_conflict_is_resolved_side_by_side() {
    let h = Harness::seeded(delaying_policy(), None);
    let path = h.vault_path();
    let id = h.id("SYN-002").parse().expect("id");
    // Another phone with a copy of the case's events.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = Vault::create(
        &other_dir.path().join("vault"),
        PIN,
        config(delaying_policy()),
    )
    .expect("other phone");
    let mine = Vault::open(&path, config(delaying_policy())).expect("open");
    mine.unlock(PIN).expect("unlock");
    other
        .merge_events(&mine.events_of(id).expect("events"))
        .expect("merge");
    let assess = |vault: &Vault, level, factors: Vec<RiskFactor>| {
        let today = vault.today();
        vault
            .act(
                id,
                CaseAction::AssessRisk(RiskAssessment {
                    level,
                    factors,
                    assessed_on: today,
                }),
            )
            .expect("assessed")
    };
    assess(&mine, RiskLevel::Low, vec![]);
    let theirs = assess(&other, RiskLevel::High, vec![RiskFactor::ThreatsToKill]);
    let new: Vec<_> = other
        .events_of(id)
        .expect("events")
        .into_iter()
        .filter(|e| e.id == theirs)
        .collect();
    mine.merge_events(&new).expect("merge theirs");
    drop(mine);

    let home = h.unlock(PIN);
    let view = super::support::home(&home);
    assert_eq!(
        view.conflicts_label.as_deref(),
        Some("Xung đột cần giải quyết")
    );
    assert_eq!(view.conflicts.len(), 1);
    let summary = h.send(view.conflicts[0].open.clone());
    let Screen::CaseSummary { view } = &summary.screen else {
        panic!("{:?}", summary.screen)
    };
    assert_eq!(view.actions[0].label, "Giải quyết 1 xung đột");
    let opened = h.send(view.actions[0].event.clone());
    let Screen::Conflicts { view } = &opened.screen else {
        panic!("{:?}", opened.screen)
    };
    assert_eq!(view.conflicts.len(), 1);
    let conflict = &view.conflicts[0];
    assert_eq!(conflict.label, "Đánh giá nguy cơ");
    let values: Vec<&str> = conflict
        .candidates
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert!(values.iter().any(|v| v.starts_with("thấp")), "{values:?}");
    assert!(
        values
            .iter()
            .any(|v| v.starts_with("cao") && v.contains("đe dọa giết")),
        "{values:?}"
    );
    assert!(conflict.candidates.iter().any(|c| c.by == "máy này"));
    let keep_high = conflict
        .candidates
        .iter()
        .find(|c| c.value.starts_with("cao"))
        .expect("high")
        .keep
        .event
        .clone();
    let resolved = h.send(keep_high.clone());
    assert_eq!(resolved.messages[0].reason.code, "conflict_resolved");
    let Screen::Conflicts { view } = &resolved.screen else {
        panic!("{:?}", resolved.screen)
    };
    assert!(view.conflicts.is_empty());
    assert_eq!(view.none.as_deref(), Some("Không còn xung đột"));
    // Resolving again, or from another screen, is refused.
    assert!(has_error(&h.send(keep_high.clone()), "not_available_here"));
    h.send(Event::Back);
    assert!(has_error(&h.send(keep_high), "not_available_here"));
}
