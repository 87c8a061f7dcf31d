//! Git for workspaces: repository state is read with git2; worktrees, branches and snapshots are
//! changed with the `git` CLI, so hooks, LFS and filters behave as in a normal checkout.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use git2::{BranchType, Repository, Status, StatusOptions};

use crate::error::{Error, Result};
use crate::protocol::{FileChange, RepoInfo};

/// The main checkout of a repository.
#[derive(Debug, Clone)]
pub struct MainRepo {
    pub root: PathBuf,
    pub name: String,
}

fn not_a_repository(path: &str) -> Error {
    Error::NotARepository {
        path: path.to_string(),
    }
}

fn git2_failed(e: git2::Error) -> Error {
    Error::GitFailed(e.message().to_string())
}

/// The main checkout for any path inside a repository or one of its linked worktrees.
pub fn open_main(repo_path: &str) -> Result<MainRepo> {
    let repo = Repository::discover(repo_path).map_err(|_| not_a_repository(repo_path))?;
    if repo.is_bare() {
        return Err(not_a_repository(repo_path));
    }
    let root = if repo.is_worktree() {
        // `commondir` is the main repository's `.git`; its parent is the main checkout.
        repo.commondir().parent().map(Path::to_path_buf)
    } else {
        repo.workdir().map(Path::to_path_buf)
    }
    .ok_or_else(|| not_a_repository(repo_path))?;
    let root = root.canonicalize().unwrap_or(root);
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("repo")
        .to_string();
    Ok(MainRepo { root, name })
}

/// The repository `path` is in: its work tree, the main checkout, the branch and the
/// uncommitted files.
pub fn repo_info(path: &str) -> Result<RepoInfo> {
    let repo = Repository::discover(path).map_err(|_| not_a_repository(path))?;
    let root = repo
        .workdir()
        .filter(|_| !repo.is_bare())
        .ok_or_else(|| not_a_repository(path))?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let main = open_main(path)?;
    // HEAD names its branch even before the first commit; detached, it names none.
    let branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|head| head.symbolic_target().ok().flatten().map(str::to_owned))
        .and_then(|target| target.strip_prefix("refs/heads/").map(str::to_owned));
    let mut branches: Vec<String> = repo
        .branches(Some(BranchType::Local))
        .map_err(git2_failed)?
        .filter_map(|b| b.ok()?.0.name().ok().flatten().map(str::to_owned))
        .collect();
    branches.sort();
    Ok(RepoInfo {
        branches,
        dirty_files: dirty_files(&root)?,
        root: root.display().to_string(),
        main_root: main.root.display().to_string(),
        is_worktree: repo.is_worktree(),
        branch,
    })
}

/// The branch checked out in the main checkout, or `HEAD` when detached.
pub fn current_branch(root: &Path) -> Result<String> {
    let repo = Repository::open(root).map_err(git2_failed)?;
    let head = repo.head().map_err(|e| {
        Error::GitFailed(format!(
            "The repository has no commit to start from yet ({}).",
            e.message()
        ))
    })?;
    Ok(if head.is_branch() {
        head.shorthand().unwrap_or("HEAD").to_string()
    } else {
        "HEAD".into()
    })
}

/// The commit a ref names, if it names one.
pub fn resolve_commit(root: &Path, reference: &str) -> Option<String> {
    let repo = Repository::open(root).ok()?;
    let obj = repo.revparse_single(reference).ok()?;
    Some(obj.peel_to_commit().ok()?.id().to_string())
}

pub fn branch_exists(root: &Path, branch: &str) -> bool {
    Repository::open(root).is_ok_and(|r| r.find_branch(branch, BranchType::Local).is_ok())
}

/// The checkout (main or a worktree) that has `branch` checked out, if any.
pub fn checked_out_at(root: &Path, branch: &str) -> Option<PathBuf> {
    let repo = Repository::open(root).ok()?;
    let full = format!("refs/heads/{branch}");
    // HEAD's symbolic target, read without resolving it (an unborn branch counts too).
    let on_branch = |r: &Repository| {
        r.find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().ok().flatten().map(|t| t == full))
            .unwrap_or(false)
    };
    if on_branch(&repo) {
        return repo.workdir().map(Path::to_path_buf);
    }
    let names = repo.worktrees().ok()?;
    names.iter().find_map(|name| {
        let wt = repo.find_worktree(name.ok()??).ok()?;
        let r = Repository::open_from_worktree(&wt).ok()?;
        on_branch(&r).then(|| wt.path().to_path_buf())
    })
}

