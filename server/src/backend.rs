//! The JSON-RPC layer: the LSP lifecycle, settings, and one line per custom method that hands the
//! call to its feature module. No feature logic lives here.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::request::Request;
use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, InitializeParams, InitializeResult, InitializedParams,
    ServerCapabilities, ServerInfo,
};
use tower_lsp_server::{Client, LanguageServer, LspService, LspServiceBuilder};

use crate::agents::Agents;
use crate::agents::registry::{
    AgentRegistry, DefaultSignIn as Auth, DefaultUsage as Usage, default_credentials,
};
use crate::cli::Cli;
use crate::landing::Landing;
use crate::notifier::Notifier;
use crate::profiles::Profiles;
use crate::protocol::{
    self, AgentCancelRequest, AgentListParams, AgentListRequest, AgentListResult, AgentStartParams,
    AgentStartRequest, AgentTranscript, AgentTranscriptRequest, AgentsList, AgentsListParams,
    AgentsListRequest, AuthLoginCancelParams, AuthLoginCancelRequest, AuthLoginInputParams,
    AuthLoginInputRequest, AuthLoginParams, AuthLoginRequest, AuthLoginResult, AuthStatus,
    AuthStatusParams, AuthStatusRequest, AuthValidateParams, AuthValidateRequest,
    AuthValidateResult, GroveSettings, RepoInfo, RepoInfoParams, RepoInfoRequest, Run, RunIdParams,
    SecretDeleteRequest, SecretGetRequest, SecretKeyParams, SecretKeys, SecretListParams,
    SecretListRequest, SecretSetParams, SecretSetRequest, SecretValue, UsageGetParams,
    UsageGetRequest, UsageResult, Workspace, WorkspaceArchiveParams, WorkspaceArchiveRequest,
    WorkspaceChanges, WorkspaceChangesRequest, WorkspaceCheckNameParams, WorkspaceCheckNameRequest,
    WorkspaceCheckNameResult, WorkspaceCreateParams, WorkspaceCreateRequest, WorkspaceDeleteParams,
    WorkspaceDeleteRequest, WorkspaceFileAtBase, WorkspaceFileAtBaseParams,
    WorkspaceFileAtBaseRequest, WorkspaceIdParams, WorkspaceListParams, WorkspaceListRequest,
    WorkspaceListResult, WorkspaceRestoreRequest,
};
use crate::protocol::{
    AgentInterruptRequest, AgentPending, AgentPendingParams, AgentPendingRequest,
    AgentRespondParams, AgentRespondRequest, AgentSendParams, AgentSendRequest,
    WorkspaceRemoveRuleParams, WorkspaceRemoveRuleRequest, WorkspaceRules, WorkspaceRulesRequest,
};
use crate::protocol::{
    GitStatus, WorkspaceApplyRequest, WorkspaceApplyResult, WorkspaceCommitMessage,
    WorkspaceCommitMessageRequest, WorkspaceCommitParams, WorkspaceCommitRequest,
    WorkspaceCommitResult, WorkspaceCreatePullRequestParams, WorkspaceCreatePullRequestRequest,
    WorkspaceCreatePullRequestResult, WorkspaceGitStatusRequest, WorkspaceMergeParams,
    WorkspaceMergeRequest, WorkspaceMergeResult, WorkspacePushParams, WorkspacePushRequest,
    WorkspacePushResult, WorkspaceResolvePrompt, WorkspaceResolvePromptRequest,
    WorkspaceSyncAbortRequest, WorkspaceSyncContinueRequest, WorkspaceSyncParams,
    WorkspaceSyncRequest, WorkspaceSyncResult,
};
use crate::protocol::{
    ProfileAddParams, ProfileAddRequest, ProfileCheckRequest, ProfileCheckResult, ProfileIdParams,
    ProfileRemoveRequest, ProfileSetOrderParams, ProfileSetOrderRequest, ProfilesDetectParams,
    ProfilesDetectRequest, ProfilesDetected, ProfilesImportParams, ProfilesImportRequest,
    ProfilesImported, ProfilesList, ProfilesListParams, ProfilesListRequest,
    WorkspaceSetProfileParams, WorkspaceSetProfileRequest,
};
use crate::secrets::Secrets;
use crate::workspaces::Workspaces;

