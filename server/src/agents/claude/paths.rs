//! Where the claude CLI keeps things on disk: its config directory and its credentials file.

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
