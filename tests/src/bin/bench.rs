//! `cargo xtask bench`: the sidecar's figures against goals and baselines measured in the same run.
//! Exits non-zero when a goal is missed.

use std::sync::Arc;
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

/// CPU time (user + system) a process has used so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = fields
        .get(11..13)
        .map_or(0, |f| f.iter().filter_map(|t| t.parse::<u64>().ok()).sum());
    Duration::from_millis(ticks * 10)
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
    if std::env::var("GROVE_BENCH_ONLY").as_deref() == Ok("workspaces") {
        workspaces(&mut v).await;
        return std::process::ExitCode::SUCCESS;
    }
    if std::env::var("GROVE_BENCH_ONLY").as_deref() == Ok("landing") {
        landing(&mut v).await;
        return std::process::ExitCode::SUCCESS;
    }
    if std::env::var("GROVE_BENCH_ONLY").as_deref() == Ok("relay") {
        relay(&mut v).await;
        return std::process::ExitCode::SUCCESS;
    }
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
    landing(&mut v).await;
    relay(&mut v).await;

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

    // Each round times both, in alternating order, so neither always follows the other's
    // deletion of 20,000 files.
    let (mut plain, mut grove) = (Vec::new(), Vec::new());
    for i in 0..7 {
        for grove_first in [i % 2 == 0, i % 2 != 0] {
            if grove_first {
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
            } else {
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
            }
        }
    }
    let (plain, grove) = (median(plain), median(grove));
    let ratio = grove.as_secs_f64() / plain.as_secs_f64();
    v.report(
        ratio <= 1.1,
        format!(
            "workspace/create {:.0} ms vs `git worktree add` {:.0} ms on 20,000 files (median of 7, alternating): ratio {ratio:.2} (goal <= 1.1)",
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

/// Runs git in `dir` with a test identity and `index` as its index; its trimmed stdout.
fn git_with_index(dir: &std::path::Path, index: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_INDEX_FILE", index)
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.invalid")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.invalid")
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// One commit on `main` (checked out nowhere) that changes `moved.txt`, made without a checkout.
fn move_main(repo: &std::path::Path, round: usize) {
    let index = repo.join(".git/bench-index");
    git_with_index(repo, &index, &["read-tree", "main"]);
    std::fs::write(repo.join(".git/bench-blob"), format!("moved {round}\n")).unwrap();
    let blob = git_with_index(repo, &index, &["hash-object", "-w", ".git/bench-blob"]);
    let entry = format!("100644,{blob},moved.txt");
    git_with_index(
        repo,
        &index,
        &["update-index", "--add", "--cacheinfo", &entry],
    );
    let tree = git_with_index(repo, &index, &["write-tree"]);
    let commit = git_with_index(
        repo,
        &index,
        &["commit-tree", &tree, "-p", "main", "-m", "moves"],
    );
    git_with_index(repo, &index, &["update-ref", "refs/heads/main", &commit]);
    let _ = std::fs::remove_file(index);
}

/// Commits a change to the first 1,000 files of the landing repository in `dir`.
fn change_1000(dir: &std::path::Path, round: usize) {
    use grove_e2e::repo::git;
    for d in 0..10 {
        for f in 0..100 {
            let file = dir.join(format!("dir{d:02}/file{f:03}.txt"));
            std::fs::write(&file, format!("round {round} of {d}/{f}\nline two\n")).unwrap();
        }
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "1,000 files"]);
}

/// `gitStatus` of 50 workspaces against `git status --porcelain` plus `git rev-list
/// --left-right --count` in each; `merge` of a branch that changes 1,000 files into a base checked
/// out nowhere against `git merge-tree`, `git commit-tree` and `git update-ref`.
async fn landing(v: &mut Verdicts) {
    use grove_e2e::repo::git;
    let home = TestHome::empty();
    let repo = home.path().join("landing-repo");
    for d in 0..20 {
        let dir = repo.join(format!("dir{d:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..100 {
            std::fs::write(
                dir.join(format!("file{f:03}.txt")),
                format!("{d}/{f}\nline two\n"),
            )
            .unwrap();
        }
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "2,000 files"]);
    git(&repo, &["config", "user.name", "Bench"]);
    git(&repo, &["config", "user.email", "bench@example.invalid"]);
    git(&repo, &["checkout", "-q", "-b", "elsewhere"]);
    let s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    status_row(v, &s, &repo).await;
    merge_row(v, &s, &repo, home.path()).await;
}

/// `gitStatus` of 50 workspaces with a commit and two changed files each, the base one commit on.
async fn status_row(v: &mut Verdicts, s: &Sidecar, repo: &std::path::Path) {
    use grove_e2e::repo::git;
    let mut all = Vec::new();
    for i in 0..50 {
        let w = s
            .request(
                "grove/workspace/create",
                json!({"repoPath": repo, "name": format!("status-{i}"), "baseRef": "main"}),
            )
            .await
            .unwrap();
        let path = std::path::PathBuf::from(w["path"].as_str().unwrap());
        std::fs::write(path.join("dir00/file000.txt"), format!("committed {i}\n")).unwrap();
        git(&path, &["commit", "-qam", "one"]);
        std::fs::write(path.join("dir01/file001.txt"), "changed\n").unwrap();
        std::fs::write(path.join("new.txt"), "new\n").unwrap();
        all.push((w["id"].clone(), path));
    }
    move_main(repo, 0);
    let (mut plain, mut grove) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let (t, _) = timed(|| {
            for (_, path) in &all {
                git(path, &["status", "--porcelain"]);
                git(
                    path,
                    &["rev-list", "--left-right", "--count", "HEAD...main"],
                );
            }
        });
        plain.push(t);
        let t = Instant::now();
        for (id, _) in &all {
            let st = s
                .request("grove/workspace/gitStatus", json!({"id": id}))
                .await
                .unwrap();
            assert_eq!(
                (st["ahead"].as_u64(), st["uncommitted"].as_u64()),
                (Some(1), Some(2))
            );
        }
        grove.push(t.elapsed());
    }
    // The first round computes every status; later ones answer from statuses the watcher keeps
    // current.
    let first = grove[0];
    let (plain, grove) = (median(plain), median(grove));
    let ratio = grove.as_secs_f64() / plain.as_secs_f64();
    v.report(
        ratio <= 1.0,
        format!(
            "workspace/gitStatus of 50 workspaces {:.0} ms (first, computed: {:.0} ms) vs `git status --porcelain` + `git rev-list --left-right --count` in each {:.0} ms (2,000 files each, median of 7): ratio {ratio:.2} (goal <= 1.0)",
            ms(grove),
            ms(first),
            ms(plain)
        ),
    );
    for (id, _) in &all {
        s.request(
            "grove/workspace/delete",
            json!({"id": id, "deleteBranch": true, "force": true}),
        )
        .await
        .unwrap();
    }
}

