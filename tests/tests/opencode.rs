//! Acceptance for opencode: the real CLI (pinned by `tests/tools.sh opencode`) run by the sidecar
//! against a loopback chat-completions stand-in, with an `ollama` profile and with an
//! `openai-compatible` one — a `write` tool use and its result, text, tokens; the file in the
//! worktree only; a follow-up that resumes the session; cancel; a refused key ending
//! `authRequired`; a server that never answers ending the run after `agentStallSeconds`; the key
//! nowhere it should not be; the user's own opencode config untouched.

use std::path::Path;
use std::time::{Duration, Instant};

use grove_e2e::chat_api::{ChatApi, MODEL, Reply, after_tool, user_texts};
use grove_e2e::client::Launch;
use grove_e2e::repo::demo_repo;
use grove_e2e::runs::{
    Watched, cancel_within_5s, ended, ended_watching, events_of, profile_in, workspace,
};
use grove_e2e::{Sidecar, TestHome, claude_cli, opencode_cli, procs};
use serde_json::{Value, json};

/// One test at a time: each starts several opencode processes, slow to start on a small machine.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const GATEWAY_KEY: &str = "gw-key-LOOPBACK-0123456789abcdef";
/// The user's own global config, without the `$schema` opencode adds to one that lacks it.
const USER_CONFIG: &str = "{\n  \"theme\": \"mine\"\n}\n";

fn model(body: &Value) -> Reply {
    if after_tool(body) {
        return Reply::Text("Wrote hello.txt.".into());
    }
    let asked = user_texts(body).last().cloned().unwrap_or_default();
    if asked.contains("ZZWRITE") {
        return Reply::Write {
            path: "hello.txt".into(),
            content: "hello from opencode\n".into(),
        };
    }
    let earlier = user_texts(body).join("\n").contains("ZZWRITE");
    Reply::Text(format!("Plain reply; earlier: {earlier}"))
}

async fn sidecar(home: &TestHome, stall: u32) -> Sidecar {
    let s = Launch::new(home.path())
        .env("GROVE_LOG", "trace")
        .env("GROVE_OLLAMA_URL", "http://127.0.0.1:9")
        .env("GROVE_LMSTUDIO_URL", "http://127.0.0.1:9")
        .env("OPENAI_API_KEY", "sk-inherited-MUST-NOT-REACH-A-CHILD-0000")
        .spawn();
    s.initialize(
        json!({"claudePath": claude_cli(), "opencodePath": opencode_cli(),
        "agentStallSeconds": stall}),
    )
    .await;
    s
}

fn user_config(home: &Path) -> std::path::PathBuf {
    let dir = home.join(".config/opencode");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("opencode.json");
    std::fs::write(&file, USER_CONFIG).unwrap();
    file
}

