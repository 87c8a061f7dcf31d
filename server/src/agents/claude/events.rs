//! Turns the CLI's stream-json lines into the protocol's `AgentEvent`s: one line can hold several
//! (an assistant message with text and a tool call); a partial message's text delta becomes
//! `textDelta`, its other stream events nothing; anything unknown becomes `other`.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::protocol::AgentEvent;

/// An assistant or stream-event line as the fast path reads it: strings stay as the CLI escaped
/// them.
#[derive(Deserialize)]
struct FastLine<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(borrow)]
    message: Option<FastMessage<'a>>,
    #[serde(default, borrow)]
    error: Option<&'a RawValue>,
    #[serde(default, borrow)]
    event: Option<FastEvent<'a>>,
}

/// A partial message's event (`--include-partial-messages`).
#[derive(Deserialize)]
struct FastEvent<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(default, borrow)]
    delta: Option<FastDelta<'a>>,
}

#[derive(Deserialize)]
struct FastDelta<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct FastMessage<'a> {
    #[serde(borrow)]
    content: Vec<FastBlock<'a>>,
}

#[derive(Deserialize)]
struct FastBlock<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    name: Option<&'a RawValue>,
    #[serde(default, borrow)]
    input: Option<&'a RawValue>,
}

fn is_json_string(raw: Option<&RawValue>) -> Option<&str> {
    raw.map(RawValue::get).filter(|r| r.starts_with('"'))
}

