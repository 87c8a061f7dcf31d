//! Gemini CLI (`gemini`, Google's) as an agent adapter: a headless run with stream-json output
//! and an explicit model (never "auto", which makes a request the user did not ask for), the
//! prompt on stdin, resume by session id; no permission channel, so a run allowed to edit uses the
//! CLI's edit-approving mode inside its worktree.

pub mod events;
pub mod kinds;
pub mod profiles;

use std::path::Path;

use tokio::process::Command;

use crate::agents::adapter::{AgentAdapter, Launch, LineRead};
use crate::cli::Named;
use crate::protocol::{AgentCapabilities, AgentProvider, CostKind, ProfileKind, SignInMethod};

pub struct Gemini;

/// The CLI's own "Sign in with Google", listed when the CLI is installed.
pub const OWN_PROFILE: &str = "google:gemini-cli";

/// The gemini binary, its setting, how to install it.
pub static BINARY: Named = Named {
    name: "gemini",
    setting: "geminiPath",
    install: "npm install -g @google/gemini-cli",
    usual: &[],
};

/// Variables that carry a Google credential into a child: none reaches a process Grove starts.
const STRIPPED_ENV: &[&str] = &["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_API_KEY"];

/// The models offered; the first runs when none is chosen.
const MODELS: &[&str] = &["gemini-2.5-pro", "gemini-2.5-flash"];

/// The version in the `package.json` of the npm package the binary belongs to.
fn package_version(program: &Path) -> Option<String> {
    let real = std::fs::canonicalize(program).ok()?;
    real.ancestors().skip(1).take(6).find_map(|dir| {
        let bytes = crate::store::read_regular(&dir.join("package.json"), 256 * 1024)?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        (v["name"] == "@google/gemini-cli")
            .then(|| v["version"].as_str())
            .flatten()
            .filter(|s| s.len() <= 64 && s.chars().all(|c| c.is_ascii_graphic()))
            .map(str::to_owned)
    })
}

/// The CLI's approval mode for a Grove permission mode (documented in docs/protocol.md): `plan`
/// reads only (a headless run in the default mode has no tool that writes), `bypassPermissions`
/// approves everything, anything else approves edits.
fn approval_mode(mode: Option<&str>) -> &'static str {
    match mode {
        Some("plan") => "default",
        Some("bypassPermissions") => "yolo",
        _ => "auto_edit",
    }
}

impl AgentAdapter for Gemini {
    fn id(&self) -> &'static str {
        "gemini"
    }

    fn label(&self) -> &'static str {
        "Gemini CLI"
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
        // "Sign in with Google" is the CLI's interactive flow, in a terminal; or an API key.
        &[SignInMethod::Terminal, SignInMethod::ApiKey]
    }

    fn providers(&self) -> &'static [&'static str] {
        &[kinds::GOOGLE]
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

    fn models(&self) -> Option<&'static [&'static str]> {
        Some(MODELS)
    }

    fn command(&self, l: &Launch) -> Command {
        let mut cmd = crate::process::command(l.program);
        cmd.arg("-m")
            .arg(l.model.unwrap_or(MODELS[0]))
            .args(["--output-format", "stream-json", "--approval-mode"])
            .arg(approval_mode(l.mode));
        if let Some(session) = l.resume {
            cmd.arg("--resume").arg(session);
        }
        cmd
    }

    fn read_line(&self, line: &str) -> LineRead {
        let (json, events) = events::events(line);
        LineRead {
            events,
            serialized: None,
            is_json: json.is_some(),
            auth_failure: json.as_ref().and_then(events::classify),
            resumable: json.as_ref().is_some_and(|j| {
                (j["type"] == "message" && j["role"] == "assistant")
                    || (j["type"] == "result" && j["status"] == "success")
            }),
        }
    }

    fn stderr_auth_failure(&self, line: &str) -> Option<String> {
        events::classify_text(line)
    }

    fn strips(&self, name: &str, _value: &std::ffi::OsStr) -> bool {
        STRIPPED_ENV.contains(&name)
    }

    fn protected_paths(&self) -> &'static [&'static str] {
        &[".gemini"]
    }

    fn own_sign_in(
        &self,
        cx: &crate::agents::adapter::OwnCx,
    ) -> Option<std::sync::Arc<dyn crate::agents::adapter::OwnSignIn>> {
        Some(std::sync::Arc::new(profiles::CliSignIn::new(
            cx.cli.clone(),
        )))
    }

    fn terminal_sign_in(&self, program: &Path) -> Option<Vec<String>> {
        // Its first start asks how to sign in; "Sign in with Google" opens the browser.
        Some(vec![program.display().to_string()])
    }

    fn version_from_files(&self, program: &Path) -> Option<Option<String>> {
        // `gemini --version` sets up its folders in the user's `~/.gemini` and leaves temporary
        // files there: the version is read from its package instead.
        Some(package_version(program))
    }

    fn inherited_keys(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("GEMINI_API_KEY", "geminiKey"),
            ("GOOGLE_API_KEY", "geminiKey"),
        ]
    }

    fn sign_out_hint(&self) -> String {
        "sign out in the Gemini CLI itself (`/auth` in `gemini`) instead.".into()
    }

    fn run_env<'a>(
        &'a self,
        profiles: &'a crate::profiles::Profiles,
        id: &'a str,
        cred: Option<crate::profiles::store::Credential>,
        _model: Option<&'a str>,
    ) -> crate::agents::adapter::EnvPending<'a> {
        Box::pin(profiles::run_env(profiles, id, cred))
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
