//! The seam every agent CLI sits behind: what it is called, how its binary is found, what it can
//! do, how its own sign-in is done and which providers' profiles it runs with. Each CLI's folder
//! implements it; the registry lists them.

use std::path::Path;

use tokio::process::Command;

use crate::cli::Named;
use crate::process::RunEnv;
use crate::profiles::RunEnvError;
use crate::profiles::store::Credential;
use crate::protocol::{
    AgentCapabilities, AgentEvent, AgentProvider, Profile, ProfileCheckResult, ProfileKind,
    ProfileStatus, ProfileType, SignInMethod,
};

/// What an adapter's sign-in flows are built with.
pub struct Services {
    pub notifier: crate::notifier::Notifier,
    pub cli: std::sync::Arc<crate::cli::Cli>,
    /// The default agent's own sign-in status.
    pub auth: std::sync::Arc<crate::agents::registry::DefaultSignIn>,
    pub profiles: std::sync::Arc<crate::profiles::Profiles>,
}

/// A sign-in's answer, later.
pub type Pending<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = crate::error::Result<T>> + Send + 'a>>;

/// Something done later, with no answer.
pub type Later<'a, T = ()> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What an adapter's own sign-in status is built with.
pub struct OwnCx {
    pub cli: std::sync::Arc<crate::cli::Cli>,
    /// The default agent's own sign-in status (made once, shared with `grove/auth/*`).
    pub default_sign_in: std::sync::Arc<crate::agents::registry::DefaultSignIn>,
}

/// An agent CLI's own sign-in, as its own profile shows it in the Account view.
pub trait OwnSignIn: Send + Sync {
    /// Its status and the words for it, as last known; `None`: not listed (the CLI is not
    /// installed).
    fn known(&self) -> Option<(ProfileStatus, String)>;
    /// Asks the CLI again when its credentials changed since (`force`: anyway).
    fn look(&self, _force: bool) -> Later<'_> {
        Box::pin(async {})
    }
    /// Changes each time a check of it finishes (the listing is recomputed then).
    fn checks(&self) -> u64 {
        0
    }
    /// A run with it ended in an authentication failure.
    fn failed(&self, _message: &str) -> Later<'_> {
        Box::pin(async {})
    }
    /// A check with it worked.
    fn worked(&self) -> Later<'_> {
        Box::pin(async {})
    }
}

/// A run's environment for a profile, later.
pub type EnvPending<'a> = Later<'a, Result<RunEnv, RunEnvError>>;

/// An agent CLI's sign-in flows (`grove/auth/login`, `loginInput`, `loginCancel`): its own, and
/// Grove's own into a profile where it has one. Progress and completion carry the agent's id.
pub trait SignIns: Send + Sync {
    /// Starts one; `params.profile` names Grove's own sign-in into that profile.
    fn start(
        &self,
        params: crate::protocol::AuthLoginParams,
    ) -> Pending<'_, crate::protocol::AuthLoginResult>;
    /// Whether `login_id` is one of its sign-ins.
    fn owns(&self, _login_id: &str) -> bool {
        false
    }
    /// A pasted code or address.
    fn input(&self, login_id: &str, code: &str) -> crate::error::Result<()>;
    fn cancel(&self, login_id: &str) -> crate::error::Result<()>;
}

/// What one attempt of a run is started with.
pub struct Launch<'a> {
    /// The binary, as found.
    pub program: &'a Path,
    /// The worktree.
    pub cwd: &'a Path,
    pub model: Option<&'a str>,
    /// Grove's permission mode (`default`, `acceptEdits`, `plan`, `bypassPermissions`).
    pub mode: Option<&'a str>,
    /// The session to continue; else a new one.
    pub resume: Option<&'a str>,
    /// A fresh v4 UUID, for a CLI that takes a new session's id.
    pub new_session: &'a str,
}

/// How the prompt reaches the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptChannel {
    /// Written to stdin, which is then closed.
    Stdin,
    /// The interactive channel (JSON lines both ways: the prompt, answers, messages, interrupts).
    Interactive,
}

/// What one line of a CLI's output says, as its adapter reads it.
#[derive(Debug, Default)]
pub struct LineRead {
    pub events: Vec<AgentEvent>,
    /// Events already serialized (a fast path); when set, `events` is empty.
    pub serialized: Option<Vec<Vec<u8>>>,
    pub is_json: bool,
    /// The line shows the credential failed: the run stops at once, in `authRequired`.
    pub auth_failure: Option<String>,
    /// The model answered: the CLI saved the session.
    pub resumable: bool,
}

