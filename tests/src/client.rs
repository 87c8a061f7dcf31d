//! A minimal LSP-framed JSON-RPC client for the built sidecar: requests with ids, notifications
//! collected for assertions, raw bytes for abuse tests, and the sidecar's stderr kept as its log.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{Notify, mpsc, oneshot};

/// A JSON-RPC error answer.
#[derive(Debug, Clone)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Value,
}

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

pub struct Sidecar {
    streamed: Arc<Mutex<Streamed>>,
    child: Child,
    /// Bytes for the sidecar's stdin, written in order by one task; `None` once closed.
    stdin: Option<mpsc::UnboundedSender<Vec<u8>>>,
    next_id: std::sync::atomic::AtomicI64,
    pending: Pending,
    /// Every notification and id-less answer the sidecar sent, in order.
    received: Arc<Mutex<Vec<Value>>>,
    /// The raw text of every answer whose id is not one of this client's (for exact-id checks).
    unmatched: Arc<Mutex<Vec<String>>>,
    arrived: Arc<Notify>,
    stderr: Arc<Mutex<String>>,
}

/// The environment a sidecar starts with in tests: nothing inherited but what is named here.
pub struct Launch {
    cmd: Command,
    stream: Option<String>,
}

/// What a streamed method delivered (see `Launch::stream`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Streamed {
    pub count: u64,
    /// Every notification's `params.seq` was the one after the previous (from 0).
    pub gapless: bool,
}

impl Launch {
    pub fn new(home: &Path) -> Self {
        let mut cmd = Command::new(crate::server_bin());
        cmd.env_clear()
            .env("HOME", home)
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("SHELL", "/bin/sh")
            .env("GROVE_LOG", "debug")
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            .env("GROVE_STATE_DIR", home.join(".grove-state"))
            // Local model servers are looked for where nothing listens, unless a test says.
            .env("GROVE_OLLAMA_URL", "http://127.0.0.1:9")
            .env("GROVE_LMSTUDIO_URL", "http://127.0.0.1:9");
        Self { cmd, stream: None }
    }

    /// Notifications of `method` are parsed, checked for a gapless `params.seq` and counted, then
    /// dropped instead of kept, as a streaming consumer does (for floods of agent events).
    pub fn stream(mut self, method: &str) -> Self {
        self.stream = Some(method.to_string());
        self
    }

    /// The sidecar's working directory (by default the test's).
    pub fn cwd(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn spawn(mut self) -> Sidecar {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = self.cmd.spawn().expect("spawn grove-server");
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr_pipe = child.stderr.take().unwrap();
        let pending: Pending = Arc::default();
        let received: Arc<Mutex<Vec<Value>>> = Arc::default();
        let unmatched: Arc<Mutex<Vec<String>>> = Arc::default();
        let arrived = Arc::new(Notify::new());
        let stderr: Arc<Mutex<String>> = Arc::default();
        let (in_tx, mut in_rx) = mpsc::unbounded_channel::<Vec<u8>>();

        tokio::spawn(async move {
            while let Some(bytes) = in_rx.recv().await {
                if stdin.write_all(&bytes).await.is_err() || stdin.flush().await.is_err() {
                    break;
                }
            }
            // All senders gone: dropping `stdin` closes the pipe.
        });
        let (p, r, a, replies, u) = (
            pending.clone(),
            received.clone(),
            arrived.clone(),
            in_tx.downgrade(),
            unmatched.clone(),
        );
        let streamed = Arc::new(Mutex::new(Streamed {
            count: 0,
            gapless: true,
        }));
        let (stream_method, st) = (self.stream.clone(), streamed.clone());
        tokio::spawn(async move {
            let mut reader = BufReader::with_capacity(1 << 16, stdout);
            let (mut header, mut body) = (Vec::new(), Vec::new());
            while let Some(msg) = read_frame(&mut reader, &mut header, &mut body).await {
                let id = msg.get("id").cloned();
                if msg.get("method").is_some() {
                    if let Some(id) = id {
                        // A request from the server (e.g. workDoneProgress/create): accept it.
                        let ok = json!({"jsonrpc": "2.0", "id": id, "result": null});
                        if let Some(tx) = replies.upgrade() {
                            let _ = tx.send(frame(&ok));
                        }
                        continue;
                    }
                } else if let Some(tx) = id
                    .as_ref()
                    .and_then(Value::as_i64)
                    .and_then(|n| p.lock().unwrap().remove(&n))
                {
                    let _ = tx.send(msg);
                    continue;
                } else if msg.get("method").is_none() {
                    u.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&body).into_owned());
                }
                if stream_method.as_deref().is_some_and(|m| msg["method"] == m) {
                    let mut st = st.lock().unwrap();
                    st.gapless &= msg["params"]["seq"] == st.count;
                    st.count += 1;
                } else {
                    r.lock().unwrap().push(msg);
                }
                // Waiters look once a burst has been read, not at every frame of it.
                if reader.buffer().is_empty() {
                    a.notify_waiters();
                }
            }
        });
        let e = stderr.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr_pipe).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut log = e.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Sidecar {
            streamed,
            child,
            stdin: Some(in_tx),
            next_id: 1.into(),
            pending,
            received,
            unmatched,
            arrived,
            stderr,
        }
    }
}

