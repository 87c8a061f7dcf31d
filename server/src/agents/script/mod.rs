//! The tests' script agent: any executable that reads the prompt on stdin and prints Grove's own
//! events (`AgentEvent` as JSON, one per line) runs through the whole pipeline as an agent CLI.
//! Listed only when `GROVE_TEST_SCRIPT_AGENT=1`; it proves a CLI is added by a folder and a line
//! in the registry.

use tokio::process::Command;

use crate::agents::adapter::{AgentAdapter, Launch, LineRead, provider};
use crate::cli::Named;
use crate::protocol::{
    AgentCapabilities, AgentEvent, AgentProvider, CostKind, ProfileKind, SignInMethod,
};

static BINARY: Named = Named {
    name: "grove-script-agent",
    setting: "scriptAgentPath",
    install: "a test writes it",
    usual: &[],
};

pub struct ScriptAgent;

impl AgentAdapter for ScriptAgent {
    fn id(&self) -> &'static str {
        "script"
    }

    fn label(&self) -> &'static str {
        "Script agent"
    }

    fn binary(&self) -> &'static Named {
        &BINARY
    }

    fn capabilities(&self) -> AgentCapabilities {
        AgentCapabilities {
            resume: false,
            permissions: false,
            questions: false,
            steer: false,
            interrupt: false,
            cost: CostKind::None,
        }
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[]
    }

    fn providers(&self) -> &'static [&'static str] {
        &["script"]
    }

    fn own_profile(&self) -> &'static str {
        "script:script-cli"
    }

    fn provider_info(&self) -> Vec<AgentProvider> {
        vec![provider("script", "Script", "beaker")]
    }

    fn profile_kinds(&self) -> Vec<ProfileKind> {
        Vec::new()
    }

    fn command(&self, l: &Launch) -> Command {
        let mut cmd = crate::process::command(l.program);
        if let Some(m) = l.model {
            cmd.arg(format!("--model={m}"));
        }
        cmd
    }

    fn read_line(&self, line: &str) -> LineRead {
        let parsed = serde_json::from_str::<AgentEvent>(line);
        let is_json = parsed.is_ok();
        let event = parsed.unwrap_or_else(|_| AgentEvent::Other {
            kind: "output".into(),
            line: Some(line.to_string()),
        });
        let auth_failure = match &event {
            AgentEvent::Result {
                is_error: true,
                text: Some(t),
                ..
            } if t.starts_with("401") => Some(t.clone()),
            _ => None,
        };
        LineRead {
            events: vec![event],
            is_json,
            auth_failure,
            ..LineRead::default()
        }
    }
}