/// The newest commit both `a` and `b` have.
pub fn merge_base(root: &Path, a: &str, b: &str) -> Option<String> {
    let repo = Repository::open(root).ok()?;
    let commit = |r: &str| {
        repo.revparse_single(r)
            .and_then(|o| o.peel_to_commit())
            .ok()
    };
    let (a, b) = (commit(a)?.id(), commit(b)?.id());
    repo.merge_base(a, b).ok().map(|c| c.to_string())
}

/// Commits on `branch` that none of `landed` has: its base (a ref or commit, which must exist),
/// then refs that may be missing (where Grove recorded a squashed or rebased tip).
pub fn unmerged_commits(root: &Path, branch: &str, landed: &[&str]) -> Result<usize> {
    let repo = Repository::open(root).map_err(git2_failed)?;
    let Ok(tip) = repo.find_branch(branch, BranchType::Local) else {
        return Ok(0);
    };
    let tip = tip.get().peel_to_commit().map_err(git2_failed)?.id();
    let mut walk = repo.revwalk().map_err(git2_failed)?;
    walk.push(tip).map_err(git2_failed)?;
    for (i, reference) in landed.iter().enumerate() {
        match repo
            .revparse_single(reference)
            .and_then(|o| o.peel_to_commit())
        {
            Ok(c) => walk.hide(c.id()).map_err(git2_failed)?,
            Err(e) if i == 0 => return Err(git2_failed(e)),
            Err(_) => {}
        }
    }
    Ok(walk.count())
}

/// Commits of the worktree's `HEAD` that `base` lacks, and the other way round.
pub fn ahead_behind(worktree: &Path, base: &str) -> Result<(usize, usize)> {
    let repo = Repository::open(worktree).map_err(git2_failed)?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(git2_failed)?
        .id();
    let base = repo
        .revparse_single(base)
        .and_then(|o| o.peel_to_commit())
        .map_err(git2_failed)?;
    repo.graph_ahead_behind(head, base.id())
        .map_err(git2_failed)
}

/// Uncommitted and untracked files of a worktree (ignored files are not work).
pub fn dirty_files(worktree: &Path) -> Result<Vec<String>> {
    let repo = Repository::open(worktree).map_err(git2_failed)?;
    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false);
    let statuses = repo.statuses(Some(&mut opts)).map_err(git2_failed)?;
    Ok(statuses
        .iter()
        .filter(|s| s.status() != Status::CURRENT && !s.status().contains(Status::IGNORED))
        .filter_map(|s| s.path().ok().map(str::to_owned))
        .collect())
}

/// A file's bytes at `commit`, or `None` when it is not there. `path` must stay inside the tree.
pub fn file_at(worktree: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>> {
    let rel = Path::new(path);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Error::invalid_params(format!(
            "{path:?} is not a path inside the workspace."
        )));
    }
    let repo = Repository::open(worktree).map_err(git2_failed)?;
    let tree = repo
        .revparse_single(commit)
        .and_then(|o| o.peel_to_tree())
        .map_err(git2_failed)?;
    let Ok(entry) = tree.get_path(rel) else {
        return Ok(None);
    };
    let Ok(blob) = entry.to_object(&repo).and_then(|o| o.peel_to_blob()) else {
        return Ok(None);
    };
    if blob.size() > MAX_BASE_FILE {
        // Too large to diff in the editor: said the way a binary file is.
        return Ok(Some(vec![0]));
    }
    Ok(Some(blob.content().to_vec()))
}

/// The directory git keeps this worktree's own state in (`.git/worktrees/<name>`).
pub fn admin_dir(worktree: &Path) -> Option<PathBuf> {
    Repository::open(worktree)
        .ok()
        .map(|r| r.path().to_path_buf())
}

