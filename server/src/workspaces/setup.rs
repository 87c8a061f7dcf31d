//! A workspace's setup: its block of ports (`GROVE_PORT`), and the setup script run in a new
//! worktree with `bash`, in its own process group, its output streamed as
//! `grove/workspace/setupOutput`, stopped after a time limit.

use std::collections::HashSet;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::notifier::Notifier;
use crate::protocol::{OutputStream, SetupOutput, SetupResult, Workspace, WorkspaceSetupOutput};

/// The script run when `grove.setupScript` is not set, if the worktree has it.
pub const DEFAULT_SCRIPT: &str = ".grove/setup.sh";
/// How long a setup script may run unless `grove.setupTimeoutSeconds` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Each workspace gets ports `port..port+10`, the blocks counted up from here.
pub const PORT_BASE: u16 = 41000;
const PORTS_PER_WORKSPACE: u16 = 10;

/// The first port of the lowest block no workspace in `used` has.
pub fn next_port(used: impl IntoIterator<Item = u16>) -> u16 {
    let used: HashSet<u16> = used.into_iter().collect();
    (0..)
        .map(|k: u16| PORT_BASE.saturating_add(k.saturating_mul(PORTS_PER_WORKSPACE)))
        .find(|p| !used.contains(p))
        .unwrap_or(PORT_BASE)
}

/// The setup script as the settings say: which one (relative to the worktree), and how long it
/// may run.
#[derive(Debug, Clone, Default)]
pub struct SetupScript {
    pub script: Option<String>,
    pub timeout: Option<Duration>,
}

impl SetupScript {
    /// Runs the setup script in the new worktree, streaming its output. None when there is none.
    pub async fn run(
        &self,
        notifier: &Notifier,
        ws: &Workspace,
        root: &Path,
        worktree: &Path,
    ) -> Option<SetupResult> {
        let (configured, limit) = (self.script.clone(), self.timeout.unwrap_or(DEFAULT_TIMEOUT));
        let name = configured.as_deref().unwrap_or(DEFAULT_SCRIPT);
        let script = worktree.join(name);
        let failed = |message: String| {
            Some(SetupResult {
                success: false,
                exit_code: None,
                message: Some(message),
            })
        };
        if std::fs::symlink_metadata(&script).is_err() {
            return configured.and_then(|c| {
                failed(format!(
                    "The setup script {c} was not found in the workspace."
                ))
            });
        }
        // Only a regular file of the workspace runs: not a link out of it, a FIFO or a device.
        let resolved = script.canonicalize().ok();
        let regular = resolved.as_deref().is_some_and(|r| {
            r.is_file() && worktree.canonicalize().is_ok_and(|w| r.starts_with(w))
        });
        if !regular {
            tracing::warn!(id = %ws.id, "the setup script is not a regular file of the workspace");
            return failed(format!(
                "The setup script {name} is not a regular file inside the workspace; it was not run."
            ));
        }
        let mut cmd = crate::process::command("bash");
        cmd.arg(&script)
            .current_dir(worktree)
            .env("GROVE_WORKSPACE_NAME", &ws.name)
            .env("GROVE_WORKSPACE_PATH", worktree)
            .env("GROVE_ROOT_PATH", root)
            .env("GROVE_PORT", ws.port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = match crate::process::spawn_group(&mut cmd) {
            Ok(c) => c,
            Err(e) => return failed(format!("Could not run the setup script: {e}")),
        };
        let pid = child.id().unwrap_or(0);
        let mut rx = output_lines(&mut child);
        let mut last = None;
        let relay = async {
            while let Some((stream, line)) = rx.recv().await {
                if !line.trim().is_empty() {
                    last = Some(line.clone());
                }
                let out = SetupOutput {
                    workspace_id: ws.id.clone(),
                    stream,
                    line: crate::redact::redact(&line),
                };
                notifier.notify::<WorkspaceSetupOutput>(&out).await;
            }
            child.wait().await.ok()
        };
        let status = tokio::time::timeout(limit, relay).await;
        let timed_out = status.is_err();
        let status = match status {
            Ok(status) => {
                crate::process::reap_group(pid);
                status
            }
            Err(_) => {
                tracing::warn!(id = %ws.id, "the setup script ran over {} s; stopping it", limit.as_secs());
                crate::process::stop_group(&mut child, std::time::Duration::from_secs(2)).await;
                None
            }
        };
        let result = result_of(status, timed_out.then_some(limit), last);
        if !result.success {
            tracing::warn!(id = %ws.id, "setup script failed");
        }
        Some(result)
    }
}

/// The lines of the child's stdout and stderr, as they come, until both close.
fn output_lines(
    child: &mut tokio::process::Child,
) -> tokio::sync::mpsc::UnboundedReceiver<(OutputStream, String)> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let pipes: [(
        OutputStream,
        Option<Box<dyn tokio::io::AsyncRead + Unpin + Send>>,
    ); 2] = [
        (
            OutputStream::Stdout,
            (child.stdout.take())
                .map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        ),
        (
            OutputStream::Stderr,
            (child.stderr.take())
                .map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        ),
    ];
    for (stream, pipe) in pipes {
        let tx = tx.clone();
        if let Some(pipe) = pipe {
            tokio::spawn(async move {
                let mut lines = BufReader::new(pipe).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let _ = tx.send((stream, line));
                }
            });
        }
    }
    rx
}

/// The script's result: its exit status (none: killed, or stopped after `timed_out`) and, when
/// it failed, why in one sentence ending with its last output line.
fn result_of(
    status: Option<std::process::ExitStatus>,
    timed_out: Option<std::time::Duration>,
    last: Option<String>,
) -> SetupResult {
    let code = status.and_then(|s| s.code());
    let success = status.is_some_and(|s| s.success());
    let message = (!success).then(|| {
        let how = match (timed_out, code) {
            (Some(limit), _) => format!(
                "did not finish within {} s and was stopped",
                limit.as_secs()
            ),
            (None, Some(c)) => format!("exited with {c}"),
            (None, None) => "was killed".to_string(),
        };
        let why = last
            .map(|l| format!(": {}", crate::redact::redact(&l)))
            .unwrap_or_default();
        format!(
            "The setup script {how}{why}. The workspace is usable; run the script again by hand."
        )
    });
    SetupResult {
        success,
        exit_code: code,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_blocks_are_distinct() {
        assert_eq!(next_port([]), PORT_BASE);
        assert_eq!(next_port([PORT_BASE, PORT_BASE + 20]), PORT_BASE + 10);
    }
}
