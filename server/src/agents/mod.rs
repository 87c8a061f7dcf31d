//! Agent runs: an agent CLI in a workspace's worktree, its stream relayed as events and kept in a
//! transcript, follow-up turns resuming the session, a FIFO queue under `maxParallelAgents`,
//! cancel (interrupt, terminate, kill), and authentication failures stopped at their first sign.

pub mod adapter;
mod interactive;
pub mod lines;
pub mod output;
pub mod permissions;
pub mod registry;
mod relay;
mod transcript;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::cli::Cli;
use crate::clock::now_rfc3339;
use crate::error::{Error, Missing, Result};
use crate::notifier::Notifier;
use crate::process::{self, Owner};
use crate::profiles::{Profiles, RunEnv, refused};
use crate::protocol::{AgentEvent, AgentStartParams, AgentStateChanged, Run, RunState};
use crate::redact::redact;
use crate::store::nonce;
use crate::workspaces::Workspaces;
use adapter::PromptChannel;
use interactive::{Input, Pending};
use lines::{Batch, read_lines};
use relay::{Outcome, Relay, event_prefix, push_event};
use transcript::{RunStore, valid_run_id};

const DEFAULT_MAX_PARALLEL: usize = 3;
/// `agentStallSeconds` when unset.
const DEFAULT_STALL_SECONDS: u32 = 120;
/// Cancel: SIGINT, then SIGTERM after this, then SIGKILL after as long again.
const CANCEL_STEP: Duration = Duration::from_millis(1500);

struct Entry {
    run: Run,
    /// Started by this sidecar (runs of other windows and earlier sidecars are only shown).
    mine: bool,
    cwd: PathBuf,
    model: Option<String>,
    /// The auth profile the run uses (`None` only for runs of earlier sidecars).
    profile: Option<String>,
    permission_mode: Option<String>,
    new_session: bool,
    pid: Option<u32>,
    cancel_requested: bool,
    /// The running attempt's stdin driver.
    input: Option<mpsc::UnboundedSender<Input>>,
    /// The user interrupted the turn (`grove/agent/interrupt`).
    interrupted: bool,
    /// Tool uses whose permission request was denied: their results say `denied`.
    denied: std::collections::HashSet<String>,
}

struct Inner {
    /// Every run, oldest first: the queue's order too.
    runs: Vec<Entry>,
    max: usize,
    /// State changes not yet saved and told to the client, in the order they happened.
    changes: std::collections::VecDeque<Run>,
    /// Requests of running agents waiting for the user, oldest first.
    pending: Vec<Pending>,
}

pub struct Agents {
    /// Events and state changes go to the client through one ordered channel.
    notifier: Notifier,
    cli: Arc<Cli>,
    workspaces: Arc<Workspaces>,
    profiles: Arc<Profiles>,
    store: RunStore,
    owner: Owner,
    inner: Mutex<Inner>,
    ready: tokio::sync::OnceCell<()>,
    /// One publisher at a time drains `Inner::changes`.
    publishing: tokio::sync::Mutex<()>,
    /// Told when a run of this sidecar ends (landing: commit after a run, continue a sync).
    on_end: Mutex<Option<RunEnded>>,
    /// `agentStallSeconds`.
    stall_seconds: std::sync::atomic::AtomicU32,
}

/// Called with a run that just ended.
pub type RunEnded = Arc<dyn Fn(&Run) + Send + Sync>;

fn not_found(run_id: &str) -> Error {
    Error::NotFound {
        what: Missing::Run,
        id: run_id.to_string(),
    }
}

/// A random version-4 UUID, as `--session-id` wants.
fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// What the panel says after an interrupt.
const INTERRUPTED_NOTICE: &str =
    "Interrupted: the agent stopped this turn. The session is kept: send a message to continue.";

/// An agent CLI just started: the process, its group, its output, its transcript.
struct Started {
    child: tokio::process::Child,
    pid: u32,
    rx: mpsc::Receiver<Batch>,
    transcript: transcript::TranscriptWriter,
}

