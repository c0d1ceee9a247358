//! How often policyholders and auditors may try to sign in. The limits are
//! kept in memory: a restart forgives everyone, and two servers each keep
//! their own count (the per-phone budget of wrong codes is in the database
//! and is exact).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
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

/// The key an address is counted under. One IPv6 subscriber usually holds
/// a whole /64, so it counts as one address; an unknown peer shares one key.
pub fn network_of(ip: Option<IpAddr>) -> IpAddr {
    match ip {
        None => Ipv4Addr::UNSPECIFIED.into(),
        Some(IpAddr::V4(v4)) => v4.into(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.into(),
            None => Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX)).into(),
        },
    }
}

/// Counts a try by `key`; when `limiter` has no room for it, the seconds
/// to send as `Retry-After`.
pub fn wait_for<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Option<u64> {
    crate::rate_limit::wait_for(limiter, key).map(crate::rate_limit::whole_seconds)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> Option<IpAddr> {
        Some(raw.parse().expect("address"))
    }

    #[test]
    fn an_ipv6_subscriber_counts_as_one_address_per_64() {
        assert_eq!(
            network_of(ip("2001:db8:1:2:aaaa::1")),
            network_of(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            network_of(ip("2001:db8:1:2::1")),
            network_of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            network_of(ip("::ffff:198.51.100.7")),
            network_of(ip("198.51.100.7"))
        );
        assert_ne!(
            network_of(ip("198.51.100.7")),
            network_of(ip("198.51.100.8"))
        );
        assert_eq!(network_of(None), network_of(ip("0.0.0.0")));
    }
}
