//! Fast tests of the real service in-process: `backend::service` served by `transport::serve` over
//! `tokio::io::duplex`, as the binary serves it over stdio (which `tests/` drives, the reference).
//! Dispatch, the lifecycle, bad input, domain errors mapped to their codes, settings applied in
//! order, and a notification from a feature module reaching the client.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use grove_server::notifier::Notifier;
use grove_server::transport::{FrameReader, Outbox};
use grove_server::{backend, transport};
use serde_json::{Value, json};
use tokio::io::{AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf};

const LIMIT: Duration = Duration::from_secs(20);

/// The client's end of an in-process sidecar.
struct Client {
    to_server: WriteHalf<DuplexStream>,
    from_server: FrameReader<BufReader<ReadHalf<DuplexStream>>>,
    next_id: u64,
    /// Notifications that arrived while waiting for an answer, in order.
    notifications: Vec<Value>,
    /// The served sidecar: done when it has stopped writing.
    served: tokio::task::JoinHandle<()>,
    _state: TempDir,
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "grove-in-process-{what}-{}-{}",
            std::process::id(),
            grove_server::store::nonce()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir.canonicalize().unwrap())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Client {
    fn start() -> Self {
        let state = TempDir::new("state");
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_in, server_out) = tokio::io::split(server_end);
        let (outbox, queue) = Outbox::new();
        let (service, socket) =
            backend::service(Notifier::new(outbox.clone()), state.0.join("grove"));
        let served = tokio::spawn(transport::serve(
            service,
            socket,
            server_in,
            server_out,
            (outbox, queue),
        ));
        let (from_server, to_server) = tokio::io::split(client_end);
        Self {
            to_server,
            from_server: FrameReader::new(BufReader::new(from_server)),
            next_id: 1,
            notifications: Vec::new(),
            served,
            _state: state,
        }
    }

    async fn send_raw(&mut self, body: &[u8]) {
        let head = format!("Content-Length: {}\r\n\r\n", body.len());
        self.to_server.write_all(head.as_bytes()).await.unwrap();
        self.to_server.write_all(body).await.unwrap();
        self.to_server.flush().await.unwrap();
    }

    async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    /// Sends a request without waiting; its id.
    async fn send_request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        id
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    async fn next_message(&mut self) -> Value {
        let body = tokio::time::timeout(LIMIT, self.from_server.next())
            .await
            .expect("the sidecar answers in time")
            .expect("a frame");
        serde_json::from_slice(&body).unwrap()
    }

    /// The answer to request `id` (`Ok(result)` or `Err(error)`), keeping notifications.
    async fn answer(&mut self, id: Value) -> Result<Value, Value> {
        loop {
            let m = self.next_message().await;
            if m.get("method").is_some() && m.get("id").is_none() {
                self.notifications.push(m);
            } else if m["id"] == id {
                return match m.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(m["result"].clone()),
                };
            }
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params).await;
        self.answer(json!(id)).await
    }

    async fn initialize(&mut self, options: Value) -> Value {
        self.request(
            "initialize",
            json!({"capabilities": {}, "initializationOptions": options}),
        )
        .await
        .expect("initialize")
    }
}

/// A repository on `main` with one commit, made with the git CLI.
fn repo(dir: &Path) -> PathBuf {
    let root = dir.join("repo");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("README.md"), "# r\n").unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "initial"]);
    root
}

#[tokio::test]
async fn initialize_answers_with_the_server_and_protocol_version() {
    let mut c = Client::start();
    let result = c.initialize(json!({})).await;
    assert_eq!(result["serverInfo"]["name"], "grove-server");
    assert_eq!(
        result["capabilities"]["experimental"]["grove"]["protocolVersion"],
        1
    );
}

