//! The console's side of the core's callback interface: effects wait for
//! the next page, and a background change (a sync that advanced) wakes the
//! page's long poll.

use binhan_ui::{Effect, Shell};
use std::sync::Mutex;
use tokio::sync::watch;

/// Collects effects for the next response.
pub(crate) struct ConsoleShell {
    effects: Mutex<Vec<Effect>>,
    refreshed: watch::Sender<u64>,
}

impl Default for ConsoleShell {
    fn default() -> Self {
        Self {
            effects: Mutex::new(Vec::new()),
            refreshed: watch::channel(0).0,
        }
    }
}

impl ConsoleShell {
    /// The effects asked for since the last call.
    pub(crate) fn take(&self) -> Vec<Effect> {
        std::mem::take(&mut *self.effects.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Puts effects back for the next page (a plain form's post is
    /// followed by a get that draws them).
    pub(crate) fn restore(&self, effects: Vec<Effect>) {
        let mut kept = self.effects.lock().unwrap_or_else(|p| p.into_inner());
        let newer = std::mem::replace(&mut *kept, effects);
        kept.extend(newer);
    }

    /// How many background changes there have been.
    pub(crate) fn generation(&self) -> u64 {
        *self.refreshed.borrow()
    }

    /// Watches the background changes.
    pub(crate) fn watch(&self) -> watch::Receiver<u64> {
        self.refreshed.subscribe()
    }
}

impl Shell for ConsoleShell {
    fn effect(&self, effect: Effect) {
        if effect == Effect::Refresh {
            self.refreshed.send_modify(|g| *g += 1);
        } else {
            self.effects
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(effect);
        }
    }
}
