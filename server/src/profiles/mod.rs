//! Auth profiles: `grove/profiles/*`. The store every sidecar shares, the status of each profile,
//! which profile a run uses and the environment the claude CLI gets for it, cooldowns after
//! failures, local model servers, and the CoderClaw import. Secrets never leave this module except
//! as a run's environment.

pub mod command;
pub mod endpoints;
mod import;
pub mod input;
pub mod status;
pub mod store;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::agents::claude::auth::Auth;
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::protocol::{
    Profile, ProfileAddParams, ProfileCheckResult, ProfileStatus, ProfileType, ProfilesChanged,
    ProfilesDetected, ProfilesImported, ProfilesList,
};
use crate::redact::{redact, remember};
pub use input::refused;
pub use status::{CLI_ID, CODEX_CLI_ID};
use store::{Credential, Document, Store};

/// How often a finished check of the CLI's sign-in is looked for (cheap: a counter).
const CLI_WATCH_EVERY: Duration = Duration::from_millis(250);
/// Every this many of those (2 s), the store and the clock are looked at for changes made
/// elsewhere (another window's sidecar, a token crossing into "expiring").
const WATCH_TICKS: u32 = 8;
/// Every this many watches the listing is recomputed anyway (statuses change with time).
const RECOMPUTE_EVERY: u32 = 15;

pub use crate::process::RunEnv;

/// Inherited variables that would mix another provider into a profile's run.
const PROVIDER_ENV: &[&str] = &[
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_MODEL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_SMALL_FAST_MODEL",
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "CLAUDE_CODE_OAUTH_TOKEN",
];

/// Why a run could not get its profile's environment.
#[derive(Debug)]
pub enum RunEnvError {
    /// The credential is dead: the run ends `authRequired` with this message.
    Auth(String),
    Other(Error),
}

impl std::fmt::Display for RunEnvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Auth(m) => f.write_str(m),
            Self::Other(e) => write!(f, "{e}"),
        }
    }
}

/// Set on a sign-in whose renewal was refused: it stays expired until signed in again.
const REFRESH_REJECTED: &str = "refreshRejected";
const SIGN_IN_AGAIN: &str =
    "The ChatGPT sign-in of this profile has expired and could not be renewed: sign in again.";

/// The codex CLI's own sign-in: its status and the words for it.
type CodexCliStatus = (ProfileStatus, String);

/// What identifies the codex CLI's `auth.json` from outside (size, inode, time).
type CodexStamp = (u64, u64, Option<std::time::SystemTime>);

fn codex_stamp() -> Option<CodexStamp> {
    use std::os::unix::fs::MetadataExt;
    let home = std::env::var_os("CODEX_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".codex")))?;
    let m = std::fs::metadata(home.join("auth.json")).ok()?;
    Some((m.len(), m.ino(), m.modified().ok()))
}

/// The profile a run uses, and what it runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub id: String,
    pub provider: String,
    pub model: Option<String>,
}

pub struct Profiles {
    notifier: Notifier,
    auth: Arc<Auth>,
    cli: Arc<crate::cli::Cli>,
    /// The codex CLI's own sign-in, as `codex login status` last said (None: not installed),
    /// and the fingerprint of its `auth.json` then.
    codex_cli: Mutex<(Option<CodexCliStatus>, Option<CodexStamp>)>,
    store: Arc<Store>,
    state_dir: PathBuf,
    /// Per endpoint base URL: its models, or None when it did not answer.
    reach: Mutex<HashMap<String, Option<Vec<String>>>>,
    last_sent: tokio::sync::Mutex<Option<ProfilesList>>,
    /// Called after the client is told of a change (the agent registry looks again).
    on_change: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
}

