//! The persisted list of workspaces in the state directory, shared by every sidecar: each change
//! re-reads the file under one lock and writes it back atomically, so no window's change is lost.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::process::Owner;
use crate::protocol::Workspace;
use crate::store::{FileLock, private_dir, write_atomic};

/// A workspace as Grove keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    #[serde(flatten)]
    pub ws: Workspace,
    /// Where the worktree is (or goes back to on restore).
    pub worktree_path: String,
    /// Uncommitted work saved at archive: a commit under `refs/grove/snapshots/<id>`.
    #[serde(default)]
    pub snapshot: Option<String>,
    /// Set while `create` runs; a record whose creator died is a crash to clean up.
    #[serde(default)]
    pub creating: Option<Owner>,
    /// "Always allow" rules for agents' requests in this workspace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<crate::protocol::Rule>,
    /// The branch was there before the workspace (`create` with `branch`): never deleted by
    /// undoing a failed create.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub existing_branch: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct RegistryFile {
    version: u32,
    workspaces: Vec<Record>,
}

pub struct Registry {
    dir: PathBuf,
}

impl Registry {
    pub fn new(state_dir: PathBuf) -> Self {
        Self { dir: state_dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.join("workspaces.json")
    }

    /// Every record as last written. Readers need no lock: the file is replaced whole.
    pub fn read(&self) -> Vec<Record> {
        match std::fs::read(self.file()) {
            Ok(bytes) => match serde_json::from_slice::<RegistryFile>(&bytes) {
                Ok(f) => f.workspaces,
                Err(e) => {
                    tracing::error!(
                        "the workspace registry is unreadable ({e}); starting from the worktrees on disk"
                    );
                    let aside = self.dir.join(format!(
                        "workspaces.json.unreadable-{}",
                        crate::store::nonce()
                    ));
                    let _ = std::fs::rename(self.file(), aside);
                    Vec::new()
                }
            },
            Err(_) => Vec::new(),
        }
    }

    /// Runs `change` on the current records under the lock and saves the result. Blocking.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<Record>) -> T) -> std::io::Result<T> {
        private_dir(&self.dir)?;
        let _lock = FileLock::exclusive(&self.dir.join("workspaces.lock"))?;
        let mut records = self.read();
        let before = records.clone();
        let out = change(&mut records);
        if records != before {
            let file = RegistryFile {
                version: 1,
                workspaces: records,
            };
            write_atomic(&self.file(), &serde_json::to_vec_pretty(&file)?)?;
        }
        Ok(out)
    }
}
