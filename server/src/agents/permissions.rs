//! What the claude CLI asks and what Grove answers, as pure functions (no process, no state): a
//! `control_request` line parsed, the `AgentRequest` made of it, the workspace's "always allow"
//! rules (when one is offered, what it matches), and the `control_response` of an answer, checked
//! first so that no client input makes a malformed one or a panic.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::protocol::{AgentRequest, AgentRespondParams, Behavior, RequestKind, Rule};

/// What the agent is told when the user denies without a message.
const DEFAULT_DENIAL: &str = "The user denied this request.";

/// A `control_request` line of the CLI.
#[derive(Debug, Clone, PartialEq)]
pub enum ControlRequest {
    /// `can_use_tool`: permission to use a tool, a question, or a plan.
    CanUseTool(ToolRequest),
    /// Any other subtype: declined.
    Other { request_id: String, subtype: String },
}

/// A `can_use_tool` request, as the CLI sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolRequest {
    pub request_id: String,
    pub tool_name: String,
    /// The tool's input (an allow without `updatedInput` echoes it).
    pub input: Value,
    pub description: Option<String>,
    pub tool_use_id: Option<String>,
    /// `permission_suggestions`, as sent (an empty array when missing).
    pub suggestions: Value,
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A `control_request` line's JSON parsed; fields of the wrong type read as missing.
pub fn parse_control_request(v: &Value) -> ControlRequest {
    let request_id = text(&v["request_id"]).unwrap_or_default();
    let req = &v["request"];
    if req["subtype"] != "can_use_tool" {
        let subtype = req["subtype"].as_str().unwrap_or("(none)").to_string();
        return ControlRequest::Other {
            request_id,
            subtype,
        };
    }
    ControlRequest::CanUseTool(ToolRequest {
        request_id,
        tool_name: text(&req["tool_name"]).unwrap_or_default(),
        input: req["input"].clone(),
        description: text(&req["description"]),
        tool_use_id: text(&req["tool_use_id"]),
        suggestions: req
            .get("permission_suggestions")
            .cloned()
            .unwrap_or(Value::Array(Vec::new())),
    })
}

/// What a tool request is to the user: a question, a plan, or a tool to allow.
pub fn kind_of(tool_name: &str) -> RequestKind {
    match tool_name {
        "AskUserQuestion" => RequestKind::Question,
        "ExitPlanMode" => RequestKind::Plan,
        _ => RequestKind::Tool,
    }
}

/// The `AgentRequest` of a tool request of run `ids` (run, workspace); a plan's input is the
/// plan of the `ExitPlanMode` tool use before it (`plans`, by tool use id).
pub fn agent_request(
    ids: (&str, &str),
    tool: &ToolRequest,
    plans: &HashMap<String, Value>,
    created_at: String,
) -> AgentRequest {
    let kind = kind_of(&tool.tool_name);
    let input = match kind {
        RequestKind::Plan => tool
            .tool_use_id
            .as_ref()
            .and_then(|id| plans.get(id))
            .cloned()
            .unwrap_or_else(|| tool.input.clone()),
        _ => tool.input.clone(),
    };
    let description = tool
        .description
        .clone()
        .or_else(|| text(&input["command"]))
        .or_else(|| text(&input["file_path"]))
        .unwrap_or_else(|| match kind {
            RequestKind::Question => "The agent asks a question.".into(),
            RequestKind::Plan => "The agent proposes a plan.".into(),
            RequestKind::Tool => format!("The agent wants to use {}.", tool.tool_name),
        });
    let always = always_allow(kind, &tool.tool_name, &tool.input);
    AgentRequest {
        run_id: ids.0.to_string(),
        workspace_id: ids.1.to_string(),
        request_id: tool.request_id.clone(),
        kind,
        tool_name: tool.tool_name.clone(),
        input,
        description,
        suggestions: tool.suggestions.clone(),
        created_at,
        always_allow: always.is_ok(),
        always_allow_rule: always.as_ref().ok().cloned(),
        always_allow_why: always.err(),
    }
}

