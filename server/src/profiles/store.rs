//! `auth-profiles.json`, the one profile store of the machine, shared by every sidecar: the
//! document's shape, reads, and changes made under one cross-process lock (re-read, change, write
//! atomically, 0600 in a 0700 folder). On macOS the secret values live in the Keychain instead, one
//! item per profile; the file then holds everything but them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::protocol::ProfileType;
use crate::store::{FileLock, private_dir, write_durable};

pub const FILE: &str = "auth-profiles.json";
const LOCK: &str = "auth-profiles.lock";

/// A stored credential (CoderClaw's shape, plus `endpoint`). Keys Grove does not know are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    #[serde(rename = "type")]
    pub kind: Option<ProfileType>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// An API key, or an endpoint's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// A static bearer token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The secret values are in the Keychain item of this profile (macOS).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keychain: bool,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl Credential {
    /// Whether it carries what its type needs (an endpoint needs no secret).
    pub fn has_secret(&self) -> bool {
        let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        match self.kind {
            Some(ProfileType::ApiKey) => set(&self.key),
            Some(ProfileType::Token) => set(&self.token),
            Some(ProfileType::Oauth) => set(&self.access) || set(&self.refresh),
            Some(ProfileType::Endpoint) => self.base_url.is_some(),
            Some(ProfileType::Cli) | None => false,
        }
    }

    /// The secret fields alone (what the Keychain keeps).
    fn secrets(&self) -> Secrets {
        Secrets {
            key: self.key.clone(),
            token: self.token.clone(),
            access: self.access.clone(),
            refresh: self.refresh.clone(),
        }
    }

    fn set_secrets(&mut self, s: Secrets) {
        (self.key, self.token, self.access, self.refresh) = (s.key, s.token, s.access, s.refresh);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Secrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh: Option<String>,
}

