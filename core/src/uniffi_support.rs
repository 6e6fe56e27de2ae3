//! How the core's value types cross the uniffi boundary (only with the
//! `uniffi` feature, for `bindings/`): days as ISO 8601 text (`2026-11-20`),
//! instants as milliseconds since 1970 (UTC), ids as 32 hexadecimal digits.
//! The Kotlin and Swift types they map to are set in `core/uniffi.toml`.

use crate::model::{CaseId, DeviceId, EventId};
use crate::shelters::{RequestId, ShelterId};
use chrono::{DateTime, NaiveDate, Utc};

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
