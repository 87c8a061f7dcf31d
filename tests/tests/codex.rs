//! Acceptance for Codex: the real codex CLI run by the sidecar against loopback stand-ins of the
//! Responses API and OpenAI's OAuth server — a command and a file change as tool events, resume,
//! cancel, Grove's PKCE sign-in (callback, wrong state, pasted address), token refresh shared by
//! two sidecars, a refused refresh, and no token anywhere it should not be.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::http_stub::{HttpResponse, HttpStub};
use grove_e2e::repo::demo_repo;
use grove_e2e::responses_api::{Reply, ResponsesApi, after_tool_output, fake_jwt, user_texts};
use grove_e2e::runs::{cancel_within_5s, ended, events_of, profile_in, workspace};
use grove_e2e::{Sidecar, TestHome, claude_cli, codex_cli, procs};
use serde_json::{Value, json};

const STATE: &str = "grove/agent/stateChanged";
const API_KEY: &str = "sk-proj-CODEXPROFILEKEY0123456789abcdef";

fn now_s() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An access token (a fake JWT) expiring at `exp` (Unix seconds).
fn access_token(exp: u64, tag: &str) -> String {
    fake_jwt(&json!({"exp": exp, "tag": tag,
        "https://api.openai.com/auth": {"chatgpt_account_id": "acct_test"}}))
}

/// A model that runs a command, then adds a file, then answers; a prompt with ZZSLOW waits.
fn codex_model(body: &Value) -> Reply {
    let texts = user_texts(body).join("\n");
    let outputs = body["input"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["type"] == "function_call_output")
        .count();
    if texts.contains("ZZSLOW") && !after_tool_output(body) {
        return Reply::after(Duration::from_secs(60), Reply::text("Too late."));
    }
    if !texts.contains("ZZWORK") {
        return Reply::text("Just an answer.");
    }
    match outputs {
        0 => Reply::exec("echo hi > from-codex.txt && cat from-codex.txt"),
        1 => Reply::add_file("codex-notes.txt", "written by codex\n"),
        _ => Reply::text("All done."),
    }
}

async fn sidecar(home: &TestHome, envs: &[(&str, &str)]) -> Sidecar {
    let mut launch = Launch::new(home.path())
        .env("GROVE_OLLAMA_URL", "http://127.0.0.1:9")
        .env("GROVE_LMSTUDIO_URL", "http://127.0.0.1:9");
    for (k, v) in envs {
        launch = launch.env(k, v);
    }
    let s = launch.spawn();
    s.initialize(json!({"claudePath": claude_cli(), "codexPath": codex_cli()}))
        .await;
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn a_codex_run_streams_tools_in_its_worktree_resumes_and_cancels() {
    let api = ResponsesApi::start(codex_model).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = sidecar(
        &home,
        &[("GROVE_OPENAI_API_URL", api.url()), ("GROVE_LOG", "trace")],
    )
    .await;
    let added = s
        .request(
            "grove/profiles/add",
            json!({"provider": "openai", "name": "key", "type": "api_key", "secret": API_KEY}),
        )
        .await
        .unwrap();
    assert_eq!(added["status"], "static");
    let checked = s
        .request("grove/profiles/check", json!({"id": "openai:key"}))
        .await
        .unwrap();
    assert_eq!(checked["ok"], true, "{checked:#}");
    let ws = workspace(&s, &repo, "codex").await;
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Please ZZWORK.", "profile": "openai:key", "model": "stub-model"}),
        )
        .await
        .unwrap();
    assert_eq!(
        (&run["provider"], &run["profile"], &run["model"]),
        (&json!("openai"), &json!("openai:key"), &json!("stub-model"))
    );
    let pid = s.pid();
    let mut cmdlines = Vec::new();
    let end = loop {
        cmdlines.extend(procs::cmdlines_under(pid));
        if let Some(end) = s
            .wait_for(STATE, 0, Duration::from_millis(100), |r| {
                r["runId"] == run["runId"]
                    && !matches!(r["state"].as_str(), Some("queued" | "running"))
            })
            .await
        {
            break end;
        }
    };
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    assert!(
        cmdlines.iter().any(|c| c.contains("exec --json")),
        "{cmdlines:?}"
    );
    let events = events_of(&s, &run);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"init"), "{kinds:?}");
    assert!(events.iter().any(|e| {
        e["kind"] == "toolUse"
            && e["name"] == "Bash"
            && e["input"]["command"]
                .as_str()
                .unwrap()
                .contains("from-codex.txt")
    }));
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "toolResult" && e["content"] == "hi\n")
    );
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "toolUse" && e["name"] == "Patch")
    );
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "text" && e["text"] == "All done.")
    );
    let result = events.iter().rev().find(|e| e["kind"] == "result").unwrap();
    assert_eq!(result["isError"], false);
    assert!(
        result["usage"]["inputTokens"].as_u64().unwrap() > 0,
        "{result:#}"
    );
    let wt = Path::new(ws["path"].as_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(wt.join("from-codex.txt")).unwrap(),
        "hi\n"
    );
    assert_eq!(
        std::fs::read_to_string(wt.join("codex-notes.txt")).unwrap(),
        "written by codex\n"
    );
    assert!(!repo.join("from-codex.txt").exists() && !repo.join("codex-notes.txt").exists());
    for r in api.response_requests() {
        assert_eq!(
            r.header("authorization").map(str::to_owned),
            Some(format!("Bearer {API_KEY}"))
        );
    }
    assert!(!home.path().join(".codex").exists(), "~/.codex untouched");

    // A follow-up continues the thread.
    let thread = end["sessionId"].as_str().unwrap().to_string();
    let next = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "And now a plain question.", "profile": "openai:key"}),
        )
        .await
        .unwrap();
    let end = ended(&s, &next, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    assert_eq!(end["sessionId"], thread.as_str(), "the same thread");
    let last = api.requests().last().cloned().unwrap();
    let texts = user_texts(&last).join("\n");
    assert!(
        texts.contains("ZZWORK") && texts.contains("plain question"),
        "{texts}"
    );

    // Cancel ends it within 5 s with nothing left.
    let slow = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Think ZZSLOW.", "profile": "openai:key", "newSession": true}),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cancel_within_5s(&s, &slow).await;

    // No key in a log line, a notification, a transcript or a command line.
    let transcript = s
        .request("grove/agent/transcript", json!({"runId": run["runId"]}))
        .await
        .unwrap();
    let seen = format!(
        "{}{}{transcript}{}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap(),
        cmdlines.join("\n")
    );
    assert!(!seen.contains(API_KEY), "the key leaked");
}

