//! The commands and what each does.

use crate::input::{parse_json, Input};
use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::{CaseAction, CaseFilter, CaseIntake, FollowUpFilter};
use binhan_core::model::{all_enumerations, CaseId, CaseStatus, RiskLevel, COMMUNES};
use binhan_core::vault::{KdfParams, VaultPolicy};
use binhan_core::{Error, Refusal, Result, Rule};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Bình An: record and manage GBV cases offline, encrypted on this device.
///
/// The PIN is read from BINHAN_PIN or the first line of standard input.
/// JSON payloads come from --file or the rest of standard input.
#[derive(Parser)]
#[command(name = "binhan", version)]
pub struct Cli {
    /// The vault directory.
    #[arg(
        long,
        env = "BINHAN_VAULT",
        default_value = "binhan-vault",
        global = true
    )]
    vault: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a vault protected by a PIN.
    Init {
        /// Wrong PINs in a row that erase the vault.
        #[arg(long, default_value_t = VaultPolicy::default().max_attempts)]
        max_attempts: u32,
        /// Argon2id memory in MiB (at least 46).
        #[arg(long, default_value_t = KdfParams::default().memory_kib / 1024)]
        kdf_memory_mib: u32,
        /// Argon2id iterations.
        #[arg(long, default_value_t = KdfParams::default().iterations)]
        kdf_iterations: u32,
        /// Seconds of the first delay after the free attempts (doubling after).
        #[arg(long, default_value_t = VaultPolicy::default().base_delay_secs)]
        delay_secs: u64,
    },
    /// Check the PIN and report the vault's state.
    Unlock,
    /// The vault's state, without the PIN.
    Status,
    /// Change the PIN (old PIN, then new PIN; or BINHAN_PIN and BINHAN_NEW_PIN).
    ChangePin,
    /// Set a duress PIN (PIN, then duress PIN; or BINHAN_PIN and BINHAN_DURESS_PIN).
    DuressPin,
    /// Erase keys, then data. No PIN needed: this is the panic button.
    Wipe,
    /// Cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Sync with a server: enrol, sync, invite, revoke, teams.
    #[command(flatten)]
    Sync(crate::sync::SyncCommand),
    /// Shelters: signed directory, road network, nearest search, hosting
    /// and placements.
    #[command(subcommand)]
    Shelters(crate::shelters::ShelterCommand),
    /// Fetch the annual report of a year and write it to a file (provincial
    /// officers).
    Report(crate::report::ReportArgs),
    /// The programme registries on the server: training, schools,
    /// enterprises (provincial officers).
    #[command(subcommand)]
    Registry(crate::report::RegistryCommand),
    /// Every enumeration with its codes and Vietnamese and English labels.
    Labels,
    /// The communes and wards of the province with their codes.
    Communes,
    /// Two phones record and edit synthetic cases offline, exchange events,
    /// and converge (uses a fresh directory under --vault).
    Demo,
    /// The app's screens in a local web browser over this vault: prints a
    /// one-time address on 127.0.0.1 (as JSON: {"url": …}) and serves until
    /// stopped. The PIN is typed in the browser.
    Console {
        /// The language the console starts in: vi or en.
        #[arg(long, default_value = "vi")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Record a case from an intake form (JSON).
    Create(Payload),
    /// Change survivor and incident fields: {"survivor": {…}, "incident": {…}},
    /// each holding only the fields to change.
    Update(CasePayload),
    /// Record a risk assessment: {"level": …, "factors": […], "assessed_on": …}.
    Risk(CasePayload),
    /// Set the safety plan (JSON), or clear it with null.
    SafetyPlan(CasePayload),
    /// Record or withdraw consent: {"scope": …, "granted": …, "given_by": …}.
    Consent(CasePayload),
    /// Record a service outcome (JSON).
    Service(CasePayload),
    /// Record a follow-up (JSON).
    FollowUp(CasePayload),
    /// Append a note: {"text": …}.
    Note(CasePayload),
    /// Close with the checklist: {"reason": …, "checklist": {…}}.
    Close(CasePayload),
    /// Reopen: {"reason": …}.
    Reopen(CasePayload),
    /// Resolve a conflict by keeping one candidate's value.
    Resolve {
        /// The case id.
        id: CaseId,
        /// The conflicting field, as `conflicts` shows it.
        #[arg(long)]
        field: String,
        /// The event id of the value to keep.
        #[arg(long)]
        keep: binhan_core::model::EventId,
    },
    /// Unresolved conflicts of a case.
    Conflicts {
        /// The case id.
        id: CaseId,
    },
    /// One case in full.
    Show {
        /// The case id.
        id: CaseId,
    },
    /// Cases, most recent activity first.
    List {
        /// Only this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Only this risk level.
        #[arg(long, value_enum)]
        risk: Option<RiskArg>,
        /// Only this commune (code).
        #[arg(long)]
        commune: Option<String>,
        /// Only cases whose follow-up is due or overdue.
        #[arg(long, value_enum)]
        follow_up: Option<FollowUpArg>,
        /// Only cases whose survivor code contains this text.
        #[arg(long)]
        code: Option<String>,
    },
}

