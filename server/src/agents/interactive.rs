//! The claude CLI's interactive channel (`--input-format stream-json --permission-prompt-tool
//! stdio`): the prompt and later messages as JSON lines on its stdin, its permission requests,
//! questions and plans turned into `grove/agent/request`s and answered from the client (or by a
//! workspace's "always allow" rules), interrupt, and closing stdin once the last turn is done.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::ChildStdin;
use tokio::sync::{mpsc, oneshot};

use super::Agents;
use crate::clock::now_rfc3339;
use crate::error::{Error, Missing, Result};
use crate::protocol::{
    AgentRequest, AgentRequestDone, AgentRequestDoneNotification, AgentRequestNotification,
    AgentRespondParams, Behavior, RequestKind, Rule, Run, RunState,
};

/// What the agent is told when the user denies without a message.
const DEFAULT_DENIAL: &str = "The user denied this request.";

fn not_running(run_id: &str) -> Error {
    Error::InvalidParams {
        message: "The run is not running any more: start a follow-up instead.".into(),
        data: Some(json!({ "runId": run_id, "reason": "notRunning" })),
    }
}

/// After a turn ends with messages sent during it, how long a new turn may take to start before
/// Grove takes it that they were read within the turn that ended.
const NEXT_TURN_GRACE: Duration = Duration::from_millis(1500);

/// What the relay tells the driver about the CLI's stdout.
#[derive(Debug)]
pub enum Signal {
    /// `system`/`init`: a turn started.
    TurnStarted,
    /// `result`: a turn ended.
    TurnEnded,
    /// A `control_request` line.
    Request(Value),
    /// An `ExitPlanMode` tool use and its input (the plan), by tool use id.
    Plan(String, Value),
}

/// What the client asks of a running attempt.
#[derive(Debug)]
pub enum Input {
    /// A message; the answer says whether it could still be written.
    Send(String, oneshot::Sender<bool>),
    /// A whole line to write (a `control_response`).
    Line(String),
    Interrupt,
    /// Close stdin: the CLI ends after what it is doing.
    Close,
}

/// A request waiting for the user, with what the CLI needs back.
#[derive(Debug, Clone)]
pub struct Pending {
    pub request: AgentRequest,
    /// The input as the CLI sent it (an allow echoes it).
    pub original: Value,
}

pub fn user_line(text: &str) -> String {
    json!({"type": "user", "message": {"role": "user", "content": text}}).to_string()
}

pub fn allow_line(request_id: &str, input: &Value) -> String {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id,
        "response": {"behavior": "allow", "updatedInput": input}}})
    .to_string()
}

pub fn deny_line(request_id: &str, message: &str) -> String {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id,
        "response": {"behavior": "deny", "message": message}}})
    .to_string()
}

fn error_line(request_id: &str, message: &str) -> String {
    json!({"type": "control_response", "response": {"subtype": "error", "request_id": request_id,
        "error": message}})
    .to_string()
}

fn interrupt_line() -> String {
    let id = format!("grove-interrupt-{:x}", crate::store::nonce());
    json!({"type": "control_request", "request_id": id, "request": {"subtype": "interrupt"}})
        .to_string()
}

/// The first word of a shell command (`touch` of `touch a.txt`), if it has one.
fn command_word(input: &Value) -> Option<String> {
    input["command"]
        .as_str()?
        .split_whitespace()
        .next()
        .map(str::to_owned)
}

/// The rule "always allow this here" makes of a request: the tool, and for `Bash` its command's
/// first word. Questions and plans make none.
pub fn rule_for(tool_name: &str, input: &Value) -> Option<Rule> {
    match tool_name {
        "AskUserQuestion" | "ExitPlanMode" => None,
        "Bash" => Some(Rule {
            tool_name: tool_name.into(),
            prefix: Some(command_word(input)?),
        }),
        _ => Some(Rule {
            tool_name: tool_name.into(),
            prefix: None,
        }),
    }
}

/// Whether `rule` allows the tool use. A Bash rule allows a command only if its first word is the
/// prefix and it chains nothing else (`;`, `&&`, `|`, `` ` ``, `$(`, redirections).
pub fn allows(rule: &Rule, tool_name: &str, input: &Value) -> bool {
    if rule.tool_name != tool_name {
        return false;
    }
    match &rule.prefix {
        None => true,
        Some(prefix) => {
            let command = input["command"].as_str().unwrap_or_default();
            let chained = ["&", "|", ";", "`", "$(", ">", "<", "\n"]
                .iter()
                .any(|c| command.contains(c));
            !chained && command_word(input).as_deref() == Some(prefix.as_str())
        }
    }
}

