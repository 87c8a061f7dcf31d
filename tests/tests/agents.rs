//! Acceptance for agent runs: the real claude CLI in a workspace against a loopback Messages API —
//! tool calls, follow-up turns, verbatim prompts, cancel, the parallelism cap, authentication
//! failures, and a SIGKILLed sidecar.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::messages_api::{Block, MessagesApi, Reply, after_tool_result};
use grove_e2e::repo::demo_repo;
use grove_e2e::{Sidecar, TestHome, claude_cli, procs};
use serde_json::{Value, json};

const KEY: &str = "sk-ant-api03-LOOPBACKAGENTKEY00000000000";
const STATE: &str = "grove/agent/stateChanged";
const EVENT: &str = "grove/agent/event";

/// A model that writes `notes.txt` with the Write tool, then says "Done.".
fn writer_model(req: &Value) -> Reply {
    if after_tool_result(req) {
        Reply::text("Done.")
    } else {
        Reply::Message(vec![Block::ToolUse {
            id: "toolu_01".into(),
            name: "Write".into(),
            input: json!({"file_path": "notes.txt", "content": "written by the agent\n"}),
        }])
    }
}

struct Setup {
    home: TestHome,
    repo: PathBuf,
    s: Sidecar,
}

async fn setup(api: &MessagesApi, options: Value) -> Setup {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .spawn();
    let mut options = options;
    options["claudePath"] = json!(claude_cli());
    s.initialize(options).await;
    Setup { home, repo, s }
}

async fn workspace(s: &Sidecar, repo: &Path, name: &str) -> Value {
    s.request(
        "grove/workspace/create",
        json!({"repoPath": repo, "name": name}),
    )
    .await
    .expect("workspace")
}

async fn start(s: &Sidecar, ws: &Value, prompt: &str) -> Value {
    let params =
        json!({"workspaceId": ws["id"], "prompt": prompt, "permissionMode": "acceptEdits"});
    s.request("grove/agent/start", params).await.expect("start")
}

async fn ended(s: &Sidecar, run: &Value, within: Duration) -> Value {
    s.wait_for(STATE, 0, within, |r| {
        r["runId"] == run["runId"] && !matches!(r["state"].as_str(), Some("queued" | "running"))
    })
    .await
    .unwrap_or_else(|| panic!("run did not end; log:\n{}", s.stderr()))
}

