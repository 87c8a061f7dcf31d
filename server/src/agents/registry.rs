//! The one place that lists the agent CLIs Grove runs, and what the editor is told of them
//! (`grove/agents/list`, `grove/agents/changed`): found or not (where, which version), signed in
//! or not, what each can do. Told again when a setting, a profile or the machine changes it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::adapter::AgentAdapter;
use crate::cli::Cli;
use crate::notifier::Notifier;
use crate::profiles::Profiles;
use crate::protocol::{
    AgentCli, AgentSignIn, AgentsChanged, AgentsList, ProfileStatus, ProfilesList,
};

// Each agent CLI's folder, beside this file.
#[path = "claude/mod.rs"]
pub mod claude;
#[path = "codex/mod.rs"]
pub mod codex;
#[path = "gemini/mod.rs"]
pub mod gemini;
#[path = "opencode/mod.rs"]
pub mod opencode;
#[path = "script/mod.rs"]
mod script;

/// Every agent CLI Grove knows, the default (Claude Code) first.
static ADAPTERS: &[&dyn AgentAdapter] = &[
    &claude::ClaudeCode,
    &codex::adapter::Codex,
    &gemini::Gemini,
    &opencode::Opencode,
];

/// The same, with the tests' script agent (`GROVE_TEST_SCRIPT_AGENT=1`, for tests only).
static WITH_SCRIPT: &[&dyn AgentAdapter] = &[
    &claude::ClaudeCode,
    &codex::adapter::Codex,
    &gemini::Gemini,
    &opencode::Opencode,
    &script::ScriptAgent,
];

/// The default agent CLI's own sign-in status, which `grove/auth/status` and
/// `grove/auth/validate` answer (the first contract was made for it).
pub type DefaultSignIn = claude::auth::Auth;
/// The default agent CLI's plan usage (`grove/usage/get`).
pub type DefaultUsage = claude::usage::Usage;
/// The default agent CLI's own credential store, where plugin secrets are kept too.
pub use claude::credentials as default_credentials;
/// `grove/auth/validate`: one minimal request with the default agent CLI's own sign-in.
pub use claude::validate::validate as validate_default;

/// Every agent CLI Grove runs, the default first.
pub fn adapters() -> &'static [&'static dyn AgentAdapter] {
    static SCRIPT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let script = *SCRIPT
        .get_or_init(|| std::env::var_os("GROVE_TEST_SCRIPT_AGENT").is_some_and(|v| v == "1"));
    if script { WITH_SCRIPT } else { ADAPTERS }
}

/// The default agent CLI.
pub fn default_adapter() -> &'static dyn AgentAdapter {
    ADAPTERS[0]
}

/// Whether `id` is an agent CLI's own sign-in profile.
pub fn is_own_profile(id: &str) -> bool {
    adapters().iter().any(|a| a.own_profile() == id)
}

/// How often the machine is looked at again for a CLI installed or removed meanwhile.
const POLL: Duration = Duration::from_secs(10);

/// The adapter that runs profiles of `provider` (the first that lists it).
pub fn for_provider(provider: &str) -> Option<&'static dyn AgentAdapter> {
    adapters()
        .iter()
        .copied()
        .find(|a| a.providers().contains(&provider))
}

/// The agent CLI of a run: its `agent`, else (a run of an earlier sidecar) its provider's, else
/// the default.
pub fn of_run(run: &crate::protocol::Run) -> &'static dyn AgentAdapter {
    run.agent
        .as_deref()
        .and_then(adapter)
        .or_else(|| run.provider.as_deref().and_then(for_provider))
        .unwrap_or(default_adapter())
}

/// The ids of the agents that run profiles of `provider`.
pub fn agents_for_provider(provider: &str) -> Vec<String> {
    adapters()
        .iter()
        .filter(|a| a.providers().contains(&provider))
        .map(|a| a.id().to_string())
        .collect()
}

/// The adapter of `id`.
pub fn adapter(id: &str) -> Option<&'static dyn AgentAdapter> {
    adapters().iter().copied().find(|a| a.id() == id)
}

pub struct AgentRegistry {
    cli: Arc<Cli>,
    profiles: Arc<Profiles>,
    notifier: Notifier,
    /// What the client was last told (or answered).
    last: Mutex<Option<Vec<AgentCli>>>,
    /// One refresh at a time, so two never tell the client out of order.
    refreshing: tokio::sync::Mutex<()>,
}

