//! Push: the workspace's branch to its remote (the `remote` setting, else the base branch's
//! remote, else `origin`), its upstream set. Never forced, unless asked: then with a lease on the
//! remote branch as Grove last saw it.

use std::path::Path;

use git2::Repository;

use super::{Target, blocking, git, git2_failed};
use crate::error::{Error, Result};
use crate::protocol::WorkspacePushResult;

/// The remote to use and its URL as configured (none when there is no such remote).
pub fn remote_of(
    dir: &Path,
    base_ref: &str,
    configured: Option<&str>,
) -> Result<(String, Option<String>)> {
    let repo = Repository::open(dir).map_err(git2_failed)?;
    let name = match configured {
        Some(r) => r.to_string(),
        None => repo
            .config()
            .and_then(|c| c.get_string(&format!("branch.{base_ref}.remote")))
            .ok()
            .filter(|r| r != ".")
            .unwrap_or_else(|| "origin".into()),
    };
    let url = repo
        .find_remote(&name)
        .ok()
        .and_then(|r| r.url().ok().map(str::to_owned));
    Ok((name, url))
}

/// The remote-tracking branch's commit, if it was ever fetched or pushed.
fn tracking_tip(dir: &Path, remote: &str, branch: &str) -> Option<String> {
    let repo = Repository::open(dir).ok()?;
    let name = format!("refs/remotes/{remote}/{branch}");
    let c = repo.find_reference(&name).ok()?.peel_to_commit().ok()?;
    Some(c.id().to_string())
}

/// Whether `git push --porcelain` says a ref was rejected (a line flagged `!`).
pub fn rejected(porcelain: &str) -> bool {
    porcelain.lines().any(|l| l.starts_with('!'))
}

/// `grove/workspace/push`.
pub async fn push(
    t: &Target,
    configured: Option<&str>,
    force_with_lease: bool,
) -> Result<WorkspacePushResult> {
    let dir = t.git_dir().to_path_buf();
    let (d, base, c) = (
        dir.clone(),
        t.base_ref.clone(),
        configured.map(str::to_owned),
    );
    let (remote, url) = blocking(move || remote_of(&d, &base, c.as_deref())).await?;
    if url.is_none() {
        return Err(Error::invalid_params(format!(
            "The repository has no remote {remote:?}: add it (git remote add {remote} <url>), or \
             set grove.remote to the remote to push to."
        )));
    }
    let branch_ref = t.branch_ref();
    let refspec = format!("{branch_ref}:{branch_ref}");
    let lease = if force_with_lease {
        let (d, r, b) = (dir.clone(), remote.clone(), t.branch.clone());
        let expected = blocking(move || tracking_tip(&d, &r, &b)).await;
        Some(format!(
            "--force-with-lease={branch_ref}:{}",
            expected.unwrap_or_default()
        ))
    } else {
        None
    };
    let mut args = vec!["push", "--porcelain", "--set-upstream"];
    if let Some(l) = &lease {
        args.push(l);
    }
    args.extend(["--", &remote, &refspec]);
    let out = git(&dir, &args, None, &[]).await?;
    if out.ok {
        return Ok(WorkspacePushResult {
            remote,
            branch: t.branch.clone(),
        });
    }
    if rejected(&String::from_utf8_lossy(&out.stdout)) {
        return Err(Error::PushRejected {
            output: out.all_text(),
        });
    }
    Err(out.failed("push"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_ref_is_flagged_with_a_bang() {
        let out = "To /tmp/remote.git\n!\trefs/heads/grove/a:refs/heads/grove/a\t[rejected] (non-fast-forward)\nDone\n";
        assert!(rejected(out));
        assert!(!rejected(
            "To /tmp/r.git\n*\trefs/heads/a:refs/heads/a\t[new branch]\nDone\n"
        ));
    }
}
