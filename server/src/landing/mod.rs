//! Landing a workspace's work: where it stands against its base (`status`), commit, sync with the
//! base (rebase or merge, conflicts, continue, abort), merge into the base, apply to the main
//! checkout, push, and pull requests (`pr`). git2 reads; the git CLI changes checkouts and runs
//! hooks, every process from `process::command`.

pub mod pr;

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::protocol::{
    GitStatus, GroveSettings, MergeMethod, SyncMethod, WorkspaceApplyResult,
    WorkspaceCommitMessage, WorkspaceCommitResult, WorkspaceCreatePullRequestParams,
    WorkspaceCreatePullRequestResult, WorkspaceMergeParams, WorkspaceMergeResult,
    WorkspacePushParams, WorkspacePushResult, WorkspaceResolvePrompt, WorkspaceSyncParams,
    WorkspaceSyncResult,
};
use crate::workspaces::Workspaces;

/// The landing settings (`grove.*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub commit_after_each_run: bool,
    pub sync_method: SyncMethod,
    pub merge_method: MergeMethod,
    pub remote: Option<String>,
    pub gh_path: Option<String>,
}

/// The landing feature: one per sidecar.
pub struct Landing {
    #[allow(dead_code)]
    notifier: Notifier,
    #[allow(dead_code)]
    workspaces: Arc<Workspaces>,
    settings: Mutex<Settings>,
}

fn not_yet(what: &str) -> Error {
    Error::Internal(format!("{what} is not available yet in this Grove build."))
}

impl Landing {
    pub fn new(notifier: Notifier, workspaces: Arc<Workspaces>) -> Self {
        Self {
            notifier,
            workspaces,
            settings: Mutex::new(Settings::default()),
        }
    }

    /// The landing settings, applied at once.
    pub fn apply_settings(&self, s: &GroveSettings) {
        *self.settings.lock().unwrap() = Settings {
            commit_after_each_run: s.commit_after_each_run.unwrap_or(false),
            sync_method: s.sync_method.unwrap_or_default(),
            merge_method: s.merge_method.unwrap_or_default(),
            remote: s.remote.clone().filter(|r| !r.trim().is_empty()),
            gh_path: s.gh_path.clone().filter(|p| !p.trim().is_empty()),
        };
    }

    /// `grove/workspace/gitStatus`.
    pub async fn git_status(&self, _id: &str) -> Result<GitStatus> {
        Err(not_yet("gitStatus"))
    }

    /// `grove/workspace/commit`.
    pub async fn commit(&self, _id: &str, _message: &str) -> Result<WorkspaceCommitResult> {
        Err(not_yet("commit"))
    }

    /// `grove/workspace/commitMessage`.
    pub async fn commit_message(&self, _id: &str) -> Result<WorkspaceCommitMessage> {
        Err(not_yet("commitMessage"))
    }

    /// `grove/workspace/sync`.
    pub async fn sync(&self, _p: WorkspaceSyncParams) -> Result<WorkspaceSyncResult> {
        Err(not_yet("sync"))
    }

    /// `grove/workspace/syncContinue`.
    pub async fn sync_continue(&self, _id: &str) -> Result<WorkspaceSyncResult> {
        Err(not_yet("syncContinue"))
    }

    /// `grove/workspace/syncAbort`.
    pub async fn sync_abort(&self, _id: &str) -> Result<()> {
        Err(not_yet("syncAbort"))
    }

    /// `grove/workspace/resolvePrompt`.
    pub async fn resolve_prompt(&self, _id: &str) -> Result<WorkspaceResolvePrompt> {
        Err(not_yet("resolvePrompt"))
    }

    /// `grove/workspace/merge`.
    pub async fn merge(&self, _p: WorkspaceMergeParams) -> Result<WorkspaceMergeResult> {
        Err(not_yet("merge"))
    }

    /// `grove/workspace/apply`.
    pub async fn apply(&self, _id: &str) -> Result<WorkspaceApplyResult> {
        Err(not_yet("apply"))
    }

    /// `grove/workspace/push`.
    pub async fn push(&self, _p: WorkspacePushParams) -> Result<WorkspacePushResult> {
        Err(not_yet("push"))
    }

    /// `grove/workspace/createPullRequest`.
    pub async fn create_pull_request(
        &self,
        _p: WorkspaceCreatePullRequestParams,
    ) -> Result<WorkspaceCreatePullRequestResult> {
        Err(not_yet("createPullRequest"))
    }
}
