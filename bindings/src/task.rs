//! Long operations: run on a tokio runtime owned by this layer, report
//! progress to a listener the app implements, and stop when the app cancels
//! the [`TaskHandle`] or drops it (`close()` in Kotlin, `deinit` in Swift),
//! after matrix-rust-sdk's `TaskHandle`.
//!
//! The listener hears `on_finished` exactly once, and no progress after it.

use crate::error::BinhAnError;
use binhan_core::app::{RoadSyncReport, VerifyReport};
use binhan_core::shelters::roads::RoadImportReport;
use binhan_core::sync::wire::Invitation;
use binhan_core::sync::CancelFlag;
use binhan_core::sync::{Enrolment, SyncReport};
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

/// The layer's runtime: two workers are plenty on a phone; blocking work
/// (SQLite, Argon2id) goes to its blocking pool.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("binhan-task")
        .enable_all()
        .build()
        // Without a runtime no long operation can run; there is nothing to fall back to.
        .expect("the tokio runtime starts")
});

/// What a long operation is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ProgressPhase {
    /// Verifying the store (`verifyStore`): items are cases.
    Verifying,
    /// Sync: getting a token from the server.
    Authenticating,
    /// Sync: sending this device's changes.
    Pushing,
    /// Sync: receiving others' changes.
    Pulling,
    /// Sync: sending snapshots for new team members.
    Snapshots,
    /// Importing a road network (`importRoadNetwork`): 0 of 1, then 1 of 1.
    ImportingRoads,
}

/// How far a long operation has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Progress {
    /// What it is doing; `done` and `total` count within this phase.
    pub phase: ProgressPhase,
    /// Items done.
    pub done: u64,
    /// Items in all (may grow while the operation learns more).
    pub total: u64,
}

/// How a long operation ended.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum TaskOutcome {
    /// The store was verified.
    Verified {
        /// What was checked and what could not be read.
        report: VerifyReport,
    },
    /// A sync ended (`Vault.sync`).
    Synced {
        /// What it pushed and pulled.
        report: SyncReport,
    },
    /// This device enrolled (`Vault.enrol`).
    Enrolled {
        /// Its role and commune.
        enrolment: Enrolment,
    },
    /// An invitation code was issued (`Vault.invite`).
    Invited {
        /// The code to type on the new device.
        invitation: Invitation,
    },
    /// A road network was imported (`Vault.importRoadNetwork`).
    RoadsImported {
        /// What the import found.
        report: RoadImportReport,
    },
    /// A road network update was downloaded and installed
    /// (`Vault.downloadRoadUpdate`).
    RoadsDownloaded {
        /// The version installed and the bytes fetched.
        report: RoadSyncReport,
    },
    /// A shelter directory publication was uploaded
    /// (`Vault.publishShelterDirectory`).
    DirectoryPublished {
        /// The directory version it brings devices to.
        version: u64,
        /// False if the server already had it (publishing is idempotent).
        stored: bool,
    },
    /// The server accepted the change (revoking a device, changing a team).
    Done,
    /// It failed.
    Failed {
        /// Why.
        error: BinhAnError,
    },
    /// It was cancelled (by `cancel()` or by dropping the handle); what was
    /// done so far is kept.
    Cancelled,
}

/// What the app implements to follow a long operation. Called on a
/// background thread; post to the UI thread from there.
#[uniffi::export(with_foreign)]
pub trait TaskListener: Send + Sync {
    /// Progress so far; called often, keep it cheap.
    fn on_progress(&self, progress: Progress);
    /// Called exactly once, when the operation ends.
    fn on_finished(&self, outcome: TaskOutcome);
}

/// A running long operation. Cancelling it, or dropping the last reference
/// to it, stops the operation at its next step.
#[derive(uniffi::Object)]
pub struct TaskHandle {
    cancel: CancelFlag,
    abort: AbortHandle,
}

#[uniffi::export]
impl TaskHandle {
    /// Asks the operation to stop; the listener then hears `Cancelled`
    /// (unless the operation had already ended).
    pub fn cancel(&self) {
        self.cancel.cancel();
        self.abort.abort();
    }

    /// Whether the operation has ended (finished, failed or cancelled).
    pub fn is_finished(&self) -> bool {
        self.abort.is_finished()
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Passes progress and the outcome to the app's listener: the outcome once,
/// and nothing after it.
#[derive(Clone)]
pub(crate) struct Reporter {
    listener: Arc<dyn TaskListener>,
    finished: Arc<Mutex<bool>>,
}

impl Reporter {
    /// Reports progress, unless the operation has already ended.
    pub(crate) fn progress(&self, phase: ProgressPhase, done: u64, total: u64) {
        let finished = self.finished.lock().unwrap_or_else(|p| p.into_inner());
        if !*finished {
            self.listener.on_progress(Progress { phase, done, total });
        }
    }

    fn finish(&self, outcome: TaskOutcome) {
        let mut finished = self.finished.lock().unwrap_or_else(|p| p.into_inner());
        if !*finished {
            *finished = true;
            drop(finished);
            self.listener.on_finished(outcome);
        }
    }
}

/// Reports `Cancelled` when the task's future is dropped before it ended
/// (the task was aborted), or an internal error if it panicked.
struct FinishOnDrop(Reporter);

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        let outcome = if std::thread::panicking() {
            TaskOutcome::Failed {
                error: BinhAnError::Internal {
                    reason: "the operation panicked".into(),
                },
            }
        } else {
            TaskOutcome::Cancelled
        };
        self.0.finish(outcome);
    }
}

