//! Landing a workspace's work: where it stands against its base (`status`, kept current by
//! `watch`), commit, sync with the base (rebase or merge, conflicts, continue, abort), merge into
//! the base, apply to the main checkout, push, and pull requests (`pr`). git2 reads; the git CLI
//! changes checkouts and runs hooks, every process from `process::command`.

mod apply;
mod commit;
mod merge;
pub mod pr;
mod push;
mod status;
mod sync;
mod watch;

use std::collections::HashMap;
use std::ffi::OsStr;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;

use crate::error::{BusyReason, Error, Result};
use crate::notifier::Notifier;
use crate::protocol::{
    GitStatus, GitStatusChangedParams, GroveSettings, MergeMethod, PullRequest, Run, RunState,
    SyncMethod, WorkspaceApplyResult, WorkspaceCommitMessage, WorkspaceCommitResult,
    WorkspaceCreatePullRequestParams, WorkspaceCreatePullRequestResult, WorkspaceGitStatusChanged,
    WorkspaceMergeParams, WorkspaceMergeResult, WorkspacePushParams, WorkspacePushResult,
    WorkspaceResolvePrompt, WorkspaceState, WorkspaceSyncParams, WorkspaceSyncResult,
};
use crate::workspaces::Workspaces;

/// The landing settings (`grove.*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub commit_after_each_run: bool,
    pub sync_method: SyncMethod,
    pub merge_method: MergeMethod,
    pub remote: Option<String>,
    pub gh_path: Option<String>,
}

/// Says whether a run of this sidecar is queued or running in a workspace (from `agents`).
pub type BusyCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;
/// The prompts of a workspace's runs, oldest first (from `agents`).
pub type PromptsOf =
    Arc<dyn Fn(String) -> Pin<Box<dyn Future<Output = Vec<String>> + Send>> + Send + Sync>;

/// How long a pull request's state read from gh is trusted.
const PR_FRESH: Duration = Duration::from_secs(60);

/// A status known to be current, and how many changes touched the workspace so far.
#[derive(Debug, Default)]
struct Fresh {
    generation: u64,
    status: Option<GitStatus>,
}

/// One workspace as landing needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub id: String,
    pub name: String,
    /// The main checkout.
    pub repo: PathBuf,
    /// The worktree; `None` while archived.
    pub worktree: Option<PathBuf>,
    pub branch: String,
    pub base_ref: String,
    pub base_commit: String,
}

impl Target {
    /// The worktree, or an error that says to restore the workspace.
    pub fn worktree(&self) -> Result<&Path> {
        self.worktree.as_deref().ok_or_else(|| {
            Error::invalid_params(format!(
                "The workspace {} is archived: restore it first.",
                self.name
            ))
        })
    }

    /// Where git2 reads the branch: the worktree, or the main checkout while archived.
    pub fn git_dir(&self) -> &Path {
        self.worktree.as_deref().unwrap_or(&self.repo)
    }

    /// The base branch's full ref name; `None` when the base is a commit (a detached `HEAD`).
    pub fn base_branch_ref(&self) -> Option<String> {
        (self.base_ref != "HEAD").then(|| format!("refs/heads/{}", self.base_ref))
    }

    pub fn branch_ref(&self) -> String {
        format!("refs/heads/{}", self.branch)
    }

    /// Where Grove records the tip it squashed or rebased onto the base.
    pub fn merged_ref(&self) -> String {
        format!("{}{}", crate::workspaces::MERGED_REFS, self.id)
    }
}

/// The landing feature: one per sidecar.
pub struct Landing {
    notifier: Notifier,
    workspaces: Arc<Workspaces>,
    settings: Mutex<Settings>,
    busy: Mutex<Option<BusyCheck>>,
    prompts: Mutex<Option<PromptsOf>>,
    /// The last status each client was told (answered or notified), by workspace.
    told: Mutex<HashMap<String, GitStatus>>,
    /// Statuses known to be current, for watched workspaces: the watcher drops an entry the moment
    /// a change that touches it arrives (and bumps its generation, so a computation that started
    /// before the change is not kept).
    fresh: Mutex<HashMap<String, Fresh>>,
    /// Pull requests as gh last reported them, and when.
    pulls: Mutex<HashMap<String, (Instant, Option<PullRequest>)>>,
    watch: watch::Watch,
}

