//! Hostile input never gets through Grove's ChatGPT sign-in: a callback (error callbacks too)
//! without the sign-in's exact state is refused before any token request, a provider's error text
//! never reaches the editor or the browser page, idle or endless connections never block the
//! callback listener, and two profiles whose ids differ only in punctuation never share a
//! `CODEX_HOME` (an old folder is moved over only when it can belong to one profile alone).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::http_stub::{HttpResponse, HttpStub};
use grove_e2e::repo::demo_repo;
use grove_e2e::responses_api::fake_jwt;
use grove_e2e::runs::{ended, workspace};
use grove_e2e::{Sidecar, TestHome};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn now_s() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// OpenAI's token endpoint: every request counted; a code starting with `good` is exchanged.
struct TokenServer {
    stub: HttpStub,
}

impl TokenServer {
    async fn start() -> Self {
        let stub = HttpStub::start(move |req| {
            let body = String::from_utf8_lossy(&req.body).to_string();
            if req.path == "/oauth/token" && body.contains("code=good") {
                let access = fake_jwt(&json!({"exp": now_s() + 3600,
                    "https://api.openai.com/auth": {"chatgpt_account_id": "acct_test"}}));
                return HttpResponse::json(
                    200,
                    &json!({"access_token": access, "refresh_token": "rt_signed_in",
                        "expires_in": 3600}),
                );
            }
            HttpResponse::json(400, &json!({"error": "invalid_grant"}))
        })
        .await;
        Self { stub }
    }

