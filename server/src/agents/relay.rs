//! The stream relay of one agent attempt: the CLI's lines, in batches, become numbered events
//! that are written to the transcript and framed as `grove/agent/event` notifications, one send
//! per batch; what the stream says about the run's end is gathered in an `Outcome`.

use std::time::Duration;

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::notification::Notification;

use super::adapter::{AgentAdapter, LineRead};
use super::interactive::Signal;
use super::lines::Batch;
use super::transcript::TranscriptWriter;
use crate::notifier::{Notifier, push_notification};
use crate::process;
use crate::protocol::{AgentEvent, AgentEventNotification, Run, RunState};
use crate::redact::redact;

/// After the CLI exits, output still in the pipes is read for this long at most.
const DRAIN: Duration = Duration::from_millis(300);

/// What a run's stream said, gathered for its final state.
#[derive(Default)]
pub struct Outcome {
    pub auth_failure: Option<String>,
    pub result: Option<(bool, Option<String>)>,
    pub rate_limited: Option<String>,
    pub last_stderr: Option<String>,
    pub cost: Option<f64>,
    /// The model answered: the CLI saved the session, and a later turn may resume it.
    pub resumable: bool,
    /// The CLI could not resume the session it was given.
    pub resume_failed: bool,
}

impl Outcome {
    /// How a run ended that was neither cancelled nor refused for its credential: succeeded, or
    /// failed and why (a usage limit first, else the result's text or the last stderr line).
    pub fn ended(&self, agent: &str) -> (RunState, Option<String>) {
        match &self.result {
            Some((false, _)) => (RunState::Succeeded, None),
            Some((true, text)) => (
                RunState::Failed,
                Some(
                    (self.rate_limited.clone())
                        .or_else(|| text.clone())
                        .unwrap_or_else(|| format!("{agent} reported an error.")),
                ),
            ),
            None => (
                RunState::Failed,
                Some(match (&self.rate_limited, &self.last_stderr) {
                    (Some(limit), _) => limit.clone(),
                    (None, Some(line)) => {
                        format!("{agent} stopped without a result: {}", redact(line))
                    }
                    (None, None) => format!("{agent} stopped without a result."),
                }),
            ),
        }
    }
}

