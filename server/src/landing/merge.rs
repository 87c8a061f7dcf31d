//! Merge into the base: a fast-forward when possible, else a merge commit, a squash or the
//! branch's commits replayed. The new tree is always a real merge with the base as it is now
//! (`git merge-tree --write-tree`), so nothing that reached the base meanwhile is reverted. A base
//! checked out nowhere is advanced by a compare-and-swap of its ref (computed again if it moved);
//! a base checked out somewhere is merged there with the git CLI, only when none of the files the
//! merge changes has uncommitted work there.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use super::{Target, blocking, git, git_ok, git2_failed, status};
use crate::error::{Error, Result};
use crate::protocol::{MergeMethod, WorkspaceMergeResult};

/// How many times the merge is computed again when the base moves under it.
const ATTEMPTS: usize = 5;

/// What a merge starts from.
#[derive(Debug, Clone)]
struct Plan {
    base_tip: Oid,
    branch_tip: Oid,
    /// Where the base branch is checked out (the main checkout or a worktree), if anywhere.
    checkout: Option<PathBuf>,
    /// The base is an ancestor of the branch.
    fast_forward: bool,
    /// The branch is on the base already.
    landed: bool,
}

/// An author kept when a commit is replayed.
#[derive(Debug, Clone)]
struct Replayed {
    id: Oid,
    parent: Oid,
    message: String,
    author: (String, String, String),
}

