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
            Some(ProfileType::Cli | ProfileType::Unknown) | None => false,
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
    /// What else another program keeps here (CoderClaw's counters), kept.
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// The most the store file may hold: a read refuses a larger file and a write never makes one.
pub const MAX_BYTES: u64 = 4 << 20;

/// An entry of `profiles` Grove cannot run (a type it does not know, fields of the wrong shape):
/// listed with why, never used, and written back exactly as it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unusable {
    pub raw: Value,
    pub why: String,
}

/// The whole document. Entries Grove cannot read are kept aside, as they were, and written back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawDocument", into = "RawDocument")]
pub struct Document {
    pub version: u32,
    pub profiles: BTreeMap<String, Credential>,
    pub order: BTreeMap<String, Vec<String>>,
    pub usage: BTreeMap<String, UsageStats>,
    pub rest: Map<String, Value>,
    /// Entries of `profiles` that are not credentials Grove can run, by id.
    pub unusable: BTreeMap<String, Unusable>,
    /// Entries of `order` and `usage` of another shape, kept as they were.
    odd_order: Map<String, Value>,
    odd_usage: Map<String, Value>,
}

/// The document as JSON has it: each entry parsed on its own, so that one odd entry spoils
/// nothing else.
#[derive(Serialize, Deserialize)]
struct RawDocument {
    #[serde(default = "version")]
    version: u32,
    #[serde(default)]
    profiles: Map<String, Value>,
    #[serde(default)]
    order: Map<String, Value>,
    #[serde(default)]
    usage: Map<String, Value>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

fn version() -> u32 {
    1
}

impl Default for Document {
    fn default() -> Self {
        RawDocument {
            version: 1,
            profiles: Map::new(),
            order: Map::new(),
            usage: Map::new(),
            rest: Map::new(),
        }
        .into()
    }
}

/// Each entry of `raw` that parses as a `T` that is `fine` in the first map, the others as they
/// were in the second.
fn split<T: serde::de::DeserializeOwned>(
    raw: Map<String, Value>,
    fine: impl Fn(&T) -> bool,
) -> (BTreeMap<String, T>, Map<String, Value>) {
    let (mut good, mut odd) = (BTreeMap::new(), Map::new());
    for (k, v) in raw {
        match T::deserialize(&v).ok().filter(&fine) {
            Some(t) => {
                good.insert(k, t);
            }
            None => {
                odd.insert(k, v);
            }
        }
    }
    (good, odd)
}

impl From<RawDocument> for Document {
    fn from(raw: RawDocument) -> Self {
        // "unknown" is how a listing names a type Grove does not know: no credential has it.
        let (profiles, odd) =
            split::<Credential>(raw.profiles, |c| c.kind != Some(ProfileType::Unknown));
        let unusable = odd
            .into_iter()
            .map(|(id, raw)| {
                let why = why_unusable(&raw);
                (id, Unusable { raw, why })
            })
            .collect();
        let (order, odd_order) = split(raw.order, |_: &Vec<String>| true);
        let (usage, odd_usage) = split(raw.usage, |_: &UsageStats| true);
        Self {
            version: raw.version,
            profiles,
            order,
            usage,
            rest: raw.rest,
            unusable,
            odd_order,
            odd_usage,
        }
    }
}

impl From<Document> for RawDocument {
    fn from(doc: Document) -> Self {
        let value = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
        let mut profiles: Map<String, Value> = doc
            .unusable
            .into_iter()
            .map(|(id, u)| (id, u.raw))
            .collect();
        for (id, c) in doc.profiles {
            profiles.insert(id, value(serde_json::to_value(c)));
        }
        let mut order = doc.odd_order;
        for (p, ids) in doc.order {
            order.insert(p, value(serde_json::to_value(ids)));
        }
        let mut usage = doc.odd_usage;
        for (id, u) in doc.usage {
            usage.insert(id, value(serde_json::to_value(u)));
        }
        Self {
            version: doc.version,
            profiles,
            order,
            usage,
            rest: doc.rest,
        }
    }
}

/// Why an entry is not a credential Grove can run, in words that repeat no value but its type.
fn why_unusable(raw: &Value) -> String {
    let Some(entry) = raw.as_object() else {
        return "It is not a profile Grove can read; Grove keeps it as it is. Remove it if it is not needed.".into();
    };
    match entry.get("type") {
        Some(Value::String(t))
            if !matches!(
                ProfileType::deserialize(&Value::String(t.clone())),
                Ok(k) if k != ProfileType::Unknown
            ) =>
        {
            let shown: String = t.chars().take(40).collect();
            format!(
                "Its type {shown:?} is not one this Grove knows (a newer Grove may have written it); Grove keeps it as it is and never uses it."
            )
        }
        Some(_) | None => "Its fields are not what a profile of its type has; Grove keeps it as it is and never uses it. Remove it and add it again.".into(),
    }
}

impl Document {
    /// Every id in the store, usable or not.
    pub fn ids(&self) -> Vec<String> {
        self.profiles
            .keys()
            .chain(self.unusable.keys())
            .cloned()
            .collect()
    }