/// Programs that run whatever they are given (shells, interpreters, wrappers, shell keywords): a
/// rule for one would allow any command.
const RUNS_ANYTHING: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "fish",
    "ksh",
    "mksh",
    "csh",
    "tcsh",
    "ash",
    "busybox",
    "env",
    "sudo",
    "doas",
    "su",
    "runuser",
    "xargs",
    "nohup",
    "time",
    "timeout",
    "nice",
    "ionice",
    "command",
    "exec",
    "eval",
    "builtin",
    "source",
    ".",
    "stdbuf",
    "setsid",
    "watch",
    "chroot",
    "nsenter",
    "unshare",
    "flock",
    "script",
    "strace",
    "ltrace",
    "parallel",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "osascript",
    "if",
    "then",
    "else",
    "elif",
    "while",
    "until",
    "for",
    "do",
    "case",
    "select",
    "function",
    "coproc",
];

/// Interpreters, also with a version after the name (`python3.12`, `perl5.36`, `node22`).
const INTERPRETERS: &[&str] = &[
    "python", "pypy", "node", "nodejs", "deno", "bun", "perl", "ruby", "php", "lua", "luajit",
    "tclsh", "pwsh", "Rscript",
];

/// Whether `name` (a command word without its directory) runs other commands.
fn runs_anything(name: &str) -> bool {
    RUNS_ANYTHING.contains(&name)
        || INTERPRETERS.iter().any(|base| {
            name.strip_prefix(base).is_some_and(|rest| {
                rest.is_empty()
                    || (rest.starts_with(|c: char| c.is_ascii_digit())
                        && rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
            })
        })
}

/// `NAME=value`, a shell variable assignment.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// A shell command's first real word (after any `NAME=value` assignments) and whether
/// assignments came before it; the reason when there is none Grove can read.
fn command_word(command: &str) -> std::result::Result<(&str, bool), String> {
    let mut assigned = false;
    for word in command.split_whitespace() {
        if !is_assignment(word) {
            return Ok((word, assigned));
        }
        if word.contains(['\'', '"', '\\', '`', '$']) {
            return Err(
                "The command sets a variable with quotes or substitutions first, which \
                        Grove does not read: answer it each time."
                    .into(),
            );
        }
        assigned = true;
    }
    Err("The command has no command word: answer it each time.".into())
}

/// Whether `word` is a plain command name: letters, digits, `.`, `_`, `+`, `-`, not starting
/// with punctuation.
fn plain_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
}

/// The rule "always allow" makes of a Bash command: its command word, if that is a plain
/// command name that runs nothing else; else why none is offered.
fn bash_rule(command: &str) -> std::result::Result<Rule, String> {
    let (word, _) = command_word(command)?;
    let name = word.rsplit('/').next().unwrap_or(word);
    if runs_anything(name) {
        return Err(format!(
            "“{name}” runs other commands (a shell, an interpreter or a wrapper), so always \
             allowing it would allow anything: answer it each time."
        ));
    }
    if word.contains('/') {
        return Err(format!(
            "“{word}” is a path, and the program there can change: always allow is offered for \
             command names only."
        ));
    }
    if !plain_name(word) {
        return Err(format!(
            "“{word}” is not a plain command name (it has quotes, variables or patterns): \
             answer it each time."
        ));
    }
    Ok(Rule {
        tool_name: "Bash".into(),
        prefix: Some(word.to_string()),
    })
}

/// The rule "always allow this here" makes of a tool request: the tool, and for `Bash` its
/// command's command word; or why none is offered (questions, plans, shells, paths…).
pub fn rule_for(tool_name: &str, input: &Value) -> std::result::Result<Rule, String> {
    match tool_name {
        "AskUserQuestion" => Err("A question is answered each time it is asked.".into()),
        "ExitPlanMode" => Err("A plan is approved each time.".into()),
        "" => Err("The request names no tool.".into()),
        "Bash" => match input["command"].as_str() {
            Some(command) => bash_rule(command),
            None => Err("The request has no command.".into()),
        },
        _ => Ok(Rule {
            tool_name: tool_name.into(),
            prefix: None,
        }),
    }
}

/// Whether "always allow" is offered for a request, as the rule it adds; else why not.
pub fn always_allow(
    kind: RequestKind,
    tool_name: &str,
    input: &Value,
) -> std::result::Result<Rule, String> {
    match kind {
        RequestKind::Question => Err("A question is answered each time it is asked.".into()),
        RequestKind::Plan => Err("A plan is approved each time.".into()),
        RequestKind::Tool => rule_for(tool_name, input),
    }
}

