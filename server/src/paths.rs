//! `~` in paths the user types, as the home folder.

use std::path::PathBuf;

/// `~` and `~/…` as the home folder; any other path as it is.
pub fn expand_home(p: &str) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    match (p, p.strip_prefix("~/")) {
        ("~", _) => home().unwrap_or_else(|| PathBuf::from(p)),
        (_, Some(rest)) => home().map_or_else(|| PathBuf::from(p), |h| h.join(rest)),
        _ => PathBuf::from(p),
    }
}
