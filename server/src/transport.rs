//! Guards the protocol channel. tower-lsp stops reading at the first frame it cannot decode, so
//! frames from stdin are read and checked here first (bounded headers, bounded frames, JSON-RPC
//! shape, ids it could not echo exactly) and bad ones answered here; one writer owns stdout and
//! writes whole frames only, so those answers never interleave with the server's own. Frames are
//! logged here, at trace level, with every secret taken out.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::{ClientSocket, LspService, Server};

use crate::protocol::SECRET_FIELDS;

/// Frames larger than this are answered with an error at once and their bodies skipped unread.
pub const MAX_FRAME: usize = 32 * 1024 * 1024;
/// Header lines longer than this make the frame malformed; the rest of the line is skipped.
pub const MAX_HEADER_LINE: usize = 8 * 1024;
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

/// Notifications tower-lsp knows; sent with an id they are answered here, not run.
const NOTIFICATIONS: &[&str] = &[
    "initialized",
    "exit",
    "$/cancelRequest",
    "$/setTrace",
    "$/progress",
    "workspace/didChangeConfiguration",
    "workspace/didChangeWatchedFiles",
    "workspace/didChangeWorkspaceFolders",
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didSave",
    "textDocument/didClose",
    "textDocument/willSave",
];
/// String ids Grove gives requests whose own ids tower-lsp could not echo exactly.
const ID_PREFIX: &str = "grove-id:";

/// The way to the client for Grove's notifications (`notifier::Sink`): frames go straight to the
/// stdout writer, skipping tower-lsp's one-message-at-a-time client channel. Frames sent through
/// one outbox arrive in the order sent.
#[derive(Clone)]
pub struct Outbox {
    frames: mpsc::Sender<Vec<u8>>,
}

impl Outbox {
    /// An outbox and the queue that `serve` writes to stdout.
    pub fn new() -> (Self, mpsc::Receiver<Vec<u8>>) {
        // Entries are single frames or relayed batches (at most about 400 KiB): a short queue.
        let (frames, rx) = mpsc::channel(32);
        (Self { frames }, rx)
    }
}

impl crate::notifier::Sink for Outbox {
    fn send_frames(
        &self,
        frames: Vec<u8>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            // Never empty: an empty entry tells the writer to stop.
            if !frames.is_empty() {
                let _ = self.frames.send(frames).await;
            }
        })
    }
}

/// Serves `service` on `input`/`output` until the client exits or closes its end: when `input`
/// ends, this returns at once, whatever requests are still running. `outbox` is the queue from
/// `Outbox::new`, written to `output` along with the server's own frames.
pub async fn serve<S, I, O>(
    service: LspService<S>,
    socket: ClientSocket,
    input: I,
    output: O,
    outbox: (Outbox, mpsc::Receiver<Vec<u8>>),
) where
    S: tower_lsp_server::LanguageServer,
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (Outbox { frames: frames_tx }, frames_rx) = outbox;
    let ids = std::sync::Arc::new(Ids::default());

    let guard = tokio::spawn(guard_input(
        input,
        to_server,
        frames_tx.downgrade(),
        ids.clone(),
    ));
    let forward = tokio::spawn(forward_output(from_server, frames_tx, ids));
    let writer = tokio::spawn(write_frames(frames_rx, output));

    let server = Server::new(server_in, server_out, socket).serve(service);
    tokio::select! {
        () = server => {
            // The server's output end is gone: forward what is left, then the writer drains.
            let _ = forward.await;
            let _ = writer.await;
        }
        _ = guard => tracing::info!("the client closed the protocol channel"),
    }
}

/// Why no frame came.
#[derive(Debug, PartialEq)]
pub enum FrameError {
    /// The peer is gone.
    Closed,
    /// A header block that is not a frame; reading goes on with the next block.
    Malformed(String),
    /// A frame over `MAX_FRAME` bytes: the next read skips its body.
    TooLarge(u64),
}

