//! Auth profiles: `grove/profiles/*`. The store every sidecar shares, the status of each profile
//! (the agent CLIs' own sign-ins among them), which profile a run uses and, through its agent
//! CLI's adapter, the environment it gets, cooldowns after failures, local model servers, and the
//! CoderClaw import. Secrets leave the store only as a run's environment.

pub mod command;
pub mod endpoints;
mod import;
pub mod input;
pub mod status;
pub mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::agents::adapter::{AgentAdapter, OwnCx, OwnSignIn};
use crate::agents::registry;
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::protocol::{
    Profile, ProfileAddParams, ProfileCheckResult, ProfileStatus, ProfileType, ProfilesChanged,
    ProfilesDetected, ProfilesImported, ProfilesList,
};
use crate::redact::{redact, remember};
pub use input::refused;
use store::{Credential, Document, Store};

/// How often a finished check of a CLI's own sign-in is looked for (cheap: a counter).
const CLI_WATCH_EVERY: Duration = Duration::from_millis(250);
/// Every this many of those (2 s), the store and the clock are looked at for changes made
/// elsewhere (another window's sidecar, a token crossing into "expiring").
const WATCH_TICKS: u32 = 8;
/// Every this many watches the listing is recomputed anyway (statuses change with time).
const RECOMPUTE_EVERY: u32 = 15;

pub use crate::process::RunEnv;

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

/// The profile a run uses, and what it runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub id: String,
    pub provider: String,
    pub model: Option<String>,
}

/// An agent CLI's own sign-in: its profile, and its status where the CLI tells it.
struct OwnProfile {
    id: &'static str,
    label: &'static str,
    sign_in: Option<Arc<dyn OwnSignIn>>,
}

pub struct Profiles {
    notifier: Notifier,
    /// Every agent CLI's own sign-in, in the registry's order.
    own: Vec<OwnProfile>,
    store: Arc<Store>,
    state_dir: PathBuf,
    /// Per endpoint base URL: its models, or None when it did not answer.
    reach: Mutex<HashMap<String, Option<Vec<String>>>>,
    last_sent: tokio::sync::Mutex<Option<ProfilesList>>,
    /// Called after the client is told of a change (the agent registry looks again).
    on_change: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
}

