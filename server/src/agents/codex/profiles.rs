//! The profiles Codex runs with: the codex CLI's own sign-in (`codex login status`, asked again
//! when its `auth.json` changes), an OpenAI API key's `CODEX_API_KEY`, a ChatGPT sign-in's
//! `CODEX_HOME` with its `auth.json` written fresh (renewed first when due, under the profile's
//! lock) and the tokens the CLI renewed during a run taken back, and each profile's check.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::openai;
use crate::agents::adapter::{Later, OwnSignIn};
use crate::clock::now_ms;
use crate::error::Result;
use crate::process::RunEnv;
use crate::profiles::store::{Credential, Document};
use crate::profiles::{Profiles, RunEnvError, endpoints, status};
use crate::protocol::{Profile, ProfileCheckResult, ProfileStatus, ProfileType};
use crate::redact::{redact, remember};

/// The provider of Grove's own ChatGPT sign-ins.
pub const CHATGPT: &str = "openai-codex";
/// The provider of OpenAI API keys.
pub const OPENAI: &str = "openai";

/// Set on a sign-in whose renewal was refused: it stays expired until signed in again.
const REFRESH_REJECTED: &str = "refreshRejected";
const SIGN_IN_AGAIN: &str =
    "The ChatGPT sign-in of this profile has expired and could not be renewed: sign in again.";

/// What identifies the codex CLI's `auth.json` from outside (size, inode, time).
type Stamp = (u64, u64, Option<std::time::SystemTime>);

/// The status and its words.
type Known = Option<(ProfileStatus, String)>;

fn stamp() -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let home = std::env::var_os("CODEX_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".codex")))?;
    let m = std::fs::metadata(home.join("auth.json")).ok()?;
    Some((m.len(), m.ino(), m.modified().ok()))
}

/// The codex CLI's own sign-in, as `codex login status` last said (None: not installed), and
/// the fingerprint of its `auth.json` then.
pub struct CliSignIn {
    cli: std::sync::Arc<crate::cli::Cli>,
    known: Mutex<(Known, Option<Stamp>)>,
}

impl CliSignIn {
    pub fn new(cli: std::sync::Arc<crate::cli::Cli>) -> Self {
        Self {
            cli,
            known: Mutex::new((None, None)),
        }
    }

