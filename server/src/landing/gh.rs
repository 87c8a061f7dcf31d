//! The GitHub CLI (`gh`): found like the agent CLIs (the `ghPath` setting, `PATH`, the login
//! shell's `PATH`, the usual install places), run with gh's own token variables and no other
//! child's, in its own process group, bounded in time and output, its output redacted; and what
//! its answers mean (signed out, a pull request that already exists, none for the branch).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

use crate::cli::{Locator, Named, NotFound};

/// The GitHub CLI, for the locator.
pub const GH: Named = Named {
    name: "gh",
    setting: "ghPath",
    install: "https://cli.github.com, or `brew install gh`, or your package manager's `gh`",
    usual: &[],
};

/// At most this much of each of gh's output streams is kept.
const MAX_OUTPUT: usize = 64 * 1024;

/// The token variables of `process::GH_ENV` (not `GH_HOST`): their values are masked in gh's output.
const TOKEN_VARS: &[&str] = &[
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GH_ENTERPRISE_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
];

/// Finds gh: `setting` (`ghPath`) when set, else where the agent CLIs are looked for. The login
/// shell's `PATH` is asked once per sidecar.
pub async fn locate(setting: Option<&str>) -> Result<PathBuf, NotFound> {
    static LOCATOR: OnceLock<Locator> = OnceLock::new();
    LOCATOR
        .get_or_init(Locator::default)
        .resolve_named(&GH, setting)
        .await
}

/// What one gh process said: its exit code (none when killed) and its output, bounded and
/// redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Why gh did not run to the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The binary vanished between the locator and the start.
    Missing,
    /// It could not be started, or ran past its time and was stopped.
    Failed(String),
}

