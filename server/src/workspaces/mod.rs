//! Workspaces: one git worktree on its own branch per agent. Create (with `.worktreeinclude`
//! files, a setup script and a block of ports), archive (never losing uncommitted work), restore,
//! delete, changes, and a registry that survives crashes and is shared by every editor window.

mod check_name;
mod git;
pub(crate) mod names;
mod registry;
mod setup;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::clock::now_rfc3339;
use crate::error::{BusyReason, Error, Missing, Result};
use crate::notifier::Notifier;
use crate::process::Owner;
use crate::protocol::{
    FileChange, GroveSettings, RepoInfo, Rule, Workspace, WorkspaceChanged, WorkspaceChangedParams,
    WorkspaceChanges, WorkspaceCreateParams, WorkspaceFileAtBase, WorkspaceState,
};
use crate::store::nonce;
use registry::{Record, Registry};
use setup::{SetupScript, next_port};

const DEFAULT_PREFIX: &str = "grove/";
/// Where a branch Grove squashed or rebased onto its base is recorded (`refs/grove/merged/<id>`:
/// the tip that landed), so delete does not count those commits as lost.
pub const MERGED_REFS: &str = "refs/grove/merged/";

#[derive(Debug, Clone, Default)]
struct Settings {
    worktree_root: Option<PathBuf>,
    branch_prefix: Option<String>,
    setup: SetupScript,
}

/// Says whether an agent runs in a workspace; the agents module provides it.
pub type BusyCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

pub struct Workspaces {
    notifier: Notifier,
    state_dir: PathBuf,
    registry: Arc<Registry>,
    settings: Mutex<Settings>,
    ready: tokio::sync::OnceCell<()>,
    /// Workspaces with an archive, restore or delete under way in this sidecar.
    in_flight: Mutex<HashSet<String>>,
    busy: Mutex<Option<BusyCheck>>,
}

fn invalid_name(message: String) -> Error {
    Error::InvalidName(message)
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: Missing::Workspace,
        id: id.to_string(),
    }
}

/// Grove's own files for workspaces (the registry, the folders worktrees go in) failed.
fn io_failed(e: std::io::Error) -> Error {
    Error::StoreFailed(format!("Could not update Grove's workspace registry: {e}"))
}

/// Runs blocking work (git2, the registry lock) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

/// 8 hex digits that tell repositories of the same name apart (FNV-1a of the path).
fn short_hash(path: &Path) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in path.as_os_str().as_encoded_bytes() {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}

/// Whether `dir` is `checkout` or inside it, lexically or once links are resolved (as far as
/// `dir` exists).
fn inside_checkout(dir: &Path, checkout: &Path) -> bool {
    let resolved = dir
        .ancestors()
        .find_map(|a| {
            let rest = dir.strip_prefix(a).ok()?;
            Some(a.canonicalize().ok()?.join(rest))
        })
        .unwrap_or_else(|| dir.to_path_buf());
    dir.starts_with(checkout) || resolved.starts_with(checkout)
}

/// Frees one `in_flight` entry when dropped.
pub struct InFlight<'a>(&'a Workspaces, String);
impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.lock().unwrap().remove(&self.1);
    }
}

impl Workspaces {
    pub fn new(notifier: Notifier, state_dir: PathBuf) -> Self {
        Self {
            notifier,
            registry: Arc::new(Registry::new(state_dir.clone())),
            state_dir,
            settings: Mutex::default(),
            ready: tokio::sync::OnceCell::new(),
            in_flight: Mutex::default(),
            busy: Mutex::default(),
        }
    }

    pub fn apply_settings(&self, s: &GroveSettings) {
        let nonempty = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        *self.settings.lock().unwrap() = Settings {
            worktree_root: nonempty(&s.worktree_root).map(PathBuf::from),
            branch_prefix: nonempty(&s.branch_prefix),
            setup: SetupScript {
                script: nonempty(&s.setup_script),
                timeout: s
                    .setup_timeout_seconds
                    .filter(|t| *t > 0)
                    .map(|t| std::time::Duration::from_secs(t.into())),
            },
        };
    }

    pub fn set_busy_check(&self, check: BusyCheck) {
        *self.busy.lock().unwrap() = Some(check);
    }

