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
    Some(Watched {
        repo: t.repo.clone(),
        worktree,
        admin,
        common,
        dirs,
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
                landing.watch.insert(id, watched);
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
            if let Ok(ev) = ev {
                for path in ev.paths {
                    let _ = events.send(path);
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

    /// The workspaces a changed path concerns; a new folder in a worktree is watched too.
    fn affected(&self, path: &Path) -> HashSet<String> {
        let mut state = self.state.lock().unwrap();
        let mut ids = HashSet::new();
        let mut new_dirs = Vec::new();
        for (id, w) in &state.workspaces {
            let in_worktree = w
                .worktree
                .as_ref()
                .is_some_and(|wt| path.starts_with(wt) && !path.starts_with(wt.join(".git")));
            let in_admin = w.admin.as_ref().is_some_and(|a| path.starts_with(a));
            let in_common = path.parent() == Some(w.common.as_path())
                || path.starts_with(w.common.join("refs"));
            if in_worktree || in_admin || in_common {
                ids.insert(id.clone());
            }
            if (in_worktree || path.starts_with(w.common.join("refs")))
                && path.is_dir()
                && !state.dirs.contains_key(path)
            {
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
        let mut paths = vec![first];
        let deadline = tokio::time::Instant::now() + LONGEST;
        loop {
            let wait = QUIET.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
            match tokio::time::timeout(wait, rx.recv()).await {
                Ok(Some(p)) => paths.push(p),
                Ok(None) => return,
                Err(_) => break,
            }
        }
        let Some(landing) = landing.upgrade() else {
            return;
        };
        paths.sort();
        paths.dedup();
        let ids: HashSet<String> = paths
            .iter()
            .flat_map(|p| landing.watch.affected(p))
            .collect();
        for id in ids {
            landing.publish(&id).await;
        }
    }
}
