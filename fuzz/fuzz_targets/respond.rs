//! Fuzzes answers to an agent's requests: arbitrary bytes as a CLI `control_request` line and as
//! `grove/agent/respond` params (split at the first newline) go through the functions the sidecar
//! answers with (`parse_control_request`, `agent_request`, `allows`, `answer`): never a panic,
//! and every answer a JSON line.
#![no_main]

use std::collections::HashMap;
use std::path::Path;

use grove_server::agents::permissions::{
    ControlRequest, ToolRequest, agent_request, allows, answer, parse_control_request,
};
use grove_server::protocol::AgentRespondParams;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

/// The request answered when the line is not a `can_use_tool` request: a question.
fn question() -> ToolRequest {
    ToolRequest {
        request_id: "r1".into(),
        tool_name: "AskUserQuestion".into(),
        input: json!({"questions": [{"question": "Which color?"}]}),
        description: None,
        tool_use_id: None,
        suggestions: json!([]),
    }
}

fuzz_target!(|data: &[u8]| {
    let (line, params) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, data),
    };
    let tool = match serde_json::from_slice::<Value>(line).map(|v| parse_control_request(&v)) {
        Ok(ControlRequest::CanUseTool(tool)) => tool,
        _ => question(),
    };
    let plans = HashMap::from([(String::new(), tool.input.clone())]);
    // A worktree no file is at: file tools' rules allow nothing there, Bash rules are unchanged.
    let worktree = Path::new("/nonexistent/grove-fuzz-worktree");
    let request = agent_request(("run-1", "ws-1"), worktree, &tool, &plans, String::new());
    assert_eq!(request.always_allow, request.always_allow_rule.is_some());
    if let Some(rule) = &request.always_allow_rule {
        let _ = allows(rule, &request.tool_name, &tool.input, worktree);
    }
    if let Ok(p) = serde_json::from_slice::<AgentRespondParams>(params)
        && let Ok(a) = answer(&request, &tool.input, &p)
    {
        assert!(
            serde_json::from_str::<Value>(&a.line).is_ok(),
            "an answer that is not JSON: {}",
            a.line
        );
    }
});