pub struct Backend {
    cli: Arc<Cli>,
    auth: Arc<Auth>,
    workspaces: Arc<Workspaces>,
    agents: Arc<Agents>,
    landing: Arc<Landing>,
    usage: Usage,
    secrets: Secrets,
    profiles: Arc<Profiles>,
    /// Each agent's sign-in flows, the default agent's first.
    sign_ins: Vec<(
        &'static dyn crate::agents::adapter::AgentAdapter,
        Arc<dyn crate::agents::adapter::SignIns>,
    )>,
    agent_clis: Arc<AgentRegistry>,
}

/// The service with every Grove method registered. Feature modules report to the client through
/// `notifier`, and keep their files in `state_dir`.
pub fn service(
    notifier: Notifier,
    state_dir: std::path::PathBuf,
) -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    // tower-lsp's own `Client` is not handed to any feature: every notification goes through
    // the one ordered notifier.
    let builder = LspService::build(move |_: Client| {
        let cli = Arc::new(Cli::default());
        let auth = Arc::new(Auth::new(notifier.clone(), cli.clone()));
        let workspaces = Arc::new(Workspaces::new(notifier.clone(), state_dir.clone()));
        let own = crate::agents::adapter::OwnCx {
            cli: cli.clone(),
            default_sign_in: auth.clone(),
        };
        let profiles = Arc::new(Profiles::new(notifier.clone(), &own, state_dir.clone()));
        let services = crate::agents::adapter::Services {
            notifier: notifier.clone(),
            cli: cli.clone(),
            auth: auth.clone(),
            profiles: profiles.clone(),
        };
        let sign_ins = crate::agents::registry::adapters()
            .iter()
            .filter_map(|a| Some((*a, a.sign_ins(&services)?)))
            .collect();
        let notifier_for_landing = notifier.clone();
        let agent_clis = Arc::new(AgentRegistry::new(
            cli.clone(),
            profiles.clone(),
            notifier.clone(),
        ));
        let registry = Arc::downgrade(&agent_clis);
        profiles.set_on_change(Arc::new(move || {
            if let Some(r) = registry.upgrade() {
                tokio::spawn(async move { r.refresh().await });
            }
        }));
        let agents = Arc::new(Agents::new(
            notifier,
            cli.clone(),
            workspaces.clone(),
            profiles.clone(),
            state_dir.clone(),
        ));
        let landing = Landing::new(notifier_for_landing, workspaces.clone());
        wire_landing(&landing, &agents);
        let busy = Arc::downgrade(&agents);
        workspaces.set_busy_check(Arc::new(move |id| {
            busy.upgrade().is_some_and(|a| a.busy(id))
        }));
        let store: Arc<dyn default_credentials::Store> =
            Arc::from(default_credentials::cli_store());
        let usage = Usage::new(auth.clone(), store.clone(), state_dir.clone());
        let secrets = Secrets::new(store, state_dir);
        Backend {
            cli,
            auth,
            workspaces,
            agents,
            landing,
            usage,
            secrets,
            profiles,
            sign_ins,
            agent_clis,
        }
    });
    register(builder).finish()
}

/// Landing asks the agents whether a run is on and what the prompts were, and hears when a run
/// ends.
fn wire_landing(landing: &Arc<Landing>, agents: &Arc<Agents>) {
    let busy = Arc::downgrade(agents);
    landing.set_busy_check(Arc::new(move |id| {
        busy.upgrade().is_some_and(|a| a.busy(id))
    }));
    let runs = Arc::downgrade(agents);
    landing.set_prompts(Arc::new(move |id| {
        let runs = runs.clone();
        Box::pin(async move {
            match runs.upgrade() {
                Some(a) => a
                    .list(Some(id))
                    .await
                    .into_iter()
                    .map(|r| r.prompt)
                    .collect(),
                None => Vec::new(),
            }
        })
    }));
    let ended = Arc::downgrade(landing);
    agents.set_on_end(Arc::new(move |run| {
        if let Some(l) = ended.upgrade() {
            l.run_ended(run);
        }
    }));
}

