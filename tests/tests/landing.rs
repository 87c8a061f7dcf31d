//! Acceptance for landing a workspace's work on real repositories: where it stands
//! (`gitStatus`, `gitStatusChanged` within 2 s), commit (untracked in, ignored out, the user's
//! identity and hooks), sync (rebase, conflicts, abort, an agent's resolution continued), merge
//! (a base checked out nowhere, in the main checkout, dirty files, a stale squash), apply, push
//! (upstream, rejection, force-with-lease), and no inherited token in any git process.

use std::path::{Path, PathBuf};
use std::time::Duration;

use grove_e2e::client::Launch;
use grove_e2e::messages_api::{Block, MessagesApi, Reply, after_tool_result};
use grove_e2e::repo::{demo_repo, git};
use grove_e2e::runs::{ended, workspace};
use grove_e2e::{RpcError, Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};

const CHANGED: &str = "grove/workspace/gitStatusChanged";
const KEY: &str = "sk-ant-api03-LOOPBACKLANDINGKEY0000000000";

/// The demo repository with its own git identity (the test home has no global one).
fn repo_with_identity(home: &TestHome) -> PathBuf {
    let repo = demo_repo(home.path());
    git(&repo, &["config", "user.name", "Repo User"]);
    git(
        &repo,
        &["config", "user.email", "repo.user@example.invalid"],
    );
    repo
}

async fn started(home: &TestHome) -> Sidecar {
    let s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    s
}

async fn call(s: &Sidecar, method: &str, params: Value) -> Value {
    s.request(method, params)
        .await
        .unwrap_or_else(|e| panic!("{method}: {e:?}\nlog:\n{}", s.stderr()))
}

async fn refused(s: &Sidecar, method: &str, params: Value) -> RpcError {
    match s.request(method, params).await {
        Ok(v) => panic!("{method} answered {v}, not an error"),
        Err(e) => e,
    }
}

async fn status(s: &Sidecar, ws: &Value) -> Value {
    call(s, "grove/workspace/gitStatus", json!({"id": ws["id"]})).await
}

fn path_of(ws: &Value) -> PathBuf {
    PathBuf::from(ws["path"].as_str().unwrap())
}

/// Writes `content` to `file` in `dir` and commits it there with the git CLI.
fn commit_file(dir: &Path, file: &str, content: &str, message: &str) -> String {
    std::fs::write(dir.join(file), content).unwrap();
    git(dir, &["add", file]);
    git(dir, &["commit", "-qm", message]);
    git(dir, &["rev-parse", "HEAD"])
}

/// Waits (at most 2 s) for a `gitStatusChanged` of `ws` that matches.
async fn changed_within_2s(s: &Sidecar, ws: &Value, pred: impl Fn(&Value) -> bool) -> Value {
    s.wait_for(CHANGED, 0, Duration::from_secs(2), |p| {
        p["id"] == ws["id"] && pred(&p["status"])
    })
    .await
    .map(|p| p["status"].clone())
    .unwrap_or_else(|| {
        panic!(
            "no matching gitStatusChanged within 2 s: {:#?}\nlog:\n{}",
            s.notifications(CHANGED),
            s.stderr()
        )
    })
}

/// Commits `content` as `file` on `branch` of `repo` without any checkout (a temporary index).
fn commit_on(repo: &Path, branch: &str, file: &str, content: &str, message: &str) -> String {
    let index = repo.join(".git/test-index");
    let run = |args: &[&str], input: Option<&str>| {
        use std::io::Write;
        let mut child = std::process::Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("GIT_INDEX_FILE", &index)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.unwrap_or("").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    run(&["read-tree", branch], None);
    let blob = run(&["hash-object", "-w", "--stdin"], Some(content));
    run(
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{blob},{file}"),
        ],
        None,
    );
    let tree = run(&["write-tree"], None);
    let commit = run(&["commit-tree", &tree, "-p", branch, "-m", message], None);
    run(
        &["update-ref", &format!("refs/heads/{branch}"), &commit],
        None,
    );
    std::fs::remove_file(&index).unwrap();
    commit
}