pub fn frame(v: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(v).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

/// Reads one frame into `body` (reused) and parses it. Headers are read straight from the
/// buffer: this client keeps up with a flood of notifications.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(
    r: &mut R,
    header: &mut Vec<u8>,
    body: &mut Vec<u8>,
) -> Option<Value> {
    header.clear();
    while !header.ends_with(b"\r\n\r\n") {
        if r.read_until(b'\n', header).await.ok()? == 0 {
            return None;
        }
    }
    let text = std::str::from_utf8(header).ok()?;
    let len = text
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length:"))?
        .trim()
        .parse::<usize>()
        .ok()?;
    body.resize(len, 0);
    r.read_exact(body).await.ok()?;
    let parsed = std::str::from_utf8(body)
        .ok()
        .and_then(|t| serde_json::from_str(t).ok());
    Some(parsed.unwrap_or(Value::Null))
}

impl Sidecar {
    /// Starts the built sidecar with `HOME` at `home` and nothing else inherited.
    pub fn start(home: &Path) -> Sidecar {
        Launch::new(home).spawn()
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// `initialize` with these options, then `initialized`; returns the initialize result.
    pub async fn initialize(&self, options: Value) -> Value {
        let result = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
            )
            .await
            .expect("initialize");
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn send_raw(&self, bytes: &[u8]) {
        let stdin = self.stdin.as_ref().expect("stdin is open");
        stdin
            .send(bytes.to_vec())
            .expect("sidecar stdin writer is running");
    }

    /// Closes the sidecar's stdin, as an editor that goes away does. Server requests arriving
    /// later are no longer answered.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits up to `within` for the process to end by itself.
    pub async fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        tokio::time::timeout(within, self.child.wait())
            .await
            .ok()?
            .ok()
    }

    pub async fn notify(&self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&frame(&msg)).await;
    }

    /// A request with a 60 s limit; the error object on a JSON-RPC error.
    pub async fn request(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&frame(&msg)).await;
        let answer = tokio::time::timeout(Duration::from_secs(60), rx)
            .await
            .unwrap_or_else(|_| panic!("no answer to {method} in 60 s; log:\n{}", self.stderr()))
            .expect("sidecar closed");
        match answer.get("error") {
            Some(e) => Err(RpcError {
                code: e["code"].as_i64().unwrap_or(0),
                message: e["message"].as_str().unwrap_or("").to_string(),
                data: e.get("data").cloned().unwrap_or(Value::Null),
            }),
            None => Ok(answer["result"].clone()),
        }
    }

    /// Every notification (and id-less answer) received so far.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    /// The raw text of each answer received so far whose id was not one this client sent with
    /// `request` (raw requests sent with `send_raw`).
    pub fn unmatched_answers(&self) -> Vec<String> {
        self.unmatched.lock().unwrap().clone()
    }

    /// Waits until `count` unmatched answers have arrived; their raw text.
    pub async fn wait_unmatched(&self, count: usize, within: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let notified = self.arrived.notified();
            let got = self.unmatched_answers();
            if got.len() >= count || tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.unmatched_answers();
            }
        }
    }

    /// The params of each `method` notification received so far.
    pub fn notifications(&self, method: &str) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|m| m["method"] == method)
            .map(|m| m["params"].clone())
            .collect()
    }

    /// Waits until a `method` notification after the first `skip` of them matches `pred`. Looks at
    /// each message once, so waiting through a flood of notifications stays cheap.
    pub async fn wait_for(
        &self,
        method: &str,
        skip: usize,
        within: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        let (mut looked, mut seen) = (0, 0);
        loop {
            let notified = self.arrived.notified();
            {
                let received = self.received.lock().unwrap();
                for m in &received[looked..] {
                    if m["method"] == method {
                        seen += 1;
                        if seen > skip && pred(&m["params"]) {
                            return Some(m["params"].clone());
                        }
                    }
                }
                looked = received.len();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// How many `method` notifications have arrived.
    pub fn count(&self, method: &str) -> usize {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m["method"] == method)
            .count()
    }

    /// What the streamed method (see `Launch::stream`) delivered so far.
    pub fn streamed(&self) -> Streamed {
        self.streamed.lock().unwrap().clone()
    }

    /// Everything the sidecar wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `shutdown` then `exit`; the exit status.
    pub async fn shutdown(mut self) -> std::process::ExitStatus {
        self.request("shutdown", Value::Null)
            .await
            .expect("shutdown");
        self.notify("exit", Value::Null).await;
        tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .expect("sidecar exits after `exit`")
            .unwrap()
    }
}
