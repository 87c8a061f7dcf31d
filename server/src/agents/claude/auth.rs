//! Sign-in status: runs `claude auth status --json`, caches the answer, watches the CLI's
//! credentials file and pushes `grove/auth/statusChanged` only when the status really changed.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use notify::{RecursiveMode, Watcher};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::paths::{CREDENTIALS_FILE, claude_config_dir};
use crate::cli::{self, Cli};
use crate::clock::now_rfc3339;
use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::protocol::{AuthFailure, AuthStatus, AuthStatusChanged, CliInfo, FailureSource};
use crate::redact::redact;

const STATUS_TIMEOUT: Duration = Duration::from_secs(10);
/// Editors and the CLI write a file in several steps; one check covers them all.
const SETTLE: Duration = Duration::from_millis(150);

pub struct Auth {
    notifier: Notifier,
    cli: Arc<Cli>,
    state: Mutex<State>,
    /// One `claude auth status` at a time; callers that waited reuse the answer.
    check_lock: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    cached: Option<AuthStatus>,
    last_sent: Option<AuthStatus>,
    last_failure: Option<AuthFailure>,
    /// The credentials file as it was when `cached` was taken.
    checked_fingerprint: Option<Fingerprint>,
    /// Finished checks, so that a caller who waited for one knows it got a fresh answer.
    checks: u64,
}

/// What the credentials file looks like from outside: existence, size, inode, mtime. The file
/// itself is never read here; only the opt-in usage path may read the CLI's tokens.
type Fingerprint = Option<(u64, u64, Option<SystemTime>)>;

fn credentials_fingerprint(dir: Option<&Path>) -> Fingerprint {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir?.join(CREDENTIALS_FILE)).ok()?;
    Some((meta.len(), meta.ino(), meta.modified().ok()))
}

/// `claude auth status --json`, as much of it as Grove uses; unknown fields are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct CliStatus {
    logged_in: bool,
    auth_method: Option<String>,
    api_provider: Option<String>,
    email: Option<String>,
    org_name: Option<String>,
    subscription_type: Option<String>,
}

fn parse_cli_status(stdout: &str) -> Option<CliStatus> {
    let start = stdout.find('{')?;
    let end = stdout.rfind('}')?;
    serde_json::from_str(stdout.get(start..=end)?).ok()
}

/// Two statuses are the same news when they differ at most in when they were checked.
fn same_news(a: &AuthStatus, b: &AuthStatus) -> bool {
    AuthStatus {
        checked_at: String::new(),
        ..a.clone()
    } == AuthStatus {
        checked_at: String::new(),
        ..b.clone()
    }
}