#[tokio::test]
async fn a_request_before_initialize_is_refused() {
    let mut c = Client::start();
    let err = c
        .request("grove/secrets/list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32002, "{err}");
}

#[tokio::test]
async fn unknown_methods_wrong_params_and_bad_frames_are_answered() {
    let mut c = Client::start();
    c.initialize(json!({})).await;
    let err = c
        .request("grove/nothing/here", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32601, "{err}");
    let err = c
        .request("grove/secrets/get", json!({"key": 5}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32602, "{err}");
    c.send_raw(b"{not json").await;
    let err = c.answer(Value::Null).await.unwrap_err();
    assert_eq!(err["code"], -32700, "{err}");
    // The channel is still usable after bad input.
    let err = c
        .request(
            "grove/agent/transcript",
            json!({"runId": "run-000000000000"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32023, "{err}");
}

#[tokio::test]
async fn domain_errors_reach_the_client_with_their_codes_and_data() {
    let mut c = Client::start();
    c.initialize(json!({"claudePath": "/nonexistent/claude"}))
        .await;
    let outside = TempDir::new("outside");
    let cases = [
        (
            "grove/auth/status",
            json!({"force": true}),
            -32010,
            json!({"searched": ["/nonexistent/claude"]}),
        ),
        (
            "grove/auth/loginInput",
            json!({"loginId": "login-9", "code": "x"}),
            -32012,
            json!({"loginId": "login-9"}),
        ),
        (
            "grove/auth/loginCancel",
            json!({"loginId": "login-9"}),
            -32012,
            json!({"loginId": "login-9"}),
        ),
        (
            "grove/workspace/archive",
            json!({"id": "000000000000"}),
            -32023,
            json!({"id": "000000000000"}),
        ),
        (
            "grove/agent/cancel",
            json!({"runId": "run-1"}),
            -32023,
            json!({"runId": "run-1"}),
        ),
        (
            "grove/repo/info",
            json!({"path": outside.0}),
            -32024,
            json!({"repoPath": outside.0}),
        ),
        ("grove/usage/get", json!({}), -32030, Value::Null),
        (
            "grove/secrets/set",
            json!({"key": "", "value": "v"}),
            -32602,
            Value::Null,
        ),
        (
            "grove/agent/start",
            json!({"workspaceId": "000000000000", "prompt": "  "}),
            -32602,
            Value::Null,
        ),
    ];
    for (method, params, code, data) in cases {
        let err = c.request(method, params).await.unwrap_err();
        assert_eq!(err["code"], code, "{method}: {err}");
        assert_eq!(
            err.get("data").cloned().unwrap_or(Value::Null),
            data,
            "{method}"
        );
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_settings_change_applies_to_the_very_next_request() {
    let mut c = Client::start();
    c.initialize(json!({"claudePath": "/nonexistent/first"}))
        .await;
    for n in 0..20 {
        let path = format!("/nonexistent/claude-{n}");
        // Sent back to back, without waiting: the request must see the new setting.
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"grove": {"claudePath": path}}}),
        )
        .await;
        let err = c
            .request("grove/auth/status", json!({"force": true}))
            .await
            .unwrap_err();
        assert_eq!(err["data"]["searched"], json!([path]), "change {n}");
    }
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"usageInsights": true}}}),
    )
    .await;
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"usageInsights": false}}}),
    )
    .await;
    let err = c.request("grove/usage/get", json!({})).await.unwrap_err();
    assert_eq!(err["code"], -32030, "the last change wins: {err}");
}

#[tokio::test]
async fn a_feature_notification_reaches_the_client_before_the_answer() {
    let dir = TempDir::new("repo");
    let root = repo(&dir.0);
    let mut c = Client::start();
    c.initialize(json!({"worktreeRoot": dir.0.join("worktrees")}))
        .await;
    let ws = c
        .request(
            "grove/workspace/create",
            json!({"repoPath": root, "name": "probe"}),
        )
        .await
        .expect("create");
    assert_eq!(ws["name"], "probe");
    let changed: Vec<&Value> = c
        .notifications
        .iter()
        .filter(|n| n["method"] == "grove/workspace/changed")
        .collect();
    assert_eq!(changed.len(), 2, "when the worktree exists, and at the end");
    assert_eq!(changed[1]["params"]["workspace"], ws);
    assert_eq!(changed[1]["params"]["removed"], false);
    let info = c
        .request("grove/repo/info", json!({"path": ws["path"]}))
        .await
        .unwrap();
    assert_eq!(info["isWorktree"], true);
    assert_eq!(info["branch"], "grove/probe");
    assert_eq!(info["mainRoot"], json!(root.display().to_string()));
    c.request(
        "grove/workspace/delete",
        json!({"id": ws["id"], "deleteBranch": true}),
    )
    .await
    .expect("delete");
    let last = c.notifications.last().unwrap();
    assert_eq!(last["method"], "grove/workspace/changed");
    assert_eq!(last["params"]["removed"], true);
}

#[tokio::test]
async fn the_sidecar_stops_after_exit_though_features_still_hold_the_notifier() {
    let mut c = Client::start();
    c.initialize(json!({"claudePath": "/nonexistent/claude"}))
        .await;
    // `initialized` starts the credentials watcher, a task that lives as long as the sidecar.
    c.notify("initialized", json!({})).await;
    c.request("shutdown", Value::Null).await.expect("shutdown");
    c.notify("exit", Value::Null).await;
    tokio::time::timeout(Duration::from_secs(5), c.served)
        .await
        .expect("serve returns after exit")
        .unwrap();
}