/// Starts `work` on the layer's runtime and returns its handle. `work` gets
/// the reporter for progress and the flag that says it was cancelled.
pub(crate) fn spawn<F, Fut>(listener: Arc<dyn TaskListener>, work: F) -> Arc<TaskHandle>
where
    F: FnOnce(Reporter, CancelFlag) -> Fut,
    Fut: Future<Output = Result<TaskOutcome, BinhAnError>> + Send + 'static,
{
    let reporter = Reporter {
        listener,
        finished: Arc::new(Mutex::new(false)),
    };
    let cancel = CancelFlag::default();
    let future = work(reporter.clone(), cancel.clone());
    let guard = FinishOnDrop(reporter);
    let join = RUNTIME.spawn(async move {
        let outcome = match future.await {
            Ok(outcome) => outcome,
            Err(BinhAnError::Cancelled) => TaskOutcome::Cancelled,
            Err(error) => TaskOutcome::Failed { error },
        };
        guard.0.finish(outcome);
    });
    Arc::new(TaskHandle {
        cancel,
        abort: join.abort_handle(),
    })
}

/// Runs blocking work (SQLite, crypto) off the runtime's workers.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, BinhAnError>
where
    F: FnOnce() -> Result<T, BinhAnError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BinhAnError::Internal {
            reason: if e.is_panic() {
                "the operation panicked".into()
            } else {
                "the operation was stopped".into()
            },
        })?
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    struct Channel(Mutex<mpsc::Sender<Result<Progress, TaskOutcome>>>);

    impl TaskListener for Channel {
        fn on_progress(&self, progress: Progress) {
            let _ = self.0.lock().unwrap().send(Ok(progress));
        }
        fn on_finished(&self, outcome: TaskOutcome) {
            let _ = self.0.lock().unwrap().send(Err(outcome));
        }
    }

    fn listener() -> (
        Arc<dyn TaskListener>,
        mpsc::Receiver<Result<Progress, TaskOutcome>>,
    ) {
        let (tx, rx) = mpsc::channel();
        (Arc::new(Channel(Mutex::new(tx))), rx)
    }

    fn outcome(rx: &mpsc::Receiver<Result<Progress, TaskOutcome>>) -> TaskOutcome {
        loop {
            match rx
                .recv_timeout(Duration::from_secs(10))
                .expect("an outcome")
            {
                Ok(_) => continue,
                Err(outcome) => return outcome,
            }
        }
    }

    #[test]
    fn dropping_the_handle_cancels_a_pending_operation_once() {
        let (l, rx) = listener();
        let handle = spawn(l, |_, _| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(TaskOutcome::Cancelled)
        });
        assert!(!handle.is_finished());
        drop(handle);
        assert_eq!(outcome(&rx), TaskOutcome::Cancelled);
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
    }

    #[test]
    fn errors_and_panics_become_failed_outcomes() {
        let (l, rx) = listener();
        let _h = spawn(l, |_, _| async { Err(BinhAnError::Locked) });
        assert_eq!(
            outcome(&rx),
            TaskOutcome::Failed {
                error: BinhAnError::Locked
            }
        );
        let (l, rx) = listener();
        let _h = spawn(l, |_, _| async {
            blocking(|| -> Result<(), BinhAnError> { panic!("synthetic panic") }).await?;
            Ok(TaskOutcome::Cancelled)
        });
        assert!(matches!(
            outcome(&rx),
            TaskOutcome::Failed {
                error: BinhAnError::Internal { .. }
            }
        ));
    }

    #[test]
    fn the_cancel_flag_stops_blocking_work_between_steps() {
        let (l, rx) = listener();
        let (started_tx, started_rx) = mpsc::channel();
        let handle = spawn(l, move |reporter, cancel| async move {
            blocking(move || {
                for i in 0.. {
                    if cancel.is_cancelled() {
                        return Err(BinhAnError::Cancelled);
                    }
                    reporter.progress(ProgressPhase::Verifying, i, 1_000_000);
                    if i == 0 {
                        let _ = started_tx.send(());
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(())
            })
            .await?;
            Ok(TaskOutcome::Cancelled)
        });
        started_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        handle.cancel();
        assert_eq!(outcome(&rx), TaskOutcome::Cancelled);
        // No progress after the outcome.
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        for _ in 0..100 {
            if handle.is_finished() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the task did not end");
    }
}
