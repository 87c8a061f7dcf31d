//! Where things live on disk: the claude CLI's config directory and its credentials file, and
//! `~` in paths the user types.

use std::path::PathBuf;

/// `$CLAUDE_CONFIG_DIR`, else `~/.claude`, as the CLI itself decides.
pub fn claude_config_dir() -> Option<PathBuf> {
    match std::env::var_os("CLAUDE_CONFIG_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".claude")),
    }
}

/// The file the CLI keeps its sign-in in (outside the macOS Keychain).
pub const CREDENTIALS_FILE: &str = ".credentials.json";

/// `~` and `~/…` as the home folder; any other path as it is.
pub fn expand_home(p: &str) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    match (p, p.strip_prefix("~/")) {
        ("~", _) => home().unwrap_or_else(|| PathBuf::from(p)),
        (_, Some(rest)) => home().map_or_else(|| PathBuf::from(p), |h| h.join(rest)),
        _ => PathBuf::from(p),
    }
}
