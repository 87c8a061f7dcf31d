//! Child processes that never outlive the sidecar: each in its own process group (so a cancel
//! reaches everything it started), killed by the kernel if the sidecar dies (Linux), and watched
//! by a reaper process that kills every group left when the sidecar goes, even by SIGKILL. Every
//! child starts from `command`: the sanitized environment and explicit stdio.

use std::io::{BufRead, Write};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::process::{Child, Command};

/// Variables that carry a token into a child, whatever the child: the GitHub CLI's (given back
/// to `gh` alone: `command_with_inherited(gh, GH_ENV)`). Each agent CLI adds its own
/// (`AgentAdapter::strips`).
pub const GH_ENV: &[&str] = &[
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GH_ENTERPRISE_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GH_HOST",
];

/// Whether an inherited variable may reach a child: no GitHub token, and none that an agent CLI
/// says carries its credentials.
pub fn env_allowed(name: &std::ffi::OsStr, value: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return true;
    };
    !GH_ENV.contains(&name)
        && !crate::agents::registry::adapters()
            .iter()
            .any(|a| a.strips(name, value))
}

/// What an agent CLI gets for one run: variables removed, then variables set. Its `Debug`
/// shows names only.
#[derive(Default, Clone)]
pub struct RunEnv {
    pub remove: Vec<&'static str>,
    pub set: Vec<(&'static str, String)>,
    /// The model server the run talks to, for people (no credential in it): named when the run
    /// stalls.
    pub endpoint: Option<String>,
}

impl std::fmt::Debug for RunEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.set.iter().map(|(k, _)| *k).collect();
        write!(f, "RunEnv {{ remove: {:?}, set: {names:?} }}", self.remove)
    }
}

impl RunEnv {
    pub fn apply(&self, cmd: &mut Command) {
        for k in &self.remove {
            cmd.env_remove(k);
        }
        for (k, v) in &self.set {
            cmd.env(k, v);
        }
    }
}

/// A command for any child Grove starts (CLIs, git and its hooks, setup scripts, shells): the
/// sidecar's environment minus inherited tokens (`env_allowed`), all three stdio streams null
/// (callers pipe what they read), killed when dropped.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .envs(std::env::vars_os().filter(|(k, v)| env_allowed(k, v)))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    cmd
}

/// `command`, with the inherited `names` given back (the GitHub CLI's own token variables, for
/// `gh` alone: `GH_ENV`). Nothing else that `command` strips comes back.
pub fn command_with_inherited(program: impl AsRef<std::ffi::OsStr>, names: &[&str]) -> Command {
    let mut cmd = command(program);
    for name in names {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    cmd
}

/// Leaders of the process groups started and not yet reaped.
static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// The reaper's stdin: `+pgid` and `-pgid` lines. Started with the first group.
static REAPER: Mutex<Option<std::process::ChildStdin>> = Mutex::new(None);

/// The argument that runs `grove-server` as the reaper.
pub const REAPER_ARG: &str = "--reaper";

/// `grove-server --reaper`: reads `+pgid`/`-pgid` lines; when stdin ends (the sidecar is gone,
/// however it went), kills every group still listed.
pub fn run_reaper() {
    let mut groups: Vec<u32> = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let (sign, pid) = line.split_at(line.len().min(1));
        match (sign, pid.trim().parse::<u32>()) {
            ("+", Ok(pid)) => groups.push(pid),
            ("-", Ok(pid)) => groups.retain(|p| *p != pid),
            _ => {}
        }
    }
    for pid in groups {
        signal_group(pid, SIGKILL);
    }
}

fn tell_reaper(line: &str) {
    let mut reaper = REAPER.lock().unwrap();
    if reaper.is_none() {
        *reaper = start_reaper();
    }
    if let Some(stdin) = reaper.as_mut()
        && writeln!(stdin, "{line}").is_err()
    {
        *reaper = None;
    }
}

fn start_reaper() -> Option<std::process::ChildStdin> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().ok()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg(REAPER_ARG)
        .env_clear()
        .envs(std::env::vars_os().filter(|(k, v)| env_allowed(k, v)))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        // Its own group: a Ctrl-C meant for the sidecar must not stop it first.
        .process_group(0);
    match cmd.spawn() {
        Ok(mut child) => child.stdin.take(),
        Err(e) => {
            tracing::warn!("could not start the process reaper: {e}");
            None
        }
    }
}

/// A process, told apart from a later one that reuses its pid by its start time (Linux).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub pid: u32,
    pub start: Option<u64>,
}

impl Owner {
    pub fn me() -> Self {
        let pid = std::process::id();
        Self {
            pid,
            start: proc_stat(pid).and_then(|f| f.get(19)?.parse().ok()),
        }
    }

    /// Whether it still runs: it exists, is not a zombie, and is the same process.
    pub fn alive(&self) -> bool {
        if let Some(fields) = proc_stat(self.pid) {
            return fields.first().is_some_and(|state| state != "Z")
                && (self.start.is_none()
                    || fields.get(19).and_then(|s| s.parse().ok()) == self.start);
        }
        // No /proc (macOS): signal 0 only checks that the process exists.
        // SAFETY: kill with signal 0 sends nothing.
        let sent = unsafe { libc::kill(self.pid as i32, 0) } == 0;
        sent || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
}

/// The fields of `/proc/<pid>/stat` after the command name: state first, start time at 19.
fn proc_stat(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Some(
        stat[stat.rfind(')')? + 2..]
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    )
}

/// Spawns `cmd` as the leader of a new process group. On Linux the child also gets SIGKILL when
/// the thread that spawned it ends; tokio's worker threads live as long as the runtime.
pub fn spawn_group(cmd: &mut Command) -> std::io::Result<Child> {
    cmd.process_group(0);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl and getppid are async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        let parent = libc::getpid();
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The sidecar died between fork and prctl: do not run orphaned.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    if let Some(pid) = child.id() {
        LIVE.lock().unwrap().push(pid);
        tell_reaper(&format!("+{pid}"));
    }
    Ok(child)
}

/// The group's leader has exited and its owner is done: kill what it left behind, forget it.
pub fn reap_group(pid: u32) {
    signal_group(pid, SIGKILL);
    LIVE.lock().unwrap().retain(|p| *p != pid);
    tell_reaper(&format!("-{pid}"));
}

/// Kills every group still running; the sidecar is going away.
pub fn kill_all() {
    let live = std::mem::take(&mut *LIVE.lock().unwrap());
    for pid in live {
        signal_group(pid, SIGKILL);
    }
}

/// Sends `signal` to every process of the group led by `pid`.
pub fn signal_group(pid: u32, signal: i32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: plain syscall; a group that is gone answers ESRCH, which is fine.
        unsafe {
            libc::killpg(pid, signal);
        }
    }
}

/// Whether any process of the group led by `pid` is still there (zombies included).
pub fn group_alive(pid: u32) -> bool {
    // SAFETY: signal 0 sends nothing; it only checks that the group exists.
    i32::try_from(pid).is_ok_and(|p| unsafe { libc::killpg(p, 0) } == 0)
}

/// Stops a group: SIGTERM, then SIGKILL after `grace` if `child` has not exited.
pub async fn stop_group(child: &mut Child, grace: Duration) {
    let Some(pid) = child.id() else { return };
    signal_group(pid, libc::SIGTERM);
    if tokio::time::timeout(grace, child.wait()).await.is_err() {
        signal_group(pid, libc::SIGKILL);
        let _ = child.wait().await;
    }
    reap_group(pid);
}

pub use libc::{SIGKILL, SIGTERM};
