//! The clock the failed-attempt delays count on, injectable for tests.
//!
//! It is the time since the phone started, counting sleep: the person (or
//! whoever holds the phone) can set the date and time, but not this clock,
//! so moving the date forwards skips no delay and moving it back adds none.
//! It starts again near zero when the phone restarts; the vault then sees it
//! go back and starts the current delay again, whole.

/// A clock in whole seconds that only moves forwards while the phone runs
/// and that the person cannot set.
pub trait Clock: Send + Sync {
    /// Seconds since an arbitrary start, at most the last boot of the phone.
    fn now_secs(&self) -> u64;
}

/// The phone's time since boot: `CLOCK_BOOTTIME` on Android and Linux,
/// `CLOCK_MONOTONIC` (which counts sleep there) on iOS and macOS. Elsewhere,
/// where no app runs, the wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn now_secs(&self) -> u64 {
        seconds(rustix::time::clock_gettime(rustix::time::ClockId::Boottime))
    }

    #[cfg(target_vendor = "apple")]
    fn now_secs(&self) -> u64 {
        seconds(rustix::time::clock_gettime(
            rustix::time::ClockId::Monotonic,
        ))
    }

    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    fn now_secs(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn seconds(at: rustix::time::Timespec) -> u64 {
    u64::try_from(at.tv_sec).unwrap_or(0)
}