pub trait AgentAdapter: Send + Sync {
    /// Its id on the wire (`grove/agent/start`'s `agent`).
    fn id(&self) -> &'static str;
    /// Its name for people.
    fn label(&self) -> &'static str;
    /// Its binary, the setting that points at it, how to install it.
    fn binary(&self) -> &'static Named;
    fn capabilities(&self) -> AgentCapabilities;
    /// How its own sign-in can be done.
    fn sign_in_methods(&self) -> &'static [SignInMethod];
    /// The providers whose profiles it runs with.
    fn providers(&self) -> &'static [&'static str];
    /// The profile of its own sign-in (`<provider>:<name>`).
    fn own_profile(&self) -> &'static str;
    /// Its providers for people, in the Account view's order.
    fn provider_info(&self) -> Vec<AgentProvider>;
    /// The kinds of profile "Add Profile" offers for it.
    fn profile_kinds(&self) -> Vec<ProfileKind>;
    /// Model aliases offered for its profiles that are not endpoints; `None`: its default only.
    fn models(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// The command line of one attempt (environment and directory are set by the pipeline).
    fn command(&self, launch: &Launch) -> Command;
    /// How the prompt reaches it.
    fn prompt_channel(&self) -> PromptChannel {
        PromptChannel::Stdin
    }
    /// One line of its stdout.
    fn read_line(&self, line: &str) -> LineRead;
    /// An authentication failure a stderr line shows.
    fn stderr_auth_failure(&self, _line: &str) -> Option<String> {
        None
    }
    /// Whether a line is the CLI's word that it cannot resume the session it was given (a new
    /// session follows, once).
    fn resume_failed(&self, _is_stderr: bool, _line: &str) -> bool {
        false
    }
    /// What the run's error says when its usage limit was reached.
    fn limit_reached(&self) -> String {
        format!("{}'s usage limit was reached.", self.label())
    }
    /// Whether an inherited variable carries its credentials (or makes it think it runs inside
    /// itself): such a variable reaches no child Grove starts, git and its hooks included.
    fn strips(&self, _name: &str, _value: &std::ffi::OsStr) -> bool {
        false
    }
    /// Where it keeps its own credentials (temporary copies left by a killed write are swept
    /// there at start).
    fn credential_dirs(&self) -> Vec<std::path::PathBuf> {
        Vec::new()
    }
    /// The command line of its own interactive sign-in, for the editor to run in a terminal
    /// (`program`: its binary, as found); `None`: it has none.
    fn terminal_sign_in(&self, _program: &Path) -> Option<Vec<String>> {
        None
    }
    /// Its sign-in flows, built once per sidecar; `None`: it signs in only in a terminal.
    fn sign_ins(&self, _services: &Services) -> Option<std::sync::Arc<dyn SignIns>> {
        None
    }
    /// Tidies the worktree after the process ended.
    fn after_run(&self, _cwd: &Path) {}
    /// Its version, when it is better read from its files than asked with `--version` (which
    /// would run it); `None`: asked.
    fn version_from_files(&self, _program: &Path) -> Option<Option<String>> {
        None
    }
    /// Whether it may wait forever, printing nothing, on a model server that does not answer:
    /// its run is stopped after `agentStallSeconds` without a line.
    fn may_stall(&self) -> bool {
        false
    }
    /// Folders in a worktree where a change can make commands run later (its own settings): a
    /// permission request that writes there is never allowed for the session.
    fn protected_paths(&self) -> &'static [&'static str] {
        &[]
    }

    // Its profiles.

    /// Its own sign-in's status; `None`: always there, `static`.
    fn own_sign_in(&self, _cx: &OwnCx) -> Option<std::sync::Arc<dyn OwnSignIn>> {
        None
    }
    /// Variables that hold an API key for one of its profile kinds (`(variable, kind id)`): none
    /// reaches a child (`strips`), and the user is offered to add one found in the sidecar's
    /// environment as a profile.
    fn inherited_keys(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// What to do instead of removing its own sign-in's profile.
    fn sign_out_hint(&self) -> String {
        format!("sign out in {} itself instead.", self.label())
    }
    /// A secret pasted for a profile of `provider` and `kind` it runs with, checked and cleaned;
    /// `None`: the generic check (an API key's shape, an endpoint's optional key).
    fn take_secret(
        &self,
        _provider: &str,
        _kind: ProfileType,
        _pasted: &str,
    ) -> Option<crate::error::Result<String>> {
        None
    }
    /// The variables a run of it gets for profile `id`: `cred` is the stored credential, read
    /// afresh; `None` for its own sign-in.
    fn run_env<'a>(
        &'a self,
        _profiles: &'a crate::profiles::Profiles,
        _id: &'a str,
        _cred: Option<Credential>,
        _model: Option<&'a str>,
    ) -> EnvPending<'a> {
        Box::pin(async { Ok(RunEnv::default()) })
    }
    /// `grove/profiles/check` of a profile of one of its providers.
    fn check_profile<'a>(
        &'a self,
        _profiles: &'a crate::profiles::Profiles,
        _cli: &'a crate::cli::Cli,
        p: &'a Profile,
    ) -> Pending<'a, ProfileCheckResult> {
        let message = format!("{} has no check for {}.", self.label(), p.id);
        Box::pin(async move { Ok(ProfileCheckResult { ok: false, message }) })
    }
    /// After a run with profile `id` (of any provider): what the CLI changed of it meanwhile,
    /// taken back.
    fn after_profile_run<'a>(
        &'a self,
        _profiles: &'a crate::profiles::Profiles,
        _id: &'a str,
    ) -> Later<'a> {
        Box::pin(async {})
    }
    /// Profile `id` was removed (`removed`: what was stored; `others`: every id still there):
    /// what it kept for that profile goes too. Called off the runtime, for every profile.
    fn profile_removed(
        &self,
        _state_dir: &Path,
        _id: &str,
        _others: &[String],
        _removed: Option<&Credential>,
    ) {
    }
}

/// A provider's line of `provider_info`.
pub fn provider(id: &str, label: &str, icon: &str) -> AgentProvider {
    AgentProvider {
        id: id.into(),
        label: label.into(),
        icon: icon.into(),
    }
}
