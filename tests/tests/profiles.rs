//! Acceptance for auth profiles: the real claude CLI run with an Ollama-like endpoint, a setup
//! token and API keys against loopback stand-ins; bad pastes refused; cooldown and the next
//! profile after a 401; `grove-server profiles status`; two sidecars sharing the store; the
//! CoderClaw import; no secret anywhere it should not be.

use std::path::Path;
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::messages_api::{MessagesApi, OLLAMA_MODELS, Reply};
use grove_e2e::repo::demo_repo;
use grove_e2e::runs::{ended, profile_in, workspace};
use grove_e2e::{Sidecar, TestHome, claude_cli, procs, server_bin};
use serde_json::{Value, json};

const EVENT: &str = "grove/agent/event";
/// What the sidecars inherit: a decoy endpoint and key that no profile's run may use.
const INHERITED_KEY: &str = "sk-ant-api03-FAKEINHERITEDDECOYKEY00000000000";
const KEY_A: &str = "sk-ant-api03-FAKEFIRSTPROFILEKEYAAAAAAAAAAAAAAAA";
const KEY_B: &str = "sk-ant-api03-FAKESECONDPROFILEKEYBBBBBBBBBBBBBBBB";

fn setup_token() -> String {
    format!("sk-ant-oat01-{}", "Tok3n_-".repeat(14))
}

async fn sidecar(home: &TestHome, envs: &[(&str, &str)]) -> Sidecar {
    let mut launch = Launch::new(home.path())
        .env("GROVE_LMSTUDIO_URL", "http://127.0.0.1:9")
        .env("GROVE_OLLAMA_URL", "http://127.0.0.1:9");
    for (k, v) in envs {
        launch = launch.env(k, v);
    }
    let s = launch.spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    s
}

fn texts(s: &Sidecar, run: &Value) -> String {
    s.notifications(EVENT)
        .into_iter()
        .filter(|e| e["runId"] == run["runId"] && e["event"]["kind"] == "text")
        .map(|e| e["event"]["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn list(s: &Sidecar) -> Value {
    s.request("grove/profiles/list", json!({}))
        .await
        .expect("list")
}

fn profile<'a>(list: &'a Value, id: &str) -> &'a Value {
    profile_in(list, id).unwrap_or_else(|| panic!("no profile {id} in {list:#}"))
}

async fn add(s: &Sidecar, params: Value) -> Result<Value, grove_e2e::client::RpcError> {
    s.request("grove/profiles/add", params).await
}

