//! Claude Code (the `claude` CLI) as an agent adapter: its binary, what it can do (every
//! interactive control, cost in money), its sign-in methods and the providers it runs with.

pub mod kinds;

use super::adapter::AgentAdapter;
use crate::cli::{CLAUDE, Named};
use crate::profiles::CLI_ID;
use crate::protocol::{AgentCapabilities, AgentProvider, CostKind, ProfileKind, SignInMethod};

pub struct ClaudeCode;

impl AgentAdapter for ClaudeCode {
    fn id(&self) -> &'static str {
        "claude"
    }

    fn label(&self) -> &'static str {
        "Claude Code"
    }

    fn binary(&self) -> &'static Named {
        &CLAUDE
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
        CLI_ID
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
}
