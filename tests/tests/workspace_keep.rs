//! Acceptance for what archive/restore and a kept branch must not lose: the index survives an
//! archive byte for byte (staged, unstaged, untracked), and a workspace deleted with its branch
//! kept can be picked up again on that branch (`create` with `branch`, `checkName` saying so).

use std::path::Path;
use std::process::{Command, Stdio};

use grove_e2e::repo::{demo_repo, git};
use grove_e2e::{Sidecar, TestHome};
use serde_json::{Value, json};

/// `grove/workspace/create`'s refusal of a name or branch (InvalidName).
const INVALID_NAME: i64 = -32022;

async fn started(home: &TestHome) -> Sidecar {
    let s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    s
}

/// git's output, byte for byte.
fn raw(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}");
    out.stdout
}

/// What a user sees of uncommitted work: staged, unstaged, untracked.
fn work(dir: &Path) -> [Vec<u8>; 3] {
    [
        raw(dir, &["diff", "--cached"]),
        raw(dir, &["diff"]),
        raw(dir, &["ls-files", "--others", "--exclude-standard"]),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn archive_and_restore_keep_staged_unstaged_and_untracked_as_they_were() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let w = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "name": "staged"}),
        )
        .await
        .unwrap();
    let path = Path::new(w["path"].as_str().unwrap()).to_path_buf();
    // Staged: a change and a new file; unstaged: a change to another file; one file staged then
    // changed again; a staged deletion; an untracked file.
    std::fs::write(path.join("README.md"), "# Demo, staged\n").unwrap();
    std::fs::write(path.join("added.txt"), "staged new file\n").unwrap();
    std::fs::write(path.join("src/lib.rs"), "one\ntwo (staged)\nthree\nfour\n").unwrap();
    git(&path, &["add", "README.md", "added.txt", "src/lib.rs"]);
    std::fs::write(
        path.join("src/lib.rs"),
        "one\ntwo (staged)\nthree\nfour (not staged)\n",
    )
    .unwrap();
    git(&path, &["rm", "-q", "notes.txt"]);
    std::fs::write(path.join(".gitignore"), ".env\nsetup-saw.txt\n# unstaged\n").unwrap();
    std::fs::write(path.join("untracked.txt"), "never added\n").unwrap();
    let before = work(&path);
    assert!(
        before.iter().all(|b| !b.is_empty()),
        "all three kinds of work are there"
    );

    let archived = s
        .request(
            "grove/workspace/archive",
            json!({"id": w["id"], "force": true}),
        )
        .await
        .unwrap();
    assert_eq!(archived["state"], "archived");
    assert!(!path.exists());
    s.request("grove/workspace/restore", json!({"id": w["id"]}))
        .await
        .unwrap();
    let after = work(&path);
    for (what, (b, a)) in ["git diff --cached", "git diff", "untracked files"]
        .iter()
        .zip(before.iter().zip(after.iter()))
    {
        assert_eq!(
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b),
            "{what} after archive → restore"
        );
    }
    assert_eq!(
        git(&path, &["log", "-1", "--format=%s"]),
        "initial",
        "nothing was committed on the branch"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kept_branch_gets_a_workspace_again_with_its_commits_and_files() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let w = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "name": "kept"}),
        )
        .await
        .unwrap();
    let path = Path::new(w["path"].as_str().unwrap()).to_path_buf();
    std::fs::write(path.join("feature.txt"), "the agent's work\n").unwrap();
    git(&path, &["add", "feature.txt"]);
    git(&path, &["commit", "-qm", "the agent's work"]);
    let tip = git(&path, &["rev-parse", "HEAD"]);
    // The base moves on meanwhile.
    std::fs::write(repo.join("later.txt"), "on main later\n").unwrap();
    git(&repo, &["add", "later.txt"]);
    git(&repo, &["commit", "-qm", "later on main"]);
    s.request(
        "grove/workspace/delete",
        json!({"id": w["id"], "deleteBranch": false}),
    )
    .await
    .unwrap();
    assert!(!path.exists());

    // The name step hears at once that the branch is kept, and which.
    let check = |name: &str| {
        s.request(
            "grove/workspace/checkName",
            json!({"repoPath": repo, "name": name}),
        )
    };
    let kept: Value = check("kept").await.unwrap();
    assert_eq!(
        (kept["ok"].clone(), kept["keptBranch"].clone()),
        (json!(false), json!("grove/kept"))
    );
    assert!(
        kept["message"].as_str().unwrap().contains("grove/kept"),
        "{kept}"
    );
    let free = check("fresh").await.unwrap();
    assert_eq!(
        free,
        json!({"ok": true, "message": null, "keptBranch": null})
    );
    let bad = check("no spaces please").await.unwrap();
    assert_eq!(
        (bad["ok"].clone(), bad["keptBranch"].clone()),
        (json!(false), Value::Null)
    );
    // create without `branch` still refuses the name, as before.
    let err = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "name": "kept"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, INVALID_NAME);

    let again = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "branch": "grove/kept"}),
        )
        .await
        .unwrap();
    assert_eq!(
        (again["name"].as_str(), again["branch"].as_str()),
        (Some("kept"), Some("grove/kept"))
    );
    let path = Path::new(again["path"].as_str().unwrap()).to_path_buf();
    assert_eq!(
        git(&path, &["rev-parse", "HEAD"]),
        tip,
        "its commits intact"
    );
    assert_eq!(
        std::fs::read_to_string(path.join("feature.txt")).unwrap(),
        "the agent's work\n"
    );
    assert!(
        !path.join("later.txt").exists(),
        "the branch as it was, not rebased"
    );
    // Its changes are its own work, against where it left the base (not undoing `later.txt`).
    let changes = s
        .request("grove/workspace/changes", json!({"id": again["id"]}))
        .await
        .unwrap();
    let files: Vec<&str> = changes["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["feature.txt"], "{changes}");
    assert_eq!(
        (changes["ahead"].clone(), changes["behind"].clone()),
        (json!(1), json!(1))
    );

    // Now in use: the name and the branch are refused, and nothing is made.
    let used = check("kept").await.unwrap();
    assert_eq!(
        (used["ok"].clone(), used["keptBranch"].clone()),
        (json!(false), Value::Null)
    );
    let err = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "name": "other", "branch": "grove/kept"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, INVALID_NAME, "{}", err.message);
    // The main checkout's branch, or a branch that is not there: refused, nothing made.
    for branch in ["main", "no-such-branch"] {
        let err = s
            .request(
                "grove/workspace/create",
                json!({"repoPath": repo, "branch": branch}),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code, INVALID_NAME, "{branch}: {}", err.message);
    }
    let list = s
        .request("grove/workspace/list", json!({"repoPath": repo}))
        .await
        .unwrap();
    assert_eq!(list["workspaces"].as_array().unwrap().len(), 1);
    assert_eq!(
        git(&repo, &["rev-parse", "grove/kept"]),
        tip,
        "the branch untouched"
    );
}