fn hook(repo: &Path, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = repo.join(".git/hooks").join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A bare repository as `origin`, with `main` pushed.
fn with_remote(home: &TestHome, repo: &Path) -> PathBuf {
    let bare = home.path().join("remote.git");
    git(
        home.path(),
        &["init", "-q", "--bare", "-b", "main", "remote.git"],
    );
    git(repo, &["remote", "add", "origin", bare.to_str().unwrap()]);
    git(repo, &["push", "-q", "origin", "main"]);
    bare
}

#[tokio::test(flavor = "multi_thread")]
async fn git_status_follows_both_sides_and_changes_arrive_within_2s() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    with_remote(&home, &repo);
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "status").await;
    let wt = path_of(&ws);
    let st = status(&s, &ws).await;
    assert_eq!(
        (
            &st["branch"],
            &st["base"],
            &st["ahead"],
            &st["behind"],
            &st["uncommitted"]
        ),
        (
            &json!("grove/status"),
            &json!("main"),
            &json!(0),
            &json!(0),
            &json!(0)
        ),
        "{st:#}"
    );
    assert!(st["upstream"].is_null() && st["pullRequest"].is_null() && st["operation"].is_null());
    assert_eq!(st["merged"], false);
    // Let the watches settle.
    tokio::time::sleep(Duration::from_millis(300)).await;

    std::fs::write(wt.join("new.txt"), "new\n").unwrap();
    changed_within_2s(&s, &ws, |st| st["uncommitted"] == 1).await;
    call(
        &s,
        "grove/workspace/commit",
        json!({"id": ws["id"], "message": "add new"}),
    )
    .await;
    let st = status(&s, &ws).await;
    assert_eq!(
        (&st["ahead"], &st["uncommitted"]),
        (&json!(1), &json!(0)),
        "{st:#}"
    );

    commit_file(&repo, "README.md", "# Demo, moved on\n", "main moves");
    changed_within_2s(&s, &ws, |st| st["behind"] == 1 && st["ahead"] == 1).await;

    let pushed = call(&s, "grove/workspace/push", json!({"id": ws["id"]})).await;
    assert_eq!(
        pushed,
        json!({"remote": "origin", "branch": "grove/status"})
    );
    let st = status(&s, &ws).await;
    assert_eq!(
        st["upstream"],
        json!({"remote": "origin", "branch": "grove/status", "ahead": 0, "behind": 0})
    );
    commit_file(
        &wt,
        "src/lib.rs",
        "one\ntwo\nthree\nfour\nfive\n",
        "by hand",
    );
    let st = changed_within_2s(&s, &ws, |st| st["ahead"] == 2).await;
    assert_eq!(st["upstream"]["ahead"], 1, "{st:#}");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn commit_takes_untracked_not_ignored_with_the_users_identity_and_hooks() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    hook(
        &repo,
        "commit-msg",
        "printf '\\nChecked-by: commit-msg\\n' >> \"$1\"",
    );
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "commits").await;
    let wt = path_of(&ws);
    let id = json!(ws["id"]);

    let nothing = refused(
        &s,
        "grove/workspace/commit",
        json!({"id": id, "message": "x"}),
    )
    .await;
    assert_eq!(nothing.code, -32050, "{nothing:?}");

    std::fs::write(wt.join("untracked.txt"), "mine\n").unwrap();
    std::fs::write(wt.join("src/lib.rs"), "one\n2\nthree\nfour\n").unwrap();
    std::fs::write(wt.join(".env"), "CHANGED=1\n").unwrap();
    let done = call(
        &s,
        "grove/workspace/commit",
        json!({"id": id, "message": "# Work\n\nbody"}),
    )
    .await;
    assert_eq!(
        done["files"],
        json!(["src/lib.rs", "untracked.txt"]),
        "{done}"
    );
    assert_eq!(
        done["commit"].as_str().unwrap(),
        git(&wt, &["rev-parse", "HEAD"])
    );
    let author = git(&wt, &["log", "-1", "--format=%an <%ae>|%cn"]);
    assert_eq!(author, "Repo User <repo.user@example.invalid>|Repo User");
    let message = git(&wt, &["log", "-1", "--format=%B"]);
    assert_eq!(
        message, "# Work\n\nbody\n\nChecked-by: commit-msg",
        "no attribution, the hook's trailer"
    );
    assert_eq!(
        git(&wt, &["status", "--porcelain"]),
        "",
        ".env stays ignored"
    );

    hook(
        &repo,
        "pre-commit",
        "if [ -e bad.txt ]; then echo 'lint failed: bad.txt is not allowed' >&2; exit 1; fi",
    );
    std::fs::write(wt.join("bad.txt"), "bad\n").unwrap();
    std::fs::write(wt.join("notes.txt"), "changed\n").unwrap();
    let before = git(&wt, &["status", "--porcelain"]);
    let e = refused(
        &s,
        "grove/workspace/commit",
        json!({"id": id, "message": "bad"}),
    )
    .await;
    assert_eq!(e.code, -32051, "{e:?}");
    assert!(
        e.data["output"]
            .as_str()
            .unwrap()
            .contains("lint failed: bad.txt"),
        "{e:?}"
    );
    assert!(e.message.contains("lint failed"), "{}", e.message);
    assert_eq!(
        git(&wt, &["status", "--porcelain"]),
        before,
        "nothing lost or staged"
    );
    assert_eq!(git(&wt, &["log", "-1", "--format=%s"]), "# Work");
    assert_eq!(status(&s, &ws).await["uncommitted"], 2);

    let prefill = call(&s, "grove/workspace/commitMessage", json!({"id": id})).await;
    assert_eq!(prefill["message"], "Work from commits");
    s.shutdown().await;
}

