//! Small checks shared by the records' `validate` methods. Each failure names
//! the field and the rule, never the value.

use crate::error::Rule;
use crate::{Error, Result};
use chrono::NaiveDate;

/// The earliest date any field may hold.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("1900-01-01 is a valid date")
}

/// A name as typed on any keyboard, for comparing: Unicode NFC (a
/// Vietnamese letter typed as one character or as letter plus marks), any
/// run of spaces as one, ignoring case.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.split_whitespace()
        .map(|w| w.nfc().collect::<String>().to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text that must be present and at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, Rule::Required));
    }
    bounded_text(field, value, max)
}

/// Optional text: if present, not blank and at most `max` characters.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.trim().is_empty() => Err(Error::invalid(field, Rule::Empty)),
        Some(v) => bounded_text(field, v, max),
        None => Ok(()),
    }
}

/// Text (possibly empty) of at most `max` characters, without control
/// characters but line breaks and tabs.
pub fn bounded_text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            Rule::TooLong {
                max: u32::try_from(max).unwrap_or(u32::MAX),
            },
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::invalid(field, Rule::ControlCharacters));
    }
    Ok(())
}

/// A date between 1900 and `today`.
pub fn past_date(field: &str, date: NaiveDate, today: NaiveDate) -> Result<()> {
    if date < earliest_date() {
        return Err(Error::invalid(field, Rule::BeforeYear { year: 1900 }));
    }
    if date > today {
        return Err(Error::invalid(field, Rule::InFuture));
    }
    Ok(())
}

/// A short identifier typed by a person: letters, digits, `-`, `_`, `/`, `.`.
pub fn code_text(field: &str, value: &str, max: usize) -> Result<()> {
    required_text(field, value, max)?;
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
    {
        return Err(Error::invalid(field, Rule::BadCode));
    }
    Ok(())
}

/// Fewest and most digits of a phone number (E.164 allows 15).
pub const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 3..=15;

/// A phone number: an optional leading `+`, then 3 to 15 digits. With
/// `separators`, spaces, `-` and `.` may stand between the digits (as people
/// write them: a shelter host's number); without, nothing else (a number
/// the phone dials exactly as written: the emergency contacts).
pub fn phone(field: &str, value: &str, separators: bool) -> Result<()> {
    let rule = if separators {
        Rule::BadPhone
    } else {
        Rule::BadDialNumber
    };
    let body = value.strip_prefix('+').unwrap_or(value);
    let allowed = |c: char| c.is_ascii_digit() || (separators && matches!(c, ' ' | '-' | '.'));
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !body.chars().all(allowed)
        || !PHONE_DIGITS.contains(&digits)
        || !body.starts_with(|c: char| c.is_ascii_digit())
        || !body.ends_with(|c: char| c.is_ascii_digit())
    {
        return Err(Error::invalid(field, rule));
    }
    Ok(())
}

/// A list without repeated values.
pub fn distinct<T: PartialEq>(field: &str, values: &[T]) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(Error::invalid(field, Rule::Duplicate));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers() {
        for good in ["113", "0200000001", "+84200000001", "123456789012345"] {
            phone("p", good, false).unwrap();
            phone("p", good, true).unwrap();
        }
        for spaced in ["0000 000 001", "+84 20-000.0001"] {
            phone("p", spaced, true).unwrap();
            assert!(matches!(
                phone("p", spaced, false),
                Err(Error::Invalid {
                    rule: Rule::BadDialNumber,
                    ..
                })
            ));
        }
        for bad in [
            "",
            "12",
            "1234567890123456",
            "+",
            "++113",
            "11+3",
            "call me",
            " 113",
            "113 ",
        ] {
            assert!(
                matches!(
                    phone("p", bad, true),
                    Err(Error::Invalid {
                        rule: Rule::BadPhone,
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn rules_name_the_field_not_the_value() {
        let err = required_text("survivor.code", "  ", 10).unwrap_err();
        assert_eq!(err.to_string(), "invalid survivor.code: is required");
        let err = code_text("survivor.code", "Nguyễn", 10).unwrap_err();
        assert!(err.to_string().starts_with("invalid survivor.code:"));
        assert!(!err.to_string().contains("Nguyễn"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let tomorrow = today.succ_opt().unwrap();
        assert!(past_date("incident.date", tomorrow, today).is_err());
        assert!(past_date("incident.date", today, today).is_ok());
        assert!(optional_text("survivor.name", Some(""), 5).is_err());
        assert!(bounded_text("x", "a\u{0}b", 5).is_err());
        assert!(distinct("incident.contexts", &[1, 2, 1]).is_err());
    }
}