/// Runs `prompt` with opencode and `profile` in `ws`; the run as it ended, and every command line
/// and environment seen under the sidecar meanwhile.
async fn run(s: &Sidecar, ws: &Value, profile: &str, prompt: &str) -> (Value, Value, Vec<String>) {
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "opencode", "prompt": prompt, "profile": profile}),
        )
        .await
        .unwrap();
    let mut watched = Watched::default();
    let end = ended_watching(s, &run, &mut watched).await;
    let mut seen = watched.cmdlines;
    seen.extend(watched.environs);
    (run, end, seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn opencode_runs_with_an_ollama_and_a_gateway_profile_resumes_and_cancels() {
    let _one = SERIAL.lock().await;
    let home = TestHome::empty();
    let config = user_config(home.path());
    let repo = demo_repo(home.path());
    let s = sidecar(&home, 120).await;
    let local = ChatApi::start(None, model).await;
    let gateway = ChatApi::start(Some(GATEWAY_KEY), model).await;
    let profiles = [
        (
            "ollama:local",
            json!({"provider": "ollama", "name": "local", "type": "endpoint",
            "baseUrl": local.url()}),
            &local,
        ),
        (
            "openai-compatible:gw",
            json!({"provider": "openai-compatible", "name": "gw",
            "type": "endpoint", "baseUrl": format!("{}/v1", gateway.url()), "secret": GATEWAY_KEY}),
            &gateway,
        ),
    ];
    let (mut seen, mut transcripts) = (Vec::new(), Vec::new());
    for (id, add, api) in profiles {
        let added = s.request("grove/profiles/add", add).await.unwrap();
        assert_eq!(added["models"], json!([MODEL]), "{added:#}");
        let ws = workspace(&s, &repo, &id.replace(':', "-")).await;
        let (first, end, saw) = run(&s, &ws, id, "Please ZZWRITE hello.txt.").await;
        seen.extend(saw);
        let transcript = s
            .request("grove/agent/transcript", json!({"runId": first["runId"]}))
            .await
            .unwrap();
        transcripts.push(transcript.to_string());
        assert_eq!(end["state"], "succeeded", "{id}: {end:#}\n{}", s.stderr());
        let events = events_of(&s, &first);
        let tool = events
            .iter()
            .find(|e| e["kind"] == "toolUse" && e["name"] == "write")
            .unwrap_or_else(|| panic!("{id}: {events:#?}"));
        assert!(events.iter().any(|e| {
            e["kind"] == "toolResult" && e["toolUseId"] == tool["id"] && e["isError"] == false
        }));
        assert!(
            events
                .iter()
                .any(|e| e["kind"] == "text" && e["text"] == "Wrote hello.txt.")
        );
        let result = events.iter().rev().find(|e| e["kind"] == "result").unwrap();
        assert!(
            result["usage"]["outputTokens"].as_u64().unwrap() > 0,
            "{result:#}"
        );
        let wt = Path::new(ws["path"].as_str().unwrap());
        assert_eq!(
            std::fs::read_to_string(wt.join("hello.txt")).unwrap(),
            "hello from opencode\n"
        );
        assert!(!repo.join("hello.txt").exists());

        // A follow-up resumes the session.
        let session = end["sessionId"].as_str().unwrap().to_string();
        let (_, next, saw) = run(&s, &ws, id, "And a plain question.").await;
        seen.extend(saw);
        assert_eq!(next["state"], "succeeded", "{next:#}\n{}", s.stderr());
        assert_eq!(next["sessionId"], session.as_str(), "the same session");
        let last = user_texts(api.requests().last().unwrap()).join("\n");
        assert!(
            last.contains("ZZWRITE") && last.contains("plain question"),
            "{last}"
        );
    }

    // Cancel ends a run within 5 s with nothing left (the server takes the request and waits).
    local.go_silent();
    let ws = workspace(&s, &repo, "opencode-cancel").await;
    let slow = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "opencode", "prompt": "Think.",
                "profile": "ollama:local"}),
        )
        .await
        .unwrap();
    let asked = Instant::now();
    while local
        .all_requests()
        .iter()
        .all(|r| !r.json().to_string().contains("Think."))
    {
        assert!(
            asked.elapsed() < Duration::from_secs(60),
            "the request never came"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cancel_within_5s(&s, &slow).await;

    // The key nowhere it should not be; the inherited key in no child; the user's config as it was.
    let text = format!(
        "{}{}{}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap(),
        transcripts.join("\n")
    );
    assert!(!text.contains(GATEWAY_KEY), "the key leaked");
    let cmdlines: Vec<&String> = seen.iter().filter(|l| !l.contains('\n')).collect();
    assert!(
        cmdlines.iter().all(|c| !c.contains(GATEWAY_KEY)),
        "{cmdlines:?}"
    );
    let reached: Vec<&str> = seen
        .iter()
        .filter(|e| e.contains("sk-inherited-MUST-NOT"))
        .filter_map(|e| e.lines().next())
        .collect();
    assert!(reached.is_empty(), "the inherited key reached {reached:?}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), USER_CONFIG);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_ends_auth_required_and_a_silent_server_ends_the_run_after_the_stall_limit() {
    let _one = SERIAL.lock().await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = sidecar(&home, 120).await;

    // A key the gateway refuses: authRequired within 15 s, the profile cooling down.
    let gateway = ChatApi::start(Some(GATEWAY_KEY), model).await;
    s.request(
        "grove/profiles/add",
        json!({"provider": "openai-compatible", "name": "wrong", "type": "endpoint",
            "baseUrl": gateway.url(), "secret": "not-the-gateway-key-0000000000"}),
    )
    .await
    .unwrap();
    let ws = workspace(&s, &repo, "opencode-401").await;
    let started = Instant::now();
    let refused = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "opencode", "prompt": "hi",
                "profile": "openai-compatible:wrong"}),
        )
        .await
        .unwrap();
    let end = ended(&s, &refused, Duration::from_secs(15)).await;
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(end["state"], "authRequired", "{end:#}\n{}", s.stderr());
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    let p = profile_in(&list, "openai-compatible:wrong").unwrap();
    assert_eq!(p["status"], "cooldown", "{p:#}");

    // A server that never answers: stopped after agentStallSeconds (3), naming the endpoint.
    drop(s);
    let s = sidecar(&home, 3).await;
    let silent = ChatApi::start(None, model).await;
    s.request(
        "grove/profiles/add",
        json!({"provider": "ollama", "name": "silent", "type": "endpoint", "baseUrl": silent.url()}),
    )
    .await
    .unwrap();
    silent.go_silent();
    let ws = workspace(&s, &repo, "opencode-stall").await;
    let stalled = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "opencode", "prompt": "hi",
                "profile": "ollama:silent"}),
        )
        .await
        .unwrap();
    let end = ended(&s, &stalled, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "failed", "{end:#}");
    let error = end["error"].as_str().unwrap();
    assert!(
        error.contains(silent.url()) && error.contains("3 s"),
        "{error}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !procs::descendants(s.pid()).is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(procs::descendants(s.pid()).is_empty(), "a process was left");
}
