//! opencode (`opencode run --format json`) as an agent adapter: a full agent with tools for any
//! OpenAI-compatible model server (a gateway, Ollama, LM Studio, OpenAI with an API key), its
//! provider the run's profile; the prompt on stdin, resume by session id; no permission channel;
//! its run stopped when the server leaves it waiting (it retries forever, printing nothing).

pub mod events;
pub mod kinds;
pub mod profiles;

use std::path::Path;

use tokio::process::Command;

use crate::agents::adapter::{AgentAdapter, Launch, LineRead};
use crate::cli::Named;
use crate::protocol::{AgentCapabilities, AgentProvider, CostKind, ProfileKind, SignInMethod};

pub struct Opencode;

/// opencode's own configuration and sign-ins, as the user's own runs use them.
pub const OWN_PROFILE: &str = "opencode:opencode-cli";

/// The opencode binary, its setting, how to install it.
pub static BINARY: Named = Named {
    name: "opencode",
    setting: "opencodePath",
    install: "npm install -g opencode-ai",
    usual: &[".opencode/bin"],
};

impl AgentAdapter for Opencode {
    fn id(&self) -> &'static str {
        "opencode"
    }

    fn label(&self) -> &'static str {
        "opencode"
    }

    fn binary(&self) -> &'static Named {
        &BINARY
    }

    fn capabilities(&self) -> AgentCapabilities {
        AgentCapabilities {
            resume: true,
            permissions: false,
            questions: false,
            steer: false,
            interrupt: false,
            cost: CostKind::Tokens,
        }
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        // Its own providers sign in with `opencode auth login`, in a terminal; or a profile.
        &[SignInMethod::Terminal, SignInMethod::ApiKey]
    }

    fn providers(&self) -> &'static [&'static str] {
        &[
            kinds::COMPATIBLE,
            "ollama",
            "lmstudio",
            "openai",
            "opencode",
        ]
    }

    fn own_profile(&self) -> &'static str {
        OWN_PROFILE
    }

    fn provider_info(&self) -> Vec<AgentProvider> {
        kinds::providers()
    }

    fn profile_kinds(&self) -> Vec<ProfileKind> {
        kinds::kinds()
    }

    fn command(&self, l: &Launch) -> Command {
        let mut cmd = crate::process::command(l.program);
        cmd.args(["run", "--format", "json"]);
        if let Some(session) = l.resume {
            cmd.arg("--session").arg(session);
        }
        // It takes its project from `PWD`, not from the working directory.
        cmd.env("PWD", l.cwd);
        cmd
    }

    fn read_line(&self, line: &str) -> LineRead {
        let (json, events) = events::events(line);
        LineRead {
            events,
            serialized: None,
            is_json: json.is_some(),
            auth_failure: json.as_ref().and_then(events::classify),
            resumable: json
                .as_ref()
                .is_some_and(|j| j["type"] == "text" || j["type"] == "step_finish"),
        }
    }

    fn may_stall(&self) -> bool {
        true
    }

    fn protected_paths(&self) -> &'static [&'static str] {
        &[".opencode", "opencode.json", "opencode.jsonc"]
    }

    fn own_sign_in(
        &self,
        cx: &crate::agents::adapter::OwnCx,
    ) -> Option<std::sync::Arc<dyn crate::agents::adapter::OwnSignIn>> {
        Some(std::sync::Arc::new(profiles::Own::new(cx.cli.clone())))
    }

    fn terminal_sign_in(&self, program: &Path) -> Option<Vec<String>> {
        Some(vec![
            program.display().to_string(),
            "auth".into(),
            "login".into(),
        ])
    }

    fn run_env<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        id: &'a str,
        cred: Option<crate::profiles::store::Credential>,
        model: Option<&'a str>,
    ) -> crate::agents::adapter::EnvPending<'a> {
        Box::pin(profiles::run_env(profiles, id, cred, model))
    }

    fn check_profile<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        _cli: &'a crate::cli::Cli,
        p: &'a crate::protocol::Profile,
    ) -> crate::agents::adapter::Pending<'a, crate::protocol::ProfileCheckResult> {
        Box::pin(profiles::check(profiles, p))
    }

    fn profile_removed(
        &self,
        state_dir: &Path,
        id: &str,
        _others: &[String],
        _removed: Option<&crate::profiles::store::Credential>,
    ) {
        profiles::removed(state_dir, id);
    }
}
