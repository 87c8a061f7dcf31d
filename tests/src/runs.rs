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

/// What ran under the sidecar while a run went: each command line and each environment seen.
#[derive(Default)]
pub struct Watched {
    pub cmdlines: Vec<String>,
    pub environs: Vec<String>,
}

/// The run's final `stateChanged` (no deadline: the test's own), looking every 100 ms at the
/// command line and the environment of every process under the sidecar.
pub async fn ended_watching(s: &Sidecar, run: &Value, seen: &mut Watched) -> Value {
    loop {
        seen.cmdlines.extend(crate::procs::cmdlines_under(s.pid()));
        let sidecar = std::fs::read_link(format!("/proc/{}/exe", s.pid())).ok();
        for p in crate::procs::descendants(s.pid()) {
            // A child caught between fork and exec still shows the sidecar's own environment.
            if std::fs::read_link(format!("/proc/{p}/exe")).ok() == sidecar {
                continue;
            }
            if let Ok(env) = std::fs::read(format!("/proc/{p}/environ")) {
                // Headed by the process's command line, to say whose it is.
                let cmdline = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
                let env = String::from_utf8_lossy(&env).replace('\0', "\n");
                let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                seen.environs.push(format!("{cmdline}\n{env}"));
            }
        }
        let end = s
            .wait_for(
                "grove/agent/stateChanged",
                0,
                Duration::from_millis(100),
                |r| {
                    r["runId"] == run["runId"]
                        && !matches!(r["state"].as_str(), Some("queued" | "running"))
                },
            )
            .await;
        if let Some(end) = end {
            return end;
        }
    }
}

/// The events of `run` so far, in order (each the `event` of a `grove/agent/event`).
pub fn events_of(s: &Sidecar, run: &Value) -> Vec<Value> {
    s.notifications("grove/agent/event")
        .into_iter()
        .filter(|e| e["runId"] == run["runId"])
        .map(|e| e["event"].clone())
        .collect()
}

/// Cancels `run`, whose agent process is running: the run must end `cancelled` within 5 s and
/// leave no process of the agent's group. Returns the final run.
pub async fn cancel_within_5s(s: &Sidecar, run: &Value) -> Value {
    use std::time::Instant;
    let agent = crate::procs::children(s.pid())
        .into_iter()
        .find(|p| crate::procs::pgid(*p) == Some(*p))
        .expect("the agent's process, leading its own group");
    let asked = Instant::now();
    s.request("grove/agent/cancel", json!({"runId": run["runId"]}))
        .await
        .expect("cancel");
    let end = ended(s, run, Duration::from_secs(10)).await;
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "cancel took {:?}",
        asked.elapsed()
    );
    assert_eq!(end["state"], "cancelled", "{end:#}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !crate::procs::group_members(agent).is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left = crate::procs::group_members(agent);
    assert!(left.is_empty(), "left behind: {left:?}");
    end
}

/// The profile `id` of a `grove/profiles/list` answer (or `changed` notification), if listed.
pub fn profile_in<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list["profiles"].as_array()?.iter().find(|p| p["id"] == id)
}