impl AgentRegistry {
    pub fn new(cli: Arc<Cli>, profiles: Arc<Profiles>, notifier: Notifier) -> Self {
        Self {
            cli,
            profiles,
            notifier,
            last: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// `grove/agents/list`: as the machine and the profiles are now.
    pub async fn list(&self) -> AgentsList {
        let _one = self.refreshing.lock().await;
        let agents = self.compute().await;
        *self.last.lock().unwrap() = Some(agents.clone());
        AgentsList { agents }
    }

    /// Looks again; tells `grove/agents/changed` when anything differs from what the client
    /// knows.
    pub async fn refresh(&self) {
        let _one = self.refreshing.lock().await;
        let agents = self.compute().await;
        let changed = {
            let mut last = self.last.lock().unwrap();
            let changed = last.as_ref().is_some_and(|l| *l != agents);
            *last = Some(agents.clone());
            changed
        };
        if changed {
            tracing::info!("the agent CLIs changed");
            self.notifier
                .notify::<AgentsChanged>(&AgentsList { agents })
                .await;
        }
    }

    /// Looks again every `POLL`, for as long as the sidecar runs.
    pub fn start(self: &Arc<Self>) {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                this.refresh().await;
                tokio::time::sleep(POLL).await;
            }
        });
    }

    async fn compute(&self) -> Vec<AgentCli> {
        let profiles = match self.profiles.last_listing().await {
            Some(l) => Some(l),
            None => self.profiles.list().await.ok(),
        };
        let mut agents = Vec::with_capacity(adapters().len());
        for a in adapters() {
            let binary = a.binary();
            let path = self.cli.find(binary).await.ok();
            let version = match &path {
                Some(p) => match a.version_from_files(p) {
                    Some(read) => read,
                    None => self.cli.version(p).await,
                },
                None => None,
            };
            let found = path.is_some();
            let mut signed = sign_in(*a, found, profiles.as_ref());
            signed.terminal = path.as_deref().and_then(|p| a.terminal_sign_in(p));
            agents.push(AgentCli {
                id: a.id().into(),
                label: a.label().into(),
                found,
                path: path.map(|p| p.display().to_string()),
                version,
                install_hint: format!(
                    "Install it ({}) or set grove.{} to its path.",
                    binary.install, binary.setting
                ),
                setting: binary.setting.into(),
                capabilities: a.capabilities(),
                sign_in: signed,
                providers: a.providers().iter().map(|p| p.to_string()).collect(),
                models: a
                    .models()
                    .map(|m| m.iter().map(|s| s.to_string()).collect()),
                own_profile: a.own_profile().into(),
                provider_info: a.provider_info(),
                profile_kinds: a.profile_kinds(),
            });
        }
        agents
    }
}

/// The CLI's own sign-in, as its profile says.
fn sign_in(a: &dyn AgentAdapter, found: bool, profiles: Option<&ProfilesList>) -> AgentSignIn {
    let own = profiles.and_then(|l| l.profiles.iter().find(|p| p.id == a.own_profile()));
    let status = match (found, own.map(|p| p.status)) {
        (false, _) | (true, None) => "unknown",
        (true, Some(ProfileStatus::Ok | ProfileStatus::Expiring | ProfileStatus::Static))
        | (true, Some(ProfileStatus::Cooldown)) => "signedIn",
        (true, Some(ProfileStatus::Checking)) => "checking",
        (true, Some(_)) => "signedOut",
    };
    AgentSignIn {
        status: status.into(),
        account: own
            .filter(|_| status == "signedIn")
            .and_then(|p| p.detail.clone()),
        methods: a.sign_in_methods().to_vec(),
        terminal: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_each_names_its_own_binary_and_profile() {
        let ids: std::collections::HashSet<_> = WITH_SCRIPT.iter().map(|a| a.id()).collect();
        assert_eq!(ids.len(), WITH_SCRIPT.len());
        for a in WITH_SCRIPT {
            let listed = adapters().iter().any(|x| x.id() == a.id());
            assert_eq!(adapter(a.id()).is_some(), listed);
            assert!(a.own_profile().contains(':'));
            assert!(!a.providers().is_empty());
            assert!(a.binary().setting.ends_with("Path"));
        }
        assert_eq!(ADAPTERS[0].id(), "claude", "the default first");
        let kinds: Vec<_> = WITH_SCRIPT.iter().flat_map(|a| a.profile_kinds()).collect();
        let ids: std::collections::HashSet<_> = kinds.iter().map(|k| k.id.clone()).collect();
        assert_eq!(ids.len(), kinds.len(), "kind ids are unique");
        for a in WITH_SCRIPT {
            let named: Vec<_> = a.provider_info().into_iter().map(|p| p.id).collect();
            assert_eq!(
                named,
                a.providers(),
                "{}: every provider named, in order",
                a.id()
            );
            for k in a.profile_kinds() {
                assert!(a.providers().contains(&k.provider.as_str()), "{}", k.id);
            }
        }
    }
}
