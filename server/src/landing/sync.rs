//! Sync with the base: the branch rebased onto the base's tip, or the base merged in. Conflicts
//! leave the worktree mid-operation; from there the sync continues once no conflicted file holds
//! conflict markers (the user's or an agent's resolution), or is aborted, the branch exactly as
//! before.

use std::path::Path;

use git2::Repository;
use serde_json::json;

use super::{Target, blocking, git, git2_failed, no_editor, status};
use crate::error::{Error, Result};
use crate::protocol::{GitOperation, SyncMethod, SyncStatus, WorkspaceSyncResult};

/// Largest file read when looking for conflict markers.
const MAX_SCANNED: u64 = 32 * 1024 * 1024;

/// What a worktree looks like before a sync.
enum Before {
    /// Stopped mid-operation already: its conflicts.
    Stopped(Vec<String>),
    UpToDate,
    /// Ready: the base's tip to sync onto.
    Ready(String),
}

fn result(status: SyncStatus, conflicted: Vec<String>) -> WorkspaceSyncResult {
    WorkspaceSyncResult { status, conflicted }
}

fn check_before(t: &Target, worktree: &Path) -> Result<Before> {
    let repo = Repository::open(worktree).map_err(git2_failed)?;
    let (dirty, conflicted) = status::worktree_files(&repo)?;
    if status::operation(worktree).is_some() {
        return Ok(Before::Stopped(conflicted));
    }
    let head = repo.head().map_err(git2_failed)?;
    if head.name().ok() != Some(t.branch_ref().as_str()) {
        return Err(Error::invalid_params(format!(
            "The worktree of {} is not on its branch {}: check it out there first.",
            t.name, t.branch
        )));
    }
    if !dirty.is_empty() {
        return Err(Error::WorkspaceDirty {
            files: dirty,
            snapshot: None,
        });
    }
    let tip = status::branch_tip(&repo, t)?;
    let base = status::base_tip(&repo, t)?;
    if base == tip || repo.graph_descendant_of(tip, base).map_err(git2_failed)? {
        return Ok(Before::UpToDate);
    }
    Ok(Before::Ready(base.to_string()))
}

/// `grove/workspace/sync`.
pub async fn sync(t: &Target, method: SyncMethod) -> Result<WorkspaceSyncResult> {
    let worktree = t.worktree()?.to_path_buf();
    let (tc, w) = (t.clone(), worktree.clone());
    let base = match blocking(move || check_before(&tc, &w)).await? {
        Before::Stopped(conflicted) => return Ok(result(SyncStatus::Conflicts, conflicted)),
        Before::UpToDate => return Ok(result(SyncStatus::UpToDate, Vec::new())),
        Before::Ready(base) => base,
    };
    let message = format!("Merge {} into {}", t.base_ref, t.branch);
    let args: Vec<&str> = match method {
        SyncMethod::Rebase => vec!["rebase", &base],
        SyncMethod::Merge => vec!["merge", "--no-edit", "-m", &message, &base],
    };
    let out = git(&worktree, &args, None, &no_editor()).await?;
    after_step(t, &worktree, &out, args[0]).await
}

/// After git stopped or finished a step: done, stopped by conflicts, or refused by a hook (the
/// merge undone) or by git.
async fn after_step(
    t: &Target,
    worktree: &Path,
    out: &super::GitOutput,
    what: &str,
) -> Result<WorkspaceSyncResult> {
    let w = worktree.to_path_buf();
    let (op, conflicted) = blocking(move || -> Result<_> {
        let repo = Repository::open(&w).map_err(git2_failed)?;
        Ok((status::operation(&w), status::worktree_files(&repo)?.1))
    })
    .await?;
    match op {
        None if out.ok => Ok(result(SyncStatus::Done, Vec::new())),
        None => Err(out.failed(what)),
        Some(_) if !conflicted.is_empty() => Ok(result(SyncStatus::Conflicts, conflicted)),
        Some(GitOperation::Merge) if !out.ok && super::commit::has_hook(worktree).await => {
            // A hook refused the merge commit: undone, so nothing is half-way.
            let _ = git(worktree, &["merge", "--abort"], None, &[]).await;
            Err(Error::HookFailed {
                output: out.all_text(),
            })
        }
        Some(_) if out.ok => Ok(result(SyncStatus::Done, Vec::new())),
        Some(_) => Err(Error::GitFailed(format!(
            "git {what} stopped in {}: {}. Continue or abort the sync.",
            t.name,
            out.last_words()
        ))),
    }
}

/// Whether a file holds a conflict marker line (`<<<<<<<` or `>>>>>>>` at a line start).
pub fn has_markers(text: &[u8]) -> bool {
    text.split(|b| *b == b'\n').any(|line| {
        (line.starts_with(b"<<<<<<<") || line.starts_with(b">>>>>>>"))
            && matches!(line.get(7), None | Some(b' ' | b'\r' | b'\t'))
    })
}

/// The conflicted files of a stopped sync that still hold conflict markers.
fn still_marked(worktree: &Path, conflicted: &[String]) -> Vec<String> {
    conflicted
        .iter()
        .filter(|path| {
            let file = worktree.join(path);
            match std::fs::symlink_metadata(&file) {
                Ok(m) if m.is_file() && m.len() <= MAX_SCANNED => {
                    std::fs::read(&file).is_ok_and(|b| has_markers(&b))
                }
                _ => false,
            }
        })
        .cloned()
        .collect()
}

