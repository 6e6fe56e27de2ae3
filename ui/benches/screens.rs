//! How long the core takes to compute a screen's view model, through
//! `AppCore::send` exactly as a shell calls it, over a vault of 10,000
//! synthetic cases (`binhan_testkit::vault::fill`). The target is one frame
//! (16 ms) for the home screen and the case list.
//!
//! * `home_10k`, `case_list_10k`: a language change (an interaction that
//!   redraws everything) on the home screen and on the case list;
//! * `case_list_filter_10k`: a filter change on the case list;
//! * `case_rows_unchanged_10k`, `case_rows_one_changed_10k`: the case
//!   list's rows as changes (`AppCore::case_rows`) when nothing changed, and
//!   after another writer changed one case (`note_only` is that write
//!   alone, to subtract);
//! * `settings`: the same on a screen without cases, the round trip's floor;
//! * `intake_typing`: one keystroke in the record-an-incident form, which
//!   also seals the draft into the vault.
//!
//! `cargo bench -p binhan-ui --bench screens`. All data is synthetic.

use binhan_core::app::Vault;
use binhan_core::cases::CaseAction;
use binhan_core::model::{CaseId, Lang, Note, RiskLevel};
use binhan_testkit::vault::{fast_vault, fill};
use binhan_ui::screens::intake::IntakeField;
use binhan_ui::{AppCore, CalcKey, Effect, Event, Field, Options, Shell, Target};
use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::Arc;

/// The PIN of the benchmark vault (synthetic).
const PIN: &str = "493817";
const CASES: usize = 10_000;

struct NoShell;

impl Shell for NoShell {
    fn effect(&self, _effect: Effect) {}
}

/// An app over a vault of `CASES` cases, unlocked on the home screen.
fn unlocked_app(dir: &std::path::Path) -> AppCore {
    let path = dir.join("vault");
    let vault = Vault::create(&path, PIN, fast_vault()).expect("vault");
    fill(&vault, CASES).expect("fill");
    drop(vault);
    let options = Options {
        vault: fast_vault(),
        lang: Lang::Vi,
        idle_lock_secs: 3600,
        scan_codes: true,
    };
    let app = AppCore::new(path, options, Arc::new(NoShell));
    for digit in [4, 0, 7, 1, 5, 2] {
        app.send(Event::Calculator {
            key: CalcKey::Digit { digit },
        });
    }
    for _ in 0..2 {
        app.send(Event::Calculator {
            key: CalcKey::Equals,
        });
    }
    app.send(Event::SetField {
        field: Field::UnlockPin,
        value: PIN.into(),
    });
    app.send(Event::Submit);
    assert!(app.is_unlocked());
    app
}

/// Alternates the language, so that every send redraws the whole screen.
fn relabel(app: &AppCore, round: &mut u64) {
    *round += 1;
    let lang = if *round % 2 == 0 { Lang::Vi } else { Lang::En };
    std::hint::black_box(app.send(Event::SetLanguage { lang }));
}

fn screens(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = unlocked_app(dir.path());
    let mut group = c.benchmark_group("screens");
    group.sample_size(30);
    let mut round = 0;

    group.bench_function("home_10k", |b| b.iter(|| relabel(&app, &mut round)));

    app.send(Event::Open {
        target: Target::CaseList,
    });
    group.bench_function("case_list_10k", |b| b.iter(|| relabel(&app, &mut round)));
    group.bench_function("case_list_filter_10k", |b| {
        b.iter(|| {
            round += 1;
            let risk = (round % 2 == 0).then_some(RiskLevel::High);
            std::hint::black_box(app.send(Event::FilterCases { status: None, risk }))
        })
    });

    // The rows as changes (what a shell that keeps its rows asks for):
    // nothing changed; one case changed by another writer (a note added
    // through a second handle on the vault, as a sync would), against the
    // note alone.
    let mut version = app.case_rows(0).version;
    group.bench_function("case_rows_unchanged_10k", |b| {
        b.iter(|| std::hint::black_box(app.case_rows(version)))
    });
    let writer = Vault::open(&dir.path().join("vault"), fast_vault()).expect("open");
    writer.unlock(PIN).expect("unlock");
    let first_page: Vec<CaseId> = writer
        .list_cases(&Default::default())
        .expect("list")
        .cases
        .iter()
        .take(100)
        .map(|c| c.id)
        .collect();
    let note = |round: u64| {
        let id = first_page[(round % 100) as usize];
        let text = format!("synthetic benchmark note {round}");
        writer
            .act(id, CaseAction::AddNote(Note { text }))
            .expect("note");
    };
    group.bench_function("note_only", |b| {
        b.iter(|| {
            round += 1;
            note(round)
        })
    });
    group.bench_function("case_rows_one_changed_10k", |b| {
        b.iter(|| {
            round += 1;
            note(round);
            let update = app.case_rows(version);
            version = update.version;
            std::hint::black_box(update)
        })
    });

    app.send(Event::Open {
        target: Target::Settings,
    });
    group.bench_function("settings", |b| b.iter(|| relabel(&app, &mut round)));

    app.send(Event::Open {
        target: Target::RecordIncident,
    });
    group.bench_function("intake_typing", |b| {
        b.iter(|| {
            round += 1;
            std::hint::black_box(app.send(Event::SetIntake {
                field: IntakeField::SurvivorCode,
                row: 0,
                value: format!("SYN-{}", round % 1000),
            }))
        })
    });
    group.finish();
}

criterion_group!(benches, screens);
criterion_main!(benches);