/// The store could not be read or written: logged, and the error the client gets.
pub fn store_failed(e: std::io::Error) -> Error {
    let e = redact(&e.to_string());
    tracing::warn!("the profile store could not be used: {e}");
    Error::StoreFailed(format!("The auth profile store could not be used: {e}"))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

/// "There is no such auth profile".
pub fn unknown(id: &str) -> Error {
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
    pub fn new(notifier: Notifier, cx: &OwnCx, state_dir: PathBuf) -> Self {
        let own = registry::adapters()
            .iter()
            .map(|a| OwnProfile {
                id: a.own_profile(),
                label: a.label(),
                sign_in: a.own_sign_in(cx),
            })
            .collect();
        Self {
            notifier,
            own,
            store: Arc::new(Store::new(state_dir.clone())),
            state_dir,
            reach: Mutex::default(),
            last_sent: tokio::sync::Mutex::new(None),
            on_change: Mutex::new(None),
        }
    }

    /// Where the store and the per-profile folders are.
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// The store as it is now.
    pub async fn document(&self) -> Result<Document> {
        self.read().await
    }

    /// Stored profile `id`, read afresh.
    pub async fn credential(&self, id: &str) -> Result<Option<Credential>> {
        Ok(self.read().await?.profiles.get(id).cloned())
    }

    /// Profile `id`'s lock, shared by every sidecar: held while its credential is renewed or its
    /// folders change.
    pub async fn lock(&self, id: &str) -> Result<crate::store::FileLock> {
        let lock_path = store::refresh_lock(&self.state_dir, id);
        blocking(move || crate::store::FileLock::exclusive(&lock_path))
            .await
            .map_err(store_failed)
    }

    /// A credential an agent CLI's sign-in made, stored as `id` (replacing one of that id) and
    /// starting afresh.
    pub async fn store_credential(&self, id: &str, cred: Credential) -> Result<()> {
        let key = id.to_string();
        self.update(move |doc| {
            doc.profiles.insert(key.clone(), cred);
            if let Some(u) = doc.usage.get_mut(&key) {
                status::succeed(u);
                u.last_failure = None;
            }
        })
        .await
    }

    /// The own sign-in whose profile is `id`, where its CLI tells its status.
    pub fn own(&self, id: &str) -> Option<Arc<dyn OwnSignIn>> {
        self.own
            .iter()
            .find(|o| o.id == id)
            .and_then(|o| o.sign_in.clone())
    }

    /// After a CLI's own sign-in or sign-out: its status afresh, and the client told.
    pub async fn look_again(&self, id: &str) {
        if let Some(o) = self.own(id) {
            o.look(true).await;
        }
        self.publish().await;
    }

    /// The own sign-ins to list now.
    fn own_listed(&self) -> Vec<status::Own> {
        self.own
            .iter()
            .filter_map(|o| {
                let (status, detail) = match &o.sign_in {
                    Some(s) => s.known()?,
                    None => (ProfileStatus::Static, format!("{}'s own sign-in", o.label)),
                };
                Some(status::Own {
                    id: o.id.into(),
                    status,
                    detail: Some(detail),
                })
            })
            .collect()
    }

    /// Finished checks of the own sign-ins, all told.
    fn own_checks(&self) -> u64 {
        self.own
            .iter()
            .filter_map(|o| o.sign_in.as_ref())
            .map(|s| s.checks())
            .sum()
    }

    async fn read(&self) -> Result<Document> {
        let store = self.store.clone();
        let doc = blocking(move || store.read()).await.map_err(store_failed)?;
        remember_secrets(&doc);
        Ok(doc)
    }

    /// Changes the store under its lock; the client is told.
    pub async fn update<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Document) -> T + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        let out = blocking(move || store.update(change))
            .await
            .map_err(store_failed)?;
        self.publish().await;
        Ok(out)
    }

    fn listing(&self, doc: &Document) -> ProfilesList {
        let reach = self.reach.lock().unwrap().clone();
        let own = self.own_listed();
        let facts = status::Facts {
            now: now_ms(),
            own: &own,
            reach: &reach,
        };
        let (order, mut profiles) = status::list(doc, &facts);
        for p in &mut profiles {
            p.agents = registry::agents_for_provider(&p.provider);
        }
        // `active`: the one a run of the default agent CLI would take.
        let first = default_provider();
        let defaults: Vec<Profile> = profiles
            .iter()
            .filter(|p| p.provider == first)
            .cloned()
            .collect();
        let active = status::pick(&defaults).map(|p| p.id.clone());
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
        for s in self.own.iter().filter_map(|o| o.sign_in.as_ref()) {
            s.look(false).await;
        }
        let doc = self.read().await?;
        Ok(self.listing(&doc))
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
            let mut checks = this.own_checks();
            let mut ticks = 0u32;
            loop {
                tokio::time::sleep(CLI_WATCH_EVERY).await;
                let now_checks = this.own_checks();
                if now_checks != checks {
                    // A CLI's own sign-in was checked: its profile is no longer `checking`.
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
        // Merged, not replaced: a profile added meanwhile keeps what its own check found.
        self.reach.lock().unwrap().extend(reach);
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
            ProfileType::Token => cred.token = Some(input::secret(&provider, p.kind, secret)?),
            ProfileType::ApiKey => {
                cred.key = Some(input::secret(&provider, p.kind, secret)?);
                // A kind that asks for a base URL (a gateway's) takes one, when given.
                let asks = input::kind(&provider, p.kind).is_some_and(|k| k.ask_url);
                if let Some(u) = p
                    .base_url
                    .as_deref()
                    .filter(|u| asks && !u.trim().is_empty())
                {
                    cred.base_url = Some(input::base_url(u)?);
                }
            }
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
            None => input::default_url(provider).ok_or_else(|| {
                refused(
                    "badUrl",
                    "Give the gateway's base URL (http:// or https://).",
                )
            })?,
        };
        let key = input::endpoint_key(secret)?;
        let needs_key = input::kind(provider, ProfileType::Endpoint)
            .is_some_and(|k| k.secret == crate::protocol::SecretAsk::Required);
        if needs_key && key.is_none() {
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
        if let Some(a) = registry::adapters().iter().find(|a| a.own_profile() == id) {
            return Err(refused(
                "builtIn",
                format!(
                    "{}'s own sign-in is always there; {}",
                    a.label(),
                    a.sign_out_hint()
                ),
            ));
        }
        tracing::info!(%id, "removing an auth profile");
        // Under the profile's lock when it is there: no renewal of it writes its folders
        // meanwhile. (An id that is not there makes no lock file.)
        let _held = if self.read().await?.has(&id) {
            Some(self.lock(&id).await?)
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
                (removed, doc.ids())
            })
            .await?;
        // What an agent CLI kept for it (a live refresh token, sessions) goes with it, never to
        // a later profile.
        let dir = self.state_dir.clone();
        blocking(move || {
            for a in registry::adapters() {
                a.profile_removed(&dir, &id, &others, removed.as_ref());
            }
        })
        .await;
        Ok(())
    }

    /// `grove/profiles/setOrder`: the ids given first, in that order.
    pub async fn set_order(&self, provider: String, ids: Vec<String>) -> Result<()> {
        let doc = self.read().await?;
        let builtin = registry::is_own_profile;
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

    /// Whether a profile id exists (an agent CLI's own does while it is listed).
    pub async fn exists(&self, id: &str) -> Result<bool> {
        if let Some(o) = self.own.iter().find(|o| o.id == id) {
            return Ok(o.sign_in.as_ref().is_none_or(|s| s.known().is_some()));
        }
        Ok(self.read().await?.profiles.contains_key(id))
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
                        first.unwrap_or(default_provider()).to_string()
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
                let default_own = registry::default_adapter().own_profile();
                let own =
                    registry::for_provider(&provider).map_or(default_own, |a| a.own_profile());
                match default.or_else(|| status::pick(&ordered).and_then(|p| find(&p.id))) {
                    Some(p) => p,
                    None => find(own)
                        .or_else(|| find(default_own))
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

    /// The variables agent CLI `adapter` runs with for profile `id` (read afresh: a replaced
    /// secret counts from the next run on).
    pub async fn env(
        &self,
        adapter: &dyn AgentAdapter,
        id: &str,
        model: Option<&str>,
    ) -> std::result::Result<RunEnv, RunEnvError> {
        if registry::is_own_profile(id) {
            return adapter.run_env(self, id, None, model).await;
        }
        let c = self
            .credential(id)
            .await
            .map_err(RunEnvError::Other)?
            .ok_or_else(|| RunEnvError::Other(unknown(id)))?;
        adapter.run_env(self, id, Some(c), model).await
    }

    /// After a run of `adapter` with profile `id`: what the CLI changed of it, taken back.
    pub async fn after_run(&self, adapter: &dyn AgentAdapter, id: &str) {
        adapter.after_profile_run(self, id).await;
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
        match registry::for_provider(&p.provider) {
            Some(a) => a.check_profile(self, cli, &p).await,
            None => Ok(ProfileCheckResult {
                ok: false,
                message: format!("No agent CLI runs profiles of {}.", p.provider),
            }),
        }
    }

    /// An endpoint profile asked for its models (remembered for the listing): the first one, or
    /// what went wrong.
    pub async fn check_endpoint(&self, id: &str) -> Result<std::result::Result<String, String>> {
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

    /// `grove/profiles/inherited`: the API keys in the sidecar's environment that an agent CLI's
    /// profile kind takes (names only; no run gets them).
    pub fn inherited(&self) -> crate::protocol::InheritedKeys {
        let mut keys: Vec<crate::protocol::InheritedKey> = Vec::new();
        for a in registry::adapters() {
            for (variable, kind) in a.inherited_keys() {
                let set = std::env::var(variable).is_ok_and(|v| !v.trim().is_empty());
                let Some(k) = a.profile_kinds().into_iter().find(|k| k.id == *kind) else {
                    continue;
                };
                if set && !keys.iter().any(|i| i.variable == *variable) {
                    keys.push(crate::protocol::InheritedKey {
                        variable: variable.to_string(),
                        provider: k.provider,
                        kind: k.id,
                        agent: a.id().into(),
                    });
                }
            }
        }
        crate::protocol::InheritedKeys { keys }
    }

    /// `grove/profiles/adoptInherited`: an inherited key added as a profile, as `add` adds a
    /// pasted one.
    pub async fn adopt(&self, variable: &str, name: String) -> Result<Profile> {
        let Some(key) = self
            .inherited()
            .keys
            .into_iter()
            .find(|k| k.variable == variable)
        else {
            return Err(refused(
                "notInherited",
                "No such API key is in Grove's environment; add the profile with its key instead.",
            ));
        };
        let kind = registry::adapter(&key.agent)
            .and_then(|a| a.profile_kinds().into_iter().find(|k| k.id == key.kind))
            .map_or(ProfileType::ApiKey, |k| k.kind);
        self.add(ProfileAddParams {
            provider: key.provider,
            name,
            kind,
            secret: std::env::var(variable).ok(),
            label: Some(format!("From {variable}")),
            base_url: None,
        })
        .await
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

/// The first provider of the default agent CLI.
fn default_provider() -> &'static str {
    registry::default_adapter()
        .providers()
        .first()
        .copied()
        .unwrap_or_default()
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
}
