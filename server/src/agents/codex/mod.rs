//! The codex CLI as an agent: the command line of `codex exec --json` (first turn and `resume`),
//! how Grove's permission modes map to Codex sandboxes, its JSON lines as Grove's `AgentEvent`s,
//! and which of its lines mean the credentials failed.

pub mod adapter;
pub mod kinds;
pub mod login;
pub mod openai;
pub mod profiles;

use std::path::Path;

use serde_json::Value;
use tokio::process::Command;

use crate::protocol::{AgentEvent, TokenUsage};

/// What Codex sandbox a Grove permission mode runs with (documented in docs/protocol.md):
/// `bypassPermissions` lifts the sandbox, `plan` reads only, everything else may write in the
/// worktree (and, `codex exec` never asking, nothing else).
fn sandbox_args(mode: Option<&str>) -> Vec<&'static str> {
    match mode {
        Some("bypassPermissions") => vec!["--dangerously-bypass-approvals-and-sandbox"],
        Some("plan") => vec!["--sandbox", "read-only"],
        _ => vec!["--sandbox", "workspace-write"],
    }
}

/// `codex exec --json` in `cwd`, the prompt on stdin; `resume` continues a thread.
pub fn command(
    program: &Path,
    cwd: &Path,
    model: Option<&str>,
    mode: Option<&str>,
    resume: Option<&str>,
) -> Command {
    let mut cmd = crate::process::command(program);
    cmd.args(["exec", "--json", "--skip-git-repo-check", "--cd"])
        .arg(cwd)
        .args(sandbox_args(mode));
    if let Some(m) = model {
        cmd.arg("-m").arg(m);
    }
    // For tests: the OpenAI API and ChatGPT backend on loopback.
    if let Ok(url) = std::env::var("GROVE_OPENAI_API_URL")
        && !url.trim().is_empty()
    {
        let base = url.trim().trim_end_matches('/');
        cmd.arg("-c")
            .arg(format!("openai_base_url={base}/v1"))
            .arg("-c")
            .arg(format!("chatgpt_base_url={base}/backend-api"))
            .arg("-c")
            .arg("features.enable_request_compression=false");
    }
    // Sandbox and directory go before `resume`, which forgets them otherwise.
    if let Some(thread) = resume {
        cmd.args(["resume", thread]);
    }
    cmd.arg("-");
    cmd
}

fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// One JSON line of `codex exec --json` as events (and the line, parsed).
pub fn events(line: &str) -> (Option<Value>, Vec<AgentEvent>) {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        let other = AgentEvent::Other {
            kind: "output".into(),
            line: Some(line.to_string()),
        };
        return (None, vec![other]);
    };
    let kind = v["type"].as_str().unwrap_or_default();
    let events = match kind {
        "item.started" | "item.completed" => item_events(kind, &v["item"]),
        _ => thread_events(kind, &v),
    };
    (Some(v), events)
}

/// An event of the CLI's own that is not Grove's, by its type (and its item's).
fn other(kind: &str, item_type: &str) -> AgentEvent {
    AgentEvent::Other {
        kind: if item_type.is_empty() {
            format!("codex:{kind}")
        } else {
            format!("codex:{kind}:{item_type}")
        },
        line: None,
    }
}

