//! Profiles of CoderClaw / OpenClaw (`$CODERCLAW_STATE_DIR`, `~/.coderclaw`, `~/.openclaw`): their
//! `agents/*/agent/auth-profiles.json` stores and the legacy `credentials/oauth.json`, read only.
//! Import copies ids Grove lacks, each through the checks `add` makes (and cleaned as `add` cleans
//! it); what is refused is skipped with why; nothing else changes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::input;
use super::store::{Credential, Document};
use crate::error::Error;
use crate::protocol::ProfileType;

/// The most CoderClaw stores read, and the most entries taken from all of them.
const MAX_STORES: usize = 64;
const MAX_ENTRIES: usize = 1000;
/// The most bytes of one file read (each a regular file, never a FIFO, a device or a link).
const MAX_FILE: u64 = 4 << 20;

/// The state folders to look in, those that exist.
fn roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(d) = std::env::var_os("CODERCLAW_STATE_DIR").filter(|d| !d.is_empty()) {
        roots.push(PathBuf::from(d));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        roots.push(home.join(".coderclaw"));
        roots.push(home.join(".openclaw"));
    }
    roots.retain(|r| r.is_dir());
    roots
}

fn read_json(path: &std::path::Path) -> Option<Value> {
    let bytes = crate::store::read_regular(path, MAX_FILE)?;
    serde_json::from_slice(&bytes).ok()
}

/// The entries of a CoderClaw store's `profiles`, whatever the bytes are.
fn entries(bytes: &[u8]) -> serde_json::Map<String, Value> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(mut doc)) => match doc.remove("profiles") {
            Some(Value::Object(profiles)) => profiles,
            _ => serde_json::Map::new(),
        },
        _ => serde_json::Map::new(),
    }
}

/// Every credential found, by id; the first found of an id wins.
pub fn found() -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for root in roots() {
        let mut stores: Vec<PathBuf> = std::fs::read_dir(root.join("agents"))
            .into_iter()
            .flatten()
            .flatten()
            .take(10 * MAX_STORES)
            .map(|e| e.path().join("agent").join("auth-profiles.json"))
            .collect();
        stores.sort();
        stores.truncate(MAX_STORES);
        for store in stores {
            let bytes = crate::store::read_regular(&store, MAX_FILE).unwrap_or_default();
            for (id, c) in entries(&bytes) {
                if out.len() < MAX_ENTRIES {
                    out.entry(id).or_insert(c);
                }
            }
        }
        // Legacy: `{provider: {access, refresh, expires, …}}`, one OAuth sign-in per provider.
        if let Some(Value::Object(legacy)) = read_json(&root.join("credentials/oauth.json")) {
            for (provider, c) in legacy {
                if c.is_object() && out.len() < MAX_ENTRIES {
                    let mut c = c;
                    c["type"] = "oauth".into();
                    c["provider"] = provider.clone().into();
                    out.entry(format!("{provider}:default")).or_insert(c);
                }
            }
        }
    }
    out
}

/// The words of a refusal.
fn words(e: Error) -> String {
    match e {
        Error::InvalidParams { message, .. } => message,
        other => other.to_string(),
    }
}

/// A string field of the entry, if it is one.
fn text<'a>(c: &'a Value, field: &str) -> Option<&'a str> {
    c.get(field).and_then(Value::as_str)
}