/// Sleeps `after`, or forever when there is no limit.
async fn after_or_never(after: Option<Duration>) {
    match after {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

/// The start of a `grove/agent/event` notification's params for `run`, up to `"seq":`.
pub fn event_prefix(run: &Run) -> String {
    let ids = serde_json::to_string(&(&run.run_id, &run.workspace_id)).unwrap_or_default();
    let (run_id, workspace_id) = ids[1..ids.len() - 1]
        .split_once(',')
        .unwrap_or(("\"\"", "\"\""));
    format!(r#"{{"runId":{run_id},"workspaceId":{workspace_id},"seq":"#)
}

/// Appends one `grove/agent/event` notification around an already serialized event.
pub fn push_event(frames: &mut Vec<u8>, prefix: &str, seq: u64, event: &[u8]) {
    let mut params = Vec::with_capacity(prefix.len() + event.len() + 24);
    params.extend_from_slice(prefix.as_bytes());
    params.extend_from_slice(seq.to_string().as_bytes());
    params.extend_from_slice(br#","event":"#);
    params.extend_from_slice(event);
    params.push(b'}');
    push_notification(frames, AgentEventNotification::METHOD, &params);
}

/// One attempt's relay: where its events go and what it has seen so far.
pub struct Relay<'a> {
    run: &'a Run,
    /// `event_prefix(run)`, made once.
    prefix: String,
    /// The next event's number; runs on across attempts of one run.
    seq: &'a mut u64,
    transcript: &'a mut TranscriptWriter,
    notifier: &'a Notifier,
    /// Told the session id the CLI announces.
    on_session: &'a (dyn Fn(String) + Send + Sync),
    /// Told of turns, control requests and plans, for the interactive channel.
    signals: Option<mpsc::UnboundedSender<Signal>>,
    /// The CLI whose output this is.
    adapter: &'static dyn AgentAdapter,
    outcome: Outcome,
    /// Whether a tool use's permission request was denied.
    denied: Option<&'a (dyn Fn(&str) -> bool + Send + Sync)>,
    /// How long the CLI may print nothing, and what the run's error then says.
    stall: Option<(Duration, String)>,
}

impl<'a> Relay<'a> {
    pub fn new(
        run: &'a Run,
        seq: &'a mut u64,
        transcript: &'a mut TranscriptWriter,
        notifier: &'a Notifier,
        on_session: &'a (dyn Fn(String) + Send + Sync),
    ) -> Self {
        Self {
            run,
            prefix: event_prefix(run),
            seq,
            transcript,
            notifier,
            on_session,
            signals: None,
            adapter: super::registry::default_adapter(),
            outcome: Outcome::default(),
            denied: None,
            stall: None,
        }
    }

    /// Reads another CLI's output.
    pub fn with_adapter(mut self, adapter: &'static dyn AgentAdapter) -> Self {
        self.adapter = adapter;
        self
    }

    /// The run stops, failed with `message`, when no line comes for `after`.
    pub fn with_stall(mut self, after: Duration, message: String) -> Self {
        self.stall = Some((after, message));
        self
    }

    pub fn with_signals(mut self, signals: mpsc::UnboundedSender<Signal>) -> Self {
        self.signals = Some(signals);
        self
    }

    /// Marks the results of tool uses `denied` says were denied.
    pub fn with_denied(mut self, denied: &'a (dyn Fn(&str) -> bool + Send + Sync)) -> Self {
        self.denied = Some(denied);
        self
    }

    fn signal(&self, s: Signal) {
        if let Some(tx) = &self.signals {
            let _ = tx.send(s);
        }
    }

    /// Relays lines as events until the CLI exits (or an authentication failure stops it), then
    /// what is left in the pipes: until they close, or nothing comes for `DRAIN` (a process the
    /// agent started may hold them open), 5 s at most.
    pub async fn run(
        mut self,
        child: &mut tokio::process::Child,
        mut batches: mpsc::Receiver<Batch>,
    ) -> Outcome {
        loop {
            let quiet = self.stall.as_ref().map(|(after, _)| *after);
            let next = tokio::select! {
                batch = batches.recv() => batch,
                _ = child.wait() => None,
                () = after_or_never(quiet) => {
                    tracing::warn!(run = %self.run.run_id, "the agent printed nothing for too long; stopping it");
                    if let Some(pid) = child.id() {
                        process::signal_group(pid, process::SIGKILL);
                    }
                    let message = self.stall.take().map(|(_, m)| m);
                    self.outcome.result = Some((true, message));
                    return self.outcome;
                }
            };
            let Some(batch) = next else { break };
            self.batch(batch).await;
            if self.outcome.auth_failure.is_some() {
                // Stop now, not after the CLI's minutes of retries.
                if let Some(pid) = child.id() {
                    process::signal_group(pid, process::SIGKILL);
                }
                return self.outcome;
            }
        }
        let end = tokio::time::Instant::now() + Duration::from_secs(5);
        while tokio::time::Instant::now() < end {
            match tokio::time::timeout(DRAIN, batches.recv()).await {
                Ok(Some(batch)) => self.batch(batch).await,
                _ => break,
            }
        }
        self.outcome
    }

    /// Relays what arrived together: the transcript is flushed and the notifications go out in
    /// one piece per batch, so a flood costs a few writes, and a trickle is still sent at once.
    async fn batch(&mut self, batch: Batch) {
        let mut frames = Vec::new();
        for (is_stderr, line) in batch {
            self.line(is_stderr, &line, &mut frames);
            if self.outcome.auth_failure.is_some() {
                break;
            }
        }
        if let Err(e) = self.transcript.flush() {
            tracing::warn!(run = %self.run.run_id, "could not write the transcript: {e}");
        }
        self.notifier.send_frames(frames).await;
    }

    /// One line: its events numbered, written to the transcript, and framed into `frames`.
    fn line(&mut self, is_stderr: bool, line: &str, frames: &mut Vec<u8>) {
        if !is_stderr && self.signals.is_some() {
            self.signal_requests(line);
        }
        let parsed = self.parse(is_stderr, line);
        if let Some(message) = parsed.auth {
            self.outcome.auth_failure.get_or_insert(message);
        }
        let seq = &mut *self.seq;
        let numbered: Vec<(u64, Vec<u8>)> = parsed
            .serialized
            .into_iter()
            .map(|e| {
                *seq += 1;
                (*seq - 1, e)
            })
            .collect();
        let stream = if is_stderr { "stderr" } else { "stdout" };
        if let Err(e) = self
            .transcript
            .record(stream, line, parsed.is_json, &numbered)
        {
            tracing::warn!(run = %self.run.run_id, "could not write the transcript: {e}");
        }
        for event in &parsed.events {
            self.observe(event);
        }
        for (n, event) in numbered {
            push_event(frames, &self.prefix, n, &event);
        }
    }

    /// Tells the interactive driver of a control request or a plan on this stdout line.
    fn signal_requests(&self, line: &str) {
        if line.contains("\"control_request\"")
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
            && v["type"] == "control_request"
        {
            self.signal(Signal::Request(v));
        } else if line.contains("\"ExitPlanMode\"") {
            for (id, input) in super::interactive::plans_in(line) {
                self.signal(Signal::Plan(id, input));
            }
        }
    }

    /// The line's events, as the CLI's adapter reads them, with what they say of the run.
    fn parse(&mut self, is_stderr: bool, line: &str) -> Parsed {
        let adapter = self.adapter;
        let outcome = &mut self.outcome;
        // A line its adapter serialized at once (an assistant message: the model answered).
        let read = (!is_stderr && !outcome.resume_failed).then(|| adapter.read_line(line));
        let read = match read {
            Some(LineRead {
                serialized: Some(serialized),
                resumable,
                auth_failure,
                is_json,
                ..
            }) => {
                outcome.resumable |= resumable;
                return Parsed {
                    events: Vec::new(),
                    serialized,
                    auth: auth_failure,
                    is_json,
                };
            }
            other => other,
        };
        // The CLI could not resume: nothing of this attempt is shown; a new session follows.
        if outcome.resume_failed || adapter.resume_failed(is_stderr, line) {
            outcome.resume_failed = true;
            let is_json = !is_stderr && serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok();
            return Parsed {
                events: Vec::new(),
                serialized: Vec::new(),
                auth: None,
                is_json,
            };
        }
        if is_stderr {
            if !line.trim().is_empty() {
                outcome.last_stderr = Some(line.to_string());
            }
            let auth = adapter.stderr_auth_failure(line);
            return Parsed::of(vec![AgentEvent::Stderr { line: redact(line) }], auth, false);
        }
        let read = read.unwrap_or_else(|| adapter.read_line(line));
        outcome.resumable |= read.resumable;
        let mut events = read.events;
        if let Some(denied_of) = self.denied {
            for e in &mut events {
                if let AgentEvent::ToolResult {
                    tool_use_id,
                    denied,
                    ..
                } = e
                {
                    *denied = denied_of(tool_use_id);
                }
            }
        }
        Parsed::of(events, read.auth_failure, read.is_json)
    }

    /// What an event says of the run: its session, a turn's start or end, its result, a limit.
    fn observe(&mut self, event: &AgentEvent) {
        let outcome = &mut self.outcome;
        match event {
            AgentEvent::Init { session_id, .. } => {
                if !session_id.is_empty() {
                    (self.on_session)(session_id.clone());
                }
                if let Some(tx) = &self.signals {
                    let _ = tx.send(Signal::TurnStarted);
                }
            }
            AgentEvent::Result {
                is_error,
                text,
                cost_usd,
                ..
            } => {
                outcome.result = Some((*is_error, text.clone()));
                outcome.cost = *cost_usd;
                if let Some(tx) = &self.signals {
                    let _ = tx.send(Signal::TurnEnded);
                }
            }
            AgentEvent::RateLimit {
                status, resets_at, ..
            } if status == "rejected" => {
                let when = resets_at
                    .as_deref()
                    .map(|t| format!(" It resets at {t}."))
                    .unwrap_or_default();
                outcome.rate_limited = Some(format!("{}{when}", self.adapter.limit_reached()));
            }
            _ => {}
        }
    }
}

/// One line read: its events (those the fast path serialized directly are not parsed), each
/// serialized, an authentication failure it shows, and whether it was JSON.
struct Parsed {
    events: Vec<AgentEvent>,
    serialized: Vec<Vec<u8>>,
    auth: Option<String>,
    is_json: bool,
}

impl Parsed {
    fn of(events: Vec<AgentEvent>, auth: Option<String>, is_json: bool) -> Self {
        let serialized = events
            .iter()
            .map(|e| serde_json::to_vec(e).unwrap_or_default())
            .collect();
        Self {
            events,
            serialized,
            auth,
            is_json,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::registry::claude::no_conversation;
    use crate::notifier::Collector;
    use crate::protocol::RunState;

    #[test]
    fn only_the_clis_own_words_say_a_session_cannot_be_resumed() {
        let lines = crate::fixtures::lines("stream-resume-not-found.jsonl");
        assert!(no_conversation(false, &lines[0]));
        let stderr = crate::fixtures::read("stream-resume-not-found.stderr.txt");
        assert!(no_conversation(true, stderr.trim()));
        let quoted = r#"{"type":"user","message":{"content":[{"type":"tool_result","content":"No conversation found with session ID: x"}]}}"#;
        assert!(!no_conversation(false, quoted));
        assert!(!no_conversation(
            true,
            "grep: No conversation found with session ID"
        ));
    }

    /// The relay without a transport or a CLI: a recorded stream in, numbered events out.
    #[tokio::test]
    async fn a_recorded_stream_becomes_numbered_events_in_order() {
        let dir = std::env::temp_dir().join(format!("grove-relay-{}", crate::store::nonce()));
        let runs = super::super::transcript::RunStore::new(dir.clone());
        let run = Run {
            run_id: "run-000000000001".into(),
            workspace_id: "w\"1".into(),
            state: RunState::Running,
            prompt: "p".into(),
            session_id: None,
            started_at: None,
            ended_at: None,
            cost_usd: None,
            error: None,
            created_at: String::new(),
            resumable: false,
            provider: None,
            profile: None,
            model: None,
            retry_profile: None,
            agent: None,
        };
        let mut transcript = runs.writer(&run.run_id).unwrap();
        let (notifier, seen) = Collector::notifier();
        let sessions = std::sync::Mutex::new(Vec::new());
        let on_session = |s: String| sessions.lock().unwrap().push(s);
        let mut seq = 0;
        let (tx, rx) = mpsc::channel(4);
        let lines = crate::fixtures::lines("stream-write-tool.jsonl");
        tx.send(lines.iter().map(|l| (false, l.clone())).collect())
            .await
            .unwrap();
        tx.send(vec![(true, "a warning".into())]).await.unwrap();
        drop(tx);
        let mut child = crate::process::command("true")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let outcome = Relay::new(&run, &mut seq, &mut transcript, &notifier, &on_session)
            .run(&mut child, rx)
            .await;
        assert_eq!(outcome.result.as_ref().map(|r| r.0), Some(false));
        assert!(outcome.resumable && outcome.auth_failure.is_none());
        assert_eq!(outcome.last_stderr.as_deref(), Some("a warning"));
        assert_eq!(sessions.lock().unwrap().len(), 1, "the session is told");
        let got = seen.messages();
        assert_eq!(got.len() as u64, seq);
        for (n, (method, params)) in got.iter().enumerate() {
            assert_eq!(method, "grove/agent/event");
            assert_eq!(params["seq"], n as u64);
            assert_eq!(params["workspaceId"], "w\"1");
        }
        assert_eq!(got.last().unwrap().1["event"]["kind"], "stderr");
        let kept = runs.read(&run.run_id).unwrap();
        assert_eq!(kept.len() as u64, seq, "the transcript holds every event");
        let _ = std::fs::remove_dir_all(dir);
    }
}