/// `git merge-tree --write-tree -z --name-only --no-messages` output: the tree, and the
/// conflicted paths (each once).
pub fn parse_merge_tree(stdout: &[u8]) -> (String, Vec<String>) {
    let mut parts = stdout.split(|b| *b == 0);
    let tree = String::from_utf8_lossy(parts.next().unwrap_or_default())
        .trim()
        .to_string();
    let mut files: Vec<String> = parts
        .take_while(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    files.dedup();
    files.sort();
    files.dedup();
    (tree, files)
}

fn conflicts(t: &Target, files: Vec<String>) -> Error {
    Error::Conflicts {
        message: format!(
            "{} conflicts with {} in {} file(s) ({}): sync the workspace with its base first, \
             resolve the conflicts there, then merge. Nothing was changed.",
            t.branch,
            t.base_ref,
            files.len(),
            files.join(", ")
        ),
        files,
    }
}

/// Where `branch` (a full ref) is checked out: the main checkout or a linked worktree, also
/// when one is mid-rebase of it. Read from git's files (`HEAD`, `rebase-*/head-name`), without
/// opening each worktree.
fn checkout_of(common: &Path, main: &Path, branch: &str) -> Option<PathBuf> {
    let on_it = |git_dir: &Path| {
        let head = std::fs::read_to_string(git_dir.join("HEAD")).unwrap_or_default();
        let rebasing = ["rebase-merge/head-name", "rebase-apply/head-name"]
            .iter()
            .any(|f| std::fs::read_to_string(git_dir.join(f)).is_ok_and(|n| n.trim() == branch));
        head.trim().strip_prefix("ref: ") == Some(branch) || rebasing
    };
    if on_it(common) {
        return Some(main.to_path_buf());
    }
    for entry in std::fs::read_dir(common.join("worktrees")).ok()?.flatten() {
        let admin = entry.path();
        if on_it(&admin) {
            // `gitdir` names the worktree's `.git` file.
            let dot_git = std::fs::read_to_string(admin.join("gitdir")).ok()?;
            return Path::new(dot_git.trim()).parent().map(Path::to_path_buf);
        }
    }
    None
}

fn plan(t: &Target) -> Result<Plan> {
    let base_ref = t.base_branch_ref().ok_or_else(|| {
        Error::invalid_params(format!(
            "The workspace {} was made from a commit, not a branch: there is no base branch to \
             merge into. Push the branch and open a pull request instead.",
            t.name
        ))
    })?;
    let repo = Repository::open(&t.repo).map_err(git2_failed)?;
    let base_tip = status::tip(&repo, &base_ref).ok_or_else(|| {
        Error::invalid_params(format!(
            "The base {} is not a local branch of {}: merge needs one.",
            t.base_ref,
            t.repo.display()
        ))
    })?;
    let branch_tip = status::branch_tip(&repo, t)?;
    let landed = branch_tip == base_tip
        || repo
            .graph_descendant_of(base_tip, branch_tip)
            .map_err(git2_failed)?;
    let fast_forward = repo
        .graph_descendant_of(branch_tip, base_tip)
        .map_err(git2_failed)?;
    Ok(Plan {
        base_tip,
        branch_tip,
        checkout: checkout_of(repo.commondir(), &t.repo, &base_ref),
        fast_forward,
        landed,
    })
}

/// `grove/workspace/merge`.
pub async fn merge(
    t: &Target,
    method: MergeMethod,
    message: Option<&str>,
) -> Result<WorkspaceMergeResult> {
    if let Some(w) = &t.worktree {
        super::commit::refuse_mid_operation(t, w)?;
    }
    let message = message.map(str::trim).filter(|m| !m.is_empty());
    for _ in 0..ATTEMPTS {
        let tc = t.clone();
        let plan = blocking(move || plan(&tc)).await?;
        let commit = if plan.landed {
            plan.base_tip.to_string()
        } else if let Some(checkout) = &plan.checkout {
            land_in_checkout(t, &plan, method, message, checkout).await?
        } else {
            let new = build(t, &plan, method, message).await?;
            let base_ref = t.base_branch_ref().unwrap_or_default();
            let why = format!("grove: merge {}", t.branch);
            let (landed, tip) = (t.merged_ref(), plan.branch_tip.to_string());
            let old = plan.base_tip.to_string();
            // A merge keeps the branch's tip on the base; a squash or a replay is recorded.
            let also = (method != MergeMethod::Merge).then_some((landed.as_str(), tip.as_str()));
            if !advance_ref(&t.repo, &base_ref, &new, &old, also, &why).await? {
                tracing::info!(base = %t.base_ref, "the base moved during the merge; computing it again");
                continue;
            }
            return Ok(WorkspaceMergeResult {
                commit: new,
                base: t.base_ref.clone(),
            });
        };
        if method != MergeMethod::Merge {
            record_landed(t, &plan).await;
        }
        return Ok(WorkspaceMergeResult {
            commit,
            base: t.base_ref.clone(),
        });
    }
    Err(Error::GitFailed(format!(
        "{} kept moving while Grove merged {} into it ({ATTEMPTS} attempts): nothing was \
         changed. Try again.",
        t.base_ref, t.branch
    )))
}

/// Records the tip that landed, so status says merged and delete does not count it as lost.
async fn record_landed(t: &Target, plan: &Plan) {
    let tip = plan.branch_tip.to_string();
    if let Err(e) = git_ok(&t.repo, &["update-ref", &t.merged_ref(), &tip]).await {
        tracing::warn!(id = %t.id, "could not record the merged tip: {e}");
    }
}

/// Moves `reference` from `old` to `new` only if it is still at `old` (git's compare-and-swap
/// under the ref's lock), and sets `also` (a ref and its commit) in the same transaction:
/// `Ok(false)`, with nothing changed, when `reference` moved meanwhile.
pub async fn advance_ref(
    repo: &Path,
    reference: &str,
    new: &str,
    old: &str,
    also: Option<(&str, &str)>,
    why: &str,
) -> Result<bool> {
    let out = match also {
        None => {
            let args = ["update-ref", "-m", why, reference, new, old];
            git(repo, &args, None, &[]).await?
        }
        Some((r, v)) => {
            let commands = format!("update {reference} {new} {old}\nupdate {r} {v}\n");
            let args = ["update-ref", "-m", why, "--stdin"];
            git(repo, &args, Some(commands.as_bytes()), &[]).await?
        }
    };
    if out.ok {
        return Ok(true);
    }
    let now = git_ok(repo, &["rev-parse", "--verify", "-q", reference]).await;
    if now.as_deref().is_ok_and(|n| n != old) {
        return Ok(false);
    }
    Err(out.failed("update-ref"))
}

/// `git merge-tree --write-tree` of two commits (optionally from a given merge base): the tree,
/// or the conflicted paths.
async fn merge_tree(
    dir: &Path,
    ours: &str,
    theirs: &str,
    merge_base: Option<&str>,
) -> Result<std::result::Result<String, Vec<String>>> {
    let base_arg = merge_base.map(|b| format!("--merge-base={b}"));
    let mut args = vec![
        "merge-tree",
        "--write-tree",
        "-z",
        "--name-only",
        "--no-messages",
    ];
    if let Some(b) = &base_arg {
        args.push(b);
    }
    args.extend([ours, theirs]);
    let out = git(dir, &args, None, &[]).await?;
    let (tree, files) = parse_merge_tree(&out.stdout);
    match (out.ok, tree.len()) {
        (true, 40 | 64) => Ok(Ok(tree)),
        (false, 40 | 64) if !files.is_empty() => Ok(Err(files)),
        _ => Err(out.failed("merge-tree")),
    }
}

/// `git commit-tree` with the message on stdin (the user's identity and signing config); the
/// author kept when given.
async fn commit_tree(
    dir: &Path,
    tree: &str,
    parents: &[&str],
    message: &str,
    author: Option<&(String, String, String)>,
) -> Result<String> {
    let mut args = vec!["commit-tree", tree];
    for p in parents {
        args.extend(["-p", p]);
    }
    args.extend(["-F", "-"]);
    let env: Vec<(&str, &OsStr)> = author
        .map(|(name, email, date)| {
            vec![
                ("GIT_AUTHOR_NAME", OsStr::new(name.as_str())),
                ("GIT_AUTHOR_EMAIL", OsStr::new(email.as_str())),
                ("GIT_AUTHOR_DATE", OsStr::new(date.as_str())),
            ]
        })
        .unwrap_or_default();
    let out = git(dir, &args, Some(message.as_bytes()), &env).await?;
    if !out.ok {
        return Err(out.failed("commit-tree"));
    }
    Ok(out.stdout_text())
}

/// The base's new tip, computed without touching any checkout.
async fn build(
    t: &Target,
    plan: &Plan,
    method: MergeMethod,
    message: Option<&str>,
) -> Result<String> {
    let (base, tip) = (plan.base_tip.to_string(), plan.branch_tip.to_string());
    if plan.fast_forward && method != MergeMethod::Squash {
        return Ok(tip);
    }
    if method == MergeMethod::Rebase {
        return replay(t, plan).await;
    }
    let tree = match merge_tree(&t.repo, &base, &tip, None).await? {
        Ok(tree) => tree,
        Err(files) => return Err(conflicts(t, files)),
    };
    let (parents, text) = match method {
        MergeMethod::Squash => (vec![base.as_str()], squash_message(t, plan, message).await?),
        _ => (
            vec![base.as_str(), tip.as_str()],
            message.map_or_else(|| merge_message(t), str::to_owned),
        ),
    };
    commit_tree(&t.repo, &tree, &parents, &text, None).await
}

fn merge_message(t: &Target) -> String {
    format!("Merge branch '{}' into {}", t.branch, t.base_ref)
}

/// A squash's message: the one commit's message, or a list of the commits' subjects.
async fn squash_message(t: &Target, plan: &Plan, message: Option<&str>) -> Result<String> {
    if let Some(m) = message {
        return Ok(m.to_string());
    }
    let range = format!("{}..{}", plan.base_tip, plan.branch_tip);
    let subjects = git_ok(
        &t.repo,
        &["log", "--reverse", "--no-merges", "--format=%s", &range],
    )
    .await?;
    let subjects: Vec<&str> = subjects.lines().filter(|l| !l.is_empty()).collect();
    if subjects.len() == 1 {
        return git_ok(
            &t.repo,
            &["log", "-1", "--no-merges", "--format=%B", &range],
        )
        .await;
    }
    let list: String = subjects.iter().map(|s| format!("- {s}\n")).collect();
    Ok(format!(
        "{} (squashed {} commits of {})\n\n{list}",
        t.name,
        subjects.len(),
        t.branch
    )
    .trim_end()
    .to_string())
}

/// The branch's own commits (merges left out), oldest first, as a rebase replays them.
fn to_replay(repo_dir: &Path, base: Oid, tip: Oid) -> Result<Vec<Replayed>> {
    let repo = Repository::open(repo_dir).map_err(git2_failed)?;
    let mut walk = repo.revwalk().map_err(git2_failed)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .map_err(git2_failed)?;
    walk.push(tip).map_err(git2_failed)?;
    walk.hide(base).map_err(git2_failed)?;
    let mut out = Vec::new();
    for id in walk {
        let c = repo
            .find_commit(id.map_err(git2_failed)?)
            .map_err(git2_failed)?;
        if c.parent_count() != 1 {
            continue;
        }
        let a = c.author();
        let offset = a.when().offset_minutes();
        let date = format!(
            "@{} {}{:02}{:02}",
            a.when().seconds(),
            if offset < 0 { '-' } else { '+' },
            offset.abs() / 60,
            offset.abs() % 60
        );
        out.push(Replayed {
            id: c.id(),
            parent: c.parent_id(0).map_err(git2_failed)?,
            message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
            author: (
                String::from_utf8_lossy(a.name_bytes()).into_owned(),
                String::from_utf8_lossy(a.email_bytes()).into_owned(),
                date,
            ),
        });
    }
    Ok(out)
}

/// The branch's commits replayed on the base's tip, each a three-way merge (a cherry-pick
/// without a checkout); a commit that becomes empty is dropped.
async fn replay(t: &Target, plan: &Plan) -> Result<String> {
    let dir = t.repo.clone();
    let (base, tip) = (plan.base_tip, plan.branch_tip);
    let commits = blocking(move || to_replay(&dir, base, tip)).await?;
    let mut current = base.to_string();
    for c in commits {
        let tree = match merge_tree(
            &t.repo,
            &current,
            &c.id.to_string(),
            Some(&c.parent.to_string()),
        )
        .await?
        {
            Ok(tree) => tree,
            Err(files) => return Err(conflicts(t, files)),
        };
        let current_tree = git_ok(&t.repo, &["rev-parse", &format!("{current}^{{tree}}")]).await?;
        if tree == current_tree {
            continue;
        }
        current = commit_tree(&t.repo, &tree, &[&current], &c.message, Some(&c.author)).await?;
    }
    Ok(current)
}

/// The paths that differ between two commits' trees.
fn changed_paths(repo_dir: &Path, old: Oid, new: &str) -> Result<Vec<String>> {
    let repo = Repository::open(repo_dir).map_err(git2_failed)?;
    let tree_of = |id: Oid| repo.find_commit(id).and_then(|c| c.tree());
    let old_tree = tree_of(old).map_err(git2_failed)?;
    let new_tree = repo
        .revparse_single(new)
        .and_then(|o| o.peel_to_tree())
        .map_err(git2_failed)?;
    let diff = repo
        .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), None)
        .map_err(git2_failed)?;
    let mut paths: Vec<String> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// What a checkout holds: its uncommitted files (untracked included) and whether its index has