    /// Where new worktrees go: `grove.worktreeRoot` (`~` expanded) or `<stateDir>/worktrees`. A
    /// relative path is refused: git would take it as relative to the main checkout.
    fn worktree_root(&self) -> Result<PathBuf> {
        let configured = self.settings.lock().unwrap().worktree_root.clone();
        let Some(configured) = configured else {
            return Ok(self.state_dir.join("worktrees"));
        };
        let root = crate::paths::expand_home(configured.to_str().unwrap_or_default());
        if root.is_absolute() {
            return Ok(root);
        }
        Err(Error::InvalidParams {
            message: format!(
                "The setting grove.worktreeRoot ({}) must be an absolute folder or start with ~/. \
                 Change it in Settings, or clear it to use Grove's own folder.",
                configured.display()
            ),
            data: Some(json!({ "setting": "grove.worktreeRoot" })),
        })
    }

    fn prefix(&self) -> String {
        let configured = self.settings.lock().unwrap().branch_prefix.clone();
        configured.unwrap_or_else(|| DEFAULT_PREFIX.into())
    }

    async fn update<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Vec<Record>) -> T + Send + 'static,
    ) -> Result<T> {
        let registry = self.registry.clone();
        blocking(move || registry.update(change))
            .await
            .map_err(io_failed)
    }

    async fn records(&self) -> Vec<Record> {
        let registry = self.registry.clone();
        blocking(move || registry.read()).await
    }

    async fn record(&self, id: &str) -> Result<Record> {
        self.ready().await;
        self.records()
            .await
            .into_iter()
            .find(|r| r.ws.id == id)
            .ok_or_else(|| not_found(id))
    }

    async fn notify(&self, workspace: Workspace, removed: bool) {
        let params = WorkspaceChangedParams { workspace, removed };
        self.notifier.notify::<WorkspaceChanged>(&params).await;
    }

    /// Claims `id` for one operation at a time, refusing while an agent runs in it.
    pub fn claim(&self, id: &str) -> Result<InFlight<'_>> {
        let agent_running = self
            .busy
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|busy| busy(id));
        if agent_running || !self.in_flight.lock().unwrap().insert(id.to_string()) {
            return Err(Error::WorkspaceBusy {
                id: id.to_string(),
                reason: if agent_running {
                    BusyReason::AgentRunning
                } else {
                    BusyReason::ChangeInProgress
                },
            });
        }
        Ok(InFlight(self, id.to_string()))
    }

    /// Claims `id` for one change at a time, whether or not an agent runs in it (a commit, say).
    pub fn claim_change(&self, id: &str) -> Result<InFlight<'_>> {
        if !self.in_flight.lock().unwrap().insert(id.to_string()) {
            return Err(Error::WorkspaceBusy {
                id: id.to_string(),
                reason: BusyReason::ChangeInProgress,
            });
        }
        Ok(InFlight(self, id.to_string()))
    }

    /// A workspace as the registry has it (`path` is "" while archived).
    pub async fn get(&self, id: &str) -> Result<Workspace> {
        Ok(self.record(id).await?.ws)
    }

    /// The worktree of an active workspace, where an agent may run.
    pub async fn active_path(&self, id: &str) -> Result<PathBuf> {
        let record = self.record(id).await?;
        if record.ws.state != WorkspaceState::Active || record.creating.is_some() {
            return Err(Error::InvalidParams {
                message: format!(
                    "The workspace {} is not ready for an agent: restore it first, or wait until it is created.",
                    record.ws.name
                ),
                data: Some(json!({ "id": id })),
            });
        }
        Ok(PathBuf::from(record.worktree_path))
    }

    /// The default auth profile of a workspace, if it has one.
    pub async fn profile(&self, id: &str) -> Result<Option<String>> {
        Ok(self.record(id).await?.ws.profile)
    }

    /// `grove/workspace/setProfile` (the caller checked that the profile exists).
    pub async fn set_profile(&self, id: &str, profile: Option<String>) -> Result<Workspace> {
        self.record(id).await?;
        let id_owned = id.to_string();
        let ws = self
            .update(move |records| {
                let r = records.iter_mut().find(|r| r.ws.id == id_owned)?;
                r.ws.profile = profile;
                Some(r.ws.clone())
            })
            .await?
            .ok_or_else(|| not_found(id))?;
        self.notify(ws.clone(), false).await;
        Ok(ws)
    }

    /// `grove/workspace/rules`.
    pub async fn rules(&self, id: &str) -> Result<Vec<Rule>> {
        Ok(self.record(id).await?.rules)
    }

    /// Adds an "always allow" rule (once).
    pub async fn add_rule(&self, id: &str, rule: Rule) -> Result<Vec<Rule>> {
        self.change_rules(id, move |rules| {
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        })
        .await
    }

    /// `grove/workspace/removeRule`: the rules left.
    pub async fn remove_rule(&self, id: &str, rule: Rule) -> Result<Vec<Rule>> {
        self.change_rules(id, move |rules| rules.retain(|r| *r != rule))
            .await
    }

    async fn change_rules(
        &self,
        id: &str,
        change: impl FnOnce(&mut Vec<Rule>) + Send + 'static,
    ) -> Result<Vec<Rule>> {
        self.record(id).await?;
        let id_owned = id.to_string();
        self.update(move |records| {
            let r = records.iter_mut().find(|r| r.ws.id == id_owned)?;
            change(&mut r.rules);
            Some(r.rules.clone())
        })
        .await?
        .ok_or_else(|| not_found(id))
    }

    /// `grove/workspace/list`.
    pub async fn list(&self, repo_path: Option<String>) -> Result<Vec<Workspace>> {
        self.ready().await;
        let root = match repo_path {
            Some(p) => Some(
                blocking(move || git::open_main(&p))
                    .await?
                    .root
                    .display()
                    .to_string(),
            ),
            None => None,
        };
        let records = self.records().await;
        Ok(records
            .into_iter()
            .filter(|r| root.as_ref().is_none_or(|root| r.ws.repo_path == *root))
            .map(|r| r.ws)
            .collect())
    }

    /// `grove/workspace/create`: reserves a name, id and ports in the registry (marked as being
    /// created), makes the worktree, copies included files, runs the setup script, then marks it
    /// done. A failure, or a crash found at the next start, undoes all of it.
    pub async fn create(&self, p: WorkspaceCreateParams) -> Result<Workspace> {
        self.ready().await;
        let repo_path = p.repo_path.clone();
        let main = blocking(move || git::open_main(&repo_path)).await?;
        if let Some(name) = &p.name
            && let Some(why) = names::invalid_reason(name)
        {
            return Err(invalid_name(format!("The workspace name {name:?} {why}.")));
        }
        let prefix = self.prefix();
        if names::invalid_reason(&prefix.replace('/', "")).is_some() && !prefix.is_empty() {
            return Err(invalid_name(format!(
                "The branch prefix {prefix:?} is not valid in a branch name."
            )));
        }
        let (base_ref, base_commit, existing) = self.base_of_new(&main.root, &p).await?;
        let name = p.name.clone().or_else(|| {
            let b = existing.as_deref()?;
            let name = b
                .strip_prefix(prefix.as_str())
                .unwrap_or(b)
                .replace('/', "-");
            names::invalid_reason(&name).is_none().then_some(name)
        });
        let plan = Plan {
            root: main.root.clone(),
            repo_dir: self.repo_dir(&main)?,
            prefix,
            name,
            existing,
            base_ref,
            base_commit,
        };
        let record = self.update(move |records| plan.reserve(records)).await??;
        tracing::info!(id = %record.ws.id, name = %record.ws.name, "creating a workspace");
        match self.make(&main.root, &record).await {
            Ok(ws) => Ok(ws),
            Err(e) => {
                self.undo_create(&record).await;
                Err(e)
            }
        }
    }

    /// A new workspace's base ref and commit, and the existing branch it goes on (`branch`): the
    /// base commit is then where that branch left the base.
    async fn base_of_new(
        &self,
        root: &Path,
        p: &WorkspaceCreateParams,
    ) -> Result<(String, String, Option<String>)> {
        let base_ref = match p
            .base_ref
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) if r.starts_with('-') => {
                return Err(invalid_name(format!("{r:?} is not a ref.")));
            }
            Some(r) => r.to_string(),
            None => {
                let root = root.to_path_buf();
                blocking(move || git::current_branch(&root)).await?
            }
        };
        let (r, b) = (root.to_path_buf(), base_ref.clone());
        let base_commit = blocking(move || git::resolve_commit(&r, &b))
            .await
            .ok_or_else(|| {
                invalid_name(format!(
                    "{base_ref:?} does not name a commit in this repository."
                ))
            })?;
        let Some(branch) = p.branch.as_deref().map(str::trim).filter(|b| !b.is_empty()) else {
            return Ok((base_ref, base_commit, None));
        };
        let branch = self.existing_branch(root, branch).await?;
        let (r, tip) = (root.to_path_buf(), format!("refs/heads/{branch}"));
        let base_commit =
            blocking(move || git::merge_base(&r, &base_commit, &tip).unwrap_or(base_commit)).await;
        Ok((base_ref, base_commit, Some(branch)))
    }

    async fn make(&self, root: &Path, record: &Record) -> Result<Workspace> {
        let ws = &record.ws;
        let path = PathBuf::from(&record.worktree_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_failed)?;
        }
        let path_arg = path.display().to_string();
        if record.existing_branch {
            git::worktree(root, &["add", "--", &path_arg, &ws.branch]).await?;
        } else {
            git::worktree(
                root,
                &["add", "-b", &ws.branch, "--", &path_arg, &ws.base_commit],
            )
            .await?;
        }
        // A marker in git's own folder for this worktree, to re-adopt it if the registry is lost.
        if let Some(admin) = git::admin_dir(&path) {
            let _ = std::fs::write(
                admin.join("grove-workspace.json"),
                serde_json::to_vec(ws).unwrap_or_default(),
            );
        }
        match git::copy_includes(root, &path).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(id = %ws.id, "copied {n} files named by .worktreeinclude"),
            Err(e) => {
                tracing::warn!(id = %ws.id, "could not copy .worktreeinclude files: {e}")
            }
        }
        self.notify(ws.clone(), false).await;
        let script = self.settings.lock().unwrap().setup.clone();
        let setup = script.run(&self.notifier, ws, root, &path).await;
        let id = ws.id.clone();
        let done = self
            .update(move |records| {
                let r = records.iter_mut().find(|r| r.ws.id == id)?;
                r.creating = None;
                r.ws.setup = setup;
                Some(r.ws.clone())
            })
            .await?
            .ok_or_else(|| not_found(&ws.id))?;
        self.notify(done.clone(), false).await;
        Ok(done)
    }

    /// Removes whatever a failed or crashed `create` made: worktree, branch (if it has nothing
    /// new), registry entry.
    async fn undo_create(&self, record: &Record) {
        let root = PathBuf::from(&record.ws.repo_path);
        let path = record.worktree_path.clone();
        let _ = git::worktree(&root, &["remove", "--force", "--", &path]).await;
        let _ = std::fs::remove_dir_all(&path);
        let _ = git::worktree(&root, &["prune"]).await;
        let (r, branch) = (root.clone(), record.ws.branch.clone());
        let tip = blocking(move || git::resolve_commit(&r, &format!("refs/heads/{branch}"))).await;
        if !record.existing_branch && tip.as_deref() == Some(record.ws.base_commit.as_str()) {
            let _ = git::git(&root, &["branch", "-D", &record.ws.branch]).await;
        }
        let id = record.ws.id.clone();
        let _ = self
            .update(move |records| records.retain(|r| r.ws.id != id))
            .await;
        self.notify(record.ws.clone(), true).await;
        tracing::info!(id = %record.ws.id, "removed a half-made workspace");
    }

    /// `grove/workspace/archive`.
    pub async fn archive(&self, id: &str, force: bool) -> Result<Workspace> {
        let record = self.record(id).await?;
        let _claim = self.claim(id)?;
        if record.ws.state == WorkspaceState::Archived {
            return Ok(record.ws);
        }
        self.take_down(&record, force, true).await?;
        self.mark_archived(id).await
    }

    /// Removes an active workspace's worktree. Uncommitted or untracked work refuses it, unless
    /// `force`; then it is saved as a snapshot first when `keep_work`.
    async fn take_down(&self, record: &Record, force: bool, keep_work: bool) -> Result<()> {
        let path = PathBuf::from(&record.worktree_path);
        let root = PathBuf::from(&record.ws.repo_path);
        if path.join(".git").exists() {
            let p = path.clone();
            let dirty = blocking(move || git::dirty_files(&p)).await?;
            if !dirty.is_empty() && !force {
                return Err(Error::WorkspaceDirty {
                    files: dirty,
                    snapshot: None,
                });
            }
            if !dirty.is_empty() && keep_work {
                let reference = format!("refs/grove/snapshots/{}", record.ws.id);
                let commit = git::snapshot(&path, &reference).await?;
                let id = record.ws.id.clone();
                self.update(move |records| {
                    if let Some(r) = records.iter_mut().find(|r| r.ws.id == id) {
                        r.snapshot = Some(commit);
                    }
                })
                .await?;
                tracing::info!(id = %record.ws.id, "saved {} uncommitted file(s) as a snapshot", dirty.len());
            }
            let path_arg = path.display().to_string();
            git::worktree(&root, &["remove", "--force", "--", &path_arg]).await?;
        } else {
            let _ = git::worktree(&root, &["prune"]).await;
        }
        Ok(())
    }

    async fn mark_archived(&self, id: &str) -> Result<Workspace> {
        let id_owned = id.to_string();
        let ws = self
            .update(move |records| {
                let r = records.iter_mut().find(|r| r.ws.id == id_owned)?;
                r.ws.state = WorkspaceState::Archived;
                r.ws.path = String::new();
                Some(r.ws.clone())
            })
            .await?
            .ok_or_else(|| not_found(id))?;
        self.notify(ws.clone(), false).await;
        Ok(ws)
    }

    /// `grove/workspace/restore`.
    pub async fn restore(&self, id: &str) -> Result<Workspace> {
        let record = self.record(id).await?;
        let _claim = self.claim(id)?;
        if record.ws.state == WorkspaceState::Active {
            return Ok(record.ws);
        }
        let root = PathBuf::from(&record.ws.repo_path);
        let path = PathBuf::from(&record.worktree_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_failed)?;
        }
        let path_arg = path.display().to_string();
        git::worktree(&root, &["add", "--", &path_arg, &record.ws.branch]).await?;
        if let Some(snapshot) = &record.snapshot {
            git::apply_snapshot(&path, snapshot).await?;
            let reference = format!("refs/grove/snapshots/{id}");
            let _ = git::git(&root, &["update-ref", "-d", &reference]).await;
        }
        if let Some(admin) = git::admin_dir(&path) {
            let _ = std::fs::write(
                admin.join("grove-workspace.json"),
                serde_json::to_vec(&record.ws).unwrap_or_default(),
            );
        }
        let _ = git::copy_includes(&root, &path).await;
        let id_owned = id.to_string();
        let ws = self
            .update(move |records| {
                let r = records.iter_mut().find(|r| r.ws.id == id_owned)?;
                r.ws.state = WorkspaceState::Active;
                r.ws.path = r.worktree_path.clone();
                r.snapshot = None;
                Some(r.ws.clone())
            })
            .await?
            .ok_or_else(|| not_found(id))?;
        self.notify(ws.clone(), false).await;
        Ok(ws)
    }

    /// `grove/workspace/delete`: nothing is done if any part would lose work without `force`.
    pub async fn delete(&self, id: &str, delete_branch: bool, force: bool) -> Result<()> {
        let record = self.record(id).await?;
        let _claim = self.claim(id)?;
        let root = PathBuf::from(&record.ws.repo_path);
        if delete_branch && !force {
            let (r, b, base) = (
                root.clone(),
                record.ws.branch.clone(),
                base_of(&record.ws).await,
            );
            let landed = format!("{MERGED_REFS}{id}");
            let unmerged =
                blocking(move || git::unmerged_commits(&r, &b, &[&base, &landed])).await?;
            if unmerged > 0 {
                return Err(Error::UnmergedBranch {
                    branch: record.ws.branch,
                    base_ref: record.ws.base_ref,
                    unmerged_commits: unmerged,
                });
            }
        }
        if let Some(snapshot) = record.snapshot.as_ref().filter(|_| !force) {
            return Err(Error::WorkspaceDirty {
                files: Vec::new(),
                snapshot: Some(snapshot.clone()),
            });
        }
        if record.ws.state == WorkspaceState::Active {
            self.take_down(&record, force, false).await?;
        }
        if record.snapshot.is_some() {
            let reference = format!("refs/grove/snapshots/{id}");
            let _ = git::git(&root, &["update-ref", "-d", &reference]).await;
        }
        let landed = format!("{MERGED_REFS}{id}");
        let _ = git::git(&root, &["update-ref", "-d", &landed]).await;
        if delete_branch {
            git::git(&root, &["branch", "-D", &record.ws.branch]).await?;
        }
        let id_owned = id.to_string();
        self.update(move |records| records.retain(|r| r.ws.id != id_owned))
            .await?;
        tracing::info!(id, delete_branch, "deleted a workspace");
        self.notify(record.ws, true).await;
        Ok(())
    }

    /// `grove/workspace/changes`.
    pub async fn changes(&self, id: &str) -> Result<WorkspaceChanges> {
        let record = self.record(id).await?;
        if record.ws.state != WorkspaceState::Active {
            return Ok(WorkspaceChanges {
                files: Vec::<FileChange>::new(),
                ahead: 0,
                behind: 0,
            });
        }
        let path = PathBuf::from(&record.worktree_path);
        let files = git::changes(&path, &record.ws.base_commit).await?;
        let base = base_of(&record.ws).await;
        let (ahead, behind) = blocking(move || git::ahead_behind(&path, &base)).await?;
        Ok(WorkspaceChanges {
            files,
            ahead,
            behind,
        })
    }

    /// `grove/workspace/fileAtBase`: a file as it was at the base commit.
    pub async fn file_at_base(&self, id: &str, path: &str) -> Result<WorkspaceFileAtBase> {
        let record = self.record(id).await?;
        let worktree = if record.ws.state == WorkspaceState::Active {
            PathBuf::from(&record.worktree_path)
        } else {
            PathBuf::from(&record.ws.repo_path)
        };
        let (commit, path) = (record.ws.base_commit.clone(), path.to_string());
        let bytes = blocking(move || git::file_at(&worktree, &commit, &path)).await?;
        Ok(match bytes {
            None => WorkspaceFileAtBase {
                content: None,
                binary: false,
            },
            Some(b) if b.iter().take(8000).any(|c| *c == 0) => WorkspaceFileAtBase {
                content: None,
                binary: true,
            },
            Some(b) => WorkspaceFileAtBase {
                content: Some(String::from_utf8_lossy(&b).into_owned()),
                binary: false,
            },
        })
    }

    /// Once per sidecar, before the first workspace call: undo crashed creates, mark worktrees
    /// removed by hand as archived, and re-adopt Grove's worktrees missing from the registry.
    pub async fn ready(&self) {
        self.ready.get_or_init(|| self.reconcile()).await;
    }

    async fn reconcile(&self) {
        let records = self.records().await;
        for crashed in records
            .iter()
            .filter(|r| r.creating.as_ref().is_some_and(|c| !c.alive()))
        {
            self.undo_create(crashed).await;
        }
        let gone: Vec<(String, PathBuf)> = records
            .iter()
            .filter(|r| r.creating.is_none() && r.ws.state == WorkspaceState::Active)
            .filter(|r| !Path::new(&r.worktree_path).join(".git").exists())
            .map(|r| (r.ws.id.clone(), PathBuf::from(&r.ws.repo_path)))
            .collect();
        for (id, root) in gone {
            let _ = git::worktree(&root, &["prune"]).await;
            if self.mark_archived(&id).await.is_ok() {
                tracing::info!(%id, "the worktree was removed outside Grove; the workspace is archived");
            }
        }
        self.adopt().await;
    }

    /// Worktrees under the worktree root with Grove's marker but no registry entry come back.
    async fn adopt(&self) {
        let Ok(root) = self.worktree_root() else {
            return;
        };
        let found: Vec<(PathBuf, Workspace)> = blocking(move || {
            let mut found = Vec::new();
            for repo_dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
                for entry in std::fs::read_dir(repo_dir.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    let path = entry.path();
                    let marker = git::admin_dir(&path).map(|a| a.join("grove-workspace.json"));
                    let ws = marker
                        .and_then(|m| crate::store::read_regular(&m, 64 * 1024))
                        .and_then(|b| serde_json::from_slice::<Workspace>(&b).ok());
                    if let Some(ws) = ws {
                        found.push((path, ws));
                    }
                }
            }
            found
        })
        .await;
        if found.is_empty() {
            return;
        }
        let adopted = self
            .update(move |records| {
                let mut adopted = Vec::new();
                for (path, mut ws) in found {
                    let path = path.display().to_string();
                    if records
                        .iter()
                        .any(|r| r.worktree_path == path || r.ws.id == ws.id)
                    {
                        continue;
                    }
                    ws.path = path.clone();
                    ws.state = WorkspaceState::Active;
                    if records.iter().any(|r| r.ws.port == ws.port) {
                        ws.port = next_port(records.iter().map(|r| r.ws.port));
                    }
                    records.push(Record {
                        ws: ws.clone(),
                        worktree_path: path,
                        snapshot: None,
                        creating: None,
                        rules: Vec::new(),
                        // Unknown: a branch Grove did not see made is never deleted by an undo.
                        existing_branch: true,
                    });
                    adopted.push(ws);
                }
                adopted
            })
            .await
            .unwrap_or_default();
        for ws in adopted {
            tracing::info!(id = %ws.id, "re-adopted a worktree missing from the registry");
            self.notify(ws, false).await;
        }
    }
}