/// OpenAI's token endpoint: the authorization-code exchange and refreshes, counted.
struct TokenServer {
    stub: HttpStub,
    refreshes: Arc<Mutex<usize>>,
}

impl TokenServer {
    async fn start(refuse_refresh: bool) -> Self {
        let refreshes = Arc::new(Mutex::new(0));
        let count = refreshes.clone();
        let stub = HttpStub::start(move |req| {
            if req.path != "/oauth/token" {
                return HttpResponse::json(404, &json!({"error": "not_found"}));
            }
            let body = String::from_utf8_lossy(&req.body).to_string();
            let form: std::collections::HashMap<String, String> = body
                .split('&')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_string(), v.replace("%2F", "/").replace("%3A", ":")))
                .collect();
            let grant = form.get("grant_type").cloned().or_else(|| {
                serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| v["grant_type"].as_str().map(str::to_owned))
            });
            match grant.as_deref() {
                Some("refresh_token") => {
                    *count.lock().unwrap() += 1;
                    if refuse_refresh {
                        return HttpResponse::json(400, &json!({"error": "invalid_grant"}));
                    }
                    HttpResponse::json(
                        200,
                        &json!({"access_token": access_token(now_s() + 3600, "rotated"),
                            "refresh_token": "rt_rotated", "id_token": fake_jwt(&json!({"sub": "u"})),
                            "expires_in": 3600}),
                    )
                }
                Some("authorization_code") if form.get("code").is_some_and(|c| c.starts_with("good")) => {
                    HttpResponse::json(
                        200,
                        &json!({"access_token": access_token(now_s() + 3600, "signed-in"),
                            "refresh_token": "rt_signed_in", "id_token": fake_jwt(&json!({"sub": "u"})),
                            "expires_in": 3600}),
                    )
                }
                _ => HttpResponse::json(400, &json!({"error": "invalid_grant"})),
            }
        })
        .await;
        Self { stub, refreshes }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn progress_url(s: &Sidecar, login: &Value) -> String {
    let p = s
        .wait_for(
            "grove/auth/loginProgress",
            0,
            Duration::from_secs(10),
            |p| p["loginId"] == login["loginId"] && p["url"].is_string(),
        )
        .await
        .expect("the sign-in address");
    p["url"].as_str().unwrap().to_string()
}