#[derive(clap::Args)]
struct Payload {
    /// Read the JSON from this file instead of standard input.
    #[arg(long)]
    file: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CasePayload {
    /// The case id.
    id: CaseId,
    #[command(flatten)]
    payload: Payload,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Open,
    Closed,
}

#[derive(Clone, Copy, ValueEnum)]
enum RiskArg {
    Low,
    Medium,
    High,
}

#[derive(Clone, Copy, ValueEnum)]
enum FollowUpArg {
    DueToday,
    Overdue,
    DueOrOverdue,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Encoding(e.to_string()))
}

fn open_unlocked(vault: &Path, input: &mut Input) -> Result<Vault> {
    let app = Vault::open(vault, VaultOptions::default())?;
    app.unlock(&input.pin()?)?;
    Ok(app)
}

/// Runs a command and returns what it prints.
pub fn run(cli: Cli) -> Result<Value> {
    let mut input = Input::new();
    let vault = cli.vault.as_path();
    match cli.command {
        Command::Init {
            max_attempts,
            kdf_memory_mib,
            kdf_iterations,
            delay_secs,
        } => {
            let config = VaultOptions {
                policy: VaultPolicy {
                    max_attempts,
                    base_delay_secs: delay_secs,
                    max_delay_secs: VaultPolicy::default().max_delay_secs.max(delay_secs),
                    ..VaultPolicy::default()
                },
                kdf: KdfParams::new(
                    kdf_memory_mib.saturating_mul(1024),
                    kdf_iterations,
                    KdfParams::default().parallelism,
                )?,
                ..VaultOptions::default()
            };
            let app = Vault::create(vault, &input.pin()?, config)?;
            Ok(json!({"created": true, "device_id": app.device_id()?}))
        }
        Command::Unlock => {
            let app = open_unlocked(vault, &mut input)?;
            Ok(json!({"unlocked": true, "attempts_remaining": app.attempts_remaining()?}))
        }
        Command::Status => {
            if !Vault::exists(vault) {
                return Ok(json!({"exists": false}));
            }
            let app = Vault::open(vault, VaultOptions::default())?;
            match app.attempts_remaining() {
                Ok(n) => Ok(json!({"exists": true, "erased": false, "attempts_remaining": n})),
                Err(Error::Erased) => Ok(json!({"exists": true, "erased": true})),
                Err(e) => Err(e),
            }
        }
        Command::ChangePin => {
            let app = Vault::open(vault, VaultOptions::default())?;
            let old = input.pin()?;
            let new = input.secret("BINHAN_NEW_PIN", "new_pin")?;
            app.change_pin(&old, &new)?;
            Ok(json!({"pin_changed": true}))
        }
        Command::DuressPin => {
            let app = Vault::open(vault, VaultOptions::default())?;
            let pin = input.pin()?;
            let duress = input.secret("BINHAN_DURESS_PIN", "duress_pin")?;
            app.set_duress_pin(&pin, &duress)?;
            Ok(json!({"duress_pin_set": true}))
        }
        Command::Wipe => {
            let app = Vault::open(vault, VaultOptions::default())?;
            match app.panic_wipe() {
                Ok(()) | Err(Error::Erased) => Ok(json!({"wiped": true})),
                Err(e) => Err(e),
            }
        }
        Command::Labels => {
            let mut all = all_enumerations();
            all.extend(binhan_core::shelters::enumerations());
            to_json(&all)
        }
        Command::Communes => to_json(&COMMUNES),
        Command::Console { lang } => crate::console::run(vault, &lang),
        Command::Demo => {
            let dir = vault.join(format!("demo-{}", std::process::id()));
            let report = crate::demo::run(&dir);
            std::fs::remove_dir_all(&dir)?;
            report
        }
        Command::Case(command) => run_case(vault, &mut input, command),
        Command::Shelters(command) => crate::shelters::run(vault, &mut input, command),
        Command::Report(args) => crate::report::report(&open_unlocked(vault, &mut input)?, args),
        Command::Registry(command) => {
            let app = open_unlocked(vault, &mut input)?;
            crate::report::registry(&app, &mut input, command)
        }
        Command::Sync(command) => {
            let app = open_unlocked(vault, &mut input)?;
            crate::sync::run(&app, &mut input, command)
        }
    }
}

