//! Instants with microsecond precision, and the strict RFC 3339 parser that
//! guards `sinceTimestamp`.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Serialize, Serializer};

/// A UTC instant, exact to the microsecond: what the database stores and
/// what goes out on the wire.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Why a string is not an accepted date-time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "must be an RFC 3339 date-time with a time zone, such as 2025-01-14T00:00:00.000Z \
     or 2025-01-14T00:00:00-04:00"
)]
pub struct TimestampError;

impl Timestamp {
    pub const EPOCH: Timestamp = Timestamp(0);

    pub fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    pub fn micros(self) -> i64 {
        self.0
    }

    /// Truncates to the microsecond. Truncation keeps "strictly after" exact:
    /// every stored instant is a whole microsecond.
    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        Self(at.timestamp_micros())
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.0).unwrap_or_default()
    }

    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds.saturating_mul(1_000_000)))
    }

    /// The next representable instant, used to keep `createdAt` strictly
    /// increasing within a dock.
    pub fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }

    /// Parses RFC 3339 strictly: `T` between date and time, seconds 00-59,
    /// a `Z` or `±hh:mm` offset, and any number of fractional digits.
    pub fn parse_rfc3339(raw: &str) -> Result<Self, TimestampError> {
        let bytes = raw.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Result<u32, TimestampError> {
            let part = bytes.get(range).ok_or(TimestampError)?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(TimestampError);
            }
            std::str::from_utf8(part)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or(TimestampError)
        };
        let expect = |at: usize, allowed: &[u8]| match bytes.get(at) {
            Some(b) if allowed.contains(b) => Ok(()),
            _ => Err(TimestampError),
        };

        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        expect(4, b"-")?;
        expect(7, b"-")?;
        expect(10, b"Tt")?;
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        expect(13, b":")?;
        expect(16, b":")?;

        let mut at = 19;
        let mut nanos = 0u32;
        if bytes.get(at) == Some(&b'.') {
            let start = at + 1;
            let end = start
                + bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            if end == start {
                return Err(TimestampError);
            }
            // Digits past the nanosecond cannot change a microsecond instant.
            let kept = &raw[start..end.min(start + 9)];
            nanos =
                kept.parse::<u32>().map_err(|_| TimestampError)? * 10u32.pow(9 - kept.len() as u32);
            at = end;
        }

        let offset_seconds = match bytes.get(at) {
            Some(b'Z' | b'z') if at + 1 == bytes.len() => 0,
            Some(sign @ (b'+' | b'-')) if at + 6 == bytes.len() => {
                expect(at + 3, b":")?;
                let (oh, om) = (digits(at + 1..at + 3)?, digits(at + 4..at + 6)?);
                if oh > 23 || om > 59 {
                    return Err(TimestampError);
                }
                let seconds = (oh * 3600 + om * 60) as i32;
                if *sign == b'-' {
                    -seconds
                } else {
                    seconds
                }
            }
            _ => return Err(TimestampError),
        };

        let year = i32::try_from(year).map_err(|_| TimestampError)?;
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(TimestampError)?;
        // from_hms_nano_opt would accept second 60 as a leap second; we do not.
        if second > 59 {
            return Err(TimestampError);
        }
        let time =
            NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or(TimestampError)?;
        let offset = FixedOffset::east_opt(offset_seconds).ok_or(TimestampError)?;
        let local = offset
            .from_local_datetime(&date.and_time(time))
            .single()
            .ok_or(TimestampError)?;
        Ok(Self::from_datetime(local.with_timezone(&Utc)))
    }

    /// RFC 3339 in UTC with all six fractional digits, so that a timestamp
    /// sent back to us is the same instant.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Timestamp::parse_rfc3339(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_with_six_fractional_digits_is_exact() {
        let at = Timestamp::parse_rfc3339("2025-01-14T00:00:00.123456+05:30").expect("valid");

        assert_eq!(at.to_rfc3339(), "2025-01-13T18:30:00.123456Z");
    }

    #[test]
    fn accepted_forms() {
        for raw in [
            "2025-01-14T00:00:00Z",
            "2025-01-14T00:00:00.000Z",
            "2025-01-14T00:00:00.1234567891234Z",
            "2025-01-14T00:00:00-04:00",
            "2024-02-29T23:59:59.5+14:00",
        ] {
            assert!(Timestamp::parse_rfc3339(raw).is_ok(), "{raw} should parse");
        }
    }

    #[test]
    fn refused_forms() {
        for raw in [
            "2025-01-14T00:00:00",
            "2025-01-14T00:00:00-0400",
            "2025-01-14",
            "2025-02-30T00:00:00Z",
            "2016-12-31T23:59:60Z",
            "2025-01-14T00:00:00 05:30",
            "2025-01-14T24:00:00Z",
            "2025-01-14 00:00:00Z",
            "2025-01-14T00:00:00.Z",
            "2025-01-14T00:00:00Zjunk",
            "+2025-01-14T00:00:00Z",
            "",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(raw), Err(TimestampError), "{raw}");
        }
    }

    #[test]
    fn formatting_round_trips() {
        let at = Timestamp::from_micros(1_736_812_800_000_001);

        assert_eq!(Timestamp::parse_rfc3339(&at.to_rfc3339()), Ok(at));
    }
}
