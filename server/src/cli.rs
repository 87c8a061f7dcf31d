//! Agent CLIs on this machine: each one's path setting and where it is (setting, `PATH`, the login
//! shell's `PATH`, usual install places), its version, and the one function that builds every
//! command Grove runs it with, in a sanitized environment.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::process::Command;
use tokio::sync::OnceCell;

use crate::error::{Error, Result};

/// A command for the agent CLI at `program` (see `process::command`). Every CLI process starts
/// here.
pub fn command(program: &Path) -> Command {
    crate::process::command(program)
}

/// Starts a command made by `command` in its own process group (see `process::spawn_group`);
/// a failure to start is CliFailed, naming the CLI.
pub fn spawn(cmd: &mut Command, program: &Path) -> Result<tokio::process::Child> {
    crate::process::spawn_group(cmd)
        .map_err(|e| Error::CliFailed(format!("Could not run {}: {e}", program.display())))
}

/// The agent CLIs as the settings and the machine say: their path settings and the locator.
#[derive(Default)]
pub struct Cli {
    /// Each agent CLI's binary setting that holds a path (`<cli>Path`).
    paths: Mutex<std::collections::HashMap<String, String>>,
    locator: Locator,
}

impl Cli {
    /// Takes every agent CLI's binary setting; the names of those that changed.
    pub fn set_paths(&self, paths: std::collections::HashMap<String, String>) -> Vec<String> {
        let mut current = self.paths.lock().unwrap();
        let mut changed: Vec<String> = paths
            .iter()
            .filter(|(k, v)| current.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .collect();
        changed.extend(current.keys().filter(|k| !paths.contains_key(*k)).cloned());
        *current = paths;
        changed
    }

    /// `find`, a failure as CliNotFound.
    pub async fn resolve(&self, named: &Named) -> Result<PathBuf> {
        self.find(named).await.map_err(|nf| Error::CliNotFound {
            message: nf.message,
            searched: nf.searched,
        })
    }

    pub async fn find(&self, named: &Named) -> Result<PathBuf, NotFound> {
        let setting = self.paths.lock().unwrap().get(named.setting).cloned();
        self.locator.resolve_named(named, setting.as_deref()).await
    }

    /// `<cli> --version` of the binary at `path` (see `Locator::version`).
    pub async fn version(&self, path: &Path) -> Option<String> {
        self.locator.version(path).await
    }
}

/// The CLI could not be found; `searched` lists every place tried, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct NotFound {
    pub message: String,
    pub searched: Vec<String>,
}

/// Finds the CLI and remembers where, and its version per binary.
#[derive(Default)]
pub struct Locator {
    login_shell_path: OnceCell<Option<OsString>>,
    /// Per binary (a few at most: one per agent CLI), its version.
    version: Mutex<std::collections::HashMap<PathBuf, (VersionKey, Option<String>)>>,
}

/// A binary is the same binary while its path, size and modification time are.
type VersionKey = (PathBuf, u64, Option<SystemTime>);

impl Locator {
    /// Resolves an agent CLI: its setting, when set, is authoritative; otherwise `PATH`, the
    /// login shell's `PATH`, then the usual install locations.
    pub async fn resolve_named(
        &self,
        cli: &Named,
        setting: Option<&str>,
    ) -> Result<PathBuf, NotFound> {
        if let Some(p) = setting.filter(|p| !p.trim().is_empty()) {
            let p = crate::paths::expand_home(p.trim());
            return if is_executable(&p) {
                Ok(p)
            } else {
                Err(NotFound {
                    message: format!(
                        "The {} CLI set in grove.{} ({}) is not an executable file.",
                        cli.name,
                        cli.setting,
                        p.display()
                    ),
                    searched: vec![p.display().to_string()],
                })
            };
        }
        let mut searched = Vec::new();
        let path_var = std::env::var_os("PATH").unwrap_or_default();
        if let Some(found) = search_path(&path_var, cli.name, &mut searched) {
            return Ok(found);
        }
        if let Some(shell_path) = self.login_shell_path().await {
            if let Some(found) = search_path(&shell_path, cli.name, &mut searched) {
                return Ok(found);
            }
        } else {
            searched.push("login shell PATH (unavailable)".into());
        }
        let usual = std::env::join_paths(usual_locations(cli.usual)).unwrap_or_default();
        if let Some(found) = search_path(&usual, cli.name, &mut searched) {
            return Ok(found);
        }
        Err(NotFound {
            message: format!(
                "The {} CLI was not found. Install it ({}) or set grove.{}.",
                cli.name, cli.install, cli.setting
            ),
            searched,
        })
    }