    async fn ask(&self, force: bool) {
        let Ok(program) = self.cli.resolve(&super::adapter::BINARY).await else {
            *self.known.lock().unwrap() = (None, None);
            return;
        };
        let stamp = stamp();
        {
            let cached = self.known.lock().unwrap();
            if !force && cached.0.is_some() && cached.1 == stamp {
                return;
            }
        }
        let mut cmd = crate::process::command(&program);
        cmd.args(["login", "status"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let out = tokio::time::timeout(Duration::from_secs(10), cmd.output()).await;
        let found = match out {
            Ok(Ok(out)) => {
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                let first = text
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim();
                if out.status.success() {
                    (ProfileStatus::Ok, redact(first))
                } else {
                    (
                        ProfileStatus::Missing,
                        "The codex CLI is not signed in.".to_string(),
                    )
                }
            }
            _ => (
                ProfileStatus::Missing,
                "`codex login status` did not answer.".to_string(),
            ),
        };
        *self.known.lock().unwrap() = (Some(found), stamp);
    }
}

impl OwnSignIn for CliSignIn {
    fn known(&self) -> Known {
        self.known.lock().unwrap().0.clone()
    }

    fn look(&self, force: bool) -> Later<'_> {
        Box::pin(self.ask(force))
    }
}

/// A ChatGPT sign-in Grove made: stored as `openai-codex:<name>` (replacing one of that name).
pub async fn add_oauth(profiles: &Profiles, name: &str, t: openai::Tokens) -> Result<()> {
    let id = format!("{CHATGPT}:{name}");
    for s in [Some(&t.access), t.refresh.as_ref(), t.id_token.as_ref()]
        .into_iter()
        .flatten()
    {
        remember(s);
    }
    let mut cred = Credential {
        kind: Some(ProfileType::Oauth),
        provider: CHATGPT.into(),
        account_id: openai::account_id(&t.access),
        expires: t.expires,
        access: Some(t.access),
        refresh: t.refresh,
        ..Credential::default()
    };
    if let Some(idt) = t.id_token {
        cred.rest.insert("idToken".into(), idt.into());
    }
    tracing::info!(%id, "stored a ChatGPT sign-in");
    profiles.store_credential(&id, cred).await
}

/// A ChatGPT sign-in fresh enough for a run: a token expiring within 5 minutes is renewed under
/// the profile's lock, shared by every run and every sidecar (re-read first: another process may
/// have renewed it). A refused renewal marks the profile expired.
async fn fresh_oauth(
    profiles: &Profiles,
    id: &str,
) -> std::result::Result<Credential, RunEnvError> {
    const MARGIN_MS: u64 = 5 * 60 * 1000;
    let fresh = |c: &Credential| c.expires.is_some_and(|e| e > now_ms() + MARGIN_MS);
    let current = || async {
        match profiles.credential(id).await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(RunEnvError::Other(crate::profiles::unknown(id))),
            Err(e) => Err(RunEnvError::Other(e)),
        }
    };
    let c = current().await?;
    if c.rest.get(REFRESH_REJECTED) == Some(&serde_json::Value::Bool(true)) {
        return Err(RunEnvError::Auth(SIGN_IN_AGAIN.into()));
    }
    if fresh(&c) {
        return Ok(c);
    }
    let _held = profiles.lock(id).await.map_err(RunEnvError::Other)?;
    let c = current().await?;
    if fresh(&c) {
        tracing::info!(profile = %id, "another process renewed the sign-in already");
        return Ok(c);
    }
    let Some(refresh) = c.refresh.clone().filter(|r| !r.is_empty()) else {
        return Err(RunEnvError::Auth(SIGN_IN_AGAIN.into()));
    };
    tracing::info!(profile = %id, "renewing the ChatGPT sign-in");
    match openai::refresh(&refresh).await {
        Ok(t) => {
            let mut next = c.clone();
            remember(&t.access);
            next.expires = t.expires.or_else(|| openai::expiry_ms(&t.access));
            next.account_id = openai::account_id(&t.access).or(next.account_id);
            next.access = Some(t.access);
            if let Some(r) = t.refresh {
                remember(&r);
                next.refresh = Some(r);
            }
            if let Some(idt) = t.id_token {
                next.rest.insert("idToken".into(), idt.into());
            }
            let (key, stored) = (id.to_string(), next.clone());
            profiles
                .update(move |doc| doc.profiles.insert(key, stored))
                .await
                .map_err(RunEnvError::Other)?;
            Ok(next)
        }
        Err(refused) if refused.rejected => {
            tracing::warn!(profile = %id, "the ChatGPT sign-in could not be renewed");
            let key = id.to_string();
            let message = refused.message.clone();
            let now = now_ms();
            let _ = profiles
                .update(move |doc| {
                    if let Some(c) = doc.profiles.get_mut(&key) {
                        c.rest.insert(REFRESH_REJECTED.into(), true.into());
                    }
                    status::fail(doc.usage.entry(key).or_default(), &message, now);
                })
                .await;
            Err(RunEnvError::Auth(refused.message))
        }
        // Not reachable now: the CLI gets the old pair and may renew it itself.
        Err(_) => Ok(c),
    }
}

/// The `CODEX_HOME` of ChatGPT profile `id`, with the folder an earlier version kept for it moved
/// over first when it is this profile's alone (see `openai::adopt_legacy_home`): under the
/// profile's lock, with the store read afresh.
async fn home(profiles: &Profiles, id: &str) -> Result<PathBuf> {
    let dir = profiles.state_dir().to_path_buf();
    if openai::legacy_due(&dir, id) {
        let _held = profiles.lock(id).await?;
        let doc = profiles.document().await?;
        if let Some(c) = doc.profiles.get(id).cloned() {
            let (dir, key, ids) = (dir.clone(), id.to_string(), Document::ids(&doc));
            let _ = tokio::task::spawn_blocking(move || {
                openai::adopt_legacy_home(&dir, &key, &ids, &c)
            })
            .await;
        }
    }
    Ok(openai::codex_home(&dir, id))
}

