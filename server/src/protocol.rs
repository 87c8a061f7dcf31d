//! The Grove protocol, declared once: every custom method with its params and result, the settings,
//! and the error codes. Mirrored by `extension/src/common/protocol.ts` (its types generated from here into `protocol.generated.ts`), documented in `docs/protocol.md`;
//! `tests/tests/protocol_drift.rs` fails when the three disagree.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{notification::Notification, request::Request};

/// The protocol version announced in `initialize` as `capabilities.experimental.grove`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Stable JSON-RPC error codes (`data` as documented per code).
pub mod error_code {
    /// No claude CLI; `data.searched` lists the places tried.
    pub const CLI_NOT_FOUND: i64 = -32010;
    /// A second `login` while one runs; `data.loginId` is the running one.
    pub const LOGIN_IN_PROGRESS: i64 = -32011;
    /// `loginInput`/`loginCancel` for an id that is not running.
    pub const UNKNOWN_LOGIN: i64 = -32012;
    /// The claude CLI ran but its answer could not be used (Grove extension of the contract).
    pub const CLI_FAILED: i64 = -32013;
    /// Archive/delete of a worktree with uncommitted or untracked files; `data.files`.
    pub const WORKSPACE_DIRTY: i64 = -32020;
    /// Archive/delete while an agent runs in it.
    pub const WORKSPACE_BUSY: i64 = -32021;
    /// A workspace name or ref that is not a safe, valid git branch component.
    pub const INVALID_NAME: i64 = -32022;
    /// Unknown workspace or run id.
    pub const NOT_FOUND: i64 = -32023;
    /// `repoPath` is not inside a git work tree.
    pub const NOT_A_REPOSITORY: i64 = -32024;
    /// Deleting a branch with commits its base does not have, without `force` (Grove extension);
    /// `data.branch`, `data.unmergedCommits`.
    pub const UNMERGED_BRANCH: i64 = -32025;
    /// A git command failed; the message carries git's own words (Grove extension).
    pub const GIT_FAILED: i64 = -32026;
    /// `usage/get` while `usageInsights` is off.
    pub const USAGE_DISABLED: i64 = -32030;
    /// Usage asked for, but the login is an API key or an inherited token.
    pub const NO_OAUTH_CREDENTIALS: i64 = -32031;
    /// The token is expired and could not be refreshed.
    pub const CREDENTIALS_EXPIRED: i64 = -32032;
    /// Grove's own state (registry, runs, transcripts, locks) or the CLI's credential store could
    /// not be read or written (Grove extension).
    pub const STORE_FAILED: i64 = -32040;
    /// `commit` with nothing to commit (Grove extension).
    pub const NOTHING_TO_COMMIT: i64 = -32050;
    /// A pre-commit or commit-msg hook refused a commit; `data.output` is its output (Grove
    /// extension).
    pub const HOOK_FAILED: i64 = -32051;
    /// A merge or apply would touch files with uncommitted work in the checkout it changes;
    /// `data.files` (Grove extension).
    pub const DIRTY_CHECKOUT: i64 = -32052;
    /// A merge, apply or continued sync meets conflicts; `data.files` (Grove extension).
    pub const CONFLICTS: i64 = -32053;
    /// The remote refused a push (not a fast-forward, say); `data.output` is git's (Grove
    /// extension).
    pub const PUSH_REJECTED: i64 = -32054;
    /// No GitHub CLI (`gh`); `data.compareUrl` opens the pull request in a browser (Grove
    /// extension).
    pub const GH_NOT_FOUND: i64 = -32055;
    /// The GitHub CLI is not signed in; `data.compareUrl` (Grove extension).
    pub const GH_AUTH_REQUIRED: i64 = -32056;
    /// Malformed params (standard JSON-RPC).
    pub const INVALID_PARAMS: i64 = -32602;
}

/// Settings, from `initializationOptions` and `workspace/didChangeConfiguration`
/// (`{settings: {grove: GroveSettings}}`). Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(test, ts(optional_fields))]
pub struct GroveSettings {
    pub claude_path: Option<String>,
    pub max_parallel_agents: Option<u32>,
    pub worktree_root: Option<String>,
    pub usage_insights: Option<bool>,
    /// Prefix of workspace branches; default `grove/` (Grove extension).
    pub branch_prefix: Option<String>,
    /// Script run in each new worktree; default `.grove/setup.sh` if present (Grove extension).
    pub setup_script: Option<String>,
    /// Seconds a setup script may run before it is stopped; default 600 (Grove extension).
    pub setup_timeout_seconds: Option<u32>,
    /// A run that changed files ends with a commit of them; default false (Grove extension).
    pub commit_after_each_run: Option<bool>,
    /// How `grove/workspace/sync` brings in the base; default `rebase` (Grove extension).
    pub sync_method: Option<SyncMethod>,
    /// How `grove/workspace/merge` lands a branch; default `merge` (Grove extension).
    pub merge_method: Option<MergeMethod>,
    /// The remote `push` and pull requests use; default `origin` (Grove extension).
    pub remote: Option<String>,
    /// The GitHub CLI to use; else `gh` on `PATH` (Grove extension).
    pub gh_path: Option<String>,
    /// Seconds an agent CLI that can wait forever on an unanswering model server may print
    /// nothing before its run is stopped; default 120 (Grove extension).
    pub agent_stall_seconds: Option<u32>,
    /// Every other setting, as the client sent it: each agent CLI's binary setting among them
    /// (`codexPath`, named by `grove/agents/list`'s `setting`; else `PATH`, the login shell's,
    /// usual places), so the extension needs no field per agent (Grove extension).
    #[serde(flatten)]
    #[cfg_attr(test, ts(skip))]
    pub other: std::collections::BTreeMap<String, serde_json::Value>,
}

impl GroveSettings {
    /// Every agent CLI's binary setting that holds a path: `claudePath` and each other
    /// `<name>Path` the client sent.
    pub fn agent_paths(&self) -> std::collections::HashMap<String, String> {
        let mut out: std::collections::HashMap<String, String> = self
            .other
            .iter()
            .filter(|(k, _)| k.ends_with("Path"))
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        if let Some(p) = &self.claude_path {
            out.insert("claudePath".into(), p.clone());
        }
        out.retain(|_, v| !v.trim().is_empty());
        out
    }
}

/// How an auth profile authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProfileType {
    /// The claude CLI's own sign-in (`anthropic:claude-cli`, always listed).
    Cli,
    /// A static bearer token (a setup token), optionally with an expiry.
    Token,
    ApiKey,
    /// A server's base URL, optionally with a key (Ollama, LM Studio, a gateway).
    Endpoint,
    /// An access and refresh token pair.
    Oauth,
    /// A stored entry of a type this Grove does not know (listed `unusable`); never accepted.
    Unknown,
}

/// What a profile is good for right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ProfileStatus {
    Ok,
    /// Expires within 24 hours.
    Expiring,
    Expired,
    /// Never expires (an API key, an endpoint, a token without an expiry).
    Static,
    /// No usable secret (or, for the CLI's own sign-in, not signed in).
    Missing,
    /// Failed recently; skipped until `cooldownUntil`.
    Cooldown,
    /// An endpoint that did not answer the last time it was asked.
    Unreachable,
    /// The CLI's own sign-in, while its first check runs (a second or two after start).
    Checking,
    /// A stored entry Grove cannot run (an unknown type, fields of the wrong shape): `detail`
    /// says why. It is kept as it is and never chosen.
    Unusable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileFailure {
    pub message: String,
    /// RFC 3339.
    pub at: String,
}

