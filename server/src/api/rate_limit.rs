//! Per-device rate limits: a token bucket per device, in this process.
//!
//! Limits protect the server, not correctness: with several processes each
//! enforces its own bucket, which is enough to stop a runaway device.

use binhan_core::model::DeviceId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// A token bucket per device.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<DeviceId, (f64, Instant)>>,
}

impl RateLimiter {
    /// Allows bursts of `burst` requests and `per_minute` on average.
    pub fn new(burst: u32, per_minute: u32) -> Self {
        Self {
            capacity: f64::from(burst.max(1)),
            per_second: f64::from(per_minute) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `device`; false if none is left.
    pub fn allow(&self, device: DeviceId) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            buckets
                .retain(|_, (tokens, at)| *tokens < self.capacity || at.elapsed().as_secs() < 600);
        }
        let (tokens, at) = buckets.entry(device).or_insert((self.capacity, now));
        *tokens = (*tokens + at.elapsed().as_secs_f64() * self.per_second).min(self.capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusal_per_device() {
        let limiter = RateLimiter::new(3, 0);
        let (a, b) = (DeviceId::random(), DeviceId::random());
        assert!(limiter.allow(a) && limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b), "other devices are not affected");
    }
}
