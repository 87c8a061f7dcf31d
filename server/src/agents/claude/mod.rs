//! Claude Code (the `claude` CLI) as an agent adapter: its binary, what it can do (every
//! interactive control, cost in money), its sign-in methods and the providers it runs with.

pub mod auth;
pub mod auth_failure;
pub mod credentials;
pub mod events;
pub mod kinds;
pub mod login;
pub mod paths;
pub mod profiles;
pub mod usage;
pub mod validate;

use tokio::process::Command;

use self::auth_failure::{classify_event, classify_text};
use crate::agents::adapter::{AgentAdapter, Launch, LineRead, PromptChannel};
use crate::cli::Named;
use crate::protocol::{AgentCapabilities, AgentProvider, CostKind, ProfileKind, SignInMethod};

pub struct ClaudeCode;

/// The claude binary, its setting, how to install it.
pub static BINARY: Named = Named {
    name: "claude",
    setting: "claudePath",
    install: "npm install -g @anthropic-ai/claude-code",
    usual: &[".claude/local"],
};

/// Variables that carry a subscription or session token into a child, or make the CLI think it
/// runs inside another Claude Code. None of them reaches a process Grove starts.
pub const STRIPPED_ENV: &[&str] = &[
    "CLAUDE_CODE_OAUTH_TOKEN",
    "CLAUDE_CODE_OAUTH_REFRESH_TOKEN",
    "CLAUDE_CODE_OAUTH_SCOPES",
    "CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR",
    "CLAUDE_CODE_SESSION_ACCESS_TOKEN",
    "CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR",
    "CLAUDE_CODE_WEBSOCKET_AUTH_FILE_DESCRIPTOR",
    "CLAUDE_CODE_ENTRYPOINT",
    "CLAUDE_BRIDGE_OAUTH_TOKEN",
    "CLAUDE_SESSION_INGRESS_TOKEN_FILE",
    "CLAUDE_TRUSTED_DEVICE_TOKEN",
    "CLAUDECODE",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_UNIX_SOCKET",
    "ANTHROPIC_FOUNDRY_API_KEY",
    "AWS_BEARER_TOKEN_BEDROCK",
];

/// `ANTHROPIC_API_KEY` passes only when it holds a real API key.
const API_KEY_VAR: &str = "ANTHROPIC_API_KEY";
const API_KEY_PREFIX: &str = "sk-ant-api";