/// An auth profile as the client sees it: never its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(optional_fields))]
pub struct Profile {
    /// `provider:name`.
    pub id: String,
    pub provider: String,
    #[serde(rename = "type")]
    pub kind: ProfileType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[cfg_attr(test, ts(optional = false))]
    pub status: ProfileStatus,
    /// RFC 3339, as the following times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<ProfileFailure>,
    /// The status in words, e.g. "Signed in as a@b.c", "Expires in 3 h" (Grove extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For an endpoint: the models it served when last asked (Grove extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<String>>,
    /// The agent CLIs that can run with it (`grove/agents/list`'s ids).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = false))]
    pub agents: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesListParams {}

/// Every profile, the order per provider, and which profile a new run would use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesList {
    pub profiles: Vec<Profile>,
    #[cfg_attr(test, ts(type = "Record<string, string[]>"))]
    pub order: std::collections::BTreeMap<String, Vec<String>>,
    /// The profile a run that names none (in a workspace without a default) would use (Grove
    /// extension).
    #[serde(default)]
    pub active: Option<String>,
    /// Profiles of CoderClaw / OpenClaw stores on this machine that `import` would copy (Grove
    /// extension).
    #[serde(default)]
    pub importable: Vec<String>,
}

/// `grove/profiles/list`.
pub enum ProfilesListRequest {}
impl Request for ProfilesListRequest {
    type Params = ProfilesListParams;
    type Result = ProfilesList;
    const METHOD: &'static str = "grove/profiles/list";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(optional_fields))]
pub struct ProfileAddParams {
    #[cfg_attr(test, ts(optional = false))]
    pub provider: String,
    #[cfg_attr(test, ts(optional = false))]
    pub name: String,
    #[serde(rename = "type")]
    #[cfg_attr(test, ts(optional = false))]
    pub kind: ProfileType,
    /// The token or key; never returned, logged or put on a command line.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
}

/// `grove/profiles/add`: adds a profile, or replaces the one with the same id. Bad input is
/// -32602 with `data.reason`, and nothing is stored.
pub enum ProfileAddRequest {}
impl Request for ProfileAddRequest {
    type Params = ProfileAddParams;
    type Result = Profile;
    const METHOD: &'static str = "grove/profiles/add";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileIdParams {
    pub id: String,
}

/// `grove/profiles/remove`.
pub enum ProfileRemoveRequest {}
impl Request for ProfileRemoveRequest {
    type Params = ProfileIdParams;
    type Result = ();
    const METHOD: &'static str = "grove/profiles/remove";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileSetOrderParams {
    pub provider: String,
    pub ids: Vec<String>,
}

/// `grove/profiles/setOrder`: the provider's profiles, first tried first.
pub enum ProfileSetOrderRequest {}
impl Request for ProfileSetOrderRequest {
    type Params = ProfileSetOrderParams;
    type Result = ();
    const METHOD: &'static str = "grove/profiles/setOrder";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileCheckResult {
    pub ok: bool,
    pub message: String,
}

/// `grove/profiles/check`: one minimal authenticated request through the CLI with the profile.
pub enum ProfileCheckRequest {}
impl Request for ProfileCheckRequest {
    type Params = ProfileIdParams;
    type Result = ProfileCheckResult;
    const METHOD: &'static str = "grove/profiles/check";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesDetectParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DetectedEndpoint {
    pub provider: String,
    pub base_url: String,
    pub models: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesDetected {
    pub endpoints: Vec<DetectedEndpoint>,
}

/// `grove/profiles/detect`: local model servers answering on their default ports, within 1 s.
pub enum ProfilesDetectRequest {}
impl Request for ProfilesDetectRequest {
    type Params = ProfilesDetectParams;
    type Result = ProfilesDetected;
    const METHOD: &'static str = "grove/profiles/detect";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesImportParams {}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesImported {
    pub imported: Vec<String>,
    pub skipped: Vec<String>,
    /// Why each skipped id was skipped, in words (Grove extension).
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    #[serde(default)]
    pub reasons: std::collections::BTreeMap<String, String>,
}

/// `grove/profiles/import`: copies CoderClaw / OpenClaw profiles whose ids Grove lacks.
pub enum ProfilesImportRequest {}
impl Request for ProfilesImportRequest {
    type Params = ProfilesImportParams;
    type Result = ProfilesImported;
    const METHOD: &'static str = "grove/profiles/import";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfilesInheritedParams {}

/// An API key the sidecar inherited in its environment, which no run gets: its variable's name
/// and the kind of profile it would make (never its value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InheritedKey {
    /// `OPENAI_API_KEY`, ...
    pub variable: String,
    pub provider: String,
    /// The id of its `ProfileKind`.
    pub kind: String,
    /// The agent CLI whose kind it is.
    pub agent: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InheritedKeys {
    pub keys: Vec<InheritedKey>,
}

/// `grove/profiles/inherited` (Grove extension): the API keys in the sidecar's environment that
/// could be profiles.
pub enum ProfilesInheritedRequest {}
impl Request for ProfilesInheritedRequest {
    type Params = ProfilesInheritedParams;
    type Result = InheritedKeys;
    const METHOD: &'static str = "grove/profiles/inherited";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileAdoptParams {
    /// One of `grove/profiles/inherited`'s variables.
    pub variable: String,
    /// The new profile's name (`<provider>:<name>`).
    pub name: String,
}

/// `grove/profiles/adoptInherited` (Grove extension): an inherited key added as a profile, checked
/// as `add` checks a pasted one; the value never crosses the wire.
pub enum ProfileAdoptRequest {}
impl Request for ProfileAdoptRequest {
    type Params = ProfileAdoptParams;
    type Result = Profile;
    const METHOD: &'static str = "grove/profiles/adoptInherited";
}

/// `grove/profiles/changed`: the whole listing, whenever any of it changes (in this sidecar or
/// another: the store is shared).
pub enum ProfilesChanged {}
impl Notification for ProfilesChanged {
    type Params = ProfilesList;
    const METHOD: &'static str = "grove/profiles/changed";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceSetProfileParams {
    pub id: String,
    /// A profile id, or null for none (the provider's order).
    pub profile: Option<String>,
}

/// `grove/workspace/setProfile`: the profile runs in the workspace use when they name none.
pub enum WorkspaceSetProfileRequest {}
impl Request for WorkspaceSetProfileRequest {
    type Params = WorkspaceSetProfileParams;
    type Result = Workspace;
    const METHOD: &'static str = "grove/workspace/setProfile";
}

/// Where the claude CLI is and which version it reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CliInfo {
    pub path: String,
    pub version: Option<String>,
}

/// Where an authentication failure was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum FailureSource {
    Agent,
    Validate,
    Usage,
    Login,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuthFailure {
    pub message: String,
    pub source: FailureSource,
    pub at: String,
}

/// The CLI's sign-in state as `claude auth status --json` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuthStatus {
    pub logged_in: bool,
    pub auth_method: String,
    pub api_provider: Option<String>,
    pub email: Option<String>,
    pub org_name: Option<String>,
    pub subscription_type: Option<String>,
    pub cli: CliInfo,
    /// RFC 3339.
    pub checked_at: String,
    pub last_failure: Option<AuthFailure>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct AuthStatusParams {
    /// Run `claude auth status --json` again instead of answering from the cache.
    #[cfg_attr(test, ts(optional = nullable))]
    pub force: bool,
}

/// `grove/auth/status`: the cached status, or a fresh one with `force`.
pub enum AuthStatusRequest {}
impl Request for AuthStatusRequest {
    type Params = AuthStatusParams;
    type Result = AuthStatus;
    const METHOD: &'static str = "grove/auth/status";
}

/// `grove/auth/statusChanged`: sent whenever the status differs from the last one sent.
pub enum AuthStatusChanged {}
impl Notification for AuthStatusChanged {
    type Params = AuthStatus;
    const METHOD: &'static str = "grove/auth/statusChanged";
}

/// How to sign in: a Claude subscription (default), an Anthropic Console account, or SSO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    Claudeai,
    Console,
    Sso,
    /// In a browser (an agent's own sign-in or Grove's; the default there).
    Browser,
    /// With a device code, for remote machines (an agent CLI's own sign-in).
    Device,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(test, ts(optional_fields))]
pub struct AuthLoginParams {
    pub method: Option<LoginMethod>,
    pub email: Option<String>,
    /// The provider whose sign-in this is (default: the agent's first; else the default agent's).
    pub provider: Option<String>,
    /// Grove's own sign-in into profile `<provider>:<profile>` (a profile kind with `signIn:
    /// "grove"`); without it, the agent CLI's own sign-in.
    pub profile: Option<String>,
    /// The agent CLI whose sign-in this is (`grove/agents/list`'s `id`): its first provider,
    /// when `provider` is not given (Grove extension).
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuthLoginResult {
    pub login_id: String,
}

/// `grove/auth/login`: starts `claude auth login`; answers at once, the CLI runs on.
pub enum AuthLoginRequest {}
impl Request for AuthLoginRequest {
    type Params = AuthLoginParams;
    type Result = AuthLoginResult;
    const METHOD: &'static str = "grove/auth/login";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuthLoginInputParams {
    pub login_id: String,
    pub code: String,
}

/// `grove/auth/loginInput`: the pasted code goes to the CLI's stdin.
pub enum AuthLoginInputRequest {}
impl Request for AuthLoginInputRequest {
    type Params = AuthLoginInputParams;
    type Result = ();
    const METHOD: &'static str = "grove/auth/loginInput";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuthLoginCancelParams {
    pub login_id: String,
}

/// `grove/auth/loginCancel`: the CLI and everything it started are killed.
pub enum AuthLoginCancelRequest {}
impl Request for AuthLoginCancelRequest {
    type Params = AuthLoginCancelParams;
    type Result = ();
    const METHOD: &'static str = "grove/auth/loginCancel";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoginProgress {
    pub login_id: String,
    /// The agent CLI whose sign-in this is (Grove extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub agent: Option<String>,
    pub stream: OutputStream,
    pub line: String,
    /// The first URL in the line, if any.
    pub url: Option<String>,
}

/// `grove/auth/loginProgress`: one per line of CLI output; a prompt with no newline still arrives.
pub enum AuthLoginProgress {}
impl Notification for AuthLoginProgress {
    type Params = LoginProgress;
    const METHOD: &'static str = "grove/auth/loginProgress";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoginComplete {
    pub login_id: String,
    /// The agent CLI whose sign-in this is (Grove extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub agent: Option<String>,
    pub success: bool,
    pub error: Option<String>,
}

/// `grove/auth/loginComplete`: exactly once per login, after the CLI exits.
pub enum AuthLoginComplete {}
impl Notification for AuthLoginComplete {
    type Params = LoginComplete;
    const METHOD: &'static str = "grove/auth/loginComplete";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct AuthValidateParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuthValidateResult {
    pub ok: bool,
    pub message: Option<String>,
}

/// `grove/auth/validate`: one minimal authenticated CLI request.
pub enum AuthValidateRequest {}
impl Request for AuthValidateRequest {
    type Params = AuthValidateParams;
    type Result = AuthValidateResult;
    const METHOD: &'static str = "grove/auth/validate";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum WorkspaceState {
    Active,
    Archived,
}

/// How the workspace's setup script ended (Grove extension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SetupResult {
    pub success: bool,
    pub exit_code: Option<i32>,
    pub message: Option<String>,
}

/// A git worktree on its own branch, where one agent works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub name: String,
    /// The main checkout.
    pub repo_path: String,
    /// The worktree directory ("" while archived).
    pub path: String,
    pub branch: String,
    pub base_ref: String,
    pub base_commit: String,
    pub state: WorkspaceState,
    pub created_at: String,
    /// First of the 10 ports reserved for this workspace (`GROVE_PORT`; Grove extension).
    pub port: u16,
    /// The last run of the setup script, if one ran (Grove extension).
    pub setup: Option<SetupResult>,
    /// The auth profile a run in this workspace uses when it names none
    /// (`grove/workspace/setProfile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub profile: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(optional_fields))]
pub struct WorkspaceCreateParams {
    pub repo_path: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub base_ref: Option<String>,
    /// An existing local branch (for example a kept `grove/<name>`) to put the worktree on,
    /// instead of making a new one (Grove addition).
    #[serde(default)]
    pub branch: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCheckNameParams {
    pub repo_path: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCheckNameResult {
    /// `create` would take this name.
    pub ok: bool,
    /// Why not, in one line.
    pub message: Option<String>,
    /// A local branch of that name that nothing uses: `create` with `branch` continues on it.
    pub kept_branch: Option<String>,
}

/// `grove/workspace/checkName` (Grove addition): what `create` would say of a name, before it is
/// asked, so the name step can say it as the user types.
pub enum WorkspaceCheckNameRequest {}
impl Request for WorkspaceCheckNameRequest {
    type Params = WorkspaceCheckNameParams;
    type Result = WorkspaceCheckNameResult;
    const METHOD: &'static str = "grove/workspace/checkName";
}

/// `grove/workspace/create`: a new worktree on a new branch (or an existing one, `branch`);
/// answers once setup has run.
pub enum WorkspaceCreateRequest {}
impl Request for WorkspaceCreateRequest {
    type Params = WorkspaceCreateParams;
    type Result = Workspace;
    const METHOD: &'static str = "grove/workspace/create";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(test, ts(optional_fields))]
pub struct WorkspaceListParams {
    pub repo_path: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceListResult {
    pub workspaces: Vec<Workspace>,
}

/// `grove/workspace/list`: every workspace, or those of one repository.
pub enum WorkspaceListRequest {}
impl Request for WorkspaceListRequest {
    type Params = WorkspaceListParams;
    type Result = WorkspaceListResult;
    const METHOD: &'static str = "grove/workspace/list";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceArchiveParams {
    pub id: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub force: bool,
}

/// `grove/workspace/archive`: worktree removed (uncommitted work saved first with `force`),
/// branch kept.
pub enum WorkspaceArchiveRequest {}
impl Request for WorkspaceArchiveRequest {
    type Params = WorkspaceArchiveParams;
    type Result = Workspace;
    const METHOD: &'static str = "grove/workspace/archive";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceIdParams {
    pub id: String,
}

/// `grove/workspace/restore`: the worktree back on its branch, with its saved work.
pub enum WorkspaceRestoreRequest {}
impl Request for WorkspaceRestoreRequest {
    type Params = WorkspaceIdParams;
    type Result = Workspace;
    const METHOD: &'static str = "grove/workspace/restore";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceDeleteParams {
    pub id: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub delete_branch: bool,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub force: bool,
}

/// `grove/workspace/delete`: archive, forget, and with `deleteBranch` the branch if merged.
pub enum WorkspaceDeleteRequest {}
impl Request for WorkspaceDeleteRequest {
    type Params = WorkspaceDeleteParams;
    type Result = ();
    const METHOD: &'static str = "grove/workspace/delete";
}

/// One changed file against the workspace's base commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    pub path: String,
    /// `added`, `modified`, `deleted`, `renamed`, `copied`, `typeChanged` or `untracked`.
    pub status: String,
    /// Lines added and deleted; null for binary files, and for untracked files that are not
    /// regular files (links, FIFOs, devices: never opened) or are over 8 MiB.
    pub additions: Option<u64>,
    pub deletions: Option<u64>,
    /// The path before a rename or copy (Grove extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub old_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceChanges {
    pub files: Vec<FileChange>,
    pub ahead: usize,
    pub behind: usize,
}

/// `grove/workspace/changes`: files changed against `baseCommit`, uncommitted work included.
pub enum WorkspaceChangesRequest {}
impl Request for WorkspaceChangesRequest {
    type Params = WorkspaceIdParams;
    type Result = WorkspaceChanges;
    const METHOD: &'static str = "grove/workspace/changes";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceFileAtBaseParams {
    pub id: String,
    /// Relative to the worktree, as `changes` lists it.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceFileAtBase {
    /// The file's text at `baseCommit`; null when it did not exist there, is binary, or is larger
    /// than 16 MiB (then `binary` is true).
    pub content: Option<String>,
    pub binary: bool,
}

/// `grove/workspace/fileAtBase`: a file as it was at the base commit, for a diff (Grove extension).
pub enum WorkspaceFileAtBaseRequest {}
impl Request for WorkspaceFileAtBaseRequest {
    type Params = WorkspaceFileAtBaseParams;
    type Result = WorkspaceFileAtBase;
    const METHOD: &'static str = "grove/workspace/fileAtBase";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RepoInfoParams {
    /// Any path inside a repository or one of its worktrees.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RepoInfo {
    /// The top of the work tree `path` is in (a linked worktree's own folder for a worktree).
    pub root: String,
    /// The repository's main checkout.
    pub main_root: String,
    /// Whether `root` is a linked worktree rather than the main checkout.
    pub is_worktree: bool,
    /// The branch checked out in `root`; null when `HEAD` is detached.
    pub branch: Option<String>,
    /// Uncommitted and untracked files of `root` (ignored files are not listed), relative to it.
    pub dirty_files: Vec<String>,
    /// The repository's local branches, by name.
    pub branches: Vec<String>,
}

/// `grove/repo/info`: the repository a path is in, for the extension (Grove extension).
pub enum RepoInfoRequest {}
impl Request for RepoInfoRequest {
    type Params = RepoInfoParams;
    type Result = RepoInfo;
    const METHOD: &'static str = "grove/repo/info";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceChangedParams {
    pub workspace: Workspace,
    /// True when the workspace was deleted (Grove extension).
    #[serde(default)]
    pub removed: bool,
}

/// `grove/workspace/changed`: after any change of a workspace.
pub enum WorkspaceChanged {}
impl Notification for WorkspaceChanged {
    type Params = WorkspaceChangedParams;
    const METHOD: &'static str = "grove/workspace/changed";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SetupOutput {
    pub workspace_id: String,
    pub stream: OutputStream,
    pub line: String,
}

/// `grove/workspace/setupOutput`: one per line the setup script prints (Grove extension).
pub enum WorkspaceSetupOutput {}
impl Notification for WorkspaceSetupOutput {
    type Params = SetupOutput;
    const METHOD: &'static str = "grove/workspace/setupOutput";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RunState {
    Queued,
    Running,
    /// Running, and waiting for the user to answer a request (`grove/agent/request`).
    Waiting,
    Succeeded,
    Failed,
    Cancelled,
    AuthRequired,
}

impl RunState {
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            RunState::Queued | RunState::Running | RunState::Waiting
        )
    }
}

/// What an agent CLI can do, for the editor to show only the controls it honors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentCapabilities {
    /// A later turn continues the session.
    pub resume: bool,
    /// It asks before a tool runs (`grove/agent/request`).
    pub permissions: bool,
    /// It asks the user questions and has plans approved.
    pub questions: bool,
    /// A message reaches the running turn (`grove/agent/send`).
    pub steer: bool,
    /// A turn stops and the session stays (`grove/agent/interrupt`).
    pub interrupt: bool,
    pub cost: CostKind,
}

/// What a run's cost is told in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum CostKind {
    Money,
    Tokens,
    None,
}

