//! The PIN pad: unlock, wrong-PIN attempts and the countdown between them.

use super::form::MAX_PIN_CHARS;
use crate::event::{Event, PinKey};
use crate::text::{Why, T};
use crate::view::{Action, Reason};
use binhan_core::model::Lang;
use binhan_core::vault::VaultPolicy;
use serde::Serialize;
use zeroize::Zeroizing;

/// What the PIN pad shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PinPadView {
    /// "Enter your PIN".
    pub prompt: String,
    /// Characters entered (drawn as dots).
    pub filled: u32,
    /// After a wrong PIN: "Wrong PIN, N attempts left"; or another problem.
    pub problem: Option<Reason>,
    /// While a delay runs: the seconds left and the text to show. The
    /// shell is sent a tick every second to redraw it.
    pub countdown: Option<Countdown>,
    /// Whether the digit keys take input (not during a countdown).
    pub keys_enabled: bool,
    /// The unlock button.
    pub submit: Action,
}

/// A running countdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Countdown {
    /// Whole seconds left (rounded up).
    pub seconds_left: u64,
    /// "Try again in 0:30".
    pub reason: Reason,
}

/// The PIN pad's state.
#[derive(Debug, Default)]
pub(crate) struct PinPad {
    /// What was entered.
    pub(crate) entry: Zeroizing<String>,
    /// Attempts left, after a wrong PIN.
    pub(crate) wrong: Option<u32>,
    /// When the next attempt is allowed (ms since 1970, the UI clock).
    pub(crate) retry_at_ms: Option<u64>,
    /// Another problem to show (an empty entry, storage failure).
    pub(crate) problem: Option<Why>,
}

impl PinPad {
    /// Seconds still to wait at `now_ms`, if a delay runs.
    pub(crate) fn wait_secs(&self, now_ms: u64) -> Option<u64> {
        let at = self.retry_at_ms?;
        (now_ms < at).then(|| (at - now_ms).div_ceil(1000))
    }

    /// Forgets what was typed and any message, keeping the delay.
    pub(crate) fn reset_entry(&mut self) {
        self.entry = Zeroizing::new(String::new());
        self.problem = None;
    }

    /// Replaces the entry with typed text (a passphrase).
    pub(crate) fn set_entry(&mut self, value: &str) {
        let mut text = Zeroizing::new(String::with_capacity(value.len()));
        text.extend(value.chars().take(MAX_PIN_CHARS));
        self.entry = text;
        self.problem = None;
    }

    /// A key other than Submit; `Err` with the refusal during a delay.
    pub(crate) fn key(&mut self, key: PinKey, now_ms: u64) -> Result<(), Why> {
        if let Some(secs) = self.wait_secs(now_ms) {
            return Err(Why::WaitToRetry { secs });
        }
        match key {
            PinKey::Digit { digit } if digit <= 9 => {
                if self.entry.chars().count() < MAX_PIN_CHARS {
                    self.entry.push(char::from(b'0' + digit));
                }
                self.problem = None;
            }
            PinKey::Digit { .. } => return Err(Why::NotAvailableHere),
            PinKey::Backspace => {
                self.entry.pop();
            }
            PinKey::Submit => {}
        }
        Ok(())
    }

    /// After a wrong PIN with `remaining` attempts left: the delay the
    /// policy sets before the next one (the vault refuses earlier attempts
    /// with `TooSoon` in any case, which then sets the countdown exactly).
    pub(crate) fn wrong_pin(&mut self, remaining: u32, policy: &VaultPolicy, now_ms: u64) {
        self.reset_entry();
        self.wrong = Some(remaining);
        let failed = policy.max_attempts.saturating_sub(remaining);
        let delay = policy.delay_after(failed);
        self.retry_at_ms = (delay > 0).then(|| now_ms.saturating_add(delay.saturating_mul(1000)));
    }

    /// The vault said to wait `secs` more.
    pub(crate) fn too_soon(&mut self, secs: u64, now_ms: u64) {
        self.reset_entry();
        self.retry_at_ms = Some(now_ms.saturating_add(secs.saturating_mul(1000)));
    }

    /// The view at `now_ms` in `lang`.
    pub(crate) fn view(&self, lang: Lang, now_ms: u64) -> PinPadView {
        let wait = self.wait_secs(now_ms);
        let problem = self
            .problem
            .or(self.wrong.map(|remaining| Why::WrongPin { remaining }))
            .map(|why| why.reason(lang));
        let countdown = wait.map(|secs| Countdown {
            seconds_left: secs,
            reason: Why::WaitToRetry { secs }.reason(lang),
        });
        let refusal = match wait {
            Some(secs) => Some(Why::WaitToRetry { secs }),
            None if self.entry.is_empty() => Some(Why::PinRequired),
            None => None,
        };
        PinPadView {
            prompt: T::PinTitle.get(lang),
            filled: u32::try_from(self.entry.chars().count()).unwrap_or(u32::MAX),
            problem,
            countdown,
            keys_enabled: wait.is_none(),
            submit: Action::new(
                T::Unlock.get(lang),
                Event::PinPad {
                    key: PinKey::Submit,
                },
            )
            .unless(refusal.map(|why| why.reason(lang))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> VaultPolicy {
        VaultPolicy {
            max_attempts: 5,
            free_attempts: 2,
            base_delay_secs: 30,
            max_delay_secs: 600,
        }
    }

    #[test]
    fn a_delay_counts_down_and_blocks_the_keys() {
        let mut pad = PinPad::default();
        pad.wrong_pin(4, &policy(), 1_000);
        assert_eq!(pad.wait_secs(1_000), None, "first failure is free");
        pad.wrong_pin(3, &policy(), 2_000);
        assert_eq!(pad.wait_secs(2_000), Some(30));
        assert_eq!(pad.wait_secs(2_001), Some(30), "rounded up");
        assert_eq!(pad.wait_secs(31_000), Some(1));
        assert_eq!(pad.wait_secs(32_000), None);
        assert_eq!(
            pad.key(PinKey::Digit { digit: 1 }, 3_000),
            Err(Why::WaitToRetry { secs: 29 })
        );
        let view = pad.view(Lang::Vi, 3_000);
        assert!(!view.keys_enabled && !view.submit.enabled);
        assert_eq!(view.countdown.unwrap().reason.text, "Chờ 0:29 rồi thử lại");
        assert_eq!(view.problem.unwrap().text, "Sai mã PIN, còn 3 lần thử");
    }

    #[test]
    fn unlock_is_disabled_until_something_is_entered() {
        let mut pad = PinPad::default();
        let view = pad.view(Lang::En, 0);
        assert_eq!(view.submit.disabled_reason.unwrap().code, "pin_required");
        pad.key(PinKey::Digit { digit: 4 }, 0).unwrap();
        assert!(pad.view(Lang::En, 0).submit.enabled);
        assert_eq!(
            pad.key(PinKey::Digit { digit: 10 }, 0),
            Err(Why::NotAvailableHere)
        );
    }
}