/// What `create` reserves in the registry, checked against it under its lock.
struct Plan {
    root: PathBuf,
    repo_dir: PathBuf,
    prefix: String,
    /// The name asked for (else one is generated).
    name: Option<String>,
    /// The existing branch the worktree goes on (`branch`).
    existing: Option<String>,
    base_ref: String,
    base_commit: String,
}

impl Plan {
    /// The new record (marked as being created), added to `records`; refused when the name, or
    /// the existing branch, is taken.
    fn reserve(self, records: &mut Vec<Record>) -> Result<Record> {
        let root_text = self.root.display().to_string();
        let mine = || records.iter().filter(|r| r.ws.repo_path == root_text);
        if let Some(b) = &self.existing
            && let Some(r) = mine().find(|r| &r.ws.branch == b)
        {
            return Err(invalid_name(format!(
                "The branch {b:?} belongs to the workspace {:?}{}.",
                r.ws.name,
                match r.ws.state {
                    WorkspaceState::Archived => " (archived: restore it instead)",
                    WorkspaceState::Active => "",
                }
            )));
        }
        let taken = |name: &str| {
            let branch = format!("{}{name}", self.prefix);
            let branch = self.existing.is_none().then_some(branch.as_str());
            check_name::name_taken(records, &self.root, &self.repo_dir, branch, name)
        };
        let name = match self.name {
            Some(n) => match taken(&n) {
                Some(t) => return Err(invalid_name(t.message)),
                None => n,
            },
            None => names::generate(nonce(), |n| taken(n).is_some()),
        };
        let path = self.repo_dir.join(&name).display().to_string();
        let ws = Workspace {
            id: format!("{:012x}", nonce() & 0xffff_ffff_ffff),
            branch: (self.existing.clone()).unwrap_or_else(|| format!("{}{name}", self.prefix)),
            name,
            repo_path: root_text,
            path: path.clone(),
            base_ref: self.base_ref,
            base_commit: self.base_commit,
            state: WorkspaceState::Active,
            created_at: now_rfc3339(),
            port: next_port(records.iter().map(|r| r.ws.port)),
            setup: None,
            profile: None,
        };
        let record = Record {
            ws,
            worktree_path: path,
            snapshot: None,
            creating: Some(Owner::me()),
            rules: Vec::new(),
            existing_branch: self.existing.is_some(),
        };
        records.push(record.clone());
        Ok(record)
    }
}

/// `grove/repo/info`: the repository `path` is in, as the extension needs it.
pub async fn repo_info(path: String) -> Result<RepoInfo> {
    blocking(move || git::repo_info(&path)).await
}

/// What "the base" means for ahead/behind and merge checks: the base branch as it is now, or
/// the base commit when the base was a detached `HEAD` or no longer exists.
async fn base_of(ws: &Workspace) -> String {
    if ws.base_ref == "HEAD" {
        return ws.base_commit.clone();
    }
    let (root, base_ref) = (PathBuf::from(&ws.repo_path), ws.base_ref.clone());
    let now = blocking(move || git::resolve_commit(&root, &base_ref)).await;
    now.unwrap_or_else(|| ws.base_commit.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_of_the_same_name_are_told_apart() {
        assert_eq!(short_hash(Path::new("/a/b")).len(), 8);
        assert_ne!(short_hash(Path::new("/a/b")), short_hash(Path::new("/a/c")));
    }
}
