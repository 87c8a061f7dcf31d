//! Wall-clock time as the protocol writes it: RFC 3339 in UTC, and milliseconds since the epoch.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as RFC 3339 with milliseconds, in UTC.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