/// Runs `git worktree <args>` in the main checkout `root`, one at a time per repository across
/// every process of Grove: git itself does not expect two worktree changes at once (one reads
/// `.git/worktrees/*` while the other is still writing its entry). The lock is a file in the
/// repository's common git folder, so sidecars with different state folders agree on it.
pub async fn worktree(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let r = root.to_path_buf();
    let lock = tokio::task::spawn_blocking(move || {
        let common = Repository::open(&r)
            .map(|repo| repo.commondir().to_path_buf())
            .unwrap_or_else(|_| r.join(".git"));
        crate::store::FileLock::exclusive(&common.join("grove-worktrees.lock"))
    })
    .await
    .map_err(|e| Error::GitFailed(format!("Could not take the worktree lock: {e}")))?
    .map_err(|e| Error::GitFailed(format!("Could not take the worktree lock: {e}")))?;
    let mut full = vec!["worktree"];
    full.extend_from_slice(args);
    let out = git(root, &full).await;
    drop(lock);
    out
}

/// Runs git in `cwd` with no terminal prompt; its stdout, or GIT_FAILED with its own words.
pub async fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>> {
    git_env(cwd, args, &[]).await
}

pub async fn git_env(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Result<Vec<u8>> {
    // The sanitized environment: hooks that git runs see no inherited token.
    let mut cmd = crate::process::command("git");
    cmd.args(args)
        .current_dir(cwd)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .await
        .map_err(|e| Error::GitFailed(format!("Could not run git: {e}. Is git installed?")))?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let words = stderr.trim().lines().last().unwrap_or("").to_string();
    tracing::warn!("git {} failed: {words}", args.first().unwrap_or(&""));
    Err(Error::GitFailed(format!(
        "git {}: {words}",
        args.first().unwrap_or(&"")
    )))
}

/// Grove's own identity: a snapshot must work where the user has none configured.
const SNAPSHOT_IDENTITY: [&str; 4] = ["-c", "user.name=Grove", "-c", "user.email=grove@localhost"];

/// A commit of `tree` with `parents`, made with Grove's identity.
async fn commit_tree(
    worktree: &Path,
    tree: &str,
    parents: &[&str],
    message: &str,
) -> Result<String> {
    let mut args: Vec<&str> = SNAPSHOT_IDENTITY.to_vec();
    args.extend(["commit-tree", tree]);
    for p in parents {
        args.extend(["-p", p]);
    }
    args.extend(["-m", message]);
    let commit = git(worktree, &args).await?;
    Ok(String::from_utf8_lossy(&commit).trim().to_string())
}

/// Saves every uncommitted and untracked file of `worktree` as a commit on top of its `HEAD`,
/// under `reference`, without touching the branch, the index or the files. As `git stash` does,
/// the index is kept too, as the commit's second parent (when it has no conflicts), so a restore
/// gives back staged and unstaged changes as they were.
pub async fn snapshot(worktree: &Path, reference: &str) -> Result<String> {
    let mut parents = vec!["HEAD".to_string()];
    // The index as it is: its tree (refused while a conflict is in it), as a commit.
    match index_tree(worktree).await {
        Ok(tree) => {
            let message = "Grove snapshot: the index when the workspace was archived";
            parents.push(commit_tree(worktree, &tree, &["HEAD"], message).await?);
        }
        Err(e) => tracing::warn!(
            "the index could not be kept with the snapshot ({e}); staged changes will come back unstaged"
        ),
    }
    let index =
        std::env::temp_dir().join(format!("grove-snapshot-{}.index", crate::store::nonce()));
    let env = [("GIT_INDEX_FILE", index.as_path())];
    let result = async {
        git_env(worktree, &["read-tree", "HEAD"], &env).await?;
        git_env(worktree, &["add", "-A", "--", "."], &env).await?;
        let tree = git_env(worktree, &["write-tree"], &env).await?;
        let tree = String::from_utf8_lossy(&tree).trim().to_string();
        let message = "Grove snapshot: uncommitted work saved when the workspace was archived";
        let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
        let commit = commit_tree(worktree, &tree, &parents, message).await?;
        git(worktree, &["update-ref", reference, &commit]).await?;
        Ok(commit)
    }
    .await;
    let _ = std::fs::remove_file(&index);
    result
}

/// The tree of `worktree`'s index, written from a copy of it: git's own index (and its lock,
/// which a running git may hold) is left alone.
async fn index_tree(worktree: &Path) -> Result<String> {
    let path = git(
        worktree,
        &["rev-parse", "--path-format=absolute", "--git-path", "index"],
    )
    .await?;
    let path = PathBuf::from(String::from_utf8_lossy(&path).trim());
    let copy = std::env::temp_dir().join(format!("grove-index-{}.index", crate::store::nonce()));
    let result = async {
        std::fs::copy(&path, &copy)
            .map_err(|e| Error::GitFailed(format!("copy the index: {e}")))?;
        let tree = git_env(
            worktree,
            &["write-tree"],
            &[("GIT_INDEX_FILE", copy.as_path())],
        )
        .await?;
        Ok(String::from_utf8_lossy(&tree).trim().to_string())
    }
    .await;
    let _ = std::fs::remove_file(&copy);
    result
}

/// Puts a snapshot's files back as uncommitted work: modified, added (untracked) and deleted
/// files as they were, and the index as it was (staged stays staged); a snapshot without its
/// index (made before Grove kept it) leaves the index as `HEAD` has it.
pub async fn apply_snapshot(worktree: &Path, commit: &str) -> Result<()> {
    git(worktree, &["read-tree", "-m", "-u", "HEAD", commit]).await?;
    let index = format!("{commit}^2^{{tree}}");
    match git(worktree, &["rev-parse", "--verify", "-q", &index]).await {
        Ok(tree) => {
            let tree = String::from_utf8_lossy(&tree).trim().to_string();
            git(worktree, &["read-tree", &tree]).await?;
            // The stat data read-tree left empty, refreshed so git sees no change that is not one.
            let _ = git(worktree, &["update-index", "-q", "--refresh"]).await;
        }
        Err(_) => {
            git(worktree, &["reset", "-q"]).await?;
        }
    }
    Ok(())
}

/// Files of the main checkout that `.worktreeinclude` names and git does not track (`.env` and
/// the like), copied into the new worktree.
pub async fn copy_includes(root: &Path, worktree: &Path) -> Result<usize> {
    let include = root.join(".worktreeinclude");
    if !include.is_file() {
        return Ok(0);
    }
    let exclude = format!("--exclude-from={}", include.display());
    let out = git(root, &["ls-files", "-z", "--others", "--ignored", &exclude]).await?;
    let mut copied = 0;
    for rel in out.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).unwrap_or_default());
        if rel.as_os_str().is_empty()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            continue;
        }
        let (from, to) = (root.join(rel), worktree.join(rel));
        if std::fs::symlink_metadata(&to).is_ok() {
            continue;
        }
        if let Some(parent) = to.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // A folder of the checkout may be a link out of the worktree: never write through it.
        if !inside(worktree, to.parent().unwrap_or(worktree)) {
            tracing::warn!(
                "did not copy {}: its folder leads out of the workspace",
                rel.display()
            );
            continue;
        }
        let meta = std::fs::symlink_metadata(&from);
        let done = match meta {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::read_link(&from).and_then(|t| std::os::unix::fs::symlink(t, &to))
            }
            Ok(m) if m.is_file() => std::fs::copy(&from, &to).map(|_| ()),
            _ => continue,
        };
        match done {
            Ok(()) => copied += 1,
            Err(e) => tracing::warn!("could not copy {}: {e}", rel.display()),
        }
    }
    Ok(copied)
}