fn stopped(t: &Target, worktree: &Path) -> Result<(GitOperation, Vec<String>)> {
    let op = status::operation(worktree).ok_or_else(|| Error::InvalidParams {
        message: format!("No sync is stopped in the workspace {}.", t.name),
        data: Some(json!({ "reason": "noOperation" })),
    })?;
    let repo = Repository::open(worktree).map_err(git2_failed)?;
    Ok((op, status::worktree_files(&repo)?.1))
}

/// `grove/workspace/syncContinue`, and Grove's own continue after a resolving run.
pub async fn resume(t: &Target) -> Result<WorkspaceSyncResult> {
    let worktree = t.worktree()?.to_path_buf();
    let (tc, w) = (t.clone(), worktree.clone());
    let (op, conflicted) = blocking(move || stopped(&tc, &w)).await?;
    let w = worktree.clone();
    let files = conflicted.clone();
    let marked = blocking(move || still_marked(&w, &files)).await;
    if !marked.is_empty() {
        return Err(Error::Conflicts {
            message: format!(
                "{} file(s) still hold conflict markers ({}): resolve them, then continue.",
                marked.len(),
                marked.join(", ")
            ),
            files: marked,
        });
    }
    if !conflicted.is_empty() {
        let mut args = vec!["add", "-A", "--"];
        args.extend(conflicted.iter().map(String::as_str));
        let added = git(&worktree, &args, None, &[]).await?;
        if !added.ok {
            return Err(added.failed("add"));
        }
    }
    match op {
        GitOperation::Rebase => continue_rebase(t, &worktree).await,
        GitOperation::Merge => {
            let out = git(&worktree, &["commit", "--no-edit"], None, &no_editor()).await?;
            if !out.ok {
                return Err(super::commit::refusal(&worktree, &out).await);
            }
            after_step(t, &worktree, &out, "commit").await
        }
    }
}

/// `git rebase --continue`; a commit the resolution made empty is skipped, as git suggests.
async fn continue_rebase(t: &Target, worktree: &Path) -> Result<WorkspaceSyncResult> {
    let mut out = git(worktree, &["rebase", "--continue"], None, &no_editor()).await?;
    for _ in 0..100 {
        let empty = !out.ok
            && status::operation(worktree).is_some()
            && out.all_text().contains("git rebase --skip")
            && git(worktree, &["diff", "--cached", "--quiet"], None, &[])
                .await
                .is_ok_and(|d| d.ok);
        if !empty {
            break;
        }
        out = git(worktree, &["rebase", "--skip"], None, &no_editor()).await?;
    }
    after_step(t, worktree, &out, "rebase").await
}

/// `grove/workspace/syncAbort`: `git rebase --abort` or `git merge --abort`.
pub async fn abort(t: &Target) -> Result<()> {
    let worktree = t.worktree()?.to_path_buf();
    let (tc, w) = (t.clone(), worktree.clone());
    let (op, _) = blocking(move || stopped(&tc, &w)).await?;
    let what = match op {
        GitOperation::Rebase => "rebase",
        GitOperation::Merge => "merge",
    };
    let out = git(&worktree, &[what, "--abort"], None, &[]).await?;
    if !out.ok {
        return Err(out.failed(what));
    }
    Ok(())
}

/// `grove/workspace/resolvePrompt`: what an agent is asked to resolve the conflicts.
pub async fn resolve_prompt(t: &Target) -> Result<String> {
    let worktree = t.worktree()?.to_path_buf();
    let (tc, w) = (t.clone(), worktree.clone());
    let (op, conflicted) = blocking(move || stopped(&tc, &w)).await?;
    Ok(prompt(op, &t.branch, &t.base_ref, &conflicted))
}

pub fn prompt(op: GitOperation, branch: &str, base: &str, files: &[String]) -> String {
    let what = match op {
        GitOperation::Rebase => format!("A rebase of the branch {branch} onto {base}"),
        GitOperation::Merge => format!("A merge of {base} into the branch {branch}"),
    };
    let list: String = files.iter().map(|f| format!("- {f}\n")).collect();
    format!(
        "{what} stopped with conflicts in these files:\n{list}\n\
         Resolve each conflict: edit the file so that it keeps what both sides meant, and remove \
         every conflict marker (the <<<<<<<, ======= and >>>>>>> lines). Do not run git commands \
         (no git add, commit, rebase, merge or checkout): when you are done, Grove continues the \
         {} itself.",
        match op {
            GitOperation::Rebase => "rebase",
            GitOperation::Merge => "merge",
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_markers_are_lines_that_start_with_seven_angles() {
        assert!(has_markers(b"a\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n"));
        assert!(has_markers(b"<<<<<<<\n"));
        assert!(has_markers(b"x\r\n>>>>>>> theirs\r\n"));
        assert!(!has_markers(b"Title\n=======\n"));
        assert!(!has_markers(b"a << b\n  <<<<<<< indented\n"));
        assert!(!has_markers(b"<<<<<<<<< eight\n"));
    }

    #[test]
    fn the_prompt_names_the_operation_and_every_file() {
        let p = prompt(
            GitOperation::Rebase,
            "grove/a",
            "main",
            &["src/lib.rs".into(), "notes.txt".into()],
        );
        assert!(p.starts_with("A rebase of the branch grove/a onto main"));
        assert!(p.contains("- src/lib.rs\n- notes.txt\n"));
        assert!(p.contains("Grove continues the rebase"));
        let m = prompt(GitOperation::Merge, "grove/a", "main", &["x".into()]);
        assert!(m.starts_with("A merge of main into the branch grove/a"));
    }
}