    /// Whether an entry of this id is in the store, usable or not.
    pub fn has(&self, id: &str) -> bool {
        self.profiles.contains_key(id) || self.unusable.contains_key(id)
    }

    /// The document in `bytes`, read from `path` (named in the error, which repeats no content).
    /// Blank is empty.
    pub fn parse(bytes: &[u8], path: &Path) -> std::io::Result<Self> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        serde_json::from_slice(bytes).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Data => "not the shape of a profile store",
                _ => "not JSON",
            };
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} is not a profile store Grove can read ({what} at line {}, column {}); Grove leaves it as it is: fix it, or move it away to start a new store",
                    path.display(),
                    e.line(),
                    e.column()
                ),
            )
        })
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

    /// The file, if it is a regular file of at most `MAX_BYTES` (never a FIFO, a device or a
    /// link: a read must neither hang nor fill memory).
    fn read_file(&self) -> std::io::Result<Document> {
        let path = self.path();
        let bytes = match crate::store::read_bounded(&path, MAX_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Document::default()),
            Err(e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!("{e}: move it away to start a new profile store"),
                ));
            }
        };
        Document::parse(&bytes, &path)
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

    /// Writes `doc`: its size checked first, then the Keychain items changed, then the file. A
    /// write refused for its size changes nothing, in the file or in the Keychain.
    fn write(&self, before: &Document, mut doc: Document) -> std::io::Result<()> {
        let changes = match &self.vault {
            Some(_) => vault_changes(before, &mut doc)?,
            None => Vec::new(),
        };
        let text = serde_json::to_vec_pretty(&doc)?;
        if text.len() as u64 > MAX_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!(
                    "{} would grow over {} MiB; nothing was changed: remove profiles that are no longer needed",
                    self.path().display(),
                    MAX_BYTES >> 20
                ),
            ));
        }
        if let Some(vault) = &self.vault {
            for (id, secrets) in changes {
                match secrets {
                    Some(text) => vault.set(&id, &text)?,
                    None => vault.delete(&id)?,
                }
            }
        }
        write_durable(&self.path(), &text, 0o600)
    }
}

