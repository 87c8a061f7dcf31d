//! Pull requests through the GitHub CLI (`gh`): one created for a workspace's branch against its
//! base, and its state read back for `GitStatus.pullRequest`. Every gh process starts from
//! `process::command_with_inherited(gh, process::GH_ENV)` (in `gh::run`): gh's own token variables
//! reach gh and no other child. gh is always given `-R host/owner/repo`, parsed from the remote's
//! configured URL (gh drops ports when it reads remotes itself). The state is asked at most once
//! per `VIEW_EVERY` per workspace, unless `refresh` forces it.

// gh and remote serve pull requests only: pr's own modules, kept beside it in landing/.
#[path = "gh.rs"]
pub mod gh;
#[path = "remote.rs"]
pub mod remote;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::protocol::{PullRequest, WorkspaceCreatePullRequestResult};
use gh::Outcome;
use remote::{Provider, RemoteRepo};

/// How long `gh pr create` may take.
const CREATE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long `gh pr view` may take (a status read waits for it).
const VIEW_TIMEOUT: Duration = Duration::from_secs(20);
/// `view` asks gh at most this often per workspace.
pub const VIEW_EVERY: Duration = Duration::from_secs(30);

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
/// gives one. A pull request that already exists for the branch is returned as if created.
pub async fn create(
    ctx: &PrContext,
    title: &str,
    body: &str,
    draft: bool,
) -> Result<WorkspaceCreatePullRequestResult> {
    let repo = hosted(ctx)?;
    let compare = repo.compare_url(&ctx.base, &ctx.branch);
    if repo.provider != Provider::GitHub {
        return Err(Error::GhNotFound {
            message: format!(
                "{} is on {}; the GitHub CLI makes pull requests on GitHub only. Open the page \
                 for a new merge request in the browser: {compare}",
                ctx.remote,
                repo.provider.name()
            ),
            compare_url: Some(compare),
        });
    }
    let gh = gh_binary(ctx, &compare).await?;
    let mut args = vec![
        "pr".to_string(),
        "create".into(),
        "-R".into(),
        repo.gh_repo(),
        format!("--title={title}"),
        format!("--body={body}"),
        format!("--base={}", ctx.base),
        format!("--head={}", ctx.branch),
    ];
    if draft {
        args.push("--draft".into());
    }
    let out = run(&gh, ctx, &args, CREATE_TIMEOUT, &repo, &compare).await?;
    let url = match gh::classify(&out) {
        Outcome::Done(stdout) => gh::first_url(&stdout).map(str::to_owned).ok_or_else(|| {
            Error::CliFailed(format!(
                "gh pr create answered without the pull request's address: {}",
                stdout.trim()
            ))
        })?,
        Outcome::Exists(url) => {
            tracing::info!("{} already has a pull request: {url}", ctx.branch);
            url
        }
        Outcome::AuthRequired => return Err(auth_required(&repo, compare)),
        Outcome::NoPullRequest | Outcome::Failed(_) => return Err(failed("pr create", &out)),
    };
    let number = gh::number_of(&url).ok_or_else(|| {
        Error::CliFailed(format!(
            "gh pr create answered {url}, which names no pull request number."
        ))
    })?;
    remember(
        ctx,
        Some(PullRequest {
            url: url.clone(),
            number,
            state: "OPEN".into(),
        }),
    );
    Ok(WorkspaceCreatePullRequestResult { url, number })
}

/// The branch's pull request, if it has one, as gh last said within `VIEW_EVERY` (asking gh
/// only when the last answer is older); `Ok(None)` when it has none, when gh is missing or
/// signed out, or the remote is not on GitHub. A failed ask keeps the last answer.
pub async fn view(ctx: &PrContext) -> Result<Option<PullRequest>> {
    let key = Key::of(ctx);
    {
        let mut cache = CACHE.lock().unwrap();
        if let Some(entry) = cache.get_mut(&key) {
            if entry.asked.elapsed() < VIEW_EVERY {
                return Ok(entry.pull.clone());
            }
            // Claimed: another status read meanwhile takes the last answer instead of asking.
            entry.asked = Instant::now();
        }
    }
    refresh(ctx).await
}

