//! A loopback stand-in for OpenAI's Responses API, enough for the real codex CLI to run full turns
//! offline: `POST /v1/responses` answered with server-sent events by a script the test gives, the
//! CLI's WebSocket attempt refused with 426 (so it falls back to HTTP at once), `GET /v1/models`
//! answered with an empty list; every request (headers and body) is kept for assertions.
//!
//! Point the CLI at it with a custom provider ([`ResponsesApi::provider_args`]) and an API key in the
//! provider's `env_key`, or with `-c openai_base_url=<base_url>` for the built-in `openai` provider
//! (`CODEX_API_KEY`, or a ChatGPT sign-in in `$CODEX_HOME/auth.json`). Recorded behaviour of the
//! pinned CLI against this stand-in: `tests/fixtures/codex-0.169.0/README.md`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::http_stub::{HttpRequest, HttpResponse, HttpStub};

/// The provider id [`ResponsesApi::provider_args`] defines.
pub const PROVIDER: &str = "grove-test";
/// The model name tests pass with `-m` (the CLI warns that it has no metadata for it; harmless).
pub const MODEL: &str = "stub-model";

/// One output item of a scripted answer.
#[derive(Clone, Debug)]
pub enum Item {
    /// An assistant message (`agent_message` in `codex exec --json`).
    Text(String),
    /// A function call; the CLI runs `exec_command` (`{"cmd": "..."}`) as a shell command.
    FunctionCall {
        name: String,
        /// The arguments object (sent JSON-encoded, as the API does).
        arguments: Value,
    },
}

/// What the stand-in answers to one `POST /v1/responses`.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A streamed response with these output items, then `response.completed` with [`USAGE`].
    Items(Vec<Item>),
    /// An HTTP error with an OpenAI error body `{"error": {message, type, param, code}}`.
    Error {
        status: u16,
        kind: String,
        code: String,
        message: String,
    },
    /// The reply after a pause (a slow model; a long one keeps a run streaming).
    After(Duration, Box<Reply>),
}

/// The usage every streamed response reports.
pub const USAGE: (u64, u64, u64) = (10, 2, 5);

impl Reply {
    pub fn text(t: &str) -> Self {
        Reply::Items(vec![Item::Text(t.into())])
    }

    /// A shell command: the CLI reports it as a `command_execution` item and sends its output back
    /// as a `function_call_output` in the next request.
    pub fn exec(cmd: &str) -> Self {
        Reply::Items(vec![Item::FunctionCall {
            name: "exec_command".into(),
            arguments: json!({ "cmd": cmd }),
        }])
    }

    /// A patch in the CLI's `*** Begin Patch` format, run as `apply_patch <<'EOF' … EOF` through
    /// `exec_command`: the CLI applies it itself and reports a `file_change` item.
    pub fn apply_patch(patch: &str) -> Self {
        let patch = patch.trim_end();
        Self::exec(&format!("apply_patch <<'EOF'\n{patch}\nEOF\n"))
    }

    /// A new file `path` (relative to the run's directory) holding `contents` (lines), as a patch.
    pub fn add_file(path: &str, contents: &str) -> Self {
        let lines: String = contents.lines().map(|l| format!("+{l}\n")).collect();
        Self::apply_patch(&format!(
            "*** Begin Patch\n*** Add File: {path}\n{lines}*** End Patch"
        ))
    }

    /// What the API says to a key it does not accept.
    pub fn unauthorized() -> Self {
        Reply::Error {
            status: 401,
            kind: "invalid_request_error".into(),
            code: "invalid_api_key".into(),
            message: "Incorrect API key provided: sk-loop***back. You can find your API key at \
                      https://platform.openai.com/account/api-keys."
                .into(),
        }
    }

    pub fn after(pause: Duration, reply: Reply) -> Self {
        Reply::After(pause, Box::new(reply))
    }
}

pub struct ResponsesApi {
    stub: HttpStub,
}

impl ResponsesApi {
    /// Starts on a free loopback port; `script` decides each answer from the request body
    /// (decompressed when the CLI sent it zstd-compressed).
    pub async fn start(script: impl Fn(&Value) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_with_headers(move |req| script(&request_json(req))).await
    }

