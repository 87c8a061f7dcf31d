//! Commit: every change of a worktree (untracked included, ignored excluded) committed with the
//! git CLI, as the user would (`git add -A`, `git commit -F -`): their identity, configuration and
//! signing, their hooks. A refused commit loses nothing: the index is put back as it was. Also the
//! message Grove prefills from the workspace's prompts.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Target, blocking, git, git_ok, status};
use crate::error::{Error, Result};
use crate::protocol::WorkspaceCommitResult;

/// A commit subject's length limit, in characters.
const SUBJECT_MAX: usize = 72;

/// The hooks `git commit` runs that can refuse it.
const COMMIT_HOOKS: &[&str] = &["pre-commit", "prepare-commit-msg", "commit-msg"];

/// A sync stopped mid-way is finished or aborted first: a commit then would land inside it.
pub fn refuse_mid_operation(t: &Target, worktree: &Path) -> Result<()> {
    if let Some(op) = status::operation(worktree) {
        let what = match op {
            crate::protocol::GitOperation::Rebase => "rebase",
            crate::protocol::GitOperation::Merge => "merge",
        };
        return Err(Error::InvalidParams {
            message: format!(
                "The workspace {} is in the middle of a {what} stopped by conflicts: resolve \
                 them and continue the sync, or abort it, first.",
                t.name
            ),
            data: Some(json!({ "reason": "operationInProgress", "operation": what })),
        });
    }
    Ok(())
}

/// `grove/workspace/commit`.
pub async fn commit(t: &Target, message: &str) -> Result<WorkspaceCommitResult> {
    let worktree = t.worktree()?.to_path_buf();
    if message.trim().is_empty() {
        return Err(Error::invalid_params(
            "The commit message is empty: write one.",
        ));
    }
    let (tc, w) = (t.clone(), worktree.clone());
    let dirty = blocking(move || -> Result<Vec<String>> {
        refuse_mid_operation(&tc, &w)?;
        let repo = git2::Repository::open(&w).map_err(super::git2_failed)?;
        Ok(status::worktree_files(&repo)?.0)
    })
    .await?;
    if dirty.is_empty() {
        return Err(Error::NothingToCommit);
    }
    let saved = SavedIndex::save(&worktree).await;
    let result = add_and_commit(&worktree, message).await;
    if result.is_err()
        && let Some(saved) = &saved
    {
        saved.restore();
    }
    if let Some(saved) = saved {
        saved.discard();
    }
    result?;
    let commit = git_ok(&worktree, &["rev-parse", "HEAD"]).await?;
    let files = git_ok(
        &worktree,
        &[
            "diff-tree",
            "--no-commit-id",
            "--name-only",
            "--no-renames",
            "-r",
            "-z",
            "--root",
            "HEAD",
        ],
    )
    .await?;
    let files = files
        .split('\0')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(WorkspaceCommitResult { commit, files })
}

async fn add_and_commit(worktree: &Path, message: &str) -> Result<()> {
    let added = git(worktree, &["add", "-A", "--", "."], None, &[]).await?;
    if !added.ok {
        return Err(added.failed("add"));
    }
    let mut args = vec!["commit", "-F", "-"];
    // The message as written: without the user's own choice, `#` lines (Markdown headings in a
    // prompt) are kept.
    if git(worktree, &["config", "commit.cleanup"], None, &[])
        .await
        .is_ok_and(|o| !o.ok)
    {
        args.push("--cleanup=whitespace");
    }
    let env = super::no_editor();
    let out = git(worktree, &args, Some(message.as_bytes()), &env).await?;
    if out.ok {
        return Ok(());
    }
    Err(refusal(worktree, &out).await)
}

/// Why `git commit` refused: no identity, a hook (with its output), nothing to commit, or git's
/// own words.
pub async fn refusal(dir: &Path, out: &super::GitOutput) -> Error {
    let text = out.all_text();
    if text.contains("Author identity unknown") || text.contains("unable to auto-detect email") {
        return Error::GitFailed(
            "git does not know who you are: set your name and email (git config --global \
             user.name \"Your Name\"; git config --global user.email you@example.com), then \
             commit again."
                .into(),
        );
    }
    if has_hook(dir).await {
        return Error::HookFailed { output: text };
    }
    if text.contains("nothing to commit") || text.contains("no changes added to commit") {
        return Error::NothingToCommit;
    }
    out.failed("commit")
}

