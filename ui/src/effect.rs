//! What the core asks of the platform, and the platform's clock.
//!
//! The shell (Compose, SwiftUI, the browser console) implements [`Shell`]
//! and hands it to [`crate::AppCore`]. Effects are fire-and-forget: the
//! core never waits for their result, and none of them carries case text.

use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// A platform effect the shell carries out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Effect {
    /// Take the app off the screen at once (move the task to the back, or
    /// finish it) and leave the recent-apps thumbnail blank.
    HideApp,
    /// Something changed in the background (a sync advanced or ended):
    /// call `view()` and draw it.
    Refresh,
    /// Get a location fix and send it back as `Event::Located` (the shell
    /// asks for the permission if it must).
    RequestLocation,
    /// Open the camera's QR scanner; send what it reads back as
    /// `Event::Scanned` (nothing if the person cancels).
    ScanCode,
    /// Open the phone's share sheet with this text (an invitation code).
    Share {
        /// What to share.
        text: String,
    },
    /// Open the phone's dialler with this number.
    Dial {
        /// The number, digits only (e.g. `113`).
        number: String,
    },
    /// Save this file where the person chooses (a phone's share sheet, the
    /// browser's download): the annual report's workbook or CSV, made of
    /// de-identified statistics only.
    SaveFile {
        /// The file's name, e.g. `bao-cao-blg-2026.xlsx`.
        name: String,
        /// Its media type.
        mime: String,
        /// Its content.
        bytes: Vec<u8>,
    },
}

/// The shell's side of the callback interface.
///
/// Called after the core has released its internal lock, so an
/// implementation may call [`crate::AppCore::send`] again (for example from
/// another thread) without deadlocking.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait Shell: Send + Sync {
    /// Carry out `effect`.
    fn effect(&self, effect: Effect);
}

/// Milliseconds since 1970 (UTC), replaceable in tests so that no test
/// sleeps: idle locking and countdowns read this clock.
pub trait Clock: Send + Sync {
    /// Now, in milliseconds since 1970-01-01T00:00:00Z.
    fn now_ms(&self) -> u64;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }
}