/// Runs blocking work (git2) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

fn git2_failed(e: git2::Error) -> Error {
    Error::GitFailed(e.message().to_string())
}

impl Landing {
    pub fn new(notifier: Notifier, workspaces: Arc<Workspaces>) -> Arc<Self> {
        Arc::new_cyclic(|me: &std::sync::Weak<Landing>| Self {
            notifier,
            workspaces,
            settings: Mutex::new(Settings::default()),
            busy: Mutex::default(),
            prompts: Mutex::default(),
            told: Mutex::default(),
            fresh: Mutex::default(),
            pulls: Mutex::default(),
            watch: watch::Watch::new(me.clone()),
        })
    }

    /// The landing settings, applied at once.
    pub fn apply_settings(&self, s: &GroveSettings) {
        *self.settings.lock().unwrap() = Settings {
            commit_after_each_run: s.commit_after_each_run.unwrap_or(false),
            sync_method: s.sync_method.unwrap_or_default(),
            merge_method: s.merge_method.unwrap_or_default(),
            remote: s.remote.clone().filter(|r| !r.trim().is_empty()),
            gh_path: s.gh_path.clone().filter(|p| !p.trim().is_empty()),
        };
    }

    fn settings(&self) -> Settings {
        self.settings.lock().unwrap().clone()
    }

    pub fn set_busy_check(&self, check: BusyCheck) {
        *self.busy.lock().unwrap() = Some(check);
    }

    pub fn set_prompts(&self, prompts: PromptsOf) {
        *self.prompts.lock().unwrap() = Some(prompts);
    }

    /// Refuses while a run of this sidecar is queued or running in the workspace.
    fn refuse_busy(&self, id: &str) -> Result<()> {
        let busy = self.busy.lock().unwrap().clone();
        if busy.is_some_and(|b| b(id)) {
            return Err(Error::WorkspaceBusy {
                id: id.to_string(),
                reason: BusyReason::AgentRunning,
            });
        }
        Ok(())
    }

    async fn target(&self, id: &str) -> Result<Target> {
        let ws = self.workspaces.get(id).await?;
        let active = ws.state == WorkspaceState::Active && !ws.path.is_empty();
        Ok(Target {
            id: ws.id,
            name: ws.name,
            repo: PathBuf::from(ws.repo_path),
            worktree: active.then(|| PathBuf::from(ws.path)),
            branch: ws.branch,
            base_ref: ws.base_ref,
            base_commit: ws.base_commit,
        })
    }

    /// `grove/workspace/gitStatus`: the current status (computed now unless the watched workspace
    /// has not changed since it last was); the workspace is watched from then on.
    pub async fn git_status(self: &Arc<Self>, id: &str) -> Result<GitStatus> {
        let t = self.target(id).await?;
        self.watch.add(&t);
        let cached = self
            .fresh
            .lock()
            .unwrap()
            .get(id)
            .and_then(|f| f.status.clone());
        let status = match cached {
            Some(s) => s,
            None => self.compute(&t).await?,
        };
        self.told
            .lock()
            .unwrap()
            .insert(id.to_string(), status.clone());
        self.refresh_pull_if_stale(&t, &status);
        Ok(status)
    }

    /// Computes a status; keeps it as current when the workspace is watched and nothing changed
    /// meanwhile.
    async fn compute(&self, t: &Target) -> Result<GitStatus> {
        let pull = self
            .pulls
            .lock()
            .unwrap()
            .get(&t.id)
            .and_then(|(_, p)| p.clone());
        let generation = self
            .fresh
            .lock()
            .unwrap()
            .entry(t.id.clone())
            .or_default()
            .generation;
        let tc = t.clone();
        let status = blocking(move || status::compute(&tc, pull)).await?;
        if self.watch.is_complete(&t.id) {
            let mut fresh = self.fresh.lock().unwrap();
            let entry = fresh.entry(t.id.clone()).or_default();
            if entry.generation == generation {
                entry.status = Some(status.clone());
            }
        }
        Ok(status)
    }

    /// Something that touches the workspace changed: its status must be computed again.
    pub(crate) fn invalidate(&self, id: &str) {
        let mut fresh = self.fresh.lock().unwrap();
        let entry = fresh.entry(id.to_string()).or_default();
        entry.generation += 1;
        entry.status = None;
    }

