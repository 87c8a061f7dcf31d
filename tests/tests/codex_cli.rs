//! The real codex CLI (pinned, installed by `tests/tools.sh codex`) against the loopback Responses
//! API stand-in, without the sidecar: a text turn, a shell command and a file change in a git
//! worktree, a resumed thread, and an API key the API refuses. The foundation of the sidecar's Codex
//! tests; the recorded output is in `tests/fixtures/codex-0.169.0/`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use grove_e2e::codex_cli;
use grove_e2e::repo::{demo_repo, git};
use grove_e2e::responses_api::{
    CHATGPT_ACCOUNT_ID, MODEL, Reply, ResponsesApi, after_tool_output, chatgpt_auth_json,
    user_texts,
};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

const KEY_VAR: &str = "GROVE_TEST_KEY";
const KEY: &str = "sk-proj-LOOPBACKCODEXKEY0000000000";

/// A `HOME` whose `.codex` is the CLI's `CODEX_HOME`; not under `/tmp`, where the CLI refuses to
/// create its helper aliases and warns.
struct CodexHome {
    dir: tempfile::TempDir,
}

impl CodexHome {
    fn new() -> Self {
        let target = grove_e2e::workspace_root().join("target");
        std::fs::create_dir_all(&target).unwrap();
        let dir = tempfile::Builder::new()
            .prefix("codex-home-")
            .tempdir_in(target)
            .unwrap();
        std::fs::create_dir_all(dir.path().join(".codex")).unwrap();
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

struct Run {
    events: Vec<Value>,
    stderr: String,
    code: Option<i32>,
}

impl Run {
    fn of_type(&self, kind: &str) -> Vec<&Value> {
        self.events.iter().filter(|e| e["type"] == kind).collect()
    }

    /// The `item` of every `item.completed` whose item has type `kind`.
    fn completed(&self, kind: &str) -> Vec<&Value> {
        self.of_type("item.completed")
            .into_iter()
            .map(|e| &e["item"])
            .filter(|i| i["type"] == kind)
            .collect()
    }

    fn thread_id(&self) -> String {
        self.of_type("thread.started")[0]["thread_id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn usage(&self) -> &Value {
        &self.of_type("turn.completed")[0]["usage"]
    }
}

/// `codex exec --json … -` with `prompt` on stdin, `before` placed before any subcommand (`resume`)
/// and `after` after it.
async fn codex_exec(
    api: &ResponsesApi,
    home: &CodexHome,
    before: &[&str],
    after: &[&str],
    prompt: &str,
) -> Run {
    codex_exec_with(home, &api.provider_args(KEY_VAR), before, after, prompt).await
}

/// `codex exec` with these `-c` arguments instead of the stand-in's custom provider.
async fn codex_exec_with(
    home: &CodexHome,
    config: &[String],
    before: &[&str],
    after: &[&str],
    prompt: &str,
) -> Run {
    let mut cmd = tokio::process::Command::new(codex_cli());
    cmd.arg("exec")
        .args(before)
        .args(["--json", "--skip-git-repo-check", "-m", MODEL])
        .args(config)
        .args(after)
        .arg("-")
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("CODEX_HOME", home.path().join(".codex"))
        .env(KEY_VAR, KEY)
        .env_remove("CODEX_API_KEY")
        .env_remove("CODEX_ACCESS_TOKEN")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("spawn codex");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(prompt.as_bytes()).await.unwrap();
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("codex exec finishes within 60 s")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let events = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    Run {
        events,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

/// How many tool outputs the request carries (the model's step in a scripted turn).
fn tool_outputs(body: &Value) -> usize {
    body["input"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["type"] == "function_call_output")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_text_turn_streams_the_answer_and_its_usage() {
    let api = ResponsesApi::start(|_| Reply::text("Hello from the stand-in.")).await;
    let home = CodexHome::new();
    let run = codex_exec(
        &api,
        &home,
        &[],
        &[],
        "say hello, verbatim: ünïcode \"quotes\"\n",
    )
    .await;
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);

    let kinds: Vec<&str> = run
        .events
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(kinds[0], "thread.started", "{kinds:?}");
    assert!(kinds.contains(&"turn.started"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"turn.completed"), "{kinds:?}");
    let messages = run.completed("agent_message");
    assert_eq!(messages.len(), 1, "{:?}", run.events);
    assert_eq!(messages[0]["text"], "Hello from the stand-in.");
    // The unknown model's metadata: an `error` item that is only a warning.
    assert!(
        run.completed("error")[0]["message"]
            .as_str()
            .unwrap()
            .contains("Model metadata for `stub-model` not found")
    );
    let usage = run.usage();
    assert_eq!(
        (
            &usage["input_tokens"],
            &usage["cached_input_tokens"],
            &usage["output_tokens"]
        ),
        (&10.into(), &2.into(), &5.into()),
        "{usage}"
    );

    let requests = api.response_requests();
    assert_eq!(requests.len(), 1);
    let bearer = format!("Bearer {KEY}");
    assert_eq!(requests[0].header("authorization"), Some(bearer.as_str()));
    let body = &api.requests()[0];
    assert_eq!(body["model"], MODEL);
    assert_eq!(body["stream"], true);
    assert!(
        user_texts(body).contains(&"say hello, verbatim: ünïcode \"quotes\"\n".to_string()),
        "the prompt reaches the model verbatim: {:?}",
        user_texts(body)
    );
    // The custom provider goes straight to HTTP: no WebSocket attempt, nothing else asked.
    assert!(
        api.all_requests().iter().all(|r| r.method == "POST"),
        "{:?}",
        api.all_requests()
            .iter()
            .map(|r| &r.path)
            .collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_and_a_file_change_land_in_the_worktree() {
    let api = ResponsesApi::start(|body| match tool_outputs(body) {
        0 => Reply::exec("echo hi > from-codex.txt && cat from-codex.txt"),
        1 => Reply::add_file("notes-codex.txt", "written by codex\nline two"),
        _ => Reply::text("Done."),
    })
    .await;
    let home = CodexHome::new();
    let repo = demo_repo(home.path());
    let worktree: PathBuf = home.path().join("wt");
    git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "codex-test",
            worktree.to_str().unwrap(),
        ],
    );
    let cd = worktree.to_str().unwrap();
    let run = codex_exec(
        &api,
        &home,
        &[],
        &["--sandbox", "workspace-write", "--cd", cd],
        "make the files",
    )
    .await;
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);

    let commands = run.completed("command_execution");
    assert_eq!(commands.len(), 1, "{:?}", run.events);
    let command = commands[0];
    assert_eq!(
        command["command"],
        "/bin/bash -lc 'echo hi > from-codex.txt && cat from-codex.txt'"
    );
    assert_eq!(command["aggregated_output"], "hi\n");
    assert_eq!(command["exit_code"], 0);
    assert_eq!(command["status"], "completed");
    let started: Vec<&Value> = run
        .of_type("item.started")
        .into_iter()
        .map(|e| &e["item"])
        .collect();
    assert!(
        started
            .iter()
            .any(|i| i["id"] == command["id"] && i["status"] == "in_progress"),
        "{started:?}"
    );

    let changes = run.completed("file_change");
    assert_eq!(changes.len(), 1, "{:?}", run.events);
    assert_eq!(changes[0]["status"], "completed");
    let change = &changes[0]["changes"][0];
    assert_eq!(change["kind"], "add");
    let changed = PathBuf::from(change["path"].as_str().unwrap());
    assert_eq!(
        changed.canonicalize().unwrap(),
        worktree.join("notes-codex.txt").canonicalize().unwrap()
    );
    assert_eq!(run.completed("agent_message")[0]["text"], "Done.");

    assert_eq!(
        std::fs::read_to_string(worktree.join("from-codex.txt")).unwrap(),
        "hi\n"
    );
    assert_eq!(
        std::fs::read_to_string(worktree.join("notes-codex.txt")).unwrap(),
        "written by codex\nline two\n"
    );
    assert!(!repo.join("from-codex.txt").exists());
    assert!(!repo.join("notes-codex.txt").exists());

    // Three requests, each after the previous tool's output; usage sums them.
    let bodies = api.requests();
    assert_eq!(bodies.len(), 3);
    assert!(!after_tool_output(&bodies[0]));
    assert!(after_tool_output(&bodies[1]) && after_tool_output(&bodies[2]));
    let patch_output = grove_e2e::responses_api::last_tool_output(&bodies[2]).unwrap();
    assert!(
        patch_output.contains("Success. Updated the following files:\nA notes-codex.txt"),
        "{patch_output}"
    );
    assert_eq!(run.usage()["input_tokens"], 30);
    assert_eq!(run.usage()["output_tokens"], 15);
}

#[tokio::test(flavor = "multi_thread")]
async fn resume_continues_the_same_thread_with_its_history() {
    let api = ResponsesApi::start(|body| {
        if user_texts(body).iter().any(|t| t.contains("second prompt")) {
            Reply::text("Second answer.")
        } else {
            Reply::text("First answer.")
        }
    })
    .await;
    let home = CodexHome::new();
    let first = codex_exec(&api, &home, &[], &[], "first prompt").await;
    assert_eq!(first.code, Some(0), "stderr: {}", first.stderr);
    let thread = first.thread_id();

    let second = codex_exec(&api, &home, &[], &["resume", &thread], "second prompt").await;
    assert_eq!(second.code, Some(0), "stderr: {}", second.stderr);
    assert_eq!(second.thread_id(), thread);
    assert_eq!(
        second.completed("agent_message")[0]["text"],
        "Second answer."
    );

    let bodies = api.requests();
    assert_eq!(bodies.len(), 2);
    let history = &bodies[1]["input"];
    let texts = user_texts(&bodies[1]);
    assert!(texts.iter().any(|t| t == "first prompt"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "second prompt"), "{texts:?}");
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["role"] == "assistant" && i["content"][0]["text"] == "First answer."),
        "the earlier answer is sent again: {history}"
    );
    // The usage of `turn.completed` is the thread's running total, not this turn's.
    assert_eq!(second.usage()["input_tokens"], 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_fails_the_turn_at_once_without_retries() {
    let api = ResponsesApi::start(|_| Reply::unauthorized()).await;
    let home = CodexHome::new();
    let started = Instant::now();
    let run = codex_exec(&api, &home, &[], &[], "hello").await;
    assert_eq!(run.code, Some(1), "{:?}", run.events);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let errors = run.of_type("error");
    assert_eq!(errors.len(), 1, "{:?}", run.events);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("unexpected status 401 Unauthorized: Incorrect API key provided"),
        "{message}"
    );
    let failed = run.of_type("turn.failed");
    assert_eq!(failed[0]["error"]["message"], message);
    assert_eq!(
        api.response_requests().len(),
        1,
        "no retries with retries off"
    );
    assert!(!run.stderr.contains(KEY), "the key is not printed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chatgpt_sign_in_sends_its_access_token_and_account() {
    let api = ResponsesApi::start(|_| Reply::text("Hello, subscriber.")).await;
    let home = CodexHome::new();
    let in_a_day = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    let auth = chatgpt_auth_json(in_a_day);
    std::fs::write(home.path().join(".codex/auth.json"), auth.to_string()).unwrap();
    let config = [
        "-c".to_string(),
        format!("openai_base_url={}", api.base_url()),
        "-c".to_string(),
        format!("chatgpt_base_url={}/backend-api", api.url()),
    ];
    let run = codex_exec_with(&home, &config, &[], &[], "hello over chatgpt").await;
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert_eq!(
        run.completed("agent_message")[0]["text"],
        "Hello, subscriber."
    );

    let requests = api.response_requests();
    assert_eq!(requests.len(), 1);
    let bearer = format!(
        "Bearer {}",
        auth["tokens"]["access_token"].as_str().unwrap()
    );
    assert_eq!(requests[0].header("authorization"), Some(bearer.as_str()));
    assert_eq!(
        requests[0].header("chatgpt-account-id"),
        Some(CHATGPT_ACCOUNT_ID)
    );
    // Compressed with a ChatGPT sign-in; the stand-in decompresses it.
    assert_eq!(requests[0].header("content-encoding"), Some("zstd"));
    assert!(api.user_texts().contains(&"hello over chatgpt".to_string()));
    // The built-in provider tried a WebSocket first, and was refused with 426.
    assert!(api.all_requests().iter().any(|r| r.method == "GET"
        && r.path == "/v1/responses"
        && r.header("upgrade") == Some("websocket")));
}
