//! The claude CLI's own credential store — the macOS Keychain item `Claude Code-credentials`, or
//! `<claude config dir>/.credentials.json` — read and changed key by key: every change re-reads
//! the store under a lock shared by all sidecars, touches only its own keys, keeps every other
//! key as it was, and writes atomically with the file's mode. Only usage and secrets use it.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::paths::{CREDENTIALS_FILE, claude_config_dir};
use crate::store::{FileLock, private_dir, write_durable};

/// Where the CLI keeps its credentials: a JSON document, read and written whole.
pub trait Store: Send + Sync {
    fn read(&self) -> std::io::Result<Option<String>>;
    fn write(&self, text: &str) -> std::io::Result<()>;
}

/// `<config dir>/.credentials.json`.
pub struct FileStore {
    pub path: PathBuf,
}

impl Store for FileStore {
    fn read(&self) -> std::io::Result<Option<String>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the file atomically, keeping its mode (0600 for a new one, in a 0700 folder).
    fn write(&self, text: &str) -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        if !dir.exists() {
            private_dir(dir)?;
        }
        let mode = std::fs::metadata(&self.path).map_or(0o600, |m| m.permissions().mode() & 0o777);
        write_durable(&self.path, text.as_bytes(), mode)
    }
}

/// A keyring entry (the macOS Keychain in production; keyring's mock store in tests).
pub struct KeychainStore {
    pub entry: keyring::Entry,
}

impl KeychainStore {
    pub const SERVICE: &'static str = "Claude Code-credentials";

    pub fn for_user() -> keyring::Result<Self> {
        let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
        Ok(Self {
            entry: keyring::Entry::new(Self::SERVICE, &user)?,
        })
    }
}

impl Store for KeychainStore {
    fn read(&self) -> std::io::Result<Option<String>> {
        match self.entry.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }

    fn write(&self, text: &str) -> std::io::Result<()> {
        self.entry
            .set_password(text)
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// The store the CLI uses on this machine.
pub fn cli_store() -> Box<dyn Store> {
    if cfg!(target_os = "macos")
        && let Ok(k) = KeychainStore::for_user()
    {
        return Box::new(k);
    }
    let dir = claude_config_dir().unwrap_or_else(|| PathBuf::from(".claude"));
    Box::new(FileStore {
        path: dir.join(CREDENTIALS_FILE),
    })
}

/// The store's document as a JSON object (empty when there is none). A document that is not a
/// JSON object is an error: Grove never overwrites what it cannot read.
pub fn read_object(store: &dyn Store) -> std::io::Result<Map<String, Value>> {
    match store.read()? {
        None => Ok(Map::new()),
        Some(text) if text.trim().is_empty() => Ok(Map::new()),
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(std::io::Error::other(
                "the claude CLI's credential store is not a JSON object; Grove leaves it alone",
            )),
        },
    }
}

/// Changes the store's document under the shared lock: a fresh read, `change`, a write only if
/// something changed. Blocking.
pub fn update<T>(
    store: &dyn Store,
    lock: &Path,
    change: impl FnOnce(&mut Map<String, Value>) -> T,
) -> std::io::Result<T> {
    let _held = FileLock::exclusive(lock)?;
    update_locked(store, change)
}

/// `update` for a caller that already holds the lock.
pub fn update_locked<T>(
    store: &dyn Store,
    change: impl FnOnce(&mut Map<String, Value>) -> T,
) -> std::io::Result<T> {
    let mut doc = read_object(store)?;
    let before = doc.clone();
    let out = change(&mut doc);
    if doc != before {
        store.write(&serde_json::to_string(&Value::Object(doc))?)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keychain_documents_keep_every_other_key() {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        let store = KeychainStore {
            entry: keyring::Entry::new(KeychainStore::SERVICE, "tester").unwrap(),
        };
        assert_eq!(read_object(&store).unwrap().len(), 0, "no item yet");
        // The mock keeps one entry per Entry object, as a real keychain item would be.
        let original = r#"{"claudeAiOauth":{"accessToken":"a","expiresAt":1795000000000,"scopes":["x"]},"zeta":1,"alpha":{"n":2.5}}"#;
        store.write(original).unwrap();
        let lock = std::env::temp_dir().join(format!("grove-cred-{}.lock", crate::store::nonce()));
        update(&store, &lock, |doc| {
            doc.entry("pluginSecrets")
                .or_insert_with(|| Value::Object(Map::new()))["k"] = "v".into();
        })
        .unwrap();
        let after: Value = serde_json::from_str(&store.read().unwrap().unwrap()).unwrap();
        let before: Value = serde_json::from_str(original).unwrap();
        assert_eq!(after["claudeAiOauth"], before["claudeAiOauth"]);
        assert_eq!(after["zeta"], 1);
        assert_eq!(after["alpha"], before["alpha"]);
        assert_eq!(after["pluginSecrets"]["k"], "v");
        let keys: Vec<&String> = after.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["claudeAiOauth", "zeta", "alpha", "pluginSecrets"],
            "order kept"
        );
        let _ = std::fs::remove_file(lock);
    }

    #[test]
    fn an_unreadable_store_is_never_overwritten() {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        let store = KeychainStore {
            entry: keyring::Entry::new(KeychainStore::SERVICE, "broken").unwrap(),
        };
        store.write("not json").unwrap();
        assert!(update_locked(&store, |doc| doc.insert("x".into(), 1.into())).is_err());
        assert_eq!(store.read().unwrap().as_deref(), Some("not json"));
    }
}