fn failed(e: std::io::Error) -> Error {
    let e = redact(&e.to_string());
    tracing::warn!("the profile store could not be used: {e}");
    Error::StoreFailed(format!("The auth profile store could not be used: {e}"))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

fn unknown(id: &str) -> Error {
    let plain = id.len() <= 200
        && !id
            .chars()
            .any(|c| c.is_control() || crate::workspaces::names::invisible(c));
    let named = if plain {
        format!(" {id:?}")
    } else {
        String::new()
    };
    refused(
        "unknownProfile",
        format!("There is no such auth profile{named}; add it in the Account view."),
    )
}

impl Profiles {
    pub fn new(
        notifier: Notifier,
        auth: Arc<Auth>,
        cli: Arc<crate::cli::Cli>,
        state_dir: PathBuf,
    ) -> Self {
        Self {
            notifier,
            auth,
            cli,
            codex_cli: Mutex::new((None, None)),
            store: Arc::new(Store::new(state_dir.clone())),
            state_dir,
            reach: Mutex::default(),
            last_sent: tokio::sync::Mutex::new(None),
            on_change: Mutex::new(None),
        }
    }

    async fn read(&self) -> Result<Document> {
        let store = self.store.clone();
        let doc = blocking(move || store.read()).await.map_err(failed)?;
        remember_secrets(&doc);
        Ok(doc)
    }

    async fn update<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Document) -> T + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        let out = blocking(move || store.update(change))
            .await
            .map_err(failed)?;
        self.publish().await;
        Ok(out)
    }

    fn listing(&self, doc: &Document) -> ProfilesList {
        let cli = self.auth.cached();
        let reach = self.reach.lock().unwrap().clone();
        let facts = status::Facts {
            now: now_ms(),
            cli: cli.as_ref(),
            cli_checked: self.auth.checks() > 0,
            reach: &reach,
        };
        let codex_cli = self.codex_cli.lock().unwrap().0.clone();
        let (order, mut profiles) = status::list(doc, &facts, codex_cli.as_ref());
        let mut order = order;
        // The own sign-in of every other agent CLI: the CLI signs itself in.
        for a in crate::agents::registry::adapters() {
            let id = a.own_profile();
            if id == CLI_ID || id == CODEX_CLI_ID || profiles.iter().any(|p| p.id == id) {
                continue;
            }
            let mut p = status::profile(id, None, None, &facts);
            (p.status, p.detail) = (
                ProfileStatus::Static,
                Some(format!("{}'s own sign-in", a.label())),
            );
            order.entry(p.provider.clone()).or_default().push(id.into());
            profiles.push(p);
        }
        for p in &mut profiles {
            p.agents = crate::agents::registry::agents_for_provider(&p.provider);
        }
        let anthropic: Vec<Profile> = profiles
            .iter()
            .filter(|p| p.provider == "anthropic")
            .cloned()
            .collect();
        let active = status::pick(&anthropic).map(|p| p.id.clone());
        let (importable, _) = import::plan(doc, &import::found());
        ProfilesList {
            profiles,
            order,
            active,
            importable: importable.into_iter().map(|(id, _)| id).collect(),
        }
    }

    /// `grove/profiles/list`.
    pub async fn list(&self) -> Result<ProfilesList> {
        self.codex_cli_status(false).await;
        let doc = self.read().await?;
        Ok(self.listing(&doc))
    }

    /// The codex CLI's own sign-in: `codex login status` again when its `auth.json` changed (or
    /// when asked).
    async fn codex_cli_status(&self, force: bool) {
        let Ok(program) = self
            .cli
            .resolve(&crate::agents::codex::adapter::BINARY)
            .await
        else {
            *self.codex_cli.lock().unwrap() = (None, None);
            return;
        };
        let stamp = codex_stamp();
        {
            let cached = self.codex_cli.lock().unwrap();
            if !force && cached.0.is_some() && cached.1 == stamp {
                return;
            }
        }
        let mut cmd = crate::process::command(&program);
        cmd.args(["login", "status"])
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
        *self.codex_cli.lock().unwrap() = (Some(found), stamp);
    }

    /// After `codex login`: its status afresh, and the client told.
    pub async fn recheck_codex_cli(&self) {
        self.codex_cli_status(true).await;
        self.publish().await;
    }

    /// A ChatGPT sign-in Grove made: stored as `openai-codex:<name>` (replacing one of that name).
    pub async fn add_oauth(
        &self,
        name: &str,
        t: crate::agents::codex::openai::Tokens,
    ) -> Result<()> {
        let id = format!("openai-codex:{name}");
        for s in [Some(&t.access), t.refresh.as_ref(), t.id_token.as_ref()]
            .into_iter()
            .flatten()
        {
            remember(s);
        }
        let mut cred = Credential {
            kind: Some(ProfileType::Oauth),
            provider: "openai-codex".into(),
            account_id: crate::agents::codex::openai::account_id(&t.access),
            expires: t.expires,
            access: Some(t.access),
            refresh: t.refresh,
            ..Credential::default()
        };
        if let Some(idt) = t.id_token {
            cred.rest.insert("idToken".into(), idt.into());
        }
        tracing::info!(%id, "stored a ChatGPT sign-in");
        let key = id.clone();
        self.update(move |doc| {
            doc.profiles.insert(key.clone(), cred);
            if let Some(u) = doc.usage.get_mut(&key) {
                status::succeed(u);
                u.last_failure = None;
            }
        })
        .await
    }

    /// An OpenAI sign-in fresh enough for a run: a token expiring within 5 minutes is renewed
    /// under the profile's lock, shared by every run and every sidecar (re-read first: another
    /// process may have renewed it). A refused renewal marks the profile expired.
    async fn fresh_oauth(&self, id: &str) -> std::result::Result<Credential, RunEnvError> {
        const MARGIN_MS: u64 = 5 * 60 * 1000;
        let fresh = |c: &Credential| c.expires.is_some_and(|e| e > now_ms() + MARGIN_MS);
        let current = |doc: &Document| doc.profiles.get(id).cloned();
        let doc = self.read().await.map_err(RunEnvError::Other)?;
        let c = current(&doc).ok_or_else(|| RunEnvError::Other(unknown(id)))?;
        if c.rest.get(REFRESH_REJECTED) == Some(&serde_json::Value::Bool(true)) {
            return Err(RunEnvError::Auth(SIGN_IN_AGAIN.into()));
        }
        if fresh(&c) {
            return Ok(c);
        }
        let lock_path = store::refresh_lock(&self.state_dir, id);
        let _held = blocking(move || crate::store::FileLock::exclusive(&lock_path))
            .await
            .map_err(|e| RunEnvError::Other(failed(e)))?;
        let doc = self.read().await.map_err(RunEnvError::Other)?;
        let c = current(&doc).ok_or_else(|| RunEnvError::Other(unknown(id)))?;
        if fresh(&c) {
            tracing::info!(profile = %id, "another process renewed the sign-in already");
            return Ok(c);
        }
        let Some(refresh) = c.refresh.clone().filter(|r| !r.is_empty()) else {
            return Err(RunEnvError::Auth(SIGN_IN_AGAIN.into()));
        };
        tracing::info!(profile = %id, "renewing the ChatGPT sign-in");
        match crate::agents::codex::openai::refresh(&refresh).await {
            Ok(t) => {
                let mut next = c.clone();
                remember(&t.access);
                next.expires = t
                    .expires
                    .or_else(|| crate::agents::codex::openai::expiry_ms(&t.access));
                next.account_id =
                    crate::agents::codex::openai::account_id(&t.access).or(next.account_id);
                next.access = Some(t.access);
                if let Some(r) = t.refresh {
                    remember(&r);
                    next.refresh = Some(r);
                }
                if let Some(idt) = t.id_token {
                    next.rest.insert("idToken".into(), idt.into());
                }
                let (key, stored) = (id.to_string(), next.clone());
                let store = self.store.clone();
                blocking(move || store.update(|doc| doc.profiles.insert(key, stored)))
                    .await
                    .map_err(|e| RunEnvError::Other(failed(e)))?;
                self.publish().await;
                Ok(next)
            }
            Err(refused) if refused.rejected => {
                tracing::warn!(profile = %id, "the ChatGPT sign-in could not be renewed");
                let key = id.to_string();
                let message = refused.message.clone();
                let store = self.store.clone();
                let now = now_ms();
                let _ = blocking(move || {
                    store.update(|doc| {
                        if let Some(c) = doc.profiles.get_mut(&key) {
                            c.rest.insert(REFRESH_REJECTED.into(), true.into());
                        }
                        status::fail(doc.usage.entry(key).or_default(), &message, now);
                    })
                })
                .await;
                self.publish().await;
                Err(RunEnvError::Auth(refused.message))
            }
            // Not reachable now: the CLI gets the old pair and may renew it itself.
            Err(_) => Ok(c),
        }
    }

    /// After a codex run: tokens the CLI renewed during it go back into the store (under the
    /// profile's lock).
    pub async fn after_run(&self, id: &str) {
        if !id.starts_with("openai-codex:") || id == CODEX_CLI_ID {
            return;
        }
        let home = crate::agents::codex::openai::codex_home(&self.state_dir, id);
        let Some(auth) =
            blocking(move || crate::agents::codex::openai::read_auth_json(&home)).await
        else {
            return;
        };
        if let Err(why) = auth.check() {
            // Kept out of the store (a few of these would fill it past its size): the stored
            // sign-in stays; the tokens are never logged.
            tracing::warn!(profile = %id, "kept the stored ChatGPT sign-in: the tokens the codex CLI left in its auth.json cannot be stored ({why})");
            return;
        }
        let lock_path = store::refresh_lock(&self.state_dir, id);
        let Ok(_held) = blocking(move || crate::store::FileLock::exclusive(&lock_path)).await
        else {
            return;
        };
        let key = id.to_string();
        let store = self.store.clone();
        let changed = blocking(move || {
            store.update(|doc| {
                doc.profiles
                    .get_mut(&key)
                    .is_some_and(|c| take_back(c, auth))
            })
        })
        .await
        .unwrap_or(false);
        if changed {
            tracing::info!(profile = %id, "took back the tokens the codex CLI renewed");
            self.publish().await;
        }
    }

    /// Tells the client when the listing differs from the last one it was told.
    pub async fn publish(&self) {
        let Ok(now) = self.list().await else { return };
        let mut last = self.last_sent.lock().await;
        if last.as_ref() != Some(&now) {
            self.notifier.notify::<ProfilesChanged>(&now).await;
            *last = Some(now);
            let hook = self.on_change.lock().unwrap().clone();
            if let Some(hook) = hook {
                hook();
            }
        }
    }

    /// The listing the client was last told, if any (no store read).
    pub async fn last_listing(&self) -> Option<ProfilesList> {
        self.last_sent.lock().await.clone()
    }

    /// `hook` runs after each change the client is told of.
    pub fn set_on_change(&self, hook: Arc<dyn Fn() + Send + Sync>) {
        *self.on_change.lock().unwrap() = Some(hook);
    }

    /// At start: the local servers and every endpoint profile are asked once, then the store
    /// and the clock are watched for changes made elsewhere.
    pub fn start(self: &Arc<Self>) {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let _ = this.detect().await;
            let mut stamp = this.store.stamp();
            let mut checks = this.auth.checks();
            let mut ticks = 0u32;
            loop {
                tokio::time::sleep(CLI_WATCH_EVERY).await;
                let now_checks = this.auth.checks();
                if now_checks != checks {
                    // The CLI's sign-in was checked: its profile is no longer `checking`.
                    checks = now_checks;
                    this.publish().await;
                }
                ticks += 1;
                if !ticks.is_multiple_of(WATCH_TICKS) {
                    continue;
                }
                let now = this.store.stamp();
                if now != stamp || ticks.is_multiple_of(RECOMPUTE_EVERY * WATCH_TICKS) {
                    stamp = now;
                    this.publish().await;
                }
            }
        });
    }

    /// `grove/profiles/detect`: the local servers, and every endpoint profile's reachability.
    pub async fn detect(&self) -> Result<ProfilesDetected> {
        let endpoints = endpoints::detect().await;
        let doc = self.read().await.unwrap_or_default();
        let mut reach: HashMap<String, Option<Vec<String>>> = HashMap::new();
        for (_, c) in doc
            .profiles
            .iter()
            .filter(|(_, c)| c.kind == Some(ProfileType::Endpoint))
        {
            let url = c.base_url.clone().unwrap_or_default();
            if reach.contains_key(&url) {
                continue;
            }
            let found = endpoints.iter().find(|e| e.base_url == url);
            let models = match found {
                Some(e) => Some(e.models.clone()),
                None => {
                    endpoints::models(&c.provider, &url, c.key.as_deref(), endpoints::DETECT_LIMIT)
                        .await
                }
            };
            reach.insert(url, models);
        }
        *self.reach.lock().unwrap() = reach;
        self.publish().await;
        Ok(ProfilesDetected { endpoints })
    }

    /// `grove/profiles/add`: checked first, stored only when all of it is right.
    pub async fn add(&self, p: ProfileAddParams) -> Result<Profile> {
        let provider = p.provider.trim().to_string();
        input::check_kind(&provider, p.kind)?;
        input::check_name(p.name.trim())?;
        let id = format!("{provider}:{}", p.name.trim());
        let mut cred = Credential {
            kind: Some(p.kind),
            provider: provider.clone(),
            label: input::check_label(p.label.as_deref())?,
            ..Credential::default()
        };
        let secret = p.secret.as_deref().unwrap_or("");
        if secret.len() <= input::MAX_SECRET {
            remember(secret);
        }
        match p.kind {
            ProfileType::Token => cred.token = Some(input::setup_token(secret)?),
            ProfileType::ApiKey => cred.key = Some(input::api_key(&provider, secret)?),
            ProfileType::Endpoint => {
                let (url, key) = self
                    .endpoint(&provider, p.base_url.as_deref(), secret)
                    .await?;
                cred.base_url = Some(url);
                cred.key = key;
            }
            ProfileType::Oauth | ProfileType::Cli | ProfileType::Unknown => {
                return Err(refused(
                    "badType",
                    "This kind of profile is added by signing in, not by pasting.",
                ));
            }
        }
        for s in [&cred.token, &cred.key].into_iter().flatten() {
            remember(s);
        }
        tracing::info!(%id, kind = ?p.kind, "adding an auth profile");
        let stored = id.clone();
        self.update(move |doc| {
            doc.unusable.remove(&stored);
            doc.profiles.insert(stored.clone(), cred);
            // A replaced credential starts afresh.
            if let Some(u) = doc.usage.get_mut(&stored) {
                status::succeed(u);
                u.last_failure = None;
            }
        })
        .await?;
        self.profile(&id).await?.ok_or_else(|| unknown(&id))
    }

    /// An endpoint to add: its URL (given, or the provider's default) and key, checked, and
    /// asked for its models (which are remembered).
    async fn endpoint(
        &self,
        provider: &str,
        base_url: Option<&str>,
        secret: &str,
    ) -> Result<(String, Option<String>)> {
        let url = match base_url.filter(|u| !u.trim().is_empty()) {
            Some(u) => input::base_url(u)?,
            None => input::default_url(provider)
                .map(str::to_owned)
                .ok_or_else(|| {
                    refused(
                        "badUrl",
                        "Give the gateway's base URL (http:// or https://).",
                    )
                })?,
        };
        let key = input::endpoint_key(secret)?;
        if provider == "anthropic-compatible" && key.is_none() {
            return Err(refused("missingSecret", "Give the gateway's API key."));
        }
        let models = endpoints::probe(provider, &url, key.as_deref(), endpoints::CHECK_LIMIT)
            .await
            .map_err(|why| match why {
                endpoints::Unanswered::Redirected => refused("redirected", why.message(&url)),
                _ => refused(
                    "unreachable",
                    format!(
                        "Nothing answered at {url}. Start the server (or check the URL) and add the profile again."
                    ),
                ),
            })?;
        self.reach.lock().unwrap().insert(url.clone(), Some(models));
        Ok((url, key))
    }

    async fn profile(&self, id: &str) -> Result<Option<Profile>> {
        Ok(self.list().await?.profiles.into_iter().find(|p| p.id == id))
    }

    /// `grove/profiles/remove`.
    pub async fn remove(&self, id: String) -> Result<()> {
        if id == CLI_ID || id == CODEX_CLI_ID {
            return Err(refused(
                "builtIn",
                "The claude CLI's own sign-in is always there; sign out with `claude auth logout` instead.",
            ));
        }
        tracing::info!(%id, "removing an auth profile");
        // Under the profile's lock when it is there: no renewal of it writes its CODEX_HOME
        // meanwhile, and its folder of the earlier naming is not being moved over. (An id that
        // is not there makes no lock file.)
        let _held = if self.read().await?.has(&id) {
            let lock_path = store::refresh_lock(&self.state_dir, &id);
            let lock = blocking(move || crate::store::FileLock::exclusive(&lock_path));
            Some(lock.await.map_err(failed)?)
        } else {
            None
        };
        // Removing what is not there is done already.
        let key = id.clone();
        let (removed, others) = self
            .update(move |doc| {
                let removed = doc.profiles.remove(&key);
                doc.unusable.remove(&key);
                doc.usage.remove(&key);
                for ids in doc.order.values_mut() {
                    ids.retain(|i| *i != key);
                }
                (removed, store_ids(doc))
            })
            .await?;
        // Its tokens (a live refresh token) and sessions go with it, never to a later profile.
        if id.starts_with("openai:") || id.starts_with("openai-codex:") {
            let dir = self.state_dir.clone();
            blocking(move || {
                crate::agents::codex::openai::remove_homes(&dir, &id, &others, removed.as_ref())
            })
            .await;
        }
        Ok(())
    }

    /// The `CODEX_HOME` of ChatGPT profile `id`, with the folder an earlier version kept for it
    /// moved over first when it is this profile's alone (see `crate::agents::codex::openai::adopt_legacy_home`): under
    /// the profile's lock, with the store read afresh.
    async fn codex_home(&self, id: &str) -> Result<PathBuf> {
        if crate::agents::codex::openai::legacy_due(&self.state_dir, id) {
            let lock_path = store::refresh_lock(&self.state_dir, id);
            let _held = blocking(move || crate::store::FileLock::exclusive(&lock_path))
                .await
                .map_err(failed)?;
            let doc = self.read().await?;
            if let Some(c) = doc.profiles.get(id).cloned() {
                let (dir, key, ids) = (self.state_dir.clone(), id.to_string(), store_ids(&doc));
                blocking(move || {
                    crate::agents::codex::openai::adopt_legacy_home(&dir, &key, &ids, &c)
                })
                .await;
            }
        }
        Ok(crate::agents::codex::openai::codex_home(
            &self.state_dir,
            id,
        ))
    }

    /// `grove/profiles/setOrder`: the ids given first, in that order.
    pub async fn set_order(&self, provider: String, ids: Vec<String>) -> Result<()> {
        let doc = self.read().await?;
        let builtin = |id: &str| id == CLI_ID || id == CODEX_CLI_ID;
        input::check_order(&provider, &ids, |id| builtin(id) || doc.has(id))?;
        for id in &ids {
            let of_provider = id.split(':').next() == Some(provider.as_str());
            if !of_provider || (!builtin(id) && !doc.has(id)) {
                return Err(unknown(id));
            }
        }
        self.update(move |doc| {
            doc.order.insert(provider, ids);
        })
        .await
    }

    /// Whether a profile id exists (the CLI's own always does).
    pub async fn exists(&self, id: &str) -> Result<bool> {
        Ok(id == CLI_ID
            || (id == CODEX_CLI_ID && self.codex_cli.lock().unwrap().0.is_some())
            || (id != CODEX_CLI_ID && crate::agents::registry::is_own_profile(id))
            || self.read().await?.profiles.contains_key(id))
    }

    /// The profile for a new run: `explicit`, else the one in `model@profile`, else the
    /// workspace's default (while usable), else the first usable of the provider's order.
    /// `providers`: those the asked-for agent CLI runs with; a default of another provider is
    /// passed over, and the first of them is used when nothing else says.
    pub async fn choose(
        &self,
        explicit: Option<String>,
        model: Option<String>,
        workspace_default: Option<String>,
        providers: Option<&[&str]>,
    ) -> Result<Choice> {
        let (model, from_model) = match model {
            Some(m) => {
                let (m, p) = input::split_model(m.trim());
                (Some(m).filter(|m| !m.is_empty()), p)
            }
            None => (None, None),
        };
        let list = self.list().await?;
        let find = |id: &str| list.profiles.iter().find(|p| p.id == id);
        let named = explicit.filter(|e| !e.trim().is_empty()).or(from_model);
        let chosen = match named {
            Some(id) => find(id.trim()).ok_or_else(|| unknown(&id))?,
            None => {
                let fits =
                    |p: &&Profile| providers.is_none_or(|ps| ps.contains(&p.provider.as_str()));
                let workspace_default = workspace_default.as_deref().and_then(find).filter(fits);
                let default = workspace_default.filter(|p| status::usable(p.status));
                let provider = workspace_default.map_or_else(
                    || {
                        let first = providers.and_then(|ps| ps.first().copied());
                        first.unwrap_or("anthropic").to_string()
                    },
                    |p| p.provider.clone(),
                );
                let ordered: Vec<Profile> = list
                    .profiles
                    .iter()
                    .filter(|p| p.provider == provider)
                    .cloned()
                    .collect();
                // Nothing usable: the CLI's own sign-in of that provider, which says what to do.
                let own = crate::agents::registry::for_provider(&provider)
                    .map_or(CLI_ID, |a| a.own_profile());
                match default.or_else(|| status::pick(&ordered).and_then(|p| find(&p.id))) {
                    Some(p) => p,
                    None => find(own)
                        .or_else(|| find(CLI_ID))
                        .ok_or_else(|| unknown(own))?,
                }
            }
        };
        if chosen.status == ProfileStatus::Unusable {
            return Err(refused(
                "unusableProfile",
                format!(
                    "The auth profile {:?} cannot be used. {}",
                    chosen.id,
                    chosen.detail.as_deref().unwrap_or_default()
                ),
            ));
        }
        // An endpoint runs one of its own models: the first it serves when none was asked for.
        let model = match (model, &chosen.models) {
            (None, Some(models)) if chosen.kind == ProfileType::Endpoint => models.first().cloned(),
            (m, _) => m,
        };
        Ok(Choice {
            id: chosen.id.clone(),
            provider: chosen.provider.clone(),
            model,
        })
    }

    /// The variables the claude CLI runs with for profile `id` (read afresh: a replaced secret
    /// counts from the next run on).
    pub async fn env(
        &self,
        id: &str,
        model: Option<&str>,
    ) -> std::result::Result<RunEnv, RunEnvError> {
        if crate::agents::registry::is_own_profile(id) {
            return Ok(RunEnv::default());
        }
        let doc = self.read().await.map_err(RunEnvError::Other)?;
        let c = doc
            .profiles
            .get(id)
            .cloned()
            .ok_or_else(|| RunEnvError::Other(unknown(id)))?;
        let home = crate::agents::codex::openai::codex_home(&self.state_dir, id);
        match (c.provider.as_str(), c.kind) {
            ("openai", Some(ProfileType::ApiKey)) => {
                crate::store::private_dir(&home).map_err(|e| RunEnvError::Other(failed(e)))?;
                Ok(RunEnv {
                    remove: Vec::new(),
                    set: vec![
                        ("CODEX_API_KEY", c.key.clone().unwrap_or_default()),
                        ("CODEX_HOME", home.display().to_string()),
                    ],
                })
            }
            ("openai-codex", Some(ProfileType::Oauth)) => {
                let home = self.codex_home(id).await.map_err(RunEnvError::Other)?;
                let c = self.fresh_oauth(id).await?;
                let h = home.clone();
                blocking(move || crate::agents::codex::openai::write_auth_json(&h, &c))
                    .await
                    .map_err(|e| RunEnvError::Other(failed(e)))?;
                let mut set = vec![("CODEX_HOME", home.display().to_string())];
                if std::env::var("GROVE_OPENAI_AUTH_URL").is_ok_and(|u| !u.trim().is_empty()) {
                    set.push((
                        "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
                        format!("{}/oauth/token", crate::agents::codex::openai::auth_base()),
                    ));
                }
                Ok(RunEnv {
                    remove: Vec::new(),
                    set,
                })
            }
            _ => Ok(env_for(&c, model)),
        }
    }

    /// A run or a check with `id` started.
    pub async fn used(&self, id: &str) {
        let id = id.to_string();
        let now = now_ms();
        let _ = self
            .update(move |doc| doc.usage.entry(id).or_default().last_used = Some(now))
            .await;
    }

    /// It worked: no cooldown.
    pub async fn succeeded(&self, id: &str) {
        let id = id.to_string();
        let _ = self
            .update(move |doc| {
                if let Some(u) = doc.usage.get_mut(&id) {
                    status::succeed(u);
                }
            })
            .await;
    }

    /// An authentication failure or a rate limit: the profile cools down, the failure is kept
    /// on it, and the next usable profile of its provider is returned, for "Retry with …".
    pub async fn failed(&self, id: &str, message: &str) -> Option<String> {
        let (key, message) = (id.to_string(), redact(message));
        tracing::info!(profile = %id, "the profile failed; cooling down");
        let now = now_ms();
        let _ = self
            .update(move |doc| status::fail(doc.usage.entry(key).or_default(), &message, now))
            .await;
        let list = self.list().await.ok()?;
        let provider = id.split(':').next().unwrap_or_default();
        list.profiles
            .iter()
            .find(|p| p.provider == provider && p.id != id && status::usable(p.status))
            .map(|p| p.id.clone())
    }

    /// `grove/profiles/check`: for an endpoint, that it answers and serves a model; then one
    /// minimal request through the CLI with the profile's environment.
    pub async fn check(&self, cli: &crate::cli::Cli, id: String) -> Result<ProfileCheckResult> {
        let list = self.list().await?;
        let p = list
            .profiles
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| unknown(&id))?;
        if p.status == ProfileStatus::Unusable {
            let message = p.detail.unwrap_or_default();
            return Ok(ProfileCheckResult { ok: false, message });
        }
        if p.provider.starts_with("openai") {
            return self.check_openai(&p).await;
        }
        let mut model = "haiku".to_string();
        if p.kind == ProfileType::Endpoint {
            match self.check_endpoint(&id).await? {
                Ok(first) => model = first,
                Err(message) => return Ok(ProfileCheckResult { ok: false, message }),
            }
        }
        let env = match self.env(&id, Some(&model)).await {
            Ok(env) => env,
            Err(RunEnvError::Auth(message)) => {
                return Ok(ProfileCheckResult { ok: false, message });
            }
            Err(RunEnvError::Other(e)) => return Err(e),
        };
        self.used(&id).await;
        let outcome = crate::agents::claude::validate::attempt(cli, &env, &model).await?;
        use crate::agents::claude::validate::Outcome;
        Ok(match outcome {
            Outcome::Ok => {
                self.succeeded(&id).await;
                if id == CLI_ID {
                    self.auth.clear_failure().await;
                }
                ProfileCheckResult {
                    ok: true,
                    message: format!("{id} works."),
                }
            }
            Outcome::AuthFailed(m) => {
                self.failed(&id, &m).await;
                ProfileCheckResult {
                    ok: false,
                    message: redact(&m),
                }
            }
            Outcome::Failed(m) => ProfileCheckResult {
                ok: false,
                message: redact(&m),
            },
        })
    }

    /// An endpoint profile asked for its models (remembered for the listing): the first one, or
    /// what went wrong.
    async fn check_endpoint(&self, id: &str) -> Result<std::result::Result<String, String>> {
        let doc = self.read().await?;
        let c = doc.profiles.get(id).ok_or_else(|| unknown(id))?;
        let url = c.base_url.clone().unwrap_or_default();
        let probed =
            endpoints::probe(&c.provider, &url, c.key.as_deref(), endpoints::CHECK_LIMIT).await;
        self.reach
            .lock()
            .unwrap()
            .insert(url.clone(), probed.clone().ok());
        let first = match &probed {
            Ok(models) => models.first().cloned(),
            Err(_) => None,
        };
        if let Some(m) = first {
            return Ok(Ok(m));
        }
        self.publish().await;
        Ok(Err(match probed {
            Err(why) => why.message(&url),
            Ok(_) => format!("{url} answers but serves no model. Pull or load one first."),
        }))
    }

    /// `check` for OpenAI profiles: the codex CLI's own sign-in asked again; a ChatGPT sign-in
    /// renewed if due (a refused renewal is the answer); an API key shown to the models listing,
    /// the smallest authenticated request there is.
    async fn check_openai(&self, p: &Profile) -> Result<ProfileCheckResult> {
        let answer = |ok: bool, message: String| Ok(ProfileCheckResult { ok, message });
        if p.id == CODEX_CLI_ID {
            self.recheck_codex_cli().await;
            let now = self.codex_cli.lock().unwrap().0.clone();
            return match now {
                Some((ProfileStatus::Ok, detail)) => answer(true, detail),
                Some((_, detail)) => answer(false, detail),
                None => answer(false, "The codex CLI is not installed.".into()),
            };
        }
        if p.kind == ProfileType::Oauth {
            return match self.fresh_oauth(&p.id).await {
                Ok(c) => {
                    self.succeeded(&p.id).await;
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
        let doc = self.read().await?;
        let key = doc
            .profiles
            .get(&p.id)
            .and_then(|c| c.key.clone())
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
        self.used(&p.id).await;
        match sent.map(|r| r.status()) {
            Ok(s) if s.is_success() => {
                self.succeeded(&p.id).await;
                answer(true, format!("{} works.", p.id))
            }
            Ok(s) if s.as_u16() == 401 || s.as_u16() == 403 => {
                let m = format!("OpenAI refused the key of {} ({s}).", p.id);
                self.failed(&p.id, &m).await;
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

    /// `grove/profiles/import`: what `add` would take, each entry checked as `add` checks it;
    /// the rest skipped with why.
    pub async fn import(&self) -> Result<ProfilesImported> {
        let found = blocking(import::found).await;
        let (imported, skipped) = self
            .update(move |doc| {
                let (take, skip) = import::plan(doc, &found);
                let ids: Vec<String> = take.iter().map(|(id, _)| id.clone()).collect();
                for c in take.iter().map(|(_, c)| c) {
                    for s in [&c.token, &c.key, &c.access, &c.refresh]
                        .into_iter()
                        .flatten()
                    {
                        remember(s);
                    }
                }
                doc.profiles.extend(take);
                (ids, skip)
            })
            .await?;
        tracing::info!(
            imported = imported.len(),
            skipped = skipped.len(),
            "imported profiles"
        );
        Ok(ProfilesImported {
            imported,
            skipped: skipped.iter().map(|(id, _)| id.clone()).collect(),
            reasons: skipped.into_iter().collect(),
        })
    }
}

/// Every secret of the store remembered, so that no log line shows one.
fn remember_secrets(doc: &Document) {
    for c in doc.profiles.values() {
        for s in [&c.key, &c.token, &c.access, &c.refresh]
            .into_iter()
            .flatten()
        {
            remember(s);
        }
    }
}

/// Every id in the store, usable or not.
fn store_ids(doc: &Document) -> Vec<String> {
    doc.profiles
        .keys()
        .chain(doc.unusable.keys())
        .cloned()
        .collect()
}

/// Tokens the codex CLI renewed during a run, taken into the stored credential `c` (checked
/// already); false when they are the ones stored.
fn take_back(c: &mut Credential, auth: crate::agents::codex::openai::AuthJson) -> bool {
    if c.refresh.as_deref() == Some(auth.refresh.as_str()) {
        return false;
    }
    remember(&auth.access);
    remember(&auth.refresh);
    c.expires = crate::agents::codex::openai::expiry_ms(&auth.access).or(c.expires);
    c.access = Some(auth.access);
    c.refresh = Some(auth.refresh);
    if let Some(idt) = auth.id_token {
        remember(&idt);
        c.rest.insert("idToken".into(), idt.into());
    }
    true
}

/// The variables for one credential. The base URL of Anthropic's own API can be moved with
/// `GROVE_ANTHROPIC_API_URL` (for tests, as the usage endpoint is).
fn env_for(c: &Credential, model: Option<&str>) -> RunEnv {
    let mut env = RunEnv {
        remove: PROVIDER_ENV.to_vec(),
        set: Vec::new(),
    };
    let anthropic_api = std::env::var("GROVE_ANTHROPIC_API_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    match c.kind {
        Some(ProfileType::Token) => {
            env.set.push((
                "CLAUDE_CODE_OAUTH_TOKEN",
                c.token.clone().unwrap_or_default(),
            ));
            env.set
                .extend(anthropic_api.map(|u| ("ANTHROPIC_BASE_URL", u)));
        }
        Some(ProfileType::Oauth) => {
            env.set.push((
                "CLAUDE_CODE_OAUTH_TOKEN",
                c.access.clone().unwrap_or_default(),
            ));
            env.set
                .extend(anthropic_api.map(|u| ("ANTHROPIC_BASE_URL", u)));
        }
        Some(ProfileType::ApiKey) => {
            env.set
                .push(("ANTHROPIC_API_KEY", c.key.clone().unwrap_or_default()));
            env.set
                .extend(anthropic_api.map(|u| ("ANTHROPIC_BASE_URL", u)));
        }
        Some(ProfileType::Endpoint) => {
            let placeholder = match c.provider.as_str() {
                "ollama" => "ollama",
                "lmstudio" => "lmstudio",
                _ => "grove",
            };
            env.set
                .push(("ANTHROPIC_BASE_URL", c.base_url.clone().unwrap_or_default()));
            env.set.push((
                "ANTHROPIC_AUTH_TOKEN",
                c.key.clone().unwrap_or_else(|| placeholder.to_string()),
            ));
            if c.provider == "ollama" {
                // Ollama's prompt cache needs a stable header; an empty key keeps the CLI off
                // any other key.
                env.set.push(("ANTHROPIC_API_KEY", String::new()));
                env.set.push(("CLAUDE_CODE_ATTRIBUTION_HEADER", "0".into()));
            }
            // The CLI's background requests (titles, command prefixes) go to a model the
            // server has.
            if let Some(m) = model {
                env.set.push(("ANTHROPIC_SMALL_FAST_MODEL", m.to_string()));
                env.set
                    .push(("ANTHROPIC_DEFAULT_HAIKU_MODEL", m.to_string()));
            }
        }
        Some(ProfileType::Cli | ProfileType::Unknown) | None => return RunEnv::default(),
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An OpenAI-style token: no prefix anything would recognize.
    fn opaque(i: usize, what: &str) -> String {
        format!("{what}{i:03}QmFzZTY0{}", "Zx".repeat(30 + i % 5))
    }

    #[test]
    fn every_secret_of_40_profiles_is_masked_in_logs() {
        let mut doc = Document::default();
        for i in 0..40 {
            doc.profiles.insert(
                format!("openai-codex:p{i}"),
                Credential {
                    kind: Some(ProfileType::Oauth),
                    provider: "openai-codex".into(),
                    key: Some(opaque(i, "key")),
                    token: Some(opaque(i, "tok")),
                    access: Some(opaque(i, "acc")),
                    refresh: Some(opaque(i, "ref")),
                    ..Credential::default()
                },
            );
        }
        remember_secrets(&doc);
        for c in doc.profiles.values() {
            for s in [&c.key, &c.token, &c.access, &c.refresh]
                .into_iter()
                .flatten()
            {
                let line = redact(&format!("refresh failed for token {s}: 401"));
                assert!(!line.contains(s.as_str()), "{line}");
            }
        }
    }

    fn auth(access: &str, refresh: &str) -> crate::agents::codex::openai::AuthJson {
        crate::agents::codex::openai::AuthJson {
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
            crate::agents::codex::openai::AuthJson {
                id_token: Some("x".repeat(input::MAX_SECRET + 1)),
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

    #[test]
    fn each_provider_gets_exactly_its_own_variables() {
        let ollama = Credential {
            kind: Some(ProfileType::Endpoint),
            provider: "ollama".into(),
            base_url: Some("http://localhost:11434".into()),
            ..Credential::default()
        };
        let env = env_for(&ollama, Some("qwen3-coder"));
        assert!(env.remove.contains(&"ANTHROPIC_BASE_URL"));
        assert!(env.remove.contains(&"ANTHROPIC_MODEL"));
        let set: HashMap<_, _> = env.set.iter().cloned().collect();
        assert_eq!(set["ANTHROPIC_BASE_URL"], "http://localhost:11434");
        assert_eq!(set["ANTHROPIC_AUTH_TOKEN"], "ollama");
        assert_eq!(set["ANTHROPIC_API_KEY"], "");
        assert_eq!(set["CLAUDE_CODE_ATTRIBUTION_HEADER"], "0");
        let token = Credential {
            kind: Some(ProfileType::Token),
            provider: "anthropic".into(),
            token: Some("sk-ant-oat01-SECRET".into()),
            ..Credential::default()
        };
        let env = env_for(&token, None);
        assert!(
            env.set
                .contains(&("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-SECRET".into()))
        );
        assert!(
            !format!("{env:?}").contains("SECRET"),
            "Debug shows names only"
        );
    }
}
