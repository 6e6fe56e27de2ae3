//! How the core's value types cross the uniffi boundary (only with the
//! `uniffi` feature, for `bindings/`): days as ISO 8601 text (`2026-11-20`),
//! instants as milliseconds since 1970 (UTC), times of day as `HH:MM`, ids
//! as 32 hexadecimal digits.
//! The Kotlin and Swift types they map to are set in `core/uniffi.toml`.

use crate::model::{CaseId, DeviceId, EventId};
use crate::referrals::{OrganisationId, ReferralId};
use crate::shelters::roads::WaysPerClass;
use crate::shelters::{ChecklistItems, RequestId, ShelterId, StandardItem, Stay, Stays};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::collections::HashMap;

uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |day| day.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(NaiveDate::parse_from_str(&text, "%Y-%m-%d")?),
});

/// An instant (UTC); crosses as milliseconds since 1970.
type Timestamp = DateTime<Utc>;

uniffi::custom_type!(Timestamp, i64, {
    remote,
    lower: |at| at.timestamp_millis(),
    try_lift: |ms| DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| uniffi::deps::anyhow::anyhow!("instant out of range")),
});

uniffi::custom_type!(CaseId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

uniffi::custom_type!(EventId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

uniffi::custom_type!(DeviceId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

uniffi::custom_type!(ShelterId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

uniffi::custom_type!(RequestId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

uniffi::custom_type!(OrganisationId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

uniffi::custom_type!(ReferralId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

/// A time of day in Vietnam's local time; crosses as `HH:MM`.
type ClockTime = NaiveTime;

uniffi::custom_type!(ClockTime, String, {
    remote,
    lower: |t| t.format("%H:%M").to_string(),
    try_lift: |text| Ok(NaiveTime::parse_from_str(&text, "%H:%M")?),
});

// Core keeps these maps ordered (signed publications and stored state need
// one encoding); uniffi has no ordered map, so they cross as a map or, for
// stays, as the list of values in key order.
uniffi::custom_type!(ChecklistItems, HashMap<StandardItem, bool>, {
    remote,
    lower: |items| items.into_iter().collect(),
    try_lift: |items| Ok(items.into_iter().collect()),
});

uniffi::custom_type!(WaysPerClass, HashMap<String, u64>, {
    remote,
    lower: |ways| ways.into_iter().collect(),
    try_lift: |ways| Ok(ways.into_iter().collect()),
});

uniffi::custom_type!(Stays, Vec<Stay>, {
    remote,
    lower: |stays| stays.into_values().collect(),
    try_lift: |stays| Ok(stays.into_iter().map(|s| (s.request.request, s)).collect()),
});
