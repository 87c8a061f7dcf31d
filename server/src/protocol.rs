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