/// staged changes (git merge refuses then; a fast-forward does not).
fn checkout_state(checkout: &Path) -> Result<(Vec<String>, bool)> {
    let repo = Repository::open(checkout).map_err(git2_failed)?;
    let (dirty, _) = status::worktree_files(&repo)?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_tree())
        .map_err(git2_failed)?;
    let index = repo.index().map_err(git2_failed)?;
    let staged = repo
        .diff_tree_to_index(Some(&head), Some(&index), None)
        .map_err(git2_failed)?
        .deltas()
        .len()
        > 0;
    Ok((dirty, staged))
}

/// Merges in the checkout where the base is: refused when a file the merge changes has
/// uncommitted work there; else `git merge` there (hooks run), or, for a fast-forward, a replayed
/// branch or a checkout with staged changes, the computed commit fast-forwarded there.
async fn land_in_checkout(
    t: &Target,
    plan: &Plan,
    method: MergeMethod,
    message: Option<&str>,
    checkout: &Path,
) -> Result<String> {
    let new = build(t, plan, method, message).await?;
    let (repo, old, n) = (t.repo.clone(), plan.base_tip, new.clone());
    let touched = blocking(move || changed_paths(&repo, old, &n)).await?;
    let c = checkout.to_path_buf();
    let (dirty, staged) = blocking(move || checkout_state(&c)).await?;
    let mut overlap: Vec<String> = dirty.into_iter().filter(|f| touched.contains(f)).collect();
    overlap.sort();
    if !overlap.is_empty() {
        return Err(Error::DirtyCheckout {
            checkout: checkout.display().to_string(),
            files: overlap,
        });
    }
    let by_git = !staged
        && match method {
            MergeMethod::Merge => !plan.fast_forward,
            MergeMethod::Squash => true,
            MergeMethod::Rebase => false,
        };
    if !by_git {
        let out = git(
            checkout,
            &["merge", "--ff-only", "--no-edit", &new],
            None,
            &[],
        )
        .await?;
        if !out.ok {
            return Err(out.failed("merge"));
        }
    } else if method == MergeMethod::Squash {
        let text = squash_message(t, plan, message).await?;
        squash_there(checkout, &plan.branch_tip.to_string(), &text).await?;
    } else {
        let text = message.map_or_else(|| merge_message(t), str::to_owned);
        merge_there(checkout, &plan.branch_tip.to_string(), &text).await?;
    }
    git_ok(checkout, &["rev-parse", "HEAD"]).await
}

