//! The small error the apps act on, mapped from the core's rich
//! [`binhan_core::Error`]. Messages name fields, rules and random ids, never
//! case content.

use binhan_core::Error as CoreError;

/// What went wrong, in terms an app can act on. In Kotlin each variant is an
/// exception (`BinhAnException.WrongPin` …); in Swift an `Error` case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum BinhAnError {
    /// The PIN did not unlock the vault.
    #[error("wrong PIN, {attempts_remaining} attempts left")]
    WrongPin {
        /// Attempts left before the data is erased.
        attempts_remaining: u32,
    },
    /// Too many recent failures: the next attempt is allowed later.
    #[error("too many failed attempts, try again in {retry_after_secs} s")]
    TooSoon {
        /// Seconds until the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// The PIN chosen is too easy to guess.
    #[error("PIN rejected: {reason_en}")]
    WeakPin {
        /// Why, in Vietnamese (shown first).
        reason_vi: String,
        /// Why, in English.
        reason_en: String,
    },
    /// The vault is locked; unlock it with the PIN first.
    #[error("the vault is locked")]
    Locked,
    /// The vault's keys are erased: its data can never be read again.
    #[error("the vault has been erased")]
    Erased,
    /// No vault has been created in this directory.
    #[error("no vault has been created here")]
    NoVault,
    /// A vault already exists in this directory.
    #[error("a vault already exists here")]
    VaultExists,
    /// A field value broke a rule; nothing was written.
    #[error("invalid {field}: {rule_en}")]
    InvalidField {
        /// Dotted path of the field, e.g. `survivor.commune`.
        field: String,
        /// Stable code of the rule it broke, e.g. `not_a_commune`.
        code: String,
        /// The rule, in Vietnamese (shown first).
        rule_vi: String,
        /// The rule, in English.
        rule_en: String,
    },
    /// A workflow rule refused the action (e.g. adding to a closed case).
    #[error("not allowed: {reason_en}")]
    NotAllowed {
        /// Stable code of the refusal, e.g. `case_closed`.
        code: String,
        /// Why, in Vietnamese (shown first).
        reason_vi: String,
        /// Why, in English.
        reason_en: String,
    },
    /// Stored data failed authentication: tampered or corrupted.
    #[error("{record} is tampered or corrupted")]
    Tampered {
        /// Which record, by kind and random id.
        record: String,
    },
    /// The case (or conflict) asked for does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, by kind and random id.
        what: String,
    },
    /// The platform key (Android Keystore, iOS Keychain) failed.
    #[error("platform key: {reason}")]
    PlatformKey {
        /// The platform's reason.
        reason: String,
    },
    /// The server could not be reached, or the connection broke.
    #[error("network: {reason}")]
    Network {
        /// What failed.
        reason: String,
    },
    /// The invitation code is unknown, already used or expired: ask for a
    /// new one.
    #[error("the invitation code is unknown, used or expired")]
    InvalidInvitation,
    /// The server does not recognise this device or its token (HTTP 401):
    /// sync again; if it persists, enrol again.
    #[error("not recognised by the server: {code}")]
    Unauthorised {
        /// Stable code from the server, e.g. `unknown_device`.
        code: String,
    },
    /// The server recognised this device, but its role may not do that
    /// (HTTP 403), e.g. a collaborator issuing invitations.
    #[error("not permitted: {code}")]
    Forbidden {
        /// Stable code from the server, e.g. `not_a_member`.
        code: String,
    },
    /// The server asks this device to slow down: retry in a little while.
    #[error("too many requests, retry shortly")]
    RateLimited,
    /// The server refused the request for another reason.
    #[error("server refused ({status}): {code}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Stable code from the server, e.g. `not_a_member`.
        code: String,
    },
    /// The server holds a newer state than this request assumed; sync and retry.
    #[error("conflict: {reason}")]
    Conflict {
        /// What conflicted.
        reason: String,
    },
    /// This device was revoked and its vault erased.
    #[error("this device was revoked and its data erased")]
    Revoked,
    /// The device is not enrolled with a server yet.
    #[error("this device is not enrolled with a server")]
    NotEnrolled,
    /// The operation was cancelled; what was done so far is kept.
    #[error("cancelled")]
    Cancelled,
    /// Anything else (storage, files, encoding): report it, the app cannot fix it.
    #[error("internal error: {reason}")]
    Internal {
        /// What failed.
        reason: String,
    },
}

/// HTTP status when the device or its token is not recognised.
const HTTP_UNAUTHORISED: u16 = 401;
/// HTTP status when the device's role may not do what it asked.
const HTTP_FORBIDDEN: u16 = 403;
/// HTTP status the server uses when a write conflicts with newer state.
const HTTP_CONFLICT: u16 = 409;
/// HTTP status of rate limiting.
const HTTP_TOO_MANY_REQUESTS: u16 = 429;

