//! Child processes that never outlive the sidecar: each in its own process group (so a cancel
//! reaches everything it started) and, on Linux, killed by the kernel if the sidecar dies.

use std::sync::Mutex;
use std::time::Duration;

use tokio::process::{Child, Command};

/// Leaders of the process groups started and not yet reaped.
static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

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
    }
    Ok(child)
}

/// The group's leader has exited and its owner is done: kill what it left behind, forget it.
pub fn reap_group(pid: u32) {
    signal_group(pid, SIGKILL);
    LIVE.lock().unwrap().retain(|p| *p != pid);
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