/// The variables a codex run gets for a stored profile.
pub async fn run_env(
    profiles: &Profiles,
    id: &str,
    c: Credential,
) -> std::result::Result<RunEnv, RunEnvError> {
    let failed = |e| RunEnvError::Other(crate::profiles::store_failed(e));
    match (c.provider.as_str(), c.kind) {
        (OPENAI, Some(ProfileType::ApiKey)) => {
            let home = openai::codex_home(profiles.state_dir(), id);
            crate::store::private_dir(&home).map_err(failed)?;
            Ok(RunEnv {
                remove: Vec::new(),
                set: vec![
                    ("CODEX_API_KEY", c.key.clone().unwrap_or_default()),
                    ("CODEX_HOME", home.display().to_string()),
                ],
                endpoint: None,
            })
        }
        (CHATGPT, Some(ProfileType::Oauth)) => {
            let home = home(profiles, id).await.map_err(RunEnvError::Other)?;
            let c = fresh_oauth(profiles, id).await?;
            let h = home.clone();
            tokio::task::spawn_blocking(move || openai::write_auth_json(&h, &c))
                .await
                .expect("blocking task")
                .map_err(failed)?;
            let mut set = vec![("CODEX_HOME", home.display().to_string())];
            if std::env::var("GROVE_OPENAI_AUTH_URL").is_ok_and(|u| !u.trim().is_empty()) {
                set.push((
                    "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
                    format!("{}/oauth/token", openai::auth_base()),
                ));
            }
            Ok(RunEnv {
                remove: Vec::new(),
                set,
                endpoint: None,
            })
        }
        _ => Ok(RunEnv::default()),
    }
}

/// After a codex run: tokens the CLI renewed during it go back into the store (under the
/// profile's lock).
pub async fn after_run(profiles: &Profiles, id: &str) {
    if !id.starts_with(&format!("{CHATGPT}:")) || crate::agents::registry::is_own_profile(id) {
        return;
    }
    let home = openai::codex_home(profiles.state_dir(), id);
    let Ok(Some(auth)) = tokio::task::spawn_blocking(move || openai::read_auth_json(&home)).await
    else {
        return;
    };
    if let Err(why) = auth.check() {
        // Kept out of the store (a few of these would fill it past its size): the stored
        // sign-in stays; the tokens are never logged.
        tracing::warn!(profile = %id, "kept the stored ChatGPT sign-in: the tokens the codex CLI left in its auth.json cannot be stored ({why})");
        return;
    }
    let Ok(_held) = profiles.lock(id).await else {
        return;
    };
    let key = id.to_string();
    let changed = profiles
        .update(move |doc| {
            doc.profiles
                .get_mut(&key)
                .is_some_and(|c| take_back(c, auth))
        })
        .await
        .unwrap_or(false);
    if changed {
        tracing::info!(profile = %id, "took back the tokens the codex CLI renewed");
    }
}

/// Its tokens (a live refresh token) and sessions go with a removed OpenAI profile, never to a
/// later one.
pub fn removed(state_dir: &Path, id: &str, others: &[String], removed: Option<&Credential>) {
    if id.starts_with(&format!("{OPENAI}:")) || id.starts_with(&format!("{CHATGPT}:")) {
        openai::remove_homes(state_dir, id, others, removed);
    }
}

/// Tokens the codex CLI renewed during a run, taken into the stored credential `c` (checked
/// already); false when they are the ones stored.
fn take_back(c: &mut Credential, auth: openai::AuthJson) -> bool {
    if c.refresh.as_deref() == Some(auth.refresh.as_str()) {
        return false;
    }
    remember(&auth.access);
    remember(&auth.refresh);
    c.expires = openai::expiry_ms(&auth.access).or(c.expires);
    c.access = Some(auth.access);
    c.refresh = Some(auth.refresh);
    if let Some(idt) = auth.id_token {
        remember(&idt);
        c.rest.insert("idToken".into(), idt.into());
    }
    true
}

