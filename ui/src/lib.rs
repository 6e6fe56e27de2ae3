//! Bình An's screens, decided in Rust.
//!
//! The Android, iOS and browser shells draw what [`AppCore`] computes and
//! send back what the person did:
//!
//! ```text
//! shell ──Event──▶ AppCore::send ──▶ ViewModel ──▶ shell draws it
//!                      │
//!                      └──Effect──▶ Shell::effect (hide the app, dial, …)
//! ```
//!
//! - [`Event`]: what the person did (a key, a field, a tap), or a lifecycle
//!   change (background, tick).
//! - [`ViewModel`]: the whole screen ([`Screen`], one variant per screen
//!   kind), every text in the chosen language, every [`Action`] enabled or
//!   disabled with a coded [`Reason`], every field's error at once.
//! - [`Shell`]: the callback interface for platform effects ([`Effect`]).
//!
//! `send` never fails: a refusal is part of the next view. See `docs/ui.md`
//! for the camouflage sequence and the lock rules.

mod background;
mod core;
pub mod effect;
pub mod event;
mod flows;
mod format;
pub mod qr;
mod render;
pub mod screens;
mod text;
pub mod view;

pub use crate::core::{AppCore, Options};
pub use effect::{Clock, Effect, Shell, SystemClock};
pub use event::{CalcKey, Event, Field, PinKey, Target};
pub use view::{Action, Choice, LabelledValue, Notice, NoticeLevel, Reason, Screen, ViewModel};

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

#[cfg(test)]
mod tests;
