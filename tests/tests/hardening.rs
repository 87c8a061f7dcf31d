//! A hostile worktree, hostile settings and hostile framing never hurt the sidecar: untracked
//! links to devices and FIFOs are listed and never read, worktrees never land inside the main
//! checkout, no secret reaches even a trace log, git and its hooks see no inherited token, stale
//! temporary credential copies are swept, frames and JSON-RPC edge cases get standard answers,
//! names cannot hide characters, and closing stdin ends the sidecar even during a setup script.

use std::path::Path;
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::repo::{commit_setup_script, demo_repo, git};
use grove_e2e::{Sidecar, TestHome, procs};
use serde_json::{Value, json};

async fn started(home: &TestHome, options: Value) -> Sidecar {
    let s = Sidecar::start(home.path());
    s.initialize(options).await;
    s
}

async fn create(s: &Sidecar, repo: &Path, name: &str) -> Result<Value, grove_e2e::RpcError> {
    s.request(
        "grove/workspace/create",
        json!({ "repoPath": repo, "name": name }),
    )
    .await
}

/// `VmRSS` and `VmHWM` (peak) of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn frame(body: &[u8], header: &str) -> Vec<u8> {
    let mut out = format!("{header}: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn untracked_links_fifos_and_huge_files_are_listed_never_read() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home, json!({})).await;
    let ws = create(&s, &repo, "hostile").await.expect("create");
    let wt = Path::new(ws["path"].as_str().unwrap());
    std::os::unix::fs::symlink("/dev/zero", wt.join("zero")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", wt.join("stdin")).unwrap();
    std::os::unix::fs::symlink("/proc/self/fd/0", wt.join("fd0")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(wt.join("fifo"))
        .status()
        .unwrap();
    assert!(made.success());
    let sparse = std::fs::File::create(wt.join("sparse.bin")).unwrap();
    sparse.set_len(200 * 1024 * 1024).unwrap();
    std::fs::write(wt.join("small.txt"), "one\ntwo\n").unwrap();

    let started_at = Instant::now();
    let changes = tokio::time::timeout(
        Duration::from_secs(10),
        s.request("grove/workspace/changes", json!({ "id": ws["id"] })),
    )
    .await
    .expect("changes answers within 10 s")
    .expect("changes");
    eprintln!("changes took {:?}", started_at.elapsed());
    let files = changes["files"].as_array().unwrap();
    let by_path = |p: &str| files.iter().find(|f| f["path"] == p).cloned();
    for listed in ["zero", "stdin", "fd0", "sparse.bin"] {
        let f = by_path(listed).unwrap_or_else(|| panic!("{listed} is listed: {changes}"));
        assert_eq!(f["status"], "untracked");
        assert!(f["additions"].is_null(), "{listed} was not read: {f}");
    }
    assert_eq!(by_path("small.txt").unwrap()["additions"], 2);
    let (rss, peak) = memory_kib(s.pid());
    assert!(
        peak < 100 * 1024,
        "the sidecar stays under 100 MB: rss {rss} KiB, peak {peak} KiB"
    );
    // Every later request is answered: nothing read the protocol channel.
    for _ in 0..3 {
        s.request("grove/workspace/list", json!({})).await.unwrap();
    }
    let base = s
        .request(
            "grove/workspace/fileAtBase",
            json!({ "id": ws["id"], "path": "zero" }),
        )
        .await
        .unwrap();
    assert!(base["content"].is_null());
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relative_or_home_worktree_root_never_lands_inside_the_checkout() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    // The sidecar runs in the main checkout, as an editor opened on it may start it.
    let s = Launch::new(home.path()).cwd(&repo).spawn();
    s.initialize(json!({ "worktreeRoot": "rel-root" })).await;
    let err = create(&s, &repo, "rel").await.unwrap_err();
    assert_eq!(err.code, -32602);
    assert!(
        err.message.contains("grove.worktreeRoot") && err.message.contains("absolute"),
        "{}",
        err.message
    );
    assert_eq!(err.data["setting"], "grove.worktreeRoot");
    assert!(!repo.join("rel-root").exists());
    assert!(
        git(&repo, &["worktree", "list", "--porcelain"])
            .matches("worktree ")
            .count()
            == 1
    );

    // Inside the checkout, even when absolute: refused too.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "grove": { "worktreeRoot": repo.join("wt") } } }),
    )
    .await;
    let err = create(&s, &repo, "inside").await.unwrap_err();
    assert_eq!(err.code, -32602);
    assert!(
        err.message.contains("inside the repository"),
        "{}",
        err.message
    );

    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "grove": { "worktreeRoot": "~/wt" } } }),
    )
    .await;
    let ws = create(&s, &repo, "tilde").await.expect("~/wt works");
    let path = ws["path"].as_str().unwrap();
    assert!(
        path.starts_with(&home.path().join("wt").display().to_string()),
        "{path}"
    );
    assert!(Path::new(path).join(".git").exists());
    assert_eq!(
        git(&repo, &["status", "--porcelain", "--ignored"]),
        "!! .env",
        "the main checkout shows nothing new"
    );
    assert!(!repo.join("~").exists() && !home.path().join("~").exists());
    assert!(s.shutdown().await.success());
}

