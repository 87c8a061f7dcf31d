//! The one error type of the sidecar: what went wrong, in the domain's words. Feature modules
//! return it; the JSON-RPC layer turns it into a `jsonrpc::Error` once, at the edge, with the
//! contract's code, message and `data` (`docs/protocol.md`, "Errors").

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc;

use crate::protocol::error_code;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a workspace cannot be changed right now (`data.reason` of WorkspaceBusy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusyReason {
    AgentRunning,
    ChangeInProgress,
}

/// What a NotFound error did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Workspace,
    Run,
    /// An agent's request (`grove/agent/respond`): answered already, or its run ended.
    Request,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// No agent CLI binary; `searched` lists every file tried, in order.
    CliNotFound {
        message: String,
        searched: Vec<String>,
    },
    /// A second sign-in while `login_id` runs.
    LoginInProgress { login_id: String },
    /// `loginInput`/`loginCancel` for a sign-in that is not running.
    UnknownLogin { login_id: String },
    /// The CLI ran (or could not be started) but gave no usable answer.
    CliFailed(String),
    /// Uncommitted or untracked `files` (or, for an archived workspace, a `snapshot` of them).
    WorkspaceDirty {
        files: Vec<String>,
        snapshot: Option<String>,
    },
    /// An agent runs in workspace `id`, or another change to it is under way.
    WorkspaceBusy { id: String, reason: BusyReason },
    /// A workspace name, ref or branch prefix that cannot be used.
    InvalidName(String),
    /// No workspace or run `id`.
    NotFound { what: Missing, id: String },
    /// `path` is not inside a git work tree.
    NotARepository { path: String },
    /// `branch` has commits its base `base_ref` lacks.
    UnmergedBranch {
        branch: String,
        base_ref: String,
        unmerged_commits: usize,
    },
    /// A git command (or git2) failed; the message ends with git's own words.
    GitFailed(String),
    /// `usage/get` while usage insights are off.
    UsageDisabled,
    /// Usage asked for without a subscription sign-in; the message says what the CLI uses.
    NoOAuthCredentials(String),
    /// The subscription token is expired or refused and could not be renewed.
    CredentialsExpired(String),
    /// Params that are well-formed JSON but cannot be used; `data` as documented per method.
    InvalidParams {
        message: String,
        data: Option<Value>,
    },
    /// Grove's own state (registry, runs, transcripts, locks) or the CLI's credential store could
    /// not be read or written.
    StoreFailed(String),
    /// `commit` found nothing to commit.
    NothingToCommit,
    /// A pre-commit or commit-msg hook refused the commit; `output` is what it printed.
    HookFailed { output: String },
    /// A merge or apply would touch `files` that have uncommitted work in `checkout`.
    DirtyCheckout {
        checkout: String,
        files: Vec<String>,
    },
    /// A merge, apply or continued sync meets conflicts in `files`; `message` says what to do.
    Conflicts { message: String, files: Vec<String> },
    /// The remote refused a push; `output` is git's.
    PushRejected { output: String },
    /// No GitHub CLI; `compare_url` opens the pull request in a browser instead.
    GhNotFound {
        message: String,
        compare_url: Option<String>,
    },
    /// The GitHub CLI is not signed in; `compare_url` as above.
    GhAuthRequired {
        message: String,
        compare_url: Option<String>,
    },
    /// Something outside Grove failed in a way no other code describes (the usage service could
    /// not be reached, say): JSON-RPC's internal error.
    Internal(String),
}

