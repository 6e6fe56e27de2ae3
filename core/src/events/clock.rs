//! Hybrid logical clock: wall-clock milliseconds with a counter, so stamps
//! follow real time where clocks agree and still order every event a device
//! has seen before the events it makes next.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// Bits of an [`Hlc`] that hold the logical counter.
const COUNTER_BITS: u32 = 16;

/// A hybrid logical clock reading: milliseconds since 1970 in the high 48
/// bits, a counter in the low 16. Compares as one integer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Hlc(pub u64);

impl Hlc {
    /// The reading for `wall_ms` with counter 0.
    pub fn from_wall_ms(wall_ms: u64) -> Self {
        Self(wall_ms << COUNTER_BITS)
    }

    /// Milliseconds since 1970.
    pub fn wall_ms(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    /// The wall-clock part as a UTC time.
    pub fn to_utc(self) -> DateTime<Utc> {
        let ms = i64::try_from(self.wall_ms()).unwrap_or(i64::MAX);
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }
}

/// A source of wall-clock milliseconds (replaceable in tests).
pub type WallClock = fn() -> u64;

/// The system's wall clock in milliseconds since 1970.
pub fn system_wall_ms() -> u64 {
    u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0)
}

/// A device's hybrid logical clock. Thread-safe.
#[derive(Debug)]
pub struct HlcClock {
    last: Mutex<Hlc>,
    wall: WallClock,
}

impl HlcClock {
    /// A clock that has already seen `last` (e.g. the newest stored stamp).
    pub fn new(last: Hlc, wall: WallClock) -> Self {
        Self {
            last: Mutex::new(last),
            wall,
        }
    }

    /// A fresh reading for a local event, greater than every reading before.
    pub fn tick(&self) -> Hlc {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let physical = Hlc::from_wall_ms((self.wall)());
        *last = physical.max(Hlc(last.0.saturating_add(1)));
        *last
    }

    /// Takes note of a reading from another device, so the next local event
    /// orders after it.
    pub fn observe(&self, remote: Hlc) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        *last = (*last).max(remote);
    }

    /// The newest reading issued or observed.
    pub fn last(&self) -> Hlc {
        *self.last.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frozen() -> u64 {
        1_780_000_000_000
    }

    #[test]
    fn ticks_increase_even_when_the_wall_clock_stands_still() {
        let clock = HlcClock::new(Hlc::default(), frozen);
        let a = clock.tick();
        let b = clock.tick();
        assert!(b > a);
        assert_eq!(a.wall_ms(), frozen());
        assert_eq!(b.wall_ms(), frozen());
    }

    #[test]
    fn observing_a_later_reading_moves_the_clock_past_it() {
        let clock = HlcClock::new(Hlc::default(), frozen);
        let remote = Hlc::from_wall_ms(frozen() + 60_000);
        clock.observe(remote);
        assert!(clock.tick() > remote);
        assert_eq!(remote.to_utc().timestamp_millis() as u64, frozen() + 60_000);
    }
}
