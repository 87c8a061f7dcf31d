//! Property test: no JSON value as the params of any method of the protocol panics or stalls the
//! sidecar. Every `grove/…` request declared in `server/src/protocol.rs` is sent, round-robin,
//! with generated params (objects keyed by the protocol's own field names, hostile strings, a
//! real repository and workspace id among them) to the real service in-process; each must be
//! answered, and the sidecar must still answer a plain request at the end.

mod harness;

use std::time::Duration;

use harness::{Client, TempDir, repo};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Number, Value, json};

const PROTOCOL: &str = include_str!("../src/protocol.rs");
/// Wholly generated params per method (besides one request per field and kind of value).
const ROUNDS: usize = 40;
/// How long one answer may take: far more than any takes, far less than a hang.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);

/// The client→sidecar requests: every `impl Request for …` with a `grove/` method, with the
/// name of its params type.
fn methods() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_request = false;
    let mut params = String::new();
    for line in PROTOCOL.lines().map(str::trim) {
        if line.starts_with("impl Request for ") {
            in_request = true;
        } else if line.starts_with("impl ") {
            in_request = false;
        }
        if let Some(p) = line.strip_prefix("type Params = ") {
            params = p.trim_end_matches(';').to_string();
        }
        if let Some(rest) = line.strip_prefix("const METHOD: &'static str = \"")
            && in_request
        {
            let m = rest.trim_end_matches("\";");
            if m.starts_with("grove/") {
                out.push((m.to_string(), params.clone()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The wire name of a Rust field (`repo_path` → `repoPath`).
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.trim_start_matches("r#").chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The fields of `pub struct <name>` in the protocol, as sent on the wire.
fn fields_of(name: &str) -> Vec<String> {
    let head = format!("pub struct {name} {{");
    PROTOCOL
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != head)
        .skip(1)
        .take_while(|l| *l != "}")
        .filter_map(|l| l.strip_prefix("pub "))
        .filter_map(|l| l.split_once(':').map(|(name, _)| camel(name.trim())))
        .collect()
}

/// Every field name of the protocol's types, as sent on the wire, and a few more.
fn field_names() -> Vec<String> {
    let mut names: Vec<String> = PROTOCOL
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter_map(|l| l.split_once(':').map(|(name, _)| name.trim()))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(camel)
        .collect();
    names.extend(["type", "id", "kind", "force", "value", "key", "__proto__"].map(String::from));
    names.sort();
    names.dedup();
    names
}

/// One of each kind of JSON value, and every interesting string: what each field of each
/// method is set to in turn.
fn hostile_values(strings: &[String]) -> Vec<Value> {
    let mut v = vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1e308),
        json!(0.5),
        json!([]),
        json!([null, 1, "x"]),
        json!({}),
        json!({"a": {"b": [{}]}}),
    ];
    v.extend(strings.iter().map(|s| json!(s)));
    v.push(json!(strings));
    v
}

/// Strings that mean something somewhere: ids, enum values, paths, URLs, hostile text.
fn interesting(repo: &str, workspace_id: &str) -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        ".",
        "..",
        "../../etc",
        "/",
        "/dev/zero",
        "/dev/stdin",
        "/nonexistent/claude",
        "main",
        "HEAD",
        "grove/x",
        "run-000000000000",
        "000000000000",
        "login-1",
        "login-codex-1",
        "claude",
        "codex",
        "anthropic",
        "openai",
        "openai-codex",
        "ollama",
        "lmstudio",
        "anthropic:x",
        "anthropic:default",
        "openai-codex:a.b",
        "claude-cli",
        "api_key",
        "setup_token",
        "oauth",
        "endpoint",
        "allow",
        "deny",
        "allowAlways",
        "default",
        "plan",
        "acceptEdits",
        "bypassPermissions",
        "Bash",
        "Write",
        "sk-ant-api03-FAKE",
        "http://127.0.0.1:9",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://user:pass@127.0.0.1:9",
        "\u{202e}evil",
        "a\u{200b}b",
        "\0",
        "line\nbreak",
        "x@y",
        "%00",
        "<script>",
    ]
    .map(String::from)
    .to_vec();
    v.push(repo.to_string());
    v.push(workspace_id.to_string());
    v.push(format!("{repo}/README.md"));
    v.push("README.md".into());
    v.push("x".repeat(100_000));
    v
}

