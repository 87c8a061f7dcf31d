//! Apply to the main checkout: the workspace's changes (committed and uncommitted, untracked
//! included, against where it forked from the main checkout's `HEAD`) as uncommitted changes
//! there, with `git apply` after `git apply --check`. A file with uncommitted work in the main
//! checkout is never touched; a patch that would not apply cleanly changes nothing.

use std::ffi::OsStr;
use std::path::Path;

use git2::Repository;

use super::{Target, blocking, git, git_ok, git2_failed, status};
use crate::error::{Error, Result};
use crate::protocol::WorkspaceApplyResult;

/// Options that make a diff the same whatever the user's diff configuration.
const PLAIN_DIFF: &[&str] = &[
    "--no-renames",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--src-prefix=a/",
    "--dst-prefix=b/",
];

/// The paths `git apply --check` complains about, among `files`.
pub fn refused_paths(stderr: &str, files: &[String]) -> Vec<String> {
    let mut out: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .filter_map(|l| match l.strip_prefix("patch failed: ") {
            Some(rest) => rest.rsplit_once(':').map(|(p, _)| p),
            None => l.split_once(": ").map(|(p, _)| p),
        })
        .filter(|p| files.iter().any(|f| f == p))
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        return files.to_vec();
    }
    out
}

/// The workspace's changes against its fork point with the main checkout, as a binary patch and
/// the paths it changes. A temporary index keeps the worktree's own index untouched.
async fn workspace_patch(worktree: &Path, fork: &str) -> Result<(Vec<u8>, Vec<String>)> {
    let index = std::env::temp_dir().join(format!("grove-apply-{}.index", crate::store::nonce()));
    let env = [("GIT_INDEX_FILE", index.as_os_str())];
    let result = async {
        run(worktree, &["read-tree", "HEAD"], &env).await?;
        run(worktree, &["add", "-A", "--", "."], &env).await?;
        let mut names = vec!["diff", "--cached", "--name-only", "-z"];
        names.extend_from_slice(PLAIN_DIFF);
        names.push(fork);
        let names = run(worktree, &names, &env).await?;
        let files: Vec<String> = String::from_utf8_lossy(&names)
            .split('\0')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect();
        let mut diff = vec!["diff", "--cached", "--binary", "--full-index"];
        diff.extend_from_slice(PLAIN_DIFF);
        diff.push(fork);
        Ok((run(worktree, &diff, &env).await?, files))
    }
    .await;
    let _ = std::fs::remove_file(&index);
    result
}

async fn run(dir: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Result<Vec<u8>> {
    let out = git(dir, args, None, env).await?;
    if !out.ok {
        return Err(out.failed(args[0]));
    }
    Ok(out.stdout)
}

/// The main checkout's `HEAD` and its uncommitted files.
fn main_state(main: &Path) -> Result<(String, Vec<String>)> {
    let repo = Repository::open(main).map_err(git2_failed)?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(git2_failed)?;
    Ok((head.id().to_string(), status::worktree_files(&repo)?.0))
}

/// `grove/workspace/apply`.
pub async fn apply(t: &Target) -> Result<WorkspaceApplyResult> {
    let worktree = t.worktree()?.to_path_buf();
    let (tc, w) = (t.clone(), worktree.clone());
    blocking(move || super::commit::refuse_mid_operation(&tc, &w)).await?;
    let main = t.repo.clone();
    let (main_head, main_dirty) = blocking(move || main_state(&main)).await?;
    let fork = git_ok(&worktree, &["merge-base", "HEAD", &main_head]).await?;
    let (patch, files) = workspace_patch(&worktree, &fork).await?;
    if files.is_empty() {
        return Ok(WorkspaceApplyResult { files });
    }
    let mut overlap: Vec<String> = files
        .iter()
        .filter(|f| main_dirty.contains(f))
        .cloned()
        .collect();
    overlap.sort();
    if !overlap.is_empty() {
        return Err(Error::DirtyCheckout {
            checkout: t.repo.display().to_string(),
            files: overlap,
        });
    }
    let check = git(
        &t.repo,
        &["apply", "--check", "--binary", "-"],
        Some(&patch),
        &[],
    )
    .await?;
    if !check.ok {
        let refused = refused_paths(&String::from_utf8_lossy(&check.stderr), &files);
        return Err(Error::Conflicts {
            message: format!(
                "The workspace's changes do not apply cleanly to the main checkout in {} \
                 file(s) ({}): its files differ there. Nothing was changed; merge or sync \
                 instead.",
                refused.len(),
                refused.join(", ")
            ),
            files: refused,
        });
    }
    let applied = git(&t.repo, &["apply", "--binary", "-"], Some(&patch), &[]).await?;
    if !applied.ok {
        return Err(applied.failed("apply"));
    }
    Ok(WorkspaceApplyResult { files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_paths_come_from_git_apply_errors() {
        let files = vec![
            "src/lib.rs".to_string(),
            "notes.txt".into(),
            "new.txt".into(),
        ];
        let stderr = "error: patch failed: src/lib.rs:1\n\
                      error: src/lib.rs: patch does not apply\n\
                      error: new.txt: already exists in working directory\n";
        assert_eq!(
            refused_paths(stderr, &files),
            vec!["new.txt".to_string(), "src/lib.rs".into()]
        );
        assert_eq!(refused_paths("fatal: something else", &files), files);
    }
}