/// `view`, asking gh now whatever the last answer's age (after a push, on request).
pub async fn refresh(ctx: &PrContext) -> Result<Option<PullRequest>> {
    let key = Key::of(ctx);
    let answer = ask(ctx).await;
    let mut cache = CACHE.lock().unwrap();
    let previous = cache.get(&key).and_then(|e| e.pull.clone());
    let pull = match answer {
        Ok(pull) => pull,
        Err(why) => {
            tracing::warn!("could not read {}'s pull request: {why}", ctx.branch);
            previous
        }
    };
    cache.retain(|_, e| e.asked.elapsed() < Duration::from_secs(3600));
    cache.insert(
        key,
        Entry {
            asked: Instant::now(),
            pull: pull.clone(),
        },
    );
    Ok(pull)
}

/// `gh pr view <branch> -R … --json url,state,number`: `Ok(None)` when there is none, or nothing
/// to ask (no remote on GitHub, no gh, signed out); `Err` with the reason when gh failed.
async fn ask(ctx: &PrContext) -> std::result::Result<Option<PullRequest>, String> {
    let Some(repo) = ctx.remote_url.as_deref().and_then(RemoteRepo::parse) else {
        return Ok(None);
    };
    if repo.provider != Provider::GitHub {
        return Ok(None);
    }
    let Ok(gh) = gh::locate(ctx.gh_path.as_deref()).await else {
        return Ok(None);
    };
    let args = [
        "pr",
        "view",
        &ctx.branch,
        "-R",
        &repo.gh_repo(),
        "--json",
        "url,state,number",
    ]
    .map(str::to_owned);
    let out = match gh::run(&gh, &ctx.worktree, &args, VIEW_TIMEOUT).await {
        Ok(out) => out,
        Err(gh::RunError::Missing) => return Ok(None),
        Err(gh::RunError::Failed(why)) => return Err(why),
    };
    match gh::classify(&out) {
        Outcome::Done(stdout) => serde_json::from_str(stdout.trim())
            .map(Some)
            .map_err(|e| format!("gh pr view answered something else than its JSON: {e}")),
        Outcome::NoPullRequest | Outcome::AuthRequired => Ok(None),
        Outcome::Exists(_) => Ok(None),
        Outcome::Failed(why) => Err(why),
    }
}

/// The last answer of gh per workspace (worktree, branch, repository).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key(PathBuf, String, Option<String>);

impl Key {
    fn of(ctx: &PrContext) -> Self {
        Self(
            ctx.worktree.clone(),
            ctx.branch.clone(),
            ctx.remote_url.clone(),
        )
    }
}

struct Entry {
    asked: Instant,
    pull: Option<PullRequest>,
}

static CACHE: LazyLock<Mutex<HashMap<Key, Entry>>> = LazyLock::new(Mutex::default);

fn remember(ctx: &PrContext, pull: Option<PullRequest>) {
    let entry = Entry {
        asked: Instant::now(),
        pull,
    };
    CACHE.lock().unwrap().insert(Key::of(ctx), entry);
}

/// The remote's repository; `GitFailed` saying what to fix when there is none to use.
fn hosted(ctx: &PrContext) -> Result<RemoteRepo> {
    let Some(url) = ctx.remote_url.as_deref() else {
        return Err(Error::GitFailed(format!(
            "The repository has no remote named {0}. Add it (`git remote add {0} <url>`) or \
             choose another in the grove.remote setting, then try again.",
            ctx.remote
        )));
    };
    RemoteRepo::parse(url).ok_or_else(|| {
        Error::GitFailed(format!(
            "The remote {} does not point at a hosted repository (host/owner/repository) that a \
             pull request can be opened on. Point it at GitHub (`git remote set-url {} <url>`) or \
             choose another remote in the grove.remote setting.",
            ctx.remote, ctx.remote
        ))
    })
}

/// The gh binary; `GhNotFound` with the compare page when there is none.
async fn gh_binary(ctx: &PrContext, compare: &str) -> Result<PathBuf> {
    gh::locate(ctx.gh_path.as_deref()).await.map_err(|nf| {
        tracing::warn!(searched = nf.searched.len(), "{}", nf.message);
        let set = ctx.gh_path.as_deref().is_some_and(|p| !p.trim().is_empty());
        let why = if set {
            format!(
                "{} Install the GitHub CLI ({}) or correct grove.ghPath.",
                nf.message,
                gh::GH.install
            )
        } else {
            nf.message
        };
        not_found(&why, compare)
    })
}

