//! The console's side of the core's callback interface: effects wait for
//! the next page, a background change (a sync that advanced) wakes the
//! page's long poll, and the file of the last `SaveFile` waits for the
//! page to download it (forgotten at quick exit).

use binhan_ui::{Effect, Shell};
use std::sync::Mutex;
use tokio::sync::watch;

/// A file the core asked to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SavedFile {
    pub(crate) name: String,
    pub(crate) mime: String,
    pub(crate) bytes: Vec<u8>,
}

/// Collects effects for the next response.
pub(crate) struct ConsoleShell {
    effects: Mutex<Vec<Effect>>,
    refreshed: watch::Sender<u64>,
    file: Mutex<Option<SavedFile>>,
}

impl Default for ConsoleShell {
    fn default() -> Self {
        Self {
            effects: Mutex::new(Vec::new()),
            refreshed: watch::channel(0).0,
            file: Mutex::new(None),
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

    /// The file of the last `SaveFile`, if any.
    pub(crate) fn file(&self) -> Option<SavedFile> {
        self.file.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Forgets the file (the vault locked).
    pub(crate) fn forget_file(&self) {
        self.keep_file(None);
    }

    fn keep_file(&self, file: Option<SavedFile>) {
        *self.file.lock().unwrap_or_else(|p| p.into_inner()) = file;
    }
}

impl Shell for ConsoleShell {
    fn effect(&self, effect: Effect) {
        if effect == Effect::Refresh {
            self.refreshed.send_modify(|g| *g += 1);
        } else {
            match &effect {
                Effect::SaveFile { name, mime, bytes } => self.keep_file(Some(SavedFile {
                    name: name.clone(),
                    mime: mime.clone(),
                    bytes: bytes.clone(),
                })),
                Effect::HideApp => self.keep_file(None),
                _ => {}
            }
            self.effects
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(effect);
        }
    }
}
