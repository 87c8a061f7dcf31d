//! Profiles of CoderClaw / OpenClaw (`$CODERCLAW_STATE_DIR`, `~/.coderclaw`, `~/.openclaw`): their
//! `agents/*/agent/auth-profiles.json` stores and the legacy `credentials/oauth.json`, read only.
//! Import copies ids Grove lacks, of providers and types Grove can run; nothing else changes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::input::PROVIDERS;
use super::store::{Credential, Document};
use crate::protocol::ProfileType;

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
    let bytes = crate::store::read_regular(path, 4 << 20)?;
    serde_json::from_slice(&bytes).ok()
}

/// Every credential found, by id; the first found of an id wins.
pub fn found() -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for root in roots() {
        let mut stores: Vec<PathBuf> = std::fs::read_dir(root.join("agents"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("agent").join("auth-profiles.json"))
            .collect();
        stores.sort();
        for store in stores {
            if let Some(Value::Object(profiles)) = read_json(&store).map(|v| v["profiles"].clone())
            {
                for (id, c) in profiles {
                    out.entry(id).or_insert(c);
                }
            }
        }
        // Legacy: `{provider: {access, refresh, expires, …}}`, one OAuth sign-in per provider.
        if let Some(Value::Object(legacy)) = read_json(&root.join("credentials/oauth.json")) {
            for (provider, c) in legacy {
                if c.is_object() {
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

/// A found credential as Grove would store it, if Grove can run it.
fn usable(id: &str, c: &Value) -> Option<Credential> {
    let (provider, name) = id.split_once(':')?;
    let mut cred: Credential = serde_json::from_value(c.clone()).ok()?;
    if cred.provider.is_empty() {
        cred.provider = provider.to_string();
    }
    let kind = cred.kind?;
    let takes = PROVIDERS
        .iter()
        .any(|(p, kinds, _)| *p == provider && kinds.contains(&kind));
    let ok = cred.provider == provider
        && kind != ProfileType::Cli
        && takes
        && super::input::check_name(name).is_ok()
        && cred.has_secret();
    cred.keychain = false;
    ok.then_some(cred)
}

/// (would be imported, would be skipped) against `doc`.
pub fn plan(
    doc: &Document,
    found: &BTreeMap<String, Value>,
) -> (Vec<(String, Credential)>, Vec<String>) {
    let (mut take, mut skip) = (Vec::new(), Vec::new());
    for (id, c) in found {
        match usable(id, c) {
            Some(cred) if !doc.profiles.contains_key(id) => take.push((id.clone(), cred)),
            _ => skip.push(id.clone()),
        }
    }
    (take, skip)
}
