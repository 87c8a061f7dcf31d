//! Acceptance for interactive runs: the real claude CLI asks before a tool runs and the client
//! answers (allow, deny with a message, always allow a Bash prefix), questions and plans, messages
//! to a running agent, interrupt, pending requests, and cancel while waiting.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::messages_api::{Block, MessagesApi, Reply};
use grove_e2e::repo::demo_repo;
use grove_e2e::runs::{cancel_within_5s, ended, workspace};
use grove_e2e::{Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};

const KEY: &str = "sk-ant-api03-FAKELOOPBACKINTERACTIVE0000000";
const STATE: &str = "grove/agent/stateChanged";
const REQUEST: &str = "grove/agent/request";

/// Every text the user side of a request holds (prompts and messages, not tool results).
fn user_text(req: &Value) -> String {
    let mut out = String::new();
    for m in req["messages"].as_array().into_iter().flatten() {
        if m["role"] != "user" {
            continue;
        }
        match &m["content"] {
            Value::String(s) => out.push_str(s),
            Value::Array(blocks) => {
                for b in blocks {
                    if let Some(t) = b["text"].as_str() {
                        out.push_str(t);
                    }
                }
            }
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// The tool results of a request: (content as text, is_error).
fn tool_results(req: &Value) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for m in req["messages"].as_array().into_iter().flatten() {
        for b in m["content"].as_array().into_iter().flatten() {
            if b["type"] == "tool_result" {
                let text = match &b["content"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.push((text, b["is_error"] == true));
            }
        }
    }
    out
}

/// The user's text since the model last spoke: this turn's prompt (with the CLI's reminders).
fn last_text(req: &Value) -> String {
    let messages = req["messages"].as_array().cloned().unwrap_or_default();
    let start = messages
        .iter()
        .rposition(|m| m["role"] == "assistant")
        .map_or(0, |i| i + 1);
    user_text(&json!({ "messages": messages[start..] }))
}

/// A model that, for a last message holding `TOOL:<name> <json input>`, calls that tool, then
/// says "Done."; other prompts get a text answer. Tool use ids are unique per request.
fn tool_model() -> impl Fn(&Value) -> Reply + Send + Sync + 'static {
    let n = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(std::sync::Mutex::new(
        std::collections::HashSet::<String>::new(),
    ));
    move |req: &Value| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        // A tool result not seen before: the tool ran (or was denied); the turn ends.
        let fresh: Vec<String> = req["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|m| m["content"].as_array().cloned().unwrap_or_default())
            .filter(|b| b["type"] == "tool_result")
            .filter_map(|b| b["tool_use_id"].as_str().map(str::to_owned))
            .filter(|id| answered.lock().unwrap().insert(id.clone()))
            .collect();
        if !fresh.is_empty() {
            return Reply::text("Done.");
        }
        let text = last_text(req);
        let Some(spec) = text.lines().rev().find_map(|l| l.strip_prefix("TOOL:")) else {
            return Reply::text("Plain answer.");
        };
        let (name, input) = spec.split_once(' ').unwrap_or((spec, "{}"));
        Reply::Message(vec![Block::ToolUse {
            id: format!("toolu_{i:03}"),
            name: name.to_string(),
            input: serde_json::from_str(input).unwrap_or(json!({})),
        }])
    }
}

struct Setup {
    _home: TestHome,
    repo: std::path::PathBuf,
    s: Sidecar,
}

async fn setup(api: &MessagesApi) -> Setup {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    Setup {
        _home: home,
        repo,
        s,
    }
}

async fn start(s: &Sidecar, ws: &Value, prompt: &str, mode: Option<&str>) -> Value {
    let mut params = json!({"workspaceId": ws["id"], "prompt": prompt});
    if let Some(m) = mode {
        params["permissionMode"] = json!(m);
    }
    s.request("grove/agent/start", params).await.expect("start")
}

async fn request_of(s: &Sidecar, run: &Value, nth: usize) -> Value {
    let mut seen = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mine: Vec<Value> = s
            .notifications(REQUEST)
            .into_iter()
            .filter(|r| r["runId"] == run["runId"])
            .collect();
        if mine.len() > nth {
            return mine[nth].clone();
        }
        if seen != mine.len() {
            seen = mine.len();
        }
        assert!(
            Instant::now() < deadline,
            "no request; events: {:#?}\nlog:\n{}",
            s.notifications("grove/agent/event")
                .iter()
                .filter(|e| e["runId"] == run["runId"])
                .map(|e| e["event"].to_string().chars().take(300).collect::<String>())
                .collect::<Vec<_>>(),
            s.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn respond(s: &Sidecar, req: &Value, answer: Value) {
    let mut params = json!({"runId": req["runId"], "requestId": req["requestId"]});
    for (k, v) in answer.as_object().unwrap() {
        params[k] = v.clone();
    }
    s.request("grove/agent/respond", params)
        .await
        .expect("respond");
}

fn write_prompt(file: &str) -> String {
    format!(
        "Please write the file.\nTOOL:Write {}",
        json!({"file_path": file, "content": "written by the agent\n"})
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_is_asked_for_then_allowed_or_denied_with_a_message() {
    let api = MessagesApi::start(tool_model()).await;
    let Setup { _home, repo, s } = setup(&api).await;

    let ws = workspace(&s, &repo, "allow").await;
    let run = start(&s, &ws, &write_prompt("agent-notes.txt"), None).await;
    let req = request_of(&s, &run, 0).await;
    assert_eq!(req["kind"], "tool");
    assert_eq!(req["toolName"], "Write");
    assert!(
        req["input"]["file_path"]
            .as_str()
            .unwrap()
            .ends_with("agent-notes.txt"),
        "{req:#}"
    );
    assert_eq!(req["workspaceId"], ws["id"]);
    let waiting = s
        .wait_for(STATE, 0, Duration::from_secs(10), |r| {
            r["runId"] == run["runId"] && r["state"] == "waiting"
        })
        .await;
    assert!(waiting.is_some(), "the run reads waiting");
    respond(&s, &req, json!({"behavior": "allow"})).await;
    let end = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    let path = Path::new(ws["path"].as_str().unwrap()).join("agent-notes.txt");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "written by the agent\n"
    );
    assert!(!repo.join("agent-notes.txt").exists());
    assert!(
        s.notifications("grove/agent/requestDone")
            .iter()
            .any(|d| d["requestId"] == req["requestId"] && d["outcome"] == "allow")
    );

    let first_run = run;
    let ws = workspace(&s, &repo, "deny").await;
    let run = start(&s, &ws, &write_prompt("denied.txt"), None).await;
    let req = request_of(&s, &run, 0).await;
    const WHY: &str = "Not now: keep your notes in the README instead.";
    respond(&s, &req, json!({"behavior": "deny", "message": WHY})).await;
    let end = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    assert!(
        !Path::new(ws["path"].as_str().unwrap())
            .join("denied.txt")
            .exists()
    );
    let last = api.requests().last().cloned().unwrap();
    assert!(
        tool_results(&last)
            .iter()
            .any(|(text, err)| *err && text.contains(WHY)),
        "the model's next request carries the denial: {:?}",
        tool_results(&last)
    );
    // The denied tool's result says so (not a tool that failed), with the user's words; the
    // allowed one's says nothing of it.
    let results = |run_id: &Value| -> Vec<Value> {
        s.notifications("grove/agent/event")
            .into_iter()
            .filter(|e| &e["runId"] == run_id && e["event"]["kind"] == "toolResult")
            .map(|e| e["event"].clone())
            .collect()
    };
    let denied = results(&run["runId"]);
    assert!(
        denied
            .iter()
            .any(|e| e["denied"] == true && e["content"].as_str().unwrap().contains(WHY)),
        "{denied:#?}"
    );
    let allowed = results(&first_run["runId"]);
    assert!(
        !allowed.is_empty() && allowed.iter().all(|e| e.get("denied").is_none()),
        "{allowed:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn always_allow_a_bash_prefix_asks_no_more_for_it_but_still_for_others() {
    let api = MessagesApi::start(tool_model()).await;
    let Setup { _home, repo, s } = setup(&api).await;
    let ws = workspace(&s, &repo, "rules").await;
    let bash = |cmd: &str| {
        format!(
            "Run it.\nTOOL:Bash {}",
            json!({"command": cmd, "description": "a command"})
        )
    };

    let run = start(&s, &ws, &bash("touch first.txt"), None).await;
    let req = request_of(&s, &run, 0).await;
    assert_eq!(req["toolName"], "Bash");
    assert_eq!(req["input"]["command"], "touch first.txt");
    respond(&s, &req, json!({"behavior": "allowAlways"})).await;
    assert_eq!(
        ended(&s, &run, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    let rules = s
        .request("grove/workspace/rules", json!({"id": ws["id"]}))
        .await
        .unwrap();
    assert_eq!(
        rules,
        json!({"rules": [{"toolName": "Bash", "prefix": "touch"}]})
    );

    let run = start(&s, &ws, &bash("touch second.txt"), None).await;
    assert_eq!(
        ended(&s, &run, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    let asked: Vec<Value> = s
        .notifications(REQUEST)
        .into_iter()
        .filter(|r| r["runId"] == run["runId"])
        .collect();
    assert!(
        asked.is_empty(),
        "the same prefix is not asked again: {asked:?}"
    );
    let wt = Path::new(ws["path"].as_str().unwrap());
    assert!(wt.join("first.txt").exists() && wt.join("second.txt").exists());

    let run = start(&s, &ws, &bash("mkdir other"), None).await;
    let req = request_of(&s, &run, 0).await;
    assert_eq!(req["input"]["command"], "mkdir other");
    respond(&s, &req, json!({"behavior": "deny"})).await;
    assert_eq!(
        ended(&s, &run, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    assert!(!wt.join("other").exists());

    let left = s
        .request(
            "grove/workspace/removeRule",
            json!({"id": ws["id"], "rule": {"toolName": "Bash", "prefix": "touch"}}),
        )
        .await
        .unwrap();
    assert_eq!(left, json!({"rules": []}));
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_reach_the_model_and_plans_are_approved_or_sent_back() {
    let api = MessagesApi::start(tool_model()).await;
    let Setup { _home, repo, s } = setup(&api).await;
    let ws = workspace(&s, &repo, "ask").await;
    let question = json!({"questions": [{"question": "Which color?", "header": "Color",
        "options": [{"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cool"}],
        "multiSelect": false}]});
    let run = start(
        &s,
        &ws,
        &format!("Ask me.\nTOOL:AskUserQuestion {question}"),
        None,
    )
    .await;
    let req = request_of(&s, &run, 0).await;
    assert_eq!(req["kind"], "question");
    assert_eq!(req["input"]["questions"][0]["options"][1]["label"], "Blue");
    respond(
        &s,
        &req,
        json!({"behavior": "allow", "answers": {"Which color?": "Blue"}}),
    )
    .await;
    assert_eq!(
        ended(&s, &run, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    let last = api.requests().last().cloned().unwrap();
    assert!(
        tool_results(&last)
            .iter()
            .any(|(t, err)| !err && t.contains("Which color?") && t.contains("Blue")),
        "{:?}",
        tool_results(&last)
    );

    const PLAN: &str = "1. Write notes.txt\n2. Say done";
    let plan_prompt = format!("Plan it.\nTOOL:ExitPlanMode {}", json!({"plan": PLAN}));
    for (approve, name) in [(true, "plan-ok"), (false, "plan-back")] {
        let ws = workspace(&s, &repo, name).await;
        let run = start(&s, &ws, &plan_prompt, Some("plan")).await;
        let req = request_of(&s, &run, 0).await;
        assert_eq!(req["kind"], "plan", "{req:#}");
        assert_eq!(req["input"]["plan"], PLAN);
        let answer = if approve {
            json!({"behavior": "allow"})
        } else {
            json!({"behavior": "deny", "message": "Keep planning: add tests first."})
        };
        respond(&s, &req, answer).await;
        assert_eq!(
            ended(&s, &run, Duration::from_secs(60)).await["state"],
            "succeeded"
        );
        let last = api.requests().last().cloned().unwrap();
        let results = tool_results(&last);
        if approve {
            assert!(results.iter().any(|(_, err)| !err), "{results:?}");
        } else {
            assert!(
                results
                    .iter()
                    .any(|(t, err)| *err && t.contains("add tests first")),
                "{results:?}"
            );
        }
        let tools_after = s
            .notifications("grove/agent/event")
            .into_iter()
            .filter(|e| e["runId"] == run["runId"] && e["event"]["kind"] == "toolUse")
            .filter(|e| e["event"]["name"] != "ExitPlanMode")
            .count();
        assert_eq!(tools_after, 0, "no tool ran after the plan");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_reaches_the_running_agent_and_interrupt_keeps_the_session() {
    let slow_model = {
        let inner = tool_model();
        move |req: &Value| {
            let text = last_text(req);
            if text.contains("ZZVERYSLOW") {
                Reply::After(Duration::from_secs(30), Box::new(Reply::text("Too late.")))
            } else if text.contains("ZZSLOW") {
                Reply::After(
                    Duration::from_secs(3),
                    Box::new(Reply::text("Slow answer.")),
                )
            } else {
                inner(req)
            }
        }
    };
    let api = MessagesApi::start(slow_model).await;
    let Setup { _home, repo, s } = setup(&api).await;
    let ws = workspace(&s, &repo, "steer").await;

    let run = start(&s, &ws, "Think ZZSLOW about it.", None).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    s.request(
        "grove/agent/send",
        json!({"runId": run["runId"], "text": "Also: steer towards tests."}),
    )
    .await
    .unwrap_or_else(|e| panic!("send: {e:?}\n{}", s.stderr()));
    let end = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    let reqs = api.requests();
    let steered = reqs
        .iter()
        .find(|r| user_text(r).contains("steer towards tests"))
        .expect("the message reached the model");
    assert!(
        user_text(steered).contains("Think ZZSLOW about it."),
        "in the same session as the prompt"
    );
    let err = s
        .request(
            "grove/agent/send",
            json!({"runId": run["runId"], "text": "too late"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.data["reason"], "notRunning");

    let ws = workspace(&s, &repo, "interrupt").await;
    let run = start(&s, &ws, "Think ZZVERYSLOW about it.", None).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // A message sent first is stopped with the turn: it does not start another.
    s.request(
        "grove/agent/send",
        json!({"runId": run["runId"], "text": "Also ZZVERYSLOW this."}),
    )
    .await
    .expect("send");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    s.request("grove/agent/interrupt", json!({"runId": run["runId"]}))
        .await
        .expect("interrupt");
    let end = ended(&s, &run, Duration::from_secs(10)).await;
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(end["state"], "cancelled", "{end:#}");
    assert_eq!(end["resumable"], true, "the session is kept");
    let notices: Vec<Value> = s
        .notifications("grove/agent/event")
        .into_iter()
        .filter(|e| e["runId"] == run["runId"] && e["event"]["kind"] == "notice")
        .collect();
    assert!(!notices.is_empty());
    // A later message continues the session.
    let next = start(&s, &ws, "Please continue.", None).await;
    assert_eq!(
        ended(&s, &next, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    let last = api.requests().last().cloned().unwrap();
    let text = user_text(&last);
    assert!(
        text.contains("ZZVERYSLOW") && text.contains("Please continue."),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_request_is_listed_answered_later_and_cancel_while_waiting_stops_the_run() {
    let api = MessagesApi::start(tool_model()).await;
    let Setup { _home, repo, s } = setup(&api).await;
    let ws = workspace(&s, &repo, "pending").await;
    let run = start(&s, &ws, &write_prompt("later.txt"), None).await;
    let req = request_of(&s, &run, 0).await;
    // The panel was closed: the request is still listed, for its workspace and overall.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for params in [json!({}), json!({"workspaceId": ws["id"]})] {
        let pending = s.request("grove/agent/pending", params).await.unwrap();
        assert_eq!(pending["requests"].as_array().unwrap().len(), 1);
        assert_eq!(pending["requests"][0]["requestId"], req["requestId"]);
    }
    let other = s
        .request("grove/agent/pending", json!({"workspaceId": "nope"}))
        .await
        .unwrap();
    assert_eq!(other["requests"], json!([]));
    respond(&s, &req, json!({"behavior": "allow"})).await;
    assert_eq!(
        ended(&s, &run, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    assert!(
        Path::new(ws["path"].as_str().unwrap())
            .join("later.txt")
            .exists()
    );
    let again = s
        .request(
            "grove/agent/respond",
            json!({"runId": run["runId"], "requestId": req["requestId"], "behavior": "allow"}),
        )
        .await
        .unwrap_err();
    assert_eq!(again.code, -32023);

    let run = start(&s, &ws, &write_prompt("never.txt"), None).await;
    let req = request_of(&s, &run, 0).await;
    cancel_within_5s(&s, &run).await;
    assert!(
        !Path::new(ws["path"].as_str().unwrap())
            .join("never.txt")
            .exists()
    );
    assert!(
        s.notifications("grove/agent/requestDone")
            .iter()
            .any(|d| d["requestId"] == req["requestId"] && d["outcome"] == "cancelled")
    );
    let pending = s.request("grove/agent/pending", json!({})).await.unwrap();
    assert_eq!(pending["requests"], json!([]));
}