/// Whether `rule` allows the tool use. A Bash rule allows a command only if the command would
/// make the same rule (its command word is the prefix, and no shell or wrapper), sets no
/// variable first (`PATH=.` or `LD_PRELOAD=` change what runs), and chains nothing else (`;`,
/// `&&`, `|`, `` ` ``, `$(`, redirections, newlines).
pub fn allows(rule: &Rule, tool_name: &str, input: &Value) -> bool {
    if rule.tool_name != tool_name {
        return false;
    }
    if tool_name != "Bash" {
        return rule.prefix.is_none();
    }
    let Some(command) = input["command"].as_str() else {
        return false;
    };
    let chained = ["&", "|", ";", "`", "$(", ">", "<", "\n", "\r"]
        .iter()
        .any(|c| command.contains(c));
    let assigned = !matches!(command_word(command), Ok((_, false)));
    !chained && !assigned && rule.prefix.is_some() && bash_rule(command).as_ref() == Ok(rule)
}

/// The `control_response` that allows a tool use with `input`.
pub fn allow_line(request_id: &str, input: &Value) -> String {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id,
        "response": {"behavior": "allow", "updatedInput": input}}})
    .to_string()
}

/// The `control_response` that denies a tool use; the model reads `message`.
pub fn deny_line(request_id: &str, message: &str) -> String {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id,
        "response": {"behavior": "deny", "message": message}}})
    .to_string()
}

/// The `control_response` that declines a control request Grove does not handle.
pub fn error_line(request_id: &str, message: &str) -> String {
    json!({"type": "control_response", "response": {"subtype": "error", "request_id": request_id,
        "error": message}})
    .to_string()
}

/// What an answer does.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The `control_response` line the CLI reads.
    pub line: String,
    /// The workspace rule to add (`allowAlways`).
    pub rule: Option<Rule>,
    /// What `requestDone` says: `allow`, `deny` or `allowAlways`.
    pub outcome: &'static str,
}