impl Secrets {
    fn is_empty(&self) -> bool {
        *self == Secrets::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub message: String,
    /// Milliseconds since the epoch.
    pub at: u64,
}

/// What happened to a profile lately.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageStats {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown_until: Option<u64>,
    #[serde(default)]
    pub error_count: u32,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    #[serde(default = "version")]
    pub version: u32,
    #[serde(default)]
    pub profiles: BTreeMap<String, Credential>,
    #[serde(default)]
    pub order: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub usage: BTreeMap<String, UsageStats>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

fn version() -> u32 {
    1
}

impl Default for Document {
    fn default() -> Self {
        Self {
            version: 1,
            profiles: BTreeMap::new(),
            order: BTreeMap::new(),
            usage: BTreeMap::new(),
            rest: Map::new(),
        }
    }
}

/// Where secret values are kept apart from the file (the macOS Keychain), if anywhere.
pub trait Vault: Send + Sync {
    fn get(&self, id: &str) -> std::io::Result<Option<String>>;
    fn set(&self, id: &str, text: &str) -> std::io::Result<()>;
    fn delete(&self, id: &str) -> std::io::Result<()>;
}

/// One Keychain item per profile: service `Grove auth profiles`, account the profile id.
pub struct KeychainVault;

impl KeychainVault {
    pub const SERVICE: &'static str = "Grove auth profiles";
    fn entry(id: &str) -> std::io::Result<keyring::Entry> {
        keyring::Entry::new(Self::SERVICE, id).map_err(|e| std::io::Error::other(e.to_string()))
    }
}

impl Vault for KeychainVault {
    fn get(&self, id: &str) -> std::io::Result<Option<String>> {
        match Self::entry(id)?.get_password() {
            Ok(t) => Ok(Some(t)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }
    fn set(&self, id: &str, text: &str) -> std::io::Result<()> {
        Self::entry(id)?
            .set_password(text)
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
    fn delete(&self, id: &str) -> std::io::Result<()> {
        match Self::entry(id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }
}

/// The store in a state directory.
pub struct Store {
    dir: PathBuf,
    vault: Option<Box<dyn Vault>>,
}

impl Store {
    /// The store as this platform keeps it: secrets in the Keychain on macOS, in the file
    /// elsewhere.
    pub fn new(dir: PathBuf) -> Self {
        let vault: Option<Box<dyn Vault>> = if cfg!(target_os = "macos") {
            Some(Box::new(KeychainVault))
        } else {
            None
        };
        Self { dir, vault }
    }

    #[cfg(test)]
    pub fn with_vault(dir: PathBuf, vault: Box<dyn Vault>) -> Self {
        Self {
            dir,
            vault: Some(vault),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// The document with secrets filled in. A missing file is an empty store; an unreadable one
    /// is an error, never overwritten.
    pub fn read(&self) -> std::io::Result<Document> {
        let mut doc = self.read_file()?;
        if let Some(vault) = &self.vault {
            for (id, c) in doc.profiles.iter_mut().filter(|(_, c)| c.keychain) {
                if let Some(text) = vault.get(id)? {
                    c.set_secrets(serde_json::from_str(&text).unwrap_or_default());
                }
            }
        }
        Ok(doc)
    }

    fn read_file(&self) -> std::io::Result<Document> {
        let bytes = match std::fs::read(self.path()) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Document::default()),
            Err(e) => return Err(e),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Document::default());
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            std::io::Error::other(format!(
                "{} is not a profile store Grove can read ({e}); Grove leaves it as it is",
                self.path().display()
            ))
        })
    }

    /// When the file last changed, to notice other sidecars' changes cheaply.
    pub fn stamp(&self) -> Option<(std::time::SystemTime, u64)> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(self.path()).ok()?;
        Some((m.modified().ok()?, m.ino()))
    }

    /// Changes the document under the lock shared by every sidecar: a fresh read, `change`, and
    /// a write only when something changed. Blocking.
    pub fn update<T>(&self, change: impl FnOnce(&mut Document) -> T) -> std::io::Result<T> {
        private_dir(&self.dir)?;
        let _held = FileLock::exclusive(&self.dir.join(LOCK))?;
        let mut doc = self.read()?;
        let before = doc.clone();
        let out = change(&mut doc);
        if doc != before {
            self.write(&before, doc)?;
        }
        Ok(out)
    }

    fn write(&self, before: &Document, mut doc: Document) -> std::io::Result<()> {
        if let Some(vault) = &self.vault {
            for (id, c) in doc.profiles.iter_mut() {
                let secrets = c.secrets();
                let old = before.profiles.get(id).map(Credential::secrets);
                if old.as_ref() != Some(&secrets) {
                    if secrets.is_empty() {
                        vault.delete(id)?;
                    } else {
                        vault.set(id, &serde_json::to_string(&secrets)?)?;
                    }
                }
                c.keychain = !secrets.is_empty();
                c.set_secrets(Secrets::default());
            }
            for id in before.profiles.keys() {
                if !doc.profiles.contains_key(id) {
                    vault.delete(id)?;
                }
            }
        }
        let text = serde_json::to_vec_pretty(&doc)?;
        write_durable(&self.path(), &text, 0o600)
    }
}

/// The lock a profile's token refresh holds (shared by every run and sidecar).
pub fn refresh_lock(dir: &Path, id: &str) -> PathBuf {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    dir.join(format!("auth-profile-{safe}.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> PathBuf {
        std::env::temp_dir().join(format!("grove-profiles-{}", crate::store::nonce()))
    }

    #[test]
    fn unknown_keys_survive_a_change_and_the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp().join("state");
        let store = Store {
            dir: dir.clone(),
            vault: None,
        };
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            store.path(),
            r#"{"version":1,"lastGood":{"anthropic":"anthropic:a"},"profiles":{"anthropic:a":{"type":"api_key","provider":"anthropic","key":"sk-ant-api03-x","email":"e@x"}}}"#,
        )
        .unwrap();
        store
            .update(|d| {
                d.order
                    .insert("anthropic".into(), vec!["anthropic:a".into()])
            })
            .unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        assert_eq!(v["lastGood"]["anthropic"], "anthropic:a");
        assert_eq!(v["profiles"]["anthropic:a"]["email"], "e@x");
        assert_eq!(v["order"]["anthropic"][0], "anthropic:a");
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn an_unreadable_store_is_left_alone() {
        let dir = temp();
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store {
            dir: dir.clone(),
            vault: None,
        };
        std::fs::write(store.path(), "{not json").unwrap();
        assert!(store.update(|d| d.version = 2).is_err());
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "{not json");
    }

    #[test]
    fn with_a_keychain_the_file_holds_no_secret() {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        // The mock keeps a value per Entry object, so the test vault keeps its own map.
        #[derive(Default)]
        struct Mem(std::sync::Mutex<BTreeMap<String, String>>);
        impl Vault for Mem {
            fn get(&self, id: &str) -> std::io::Result<Option<String>> {
                Ok(self.0.lock().unwrap().get(id).cloned())
            }
            fn set(&self, id: &str, t: &str) -> std::io::Result<()> {
                self.0.lock().unwrap().insert(id.into(), t.into());
                Ok(())
            }
            fn delete(&self, id: &str) -> std::io::Result<()> {
                self.0.lock().unwrap().remove(id);
                Ok(())
            }
        }
        let store = Store::with_vault(temp(), Box::new(Mem::default()));
        store
            .update(|d| {
                d.profiles.insert(
                    "anthropic:w".into(),
                    Credential {
                        kind: Some(ProfileType::Token),
                        provider: "anthropic".into(),
                        token: Some("sk-ant-oat01-SECRETVALUE".into()),
                        ..Credential::default()
                    },
                )
            })
            .unwrap();
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(!text.contains("SECRETVALUE"), "{text}");
        assert!(text.contains("\"keychain\": true"));
        let doc = store.read().unwrap();
        assert_eq!(
            doc.profiles["anthropic:w"].token.as_deref(),
            Some("sk-ant-oat01-SECRETVALUE")
        );
        store.update(|d| d.profiles.remove("anthropic:w")).unwrap();
        assert!(store.read().unwrap().profiles.is_empty());
    }
}