/// What the Keychain must change for `doc` (per id: the secrets to set, or None to delete the
/// item), with the secrets taken out of `doc` (the file keeps only `keychain: true`). Touches
/// nothing.
fn vault_changes(
    before: &Document,
    doc: &mut Document,
) -> std::io::Result<Vec<(String, Option<String>)>> {
    let mut changes = Vec::new();
    for (id, c) in doc.profiles.iter_mut() {
        let secrets = c.secrets();
        let old = before.profiles.get(id).map(Credential::secrets);
        if old.as_ref() != Some(&secrets) {
            let text = match secrets.is_empty() {
                true => None,
                false => Some(serde_json::to_string(&secrets)?),
            };
            changes.push((id.clone(), text));
        }
        c.keychain = !secrets.is_empty();
        c.set_secrets(Secrets::default());
    }
    for id in before.profiles.keys() {
        if !doc.profiles.contains_key(id) {
            changes.push((id.clone(), None));
        }
    }
    Ok(changes)
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

    /// A vault in memory (keyring's mock keeps a value per Entry object, so tests keep a map).
    #[derive(Default, Clone)]
    struct Mem(std::sync::Arc<std::sync::Mutex<BTreeMap<String, String>>>);

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

    #[test]
    fn a_write_refused_for_its_size_changes_no_secret_in_the_keychain() {
        let vault = Mem::default();
        let dir = temp();
        let store = Store::with_vault(dir.clone(), Box::new(vault.clone()));
        let token = |t: &str| Credential {
            kind: Some(ProfileType::Token),
            provider: "anthropic".into(),
            token: Some(t.into()),
            ..Credential::default()
        };
        store
            .update(|d| {
                d.profiles
                    .insert("anthropic:a".into(), token("sk-ant-oat01-A"));
                d.profiles
                    .insert("anthropic:b".into(), token("sk-ant-oat01-B"));
            })
            .unwrap();
        let kept = vault.0.lock().unwrap().clone();
        assert_eq!(kept.len(), 2);
        let big = || Value::String("x".repeat(1 << 20));
        let err = store
            .update(|d| {
                d.profiles.get_mut("anthropic:a").unwrap().token = Some("sk-ant-oat01-NEW".into());
                d.profiles.remove("anthropic:b");
                d.profiles
                    .insert("anthropic:c".into(), token("sk-ant-oat01-C"));
                for i in 0..5 {
                    d.rest.insert(format!("junk{i}"), big());
                }
            })
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
        assert_eq!(*vault.0.lock().unwrap(), kept, "the Keychain is as it was");
        let doc = store.read().unwrap();
        assert_eq!(
            doc.profiles["anthropic:a"].token.as_deref(),
            Some("sk-ant-oat01-A")
        );
        assert!(doc.profiles.contains_key("anthropic:b"));
    }

    fn plain(dir: PathBuf) -> Store {
        std::fs::create_dir_all(&dir).unwrap();
        Store { dir, vault: None }
    }

    #[test]
    fn an_entry_of_an_unknown_type_is_kept_as_it_was_and_spoils_nothing() {
        let store = plain(temp());
        let future = serde_json::json!({"type": "passkey", "provider": "anthropic", "blob": {"z": 1, "a": [2]}});
        let broken = serde_json::json!({"type": "api_key", "provider": "anthropic", "key": 5});
        let doc = serde_json::json!({
            "version": 1,
            "profiles": {
                "anthropic:future": future,
                "anthropic:broken": broken,
                "anthropic:ok": {"type": "api_key", "provider": "anthropic", "key": "sk-ant-api03-x"}
            },
            "order": {"anthropic": ["anthropic:ok"], "odd": 7},
            "usage": {"anthropic:ok": {"errorCount": 1}, "anthropic:odd": "yes"}
        });
        std::fs::write(store.path(), doc.to_string()).unwrap();
        let read = store.read().unwrap();
        assert_eq!(read.profiles.len(), 1);
        assert!(read.unusable["anthropic:future"].why.contains("passkey"));
        assert!(read.unusable["anthropic:broken"].why.contains("fields"));
        assert!(!read.unusable["anthropic:broken"].why.contains('5'));
        assert!(read.has("anthropic:future") && !read.has("anthropic:none"));
        store
            .update(|d| {
                d.order
                    .insert("anthropic".into(), vec!["anthropic:future".into()]);
            })
            .unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        assert_eq!(v["profiles"]["anthropic:future"], future);
        assert_eq!(v["profiles"]["anthropic:broken"], broken);
        assert_eq!(v["order"]["odd"], 7);
        assert_eq!(v["usage"]["anthropic:odd"], "yes");
        assert_eq!(v["order"]["anthropic"][0], "anthropic:future");
    }

    #[test]
    fn a_fifo_a_device_link_or_a_large_file_is_refused_at_once_naming_it() {
        let fifo = plain(temp());
        let path = std::ffi::CString::new(fifo.path().to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        let zero = plain(temp());
        std::os::unix::fs::symlink("/dev/zero", zero.path()).unwrap();
        let big = plain(temp());
        std::fs::File::create(big.path())
            .unwrap()
            .set_len(MAX_BYTES + 1)
            .unwrap();
        for store in [&fifo, &zero, &big] {
            let began = std::time::Instant::now();
            let err = store.read().unwrap_err().to_string();
            assert!(err.contains(FILE), "{err}");
            let err = store.update(|d| d.version = 2).unwrap_err().to_string();
            assert!(err.contains(FILE), "{err}");
            assert!(began.elapsed() < std::time::Duration::from_secs(1));
            // The lock was let go.
            drop(FileLock::exclusive(&store.dir.join(LOCK)).unwrap());
        }
        assert_eq!(
            std::fs::metadata(big.path()).unwrap().len(),
            MAX_BYTES + 1,
            "left alone"
        );
    }

    #[test]
    fn a_write_never_makes_a_store_too_large_to_read() {
        let store = plain(temp());
        let err = store
            .update(|d| {
                for i in 0..400 {
                    d.profiles.insert(
                        format!("anthropic:k{i}"),
                        Credential {
                            kind: Some(ProfileType::ApiKey),
                            provider: "anthropic".into(),
                            key: Some("k".repeat(16 * 1024)),
                            ..Credential::default()
                        },
                    );
                }
            })
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
        assert!(!store.path().exists());
    }

    /// JSON of any shape, with the store's own words among its keys and strings.
    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let words = prop::sample::select(vec![
            "version",
            "profiles",
            "order",
            "usage",
            "type",
            "provider",
            "key",
            "token",
            "access",
            "refresh",
            "expires",
            "baseUrl",
            "label",
            "keychain",
            "lastUsed",
            "cooldownUntil",
            "errorCount",
            "lastFailure",
            "api_key",
            "oauth",
            "endpoint",
            "cli",
            "unknown",
            "passkey",
            "anthropic",
            "anthropic:a",
            "openai:b",
        ]);
        let key = prop_oneof![words.clone().prop_map(String::from), ".{0,6}"];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u32>().prop_map(Value::from),
            // Times and counts at and past what a date or a counter can hold.
            prop::sample::select(vec![
                253_402_300_799_999u64,
                253_402_300_800_000,
                u64::from(u32::MAX),
                u64::MAX / 1000 + 1,
                u64::MAX,
            ])
            .prop_map(Value::from),
            // Floats that JSON text gives back exactly (serde_json reads long ones to the
            // nearest representable value only within one unit in the last place).
            any::<i32>().prop_map(|n| Value::from(f64::from(n) / 8.0)),
            words.prop_map(Value::from),
            ".{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// A credential and its usage as Grove writes them, with times and counts of any size.
    fn credential_and_usage() -> impl proptest::strategy::Strategy<Value = (Value, Value)> {
        use proptest::prelude::*;
        let number = prop_oneof![
            any::<u64>(),
            prop::sample::select(vec![
                0,
                1_800_000_000_000u64,
                253_402_300_799_999,
                253_402_300_800_000,
                u64::MAX,
            ]),
        ];
        let kind = prop::sample::select(vec!["token", "oauth", "api_key", "endpoint"]);
        (
            kind,
            prop::option::of(number.clone()),
            prop::option::of(number.clone()),
            prop::option::of(number.clone()),
            prop::option::of(number),
            any::<u32>(),
        )
            .prop_map(|(kind, expires, used, until, at, errors)| {
                let mut c = serde_json::json!({"type": kind, "provider": "anthropic", "token": "t-1",
                    "key": "k-1", "access": "a-1", "refresh": "r-1", "baseUrl": "http://127.0.0.1:9"});
                let mut u = serde_json::json!({ "errorCount": errors });
                if let Some(v) = expires {
                    c["expires"] = v.into();
                }
                for (k, v) in [("lastUsed", used), ("cooldownUntil", until)] {
                    if let Some(v) = v {
                        u[k] = v.into();
                    }
                }
                if let Some(at) = at {
                    u["lastFailure"] = serde_json::json!({"message": "401", "at": at});
                }
                (c, u)
            })
    }

    /// What the client would be sent for `doc`: every profile's status, as the listing makes
    /// it, and a failure recorded on each.
    fn listing(doc: &Document) -> Vec<crate::protocol::Profile> {
        use super::super::status;
        let reach = std::collections::HashMap::new();
        let own = [status::Own {
            id: "anthropic:own".into(),
            status: crate::protocol::ProfileStatus::Ok,
            detail: Some("Logged in".into()),
        }];
        let facts = status::Facts {
            now: 1_800_000_000_000,
            own: &own,
            reach: &reach,
        };
        let mut failed = doc.clone();
        for u in failed.usage.values_mut() {
            status::fail(u, "401", facts.now);
        }
        status::list(doc, &facts).1
    }

    #[test]
    fn property_any_json_or_bytes_as_the_store_never_panics_and_survives_a_write() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let shaped = (any_json(), any_json(), any_json(), any_json()).prop_map(|(p, o, u, r)| {
            serde_json::json!({"version": 1, "profiles": {"anthropic:a": p, "openai:b": r}, "order": {"anthropic": o}, "usage": {"anthropic:a": u}})
        });
        let credentials = (credential_and_usage(), any_json()).prop_map(|((c, u), o)| {
            serde_json::json!({"version": 1, "profiles": {"anthropic:c": c}, "order": {"anthropic": o}, "usage": {"anthropic:c": u}})
        });
        let doc = prop_oneof![
            any_json().prop_map(|v| v.to_string().into_bytes()),
            shaped.prop_map(|v| v.to_string().into_bytes()),
            credentials.prop_map(|v| v.to_string().into_bytes()),
            proptest::collection::vec(any::<u8>(), 0..300),
        ];
        let path = Path::new("/state/auth-profiles.json");
        TestRunner::new(Config::with_cases(10_000))
            .run(&doc, |bytes| {
                let Ok(doc) = Document::parse(&bytes, path) else {
                    return Ok(());
                };
                // Written and read again: the same document, odd entries as they were.
                let written = serde_json::to_vec_pretty(&doc).unwrap();
                let again = Document::parse(&written, path).unwrap();
                prop_assert_eq!(&again, &doc);
                let input: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                for (id, u) in &doc.unusable {
                    prop_assert_eq!(&input["profiles"][id], &u.raw);
                    prop_assert!(!u.why.is_empty());
                }
                // The listing of it: a status for every profile, and every time a date.
                let listed = listing(&doc);
                prop_assert!(listed.len() > doc.profiles.len());
                for p in &listed {
                    for t in [&p.expires_at, &p.cooldown_until, &p.last_used]
                        .into_iter()
                        .flatten()
                    {
                        prop_assert!(humantime::parse_rfc3339(t).is_ok(), "{}", t);
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}