fn register(b: LspServiceBuilder<Backend>) -> LspServiceBuilder<Backend> {
    b.custom_method(AuthStatusRequest::METHOD, Backend::auth_status)
        .custom_method(AuthValidateRequest::METHOD, Backend::auth_validate)
        .custom_method(AuthLoginRequest::METHOD, Backend::auth_login)
        .custom_method(AuthLoginInputRequest::METHOD, Backend::auth_login_input)
        .custom_method(AuthLoginCancelRequest::METHOD, Backend::auth_login_cancel)
        .custom_method(RepoInfoRequest::METHOD, Backend::repo_info)
        .custom_method(WorkspaceCreateRequest::METHOD, Backend::workspace_create)
        .custom_method(AgentsListRequest::METHOD, Backend::agents_list)
        .custom_method(
            WorkspaceCheckNameRequest::METHOD,
            Backend::workspace_check_name,
        )
        .custom_method(WorkspaceListRequest::METHOD, Backend::workspace_list)
        .custom_method(WorkspaceArchiveRequest::METHOD, Backend::workspace_archive)
        .custom_method(WorkspaceRestoreRequest::METHOD, Backend::workspace_restore)
        .custom_method(WorkspaceDeleteRequest::METHOD, Backend::workspace_delete)
        .custom_method(WorkspaceChangesRequest::METHOD, Backend::workspace_changes)
        .custom_method(
            WorkspaceFileAtBaseRequest::METHOD,
            Backend::workspace_file_at_base,
        )
        .custom_method(AgentStartRequest::METHOD, Backend::agent_start)
        .custom_method(AgentCancelRequest::METHOD, Backend::agent_cancel)
        .custom_method(AgentListRequest::METHOD, Backend::agent_list)
        .custom_method(AgentTranscriptRequest::METHOD, Backend::agent_transcript)
        .custom_method(UsageGetRequest::METHOD, Backend::usage_get)
        .custom_method(SecretSetRequest::METHOD, Backend::secret_set)
        .custom_method(SecretGetRequest::METHOD, Backend::secret_get)
        .custom_method(SecretDeleteRequest::METHOD, Backend::secret_delete)
        .custom_method(SecretListRequest::METHOD, Backend::secret_list)
        .custom_method(ProfilesListRequest::METHOD, Backend::profiles_list)
        .custom_method(ProfileAddRequest::METHOD, Backend::profiles_add)
        .custom_method(ProfileRemoveRequest::METHOD, Backend::profiles_remove)
        .custom_method(ProfileSetOrderRequest::METHOD, Backend::profiles_set_order)
        .custom_method(ProfileCheckRequest::METHOD, Backend::profiles_check)
        .custom_method(ProfilesDetectRequest::METHOD, Backend::profiles_detect)
        .custom_method(ProfilesImportRequest::METHOD, Backend::profiles_import)
        .custom_method(
            protocol::ProfilesInheritedRequest::METHOD,
            Backend::profiles_inherited,
        )
        .custom_method(
            protocol::ProfileAdoptRequest::METHOD,
            Backend::profiles_adopt,
        )
        .custom_method(
            WorkspaceSetProfileRequest::METHOD,
            Backend::workspace_set_profile,
        )
        .custom_method(AgentRespondRequest::METHOD, Backend::agent_respond)
        .custom_method(AgentPendingRequest::METHOD, Backend::agent_pending)
        .custom_method(AgentSendRequest::METHOD, Backend::agent_send)
        .custom_method(AgentInterruptRequest::METHOD, Backend::agent_interrupt)
        .custom_method(WorkspaceRulesRequest::METHOD, Backend::workspace_rules)
        .custom_method(
            WorkspaceRemoveRuleRequest::METHOD,
            Backend::workspace_remove_rule,
        )
        .custom_method(WorkspaceGitStatusRequest::METHOD, Backend::git_status)
        .custom_method(WorkspaceCommitRequest::METHOD, Backend::git_commit)
        .custom_method(
            WorkspaceCommitMessageRequest::METHOD,
            Backend::git_commit_message,
        )
        .custom_method(WorkspaceSyncRequest::METHOD, Backend::git_sync)
        .custom_method(
            WorkspaceSyncContinueRequest::METHOD,
            Backend::git_sync_continue,
        )
        .custom_method(WorkspaceSyncAbortRequest::METHOD, Backend::git_sync_abort)
        .custom_method(
            WorkspaceResolvePromptRequest::METHOD,
            Backend::git_resolve_prompt,
        )
        .custom_method(WorkspaceMergeRequest::METHOD, Backend::git_merge)
        .custom_method(WorkspaceApplyRequest::METHOD, Backend::git_apply)
        .custom_method(WorkspacePushRequest::METHOD, Backend::git_push)
        .custom_method(
            WorkspaceCreatePullRequestRequest::METHOD,
            Backend::git_create_pull_request,
        )
}

/// Settings from the client; a value of the wrong shape is reported and the defaults kept.
fn parse_settings(value: Option<Value>) -> GroveSettings {
    match value {
        None | Some(Value::Null) => GroveSettings::default(),
        Some(v) => serde_json::from_value(v).unwrap_or_else(|e| {
            tracing::warn!("ignoring malformed Grove settings: {e}");
            GroveSettings::default()
        }),
    }
}

