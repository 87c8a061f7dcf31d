//! opencode's `run --format json` lines as Grove's events: a step's start (the session), a tool
//! use with its input and output, text, and the last step's finish (tokens and cost) as the
//! result; an API error as a failed result, and which errors mean the credentials failed.

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
    let part = &v["part"];
    let events = match v["type"].as_str().unwrap_or_default() {
        // Each step names the session: the first one starts it.
        "step_start" => vec![AgentEvent::Init {
            session_id: text(&v["sessionID"]).unwrap_or_default(),
            model: String::new(),
            cwd: String::new(),
        }],
        "text" => vec![AgentEvent::Text {
            text: text(&part["text"]).unwrap_or_default(),
        }],
        "tool_use" => tool(part),
        "step_finish" if part["reason"] == "stop" => vec![finished(part)],
        "step_finish" => Vec::new(),
        "error" => vec![AgentEvent::Result {
            is_error: true,
            text: Some(error_message(&v["error"])),
            cost_usd: None,
            duration_ms: None,
            usage: None,
        }],
        kind => vec![AgentEvent::Other {
            kind: format!("opencode:{kind}"),
            line: None,
        }],
    };
    (Some(v), events)
}

/// A tool use, done: the call and its result together.
fn tool(part: &Value) -> Vec<AgentEvent> {
    let id = text(&part["callID"])
        .or_else(|| text(&part["id"]))
        .unwrap_or_default();
    let state = &part["state"];
    let mut out = vec![AgentEvent::ToolUse {
        id: id.clone(),
        name: text(&part["tool"]).unwrap_or_default(),
        input: state["input"].clone(),
    }];
    match state["status"].as_str() {
        Some("completed") => out.push(AgentEvent::ToolResult {
            tool_use_id: id,
            is_error: false,
            content: text(&state["output"]).unwrap_or_default(),
            denied: false,
        }),
        Some("error") => out.push(AgentEvent::ToolResult {
            tool_use_id: id,
            is_error: true,
            content: text(&state["error"])
                .or_else(|| text(&state["output"]))
                .unwrap_or_default(),
            denied: false,
        }),
        _ => {}
    }
    out
}

/// The last step's finish: the run's result, with that step's tokens and cost.
fn finished(part: &Value) -> AgentEvent {
    let t = &part["tokens"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    AgentEvent::Result {
        is_error: false,
        text: None,
        cost_usd: part["cost"].as_f64(),
        duration_ms: None,
        usage: Some(TokenUsage {
            input_tokens: n(&t["input"]),
            cached_input_tokens: n(&t["cache"]["read"]),
            output_tokens: n(&t["output"]),
        }),
    }
}

/// An error's words: the provider's message and status, else its name.
fn error_message(e: &Value) -> String {
    let data = &e["data"];
    let message = text(&data["message"]).or_else(|| text(&e["name"]));
    match (message, data["statusCode"].as_u64()) {
        (Some(m), Some(code)) => format!("{m} (HTTP {code})"),
        (Some(m), None) => m,
        (None, _) => "opencode reported an error.".into(),
    }
}

/// `Some(message)` when a line says the credentials failed: an API error with status 401 or 403.
pub fn classify(v: &Value) -> Option<String> {
    if v["type"] != "error" {
        return None;
    }
    let code = v["error"]["data"]["statusCode"].as_u64()?;
    matches!(code, 401 | 403).then(|| error_message(&v["error"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        crate::fixtures::read_in("opencode-1.18.33", name)
    }

    #[test]
    fn a_recorded_turn_reads_as_session_tool_text_and_result() {
        let all: Vec<AgentEvent> = fixture("turn-write.jsonl")
            .lines()
            .flat_map(|l| events(l).1)
            .collect();
        assert!(
            matches!(&all[0], AgentEvent::Init { session_id, .. } if session_id.starts_with("ses_"))
        );
        assert!(
            matches!(&all[1], AgentEvent::ToolUse { name, input, .. } if name == "write" && input["content"] == "hello from the stand-in\n")
        );
        assert!(
            matches!(&all[2], AgentEvent::ToolResult { is_error: false, content, .. } if content == "Wrote file successfully.")
        );
        assert!(matches!(&all[3], AgentEvent::Init { .. }));
        assert!(matches!(&all[4], AgentEvent::Text { text } if text == "Wrote hello.txt."));
        let AgentEvent::Result {
            is_error: false,
            usage: Some(u),
            ..
        } = &all[5]
        else {
            panic!("{:?}", all[5]);
        };
        assert_eq!((u.input_tokens, u.output_tokens), (10, 5));
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn a_401_is_an_authentication_failure() {
        let line = fixture("api-401.jsonl").lines().next().unwrap().to_string();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert!(classify(&v).unwrap().contains("401"));
        let (_, e) = events(&line);
        assert!(matches!(&e[0], AgentEvent::Result { is_error: true, .. }));
        for l in fixture("turn-write.jsonl").lines() {
            assert!(classify(&serde_json::from_str(l).unwrap()).is_none());
        }
    }
}
