//! Guards the protocol channel. tower-lsp stops reading at the first frame it cannot decode, so
//! frames from stdin are checked here first and bad ones answered here; one writer owns stdout and
//! writes whole frames only, so those answers never interleave with the server's own.

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, LspService, Server};

/// Frames larger than this are skipped (and answered) rather than buffered.
const MAX_FRAME: usize = 128 * 1024 * 1024;
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// A direct way to the client for high-volume notifications (agent events): frames go straight
/// to the stdout writer, skipping tower-lsp's one-message-at-a-time client channel. Frames sent
/// through one outbox arrive in the order sent.
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

    /// Sends whole frames (one or several, as `push_notification` makes them), in order.
    pub async fn send_frames(&self, frames: Vec<u8>) {
        if !frames.is_empty() {
            let _ = self.frames.send(frames).await;
        }
    }

    pub async fn notify<N: tower_lsp_server::ls_types::notification::Notification>(
        &self,
        params: &N::Params,
    ) {
        match serde_json::to_vec(params) {
            Ok(json) => {
                let mut frames = Vec::new();
                push_notification(&mut frames, N::METHOD, &json);
                self.send_frames(frames).await;
            }
            Err(e) => tracing::error!("could not serialize a {} notification: {e}", N::METHOD),
        }
    }
}

/// Appends a notification frame with already serialized params to `out`.
pub fn push_notification(out: &mut Vec<u8>, method: &str, params: &[u8]) {
    const HEAD: &[u8] = br#"{"jsonrpc":"2.0","method":""#;
    const MID: &[u8] = br#"","params":"#;
    let len = HEAD.len() + method.len() + MID.len() + params.len() + 1;
    out.extend_from_slice(format!("Content-Length: {len}\r\n\r\n").as_bytes());
    out.extend_from_slice(HEAD);
    out.extend_from_slice(method.as_bytes());
    out.extend_from_slice(MID);
    out.extend_from_slice(params);
    out.push(b'}');
}

/// Serves `service` on `input`/`output` until the client exits or closes its end. `outbox` is
/// the queue from `Outbox::new`, written to `output` along with the server's own frames.
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

    tokio::spawn(guard_input(input, to_server, frames_tx.downgrade()));
    let forward = tokio::spawn(forward_output(from_server, frames_tx));
    let writer = tokio::spawn(write_frames(frames_rx, output));

    Server::new(server_in, server_out, socket)
        .serve(service)
        .await;
    // The server's output end is gone: forward what is left, then the writer drains and ends.
    let _ = forward.await;
    let _ = writer.await;
}

#[derive(Debug, PartialEq)]
enum FrameError {
    /// The peer is gone.
    Closed,
    /// A header block that is not a frame; reading goes on with the next block.
    Malformed(String),
}

/// Reads one frame's body. Header lines other than `Content-Length` are ignored; garbage before a
/// `Content-Length` header in the same line is skipped.
async fn read_frame<R: AsyncBufRead + Unpin>(r: &mut R) -> Result<Vec<u8>, FrameError> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = Vec::new();
    let mut saw_header = false;
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)
            .await
            .map_err(|_| FrameError::Closed)?
            == 0
        {
            return Err(FrameError::Closed);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue; // stray blank lines between frames
        }
        saw_header = true;
        if let Some(at) = text.find("Content-Length:") {
            let value = text[at + "Content-Length:".len()..].trim();
            length = Some(
                value
                    .parse()
                    .map_err(|_| format!("invalid Content-Length {value:?}")),
            );
        }
    }
    let len = match length {
        None => {
            return Err(FrameError::Malformed(
                "missing Content-Length header".into(),
            ));
        }
        Some(Err(e)) => return Err(FrameError::Malformed(e)),
        Some(Ok(n)) => n,
    };
    if len > MAX_FRAME {
        let mut skip = r.take(len as u64);
        tokio::io::copy(&mut skip, &mut tokio::io::sink())
            .await
            .map_err(|_| FrameError::Closed)?;
        return Err(FrameError::Malformed(format!(
            "a frame of {len} bytes is over the limit"
        )));
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body)
        .await
        .map_err(|_| FrameError::Closed)?;
    Ok(body)
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_frame(id: serde_json::Value, code: i64, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message }
    });
    frame(&serde_json::to_vec(&body).unwrap_or_default())
}