impl Backend {
    /// Applies every setting at once, without awaiting anything: tower-lsp starts handlers in
    /// the order their messages came (and runs them concurrently after that), so a request that
    /// follows `workspace/didChangeConfiguration` always sees the new settings.
    fn apply_settings(&self, settings: GroveSettings) -> bool {
        self.workspaces.apply_settings(&settings);
        self.landing.apply_settings(&settings);
        self.agents.set_max_parallel(settings.max_parallel_agents);
        self.agents.set_stall_seconds(settings.agent_stall_seconds);
        self.usage
            .set_enabled(settings.usage_insights.unwrap_or(false));
        let changed = self.cli.set_paths(settings.agent_paths());
        changed
            .iter()
            .any(|s| s == crate::agents::registry::default_adapter().binary().setting)
    }

    async fn auth_status(&self, params: AuthStatusParams) -> Result<AuthStatus> {
        Ok(self.auth.status(params.force).await?)
    }

    async fn auth_validate(&self, _: AuthValidateParams) -> Result<AuthValidateResult> {
        Ok(crate::agents::registry::validate_default(&self.cli, &self.auth).await?)
    }

    async fn auth_login(&self, params: AuthLoginParams) -> Result<AuthLoginResult> {
        // `agent` names the CLI whose sign-in this is; else `provider` (its first provider is the
        // one it signs in to); else the default agent.
        let agent = match (params.agent.as_deref(), params.provider.as_deref()) {
            (Some(id), _) => crate::agents::registry::adapter(id).ok_or_else(|| {
                crate::profiles::refused(
                    "unknownAgent",
                    format!("Grove does not know the agent CLI {id:?}."),
                )
            })?,
            (None, Some(p)) => crate::agents::registry::adapters()
                .iter()
                .copied()
                .find(|a| a.providers().first() == Some(&p))
                .ok_or_else(|| {
                    crate::profiles::input::refused(
                        "unknownProvider",
                        format!("Signing in to {p:?} is not something Grove does: add an API key profile instead."),
                    )
                })?,
            (None, None) => crate::agents::registry::default_adapter(),
        };
        let Some((_, flows)) = self.sign_ins.iter().find(|(a, _)| a.id() == agent.id()) else {
            return Err(crate::profiles::input::refused(
                "noSignIn",
                format!(
                    "{} signs in only in a terminal: run it there.",
                    agent.label()
                ),
            )
            .into());
        };
        Ok(flows.start(params).await?)
    }

    /// The sign-in flows that own `login_id` (else the default agent's, which says it has none).
    fn sign_in_of(&self, login_id: &str) -> Option<&Arc<dyn crate::agents::adapter::SignIns>> {
        let owner = self.sign_ins.iter().find(|(_, f)| f.owns(login_id));
        owner.or(self.sign_ins.first()).map(|(_, f)| f)
    }

    async fn auth_login_input(&self, params: AuthLoginInputParams) -> Result<()> {
        match self.sign_in_of(&params.login_id) {
            Some(f) => Ok(f.input(&params.login_id, &params.code)?),
            None => Ok(()),
        }
    }

    async fn auth_login_cancel(&self, params: AuthLoginCancelParams) -> Result<()> {
        match self.sign_in_of(&params.login_id) {
            Some(f) => Ok(f.cancel(&params.login_id)?),
            None => Ok(()),
        }
    }

    async fn repo_info(&self, params: RepoInfoParams) -> Result<RepoInfo> {
        Ok(crate::workspaces::repo_info(params.path).await?)
    }

    async fn workspace_create(&self, params: WorkspaceCreateParams) -> Result<Workspace> {
        Ok(self.workspaces.create(params).await?)
    }

    async fn agents_list(&self, _: AgentsListParams) -> Result<AgentsList> {
        Ok(self.agent_clis.list().await)
    }

    async fn workspace_check_name(
        &self,
        params: WorkspaceCheckNameParams,
    ) -> Result<WorkspaceCheckNameResult> {
        Ok(self.workspaces.check_name(params).await?)
    }

    async fn workspace_list(&self, params: WorkspaceListParams) -> Result<WorkspaceListResult> {
        let workspaces = self.workspaces.list(params.repo_path).await?;
        Ok(WorkspaceListResult { workspaces })
    }

