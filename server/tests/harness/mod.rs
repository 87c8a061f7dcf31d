//! The in-process sidecar the tests in this folder talk to: `backend::service` served by
//! `transport::serve` over `tokio::io::duplex`, and a small JSON-RPC client for it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use grove_server::notifier::Notifier;
use grove_server::transport::{FrameReader, Outbox};
use grove_server::{backend, transport};
use serde_json::{Value, json};
use tokio::io::{AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf};

pub const LIMIT: Duration = Duration::from_secs(20);

/// The client's end of an in-process sidecar.
pub struct Client {
    to_server: WriteHalf<DuplexStream>,
    from_server: FrameReader<BufReader<ReadHalf<DuplexStream>>>,
    next_id: u64,
    /// Notifications that arrived while waiting for an answer, in order.
    pub notifications: Vec<Value>,
    /// The served sidecar: done when it has stopped writing.
    pub served: tokio::task::JoinHandle<()>,
    _state: TempDir,
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> Self {
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
    pub fn start() -> Self {
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

    pub async fn send_raw(&mut self, body: &[u8]) {
        let head = format!("Content-Length: {}\r\n\r\n", body.len());
        self.to_server.write_all(head.as_bytes()).await.unwrap();
        self.to_server.write_all(body).await.unwrap();
        self.to_server.flush().await.unwrap();
    }

    pub async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    /// Sends a request without waiting; its id.
    pub async fn send_request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        id
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    pub async fn next_message(&mut self) -> Value {
        let body = tokio::time::timeout(LIMIT, self.from_server.next())
            .await
            .expect("the sidecar answers in time")
            .expect("a frame");
        serde_json::from_slice(&body).unwrap()
    }

    /// The answer to request `id` (`Ok(result)` or `Err(error)`), keeping notifications.
    pub async fn answer(&mut self, id: Value) -> Result<Value, Value> {
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

    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params).await;
        self.answer(json!(id)).await
    }

    /// Like `request`, but `None` when no answer comes within `limit` (a sidecar that died or
    /// hangs), instead of a panic.
    pub async fn request_within(
        &mut self,
        method: &str,
        params: Value,
        limit: Duration,
    ) -> Option<Result<Value, Value>> {
        let id = self.send_request(method, params).await;
        tokio::time::timeout(limit, self.answer(json!(id)))
            .await
            .ok()
    }

    pub async fn initialize(&mut self, options: Value) -> Value {
        self.request(
            "initialize",
            json!({"capabilities": {}, "initializationOptions": options}),
        )
        .await
        .expect("initialize")
    }
}

/// A repository on `main` with one commit, made with the git CLI.
pub fn repo(dir: &Path) -> PathBuf {
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