    fn requests(&self) -> usize {
        self.stub.requests().len()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A sidecar whose sign-ins talk to `tokens` and listen on `port`.
async fn sign_in_sidecar(home: &TestHome, tokens: &TokenServer, port: u16) -> Sidecar {
    let s = Launch::new(home.path())
        .env("GROVE_OPENAI_AUTH_URL", tokens.stub.url.as_str())
        .env("GROVE_OPENAI_CALLBACK_PORT", port.to_string())
        .spawn();
    s.initialize(json!({})).await;
    s
}

/// A PKCE sign-in into `openai-codex:<profile>`: its login and its state.
async fn start_sign_in(s: &Sidecar, profile: &str) -> (Value, String) {
    let login = s
        .request(
            "grove/auth/login",
            json!({"provider": "openai-codex", "profile": profile}),
        )
        .await
        .unwrap();
    let p = s
        .wait_for(
            "grove/auth/loginProgress",
            0,
            Duration::from_secs(10),
            |p| p["loginId"] == login["loginId"] && p["url"].is_string(),
        )
        .await
        .expect("the sign-in address");
    let url = p["url"].as_str().unwrap();
    let state = url
        .split('?')
        .nth(1)
        .unwrap()
        .split('&')
        .find_map(|kv| kv.strip_prefix("state="))
        .unwrap()
        .to_string();
    (login, state)
}

fn completion(s: &Sidecar, login: &Value) -> Option<Value> {
    s.notifications("grove/auth/loginComplete")
        .into_iter()
        .find(|c| c["loginId"] == login["loginId"])
}

async fn completed(s: &Sidecar, login: &Value) -> Value {
    s.wait_for(
        "grove/auth/loginComplete",
        0,
        Duration::from_secs(20),
        |c| c["loginId"] == login["loginId"],
    )
    .await
    .unwrap_or_else(|| panic!("no completion; log:\n{}", s.stderr()))
}

/// A GET of the sidecar's callback listener: its status code and page (within 10 s).
async fn callback(port: u16, query: &str) -> (u16, String) {
    let exchange = async {
        let mut c = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let req = format!("GET /auth/callback?{query} HTTP/1.1\r\nhost: localhost\r\n\r\n");
        c.write_all(req.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        let _ = c.read_to_end(&mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    };
    let out = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("the callback listener answered within 10 s");
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let page = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, page.to_string())
}

/// Still waiting: no completion after a moment, and no token request so far.
async fn still_waiting(s: &Sidecar, login: &Value, tokens: &TokenServer, what: &str) {
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(tokens.requests(), 0, "{what}: no token request");
    assert!(
        completion(s, login).is_none(),
        "{what}: the sign-in goes on, yet it ended: {:#}",
        completion(s, login).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callback_without_the_exact_state_is_refused_and_never_exchanged() {
    let tokens = TokenServer::start().await;
    let home = TestHome::empty();
    let port = free_port();
    let s = sign_in_sidecar(&home, &tokens, port).await;
    let (login, state) = start_sign_in(&s, "work").await;

    for query in [
        "code=good-1".to_string(),
        "code=good-1&state=".to_string(),
        "code=good-1&state=WRONG".to_string(),
        format!("code=good-1&state={state}x"),
        format!("code=good-1&state={state}&state=WRONG"),
    ] {
        let (status, page) = callback(port, &query).await;
        assert_eq!(status, 400, "{query}: refused");
        assert!(!page.contains("Signed in"), "{query}: {page}");
        still_waiting(&s, &login, &tokens, &query).await;
    }
    // A pasted address must carry the state too; a bare code typed into this sign-in's box is
    // this sign-in's (and useless to anyone without its PKCE verifier).
    for pasted in [
        format!("http://localhost:{port}/auth/callback?code=good-2"),
        format!("http://localhost:{port}/auth/callback?code=good-2&state=WRONG"),
        "good-2#WRONG".to_string(),
    ] {
        s.request(
            "grove/auth/loginInput",
            json!({"loginId": login["loginId"], "code": pasted}),
        )
        .await
        .unwrap();
        still_waiting(&s, &login, &tokens, &pasted).await;
    }

    let (status, page) = callback(port, &format!("code=good-3&scope=x&state={state}")).await;
    assert_eq!((status, page.contains("Signed in")), (200, true), "{page}");
    let done = completed(&s, &login).await;
    assert_eq!(done["success"], true, "{done:#}");
    assert_eq!(tokens.requests(), 1, "one exchange, of the right callback");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_callback_needs_the_state_and_ends_with_a_fixed_sentence() {
    let tokens = TokenServer::start().await;
    let home = TestHome::empty();
    let port = free_port();
    let s = sign_in_sidecar(&home, &tokens, port).await;
    let (login, state) = start_sign_in(&s, "work").await;
    let markup = "error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E";

    let (status, page) = callback(port, &format!("error=access_denied&{markup}")).await;
    assert_eq!(status, 400, "{page}");
    assert!(!page.contains("Signed in") && !page.contains("<script"));
    still_waiting(&s, &login, &tokens, "an error without state").await;
    let (status, _) = callback(port, &format!("error=access_denied&{markup}&state=WRONG")).await;
    assert_eq!(status, 400);
    still_waiting(&s, &login, &tokens, "an error with a wrong state").await;

    let (status, page) =
        callback(port, &format!("error=access_denied&{markup}&state={state}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("failed") && page.contains("access_denied"),
        "{page}"
    );
    assert!(!page.contains("Signed in") && !page.contains("<script") && !page.contains("alert"));
    let done = completed(&s, &login).await;
    assert_eq!(done["success"], false);
    let error = done["error"].as_str().unwrap();
    assert_eq!(
        error,
        "ChatGPT did not complete the sign-in (error code access_denied). Start the sign-in again.",
    );

    // An error code that is not a short token is left out, of the editor and of the page.
    let (login, state) = start_sign_in(&s, "work").await;
    let (status, page) = callback(
        port,
        &format!("error=%3Cb%3Edenied%3C%2Fb%3E+please&{markup}&state={state}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("failed") && !page.contains("denied") && !page.contains("<b"));
    let done = completed(&s, &login).await;
    assert_eq!(
        done["error"],
        "ChatGPT did not complete the sign-in. Start the sign-in again."
    );
    assert_eq!(tokens.requests(), 0, "an error is never exchanged");
}

/// `VmHWM` (peak resident memory) of a process, in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_and_endless_connections_never_block_the_callback() {
    let tokens = TokenServer::start().await;
    let home = TestHome::empty();
    let port = free_port();
    let s = sign_in_sidecar(&home, &tokens, port).await;
    let (login, state) = start_sign_in(&s, "work").await;
    let peak_before = peak_kib(s.pid());

    // 30 MB of request line without a newline, first in the queue; then 20 idle connections.
    let mut endless = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let flood = tokio::spawn(async move {
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0usize;
        let mut first = b"GET /auth/callback?code=".to_vec();
        first.extend_from_slice(&chunk);
        if endless.write_all(&first).await.is_err() {
            return (sent, endless);
        }
        while sent < 30 * 1024 * 1024 {
            if endless.write_all(&chunk).await.is_err() {
                break;
            }
            sent += chunk.len();
        }
        (sent, endless)
    });
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .unwrap(),
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let began = Instant::now();
    let (status, page) = callback(port, &format!("code=good-1&state={state}")).await;
    assert_eq!(status, 200, "{page}");
    let done = completed(&s, &login).await;
    assert!(
        began.elapsed() < Duration::from_secs(3),
        "took {:?}",
        began.elapsed()
    );
    assert_eq!(done["success"], true, "{done:#}");
    let (_sent, _endless) = tokio::time::timeout(Duration::from_secs(20), flood)
        .await
        .expect("the flood ended")
        .unwrap();
    let extra = peak_kib(s.pid()).saturating_sub(peak_before);
    assert!(
        extra < 16 * 1024,
        "the sidecar's peak memory grew by {extra} KiB"
    );
    drop(idle);
}

/// A stand-in `codex` whose `exec` records `CODEX_HOME`, the refresh token of its `auth.json` and
/// whether `sessions/kept` is there into `<home>/seen`, waits `pause` seconds, renews the refresh
/// token in `auth.json` as the real CLI may (`rt_x` becomes `rt_x_renewed`) and ends a turn.
fn recording_codex(home: &Path, pause: f32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("codex");
    let seen = home.join("seen");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             case \"$1\" in\n\
               exec) ;;\n\
               --version) echo 'codex-cli 0.169.0'; exit 0 ;;\n\
               *) echo 'Not logged in' >&2; exit 1 ;;\n\
             esac\n\
             rt=$(grep -o 'rt_[a-z_]*' \"$CODEX_HOME/auth.json\" | head -n 1)\n\
             kept=no; [ -f \"$CODEX_HOME/sessions/kept\" ] && kept=yes\n\
             echo \"$CODEX_HOME $rt $kept\" >> '{seen}'\n\
             sleep {pause}\n\
             sed -i \"s/\\\"$rt\\\"/\\\"${{rt}}_renewed\\\"/\" \"$CODEX_HOME/auth.json\"\n\
             echo '{{\"type\":\"thread.started\",\"thread_id\":\"t-1\"}}'\n\
             echo '{{\"type\":\"turn.started\"}}'\n\
             echo '{{\"type\":\"item.completed\",\"item\":{{\"id\":\"i1\",\"type\":\"agent_message\",\"text\":\"ok\"}}}}'\n\
             echo '{{\"type\":\"turn.completed\",\"usage\":{{\"input_tokens\":1,\"cached_input_tokens\":0,\"output_tokens\":1}}}}'\n",
            seen = seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// What the stand-in saw, per run: (CODEX_HOME, refresh token, `sessions/kept` there).
fn seen(home: &Path) -> Vec<(String, String, bool)> {
    std::fs::read_to_string(home.join("seen"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split(' ').collect();
            (
                parts[0].to_string(),
                parts[1].to_string(),
                parts[2] == "yes",
            )
        })
        .collect()
}

/// The profile store with one valid ChatGPT sign-in per `(id, refresh token)`.
fn seed_chatgpt_profiles(home: &TestHome, profiles: &[(&str, &str)]) {
    let state = home.path().join(".grove-state");
    std::fs::create_dir_all(&state).unwrap();
    let exp = now_s() + 3600;
    let mut all = serde_json::Map::new();
    for (id, refresh) in profiles {
        let access = fake_jwt(&json!({"exp": exp, "tag": id,
            "https://api.openai.com/auth": {"chatgpt_account_id": "acct_test"}}));
        all.insert(
            id.to_string(),
            json!({"type": "oauth", "provider": "openai-codex", "access": access,
                "refresh": refresh, "expires": exp * 1000, "accountId": "acct_test"}),
        );
    }
    let doc = json!({"version": 1, "profiles": all});
    std::fs::write(state.join("auth-profiles.json"), doc.to_string()).unwrap();
}

fn stored_refresh(home: &TestHome, id: &str) -> Value {
    let store: Value = serde_json::from_slice(
        &std::fs::read(home.path().join(".grove-state/auth-profiles.json")).unwrap(),
    )
    .unwrap();
    store["profiles"][id]["refresh"].clone()
}

async fn codex_sidecar(home: &TestHome, pause: f32) -> Sidecar {
    let codex = recording_codex(home.path(), pause);
    let s = Launch::new(home.path()).spawn();
    s.initialize(json!({"codexPath": codex})).await;
    s
}

async fn start_run(s: &Sidecar, ws: &Value, profile: &str) -> Value {
    s.request(
        "grove/agent/start",
        json!({"workspaceId": ws["id"], "prompt": "Hello.", "profile": profile}),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_whose_ids_differ_in_punctuation_keep_their_own_codex_home_and_tokens() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    seed_chatgpt_profiles(
        &home,
        &[
            ("openai-codex:a.b", "rt_dot"),
            ("openai-codex:a_b", "rt_under"),
        ],
    );
    let s = codex_sidecar(&home, 2.0).await;
    let (ws1, ws2) = (
        workspace(&s, &repo, "dot").await,
        workspace(&s, &repo, "under").await,
    );
    // Overlapping runs: the second starts while the first's CLI is still running.
    let first = start_run(&s, &ws1, "openai-codex:a.b").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let second = start_run(&s, &ws2, "openai-codex:a_b").await;
    for run in [&first, &second] {
        let end = ended(&s, run, Duration::from_secs(30)).await;
        assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    }
    // Each profile took back what its own run renewed, and nothing else.
    assert_eq!(stored_refresh(&home, "openai-codex:a.b"), "rt_dot_renewed");
    assert_eq!(
        stored_refresh(&home, "openai-codex:a_b"),
        "rt_under_renewed"
    );
    let mut runs = seen(home.path());
    runs.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(
        (runs[0].1.as_str(), runs[1].1.as_str()),
        ("rt_dot", "rt_under"),
        "each run read its own profile's sign-in: {runs:?}"
    );
    assert_ne!(runs[0].0, runs[1].0, "one CODEX_HOME per profile");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_codex_home_is_moved_over_unless_two_profiles_could_own_it() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    seed_chatgpt_profiles(
        &home,
        &[
            ("openai-codex:team", "rt_team"),
            ("openai-codex:x.y", "rt_x_dot"),
            ("openai-codex:x_y", "rt_x_under"),
        ],
    );
    // Folders as the earlier naming left them (`:` and `.` became `_`), with a session each and
    // the sign-in they were made for.
    let homes = home.path().join(".grove-state/codex-homes");
    legacy_home(&homes, "openai-codex_team", "rt_team", "acct_test");
    legacy_home(&homes, "openai-codex_x_y", "rt_x_under", "acct_test");
    let s = codex_sidecar(&home, 0.0).await;
    let ws = workspace(&s, &repo, "team").await;
    let run = start_run(&s, &ws, "openai-codex:team").await;
    let end = ended(&s, &run, Duration::from_secs(30)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    let run = start_run(&s, &ws, "openai-codex:x.y").await;
    let end = ended(&s, &run, Duration::from_secs(30)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());

    let runs = seen(home.path());
    let (team_home, team_refresh, kept) = &runs[0];
    assert_ne!(
        Path::new(team_home),
        homes.join("openai-codex_team"),
        "a new name"
    );
    assert!(Path::new(team_home).starts_with(&homes), "{team_home}");
    assert_eq!(
        (team_refresh.as_str(), *kept),
        ("rt_team", true),
        "moved over, session and all"
    );
    assert!(
        !homes.join("openai-codex_team").exists(),
        "moved, not copied"
    );
    assert_eq!(
        stored_refresh(&home, "openai-codex:team"),
        "rt_team_renewed"
    );

    // Two profiles could own `openai-codex_x_y`: it stays where it is, and x.y starts afresh
    // from its own sign-in in the store.
    let (xy_home, xy_refresh, kept) = &runs[1];
    assert_eq!(
        (xy_refresh.as_str(), *kept),
        ("rt_x_dot", false),
        "{xy_home}"
    );
    assert!(homes.join("openai-codex_x_y/sessions/kept").exists());
}

/// A folder as the earlier naming left it: a session, and an `auth.json` of this sign-in.
fn legacy_home(homes: &Path, name: &str, refresh: &str, account: &str) -> PathBuf {
    let old = homes.join(name);
    std::fs::create_dir_all(old.join("sessions")).unwrap();
    std::fs::write(old.join("sessions/kept"), "a session").unwrap();
    let auth = json!({"auth_mode": "chatgpt", "tokens": {"id_token": null,
        "access_token": fake_jwt(&json!({"exp": now_s() + 3600})),
        "refresh_token": refresh, "account_id": account}});
    std::fs::write(old.join("auth.json"), auth.to_string()).unwrap();
    old
}

/// Adds (or replaces) a valid ChatGPT sign-in of `account` in the store, as another window's
/// sign-in would.
fn store_chatgpt_profile(home: &TestHome, id: &str, refresh: &str, account: &str) {
    let path = home.path().join(".grove-state/auth-profiles.json");
    let mut doc: Value = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| json!({"version": 1, "profiles": {}}));
    let exp = now_s() + 3600;
    let access = fake_jwt(&json!({"exp": exp,
        "https://api.openai.com/auth": {"chatgpt_account_id": account}}));
    doc["profiles"][id] = json!({"type": "oauth", "provider": "openai-codex", "access": access,
        "refresh": refresh, "expires": exp * 1000, "accountId": account});
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, doc.to_string()).unwrap();
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_holding(&path, needle));
        } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains(needle)) {
            found.push(path);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_profile_leaves_no_codex_home_and_no_folder_goes_to_another_account() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let homes = home.path().join(".grove-state/codex-homes");
    store_chatgpt_profile(&home, "openai-codex:a_b", "rt_under", "acct_under");
    store_chatgpt_profile(&home, "openai-codex:x_y", "rt_xy", "acct_xy");
    store_chatgpt_profile(&home, "openai-codex:m.n", "rt_mn", "acct_mn");
    // x_y's folder of the earlier naming, never used since; and one of another sign-in that m.n
    // alone could be named for.
    let xy_old = legacy_home(&homes, "openai-codex_x_y", "rt_xy", "acct_xy");
    let other = legacy_home(&homes, "openai-codex_m_n", "rt_other", "acct_other");
    let s = codex_sidecar(&home, 0.0).await;
    let ws = workspace(&s, &repo, "removed").await;
    let run = start_run(&s, &ws, "openai-codex:a_b").await;
    let end = ended(&s, &run, Duration::from_secs(30)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    assert_eq!(files_holding(&homes, "rt_under_renewed").len(), 1);

    for id in ["openai-codex:a_b", "openai-codex:x_y"] {
        s.request("grove/profiles/remove", json!({ "id": id }))
            .await
            .unwrap();
    }
    assert_eq!(
        files_holding(&homes, "rt_under"),
        Vec::<PathBuf>::new(),
        "a_b's CODEX_HOME is gone with it"
    );
    assert!(!xy_old.exists(), "x_y's earlier folder is gone with it");

    // Another account signs in as a.b (and x.y): none of the removed profiles' tokens or
    // sessions reach it.
    store_chatgpt_profile(&home, "openai-codex:a.b", "rt_dot", "acct_dot");
    store_chatgpt_profile(&home, "openai-codex:x.y", "rt_xdot", "acct_xdot");
    for id in ["openai-codex:a.b", "openai-codex:x.y", "openai-codex:m.n"] {
        let run = start_run(&s, &ws, id).await;
        let end = ended(&s, &run, Duration::from_secs(30)).await;
        assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    }
    let runs = seen(home.path());
    assert_eq!(runs.len(), 4, "{runs:?}");
    for (run, refresh) in runs[1..].iter().zip(["rt_dot", "rt_xdot", "rt_mn"]) {
        assert_eq!((run.1.as_str(), run.2), (refresh, false), "{runs:?}");
    }
    // A folder of the earlier naming with another sign-in in it is never taken over.
    assert!(other.join("sessions/kept").exists() && other.join("auth.json").exists());
    assert_eq!(files_holding(&homes, "rt_other"), [other.join("auth.json")]);
}