/// An item starting or done: a command, a file change, a tool call, a message.
fn item_events(kind: &str, item: &Value) -> Vec<AgentEvent> {
    let item_type = item["type"].as_str().unwrap_or_default();
    let id = item["id"].as_str().unwrap_or_default().to_string();
    match (kind, item_type) {
        ("item.started", "command_execution") => vec![AgentEvent::ToolUse {
            id,
            name: "Bash".into(),
            input: serde_json::json!({ "command": item["command"] }),
        }],
        ("item.completed", "command_execution") => vec![AgentEvent::ToolResult {
            tool_use_id: id,
            is_error: item["exit_code"].as_i64().is_some_and(|c| c != 0)
                || item["status"] == "failed",
            content: text_of(&item["aggregated_output"]).unwrap_or_default(),
            denied: false,
        }],
        ("item.started", "file_change") => vec![AgentEvent::ToolUse {
            id,
            name: "Patch".into(),
            input: serde_json::json!({ "changes": item["changes"] }),
        }],
        ("item.completed", "file_change") => {
            let changed: Vec<String> = item["changes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    format!(
                        "{} {}",
                        c["kind"].as_str().unwrap_or("update"),
                        c["path"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            vec![AgentEvent::ToolResult {
                tool_use_id: id,
                is_error: item["status"] == "failed",
                content: changed.join("\n"),
                denied: false,
            }]
        }
        ("item.started", "mcp_tool_call" | "web_search") => vec![AgentEvent::ToolUse {
            id,
            name: match item_type {
                "web_search" => "WebSearch".into(),
                _ => format!(
                    "{}:{}",
                    item["server"].as_str().unwrap_or("mcp"),
                    item["tool"].as_str().unwrap_or("tool")
                ),
            },
            input: item.clone(),
        }],
        ("item.completed", "mcp_tool_call" | "web_search") => vec![AgentEvent::ToolResult {
            tool_use_id: id,
            is_error: item["status"] == "failed",
            content: item
                .get("result")
                .or_else(|| item.get("query"))
                .map(|r| r.as_str().map_or_else(|| r.to_string(), str::to_owned))
                .unwrap_or_default(),
            denied: false,
        }],
        ("item.completed", "agent_message") => vec![AgentEvent::Text {
            text: text_of(&item["text"]).unwrap_or_default(),
        }],
        // A warning of the CLI's own (e.g. no metadata for a model): shown, not a failure.
        ("item.completed", "error") => vec![AgentEvent::Stderr {
            line: text_of(&item["message"]).unwrap_or_default(),
        }],
        ("item.started", _) => Vec::new(),
        (k, t) => vec![other(k, t)],
    }
}

/// The thread's and the turn's events: started, completed with usage, failed, an error.
fn thread_events(kind: &str, v: &Value) -> Vec<AgentEvent> {
    match kind {
        "thread.started" => vec![AgentEvent::Init {
            session_id: v["thread_id"].as_str().unwrap_or_default().to_string(),
            model: String::new(),
            cwd: String::new(),
        }],
        "turn.completed" => {
            let u = &v["usage"];
            let n = |k: &str| u[k].as_u64().unwrap_or(0);
            vec![AgentEvent::Result {
                is_error: false,
                text: None,
                cost_usd: None,
                duration_ms: None,
                usage: Some(TokenUsage {
                    input_tokens: n("input_tokens"),
                    cached_input_tokens: n("cached_input_tokens"),
                    output_tokens: n("output_tokens"),
                }),
            }]
        }
        "turn.failed" => vec![AgentEvent::Result {
            is_error: true,
            text: text_of(&v["error"]["message"]),
            cost_usd: None,
            duration_ms: None,
            usage: None,
        }],
        "error" => {
            let message = text_of(&v["message"]).unwrap_or_default();
            match reconnect_attempt(&message) {
                Some(attempt) => vec![AgentEvent::Retry {
                    attempt,
                    error_status: status_in(&message),
                    error: Some(message),
                }],
                None => vec![AgentEvent::Stderr { line: message }],
            }
        }
        "item.updated" | "turn.started" => Vec::new(),
        k => vec![other(k, "")],
    }
}

/// `Reconnecting... 2/5 (…)` → 2.
fn reconnect_attempt(message: &str) -> Option<u32> {
    let rest = message.strip_prefix("Reconnecting... ")?;
    rest.split('/').next()?.trim().parse().ok()
}

/// `unexpected status 401 Unauthorized` → 401.
fn status_in(message: &str) -> Option<i64> {
    let rest = &message[message.find("unexpected status ")? + "unexpected status ".len()..];
    rest.split_whitespace().next()?.parse().ok()
}

/// Phrases of the codex CLI when credentials are missing, rejected or cannot be renewed.
const PHRASES: &[&str] = &[
    "401 unauthorized",
    "invalid_api_key",
    "incorrect api key",
    "could not be refreshed",
    "please log out and sign in again",
    "refresh token was already used",
    "not logged in",
];

/// `Some(message)` when a codex line says the credentials failed: at the first `Reconnecting…
/// (unexpected status 401`, not after the CLI's retries.
pub fn classify(v: &Value) -> Option<String> {
    let message = match v["type"].as_str()? {
        "error" => v["message"].as_str()?,
        "turn.failed" => v["error"]["message"].as_str()?,
        _ => return None,
    };
    let lower = message.to_lowercase();
    if !PHRASES.iter().any(|p| lower.contains(p)) {
        return None;
    }
    let message = message
        .strip_prefix("Reconnecting... ")
        .map_or(message, |rest| {
            rest.split_once(" (")
                .map_or(rest, |(_, inner)| inner.trim_end_matches(')'))
        });
    Some(message.to_string())
}

/// A stderr line of the codex CLI that says the credentials failed.
pub fn classify_text(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    (lower.contains("failed to refresh token") || lower.contains("not logged in"))
        .then(|| line.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<String> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/codex-0.169.0/"
        );
        std::fs::read_to_string(format!("{dir}{name}"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn all(name: &str) -> Vec<AgentEvent> {
        fixture(name).iter().flat_map(|l| events(l).1).collect()
    }

    #[test]
    fn a_command_and_a_file_change_become_tool_events() {
        let e = all("exec-command.jsonl");
        assert!(matches!(&e[0], AgentEvent::Init { session_id, .. } if !session_id.is_empty()));
        assert!(
            e.iter()
                .any(|e| matches!(e, AgentEvent::ToolUse { name, input, .. }
            if name == "Bash" && input["command"].as_str().unwrap().contains("from-codex.txt")))
        );
        assert!(e.iter().any(
            |e| matches!(e, AgentEvent::ToolResult { is_error: false, content, .. }
            if content == "hi\n")
        ));
        assert!(
            e.iter()
                .any(|e| matches!(e, AgentEvent::Text { text } if text == "The file says hi."))
        );
        assert!(
            matches!(e.last(), Some(AgentEvent::Result { is_error: false, usage: Some(u), .. })
            if u.input_tokens == 20 && u.output_tokens == 10)
        );
        let f = all("exec-file-change.jsonl");
        assert!(
            f.iter()
                .any(|e| matches!(e, AgentEvent::ToolUse { name, .. } if name == "Patch"))
        );
        assert!(
            f.iter()
                .any(|e| matches!(e, AgentEvent::ToolResult { content, .. }
            if content.starts_with("add ") && content.ends_with("notes.txt")))
        );
    }

    #[test]
    fn auth_failures_are_seen_at_their_first_sign() {
        let lines = fixture("exec-401.jsonl");
        let first = lines
            .iter()
            .position(|l| classify(&serde_json::from_str(l).unwrap()).is_some())
            .unwrap();
        assert!(lines[first].contains("Reconnecting... 1/5"));
        let message = classify(&serde_json::from_str(&lines[first]).unwrap()).unwrap();
        assert!(message.starts_with("unexpected status 401"), "{message}");
        let rejected = fixture("exec-chatgpt-refresh-rejected.jsonl");
        assert!(
            rejected
                .iter()
                .any(|l| classify(&serde_json::from_str(l).unwrap()).is_some())
        );
        for ok in fixture("exec-text.jsonl") {
            assert_eq!(classify(&serde_json::from_str(&ok).unwrap()), None);
        }
    }
}