impl AgentAdapter for ClaudeCode {
    fn id(&self) -> &'static str {
        "claude"
    }

    fn label(&self) -> &'static str {
        "Claude Code"
    }

    fn binary(&self) -> &'static Named {
        &BINARY
    }

    fn capabilities(&self) -> AgentCapabilities {
        AgentCapabilities {
            resume: true,
            permissions: true,
            questions: true,
            steer: true,
            interrupt: true,
            cost: CostKind::Money,
        }
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        // `claude auth login`: a browser, or its code pasted back on a remote machine.
        &[SignInMethod::Browser, SignInMethod::Paste]
    }

    fn providers(&self) -> &'static [&'static str] {
        &["anthropic", "ollama", "lmstudio", "anthropic-compatible"]
    }

    fn own_profile(&self) -> &'static str {
        profiles::OWN_PROFILE
    }

    fn provider_info(&self) -> Vec<AgentProvider> {
        kinds::providers()
    }

    fn profile_kinds(&self) -> Vec<ProfileKind> {
        kinds::kinds()
    }

    fn models(&self) -> Option<&'static [&'static str]> {
        Some(&["sonnet", "opus", "haiku"])
    }

    fn command(&self, l: &Launch) -> Command {
        let mut cmd = crate::cli::command(l.program);
        // Partial messages: the answer's text streams to the panel as it is written.
        // The interactive channel: the prompt, answers and messages as JSON lines on stdin;
        // permission requests, questions and plans as control requests on stdout.
        cmd.args([
            "-p",
            "--input-format",
            "stream-json",
            "--output-format",
            "stream-json",
            "--verbose",
            "--include-partial-messages",
            "--permission-prompt-tool",
            "stdio",
        ]);
        if let Some(m) = l.model {
            cmd.arg(format!("--model={m}"));
        }
        if let Some(m) = l.mode {
            cmd.arg(format!("--permission-mode={m}"));
        }
        match l.resume {
            Some(session) => cmd.arg(format!("--resume={session}")),
            None => cmd.arg(format!("--session-id={}", l.new_session)),
        };
        cmd
    }

    fn prompt_channel(&self) -> PromptChannel {
        PromptChannel::Interactive
    }

    fn read_line(&self, line: &str) -> LineRead {
        if let Some(serialized) = events::fast(line) {
            // An assistant message or a piece of one: the model answered.
            return LineRead {
                resumable: !serialized.is_empty(),
                serialized: Some(serialized),
                is_json: true,
                ..LineRead::default()
            };
        }
        let (json, events) = events::from_line(line);
        LineRead {
            events,
            serialized: None,
            resumable: json.as_ref().is_some_and(|j| {
                (j["type"] == "assistant" && j.get("error").is_none())
                    || (j["type"] == "result" && j["is_error"] == false)
            }),
            auth_failure: json.as_ref().and_then(classify_event),
            is_json: json.is_some(),
        }
    }

    fn stderr_auth_failure(&self, line: &str) -> Option<String> {
        classify_text(line)
    }

    fn resume_failed(&self, is_stderr: bool, line: &str) -> bool {
        no_conversation(is_stderr, line)
    }

    fn strips(&self, name: &str, value: &std::ffi::OsStr) -> bool {
        STRIPPED_ENV.contains(&name)
            || (name == API_KEY_VAR
                && !value
                    .to_str()
                    .is_some_and(|v| v.starts_with(API_KEY_PREFIX)))
    }

    fn sign_ins(
        &self,
        s: &crate::agents::adapter::Services,
    ) -> Option<std::sync::Arc<dyn crate::agents::adapter::SignIns>> {
        let logins = login::Logins::new(s.notifier.clone(), s.cli.clone(), s.auth.clone());
        Some(std::sync::Arc::new(std::sync::Arc::new(logins)))
    }

    fn credential_dirs(&self) -> Vec<std::path::PathBuf> {
        paths::claude_config_dir().into_iter().collect()
    }

    fn limit_reached(&self) -> String {
        "Claude's usage limit was reached.".into()
    }

    fn protected_paths(&self) -> &'static [&'static str] {
        &[".claude"]
    }

    fn own_sign_in(
        &self,
        cx: &crate::agents::adapter::OwnCx,
    ) -> Option<std::sync::Arc<dyn crate::agents::adapter::OwnSignIn>> {
        Some(cx.default_sign_in.clone())
    }

    fn sign_out_hint(&self) -> String {
        "sign out with `claude auth logout` instead.".into()
    }

    fn take_secret(
        &self,
        provider: &str,
        kind: crate::protocol::ProfileType,
        pasted: &str,
    ) -> Option<crate::error::Result<String>> {
        profiles::take_secret(provider, kind, pasted)
    }

    fn run_env<'a>(
        &'a self,
        _profiles: &'a crate::profiles::Profiles,
        _id: &'a str,
        cred: Option<crate::profiles::store::Credential>,
        model: Option<&'a str>,
    ) -> crate::agents::adapter::EnvPending<'a> {
        let env = cred
            .map(|c| profiles::run_env(&c, model))
            .unwrap_or_default();
        Box::pin(async move { Ok(env) })
    }

    fn check_profile<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        cli: &'a crate::cli::Cli,
        p: &'a crate::protocol::Profile,
    ) -> crate::agents::adapter::Pending<'a, crate::protocol::ProfileCheckResult> {
        Box::pin(profiles::check(self, profiles, cli, p))
    }
}

/// What the claude CLI says when it has no conversation for `--resume`.
const NO_CONVERSATION: &str = "No conversation found with session ID";

/// Whether a line is the CLI's word that it has no conversation to resume: its stderr line, or
/// a failed result that lists it among its errors (never text the agent wrote or read).
pub fn no_conversation(is_stderr: bool, line: &str) -> bool {
    if is_stderr {
        return line.starts_with(NO_CONVERSATION);
    }
    line.contains(NO_CONVERSATION)
        && serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| {
            v["type"] == "result"
                && v["is_error"] == true
                && v["errors"].as_array().is_some_and(|errors| {
                    errors
                        .iter()
                        .any(|e| e.as_str().is_some_and(|e| e.starts_with(NO_CONVERSATION)))
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::env_allowed;
    use std::ffi::OsStr;

    #[test]
    fn strips_every_listed_token_variable() {
        for name in STRIPPED_ENV.iter().chain(crate::process::GH_ENV) {
            assert!(
                !env_allowed(OsStr::new(name), OsStr::new("sk-ant-oat01-secret")),
                "{name}"
            );
        }
        assert!(env_allowed(OsStr::new("PATH"), OsStr::new("/usr/bin")));
        assert!(env_allowed(
            OsStr::new("ANTHROPIC_BASE_URL"),
            OsStr::new("http://127.0.0.1:1")
        ));
    }

    #[test]
    fn api_key_passes_only_when_it_is_a_real_api_key() {
        let k = OsStr::new(API_KEY_VAR);
        assert!(env_allowed(k, OsStr::new("sk-ant-api03-abc")));
        assert!(!env_allowed(k, OsStr::new("sk-ant-oat01-abc")));
        assert!(!env_allowed(k, OsStr::new("")));
    }
}
