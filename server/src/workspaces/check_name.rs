//! What `create` would say of a name or an existing branch, asked before it is called
//! (`grove/workspace/checkName`, the name step), and the folder a repository's worktrees go in.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::git::{self, MainRepo};
use super::registry::Record;
use super::{Workspaces, blocking, inside_checkout, invalid_name, names, short_hash};
use crate::error::{Error, Result};
use crate::protocol::{WorkspaceCheckNameParams, WorkspaceCheckNameResult, WorkspaceState};

fn refused(message: String, kept_branch: Option<String>) -> WorkspaceCheckNameResult {
    WorkspaceCheckNameResult {
        ok: false,
        message: Some(message),
        kept_branch,
    }
}

impl Workspaces {
    /// The folder this repository's worktrees go in; refused when `grove.worktreeRoot` is inside
    /// the checkout.
    pub(super) fn repo_dir(&self, main: &MainRepo) -> Result<PathBuf> {
        let worktree_root = self.worktree_root()?;
        if inside_checkout(&worktree_root, &main.root) {
            return Err(Error::InvalidParams {
                message: format!(
                    "The setting grove.worktreeRoot ({}) is inside the repository {}: new worktrees \
                     would show as files of the main checkout. Choose a folder outside it.",
                    worktree_root.display(),
                    main.root.display()
                ),
                data: Some(json!({ "setting": "grove.worktreeRoot" })),
            });
        }
        Ok(worktree_root.join(format!("{}-{}", main.name, short_hash(&main.root))))
    }

    /// `branch` for `create`: a local branch checked out nowhere.
    pub(super) async fn existing_branch(&self, root: &Path, branch: &str) -> Result<String> {
        if branch.starts_with('-') {
            return Err(invalid_name(format!("{branch:?} is not a branch.")));
        }
        let (r, b) = (root.to_path_buf(), branch.to_string());
        let (exists, at) =
            blocking(move || (git::branch_exists(&r, &b), git::checked_out_at(&r, &b))).await;
        if !exists {
            return Err(invalid_name(format!(
                "There is no local branch {branch:?} in this repository."
            )));
        }
        if let Some(at) = at {
            return Err(invalid_name(format!(
                "The branch {branch:?} is checked out in {} already.",
                at.display()
            )));
        }
        Ok(branch.to_string())
    }

    /// `grove/workspace/checkName`: `ok` when `create` would take the name; else why, and the
    /// kept branch of that name when nothing uses it (a workspace can continue on it).
    pub async fn check_name(
        &self,
        p: WorkspaceCheckNameParams,
    ) -> Result<WorkspaceCheckNameResult> {
        self.ready().await;
        let repo_path = p.repo_path.clone();
        let main = blocking(move || git::open_main(&repo_path)).await?;
        let name = p.name;
        if let Some(why) = names::invalid_reason(&name) {
            return Ok(refused(format!("The workspace name {name:?} {why}."), None));
        }
        let repo_dir = self.repo_dir(&main)?;
        let branch = format!("{}{name}", self.prefix());
        let records = self.records().await;
        let root = main.root.clone();
        let taken =
            blocking(move || name_taken(&records, &root, &repo_dir, Some(&branch), &name)).await;
        Ok(match taken {
            None => WorkspaceCheckNameResult {
                ok: true,
                message: None,
                kept_branch: None,
            },
            Some(Taken {
                message,
                kept_branch,
            }) => refused(message, kept_branch),
        })
    }
}

/// Why a name cannot be a new workspace's, in one line, and the kept branch of that name when
/// that is all there is.
pub(super) struct Taken {
    pub message: String,
    pub kept_branch: Option<String>,
}

/// What stops `name` from being a new workspace's in the repository at `root` (`records`: the
/// registry's): a workspace of that name, a folder of that name in `repo_dir`, or the branch it
/// would make (`branch`, none when it goes on an existing one) being there already. `create` and
/// `checkName` both ask this, so the name step says exactly what `create` would.
pub(super) fn name_taken(
    records: &[Record],
    root: &Path,
    repo_dir: &Path,
    branch: Option<&str>,
    name: &str,
) -> Option<Taken> {
    let root_text = root.display().to_string();
    let mine = || records.iter().filter(|r| r.ws.repo_path == root_text);
    let no = |message: String| {
        Some(Taken {
            message,
            kept_branch: None,
        })
    };
    if let Some(r) = mine().find(|r| r.ws.name == name) {
        let what = match r.ws.state {
            WorkspaceState::Archived => {
                "an archived workspace (restore it, or choose another name)"
            }
            WorkspaceState::Active => "a workspace",
        };
        return no(format!("{name:?} is the name of {what} already."));
    }
    if let Some(b) = branch
        && let Some(r) = mine().find(|r| r.ws.branch == b)
    {
        return no(format!(
            "The branch {b:?} belongs to the workspace {:?}.",
            r.ws.name
        ));
    }
    if repo_dir.join(name).exists() {
        return no(format!(
            "A folder {} exists already: choose another name.",
            repo_dir.join(name).display()
        ));
    }
    let b = branch.filter(|b| git::branch_exists(root, b))?;
    match git::checked_out_at(root, b) {
        Some(at) => no(format!(
            "The branch {b:?} is checked out in {}.",
            at.display()
        )),
        None => Some(Taken {
            message: format!(
                "A branch {b:?} exists already (kept when a workspace was deleted?): continue on \
                 it, or choose another name."
            ),
            kept_branch: Some(b.to_string()),
        }),
    }
}