/// How a CLI's own sign-in can be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SignInMethod {
    Browser,
    Paste,
    DeviceCode,
    ApiKey,
    Terminal,
}

/// A CLI's own sign-in, as its profile (`<provider>:<cli>`) says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentSignIn {
    /// `signedIn`, `signedOut`, `checking`, or `unknown` (not found, say).
    pub status: String,
    /// Who, in the CLI's words, when signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub account: Option<String>,
    pub methods: Vec<SignInMethod>,
    /// With method `terminal`: the command line that starts the CLI's own interactive sign-in,
    /// for the editor to run in a terminal (Grove extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub terminal: Option<Vec<String>>,
}

/// An agent CLI Grove can run, as found on this machine (`grove/agents/list`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentCli {
    pub id: String,
    pub label: String,
    pub found: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub version: Option<String>,
    /// How to install it, and the setting that points at it, in one sentence.
    pub install_hint: String,
    /// The setting naming its binary (`claudePath`, ...).
    pub setting: String,
    pub capabilities: AgentCapabilities,
    pub sign_in: AgentSignIn,
    /// The providers whose profiles it runs with.
    pub providers: Vec<String>,
    /// Model aliases to offer for profiles that are not endpoints (an endpoint offers its own);
    /// absent: the CLI's default only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub models: Option<Vec<String>>,
    /// The profile of its own sign-in (`<provider>:<name>`): listed by Grove, never removed
    /// (Grove extension).
    pub own_profile: String,
    /// Its providers for people, in the order the Account view lists them (Grove extension).
    pub provider_info: Vec<AgentProvider>,
    /// The kinds of profile "Add Profile" offers for it (Grove extension).
    pub profile_kinds: Vec<ProfileKind>,
}

