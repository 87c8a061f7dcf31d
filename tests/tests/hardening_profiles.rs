//! Hardening of the auth-profile store, driving the built sidecar: no credential follows a
//! redirect to another origin, import takes only what `add` takes, a hostile store file is
//! refused quickly without blocking other sidecars, an unknown entry breaks nothing, every input
//! has an upper bound, and the CLI's own sign-in is never `missing` while it is being checked.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grove_e2e::client::{Launch, RpcError};
use grove_e2e::http_stub::{HttpRequest, HttpResponse, HttpStub};
use grove_e2e::messages_api::{MessagesApi, Reply};
use grove_e2e::repo::demo_repo;
use grove_e2e::runs::{ended, profile_in, workspace};
use grove_e2e::{Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const GATEWAY_KEY: &str = "gw-FAKEGATEWAYKEY0123456789abcdef";
const OPENAI_KEY: &str = "sk-FAKEOPENAIKEY0123456789abcdefghij";
const API_KEY: &str = "sk-ant-api03-FAKEHARDENINGKEY0000000000000000000";
/// The claude CLI's sign-in, due for renewal (the usage call renews it first).
const CLI_ACCESS: &str = "sk-ant-oat01-FAKEACCESSDUE";
const CLI_REFRESH: &str = "sk-ant-ort01-FAKEREFRESHDUE";
const CHATGPT_REFRESH: &str = "rt_FAKECHATGPTREFRESHDUE";

fn setup_token() -> String {
    format!("sk-ant-oat01-{}", "Tok3n_-".repeat(14))
}

async fn sidecar(home: &TestHome, envs: &[(&str, String)], options: Value) -> Sidecar {
    let mut launch = Launch::new(home.path());
    for (k, v) in envs {
        launch = launch.env(k, v);
    }
    let s = launch.spawn();
    let mut options = options;
    options["claudePath"] = json!(claude_cli());
    s.initialize(options).await;
    s
}

fn state_dir(home: &TestHome) -> PathBuf {
    home.path().join(".grove-state")
}

fn store_path(home: &TestHome) -> PathBuf {
    state_dir(home).join("auth-profiles.json")
}

fn write_store(home: &TestHome, doc: &Value) {
    std::fs::create_dir_all(state_dir(home)).unwrap();
    std::fs::write(store_path(home), serde_json::to_vec_pretty(doc).unwrap()).unwrap();
}

/// A request answered within `limit`, or a test failure saying which one hung.
async fn within(
    limit: Duration,
    s: &Sidecar,
    method: &str,
    params: Value,
) -> Result<Value, RpcError> {
    tokio::time::timeout(limit, s.request(method, params))
        .await
        .unwrap_or_else(|_| panic!("{method} did not answer within {limit:?}"))
}

/// A loopback listener that sends every request on to `to` (same path): 302 for a GET, 307
/// (which keeps the method and the body) for anything else. Each request's "METHOD path" is kept.
struct Redirector {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Redirector {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn redirector(to: String) -> Redirector {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = seen.clone();
    let task = tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let (to, kept) = (to.clone(), kept.clone());
            tokio::spawn(async move {
                let (read, mut write) = sock.into_split();
                let mut r = BufReader::new(read);
                let mut first = String::new();
                if r.read_line(&mut first).await.unwrap_or(0) == 0 {
                    return;
                }
                let mut length = 0usize;
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).await.unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':')
                        && k.trim().eq_ignore_ascii_case("content-length")
                    {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = r.read_exact(&mut body).await;
                let mut parts = first.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
                kept.lock().unwrap().push(format!("{method} {path}"));
                let status = if method == "GET" {
                    "302 Found"
                } else {
                    "307 Temporary Redirect"
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nlocation: {to}{path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                let _ = write.write_all(head.as_bytes()).await;
            });
        }
    });
    Redirector { url, seen, task }
}

/// The requests at `stub` that carry any of `secrets` in a header or in the body.
fn with_secret(stub: &HttpStub, secrets: &[&str]) -> Vec<HttpRequest> {
    stub.requests()
        .into_iter()
        .filter(|r| {
            let body = String::from_utf8_lossy(&r.body);
            secrets
                .iter()
                .any(|s| body.contains(s) || r.headers.iter().any(|(_, v)| v.contains(s)))
        })
        .collect()
}

/// A stand-in that serves a model list to anyone (Ollama's, LM Studio's and the gateways' shape).
async fn model_server() -> HttpStub {
    HttpStub::start(|_| {
        HttpResponse::json(
            200,
            &json!({"models": [{"name": "m1"}], "data": [{"id": "m1"}]}),
        )
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn row5_no_credential_follows_a_redirect_to_another_origin() {
    let elsewhere = model_server().await;
    let redirect = redirector(elsewhere.url.clone()).await;
    let hop = redirect.url.clone();
    let home = TestHome::empty();
    let soon = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
        + 30_000;
    home.write_credentials(
        &json!({"claudeAiOauth": {"accessToken": CLI_ACCESS, "refreshToken": CLI_REFRESH, "expiresAt": soon, "scopes": ["user:inference", "user:profile"], "subscriptionType": "max"}})
            .to_string(),
    );
    write_store(
        &home,
        &json!({"version": 1, "profiles": {
            "anthropic-compatible:gw": {"type": "endpoint", "provider": "anthropic-compatible", "baseUrl": hop, "key": GATEWAY_KEY},
            "openai:k": {"type": "api_key", "provider": "openai", "key": OPENAI_KEY},
            // A ChatGPT sign-in due for renewal: checking it asks the token endpoint.
            "openai-codex:c": {"type": "oauth", "provider": "openai-codex",
                "access": grove_e2e::responses_api::fake_jwt(&json!({"exp": soon / 1000})),
                "refresh": CHATGPT_REFRESH, "expires": soon}
        }}),
    );
    let s = sidecar(
        &home,
        &[
            ("GROVE_OPENAI_API_URL", hop.clone()),
            ("GROVE_ANTHROPIC_API_URL", hop.clone()),
            ("GROVE_OAUTH_TOKEN_URL", format!("{hop}/v1/oauth/token")),
            ("GROVE_OPENAI_AUTH_URL", hop.clone()),
        ],
        json!({"usageInsights": true}),
    )
    .await;
    let limit = Duration::from_secs(20);
    // An endpoint added with its key: refused, saying it redirected elsewhere.
    let err = within(
        limit,
        &s,
        "grove/profiles/add",
        json!({"provider": "anthropic-compatible", "name": "new", "type": "endpoint", "baseUrl": hop, "secret": GATEWAY_KEY}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, -32602, "{err:?}");
    assert_eq!(err.data["reason"], "redirected", "{err:?}");
    assert!(err.message.contains("redirect"), "{}", err.message);
    // A stored one, asked at detect and at check; an OpenAI key checked; the usage call.
    within(limit, &s, "grove/profiles/detect", json!({}))
        .await
        .unwrap();
    let checked = within(
        limit,
        &s,
        "grove/profiles/check",
        json!({"id": "anthropic-compatible:gw"}),
    )
    .await
    .unwrap();
    assert_eq!(checked["ok"], false, "{checked}");
    assert!(
        checked["message"].as_str().unwrap().contains("redirect"),
        "{checked}"
    );
    let checked = within(limit, &s, "grove/profiles/check", json!({"id": "openai:k"}))
        .await
        .unwrap();
    assert_eq!(checked["ok"], false, "{checked}");
    let _ = within(limit, &s, "grove/usage/get", json!({"force": true})).await;
    let _ = within(
        limit,
        &s,
        "grove/profiles/check",
        json!({"id": "openai-codex:c"}),
    )
    .await;

    asked_elsewhere_and_nothing_leaked(&redirect, &elsewhere);
    let log = s.stderr();
    assert!(!log.contains(GATEWAY_KEY) && !log.contains(OPENAI_KEY));
}

/// Every client was asked to go elsewhere (the endpoint's, OpenAI's and the usage call's), and
/// no credential reached the other origin.
fn asked_elsewhere_and_nothing_leaked(redirect: &Redirector, elsewhere: &HttpStub) {
    let seen = redirect.seen.lock().unwrap().clone();
    let asked = [
        "GET /v1/models",
        "POST /v1/oauth/token",
        "POST /oauth/token",
    ];
    for asked in asked {
        assert!(
            seen.iter().any(|s| s.starts_with(asked)),
            "{asked} not asked: {seen:?}"
        );
    }
    let secrets = [
        GATEWAY_KEY,
        OPENAI_KEY,
        CLI_ACCESS,
        CLI_REFRESH,
        CHATGPT_REFRESH,
    ];
    let leaked = with_secret(elsewhere, &secrets);
    assert!(
        leaked.is_empty(),
        "a credential reached the other origin: {leaked:#?}"
    );
}

/// A CoderClaw store with one good entry and entries `add` refuses, pointing at `stub`.
fn hostile_coderclaw(home: &TestHome, stub: &str) -> Vec<&'static str> {
    let agent = home.path().join(".coderclaw/agents/main/agent");
    std::fs::create_dir_all(&agent).unwrap();
    let port = stub.trim_start_matches("http://127.0.0.1:");
    let endpoint = |url: String, key: &str| json!({"type": "endpoint", "provider": "anthropic-compatible", "baseUrl": url, "key": key});
    let doc = json!({"version": 1, "profiles": {
        "anthropic:fine": {"type": "api_key", "provider": "anthropic", "key": API_KEY},
        "anthropic-compatible:file": endpoint("file:///etc/passwd".into(), GATEWAY_KEY),
        "anthropic-compatible:js": endpoint("javascript:alert(1)//".into(), GATEWAY_KEY),
        "anthropic-compatible:userinfo": endpoint(format!("http://user:pass@127.0.0.1:{port}"), GATEWAY_KEY),
        "anthropic-compatible:crlf": endpoint(stub.into(), "gw-key\r\nx-injected: 1"),
        "anthropic:nul": {"type": "token", "provider": "anthropic", "token": format!("{}\u{0}x", setup_token())},
        "anthropic:bidi": {"type": "api_key", "provider": "anthropic", "key": API_KEY, "label": "evil\u{202E}gnp.exe"},
        "anthropic:..": {"type": "api_key", "provider": "anthropic", "key": API_KEY},
        "anthropic:huge": {"type": "api_key", "provider": "anthropic", "key": format!("sk-ant-api03-{}", "k".repeat(20_000))}
    }});
    std::fs::write(agent.join("auth-profiles.json"), doc.to_string()).unwrap();
    vec![
        "anthropic-compatible:file",
        "anthropic-compatible:js",
        "anthropic-compatible:userinfo",
        "anthropic-compatible:crlf",
        "anthropic:nul",
        "anthropic:bidi",
        "anthropic:..",
        "anthropic:huge",
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn row8_import_takes_only_what_add_takes_and_says_why_it_skipped() {
    let stub = model_server().await;
    let home = TestHome::empty();
    let hostile = hostile_coderclaw(&home, &stub.url);
    let s = sidecar(&home, &[], json!({})).await;
    let got = s.request("grove/profiles/import", json!({})).await.unwrap();
    assert_eq!(got["imported"], json!(["anthropic:fine"]), "{got:#}");
    let skipped: Vec<&str> = got["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for id in &hostile {
        assert!(skipped.contains(id), "{id} not skipped: {got:#}");
        let why = got["reasons"][id].as_str().unwrap_or_default();
        assert!(!why.is_empty(), "no reason for {id}: {got:#}");
        assert!(
            !why.contains(GATEWAY_KEY) && !why.contains("kkkkkkkkkk"),
            "{why}"
        );
    }
    assert!(
        got["reasons"]["anthropic-compatible:file"]
            .as_str()
            .unwrap()
            .contains("http")
    );
    let stored = std::fs::read_to_string(store_path(&home)).unwrap();
    for id in &hostile {
        assert!(
            !stored.contains(&format!("\"{id}\"")),
            "{id} stored:\n{stored}"
        );
    }
    s.request("grove/profiles/detect", json!({})).await.unwrap();
    let l = s.request("grove/profiles/list", json!({})).await.unwrap();
    assert!(profile_in(&l, "anthropic:fine").is_some());
    assert!(
        stub.requests().is_empty(),
        "a skipped entry's URL was asked: {:#?}",
        stub.requests()
    );
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

/// `list` and `add` answer StoreFailed naming the file within 5 s, in this sidecar and in a
/// second one on the same store (the lock is not kept).
async fn refused_quickly(home: &TestHome, what: &str) -> Vec<Sidecar> {
    let limit = Duration::from_secs(5);
    let add = json!({"provider": "anthropic", "name": "k", "type": "api_key", "secret": API_KEY});
    let mut both = Vec::new();
    for _ in 0..2 {
        let s = sidecar(home, &[], json!({})).await;
        for (method, params) in [
            ("grove/profiles/list", json!({})),
            ("grove/profiles/add", add.clone()),
        ] {
            let began = Instant::now();
            let err = within(limit, &s, method, params).await.unwrap_err();
            assert_eq!(err.code, -32040, "{what}: {method}: {err:?}");
            assert!(
                err.message.contains("auth-profiles.json"),
                "{what}: {method}: {}",
                err.message
            );
            assert!(began.elapsed() < limit);
        }
        both.push(s);
    }
    both
}

#[tokio::test(flavor = "multi_thread")]
async fn row9_a_fifo_a_device_link_or_a_huge_store_is_refused_within_5s_in_bounded_memory() {
    // The FIFO first: before the fix it hangs, so the device link is never read there.
    let home = TestHome::empty();
    std::fs::create_dir_all(state_dir(&home)).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(store_path(&home))
        .status()
        .unwrap();
    assert!(made.success());
    refused_quickly(&home, "fifo").await;

    let home = TestHome::empty();
    std::fs::create_dir_all(state_dir(&home)).unwrap();
    std::os::unix::fs::symlink("/dev/zero", store_path(&home)).unwrap();
    for s in refused_quickly(&home, "/dev/zero").await {
        assert!(
            peak_kib(s.pid()) < 100 * 1024,
            "peak {} KiB",
            peak_kib(s.pid())
        );
    }

    let home = TestHome::empty();
    std::fs::create_dir_all(state_dir(&home)).unwrap();
    let big = std::fs::File::create(store_path(&home)).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    for s in refused_quickly(&home, "200 MB").await {
        assert!(
            peak_kib(s.pid()) < 100 * 1024,
            "peak {} KiB",
            peak_kib(s.pid())
        );
    }
    // Left as it was.
    assert_eq!(
        std::fs::metadata(store_path(&home)).unwrap().len(),
        200 * 1024 * 1024
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn row10_an_entry_of_an_unknown_type_is_listed_unusable_and_breaks_nothing() {
    let api = MessagesApi::start(|_| Reply::text("Still working.")).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let future = json!({"type": "passkey", "provider": "anthropic", "blob": {"a": [1, 2]}, "label": "from a newer Grove"});
    write_store(
        &home,
        &json!({"version": 1, "profiles": {"anthropic:future": future}}),
    );
    let s = sidecar(
        &home,
        &[
            ("ANTHROPIC_BASE_URL", api.url().to_string()),
            ("ANTHROPIC_API_KEY", API_KEY.to_string()),
        ],
        json!({}),
    )
    .await;
    let l = s.request("grove/profiles/list", json!({})).await.unwrap();
    let p = profile_in(&l, "anthropic:future").unwrap_or_else(|| panic!("not listed: {l:#}"));
    assert_eq!(p["status"], "unusable", "{p:#}");
    assert!(p["detail"].as_str().unwrap().contains("passkey"), "{p:#}");
    assert_ne!(l["active"], "anthropic:future");

    let ws = workspace(&s, &repo, "unknown-entry").await;
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Hello?"}),
        )
        .await
        .expect("a run with no profile starts");
    let end = ended(&s, &run, Duration::from_secs(90)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());

    // A write keeps the entry as it was.
    s.request(
        "grove/profiles/add",
        json!({"provider": "anthropic", "name": "k", "type": "api_key", "secret": API_KEY}),
    )
    .await
    .unwrap();
    s.request(
        "grove/profiles/setOrder",
        json!({"provider": "anthropic", "ids": ["anthropic:k"]}),
    )
    .await
    .unwrap();
    let doc: Value = serde_json::from_slice(&std::fs::read(store_path(&home)).unwrap()).unwrap();
    assert_eq!(doc["profiles"]["anthropic:future"], future);
    assert!(doc["profiles"]["anthropic:k"].is_object());
    // Named explicitly, it is refused with why.
    let err = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Hello?", "profile": "anthropic:future"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, -32602, "{err:?}");
    assert!(err.message.contains("passkey"), "{}", err.message);
}

async fn refused(s: &Sidecar, method: &str, params: Value, reason: &str, secret: Option<&str>) {
    let err = within(Duration::from_secs(30), s, method, params.clone())
        .await
        .expect_err(&format!("{method} accepted {}", short(&params)));
    assert_eq!(err.code, -32602, "{method} {}: {err:?}", short(&params));
    assert_eq!(
        err.data["reason"],
        reason,
        "{method} {}: {err:?}",
        short(&params)
    );
    assert!(err.message.len() < 1000, "{}", short(&json!(err.message)));
    if let Some(secret) = secret {
        assert!(!err.message.contains(secret), "the secret was echoed");
    }
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(300).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn row11_every_input_has_an_upper_bound_and_a_reason() {
    let home = TestHome::empty();
    let s = sidecar(&home, &[], json!({})).await;
    let token = |body: String| json!({"provider": "anthropic", "name": "t", "type": "token", "secret": body});
    let huge = format!("sk-ant-oat01-{}", "A".repeat(10 * 1024 * 1024));
    refused(
        &s,
        "grove/profiles/add",
        token(huge.clone()),
        "tooLong",
        Some(&huge[..200]),
    )
    .await;
    let key20k = format!("gw-{}", "B".repeat(20 * 1024));
    refused(
        &s,
        "grove/profiles/add",
        json!({"provider": "anthropic-compatible", "name": "g", "type": "endpoint", "baseUrl": "http://127.0.0.1:9", "secret": key20k}),
        "tooLong",
        Some(&key20k[..200]),
    )
    .await;
    let with_label = |label: String| json!({"provider": "anthropic", "name": "l", "type": "api_key", "secret": API_KEY, "label": label});
    for label in [
        "x".repeat(1024 * 1024),
        "invoice\u{202E}fdp.exe".into(),
        "zero\u{200B}width".into(),
        "line\nbreak".into(),
    ] {
        refused(
            &s,
            "grove/profiles/add",
            with_label(label),
            "badLabel",
            Some(API_KEY),
        )
        .await;
    }
    for name in [".", "..", ".hidden", "a\u{200B}b", &"n".repeat(100)] {
        refused(
            &s,
            "grove/profiles/add",
            json!({"provider": "anthropic", "name": name, "type": "api_key", "secret": API_KEY}),
            "badName",
            Some(API_KEY),
        )
        .await;
    }
    refused(
        &s,
        "grove/profiles/add",
        json!({"provider": "x".repeat(100_000), "name": "n", "type": "api_key", "secret": API_KEY}),
        "unknownProvider",
        Some(API_KEY),
    )
    .await;
    for provider in ["", "../../etc", "gemini"] {
        refused(
            &s,
            "grove/profiles/setOrder",
            json!({"provider": provider, "ids": []}),
            "unknownProvider",
            None,
        )
        .await;
    }
    let order = |ids: Value| json!({"provider": "anthropic", "ids": ids});
    let long_id = format!("anthropic:{}", "i".repeat(100 * 1024));
    refused(
        &s,
        "grove/profiles/setOrder",
        order(json!([long_id])),
        "badId",
        None,
    )
    .await;
    refused(
        &s,
        "grove/profiles/setOrder",
        order(json!(["anthropic:claude-cli", "anthropic:claude-cli"])),
        "duplicateId",
        None,
    )
    .await;
    let many: Vec<String> = (0..101).map(|i| format!("anthropic:p{i}")).collect();
    refused(
        &s,
        "grove/profiles/setOrder",
        order(json!(many)),
        "tooMany",
        None,
    )
    .await;
    // Nothing was stored, and the sidecar still answers.
    let l = s.request("grove/profiles/list", json!({})).await.unwrap();
    assert_eq!(l["profiles"].as_array().unwrap().len(), 1, "{l:#}");
    let stored = std::fs::read_to_string(store_path(&home)).unwrap_or_default();
    assert!(stored.len() < 10_000, "{} bytes stored", stored.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn row12_right_after_start_the_signed_in_cli_is_never_missing() {
    let home = TestHome::signed_in();
    let s = sidecar(&home, &[], json!({})).await;
    let began = Instant::now();
    let mut seen = Vec::new();
    loop {
        let l = s.request("grove/profiles/list", json!({})).await.unwrap();
        let cli = profile_in(&l, "anthropic:claude-cli").unwrap().clone();
        let status = cli["status"].as_str().unwrap().to_string();
        assert_ne!(status, "missing", "{cli:#} after {:?}", began.elapsed());
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "ok" {
            break;
        }
        assert_eq!(status, "checking", "{cli:#}");
        assert!(began.elapsed() < Duration::from_secs(30), "{seen:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("statuses seen: {seen:?} within {:?}", began.elapsed());
    // The client hears of the answer by itself, without asking again; no notification said
    // "missing" either.
    let told = s
        .wait_for("grove/profiles/changed", 0, Duration::from_secs(10), |c| {
            profile_in(c, "anthropic:claude-cli").is_some_and(|p| p["status"] == "ok")
        })
        .await;
    assert!(told.is_some(), "no grove/profiles/changed with the CLI ok");
    for c in s.notifications("grove/profiles/changed") {
        let cli = profile_in(&c, "anthropic:claude-cli").unwrap();
        assert_ne!(cli["status"], "missing", "{cli:#}");
    }
}

/// The first millisecond of the year 10000: past what RFC 3339 can write.
const YEAR_10000_MS: u64 = 253_402_300_800_000;

#[tokio::test(flavor = "multi_thread")]
async fn row13_times_past_the_year_9999_are_listed_and_never_stop_the_sidecar() {
    let home = TestHome::empty();
    let far = YEAR_10000_MS;
    let far_jwt = grove_e2e::responses_api::fake_jwt(&json!({"exp": u64::MAX / 1000}));
    write_store(
        &home,
        &json!({"version": 1, "profiles": {
            "anthropic:far": {"type": "token", "provider": "anthropic", "token": setup_token(), "expires": far},
            "openai-codex:far": {"type": "oauth", "provider": "openai-codex", "access": far_jwt,
                "refresh": CHATGPT_REFRESH, "expires": u64::MAX}
        }, "usage": {
            "anthropic:far": {"lastUsed": far, "cooldownUntil": far, "errorCount": u32::MAX,
                "lastFailure": {"message": "401", "at": far}},
            "openai-codex:far": {"lastUsed": u64::MAX, "cooldownUntil": u64::MAX}
        }}),
    );
    // A CoderClaw store to import, with expiries just as far.
    let agent = home.path().join(".coderclaw/agents/main/agent");
    std::fs::create_dir_all(&agent).unwrap();
    let coderclaw = json!({"version": 1, "profiles": {
        "anthropic:imported": {"type": "token", "provider": "anthropic", "token": setup_token(), "expires": far},
        "openai-codex:imported": {"type": "oauth", "provider": "openai-codex", "access": "at_FAKEIMPORTED",
            "refresh": "rt_FAKEIMPORTED", "expires": u64::MAX},
        "anthropic:fine": {"type": "api_key", "provider": "anthropic", "key": API_KEY}
    }});
    std::fs::write(agent.join("auth-profiles.json"), coderclaw.to_string()).unwrap();
    let mut s = sidecar(&home, &[], json!({})).await;
    let limit = Duration::from_secs(10);

    let l = within(limit, &s, "grove/profiles/list", json!({}))
        .await
        .unwrap();
    let p = profile_in(&l, "anthropic:far").unwrap_or_else(|| panic!("not listed: {l:#}"));
    assert_eq!(p["status"], "cooldown", "{p:#}");
    for field in ["expiresAt", "cooldownUntil", "lastUsed"] {
        assert!(
            p[field].as_str().unwrap().starts_with("9999-12-31T23:59:"),
            "{field}: {p:#}"
        );
    }
    assert!(
        p["lastFailure"]["at"]
            .as_str()
            .unwrap()
            .starts_with("9999-")
    );
    assert!(profile_in(&l, "openai-codex:far").is_some(), "{l:#}");

    let got = within(limit, &s, "grove/profiles/import", json!({}))
        .await
        .unwrap();
    assert_eq!(got["imported"], json!(["anthropic:fine"]), "{got:#}");
    for id in ["anthropic:imported", "openai-codex:imported"] {
        let why = got["reasons"][id].as_str().unwrap_or_default();
        assert!(why.contains("expiry"), "{id}: {got:#}");
    }
    // The watch publishes the listing every 2 s: still there, still answering, after it did.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let l = within(limit, &s, "grove/profiles/list", json!({}))
        .await
        .unwrap();
    assert!(profile_in(&l, "anthropic:fine").is_some(), "{l:#}");
    assert!(s.alive(), "{}", s.stderr());
    assert!(!s.stderr().contains("panicked"), "{}", s.stderr());
}
