//! Dates and times as people in Lai Châu read them: Asia/Ho_Chi_Minh
//! (UTC+7 all year, no daylight saving time), day first.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

/// UTC+7.
fn vietnam() -> FixedOffset {
    // 7 hours is within ±24 h, so this never fails; UTC is the fallback.
    FixedOffset::east_opt(7 * 3600).unwrap_or(Utc.fix())
}

/// A day: 20/11/2026.
pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// An instant, in Vietnam: 10:05 15/11/2026.
pub(crate) fn instant(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam())
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

/// Today's date in Vietnam at `now_ms` (milliseconds since 1970, UTC).
pub(crate) fn today(now_ms: u64) -> NaiveDate {
    let ms = i64::try_from(now_ms).unwrap_or(i64::MAX);
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&vietnam())
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn instants_are_shown_in_vietnam_time() {
        // 2026-11-15 20:30 UTC is already the 16th in Vietnam.
        let at = Utc.with_ymd_and_hms(2026, 11, 15, 20, 30, 0).unwrap();
        assert_eq!(instant(at), "03:30 16/11/2026");
        let ms = u64::try_from(at.timestamp_millis()).unwrap();
        assert_eq!(today(ms), NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        assert_eq!(
            day(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "05/01/2026"
        );
    }
}