    /// Every kept status is dropped (the watcher lost events).
    pub(crate) fn invalidate_all(&self) {
        for entry in self.fresh.lock().unwrap().values_mut() {
            entry.generation += 1;
            entry.status = None;
        }
    }

    /// Recomputes a workspace's status and tells the client when it differs from the last one it
    /// was told. A workspace that is gone is no longer watched.
    pub(crate) async fn publish(&self, id: &str) {
        let t = match self.target(id).await {
            Ok(t) => t,
            Err(_) => {
                self.watch.remove(id);
                self.told.lock().unwrap().remove(id);
                self.fresh.lock().unwrap().remove(id);
                return;
            }
        };
        self.invalidate(id);
        let Ok(status) = self.compute(&t).await else {
            return;
        };
        let changed = {
            let mut told = self.told.lock().unwrap();
            let changed = told.get(id) != Some(&status);
            told.insert(id.to_string(), status.clone());
            changed
        };
        if changed {
            let params = GitStatusChangedParams {
                id: id.to_string(),
                status,
            };
            self.notifier
                .notify::<WorkspaceGitStatusChanged>(&params)
                .await;
        }
    }

    /// After a change to the base or a remote: every watched workspace of the repository.
    async fn publish_repo(&self, repo: &Path) {
        for id in self.watch.ids_of_repo(repo) {
            self.publish(&id).await;
        }
    }

    fn refresh_pull_if_stale(self: &Arc<Self>, t: &Target, status: &GitStatus) {
        let stale = self
            .pulls
            .lock()
            .unwrap()
            .get(&t.id)
            .is_none_or(|(at, _)| at.elapsed() > PR_FRESH);
        if stale && status.upstream.is_some() {
            let (me, t) = (Arc::clone(self), t.clone());
            tokio::spawn(async move { me.refresh_pull(&t, false).await });
        }
    }

    /// Asks gh for the branch's pull request (now, with `force`; else as `pr::view` caches it);
    /// tells the client if its status changed.
    async fn refresh_pull(&self, t: &Target, force: bool) {
        self.pulls
            .lock()
            .unwrap()
            .entry(t.id.clone())
            .or_insert((Instant::now(), None))
            .0 = Instant::now();
        let Ok(ctx) = self.pr_context(t).await else {
            return;
        };
        let found = if force {
            pr::refresh(&ctx).await
        } else {
            pr::view(&ctx).await
        };
        match found {
            Ok(found) => {
                self.pulls
                    .lock()
                    .unwrap()
                    .insert(t.id.clone(), (Instant::now(), found));
                self.publish(&t.id).await;
            }
            Err(e) => tracing::debug!(id = %t.id, "no pull request state: {e}"),
        }
    }

    async fn pr_context(&self, t: &Target) -> Result<pr::PrContext> {
        let settings = self.settings();
        let dir = t.git_dir().to_path_buf();
        let (base_ref, configured) = (t.base_ref.clone(), settings.remote.clone());
        let (remote, remote_url) =
            blocking(move || push::remote_of(&dir, &base_ref, configured.as_deref())).await?;
        Ok(pr::PrContext {
            worktree: t.git_dir().to_path_buf(),
            branch: t.branch.clone(),
            base: t.base_ref.clone(),
            remote,
            remote_url,
            gh_path: settings.gh_path,
        })
    }

    /// `grove/workspace/commit`.
    pub async fn commit(&self, id: &str, message: &str) -> Result<WorkspaceCommitResult> {
        let t = self.target(id).await?;
        let result = {
            let _claim = self.workspaces.claim_change(id)?;
            commit::commit(&t, message).await
        };
        self.publish(id).await;
        result
    }

    /// `grove/workspace/commitMessage`.
    pub async fn commit_message(&self, id: &str) -> Result<WorkspaceCommitMessage> {
        let t = self.target(id).await?;
        let prompts = self.prompts.lock().unwrap().clone();
        let prompts = match prompts {
            Some(p) => p(id.to_string()).await,
            None => Vec::new(),
        };
        Ok(WorkspaceCommitMessage {
            message: commit::prefill(&t.name, &prompts),
        })
    }