/// A found credential as `add` would store it (the same checks, the same cleaning, nothing
/// else of the entry), or why not.
fn checked(id: &str, c: &Value) -> Result<Credential, String> {
    let (provider, name) = id
        .split_once(':')
        .ok_or("Its id is not \"<provider>:<name>\".")?;
    if !c.is_object() {
        return Err("It is not a credential.".into());
    }
    let kind: ProfileType = c
        .get("type")
        .and_then(|t| serde::Deserialize::deserialize(t).ok())
        .ok_or("Its type is not one Grove can run.")?;
    if text(c, "provider").is_some_and(|p| p != provider) {
        return Err("Its provider is not the one its id names.".into());
    }
    input::check_kind(provider, kind).map_err(words)?;
    input::check_name(name).map_err(words)?;
    let mut cred = Credential {
        kind: Some(kind),
        provider: provider.to_string(),
        label: input::check_label(text(c, "label")).map_err(words)?,
        ..Credential::default()
    };
    match kind {
        ProfileType::Token => {
            let t = text(c, "token").ok_or("It holds no token.")?;
            cred.token = Some(input::secret(provider, kind, t).map_err(words)?);
            cred.expires = expiry(c)?;
        }
        ProfileType::ApiKey => {
            let k = text(c, "key").ok_or("It holds no key.")?;
            cred.key = Some(input::secret(provider, kind, k).map_err(words)?);
        }
        ProfileType::Endpoint => endpoint(provider, c, &mut cred)?,
        ProfileType::Oauth => {
            for (field, slot) in [("access", &mut cred.access), ("refresh", &mut cred.refresh)] {
                if let Some(t) = text(c, field).filter(|t| !t.is_empty()) {
                    input::check_opaque("Its token", t).map_err(words)?;
                    *slot = Some(t.to_string());
                }
            }
            if let Some(a) = text(c, "accountId") {
                input::check_opaque("Its account id", a).map_err(words)?;
                cred.account_id = Some(a.to_string());
            }
            cred.expires = expiry(c)?;
        }
        ProfileType::Cli | ProfileType::Unknown => return Err("It cannot be imported.".into()),
    }
    if !cred.has_secret() {
        return Err("It holds no secret.".into());
    }
    Ok(cred)
}

/// The entry's expiry, when it has one a date can say (a later one is refused, never kept: the
/// listing writes every expiry as a date).
fn expiry(c: &Value) -> Result<Option<u64>, String> {
    match c.get("expires").and_then(Value::as_u64) {
        Some(ms) => Ok(Some(input::check_expires(ms).map_err(words)?)),
        None => Ok(None),
    }
}

/// An endpoint's URL and key, as `add` takes them.
fn endpoint(provider: &str, c: &Value, cred: &mut Credential) -> Result<(), String> {
    let url = match text(c, "baseUrl").filter(|u| !u.trim().is_empty()) {
        Some(u) => input::base_url(u).map_err(words)?,
        None => input::default_url(provider).ok_or("It has no base URL.")?,
    };
    cred.key = input::endpoint_key(text(c, "key").unwrap_or("")).map_err(words)?;
    let needs_key = input::kind(provider, ProfileType::Endpoint)
        .is_some_and(|k| k.secret == crate::protocol::SecretAsk::Required);
    if needs_key && cred.key.is_none() {
        return Err("A gateway needs its API key, and it has none.".into());
    }
    cred.base_url = Some(url);
    Ok(())
}

/// An id as a listing may show it: as it is when short and plain, else escaped and cut.
fn shown(id: &str) -> String {
    let plain = id.chars().count() <= 200
        && !id
            .chars()
            .any(|c| c.is_control() || crate::workspaces::names::invisible(c));
    if plain {
        id.to_string()
    } else {
        let cut: String = id.chars().take(100).collect();
        format!("{}…", cut.escape_debug())
    }
}

/// What an import would do: (id, credential) taken, (id, why) skipped.
pub type Plan = (Vec<(String, Credential)>, Vec<(String, String)>);

