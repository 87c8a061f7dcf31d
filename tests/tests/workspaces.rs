//! Acceptance for workspaces on real repositories: parallel creation with included files, setup
//! and ports; name validation; changes; archive/restore/delete that never lose work; a registry
//! shared by two sidecars that survives restarts, hand-made deletions and `kill -9`.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use grove_e2e::repo::{branches, commit_setup_script, demo_repo, git};
use grove_e2e::{Sidecar, TestHome};
use serde_json::{Value, json};

async fn started(home: &TestHome) -> Sidecar {
    let s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    s
}

async fn create(s: &Sidecar, repo: &Path, name: Option<&str>) -> Value {
    let mut params = json!({ "repoPath": repo });
    if let Some(n) = name {
        params["name"] = json!(n);
    }
    s.request("grove/workspace/create", params)
        .await
        .expect("create")
}

fn ids(list: &Value) -> HashSet<String> {
    list["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn three_at_once_get_their_own_names_branches_paths_files_and_ports() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    commit_setup_script(
        &repo,
        "echo \"$GROVE_WORKSPACE_NAME|$GROVE_WORKSPACE_PATH|$GROVE_ROOT_PATH|$GROVE_PORT\" > setup-saw.txt\n\
         echo setting up \"$GROVE_WORKSPACE_NAME\"\n",
    );
    let s = started(&home).await;
    let (a, b, c) = tokio::join!(
        create(&s, &repo, None),
        create(&s, &repo, None),
        create(&s, &repo, Some("fix-login"))
    );
    let all = [a, b, c];
    let names: HashSet<&str> = all.iter().map(|w| w["name"].as_str().unwrap()).collect();
    let branches: HashSet<&str> = all.iter().map(|w| w["branch"].as_str().unwrap()).collect();
    let paths: HashSet<&str> = all.iter().map(|w| w["path"].as_str().unwrap()).collect();
    let ports: HashSet<u64> = all.iter().map(|w| w["port"].as_u64().unwrap()).collect();
    assert_eq!(
        (names.len(), branches.len(), paths.len(), ports.len()),
        (3, 3, 3, 3)
    );
    assert!(names.contains("fix-login") && branches.contains("grove/fix-login"));

    let listed = git(&repo, &["worktree", "list", "--porcelain"]);
    let root = repo.canonicalize().unwrap();
    for w in &all {
        let path = Path::new(w["path"].as_str().unwrap());
        assert!(
            listed.contains(&format!("worktree {}", path.display())),
            "{listed}"
        );
        assert!(
            path.starts_with(home.path().join(".grove-state/worktrees")),
            "{}",
            path.display()
        );
        assert_eq!(
            std::fs::read_to_string(path.join(".env")).unwrap(),
            "SECRET_FOR_THE_APP=1\n"
        );
        let saw = std::fs::read_to_string(path.join("setup-saw.txt")).unwrap();
        let expected = format!(
            "{}|{}|{}|{}\n",
            w["name"].as_str().unwrap(),
            path.display(),
            root.display(),
            w["port"]
        );
        assert_eq!(saw, expected);
        assert_eq!(w["setup"]["success"], true);
        assert_eq!(w["state"], "active");
        assert_eq!(w["baseRef"], "main");
        assert_eq!(w["baseCommit"], git(&repo, &["rev-parse", "HEAD"]));
        assert_eq!(
            git(path, &["branch", "--show-current"]),
            w["branch"].as_str().unwrap()
        );
    }
    let mut sorted: Vec<u64> = ports.into_iter().collect();
    sorted.sort();
    assert!(
        sorted.windows(2).all(|p| p[1] - p[0] >= 10),
        "blocks of 10 ports: {sorted:?}"
    );
    let output = s.notifications("grove/workspace/setupOutput");
    assert!(
        output
            .iter()
            .any(|o| o["line"].as_str().unwrap().starts_with("setting up ")),
        "{output:?}"
    );
    assert!(s.notifications("grove/workspace/changed").len() >= 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_names_and_paths_outside_a_repository_are_refused_with_nothing_made() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let long = "n".repeat(300);
    for bad in [
        "../evil",
        "a b",
        "x.lock",
        "-rf",
        long.as_str(),
        "feat/../../x",
        "x~1",
        "",
    ] {
        let err = s
            .request(
                "grove/workspace/create",
                json!({"repoPath": repo, "name": bad}),
            )
            .await
            .expect_err(bad);
        assert_eq!(err.code, -32022, "{bad:?}: {}", err.message);
    }
    let err = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "baseRef": "--orphan"}),
        )
        .await;
    assert_eq!(err.unwrap_err().code, -32022);
    let err = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "baseRef": "no-such-branch"}),
        )
        .await;
    assert_eq!(err.unwrap_err().code, -32022);
    assert_eq!(branches(&repo, "*"), "main", "no branch was made");
    assert!(
        !home.path().join(".grove-state/worktrees").exists(),
        "no directory was made"
    );
    assert!(!home.path().join("evil").exists());

    let outside = home.path().join("not-a-repo");
    std::fs::create_dir_all(&outside).unwrap();
    let err = s
        .request("grove/workspace/create", json!({"repoPath": outside}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32024);
    let list = s.request("grove/workspace/list", json!({})).await.unwrap();
    assert!(ids(&list).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_list_modified_committed_and_untracked_files_with_line_counts() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let w = create(&s, &repo, Some("counting")).await;
    let path = Path::new(w["path"].as_str().unwrap());
    // Committed on the branch: one new file of 2 lines.
    std::fs::write(path.join("committed.txt"), "a\nb\n").unwrap();
    git(path, &["add", "committed.txt"]);
    git(path, &["commit", "-qm", "work"]);
    // Uncommitted: src/lib.rs loses 2 lines and gains 1; notes.txt deleted; an untracked file.
    std::fs::write(path.join("src/lib.rs"), "one\nTWO\n").unwrap();
    std::fs::remove_file(path.join("notes.txt")).unwrap();
    std::fs::write(path.join("untracked.md"), "x\ny\nz\n").unwrap();

    let ch = s
        .request("grove/workspace/changes", json!({"id": w["id"]}))
        .await
        .unwrap();
    let files: Vec<(String, String, Value, Value)> = ch["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["status"].as_str().unwrap().into(),
                f["additions"].clone(),
                f["deletions"].clone(),
            )
        })
        .collect();
    let want =
        |p: &str, st: &str, a: u64, d: u64| (p.to_string(), st.to_string(), json!(a), json!(d));
    for expected in [
        want("committed.txt", "added", 2, 0),
        want("src/lib.rs", "modified", 1, 3),
        want("notes.txt", "deleted", 0, 2),
        want("untracked.md", "untracked", 3, 0),
    ] {
        assert!(files.contains(&expected), "{expected:?} not in {files:?}");
    }
    assert_eq!(files.len(), 4, "{files:?}");
    assert_eq!(
        (ch["ahead"].as_u64(), ch["behind"].as_u64()),
        (Some(1), Some(0))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn archive_never_loses_work_and_unmerged_branches_are_kept() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let w = create(&s, &repo, Some("careful")).await;
    let id = w["id"].clone();
    let path = Path::new(w["path"].as_str().unwrap()).to_path_buf();
    std::fs::write(path.join("src/lib.rs"), "changed\n").unwrap();
    std::fs::write(path.join("new-file.txt"), "brand new\n").unwrap();
    std::fs::create_dir_all(path.join("deep/dir")).unwrap();
    std::fs::write(path.join("deep/dir/f.txt"), "nested\n").unwrap();
    std::fs::remove_file(path.join("notes.txt")).unwrap();

    let err = s
        .request("grove/workspace/archive", json!({"id": id}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32020);
    let mut files: Vec<&str> = err.data["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["deep/dir/f.txt", "new-file.txt", "notes.txt", "src/lib.rs"]
    );
    assert_eq!(
        std::fs::read_to_string(path.join("src/lib.rs")).unwrap(),
        "changed\n",
        "untouched"
    );

    let archived = s
        .request("grove/workspace/archive", json!({"id": id, "force": true}))
        .await
        .unwrap();
    assert_eq!(
        (archived["state"].as_str(), archived["path"].as_str()),
        (Some("archived"), Some(""))
    );
    assert!(!path.exists());
    assert_eq!(
        branches(&repo, "grove/careful"),
        "grove/careful",
        "branch kept"
    );
    let snapshot = format!("refs/grove/snapshots/{}", id.as_str().unwrap());
    assert!(
        !git(&repo, &["rev-parse", "--verify", &snapshot]).is_empty(),
        "the work is saved"
    );
    assert_eq!(
        git(&repo, &["log", "-1", "--format=%s", "grove/careful"]),
        "initial",
        "never on the user's branch"
    );

    let restored = s
        .request("grove/workspace/restore", json!({"id": id}))
        .await
        .unwrap();
    assert_eq!(restored["state"], "active");
    assert_eq!(
        std::fs::read_to_string(path.join("src/lib.rs")).unwrap(),
        "changed\n"
    );
    assert_eq!(
        std::fs::read_to_string(path.join("new-file.txt")).unwrap(),
        "brand new\n"
    );
    assert_eq!(
        std::fs::read_to_string(path.join("deep/dir/f.txt")).unwrap(),
        "nested\n"
    );
    assert!(
        !path.join("notes.txt").exists(),
        "a deleted file stays deleted"
    );
    assert_eq!(
        std::fs::read_to_string(path.join(".env")).unwrap(),
        "SECRET_FOR_THE_APP=1\n"
    );
    let status = git(&path, &["status", "--porcelain"]);
    assert!(
        status.contains("M src/lib.rs")
            && status.contains("?? new-file.txt")
            && status.contains("D notes.txt"),
        "{status}"
    );

    // An unmerged commit keeps the branch (and everything else) without force.
    git(&path, &["add", "-A"]);
    git(&path, &["commit", "-qm", "the agent's work"]);
    let err = s
        .request(
            "grove/workspace/delete",
            json!({"id": id, "deleteBranch": true}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, -32025);
    assert_eq!(err.data["unmergedCommits"], 1);
    assert!(path.exists(), "nothing was deleted");
    s.request(
        "grove/workspace/delete",
        json!({"id": id, "deleteBranch": true, "force": true}),
    )
    .await
    .unwrap();
    assert!(!path.exists());
    assert_eq!(branches(&repo, "grove/careful"), "");
    let list = s
        .request("grove/workspace/list", json!({"repoPath": repo}))
        .await
        .unwrap();
    assert!(ids(&list).is_empty());
    let removed = s.notifications("grove/workspace/changed");
    assert_eq!(removed.last().unwrap()["removed"], true);

    // A merged branch goes without force.
    let w = create(&s, &repo, Some("merged")).await;
    s.request(
        "grove/workspace/delete",
        json!({"id": w["id"], "deleteBranch": true}),
    )
    .await
    .unwrap();
    assert_eq!(branches(&repo, "grove/merged"), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sidecars_creating_at_once_lose_nothing_and_the_registry_survives_restarts() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let (s1, s2) = tokio::join!(started(&home), started(&home));
    let (a, b) = tokio::join!(
        join_all((0..10).map(|_| create(&s1, &repo, None))),
        join_all((0..10).map(|_| create(&s2, &repo, None))),
    );
    assert_eq!(a.len() + b.len(), 20);
    let list = s1.request("grove/workspace/list", json!({})).await.unwrap();
    assert_eq!(ids(&list).len(), 20, "all twenty in the registry");
    drop((s1, s2));

    // A restart reads the same registry; a worktree deleted by hand reads as archived.
    let gone = a[0]["path"].as_str().unwrap().to_string();
    std::fs::remove_dir_all(&gone).unwrap();
    let s = started(&home).await;
    let list = s
        .request("grove/workspace/list", json!({"repoPath": repo}))
        .await
        .unwrap();
    assert_eq!(ids(&list).len(), 20);
    let w = list["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == a[0]["id"])
        .unwrap()
        .clone();
    assert_eq!(
        (w["state"].as_str(), w["path"].as_str()),
        (Some("archived"), Some(""))
    );
    let restored = s
        .request("grove/workspace/restore", json!({"id": w["id"]}))
        .await
        .unwrap();
    assert_eq!(restored["path"], gone);

    // A registry lost altogether: Grove's worktrees are adopted again.
    drop(s);
    std::fs::remove_file(home.path().join(".grove-state/workspaces.json")).unwrap();
    let s = started(&home).await;
    let list = s.request("grove/workspace/list", json!({})).await.unwrap();
    assert_eq!(
        ids(&list).len(),
        20,
        "re-adopted from the worktrees on disk"
    );
}

async fn join_all<F: std::future::Future<Output = Value>>(
    fs: impl Iterator<Item = F>,
) -> Vec<Value> {
    let fs: Vec<_> = fs.map(Box::pin).collect();
    let mut out = Vec::new();
    // Poll them together: a small join_all without another dependency.
    let mut pending: Vec<_> = fs.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for slot in pending.iter_mut() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        out.push(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_create_leaves_nothing_half_made_after_the_next_start() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    commit_setup_script(&repo, "echo started setup\nsleep 60\n");
    let s = started(&home).await;
    let create = s.request(
        "grove/workspace/create",
        json!({"repoPath": repo, "name": "doomed"}),
    );
    let watch = async {
        s.wait_for(
            "grove/workspace/setupOutput",
            0,
            Duration::from_secs(30),
            |_| true,
        )
        .await
        .expect("setup runs");
        let path = home.path().join(".grove-state/worktrees");
        assert!(
            std::fs::read_dir(&path).unwrap().next().is_some(),
            "the worktree exists mid-create"
        );
        // SIGKILL: no chance to clean up.
        kill_9(s.pid());
    };
    tokio::select! {
        _ = create => panic!("create finished before the kill"),
        () = watch => {}
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        branches(&repo, "grove/doomed"),
        "grove/doomed",
        "half-made before restart"
    );

    let s = started(&home).await;
    let list = s.request("grove/workspace/list", json!({})).await.unwrap();
    assert!(ids(&list).is_empty(), "no registry entry: {list}");
    assert_eq!(branches(&repo, "grove/doomed"), "", "no branch");
    assert_eq!(
        git(&repo, &["worktree", "list"]).lines().count(),
        1,
        "no worktree"
    );
    let root = home.path().join(".grove-state/worktrees");
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .collect();
    assert!(leftovers.is_empty(), "no directory: {leftovers:?}");
    // And the name is free again.
    let w = create_with_fast_setup(&s, &repo).await;
    assert_eq!(w["name"], "doomed");
}

async fn create_with_fast_setup(s: &Sidecar, repo: &Path) -> Value {
    commit_setup_script(repo, "echo quick\n");
    create(s, repo, Some("doomed")).await
}

fn kill_9(pid: u32) {
    std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn file_at_base_gives_the_base_version_for_diffs() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let w = create(&s, &repo, Some("diffs")).await;
    std::fs::write(
        Path::new(w["path"].as_str().unwrap()).join("src/lib.rs"),
        "new\n",
    )
    .unwrap();
    let at = |path: &str| {
        s.request(
            "grove/workspace/fileAtBase",
            json!({"id": w["id"], "path": path}),
        )
    };
    assert_eq!(
        at("src/lib.rs").await.unwrap(),
        json!({"content": "one\ntwo\nthree\nfour\n", "binary": false})
    );
    assert_eq!(
        at("brand-new.txt").await.unwrap(),
        json!({"content": null, "binary": false})
    );
    assert_eq!(at("../outside").await.unwrap_err().code, -32602);
    assert_eq!(at("/etc/passwd").await.unwrap_err().code, -32602);
}

#[tokio::test(flavor = "multi_thread")]
async fn repo_info_names_the_main_checkout_of_a_worktree_and_its_uncommitted_files() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home).await;
    let main = repo.canonicalize().unwrap();
    let info = s
        .request("grove/repo/info", json!({ "path": repo.join("src") }))
        .await
        .expect("info of the main checkout");
    assert_eq!(
        info,
        json!({
            "root": main.display().to_string(),
            "mainRoot": main.display().to_string(),
            "isWorktree": false,
            "branch": "main",
            "dirtyFiles": [],
            "branches": ["main"],
        })
    );

    let ws = create(&s, &repo, Some("info-probe")).await;
    let path = Path::new(ws["path"].as_str().unwrap())
        .canonicalize()
        .unwrap();
    std::fs::write(path.join("notes.txt"), "changed\n").unwrap();
    std::fs::write(path.join("new.txt"), "new\n").unwrap();
    std::fs::write(path.join(".env"), "ignored\n").unwrap();
    let info = s
        .request("grove/repo/info", json!({ "path": path }))
        .await
        .expect("info of the worktree");
    assert_eq!(info["root"], path.display().to_string());
    assert_eq!(info["mainRoot"], main.display().to_string());
    assert_eq!(info["isWorktree"], true);
    assert_eq!(info["branch"], "grove/info-probe");
    assert_eq!(
        info["branches"],
        json!(["grove/info-probe", "main"]),
        "every local branch, by name, from a worktree too"
    );
    let mut dirty: Vec<&str> = info["dirtyFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    dirty.sort();
    assert_eq!(
        dirty,
        ["new.txt", "notes.txt"],
        "ignored files are not work"
    );

    git(&path, &["checkout", "-q", "--detach"]);
    let info = s
        .request("grove/repo/info", json!({ "path": path }))
        .await
        .unwrap();
    assert_eq!(info["branch"], Value::Null, "detached");

    let outside = home.path().join("not-a-repo");
    std::fs::create_dir_all(&outside).unwrap();
    let err = s
        .request("grove/repo/info", json!({ "path": outside }))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32024, "{}", err.message);
    assert_eq!(err.data["repoPath"], outside.display().to_string());
}
