//! Rate limits: a token bucket per key, in this process; per device for
//! authenticated requests, per client address for the requests made before
//! a device has a token (enrol, challenge, token).
//!
//! Limits protect the server, not correctness: with several processes each
//! enforces its own bucket, which is enough to stop a runaway device or a
//! stranger hammering the door.

use binhan_core::model::DeviceId;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Instant;

/// A token bucket per key (a device, or a client address).
#[derive(Debug)]
pub struct RateLimiter<K = DeviceId> {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// Allows bursts of `burst` requests and `per_minute` on average.
    pub fn new(burst: u32, per_minute: u32) -> Self {
        Self {
            capacity: f64::from(burst.max(1)),
            per_second: f64::from(per_minute) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; if none is left, the whole seconds until
    /// one is (for a `Retry-After`).
    pub fn take(&self, key: K) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            buckets
                .retain(|_, (tokens, at)| *tokens < self.capacity || at.elapsed().as_secs() < 600);
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.capacity, now));
        *tokens = (*tokens + at.elapsed().as_secs_f64() * self.per_second).min(self.capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else if self.per_second > 0.0 {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        } else {
            Err(60)
        }
    }

    /// Takes one token for `key`; false if none is left.
    pub fn allow(&self, key: K) -> bool {
        self.take(key).is_ok()
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

    /// A refusal says when to come back: when the next token is due.
    #[test]
    fn a_refusal_says_when_to_retry() {
        let limiter: RateLimiter<u8> = RateLimiter::new(1, 6);
        assert_eq!(limiter.take(1), Ok(()));
        let wait = limiter.take(1).unwrap_err();
        assert!((9..=10).contains(&wait), "one token every 10 s, not {wait}");
    }
}
