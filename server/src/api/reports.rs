//! The provincial officer's endpoints: the programme registries and the
//! annual report. A commune case manager records and lists the training
//! sessions of its own commune; every other role is refused with a reason.

use super::extract::{Authenticated, Wire};
use super::{officer_only, AppState};
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use binhan_core::model::Role;
use binhan_core::shelters::{DirectoryUpdate, ProvincialKey};
use binhan_core::stats::registry::{
    ProgrammeRegistries, RegistryCounts, RegistryListing, ReportFormat, ReportRequest,
};
use binhan_core::stats::ReportPeriod;
use binhan_core::sync::wire::DeviceRecord;
use binhan_core::Refusal;
use binhan_report::{
    to_csv, to_xlsx, Registries, ReportBuilder, ReportConfig, ShelterInput, DEFAULT_THRESHOLD,
};
use chrono::{NaiveDate, TimeDelta, Utc};

/// Years a report may be asked for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// Highest disclosure threshold accepted.
const MAX_THRESHOLD: u32 = 1_000;
/// Lowest disclosure threshold accepted: counts from 1 to 4 are always
/// suppressed, whatever a request asks.
const MIN_THRESHOLD: u32 = DEFAULT_THRESHOLD;

/// What only officers do here.
const OFFICERS_DO: &str = "read reports and read or record the programme registries";

/// `POST /v1/registries/record`: adds or replaces registry entries. The
/// officer records anything; a commune case manager the commune's training
/// sessions and communication activities; a collaborator or a school
/// counselor the commune's communication activities (the commune always
/// from the device's enrolment, never from the request).
pub async fn record_registries<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(entries): Wire<ProgrammeRegistries>,
) -> Result<Wire<RegistryCounts>> {
    match entries.check_commune_scope(me.role, &me.commune) {
        Ok(()) => {}
        // Other roles than a manager's: what else they sent is the
        // officer's to record.
        Err(Refusal::OnlyCommunicationActivities) => officer_only(&me, OFFICERS_DO)?,
        Err(r) => return Err(ServerError::forbidden(r.code(), r.text_en())),
    }
    entries
        .validate()
        .map_err(|e| ServerError::unprocessable("bad_registry_entry", e.to_string()))?;
    Ok(Wire(state.storage.record_registries(entries).await?))
}

/// `POST /v1/registries/list` (empty request): every registry entry for the
/// officer; the training sessions held in its commune for a commune case
/// manager.
pub async fn list_registries<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(()): Wire<()>,
) -> Result<Wire<RegistryListing>> {
    let scope = commune_scope(&me)?;
    let all = state.storage.registries().await?;
    Ok(Wire(match scope {
        Some(commune) => RegistryListing {
            entries: all.of_commune(commune),
            school_use: Vec::new(),
        },
        None => RegistryListing {
            entries: all,
            school_use: state.storage.school_use().await?,
        },
    }))
}

/// Whose registries `me` works on: every commune for the officer (`None`),
/// the commune its device was enrolled for (from the enrolment, never from
/// the request) for a commune case manager; any other role is refused.
fn commune_scope(me: &DeviceRecord) -> Result<Option<&str>> {
    match me.role {
        Role::CommuneCaseManager => Ok(Some(&me.commune)),
        _ => officer_only(me, OFFICERS_DO).map(|()| None),
    }
}

/// Query of `GET /v1/reports/{year}`.
#[derive(Debug, serde::Deserialize)]
pub struct ReportQuery {
    /// `xlsx` (default), `csv` or `json`.
    format: Option<String>,
    /// Disclosure threshold (default 5).
    threshold: Option<String>,
    /// First month of the period (default 12).
    first_month: Option<String>,
}

/// A number from the query, or a `bad_{name}` refusal.
fn number(value: Option<String>, name: &'static str, code: &'static str) -> Result<Option<u32>> {
    value
        .map(|t| {
            t.parse()
                .map_err(|_| ServerError::bad_request(code, format!("the {name} must be a number")))
        })
        .transpose()
}