    /// `grove/workspace/sync`.
    pub async fn sync(&self, p: WorkspaceSyncParams) -> Result<WorkspaceSyncResult> {
        self.refuse_busy(&p.id)?;
        let t = self.target(&p.id).await?;
        let method = p.method.unwrap_or(self.settings().sync_method);
        let result = {
            let _claim = self.workspaces.claim(&p.id)?;
            sync::sync(&t, method).await
        };
        self.publish(&p.id).await;
        result
    }

    /// `grove/workspace/syncContinue`.
    pub async fn sync_continue(&self, id: &str) -> Result<WorkspaceSyncResult> {
        self.refuse_busy(id)?;
        let t = self.target(id).await?;
        let result = {
            let _claim = self.workspaces.claim(id)?;
            sync::resume(&t).await
        };
        self.publish(id).await;
        result
    }

    /// `grove/workspace/syncAbort`.
    pub async fn sync_abort(&self, id: &str) -> Result<()> {
        self.refuse_busy(id)?;
        let t = self.target(id).await?;
        let result = {
            let _claim = self.workspaces.claim(id)?;
            sync::abort(&t).await
        };
        self.publish(id).await;
        result
    }

    /// `grove/workspace/resolvePrompt`.
    pub async fn resolve_prompt(&self, id: &str) -> Result<WorkspaceResolvePrompt> {
        let t = self.target(id).await?;
        Ok(WorkspaceResolvePrompt {
            prompt: sync::resolve_prompt(&t).await?,
        })
    }

    /// `grove/workspace/merge`.
    pub async fn merge(self: &Arc<Self>, p: WorkspaceMergeParams) -> Result<WorkspaceMergeResult> {
        self.refuse_busy(&p.id)?;
        let t = self.target(&p.id).await?;
        let method = p.method.unwrap_or(self.settings().merge_method);
        let result = {
            let _claim = self.workspaces.claim(&p.id)?;
            merge::merge(&t, method, p.message.as_deref()).await
        };
        // The base moved: every watched workspace of the repository, after the answer (none is
        // answered from before meanwhile).
        self.invalidate(&p.id);
        for id in self.watch.ids_of_repo(&t.repo) {
            self.invalidate(&id);
        }
        let me = Arc::clone(self);
        tokio::spawn(async move { me.publish_repo(&t.repo).await });
        result
    }

    /// `grove/workspace/apply`.
    pub async fn apply(&self, id: &str) -> Result<WorkspaceApplyResult> {
        let t = self.target(id).await?;
        let _claim = self.workspaces.claim_change(id)?;
        apply::apply(&t).await
    }

    /// `grove/workspace/push`.
    pub async fn push(self: &Arc<Self>, p: WorkspacePushParams) -> Result<WorkspacePushResult> {
        let t = self.target(&p.id).await?;
        let remote = self.settings().remote;
        let result = push::push(&t, remote.as_deref(), p.force_with_lease).await;
        self.publish(&p.id).await;
        if result.is_ok() {
            let (me, t) = (Arc::clone(self), t.clone());
            tokio::spawn(async move { me.refresh_pull(&t, true).await });
        }
        result
    }

    /// `grove/workspace/createPullRequest`: pushes first when the remote lacks the branch's tip.
    pub async fn create_pull_request(
        &self,
        p: WorkspaceCreatePullRequestParams,
    ) -> Result<WorkspaceCreatePullRequestResult> {
        let t = self.target(&p.id).await?;
        let status = self.compute(&t).await?;
        if status.upstream.as_ref().is_none_or(|u| u.ahead > 0) {
            let remote = self.settings().remote;
            push::push(&t, remote.as_deref(), false).await?;
        }
        let ctx = self.pr_context(&t).await?;
        let created = pr::create(&ctx, &p.title, &p.body, p.draft).await?;
        let pull = PullRequest {
            url: created.url.clone(),
            number: created.number,
            state: "OPEN".into(),
        };
        self.pulls
            .lock()
            .unwrap()
            .insert(p.id.clone(), (Instant::now(), Some(pull)));
        self.publish(&p.id).await;
        Ok(created)
    }

    /// A run ended: with `commitAfterEachRun` its changes are committed; in a workspace stopped
    /// mid-sync whose conflicts are all resolved, the sync goes on. Then the status is told.
    pub fn run_ended(self: &Arc<Self>, run: &Run) {
        let (me, run) = (Arc::clone(self), run.clone());
        tokio::spawn(async move {
            me.after_run(&run).await;
            me.publish(&run.workspace_id).await;
        });
    }