fn query_param(url: &str, key: &str) -> Option<String> {
    url.split('?')
        .nth(1)?
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")).map(str::to_owned))
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

/// A GET of the sidecar's callback listener: its status code.
async fn callback(port: u16, query: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut c = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let req = format!("GET /auth/callback?{query} HTTP/1.1\r\nhost: localhost\r\n\r\n");
    c.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    let _ = c.read_to_string(&mut out).await;
    out.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn pkce_sign_in_by_callback_refuses_a_wrong_state_and_takes_a_pasted_address() {
    let tokens = TokenServer::start(false).await;
    let home = TestHome::empty();
    let port = free_port();
    let port_text = port.to_string();
    let s = sidecar(
        &home,
        &[
            ("GROVE_OPENAI_AUTH_URL", tokens.stub.url.as_str()),
            ("GROVE_OPENAI_CALLBACK_PORT", port_text.as_str()),
        ],
    )
    .await;
    let login = s
        .request(
            "grove/auth/login",
            json!({"provider": "openai-codex", "profile": "work"}),
        )
        .await
        .unwrap();
    let url = progress_url(&s, &login).await;
    assert!(
        url.starts_with(&format!("{}/oauth/authorize?", tokens.stub.url)),
        "{url}"
    );
    assert_eq!(
        query_param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(query_param(&url, "response_type").as_deref(), Some("code"));
    let state = query_param(&url, "state").unwrap();
    let challenge = query_param(&url, "code_challenge").unwrap();
    assert!(state.len() >= 20 && challenge.len() == 43);

    assert_eq!(
        callback(port, "code=good-1&state=WRONG").await,
        400,
        "a wrong state is refused"
    );
    assert_eq!(
        callback(port, &format!("code=good-1&state={state}")).await,
        200
    );
    let done = completed(&s, &login).await;
    assert_eq!(done["success"], true, "{done:#}");
    // The exchange proved the verifier.
    let exchange = tokens
        .stub
        .requests()
        .into_iter()
        .find(|r| String::from_utf8_lossy(&r.body).contains("authorization_code"))
        .unwrap();
    let form = String::from_utf8_lossy(&exchange.body).to_string();
    let verifier = form
        .split('&')
        .find_map(|kv| kv.strip_prefix("code_verifier="))
        .unwrap()
        .to_string();
    assert_eq!(s256(&verifier), challenge);
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    let work = profile_in(&list, "openai-codex:work").expect("the profile");
    assert_eq!(
        (work["type"].as_str(), work["status"].as_str()),
        (Some("oauth"), Some("ok"))
    );
    assert!(!list.to_string().contains("rt_signed_in"));

    // With the port taken, the pasted address completes it.
    let _taken = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let login = s
        .request(
            "grove/auth/login",
            json!({"provider": "openai-codex", "profile": "remote"}),
        )
        .await
        .unwrap();
    let url = progress_url(&s, &login).await;
    let state = query_param(&url, "state").unwrap();
    let said = s
        .wait_for(
            "grove/auth/loginProgress",
            0,
            Duration::from_secs(10),
            |p| {
                p["loginId"] == login["loginId"]
                    && p["line"].as_str().unwrap_or("").contains("in use")
            },
        )
        .await;
    assert!(said.is_some(), "the user is told to paste");
    s.request(
        "grove/auth/loginInput",
        json!({"loginId": login["loginId"], "code": format!("http://localhost:{port}/auth/callback?code=good-2&scope=x&state={state}")}),
    )
    .await
    .unwrap();
    let done = completed(&s, &login).await;
    assert_eq!(done["success"], true, "{done:#}");
    let seen = format!(
        "{}{}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap()
    );
    assert!(
        !seen.contains("rt_signed_in") && !seen.contains("good-2"),
        "a token or code leaked"
    );
}

fn s256(verifier: &str) -> String {
    let script = "import base64,hashlib,os;print(base64.urlsafe_b64encode(hashlib.sha256(os.environ['V'].encode()).digest()).decode().rstrip('='),end='')";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .env("V", verifier)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The profile store with one ChatGPT sign-in whose access token expires at `exp`.
fn seed_chatgpt_profile(home: &TestHome, exp: u64) -> String {
    let state = home.path().join(".grove-state");
    std::fs::create_dir_all(&state).unwrap();
    let doc = json!({"version": 1, "profiles": {"openai-codex:team": {
        "type": "oauth", "provider": "openai-codex",
        "access": access_token(exp, "old"), "refresh": "rt_old", "expires": exp * 1000,
        "accountId": "acct_test", "idToken": fake_jwt(&json!({"sub": "u"}))}}});
    std::fs::write(state.join("auth-profiles.json"), doc.to_string()).unwrap();
    access_token(exp, "old")
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sidecars_renew_a_shared_sign_in_once_for_six_runs() {
    let api = ResponsesApi::start(|_| Reply::text("Fine.")).await;
    let tokens = TokenServer::start(false).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let old = seed_chatgpt_profile(&home, now_s() + 60);
    let envs = [
        ("GROVE_OPENAI_API_URL", api.url()),
        ("GROVE_OPENAI_AUTH_URL", tokens.stub.url.as_str()),
    ];
    let (a, b) = tokio::join!(sidecar(&home, &envs), sidecar(&home, &envs));
    let mut runs = Vec::new();
    for (s, who) in [(&a, "a"), (&b, "b")] {
        for i in 0..3 {
            let ws = workspace(s, &repo, &format!("team-{who}{i}")).await;
            let run = s
                .request(
                    "grove/agent/start",
                    json!({"workspaceId": ws["id"], "prompt": "Hello.", "profile": "openai-codex:team"}),
                )
                .await
                .unwrap();
            runs.push((s, run));
        }
    }
    for (s, run) in &runs {
        let end = ended(s, run, Duration::from_secs(120)).await;
        assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    }
    assert_eq!(*tokens.refreshes.lock().unwrap(), 1, "exactly one refresh");
    let store: Value = serde_json::from_slice(
        &std::fs::read(home.path().join(".grove-state/auth-profiles.json")).unwrap(),
    )
    .unwrap();
    let team = &store["profiles"]["openai-codex:team"];
    assert_eq!(team["refresh"], "rt_rotated", "the rotated pair is stored");
    assert!(team["expires"].as_u64().unwrap() > (now_s() + 1800) * 1000);
    for r in api.response_requests() {
        let bearer = r.header("authorization").unwrap_or_default();
        assert!(bearer.starts_with("Bearer ") && bearer != format!("Bearer {old}"));
        assert_eq!(r.header("chatgpt-account-id"), Some("acct_test"));
    }
    assert!(!home.path().join(".codex").exists(), "~/.codex untouched");
    for s in [&a, &b] {
        let seen = format!(
            "{}{}",
            s.stderr(),
            serde_json::to_string(&s.received()).unwrap()
        );
        assert!(
            !seen.contains("rt_rotated") && !seen.contains("rt_old"),
            "a token leaked"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_refresh_ends_the_run_auth_required_and_the_profile_reads_expired() {
    let api = ResponsesApi::start(|_| Reply::text("unreachable")).await;
    let tokens = TokenServer::start(true).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    seed_chatgpt_profile(&home, now_s() + 30);
    let s = sidecar(
        &home,
        &[
            ("GROVE_OPENAI_API_URL", api.url()),
            ("GROVE_OPENAI_AUTH_URL", tokens.stub.url.as_str()),
        ],
    )
    .await;
    let ws = workspace(&s, &repo, "expired").await;
    let began = Instant::now();
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Hello.", "profile": "openai-codex:team"}),
        )
        .await
        .unwrap();
    let end = ended(&s, &run, Duration::from_secs(30)).await;
    assert!(began.elapsed() < Duration::from_secs(15));
    assert_eq!(end["state"], "authRequired", "{end:#}");
    assert!(
        end["error"].as_str().unwrap().contains("Sign in again"),
        "{end:#}"
    );
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    let team = profile_in(&list, "openai-codex:team").unwrap();
    assert_eq!(team["status"], "expired", "{team:#}");
    assert!(
        api.response_requests().is_empty(),
        "no run with a dead token"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_codex_clis_own_sign_in_is_listed_with_the_status_codex_login_status_gives() {
    let home = TestHome::empty();
    let s = sidecar(&home, &[]).await;
    let status = |list: &Value| {
        profile_in(list, "openai-codex:codex-cli")
            .map(|p| p["status"].as_str().unwrap().to_string())
    };
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    assert_eq!(status(&list).as_deref(), Some("missing"), "{list:#}");
    // Signed in from a terminal: the next listing says so (its auth.json changed).
    let codex_home = home.path().join(".codex");
    std::fs::create_dir_all(&codex_home).unwrap();
    std::fs::write(
        codex_home.join("auth.json"),
        grove_e2e::responses_api::chatgpt_auth_json(now_s() + 3600).to_string(),
    )
    .unwrap();
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    assert_eq!(status(&list).as_deref(), Some("ok"), "{list:#}");
    let err = s
        .request(
            "grove/profiles/remove",
            json!({"id": "openai-codex:codex-cli"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.data["reason"], "builtIn");
}
