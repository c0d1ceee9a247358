//! The one question every rate limit here asks: may this key go now, and
//! if not, how long until it may.

use std::hash::Hash;
use std::time::Duration;

use governor::clock::Clock;
use governor::DefaultKeyedRateLimiter;

/// Counts a try by `key`; when `limiter` has no room for it, how long until
/// it will.
pub fn wait_for<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Option<Duration> {
    let refused = limiter.check_key(key).err()?;
    Some(refused.wait_time_from(limiter.clock().now()))
}

/// `wait` as `Retry-After` seconds: rounded up, and never zero.
pub fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}