    /// The `PATH` of the user's login shell, asked once (5 s at most).
    async fn login_shell_path(&self) -> Option<OsString> {
        self.login_shell_path
            .get_or_init(probe_login_shell_path)
            .await
            .clone()
    }

    /// `<cli> --version` of the binary at `path`, run once per binary.
    pub async fn version(&self, path: &Path) -> Option<String> {
        let meta = std::fs::metadata(path).ok()?;
        let key: VersionKey = (path.to_path_buf(), meta.len(), meta.modified().ok());
        if let Some((k, v)) = self.version.lock().unwrap().get(path)
            && *k == key
        {
            return v.clone();
        }
        let mut cmd = command(path);
        cmd.arg("--version").stdout(Stdio::piped());
        let out = tokio::time::timeout(Duration::from_secs(10), cmd.output()).await;
        let v = match out {
            Ok(Ok(out)) => parse_version(&String::from_utf8_lossy(&out.stdout)),
            _ => None,
        };
        self.version
            .lock()
            .unwrap()
            .insert(path.to_path_buf(), (key, v.clone()));
        v
    }
}

/// `2.1.329 (Agent Name)` → `2.1.329`; `agent-cli 0.169.0` → `0.169.0`: the first word that
/// starts with a digit, else the first word.
pub fn parse_version(out: &str) -> Option<String> {
    let mut words = out.split_whitespace();
    let first = words.clone().next();
    words
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .or(first)
        .map(str::to_owned)
}

/// An agent CLI Grove can find: its binary's name, its setting, how to install it.
pub struct Named {
    pub name: &'static str,
    pub setting: &'static str,
    pub install: &'static str,
    /// Folders under the home folder where its installer puts it, beyond the usual ones.
    pub usual: &'static [&'static str],
}

/// Looks for `name` in each absolute directory of a `PATH`-like list, recording each candidate.
fn search_path(path_var: &OsStr, name: &str, searched: &mut Vec<String>) -> Option<PathBuf> {
    for dir in std::env::split_paths(path_var).filter(|d| d.is_absolute()) {
        let candidate = dir.join(name);
        let text = candidate.display().to_string();
        if !searched.contains(&text) {
            searched.push(text);
        }
        if is_executable(&candidate) {
            return Some(candidate);
        }
    }
    None
}

fn usual_locations(own: &[&str]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        let common = [
            ".local/bin",
            ".npm-global/bin",
            ".nix-profile/bin",
            ".bun/bin",
            ".volta/bin",
        ];
        for sub in own.iter().chain(&common) {
            dirs.push(home.join(sub));
        }
    }
    for d in ["/usr/local/bin", "/opt/homebrew/bin", "/usr/bin"] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Runs `$SHELL -l -i -c` in its own process group with no terminal and reads `PATH` between
/// markers, so whatever the shell's start-up files print is ignored.
async fn probe_login_shell_path() -> Option<OsString> {
    const MARK: &str = "__GROVE_PATH__";
    let shell = std::env::var_os("SHELL").filter(|s| !s.is_empty())?;
    let mut cmd = crate::process::command(&shell);
    cmd.args([
        "-l",
        "-i",
        "-c",
        &format!("printf '{MARK}%s{MARK}' \"$PATH\""),
    ])
    .stdout(Stdio::piped())
    .process_group(0);
    let out = tokio::time::timeout(Duration::from_secs(5), cmd.output())
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let start = text.find(MARK)? + MARK.len();
    let len = text[start..].find(MARK)?;
    let path = &text[start..start + len];
    tracing::debug!(shell = %Path::new(&shell).display(), "read the login shell's PATH");
    (!path.is_empty()).then(|| OsString::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_first_word_with_a_digit() {
        assert_eq!(
            parse_version("2.1.329 (Agent Name)\n").as_deref(),
            Some("2.1.329")
        );
        assert_eq!(parse_version("  \n"), None);
        assert_eq!(
            parse_version("agent-cli 0.169.0\n").as_deref(),
            Some("0.169.0")
        );
    }

    #[tokio::test]
    async fn explicit_path_is_authoritative() {
        let named = Named {
            name: "agent",
            setting: "agentPath",
            install: "",
            usual: &[],
        };
        let err = Locator::default()
            .resolve_named(&named, Some("/nonexistent/agent"))
            .await
            .unwrap_err();
        assert_eq!(err.searched, vec!["/nonexistent/agent".to_string()]);
        assert!(err.message.contains("grove.agentPath"));
    }
}