/// The answers as the question's input wants them: question text → label, in the order asked.
fn answers_object(input: &Value, answers: &BTreeMap<String, String>) -> Map<String, Value> {
    let asked = input["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| q["question"].as_str());
    let mut out = Map::new();
    for question in asked {
        if let Some(label) = answers.get(question) {
            out.insert(question.to_string(), Value::String(label.clone()));
        }
    }
    for (question, label) in answers {
        if !out.contains_key(question) {
            out.insert(question.clone(), Value::String(label.clone()));
        }
    }
    out
}

fn not_offered(request: &AgentRequest) -> Error {
    let why = request
        .always_allow_why
        .as_deref()
        .unwrap_or("It is not offered for this request.");
    Error::InvalidParams {
        message: format!("Always allow is not offered here: {why} Answer allow or deny instead."),
        data: Some(json!({ "requestId": request.request_id, "reason": "alwaysAllowNotOffered" })),
    }
}

/// The answer `p` gives to `request` (whose input, as the CLI sent it, is `original`), or why it
/// cannot be given (-32602; the request keeps waiting).
pub fn answer(request: &AgentRequest, original: &Value, p: &AgentRespondParams) -> Result<Answer> {
    if p.behavior == Behavior::Deny {
        let message = p
            .message
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or(DEFAULT_DENIAL);
        return Ok(Answer {
            line: deny_line(&request.request_id, message),
            rule: None,
            outcome: "deny",
        });
    }
    let (rule, outcome) = match p.behavior {
        Behavior::AllowAlways => match &request.always_allow_rule {
            Some(rule) if request.always_allow => (Some(rule.clone()), "allowAlways"),
            _ => return Err(not_offered(request)),
        },
        _ => (None, "allow"),
    };
    let mut input = match &p.updated_input {
        Some(updated) => Value::Object(updated.0.clone()),
        None => original.clone(),
    };
    if let (RequestKind::Question, Some(answers)) = (request.kind, &p.answers) {
        let answers = answers_object(&input, &answers.0);
        let Some(fields) = input.as_object_mut() else {
            return Err(Error::invalid_params(
                "The question's input is not a JSON object, so the answers cannot go with it: \
                 send updatedInput with the questions, or deny.",
            ));
        };
        fields.insert("answers".into(), Value::Object(answers));
    }
    Ok(Answer {
        line: allow_line(&request.request_id, &input),
        rule,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn bash(command: &str) -> Value {
        json!({ "command": command })
    }

    fn prefix(command: &str) -> std::result::Result<Option<String>, String> {
        rule_for("Bash", &bash(command)).map(|r| r.prefix)
    }

    #[test]
    fn bash_rules_allow_the_same_first_word_and_nothing_chained() {
        let rule = rule_for("Bash", &bash("touch made.txt")).unwrap();
        assert_eq!(rule.prefix.as_deref(), Some("touch"));
        assert!(allows(&rule, "Bash", &bash("touch other.txt")));
        assert!(!allows(&rule, "Bash", &bash("mkdir d")));
        assert!(!allows(&rule, "Bash", &bash("touch a && rm -rf b")));
        assert!(!allows(&rule, "Bash", &bash("touch $(rm x)")));
        assert!(!allows(&rule, "Write", &bash("touch a")));
        let write = rule_for("Write", &json!({"file_path": "a"})).unwrap();
        assert!(allows(&write, "Write", &json!({"file_path": "b"})));
        assert!(rule_for("AskUserQuestion", &json!({})).is_err());
    }

    #[test]
    fn a_rule_is_made_from_the_command_word_after_assignments() {
        assert_eq!(prefix("X=1 touch made.txt"), Ok(Some("touch".into())));
        assert_eq!(prefix("  A=1 B_2=x  make test"), Ok(Some("make".into())));
        assert_eq!(prefix("FOO= npm test"), Ok(Some("npm".into())));
        // Not assignments: the word itself is not a plain name.
        assert!(prefix("1X=1 touch a").is_err());
        assert!(prefix("X+=1 touch a").is_err());
        // Quoted or substituted values cannot be read word by word.
        let why = prefix("X='a b' touch a").unwrap_err();
        assert!(why.contains("quotes"), "{why}");
        assert!(prefix("X=$(rm -rf ~) touch a").is_err());
        assert!(prefix("X=1").is_err());
        assert!(prefix("   ").is_err());
        assert!(rule_for("Bash", &json!({"command": 3})).is_err());
        assert!(rule_for("Bash", &json!("touch a")).is_err());
    }

    #[test]
    fn shells_interpreters_wrappers_and_paths_make_no_rule() {
        for command in [
            "bash -c 'rm -rf /'",
            "sh x.sh",
            "zsh",
            "python3 -c 'import os'",
            "python3.12 x.py",
            "perl5.36 -e 1",
            "node x.js",
            "env rm x",
            "sudo rm x",
            "xargs rm",
            "nohup rm x",
            "time rm x",
            "timeout 5 rm x",
            "nice rm x",
            "command rm x",
            "exec rm x",
            "eval rm x",
            ". ./env.sh",
            "source env.sh",
            "X=1 bash -c x",
            "/bin/sh -c x",
            "/usr/bin/env rm x",
            "awk 'BEGIN{system(\"rm x\")}'",
        ] {
            let why = prefix(command).unwrap_err();
            assert!(why.contains("runs other commands"), "{command}: {why}");
        }
        for command in ["./build.sh", "/usr/bin/touch x", "bin/tool"] {
            let why = prefix(command).unwrap_err();
            assert!(why.contains("path"), "{command}: {why}");
        }
        for command in ["'touch' x", "\\rm x", "$CMD x", "t*ch x", "-rf x", "!"] {
            assert!(prefix(command).is_err(), "{command}");
        }
        // Names that only start like an interpreter are commands of their own.
        assert_eq!(prefix("pythonic x"), Ok(Some("pythonic".into())));
        assert_eq!(prefix("envsubst < a"), Ok(Some("envsubst".into())));
        assert_eq!(prefix("python3-config"), Ok(Some("python3-config".into())));
    }

    #[test]
    fn a_rule_never_matches_a_command_with_another_word_or_assignments_first() {
        let touch = rule_for("Bash", &bash("touch a")).unwrap();
        for command in [
            "X=1 rm -f victim.txt",
            "X=1 touch a",
            "PATH=. touch a",
            "LD_PRELOAD=x.so touch a",
            "X=1 touch; rm a",
            "touch a\rrm b",
            "/usr/bin/touch a",
            "env touch a",
        ] {
            assert!(!allows(&touch, "Bash", &bash(command)), "{command}");
        }
        assert!(allows(&touch, "Bash", &bash("  touch   b.txt")));
        // Rules an earlier Grove made, or hand-written ones, allow nothing they should not.
        let old = |prefix: &str| Rule {
            tool_name: "Bash".into(),
            prefix: Some(prefix.into()),
        };
        assert!(!allows(&old("X=1"), "Bash", &bash("X=1 rm -f victim.txt")));
        assert!(!allows(&old("bash"), "Bash", &bash("bash -c 'rm x'")));
        assert!(!allows(&old("./x"), "Bash", &bash("./x")));
        let any_bash = Rule {
            tool_name: "Bash".into(),
            prefix: None,
        };
        assert!(!allows(&any_bash, "Bash", &bash("touch a")));
        assert!(!allows(&touch, "Bash", &json!({"command": ["touch"]})));
    }

    fn params(behavior: &str, extra: Value) -> AgentRespondParams {
        let mut p = json!({"runId": "r", "requestId": "q", "behavior": behavior});
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        serde_json::from_value(p).unwrap()
    }

    fn request_of(line: Value) -> (AgentRequest, Value) {
        let ControlRequest::CanUseTool(tool) = parse_control_request(&line) else {
            panic!("not a tool request: {line}");
        };
        let request = agent_request(("r", "w"), &tool, &HashMap::new(), String::new());
        (request, tool.input)
    }

    fn can_use_tool(tool_name: &str, input: Value) -> Value {
        json!({"type": "control_request", "request_id": "q", "request": {
            "subtype": "can_use_tool", "tool_name": tool_name, "input": input}})
    }

    #[test]
    fn malformed_answers_are_refused_with_the_reason_at_parse_time() {
        let refused = |p: Value| {
            serde_json::from_value::<AgentRespondParams>(p)
                .unwrap_err()
                .to_string()
        };
        let base = json!({"runId": "r", "requestId": "q", "behavior": "allow"});
        let with = |k: &str, v: Value| {
            let mut p = base.clone();
            p[k] = v;
            p
        };
        let why = refused(with("updatedInput", json!("a string")));
        assert!(why.contains("updatedInput must be a JSON object"), "{why}");
        assert!(why.contains("not a string"), "{why}");
        assert!(refused(with("updatedInput", json!([1]))).contains("an array"));
        let why = refused(with("answers", json!({"Which color?": 3})));
        assert!(why.contains("\"Which color?\" is a number"), "{why}");
        assert!(refused(with("answers", json!("Blue"))).contains("not a string"));
        let ok: AgentRespondParams =
            serde_json::from_value(with("updatedInput", Value::Null)).unwrap();
        assert_eq!(ok.updated_input, None);
    }

    #[test]
    fn answers_go_with_the_questions_in_the_order_asked() {
        let questions = json!({"questions": [{"question": "Size?"}, {"question": "Color?"}]});
        let (request, original) = request_of(can_use_tool("AskUserQuestion", questions));
        assert!(!request.always_allow);
        assert!(request.always_allow_why.is_some());
        let p = params(
            "allow",
            json!({"answers": {"Color?": "Blue", "Size?": "L"}}),
        );
        let a = answer(&request, &original, &p).unwrap();
        let line: Value = serde_json::from_str(&a.line).unwrap();
        let sent = &line["response"]["response"]["updatedInput"]["answers"];
        let keys: Vec<&String> = sent.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Size?", "Color?"]);
        assert_eq!((a.rule, a.outcome), (None, "allow"));
        // A question whose input the CLI sent as something else is refused, not a panic.
        let (request, original) = request_of(can_use_tool("AskUserQuestion", json!("odd")));
        let err = answer(&request, &original, &p).unwrap_err();
        assert_eq!(err.code(), -32602);
    }

    #[test]
    fn allow_always_is_refused_where_it_is_not_offered() {
        let (request, original) = request_of(can_use_tool("Bash", bash("bash -c 'touch x'")));
        assert!(!request.always_allow && request.always_allow_rule.is_none());
        let why = request.always_allow_why.clone().unwrap();
        assert!(why.contains("“bash”"), "{why}");
        let err = answer(&request, &original, &params("allowAlways", json!({}))).unwrap_err();
        assert_eq!(err.code(), -32602);
        assert!(err.to_string().contains(&why), "{err}");
        let (request, original) = request_of(can_use_tool("Bash", bash("X=1 touch made.txt")));
        let a = answer(&request, &original, &params("allowAlways", json!({}))).unwrap();
        assert_eq!(a.outcome, "allowAlways");
        assert_eq!(a.rule.and_then(|r| r.prefix).as_deref(), Some("touch"));
        let edited = params("allow", json!({"updatedInput": {"command": "touch y"}}));
        let a = answer(&request, &original, &edited).unwrap();
        assert!(a.line.contains(r#""updatedInput":{"command":"touch y"}"#));
    }

    #[test]
    fn lines_the_cli_reads() {
        let v: Value = serde_json::from_str(&deny_line("r1", "no")).unwrap();
        assert_eq!(v["response"]["response"]["behavior"], "deny");
        assert_eq!(v["response"]["request_id"], "r1");
        let other =
            json!({"type": "control_request", "request_id": "i1", "request": {"subtype": "hook"}});
        assert_eq!(
            parse_control_request(&other),
            ControlRequest::Other {
                request_id: "i1".into(),
                subtype: "hook".into()
            }
        );
    }

    /// Any JSON value, up to a few levels deep, with the field names the parsers look for.
    fn any_json() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("command".to_string()),
            Just("questions".to_string()),
            Just("question".to_string()),
            Just("answers".to_string()),
            Just("input".to_string()),
            ".{0,6}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<f64>().prop_map(|f| json!(f)),
            any::<i64>().prop_map(Value::from),
            prop_oneof![
                Just("X=1 touch a".to_string()),
                Just("bash -c x".to_string()),
                ".{0,12}"
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn property_arbitrary_requests_and_answers_never_panic() {
        let tool_name = prop_oneof![
            Just(Value::from("Bash")),
            Just(Value::from("AskUserQuestion")),
            Just(Value::from("ExitPlanMode")),
            Just(Value::from("Write")),
            any_json(),
        ];
        let answers = prop_oneof![
            proptest::collection::btree_map(".{0,8}", ".{0,8}", 0..3).prop_map(|m| json!(m)),
            any_json(),
        ];
        let behavior = prop_oneof![
            Just(json!("allow")),
            Just(json!("deny")),
            Just(json!("allowAlways")),
            any_json(),
        ];
        let updated = prop_oneof![
            Just(Value::Null),
            proptest::collection::vec((".{0,6}", any_json()), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            any_json(),
        ];
        let message = prop_oneof![
            Just(Value::Null),
            ".{0,8}".prop_map(Value::from),
            any_json()
        ];
        let strategy = (
            tool_name,
            any_json(),
            any_json(),
            behavior,
            updated,
            answers,
            message,
        );
        TestRunner::new(Config::with_cases(10_000))
            .run(
                &strategy,
                |(tool_name, input, rest, behavior, updated, answers, message)| {
                    let line = json!({"type": "control_request", "request_id": rest["id"].clone(),
                        "request": {"subtype": "can_use_tool", "tool_name": tool_name,
                            "input": input, "description": rest["d"].clone(),
                            "tool_use_id": rest["t"].clone(), "permission_suggestions": rest}});
                    let ControlRequest::CanUseTool(tool) = parse_control_request(&line) else {
                        return Err(TestCaseError::fail("a can_use_tool request"));
                    };
                    let plans = HashMap::from([(String::new(), rest.clone())]);
                    let request = agent_request(("r", "w"), &tool, &plans, String::new());
                    prop_assert_eq!(request.always_allow, request.always_allow_rule.is_some());
                    prop_assert_eq!(request.always_allow, request.always_allow_why.is_none());
                    let _ = parse_control_request(&rest);
                    if let Some(rule) = &request.always_allow_rule {
                        prop_assert!(request.tool_name != "Bash" || rule.prefix.is_some());
                        let _ = allows(rule, &request.tool_name, &tool.input);
                    }
                    let params = json!({"runId": "r", "requestId": tool.request_id,
                        "behavior": behavior, "updatedInput": updated, "answers": answers,
                        "message": message});
                    if let Ok(p) = serde_json::from_value::<AgentRespondParams>(params)
                        && let Ok(a) = answer(&request, &tool.input, &p)
                    {
                        prop_assert!(serde_json::from_str::<Value>(&a.line).is_ok());
                        prop_assert!(a.rule.is_none() || request.always_allow);
                    }
                    Ok(())
                },
            )
            .unwrap();
    }
}
