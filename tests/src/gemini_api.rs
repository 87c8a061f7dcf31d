//! A loopback stand-in for the Gemini API, enough for the real Gemini CLI to run full turns
//! offline: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` answered with server-sent
//! events by a script the test gives (text, or a `write_file` call), `generateContent` and
//! `GET /v1beta/models` answered plainly, a key it does not accept refused with 401; every request
//! is kept for assertions. Point the CLI at it with `GOOGLE_GEMINI_BASE_URL` (a Gemini API-key
//! profile's base URL). Recorded behaviour: `tests/fixtures/gemini-cli-0.61.0/README.md`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::http_stub::{HttpRequest, HttpResponse, HttpStub};

/// The key the stand-in accepts.
pub const KEY: &str = "AIzaLoopbackStandInKey0123456789abcdefghij";
/// The model tests run.
pub const MODEL: &str = "gemini-2.5-flash";

/// What the stand-in answers to one streamed request.
#[derive(Clone, Debug)]
pub enum Reply {
    Text(String),
    /// The CLI's `write_file` tool: `path` relative to the workspace the CLI names in its context.
    WriteFile {
        path: String,
        content: String,
    },
    /// The answer after a pause (a slow model keeps a run going).
    After(Duration, Box<Reply>),
}

/// The usage every answer reports (prompt, output).
pub const USAGE: (u64, u64) = (10, 5);

pub struct GeminiApi {
    stub: HttpStub,
}

impl GeminiApi {
    /// Starts on a free loopback port; `script` decides each streamed answer from the request body.
    pub async fn start(script: impl Fn(&Value) -> Reply + Send + Sync + 'static) -> Self {
        let stub = HttpStub::start(move |req| {
            if req.header("x-goog-api-key") != Some(KEY) {
                let body = json!({"error": {"code": 401,
                    "message": "API key not valid (stand-in)", "status": "UNAUTHENTICATED"}});
                return HttpResponse::json(401, &body);
            }
            let path = req.path.split('?').next().unwrap_or_default();
            if req.method == "GET" && path == "/v1beta/models" {
                return HttpResponse::json(
                    200,
                    &json!({"models": [{"name": format!("models/{MODEL}")}]}),
                );
            }
            if path.ends_with(":generateContent") {
                return HttpResponse::json(200, &answer(&Reply::Text("{}".into()), ""));
            }
            if !path.ends_with(":streamGenerateContent") {
                return HttpResponse::json(
                    404,
                    &json!({"error": {"code": 404, "message": "not here"}}),
                );
            }
            let body = req.json();
            let (mut reply, mut delay) = (script(&body), Duration::ZERO);
            while let Reply::After(pause, next) = reply {
                delay += pause;
                reply = *next;
            }
            let sse = format!("data: {}\r\n\r\n", answer(&reply, &workspace(&body)));
            HttpResponse {
                status: 200,
                content_type: "text/event-stream".into(),
                body: sse,
                delay: Some(delay),
            }
        })
        .await;
        Self { stub }
    }

    /// `http://127.0.0.1:PORT`: the profile's base URL.
    pub fn url(&self) -> &str {
        &self.stub.url
    }

    /// Every streamed request's body so far.
    pub fn requests(&self) -> Vec<Value> {
        self.stub
            .requests()
            .iter()
            .filter(|r| r.path.contains(":streamGenerateContent"))
            .map(HttpRequest::json)
            .collect()
    }

    /// Every request so far, headers included.
    pub fn all_requests(&self) -> Vec<HttpRequest> {
        self.stub.requests()
    }
}

/// The texts of a request's contents, in order.
pub fn texts(body: &Value) -> Vec<String> {
    body["contents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["parts"].as_array().into_iter().flatten())
        .filter_map(|p| p["text"].as_str().map(str::to_owned))
        .collect()
}

/// Whether the request's last content answers a tool call.
pub fn after_tool(body: &Value) -> bool {
    let last = body["contents"].as_array().and_then(|c| c.last());
    last.is_some_and(|c| {
        c["parts"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p.get("functionResponse").is_some())
    })
}

/// The workspace directory the CLI names in its context message.
fn workspace(body: &Value) -> String {
    let marker = "**Workspace Directories:**\n  - ";
    texts(body)
        .iter()
        .find_map(|t| {
            let rest = &t[t.find(marker)? + marker.len()..];
            Some(rest.lines().next()?.trim().to_string())
        })
        .unwrap_or_default()
}

fn answer(reply: &Reply, workspace: &str) -> Value {
    let part = match reply {
        Reply::Text(t) => json!({"text": t}),
        Reply::WriteFile { path, content } => json!({"functionCall": {"name": "write_file",
            "args": {"file_path": format!("{workspace}/{path}"), "content": content}}}),
        Reply::After(..) => unreachable!("waited for in the handler"),
    };
    let (prompt, output) = USAGE;
    json!({"candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP",
        "index": 0}], "usageMetadata": {"promptTokenCount": prompt,
        "candidatesTokenCount": output, "totalTokenCount": prompt + output},
        "modelVersion": MODEL})
}
