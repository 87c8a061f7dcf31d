//! Where a workspace stands, read with git2 (no process): commits ahead of and behind its base,
//! uncommitted files, a sync stopped mid-way and its conflicts, the upstream, and whether the
//! branch has landed on its base.

use std::path::Path;

use git2::{Oid, Repository, RepositoryState, Status, StatusOptions};

use super::{Target, git2_failed};
use crate::error::{Error, Result};
use crate::protocol::{GitOperation, GitStatus, PullRequest, Upstream};

/// The commit a ref names, if it names one.
pub fn tip(repo: &Repository, reference: &str) -> Option<Oid> {
    repo.revparse_single(reference)
        .and_then(|o| o.peel_to_commit())
        .ok()
        .map(|c| c.id())
}

/// The base's commit now: the base branch's tip, or the base commit when the base was a detached
/// `HEAD` or is gone.
pub fn base_tip(repo: &Repository, t: &Target) -> Result<Oid> {
    t.base_branch_ref()
        .and_then(|r| tip(repo, &r).or_else(|| tip(repo, &t.base_ref)))
        .or_else(|| tip(repo, &t.base_commit))
        .ok_or_else(|| {
            Error::GitFailed(format!(
                "The base {} of the workspace {} is gone.",
                t.base_ref, t.name
            ))
        })
}

/// The workspace branch's tip.
pub fn branch_tip(repo: &Repository, t: &Target) -> Result<Oid> {
    tip(repo, &t.branch_ref()).ok_or_else(|| {
        Error::GitFailed(format!(
            "The branch {} of the workspace {} is gone.",
            t.branch, t.name
        ))
    })
}

/// The rebase or merge a worktree is stopped in, if any: read from its git folder's files, as git
/// itself tells (`rebase-merge`, `rebase-apply`, `MERGE_HEAD`).
pub fn operation(worktree: &Path) -> Option<GitOperation> {
    let dot_git = worktree.join(".git");
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        let link = std::fs::read_to_string(&dot_git).ok()?;
        worktree.join(link.trim().strip_prefix("gitdir:")?.trim())
    };
    if git_dir.join("rebase-merge").is_dir() || git_dir.join("rebase-apply").is_dir() {
        Some(GitOperation::Rebase)
    } else if git_dir.join("MERGE_HEAD").is_file() {
        Some(GitOperation::Merge)
    } else {
        None
    }
}

fn operation_of(repo: &Repository) -> Option<GitOperation> {
    match repo.state() {
        RepositoryState::Rebase
        | RepositoryState::RebaseInteractive
        | RepositoryState::RebaseMerge
        | RepositoryState::ApplyMailboxOrRebase => Some(GitOperation::Rebase),
        RepositoryState::Merge => Some(GitOperation::Merge),
        _ => None,
    }
}

/// Uncommitted files of a worktree (untracked included, ignored not), and the conflicted ones.
pub fn worktree_files(repo: &Repository) -> Result<(Vec<String>, Vec<String>)> {
    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut opts)).map_err(git2_failed)?;
    let (mut dirty, mut conflicted) = (Vec::new(), Vec::new());
    for s in statuses.iter() {
        let st = s.status();
        if st == Status::CURRENT || st.contains(Status::IGNORED) {
            continue;
        }
        let Ok(path) = s.path() else { continue };
        if st.contains(Status::CONFLICTED) {
            conflicted.push(path.to_string());
        }
        dirty.push(path.to_string());
    }
    conflicted.sort();
    conflicted.dedup();
    Ok((dirty, conflicted))
}

/// The branch's upstream: its remote, its name there, and ahead/behind against the
/// remote-tracking branch (none when it is not configured or was never fetched).
fn upstream(repo: &Repository, t: &Target, tip: Oid) -> Option<Upstream> {
    let config = repo.config().ok()?;
    let remote = config
        .get_string(&format!("branch.{}.remote", t.branch))
        .ok()?;
    let merge = config
        .get_string(&format!("branch.{}.merge", t.branch))
        .ok()?;
    let tracking = repo.branch_upstream_name(&t.branch_ref()).ok()?;
    let tracking = tip_of_name(repo, tracking.as_str().ok()?)?;
    let (ahead, behind) = repo.graph_ahead_behind(tip, tracking).ok()?;
    Some(Upstream {
        remote,
        branch: merge
            .strip_prefix("refs/heads/")
            .unwrap_or(&merge)
            .to_string(),
        ahead,
        behind,
    })
}

fn tip_of_name(repo: &Repository, name: &str) -> Option<Oid> {
    repo.find_reference(name)
        .ok()?
        .peel_to_commit()
        .ok()
        .map(|c| c.id())
}

/// Whether the branch's work is on the base: Grove recorded its tip as landed, or the base
/// contains it (and it is more than where the workspace started).
pub fn merged(repo: &Repository, t: &Target, tip: Oid, base: Oid) -> bool {
    if tip_of_name(repo, &t.merged_ref()) == Some(tip) {
        return true;
    }
    let started = Oid::from_str(&t.base_commit).ok();
    Some(tip) != started && (tip == base || repo.graph_descendant_of(base, tip).unwrap_or(false))
}

/// The status of a workspace, with the pull request last read from gh.
pub fn compute(t: &Target, pull_request: Option<PullRequest>) -> Result<GitStatus> {
    let repo = Repository::open(t.git_dir()).map_err(git2_failed)?;
    let tip = branch_tip(&repo, t)?;
    let base = base_tip(&repo, t)?;
    let (ahead, behind) = repo.graph_ahead_behind(tip, base).map_err(git2_failed)?;
    let (dirty, conflicted, operation) = if t.worktree.is_some() {
        let (dirty, conflicted) = worktree_files(&repo)?;
        (dirty, conflicted, operation_of(&repo))
    } else {
        (Vec::new(), Vec::new(), None)
    };
    Ok(GitStatus {
        branch: t.branch.clone(),
        base: if t.base_branch_ref().is_some() {
            t.base_ref.clone()
        } else {
            t.base_commit.clone()
        },
        ahead,
        behind,
        uncommitted: dirty.len(),
        operation,
        conflicted,
        upstream: upstream(&repo, t, tip),
        pull_request,
        merged: merged(&repo, t, tip, base),
    })
}