/// Whether `path` (which exists) is `dir` or inside it once links are resolved.
fn inside(dir: &Path, path: &Path) -> bool {
    match (dir.canonicalize(), path.canonicalize()) {
        (Ok(dir), Ok(path)) => path.starts_with(dir),
        _ => false,
    }
}

/// Changed files of `worktree` against `base`: committed, staged, unstaged and untracked.
pub async fn changes(worktree: &Path, base: &str) -> Result<Vec<FileChange>> {
    let diff_args = ["diff", "--raw", "--numstat", "-z", "-M", base, "--"];
    let untracked_args = ["ls-files", "-z", "--others", "--exclude-standard"];
    let (diff, untracked) = tokio::join!(git(worktree, &diff_args), git(worktree, &untracked_args));
    let mut files = parse_raw_numstat(&diff?);
    let untracked = untracked?;
    let paths: Vec<String> = untracked
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let root = worktree.to_path_buf();
    let counted = tokio::task::spawn_blocking(move || {
        paths
            .into_iter()
            .map(|p| {
                let lines = count_lines(&root.join(&p));
                FileChange {
                    path: p,
                    status: "untracked".into(),
                    additions: lines,
                    deletions: lines.map(|_| 0),
                    old_path: None,
                }
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    files.extend(counted);
    Ok(files)
}

/// Untracked files larger than this are listed without a line count (and not read).
const MAX_COUNTED: u64 = 8 * 1024 * 1024;
/// Base versions larger than this are not sent for a diff (they show as binary).
pub const MAX_BASE_FILE: usize = 16 * 1024 * 1024;

/// Lines in an untracked text file; `None` for a binary or large one, and for anything that is
/// not a regular file: links, FIFOs and devices are listed, never opened.
fn count_lines(path: &Path) -> Option<u64> {
    let bytes = crate::store::read_regular(path, MAX_COUNTED)?;
    if bytes.iter().take(8000).any(|b| *b == 0) {
        return None;
    }
    let newlines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    Some(newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n")))
}

/// Parses `git diff --raw --numstat -z`: raw records (`:modes shas STATUS\0path\0[path\0]`) then
/// numstat records (`adds\tdels\tpath\0`, or `adds\tdels\t\0old\0new\0` for renames).
fn parse_raw_numstat(out: &[u8]) -> Vec<FileChange> {
    let fields: Vec<String> = out
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut files = Vec::new();
    let mut i = 0;
    while i < fields.len() && fields[i].starts_with(':') {
        let code = fields[i]
            .split_whitespace()
            .last()
            .unwrap_or("M")
            .to_string();
        let two_paths = code.starts_with('R') || code.starts_with('C');
        let (old_path, path) = if two_paths {
            (
                fields.get(i + 1).cloned(),
                fields.get(i + 2).cloned().unwrap_or_default(),
            )
        } else {
            (None, fields.get(i + 1).cloned().unwrap_or_default())
        };
        i += if two_paths { 3 } else { 2 };
        let status = match code.chars().next() {
            Some('A') => "added",
            Some('D') => "deleted",
            Some('R') => "renamed",
            Some('C') => "copied",
            Some('T') => "typeChanged",
            _ => "modified",
        };
        files.push(FileChange {
            path,
            status: status.into(),
            additions: None,
            deletions: None,
            old_path,
        });
    }
    // The numstat records come in the same order as the raw ones.
    let mut n = 0;
    while i < fields.len() && n < files.len() {
        let f = &fields[i];
        if f.is_empty() {
            i += 1;
            continue;
        }
        let mut parts = f.splitn(3, '\t');
        let adds = parts.next().and_then(|a| a.parse().ok());
        let dels = parts.next().and_then(|d| d.parse().ok());
        let rest = parts.next().unwrap_or("");
        i += if rest.is_empty() { 3 } else { 1 };
        files[n].additions = adds;
        files[n].deletions = dels;
        n += 1;
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_raw_and_numstat_together() {
        let out = b":100644 100644 aaa bbb M\0src/a.rs\0:000000 100644 000 ccc A\0new.txt\0\
:100644 100644 ddd eee R090\0old.rs\0moved.rs\0:100644 000000 fff 000 D\0gone.bin\0\
3\t1\tsrc/a.rs\x002\t0\tnew.txt\x001\t1\t\0old.rs\0moved.rs\0-\t-\tgone.bin\0";
        let files = parse_raw_numstat(out);
        let summary: Vec<(&str, &str, Option<u64>, Option<u64>)> = files
            .iter()
            .map(|f| (f.path.as_str(), f.status.as_str(), f.additions, f.deletions))
            .collect();
        assert_eq!(
            summary,
            [
                ("src/a.rs", "modified", Some(3), Some(1)),
                ("new.txt", "added", Some(2), Some(0)),
                ("moved.rs", "renamed", Some(1), Some(1)),
                ("gone.bin", "deleted", None, None),
            ]
        );
        assert_eq!(files[2].old_path.as_deref(), Some("old.rs"));
        assert!(parse_raw_numstat(b"").is_empty());
    }
}
