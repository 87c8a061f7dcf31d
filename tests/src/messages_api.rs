//! A loopback stand-in for Anthropic's Messages API, enough for the real claude CLI to run full
//! turns offline: `POST /v1/messages` answered as JSON or as server-sent events, by a script the
//! test gives; every request body is kept for assertions.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One content block of a scripted answer.
#[derive(Clone, Debug)]
pub enum Block {
    Text(String),
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
}

/// What the stand-in answers to one `POST /v1/messages`.
#[derive(Clone, Debug)]
pub enum Reply {
    Message(Vec<Block>),
    /// An HTTP error with an Anthropic error body.
    Error {
        status: u16,
        kind: String,
        message: String,
    },
    /// The reply after a pause (a slow model; a long one keeps a run streaming).
    After(std::time::Duration, Box<Reply>),
}

impl Reply {
    pub fn text(t: &str) -> Self {
        Reply::Message(vec![Block::Text(t.into())])
    }

    /// What the API says to a key it does not accept.
    pub fn unauthorized() -> Self {
        Reply::Error {
            status: 401,
            kind: "authentication_error".into(),
            message: "invalid x-api-key".into(),
        }
    }
}

type Script = dyn Fn(&Value) -> Reply + Send + Sync;

pub struct MessagesApi {
    pub url: String,
    requests: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for MessagesApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl MessagesApi {
    /// Starts on a free loopback port; `script` decides each answer from the request body.
    pub async fn start(script: impl Fn(&Value) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let script: Arc<Script> = Arc::new(script);
        let r = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, script.clone(), r.clone()));
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    /// The text of every user message of every request, in order.
    pub fn user_texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for req in self.requests() {
            for m in req["messages"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|m| m["role"] == "user")
            {
                match &m["content"] {
                    Value::String(s) => out.push(s.clone()),
                    Value::Array(blocks) => out.extend(
                        blocks
                            .iter()
                            .filter_map(|b| b["text"].as_str().map(str::to_owned)),
                    ),
                    _ => {}
                }
            }
        }
        out
    }

    /// Every `/v1/messages` request body received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(sock: TcpStream, script: Arc<Script>, requests: Arc<Mutex<Vec<Value>>>) {
    let (read, mut write) = sock.into_split();
    let mut r = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        if r.read_line(&mut request_line).await.unwrap_or(0) == 0 {
            return;
        }
        let (mut len, mut chunked) = (0usize, false);
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).await.unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let lower = h.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let body = if chunked {
            read_chunked(&mut r).await
        } else {
            read_exact(&mut r, len).await
        };
        let Some(body) = body else { return };
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_string();
        let response = if request_line.starts_with("POST")
            && path.starts_with("/v1/messages")
            && !path.contains("count_tokens")
        {
            let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            requests.lock().unwrap().push(req.clone());
            let mut reply = script(&req);
            while let Reply::After(pause, next) = reply {
                tokio::time::sleep(pause).await;
                reply = *next;
            }
            render(&reply, req["stream"] == true)
        } else if path.contains("count_tokens") {
            http(200, "application/json", r#"{"input_tokens":10}"#)
        } else {
            let body =
                json!({"type":"error","error":{"type":"not_found_error","message":"not here"}});
            http(404, "application/json", &body.to_string())
        };
        if write.write_all(&response).await.is_err() {
            return;
        }
    }
}

async fn read_exact<R: AsyncReadExt + Unpin>(r: &mut R, len: usize) -> Option<Vec<u8>> {
    let mut body = vec![0; len];
    r.read_exact(&mut body).await.ok()?;
    Some(body)
}

async fn read_chunked<R: AsyncBufReadExt + Unpin>(r: &mut R) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        r.read_line(&mut size).await.ok()?;
        let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
        let mut chunk = vec![0; n + 2];
        r.read_exact(&mut chunk).await.ok()?;
        if n == 0 {
            return Some(body);
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

fn http(status: u16, content_type: &str, body: &str) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Error",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         request-id: req_loopback\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn render(reply: &Reply, stream: bool) -> Vec<u8> {
    let blocks = match reply {
        Reply::Error {
            status,
            kind,
            message,
        } => {
            let body = json!({"type":"error","error":{"type":kind,"message":message}});
            return http(*status, "application/json", &body.to_string());
        }
        Reply::Message(blocks) => blocks,
        Reply::After(..) => unreachable!("waited for in serve"),
    };
    let content: Vec<Value> = blocks
        .iter()
        .map(|b| match b {
            Block::Text(t) => json!({"type":"text","text":t}),
            Block::ToolUse { id, name, input } => {
                json!({"type":"tool_use","id":id,"name":name,"input":input})
            }
        })
        .collect();
    let stop = if blocks.iter().any(|b| matches!(b, Block::ToolUse { .. })) {
        "tool_use"
    } else {
        "end_turn"
    };
    let usage = json!({"input_tokens":10,"output_tokens":5});
    if !stream {
        let msg = json!({"id":"msg_loopback","type":"message","role":"assistant","model":"claude-loopback",
            "content":content,"stop_reason":stop,"stop_sequence":null,"usage":usage});
        return http(200, "application/json", &msg.to_string());
    }
    let mut events = vec![(
        "message_start",
        json!({"type":"message_start","message":{"id":"msg_loopback","type":"message","role":"assistant",
            "model":"claude-loopback","content":[],"stop_reason":null,"stop_sequence":null,
            "usage":{"input_tokens":10,"output_tokens":1}}}),
    )];
    for (i, b) in blocks.iter().enumerate() {
        let (start, delta) = match b {
            Block::Text(t) => (
                json!({"type":"text","text":""}),
                json!({"type":"text_delta","text":t}),
            ),
            Block::ToolUse { id, name, input } => (
                json!({"type":"tool_use","id":id,"name":name,"input":{}}),
                json!({"type":"input_json_delta","partial_json":input.to_string()}),
            ),
        };
        events.push((
            "content_block_start",
            json!({"type":"content_block_start","index":i,"content_block":start}),
        ));
        events.push((
            "content_block_delta",
            json!({"type":"content_block_delta","index":i,"delta":delta}),
        ));
        events.push((
            "content_block_stop",
            json!({"type":"content_block_stop","index":i}),
        ));
    }
    events.push((
        "message_delta",
        json!({"type":"message_delta","delta":{"stop_reason":stop,"stop_sequence":null},"usage":{"output_tokens":5}}),
    ));
    events.push(("message_stop", json!({"type":"message_stop"})));
    let body: String = events
        .iter()
        .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
        .collect();
    http(200, "text/event-stream", &body)
}

/// Whether the request's last message carries a tool result (the model's next step after a tool).
pub fn after_tool_result(req: &Value) -> bool {
    let last = req["messages"].as_array().and_then(|m| m.last());
    last.and_then(|m| m["content"].as_array())
        .is_some_and(|blocks| blocks.iter().any(|b| b["type"] == "tool_result"))
}