/// `merge` of a branch that changes 1,000 files into `main`, checked out nowhere, which moved on.
async fn merge_row(v: &mut Verdicts, s: &Sidecar, repo: &std::path::Path, home: &std::path::Path) {
    use grove_e2e::repo::git;
    let (mut plain, mut grove) = (Vec::new(), Vec::new());
    for round in 0..7 {
        let branch = format!("plain-{round}");
        git(repo, &["branch", &branch, "main"]);
        let side = home.join(&branch);
        git(
            repo,
            &["worktree", "add", "-q", side.to_str().unwrap(), &branch],
        );
        change_1000(&side, round * 2);
        git(
            repo,
            &["worktree", "remove", "--force", side.to_str().unwrap()],
        );
        move_main(repo, round * 2);
        let (t, _) = timed(|| {
            let old = git(repo, &["rev-parse", "main"]);
            let out = git(repo, &["merge-tree", "--write-tree", "main", &branch]);
            let tree = out.lines().next().unwrap().to_string();
            let msg = format!("Merge branch '{branch}' into main");
            let new = git(
                repo,
                &[
                    "commit-tree",
                    &tree,
                    "-p",
                    "main",
                    "-p",
                    &branch,
                    "-m",
                    &msg,
                ],
            );
            git(repo, &["update-ref", "refs/heads/main", &new, &old]);
        });
        plain.push(t);

        let w = s
            .request(
                "grove/workspace/create",
                json!({"repoPath": repo, "name": format!("merge-{round}"), "baseRef": "main"}),
            )
            .await
            .unwrap();
        change_1000(
            std::path::Path::new(w["path"].as_str().unwrap()),
            round * 2 + 1,
        );
        move_main(repo, round * 2 + 1);
        let t = Instant::now();
        let merged = s
            .request("grove/workspace/merge", json!({"id": w["id"]}))
            .await
            .unwrap();
        grove.push(t.elapsed());
        assert_eq!(
            merged["commit"].as_str().unwrap(),
            git(repo, &["rev-parse", "main"])
        );
    }
    let (plain, grove) = (median(plain), median(grove));
    let ratio = grove.as_secs_f64() / plain.as_secs_f64();
    v.report(
        ratio <= 1.0,
        format!(
            "workspace/merge of a 1,000-file branch into a base checked out nowhere {:.0} ms vs `git merge-tree` + `git commit-tree` + `git update-ref` {:.0} ms (median of 7): ratio {ratio:.2} (goal <= 1.0)",
            ms(grove),
            ms(plain)
        ),
    );
}