/// A stand-in `claude auth login` that shows the prompt and repeats the pasted code in its error.
fn echoing_login_cli(home: &TestHome) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = home.path().join("bin/claude");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        "#!/bin/bash\nif [ \"$1 $2\" = \"auth login\" ]; then\n  printf 'Paste code here if prompted > '\n  \
         read -r code\n  echo \"OAuth error: the code $code is invalid\" >&2\n  exit 1\nfi\n\
         echo '{\"loggedIn\": false, \"authMethod\": \"none\", \"apiProvider\": \"firstParty\"}'\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_appears_even_in_a_trace_log() {
    let home = TestHome::empty();
    let cli = echoing_login_cli(&home);
    let token = "sk-ant-oat01-TRACEINHERITEDxyzxyzxyzxyz";
    let s = Launch::new(home.path())
        .env("GROVE_LOG", "trace")
        .env("CLAUDE_CODE_OAUTH_TOKEN", token)
        .spawn();
    s.initialize(json!({ "claudePath": cli })).await;
    let secret = "plugin-secret-VALUE-31337";
    s.request(
        "grove/secrets/set",
        json!({ "key": "my-plugin", "value": secret }),
    )
    .await
    .unwrap();
    let got = s
        .request("grove/secrets/get", json!({ "key": "my-plugin" }))
        .await
        .unwrap();
    assert_eq!(got["value"], secret, "the client itself gets the value");
    let login = s.request("grove/auth/login", json!({})).await.unwrap();
    let id = login["loginId"].clone();
    s.wait_for(
        "grove/auth/loginProgress",
        0,
        Duration::from_secs(20),
        |p| p["line"].as_str().is_some_and(|l| l.contains("Paste code")),
    )
    .await
    .expect("prompt");
    let code = "PASTED-code-4242#state-9999";
    s.request(
        "grove/auth/loginInput",
        json!({ "loginId": id, "code": code }),
    )
    .await
    .unwrap();
    let done = s
        .wait_for(
            "grove/auth/loginComplete",
            0,
            Duration::from_secs(20),
            |_| true,
        )
        .await
        .expect("login completes");
    assert_eq!(done["success"], false);
    let log = s.stderr();
    assert!(
        log.contains("TRACE") && log.contains("grove/secrets/set"),
        "frames are traced:\n{log}"
    );
    for value in [
        secret,
        "PASTED-code-4242",
        "state-9999",
        token,
        "TRACEINHERITED",
    ] {
        assert!(!log.contains(value), "{value} is in the trace log:\n{log}");
        let sent = serde_json::to_string(&s.received()).unwrap();
        assert!(!sent.contains(value), "{value} is in a notification");
    }
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn git_its_hooks_and_setup_scripts_see_no_inherited_token() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let setup_dump = home.path().join("setup-env");
    commit_setup_script(&repo, &format!("env >> '{}'\n", setup_dump.display()));
    let dump = home.path().join("hook-env");
    let hook = repo.join(".git/hooks/post-checkout");
    std::fs::write(&hook, format!("#!/bin/sh\nenv >> '{}'\n", dump.display())).unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let tokens: Vec<(&str, String)> = [
        "CLAUDE_CODE_OAUTH_TOKEN",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_SESSION_ACCESS_TOKEN",
        "ANTHROPIC_API_KEY",
        "AWS_BEARER_TOKEN_BEDROCK",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "GOOGLE_GENAI_API_KEY",
        "OPENAI_API_KEY",
        "CODEX_API_KEY",
    ]
    .iter()
    .enumerate()
    .map(|(i, k)| (*k, format!("sk-ant-oat01-HOOKSECRET{i}xyzxyzxyzxyz")))
    .collect();
    let mut launch = Launch::new(home.path());
    for (k, v) in &tokens {
        launch = launch.env(k, v);
    }
    let s = launch.spawn();
    s.initialize(json!({})).await;
    create(&s, &repo, "hooked").await.expect("create");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !setup_dump.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for file in [&dump, &setup_dump] {
        let env = std::fs::read_to_string(file).expect("the hook and the setup script ran");
        assert!(env.contains("PATH="), "{file:?} holds an environment");
        for (k, v) in &tokens {
            assert!(!env.contains(&format!("{k}=")), "{k} reached {file:?}");
            assert!(!env.contains(v.as_str()));
        }
    }
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_temporary_credential_copies_do_not_survive_a_start() {
    let home = TestHome::signed_in();
    let state = home.path().join(".grove-state");
    std::fs::create_dir_all(&state).unwrap();
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let stale = [
        home.claude_dir()
            .join(format!(".credentials.json.{dead}.12345.tmp")),
        state.join(format!(".workspaces.json.{dead}.777.tmp")),
    ];
    for p in &stale {
        std::fs::write(p, grove_e2e::env::MAX_CREDENTIALS).unwrap();
    }
    let s = started(&home, json!({})).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while stale.iter().any(|p| p.exists()) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for p in &stale {
        assert!(!p.exists(), "{} survived the start", p.display());
    }
    assert!(home.credentials().exists(), "the real file is kept");
    // The normal path leaves none behind: a secret written twice leaves only the store.
    for v in ["one-value", "two-value"] {
        s.request("grove/secrets/set", json!({ "key": "k", "value": v }))
            .await
            .unwrap();
    }
    let names: Vec<String> = std::fs::read_dir(home.claude_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [".credentials.json"]);
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn frames_are_bounded_and_headers_case_insensitive() {
    let home = TestHome::empty();
    let s = started(&home, json!({})).await;
    let status = br#"{"jsonrpc":"2.0","id":"lower","method":"grove/workspace/list","params":{}}"#;
    s.send_raw(&frame(status, "content-length")).await;
    let got = s.wait_unmatched(1, Duration::from_secs(10)).await;
    assert!(
        got[0].contains(r#""id":"lower""#) && got[0].contains("result"),
        "{got:?}"
    );

    // Over the limit: answered at once, before any of the body is sent.
    let len = 40 * 1024 * 1024;
    s.send_raw(format!("Content-Length: {len}\r\n\r\n").as_bytes())
        .await;
    let got = s.wait_unmatched(2, Duration::from_secs(2)).await;
    assert_eq!(got.len(), 2, "an oversized frame is answered at once");
    assert!(
        got[1].contains("-32600") && got[1].contains("over the limit"),
        "{}",
        got[1]
    );
    // Its body is skipped, not buffered; then business as usual.
    let before = memory_kib(s.pid()).1;
    s.send_raw(&vec![b' '; len]).await;
    s.request("grove/workspace/list", json!({})).await.unwrap();
    let after = memory_kib(s.pid()).1;
    assert!(
        after - before < 16 * 1024,
        "skipping 40 MB cost {} KiB",
        after - before
    );

    // A header line without end: answered, bounded, and the next frame is read.
    let mut long = vec![b'X'; 1024 * 1024];
    long.extend_from_slice(b"\r\n\r\n");
    s.send_raw(&long).await;
    s.request("grove/workspace/list", json!({})).await.unwrap();
    let got = s.wait_unmatched(3, Duration::from_secs(5)).await;
    assert!(
        got[2].contains("-32700") && got[2].contains("header line"),
        "{}",
        got[2]
    );

    // A large frame costs memory close to its size.
    let before = memory_kib(s.pid()).1;
    let big = "x".repeat(20 * 1024 * 1024);
    s.notify("grove/huge", json!({ "blob": big })).await;
    s.request("grove/workspace/list", json!({})).await.unwrap();
    let grew = memory_kib(s.pid()).1.saturating_sub(before);
    eprintln!("a 20 MiB frame raised the peak by {grew} KiB");
    assert!(
        grew < 5 * 20 * 1024,
        "a 20 MiB frame raised the peak by {grew} KiB"
    );
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn json_rpc_details_get_standard_answers() {
    let home = TestHome::empty();
    let s = Sidecar::start(home.path());
    let raw = |body: &str| frame(body.as_bytes(), "Content-Length");

    // Before initialize: an unknown method is still unknown; a known one is not yet served.
    s.send_raw(&raw(
        r#"{"jsonrpc":"2.0","id":"early","method":"grove/nothing"}"#,
    ))
    .await;
    s.send_raw(&raw(
        r#"{"jsonrpc":"2.0","id":"early2","method":"$/nothing"}"#,
    ))
    .await;
    let got = s.wait_unmatched(2, Duration::from_secs(10)).await;
    for id in ["early", "early2"] {
        assert!(
            got.iter()
                .any(|a| a.contains(&format!(r#""id":"{id}""#)) && a.contains("-32601")),
            "{id}: {got:?}"
        );
    }
    s.initialize(json!({})).await;

    // Params may be omitted where every field is optional (and may be null).
    s.send_raw(&raw(
        r#"{"jsonrpc":"2.0","id":"no-params","method":"grove/workspace/list"}"#,
    ))
    .await;
    s.send_raw(&raw(
        r#"{"jsonrpc":"2.0","id":"null-params","method":"grove/workspace/list","params":null}"#,
    ))
    .await;
    // By-position params are refused.
    s.send_raw(&raw(
        r#"{"jsonrpc":"2.0","id":"array","method":"grove/auth/status","params":[]}"#,
    ))
    .await;
    // A notification sent with an id: refused, and `exit` with an id does not stop the server.
    s.send_raw(&raw(
        r#"{"jsonrpc":"2.0","id":"note","method":"initialized","params":{}}"#,
    ))
    .await;
    s.send_raw(&raw(r#"{"jsonrpc":"2.0","id":"bye","method":"exit"}"#))
        .await;
    let got = s.wait_unmatched(7, Duration::from_secs(10)).await;
    let answer = |id: &str| {
        got.iter()
            .find(|a| a.contains(&format!(r#""id":"{id}""#)))
            .unwrap_or_else(|| panic!("no answer for {id}: {got:?}"))
            .clone()
    };
    assert!(
        answer("no-params").contains(r#""workspaces""#),
        "{}",
        answer("no-params")
    );
    assert!(
        answer("null-params").contains(r#""workspaces""#),
        "{}",
        answer("null-params")
    );
    assert!(answer("array").contains("-32602"), "{}", answer("array"));
    assert!(answer("note").contains("-32600"), "{}", answer("note"));
    assert!(answer("bye").contains("-32600"), "{}", answer("bye"));

    // Ids of any JSON number or string come back exactly as sent.
    let ids = [
        "1.5",
        "1e3",
        "-0",
        "18446744073709551616",
        "9007199254740993",
        "-12",
        r#""a\u0041""#,
        r#""grove-id:1""#,
        r#""""#,
    ];
    for id in ids {
        s.send_raw(&raw(&format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"grove/workspace/list","params":{{}}}}"#
        )))
        .await;
    }
    let got = s
        .wait_unmatched(7 + ids.len(), Duration::from_secs(10))
        .await;
    for id in ids {
        assert!(
            got[7..]
                .iter()
                .any(|a| a.contains(&format!(r#""id":{id}"#)) && a.contains("result")),
            "{id} did not come back as sent: {:?}",
            &got[7..]
        );
    }
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn names_with_hidden_characters_are_refused_and_length_counts_characters() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = started(&home, json!({})).await;
    for bad in [
        "evil\u{202E}txt.exe",
        "zero\u{200B}width",
        "iso\u{2066}late",
    ] {
        let err = create(&s, &repo, bad).await.unwrap_err();
        assert_eq!(err.code, -32022, "{bad:?}");
        assert!(err.message.contains("invisible"), "{}", err.message);
    }
    let err = create(&s, &repo, &"é".repeat(65)).await.unwrap_err();
    assert_eq!(err.code, -32022);
    let ws = create(&s, &repo, &"é".repeat(64))
        .await
        .expect("64 characters");
    assert_eq!(ws["branch"], format!("grove/{}", "é".repeat(64)));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "grove": { "branchPrefix": "me\u{202E}/" } } }),
    )
    .await;
    let err = create(&s, &repo, "plain").await.unwrap_err();
    assert_eq!(err.code, -32022, "{}", err.message);
    assert!(s.shutdown().await.success());
}

/// Commits a setup script that writes its pid to the returned file, prints `word` and sleeps.
fn slow_setup_script(home: &TestHome, repo: &Path, word: &str) -> std::path::PathBuf {
    let pidfile = home.path().join("setup.pid");
    commit_setup_script(
        repo,
        &format!(
            "echo $$ > '{}'\necho {word}\nsleep 300\n",
            pidfile.display()
        ),
    );
    pidfile
}

/// The pid the setup script of `slow_setup_script` wrote.
fn script_pid(pidfile: &Path) -> u32 {
    std::fs::read_to_string(pidfile)
        .expect("the setup script started")
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_stdin_ends_the_sidecar_during_a_setup_script() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let pidfile = slow_setup_script(&home, &repo, "waiting");
    let mut s = started(&home, json!({})).await;
    s.send_raw(&grove_e2e::client::frame(&json!({
        "jsonrpc": "2.0", "id": "create", "method": "grove/workspace/create",
        "params": { "repoPath": repo }
    })))
    .await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !pidfile.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let script = script_pid(&pidfile);
    let group = procs::pgid(script).unwrap();
    s.close_stdin();
    let status = s.wait_exit(Duration::from_secs(5)).await;
    assert!(status.is_some(), "still running 5 s after its stdin closed");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        procs::group_members(group).is_empty(),
        "the setup script was killed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_script_that_runs_over_its_time_is_stopped() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let pidfile = slow_setup_script(&home, &repo, "started");
    let s = started(&home, json!({ "setupTimeoutSeconds": 2 })).await;
    let started_at = Instant::now();
    let ws = create(&s, &repo, "slow").await.expect("create");
    assert!(started_at.elapsed() < Duration::from_secs(30));
    assert_eq!(ws["setup"]["success"], false);
    let message = ws["setup"]["message"].as_str().unwrap();
    assert!(message.contains("did not finish within 2 s"), "{message}");
    let out = s.notifications("grove/workspace/setupOutput");
    assert!(
        out.iter().any(|o| o["line"] == "started"),
        "output streamed: {out:?}"
    );
    let script = script_pid(&pidfile);
    assert!(!Path::new(&format!("/proc/{script}")).exists() || procs::children(script).is_empty());
    assert!(
        procs::group_members(script).is_empty(),
        "its process group is gone"
    );
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_script_that_is_a_link_out_of_the_worktree_does_not_run() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let outside = home.path().join("outside.sh");
    let ran = home.path().join("ran");
    std::fs::write(&outside, format!("touch '{}'\n", ran.display())).unwrap();
    std::fs::create_dir_all(repo.join(".grove")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.join(".grove/setup.sh")).unwrap();
    git(&repo, &["add", ".grove/setup.sh"]);
    git(&repo, &["commit", "-qm", "a link"]);
    let s = started(&home, json!({})).await;
    let ws = create(&s, &repo, "linked").await.expect("create");
    assert_eq!(ws["setup"]["success"], false);
    assert!(
        ws["setup"]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file")
    );
    assert!(!ran.exists());
    assert!(s.shutdown().await.success());
}