/// Runs `gh args…` in `cwd` for at most `limit`: stdin closed, stdout and stderr piped, its own
/// process group (stopped with everything it started when the time is up).
pub async fn run(
    gh: &Path,
    cwd: &Path,
    args: &[String],
    limit: Duration,
) -> Result<Output, RunError> {
    let mut cmd = crate::process::command_with_inherited(gh, crate::process::GH_ENV);
    cmd.args(args)
        .current_dir(cwd)
        // Never a prompt, a pager, colours or an update check: gh talks to a pipe.
        .env("GH_PROMPT_DISABLED", "1")
        .env("GH_NO_UPDATE_NOTIFIER", "1")
        .env("GH_SPINNER_DISABLED", "1")
        .env("GH_PAGER", "cat")
        .env("NO_COLOR", "1")
        .env("CLICOLOR", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GH_DEBUG")
        .env_remove("DEBUG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    remember_tokens();
    let mut child = match crate::process::spawn_group(&mut cmd) {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RunError::Missing),
        Err(e) => {
            return Err(RunError::Failed(format!(
                "Could not run {}: {e}",
                gh.display()
            )));
        }
    };
    let pid = child.id();
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let finished = tokio::time::timeout(limit, async {
        let (out, err) = tokio::join!(read_bounded(stdout), read_bounded(stderr));
        (out, err, child.wait().await)
    })
    .await;
    let Ok((out, err, status)) = finished else {
        crate::process::stop_group(&mut child, Duration::from_secs(2)).await;
        return Err(RunError::Failed(format!(
            "gh did not answer within {} s and was stopped. Check the network and that \
             `gh {}` works in a terminal.",
            limit.as_secs(),
            args.first().map_or("", String::as_str)
        )));
    };
    if let Some(pid) = pid {
        crate::process::reap_group(pid);
    }
    let status = status.map_err(|e| RunError::Failed(format!("gh: {e}")))?;
    Ok(Output {
        code: status.code(),
        stdout: clean(&out),
        stderr: clean(&err),
    })
}

/// Reads a stream to its end, keeping its first `MAX_OUTPUT` bytes (the rest is drained, so the
/// child never blocks on a full pipe).
async fn read_bounded(stream: Option<impl AsyncRead + Unpin>) -> Vec<u8> {
    let Some(mut stream) = stream else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let room = MAX_OUTPUT.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    kept
}

/// The values of gh's token variables are masked wherever Grove repeats text.
fn remember_tokens() {
    for name in TOKEN_VARS {
        if let Some(value) = std::env::var_os(name).and_then(|v| v.into_string().ok()) {
            crate::redact::remember(&value);
        }
    }
}

/// Output as text: redacted (`redact`, and GitHub's own token shapes masked).
fn clean(bytes: &[u8]) -> String {
    crate::redact::redact(&mask_github_tokens(&String::from_utf8_lossy(bytes)))
}

/// GitHub's token prefixes (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`): what follows
/// one is replaced by `…`.
pub fn mask_github_tokens(text: &str) -> String {
    const PREFIXES: &[&str] = &["github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"];
    let bytes = text.as_bytes();
    let token_byte = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let (mut out, mut copied, mut i) = (String::with_capacity(text.len()), 0, 0);
    while i < bytes.len() {
        let at_word_start = i == 0 || !token_byte(&bytes[i - 1]);
        let prefix = PREFIXES
            .iter()
            .find(|p| bytes[i..].starts_with(p.as_bytes()));
        let Some(prefix) = prefix.filter(|_| at_word_start) else {
            i += 1;
            continue;
        };
        let start = i + prefix.len();
        let end = start + bytes[start..].iter().take_while(|b| token_byte(b)).count();
        // Both ends sit next to ASCII bytes: char boundaries.
        if end - start >= 8 {
            out.push_str(&text[copied..start]);
            out.push('…');
            copied = end;
        }
        i = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// What a gh command's output means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0; its stdout.
    Done(String),
    /// Not signed in to the host (exit 4, or an answer that says to run `gh auth login`).
    AuthRequired,
    /// `gh pr create`: the branch already has a pull request, at this URL.
    Exists(String),
    /// `gh pr view`: the branch has no pull request.
    NoPullRequest,
    /// Anything else: gh's last words.
    Failed(String),
}

/// Reads an exit code and output as one of the outcomes above.
pub fn classify(out: &Output) -> Outcome {
    if let Some(url) = existing_url(&out.stderr) {
        return Outcome::Exists(url);
    }
    if out.code == Some(4) || out.stderr.contains("gh auth login") {
        return Outcome::AuthRequired;
    }
    if out.stderr.contains("no pull requests found") {
        return Outcome::NoPullRequest;
    }
    if out.code == Some(0) {
        return Outcome::Done(out.stdout.clone());
    }
    let said = if out.stderr.trim().is_empty() {
        &out.stdout
    } else {
        &out.stderr
    };
    let said: String = said.trim().chars().take(2000).collect();
    Outcome::Failed(match out.code {
        Some(code) => format!("gh exited with {code}: {said}"),
        None => format!("gh was stopped by a signal: {said}"),
    })
}

/// gh's "a pull request for branch "…" into branch "…" already exists:\n<url>": the URL.
fn existing_url(stderr: &str) -> Option<String> {
    let after = &stderr[stderr.find("already exists")?..];
    after
        .split_whitespace()
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(str::to_owned)
}

/// The first `http(s)://` word of gh's stdout (`gh pr create` prints the new pull request's URL).
pub fn first_url(stdout: &str) -> Option<&str> {
    stdout
        .split_whitespace()
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
}

/// A pull request's number, from its URL (`…/pull/12`).
pub fn number_of(url: &str) -> Option<u64> {
    let (_, tail) = url.rsplit_once("/pull/")?;
    tail.split(['/', '#', '?']).next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(code: i32, stdout: &str, stderr: &str) -> Output {
        Output {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn a_created_pull_request_is_done_with_its_url_and_number() {
        let o = out(0, "https://127.0.0.1:8443/owner/repo/pull/7\n", "");
        let Outcome::Done(stdout) = classify(&o) else {
            panic!("{o:?}")
        };
        let url = first_url(&stdout).unwrap();
        assert_eq!(url, "https://127.0.0.1:8443/owner/repo/pull/7");
        assert_eq!(number_of(url), Some(7));
        assert_eq!(number_of("https://github.com/a/b/pull/12#top"), Some(12));
        assert_eq!(number_of("https://github.com/a/b"), None);
    }

    #[test]
    fn signed_out_is_exit_4_or_a_hint_to_sign_in() {
        // gh 2.102.0, no token and no GH_HOST: exit 4 before any request.
        let no_token = out(
            4,
            "",
            "To get started with GitHub CLI, please run:  gh auth login\n\
             Alternatively, populate the GH_TOKEN environment variable with a GitHub API \
             authentication token.\n",
        );
        assert_eq!(classify(&no_token), Outcome::AuthRequired);
        // GH_HOST set (or a refused token): the host answers 401 and gh exits 1.
        let refused = out(
            1,
            "",
            "HTTP 401: Requires authentication (https://127.0.0.1:4/api/graphql)\n\
             Try authenticating with:  gh auth login -h 127.0.0.1\n",
        );
        assert_eq!(classify(&refused), Outcome::AuthRequired);
        assert_eq!(classify(&out(4, "", "")), Outcome::AuthRequired);
    }

    #[test]
    fn an_existing_pull_request_gives_its_url() {
        let o = out(
            1,
            "",
            "a pull request for branch \"grove/x\" into branch \"main\" already exists:\n\
             https://127.0.0.1:8443/owner/repo/pull/1\n",
        );
        assert_eq!(
            classify(&o),
            Outcome::Exists("https://127.0.0.1:8443/owner/repo/pull/1".into())
        );
    }

    #[test]
    fn no_pull_request_and_other_failures_are_told_apart() {
        let none = out(1, "", "no pull requests found for branch \"grove/none\"\n");
        assert_eq!(classify(&none), Outcome::NoPullRequest);
        let refused = out(
            1,
            "",
            "Post \"https://127.0.0.1:1/api/graphql\": dial tcp 127.0.0.1:1: connect: connection refused\n",
        );
        let Outcome::Failed(msg) = classify(&refused) else {
            panic!()
        };
        assert!(
            msg.starts_with("gh exited with 1: Post") && msg.contains("refused"),
            "{msg}"
        );
        let killed = Output {
            code: None,
            stdout: String::new(),
            stderr: String::new(),
        };
        assert!(matches!(classify(&killed), Outcome::Failed(m) if m.contains("signal")));
    }

    fn sh(script: &str) -> Vec<String> {
        vec!["-c".into(), script.into()]
    }

    #[tokio::test]
    async fn output_is_bounded_and_a_slow_gh_is_stopped_with_its_group() {
        let (sh_path, tmp) = (Path::new("/bin/sh"), std::env::temp_dir());
        let flood = "head -c 300000 /dev/zero | tr '\\0' x; echo done >&2";
        let out = run(sh_path, &tmp, &sh(flood), Duration::from_secs(20))
            .await
            .unwrap();
        assert_eq!((out.code, out.stdout.len()), (Some(0), MAX_OUTPUT));
        assert_eq!(out.stderr, "done\n");

        let started = std::time::Instant::now();
        let slow = run(
            sh_path,
            &tmp,
            &sh("sleep 30 & wait"),
            Duration::from_millis(300),
        )
        .await;
        assert!(
            matches!(&slow, Err(RunError::Failed(m)) if m.contains("did not answer within")),
            "{slow:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        let gone = run(
            Path::new("/nonexistent/gh"),
            &tmp,
            &[],
            Duration::from_secs(1),
        )
        .await;
        assert_eq!(gone, Err(RunError::Missing));
    }

    #[test]
    fn github_tokens_are_masked() {
        let text = "token ghp_FAKE0123456789abcdef and github_pat_11FAKE_0123456789 but not ghp_x \
                    or myghp_FAKE0123456789 — é ghs_FAKE0123456789";
        let masked = mask_github_tokens(text);
        assert_eq!(
            masked,
            "token ghp_… and github_pat_… but not ghp_x or myghp_FAKE0123456789 — é ghs_…"
        );
    }
}