impl Error {
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::InvalidParams {
            message: message.into(),
            data: None,
        }
    }

    /// The JSON-RPC code of this error.
    pub fn code(&self) -> i64 {
        match self {
            Self::CliNotFound { .. } => error_code::CLI_NOT_FOUND,
            Self::LoginInProgress { .. } => error_code::LOGIN_IN_PROGRESS,
            Self::UnknownLogin { .. } => error_code::UNKNOWN_LOGIN,
            Self::CliFailed(_) => error_code::CLI_FAILED,
            Self::WorkspaceDirty { .. } => error_code::WORKSPACE_DIRTY,
            Self::WorkspaceBusy { .. } => error_code::WORKSPACE_BUSY,
            Self::InvalidName(_) => error_code::INVALID_NAME,
            Self::NotFound { .. } => error_code::NOT_FOUND,
            Self::NotARepository { .. } => error_code::NOT_A_REPOSITORY,
            Self::UnmergedBranch { .. } => error_code::UNMERGED_BRANCH,
            Self::GitFailed(_) => error_code::GIT_FAILED,
            Self::UsageDisabled => error_code::USAGE_DISABLED,
            Self::NoOAuthCredentials(_) => error_code::NO_OAUTH_CREDENTIALS,
            Self::CredentialsExpired(_) => error_code::CREDENTIALS_EXPIRED,
            Self::InvalidParams { .. } => error_code::INVALID_PARAMS,
            Self::StoreFailed(_) => error_code::STORE_FAILED,
            Self::NothingToCommit => error_code::NOTHING_TO_COMMIT,
            Self::HookFailed { .. } => error_code::HOOK_FAILED,
            Self::DirtyCheckout { .. } => error_code::DIRTY_CHECKOUT,
            Self::Conflicts { .. } => error_code::CONFLICTS,
            Self::PushRejected { .. } => error_code::PUSH_REJECTED,
            Self::GhNotFound { .. } => error_code::GH_NOT_FOUND,
            Self::GhAuthRequired { .. } => error_code::GH_AUTH_REQUIRED,
            Self::Internal(_) => jsonrpc::ErrorCode::InternalError.code(),
        }
    }

    /// The error's `data`, as the contract documents it per code.
    pub fn data(&self) -> Option<Value> {
        match self {
            Self::CliNotFound { searched, .. } => Some(json!({ "searched": searched })),
            Self::LoginInProgress { login_id } | Self::UnknownLogin { login_id } => {
                Some(json!({ "loginId": login_id }))
            }
            Self::WorkspaceDirty {
                files,
                snapshot: None,
            } => Some(json!({ "files": files })),
            Self::WorkspaceDirty {
                files,
                snapshot: Some(snapshot),
            } => Some(json!({ "files": files, "snapshot": snapshot })),
            Self::WorkspaceBusy { id, reason } => {
                let reason = match reason {
                    BusyReason::AgentRunning => "agentRunning",
                    BusyReason::ChangeInProgress => "changeInProgress",
                };
                Some(json!({ "id": id, "reason": reason }))
            }
            Self::NotFound {
                what: Missing::Workspace,
                id,
            } => Some(json!({ "id": id })),
            Self::NotFound {
                what: Missing::Run,
                id,
            } => Some(json!({ "runId": id })),
            Self::NotFound {
                what: Missing::Request,
                id,
            } => Some(json!({ "requestId": id })),
            Self::NotARepository { path } => Some(json!({ "repoPath": path })),
            Self::UnmergedBranch {
                branch,
                unmerged_commits,
                ..
            } => Some(json!({ "branch": branch, "unmergedCommits": unmerged_commits })),
            Self::InvalidParams { data, .. } => data.clone(),
            Self::HookFailed { output } | Self::PushRejected { output } => {
                Some(json!({ "output": output }))
            }
            Self::DirtyCheckout { checkout, files } => {
                Some(json!({ "files": files, "checkout": checkout }))
            }
            Self::Conflicts { files, .. } => Some(json!({ "files": files })),
            Self::GhNotFound { compare_url, .. } | Self::GhAuthRequired { compare_url, .. } => {
                Some(json!({ "compareUrl": compare_url }))
            }
            Self::NothingToCommit
            | Self::CliFailed(_)
            | Self::InvalidName(_)
            | Self::GitFailed(_)
            | Self::UsageDisabled
            | Self::NoOAuthCredentials(_)
            | Self::CredentialsExpired(_)
            | Self::StoreFailed(_)
            | Self::Internal(_) => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CliNotFound { message, .. }
            | Self::CliFailed(message)
            | Self::InvalidName(message)
            | Self::GitFailed(message)
            | Self::NoOAuthCredentials(message)
            | Self::CredentialsExpired(message)
            | Self::InvalidParams { message, .. }
            | Self::StoreFailed(message)
            | Self::Conflicts { message, .. }
            | Self::GhNotFound { message, .. }
            | Self::GhAuthRequired { message, .. }
            | Self::Internal(message) => f.write_str(message),
            Self::NothingToCommit => {
                f.write_str("There is nothing to commit: the workspace has no uncommitted changes.")
            }
            Self::HookFailed { output } => write!(
                f,
                "A git hook refused the commit; nothing was committed and the changes are still \
                 there. Fix what it says and commit again:\n{}",
                output.trim_end()
            ),
            Self::DirtyCheckout { checkout, files } => write!(
                f,
                "{} has uncommitted work in {} file(s) this would change ({}). Commit or stash \
                 them there first; nothing was changed.",
                checkout,
                files.len(),
                files.join(", ")
            ),
            Self::PushRejected { output } => write!(
                f,
                "The remote refused the push: it has commits this branch lacks. Sync the \
                 workspace and push again, or push with force-with-lease to replace them:\n{}",
                output.trim_end()
            ),
            Self::LoginInProgress { .. } => {
                f.write_str("A sign-in is already running; finish or cancel it first.")
            }
            Self::UnknownLogin { login_id } => write!(f, "No sign-in {login_id:?} is running."),
            Self::WorkspaceDirty {
                snapshot: Some(_), ..
            } => f.write_str(
                "The archived workspace holds uncommitted work saved when it was archived. \
                 Restore it, or delete with force.",
            ),
            Self::WorkspaceDirty {
                files,
                snapshot: None,
            } => write!(
                f,
                "The workspace has {} uncommitted or untracked file(s). Commit them, or archive \
                 with force to save them as a snapshot.",
                files.len()
            ),
            Self::WorkspaceBusy { reason, .. } => {
                let what = match reason {
                    BusyReason::AgentRunning => {
                        "an agent is running in it. Cancel the run, or try again when it ends"
                    }
                    BusyReason::ChangeInProgress => {
                        "another change to it is under way. Try again in a moment"
                    }
                };
                write!(f, "The workspace is busy: {what}.")
            }
            Self::NotFound {
                what: Missing::Workspace,
                id,
            } => write!(f, "No workspace {id:?}."),
            Self::NotFound {
                what: Missing::Run,
                id,
            } => write!(f, "No run {id:?}."),
            Self::NotFound {
                what: Missing::Request,
                id,
            } => write!(
                f,
                "The request {id:?} is not waiting any more: it was answered, or its run ended."
            ),
            Self::NotARepository { path } => write!(f, "{path} is not inside a git work tree."),
            Self::UnmergedBranch {
                branch,
                base_ref,
                unmerged_commits,
            } => write!(
                f,
                "The branch {branch} has {unmerged_commits} commit(s) that {base_ref} does not \
                 have. Merge them, or delete with force."
            ),
            Self::UsageDisabled => f.write_str(
                "Usage insights are off. Turn on grove.usageInsights.enabled to see your limits.",
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The edge: the one place a domain error becomes a JSON-RPC error.
impl From<Error> for jsonrpc::Error {
    fn from(e: Error) -> Self {
        jsonrpc::Error {
            code: jsonrpc::ErrorCode::ServerError(e.code()),
            message: e.to_string().into(),
            data: e.data(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(e: Error) -> Value {
        let e = jsonrpc::Error::from(e);
        json!({ "code": e.code.code(), "message": e.message, "data": e.data })
    }

    #[test]
    fn every_kind_has_its_code_message_and_data() {
        let cases = [
            (
                Error::CliNotFound {
                    message: "none".into(),
                    searched: vec!["/a/claude".into()],
                },
                json!({"code": -32010, "message": "none", "data": {"searched": ["/a/claude"]}}),
            ),
            (
                Error::LoginInProgress {
                    login_id: "login-1".into(),
                },
                json!({"code": -32011, "message": "A sign-in is already running; finish or cancel it first.", "data": {"loginId": "login-1"}}),
            ),
            (
                Error::UnknownLogin {
                    login_id: "x".into(),
                },
                json!({"code": -32012, "message": "No sign-in \"x\" is running.", "data": {"loginId": "x"}}),
            ),
            (
                Error::CliFailed("boom".into()),
                json!({"code": -32013, "message": "boom", "data": null}),
            ),
            (
                Error::WorkspaceDirty {
                    files: vec!["a".into(), "b".into()],
                    snapshot: None,
                },
                json!({"code": -32020, "message": "The workspace has 2 uncommitted or untracked file(s). Commit them, or archive with force to save them as a snapshot.", "data": {"files": ["a", "b"]}}),
            ),
            (
                Error::WorkspaceDirty {
                    files: vec![],
                    snapshot: Some("abc".into()),
                },
                json!({"code": -32020, "message": "The archived workspace holds uncommitted work saved when it was archived. Restore it, or delete with force.", "data": {"files": [], "snapshot": "abc"}}),
            ),
            (
                Error::WorkspaceBusy {
                    id: "w".into(),
                    reason: BusyReason::AgentRunning,
                },
                json!({"code": -32021, "message": "The workspace is busy: an agent is running in it. Cancel the run, or try again when it ends.", "data": {"id": "w", "reason": "agentRunning"}}),
            ),
            (
                Error::WorkspaceBusy {
                    id: "w".into(),
                    reason: BusyReason::ChangeInProgress,
                },
                json!({"code": -32021, "message": "The workspace is busy: another change to it is under way. Try again in a moment.", "data": {"id": "w", "reason": "changeInProgress"}}),
            ),
            (
                Error::InvalidName("bad".into()),
                json!({"code": -32022, "message": "bad", "data": null}),
            ),
            (
                Error::NotFound {
                    what: Missing::Workspace,
                    id: "w".into(),
                },
                json!({"code": -32023, "message": "No workspace \"w\".", "data": {"id": "w"}}),
            ),
            (
                Error::NotFound {
                    what: Missing::Run,
                    id: "r".into(),
                },
                json!({"code": -32023, "message": "No run \"r\".", "data": {"runId": "r"}}),
            ),
            (
                Error::NotARepository { path: "/x".into() },
                json!({"code": -32024, "message": "/x is not inside a git work tree.", "data": {"repoPath": "/x"}}),
            ),
            (
                Error::UnmergedBranch {
                    branch: "grove/a".into(),
                    base_ref: "main".into(),
                    unmerged_commits: 2,
                },
                json!({"code": -32025, "message": "The branch grove/a has 2 commit(s) that main does not have. Merge them, or delete with force.", "data": {"branch": "grove/a", "unmergedCommits": 2}}),
            ),
            (
                Error::GitFailed("git x: no".into()),
                json!({"code": -32026, "message": "git x: no", "data": null}),
            ),
            (
                Error::UsageDisabled,
                json!({"code": -32030, "message": "Usage insights are off. Turn on grove.usageInsights.enabled to see your limits.", "data": null}),
            ),
            (
                Error::NoOAuthCredentials("n".into()),
                json!({"code": -32031, "message": "n", "data": null}),
            ),
            (
                Error::CredentialsExpired("e".into()),
                json!({"code": -32032, "message": "e", "data": null}),
            ),
            (
                Error::StoreFailed("s".into()),
                json!({"code": -32040, "message": "s", "data": null}),
            ),
            (
                Error::InvalidParams {
                    message: "p".into(),
                    data: Some(json!({"setting": "grove.worktreeRoot"})),
                },
                json!({"code": -32602, "message": "p", "data": {"setting": "grove.worktreeRoot"}}),
            ),
            (
                Error::Internal("i".into()),
                json!({"code": -32603, "message": "i", "data": null}),
            ),
            (
                Error::NothingToCommit,
                json!({"code": -32050, "message": "There is nothing to commit: the workspace has no uncommitted changes.", "data": null}),
            ),
            (
                Error::HookFailed {
                    output: "lint failed\n".into(),
                },
                json!({"code": -32051, "message": "A git hook refused the commit; nothing was committed and the changes are still there. Fix what it says and commit again:\nlint failed", "data": {"output": "lint failed\n"}}),
            ),
            (
                Error::DirtyCheckout {
                    checkout: "/r".into(),
                    files: vec!["a".into()],
                },
                json!({"code": -32052, "message": "/r has uncommitted work in 1 file(s) this would change (a). Commit or stash them there first; nothing was changed.", "data": {"files": ["a"], "checkout": "/r"}}),
            ),
            (
                Error::Conflicts {
                    message: "c".into(),
                    files: vec!["a".into()],
                },
                json!({"code": -32053, "message": "c", "data": {"files": ["a"]}}),
            ),
            (
                Error::PushRejected {
                    output: "! x".into(),
                },
                json!({"code": -32054, "message": "The remote refused the push: it has commits this branch lacks. Sync the workspace and push again, or push with force-with-lease to replace them:\n! x", "data": {"output": "! x"}}),
            ),
            (
                Error::GhNotFound {
                    message: "g".into(),
                    compare_url: Some("https://h/o/r/compare/main...b".into()),
                },
                json!({"code": -32055, "message": "g", "data": {"compareUrl": "https://h/o/r/compare/main...b"}}),
            ),
            (
                Error::GhAuthRequired {
                    message: "a".into(),
                    compare_url: None,
                },
                json!({"code": -32056, "message": "a", "data": {"compareUrl": null}}),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(wire(error), expected);
        }
    }
}
