//! Steps most end-to-end tests take with a sidecar: a workspace, a run's end, its events.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::Sidecar;

/// A new workspace of `repo` named `name`.
pub async fn workspace(s: &Sidecar, repo: &Path, name: &str) -> Value {
    s.request(
        "grove/workspace/create",
        json!({"repoPath": repo, "name": name}),
    )
    .await
    .expect("workspace")
}

/// The run's final `stateChanged`, waited for up to `within` (the sidecar's log on failure).
pub async fn ended(s: &Sidecar, run: &Value, within: Duration) -> Value {
    s.wait_for("grove/agent/stateChanged", 0, within, |r| {
        r["runId"] == run["runId"]
            && r["state"]
                .as_str()
                .is_some_and(|st| !matches!(st, "queued" | "running" | "waiting"))
    })
    .await
    .unwrap_or_else(|| panic!("run did not end; log:\n{}", s.stderr()))
}

/// The events of `run` so far, in order (each the `event` of a `grove/agent/event`).
pub fn events_of(s: &Sidecar, run: &Value) -> Vec<Value> {
    s.notifications("grove/agent/event")
        .into_iter()
        .filter(|e| e["runId"] == run["runId"])
        .map(|e| e["event"].clone())
        .collect()
}