impl Auth {
    pub fn new(notifier: Notifier, cli: Arc<Cli>) -> Self {
        Self {
            notifier,
            cli,
            state: Mutex::default(),
            check_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// `grove/auth/status`: the cached answer, or a fresh one when forced or when there is none.
    pub async fn status(&self, force: bool) -> Result<AuthStatus> {
        if !force && let Some(s) = self.state.lock().unwrap().cached.clone() {
            return Ok(s);
        }
        self.check(force).await
    }

    /// The last status checked, without checking (None before the first check).
    pub fn cached(&self) -> Option<AuthStatus> {
        self.state.lock().unwrap().cached.clone()
    }

    /// How many checks have finished (0: the first one is still running or has not started).
    pub fn checks(&self) -> u64 {
        self.state.lock().unwrap().checks
    }

    /// Runs the CLI (unless `force` is off and a check finished while this one waited), updates
    /// the cache and notifies the client if the news changed.
    pub async fn check(&self, force: bool) -> Result<AuthStatus> {
        let result = self.refresh_with(force).await;
        if result.is_ok() {
            self.publish().await;
        }
        result
    }

    /// A fresh status into the cache, without telling the client yet (see `publish`).
    pub async fn refresh(&self) -> Result<AuthStatus> {
        self.refresh_with(true).await
    }

    async fn refresh_with(&self, force: bool) -> Result<AuthStatus> {
        let seen = self.state.lock().unwrap().checks;
        let _one_at_a_time = self.check_lock.lock().await;
        {
            let st = self.state.lock().unwrap();
            if !force
                && st.checks != seen
                && let Some(s) = &st.cached
            {
                return Ok(s.clone());
            }
        }
        let fingerprint = credentials_fingerprint(claude_config_dir().as_deref());
        let result = self.run_check().await;
        let mut st = self.state.lock().unwrap();
        st.checks += 1;
        st.checked_fingerprint = Some(fingerprint);
        st.cached = result.as_ref().ok().cloned();
        result
    }

    /// Records an authentication failure seen anywhere; the client hears of it at once.
    pub async fn record_failure(&self, source: FailureSource, message: &str) {
        let failure = AuthFailure {
            message: redact(message),
            source,
            at: now_rfc3339(),
        };
        tracing::warn!(?source, "authentication failed: {}", failure.message);
        self.set_failure(Some(failure)).await;
    }

    /// A sign-in or validation succeeded: the last failure is over.
    pub async fn clear_failure(&self) {
        self.set_failure(None).await;
    }

    /// Drops the last failure without telling the client; the check that follows does.
    fn forget_failure(&self) {
        let mut st = self.state.lock().unwrap();
        st.last_failure = None;
        if let Some(cached) = st.cached.as_mut() {
            cached.last_failure = None;
        }
    }

    async fn set_failure(&self, failure: Option<AuthFailure>) {
        let have_status = {
            let mut st = self.state.lock().unwrap();
            st.last_failure = failure.clone();
            if let Some(cached) = st.cached.as_mut() {
                cached.last_failure = failure;
            }
            st.cached.is_some()
        };
        if have_status {
            self.publish().await;
        } else {
            let _ = self.check(false).await;
        }
    }

    async fn run_check(&self) -> Result<AuthStatus> {
        let path = self.cli.resolve(&super::BINARY).await?;
        let (status, version) = tokio::join!(run_status(&path), self.cli.version(&path));
        let status = status?;
        let last_failure = self.state.lock().unwrap().last_failure.clone();
        Ok(AuthStatus {
            logged_in: status.logged_in,
            auth_method: status.auth_method.unwrap_or_else(|| "none".into()),
            api_provider: status.api_provider,
            email: status.email,
            org_name: status.org_name,
            subscription_type: status.subscription_type,
            cli: CliInfo {
                path: path.display().to_string(),
                version,
            },
            checked_at: now_rfc3339(),
            last_failure,
        })
    }

    /// Sends `grove/auth/statusChanged` if the cached status is news to the client.
    pub async fn publish(&self) {
        let news = {
            let mut st = self.state.lock().unwrap();
            let cur = st.cached.clone();
            match cur {
                Some(cur) if !st.last_sent.as_ref().is_some_and(|s| same_news(s, &cur)) => {
                    st.last_sent = Some(cur.clone());
                    Some(cur)
                }
                _ => None,
            }
        };
        if let Some(status) = news {
            tracing::info!(logged_in = status.logged_in, method = %status.auth_method, "sign-in status changed");
            self.notifier.notify::<AuthStatusChanged>(&status).await;
        }
    }

    /// The first check, then a re-check within about a second of every change to the credentials
    /// file (the CLI replaces it, so its folder is watched, and the folder's parent for the folder).
    pub fn start(self: &Arc<Self>) {
        let (tx, mut rx) = mpsc::unbounded_channel::<()>();
        let dir = claude_config_dir();
        let watcher = dir.clone().and_then(|dir| watch(dir, tx));
        let auth = Arc::clone(self);
        tokio::spawn(async move {
            let _ = auth.check(false).await;
            let Some((mut watcher, dir)) = watcher.zip(dir) else {
                return;
            };
            while rx.recv().await.is_some() {
                tokio::time::sleep(SETTLE).await;
                while rx.try_recv().is_ok() {}
                // The folder may have been (re)created: watch it again; an error means it is gone.
                let _ = watcher.watch(&dir, RecursiveMode::NonRecursive);
                let now = credentials_fingerprint(Some(&dir));
                let before = auth.state.lock().unwrap().checked_fingerprint;
                if before != Some(now) {
                    tracing::debug!("credentials changed on disk; checking the sign-in status");
                    if now.is_some() {
                        // New credentials: a failure seen with the old ones is over.
                        auth.forget_failure();
                    }
                    let _ = auth.check(true).await;
                }
            }
        });
    }
}

/// Watches `dir` and its parent, sending a tick for events about `dir` or its credentials file.
fn watch(dir: PathBuf, tx: mpsc::UnboundedSender<()>) -> Option<notify::RecommendedWatcher> {
    let credentials = dir.join(CREDENTIALS_FILE);
    let target = dir.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev
            && ev.paths.iter().any(|p| *p == credentials || *p == target)
        {
            let _ = tx.send(());
        }
    })
    .map_err(|e| tracing::warn!("cannot watch the claude config folder: {e}"))
    .ok()?;
    if let Some(parent) = dir.parent() {
        let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
    }
    let _ = watcher.watch(&dir, RecursiveMode::NonRecursive);
    Some(watcher)
}

/// Runs `claude auth status --json`. A logged-out CLI exits 1 and still answers on stdout.
async fn run_status(path: &Path) -> Result<CliStatus> {
    let mut cmd = cli::command(path);
    cmd.args(["auth", "status", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let failed = |what: String| {
        tracing::warn!("{what}");
        Error::CliFailed(what)
    };
    let out = match tokio::time::timeout(STATUS_TIMEOUT, cmd.output()).await {
        Err(_) => {
            return Err(failed(
                "`claude auth status` did not answer within 10 s.".into(),
            ));
        }
        Ok(Err(e)) => return Err(failed(format!("Could not run {}: {e}", path.display()))),
        Ok(Ok(out)) => out,
    };
    parse_cli_status(&String::from_utf8_lossy(&out.stdout)).ok_or_else(|| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output");
        failed(format!(
            "`claude auth status --json` gave no status ({}): {}",
            out.status,
            redact(last.trim())
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> CliStatus {
        parse_cli_status(&crate::fixtures::read(name)).unwrap()
    }

    #[test]
    fn parses_every_recorded_status() {
        let out = fixture("auth-status-logged-out.json");
        assert!(!out.logged_in);
        assert_eq!(out.auth_method.as_deref(), Some("none"));
        let max = fixture("auth-status-claudeai-max.json");
        assert!(max.logged_in);
        assert_eq!(max.auth_method.as_deref(), Some("claude.ai"));
        assert_eq!(max.subscription_type.as_deref(), Some("max"));
        assert_eq!(
            fixture("auth-status-env-api-key.json")
                .auth_method
                .as_deref(),
            Some("api_key")
        );
        assert_eq!(
            fixture("auth-status-env-oauth-token.json")
                .auth_method
                .as_deref(),
            Some("oauth_token")
        );
    }

    #[test]
    fn tolerates_noise_and_rejects_non_json() {
        assert!(
            parse_cli_status("warning: x\n{\"loggedIn\":true,\"new\":[1]}\n")
                .unwrap()
                .logged_in
        );
        assert!(parse_cli_status("Not logged in").is_none());
    }
}