/// A provider an agent CLI runs with, for people (Grove extension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentProvider {
    pub id: String,
    /// "Anthropic", "LM Studio", ...
    pub label: String,
    /// A codicon name for its row.
    pub icon: String,
}

/// Whether a profile kind asks for a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SecretAsk {
    Required,
    Optional,
    None,
}

/// How a profile kind is added other than by `grove/profiles/add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum KindSignIn {
    /// Grove's own sign-in into a named profile (`grove/auth/login` with `provider` and `profile`).
    Grove,
    /// The CLI's own sign-in (`grove/auth/login` with `agent`), its profile the agent's `ownProfile`.
    Cli,
}

/// One kind of credential "Add Profile" offers (Grove extension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileKind {
    /// Unique among every agent's kinds.
    pub id: String,
    pub label: String,
    pub detail: String,
    pub provider: String,
    #[serde(rename = "type")]
    pub kind: ProfileType,
    pub secret: SecretAsk,
    /// Whether a base URL is asked for.
    pub ask_url: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub default_url: Option<String>,
    pub secret_prompt: String,
    pub secret_placeholder: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub sign_in: Option<KindSignIn>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AgentsListParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AgentsList {
    pub agents: Vec<AgentCli>,
}

/// `grove/agents/list`: every agent CLI Grove knows, found or not, with what it can do.
pub enum AgentsListRequest {}
impl Request for AgentsListRequest {
    type Params = AgentsListParams;
    type Result = AgentsList;
    const METHOD: &'static str = "grove/agents/list";
}

/// `grove/agents/changed`: the whole list, when a CLI is found or lost, signs in or out, or
/// changes version.
pub enum AgentsChanged {}
impl Notification for AgentsChanged {
    type Params = AgentsList;
    const METHOD: &'static str = "grove/agents/changed";
}