fn any_value(keys: Vec<String>, strings: Vec<String>) -> BoxedStrategy<Value> {
    let string = prop_oneof![
        3 => proptest::sample::select(strings).prop_map(Value::String),
        1 => "\\PC{0,24}".prop_map(Value::String),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just(json!(u64::MAX)),
            Just(json!(0)),
            Just(json!(-1)),
            Just(json!(1e308)),
            Just(json!(-0.0)),
            Just(json!(0.5))
        ],
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        string.clone(),
        string.clone(),
        string,
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        let key = prop_oneof![
            4 => proptest::sample::select(keys.clone()),
            1 => "\\PC{0,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((key, inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

/// A stand-in claude CLI: signed in; a run asks a question and a Bash command and then waits for
/// its stdin to close, so that runs, pending requests and their ids are there to aim at.
const FAKE_CLAUDE: &str = r#"#!/bin/sh
case "$1" in
  --version) echo "2.1.329 (Claude Code)"; exit 0 ;;
  auth) echo '{"loggedIn":true,"authMethod":"claude.ai","apiProvider":"firstParty","subscriptionType":"max"}'; exit 0 ;;
esac
read -r first
echo '{"type":"system","subtype":"init","session_id":"11111111-2222-4333-8444-555555555555","tools":[],"model":"m"}'
echo '{"type":"control_request","request_id":"q1","request":{"subtype":"can_use_tool","tool_name":"AskUserQuestion","input":{"questions":[{"question":"Colour?","options":[{"label":"Blue"}]}]},"tool_use_id":"t1"}}'
echo '{"type":"control_request","request_id":"b1","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"touch x"},"tool_use_id":"t2"}}'
echo '{"type":"control_request","request_id":"p1","request":{"subtype":"can_use_tool","tool_name":"ExitPlanMode","input":{"plan":"do it"},"tool_use_id":"t3"}}'
exec cat >/dev/null
"#;