/// Whether a hook that can refuse a commit is installed (honouring `core.hooksPath`).
pub async fn has_hook(worktree: &Path) -> bool {
    for hook in COMMIT_HOOKS {
        let rel = format!("hooks/{hook}");
        let Ok(path) = git_ok(worktree, &["rev-parse", "--git-path", &rel]).await else {
            continue;
        };
        let path = worktree.join(path);
        if is_executable(&path) {
            return true;
        }
    }
    false
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A copy of the worktree's index, put back byte for byte when a commit is refused.
struct SavedIndex {
    index: PathBuf,
    copy: PathBuf,
}

impl SavedIndex {
    async fn save(worktree: &Path) -> Option<Self> {
        let index = git_ok(worktree, &["rev-parse", "--git-path", "index"])
            .await
            .ok()?;
        let index = worktree.join(index);
        let copy = index.with_file_name(format!("grove-index-{}", crate::store::nonce()));
        std::fs::copy(&index, &copy).ok()?;
        Some(Self { index, copy })
    }

    fn restore(&self) {
        let back = self.copy.with_extension("restore");
        if std::fs::copy(&self.copy, &back).is_ok() && std::fs::rename(&back, &self.index).is_ok() {
            return;
        }
        tracing::warn!("could not put the index back after a refused commit");
    }

    fn discard(self) {
        let _ = std::fs::remove_file(&self.copy);
    }
}

/// A commit subject from a prompt: its first non-blank line, at most 72 characters (cut at a
/// word when one ends late enough).
pub fn first_line(prompt: &str) -> String {
    let line = prompt
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= SUBJECT_MAX {
        return line;
    }
    let cut: String = line.chars().take(SUBJECT_MAX).collect();
    match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() >= SUBJECT_MAX / 2 => cut[..i].to_string(),
        _ => cut,
    }
}

/// The message `grove/workspace/commitMessage` prefills: the latest prompt's first line, then
/// the prompts of the workspace's runs, oldest first.
pub fn prefill(workspace: &str, prompts: &[String]) -> String {
    let subjects: Vec<String> = prompts
        .iter()
        .map(|p| first_line(p))
        .filter(|s| !s.is_empty())
        .collect();
    let Some(subject) = subjects.last() else {
        return format!("Work from {workspace}");
    };
    let single_line = prompts.len() == 1 && prompts[0].trim().lines().count() <= 1;
    if single_line && subject.as_str() == prompts[0].trim() {
        return subject.clone();
    }
    let mut message = format!("{subject}\n\nPrompts:\n");
    for s in &subjects {
        message.push_str("- ");
        message.push_str(s);
        message.push('\n');
    }
    message.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_the_first_line_cut_at_a_word() {
        assert_eq!(
            first_line("\n  fix the login form\nthen more"),
            "fix the login form"
        );
        let long = "Refactor the workspace registry so that every sidecar shares one lock file and never loses entries";
        let s = first_line(long);
        assert!(s.chars().count() <= 72, "{s}");
        assert_eq!(
            s,
            "Refactor the workspace registry so that every sidecar shares one lock"
        );
        let word = "x".repeat(100);
        assert_eq!(first_line(&word).chars().count(), 72);
        assert_eq!(first_line("a\tb   c"), "a b c");
        assert_eq!(first_line("é".repeat(80).as_str()).chars().count(), 72);
    }

    #[test]
    fn the_prefill_names_the_latest_prompt_and_lists_them_all() {
        assert_eq!(prefill("fix-login", &[]), "Work from fix-login");
        assert_eq!(prefill("w", &["add a README".into()]), "add a README");
        assert_eq!(
            prefill(
                "w",
                &["add a README\nwith a title".into(), "now fix typos".into()]
            ),
            "now fix typos\n\nPrompts:\n- add a README\n- now fix typos"
        );
    }
}