/// One agent turn in a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub run_id: String,
    pub workspace_id: String,
    pub state: RunState,
    pub prompt: String,
    pub session_id: Option<String>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub cost_usd: Option<f64>,
    pub error: Option<String>,
    /// When the run was asked for (Grove extension).
    pub created_at: String,
    /// The CLI saved this run's session (a turn reached the model), so a later turn may resume
    /// it (Grove extension).
    #[serde(default)]
    pub resumable: bool,
    /// The provider, auth profile and model this run used (absent on runs older than profiles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub model: Option<String>,
    /// After an authentication failure or a rate limit: the next usable profile, for "Retry with
    /// <profile>" (Grove extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub retry_profile: Option<String>,
    /// The agent CLI that runs it (`grove/agents/list`'s `id`; absent only for runs of earlier
    /// sidecars, read from their provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub agent: Option<String>,
}

/// Tokens a turn used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TokenUsage {
    pub input_tokens: u64,
    pub cached_input_tokens: u64,
    pub output_tokens: u64,
}

/// What the agent did, normalized from the CLI's stream-json lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AgentEvent {
    Init {
        session_id: String,
        model: String,
        cwd: String,
    },
    Text {
        text: String,
    },
    /// A piece of the assistant's text as it is written; the `text` event that follows holds the
    /// whole block (Grove extension).
    TextDelta {
        text: String,
    },
    /// Something Grove did for the user during the run, in plain words (Grove extension).
    Notice {
        message: String,
    },
    ToolUse {
        id: String,
        name: String,
        #[cfg_attr(test, ts(type = "unknown"))]
        input: serde_json::Value,
    },
    ToolResult {
        tool_use_id: String,
        is_error: bool,
        content: String,
        /// The tool never ran: the user denied its permission request;
        /// `content` holds the message given (Grove addition).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        #[cfg_attr(test, ts(as = "Option<bool>", optional))]
        denied: bool,
    },
    Retry {
        attempt: u32,
        error_status: Option<i64>,
        error: Option<String>,
    },
    Result {
        is_error: bool,
        text: Option<String>,
        cost_usd: Option<f64>,
        duration_ms: Option<u64>,
        /// Tokens, as an agent CLI that reports no cost reports them: the thread's running total
        /// (Grove extension).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        usage: Option<TokenUsage>,
    },
    Stderr {
        line: String,
    },
    /// A rate-limit notice from the CLI, with when the limit resets (Grove extension).
    RateLimit {
        status: String,
        limit_type: Option<String>,
        resets_at: Option<String>,
    },
    Other {
        #[serde(rename = "type")]
        kind: String,
        /// The line itself when it was not JSON (Grove extension).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        line: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(optional_fields))]
pub struct AgentStartParams {
    pub workspace_id: String,
    pub prompt: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub permission_mode: Option<String>,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub new_session: bool,
    /// The auth profile to run with (`provider:name`); else `model@profile`, the workspace's
    /// default, then the provider's order.
    #[serde(default)]
    pub profile: Option<String>,
    /// The agent CLI to run (`grove/agents/list`'s `id`); else the one the profile's provider
    /// implies, else the default (Grove extension).
    #[serde(default)]
    pub agent: Option<String>,
}

/// `grove/agent/start`: a run, `queued` or `running`.
pub enum AgentStartRequest {}
impl Request for AgentStartRequest {
    type Params = AgentStartParams;
    type Result = Run;
    const METHOD: &'static str = "grove/agent/start";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RunIdParams {
    pub run_id: String,
}

/// `grove/agent/cancel`: interrupt, terminate, then kill the run's process group.
pub enum AgentCancelRequest {}
impl Request for AgentCancelRequest {
    type Params = RunIdParams;
    type Result = ();
    const METHOD: &'static str = "grove/agent/cancel";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(test, ts(optional_fields))]
pub struct AgentListParams {
    pub workspace_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentListResult {
    pub runs: Vec<Run>,
}

/// `grove/agent/list`: runs, oldest first.
pub enum AgentListRequest {}
impl Request for AgentListRequest {
    type Params = AgentListParams;
    type Result = AgentListResult;
    const METHOD: &'static str = "grove/agent/list";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentTranscript {
    pub events: Vec<AgentEvent>,
}

/// `grove/agent/transcript`: every event of a run, also after a restart.
pub enum AgentTranscriptRequest {}
impl Request for AgentTranscriptRequest {
    type Params = RunIdParams;
    type Result = AgentTranscript;
    const METHOD: &'static str = "grove/agent/transcript";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentEventParams {
    pub run_id: String,
    pub workspace_id: String,
    pub seq: u64,
    pub event: AgentEvent,
}

/// `grove/agent/event`: `seq` counts from 0 per run, with no gaps.
pub enum AgentEventNotification {}
impl Notification for AgentEventNotification {
    type Params = AgentEventParams;
    const METHOD: &'static str = "grove/agent/event";
}

/// What an agent asks the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    /// Permission to use a tool (run a command, write a file…).
    Tool,
    /// The `AskUserQuestion` tool: questions with options.
    Question,
    /// `ExitPlanMode`: a plan to approve or send back.
    Plan,
}

/// A request of a running agent, waiting for `grove/agent/respond`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentRequest {
    pub run_id: String,
    pub workspace_id: String,
    pub request_id: String,
    pub kind: RequestKind,
    pub tool_name: String,
    /// The tool's input (for a plan, the plan: `{plan: string}`).
    #[cfg_attr(test, ts(type = "unknown"))]
    pub input: serde_json::Value,
    /// One line saying what the tool would do.
    pub description: String,
    /// The CLI's suggestions (e.g. rules to add), as it sent them.
    #[cfg_attr(test, ts(type = "unknown"))]
    pub suggestions: serde_json::Value,
    /// RFC 3339 (Grove extension).
    pub created_at: String,
    /// Whether `allowAlways` may answer it (Grove extension): never for questions and plans,
    /// nor for a command run through a shell, an interpreter, a wrapper or a path.
    pub always_allow: bool,
    /// The rule `allowAlways` would add, when it is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub always_allow_rule: Option<Rule>,
    /// Why `allowAlways` is not offered, in words for the user, when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub always_allow_why: Option<String>,
}

/// `grove/agent/request`: an agent waits for the user; its run is `waiting`.
pub enum AgentRequestNotification {}
impl Notification for AgentRequestNotification {
    type Params = AgentRequest;
    const METHOD: &'static str = "grove/agent/request";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentRequestDone {
    pub run_id: String,
    pub request_id: String,
    /// `allow`, `deny`, `allowAlways`, or `cancelled` (the run ended first).
    pub outcome: String,
}

/// `grove/agent/requestDone`: a request was answered (in any window) or dropped (Grove extension).
pub enum AgentRequestDoneNotification {}
impl Notification for AgentRequestDoneNotification {
    type Params = AgentRequestDone;
    const METHOD: &'static str = "grove/agent/requestDone";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Behavior {
    Allow,
    Deny,
    /// Allow, and from now on allow the same in this workspace without asking.
    AllowAlways,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(optional_fields))]
pub struct AgentRespondParams {
    #[cfg_attr(test, ts(optional = false))]
    pub run_id: String,
    #[cfg_attr(test, ts(optional = false))]
    pub request_id: String,
    #[cfg_attr(test, ts(optional = false))]
    pub behavior: Behavior,
    /// The input to use instead (an edited command, say): a JSON object, as a tool's input is.
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, unknown>", optional))]
    pub updated_input: Option<ToolInput>,
    /// For a deny: what the agent is told.
    #[serde(default)]
    pub message: Option<String>,
    /// For a question: the chosen label per question text.
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, string>", optional))]
    pub answers: Option<AnswerLabels>,
}