/// Reads LSP frames (`Content-Length` header, case-insensitive; other headers ignored) with
/// bounded memory: a header line keeps at most `MAX_HEADER_LINE` bytes, a body is read only when
/// it is at most `MAX_FRAME` bytes, into a buffer of exactly its size.
pub struct FrameReader<R> {
    r: R,
    /// Bytes of a refused frame still to be skipped.
    skip: u64,
    line: Vec<u8>,
}

impl<R: AsyncBufRead + Unpin> FrameReader<R> {
    pub fn new(r: R) -> Self {
        Self {
            r,
            skip: 0,
            line: Vec::new(),
        }
    }

    /// The next frame's body.
    pub async fn next(&mut self) -> Result<Vec<u8>, FrameError> {
        if self.skip > 0 {
            let mut skip = tokio::io::AsyncReadExt::take(&mut self.r, self.skip);
            let skipped = tokio::io::copy_buf(&mut skip, &mut tokio::io::sink())
                .await
                .map_err(|_| FrameError::Closed)?;
            if skipped < self.skip {
                return Err(FrameError::Closed);
            }
            self.skip = 0;
        }
        let mut length: Option<Result<u64, String>> = None;
        let mut problem = None;
        let mut saw_header = false;
        loop {
            let overlong = self.read_line().await?;
            let text = String::from_utf8_lossy(&self.line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() && !overlong {
                if saw_header {
                    break;
                }
                continue; // stray blank lines between frames
            }
            saw_header = true;
            if overlong {
                problem = Some(format!(
                    "a header line is longer than {MAX_HEADER_LINE} bytes"
                ));
                continue;
            }
            // Header names are case-insensitive; ASCII lowercasing keeps the offsets.
            if let Some(at) = text.to_ascii_lowercase().find("content-length:") {
                let value = text[at + "content-length:".len()..].trim();
                length = Some(
                    value
                        .parse()
                        .map_err(|_| format!("invalid Content-Length {value:?}")),
                );
            }
        }
        let len = match (problem, length) {
            (Some(why), _) => return Err(FrameError::Malformed(why)),
            (None, None) => {
                return Err(FrameError::Malformed(
                    "missing Content-Length header".into(),
                ));
            }
            (None, Some(Err(e))) => return Err(FrameError::Malformed(e)),
            (None, Some(Ok(n))) => n,
        };
        if len > MAX_FRAME as u64 {
            self.skip = len;
            return Err(FrameError::TooLarge(len));
        }
        let mut body = vec![0; len as usize];
        tokio::io::AsyncReadExt::read_exact(&mut self.r, &mut body)
            .await
            .map_err(|_| FrameError::Closed)?;
        Ok(body)
    }

    /// Reads one line into `self.line`, keeping at most `MAX_HEADER_LINE` bytes of it; whether
    /// it was longer. The end of input, even mid-line, is `Closed`.
    async fn read_line(&mut self) -> Result<bool, FrameError> {
        self.line.clear();
        let mut overlong = false;
        loop {
            let buf = self.r.fill_buf().await.map_err(|_| FrameError::Closed)?;
            if buf.is_empty() {
                return Err(FrameError::Closed);
            }
            let (take, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = MAX_HEADER_LINE.saturating_sub(self.line.len());
            self.line.extend_from_slice(&buf[..take.min(room)]);
            overlong |= take > room;
            self.r.consume(take);
            if done {
                return Ok(overlong);
            }
        }
    }
}

fn header(len: usize) -> Vec<u8> {
    format!("Content-Length: {len}\r\n\r\n").into_bytes()
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = header(body.len());
    out.extend_from_slice(body);
    out
}

/// An error answer; `id` is the raw JSON of the request's id (`null` when unknown).
fn error_frame(id: &str, code: i64, message: &str) -> Vec<u8> {
    let message = serde_json::to_string(message).unwrap_or_else(|_| "\"\"".into());
    frame(
        format!(r#"{{"jsonrpc":"2.0","id":{id},"error":{{"code":{code},"message":{message}}}}}"#)
            .as_bytes(),
    )
}

/// The parts of a JSON-RPC message, borrowed from its body as raw JSON. A field that is present
/// is `Some` even when it is `null`.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    jsonrpc: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    error: Option<&'a RawValue>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// Requests whose ids were replaced, and requests whose answers hold a secret.
#[derive(Default)]
struct Ids {
    /// Set while `replaced` may be non-empty: the output path looks only then.
    any: AtomicBool,
    state: Mutex<IdState>,
}

#[derive(Default)]
struct IdState {
    next: u64,
    /// Grove's id (`grove-id:N`) → the client's id, as raw JSON.
    replaced: HashMap<String, String>,
    /// Raw ids of requests whose answers are never logged.
    secret_answers: HashSet<String>,
}

impl Ids {
    fn replace(&self, original: &str) -> String {
        let mut st = self.state.lock().unwrap();
        st.next += 1;
        let ours = format!("\"{ID_PREFIX}{}\"", st.next);
        st.replaced.insert(ours.clone(), original.to_string());
        self.any.store(true, Ordering::Release);
        ours
    }

    /// The client's own id for an answer to `ours`, once.
    fn restore(&self, ours: &str) -> Option<String> {
        let mut st = self.state.lock().unwrap();
        let original = st.replaced.remove(ours);
        if st.replaced.is_empty() {
            self.any.store(false, Ordering::Release);
        }
        original
    }
}

/// Whether tower-lsp gives this id back exactly as sent: `null`, an `i64` in its plain form, or
/// a string without escapes that cannot be mistaken for one of Grove's own.
fn echoed_exactly(raw: &str) -> bool {
    match raw.as_bytes().first() {
        Some(b'n') => raw == "null",
        Some(b'"') => !raw.contains('\\') && !raw[1..].starts_with(ID_PREFIX),
        _ => raw.parse::<i64>().is_ok_and(|n| n.to_string() == raw),
    }
}

fn is_id(raw: &str) -> bool {
    matches!(
        raw.as_bytes().first(),
        Some(b'"' | b'-' | b'0'..=b'9' | b'n')
    )
}

/// What to do with one frame from the client.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Hand it to the server as it is.
    Pass,
    /// Hand this body to the server instead (a replaced id, or `{}` for omitted params).
    Rewrite(Vec<u8>),
    /// Answer the client with this frame; the server never sees it.
    Answer(Vec<u8>),
    /// Drop it (a bad notification or response: nothing to answer).
    Drop,
}

/// The answer to an invalid message (the id it gave, when it is one).
fn invalid(id: Option<&RawValue>, why: &str) -> Verdict {
    let id = id.map(RawValue::get).filter(|r| is_id(r)).unwrap_or("null");
    tracing::warn!("answered an invalid message: {why}");
    Verdict::Answer(error_frame(
        id,
        INVALID_REQUEST,
        &format!("Invalid request: {why}"),
    ))
}

/// The message's parts, or the answer to a body that is not JSON or not an object.
fn envelope(body: &[u8]) -> Result<Envelope<'_>, Verdict> {
    let is_object = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    let parse_error = |e: serde_json::Error| {
        Verdict::Answer(error_frame(
            "null",
            PARSE_ERROR,
            &format!("Parse error: {e}"),
        ))
    };
    match serde_json::from_slice(body) {
        Ok(m) if is_object => Ok(m),
        Ok(_) => Err(invalid(None, "not a JSON-RPC 2.0 message")),
        Err(e) if e.is_syntax() || e.is_eof() => {
            tracing::warn!("answered a frame that is not JSON: {e}");
            Err(parse_error(e))
        }
        Err(_) => match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Ok(_) => Err(invalid(None, "not a JSON-RPC 2.0 message")),
            Err(e) => Err(parse_error(e)),
        },
    }
}

