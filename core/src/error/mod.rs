//! The core's error type. Messages name fields, rules and random ids, never
//! case content, so they are safe to log and to show. A broken field rule
//! ([`Rule`]) and a refused action ([`Refusal`]) are coded, with a text in
//! Vietnamese and English, so the apps show them in the user's language.

mod refusal;
mod rule;

pub use refusal::Refusal;
pub use rule::Rule;

/// Why a PIN was refused when it was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinWeakness {
    /// Fewer than the minimum number of characters.
    TooShort {
        /// The minimum length.
        min: u32,
    },
    /// Every character is the same, such as 000000.
    AllSame,
    /// A run up or down the keypad, such as 123456 or 987654.
    Sequence,
    /// A short block repeated, such as 121212 or 123123.
    Repeated,
    /// Among the PINs people choose most often.
    Common,
    /// The duress PIN may not equal the real PIN.
    SameAsPin,
}

impl PinWeakness {
    /// Vietnamese explanation shown to the person choosing the PIN.
    pub fn reason_vi(&self) -> String {
        match self {
            Self::TooShort { min } => format!("mã PIN phải có ít nhất {min} ký tự"),
            Self::AllSame => "mã PIN không được gồm một chữ số lặp lại".into(),
            Self::Sequence => "mã PIN không được là dãy số liên tiếp".into(),
            Self::Repeated => "mã PIN không được lặp lại một nhóm số".into(),
            Self::Common => "mã PIN này quá phổ biến, dễ bị đoán".into(),
            Self::SameAsPin => "mã PIN khẩn cấp phải khác mã PIN chính".into(),
        }
    }

    /// English explanation.
    pub fn reason_en(&self) -> String {
        match self {
            Self::TooShort { min } => format!("the PIN must have at least {min} characters"),
            Self::AllSame => "the PIN must not be one digit repeated".into(),
            Self::Sequence => "the PIN must not be a straight sequence".into(),
            Self::Repeated => "the PIN must not repeat a short block".into(),
            Self::Common => "the PIN is among the most commonly chosen".into(),
            Self::SameAsPin => "the duress PIN must differ from the PIN".into(),
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field value broke a rule; nothing was written.
    #[error("invalid {field}: {rule}")]
    Invalid {
        /// Dotted path of the field, e.g. `survivor.age`.
        field: String,
        /// The rule it broke.
        rule: Rule,
    },
    /// A workflow rule refused the action (e.g. closing without the checklist).
    #[error("not allowed: {0}")]
    NotAllowed(Refusal),
    /// The PIN chosen is too easy to guess.
    #[error("PIN rejected: {}", .0.reason_en())]
    WeakPin(PinWeakness),
    /// The PIN did not unlock the vault.
    #[error("wrong PIN, {remaining} attempts left")]
    WrongPin {
        /// Attempts left before the data is erased.
        remaining: u32,
    },
    /// Too many recent failures; the next attempt is allowed later.
    #[error("too many failed attempts, try again in {retry_after_secs} s")]
    TooSoon {
        /// Seconds until the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// The vault's keys have been erased; its data can never be read again.
    #[error("the vault has been erased")]
    Erased,
    /// The vault is locked; unlock it with the PIN first.
    #[error("the vault is locked")]
    Locked,
    /// There is no vault at the given place.
    #[error("no vault has been created here")]
    NoVault,
    /// A vault already exists at the given place.
    #[error("a vault already exists here")]
    AlreadyExists,
    /// A stored record failed authentication.
    #[error("{record} is tampered or corrupted")]
    Tampered {
        /// Which record, by kind and random id.
        record: String,
    },
    /// The record asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The platform key (Keystore/Keychain) failed.
    #[error("platform key: {0}")]
    PlatformKey(String),
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    /// The server could not be reached, or the connection broke.
    #[error("network: {0}")]
    Network(String),
    /// The server refused a request.
    #[error("server refused ({status}): {reason}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Stable error code from the server, e.g. `not_a_member`.
        code: String,
        /// The server's reason.
        reason: String,
    },
    /// This device was revoked by a signed revocation it checked; its
    /// vault has been erased.
    #[error("this device was revoked and its data erased")]
    Revoked,
    /// The device is not enrolled with a server yet.
    #[error("this device is not enrolled with a server")]
    NotEnrolled,
    /// The operation was cancelled; what was done so far is kept.
    #[error("cancelled")]
    Cancelled,
    /// Bytes could not be encoded or decoded.
    #[error("encoding: {0}")]
    Encoding(String),
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, rule: Rule) -> Self {
        Self::Invalid {
            field: field.into(),
            rule,
        }
    }

    /// The stable code of a refusal of one item (a pulled item held back,
    /// an online report that does not open): the refusal's or the rule's
    /// code, `tampered`, `not_found`, else `encoding`.
    pub fn item_code(&self) -> String {
        match self {
            Error::NotAllowed(refusal) => refusal.code().to_string(),
            Error::Invalid { rule, .. } => rule.code().to_string(),
            Error::Tampered { .. } => "tampered".into(),
            Error::NotFound(_) => "not_found".into(),
            _ => "encoding".into(),
        }
    }
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::refusal::tests::every_refusal;
    use super::rule::tests::every_rule;
    use super::*;
    use crate::model::Lang;
    use crate::shelters::PlacementStatus;
    use std::collections::HashSet;

    /// Codes are distinct snake_case; both texts are there, quote no
    /// placeholder and no field path.
    fn check(kind: &str, items: Vec<(&'static str, String, String)>) {
        let codes: HashSet<_> = items.iter().map(|(code, ..)| *code).collect();
        assert_eq!(codes.len(), items.len(), "{kind} codes are distinct");
        for (code, vi, en) in &items {
            assert!(
                !code.is_empty()
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{kind} code {code:?} is snake_case"
            );
            for text in [vi, en] {
                assert!(!text.trim().is_empty(), "{kind}.{code} has both texts");
                for placeholder in ["{", "}", "%s", "$", "survivor.", "incident."] {
                    assert!(
                        !text.contains(placeholder),
                        "{kind}.{code}: {text:?} holds {placeholder:?}"
                    );
                }
            }
            assert_ne!(vi, en, "{kind}.{code} is translated");
        }
    }

    #[test]
    fn every_rule_and_refusal_has_a_distinct_code_and_both_texts() {
        let rules = every_rule();
        assert_eq!(rules.len(), 58);
        check(
            "rule",
            rules
                .iter()
                .map(|r| (r.code(), r.text(Lang::Vi), r.text(Lang::En)))
                .collect(),
        );
        let refusals = every_refusal();
        assert_eq!(refusals.len(), 57);
        check(
            "refusal",
            refusals
                .iter()
                .map(|r| (r.code(), r.text(Lang::Vi), r.text(Lang::En)))
                .collect(),
        );
    }

    #[test]
    fn display_stays_english_and_names_the_field() {
        let e = Error::invalid("survivor.age_years", Rule::AtMost { max: 120 });
        assert_eq!(
            e.to_string(),
            "invalid survivor.age_years: must be at most 120"
        );
        let e = Error::NotAllowed(Refusal::CaseClosed);
        assert_eq!(
            e.to_string(),
            "not allowed: the case is closed; reopen it first"
        );
        assert_eq!(
            Refusal::StepNotAllowed {
                from: PlacementStatus::Declined,
                to: PlacementStatus::Arrived
            }
            .text_vi(),
            "yêu cầu đang ở bước «nơi tạm lánh từ chối», không thể chuyển sang «đã đến nơi tạm lánh»"
        );
    }
}