/// What kind of JSON value `v` is, in words for an error message.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// `updatedInput`: a tool's input, a JSON object; anything else is refused with the reason
/// (-32602).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ToolInput(pub serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for ToolInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Object(input) => Ok(Self(input)),
            other => Err(serde::de::Error::custom(format!(
                "updatedInput must be a JSON object (the tool's input, e.g. {{\"command\": \"ls\"}}), not {}: send the request's input with your changes, or leave updatedInput out.",
                json_kind(&other)
            ))),
        }
    }
}

/// `answers`: question text → the chosen label, every label a string; anything else is refused
/// with the reason (-32602).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct AnswerLabels(pub std::collections::BTreeMap<String, String>);

impl<'de> Deserialize<'de> for AnswerLabels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let answers = match serde_json::Value::deserialize(d)? {
            serde_json::Value::Object(answers) => answers,
            other => {
                return Err(D::Error::custom(format!(
                    "answers must be a JSON object of question text → chosen label, not {}.",
                    json_kind(&other)
                )));
            }
        };
        let mut labels = std::collections::BTreeMap::new();
        for (question, label) in answers {
            let serde_json::Value::String(label) = label else {
                let shown: String = question.chars().take(60).collect();
                return Err(D::Error::custom(format!(
                    "answers must map each question to its chosen label as a string; the answer to \"{shown}\" is {}.",
                    json_kind(&label)
                )));
            };
            labels.insert(question, label);
        }
        Ok(Self(labels))
    }
}

/// `grove/agent/respond`: the answer reaches the agent; the run goes on.
pub enum AgentRespondRequest {}
impl Request for AgentRespondRequest {
    type Params = AgentRespondParams;
    type Result = ();
    const METHOD: &'static str = "grove/agent/respond";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(test, ts(optional_fields))]
pub struct AgentPendingParams {
    pub workspace_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentPending {
    pub requests: Vec<AgentRequest>,
}

/// `grove/agent/pending`: the requests still unanswered, oldest first.
pub enum AgentPendingRequest {}
impl Request for AgentPendingRequest {
    type Params = AgentPendingParams;
    type Result = AgentPending;
    const METHOD: &'static str = "grove/agent/pending";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AgentSendParams {
    pub run_id: String,
    pub text: String,
}

/// `grove/agent/send`: a message to a running agent, as the user's next message.
pub enum AgentSendRequest {}
impl Request for AgentSendRequest {
    type Params = AgentSendParams;
    type Result = ();
    const METHOD: &'static str = "grove/agent/send";
}

/// `grove/agent/interrupt`: the current turn stops; the session stays.
pub enum AgentInterruptRequest {}
impl Request for AgentInterruptRequest {
    type Params = RunIdParams;
    type Result = ();
    const METHOD: &'static str = "grove/agent/interrupt";
}

/// An "always allow" rule of a workspace: a tool, and for `Bash` the command's first word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(optional_fields))]
pub struct Rule {
    #[cfg_attr(test, ts(optional = false))]
    pub tool_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRules {
    pub rules: Vec<Rule>,
}

/// `grove/workspace/rules`: the workspace's "always allow" rules.
pub enum WorkspaceRulesRequest {}
impl Request for WorkspaceRulesRequest {
    type Params = WorkspaceIdParams;
    type Result = WorkspaceRules;
    const METHOD: &'static str = "grove/workspace/rules";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRemoveRuleParams {
    pub id: String,
    pub rule: Rule,
}

/// `grove/workspace/removeRule`: the rules left.
pub enum WorkspaceRemoveRuleRequest {}
impl Request for WorkspaceRemoveRuleRequest {
    type Params = WorkspaceRemoveRuleParams;
    type Result = WorkspaceRules;
    const METHOD: &'static str = "grove/workspace/removeRule";
}

/// `grove/agent/stateChanged`: on every state change of a run.
pub enum AgentStateChanged {}
impl Notification for AgentStateChanged {
    type Params = Run;
    const METHOD: &'static str = "grove/agent/stateChanged";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct UsageGetParams {
    /// Ask the API now instead of answering from the 5-minute cache.
    #[cfg_attr(test, ts(optional = nullable))]
    pub force: bool,
}

/// One rate-limit window: how much of it is used, and when it resets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UsageWindow {
    /// The API's key: `five_hour`, `seven_day`, `seven_day_opus`, `seven_day_sonnet`.
    pub id: String,
    pub label: String,
    /// Percent used.
    pub utilization: f64,
    pub resets_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UsageResult {
    pub subscription_type: Option<String>,
    pub rate_limit_tier: Option<String>,
    pub windows: Vec<UsageWindow>,
    #[cfg_attr(test, ts(type = "Record<string, unknown> | null"))]
    pub extra_usage: Option<serde_json::Value>,
    pub fetched_at: String,
    /// True when the last request failed and this is the last good answer (Grove extension).
    pub stale: bool,
}

/// `grove/usage/get`: the subscription's rate-limit windows (only while `usageInsights` is on).
pub enum UsageGetRequest {}
impl Request for UsageGetRequest {
    type Params = UsageGetParams;
    type Result = UsageResult;
    const METHOD: &'static str = "grove/usage/get";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SecretSetParams {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyParams {
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SecretValue {
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct SecretListParams {}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SecretKeys {
    pub keys: Vec<String>,
}

/// `grove/secrets/set`: stores a plugin secret under `pluginSecrets` in the CLI's credential store.
pub enum SecretSetRequest {}
impl Request for SecretSetRequest {
    type Params = SecretSetParams;
    type Result = ();
    const METHOD: &'static str = "grove/secrets/set";
}

/// `grove/secrets/get`.
pub enum SecretGetRequest {}
impl Request for SecretGetRequest {
    type Params = SecretKeyParams;
    type Result = SecretValue;
    const METHOD: &'static str = "grove/secrets/get";
}

/// `grove/secrets/delete`.
pub enum SecretDeleteRequest {}
impl Request for SecretDeleteRequest {
    type Params = SecretKeyParams;
    type Result = ();
    const METHOD: &'static str = "grove/secrets/delete";
}

/// `grove/secrets/list`: the keys, never the values.
pub enum SecretListRequest {}
impl Request for SecretListRequest {
    type Params = SecretListParams;
    type Result = SecretKeys;
    const METHOD: &'static str = "grove/secrets/list";
}

// ---------------------------------------------------------------------------------------------
// Landing: commit, sync with the base, merge, apply, push, pull requests (Grove extension).

/// How `sync` brings the base's new commits into a workspace's branch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SyncMethod {
    /// The branch's commits replayed on the base's tip.
    #[default]
    Rebase,
    /// The base merged into the branch.
    Merge,
}

/// How `merge` lands a branch on its base.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum MergeMethod {
    /// A fast-forward when possible, else a merge commit.
    #[default]
    Merge,
    /// One commit on the base with the branch's changes.
    Squash,
    /// The branch's commits replayed on the base, then a fast-forward.
    Rebase,
}

/// A git operation a worktree is in the middle of (stopped by conflicts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum GitOperation {
    Rebase,
    Merge,
}

/// The branch's remote-tracking branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Upstream {
    pub remote: String,
    /// The branch's name on the remote.
    pub branch: String,
    /// Commits of the branch the remote-tracking branch lacks, and the other way round.
    pub ahead: usize,
    pub behind: usize,
}

/// A workspace's pull request, as the GitHub CLI last reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PullRequest {
    pub url: String,
    pub number: u64,
    /// As gh says it: `OPEN`, `CLOSED` or `MERGED`.
    pub state: String,
}

