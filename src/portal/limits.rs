//! How often policyholders and auditors may try to sign in. The limits are
//! kept in memory: a restart forgives everyone, and two servers each keep
//! their own count (the per-phone budget of wrong codes is in the database
//! and is exact).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct SignInLimits {
    /// Codes asked for from one address: 10 at once, then one a minute.
    pub code_requests_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Codes asked for one number, registered or not: 5 an hour.
    pub code_requests_per_phone: DefaultKeyedRateLimiter<String>,
    /// Codes, badges and NDA hashes tried from one address: 30 at once,
    /// then one every 20 seconds.
    pub attempts_per_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl SignInLimits {
    /// Forgets addresses and numbers whose budget has refilled, so that a
    /// flood of distinct ones does not grow the server's memory for good.
    pub fn forget_the_idle(&self) {
        self.code_requests_per_ip.retain_recent();
        self.code_requests_per_phone.retain_recent();
        self.attempts_per_ip.retain_recent();
    }
}

fn n(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).unwrap_or(NonZeroU32::MIN)
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self {
            code_requests_per_ip: RateLimiter::keyed(Quota::per_minute(n(1)).allow_burst(n(10))),
            code_requests_per_phone: RateLimiter::keyed(Quota::per_hour(n(5))),
            attempts_per_ip: RateLimiter::keyed(
                Quota::with_period(std::time::Duration::from_secs(20))
                    .unwrap_or_else(|| Quota::per_minute(n(3)))
                    .allow_burst(n(30)),
            ),
        }
    }
}