fn fake_claude(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("claude");
    std::fs::write(&path, FAKE_CLAUDE).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Points the sidecar's every outside dependency at nothing: its home, the CLIs, the servers.
fn isolate(home: &std::path::Path) {
    let nothing = "http://127.0.0.1:9";
    // SAFETY: this binary holds this one test, and it sets these before starting any runtime or
    // thread that could read the environment at the same time.
    unsafe {
        std::env::set_var("HOME", home);
        std::env::set_var("XDG_CONFIG_HOME", home.join(".config"));
        std::env::set_var("SHELL", "/nonexistent/shell");
        std::env::set_var("PATH", "/usr/bin:/bin");
        for var in [
            "GROVE_OLLAMA_URL",
            "GROVE_LMSTUDIO_URL",
            "GROVE_OPENAI_AUTH_URL",
            "GROVE_OPENAI_API_URL",
            "GROVE_ANTHROPIC_API_URL",
            "GROVE_OAUTH_TOKEN_URL",
        ] {
            std::env::set_var(var, nothing);
        }
        std::env::set_var("GROVE_OPENAI_CALLBACK_PORT", "0");
    }
}

#[test]
fn no_json_value_as_any_param_of_any_method_panics_or_stalls_the_sidecar() {
    let dir = TempDir::new("any-params");
    let home = dir.0.join("home");
    std::fs::create_dir_all(&home).unwrap();
    isolate(&home);
    let root = repo(&dir.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let methods = methods();
    assert!(
        methods.len() >= 30,
        "methods read from protocol.rs: {methods:?}"
    );
    let _entered = rt.enter();
    let mut client = Client::start();
    let claude = fake_claude(&dir.0);
    let (workspace_id, run_ids) = rt.block_on(async {
        let c = &mut client;
        c.initialize(json!({
            "claudePath": claude,
            "codexPath": "/nonexistent/codex",
            "worktreeRoot": dir.0.join("worktrees"),
        }))
        .await;
        let ws = c
            .request(
                "grove/workspace/create",
                json!({"repoPath": root, "name": "probe"}),
            )
            .await
            .expect("a workspace to aim at");
        let id = ws["id"].as_str().unwrap().to_string();
        let mut runs = Vec::new();
        for _ in 0..2 {
            let run = c
                .request(
                    "grove/agent/start",
                    json!({"workspaceId": id, "prompt": "ask me"}),
                )
                .await
                .expect("a run to aim at");
            runs.push(run["runId"].as_str().unwrap().to_string());
        }
        // Wait until the first run's requests are pending (the second waits behind it).
        let mut pending = Value::Null;
        for _ in 0..200 {
            pending = c
                .request("grove/agent/pending", json!({}))
                .await
                .expect("pending");
            if pending["requests"].as_array().is_some_and(|r| r.len() >= 3) {
                return (id, runs);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let list = c.request("grove/agent/list", json!({})).await;
        panic!("the stand-in's requests never came: {pending} {list:?}");
    });

    let mut strings = interesting(&root.display().to_string(), &workspace_id);
    strings.extend(run_ids.iter().cloned());
    strings.extend(["q1", "b1", "p1"].map(String::from));
    let keys = field_names();
    let value = any_value(keys.clone(), strings.clone());
    let mut runner = TestRunner::new(Config::default());
    // Fields that reach deeper code with a real value: those get one most of the time.
    let known: std::collections::BTreeMap<&str, Vec<Value>> = [
        ("runId", run_ids.iter().map(|r| json!(r)).collect()),
        ("requestId", vec![json!("q1"), json!("b1"), json!("p1")]),
        ("workspaceId", vec![json!(workspace_id)]),
        ("id", vec![json!(workspace_id)]),
        ("repoPath", vec![json!(root)]),
        (
            "behavior",
            vec![json!("allow"), json!("deny"), json!("allowAlways")],
        ),
    ]
    .into_iter()
    .collect();
    let random = |runner: &mut TestRunner, field: &str| match known.get(field) {
        Some(good) if runner.rng().random_bool(0.8) => {
            good[runner.rng().random_range(0..good.len())].clone()
        }
        _ => value.new_tree(runner).unwrap().current(),
    };
    let mut ask = |method: &str, params: Value| {
        let answer = rt.block_on(client.request_within(method, params.clone(), ANSWER_LIMIT));
        let shown = || {
            let mut s = params.to_string();
            s.truncate(2_000);
            s
        };
        match answer {
            None => panic!("{method} with {} was never answered", shown()),
            Some(Err(e)) if e["code"] == -32603 => {
                panic!("{method} with {} failed inside: {e}", shown())
            }
            Some(_) => {}
        }
    };

    let mut sent = 0;
    let hostile = hostile_values(&strings);
    for (method, params) in &methods {
        // No params, and params of every other JSON kind.
        for v in [Value::Null, json!([]), json!("x"), json!(7), json!([{}])] {
            ask(method, v);
            sent += 1;
        }
        // Each field of its params set to each kind of value in turn, the others random.
        let fields = fields_of(params);
        for field in &fields {
            for v in &hostile {
                let mut p = Map::new();
                for other in &fields {
                    if other != field && runner.rng().random_bool(0.7) {
                        p.insert(other.clone(), random(&mut runner, other));
                    }
                }
                p.insert(field.clone(), v.clone());
                ask(method, Value::Object(p));
                sent += 1;
            }
        }
        // Generated objects over every field name of the protocol.
        for _ in 0..ROUNDS {
            let mut p = Map::new();
            for field in &fields {
                if runner.rng().random_bool(0.5) {
                    p.insert(field.clone(), random(&mut runner, field));
                }
            }
            if runner.rng().random_bool(0.3) {
                let extra = keys[runner.rng().random_range(0..keys.len())].clone();
                p.insert(extra.clone(), random(&mut runner, &extra));
            }
            ask(method, Value::Object(p));
            sent += 1;
        }
    }
    let still = rt.block_on(client.request_within("grove/workspace/list", json!({}), ANSWER_LIMIT));
    assert!(
        matches!(still, Some(Ok(_))),
        "the sidecar still serves: {still:?}"
    );
    assert!(sent > 5_000, "{sent} requests sent");
    drop(client);
    rt.shutdown_timeout(Duration::from_secs(5));
}