/// The events of an assistant line made only of text and tool calls, or of a partial message's
/// stream event — most of any stream — serialized straight from the line's JSON, with no `Value`
/// in between. `None` for any other line (or any surprise in this one): `from_line` then gives
/// the same events the general way.
pub fn fast(line: &str) -> Option<Vec<Vec<u8>>> {
    let parsed: FastLine = serde_json::from_str(line).ok()?;
    if parsed.kind == "stream_event" {
        let event = parsed.event?;
        return Some(match event.delta {
            Some(d) if event.kind == "content_block_delta" && d.kind == "text_delta" => {
                let text = is_json_string(d.text)?;
                let mut e = Vec::with_capacity(text.len() + 32);
                e.extend_from_slice(br#"{"kind":"textDelta","text":"#);
                e.extend_from_slice(text.as_bytes());
                e.push(b'}');
                vec![e]
            }
            _ => Vec::new(),
        });
    }
    if parsed.kind != "assistant" || parsed.error.is_some() {
        return None;
    }
    let blocks = parsed.message?.content;
    if blocks.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        let mut e = Vec::with_capacity(line.len() / 2);
        match b.kind {
            "text" => {
                e.extend_from_slice(br#"{"kind":"text","text":"#);
                e.extend_from_slice(is_json_string(b.text)?.as_bytes());
            }
            "tool_use" => {
                e.extend_from_slice(br#"{"kind":"toolUse","id":"#);
                e.extend_from_slice(is_json_string(b.id)?.as_bytes());
                e.extend_from_slice(br#","name":"#);
                e.extend_from_slice(is_json_string(b.name)?.as_bytes());
                e.extend_from_slice(br#","input":"#);
                e.extend_from_slice(b.input.map_or("null", RawValue::get).as_bytes());
            }
            _ => return None,
        }
        e.push(b'}');
        out.push(e);
    }
    Some(out)
}

/// The events of one stdout line; a line that is not JSON is kept as `other`.
pub fn from_line(line: &str) -> (Option<Value>, Vec<AgentEvent>) {
    match serde_json::from_str::<Value>(line) {
        Ok(v) if v.is_object() => {
            let events = from_json(&v);
            (Some(v), events)
        }
        _ => (
            None,
            vec![AgentEvent::Other {
                kind: "output".into(),
                line: Some(line.to_string()),
            }],
        ),
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn other(kind: String) -> AgentEvent {
    AgentEvent::Other { kind, line: None }
}

pub fn from_json(v: &Value) -> Vec<AgentEvent> {
    let kind = v["type"].as_str().unwrap_or("unknown");
    match kind {
        "system" => {
            let subtype = v["subtype"].as_str().unwrap_or("");
            match subtype {
                "init" => vec![AgentEvent::Init {
                    session_id: text(&v["session_id"]).unwrap_or_default(),
                    model: text(&v["model"]).unwrap_or_default(),
                    cwd: text(&v["cwd"]).unwrap_or_default(),
                }],
                "api_retry" => vec![AgentEvent::Retry {
                    attempt: v["attempt"].as_u64().unwrap_or(0) as u32,
                    error_status: v["error_status"].as_i64(),
                    error: text(&v["error"]),
                }],
                _ => vec![other(format!("system:{subtype}"))],
            }
        }
        "assistant" => blocks(v, |b| match b["type"].as_str() {
            Some("text") => Some(AgentEvent::Text {
                text: text(&b["text"]).unwrap_or_default(),
            }),
            Some("tool_use") => Some(AgentEvent::ToolUse {
                id: text(&b["id"]).unwrap_or_default(),
                name: text(&b["name"]).unwrap_or_default(),
                input: b["input"].clone(),
            }),
            Some(t) => Some(other(format!("assistant:{t}"))),
            None => None,
        }),
        "user" => blocks(v, |b| match b["type"].as_str() {
            Some("tool_result") => Some(AgentEvent::ToolResult {
                tool_use_id: text(&b["tool_use_id"]).unwrap_or_default(),
                is_error: b["is_error"].as_bool().unwrap_or(false),
                content: tool_content(&b["content"]),
                denied: false,
            }),
            _ => None,
        }),
        "result" => vec![AgentEvent::Result {
            is_error: v["is_error"].as_bool().unwrap_or(false),
            text: text(&v["result"]),
            cost_usd: v["total_cost_usd"].as_f64(),
            duration_ms: v["duration_ms"].as_u64(),
            usage: None,
        }],
        "stream_event" => {
            let e = &v["event"];
            match (e["type"].as_str(), e["delta"]["type"].as_str()) {
                (Some("content_block_delta"), Some("text_delta")) => vec![AgentEvent::TextDelta {
                    text: text(&e["delta"]["text"]).unwrap_or_default(),
                }],
                _ => Vec::new(),
            }
        }
        "rate_limit_event" => {
            let info = &v["rate_limit_info"];
            vec![AgentEvent::RateLimit {
                status: text(&info["status"]).unwrap_or_else(|| "unknown".into()),
                limit_type: text(&info["rateLimitType"]),
                // Any number the CLI prints: shown as at most 9999-12-31, never a panic.
                resets_at: info["resetsAt"]
                    .as_u64()
                    .map(|secs| crate::clock::rfc3339_seconds(secs.saturating_mul(1000))),
            }]
        }
        other_kind => vec![other(other_kind.to_string())],
    }
}

/// The content blocks of a message mapped by `f`; `other` when none maps.
fn blocks(v: &Value, f: impl Fn(&Value) -> Option<AgentEvent>) -> Vec<AgentEvent> {
    let out: Vec<AgentEvent> = v["message"]["content"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(f)
        .collect();
    if out.is_empty() {
        vec![other(v["type"].as_str().unwrap_or("unknown").to_string())]
    } else {
        out
    }
}

/// A tool result's content: a string, or text blocks joined.
fn tool_content(c: &Value) -> String {
    match c {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<AgentEvent> {
        crate::fixtures::lines(name)
            .iter()
            .flat_map(|l| from_line(l).1)
            .collect()
    }

    fn kinds(events: &[AgentEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| {
                serde_json::to_value(e).unwrap()["kind"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_write_tool_turn_reads_init_tool_use_result_text_result() {
        let events = fixture("stream-write-tool.jsonl");
        assert_eq!(
            kinds(&events),
            ["init", "toolUse", "toolResult", "text", "result"]
        );
        match &events[1] {
            AgentEvent::ToolUse { name, input, .. } => {
                assert_eq!(name, "Write");
                assert_eq!(input["file_path"], "notes.txt");
            }
            e => panic!("{e:?}"),
        }
        match &events[4] {
            AgentEvent::Result {
                is_error,
                cost_usd,
                text,
                ..
            } => {
                assert!(!is_error);
                assert!(cost_usd.is_some());
                assert_eq!(text.as_deref(), Some("Done."));
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn partial_messages_become_text_deltas_and_retries_are_retries() {
        let events = fixture("stream-write-tool-partial.jsonl");
        let deltas: Vec<&AgentEvent> = events
            .iter()
            .filter(|e| matches!(e, AgentEvent::TextDelta { .. }))
            .collect();
        assert_eq!(
            deltas,
            [&AgentEvent::TextDelta {
                text: "Done.".into()
            }]
        );
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, AgentEvent::Other { kind, .. } if kind == "stream_event")),
            "the other stream events give nothing"
        );
        let retries = fixture("stream-401-retrying.jsonl");
        assert!(matches!(
            retries[1],
            AgentEvent::Retry {
                attempt: 1,
                error_status: Some(401),
                ..
            }
        ));
    }

    #[test]
    fn the_fast_path_gives_exactly_the_general_paths_events() {
        let mut lines: Vec<String> = [
            "stream-write-tool.jsonl",
            "stream-resume.jsonl",
            "stream-write-tool-partial.jsonl",
            "stream-not-logged-in.jsonl",
            "stream-401-retrying.jsonl",
        ]
        .iter()
        .flat_map(|name| crate::fixtures::lines(name))
        .collect();
        lines.push(r#"{"type":"assistant","message":{"content":[{"type":"text","text":"caf\u00e9 \"q\" \n <script> ✓"},{"type":"tool_use","id":"t","name":"Bash","input":{"command":"ls -la"}}]}}"#.into());
        lines.push(
            r#"{"type":"assistant","message":{"content":[{"type":"thinking","thinking":"hmm"}]}}"#
                .into(),
        );
        lines.push(r#"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t","name":"X"}]}}"#.into());
        let mut fast_lines = 0;
        for line in &lines {
            let (_, general) = from_line(line);
            if let Some(fast) = fast(line) {
                fast_lines += 1;
                let fast: Vec<AgentEvent> = fast
                    .iter()
                    .map(|b| serde_json::from_slice(b).unwrap())
                    .collect();
                assert_eq!(fast, general, "{line}");
            }
        }
        assert!(
            fast_lines >= 5,
            "the fast path is taken for ordinary assistant lines"
        );
        assert!(
            fast(&lines[lines.len() - 2]).is_none(),
            "thinking blocks take the general path"
        );
        let not_logged_in = lines
            .iter()
            .find(|l| l.contains("authentication_failed") && l.contains("assistant"))
            .unwrap();
        assert!(
            fast(not_logged_in).is_none(),
            "a line with an error keeps the general path and its classifier"
        );
    }

    #[test]
    fn rate_limits_and_garbage_are_kept() {
        let line = r#"{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1771390800,"rateLimitType":"five_hour"}}"#;
        let (_, e) = from_line(line);
        assert_eq!(
            e,
            [AgentEvent::RateLimit {
                status: "rejected".into(),
                limit_type: Some("five_hour".into()),
                resets_at: Some("2026-02-18T05:00:00Z".into())
            }]
        );
        // A reset time no calendar can show is capped, never a panic (it aborted the sidecar).
        for huge in [u64::MAX, 253_402_300_800, 1 << 60] {
            let line = format!(
                r#"{{"type":"rate_limit_event","rate_limit_info":{{"status":"rejected","resetsAt":{huge}}}}}"#
            );
            let (_, e) = from_line(&line);
            assert!(
                matches!(&e[..], [AgentEvent::RateLimit { resets_at: Some(t), .. }] if t == "9999-12-31T23:59:59Z"),
                "{e:?}"
            );
        }
        let (_, e) = from_line("not json at all");
        assert_eq!(
            e,
            [AgentEvent::Other {
                kind: "output".into(),
                line: Some("not json at all".into())
            }]
        );
        let (_, e) = from_line(r#"{"type":"brand_new_thing"}"#);
        assert_eq!(
            e,
            [AgentEvent::Other {
                kind: "brand_new_thing".into(),
                line: None
            }]
        );
    }
}