/// `grove/profiles/check` for OpenAI profiles: the codex CLI's own sign-in asked again; a
/// ChatGPT sign-in renewed if due (a refused renewal is the answer); an API key shown to the
/// models listing, the smallest authenticated request there is.
pub async fn check(profiles: &Profiles, p: &Profile) -> Result<ProfileCheckResult> {
    let answer = |ok: bool, message: String| Ok(ProfileCheckResult { ok, message });
    if let Some(own) = profiles.own(&p.id) {
        profiles.look_again(&p.id).await;
        return match own.known() {
            Some((ProfileStatus::Ok, detail)) => answer(true, detail),
            Some((_, detail)) => answer(false, detail),
            None => answer(false, "The codex CLI is not installed.".into()),
        };
    }
    if p.kind == ProfileType::Oauth {
        return match fresh_oauth(profiles, &p.id).await {
            Ok(c) => {
                profiles.succeeded(&p.id).await;
                let until = c.expires.map(status::rfc3339).unwrap_or_default();
                answer(
                    true,
                    format!("The ChatGPT sign-in is valid (until {until}, then renewed)."),
                )
            }
            Err(RunEnvError::Auth(m)) => answer(false, m),
            Err(RunEnvError::Other(e)) => Err(e),
        };
    }
    let key = profiles
        .credential(&p.id)
        .await?
        .and_then(|c| c.key)
        .unwrap_or_default();
    let base = std::env::var("GROVE_OPENAI_API_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "https://api.openai.com".into());
    let url = format!("{}/v1/models", base.trim_end_matches('/'));
    let sent = reqwest::Client::builder()
        .timeout(endpoints::CHECK_LIMIT)
        .redirect(endpoints::redirect_policy())
        .build()
        .unwrap_or_default()
        .get(&url)
        .bearer_auth(&key)
        .send()
        .await;
    profiles.used(&p.id).await;
    match sent.map(|r| r.status()) {
        Ok(s) if s.is_success() => {
            profiles.succeeded(&p.id).await;
            answer(true, format!("{} works.", p.id))
        }
        Ok(s) if s.as_u16() == 401 || s.as_u16() == 403 => {
            let m = format!("OpenAI refused the key of {} ({s}).", p.id);
            profiles.failed(&p.id, &m).await;
            answer(false, m)
        }
        Ok(s) if s.is_redirection() => answer(
            false,
            format!("{url} redirected to another address; Grove sends no key there."),
        ),
        Ok(s) => answer(false, format!("OpenAI answered {s}; try again later.")),
        Err(e) => answer(false, format!("OpenAI could not be reached: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(access: &str, refresh: &str) -> openai::AuthJson {
        openai::AuthJson {
            access: access.into(),
            refresh: refresh.into(),
            id_token: None,
            account_id: None,
        }
    }

    #[test]
    fn tokens_left_by_a_run_are_taken_back_only_when_they_could_be_added() {
        let huge = "A".repeat(1 << 20);
        for bad in [
            auth(&huge, "rt_new"),
            auth("at_new", &huge),
            auth("at new", "rt_new"),
            auth("", "rt_new"),
            openai::AuthJson {
                id_token: Some("x".repeat(crate::profiles::input::MAX_SECRET + 1)),
                ..auth("at_new", "rt_new")
            },
        ] {
            let why = bad.check().unwrap_err();
            assert!(!why.contains("AAAA") && !why.contains("xxxx"), "{why}");
        }
        assert!(auth("at_new", "rt_new").check().is_ok());
        let mut c = Credential {
            kind: Some(ProfileType::Oauth),
            refresh: Some("rt_old".into()),
            expires: Some(5),
            ..Credential::default()
        };
        assert!(
            !take_back(&mut c.clone(), auth("at_new", "rt_old")),
            "the same"
        );
        // A token whose `exp` is past the year 9999 keeps the stored expiry.
        let payload = serde_json::json!({ "exp": u64::MAX / 1000 }).to_string();
        use base64::Engine;
        let far = format!(
            "e30.{}.sig",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload)
        );
        assert!(take_back(&mut c, auth(&far, "rt_new")));
        assert_eq!((c.refresh.as_deref(), c.expires), (Some("rt_new"), Some(5)));
    }
}