fn run_case(vault: &Path, input: &mut Input, command: CaseCommand) -> Result<Value> {
    let app = open_unlocked(vault, input)?;
    let act = |app: &Vault, id: CaseId, action: CaseAction| -> Result<Value> {
        let event = app.act(id, action)?;
        Ok(json!({"case_id": id, "event_id": event}))
    };
    match command {
        CaseCommand::Create(p) => {
            let intake: CaseIntake = input.json(p.file.as_deref(), "")?;
            let id = app.create_case(intake)?;
            Ok(json!({"case_id": id}))
        }
        CaseCommand::Update(p) => {
            let patch: Value = input.json(p.payload.file.as_deref(), "update")?;
            let detail = app.case(p.id)?;
            let mut actions = Vec::new();
            let Some(patch) = patch.as_object() else {
                return Err(Error::invalid("update", Rule::BadFormat));
            };
            for key in patch.keys() {
                if key != "survivor" && key != "incident" {
                    return Err(Error::invalid(key.as_str(), Rule::NotUpdatable));
                }
            }
            if let Some(fields) = patch.get("survivor") {
                let merged = merge(to_json(&detail.survivor)?, fields, "survivor")?;
                actions.push(CaseAction::UpdateSurvivor(parse_json(
                    &merged.to_string(),
                    "survivor",
                )?));
            }
            if let Some(fields) = patch.get("incident") {
                let merged = merge(to_json(&detail.incident)?, fields, "incident")?;
                actions.push(CaseAction::UpdateIncident(parse_json(
                    &merged.to_string(),
                    "incident",
                )?));
            }
            let mut events = Vec::new();
            for action in actions {
                match app.act(p.id, action) {
                    Ok(event) => events.push(event),
                    Err(Error::NotAllowed(Refusal::NothingChanged)) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(json!({"case_id": p.id, "event_ids": events}))
        }
        CaseCommand::Risk(p) => {
            let v = input.json(p.payload.file.as_deref(), "risk")?;
            act(&app, p.id, CaseAction::AssessRisk(v))
        }
        CaseCommand::SafetyPlan(p) => {
            let v = input.json(p.payload.file.as_deref(), "safety_plan")?;
            act(&app, p.id, CaseAction::SetSafetyPlan(v))
        }
        CaseCommand::Consent(p) => {
            let v = input.json(p.payload.file.as_deref(), "consent")?;
            act(&app, p.id, CaseAction::RecordConsent(v))
        }
        CaseCommand::Service(p) => {
            let v = input.json(p.payload.file.as_deref(), "service")?;
            act(&app, p.id, CaseAction::AddService(v))
        }
        CaseCommand::FollowUp(p) => {
            let v = input.json(p.payload.file.as_deref(), "follow_up")?;
            act(&app, p.id, CaseAction::AddFollowUp(v))
        }
        CaseCommand::Note(p) => {
            let v = input.json(p.payload.file.as_deref(), "note")?;
            act(&app, p.id, CaseAction::AddNote(v))
        }
        CaseCommand::Close(p) => {
            let v = input.json(p.payload.file.as_deref(), "closure")?;
            act(&app, p.id, CaseAction::Close(v))
        }
        CaseCommand::Reopen(p) => {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Reopen {
                reason: String,
            }
            let v: Reopen = input.json(p.payload.file.as_deref(), "reopen")?;
            act(&app, p.id, CaseAction::Reopen { reason: v.reason })
        }
        CaseCommand::Resolve { id, field, keep } => {
            act(&app, id, CaseAction::ResolveConflict { field, keep })
        }
        CaseCommand::Conflicts { id } => to_json(&app.conflicts(id)?),
        CaseCommand::Show { id } => to_json(&app.case(id)?),
        CaseCommand::List {
            status,
            risk,
            commune,
            follow_up,
            code,
        } => {
            let filter = CaseFilter {
                status: status.map(|s| match s {
                    StatusArg::Open => CaseStatus::Open,
                    StatusArg::Closed => CaseStatus::Closed,
                }),
                risk: risk.map(|r| match r {
                    RiskArg::Low => RiskLevel::Low,
                    RiskArg::Medium => RiskLevel::Medium,
                    RiskArg::High => RiskLevel::High,
                }),
                commune,
                follow_up: follow_up.map(|f| match f {
                    FollowUpArg::DueToday => FollowUpFilter::DueToday,
                    FollowUpArg::Overdue => FollowUpFilter::Overdue,
                    FollowUpArg::DueOrOverdue => FollowUpFilter::DueOrOverdue,
                }),
                survivor_code: code,
            };
            to_json(&app.list_cases(&filter)?)
        }
    }
}

/// `base` with the keys of `patch` replaced (one level deep).
fn merge(mut base: Value, patch: &Value, what: &str) -> Result<Value> {
    let (Some(base_fields), Some(patch_fields)) = (base.as_object_mut(), patch.as_object()) else {
        return Err(Error::invalid(what, Rule::BadFormat));
    };
    for (key, value) in patch_fields {
        base_fields.insert(key.clone(), value.clone());
    }
    Ok(base)
}