/// `GET /v1/reports/{year}?format=xlsx|csv|json&threshold=N&first_month=M`:
/// the annual report as a file.
pub async fn report_get<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Path(year): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response> {
    officer_only(&me, OFFICERS_DO)?;
    let year = year
        .parse()
        .map_err(|_| ServerError::bad_request("bad_year", "the year must be a number"))?;
    let format = match query.format.as_deref() {
        None => ReportFormat::Xlsx,
        Some(code) => ReportFormat::from_code(code).ok_or_else(|| {
            ServerError::bad_request("bad_format", "the format must be xlsx, csv or json")
        })?,
    };
    report(
        &state,
        ReportRequest {
            year,
            format,
            threshold: number(query.threshold, "threshold", "bad_threshold")?,
            first_month: number(query.first_month, "first month", "bad_first_month")?,
        },
    )
    .await
}

/// `POST /v1/reports`: the annual report as a file, asked for in a protocol
/// message.
pub async fn report_post<S: Storage>(
    State(state): State<AppState<S>>,
    Authenticated(me): Authenticated,
    Wire(request): Wire<ReportRequest>,
) -> Result<Response> {
    officer_only(&me, OFFICERS_DO)?;
    report(&state, request).await
}

/// Today in Vietnam (UTC+7, no daylight saving time).
fn vietnam_today() -> NaiveDate {
    (Utc::now() + TimeDelta::hours(7)).date_naive()
}

/// The shelters of the newest full directory publication, as the report
/// counts them (none before the province publishes a directory). Storage
/// accepted only publications signed by the province's key; the signature
/// is checked again before the directory is read.
async fn shelters<S: Storage>(storage: &S) -> Result<Vec<ShelterInput>> {
    let Some(publication) = storage.latest_full_directory().await? else {
        return Ok(Vec::new());
    };
    match publication.verify(&ProvincialKey(publication.signer)) {
        Ok(DirectoryUpdate::Full(directory)) => Ok(directory
            .shelters
            .iter()
            .map(|shelter| ShelterInput {
                commune: shelter.commune.clone(),
                standardised: shelter.is_standardised(),
                active: shelter.active,
            })
            .collect()),
        _ => {
            tracing::error!(
                kind = "storage",
                "the stored shelter directory does not verify"
            );
            Err(ServerError::internal())
        }
    }
}

/// Counts the records streamed from storage, builds the report with the
/// registries and writes it in the asked format.
async fn report<S: Storage>(state: &AppState<S>, request: ReportRequest) -> Result<Response> {
    if !YEARS.contains(&request.year) {
        return Err(ServerError::unprocessable(
            "bad_year",
            format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
        ));
    }
    let threshold = request.threshold.unwrap_or(DEFAULT_THRESHOLD);
    if !(MIN_THRESHOLD..=MAX_THRESHOLD).contains(&threshold) {
        return Err(ServerError::unprocessable(
            "bad_threshold",
            format!("the threshold must be from {MIN_THRESHOLD} to {MAX_THRESHOLD}"),
        ));
    }
    let period = ReportPeriod::new(request.year, request.first_month).map_err(|_| {
        ServerError::unprocessable("bad_first_month", "the first month must be from 1 to 12")
    })?;
    let mut builder = ReportBuilder::new(period);
    state.storage.tally_stats(&mut builder).await?;
    let registries = Registries {
        programme: state.storage.registries().await?,
        shelters: shelters(&state.storage).await?,
        school_use: state.storage.school_use().await?,
    };
    let format = request.format;
    let today = vietnam_today();
    let body = tokio::task::spawn_blocking(move || -> Result<Vec<u8>> {
        let report = builder.finish(&registries, &ReportConfig { threshold }, today);
        match format {
            ReportFormat::Xlsx => to_xlsx(&report).map_err(|e| {
                tracing::error!(error = %e, "the report workbook could not be written");
                ServerError::internal()
            }),
            ReportFormat::Csv => Ok(to_csv(&report).into_bytes()),
            ReportFormat::Json => serde_json::to_vec(&report).map_err(|e| {
                tracing::error!(error = %e, "the report could not be encoded");
                ServerError::internal()
            }),
        }
    })
    .await
    .map_err(|_| ServerError::internal())??;
    tracing::info!(
        year = request.year,
        format = format.extension(),
        "report generated"
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"bao-cao-blg-{}.{}\"",
        request.year,
        format.extension()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
