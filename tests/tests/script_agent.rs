//! An agent CLI added by a folder and a line in the registry alone: the tests' script agent (a
//! shell script that prints Grove's events as JSON lines) runs through the whole pipeline —
//! listed, queued under the cap, its events streamed and kept in the transcript, cancelled.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use grove_e2e::TestHome;
use grove_e2e::client::Launch;
use grove_e2e::repo::demo_repo;
use serde_json::{Value, json};

const STATE: &str = "grove/agent/stateChanged";
const EVENT: &str = "grove/agent/event";

/// Reads the prompt, prints an init, its text and a result; "slow" waits first (for the queue and
/// cancel).
const SCRIPT: &str = r#"#!/bin/sh
prompt=$(cat)
echo '{"kind":"init","sessionId":"script-session","model":"script-model","cwd":"'"$PWD"'"}'
echo "not json: the script's own words"
if [ "$prompt" = "slow" ]; then sleep 60; fi
printf '{"kind":"text","text":"you said: %s"}\n' "$prompt"
echo '{"kind":"result","isError":false,"text":"done","costUsd":null,"durationMs":5}'
"#;

async fn state_of(s: &grove_e2e::Sidecar, run: &Value, state: &str) -> bool {
    s.wait_for(STATE, 0, Duration::from_secs(30), |r| {
        r["runId"] == run["runId"] && r["state"] == state
    })
    .await
    .is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_script_agent_runs_through_the_whole_pipeline() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let script = home.path().join("grove-script-agent");
    std::fs::write(&script, SCRIPT).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = Launch::new(home.path())
        .env("GROVE_TEST_SCRIPT_AGENT", "1")
        .spawn();
    s.initialize(json!({"scriptAgentPath": script, "maxParallelAgents": 1}))
        .await;

    // Listed from the registry, found through its own path setting.
    let list = s.request("grove/agents/list", json!({})).await.unwrap();
    let agent = list["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "script")
        .cloned()
        .expect("the script agent is listed");
    assert_eq!(agent["found"], true, "{agent:#}");
    assert_eq!(agent["path"], json!(script));
    assert_eq!(agent["capabilities"]["cost"], "none");

    let ws = s
        .request("grove/workspace/create", json!({"repoPath": repo}))
        .await
        .unwrap();
    let start = |prompt: &str| {
        s.request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": prompt, "agent": "script"}),
        )
    };
    let slow = start("slow").await.unwrap();
    assert_eq!(slow["agent"], "script");
    assert_eq!(slow["profile"], "script:script-cli", "its own sign-in");
    assert!(state_of(&s, &slow, "running").await);
    // The cap is 1: the second run waits.
    let quick = start("hello").await.unwrap();
    assert_eq!(quick["state"], "queued", "{quick:#}");

    // The slow run's first events arrive while it runs; it is cancelled within 5 s.
    s.wait_for(EVENT, 0, Duration::from_secs(30), |e| {
        e["runId"] == slow["runId"] && e["event"]["kind"] == "init"
    })
    .await
    .expect("the slow run's init");
    let asked = Instant::now();
    s.request("grove/agent/cancel", json!({"runId": slow["runId"]}))
        .await
        .unwrap();
    assert!(state_of(&s, &slow, "cancelled").await);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );

    // The queued run starts, streams its events and succeeds.
    assert!(state_of(&s, &quick, "succeeded").await);
    let streamed: Vec<Value> = s
        .notifications(EVENT)
        .into_iter()
        .filter(|e| e["runId"] == quick["runId"])
        .map(|e| e["event"].clone())
        .collect();
    let kinds: Vec<&str> = streamed.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["init", "other", "text", "result"], "{streamed:#?}");
    assert_eq!(streamed[2]["text"], "you said: hello");
    let runs = s
        .request("grove/agent/list", json!({"workspaceId": ws["id"]}))
        .await
        .unwrap();
    let quick_now = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["runId"] == quick["runId"])
        .cloned()
        .unwrap();
    assert_eq!(quick_now["sessionId"], "script-session");

    // The transcript holds the same events.
    let transcript = s
        .request("grove/agent/transcript", json!({"runId": quick["runId"]}))
        .await
        .unwrap();
    let kept: Vec<&str> = transcript["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kept, kinds);
}
