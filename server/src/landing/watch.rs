//! Keeps `GitStatus` current: each workspace asked about is watched (its worktree's folders git
//! does not ignore, its git folder, the repository's refs), changes are debounced, and the
//! workspaces they touch are recomputed; the client is told only what changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Weak};
use std::time::Duration;

use git2::Repository;
use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use super::{Landing, Target};

/// Quiet time after a change before statuses are recomputed, and the longest wait.
const QUIET: Duration = Duration::from_millis(150);
const LONGEST: Duration = Duration::from_millis(1000);
/// Folders watched per worktree at most (inotify watches are a shared, limited resource).
const MAX_DIRS: usize = 4000;

/// What is watched for one workspace.
#[derive(Debug, Clone)]
struct Watched {
    repo: PathBuf,
    worktree: Option<PathBuf>,
    /// The worktree's own git folder (`.git/worktrees/<name>`).
    admin: Option<PathBuf>,
    /// The repository's common git folder (refs, packed-refs).
    common: PathBuf,
    dirs: Vec<PathBuf>,
    /// Every folder that matters is watched (none left out past `MAX_DIRS`).
    complete: bool,
    /// The worktree index's entries, digested (paths, ids, modes, stages; not the stat cache).
    index: Option<u64>,
}

/// A digest of an index's entries, without the stat data a refresh rewrites.
fn index_digest(path: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let index = git2::Index::open(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for e in index.iter() {
        e.path.hash(&mut h);
        e.id.as_bytes().hash(&mut h);
        (e.mode, e.flags, e.flags_extended).hash(&mut h);
    }
    Some(h.finish())
}

#[derive(Default)]
struct State {
    watcher: Option<notify::RecommendedWatcher>,
    workspaces: HashMap<String, Watched>,
    /// How many workspaces watch each folder.
    dirs: HashMap<PathBuf, usize>,
}

pub struct Watch {
    landing: Weak<Landing>,
    state: Mutex<State>,
}

/// The folders of `root` to watch: itself and every folder below that git does not ignore
/// (`.git` never), at most `MAX_DIRS`.
fn folders(root: &Path, repo: Option<&Repository>) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() && out.len() < MAX_DIRS {
        let dir = out[i].clone();
        i += 1;
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if !kind.is_dir() || entry.file_name() == ".git" {
                continue;
            }
            let ignored = repo.is_some_and(|r| {
                path.strip_prefix(root)
                    .is_ok_and(|rel| r.is_path_ignored(rel).unwrap_or(false))
            });
            if !ignored {
                out.push(path);
            }
        }
    }
    out.truncate(MAX_DIRS);
    out
}

/// What to watch for a workspace, found on disk.
fn survey(t: &Target) -> Option<Watched> {
    let repo = Repository::open(t.git_dir()).ok()?;
    let common = repo.commondir().to_path_buf();
    let mut dirs = vec![common.clone()];
    for refs in ["refs/heads", "refs/remotes"] {
        dirs.extend(folders(&common.join(refs), None));
    }
    let (mut worktree, mut admin) = (None, None);
    if let Some(w) = &t.worktree {
        admin = Some(repo.path().to_path_buf());
        dirs.push(repo.path().to_path_buf());
        dirs.extend(folders(w, Some(&repo)));
        worktree = Some(w.clone());
    }
    let complete = dirs.len() < MAX_DIRS;
    let index = admin.as_ref().and_then(|a| index_digest(&a.join("index")));
    Some(Watched {
        repo: t.repo.clone(),
        worktree,
        admin,
        common,
        dirs,
        complete,
        index,
    })
}

impl Watch {
    pub fn new(landing: Weak<Landing>) -> Self {
        Self {
            landing,
            state: Mutex::default(),
        }
    }

    /// Starts watching a workspace (once); the survey runs off the async threads.
    pub fn add(&self, t: &Target) {
        {
            let state = self.state.lock().unwrap();
            if state.workspaces.contains_key(&t.id) {
                return;
            }
        }
        let (landing, t) = (self.landing.clone(), t.clone());
        tokio::spawn(async move {
            let id = t.id.clone();
            let Some(watched) = super::blocking(move || survey(&t)).await else {
                return;
            };
            if let Some(landing) = landing.upgrade() {
                landing.watch.insert(id.clone(), watched);
                // A status computed before the watches were in place is not kept.
                landing.invalidate(&id);
            }
        });
    }

    fn insert(&self, id: String, watched: Watched) {
        let mut state = self.state.lock().unwrap();
        if state.workspaces.contains_key(&id) {
            return;
        }
        self.ensure_started(&mut state);
        for dir in &watched.dirs {
            watch_dir(&mut state, dir);
        }
        state.workspaces.insert(id, watched);
    }

    /// Stops watching a workspace that is gone.
    pub fn remove(&self, id: &str) {
        let mut state = self.state.lock().unwrap();
        let Some(watched) = state.workspaces.remove(id) else {
            return;
        };
        for dir in watched.dirs {
            let last = state.dirs.get_mut(&dir).is_some_and(|n| {
                *n -= 1;
                *n == 0
            });
            if last {
                state.dirs.remove(&dir);
                if let Some(w) = state.watcher.as_mut() {
                    let _ = w.unwatch(&dir);
                }
            }
        }
    }

    /// Whether changes to the workspace are all seen (so a status computed since stays current).
    pub fn is_complete(&self, id: &str) -> bool {
        let state = self.state.lock().unwrap();
        state.watcher.is_some() && state.workspaces.get(id).is_some_and(|w| w.complete)
    }