/// What one CLI process of a run is started with.
#[derive(Clone, Copy)]
struct Spawn<'a> {
    run: &'a Run,
    cwd: &'a PathBuf,
    model: &'a Option<String>,
    mode: &'a Option<String>,
    env: &'a RunEnv,
}

/// What the panel says when Grove starts a new session after a failed resume.
const NEW_SESSION_NOTICE: &str = "The earlier conversation could not be resumed (the agent CLI \
     no longer has it), so this turn started a new session.";

impl Agents {
    pub fn new(
        notifier: Notifier,
        cli: Arc<Cli>,
        workspaces: Arc<Workspaces>,
        profiles: Arc<Profiles>,
        state_dir: PathBuf,
    ) -> Self {
        Self {
            notifier,
            cli,
            workspaces,
            profiles,
            store: RunStore::new(state_dir),
            owner: Owner::me(),
            inner: Mutex::new(Inner {
                runs: Vec::new(),
                max: DEFAULT_MAX_PARALLEL,
                changes: Default::default(),
                pending: Vec::new(),
            }),
            ready: tokio::sync::OnceCell::new(),
            publishing: tokio::sync::Mutex::new(()),
            on_end: Mutex::new(None),
            stall_seconds: DEFAULT_STALL_SECONDS.into(),
        }
    }

