//! Real git repositories for tests, made with the git CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs git in `dir`; its trimmed stdout. Panics with git's words on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The local branches of `repo` matching `pattern`, one per line (`""` when none).
pub fn branches(repo: &Path, pattern: &str) -> String {
    git(
        repo,
        &["branch", "--list", "--format=%(refname:short)", pattern],
    )
}

/// A repository on branch `main` with a few committed files, a `.gitignore` that ignores `.env`,
/// `.worktreeinclude` naming `.env`, and an ignored `.env` in the main checkout.
pub fn demo_repo(parent: &Path) -> PathBuf {
    let root = parent.join("demo-repo");
    std::fs::create_dir_all(root.join("src")).unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    std::fs::write(root.join("README.md"), "# Demo\n").unwrap();
    std::fs::write(root.join("src/lib.rs"), "one\ntwo\nthree\nfour\n").unwrap();
    std::fs::write(root.join("notes.txt"), "keep\nme\n").unwrap();
    std::fs::write(root.join(".gitignore"), ".env\nsetup-saw.txt\n").unwrap();
    std::fs::write(root.join(".worktreeinclude"), ".env\n").unwrap();
    git(&root, &["add", "."]);
    git(&root, &["commit", "-qm", "initial"]);
    std::fs::write(root.join(".env"), "SECRET_FOR_THE_APP=1\n").unwrap();
    root
}

/// Commits a setup script into `root` at `.grove/setup.sh`.
pub fn commit_setup_script(root: &Path, body: &str) {
    std::fs::create_dir_all(root.join(".grove")).unwrap();
    std::fs::write(root.join(".grove/setup.sh"), body).unwrap();
    git(root, &["add", ".grove/setup.sh"]);
    git(root, &["commit", "-qm", "setup script"]);
}