/// A workspace whose branch and `main` both changed `notes.txt`.
async fn conflicting(s: &Sidecar, repo: &Path, name: &str) -> (Value, PathBuf) {
    let ws = workspace(s, repo, name).await;
    let wt = path_of(&ws);
    commit_file(
        &wt,
        "notes.txt",
        "workspace side\nme\n",
        "workspace changes notes",
    );
    commit_file(repo, "notes.txt", "main side\nme\n", "main changes notes");
    (ws, wt)
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_rebases_stops_on_conflicts_and_abort_restores_the_exact_tip() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "clean").await;
    let wt = path_of(&ws);
    commit_file(
        &wt,
        "src/lib.rs",
        "one\nTWO\nthree\nfour\n",
        "workspace work",
    );
    let main_tip = commit_file(&repo, "README.md", "# Demo 2\n", "main work");
    let done = call(&s, "grove/workspace/sync", json!({"id": ws["id"]})).await;
    assert_eq!(done, json!({"status": "done", "conflicted": []}));
    git(&wt, &["merge-base", "--is-ancestor", &main_tip, "HEAD"]);
    assert_eq!(
        git(&wt, &["rev-list", "--merges", "--count", "HEAD"]),
        "0",
        "rebased"
    );
    let st = status(&s, &ws).await;
    assert_eq!((&st["ahead"], &st["behind"]), (&json!(1), &json!(0)));
    let again = call(&s, "grove/workspace/sync", json!({"id": ws["id"]})).await;
    assert_eq!(again["status"], "upToDate");
    std::fs::write(wt.join("scratch.txt"), "x\n").unwrap();
    let dirty = refused(&s, "grove/workspace/sync", json!({"id": ws["id"]})).await;
    assert_eq!(
        (dirty.code, &dirty.data["files"]),
        (-32020, &json!(["scratch.txt"]))
    );
    std::fs::remove_file(wt.join("scratch.txt")).unwrap();

    let (ws, wt) = conflicting(&s, &repo, "conflict").await;
    let before = git(&wt, &["rev-parse", "HEAD"]);
    let stopped = call(&s, "grove/workspace/sync", json!({"id": ws["id"]})).await;
    assert_eq!(
        stopped,
        json!({"status": "conflicts", "conflicted": ["notes.txt"]})
    );
    let st = status(&s, &ws).await;
    assert_eq!(
        (&st["operation"], &st["conflicted"]),
        (&json!("rebase"), &json!(["notes.txt"]))
    );
    let marked = refused(&s, "grove/workspace/syncContinue", json!({"id": ws["id"]})).await;
    assert_eq!(
        (marked.code, &marked.data["files"]),
        (-32053, &json!(["notes.txt"]))
    );
    let prompt = call(&s, "grove/workspace/resolvePrompt", json!({"id": ws["id"]})).await;
    let prompt = prompt["prompt"].as_str().unwrap();
    assert!(
        prompt.contains("rebase") && prompt.contains("- notes.txt"),
        "{prompt}"
    );
    call(&s, "grove/workspace/syncAbort", json!({"id": ws["id"]})).await;
    assert_eq!(git(&wt, &["rev-parse", "HEAD"]), before);
    assert_eq!(
        git(&wt, &["rev-parse", "refs/heads/grove/conflict"]),
        before
    );
    assert_eq!(git(&wt, &["status", "--porcelain"]), "");
    assert!(status(&s, &ws).await["operation"].is_null());

    // Merging the base in instead: the same conflict, resolved by hand, then continued.
    let stopped = call(
        &s,
        "grove/workspace/sync",
        json!({"id": ws["id"], "method": "merge"}),
    )
    .await;
    assert_eq!(stopped["status"], "conflicts");
    assert_eq!(status(&s, &ws).await["operation"], "merge");
    std::fs::write(wt.join("notes.txt"), "both sides\nme\n").unwrap();
    let done = call(&s, "grove/workspace/syncContinue", json!({"id": ws["id"]})).await;
    assert_eq!(done["status"], "done");
    assert_eq!(git(&wt, &["rev-list", "--merges", "--count", "HEAD"]), "1");
    assert_eq!(status(&s, &ws).await["behind"], 0);
    s.shutdown().await;
}

