//! Hardening of interactive runs, end to end with the real claude CLI: a malformed answer is
//! refused with -32602 and leaves the request waiting (the sidecar and the run go on), and
//! "always allow" is made from a command's real first word, never offered for shells and
//! wrappers, and never matches a command that sets environment variables first or uses shell
//! syntax, nor a file tool's write under `.git` or outside the worktree.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::messages_api::{Block, MessagesApi, Reply, after_tool_result};
use grove_e2e::repo::demo_repo;
use grove_e2e::runs::{ended, workspace};
use grove_e2e::{RpcError, Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};

const KEY: &str = "sk-ant-api03-FAKELOOPBACKHARDENING00000000";
const REQUEST: &str = "grove/agent/request";
const INVALID_PARAMS: i64 = -32602;

/// The user's text since the model last spoke (this turn's prompt, with the CLI's reminders).
fn last_user_text(req: &Value) -> String {
    let messages = req["messages"].as_array().cloned().unwrap_or_default();
    let start = messages
        .iter()
        .rposition(|m| m["role"] == "assistant")
        .map_or(0, |i| i + 1);
    let mut out = String::new();
    for m in &messages[start..] {
        match &m["content"] {
            Value::String(s) => out.push_str(s),
            Value::Array(blocks) => blocks
                .iter()
                .filter_map(|b| b["text"].as_str())
                .for_each(|t| out.push_str(t)),
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// A model that, for a prompt holding `TOOL:<name> <json input>`, calls that tool, then says
/// "Done." once the result is back.
fn tool_model() -> impl Fn(&Value) -> Reply + Send + Sync + 'static {
    let n = Arc::new(AtomicUsize::new(0));
    move |req: &Value| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        if after_tool_result(req) {
            return Reply::text("Done.");
        }
        let text = last_user_text(req);
        let Some(spec) = text.lines().rev().find_map(|l| l.strip_prefix("TOOL:")) else {
            return Reply::text("Done.");
        };
        let (name, input) = spec.split_once(' ').unwrap_or((spec, "{}"));
        Reply::Message(vec![Block::ToolUse {
            id: format!("toolu_{i:03}"),
            name: name.to_string(),
            input: serde_json::from_str(input).unwrap_or(json!({})),
        }])
    }
}

async fn sidecar(api: &MessagesApi, home: &TestHome) -> Sidecar {
    let s = Launch::new(home.path())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", KEY)
        .spawn();
    s.initialize(json!({"claudePath": claude_cli()})).await;
    s
}

/// A run in a new session: each prompt's tool call is the model's first.
async fn start(s: &Sidecar, ws: &Value, prompt: &str) -> Value {
    s.request(
        "grove/agent/start",
        json!({"workspaceId": ws["id"], "prompt": prompt, "newSession": true}),
    )
    .await
    .expect("start")
}

fn tool_prompt(tool: &str, input: &Value) -> String {
    format!("Please do it.\nTOOL:{tool} {input}")
}

fn bash_prompt(command: &str) -> String {
    tool_prompt(
        "Bash",
        &json!({"command": command, "description": "a command"}),
    )
}

/// The run's first request, or `None` when the run ended without asking (60 s at most).
async fn asked_or_ended(s: &Sidecar, run: &Value) -> Option<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let asked = s
            .notifications(REQUEST)
            .into_iter()
            .find(|r| r["runId"] == run["runId"]);
        if asked.is_some() {
            return asked;
        }
        let over = s.notifications("grove/agent/stateChanged").iter().any(|r| {
            r["runId"] == run["runId"]
                && !matches!(r["state"].as_str(), Some("queued" | "running" | "waiting"))
        });
        if over {
            return None;
        }
        assert!(
            Instant::now() < deadline,
            "neither asked nor ended; log:\n{}",
            s.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn asked(s: &Sidecar, run: &Value) -> Value {
    asked_or_ended(s, run)
        .await
        .unwrap_or_else(|| panic!("the run ended without asking; log:\n{}", s.stderr()))
}

async fn respond(s: &Sidecar, req: &Value, answer: Value) -> Result<Value, RpcError> {
    let mut params = json!({"runId": req["runId"], "requestId": req["requestId"]});
    for (k, v) in answer.as_object().expect("an answer object") {
        params[k] = v.clone();
    }
    s.request("grove/agent/respond", params).await
}

/// The run's state as `grove/agent/list` gives it.
async fn state_of(s: &Sidecar, run: &Value) -> Value {
    let list = s
        .request("grove/agent/list", json!({}))
        .await
        .expect("list");
    list["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["runId"] == run["runId"])
        .map(|r| r["state"].clone())
        .unwrap_or_default()
}

/// The request is still listed as pending, the run still waits, and the sidecar still serves.
async fn still_waiting(s: &mut Sidecar, run: &Value, req: &Value) {
    assert!(s.alive(), "the sidecar is alive; log:\n{}", s.stderr());
    let pending = s
        .request("grove/agent/pending", json!({}))
        .await
        .expect("pending");
    assert!(
        pending["requests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["requestId"] == req["requestId"]),
        "the request still waits: {pending:#}"
    );
    assert_eq!(state_of(s, run).await, "waiting");
}

fn refused(answer: Result<Value, RpcError>, says: &[&str]) -> RpcError {
    let err = answer.expect_err("the answer is refused");
    assert_eq!(err.code, INVALID_PARAMS, "{err:?}");
    for word in says {
        assert!(err.message.contains(word), "{word:?} in {:?}", err.message);
    }
    err
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_answer_is_refused_and_the_request_can_still_be_answered() {
    let api = MessagesApi::start(tool_model()).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let mut s = sidecar(&api, &home).await;

    // A question answered with a string for its input (the sidecar died of it before).
    let ws = workspace(&s, &repo, "malformed-question").await;
    let question = json!({"questions": [{"question": "Which color?", "header": "Color",
        "options": [{"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cool"}],
        "multiSelect": false}]});
    let run = start(&s, &ws, &tool_prompt("AskUserQuestion", &question)).await;
    let req = asked(&s, &run).await;
    assert_eq!(req["kind"], "question");
    let bad = json!({"behavior": "allow", "updatedInput": "a string", "answers": {"Which color?": "Blue"}});
    refused(respond(&s, &req, bad).await, &["updatedInput", "object"]);
    still_waiting(&mut s, &run, &req).await;
    let bad = json!({"behavior": "allow", "answers": {"Which color?": 3}});
    refused(respond(&s, &req, bad).await, &["answers", "string"]);
    still_waiting(&mut s, &run, &req).await;
    let good = json!({"behavior": "allow", "answers": {"Which color?": "Blue"}});
    respond(&s, &req, good).await.expect("a valid answer");
    let end = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    let results = api.requests().last().cloned().unwrap().to_string();
    assert!(results.contains("Blue"), "the model got the answer");

    // A Write allowed with a string for its input.
    let ws = workspace(&s, &repo, "malformed-write").await;
    let write = json!({"file_path": "notes.txt", "content": "written\n"});
    let run = start(&s, &ws, &tool_prompt("Write", &write)).await;
    let req = asked(&s, &run).await;
    assert_eq!(req["toolName"], "Write");
    let bad = json!({"behavior": "allow", "updatedInput": "a string", "answers": {"q": "a"}});
    refused(respond(&s, &req, bad).await, &["updatedInput", "object"]);
    still_waiting(&mut s, &run, &req).await;
    respond(&s, &req, json!({"behavior": "allow"}))
        .await
        .expect("a valid answer");
    let end = ended(&s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
    let wt = Path::new(ws["path"].as_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(wt.join("notes.txt")).unwrap(),
        "written\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn always_allow_is_made_from_the_real_command_word_and_never_for_a_shell() {
    let api = MessagesApi::start(tool_model()).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let mut s = sidecar(&api, &home).await;
    let ws = workspace(&s, &repo, "rules").await;
    let wt = Path::new(ws["path"].as_str().unwrap()).to_path_buf();
    std::fs::write(wt.join("victim.txt"), "keep me\n").unwrap();

    // An assignment first: the rule is the command's, `touch`.
    let run = start(&s, &ws, &bash_prompt("X=1 touch made.txt")).await;
    let req = asked(&s, &run).await;
    assert_eq!(req["alwaysAllow"], true, "{req:#}");
    assert_eq!(
        req["alwaysAllowRule"],
        json!({"toolName": "Bash", "prefix": "touch"})
    );
    respond(&s, &req, json!({"behavior": "allowAlways"}))
        .await
        .expect("always allow");
    assert_eq!(
        ended(&s, &run, Duration::from_secs(60)).await["state"],
        "succeeded"
    );
    assert!(wt.join("made.txt").exists());
    let rules = s
        .request("grove/workspace/rules", json!({"id": ws["id"]}))
        .await
        .unwrap();
    assert_eq!(
        rules,
        json!({"rules": [{"toolName": "Bash", "prefix": "touch"}]})
    );

    // Neither another command behind an assignment nor `touch` behind one is allowed unasked.
    for command in ["X=1 rm -f victim.txt", "X=1 touch again.txt"] {
        let run = start(&s, &ws, &bash_prompt(command)).await;
        let req = asked_or_ended(&s, &run).await;
        let req =
            req.unwrap_or_else(|| panic!("{command} ran without asking; log:\n{}", s.stderr()));
        assert_eq!(req["input"]["command"], command);
        respond(&s, &req, json!({"behavior": "deny"}))
            .await
            .expect("deny");
        ended(&s, &run, Duration::from_secs(60)).await;
    }
    assert!(wt.join("victim.txt").exists(), "victim.txt is still there");
    assert!(!wt.join("again.txt").exists());

    // A shell runs anything: always allow is not offered, and says why.
    let run = start(&s, &ws, &bash_prompt("bash -c 'touch shell.txt'")).await;
    let req = asked(&s, &run).await;
    assert_eq!(req["alwaysAllow"], false, "{req:#}");
    let why = req["alwaysAllowWhy"].as_str().unwrap_or_default();
    assert!(why.contains("bash"), "{why:?}");
    refused(
        respond(&s, &req, json!({"behavior": "allowAlways"})).await,
        &["bash"],
    );
    still_waiting(&mut s, &run, &req).await;
    respond(&s, &req, json!({"behavior": "deny"}))
        .await
        .expect("deny");
    ended(&s, &run, Duration::from_secs(60)).await;
    assert!(!wt.join("shell.txt").exists());
    let rules = s
        .request("grove/workspace/rules", json!({"id": ws["id"]}))
        .await
        .unwrap();
    assert_eq!(
        rules,
        json!({"rules": [{"toolName": "Bash", "prefix": "touch"}]})
    );
}

/// Starts a run whose tool call is asked, answers it "always allow" and checks the rule offered.
async fn allow_always(s: &Sidecar, ws: &Value, prompt: &str, rule: Value) {
    let run = start(s, ws, prompt).await;
    let req = asked(s, &run).await;
    assert_eq!(req["alwaysAllowRule"], rule, "{req:#}");
    respond(s, &req, json!({"behavior": "allowAlways"}))
        .await
        .expect("always allow");
    let end = ended(s, &run, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}");
}

/// Starts a run whose tool call must be asked although a rule names its tool: always allow is
/// not offered, says `why`, and the request is denied.
async fn asked_despite_the_rules(s: &Sidecar, ws: &Value, prompt: &str, why: &str) -> Value {
    let run = start(s, ws, prompt).await;
    let req = asked_or_ended(s, &run)
        .await
        .unwrap_or_else(|| panic!("allowed without asking: {prompt}; log:\n{}", s.stderr()));
    assert_eq!(req["alwaysAllow"], false, "{req:#}");
    let said = req["alwaysAllowWhy"].as_str().unwrap_or_default();
    assert!(said.contains(why), "{why:?} in {said:?}");
    respond(s, &req, json!({"behavior": "deny"}))
        .await
        .expect("deny");
    ended(s, &run, Duration::from_secs(60)).await;
    req
}

#[tokio::test(flavor = "multi_thread")]
async fn shell_syntax_and_writes_under_git_are_asked_whatever_the_rules() {
    let api = MessagesApi::start(tool_model()).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = sidecar(&api, &home).await;
    let ws = workspace(&s, &repo, "syntax").await;
    let wt = Path::new(ws["path"].as_str().unwrap()).to_path_buf();
    std::fs::write(wt.join("victim.txt"), "keep me\n").unwrap();

    // The rules: `touch`, and Write.
    allow_always(
        &s,
        &ws,
        &bash_prompt("touch made.txt"),
        json!({"toolName": "Bash", "prefix": "touch"}),
    )
    .await;
    assert!(wt.join("made.txt").exists());
    let notes = json!({"file_path": wt.join("notes.md"), "content": "written\n"});
    allow_always(
        &s,
        &ws,
        &tool_prompt("Write", &notes),
        json!({"toolName": "Write"}),
    )
    .await;
    assert!(wt.join("notes.md").exists());

    // bash 5.2 runs the `rm` hidden in this `touch` command's words: it is asked.
    let command = r"touch ${x=$'\x24(rm\x20-f\x20victim.txt)'}${x@P}";
    let req = asked_despite_the_rules(&s, &ws, &bash_prompt(command), "shell syntax").await;
    assert_eq!(req["input"]["command"], command);
    assert!(wt.join("victim.txt").exists(), "victim.txt is still there");

    // A Write into the repository's hooks, or the agent's own settings: asked.
    let hook = repo.join(".git/hooks/pre-commit");
    let settings = wt.join(".claude/settings.local.json");
    for path in [&hook, &settings] {
        let write = json!({"file_path": path, "content": "#!/bin/sh\ntouch pwned\n"});
        let req =
            asked_despite_the_rules(&s, &ws, &tool_prompt("Write", &write), "each time").await;
        assert_eq!(req["input"]["file_path"], json!(path));
        assert!(!path.exists(), "{} was not written", path.display());
    }
    let rules = s
        .request("grove/workspace/rules", json!({"id": ws["id"]}))
        .await
        .unwrap();
    assert_eq!(
        rules,
        json!({"rules": [{"toolName": "Bash", "prefix": "touch"}, {"toolName": "Write"}]})
    );
}