/// Secrets a request carries: its answer is masked in traces (`ids` learns its id), its secret
/// params are remembered for redaction.
fn note_secrets(method: &str, id: Option<&RawValue>, params: Option<&str>, ids: &Ids) {
    if let Some(id) = id.filter(|_| tracing::enabled!(tracing::Level::TRACE))
        && SECRET_FIELDS.iter().any(|f| f.method == method && f.result)
    {
        ids.state
            .lock()
            .unwrap()
            .secret_answers
            .insert(id.get().to_string());
    }
    let fields = SECRET_FIELDS.iter().filter(|f| f.method == method);
    for field in fields.flat_map(|f| f.params) {
        if let Some(value) = params
            .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
            .and_then(|v| v.get(field)?.as_str().map(str::to_owned))
        {
            crate::redact::remember(&value);
        }
    }
}

/// Checks one body; `ids` learns replaced ids and secret answers.
fn inspect(body: &[u8], ids: &Ids) -> Verdict {
    let msg = match envelope(body) {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    if msg.jsonrpc.map(RawValue::get) != Some("\"2.0\"") {
        return invalid(msg.id, "not a JSON-RPC 2.0 message (\"jsonrpc\": \"2.0\")");
    }
    if msg.id.is_some_and(|id| !is_id(id.get())) {
        return invalid(None, "an id is a string, a number or null");
    }
    let Some(method) = msg.method else {
        // A response to one of the server's requests.
        return match (msg.id, msg.result.is_some() != msg.error.is_some()) {
            (Some(_), true) => Verdict::Pass,
            _ => {
                tracing::warn!("dropped a message that is neither a request nor a response");
                Verdict::Drop
            }
        };
    };
    let Ok(method) = serde_json::from_str::<String>(method.get()) else {
        return invalid(msg.id, "the method is not a string");
    };
    if let Some(id) = msg.id.filter(|_| method.starts_with("$/")) {
        // tower-lsp drops every `$/` answer, but a request must have one.
        return Verdict::Answer(error_frame(
            id.get(),
            METHOD_NOT_FOUND,
            &format!("Method not found: {method}"),
        ));
    }
    if msg.id.is_some() && NOTIFICATIONS.contains(&method.as_str()) {
        return invalid(
            msg.id,
            &format!("{method} is a notification and is sent without an id"),
        );
    }
    let params = msg.params.map(RawValue::get).filter(|p| *p != "null");
    if let Some(p) = params.filter(|p| !p.starts_with('{')) {
        let Some(id) = msg.id else {
            tracing::warn!("dropped a {method} notification whose params are not an object");
            return Verdict::Drop;
        };
        let what = if p.starts_with('[') {
            "by-position params (an array) are not accepted; send an object"
        } else {
            "params must be an object"
        };
        return Verdict::Answer(error_frame(
            id.get(),
            INVALID_PARAMS,
            &format!("Invalid params: {what}"),
        ));
    }
    note_secrets(&method, msg.id, params, ids);
    let new_id = msg
        .id
        .filter(|id| !echoed_exactly(id.get()))
        .map(|id| ids.replace(id.get()));
    // Params may be omitted (or null) where every field is optional: Grove's handlers take `{}`.
    let fill_params = params.is_none() && method.starts_with("grove/");
    if new_id.is_none() && !fill_params {
        return Verdict::Pass;
    }
    let id = new_id
        .as_deref()
        .or(msg.id.map(RawValue::get))
        .map(|id| format!(r#""id":{id},"#))
        .unwrap_or_default();
    let method = serde_json::to_string(&method).unwrap_or_default();
    let params = params.unwrap_or("{}");
    Verdict::Rewrite(
        format!(r#"{{"jsonrpc":"2.0",{id}"method":{method},"params":{params}}}"#).into_bytes(),
    )
}

/// Runs the checks every frame from the client goes through, answers discarded: for the fuzz
/// target (`fuzz/`), which feeds it whatever `FrameReader` makes of arbitrary bytes.
#[doc(hidden)]
pub fn inspect_frame(body: &[u8]) {
    let ids = Ids::default();
    if let Verdict::Rewrite(new) = inspect(body, &ids) {
        let _ = restore_id(new, &ids);
    }
    let _ = loggable(body, true);
}

/// A frame as it may be logged: secret params and answers masked, tokens redacted.
fn loggable(body: &[u8], secret_answer: bool) -> String {
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return crate::redact::redact(&String::from_utf8_lossy(&body[..body.len().min(200)]));
    };
    let method = v["method"].as_str().unwrap_or("").to_string();
    let fields = SECRET_FIELDS.iter().filter(|f| f.method == method);
    for field in fields.flat_map(|f| f.params) {
        if let Some(p) = v.get_mut("params").and_then(|p| p.get_mut(*field)) {
            *p = "«secret»".into();
        }
    }
    if secret_answer && let Some(r) = v.get_mut("result") {
        *r = "«secret»".into();
    }
    crate::redact::redact(&v.to_string())
}

async fn guard_input<I: AsyncRead + Unpin>(
    input: I,
    mut to_server: tokio::io::DuplexStream,
    replies: mpsc::WeakSender<Vec<u8>>,
    ids: std::sync::Arc<Ids>,
) {
    let mut reader = FrameReader::new(BufReader::with_capacity(1 << 16, input));
    loop {
        let (verdict, body) = match reader.next().await {
            Err(FrameError::Closed) => break,
            Err(FrameError::Malformed(why)) => {
                tracing::warn!("skipped malformed input: {why}");
                let answer = error_frame("null", PARSE_ERROR, &format!("Parse error: {why}"));
                (Verdict::Answer(answer), Vec::new())
            }
            Err(FrameError::TooLarge(len)) => {
                tracing::warn!("refused a frame of {len} bytes");
                let why = format!(
                    "Invalid request: a frame of {len} bytes is over the limit of {MAX_FRAME} bytes; it was skipped"
                );
                let answer = error_frame("null", INVALID_REQUEST, &why);
                (Verdict::Answer(answer), Vec::new())
            }
            Ok(body) => {
                let verdict = inspect(&body, &ids);
                if tracing::enabled!(tracing::Level::TRACE) {
                    tracing::trace!("<- {}", loggable(&body, false));
                }
                (verdict, body)
            }
        };
        let forward = match verdict {
            Verdict::Pass => Some(body),
            Verdict::Rewrite(new) => {
                drop(body);
                Some(new)
            }
            Verdict::Answer(answer) => {
                let Some(tx) = replies.upgrade() else { break };
                let _ = tx.send(answer).await;
                None
            }
            Verdict::Drop => None,
        };
        if let Some(body) = forward {
            // Header and body apart: a large body is not copied once more.
            if to_server.write_all(&header(body.len())).await.is_err()
                || to_server.write_all(&body).await.is_err()
            {
                break;
            }
        }
    }
    // Dropping `to_server` tells the server its client is gone.
}

/// Puts the client's own id back into an answer whose request got one of Grove's.
fn restore_id(body: Vec<u8>, ids: &Ids) -> Vec<u8> {
    let Ok(msg) = serde_json::from_slice::<Envelope>(&body) else {
        return body;
    };
    let Some(id) = msg.id.filter(|_| msg.method.is_none()) else {
        return body;
    };
    let Some(original) = ids.restore(id.get()) else {
        return body;
    };
    let start = id.get().as_ptr() as usize - body.as_ptr() as usize;
    let end = start + id.get().len();
    let mut out = Vec::with_capacity(body.len() + original.len());
    out.extend_from_slice(&body[..start]);
    out.extend_from_slice(original.as_bytes());
    out.extend_from_slice(&body[end..]);
    out
}

async fn forward_output(
    from_server: tokio::io::DuplexStream,
    frames: mpsc::Sender<Vec<u8>>,
    ids: std::sync::Arc<Ids>,
) {
    let mut reader = FrameReader::new(BufReader::with_capacity(1 << 16, from_server));
    while let Ok(mut body) = reader.next().await {
        if ids.any.load(Ordering::Acquire) {
            body = restore_id(body, &ids);
        }
        if tracing::enabled!(tracing::Level::TRACE) {
            let secret = serde_json::from_slice::<Envelope>(&body)
                .ok()
                .and_then(|m| m.id.filter(|_| m.method.is_none()))
                .is_some_and(|id| ids.state.lock().unwrap().secret_answers.remove(id.get()));
            tracing::trace!("-> {}", loggable(&body, secret));
        }
        if frames.send(frame(&body)).await.is_err() {
            break;
        }
    }
    // The server is done: the writer stops after what is queued, even though features (a
    // watcher task, say) still hold a `Notifier` and so keep the queue open.
    let _ = frames.send(Vec::new()).await;
}

async fn write_frames<O: AsyncWrite + Unpin>(mut frames: mpsc::Receiver<Vec<u8>>, out: O) {
    let mut out = tokio::io::BufWriter::with_capacity(1 << 16, out);
    while let Some(f) = frames.recv().await {
        // An empty entry is `forward_output`'s word that the server ended (no sink sends one).
        if f.is_empty() {
            break;
        }
        if out.write_all(&f).await.is_err() {
            break;
        }
        // Flush once the queue is empty, so bursts go out in few writes.
        if frames.is_empty() && out.flush().await.is_err() {
            break;
        }
    }
    let _ = out.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_io::Chunked;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    async fn frames_of(data: Vec<u8>, cuts: Vec<usize>) -> Vec<Result<Vec<u8>, FrameError>> {
        let limit = data.len() + 2;
        let mut r = FrameReader::new(BufReader::with_capacity(64, Chunked::new(data, cuts)));
        let mut out = Vec::new();
        for _ in 0..limit {
            match r.next().await {
                Err(FrameError::Closed) => return out,
                other => out.push(other),
            }
        }
        panic!("the reader did not finish");
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn with_header(body: &[u8], name: &str) -> Vec<u8> {
        let mut out = format!("{name}: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn reads_frames_and_resyncs_after_garbage() {
        let got = block_on(frames_of(
            b"hello\r\n\r\nContent-Length: x\r\n\r\n{}Content-Length: 2\r\n\r\n{}\
              content-length: 3\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n[1]\
              CONTENT-LENGTH: 1\r\n\r\n7"
                .to_vec(),
            vec![],
        ));
        assert!(matches!(got[0], Err(FrameError::Malformed(_))));
        assert!(matches!(got[1], Err(FrameError::Malformed(_))));
        assert_eq!(got[2], Ok(b"{}".to_vec()));
        assert_eq!(
            got[3],
            Ok(b"[1]".to_vec()),
            "header names are case-insensitive"
        );
        assert_eq!(got[4], Ok(b"7".to_vec()));
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn an_oversized_frame_is_refused_before_its_body_and_then_skipped() {
        let len = MAX_FRAME + 10;
        let mut data = format!("Content-Length: {len}\r\n\r\n").into_bytes();
        let refused_at = data.len();
        data.resize(refused_at + len, b'x');
        data.extend(with_header(b"{}", "Content-Length"));
        block_on(async {
            let mut r = FrameReader::new(BufReader::new(&data[..]));
            // Refused with only the header read: the answer goes out before any of the body.
            assert_eq!(r.next().await, Err(FrameError::TooLarge(len as u64)));
            assert_eq!(r.next().await, Ok(b"{}".to_vec()));
        });
    }

    #[test]
    fn an_overlong_header_line_is_malformed_and_bounded() {
        let mut data = vec![b'a'; 10 * MAX_HEADER_LINE];
        data.extend_from_slice(b"\r\n\r\n");
        data.extend(with_header(b"{}", "Content-Length"));
        let got = block_on(frames_of(data, vec![]));
        assert!(matches!(&got[0], Err(FrameError::Malformed(m)) if m.contains("header line")));
        assert_eq!(got[1], Ok(b"{}".to_vec()));
    }

    fn verdict(body: &str) -> Verdict {
        inspect(body.as_bytes(), &Ids::default())
    }

    fn answer(body: &str) -> serde_json::Value {
        match verdict(body) {
            Verdict::Answer(f) => {
                let at = f.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                serde_json::from_slice(&f[at..]).unwrap()
            }
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn only_json_rpc_messages_pass() {
        assert_eq!(
            verdict(r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{}}"#),
            Verdict::Pass
        );
        assert_eq!(verdict(r#"{"jsonrpc":"2.0","method":"x"}"#), Verdict::Pass);
        assert_eq!(
            verdict(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            Verdict::Pass
        );
        assert_eq!(answer("{oops")["error"]["code"], PARSE_ERROR);
        assert_eq!(answer(&"[".repeat(10_000))["error"]["code"], PARSE_ERROR);
        let invalid = answer(r#"{"id":7,"method":"x"}"#);
        assert_eq!(invalid["error"]["code"], INVALID_REQUEST);
        assert_eq!(invalid["id"], 7);
        for not_a_message in [
            "null",
            "[]",
            "5",
            r#"[{"jsonrpc":"2.0","id":1,"method":"x"}]"#,
        ] {
            assert_eq!(answer(not_a_message)["error"]["code"], INVALID_REQUEST);
        }
        assert_eq!(verdict(r#"{"jsonrpc":"2.0","params":{}}"#), Verdict::Drop);
    }

    #[test]
    fn omitted_params_become_an_object_and_positional_ones_are_refused() {
        let Verdict::Rewrite(body) =
            verdict(r#"{"jsonrpc":"2.0","id":3,"method":"grove/auth/status"}"#)
        else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["params"], serde_json::json!({}));
        assert_eq!(v["id"], 3);
        let Verdict::Rewrite(_) =
            verdict(r#"{"jsonrpc":"2.0","id":3,"method":"grove/x","params":null}"#)
        else {
            panic!()
        };
        assert_eq!(
            verdict(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#),
            Verdict::Pass,
            "LSP methods keep their own params rules"
        );
        let refused =
            answer(r#"{"jsonrpc":"2.0","id":"q","method":"grove/auth/status","params":[]}"#);
        assert_eq!(refused["error"]["code"], INVALID_PARAMS);
        assert_eq!(refused["id"], "q");
        let notified = answer(r#"{"jsonrpc":"2.0","id":4,"method":"initialized","params":{}}"#);
        assert_eq!(notified["error"]["code"], INVALID_REQUEST);
        assert_eq!(notified["id"], 4);
    }

    #[test]
    fn ids_tower_lsp_cannot_echo_are_replaced_and_restored_exactly() {
        for (id, passes) in [
            ("1", true),
            ("-7", true),
            ("\"abc\"", true),
            ("null", true),
            ("1.5", false),
            ("1e3", false),
            ("-0", false),
            ("18446744073709551616", false),
            ("\"a\\u0041\"", false),
            ("\"grove-id:1\"", false),
        ] {
            let ids = Ids::default();
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"grove/x","params":{{}}}}"#);
            match inspect(body.as_bytes(), &ids) {
                Verdict::Pass => assert!(passes, "{id}"),
                Verdict::Rewrite(new) => {
                    assert!(!passes, "{id}");
                    let ours: serde_json::Value = serde_json::from_slice(&new).unwrap();
                    let ours = ours["id"].to_string();
                    let answer = format!(r#"{{"jsonrpc":"2.0","result":null,"id":{ours}}}"#);
                    let back = restore_id(answer.into_bytes(), &ids);
                    assert_eq!(
                        String::from_utf8(back).unwrap(),
                        format!(r#"{{"jsonrpc":"2.0","result":null,"id":{id}}}"#)
                    );
                    assert!(!ids.any.load(Ordering::Acquire));
                }
                other => panic!("{id}: {other:?}"),
            }
        }
    }

    #[test]
    fn secrets_never_reach_a_logged_frame() {
        let ids = Ids::default();
        let set = r#"{"jsonrpc":"2.0","id":9,"method":"grove/secrets/set","params":{"key":"k","value":"v-123456-secret"}}"#;
        inspect(set.as_bytes(), &ids);
        let logged = loggable(set.as_bytes(), false);
        assert!(!logged.contains("v-123456-secret") && logged.contains("grove/secrets/set"));
        let key = r#"{"jsonrpc":"2.0","id":3,"method":"grove/profiles/add","params":{"provider":"anthropic-compatible","name":"gw","type":"endpoint","secret":"gw-key-9876543210"}}"#;
        let logged = loggable(key.as_bytes(), false);
        assert!(!logged.contains("gw-key-9876543210") && logged.contains("grove/profiles/add"));
        let code = r#"{"jsonrpc":"2.0","id":2,"method":"grove/auth/loginInput","params":{"loginId":"l","code":"c0de-pasted#state"}}"#;
        assert!(!loggable(code.as_bytes(), false).contains("c0de-pasted"));
        let answer = r#"{"jsonrpc":"2.0","id":5,"result":{"value":"v-123456-secret"}}"#;
        assert!(!loggable(answer.as_bytes(), true).contains("v-123456-secret"));
        // Anywhere else it appears, the remembered value is masked too.
        assert!(!crate::redact::redact("echo v-123456-secret").contains("v-123456-secret"));
    }

    /// Bytes with no Content-Length header in them (any case), ended so that they close their
    /// header block: junk the reader must skip without losing what follows.
    fn junk() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            proptest::collection::vec(
                prop_oneof![
                    Just(b'\r'),
                    Just(b'\n'),
                    Just(b':'),
                    Just(b' '),
                    Just(b'C'),
                    any::<u8>()
                ],
                0..64
            ),
            (1..3 * MAX_HEADER_LINE).prop_map(|n| vec![b'h'; n]),
        ]
        .prop_map(|mut j| {
            while let Some(at) = j
                .to_ascii_lowercase()
                .windows(15)
                .position(|w| w == b"content-length:")
            {
                j.remove(at);
            }
            j.extend_from_slice(b"\r\n\r\n");
            j
        })
    }

    #[test]
    fn property_arbitrary_bytes_split_anywhere_never_panic_nor_hang() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let strategy = (
            proptest::collection::vec(any::<u8>(), 0..512),
            proptest::collection::vec(0usize..512, 0..8),
        );
        TestRunner::new(Config::with_cases(10_000))
            .run(&strategy, |(data, cuts)| {
                rt.block_on(async {
                    for body in frames_of(data.clone(), cuts).await.into_iter().flatten() {
                        let _ = inspect(&body, &Ids::default());
                    }
                    let _ = inspect(&data, &Ids::default());
                });
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn property_valid_frames_survive_junk_between_them_split_anywhere() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let body = "[a-z0-9 {}\":,]{0,40}".prop_map(|t| {
            format!(
                r#"{{"jsonrpc":"2.0","method":"x","params":{{"t":{}}}}}"#,
                serde_json::to_string(&t).unwrap()
            )
            .into_bytes()
        });
        let part = (junk(), body, any::<bool>(), any::<bool>());
        let strategy = (
            proptest::collection::vec(part, 1..5),
            proptest::collection::vec(0usize..4096, 0..12),
        );
        TestRunner::new(Config::with_cases(10_000))
            .run(&strategy, |(parts, cuts)| {
                let mut data = Vec::new();
                let mut expected = Vec::new();
                for (junk, body, junk_first, lower) in parts {
                    if junk_first {
                        data.extend_from_slice(&junk);
                    }
                    data.extend(with_header(
                        &body,
                        if lower {
                            "content-length"
                        } else {
                            "Content-Length"
                        },
                    ));
                    expected.push(body);
                }
                let got: Vec<Vec<u8>> = rt
                    .block_on(frames_of(data, cuts))
                    .into_iter()
                    .filter_map(Result::ok)
                    .collect();
                prop_assert_eq!(got, expected);
                Ok(())
            })
            .unwrap();
    }
}