    async fn workspace_archive(&self, params: WorkspaceArchiveParams) -> Result<Workspace> {
        Ok(self.workspaces.archive(&params.id, params.force).await?)
    }

    async fn workspace_restore(&self, params: WorkspaceIdParams) -> Result<Workspace> {
        Ok(self.workspaces.restore(&params.id).await?)
    }

    async fn workspace_delete(&self, params: WorkspaceDeleteParams) -> Result<()> {
        Ok(self
            .workspaces
            .delete(&params.id, params.delete_branch, params.force)
            .await?)
    }

    async fn workspace_changes(&self, params: WorkspaceIdParams) -> Result<WorkspaceChanges> {
        Ok(self.workspaces.changes(&params.id).await?)
    }

    async fn workspace_file_at_base(
        &self,
        p: WorkspaceFileAtBaseParams,
    ) -> Result<WorkspaceFileAtBase> {
        Ok(self.workspaces.file_at_base(&p.id, &p.path).await?)
    }

    async fn agent_start(&self, params: AgentStartParams) -> Result<Run> {
        Ok(self.agents.start(params).await?)
    }

    async fn agent_cancel(&self, params: RunIdParams) -> Result<()> {
        Ok(self.agents.cancel(&params.run_id).await?)
    }

    async fn agent_list(&self, params: AgentListParams) -> Result<AgentListResult> {
        Ok(AgentListResult {
            runs: self.agents.list(params.workspace_id).await,
        })
    }

    async fn usage_get(&self, params: UsageGetParams) -> Result<UsageResult> {
        Ok(self.usage.get(params.force).await?)
    }

    async fn secret_set(&self, params: SecretSetParams) -> Result<()> {
        Ok(self.secrets.set(params.key, params.value).await?)
    }

    async fn secret_get(&self, params: SecretKeyParams) -> Result<SecretValue> {
        Ok(SecretValue {
            value: self.secrets.get(&params.key).await?,
        })
    }

    async fn secret_delete(&self, params: SecretKeyParams) -> Result<()> {
        Ok(self.secrets.delete(params.key).await?)
    }

    async fn secret_list(&self, _: SecretListParams) -> Result<SecretKeys> {
        Ok(SecretKeys {
            keys: self.secrets.list().await?,
        })
    }

    async fn profiles_list(&self, _: ProfilesListParams) -> Result<ProfilesList> {
        Ok(self.profiles.list().await?)
    }

    async fn profiles_add(&self, params: ProfileAddParams) -> Result<crate::protocol::Profile> {
        Ok(self.profiles.add(params).await?)
    }

    async fn profiles_remove(&self, params: ProfileIdParams) -> Result<()> {
        Ok(self.profiles.remove(params.id).await?)
    }

    async fn profiles_set_order(&self, params: ProfileSetOrderParams) -> Result<()> {
        Ok(self.profiles.set_order(params.provider, params.ids).await?)
    }

    async fn profiles_check(&self, params: ProfileIdParams) -> Result<ProfileCheckResult> {
        Ok(self.profiles.check(&self.cli, params.id).await?)
    }

    async fn profiles_detect(&self, _: ProfilesDetectParams) -> Result<ProfilesDetected> {
        Ok(self.profiles.detect().await?)
    }

    async fn profiles_import(&self, _: ProfilesImportParams) -> Result<ProfilesImported> {
        Ok(self.profiles.import().await?)
    }

    async fn profiles_inherited(
        &self,
        _: protocol::ProfilesInheritedParams,
    ) -> Result<protocol::InheritedKeys> {
        Ok(self.profiles.inherited())
    }

    async fn profiles_adopt(&self, p: protocol::ProfileAdoptParams) -> Result<protocol::Profile> {
        Ok(self.profiles.adopt(&p.variable, p.name).await?)
    }

    async fn workspace_set_profile(&self, p: WorkspaceSetProfileParams) -> Result<Workspace> {
        let profile = p.profile.filter(|id| !id.trim().is_empty());
        if let Some(id) = &profile
            && !self.profiles.exists(id).await?
        {
            return Err(crate::profiles::input::refused(
                "unknownProfile",
                format!("There is no auth profile {id:?}."),
            )
            .into());
        }
        Ok(self.workspaces.set_profile(&p.id, profile).await?)
    }

    async fn agent_respond(&self, params: AgentRespondParams) -> Result<()> {
        Ok(self.agents.respond(params).await?)
    }

    async fn agent_pending(&self, params: AgentPendingParams) -> Result<AgentPending> {
        Ok(AgentPending {
            requests: self.agents.pending(params.workspace_id),
        })
    }