fn not_found(why: &str, compare: &str) -> Error {
    Error::GhNotFound {
        message: format!(
            "{why} Pull requests are made with the GitHub CLI; meanwhile this one can be opened \
             in the browser: {compare}"
        ),
        compare_url: Some(compare.to_string()),
    }
}

fn auth_required(repo: &RemoteRepo, compare: String) -> Error {
    let host = repo.host.split(':').next().unwrap_or(&repo.host);
    Error::GhAuthRequired {
        message: format!(
            "The GitHub CLI is not signed in to {}. Run `gh auth login --hostname {host}` in a \
             terminal (or set GH_TOKEN for github.com, GH_ENTERPRISE_TOKEN for an Enterprise \
             host), then try again; or open the pull request in the browser: {compare}",
            repo.host
        ),
        compare_url: Some(compare),
    }
}

fn failed(what: &str, out: &gh::Output) -> Error {
    match gh::classify(out) {
        Outcome::Failed(said) => Error::CliFailed(format!("gh {what} failed. {said}")),
        _ => Error::CliFailed(format!("gh {what} gave no usable answer.")),
    }
}

/// `gh::run`, its failures as errors: a binary gone between finding and starting it is
/// `GhNotFound`.
async fn run(
    gh_path: &std::path::Path,
    ctx: &PrContext,
    args: &[String],
    limit: Duration,
    repo: &RemoteRepo,
    compare: &str,
) -> Result<gh::Output> {
    tracing::debug!(repo = %repo.gh_repo(), "gh {} {}", args[0], args[1]);
    gh::run(gh_path, &ctx.worktree, args, limit)
        .await
        .map_err(|e| match e {
            gh::RunError::Missing => not_found(
                &format!("{} could not be started.", gh_path.display()),
                compare,
            ),
            gh::RunError::Failed(why) => Error::CliFailed(why),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(remote_url: Option<&str>, gh_path: Option<&str>) -> PrContext {
        PrContext {
            worktree: std::env::temp_dir(),
            branch: "grove/x".into(),
            base: "main".into(),
            remote: "origin".into(),
            remote_url: remote_url.map(str::to_owned),
            gh_path: gh_path.map(str::to_owned),
        }
    }

    #[tokio::test]
    async fn pr_create_without_gh_is_gh_not_found_with_the_compare_page() {
        let c = ctx(
            Some("git@github.com:acme/app.git"),
            Some("/nonexistent/grove-test/gh"),
        );
        let err = create(&c, "T", "B", false).await.unwrap_err();
        let Error::GhNotFound {
            message,
            compare_url,
        } = err
        else {
            panic!("{err:?}")
        };
        let want = "https://github.com/acme/app/compare/main...grove/x?expand=1";
        assert_eq!(compare_url.as_deref(), Some(want));
        assert!(
            message.contains("grove.ghPath") && message.contains(want),
            "{message}"
        );
    }

    #[tokio::test]
    async fn pr_create_on_gitlab_points_at_its_merge_request_page() {
        let c = ctx(Some("https://gitlab.com/group/app.git"), None);
        let err = create(&c, "T", "B", false).await.unwrap_err();
        assert!(
            matches!(&err, Error::GhNotFound { compare_url: Some(u), .. } if u.contains("/-/merge_requests/new?")),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn pr_create_needs_a_hosted_remote() {
        let err = create(&ctx(None, None), "T", "B", false).await.unwrap_err();
        assert!(matches!(&err, Error::GitFailed(m) if m.contains("git remote add origin")));
        let err = create(&ctx(Some("/srv/app.git"), None), "T", "B", false)
            .await
            .unwrap_err();
        assert!(matches!(&err, Error::GitFailed(m) if m.contains("grove.remote")));
    }

    #[tokio::test]
    async fn pr_view_without_gh_or_remote_is_none_and_cached() {
        let mut c = ctx(Some("git@github.com:acme/app.git"), Some("/nonexistent/gh"));
        c.worktree = std::env::temp_dir().join("grove-pr-view-test");
        assert_eq!(view(&c).await.unwrap(), None);
        let asked = CACHE.lock().unwrap()[&Key::of(&c)].asked;
        assert_eq!(view(&c).await.unwrap(), None);
        assert_eq!(CACHE.lock().unwrap()[&Key::of(&c)].asked, asked);
        assert_eq!(view(&ctx(None, None)).await.unwrap(), None);
    }
}