    /// Like `start`, with the whole request (headers too) given to `script`.
    pub async fn start_with_headers(
        script: impl Fn(&HttpRequest) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let stub = HttpStub::start(move |req| {
            let path = req.path.split('?').next().unwrap_or_default();
            let is_upgrade = req
                .header("upgrade")
                .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
            if is_upgrade {
                // The CLI tries a WebSocket first; 426 makes it fall back to HTTP at once (a 404
                // costs five retries and "Reconnecting…" lines).
                return HttpResponse {
                    status: 426,
                    content_type: "text/plain".into(),
                    body: "Upgrade Required".into(),
                    delay: None,
                };
            }
            if req.method == "GET" && path == "/v1/models" {
                let models = json!({"object": "list", "data": [{"id": MODEL, "object": "model"}],
                    "models": []});
                return HttpResponse::json(200, &models);
            }
            if req.method != "POST" || path != "/v1/responses" {
                let body = json!({"error": {"message": format!("not here: {path}"),
                    "type": "invalid_request_error", "param": null, "code": "not_found"}});
                return HttpResponse::json(404, &body);
            }
            let (mut reply, mut delay) = (script(req), Duration::ZERO);
            while let Reply::After(pause, next) = reply {
                delay += pause;
                reply = *next;
            }
            let mut response = render(&reply);
            response.delay = Some(delay);
            response
        })
        .await;
        Self { stub }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.stub.url
    }

    /// `http://127.0.0.1:PORT/v1`: the provider's `base_url`, or the CLI's `openai_base_url`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.stub.url)
    }

    /// The `-c` arguments that make the CLI use this stand-in as provider [`PROVIDER`], with the API
    /// key read from the environment variable `env_key`. Retries are off, so an HTTP error ends the
    /// turn at once instead of after five "Reconnecting…" lines (about 6 s).
    pub fn provider_args(&self, env_key: &str) -> Vec<String> {
        vec![
            "-c".into(),
            format!("model_provider={PROVIDER}"),
            "-c".into(),
            format!(
                "model_providers.{PROVIDER}={{name=\"{PROVIDER}\", base_url=\"{}\", \
                 wire_api=\"responses\", env_key=\"{env_key}\", stream_max_retries=0, \
                 request_max_retries=0}}",
                self.base_url()
            ),
        ]
    }

    /// Every request received so far, any path (the WebSocket attempt, `/v1/models`, …).
    pub fn all_requests(&self) -> Vec<HttpRequest> {
        self.stub.requests()
    }

    /// Every `POST /v1/responses` received so far, headers included (bodies as sent: see
    /// [`request_json`]).
    pub fn response_requests(&self) -> Vec<HttpRequest> {
        self.stub
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path.starts_with("/v1/responses"))
            .collect()
    }

    /// Every `POST /v1/responses` body received so far, decompressed.
    pub fn requests(&self) -> Vec<Value> {
        self.response_requests().iter().map(request_json).collect()
    }

    /// The text of every user message of every request, in order (the CLI's own context messages
    /// included: check with `contains`).
    pub fn user_texts(&self) -> Vec<String> {
        self.requests().iter().flat_map(user_texts).collect()
    }
}

