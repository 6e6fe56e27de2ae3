//! JSON on standard output; errors as JSON on standard error with an exit
//! code a script can branch on.

use binhan_core::Error;
use serde_json::{json, Value};

/// Exit code: a value or action was refused (fix the input).
pub const EXIT_INVALID: i32 = 2;
/// Exit code: wrong PIN or too many attempts for now.
pub const EXIT_PIN: i32 = 3;
/// Exit code: the vault is erased.
pub const EXIT_ERASED: i32 = 4;
/// Exit code: stored data failed authentication.
pub const EXIT_TAMPERED: i32 = 5;

/// Prints `value` as pretty JSON.
pub fn print_json(value: &Value) {
    use std::io::Write;
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    // A closed pipe (e.g. `| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Prints `err` as JSON on standard error; returns the exit code.
pub fn print_error(err: &Error) -> i32 {
    let (kind, code, extra) = match err {
        Error::Invalid { field, rule } => (
            "invalid",
            EXIT_INVALID,
            json!({
                "field": field,
                "rule": rule.code(),
                "rule_vi": rule.text_vi(),
                "rule_en": rule.text_en(),
            }),
        ),
        Error::NotAllowed(refusal) => (
            "not_allowed",
            EXIT_INVALID,
            json!({
                "reason": refusal.code(),
                "reason_vi": refusal.text_vi(),
                "reason_en": refusal.text_en(),
            }),
        ),
        Error::WeakPin(w) => (
            "weak_pin",
            EXIT_INVALID,
            json!({"reason_vi": w.reason_vi(), "reason_en": w.reason_en()}),
        ),
        Error::WrongPin { remaining } => (
            "wrong_pin",
            EXIT_PIN,
            json!({"attempts_remaining": remaining}),
        ),
        Error::TooSoon { retry_after_secs } => (
            "too_soon",
            EXIT_PIN,
            json!({"retry_after_secs": retry_after_secs}),
        ),
        Error::Erased => ("erased", EXIT_ERASED, json!({})),
        Error::Tampered { record } => ("tampered", EXIT_TAMPERED, json!({"record": record})),
        Error::NotFound(_) => ("not_found", 1, json!({})),
        Error::Locked => ("locked", 1, json!({})),
        Error::NoVault => ("no_vault", 1, json!({})),
        Error::AlreadyExists => ("already_exists", 1, json!({})),
        Error::Revoked => ("revoked", EXIT_ERASED, json!({})),
        Error::Network(_) => ("network", 6, json!({})),
        Error::Refused { status, code, .. } => {
            ("refused", 6, json!({"status": status, "code": code}))
        }
        Error::NotEnrolled => ("not_enrolled", 1, json!({})),
        _ => ("error", 1, json!({})),
    };
    let mut body = json!({"kind": kind, "message": err.to_string()});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    eprintln!("{}", json!({ "error": body }));
    code
}