    /// The watched workspaces of a repository.
    pub fn ids_of_repo(&self, repo: &Path) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state
            .workspaces
            .iter()
            .filter(|(_, w)| w.repo == repo)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The watcher and the task that debounces its events, made with the first workspace.
    fn ensure_started(&self, state: &mut State) {
        if state.watcher.is_some() {
            return;
        }
        let (tx, rx) = mpsc::unbounded_channel::<PathBuf>();
        let events = tx;
        let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            match ev {
                Ok(ev) if !ev.need_rescan() => {
                    if changes(&ev.kind) {
                        for path in ev.paths {
                            let _ = events.send(path);
                        }
                    }
                }
                // Events were lost: an empty path says "everything".
                _ => {
                    let _ = events.send(PathBuf::new());
                }
            }
        });
        match watcher {
            Ok(w) => state.watcher = Some(w),
            Err(e) => {
                tracing::warn!("cannot watch workspaces for git status changes: {e}");
                return;
            }
        }
        tokio::spawn(debounce(self.landing.clone(), rx));
    }

    /// The workspaces a change concerns (all for an empty path: events were lost), their statuses
    /// made stale.
    fn touched(&self, landing: &Landing, path: &Path) -> HashSet<String> {
        let ids = if path.as_os_str().is_empty() {
            landing.invalidate_all();
            self.state
                .lock()
                .unwrap()
                .workspaces
                .keys()
                .cloned()
                .collect()
        } else {
            self.affected(path)
        };
        for id in &ids {
            landing.invalidate(id);
        }
        if !ids.is_empty() {
            tracing::debug!(path = %path.display(), workspaces = ids.len(), "a change to recompute");
        }
        ids
    }

    /// The workspaces a changed path concerns; a new folder in a worktree is watched too.
    fn affected(&self, path: &Path) -> HashSet<String> {
        let mut state = self.state.lock().unwrap();
        let mut ids = HashSet::new();
        let mut new_dirs = Vec::new();
        let lock_file = path.extension().is_some_and(|e| e == "lock");
        let State {
            workspaces, dirs, ..
        } = &mut *state;
        for (id, w) in workspaces.iter_mut() {
            let in_worktree = w
                .worktree
                .as_ref()
                .is_some_and(|wt| path.starts_with(wt) && !path.starts_with(wt.join(".git")));
            let in_admin = !lock_file && w.admin.as_ref().is_some_and(|a| path.starts_with(a));
            let in_refs = path.starts_with(w.common.join("refs"));
            let in_common = !lock_file
                && (in_refs
                    || path == w.common.join("packed-refs")
                    || path == w.common.join("config"));
            if in_admin && w.admin.as_ref().is_some_and(|a| path == a.join("index")) {
                // git rewrites the index just to refresh its stat cache (git status does): only
                // a change of its entries can change the status.
                let digest = index_digest(path);
                if digest.is_some() && digest == w.index {
                    continue;
                }
                w.index = digest;
            }
            if in_worktree || in_admin || in_common {
                ids.insert(id.clone());
            }
            if (in_worktree || in_refs) && path.is_dir() && !dirs.contains_key(path) {
                new_dirs.push((id.clone(), path.to_path_buf()));
            }
        }
        for (id, dir) in new_dirs {
            let repo = state.workspaces[&id]
                .worktree
                .as_ref()
                .and_then(|w| Repository::open(w).ok().map(|r| (w.clone(), r)));
            let below = match &repo {
                Some((w, r)) if dir.starts_with(w) => {
                    let ignored = dir
                        .strip_prefix(w)
                        .is_ok_and(|rel| r.is_path_ignored(rel).unwrap_or(false));
                    if ignored {
                        Vec::new()
                    } else {
                        folders(&dir, None)
                    }
                }
                _ => folders(&dir, None),
            };
            for d in below {
                watch_dir(&mut state, &d);
                if let Some(w) = state.workspaces.get_mut(&id) {
                    w.dirs.push(d);
                }
            }
        }
        ids
    }
}

/// Whether an event says something changed: reading a file (git's, libgit2's, Grove's own status
/// reads) is no change.
fn changes(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

fn watch_dir(state: &mut State, dir: &Path) {
    let count = state.dirs.entry(dir.to_path_buf()).or_insert(0);
    *count += 1;
    if *count == 1
        && let Some(w) = state.watcher.as_mut()
        && let Err(e) = w.watch(dir, RecursiveMode::NonRecursive)
    {
        tracing::debug!("cannot watch {}: {e}", dir.display());
    }
}

/// Collects changed paths until things are quiet, then recomputes the workspaces they touch.
async fn debounce(landing: Weak<Landing>, mut rx: mpsc::UnboundedReceiver<PathBuf>) {
    while let Some(first) = rx.recv().await {
        let Some(landing) = landing.upgrade() else {
            return;
        };
        // Each change makes the statuses it touches stale at once; they are computed again
        // once things are quiet.
        let mut ids = landing.watch.touched(&landing, &first);
        let deadline = tokio::time::Instant::now() + LONGEST;
        loop {
            let wait = QUIET.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
            match tokio::time::timeout(wait, rx.recv()).await {
                Ok(Some(p)) => ids.extend(landing.watch.touched(&landing, &p)),
                Ok(None) => return,
                Err(_) => break,
            }
        }
        for id in ids {
            landing.publish(&id).await;
        }
    }
}
