//! `cargo xtask bench`: the sidecar's figures against goals and baselines measured in the same run.
//! Exits non-zero when a goal is missed.

use std::time::{Duration, Instant};

use grove_e2e::{Sidecar, TestHome, claude_cli};
use serde_json::json;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

struct Verdicts(Vec<bool>);

impl Verdicts {
    fn report(&mut self, ok: bool, line: String) {
        println!("bench: {line}  {}", if ok { "ok" } else { "MISSED" });
        self.0.push(ok);
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    let mut v = Verdicts(Vec::new());
    let cli = claude_cli();
    let options = json!({ "claudePath": cli });

    // Spawn → initialize answer, against spawning `true` (the cost of any process start here).
    let mut spawn_true = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        std::process::Command::new("true").status().unwrap();
        spawn_true.push(t.elapsed());
    }
    let home = TestHome::empty();
    let mut init = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let s = Sidecar::start(home.path());
        s.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
        )
        .await
        .unwrap();
        init.push(t.elapsed());
        drop(s);
    }
    let (init, base) = (median(init), median(spawn_true));
    v.report(
        init <= Duration::from_millis(50),
        format!(
            "spawn to initialize answer: median {:.1} ms over 30 runs (spawning `true`: {:.1} ms; goal <= 50 ms)",
            ms(init),
            ms(base)
        ),
    );

    // Cached vs forced status, and resident memory after initialize and one status check.
    let s = Sidecar::start(home.path());
    s.initialize(options.clone()).await;
    s.request("grove/auth/status", json!({})).await.unwrap();
    let rss = rss_kib(s.pid());
    let mut forced = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        s.request("grove/auth/status", json!({"force": true}))
            .await
            .unwrap();
        forced.push(t.elapsed());
    }
    let mut cached = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        s.request("grove/auth/status", json!({})).await.unwrap();
        cached.push(t.elapsed());
    }
    let (forced, cached) = (median(forced), median(cached));
    let ratio = forced.as_secs_f64() / cached.as_secs_f64();
    v.report(
        ratio >= 100.0,
        format!(
            "auth/status cached {:.3} ms vs forced (a real `claude auth status`) {:.0} ms: {ratio:.0}x faster (goal >= 100x)",
            ms(cached),
            ms(forced)
        ),
    );
    v.report(
        rss <= 15 * 1024,
        format!(
            "resident memory after initialize and one status check: {:.1} MiB (goal <= 15 MiB)",
            rss as f64 / 1024.0
        ),
    );
    drop(s);

    workspaces(&mut v).await;

    let missed = v.0.iter().filter(|ok| !**ok).count();
    println!("bench: {} goals met, {missed} missed", v.0.len() - missed);
    if missed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// Times `f` once.
fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

/// `create` against plain `git worktree add` on a 20,000-file repository, and `changes` against
/// `git diff --numstat` plus `git status --porcelain` on 1,000 modified files.
async fn workspaces(v: &mut Verdicts) {
    use grove_e2e::repo::git;
    let home = TestHome::empty();
    let repo = home.path().join("big-repo");
    for d in 0..200 {
        let dir = repo.join(format!("dir{d:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..100 {
            std::fs::write(
                dir.join(format!("file{f:03}.txt")),
                format!("line one of {d}/{f}\nline two\n"),
            )
            .unwrap();
        }
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "20,000 files"]);
    let s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    s.request("grove/workspace/list", json!({})).await.unwrap();

    let (mut plain, mut grove) = (Vec::new(), Vec::new());
    for i in 0..5 {
        let path = home.path().join(format!("plain-{i}"));
        let path_arg = path.display().to_string();
        let branch = format!("plain-{i}");
        let (t, _) = timed(|| {
            git(
                &repo,
                &[
                    "worktree", "add", "-q", "-b", &branch, "--", &path_arg, "HEAD",
                ],
            )
        });
        plain.push(t);
        git(&repo, &["worktree", "remove", "--force", "--", &path_arg]);
        let t = Instant::now();
        let w = s
            .request(
                "grove/workspace/create",
                json!({"repoPath": repo, "name": format!("bench-{i}")}),
            )
            .await
            .unwrap();
        grove.push(t.elapsed());
        s.request(
            "grove/workspace/delete",
            json!({"id": w["id"], "deleteBranch": true, "force": true}),
        )
        .await
        .unwrap();
    }
    let (plain, grove) = (median(plain), median(grove));
    let ratio = grove.as_secs_f64() / plain.as_secs_f64();
    v.report(
        ratio <= 1.1,
        format!(
            "workspace/create {:.0} ms vs `git worktree add` {:.0} ms on 20,000 files (median of 5): ratio {ratio:.2} (goal <= 1.1)",
            ms(grove),
            ms(plain)
        ),
    );

    let w = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "name": "changes"}),
        )
        .await
        .unwrap();
    let path = std::path::PathBuf::from(w["path"].as_str().unwrap());
    for d in 0..10 {
        for f in 0..100 {
            let file = path.join(format!("dir{d:03}/file{f:03}.txt"));
            std::fs::write(&file, format!("changed {d}/{f}\nline two\nline three\n")).unwrap();
        }
    }
    let (mut plain, mut grove) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let (t, _) = timed(|| {
            git(&path, &["diff", "--numstat"]);
            git(&path, &["status", "--porcelain"]);
        });
        plain.push(t);
        let t = Instant::now();
        let ch = s
            .request("grove/workspace/changes", json!({"id": w["id"]}))
            .await
            .unwrap();
        grove.push(t.elapsed());
        assert_eq!(ch["files"].as_array().unwrap().len(), 1000);
    }
    let (plain, grove) = (median(plain), median(grove));
    let ratio = grove.as_secs_f64() / plain.as_secs_f64();
    v.report(
        ratio <= 1.5,
        format!(
            "workspace/changes {:.0} ms vs `git diff --numstat` + `git status --porcelain` {:.0} ms on 1,000 modified files (median of 7): ratio {ratio:.2} (goal <= 1.5)",
            ms(grove),
            ms(plain)
        ),
    );
}
