//! The Gemini CLI's `--output-format stream-json` lines as Grove's events: `init` (the session),
//! streamed assistant text, `tool_use` and `tool_result`, and the `result` with its tokens and
//! duration; and which of its lines mean the credentials failed.

use serde_json::Value;

use crate::protocol::{AgentEvent, TokenUsage};

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// One line of its output as events (and the line, parsed).
pub fn events(line: &str) -> (Option<Value>, Vec<AgentEvent>) {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        let other = AgentEvent::Other {
            kind: "output".into(),
            line: Some(line.to_string()),
        };
        return (None, vec![other]);
    };
    let events = match v["type"].as_str().unwrap_or_default() {
        "init" => vec![AgentEvent::Init {
            session_id: text(&v["session_id"]).unwrap_or_default(),
            model: text(&v["model"]).unwrap_or_default(),
            cwd: String::new(),
        }],
        // The prompt, as the CLI read it: the panel shows it already.
        "message" if v["role"] == "user" => Vec::new(),
        // The CLI streams the answer in pieces and never sends it whole.
        "message" => vec![AgentEvent::TextDelta {
            text: text(&v["content"]).unwrap_or_default(),
        }],
        "tool_use" => vec![AgentEvent::ToolUse {
            id: text(&v["tool_id"]).unwrap_or_default(),
            name: text(&v["tool_name"]).unwrap_or_default(),
            input: v["parameters"].clone(),
        }],
        "tool_result" => vec![AgentEvent::ToolResult {
            tool_use_id: text(&v["tool_id"]).unwrap_or_default(),
            is_error: v["status"] != "success",
            content: text(&v["output"])
                .or_else(|| text(&v["error"]["message"]))
                .unwrap_or_default(),
            denied: false,
        }],
        "result" => vec![result(&v)],
        "error" => vec![AgentEvent::Stderr {
            line: text(&v["message"]).unwrap_or_default(),
        }],
        kind => vec![AgentEvent::Other {
            kind: format!("gemini:{kind}"),
            line: None,
        }],
    };
    (Some(v), events)
}

/// The run's end: success or the error's words, its duration and tokens.
fn result(v: &Value) -> AgentEvent {
    let stats = &v["stats"];
    let n = |k: &str| stats[k].as_u64().unwrap_or(0);
    AgentEvent::Result {
        is_error: v["status"] != "success",
        text: text(&v["error"]["message"]),
        cost_usd: None,
        duration_ms: stats["duration_ms"].as_u64(),
        usage: Some(TokenUsage {
            input_tokens: n("input_tokens"),
            cached_input_tokens: n("cached"),
            output_tokens: n("output_tokens"),
        }),
    }
}

/// Words of the Gemini API and the CLI when a key or a sign-in is missing or refused.
const PHRASES: &[&str] = &[
    "\"code\":401",
    "\"code\":403",
    "unauthenticated",
    "api key not valid",
    "api_key_invalid",
    "permission_denied",
    "manual authorization is required",
    "please set an auth method",
];

/// `Some(message)` when a line says the credentials failed.
pub fn classify(v: &Value) -> Option<String> {
    let message = match v["type"].as_str()? {
        "result" if v["status"] != "success" => v["error"]["message"].as_str()?,
        "error" => v["message"].as_str()?,
        _ => return None,
    };
    failed(message).then(|| message.to_string())
}

/// A stderr line that says the credentials failed (no key and no sign-in, headless).
pub fn classify_text(line: &str) -> Option<String> {
    failed(line).then(|| line.trim().to_string())
}

fn failed(message: &str) -> bool {
    let lower = message.to_lowercase().replace(": ", ":");
    PHRASES.iter().any(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        crate::fixtures::read_in("gemini-cli-0.61.0", name)
    }

    #[test]
    fn a_recorded_turn_reads_as_session_tool_use_result_text_and_tokens() {
        let all: Vec<AgentEvent> = fixture("turn-write-file.jsonl")
            .lines()
            .flat_map(|l| events(l).1)
            .collect();
        assert!(matches!(&all[0], AgentEvent::Init { session_id, .. } if session_id.len() == 36));
        assert!(
            matches!(&all[1], AgentEvent::ToolUse { name, input, .. } if name == "write_file" && input["content"] == "hello from the stand-in\n")
        );
        assert!(
            matches!(&all[2], AgentEvent::ToolResult { is_error: false, tool_use_id, .. } if tool_use_id.starts_with("write_file"))
        );
        assert!(matches!(&all[3], AgentEvent::TextDelta { text } if text == "Wrote hello.txt."));
        let AgentEvent::Result {
            is_error: false,
            usage: Some(u),
            duration_ms: Some(_),
            ..
        } = &all[4]
        else {
            panic!("{:?}", all[4]);
        };
        assert_eq!((u.input_tokens, u.output_tokens), (30, 15));
        assert_eq!(all.len(), 5);
    }

    #[test]
    fn a_401_is_an_authentication_failure_and_a_success_is_not() {
        let line = fixture("api-401.jsonl")
            .lines()
            .find(|l| l.contains("\"result\""))
            .unwrap()
            .to_string();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert!(classify(&v).unwrap().contains("API key not valid"));
        for l in fixture("turn-write-file.jsonl").lines() {
            assert!(classify(&serde_json::from_str(l).unwrap()).is_none(), "{l}");
        }
        let headless = fixture("no-credentials.stderr.txt");
        assert!(
            headless.lines().any(|l| classify_text(l).is_some()),
            "{headless}"
        );
        assert!(events("not json").1.len() == 1);
    }
}