impl From<CoreError> for BinhAnError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::Invalid { field, rule } => Self::InvalidField {
                field,
                code: rule.code().to_string(),
                rule_vi: rule.text_vi(),
                rule_en: rule.text_en(),
            },
            CoreError::NotAllowed(refusal) => Self::NotAllowed {
                code: refusal.code().to_string(),
                reason_vi: refusal.text_vi(),
                reason_en: refusal.text_en(),
            },
            CoreError::WeakPin(weakness) => Self::WeakPin {
                reason_vi: weakness.reason_vi(),
                reason_en: weakness.reason_en(),
            },
            CoreError::WrongPin { remaining } => Self::WrongPin {
                attempts_remaining: remaining,
            },
            CoreError::TooSoon { retry_after_secs } => Self::TooSoon { retry_after_secs },
            CoreError::Erased => Self::Erased,
            CoreError::Locked => Self::Locked,
            CoreError::NoVault => Self::NoVault,
            CoreError::AlreadyExists => Self::VaultExists,
            CoreError::Tampered { record } => Self::Tampered { record },
            CoreError::NotFound(what) => Self::NotFound { what },
            CoreError::PlatformKey(reason) => Self::PlatformKey { reason },
            CoreError::Network(reason) => Self::Network { reason },
            CoreError::Refused { code, .. }
                if code == binhan_core::sync::wire::INVALID_INVITATION =>
            {
                Self::InvalidInvitation
            }
            CoreError::Refused {
                status: HTTP_UNAUTHORISED,
                code,
                ..
            } => Self::Unauthorised { code },
            CoreError::Refused {
                status: HTTP_FORBIDDEN,
                code,
                ..
            } => Self::Forbidden { code },
            CoreError::Refused {
                status: HTTP_CONFLICT,
                code,
                ..
            } => Self::Conflict { reason: code },
            CoreError::Refused {
                status: HTTP_TOO_MANY_REQUESTS,
                ..
            } => Self::RateLimited,
            CoreError::Refused { status, code, .. } => Self::Refused { status, code },
            CoreError::Revoked => Self::Revoked,
            CoreError::NotEnrolled => Self::NotEnrolled,
            CoreError::Cancelled => Self::Cancelled,
            e @ (CoreError::Storage(_) | CoreError::Io(_) | CoreError::Encoding(_)) => {
                tracing::warn!(error = %e, "internal error crossing the FFI");
                Self::Internal {
                    reason: e.to_string(),
                }
            }
        }
    }
}

/// Result of an exported call.
pub type Result<T, E = BinhAnError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use binhan_core::{PinWeakness, Refusal, Rule};

    #[test]
    fn core_errors_map_to_what_the_app_acts_on() {
        assert_eq!(
            BinhAnError::from(CoreError::WrongPin { remaining: 4 }),
            BinhAnError::WrongPin {
                attempts_remaining: 4
            }
        );
        assert_eq!(
            BinhAnError::from(CoreError::invalid("survivor.commune", Rule::NotACommune)),
            BinhAnError::InvalidField {
                field: "survivor.commune".into(),
                code: "not_a_commune".into(),
                rule_vi: "phải là mã của một xã thuộc tỉnh Lai Châu".into(),
                rule_en: "must be the code of a commune of Lai Châu".into(),
            }
        );
        assert_eq!(
            BinhAnError::from(CoreError::NotAllowed(Refusal::CaseClosed)),
            BinhAnError::NotAllowed {
                code: "case_closed".into(),
                reason_vi: "hồ sơ đã đóng; hãy mở lại hồ sơ trước".into(),
                reason_en: "the case is closed; reopen it first".into(),
            }
        );
        match BinhAnError::from(CoreError::WeakPin(PinWeakness::Sequence)) {
            BinhAnError::WeakPin { reason_vi, .. } => assert!(reason_vi.contains("dãy số")),
            other => panic!("expected WeakPin, got {other:?}"),
        }
        assert_eq!(
            BinhAnError::from(CoreError::Refused {
                status: 409,
                code: "stale_epoch".into(),
                reason: "x".into()
            }),
            BinhAnError::Conflict {
                reason: "stale_epoch".into()
            }
        );
        let refused = |status: u16, code: &str| {
            BinhAnError::from(CoreError::Refused {
                status,
                code: code.into(),
                reason: "x".into(),
            })
        };
        assert_eq!(
            refused(403, "invalid_invitation"),
            BinhAnError::InvalidInvitation
        );
        assert_eq!(
            refused(401, "bad_token"),
            BinhAnError::Unauthorised {
                code: "bad_token".into()
            }
        );
        assert_eq!(
            refused(403, "not_a_member"),
            BinhAnError::Forbidden {
                code: "not_a_member".into()
            }
        );
        assert_eq!(refused(429, "rate_limited"), BinhAnError::RateLimited);
        assert_eq!(
            refused(400, "bad_label"),
            BinhAnError::Refused {
                status: 400,
                code: "bad_label".into()
            }
        );
        assert!(matches!(
            BinhAnError::from(CoreError::Encoding("bad".into())),
            BinhAnError::Internal { .. }
        ));
    }
}