    /// `agentStallSeconds`; counts from the next run on.
    pub fn set_stall_seconds(&self, seconds: Option<u32>) {
        let s = seconds.map_or(DEFAULT_STALL_SECONDS, |s| s.max(1));
        self.stall_seconds
            .store(s, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn set_on_end(&self, hook: RunEnded) {
        *self.on_end.lock().unwrap() = Some(hook);
    }

    /// `maxParallelAgents`; takes effect at once.
    pub fn set_max_parallel(self: &Arc<Self>, max: Option<u32>) {
        let max = max.map_or(DEFAULT_MAX_PARALLEL, |m| m.max(1) as usize);
        let changed = {
            let mut inner = self.inner.lock().unwrap();
            std::mem::replace(&mut inner.max, max) != max
        };
        if changed {
            self.schedule();
        }
    }

    /// Whether a run of this sidecar is queued or running in the workspace.
    pub fn busy(&self, workspace_id: &str) -> bool {
        self.inner
            .lock()
            .unwrap()
            .runs
            .iter()
            .any(|e| e.mine && e.run.workspace_id == workspace_id && !e.run.state.is_final())
    }

    /// Once: load runs from disk; those whose sidecar died while they ran are failed.
    pub async fn ready(&self) {
        self.ready
            .get_or_init(|| async {
                let mut loaded = self.store.load_all();
                for (run, owner) in loaded.iter_mut() {
                    if !run.state.is_final() && !owner.alive() {
                        run.state = RunState::Failed;
                        run.ended_at = Some(now_rfc3339());
                        run.error = Some(
                            "Grove stopped while this run was going; the transcript keeps what arrived before."
                                .into(),
                        );
                        if let Err(e) = self.store.save(run, owner) {
                            tracing::warn!("could not update run {}: {e}", run.run_id);
                        }
                    }
                }
                loaded.sort_by(|a, b| a.0.created_at.cmp(&b.0.created_at));
                let mut inner = self.inner.lock().unwrap();
                let known: HashSet<String> = inner.runs.iter().map(|e| e.run.run_id.clone()).collect();
                let earlier = loaded.into_iter().filter(|(r, _)| !known.contains(&r.run_id)).map(|(run, _)| Entry {
                    run,
                    mine: false,
                    cwd: PathBuf::new(),
                    model: None,
                    profile: None,
                    permission_mode: None,
                    new_session: false,
                    pid: None,
                    cancel_requested: false,
                    input: None,
                    interrupted: false,
                denied: Default::default(),
                });
                let mine = std::mem::take(&mut inner.runs);
                inner.runs = earlier.chain(mine).collect();
            })
            .await;
    }

    /// `grove/agent/start`.
    pub async fn start(self: &Arc<Self>, p: AgentStartParams) -> Result<Run> {
        self.ready().await;
        if p.prompt.trim().is_empty() {
            return Err(Error::invalid_params("The prompt is empty."));
        }
        let cwd = self.workspaces.active_path(&p.workspace_id).await?;
        let default = self.workspaces.profile(&p.workspace_id).await?;
        let asked = match p.agent.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            Some(id) => Some(registry::adapter(id).ok_or_else(|| {
                refused(
                    "unknownAgent",
                    format!("Grove does not know the agent CLI {id:?}."),
                )
            })?),
            None => None,
        };
        let choice = self
            .profiles
            .choose(
                p.profile,
                p.model.filter(|m| !m.trim().is_empty()),
                default,
                asked.map(|a| a.providers()),
            )
            .await?;
        let agent = match asked {
            Some(a) if !a.providers().contains(&choice.provider.as_str()) => {
                return Err(refused(
                    "profileAgentMismatch",
                    format!(
                        "The auth profile {:?} cannot run with {}: it takes a profile of {}.",
                        choice.id,
                        a.label(),
                        a.providers().join(", ")
                    ),
                ));
            }
            Some(a) => a,
            None => registry::for_provider(&choice.provider).unwrap_or(registry::default_adapter()),
        };
        // The CLI the run needs must be there.
        self.cli
            .find(agent.binary())
            .await
            .map_err(|nf| Error::CliNotFound {
                message: nf.message,
                searched: nf.searched,
            })?;
        let run = Run {
            run_id: format!("run-{:012x}", nonce() & 0xffff_ffff_ffff),
            workspace_id: p.workspace_id,
            state: RunState::Queued,
            prompt: p.prompt,
            session_id: None,
            started_at: None,
            ended_at: None,
            cost_usd: None,
            error: None,
            created_at: now_rfc3339(),
            resumable: false,
            provider: Some(choice.provider),
            profile: Some(choice.id.clone()),
            model: choice.model.clone(),
            retry_profile: None,
            agent: Some(agent.id().to_string()),
        };
        let id = run.run_id.clone();
        {
            let mut inner = self.inner.lock().unwrap();
            inner.changes.push_back(run.clone());
            inner.runs.push(Entry {
                run: run.clone(),
                mine: true,
                cwd,
                model: choice.model,
                profile: Some(choice.id),
                permission_mode: p.permission_mode.filter(|m| !m.trim().is_empty()),
                new_session: p.new_session,
                pid: None,
                cancel_requested: false,
                input: None,
                interrupted: false,
                denied: Default::default(),
            });
        }
        self.publish().await;
        self.schedule();
        Ok(self.run(&id).unwrap_or(run))
    }

    fn run(&self, run_id: &str) -> Option<Run> {
        self.inner
            .lock()
            .unwrap()
            .runs
            .iter()
            .find(|e| e.run.run_id == run_id)
            .map(|e| e.run.clone())
    }

    fn with_entry<T>(&self, run_id: &str, f: impl FnOnce(&mut Entry) -> T) -> Option<T> {
        self.inner
            .lock()
            .unwrap()
            .runs
            .iter_mut()
            .find(|e| e.run.run_id == run_id)
            .map(f)
    }

    /// Changes a run and queues the change for the client in one step, so that changes are told
    /// in the order they happened.
    fn transition<T>(&self, run_id: &str, f: impl FnOnce(&mut Entry) -> T) -> Option<T> {
        let mut inner = self.inner.lock().unwrap();
        let Inner { runs, changes, .. } = &mut *inner;
        let entry = runs.iter_mut().find(|e| e.run.run_id == run_id)?;
        let out = f(entry);
        changes.push_back(entry.run.clone());
        Some(out)
    }

    /// Saves each queued change and tells the client, in order.
    async fn publish(&self) {
        let _one_at_a_time = self.publishing.lock().await;
        loop {
            let Some(run) = self.inner.lock().unwrap().changes.pop_front() else {
                break;
            };
            if let Err(e) = self.store.save(&run, &self.owner) {
                tracing::warn!("could not save run {}: {e}", run.run_id);
            }
            self.notifier.notify::<AgentStateChanged>(&run).await;
            let hook = self.on_end.lock().unwrap().clone();
            if let Some(hook) = hook.filter(|_| run.state.is_final()) {
                hook(&run);
            }
        }
    }

    /// Starts queued runs, oldest first, while fewer than `max` run; one run per workspace at a time.
    fn schedule(self: &Arc<Self>) {
        let to_start: Vec<String> = {
            let mut inner = self.inner.lock().unwrap();
            let Inner {
                runs, max, changes, ..
            } = &mut *inner;
            let max = *max;
            let running: Vec<&Entry> = runs
                .iter()
                .filter(|e| e.mine && matches!(e.run.state, RunState::Running | RunState::Waiting))
                .collect();
            let mut count = running.len();
            let mut busy: HashSet<String> =
                running.iter().map(|e| e.run.workspace_id.clone()).collect();
            let mut start = Vec::new();
            for e in runs
                .iter_mut()
                .filter(|e| e.mine && e.run.state == RunState::Queued)
            {
                if count >= max {
                    break;
                }
                if busy.insert(e.run.workspace_id.clone()) {
                    e.run.state = RunState::Running;
                    e.run.started_at = Some(now_rfc3339());
                    count += 1;
                    start.push(e.run.run_id.clone());
                    changes.push_back(e.run.clone());
                }
            }
            start
        };
        for id in to_start {
            let this = Arc::clone(self);
            tokio::spawn(async move {
                this.publish().await;
                this.execute(&id).await;
                this.publish().await;
                this.schedule();
            });
        }
    }

    /// The session a new turn in `workspace_id` continues: that of its latest run whose session
    /// the CLI saved (a run that never reached the model, e.g. signed out, left none to resume).
    /// Only a session of the same agent CLI is resumed.
    fn last_session(&self, workspace_id: &str, before: &str) -> Option<String> {
        let inner = self.inner.lock().unwrap();
        let agent = inner
            .runs
            .iter()
            .find(|e| e.run.run_id == before)
            .map(|e| registry::of_run(&e.run).id());
        inner
            .runs
            .iter()
            .take_while(|e| e.run.run_id != before)
            .filter(|e| e.run.workspace_id == workspace_id && e.run.resumable)
            .filter(|e| Some(registry::of_run(&e.run).id()) == agent)
            .filter_map(|e| e.run.session_id.clone())
            .last()
    }

    /// Tells the client (and the transcript) something Grove did for the user during `run`.
    async fn notice(&self, run: &Run, seq: &mut u64, message: &str) {
        let event = AgentEvent::Notice {
            message: message.to_string(),
        };
        let bytes = serde_json::to_vec(&event).unwrap_or_default();
        if let Ok(mut transcript) = self.store.writer(&run.run_id) {
            let _ = transcript.record("grove", message, false, &[(*seq, bytes.clone())]);
            let _ = transcript.flush();
        }
        let mut frames = Vec::new();
        push_event(&mut frames, &event_prefix(run), *seq, &bytes);
        *seq += 1;
        self.notifier.send_frames(frames).await;
    }

    /// A run that could not start: its profile gave no credential (sign-in needed) or failed.
    fn fail_unstarted(&self, run_id: &str, e: crate::profiles::RunEnvError) {
        let auth = matches!(e, crate::profiles::RunEnvError::Auth(_));
        let message = match e {
            crate::profiles::RunEnvError::Auth(m) => m,
            other => format!("The run could not use its auth profile: {other}"),
        };
        self.transition(run_id, |e2| {
            e2.run.state = if auth {
                RunState::AuthRequired
            } else {
                RunState::Failed
            };
            e2.run.error = Some(redact(&message));
            e2.run.ended_at = Some(now_rfc3339());
        });
    }

    /// Runs the CLI for one run and leaves the run in its final state.
    async fn execute(&self, run_id: &str) {
        let Some((run, cwd, model, mode, new_session, profile)) = self.with_entry(run_id, |e| {
            (
                e.run.clone(),
                e.cwd.clone(),
                e.model.clone(),
                e.permission_mode.clone(),
                e.new_session,
                e.profile
                    .clone()
                    .unwrap_or_else(|| registry::of_run(&e.run).own_profile().to_string()),
            )
        }) else {
            return;
        };
        let mut seq = 0;
        // The profile's credential as it is now: a secret replaced while queued counts.
        let adapter = registry::of_run(&run);
        let env = match self.profiles.env(adapter, &profile, model.as_deref()).await {
            Ok(env) => env,
            Err(e) => return self.fail_unstarted(run_id, e),
        };
        self.profiles.used(&profile).await;
        let spawn = Spawn {
            run: &run,
            cwd: &cwd,
            model: &model,
            mode: &mode,
            env: &env,
        };
        let attempt = self.spawn_and_relay(&spawn, new_session, &mut seq).await;
        self.profiles.after_run(adapter, &profile).await;
        let cancelled = || {
            self.with_entry(run_id, |e| e.cancel_requested)
                .unwrap_or(false)
        };
        // A session that cannot be resumed: a new one, once, and the panel says so.
        let attempt = match attempt {
            Ok(o) if o.resume_failed && !cancelled() => {
                tracing::info!(run = %run_id, "the session could not be resumed; starting a new one");
                self.notice(&run, &mut seq, NEW_SESSION_NOTICE).await;
                self.spawn_and_relay(&spawn, true, &mut seq).await
            }
            other => other,
        };
        let outcome = match attempt {
            Ok(o) => o,
            Err(message) => Outcome {
                result: Some((true, Some(message))),
                ..Outcome::default()
            },
        };
        let cancelled = cancelled();
        self.drop_pending(run_id).await;
        let interrupted = self
            .with_entry(run_id, |e| std::mem::take(&mut e.interrupted))
            .unwrap_or(false);
        if interrupted && !cancelled {
            self.notice(&run, &mut seq, INTERRUPTED_NOTICE).await;
        }
        let rate_limited = outcome.rate_limited.clone();
        let mut retry_profile = None;
        let (state, err) = if cancelled || (interrupted && outcome.auth_failure.is_none()) {
            (RunState::Cancelled, None)
        } else if let Some(message) = &outcome.auth_failure {
            if let Some(own) = self.profiles.own(&profile) {
                own.failed(message).await;
            }
            retry_profile = self.profiles.failed(&profile, message).await;
            (RunState::AuthRequired, Some(redact(message)))
        } else {
            outcome.ended(registry::of_run(&run).label())
        };
        if state == RunState::Succeeded {
            self.profiles.succeeded(&profile).await;
        } else if let (Some(limit), RunState::Failed) = (&rate_limited, state) {
            retry_profile = self.profiles.failed(&profile, limit).await;
        }
        tracing::info!(run = %run_id, ?state, "run ended");
        self.transition(run_id, |e| {
            e.run.retry_profile = retry_profile;
            e.run.state = state;
            e.run.error = err;
            e.run.ended_at = Some(now_rfc3339());
            e.run.cost_usd = outcome.cost;
            // An interrupted turn's session is saved from its start.
            e.run.resumable |= outcome.resumable || (interrupted && e.run.session_id.is_some());
            e.pid = None;
        });
    }

    /// One attempt of a run: its agent CLI's command line (a new session, or the workspace's
    /// last session of that CLI resumed), the prompt on stdin or the interactive channel, its
    /// lines relayed as events.
    async fn spawn_and_relay(
        &self,
        spawn: &Spawn<'_>,
        new_session: bool,
        seq: &mut u64,
    ) -> Result<Outcome, String> {
        let Spawn {
            run,
            cwd,
            model,
            mode,
            env,
        } = *spawn;
        let adapter = registry::of_run(run);
        let program = self
            .cli
            .resolve(adapter.binary())
            .await
            .map_err(|e| e.to_string())?;
        let resume = if new_session {
            None
        } else {
            self.last_session(&run.workspace_id, &run.run_id)
        };
        let mut cmd = adapter.command(&adapter::Launch {
            program: &program,
            cwd,
            model: model.as_deref(),
            mode: mode.as_deref(),
            resume: resume.as_deref(),
            new_session: &new_uuid(),
        });
        env.apply(&mut cmd);
        // The prompt goes in on stdin: verbatim, whatever it holds, never read as an option.
        cmd.current_dir(cwd);
        let Started {
            mut child,
            pid,
            rx,
            mut transcript,
        } = self.start_process(run, &mut cmd, &program)?;
        tracing::info!(run = %run.run_id, agent = adapter.id(), resume = resume.is_some(), "started the agent");
        let stdin = child.stdin.take();
        let run_id = run.run_id.clone();
        let on_session = move |s: String| {
            self.with_entry(&run_id, |e| e.run.session_id = Some(s));
        };
        let mut relay = Relay::new(run, seq, &mut transcript, &self.notifier, &on_session)
            .with_adapter(adapter);
        if let Some((after, message)) = self.stall_limit(adapter, env) {
            relay = relay.with_stall(after, message);
        }
        let mut outcome = match adapter.prompt_channel() {
            PromptChannel::Interactive => {
                let (signal_tx, signal_rx) = mpsc::unbounded_channel();
                let (input_tx, input_rx) = mpsc::unbounded_channel();
                self.with_entry(&run.run_id, |e| e.input = Some(input_tx));
                let denied = |id: &str| {
                    self.with_entry(&run.run_id, |e| e.denied.contains(id))
                        .unwrap_or(false)
                };
                let relay = relay
                    .with_signals(signal_tx)
                    .with_denied(&denied)
                    .run(&mut child, rx);
                let (outcome, ()) =
                    tokio::join!(relay, self.drive(run, stdin, signal_rx, input_rx));
                self.with_entry(&run.run_id, |e| e.input = None);
                outcome
            }
            PromptChannel::Stdin => {
                if let Some(mut stdin) = stdin {
                    let prompt = run.prompt.clone();
                    tokio::spawn(async move {
                        use tokio::io::AsyncWriteExt;
                        let _ = stdin.write_all(prompt.as_bytes()).await;
                        let _ = stdin.shutdown().await;
                    });
                }
                relay.run(&mut child, rx).await
            }
        };
        outcome.resume_failed &= resume.is_some();
        let _ = transcript.flush();
        process::reap_group(pid);
        let _ = child.wait().await;
        adapter.after_run(cwd);
        Ok(outcome)
    }

    /// For a CLI that may wait forever on a silent model server: how long it may print nothing,
    /// and what the run's error then says (naming the server).
    fn stall_limit(
        &self,
        adapter: &dyn adapter::AgentAdapter,
        env: &RunEnv,
    ) -> Option<(Duration, String)> {
        if !adapter.may_stall() {
            return None;
        }
        let secs = self
            .stall_seconds
            .load(std::sync::atomic::Ordering::Relaxed);
        let from = env
            .endpoint
            .as_deref()
            .map_or_else(|| adapter.label().to_string(), str::to_string);
        Some((
            Duration::from_secs(secs.into()),
            format!(
                "Nothing came from {from} for {secs} s, so the run was stopped: is the model server running and reachable? (Setting: grove.agentStallSeconds.)"
            ),
        ))
    }

    /// Starts an agent CLI for `run` in its own process group (stdio piped): its pid noted, its
    /// output as batches of lines, its transcript open.
    fn start_process(
        &self,
        run: &Run,
        cmd: &mut tokio::process::Command,
        program: &std::path::Path,
    ) -> Result<Started, String> {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = process::spawn_group(cmd)
            .map_err(|e| format!("Could not run {}: {e}", program.display()))?;
        let pid = child.id().unwrap_or(0);
        self.with_entry(&run.run_id, |e| e.pid = Some(pid));
        let (tx, rx) = mpsc::channel::<Batch>(4);
        if let Some(out) = child.stdout.take() {
            tokio::spawn(read_lines(out, false, tx.clone()));
        }
        if let Some(err) = child.stderr.take() {
            tokio::spawn(read_lines(err, true, tx));
        }
        let transcript = self
            .store
            .writer(&run.run_id)
            .map_err(|e| format!("Could not write the transcript: {e}"))?;
        Ok(Started {
            child,
            pid,
            rx,
            transcript,
        })
    }

    /// `grove/agent/cancel`: a queued run is dropped; a running one gets SIGINT, SIGTERM, then
    /// SIGKILL, to its whole process group, within 5 s in all.
    pub async fn cancel(self: &Arc<Self>, run_id: &str) -> Result<()> {
        self.ready().await;
        let (state, pid, input) = {
            let mut inner = self.inner.lock().unwrap();
            let Inner { runs, changes, .. } = &mut *inner;
            let e = runs
                .iter_mut()
                .find(|e| e.run.run_id == run_id)
                .ok_or_else(|| not_found(run_id))?;
            if e.mine && !e.run.state.is_final() {
                e.cancel_requested = true;
            }
            if e.run.state == RunState::Queued {
                e.run.state = RunState::Cancelled;
                e.run.ended_at = Some(now_rfc3339());
                changes.push_back(e.run.clone());
            }
            (e.run.state, e.pid, e.input.clone())
        };
        // Waiting requests are dropped, and the CLI hears no more.
        self.drop_pending(run_id).await;
        if let Some(input) = input {
            let _ = input.send(Input::Close);
        }
        match (state, pid) {
            (RunState::Cancelled, _) => self.publish().await,
            (RunState::Running | RunState::Waiting, Some(pid)) => {
                tokio::spawn(async move {
                    for signal in [libc::SIGINT, libc::SIGTERM] {
                        process::signal_group(pid, signal);
                        let deadline = tokio::time::Instant::now() + CANCEL_STEP;
                        while tokio::time::Instant::now() < deadline && process::group_alive(pid) {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                    }
                    process::signal_group(pid, process::SIGKILL);
                });
            }
            _ => {}
        }
        tracing::info!(run = %run_id, "cancel asked");
        Ok(())
    }

    /// `grove/agent/list`.
    pub async fn list(&self, workspace_id: Option<String>) -> Vec<Run> {
        self.ready().await;
        let inner = self.inner.lock().unwrap();
        inner
            .runs
            .iter()
            .filter(|e| {
                workspace_id
                    .as_ref()
                    .is_none_or(|w| *w == e.run.workspace_id)
            })
            .map(|e| e.run.clone())
            .collect()
    }

    /// `grove/agent/transcript`.
    pub async fn transcript(&self, run_id: &str) -> Result<Vec<AgentEvent>> {
        self.ready().await;
        if !valid_run_id(run_id) || self.run(run_id).is_none() {
            return Err(not_found(run_id));
        }
        self.store
            .read(run_id)
            .map_err(|e| Error::StoreFailed(format!("Could not read the transcript: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::new_uuid;

    #[test]
    fn session_ids_are_v4_uuids() {
        let u = new_uuid();
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(
            parts[3].chars().next(),
            Some('8' | '9' | 'a' | 'b')
        ));
        assert_ne!(new_uuid(), u);
    }
}
