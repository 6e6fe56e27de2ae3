//! `binhan report` and `binhan registry`: the provincial officer's annual
//! report and programme registries, on the server.

use crate::input::Input;
use binhan_core::app::Vault;
use binhan_core::stats::registry::{ProgrammeRegistries, ReportFormat};
use binhan_core::Result;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Fetch the annual report (provincial officers).
#[derive(Args)]
pub struct ReportArgs {
    /// The report year.
    #[arg(long)]
    year: i32,
    /// File format.
    #[arg(long, value_enum, default_value_t = FormatArg::Xlsx)]
    format: FormatArg,
    /// Disclosure threshold: counts from 1 to threshold − 1 are suppressed
    /// (default 5).
    #[arg(long)]
    threshold: Option<u32>,
    /// The first month (1–12) of the twelve the report covers, ending in
    /// its year (default 12: 1 December of the year before to 30 November;
    /// 1: the calendar year).
    #[arg(long)]
    first_month: Option<u32>,
    /// Where to write the file.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Xlsx,
    Csv,
    Json,
}

/// The programme registries (provincial officers).
#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Record entries: {"training_sessions": […], "training_targets": […],
    /// "schools": […], "enterprises": […]}, each list optional; an entry
    /// with the identity of a stored one replaces it.
    Record {
        /// Read the JSON from this file instead of standard input.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Every entry, in the same shape.
    List,
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// Makes the report on this (officer's) vault, from the statistics its
/// office key opens, and writes it to `--out`.
pub fn report(app: &Vault, args: ReportArgs) -> Result<Value> {
    use binhan_report::OfficerReport;
    let format = match args.format {
        FormatArg::Xlsx => ReportFormat::Xlsx,
        FormatArg::Csv => ReportFormat::Csv,
        FormatArg::Json => ReportFormat::Json,
    };
    let period = binhan_core::stats::ReportPeriod::new(args.year, args.first_month)?;
    let bytes = crate::sync::runtime()?.block_on(app.annual_report(
        args.year,
        format,
        args.threshold,
        args.first_month,
    ))?;
    std::fs::write(&args.out, &bytes)?;
    Ok(json!({
        "year": args.year,
        "from": period.first_day(),
        "to": period.last_day(),
        "format": format.extension(),
        "out": args.out,
        "bytes": bytes.len(),
    }))
}

/// Runs a registry command.
pub fn registry(app: &Vault, input: &mut Input, command: RegistryCommand) -> Result<Value> {
    let rt = crate::sync::runtime()?;
    match command {
        RegistryCommand::Record { file } => {
            let entries: ProgrammeRegistries = input.json(file.as_deref(), "")?;
            Ok(to_json(&rt.block_on(app.record_registries(&entries))?))
        }
        RegistryCommand::List => {
            // The entries as they are recorded, with the months of school
            // procedure use beside them.
            let listing = rt.block_on(app.registries())?;
            let mut listed = to_json(&listing.entries);
            listed["school_use"] = to_json(&listing.school_use);
            Ok(listed)
        }
    }
}