fn events_of(s: &Sidecar, run: &Value) -> Vec<Value> {
    s.notifications(EVENT)
        .into_iter()
        .filter(|e| e["runId"] == run["runId"])
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_tool_run_writes_in_the_worktree_and_streams_ordered_events() {
    let api = MessagesApi::start(writer_model).await;
    let Setup {
        repo,
        s,
        home: _home,
    } = setup(&api, json!({})).await;
    let ws = workspace(&s, &repo, "writer").await;
    let run = start(&s, &ws, "please WRITE notes.txt").await;
    assert!(
        matches!(run["state"].as_str(), Some("queued" | "running")),
        "{run}"
    );
    let done = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert!(done["costUsd"].is_number());
    assert!(done["sessionId"].is_string());

    let path = Path::new(ws["path"].as_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(path.join("notes.txt")).unwrap(),
        "written by the agent\n"
    );
    assert!(
        !repo.join("notes.txt.bak").exists()
            && std::fs::read_to_string(repo.join("notes.txt")).unwrap() == "keep\nme\n"
    );

    let events = events_of(&s, &run);
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(
        seqs,
        (0..events.len() as u64).collect::<Vec<_>>(),
        "gapless from 0"
    );
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap())
        .filter(|k| *k != "other" && *k != "stderr")
        .collect();
    // The answer streams (a `textDelta`) before its whole text.
    assert_eq!(
        kinds,
        [
            "init",
            "toolUse",
            "toolResult",
            "textDelta",
            "text",
            "result"
        ]
    );
    let tool = events
        .iter()
        .find(|e| e["event"]["kind"] == "toolUse")
        .unwrap();
    assert_eq!(tool["event"]["name"], "Write");
    assert_eq!(events[0]["event"]["cwd"], ws["path"]);

    let transcript = s
        .request("grove/agent/transcript", json!({"runId": run["runId"]}))
        .await
        .unwrap();
    let streamed: Vec<Value> = events.iter().map(|e| e["event"].clone()).collect();
    assert_eq!(transcript["events"].as_array().unwrap(), &streamed);
    let listed = s
        .request("grove/agent/list", json!({"workspaceId": ws["id"]}))
        .await
        .unwrap();
    assert_eq!(listed["runs"][0]["state"], "succeeded");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_follow_up_resumes_the_session_and_prompts_arrive_verbatim() {
    let api = MessagesApi::start(|_| Reply::text("Noted.")).await;
    let Setup {
        repo,
        s,
        home: _home,
    } = setup(&api, json!({})).await;
    let ws = workspace(&s, &repo, "talk").await;
    let first = start(&s, &ws, "remember the word pumpkin").await;
    let first = ended(&s, &first, Duration::from_secs(60)).await;
    assert_eq!(first["state"], "succeeded", "{first}");

    let tricky = "-- --help \"quoted\" 'single' $HOME `whoami` $(id)\nsecond line\n\t-x";
    let second = start(&s, &ws, tricky).await;
    let second = ended(&s, &second, Duration::from_secs(60)).await;
    assert_eq!(second["state"], "succeeded", "{second}");
    assert_eq!(
        second["sessionId"], first["sessionId"],
        "resumed the same session"
    );
    let texts = api.user_texts();
    assert!(
        texts.iter().any(|t| t == tricky || t.contains(tricky)),
        "the prompt reached the model unchanged: {texts:?}"
    );
    let last = api.requests().last().unwrap().clone();
    let history = serde_json::to_string(&last["messages"]).unwrap();
    assert!(
        history.contains("remember the word pumpkin"),
        "the follow-up carries the first turn"
    );

    let fresh = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "prompt": "new topic", "newSession": true}),
        )
        .await
        .unwrap();
    let fresh = ended(&s, &fresh, Duration::from_secs(60)).await;
    assert_ne!(fresh["sessionId"], first["sessionId"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_stops_a_streaming_run_within_5_seconds_leaving_no_process() {
    let api = MessagesApi::start(|_| {
        Reply::After(Duration::from_secs(120), Box::new(Reply::text("late")))
    })
    .await;
    let Setup {
        repo,
        s,
        home: _home,
    } = setup(&api, json!({})).await;
    let ws = workspace(&s, &repo, "slow").await;
    let run = start(&s, &ws, "take your time").await;
    s.wait_for(EVENT, 0, Duration::from_secs(30), |e| {
        e["event"]["kind"] == "init"
    })
    .await
    .expect("the run started");
    let cli = procs::children(s.pid())
        .into_iter()
        .find(|p| procs::pgid(*p) == Some(*p))
        .expect("the CLI");
    let t = Instant::now();
    s.request("grove/agent/cancel", json!({"runId": run["runId"]}))
        .await
        .unwrap();
    let done = ended(&s, &run, Duration::from_secs(10)).await;
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "cancel took {:?}",
        t.elapsed()
    );
    assert_eq!(done["state"], "cancelled");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        procs::group_members(cli).is_empty(),
        "left behind: {:?}",
        procs::group_members(cli)
    );
    let err = s
        .request("grove/agent/cancel", json!({"runId": "run-0"}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32023);
}

#[tokio::test(flavor = "multi_thread")]
async fn five_runs_under_a_cap_of_two_run_two_at_a_time_in_order() {
    let api = MessagesApi::start(|_| {
        Reply::After(Duration::from_millis(700), Box::new(Reply::text("ok")))
    })
    .await;
    let Setup {
        repo,
        s,
        home: _home,
    } = setup(&api, json!({"maxParallelAgents": 2})).await;
    let mut runs = Vec::new();
    for i in 0..5 {
        let ws = workspace(&s, &repo, &format!("par-{i}")).await;
        runs.push(start(&s, &ws, &format!("task {i}")).await);
    }
    for run in &runs {
        let done = ended(&s, run, Duration::from_secs(120)).await;
        assert_eq!(done["state"], "succeeded", "{done}");
    }
    let mut running = std::collections::HashSet::new();
    let mut most = 0;
    let mut started = Vec::new();
    for change in s.notifications(STATE) {
        let id = change["runId"].as_str().unwrap().to_string();
        if change["state"] == "running" {
            if running.insert(id.clone()) {
                started.push(id);
            }
        } else {
            running.remove(&id);
        }
        most = most.max(running.len());
    }
    assert_eq!(most, 2, "never more than two at once, and the cap was used");
    let asked: Vec<String> = runs
        .iter()
        .map(|r| r["runId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(started, asked, "FIFO");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_key_and_a_signed_out_home_end_auth_required_at_once() {
    let api = MessagesApi::start(|_| Reply::unauthorized()).await;
    let Setup {
        repo,
        s,
        home: _home,
    } = setup(&api, json!({})).await;
    let ws = workspace(&s, &repo, "rejected").await;
    let t = Instant::now();
    let run = start(&s, &ws, "hello").await;
    let done = ended(&s, &run, Duration::from_secs(20)).await;
    assert!(
        t.elapsed() < Duration::from_secs(15),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(done["state"], "authRequired", "{done}");
    let status = s
        .wait_for("grove/auth/statusChanged", 0, Duration::from_secs(5), |v| {
            v["lastFailure"]["source"] == "agent"
        })
        .await
        .expect("statusChanged with the agent's failure");
    assert_eq!(status["lastFailure"]["message"], done["error"]);

    // No credentials at all.
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    let ws = workspace(&s, &repo, "signed-out").await;
    let t = Instant::now();
    let run = start(&s, &ws, "hello").await;
    let done = ended(&s, &run, Duration::from_secs(20)).await;
    assert!(t.elapsed() < Duration::from_secs(15));
    assert_eq!(done["state"], "authRequired", "{done}");
    assert!(
        done["error"].as_str().unwrap().contains("Not logged in"),
        "{done}"
    );
    let status = s
        .wait_for("grove/auth/statusChanged", 0, Duration::from_secs(5), |v| {
            v["lastFailure"]["source"] == "agent"
        })
        .await;
    assert!(status.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sigkilled_sidecar_leaves_no_agent_and_its_run_reads_failed_after_restart() {
    let api = MessagesApi::start(|_| {
        Reply::After(Duration::from_secs(120), Box::new(Reply::text("late")))
    })
    .await;
    let Setup { repo, s, home } = setup(&api, json!({})).await;
    let ws = workspace(&s, &repo, "doomed-run").await;
    let run = start(&s, &ws, "long task").await;
    s.wait_for(EVENT, 0, Duration::from_secs(30), |e| {
        e["event"]["kind"] == "init"
    })
    .await
    .expect("started");
    let cli = procs::children(s.pid())
        .into_iter()
        .find(|p| procs::pgid(*p) == Some(*p))
        .expect("the CLI");
    std::process::Command::new("kill")
        .args(["-9", &s.pid().to_string()])
        .status()
        .unwrap();
    let t = Instant::now();
    while !procs::group_members(cli).is_empty() && t.elapsed() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        procs::group_members(cli).is_empty(),
        "agent processes outlived the sidecar"
    );
    // As an editor does, start the next sidecar once the killed one is gone (reaped).
    let mut s = s;
    assert!(
        s.wait_exit(Duration::from_secs(10)).await.is_some(),
        "the killed sidecar exits"
    );
    drop(s);

    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    let runs = s.request("grove/agent/list", json!({})).await.unwrap();
    let old = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["runId"] == run["runId"])
        .unwrap()
        .clone();
    assert_eq!(old["state"], "failed");
    assert!(old["error"].as_str().unwrap().contains("Grove stopped"));
    let transcript = s
        .request("grove/agent/transcript", json!({"runId": run["runId"]}))
        .await
        .unwrap();
    assert_eq!(
        transcript["events"][0]["kind"], "init",
        "events before the kill are kept"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_that_needed_sign_in_is_retried_in_a_new_session_after_signing_in() {
    let api = MessagesApi::start(|_| Reply::text("Hello again.")).await;
    // Signed out: no credentials at all.
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    let ws = workspace(&s, &repo, "needs-sign-in").await;
    let first = start(&s, &ws, "hello").await;
    let first = ended(&s, &first, Duration::from_secs(20)).await;
    assert_eq!(first["state"], "authRequired", "{first}");
    assert_eq!(first["resumable"], false, "the CLI saved nothing: {first}");
    s.wait_for("grove/auth/statusChanged", 0, Duration::from_secs(5), |v| {
        v["lastFailure"]["source"] == "agent"
    })
    .await
    .expect("the failure is recorded");

    // Signing in writes the credentials: every view hears of it, the old failure gone.
    let t = Instant::now();
    home.write_credentials(grove_e2e::env::MAX_CREDENTIALS);
    let signed_in = s
        .wait_for("grove/auth/statusChanged", 0, Duration::from_secs(5), |v| {
            v["loggedIn"] == true
        })
        .await
        .expect("signed in without a manual check");
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "took {:?}",
        t.elapsed()
    );
    assert!(signed_in["lastFailure"].is_null(), "{signed_in}");

    // Retry: the same prompt, no "new session" asked for. It must not resume the unsaved one.
    let retry = start(&s, &ws, "hello").await;
    let retry = ended(&s, &retry, Duration::from_secs(60)).await;
    assert_eq!(retry["state"], "succeeded", "{retry}\n{}", s.stderr());
    assert_eq!(retry["resumable"], true);
    assert_ne!(retry["sessionId"], first["sessionId"]);
    let kinds: Vec<Value> = events_of(&s, &retry)
        .iter()
        .map(|e| e["event"]["kind"].clone())
        .collect();
    assert!(
        !kinds.contains(&json!("notice")),
        "no resume was tried: {kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_the_cli_lost_is_replaced_once_and_the_panel_is_told() {
    let api = MessagesApi::start(|_| Reply::text("Streamed words.")).await;
    let Setup { repo, s, home } = setup(&api, json!({})).await;
    let ws = workspace(&s, &repo, "lost-session").await;
    let first = start(&s, &ws, "first").await;
    let first = ended(&s, &first, Duration::from_secs(60)).await;
    assert_eq!(first["state"], "succeeded", "{first}");
    assert_eq!(first["resumable"], true);
    // Answers stream: text deltas come before the whole text.
    let kinds: Vec<String> = events_of(&s, &first)
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap().to_string())
        .collect();
    let delta = kinds
        .iter()
        .position(|k| k == "textDelta")
        .expect("a textDelta");
    let text = kinds.iter().position(|k| k == "text").expect("a text");
    assert!(delta < text, "{kinds:?}");
    let deltas: String = events_of(&s, &first)
        .iter()
        .filter(|e| e["event"]["kind"] == "textDelta")
        .map(|e| e["event"]["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(deltas, "Streamed words.");

    // The CLI loses its saved conversations.
    std::fs::remove_dir_all(home.claude_dir().join("projects")).expect("the CLI kept sessions");
    let second = start(&s, &ws, "second").await;
    let second = ended(&s, &second, Duration::from_secs(60)).await;
    assert_eq!(second["state"], "succeeded", "{second}\n{}", s.stderr());
    assert_ne!(second["sessionId"], first["sessionId"]);
    let events = events_of(&s, &second);
    let notices: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"]["kind"] == "notice")
        .collect();
    assert_eq!(notices.len(), 1, "{events:?}");
    assert!(
        notices[0]["event"]["message"]
            .as_str()
            .unwrap()
            .contains("new session")
    );
    assert!(
        !events
            .iter()
            .any(|e| e["event"]["kind"] == "result" && e["event"]["isError"] == true),
        "the failed resume is not shown as an error: {events:?}"
    );
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (0..events.len() as u64).collect::<Vec<_>>());
    let transcript = s
        .request("grove/agent/transcript", json!({"runId": second["runId"]}))
        .await
        .unwrap();
    let streamed: Vec<Value> = events.iter().map(|e| e["event"].clone()).collect();
    assert_eq!(transcript["events"].as_array().unwrap(), &streamed);
}