/// The JSON body of a request, decompressed first when it came zstd-compressed (the CLI compresses
/// with a ChatGPT sign-in unless `-c features.enable_request_compression=false`; decompressing needs
/// the `zstd` program). `Null` when it is not JSON.
pub fn request_json(req: &HttpRequest) -> Value {
    if req.header("content-encoding") != Some("zstd") {
        return req.json();
    }
    use std::io::Write;
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("zstd")
        .args(["-dc", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Value::Null;
    };
    let mut stdin = child.stdin.take().unwrap();
    let body = req.body.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output();
    let _ = writer.join();
    out.ok()
        .and_then(|o| serde_json::from_slice(&o.stdout).ok())
        .unwrap_or(Value::Null)
}

/// The texts of the user messages of one request body.
pub fn user_texts(body: &Value) -> Vec<String> {
    body["input"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["type"] == "message" && i["role"] == "user")
        .flat_map(|m| m["content"].as_array().into_iter().flatten())
        .filter_map(|c| c["text"].as_str().map(str::to_owned))
        .collect()
}

/// Whether the request's last input item is a tool's output (the model's next step after a tool).
pub fn after_tool_output(body: &Value) -> bool {
    let last = body["input"].as_array().and_then(|i| i.last());
    last.is_some_and(|i| {
        matches!(
            i["type"].as_str(),
            Some("function_call_output" | "custom_tool_call_output")
        )
    })
}

/// The output of the last tool call in the request (`Process exited with code 0\nOutput:\n…` for a
/// command, `Success. Updated the following files:\nA notes.txt\n` for a patch).
pub fn last_tool_output(body: &Value) -> Option<String> {
    body["input"]
        .as_array()?
        .iter()
        .rev()
        .find(|i| i["type"] == "function_call_output")
        .and_then(|i| i["output"].as_str().map(str::to_owned))
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn render(reply: &Reply) -> HttpResponse {
    let items = match reply {
        Reply::Error {
            status,
            kind,
            code,
            message,
        } => {
            let body =
                json!({"error": {"message": message, "type": kind, "param": null, "code": code}});
            return HttpResponse::json(*status, &body);
        }
        Reply::Items(items) => items,
        Reply::After(..) => unreachable!("waited for in the handler"),
    };
    let response_id = format!("resp_loopback_{}", next_id());
    let mut events = vec![json!({"type": "response.created", "response": {"id": response_id}})];
    for (i, item) in items.iter().enumerate() {
        let n = next_id();
        let done = match item {
            Item::Text(text) => {
                let id = format!("msg_loopback_{n}");
                events.push(
                    json!({"type": "response.output_item.added", "output_index": i,
                    "item": {"type": "message", "role": "assistant", "id": id, "content": []}}),
                );
                events.push(
                    json!({"type": "response.output_text.delta", "output_index": i,
                    "content_index": 0, "item_id": id, "delta": text}),
                );
                json!({"type": "message", "role": "assistant", "id": id,
                    "content": [{"type": "output_text", "text": text}]})
            }
            Item::FunctionCall { name, arguments } => {
                let call = json!({"type": "function_call", "id": format!("fc_loopback_{n}"),
                    "call_id": format!("call_loopback_{n}"), "name": name,
                    "arguments": arguments.to_string()});
                events.push(
                    json!({"type": "response.output_item.added", "output_index": i,
                    "item": call}),
                );
                call
            }
        };
        events.push(json!({"type": "response.output_item.done", "output_index": i, "item": done}));
    }
    let (input, cached, output) = USAGE;
    events.push(
        json!({"type": "response.completed", "response": {"id": response_id,
        "usage": {"input_tokens": input, "input_tokens_details": {"cached_tokens": cached},
            "output_tokens": output, "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": input + output}}}),
    );
    let body: String = events
        .iter()
        .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
        .collect();
    HttpResponse {
        status: 200,
        content_type: "text/event-stream".into(),
        body,
        delay: None,
    }
}

/// The ChatGPT account id of [`chatgpt_auth_json`].
pub const CHATGPT_ACCOUNT_ID: &str = "acct_test";

/// A fake JWT (`alg: none`, a fixed fake signature) with `payload`: the CLI reads its claims and
/// never checks the signature.
pub fn fake_jwt(payload: &Value) -> String {
    let part = |v: &Value| base64url(v.to_string().as_bytes());
    format!(
        "{}.{}.c2lnbmF0dXJl",
        part(&json!({"alg": "none", "typ": "JWT"})),
        part(payload)
    )
}

/// The `auth.json` of a ChatGPT sign-in with fake tokens whose access token expires at
/// `expires_at` (Unix seconds): account [`CHATGPT_ACCOUNT_ID`], plan `plus`, refresh token
/// `rt_test`. The CLI refreshes the tokens itself when they expire within 5 minutes (a JSON
/// `POST` to `$CODEX_REFRESH_TOKEN_URL_OVERRIDE` when set).
pub fn chatgpt_auth_json(expires_at: u64) -> Value {
    let claims = json!({"chatgpt_account_id": CHATGPT_ACCOUNT_ID, "chatgpt_plan_type": "plus",
        "chatgpt_user_id": "user_test"});
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let id_token = fake_jwt(&json!({"iss": "https://auth.openai.com",
        "aud": ["app_EMoamEEZ73f0CkXaXp7hrann"], "sub": "user_test", "email": "dev@example.com",
        "email_verified": true, "iat": now, "exp": expires_at,
        "https://api.openai.com/auth": claims}));
    let access_token = fake_jwt(&json!({"iss": "https://auth.openai.com",
        "aud": ["https://api.openai.com/v1"], "sub": "user_test", "iat": now, "exp": expires_at,
        "https://api.openai.com/auth": claims}));
    json!({"auth_mode": "chatgpt", "OPENAI_API_KEY": null,
        "tokens": {"id_token": id_token, "access_token": access_token, "refresh_token": "rt_test",
            "account_id": CHATGPT_ACCOUNT_ID},
        "last_refresh": "2026-01-01T00:00:00Z"})
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}