    async fn agent_send(&self, params: AgentSendParams) -> Result<()> {
        Ok(self.agents.send(&params.run_id, params.text).await?)
    }

    async fn agent_interrupt(&self, params: RunIdParams) -> Result<()> {
        Ok(self.agents.interrupt(&params.run_id).await?)
    }

    async fn workspace_rules(&self, params: WorkspaceIdParams) -> Result<WorkspaceRules> {
        Ok(WorkspaceRules {
            rules: self.workspaces.rules(&params.id).await?,
        })
    }

    async fn workspace_remove_rule(&self, p: WorkspaceRemoveRuleParams) -> Result<WorkspaceRules> {
        Ok(WorkspaceRules {
            rules: self.workspaces.remove_rule(&p.id, p.rule).await?,
        })
    }

    async fn git_status(&self, p: WorkspaceIdParams) -> Result<GitStatus> {
        Ok(self.landing.git_status(&p.id).await?)
    }

    async fn git_commit(&self, p: WorkspaceCommitParams) -> Result<WorkspaceCommitResult> {
        Ok(self.landing.commit(&p.id, &p.message).await?)
    }

    async fn git_commit_message(&self, p: WorkspaceIdParams) -> Result<WorkspaceCommitMessage> {
        Ok(self.landing.commit_message(&p.id).await?)
    }

    async fn git_sync(&self, p: WorkspaceSyncParams) -> Result<WorkspaceSyncResult> {
        Ok(self.landing.sync(p).await?)
    }

    async fn git_sync_continue(&self, p: WorkspaceIdParams) -> Result<WorkspaceSyncResult> {
        Ok(self.landing.sync_continue(&p.id).await?)
    }

    async fn git_sync_abort(&self, p: WorkspaceIdParams) -> Result<()> {
        Ok(self.landing.sync_abort(&p.id).await?)
    }

    async fn git_resolve_prompt(&self, p: WorkspaceIdParams) -> Result<WorkspaceResolvePrompt> {
        Ok(self.landing.resolve_prompt(&p.id).await?)
    }

    async fn git_merge(&self, p: WorkspaceMergeParams) -> Result<WorkspaceMergeResult> {
        Ok(self.landing.merge(p).await?)
    }

    async fn git_apply(&self, p: WorkspaceIdParams) -> Result<WorkspaceApplyResult> {
        Ok(self.landing.apply(&p.id).await?)
    }

    async fn git_push(&self, p: WorkspacePushParams) -> Result<WorkspacePushResult> {
        Ok(self.landing.push(p).await?)
    }

    async fn git_create_pull_request(
        &self,
        p: WorkspaceCreatePullRequestParams,
    ) -> Result<WorkspaceCreatePullRequestResult> {
        Ok(self.landing.create_pull_request(p).await?)
    }

    async fn agent_transcript(&self, params: RunIdParams) -> Result<AgentTranscript> {
        Ok(AgentTranscript {
            events: self.agents.transcript(&params.run_id).await?,
        })
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        self.apply_settings(parse_settings(params.initialization_options));
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "grove-server".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                experimental: Some(
                    json!({ "grove": { "protocolVersion": protocol::PROTOCOL_VERSION } }),
                ),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.auth.start();
        self.profiles.start();
        self.agent_clis.start();
        let (workspaces, agents) = (Arc::clone(&self.workspaces), Arc::clone(&self.agents));
        tokio::spawn(async move {
            workspaces.ready().await;
            agents.ready().await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    /// Settings are applied before this returns its first poll (see `apply_settings`): nothing
    /// here may await before they are.
    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let grove = params.settings.get("grove").cloned();
        if self.apply_settings(parse_settings(grove)) {
            let auth = Arc::clone(&self.auth);
            tokio::spawn(async move { auth.check(true).await });
        }
        // A CLI's path setting may have changed: the editor hears at once.
        let agent_clis = Arc::clone(&self.agent_clis);
        tokio::spawn(async move { agent_clis.refresh().await });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_settings_fall_back_to_defaults() {
        assert_eq!(
            parse_settings(Some(json!({"claudePath": 5}))),
            GroveSettings::default()
        );
        assert_eq!(
            parse_settings(Some(json!("nonsense"))),
            GroveSettings::default()
        );
        assert_eq!(
            parse_settings(Some(json!({"claudePath": "/c"})))
                .claude_path
                .as_deref(),
            Some("/c")
        );
    }
}
