//! The Grove protocol, declared once: every custom method with its params and result, the settings,
//! and the error codes. Mirrored by `extension/src/protocol.ts`, documented in `docs/protocol.md`;
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
    /// `usage/get` while `usageInsights` is off.
    pub const USAGE_DISABLED: i64 = -32030;
    /// Usage asked for, but the login is an API key or an inherited token.
    pub const NO_OAUTH_CREDENTIALS: i64 = -32031;
    /// The token is expired and could not be refreshed.
    pub const CREDENTIALS_EXPIRED: i64 = -32032;
    /// Malformed params (standard JSON-RPC).
    pub const INVALID_PARAMS: i64 = -32602;
}

/// Settings, from `initializationOptions` and `workspace/didChangeConfiguration`
/// (`{settings: {grove: GroveSettings}}`). Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroveSettings {
    pub claude_path: Option<String>,
    pub max_parallel_agents: Option<u32>,
    pub worktree_root: Option<String>,
    pub usage_insights: Option<bool>,
}

/// Where the claude CLI is and which version it reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CliInfo {
    pub path: String,
    pub version: Option<String>,
}

/// Where an authentication failure was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FailureSource {
    Agent,
    Validate,
    Usage,
    Login,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthFailure {
    pub message: String,
    pub source: FailureSource,
    pub at: String,
}

/// The CLI's sign-in state as `claude auth status --json` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[serde(rename_all = "camelCase", default)]
pub struct AuthStatusParams {
    /// Run `claude auth status --json` again instead of answering from the cache.
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
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    Claudeai,
    Console,
    Sso,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthLoginParams {
    pub method: Option<LoginMethod>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[serde(rename_all = "lowercase")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginProgress {
    pub login_id: String,
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
#[serde(rename_all = "camelCase")]
pub struct LoginComplete {
    pub login_id: String,
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
#[serde(default)]
pub struct AuthValidateParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_ignore_unknown_fields_and_default_missing_ones() {
        let s: GroveSettings =
            serde_json::from_value(json!({"claudePath": "/x/claude", "somethingNew": 1})).unwrap();
        assert_eq!(s.claude_path.as_deref(), Some("/x/claude"));
        assert_eq!(s.max_parallel_agents, None);
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