    async fn after_run(&self, run: &Run) {
        let Ok(t) = self.target(&run.workspace_id).await else {
            return;
        };
        let Some(worktree) = t.worktree.clone() else {
            return;
        };
        let mid_operation = blocking(move || status::operation(&worktree)).await;
        let Ok(_claim) = self.workspaces.claim(&t.id) else {
            return;
        };
        if mid_operation.is_some() {
            match sync::resume(&t).await {
                Ok(r) => {
                    tracing::info!(id = %t.id, status = ?r.status, "continued the sync after a run")
                }
                Err(e) => tracing::info!(id = %t.id, "the sync stays stopped after the run: {e}"),
            }
        } else if self.settings().commit_after_each_run && run.state != RunState::Cancelled {
            let message = commit::first_line(&run.prompt);
            match commit::commit(&t, &message).await {
                Ok(c) => {
                    tracing::info!(id = %t.id, commit = %c.commit, "committed the run's changes")
                }
                Err(Error::NothingToCommit) => {}
                Err(e) => tracing::warn!(id = %t.id, "could not commit the run's changes: {e}"),
            }
        }
    }
}

/// A git process's outcome.
#[derive(Debug)]
pub(crate) struct GitOutput {
    pub ok: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl GitOutput {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).trim().to_string()
    }

    /// stdout then stderr, as a person would have seen them.
    pub fn all_text(&self) -> String {
        let mut text = String::from_utf8_lossy(&self.stdout).trim_end().to_string();
        let err = String::from_utf8_lossy(&self.stderr);
        if !text.is_empty() && !err.trim().is_empty() {
            text.push('\n');
        }
        text.push_str(err.trim_end());
        text
    }

    /// git's own last words, for an error message.
    pub fn last_words(&self) -> String {
        let err = String::from_utf8_lossy(&self.stderr);
        let out = String::from_utf8_lossy(&self.stdout);
        err.trim()
            .lines()
            .rev()
            .chain(out.trim().lines().rev())
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string()
    }

    pub fn failed(&self, what: &str) -> Error {
        Error::GitFailed(format!("git {what}: {}", self.last_words()))
    }
}

/// git, found once on `PATH` (which the sanitized environment keeps as it is): a program given by
/// its path starts with `posix_spawn`, while a name looked up in a changed environment costs a
/// `fork` per process.
fn git_program() -> &'static Path {
    static GIT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    GIT.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt;
        std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join("git"))
            .find(|p| {
                std::fs::metadata(p)
                    .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            })
            .unwrap_or_else(|| PathBuf::from("git"))
    })
}

/// Runs git in `cwd` with no terminal prompt and git's messages in English, `input` on its
/// stdin; from `process::command`, so neither git nor its hooks see an inherited token.
pub(crate) async fn git(
    cwd: &Path,
    args: &[&str],
    input: Option<&[u8]>,
    env: &[(&str, &OsStr)],
) -> Result<GitOutput> {
    let mut cmd = crate::process::command(git_program());
    cmd.args(args)
        .current_dir(cwd)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_MESSAGES", "C")
        .env_remove("LANGUAGE")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let could_not =
        |e: std::io::Error| Error::GitFailed(format!("Could not run git: {e}. Is git installed?"));
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(could_not)?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A hook may exit without reading; its answer tells what happened.
        let _ = stdin.write_all(input).await;
    }
    let out = child.wait_with_output().await.map_err(could_not)?;
    tracing::debug!(
        "git {} took {:.1} ms",
        args.first().unwrap_or(&""),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(GitOutput {
        ok: out.status.success(),
        stdout: out.stdout,
        stderr: out.stderr,
    })
}

/// Runs git; its trimmed stdout, or GitFailed with git's last words.
pub(crate) async fn git_ok(cwd: &Path, args: &[&str]) -> Result<String> {
    let out = git(cwd, args, None, &[]).await?;
    if !out.ok {
        return Err(out.failed(args.first().copied().unwrap_or("")));
    }
    Ok(out.stdout_text())
}

/// `GIT_EDITOR=true`: git never waits for an editor.
pub(crate) const NO_EDITOR: (&str, &str) = ("GIT_EDITOR", "true");

pub(crate) fn no_editor() -> [(&'static str, &'static OsStr); 1] {
    [(NO_EDITOR.0, OsStr::new(NO_EDITOR.1))]
}
