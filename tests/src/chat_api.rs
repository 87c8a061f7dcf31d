//! A loopback stand-in for an OpenAI-compatible chat-completions server (a gateway, Ollama's or LM
//! Studio's `/v1`), enough for the real opencode to run full turns offline: streamed
//! `POST /v1/chat/completions` answered by a script the test gives (text, or opencode's `write`
//! tool), its title request answered plainly, `GET /v1/models` listing [`MODEL`] (to anyone), a
//! turn with a wrong key refused with 401, and a mode that never answers; every request is kept. Recorded behaviour:
//! `tests/fixtures/opencode-1.18.33/README.md`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::http_stub::{HttpRequest, HttpResponse, HttpStub};

/// The model the stand-in serves.
pub const MODEL: &str = "m1";
/// The usage every answer reports (prompt, completion).
pub const USAGE: (u64, u64) = (10, 5);

/// What the stand-in answers to one turn's request.
#[derive(Clone, Debug)]
pub enum Reply {
    Text(String),
    /// opencode's `write` tool: `path` relative to the working directory opencode names.
    Write {
        path: String,
        content: String,
    },
}

pub struct ChatApi {
    stub: HttpStub,
    silent: Arc<AtomicBool>,
}

impl ChatApi {
    /// Starts on a free loopback port. `key`: the one it accepts (`None`: any, or none);
    /// `script` decides each turn's answer from the request body.
    pub async fn start(
        key: Option<&str>,
        script: impl Fn(&Value) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let silent = Arc::new(AtomicBool::new(false));
        let quiet = silent.clone();
        let key = key.map(|k| format!("Bearer {k}"));
        let stub = HttpStub::start(move |req| {
            if quiet.load(Ordering::Relaxed) {
                // A server that takes the request and never answers.
                let mut r = HttpResponse::json(200, &json!({}));
                r.delay = Some(Duration::from_secs(3600));
                return r;
            }
            let path = req.path.split('?').next().unwrap_or_default();
            // Its models are listed to anyone (as many gateways do); a turn needs the key.
            if req.method == "GET" && path == "/v1/models" {
                return HttpResponse::json(
                    200,
                    &json!({"object": "list",
                    "data": [{"id": MODEL, "object": "model"}]}),
                );
            }
            if path != "/v1/chat/completions" {
                return HttpResponse::json(404, &json!({"error": {"message": "not here"}}));
            }
            if key
                .as_deref()
                .is_some_and(|k| req.header("authorization") != Some(k))
            {
                let body = json!({"error": {"message": "stand-in: wrong key",
                    "type": "invalid_request_error", "code": "invalid_api_key"}});
                return HttpResponse::json(401, &body);
            }
            let body = req.json();
            // The title request has no tools.
            let reply = if body.get("tools").is_none() {
                Reply::Text("A title".into())
            } else {
                script(&body)
            };
            stream(&reply, &working_directory(&body))
        })
        .await;
        Self { stub, silent }
    }

    /// `http://127.0.0.1:PORT`: the profile's base URL.
    pub fn url(&self) -> &str {
        &self.stub.url
    }

    /// From now on, requests are taken and never answered.
    pub fn go_silent(&self) {
        self.silent.store(true, Ordering::Relaxed);
    }

    /// Every turn request's body so far (title requests left out).
    pub fn requests(&self) -> Vec<Value> {
        self.stub
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/v1/chat/completions"))
            .map(HttpRequest::json)
            .filter(|b| b.get("tools").is_some())
            .collect()
    }

    /// Every request so far, headers included.
    pub fn all_requests(&self) -> Vec<HttpRequest> {
        self.stub.requests()
    }
}

/// The texts of a request's user messages, in order.
pub fn user_texts(body: &Value) -> Vec<String> {
    body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["role"] == "user")
        .map(|m| match &m["content"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Whether the request's last message is a tool's result.
pub fn after_tool(body: &Value) -> bool {
    let last = body["messages"].as_array().and_then(|m| m.last());
    last.is_some_and(|m| m["role"] == "tool")
}

/// The working directory opencode names in its system prompt.
fn working_directory(body: &Value) -> String {
    let marker = "Working directory: ";
    body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["content"].as_str())
        .find_map(|t| {
            let rest = &t[t.find(marker)? + marker.len()..];
            Some(rest.lines().next()?.trim().to_string())
        })
        .unwrap_or_default()
}

fn stream(reply: &Reply, cwd: &str) -> HttpResponse {
    let chunk = |delta: Value, finish: Value| {
        json!({"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": 0,
            "model": MODEL, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    let (delta, finish) = match reply {
        Reply::Text(t) => (json!({"role": "assistant", "content": t}), "stop"),
        Reply::Write { path, content } => {
            let args = json!({"filePath": format!("{cwd}/{path}"), "content": content});
            let call = json!({"index": 0, "id": "call_1", "type": "function",
                "function": {"name": "write", "arguments": args.to_string()}});
            (
                json!({"role": "assistant", "tool_calls": [call]}),
                "tool_calls",
            )
        }
    };
    let (prompt, completion) = USAGE;
    let mut last = chunk(json!({}), json!(finish));
    last["usage"] = json!({"prompt_tokens": prompt, "completion_tokens": completion,
        "total_tokens": prompt + completion});
    let body: String = [chunk(delta, Value::Null), last]
        .iter()
        .map(|c| format!("data: {c}\n\n"))
        .chain(std::iter::once("data: [DONE]\n\n".to_string()))
        .collect();
    HttpResponse {
        status: 200,
        content_type: "text/event-stream".into(),
        body,
        delay: None,
    }
}