/// Where a workspace stands against its base, its remote and its pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GitStatus {
    pub branch: String,
    /// The base branch (or the base commit when the base was a detached `HEAD`).
    pub base: String,
    /// Commits of the branch the base lacks, and of the base the branch lacks.
    pub ahead: usize,
    pub behind: usize,
    /// Uncommitted files (untracked included, ignored not).
    pub uncommitted: usize,
    /// A rebase or merge stopped by conflicts, or null.
    pub operation: Option<GitOperation>,
    /// Paths with unresolved conflicts, relative to the worktree.
    pub conflicted: Vec<String>,
    pub upstream: Option<Upstream>,
    pub pull_request: Option<PullRequest>,
    /// The branch's work is on the base: its tip is reachable from the base, or Grove squashed
    /// it there.
    pub merged: bool,
}

/// `grove/workspace/gitStatus`: where the workspace stands now.
pub enum WorkspaceGitStatusRequest {}
impl Request for WorkspaceGitStatusRequest {
    type Params = WorkspaceIdParams;
    type Result = GitStatus;
    const METHOD: &'static str = "grove/workspace/gitStatus";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GitStatusChangedParams {
    pub id: String,
    pub status: GitStatus,
}

/// `grove/workspace/gitStatusChanged`: a workspace's `GitStatus` changed.
pub enum WorkspaceGitStatusChanged {}
impl Notification for WorkspaceGitStatusChanged {
    type Params = GitStatusChangedParams;
    const METHOD: &'static str = "grove/workspace/gitStatusChanged";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCommitParams {
    pub id: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCommitResult {
    /// The new commit's id.
    pub commit: String,
    /// The paths it changed, relative to the worktree.
    pub files: Vec<String>,
}

/// `grove/workspace/commit`: every change of the worktree committed with the user's git identity,
/// hooks run.
pub enum WorkspaceCommitRequest {}
impl Request for WorkspaceCommitRequest {
    type Params = WorkspaceCommitParams;
    type Result = WorkspaceCommitResult;
    const METHOD: &'static str = "grove/workspace/commit";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCommitMessage {
    pub message: String,
}

/// `grove/workspace/commitMessage`: a commit message to prefill, from the workspace's prompts.
pub enum WorkspaceCommitMessageRequest {}
impl Request for WorkspaceCommitMessageRequest {
    type Params = WorkspaceIdParams;
    type Result = WorkspaceCommitMessage;
    const METHOD: &'static str = "grove/workspace/commitMessage";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceSyncParams {
    pub id: String,
    /// Default: the `syncMethod` setting.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub method: Option<SyncMethod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SyncStatus {
    Done,
    UpToDate,
    /// Stopped by conflicts: the worktree is mid-operation.
    Conflicts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceSyncResult {
    pub status: SyncStatus,
    /// The conflicted paths when `status` is `conflicts`.
    pub conflicted: Vec<String>,
}

/// `grove/workspace/sync`: the branch brought up to its base's tip (rebase or merge).
pub enum WorkspaceSyncRequest {}
impl Request for WorkspaceSyncRequest {
    type Params = WorkspaceSyncParams;
    type Result = WorkspaceSyncResult;
    const METHOD: &'static str = "grove/workspace/sync";
}

/// `grove/workspace/syncContinue`: a sync stopped by conflicts goes on once they are resolved.
pub enum WorkspaceSyncContinueRequest {}
impl Request for WorkspaceSyncContinueRequest {
    type Params = WorkspaceIdParams;
    type Result = WorkspaceSyncResult;
    const METHOD: &'static str = "grove/workspace/syncContinue";
}

/// `grove/workspace/syncAbort`: a sync stopped by conflicts undone; the branch as before.
pub enum WorkspaceSyncAbortRequest {}
impl Request for WorkspaceSyncAbortRequest {
    type Params = WorkspaceIdParams;
    type Result = ();
    const METHOD: &'static str = "grove/workspace/syncAbort";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceResolvePrompt {
    pub prompt: String,
}

/// `grove/workspace/resolvePrompt`: the prompt for an agent run that resolves the conflicts of a
/// stopped sync.
pub enum WorkspaceResolvePromptRequest {}
impl Request for WorkspaceResolvePromptRequest {
    type Params = WorkspaceIdParams;
    type Result = WorkspaceResolvePrompt;
    const METHOD: &'static str = "grove/workspace/resolvePrompt";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceMergeParams {
    pub id: String,
    /// Default: the `mergeMethod` setting.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub method: Option<MergeMethod>,
    /// The merge or squash commit's message; default: one Grove writes.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceMergeResult {
    /// The base's new tip.
    pub commit: String,
    /// The base branch.
    pub base: String,
}

/// `grove/workspace/merge`: the branch landed on its base.
pub enum WorkspaceMergeRequest {}
impl Request for WorkspaceMergeRequest {
    type Params = WorkspaceMergeParams;
    type Result = WorkspaceMergeResult;
    const METHOD: &'static str = "grove/workspace/merge";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceApplyResult {
    /// The paths changed in the main checkout, relative to it.
    pub files: Vec<String>,
}

/// `grove/workspace/apply`: the workspace's changes brought into the main checkout, uncommitted.
pub enum WorkspaceApplyRequest {}
impl Request for WorkspaceApplyRequest {
    type Params = WorkspaceIdParams;
    type Result = WorkspaceApplyResult;
    const METHOD: &'static str = "grove/workspace/apply";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspacePushParams {
    pub id: String,
    /// Replace the remote branch if it is still where it was last fetched.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub force_with_lease: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspacePushResult {
    pub remote: String,
    /// The branch's name on the remote.
    pub branch: String,
}

/// `grove/workspace/push`: the branch pushed to its remote, its upstream set.
pub enum WorkspacePushRequest {}
impl Request for WorkspacePushRequest {
    type Params = WorkspacePushParams;
    type Result = WorkspacePushResult;
    const METHOD: &'static str = "grove/workspace/push";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCreatePullRequestParams {
    pub id: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub draft: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCreatePullRequestResult {
    pub url: String,
    pub number: u64,
}

/// `grove/workspace/createPullRequest`: a pull request of the branch against its base, through
/// the GitHub CLI.
pub enum WorkspaceCreatePullRequestRequest {}
impl Request for WorkspaceCreatePullRequestRequest {
    type Params = WorkspaceCreatePullRequestParams;
    type Result = WorkspaceCreatePullRequestResult;
    const METHOD: &'static str = "grove/workspace/createPullRequest";
}

/// What of a request must never be logged or traced: fields of its params, and its whole result.
/// Each request that carries a secret declares it here; the sidecar's trace redaction and the
/// extension's trace filter (generated as `SECRET_FIELDS`) both read `SECRET_FIELDS`.
pub trait Secrets: Request {
    const SECRET_PARAMS: &'static [&'static str] = &[];
    const SECRET_RESULT: bool = false;
}

impl Secrets for SecretSetRequest {
    const SECRET_PARAMS: &'static [&'static str] = &["value"];
}
impl Secrets for SecretGetRequest {
    const SECRET_RESULT: bool = true;
}
impl Secrets for AuthLoginInputRequest {
    const SECRET_PARAMS: &'static [&'static str] = &["code"];
}
impl Secrets for ProfileAddRequest {
    const SECRET_PARAMS: &'static [&'static str] = &["secret"];
}

/// One request that carries a secret: its method, its secret params, whether its result is one.
pub struct SecretFields {
    pub method: &'static str,
    pub params: &'static [&'static str],
    pub result: bool,
}

