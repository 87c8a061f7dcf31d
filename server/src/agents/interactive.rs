//! The interactive channel of an agent CLI that has one (stream-json input, permission prompts
//! over stdio): the prompt and later messages as JSON lines on its stdin, its permission requests,
//! questions and plans turned into `grove/agent/request`s and answered from the client (or by a
//! workspace's "always allow" rules), interrupt, and closing stdin once the last turn is done.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::ChildStdin;
use tokio::sync::{mpsc, oneshot};

use super::Agents;
use super::permissions::{
    self, Answer, ControlRequest, agent_request, allow_line, allows, deny_line, error_line,
};
use crate::clock::now_rfc3339;
use crate::error::{Error, Missing, Result};
use crate::protocol::{
    AgentRequest, AgentRequestDone, AgentRequestDoneNotification, AgentRequestNotification,
    AgentRespondParams, RequestKind, Run, RunState,
};

/// The answered request is not waiting (any more): answered, or its run ended.
fn not_waiting(p: &AgentRespondParams) -> Error {
    Error::NotFound {
        what: Missing::Request,
        id: p.request_id.clone(),
    }
}

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
    /// The tool use it asks for, when the CLI says (a denied one's result says so).
    pub tool_use_id: Option<String>,
}

pub fn user_line(text: &str) -> String {
    json!({"type": "user", "message": {"role": "user", "content": text}}).to_string()
}

fn interrupt_line() -> String {
    let id = format!("grove-interrupt-{:x}", crate::store::nonce());
    json!({"type": "control_request", "request_id": id, "request": {"subtype": "interrupt"}})
        .to_string()
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
        let tool = match permissions::parse_control_request(v) {
            ControlRequest::CanUseTool(tool) => tool,
            ControlRequest::Other {
                request_id,
                subtype,
            } => {
                tracing::info!(run = %run.run_id, %subtype, "declined an unknown control request");
                return Some(error_line(
                    &request_id,
                    "Grove does not handle this request.",
                ));
            }
        };
        // The run's worktree: a file tool's rule allows only paths inside it.
        let worktree = self
            .with_entry(&run.run_id, |e| e.cwd.clone())
            .unwrap_or_default();
        if permissions::kind_of(&tool.tool_name) == RequestKind::Tool {
            let rules = self
                .workspaces
                .rules(&run.workspace_id)
                .await
                .unwrap_or_default();
            if let Some(rule) = rules
                .iter()
                .find(|r| allows(r, &tool.tool_name, &tool.input, &worktree))
            {
                tracing::info!(run = %run.run_id, tool = %tool.tool_name, ?rule, "allowed by a workspace rule");
                return Some(allow_line(&tool.request_id, &tool.input));
            }
        }
        let ids = (run.run_id.as_str(), run.workspace_id.as_str());
        let request = agent_request(ids, &worktree, &tool, plans, now_rfc3339());
        tracing::info!(run = %run.run_id, tool = %request.tool_name, "the agent waits for the user");
        self.inner.lock().unwrap().pending.push(Pending {
            request: request.clone(),
            original: tool.input,
            tool_use_id: tool.tool_use_id,
        });
        self.transition(&run.run_id, |e| e.run.state = RunState::Waiting);
        self.publish().await;
        self.notifier
            .notify::<AgentRequestNotification>(&request)
            .await;
        None
    }

    /// The answer `p` gives to a waiting request, checked; the request keeps waiting.
    fn check_answer(&self, p: &AgentRespondParams) -> Result<(Answer, String)> {
        let inner = self.inner.lock().unwrap();
        let pending = inner
            .pending
            .iter()
            .find(|x| x.request.run_id == p.run_id && x.request.request_id == p.request_id)
            .ok_or_else(|| not_waiting(p))?;
        let answer = permissions::answer(&pending.request, &pending.original, p)?;
        Ok((answer, pending.request.workspace_id.clone()))
    }

    /// Takes the answered request off the waiting ones: the run's stdin driver, and how many of
    /// its requests still wait.
    fn take_pending(
        &self,
        p: &AgentRespondParams,
        deny: bool,
    ) -> Result<(mpsc::UnboundedSender<Input>, usize)> {
        let mut inner = self.inner.lock().unwrap();
        let at = inner
            .pending
            .iter()
            .position(|x| x.request.run_id == p.run_id && x.request.request_id == p.request_id)
            .ok_or_else(|| not_waiting(p))?;
        let input = inner
            .runs
            .iter()
            .find(|e| e.run.run_id == p.run_id)
            .and_then(|e| e.input.clone())
            .ok_or_else(|| not_waiting(p))?;
        let removed = inner.pending.remove(at);
        if deny
            && let Some(tool_use) = removed.tool_use_id
            && let Some(e) = inner.runs.iter_mut().find(|e| e.run.run_id == p.run_id)
        {
            e.denied.insert(tool_use);
        }
        let left = inner
            .pending
            .iter()
            .filter(|x| x.request.run_id == p.run_id)
            .count();
        Ok((input, left))
    }

    /// `grove/agent/respond`: the answer goes to the CLI; "always allow" also adds the
    /// workspace's rule; the run goes back to `running` when nothing else waits. An answer
    /// that cannot be given is refused (-32602) and the request keeps waiting.
    pub async fn respond(&self, p: AgentRespondParams) -> Result<()> {
        let (answer, workspace_id) = self.check_answer(&p)?;
        if let Some(rule) = answer.rule {
            tracing::info!(workspace = %workspace_id, ?rule, "always allowed from now on");
            self.workspaces.add_rule(&workspace_id, rule).await?;
        }
        let (input, left) = self.take_pending(&p, answer.outcome == "deny")?;
        let _ = input.send(Input::Line(answer.line));
        if left == 0 {
            self.transition(&p.run_id, |e| {
                if e.run.state == RunState::Waiting {
                    e.run.state = RunState::Running;
                }
            });
            self.publish().await;
        }
        let done = AgentRequestDone {
            run_id: p.run_id.clone(),
            request_id: p.request_id.clone(),
            outcome: answer.outcome.into(),
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
    fn lines_the_cli_reads() {
        let v: Value = serde_json::from_str(&user_line("a \"quoted\"\nprompt")).unwrap();
        assert_eq!(v["message"]["content"], "a \"quoted\"\nprompt");
        let plan = r#"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t9","name":"ExitPlanMode","input":{"plan":"1. do it"}}]}}"#;
        assert_eq!(
            plans_in(plan),
            vec![("t9".to_string(), json!({"plan": "1. do it"}))]
        );
    }
}
