//! `binhan` sync commands: enrol, sync (with progress), invitations,
//! revocation and case teams.

use crate::input::Input;
use binhan_core::app::{SyncOptions, Vault};
use binhan_core::model::{CaseId, Coded, DeviceId, Role};
use binhan_core::sync::CancelFlag;
use binhan_core::{Error, Result, Rule};
use clap::Subcommand;
use serde_json::{json, Value};

/// Sync with a server.
#[derive(Subcommand)]
pub enum SyncCommand {
    /// Enrol this device with a one-time invitation code (from
    /// BINHAN_INVITATION or the line after the PIN on standard input).
    Enrol {
        /// The server, e.g. https://sync.example.vn
        #[arg(long)]
        server: String,
        /// A label managers see, e.g. "CTV bản Nậm Sỏ".
        #[arg(long, default_value = "binhan CLI")]
        label: String,
    },
    /// Push this device's changes and pull everyone else's; progress goes to
    /// standard error as JSON lines.
    Sync {
        /// The network is unmetered (Wi-Fi): a road network update downloads
        /// even when updates are set to Wi-Fi only.
        #[arg(long)]
        unmetered: bool,
    },
    /// This device's id and enrolment.
    Device,
    /// The online reports this commune case manager's device received from
    /// the public intake page (fetched on sync): each opened, or with the
    /// reason it could not be, and its triage.
    OnlineReports,
    /// Issue an invitation code (commune case managers, provincial officers).
    Invite {
        /// Role of the invited device.
        #[arg(long)]
        role: String,
        /// Commune code (or "province" for a provincial officer).
        #[arg(long)]
        commune: String,
        /// A school counselor's school (its counselors share the school's
        /// cases); only with `--role school_counselor`.
        #[arg(long)]
        school: Option<String>,
        /// Hours the code stays valid (1–168).
        #[arg(long, default_value_t = 72)]
        hours: u32,
    },
    /// Revoke a device: refused from now on, it erases itself on next contact.
    Revoke {
        /// The device id.
        device: DeviceId,
    },
    /// Case teams.
    #[command(subcommand)]
    Team(TeamCommand),
}

/// Who works on a case.
#[derive(Subcommand)]
pub enum TeamCommand {
    /// Members of a case's team.
    List {
        /// The case id.
        case: CaseId,
    },
    /// Add a device (it gets every key of the case at the next sync).
    Add {
        /// The case id.
        case: CaseId,
        /// The device id.
        device: DeviceId,
    },
    /// Remove a device and rotate the case key.
    Remove {
        /// The case id.
        case: CaseId,
        /// The device id.
        device: DeviceId,
    },
}

/// A runtime for one command's network calls.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::from)
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// Runs a sync command on an unlocked app.
pub fn run(app: &Vault, input: &mut Input, command: SyncCommand) -> Result<Value> {
    let rt = runtime()?;
    match command {
        SyncCommand::Enrol { server, label } => {
            let code = input.secret("BINHAN_INVITATION", "invitation")?;
            let enrolment = rt.block_on(app.enrol(&server, &code, &label))?;
            Ok(json!({"device_id": app.device_id()?, "enrolment": to_json(&enrolment)}))
        }
        SyncCommand::Sync { unmetered } => {
            let progress = |p: binhan_core::sync::SyncProgress| {
                eprintln!("{}", json!({"progress": to_json(&p)}));
            };
            let options = SyncOptions { unmetered };
            let report = rt.block_on(app.sync_with(options, &progress, &CancelFlag::default()))?;
            Ok(to_json(&report))
        }
        SyncCommand::OnlineReports => Ok(to_json(&app.online_reports()?)),
        SyncCommand::Device => Ok(json!({
            "device_id": app.device_id()?,
            "enrolment": to_json(&app.enrolment()?),
            "pending_events": app.pending_events()?,
        })),
        SyncCommand::Invite {
            role,
            commune,
            school,
            hours,
        } => {
            let role =
                Role::from_code(&role).ok_or_else(|| Error::invalid("role", Rule::NotInList))?;
            let invitation = match school {
                Some(_) if role != Role::SchoolCounselor => {
                    return Err(Error::invalid("school", Rule::OnlyForSchoolCounselor))
                }
                Some(school) => rt.block_on(app.invite_counselor(&commune, &school, hours))?,
                None => rt.block_on(app.invite(role, &commune, hours))?,
            };
            Ok(to_json(&invitation))
        }
        SyncCommand::Revoke { device } => {
            rt.block_on(app.revoke_device(device))?;
            Ok(json!({"revoked": device}))
        }
        SyncCommand::Team(TeamCommand::List { case }) => {
            Ok(json!({"case_id": case, "members": app.team_members(case)?}))
        }
        SyncCommand::Team(TeamCommand::Add { case, device }) => {
            rt.block_on(app.add_team_member(case, device))?;
            Ok(json!({"case_id": case, "added": device, "members": app.team_members(case)?}))
        }
        SyncCommand::Team(TeamCommand::Remove { case, device }) => {
            rt.block_on(app.remove_team_member(case, device))?;
            Ok(json!({"case_id": case, "removed": device, "members": app.team_members(case)?}))
        }
    }
}