/// What importing `found` into `doc` would do.
pub fn plan(doc: &Document, found: &BTreeMap<String, Value>) -> Plan {
    let (mut take, mut skip) = (Vec::new(), Vec::new());
    for (id, c) in found {
        if doc.has(id) {
            skip.push((
                shown(id),
                "Grove has a profile with this id already.".into(),
            ));
            continue;
        }
        match checked(id, c) {
            Ok(cred) => take.push((id.clone(), cred)),
            Err(why) => skip.push((shown(id), why)),
        }
    }
    (take, skip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "sk-ant-api03-FAKEefghijklmnopqrstuvwxyz0123456789";

    fn token() -> String {
        format!("sk-ant-oat01-{}", "Tok3n_-".repeat(14))
    }

    /// Whether `add` (and the sign-in, for OAuth) would have stored exactly this.
    fn passes_add(id: &str, c: &Credential) -> bool {
        let Some((provider, name)) = id.split_once(':') else {
            return false;
        };
        let Some(kind) = c.kind else { return false };
        let same = |a: &Option<String>, b: Result<String, Error>| b.ok().as_ref() == a.as_ref();
        let label_ok = input::check_label(c.label.as_deref())
            .is_ok_and(|l| l.as_deref() == c.label.as_deref());
        let secret_ok = match kind {
            ProfileType::Token => same(
                &c.token,
                input::secret(provider, kind, c.token.as_deref().unwrap_or("")),
            ),
            ProfileType::ApiKey => same(
                &c.key,
                input::secret(provider, kind, c.key.as_deref().unwrap_or("")),
            ),
            ProfileType::Endpoint => {
                let url = c.base_url.as_deref().unwrap_or("");
                input::base_url(url).is_ok_and(|u| u == url)
                    && input::endpoint_key(c.key.as_deref().unwrap_or("")).is_ok_and(|k| k == c.key)
            }
            ProfileType::Oauth => [&c.access, &c.refresh, &c.account_id]
                .into_iter()
                .flatten()
                .all(|t| input::check_opaque("t", t).is_ok()),
            ProfileType::Cli | ProfileType::Unknown => false,
        };
        c.provider == provider
            && input::check_kind(provider, kind).is_ok()
            && input::check_name(name).is_ok()
            && label_ok
            && secret_ok
            && c.rest.is_empty()
            && !c.keychain
            && c.expires.is_none_or(|e| input::check_expires(e).is_ok())
    }

    #[test]
    fn hostile_entries_are_skipped_with_why_and_good_ones_cleaned_as_add_cleans_them() {
        let wrapped = format!("{}\n{}", &token()[..50], &token()[50..]);
        let found: BTreeMap<String, Value> = [
            (
                "anthropic:ok",
                json!({"type": "api_key", "key": KEY, "label": "Work", "email": "e@x"}),
            ),
            (
                "anthropic:wrapped",
                json!({"type": "token", "token": wrapped}),
            ),
            (
                "anthropic-compatible:f",
                json!({"type": "endpoint", "baseUrl": "file:///etc/passwd", "key": "k"}),
            ),
            (
                "anthropic-compatible:j",
                json!({"type": "endpoint", "baseUrl": "javascript:alert(1)", "key": "k"}),
            ),
            (
                "anthropic-compatible:u",
                json!({"type": "endpoint", "baseUrl": "http://u:p@127.0.0.1:1", "key": "k"}),
            ),
            (
                "anthropic-compatible:crlf",
                json!({"type": "endpoint", "baseUrl": "http://127.0.0.1:1", "key": "k\r\nx: y"}),
            ),
            (
                "anthropic:nul",
                json!({"type": "token", "token": format!("{}\u{0}", token())}),
            ),
            (
                "anthropic:bidi",
                json!({"type": "api_key", "key": KEY, "label": "a\u{202E}b"}),
            ),
            ("anthropic:..", json!({"type": "api_key", "key": KEY})),
            (
                "anthropic:other",
                json!({"type": "api_key", "provider": "openai", "key": KEY}),
            ),
            ("anthropic:future", json!({"type": "passkey", "key": KEY})),
            ("anthropic:have", json!({"type": "api_key", "key": KEY})),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let mut doc = Document::default();
        doc.profiles
            .insert("anthropic:have".into(), Credential::default());
        let (take, skip) = plan(&doc, &found);
        let taken: Vec<&str> = take.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(taken, ["anthropic:ok", "anthropic:wrapped"]);
        assert_eq!(take[1].1.token.as_deref(), Some(token().as_str()));
        assert!(take[0].1.rest.is_empty(), "only what add keeps");
        for (id, c) in &take {
            assert!(passes_add(id, c), "{id}");
        }
        let why: BTreeMap<_, _> = skip.into_iter().collect();
        assert_eq!(why.len(), 10, "{why:#?}");
        assert!(why["anthropic-compatible:f"].contains("http://"));
        assert!(why["anthropic:have"].contains("already"));
        assert!(why["anthropic:bidi"].contains("direction"));
        assert!(why.values().all(|w| !w.contains(KEY)));
    }

    #[test]
    fn an_expiry_past_the_year_9999_is_refused_with_why() {
        let oauth = |expires: Value| json!({"type": "oauth", "access": "at-123456", "refresh": "rt-123456", "expires": expires});
        let found: BTreeMap<String, Value> = [
            ("openai-codex:far", oauth(json!(253_402_300_800_000u64))),
            ("openai-codex:max", oauth(json!(u64::MAX))),
            ("openai-codex:ok", oauth(json!(1_800_000_000_000u64))),
            (
                "anthropic:far",
                json!({"type": "token", "token": token(), "expires": 253_402_300_800_000u64}),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let (take, skip) = plan(&Document::default(), &found);
        let taken: Vec<&str> = take.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(taken, ["openai-codex:ok"]);
        assert_eq!(take[0].1.expires, Some(1_800_000_000_000));
        let why: BTreeMap<_, _> = skip.into_iter().collect();
        assert_eq!(why.len(), 3, "{why:#?}");
        assert!(why.values().all(|w| w.contains("expiry")), "{why:#?}");
    }

    /// An entry of a CoderClaw store: a type or none, some of `fields` set to `texts`, and an
    /// expiry or none (some past the year 9999).
    fn entry(
        kinds: impl proptest::strategy::Strategy<Value = &'static str>,
        fields: impl proptest::strategy::Strategy<Value = &'static str>,
        texts: impl proptest::strategy::Strategy<Value = String>,
    ) -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let expiries = prop::option::of(prop::sample::select(vec![
            0,
            1_800_000_000_000u64,
            crate::clock::LATEST_MS,
            crate::clock::LATEST_MS + 1,
            u64::MAX,
        ]));
        (
            kinds,
            proptest::collection::vec((fields, texts), 0..6),
            any::<bool>(),
            expiries,
        )
            .prop_map(|(kind, fields, with_kind, expires)| {
                let mut e = serde_json::Map::new();
                if with_kind {
                    e.insert("type".into(), kind.into());
                }
                for (f, t) in fields {
                    e.insert(f.into(), t.into());
                }
                if let Some(ms) = expires {
                    e.insert("expires".into(), ms.into());
                }
                Value::Object(e)
            })
    }

    #[test]
    fn property_any_import_file_never_panics_and_takes_only_what_add_takes() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let texts = prop_oneof![
            prop::sample::select(vec![
                KEY.to_string(),
                token(),
                format!("{}\n", token()),
                format!("{}\u{0}", token()),
                "http://localhost:11434".into(),
                "https://gw.example/v1/".into(),
                "file:///etc/passwd".into(),
                "javascript:alert(1)".into(),
                "http://u:p@h".into(),
                "http://h/?q#f".into(),
                "gw-key-0123456789".into(),
                "k\r\nx: y".into(),
                "evil\u{202E}txt".into(),
                "zero\u{200B}w".into(),
                String::new(),
                "x".repeat(20_000),
            ]),
            ".{0,30}",
        ];
        let kinds = prop::sample::select(vec![
            "api_key", "token", "endpoint", "oauth", "cli", "unknown", "passkey",
        ]);
        let ids = prop_oneof![
            prop::sample::select(vec![
                "anthropic:a",
                "anthropic:..",
                "anthropic:.",
                "ollama:l",
                "lmstudio:m",
                "anthropic-compatible:g",
                "openai:o",
                "openai-codex:c",
                "gemini:x",
                "nocolon",
                "anthropic:claude-cli",
                "anthropic:-x",
            ])
            .prop_map(String::from),
            ".{0,20}",
        ];
        let fields = prop::sample::select(vec![
            "key",
            "token",
            "access",
            "refresh",
            "baseUrl",
            "label",
            "provider",
            "accountId",
            "expires",
            "keychain",
            "other",
        ]);
        let entry = entry(kinds, fields, texts);
        let structured = proptest::collection::vec((ids, entry), 0..6).prop_map(|entries| {
            let profiles: serde_json::Map<String, Value> = entries.into_iter().collect();
            json!({"version": 1, "profiles": profiles})
                .to_string()
                .into_bytes()
        });
        let file = prop_oneof![structured, proptest::collection::vec(any::<u8>(), 0..200),];
        TestRunner::new(Config::with_cases(10_000))
            .run(&file, |bytes| {
                let found: BTreeMap<String, Value> = entries(&bytes).into_iter().collect();
                let (take, skip) = plan(&Document::default(), &found);
                prop_assert_eq!(take.len() + skip.len(), found.len());
                for (id, c) in &take {
                    prop_assert!(passes_add(id, c), "{} {:?}", id, c);
                }
                for (_, why) in &skip {
                    prop_assert!(!why.is_empty() && why.len() < 500);
                }
                Ok(())
            })
            .unwrap();
    }
}