/// A stand-in `claude` whose agent runs (`-p`) print the file `lines` as fast as they can; for
/// anything else (the sidecar's status check) it answers as a signed-out CLI.
fn standin_agent(home: &TestHome, lines: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = home.path().join("fast-claude");
    let body = format!(
        "#!/bin/sh\nif [ \"$1\" = -p ]; then exec cat '{}'; fi\n\
         if [ \"$1\" = --version ]; then echo '2.1.329 (Claude Code)'; exit 0; fi\n\
         echo '{{\"loggedIn\":false,\"authMethod\":\"none\"}}'; exit 1\n",
        lines.display()
    );
    std::fs::write(&script, body).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// `n` stream-json lines of about 500 bytes: init, assistant text, and a closing result.
fn stream_lines(n: usize) -> String {
    let mut out = String::with_capacity(n * 520);
    out.push_str(r#"{"type":"system","subtype":"init","session_id":"00000000-0000-4000-8000-000000000000","model":"claude-bench","cwd":"/tmp"}"#);
    out.push('\n');
    let filler = "lorem ipsum dolor sit amet ".repeat(15);
    for i in 0..n - 2 {
        out.push_str(&format!(
            r#"{{"type":"assistant","message":{{"id":"msg_{i}","role":"assistant","content":[{{"type":"text","text":"{i} {filler}"}}]}},"session_id":"00000000-0000-4000-8000-000000000000"}}"#
        ));
        out.push('\n');
    }
    out.push_str(r#"{"type":"result","subtype":"success","is_error":false,"result":"done","total_cost_usd":0,"duration_ms":1}"#);
    out.push('\n');
    out
}

/// `n` stream-json lines as the CLI writes them with `--include-partial-messages`: each answer
/// as a message start, a block start, three text deltas, the block stop, the whole assistant
/// message, the message delta and stop (nine lines, four events: three `textDelta`, one `text`).
/// Returns the text and the number of events it gives.
fn stream_lines_partial(n: usize) -> (String, usize) {
    let groups = (n - 2) / 9;
    let mut out = String::with_capacity(n * 300);
    out.push_str(r#"{"type":"system","subtype":"init","session_id":"00000000-0000-4000-8000-000000000000","model":"claude-bench","cwd":"/tmp"}"#);
    out.push('\n');
    let sid = r#""session_id":"00000000-0000-4000-8000-000000000000""#;
    let piece = "lorem ipsum dolor sit amet ".repeat(5);
    for i in 0..groups {
        let event = |e: String| format!(r#"{{"type":"stream_event","event":{e},{sid}}}"#);
        let lines = [
            event(format!(r#"{{"type":"message_start","message":{{"id":"msg_{i}","type":"message","role":"assistant","content":[]}}}}"#)),
            event(r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#.into()),
            event(format!(r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"{i} {piece}"}}}}"#)),
            event(format!(r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"{piece}"}}}}"#)),
            event(format!(r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"{piece}"}}}}"#)),
            event(r#"{"type":"content_block_stop","index":0}"#.into()),
            format!(r#"{{"type":"assistant","message":{{"id":"msg_{i}","role":"assistant","content":[{{"type":"text","text":"{i} {piece}{piece}{piece}"}}]}},{sid}}}"#),
            event(r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}"#.into()),
            event(r#"{"type":"message_stop"}"#.into()),
        ];
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out.push_str(r#"{"type":"result","subtype":"success","is_error":false,"result":"done","total_cost_usd":0,"duration_ms":1}"#);
    out.push('\n');
    (out, 2 + groups * 4)
}

/// Starts one run in each of `count` new workspaces of a fresh repository.
async fn start_runs(s: &Sidecar, repo: &std::path::Path, count: usize) -> Vec<serde_json::Value> {
    let mut runs = Vec::new();
    for i in 0..count {
        let ws = s
            .request(
                "grove/workspace/create",
                json!({"repoPath": repo, "name": format!("relay-{i}")}),
            )
            .await
            .unwrap();
        runs.push(
            s.request(
                "grove/agent/start",
                json!({"workspaceId": ws["id"], "prompt": "go"}),
            )
            .await
            .unwrap(),
        );
    }
    runs
}

async fn wait_ended(s: &Sidecar, runs: &[serde_json::Value]) {
    for run in runs {
        let done = s
            .wait_for(
                "grove/agent/stateChanged",
                0,
                Duration::from_secs(600),
                |r| {
                    r["runId"] == run["runId"]
                        && !matches!(r["state"].as_str(), Some("queued" | "running"))
                },
            )
            .await
            .expect("run ends");
        assert_eq!(done["state"], "succeeded", "{done}");
    }
}

/// One run relaying `text` (stream-json lines giving `events` events) to a streaming client,
/// against parsing the same lines in one process; `what` names it in the report.
async fn relay_once(v: &mut Verdicts, what: &str, text: &str, events: usize) {
    use grove_e2e::repo::demo_repo;
    let lines = text.lines().count();
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let file = home.path().join("stream.jsonl");
    std::fs::write(&file, text).unwrap();
    let (parse, count) = timed(|| {
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v.is_object())
            .count()
    });
    assert_eq!(count, lines);

    // A streaming client: it parses every event, checks its seq, counts it and lets it go.
    let s = grove_e2e::client::Launch::new(home.path())
        .stream("grove/agent/event")
        .spawn();
    s.initialize(json!({"claudePath": standin_agent(&home, &file), "maxParallelAgents": 10}))
        .await;
    let ws = s
        .request(
            "grove/workspace/create",
            json!({"repoPath": repo, "name": "relay"}),
        )
        .await
        .unwrap();
    let cpu_before = cpu_time(s.pid());
    let client_before = cpu_time(std::process::id());
    let t = Instant::now();
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "go"}),
        )
        .await
        .unwrap();
    wait_ended(&s, &[run]).await;
    let took = t.elapsed();
    let sidecar_cpu = cpu_time(s.pid()) - cpu_before;
    let client_cpu = cpu_time(std::process::id()) - client_before;
    let streamed = s.streamed();
    let (delivered, seqs_ok) = (streamed.count as usize, streamed.gapless);
    let per_s = lines as f64 / took.as_secs_f64();
    let ratio = took.as_secs_f64() / parse.as_secs_f64();
    v.report(
        delivered == events && seqs_ok && per_s >= 100_000.0 && ratio <= 3.0,
        format!(
            "relay ({what}): {lines} lines ({:.0} MB) in {:.2} s = {per_s:.0} lines/s, {delivered} of {events} events delivered (CPU: sidecar {:.2} s, client {:.2} s); serde_json parsing the lines in-process {:.2} s: ratio {ratio:.2}; gapless seq: {seqs_ok} (goals >= 100,000 lines/s, ratio <= 3, none lost)",
            text.len() as f64 / 1e6,
            took.as_secs_f64(),
            sidecar_cpu.as_secs_f64(),
            client_cpu.as_secs_f64(),
            parse.as_secs_f64()
        ),
    );
    s.shutdown().await;
}

/// 100,000 lines relayed as notifications, against parsing them in one process, without and with
/// partial messages; then ten agents streaming at once and the sidecar's memory meanwhile.
async fn relay(v: &mut Verdicts) {
    use grove_e2e::repo::demo_repo;
    let lines: usize = std::env::var("GROVE_BENCH_LINES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    relay_once(v, "whole messages", &stream_lines(lines), lines).await;
    let (partial, events) = stream_lines_partial(lines);
    relay_once(v, "partial messages", &partial, events).await;
    if std::env::var_os("GROVE_BENCH_RELAY_ONLY").is_some() {
        return;
    }

    // Ten at once, 20,000 lines each.
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let file = home.path().join("stream.jsonl");
    std::fs::write(&file, stream_lines(20_000)).unwrap();
    let s = Sidecar::start(home.path());
    s.initialize(json!({"claudePath": standin_agent(&home, &file), "maxParallelAgents": 10}))
        .await;
    let pid = s.pid();
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (go, top) = (sampling.clone(), peak.clone());
    let sampler = tokio::spawn(async move {
        while go.load(std::sync::atomic::Ordering::Relaxed) {
            top.fetch_max(rss_kib(pid), std::sync::atomic::Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    let runs = start_runs(&s, &repo, 10).await;
    wait_ended(&s, &runs).await;
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    sampler.await.unwrap();
    let events = s.notifications("grove/agent/event").len();
    let peak = peak.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1024.0;
    v.report(
        peak <= 50.0 && events == 200_000,
        format!("ten agents streaming 20,000 lines each at once: peak sidecar resident memory {peak:.1} MiB, {events} events delivered (goal <= 50 MiB)"),
    );
}