/// The command lines of every process under the sidecar, seen while `until` is false.
async fn watch_cmdlines(pid: u32, until: impl Fn() -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !until() && Instant::now() < deadline {
        for p in procs::descendants(pid) {
            if let Ok(c) = std::fs::read(format!("/proc/{p}/cmdline")) {
                seen.push(String::from_utf8_lossy(&c).replace('\0', " "));
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ollama_endpoint_is_detected_and_its_runs_reach_it_with_the_model_and_header() {
    let ollama = MessagesApi::start(|_| Reply::text("Hello from the local model.")).await;
    let decoy = MessagesApi::start(|_| Reply::text("decoy")).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = sidecar(
        &home,
        &[
            ("GROVE_OLLAMA_URL", ollama.url()),
            ("ANTHROPIC_BASE_URL", decoy.url()),
            ("ANTHROPIC_API_KEY", INHERITED_KEY),
            ("ANTHROPIC_MODEL", "claude-inherited"),
            ("GROVE_LOG", "trace"),
        ],
    )
    .await;

    let started = Instant::now();
    let found = s.request("grove/profiles/detect", json!({})).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        found["endpoints"],
        json!([{"provider": "ollama", "baseUrl": ollama.url(), "models": OLLAMA_MODELS}])
    );

    let added = add(
        &s,
        json!({"provider": "ollama", "name": "local", "type": "endpoint", "baseUrl": format!("{}/", ollama.url())}),
    )
    .await
    .unwrap();
    assert_eq!(added["id"], "ollama:local");
    assert_eq!(added["baseUrl"], ollama.url());
    assert_eq!(added["status"], "static");
    assert_eq!(added["models"], json!(OLLAMA_MODELS));

    let ws = workspace(&s, &repo, "local-model").await;
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Say hello.", "profile": "ollama:local", "model": "qwen3-coder"}),
        )
        .await
        .unwrap();
    assert_eq!(
        (&run["provider"], &run["profile"], &run["model"]),
        (
            &json!("ollama"),
            &json!("ollama:local"),
            &json!("qwen3-coder")
        )
    );
    let end = ended(&s, &run, Duration::from_secs(90)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    assert!(texts(&s, &run).contains("Hello from the local model."));
    let reqs = ollama.message_requests();
    assert!(!reqs.is_empty());
    for r in &reqs {
        assert_eq!(r.json()["model"], "qwen3-coder");
        assert_eq!(r.header("authorization"), Some("Bearer ollama"));
        assert_ne!(r.header("x-api-key"), Some(INHERITED_KEY));
    }
    assert!(
        decoy.requests().is_empty(),
        "the inherited endpoint was used"
    );

    // `model@profile` picks the profile too.
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Again.", "model": "llama3.2@ollama:local"}),
        )
        .await
        .unwrap();
    assert_eq!(
        (&run["profile"], &run["model"]),
        (&json!("ollama:local"), &json!("llama3.2"))
    );
    let end = ended(&s, &run, Duration::from_secs(90)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    assert_eq!(
        ollama.message_requests().last().unwrap().json()["model"],
        "llama3.2"
    );

    // A keyed endpoint: the key is the bearer, and is nowhere else.
    const LOCAL_KEY: &str = "local-ollama-key-0123456789";
    add(
        &s,
        json!({"provider": "ollama", "name": "keyed", "type": "endpoint", "baseUrl": ollama.url(), "secret": LOCAL_KEY}),
    )
    .await
    .unwrap();
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Keyed.", "profile": "ollama:keyed"}),
        )
        .await
        .unwrap();
    assert_eq!(
        run["model"], OLLAMA_MODELS[0],
        "an endpoint's first model by default"
    );
    let end = ended(&s, &run, Duration::from_secs(90)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    assert_eq!(
        ollama
            .message_requests()
            .last()
            .unwrap()
            .header("authorization"),
        Some(format!("Bearer {LOCAL_KEY}").as_str())
    );
    let seen = format!(
        "{}{}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap()
    );
    assert!(!seen.contains(LOCAL_KEY), "the endpoint key leaked");

    // An endpoint that does not answer is not added.
    let err = add(
        &s,
        json!({"provider": "lmstudio", "name": "off", "type": "endpoint", "baseUrl": "http://127.0.0.1:9"}),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (err.code, err.data["reason"].as_str()),
        (-32602, Some("unreachable"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_token_is_sent_as_a_bearer_token_and_bad_pastes_are_refused() {
    let api = MessagesApi::start(|_| {
        Reply::After(
            Duration::from_millis(1500),
            Box::new(Reply::text("Token accepted.")),
        )
    })
    .await;
    let decoy = MessagesApi::start(|_| Reply::text("decoy")).await;
    let home = TestHome::signed_in();
    let repo = demo_repo(home.path());
    let s = sidecar(
        &home,
        &[
            ("GROVE_ANTHROPIC_API_URL", api.url()),
            ("ANTHROPIC_BASE_URL", decoy.url()),
            ("ANTHROPIC_API_KEY", INHERITED_KEY),
            ("GROVE_LOG", "trace"),
        ],
    )
    .await;
    let token = setup_token();

    // Refused: nothing stored, and the message never repeats the paste.
    let short = token[..40].to_string();
    for (pasted, reason) in [
        ("Zq8kCODE123#STATE456xyz".to_string(), "codeState"),
        (KEY_A.to_string(), "wrongPrefix"),
        (short, "tooShort"),
    ] {
        let err = add(
            &s,
            json!({"provider": "anthropic", "name": "bad", "type": "token", "secret": pasted}),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, -32602, "{err:?}");
        assert_eq!(err.data["reason"], reason, "{err:?}");
        assert!(!err.message.contains(&pasted), "{}", err.message);
    }
    let store = home.path().join(".grove-state/auth-profiles.json");
    assert!(!store.exists() || !std::fs::read_to_string(&store).unwrap().contains("bad"));
    assert_eq!(list(&s).await["profiles"].as_array().unwrap().len(), 1);

    // Pasted across lines, it works.
    let wrapped = format!(" {}\n{}\r\n", &token[..60], &token[60..]);
    let added = add(
        &s,
        json!({"provider": "anthropic", "name": "headless", "type": "token", "secret": wrapped}),
    )
    .await
    .unwrap();
    assert_eq!(added["id"], "anthropic:headless");
    assert_eq!(added["status"], "static");
    assert!(!added.to_string().contains(&token));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store), 0o600);
        assert_eq!(mode(store.parent().unwrap()), 0o700);
    }

    let ws = workspace(&s, &repo, "headless").await;
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "Hello?", "profile": "anthropic:headless"}),
        )
        .await
        .unwrap();
    let pid = s.pid();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    let watcher = tokio::spawn(async move {
        watch_cmdlines(pid, move || flag.load(std::sync::atomic::Ordering::SeqCst)).await
    });
    let end = ended(&s, &run, Duration::from_secs(90)).await;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let cmdlines = watcher.await.unwrap();
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    assert!(
        cmdlines.iter().any(|c| c.contains("stream-json")),
        "the CLI was seen running"
    );
    assert!(cmdlines.iter().all(|c| !c.contains(&token[20..])));

    let reqs = api.message_requests();
    assert!(!reqs.is_empty());
    for r in &reqs {
        assert_eq!(
            r.header("authorization").map(str::to_owned),
            Some(format!("Bearer {token}"))
        );
        assert_eq!(
            r.header("x-api-key"),
            None,
            "a setup token is never an API key"
        );
    }
    assert!(decoy.requests().is_empty());

    let transcript = s
        .request("grove/agent/transcript", json!({"runId": run["runId"]}))
        .await
        .unwrap();
    let everything = format!(
        "{}{}{transcript}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap()
    );
    assert!(!everything.contains(&token[20..]), "the token leaked");
    let runs_dir = home.path().join(".grove-state/runs");
    for f in std::fs::read_dir(runs_dir).unwrap().flatten() {
        let text = String::from_utf8_lossy(&std::fs::read(f.path()).unwrap()).to_string();
        assert!(!text.contains(&token[20..]), "{}", f.path().display());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_profile_cools_down_and_the_next_run_takes_the_next_one() {
    let api = MessagesApi::start_with_headers(|req| {
        if req.header("x-api-key") == Some(KEY_A) {
            Reply::unauthorized()
        } else {
            Reply::text("Second key works.")
        }
    })
    .await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = sidecar(&home, &[("GROVE_ANTHROPIC_API_URL", api.url())]).await;
    for (name, key) in [("first", KEY_A), ("second", KEY_B)] {
        add(
            &s,
            json!({"provider": "anthropic", "name": name, "type": "api_key", "secret": key}),
        )
        .await
        .unwrap();
    }
    s.request(
        "grove/profiles/setOrder",
        json!({"provider": "anthropic", "ids": ["anthropic:first", "anthropic:second"]}),
    )
    .await
    .unwrap();
    let l = list(&s).await;
    assert_eq!(
        l["order"]["anthropic"],
        json!([
            "anthropic:first",
            "anthropic:second",
            "anthropic:claude-cli"
        ])
    );
    assert_eq!(l["active"], "anthropic:first");

    let ws = workspace(&s, &repo, "keys").await;
    let start = |prompt: &str| {
        s.request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": prompt}),
        )
    };
    let run = start("first try").await.unwrap();
    assert_eq!(run["profile"], "anthropic:first");
    let began = Instant::now();
    let end = ended(&s, &run, Duration::from_secs(30)).await;
    assert_eq!(end["state"], "authRequired", "{end:#}");
    assert!(
        began.elapsed() < Duration::from_secs(15),
        "{:?}",
        began.elapsed()
    );
    assert_eq!(end["retryProfile"], "anthropic:second");

    let l = list(&s).await;
    let first = profile(&l, "anthropic:first");
    assert_eq!(first["status"], "cooldown", "{first:#}");
    assert!(first["cooldownUntil"].is_string());
    assert!(!first["lastFailure"]["message"].as_str().unwrap().is_empty());
    assert_eq!(l["active"], "anthropic:second");
    let changed = s.notifications("grove/profiles/changed");
    assert!(
        changed
            .iter()
            .any(|c| profile_in(c, "anthropic:first").is_some_and(|p| p["status"] == "cooldown")),
        "a change notification told of the cooldown"
    );

    let run = start("second try").await.unwrap();
    assert_eq!(run["profile"], "anthropic:second");
    let end = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    let keys: Vec<Option<String>> = api
        .message_requests()
        .iter()
        .map(|r| r.header("x-api-key").map(str::to_owned))
        .collect();
    assert_eq!(keys.first().cloned().flatten().as_deref(), Some(KEY_A));
    assert_eq!(keys.last().cloned().flatten().as_deref(), Some(KEY_B));

    // A workspace default wins over the order while it is usable.
    let ws2 = s
        .request(
            "grove/workspace/setProfile",
            json!({"id": ws["id"], "profile": "anthropic:second"}),
        )
        .await
        .unwrap();
    assert_eq!(ws2["profile"], "anthropic:second");
    let err = s
        .request(
            "grove/workspace/setProfile",
            json!({"id": ws["id"], "profile": "anthropic:nope"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.data["reason"], "unknownProfile");
}

/// The profile store as the test writes it: one of each status.
fn seeded_store(now_ms: u64) -> Value {
    let hour = 3_600_000u64;
    let token = setup_token();
    json!({
        "version": 1,
        "profiles": {
            "anthropic:fresh": {"type": "token", "provider": "anthropic", "token": token, "expires": now_ms + 72 * hour},
            "anthropic:soon": {"type": "token", "provider": "anthropic", "token": token, "expires": now_ms + 2 * hour},
            "anthropic:old": {"type": "token", "provider": "anthropic", "token": token, "expires": now_ms - hour},
            "anthropic:key": {"type": "api_key", "provider": "anthropic", "key": KEY_A},
            "anthropic:hot": {"type": "api_key", "provider": "anthropic", "key": KEY_B}
        },
        "usage": {"anthropic:hot": {"cooldownUntil": now_ms + hour, "errorCount": 1, "lastFailure": {"message": "invalid x-api-key", "at": now_ms}}}
    })
}

fn status_cmd(home: &Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(server_bin())
        .args(["profiles", "status"])
        .args(args)
        .args(["--claude-path", claude_cli().to_str().unwrap()])
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .env("GROVE_STATE_DIR", home.join(".grove-state"))
        .env("GROVE_OLLAMA_URL", "http://127.0.0.1:9")
        .env("GROVE_LMSTUDIO_URL", "http://127.0.0.1:9")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_status_in_a_terminal_shows_every_status_and_check_exits_accordingly() {
    let home = TestHome::empty();
    let state = home.path().join(".grove-state");
    std::fs::create_dir_all(&state).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let store = state.join("auth-profiles.json");
    let write = |v: &Value| std::fs::write(&store, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    let mut doc = seeded_store(now);
    write(&doc);

    let (code, table) = status_cmd(home.path(), &[]);
    assert_eq!(code, 0, "{table}");
    let status_of = |table: &str, id: &str| -> String {
        let line = table
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} missing from\n{table}"));
        line.split_whitespace().nth(2).unwrap().to_string()
    };
    for (id, status) in [
        ("anthropic:fresh", "ok"),
        ("anthropic:soon", "expiring"),
        ("anthropic:old", "expired"),
        ("anthropic:key", "static"),
        ("anthropic:hot", "cooldown"),
        ("anthropic:claude-cli", "missing"),
    ] {
        assert_eq!(status_of(&table, id), status, "{id}\n{table}");
    }
    assert!(!table.contains(&setup_token()[20..]) && !table.contains(KEY_A));

    let (code, json_out) = status_cmd(home.path(), &["--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(profile(&v, "anthropic:soon")["status"], "expiring");
    assert!(!json_out.contains(KEY_B));

    assert_eq!(
        status_cmd(home.path(), &["--check"]).0,
        1,
        "expired and missing"
    );
    // Signed in, and the expired token gone: only "expiring" is left.
    home.write_credentials(grove_e2e::env::MAX_CREDENTIALS);
    doc["profiles"]
        .as_object_mut()
        .unwrap()
        .remove("anthropic:old");
    write(&doc);
    let (code, table) = status_cmd(home.path(), &["--check"]);
    assert_eq!(status_of(&table, "anthropic:claude-cli"), "ok", "{table}");
    assert_eq!(code, 2, "{table}");
    doc["profiles"]
        .as_object_mut()
        .unwrap()
        .remove("anthropic:soon");
    write(&doc);
    assert_eq!(status_cmd(home.path(), &["--check"]).0, 0);
}

fn shared_key(who: &str, i: usize) -> String {
    format!("sk-ant-api03-{who}{i:03}SHAREDSTORESECRETVALUE0000000000")
}

async fn churn(s: &Sidecar, who: &str) {
    for i in 0..40 {
        s.request(
            "grove/profiles/add",
            json!({"provider": "anthropic", "name": format!("{who}{i}"), "type": "api_key", "secret": shared_key(who, i)}),
        )
        .await
        .unwrap();
        if i % 4 == 3 {
            s.request(
                "grove/profiles/remove",
                json!({"id": format!("anthropic:{who}{}", i - 3)}),
            )
            .await
            .unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sidecars_changing_the_store_at_once_lose_nothing_and_leak_nothing() {
    let home = TestHome::empty();
    let envs = [("GROVE_LOG", "trace")];
    let (a, b) = tokio::join!(sidecar(&home, &envs), sidecar(&home, &envs));
    // 50 operations each: 40 adds and 10 removes, interleaved with the other sidecar's.
    tokio::join!(churn(&a, "a"), churn(&b, "b"));
    let mut expected: Vec<String> = Vec::new();
    for who in ["a", "b"] {
        for i in 0..40 {
            if i % 4 != 0 {
                expected.push(format!("anthropic:{who}{i}"));
            }
        }
    }
    expected.push("anthropic:claude-cli".into());
    expected.sort();
    for s in [&a, &b] {
        let l = list(s).await;
        let mut ids: Vec<String> = l["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        assert_eq!(ids, expected);
    }
    // The other window hears of changes it did not make.
    let heard = a
        .wait_for("grove/profiles/changed", 0, Duration::from_secs(10), |c| {
            c["profiles"]
                .as_array()
                .is_some_and(|p| p.len() == expected.len())
        })
        .await;
    assert!(heard.is_some());
    for s in [&a, &b] {
        let seen = format!(
            "{}{}",
            s.stderr(),
            serde_json::to_string(&s.received()).unwrap()
        );
        assert!(!seen.contains("SHAREDSTORESECRETVALUE"), "a secret leaked");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn import_from_a_coderclaw_store_copies_only_missing_ids() {
    let home = TestHome::empty();
    let agent = home.path().join(".coderclaw/agents/main/agent");
    std::fs::create_dir_all(&agent).unwrap();
    let token = setup_token();
    std::fs::write(
        agent.join("auth-profiles.json"),
        json!({"version": 1, "profiles": {
            "anthropic:work": {"type": "api_key", "provider": "anthropic", "key": KEY_A},
            "anthropic:dup": {"type": "token", "provider": "anthropic", "token": token},
            "gemini:x": {"type": "api_key", "provider": "gemini", "key": "AIzaSomethingSomething"}
        }})
        .to_string(),
    )
    .unwrap();
    let legacy = home.path().join(".openclaw/credentials");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(
        legacy.join("oauth.json"),
        json!({"openai-codex": {"access": "eyJ.access.x", "refresh": "rt_legacy", "expires": 4102444800000u64, "accountId": "acct"}}).to_string(),
    )
    .unwrap();
    let s = sidecar(&home, &[]).await;
    add(
        &s,
        json!({"provider": "anthropic", "name": "dup", "type": "api_key", "secret": KEY_B}),
    )
    .await
    .unwrap();
    let l = list(&s).await;
    assert_eq!(
        l["importable"],
        json!(["anthropic:work", "openai-codex:default"])
    );
    let mut got = s.request("grove/profiles/import", json!({})).await.unwrap();
    let reasons = got["reasons"].take();
    assert_eq!(
        got,
        json!({"imported": ["anthropic:work", "openai-codex:default"], "skipped": ["anthropic:dup", "gemini:x"], "reasons": null})
    );
    assert!(
        reasons["anthropic:dup"]
            .as_str()
            .unwrap()
            .contains("already")
    );
    assert!(
        reasons["gemini:x"]
            .as_str()
            .unwrap()
            .contains("no such provider")
    );
    let l = list(&s).await;
    assert_eq!(
        profile(&l, "anthropic:dup")["type"],
        "api_key",
        "kept, not overwritten"
    );
    assert_eq!(profile(&l, "openai-codex:default")["status"], "ok");
    assert_eq!(l["importable"], json!([]));
    let again = s.request("grove/profiles/import", json!({})).await.unwrap();
    assert_eq!(again["imported"], json!([]));
}
