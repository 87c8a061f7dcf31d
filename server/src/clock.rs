//! Wall-clock time as the protocol writes it: RFC 3339 in UTC, and milliseconds since the epoch.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The last millisecond RFC 3339 can write (9999-12-31T23:59:59.999Z). Later times (from a file,
/// a token or a clock set wrong) are written as this one: humantime refuses them, and a refused
/// `Display` would panic in `to_string`.
pub const LATEST_MS: u64 = 253_402_300_799_999;

/// `ms` since the epoch as RFC 3339 in UTC, to the second; past the year 9999 it is the last
/// second of 9999. Never panics.
pub fn rfc3339_seconds(ms: u64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.min(LATEST_MS));
    let mut out = String::new();
    // Cannot fail within LATEST_MS; if it ever did, an empty string is written, not a panic.
    let _ = std::fmt::write(
        &mut out,
        format_args!("{}", humantime::format_rfc3339_seconds(t)),
    );
    out
}

/// `ms` since the epoch as RFC 3339 in UTC with milliseconds, clamped as `rfc3339_seconds`.
pub fn rfc3339_millis(ms: u64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.min(LATEST_MS));
    let mut out = String::new();
    let _ = std::fmt::write(
        &mut out,
        format_args!("{}", humantime::format_rfc3339_millis(t)),
    );
    out
}

/// Now, as RFC 3339 with milliseconds, in UTC (a clock before 1970 reads as 1970, one past 9999
/// as 9999: never a panic).
pub fn now_rfc3339() -> String {
    rfc3339_millis(now_ms())
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_time_is_written_and_none_panics() {
        assert_eq!(rfc3339_seconds(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339_millis(1_800_000_000_123),
            "2027-01-15T08:00:00.123Z"
        );
        for far in [LATEST_MS, LATEST_MS + 1, 253_402_300_800_000, u64::MAX] {
            assert_eq!(rfc3339_seconds(far), "9999-12-31T23:59:59Z");
            assert_eq!(rfc3339_millis(far), "9999-12-31T23:59:59.999Z");
        }
        assert!(now_rfc3339().ends_with('Z'));
    }
}