fn kind_of(tool_name: &str) -> RequestKind {
    match tool_name {
        "AskUserQuestion" => RequestKind::Question,
        "ExitPlanMode" => RequestKind::Plan,
        _ => RequestKind::Tool,
    }
}

/// The `ExitPlanMode` tool uses of an assistant line, with their inputs.
pub fn plans_in(line: &str) -> Vec<(String, Value)> {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return Vec::new();
    };
    v["message"]["content"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "tool_use" && b["name"] == "ExitPlanMode")
        .filter_map(|b| Some((b["id"].as_str()?.to_string(), b["input"].clone())))
        .collect()
}

async fn write(stdin: &mut Option<ChildStdin>, line: &str) -> bool {
    let Some(pipe) = stdin.as_mut() else {
        return false;
    };
    let mut bytes = Vec::with_capacity(line.len() + 1);
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    if pipe.write_all(&bytes).await.is_err() || pipe.flush().await.is_err() {
        *stdin = None;
        return false;
    }
    true
}

impl Agents {
    /// Drives one attempt's stdin until the relay is done: the prompt first, then the client's
    /// answers and messages; stdin closes when the last turn has ended with nothing asked.
    pub(super) async fn drive(
        &self,
        run: &Run,
        stdin: Option<ChildStdin>,
        mut signals: mpsc::UnboundedReceiver<Signal>,
        mut inputs: mpsc::UnboundedReceiver<Input>,
    ) {
        let mut stdin = stdin;
        let (mut written, mut started) = (1u32, 0u32);
        let mut plans: HashMap<String, Value> = HashMap::new();
        let mut close_at: Option<tokio::time::Instant> = None;
        let mut inputs_open = true;
        // After an interrupt, the first turn that ends closes stdin; a turn a queued message
        // starts is stopped.
        let mut interrupting = false;
        write(&mut stdin, &user_line(&run.prompt)).await;
        loop {
            let grace = async {
                match close_at {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                signal = signals.recv() => match signal {
                    None => break,
                    Some(Signal::TurnStarted) => {
                        started += 1;
                        close_at = None;
                        // A message queued before the interrupt starts a turn the user did not
                        // want: the CLI is stopped (its session is saved as it goes).
                        if interrupting
                            && let Some(Some(pid)) = self.with_entry(&run.run_id, |e| e.pid)
                        {
                            tracing::info!(run = %run.run_id, "stopping the turn a queued message started");
                            crate::process::signal_group(pid, libc::SIGINT);
                        }
                    }
                    Some(Signal::TurnEnded) if interrupting => stdin = None,
                    Some(Signal::TurnEnded) if self.pending_of(&run.run_id) == 0 => {
                        if written <= started {
                            stdin = None;
                        } else {
                            close_at = Some(tokio::time::Instant::now() + NEXT_TURN_GRACE);
                        }
                    }
                    Some(Signal::TurnEnded) => {}
                    Some(Signal::Plan(id, input)) => {
                        plans.insert(id, input);
                    }
                    Some(Signal::Request(v)) => {
                        if let Some(line) = self.on_request(run, &v, &plans).await {
                            write(&mut stdin, &line).await;
                        }
                    }
                },
                input = inputs.recv(), if inputs_open => match input {
                    None => inputs_open = false,
                    Some(Input::Send(text, done)) => {
                        let ok = write(&mut stdin, &user_line(&text)).await;
                        written += u32::from(ok);
                        let _ = done.send(ok);
                    }
                    Some(Input::Line(line)) => {
                        write(&mut stdin, &line).await;
                    }
                    Some(Input::Interrupt) => {
                        interrupting = true;
                        write(&mut stdin, &interrupt_line()).await;
                    }
                    Some(Input::Close) => stdin = None,
                },
                () = grace => {
                    stdin = None;
                    close_at = None;
                }
            }
        }
    }

    fn pending_of(&self, run_id: &str) -> usize {
        let inner = self.inner.lock().unwrap();
        inner
            .pending
            .iter()
            .filter(|p| p.request.run_id == run_id)
            .count()
    }

    /// A control request from the CLI: answered at once when a rule allows it (the line to
    /// write is returned), else kept for the user and told to the client.
    async fn on_request(
        &self,
        run: &Run,
        v: &Value,
        plans: &HashMap<String, Value>,
    ) -> Option<String> {
        let request_id = v["request_id"].as_str().unwrap_or_default().to_string();
        let req = &v["request"];
        if req["subtype"] != "can_use_tool" {
            tracing::info!(run = %run.run_id, subtype = %req["subtype"], "declined an unknown control request");
            return Some(error_line(
                &request_id,
                "Grove does not handle this request.",
            ));
        }
        let tool_name = req["tool_name"].as_str().unwrap_or_default().to_string();
        let original = req["input"].clone();
        let kind = kind_of(&tool_name);
        if kind == RequestKind::Tool {
            let rules = self
                .workspaces
                .rules(&run.workspace_id)
                .await
                .unwrap_or_default();
            if let Some(rule) = rules.iter().find(|r| allows(r, &tool_name, &original)) {
                tracing::info!(run = %run.run_id, tool = %tool_name, ?rule, "allowed by a workspace rule");
                return Some(allow_line(&request_id, &original));
            }
        }
        let input = match kind {
            RequestKind::Plan => req["tool_use_id"]
                .as_str()
                .and_then(|id| plans.get(id))
                .cloned()
                .unwrap_or_else(|| original.clone()),
            _ => original.clone(),
        };
        let description = req["description"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| input["command"].as_str().map(str::to_owned))
            .or_else(|| input["file_path"].as_str().map(str::to_owned))
            .unwrap_or_else(|| match kind {
                RequestKind::Question => "The agent asks a question.".into(),
                RequestKind::Plan => "The agent proposes a plan.".into(),
                RequestKind::Tool => format!("The agent wants to use {tool_name}."),
            });
        let request = AgentRequest {
            run_id: run.run_id.clone(),
            workspace_id: run.workspace_id.clone(),
            request_id,
            kind,
            tool_name,
            input,
            description,
            suggestions: req
                .get("permission_suggestions")
                .cloned()
                .unwrap_or(Value::Array(Vec::new())),
            created_at: now_rfc3339(),
        };
        tracing::info!(run = %run.run_id, tool = %request.tool_name, "the agent waits for the user");
        self.inner.lock().unwrap().pending.push(Pending {
            request: request.clone(),
            original,
        });
        self.transition(&run.run_id, |e| e.run.state = RunState::Waiting);
        self.publish().await;
        self.notifier
            .notify::<AgentRequestNotification>(&request)
            .await;
        None
    }

    /// `grove/agent/respond`: the answer goes to the CLI; "always allow" also adds the
    /// workspace's rule; the run goes back to `running` when nothing else waits.
    pub async fn respond(&self, p: AgentRespondParams) -> Result<()> {
        let not_waiting = || Error::NotFound {
            what: Missing::Request,
            id: p.request_id.clone(),
        };
        let (pending, input, left) = {
            let mut inner = self.inner.lock().unwrap();
            let at = inner
                .pending
                .iter()
                .position(|x| x.request.run_id == p.run_id && x.request.request_id == p.request_id)
                .ok_or_else(not_waiting)?;
            let input = inner
                .runs
                .iter()
                .find(|e| e.run.run_id == p.run_id)
                .and_then(|e| e.input.clone())
                .ok_or_else(not_waiting)?;
            let pending = inner.pending.remove(at);
            let left = inner
                .pending
                .iter()
                .filter(|x| x.request.run_id == p.run_id)
                .count();
            (pending, input, left)
        };
        let req = &pending.request;
        let line = match p.behavior {
            Behavior::Deny => deny_line(
                &req.request_id,
                p.message
                    .as_deref()
                    .filter(|m| !m.trim().is_empty())
                    .unwrap_or(DEFAULT_DENIAL),
            ),
            Behavior::Allow | Behavior::AllowAlways => {
                let mut input = p
                    .updated_input
                    .clone()
                    .unwrap_or_else(|| pending.original.clone());
                if let (RequestKind::Question, Some(answers)) = (req.kind, &p.answers) {
                    input["answers"] = Value::Object(answers.clone());
                }
                allow_line(&req.request_id, &input)
            }
        };
        if p.behavior == Behavior::AllowAlways
            && let Some(rule) = rule_for(&req.tool_name, &pending.original)
        {
            tracing::info!(workspace = %req.workspace_id, ?rule, "always allowed from now on");
            self.workspaces.add_rule(&req.workspace_id, rule).await?;
        }
        let _ = input.send(Input::Line(line));
        if left == 0 {
            self.transition(&p.run_id, |e| {
                if e.run.state == RunState::Waiting {
                    e.run.state = RunState::Running;
                }
            });
            self.publish().await;
        }
        let outcome = match p.behavior {
            Behavior::Allow => "allow",
            Behavior::Deny => "deny",
            Behavior::AllowAlways => "allowAlways",
        };
        let done = AgentRequestDone {
            run_id: p.run_id.clone(),
            request_id: p.request_id.clone(),
            outcome: outcome.into(),
        };
        self.notifier
            .notify::<AgentRequestDoneNotification>(&done)
            .await;
        Ok(())
    }

    /// `grove/agent/pending`.
    pub fn pending(&self, workspace_id: Option<String>) -> Vec<AgentRequest> {
        let inner = self.inner.lock().unwrap();
        inner
            .pending
            .iter()
            .filter(|p| {
                workspace_id
                    .as_ref()
                    .is_none_or(|w| *w == p.request.workspace_id)
            })
            .map(|p| p.request.clone())
            .collect()
    }

    /// The stdin driver of a run of this sidecar that is running now.
    fn live_input(&self, run_id: &str) -> Result<mpsc::UnboundedSender<Input>> {
        let inner = self.inner.lock().unwrap();
        let e = inner
            .runs
            .iter()
            .find(|e| e.run.run_id == run_id)
            .ok_or_else(|| Error::NotFound {
                what: Missing::Run,
                id: run_id.to_string(),
            })?;
        e.input
            .clone()
            .filter(|_| e.mine && !e.run.state.is_final())
            .ok_or_else(|| not_running(run_id))
    }

    /// `grove/agent/send`: the text reaches the agent as the user's next message.
    pub async fn send(&self, run_id: &str, text: String) -> Result<()> {
        if text.trim().is_empty() {
            return Err(Error::invalid_params("The message is empty."));
        }
        let input = self.live_input(run_id)?;
        let (tx, rx) = oneshot::channel();
        let _ = input.send(Input::Send(text, tx));
        if rx.await.unwrap_or(false) {
            Ok(())
        } else {
            Err(not_running(run_id))
        }
    }

    /// `grove/agent/interrupt`: waiting requests are denied, then the turn is interrupted; the
    /// run ends `cancelled` with its session kept.
    pub async fn interrupt(&self, run_id: &str) -> Result<()> {
        let input = self.live_input(run_id)?;
        let waiting: Vec<String> = {
            let inner = self.inner.lock().unwrap();
            inner
                .pending
                .iter()
                .filter(|p| p.request.run_id == run_id)
                .map(|p| p.request.request_id.clone())
                .collect()
        };
        for request_id in waiting {
            let _ = input.send(Input::Line(deny_line(&request_id, "The user interrupted.")));
        }
        self.drop_pending(run_id).await;
        self.with_entry(run_id, |e| e.interrupted = true);
        let _ = input.send(Input::Interrupt);
        tracing::info!(run = %run_id, "interrupt asked");
        Ok(())
    }

    /// Drops a run's unanswered requests (it ended or was cancelled), telling the client.
    pub(super) async fn drop_pending(&self, run_id: &str) {
        let dropped: Vec<Pending> = {
            let mut inner = self.inner.lock().unwrap();
            let (gone, kept) = std::mem::take(&mut inner.pending)
                .into_iter()
                .partition(|p| p.request.run_id == run_id);
            inner.pending = kept;
            gone
        };
        for p in dropped {
            let done = AgentRequestDone {
                run_id: p.request.run_id,
                request_id: p.request.request_id,
                outcome: "cancelled".into(),
            };
            self.notifier
                .notify::<AgentRequestDoneNotification>(&done)
                .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_rules_allow_the_same_first_word_and_nothing_chained() {
        let rule = rule_for("Bash", &json!({"command": "touch made.txt"})).unwrap();
        assert_eq!(rule.prefix.as_deref(), Some("touch"));
        assert!(allows(
            &rule,
            "Bash",
            &json!({"command": "touch other.txt"})
        ));
        assert!(!allows(&rule, "Bash", &json!({"command": "mkdir d"})));
        assert!(!allows(
            &rule,
            "Bash",
            &json!({"command": "touch a && rm -rf b"})
        ));
        assert!(!allows(&rule, "Bash", &json!({"command": "touch $(rm x)"})));
        assert!(!allows(&rule, "Write", &json!({"command": "touch a"})));
        let write = rule_for("Write", &json!({"file_path": "a"})).unwrap();
        assert!(allows(&write, "Write", &json!({"file_path": "b"})));
        assert!(rule_for("AskUserQuestion", &json!({})).is_none());
    }

    #[test]
    fn lines_the_cli_reads() {
        let v: Value = serde_json::from_str(&user_line("a \"quoted\"\nprompt")).unwrap();
        assert_eq!(v["message"]["content"], "a \"quoted\"\nprompt");
        let v: Value = serde_json::from_str(&deny_line("r1", "no")).unwrap();
        assert_eq!(v["response"]["response"]["behavior"], "deny");
        assert_eq!(v["response"]["request_id"], "r1");
        let plan = r#"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t9","name":"ExitPlanMode","input":{"plan":"1. do it"}}]}}"#;
        assert_eq!(
            plans_in(plan),
            vec![("t9".to_string(), json!({"plan": "1. do it"}))]
        );
    }
}
