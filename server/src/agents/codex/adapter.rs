//! Codex (the `codex` CLI) as an agent adapter: its binary, what it can do (resume, no
//! permission cards or steering in `codex exec`, cost in tokens), its sign-in methods and the
//! providers it runs with.

use std::path::Path;

use tokio::process::Command;

use crate::agents::adapter::{AgentAdapter, Launch, LineRead};
use crate::cli::Named;
use crate::protocol::{AgentCapabilities, AgentProvider, CostKind, ProfileKind, SignInMethod};

pub struct Codex;

/// The codex CLI's own sign-in, listed when the codex CLI is installed.
pub const OWN_PROFILE: &str = "openai-codex:codex-cli";

/// The codex binary, its setting, how to install it.
pub static BINARY: Named = Named {
    name: "codex",
    setting: "codexPath",
    install: "npm install -g @openai/codex",
    usual: &[],
};

/// Variables that carry an OpenAI credential into a child: none reaches a process Grove starts.
const STRIPPED_ENV: &[&str] = &["CODEX_API_KEY", "CODEX_ACCESS_TOKEN", "OPENAI_API_KEY"];

impl AgentAdapter for Codex {
    fn id(&self) -> &'static str {
        "codex"
    }

    fn label(&self) -> &'static str {
        "Codex"
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
        // `codex login` in a browser or with a device code; Grove's PKCE sign-in for ChatGPT
        // (its callback address pasted on a remote machine); an API key.
        &[
            SignInMethod::Browser,
            SignInMethod::DeviceCode,
            SignInMethod::Paste,
            SignInMethod::ApiKey,
        ]
    }

    fn providers(&self) -> &'static [&'static str] {
        &["openai-codex", "openai"]
    }

    fn own_profile(&self) -> &'static str {
        OWN_PROFILE
    }

    fn provider_info(&self) -> Vec<AgentProvider> {
        super::kinds::providers()
    }

    fn profile_kinds(&self) -> Vec<ProfileKind> {
        super::kinds::kinds()
    }

    fn command(&self, l: &Launch) -> Command {
        // The prompt goes in on stdin.
        super::command(l.program, l.cwd, l.model, l.mode, l.resume)
    }

    fn read_line(&self, line: &str) -> LineRead {
        let (json, events) = super::events(line);
        LineRead {
            events,
            serialized: None,
            resumable: json.as_ref().is_some_and(|j| {
                j["type"] == "turn.completed" || j["item"]["type"] == "agent_message"
            }),
            auth_failure: json.as_ref().and_then(super::classify),
            is_json: json.is_some(),
        }
    }

    fn stderr_auth_failure(&self, line: &str) -> Option<String> {
        super::classify_text(line)
    }

    fn sign_ins(
        &self,
        s: &crate::agents::adapter::Services,
    ) -> Option<std::sync::Arc<dyn crate::agents::adapter::SignIns>> {
        let logins =
            super::login::CodexLogins::new(s.notifier.clone(), s.cli.clone(), s.profiles.clone());
        Some(std::sync::Arc::new(std::sync::Arc::new(logins)))
    }

    fn strips(&self, name: &str, _value: &std::ffi::OsStr) -> bool {
        STRIPPED_ENV.contains(&name)
    }

    fn own_sign_in(
        &self,
        cx: &crate::agents::adapter::OwnCx,
    ) -> Option<std::sync::Arc<dyn crate::agents::adapter::OwnSignIn>> {
        Some(std::sync::Arc::new(super::profiles::CliSignIn::new(
            cx.cli.clone(),
        )))
    }

    fn inherited_keys(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("OPENAI_API_KEY", "openaiKey"),
            ("CODEX_API_KEY", "openaiKey"),
        ]
    }

    fn sign_out_hint(&self) -> String {
        "sign out with `codex logout` instead.".into()
    }

    fn run_env<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        id: &'a str,
        cred: Option<crate::profiles::store::Credential>,
        _model: Option<&'a str>,
    ) -> crate::agents::adapter::EnvPending<'a> {
        match cred {
            Some(cred) => Box::pin(super::profiles::run_env(profiles, id, cred)),
            None => Box::pin(async { Ok(crate::process::RunEnv::default()) }),
        }
    }

    fn check_profile<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        _cli: &'a crate::cli::Cli,
        p: &'a crate::protocol::Profile,
    ) -> crate::agents::adapter::Pending<'a, crate::protocol::ProfileCheckResult> {
        Box::pin(super::profiles::check(profiles, p))
    }

    fn after_profile_run<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        id: &'a str,
    ) -> crate::agents::adapter::Later<'a> {
        Box::pin(super::profiles::after_run(profiles, id))
    }

    fn profile_removed(
        &self,
        state_dir: &Path,
        id: &str,
        others: &[String],
        removed: Option<&crate::profiles::store::Credential>,
    ) {
        super::profiles::removed(state_dir, id, others, removed);
    }

    fn after_run(&self, cwd: &Path) {
        // A killed sandboxed command leaves its empty mount points behind.
        for dir in [".agents", ".aws", ".codex"] {
            let _ = std::fs::remove_dir(cwd.join(dir));
        }
    }
}