const fn secret<R: Secrets>() -> SecretFields {
    SecretFields {
        method: R::METHOD,
        params: R::SECRET_PARAMS,
        result: R::SECRET_RESULT,
    }
}

/// Every request that carries a secret.
pub const SECRET_FIELDS: &[SecretFields] = &[
    secret::<SecretSetRequest>(),
    secret::<SecretGetRequest>(),
    secret::<AuthLoginInputRequest>(),
    secret::<ProfileAddRequest>(),
];

/// The TypeScript declarations of every param, result and notification type above, as
/// `extension/src/common/protocol.generated.ts` holds them (generated by ts-rs in a test).
#[cfg(test)]
pub(crate) fn typescript() -> String {
    use ts_rs::TS;
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from server/src/protocol.rs by ts-rs: the type of every param, result and notification of\n\
         // Grove's protocol. Do not edit: change protocol.rs, then run\n\
         // `GROVE_WRITE_PROTOCOL_TS=1 cargo test -p grove-server --lib protocol` (cargo xtask check fails while it is stale).\n",
    );
    macro_rules! declare {
        ($($t:ty),* $(,)?) => {
            $(
                out.push('\n');
                if let Some(docs) = <$t>::docs() {
                    out.push_str(&docs);
                }
                out.push_str("export ");
                out.push_str(&<$t>::decl(&cfg));
                out.push('\n');
            )*
        };
    }
    declare!(
        GroveSettings,
        CliInfo,
        FailureSource,
        AuthFailure,
        AuthStatus,
        AuthStatusParams,
        LoginMethod,
        AuthLoginParams,
        AuthLoginResult,
        AuthLoginInputParams,
        AuthLoginCancelParams,
        OutputStream,
        LoginProgress,
        LoginComplete,
        AuthValidateParams,
        AuthValidateResult,
        WorkspaceState,
        SetupResult,
        Workspace,
        WorkspaceCreateParams,
        WorkspaceCheckNameParams,
        WorkspaceCheckNameResult,
        AgentCapabilities,
        AgentProvider,
        ProfileKind,
        SecretAsk,
        KindSignIn,
        CostKind,
        SignInMethod,
        AgentSignIn,
        AgentCli,
        AgentsListParams,
        AgentsList,
        WorkspaceListParams,
        WorkspaceListResult,
        WorkspaceArchiveParams,
        WorkspaceIdParams,
        WorkspaceDeleteParams,
        FileChange,
        WorkspaceChanges,
        WorkspaceFileAtBaseParams,
        WorkspaceFileAtBase,
        RepoInfoParams,
        RepoInfo,
        WorkspaceChangedParams,
        SetupOutput,
        RunState,
        Run,
        TokenUsage,
        AgentEvent,
        AgentStartParams,
        RunIdParams,
        AgentListParams,
        AgentListResult,
        AgentTranscript,
        AgentEventParams,
        UsageGetParams,
        UsageWindow,
        UsageResult,
        SecretSetParams,
        SecretKeyParams,
        SecretValue,
        SecretListParams,
        SecretKeys,
        ProfileType,
        ProfileStatus,
        ProfileFailure,
        Profile,
        ProfilesListParams,
        ProfilesList,
        ProfileAddParams,
        ProfileIdParams,
        ProfileSetOrderParams,
        ProfileCheckResult,
        ProfilesDetectParams,
        DetectedEndpoint,
        ProfilesDetected,
        ProfilesImportParams,
        ProfilesImported,
        ProfilesInheritedParams,
        InheritedKey,
        InheritedKeys,
        ProfileAdoptParams,
        WorkspaceSetProfileParams,
        RequestKind,
        AgentRequest,
        AgentRequestDone,
        Behavior,
        AgentRespondParams,
        AgentPendingParams,
        AgentPending,
        AgentSendParams,
        Rule,
        WorkspaceRules,
        WorkspaceRemoveRuleParams,
        SyncMethod,
        MergeMethod,
        GitOperation,
        Upstream,
        PullRequest,
        GitStatus,
        GitStatusChangedParams,
        WorkspaceCommitParams,
        WorkspaceCommitResult,
        WorkspaceCommitMessage,
        WorkspaceSyncParams,
        SyncStatus,
        WorkspaceSyncResult,
        WorkspaceResolvePrompt,
        WorkspaceMergeParams,
        WorkspaceMergeResult,
        WorkspaceApplyResult,
        WorkspacePushParams,
        WorkspacePushResult,
        WorkspaceCreatePullRequestParams,
        WorkspaceCreatePullRequestResult,
    );
    out.push_str(
        "\n/** Every request that carries a secret: its params' secret fields, and whether its result is one (`Secrets` in protocol.rs). */\n\
         export const SECRET_FIELDS: Readonly<Record<string, { params: readonly string[]; result: boolean }>> = {\n",
    );
    for f in SECRET_FIELDS {
        let params: Vec<String> = f.params.iter().map(|p| format!("'{p}'")).collect();
        out.push_str(&format!(
            "  '{}': {{ params: [{}], result: {} }},\n",
            f.method,
            params.join(", "),
            f.result
        ));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the generated TypeScript lives.
    const GENERATED: &str = "../extension/src/common/protocol.generated.ts";

    #[test]
    fn the_generated_typescript_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
        let fresh = super::typescript();
        if std::env::var_os("GROVE_WRITE_PROTOCOL_TS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `GROVE_WRITE_PROTOCOL_TS=1 cargo test -p grove-server --lib protocol` and commit it",
            path.display()
        );
    }
    use serde_json::json;

    #[test]
    fn settings_ignore_unknown_fields_and_default_missing_ones() {
        let s: GroveSettings =
            serde_json::from_value(json!({"claudePath": "/x/claude", "somethingNew": 1})).unwrap();
        assert_eq!(s.claude_path.as_deref(), Some("/x/claude"));
        assert_eq!(s.max_parallel_agents, None);
    }

    #[test]
    fn agent_events_are_tagged_by_kind_in_camel_case() {
        let e = AgentEvent::ToolResult {
            tool_use_id: "t1".into(),
            is_error: false,
            content: "ok".into(),
            denied: false,
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind": "toolResult", "toolUseId": "t1", "isError": false, "content": "ok"})
        );
        let o = AgentEvent::Other {
            kind: "system:status".into(),
            line: None,
        };
        assert_eq!(
            serde_json::to_value(&o).unwrap(),
            json!({"kind": "other", "type": "system:status"})
        );
        let r: AgentEvent = serde_json::from_value(json!({"kind": "result", "isError": true, "text": null, "costUsd": 0.5, "durationMs": 3})).unwrap();
        assert!(matches!(r, AgentEvent::Result { is_error: true, .. }));
    }

    #[test]
    fn auth_status_is_camel_case_on_the_wire() {
        let s = AuthStatus {
            logged_in: true,
            auth_method: "claude.ai".into(),
            api_provider: Some("firstParty".into()),
            email: None,
            org_name: None,
            subscription_type: Some("max".into()),
            cli: CliInfo {
                path: "/bin/claude".into(),
                version: None,
            },
            checked_at: "2026-11-21T10:00:00Z".into(),
            last_failure: Some(AuthFailure {
                message: "401".into(),
                source: FailureSource::Validate,
                at: "2026-11-21T10:00:00Z".into(),
            }),
        };
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["loggedIn"], true);
        assert_eq!(v["subscriptionType"], "max");
        assert_eq!(v["lastFailure"]["source"], "validate");
        assert!(v.get("orgName").is_some_and(|o| o.is_null()));
    }
}
