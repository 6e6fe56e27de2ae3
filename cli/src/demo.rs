//! `binhan demo`: two phones record and edit synthetic cases offline, then
//! exchange their events, and the demo prints what converged. All data is
//! synthetic.

use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::{CaseAction, CaseFilter, CaseIntake};
use binhan_core::model::{CaseId, Note, RiskAssessment, RiskLevel};
use binhan_core::Result;
use binhan_testkit::intake::Builder;
use serde_json::{json, Value};
use std::path::Path;

const PINS: [&str; 2] = ["493817", "602938"];

fn synthetic_intake(app: &Vault, i: usize) -> CaseIntake {
    Builder::varied(i, app.today())
        .code(format!("DEMO-{:03}", i + 1))
        .account("Synthetic demo account.")
        .build()
}

fn exchange(from: &Vault, to: &Vault, cases: &[CaseId]) -> Result<usize> {
    let mut merged = 0;
    for id in cases {
        merged += to.merge_events(&from.events_of(*id)?)?.len();
    }
    Ok(merged)
}

/// Runs the demo in `dir` and returns its report.
pub fn run(dir: &Path) -> Result<Value> {
    let config = VaultOptions::default();
    let phones: Vec<Vault> = PINS
        .iter()
        .enumerate()
        .map(|(i, pin)| Vault::create(&dir.join(format!("phone-{}", i + 1)), pin, config.clone()))
        .collect::<Result<_>>()?;
    let (a, b) = (&phones[0], &phones[1]);

    // Phone 1 records five cases and shares them with phone 2.
    let cases: Vec<CaseId> = (0..5)
        .map(|i| a.create_case(synthetic_intake(a, i)))
        .collect::<Result<_>>()?;
    exchange(a, b, &cases)?;

    // Offline, both phones edit: a note on each, and both reassess case 1.
    let today = a.today();
    let assess = |level| {
        CaseAction::AssessRisk(RiskAssessment {
            level,
            factors: vec![],
            assessed_on: today,
        })
    };
    a.act(cases[0], assess(RiskLevel::High))?;
    b.act(cases[0], assess(RiskLevel::Low))?;
    for id in &cases {
        a.act(
            *id,
            CaseAction::AddNote(Note {
                text: "Phone 1 visit (synthetic).".into(),
            }),
        )?;
        b.act(
            *id,
            CaseAction::AddNote(Note {
                text: "Phone 2 call (synthetic).".into(),
            }),
        )?;
    }

    let to_b = exchange(a, b, &cases)?;
    let to_a = exchange(b, a, &cases)?;
    let conflicts = a.conflicts(cases[0])?;

    let converged = cases
        .iter()
        .map(|id| Ok(a.case(*id)? == b.case(*id)?))
        .collect::<Result<Vec<bool>>>()?
        .into_iter()
        .all(|same| same);
    Ok(json!({
        "phones": phones.len(),
        "cases": cases.len(),
        "events_sent_to_phone_2": to_b,
        "events_sent_to_phone_1": to_a,
        "converged": converged,
        "conflicts_on_first_case": serde_json::to_value(&conflicts).unwrap_or_default(),
        "effective_risk_while_in_conflict": a.case(cases[0])?.risk_level,
        "phone_1_list": serde_json::to_value(a.list_cases(&CaseFilter::default())?).unwrap_or_default(),
    }))
}
