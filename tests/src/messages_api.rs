//! A loopback stand-in for Anthropic's Messages API, enough for the real claude CLI to run full
//! turns offline: `POST /v1/messages` answered as JSON or as server-sent events, by a script the
//! test gives; every request body is kept for assertions.

use serde_json::{Value, json};

use crate::http_stub::{HttpRequest, HttpResponse, HttpStub};

/// The models the stand-in lists at Ollama's `/api/tags`.
pub const OLLAMA_MODELS: &[&str] = &["qwen3-coder", "llama3.2"];

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

pub struct MessagesApi {
    stub: HttpStub,
}

impl MessagesApi {
    /// Starts on a free loopback port; `script` decides each answer from the request body.
    pub async fn start(script: impl Fn(&Value) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_with_headers(move |req| script(&req.json())).await
    }

    /// Like `start`, with the whole request (headers too) given to `script`. Also answers
    /// Ollama's `GET /api/tags` with the models of `OLLAMA_MODELS`, as an Ollama server would.
    pub async fn start_with_headers(
        script: impl Fn(&HttpRequest) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let stub = HttpStub::start(move |req| {
            if req.method == "GET" && req.path == "/api/tags" {
                let models: Vec<Value> = OLLAMA_MODELS.iter().map(|m| json!({"name": m})).collect();
                return HttpResponse::json(200, &json!({ "models": models }));
            }
            if req.method == "POST" && req.path.starts_with("/v1/messages/count_tokens") {
                return HttpResponse::json(200, &json!({"input_tokens": 10}));
            }
            if req.method != "POST" || !req.path.starts_with("/v1/messages") {
                let body =
                    json!({"type":"error","error":{"type":"not_found_error","message":"not here"}});
                return HttpResponse::json(404, &body);
            }
            let body = req.json();
            let (mut reply, mut delay) = (script(req), std::time::Duration::ZERO);
            while let Reply::After(pause, next) = reply {
                delay += pause;
                reply = *next;
            }
            let mut response = render(&reply, body["stream"] == true);
            response.delay = Some(delay);
            response
        })
        .await;
        Self { stub }
    }

    pub fn url(&self) -> &str {
        &self.stub.url
    }

    /// Every `/v1/messages` request received so far, headers included.
    pub fn message_requests(&self) -> Vec<HttpRequest> {
        self.stub
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/v1/messages") && !r.path.contains("count_tokens"))
            .collect()
    }

    /// Every `/v1/messages` request body received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.stub
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/v1/messages") && !r.path.contains("count_tokens"))
            .map(|r| r.json())
            .collect()
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
}

fn http(status: u16, content_type: &str, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        content_type: content_type.into(),
        body: body.into(),
        delay: None,
    }
}

fn render(reply: &Reply, stream: bool) -> HttpResponse {
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