/// Whether tower-lsp can take this body; otherwise the answer to send instead.
fn check(body: &[u8]) -> Result<(), Vec<u8>> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        tracing::warn!("dropped a frame that is not JSON: {e}");
        error_frame(
            serde_json::Value::Null,
            PARSE_ERROR,
            &format!("Parse error: {e}"),
        )
    })?;
    if serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok()
    {
        return Ok(());
    }
    tracing::warn!("dropped a frame that is not a JSON-RPC 2.0 message");
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
        .cloned();
    Err(error_frame(
        id.unwrap_or(serde_json::Value::Null),
        INVALID_REQUEST,
        "Invalid request: not a JSON-RPC 2.0 message",
    ))
}

async fn guard_input<I: AsyncRead + Unpin>(
    input: I,
    mut to_server: tokio::io::DuplexStream,
    replies: mpsc::WeakSender<Vec<u8>>,
) {
    let mut r = BufReader::with_capacity(1 << 16, input);
    loop {
        let verdict = match read_frame(&mut r).await {
            Err(FrameError::Closed) => break,
            Err(FrameError::Malformed(why)) => {
                tracing::warn!("skipped malformed input: {why}");
                Err(error_frame(
                    serde_json::Value::Null,
                    PARSE_ERROR,
                    &format!("Parse error: {why}"),
                ))
            }
            Ok(body) => check(&body).map(|()| body),
        };
        match verdict {
            Ok(body) => {
                if to_server.write_all(&frame(&body)).await.is_err() {
                    break;
                }
            }
            Err(answer) => match replies.upgrade() {
                Some(tx) => {
                    let _ = tx.send(answer).await;
                }
                None => break,
            },
        }
    }
    // Dropping `to_server` tells the server its client is gone.
}

async fn forward_output(from_server: tokio::io::DuplexStream, frames: mpsc::Sender<Vec<u8>>) {
    let mut r = BufReader::with_capacity(1 << 16, from_server);
    while let Ok(body) = read_frame(&mut r).await {
        if frames.send(frame(&body)).await.is_err() {
            break;
        }
    }
}

async fn write_frames<O: AsyncWrite + Unpin>(mut frames: mpsc::Receiver<Vec<u8>>, out: O) {
    let mut out = tokio::io::BufWriter::with_capacity(1 << 16, out);
    while let Some(f) = frames.recv().await {
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

    async fn frames_of(input: &[u8]) -> Vec<Result<Vec<u8>, FrameError>> {
        let mut r = BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut r).await {
                Err(FrameError::Closed) => return out,
                other => out.push(other),
            }
        }
    }

    #[tokio::test]
    async fn reads_frames_and_resyncs_after_garbage() {
        let got = frames_of(
            b"hello\r\n\r\nContent-Length: x\r\n\r\n{}Content-Length: 2\r\n\r\n{}\
              Content-Length: 3\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n[1]",
        )
        .await;
        assert!(matches!(got[0], Err(FrameError::Malformed(_))));
        assert!(matches!(got[1], Err(FrameError::Malformed(_))));
        assert_eq!(got[2], Ok(b"{}".to_vec()));
        assert_eq!(got[3], Ok(b"[1]".to_vec()));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn only_json_rpc_messages_pass() {
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{}}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","method":"x"}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        let parse = String::from_utf8(check(b"{oops").unwrap_err()).unwrap();
        assert!(parse.contains("-32700"));
        let invalid = String::from_utf8(check(br#"{"id":7,"method":"x"}"#).unwrap_err()).unwrap();
        assert!(invalid.contains("-32600") && invalid.contains("\"id\":7"));
        assert!(check(b"null").is_err());
    }
}