/// A model that resolves `notes.txt` with the Write tool, then says so.
fn resolver(req: &Value) -> Reply {
    if after_tool_result(req) {
        Reply::text("Resolved.")
    } else {
        Reply::Message(vec![Block::ToolUse {
            id: "toolu_resolve".into(),
            name: "Write".into(),
            input: json!({"file_path": "notes.txt", "content": "main side and workspace side\nme\n"}),
        }])
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_resolves_the_conflict_and_grove_continues_the_rebase() {
    let api = MessagesApi::start(resolver).await;
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    let (ws, wt) = conflicting(&s, &repo, "resolve").await;
    let main_tip = git(&repo, &["rev-parse", "main"]);
    let stopped = call(&s, "grove/workspace/sync", json!({"id": ws["id"]})).await;
    assert_eq!(stopped["status"], "conflicts");
    let prompt = call(&s, "grove/workspace/resolvePrompt", json!({"id": ws["id"]})).await;
    let params = json!({"workspaceId": ws["id"], "prompt": prompt["prompt"], "permissionMode": "acceptEdits"});
    let run = call(&s, "grove/agent/start", params).await;
    let busy = refused(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    assert_eq!(
        (busy.code, &busy.data["reason"]),
        (-32021, &json!("agentRunning"))
    );
    let end = ended(&s, &run, Duration::from_secs(90)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    let st = s
        .wait_for(CHANGED, 0, Duration::from_secs(10), |p| {
            p["id"] == ws["id"] && p["status"]["operation"].is_null()
        })
        .await
        .unwrap_or_else(|| panic!("the rebase was not continued; log:\n{}", s.stderr()));
    assert_eq!(
        (&st["status"]["ahead"], &st["status"]["behind"]),
        (&json!(1), &json!(0))
    );
    assert_eq!(
        std::fs::read_to_string(wt.join("notes.txt")).unwrap(),
        "main side and workspace side\nme\n"
    );
    git(&wt, &["merge-base", "--is-ancestor", &main_tip, "HEAD"]);
    assert_eq!(git(&wt, &["status", "--porcelain"]), "");
    assert_eq!(
        git(&wt, &["log", "-1", "--format=%s"]),
        "workspace changes notes"
    );
    let prefill = call(&s, "grove/workspace/commitMessage", json!({"id": ws["id"]})).await;
    assert!(
        prefill["message"]
            .as_str()
            .unwrap()
            .starts_with("A rebase of the branch grove/resolve onto main")
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_that_changed_files_ends_with_a_commit_when_asked() {
    let api = MessagesApi::start(resolver).await;
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .spawn();
    s.initialize(json!({"claudePath": claude_cli(), "commitAfterEachRun": true}))
        .await;
    let ws = workspace(&s, &repo, "autocommit").await;
    let wt = path_of(&ws);
    status(&s, &ws).await;
    let prompt = "Rewrite the notes so they mention both sides of the story, please, and keep the rest as it is\nmore";
    let params =
        json!({"workspaceId": ws["id"], "prompt": prompt, "permissionMode": "acceptEdits"});
    let run = call(&s, "grove/agent/start", params).await;
    ended(&s, &run, Duration::from_secs(90)).await;
    s.wait_for(CHANGED, 0, Duration::from_secs(10), |p| {
        p["id"] == ws["id"] && p["status"]["ahead"] == 1 && p["status"]["uncommitted"] == 0
    })
    .await
    .unwrap_or_else(|| panic!("no commit after the run; log:\n{}", s.stderr()));
    assert_eq!(
        git(&wt, &["log", "-1", "--format=%s|%an"]),
        "Rewrite the notes so they mention both sides of the story, please, and|Repo User"
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn merge_into_a_base_checked_out_nowhere_moves_only_the_ref() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "nowhere").await;
    let wt = path_of(&ws);
    git(&repo, &["checkout", "-q", "-b", "elsewhere"]);
    std::fs::write(repo.join("README.md"), "# local edit\n").unwrap();
    let tip = commit_file(&wt, "src/lib.rs", "one\ntwo\nthree\nfour\nfive\n", "five");
    let merged = call(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    assert_eq!(
        merged,
        json!({"commit": tip, "base": "main"}),
        "a fast-forward"
    );
    assert_eq!(git(&repo, &["rev-parse", "main"]), tip);
    assert_eq!(git(&repo, &["branch", "--show-current"]), "elsewhere");
    assert_eq!(git(&repo, &["status", "--porcelain"]), "M README.md");
    assert_eq!(
        std::fs::read_to_string(repo.join("src/lib.rs")).unwrap(),
        "one\ntwo\nthree\nfour\n"
    );
    assert_eq!(status(&s, &ws).await["merged"], true);

    // Both sides moved: a merge commit, computed without a checkout.
    let theirs = commit_file(
        &wt,
        "src/lib.rs",
        "one\ntwo\nthree\nfour\nfive\nsix\n",
        "six",
    );
    let ours = commit_on(
        &repo,
        "main",
        "README.md",
        "# Demo, base moved\n",
        "base moves",
    );
    let merged = call(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    let commit = merged["commit"].as_str().unwrap();
    assert_eq!(git(&repo, &["rev-parse", &format!("{commit}^1")]), ours);
    assert_eq!(git(&repo, &["rev-parse", &format!("{commit}^2")]), theirs);
    assert_eq!(
        git(&repo, &["show", "main:README.md"]),
        "# Demo, base moved"
    );
    assert_eq!(git(&repo, &["status", "--porcelain"]), "M README.md");

    // A conflict refuses, changing nothing.
    commit_file(&wt, "notes.txt", "ws\n", "ws notes");
    let base = commit_on(&repo, "main", "notes.txt", "main\n", "main notes");
    let e = refused(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    assert_eq!(
        (e.code, &e.data["files"]),
        (-32053, &json!(["notes.txt"])),
        "{e:?}"
    );
    assert_eq!(git(&repo, &["rev-parse", "main"]), base);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn merge_in_the_main_checkout_keeps_unrelated_work_and_refuses_on_touched_files() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    hook(
        &repo,
        "post-merge",
        "echo merged >> \"$(git rev-parse --git-common-dir)/post-merge-ran\"",
    );
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "checked").await;
    let wt = path_of(&ws);
    std::fs::write(repo.join("README.md"), "# uncommitted here\n").unwrap();
    std::fs::write(repo.join("scratch.txt"), "untracked\n").unwrap();
    commit_file(&wt, "src/lib.rs", "one\ntwo\nthree\nfour\nfive\n", "five");
    let base_before = commit_file(&repo, "other.txt", "base\n", "base moves");
    let merged = call(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    let commit = merged["commit"].as_str().unwrap();
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), commit);
    assert_eq!(
        git(&repo, &["rev-parse", &format!("{commit}^1")]),
        base_before
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("src/lib.rs")).unwrap(),
        "one\ntwo\nthree\nfour\nfive\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("README.md")).unwrap(),
        "# uncommitted here\n"
    );
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        "M README.md\n?? scratch.txt"
    );
    assert!(
        repo.join(".git/post-merge-ran").exists(),
        "hooks ran in the checkout"
    );

    commit_file(&wt, "notes.txt", "from the workspace\n", "notes");
    std::fs::write(repo.join("notes.txt"), "mine, uncommitted\n").unwrap();
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let e = refused(
        &s,
        "grove/workspace/merge",
        json!({"id": ws["id"], "method": "squash"}),
    )
    .await;
    assert_eq!(
        (e.code, &e.data["files"]),
        (-32052, &json!(["notes.txt"])),
        "{e:?}"
    );
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        std::fs::read_to_string(repo.join("notes.txt")).unwrap(),
        "mine, uncommitted\n"
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_squash_from_a_stale_base_reverts_nothing_and_counts_as_merged() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "stale").await;
    let wt = path_of(&ws);
    commit_file(&wt, "src/lib.rs", "one\ntwo\nthree\nfour\nfive\n", "five");
    commit_file(&wt, "feature.txt", "feature\n", "feature");
    // Meanwhile the base gets work the workspace never saw.
    commit_file(
        &repo,
        "README.md",
        "# Demo, improved on main\n",
        "main improves README",
    );
    let base = commit_file(&repo, "base-only.txt", "only on main\n", "main adds a file");
    let merged = call(
        &s,
        "grove/workspace/merge",
        json!({"id": ws["id"], "method": "squash"}),
    )
    .await;
    let commit = merged["commit"].as_str().unwrap();
    assert_eq!(git(&repo, &["rev-parse", "main"]), commit);
    assert_eq!(
        git(&repo, &["rev-list", "--parents", "-n1", commit]),
        format!("{commit} {base}")
    );
    assert_eq!(
        git(&repo, &["show", "main:README.md"]),
        "# Demo, improved on main"
    );
    assert_eq!(git(&repo, &["show", "main:base-only.txt"]), "only on main");
    assert_eq!(git(&repo, &["show", "main:feature.txt"]), "feature");
    assert_eq!(
        git(&repo, &["show", "main:src/lib.rs"]),
        "one\ntwo\nthree\nfour\nfive"
    );
    let message = git(&repo, &["log", "-1", "--format=%B", "main"]);
    assert!(
        message.contains("- five") && message.contains("- feature"),
        "{message}"
    );
    assert_eq!(status(&s, &ws).await["merged"], true);
    // Merged commits are not lost; uncommitted files still are.
    std::fs::write(wt.join("scratch.txt"), "not committed\n").unwrap();
    let e = refused(
        &s,
        "grove/workspace/delete",
        json!({"id": ws["id"], "deleteBranch": true}),
    )
    .await;
    assert_eq!(
        (e.code, &e.data["files"]),
        (-32020, &json!(["scratch.txt"])),
        "{e:?}"
    );
    std::fs::remove_file(wt.join("scratch.txt")).unwrap();
    call(
        &s,
        "grove/workspace/delete",
        json!({"id": ws["id"], "deleteBranch": true}),
    )
    .await;

    // The branch's commits replayed on a stale base: linear, nothing reverted.
    let ws = workspace(&s, &repo, "replay").await;
    let wt = path_of(&ws);
    commit_file(&wt, "a.txt", "a\n", "a");
    commit_file(&wt, "b.txt", "b\n", "b");
    let base = commit_file(&repo, "c.txt", "c\n", "c on main");
    let merged = call(
        &s,
        "grove/workspace/merge",
        json!({"id": ws["id"], "method": "rebase"}),
    )
    .await;
    let commit = merged["commit"].as_str().unwrap();
    assert_eq!(
        git(&repo, &["log", "--format=%s", &format!("{base}..{commit}")]),
        "b\na"
    );
    assert_eq!(
        git(&repo, &["rev-list", "--merges", "--count", commit]),
        "0"
    );
    assert_eq!(git(&repo, &["show", "main:c.txt"]), "c");
    assert_eq!(git(&repo, &["log", "-1", "--format=%an", commit]), "Test");
    call(
        &s,
        "grove/workspace/delete",
        json!({"id": ws["id"], "deleteBranch": true}),
    )
    .await;
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_brings_the_changes_uncommitted_or_changes_nothing() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "apply").await;
    let wt = path_of(&ws);
    commit_file(&wt, "src/lib.rs", "one\ntwo\nthree\nfour\nfive\n", "five");
    std::fs::write(wt.join("new.txt"), "uncommitted and untracked\n").unwrap();
    std::fs::write(wt.join("notes.txt"), "keep\nme\nmore\n").unwrap();
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let applied = call(&s, "grove/workspace/apply", json!({"id": ws["id"]})).await;
    assert_eq!(
        applied["files"],
        json!(["new.txt", "notes.txt", "src/lib.rs"])
    );
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        "M notes.txt\n M src/lib.rs\n?? new.txt"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("new.txt")).unwrap(),
        "uncommitted and untracked\n"
    );

    // Again: those files have uncommitted work in the main checkout now.
    let e = refused(&s, "grove/workspace/apply", json!({"id": ws["id"]})).await;
    assert_eq!(e.code, -32052, "{e:?}");
    assert_eq!(
        e.data["files"],
        json!(["new.txt", "notes.txt", "src/lib.rs"])
    );
    git(&repo, &["checkout", "--", "."]);
    std::fs::remove_file(repo.join("new.txt")).unwrap();

    // A committed change there that the patch does not fit: refused, nothing changed.
    commit_file(
        &repo,
        "src/lib.rs",
        "ONE\nTWO\nTHREE\nFOUR\n",
        "main rewrites lib",
    );
    let e = refused(&s, "grove/workspace/apply", json!({"id": ws["id"]})).await;
    assert_eq!(
        (e.code, &e.data["files"]),
        (-32053, &json!(["src/lib.rs"])),
        "{e:?}"
    );
    assert_eq!(git(&repo, &["status", "--porcelain"]), "");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn push_sets_the_upstream_and_forces_only_with_a_lease_when_asked() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    let bare = with_remote(&home, &repo);
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "push").await;
    let wt = path_of(&ws);
    commit_file(&wt, "a.txt", "a\n", "a");
    let pushed = call(&s, "grove/workspace/push", json!({"id": ws["id"]})).await;
    assert_eq!(pushed, json!({"remote": "origin", "branch": "grove/push"}));
    assert_eq!(
        git(&wt, &["rev-parse", "@{upstream}"]),
        git(&wt, &["rev-parse", "HEAD"])
    );
    assert_eq!(
        git(&bare, &["rev-parse", "grove/push"]),
        git(&wt, &["rev-parse", "HEAD"])
    );

    // Someone else pushes to the branch.
    let other = home.path().join("other");
    git(
        home.path(),
        &["clone", "-q", bare.to_str().unwrap(), "other"],
    );
    git(&other, &["config", "user.name", "Other"]);
    git(&other, &["config", "user.email", "other@example.invalid"]);
    git(&other, &["checkout", "-q", "grove/push"]);
    let theirs = commit_file(&other, "theirs.txt", "theirs\n", "theirs");
    git(&other, &["push", "-q", "origin", "grove/push"]);

    commit_file(&wt, "b.txt", "b\n", "b");
    let e = refused(&s, "grove/workspace/push", json!({"id": ws["id"]})).await;
    assert_eq!(e.code, -32054, "{e:?}");
    assert!(
        e.data["output"].as_str().unwrap().contains("rejected"),
        "{e:?}"
    );
    assert_eq!(git(&bare, &["rev-parse", "grove/push"]), theirs);
    // The lease is on what Grove last saw: the remote moved since, so even a forced push stops.
    let e = refused(
        &s,
        "grove/workspace/push",
        json!({"id": ws["id"], "forceWithLease": true}),
    )
    .await;
    assert_eq!(e.code, -32054, "{e:?}");
    assert_eq!(git(&bare, &["rev-parse", "grove/push"]), theirs);
    git(&wt, &["fetch", "-q", "origin"]);
    call(
        &s,
        "grove/workspace/push",
        json!({"id": ws["id"], "forceWithLease": true}),
    )
    .await;
    assert_eq!(
        git(&bare, &["rev-parse", "grove/push"]),
        git(&wt, &["rev-parse", "HEAD"])
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_inherited_token_reaches_any_git_process() {
    const TOKENS: &[&str] = &[
        "GH_TOKEN",
        "GITHUB_TOKEN",
        "GH_ENTERPRISE_TOKEN",
        "GH_HOST",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "ANTHROPIC_AUTH_TOKEN",
        "CODEX_API_KEY",
        "OPENAI_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
    ];
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    with_remote(&home, &repo);
    let dumps = home.path().join("env-dumps");
    std::fs::create_dir_all(&dumps).unwrap();
    let dump = format!("env > '{}'/\"$(basename \"$0\")\"", dumps.display());
    for h in [
        "pre-commit",
        "commit-msg",
        "pre-push",
        "post-merge",
        "pre-merge-commit",
    ] {
        hook(&repo, h, &dump);
    }
    let mut launch = Launch::new(home.path());
    for t in TOKENS {
        launch = launch.env(t, format!("FAKE-{t}-must-not-leak"));
    }
    let s = launch.spawn();
    s.initialize(json!({})).await;
    let ws = workspace(&s, &repo, "tokens").await;
    std::fs::write(path_of(&ws).join("a.txt"), "a\n").unwrap();
    call(
        &s,
        "grove/workspace/commit",
        json!({"id": ws["id"], "message": "a"}),
    )
    .await;
    call(&s, "grove/workspace/push", json!({"id": ws["id"]})).await;
    commit_file(&repo, "other.txt", "x\n", "base moves");
    call(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dumps).unwrap() {
        let entry = entry.unwrap();
        let env = std::fs::read_to_string(entry.path()).unwrap();
        assert!(env.contains("GIT_"), "a hook's environment: {env}");
        for t in TOKENS {
            assert!(
                !env.contains(&format!("{t}=")),
                "{t} reached {:?}",
                entry.file_name()
            );
        }
        seen.push(entry.file_name().to_string_lossy().into_owned());
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "commit-msg",
            "post-merge",
            "pre-commit",
            "pre-merge-commit",
            "pre-push"
        ]
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hook_that_refuses_the_merge_in_the_checkout_changes_nothing() {
    let home = TestHome::empty();
    let repo = repo_with_identity(&home);
    hook(
        &repo,
        "pre-merge-commit",
        "echo 'merges need a review first' >&2; exit 1",
    );
    let s = started(&home).await;
    let ws = workspace(&s, &repo, "refused").await;
    commit_file(
        &path_of(&ws),
        "src/lib.rs",
        "one\ntwo\nthree\nfour\nfive\n",
        "five",
    );
    let head = commit_file(&repo, "other.txt", "base\n", "base moves");
    std::fs::write(repo.join("README.md"), "# mine\n").unwrap();
    let e = refused(&s, "grove/workspace/merge", json!({"id": ws["id"]})).await;
    assert_eq!(e.code, -32051, "{e:?}");
    assert!(
        e.data["output"]
            .as_str()
            .unwrap()
            .contains("merges need a review first"),
        "{e:?}"
    );
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    assert!(!repo.join(".git/MERGE_HEAD").exists());
    assert_eq!(git(&repo, &["status", "--porcelain"]), "M README.md");
    assert_eq!(status(&s, &ws).await["merged"], false);
    s.shutdown().await;
}