/// `git merge --no-ff` in the checkout; a refusal (a hook) is undone.
async fn merge_there(checkout: &Path, tip: &str, message: &str) -> Result<()> {
    let env = super::no_editor();
    let args = ["merge", "--no-ff", "--no-edit", "-m", message, tip];
    let out = git(checkout, &args, None, &env).await?;
    if out.ok {
        return Ok(());
    }
    // A hook that refuses the merge commit leaves the merge half-way: undone, nothing changed.
    if status::operation(checkout).is_some() {
        let _ = git(checkout, &["merge", "--abort"], None, &[]).await;
        return Err(Error::HookFailed {
            output: out.all_text(),
        });
    }
    Err(out.failed("merge"))
}

/// `git merge --squash`, then `git commit -F -` in the checkout; a refused commit is undone.
async fn squash_there(checkout: &Path, tip: &str, message: &str) -> Result<()> {
    let env = super::no_editor();
    let out = git(checkout, &["merge", "--squash", tip], None, &env).await?;
    if !out.ok {
        let _ = git(checkout, &["reset", "--merge"], None, &[]).await;
        return Err(out.failed("merge"));
    }
    let committed = git(
        checkout,
        &["commit", "-F", "-"],
        Some(message.as_bytes()),
        &env,
    )
    .await?;
    if committed.ok {
        return Ok(());
    }
    let _ = git(checkout, &["reset", "--merge"], None, &[]).await;
    if let Ok(msg) = git_ok(checkout, &["rev-parse", "--git-path", "SQUASH_MSG"]).await {
        let _ = std::fs::remove_file(checkout.join(msg));
    }
    Err(super::commit::refusal(checkout, &committed).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    #[test]
    fn merge_tree_output_is_a_tree_then_conflicted_paths() {
        let tree = "ad96e3e34c2db1511360764018fe7ad5bcf0bcdc";
        assert_eq!(
            parse_merge_tree(format!("{tree}\0").as_bytes()),
            (tree.to_string(), vec![])
        );
        assert_eq!(
            parse_merge_tree(format!("{tree}\0c\0a b\0c\0\0").as_bytes()),
            (tree.to_string(), vec!["a b".to_string(), "c".to_string()])
        );
    }

    #[tokio::test]
    async fn a_base_that_moved_is_never_overwritten() {
        let dir = std::env::temp_dir().join(format!("grove-cas-{}", crate::store::nonce()));
        std::fs::create_dir_all(&dir).unwrap();
        sh(&dir, &["init", "-q", "-b", "main"]);
        std::fs::write(dir.join("a"), "1\n").unwrap();
        sh(&dir, &["add", "a"]);
        sh(&dir, &["commit", "-qm", "one"]);
        let old = sh(&dir, &["rev-parse", "HEAD"]);
        std::fs::write(dir.join("a"), "2\n").unwrap();
        sh(&dir, &["commit", "-qam", "two"]);
        let moved = sh(&dir, &["rev-parse", "HEAD"]);
        let ours = sh(
            &dir,
            &["commit-tree", "HEAD^{tree}", "-p", &old, "-m", "ours"],
        );
        sh(&dir, &["branch", "base", &moved]);
        // The base is at `moved`, not at `old`: the swap must not happen.
        let also = Some(("refs/grove/merged/x", old.as_str()));
        let swapped = advance_ref(&dir, "refs/heads/base", &ours, &old, also, "t")
            .await
            .unwrap();
        assert!(!swapped);
        // Nothing of the transaction happened.
        assert!(sh(&dir, &["for-each-ref", "refs/grove/"]).is_empty());
        assert!(
            !advance_ref(&dir, "refs/heads/base", &ours, &old, None, "t")
                .await
                .unwrap()
        );
        assert_eq!(sh(&dir, &["rev-parse", "refs/heads/base"]), moved);
        // From where it is, it does.
        let next = sh(
            &dir,
            &["commit-tree", "HEAD^{tree}", "-p", &moved, "-m", "next"],
        );
        assert!(
            advance_ref(&dir, "refs/heads/base", &next, &moved, also, "t")
                .await
                .unwrap()
        );
        assert_eq!(sh(&dir, &["rev-parse", "refs/heads/base"]), next);
        assert_eq!(sh(&dir, &["rev-parse", "refs/grove/merged/x"]), old);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
