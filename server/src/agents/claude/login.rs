//! Signing in from the editor: runs `claude auth login`, streams its output line by line (a prompt
//! left without a newline counts as a line), feeds it a pasted code, cancels it, and reports the
//! outcome exactly once. The CLI signs in and stores the tokens; Grove never sees them.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use super::auth::Auth;
use crate::agents::output::{first_url, strip_ansi};
use crate::cli::{self, Cli};
use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::process;
use crate::protocol::{
    AuthLoginComplete, AuthLoginParams, AuthLoginProgress, AuthLoginResult, FailureSource,
    LoginComplete, LoginMethod, LoginProgress, OutputStream,
};
use crate::redact::redact;

/// The agent CLI these sign-ins are for, as its notifications say.
const AGENT: &str = "claude";

/// An unfinished line that stays so this long is a prompt, and is sent as a line.
const PARTIAL_AFTER: Duration = Duration::from_millis(200);
/// After the CLI exits, output still in the pipes is read for this long at most.
const DRAIN: Duration = Duration::from_millis(300);
/// A cancelled CLI gets this long between SIGTERM and SIGKILL.
const CANCEL_GRACE: Duration = Duration::from_secs(1);

pub struct Logins {
    notifier: Notifier,
    cli: Arc<Cli>,
    auth: Arc<Auth>,
    current: Mutex<Option<Running>>,
    counter: AtomicU64,
}

struct Running {
    id: String,
    pid: u32,
    codes: mpsc::UnboundedSender<String>,
    cancelled: Arc<AtomicBool>,
}

impl Logins {
    pub fn new(notifier: Notifier, cli: Arc<Cli>, auth: Arc<Auth>) -> Self {
        Self {
            notifier,
            cli,
            auth,
            current: Mutex::default(),
            counter: AtomicU64::new(1),
        }
    }

    /// `grove/auth/login`: starts the CLI and answers with its id at once.
    pub async fn start(self: &Arc<Self>, params: AuthLoginParams) -> Result<AuthLoginResult> {
        self.refuse_if_running()?;
        let path = self.cli.resolve(&super::BINARY).await?;
        let mut cmd = cli::command(&path);
        cmd.args(["auth", "login"]);
        match params.method {
            Some(LoginMethod::Claudeai) => cmd.arg("--claudeai"),
            Some(LoginMethod::Console) => cmd.arg("--console"),
            Some(LoginMethod::Sso) => cmd.arg("--sso"),
            Some(LoginMethod::Browser | LoginMethod::Device) | None => &mut cmd,
        };
        if let Some(email) = params
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            cmd.arg(format!("--email={email}"));
        }
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());

        let mut guard = self.current.lock().unwrap();
        if let Some(running) = guard.as_ref() {
            return Err(in_progress(&running.id));
        }
        let mut child = cli::spawn(&mut cmd, &path)?;
        let id = format!("login-{}", self.counter.fetch_add(1, Ordering::Relaxed));
        let pid = child.id().unwrap_or(0);
        let (codes, codes_rx) = mpsc::unbounded_channel();
        let cancelled = Arc::new(AtomicBool::new(false));
        *guard = Some(Running {
            id: id.clone(),
            pid,
            codes,
            cancelled: cancelled.clone(),
        });
        drop(guard);
        tracing::info!(login = %id, "started `claude auth login`");

        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        let this = Arc::clone(self);
        let login_id = id.clone();
        tokio::spawn(async move {
            let (lines_tx, lines_rx) = mpsc::unbounded_channel();
            let pumps = [
                stdout.map(|r| tokio::spawn(pump(r, OutputStream::Stdout, lines_tx.clone()))),
                stderr.map(|r| tokio::spawn(pump(r, OutputStream::Stderr, lines_tx))),
            ];
            let feeder = stdin.map(|w| tokio::spawn(feed(w, codes_rx)));
            let (status, last_line) = this.relay(&login_id, &mut child, lines_rx).await;
            process::reap_group(pid);
            pumps.into_iter().flatten().for_each(|p| p.abort());
            if let Some(f) = feeder {
                f.abort();
            }
            this.current.lock().unwrap().take_if(|r| r.id == login_id);
            this.finish(
                login_id,
                status,
                last_line,
                cancelled.load(Ordering::SeqCst),
            )
            .await;
        });
        Ok(AuthLoginResult { login_id: id })
    }

    fn refuse_if_running(&self) -> Result<()> {
        match self.current.lock().unwrap().as_ref() {
            Some(running) => Err(in_progress(&running.id)),
            None => Ok(()),
        }
    }

    /// Sends every line as progress until the CLI exits; its exit status and last line.
    async fn relay(
        &self,
        login_id: &str,
        child: &mut tokio::process::Child,
        mut lines: mpsc::UnboundedReceiver<(OutputStream, String)>,
    ) -> (Option<std::process::ExitStatus>, Option<String>) {
        let mut last = None;
        let status = loop {
            tokio::select! {
                Some((stream, line)) = lines.recv() => self.progress(login_id, stream, line, &mut last).await,
                status = child.wait() => break status.ok(),
            }
        };
        let deadline = tokio::time::Instant::now() + DRAIN;
        while let Ok(Some((stream, line))) = tokio::time::timeout_at(deadline, lines.recv()).await {
            self.progress(login_id, stream, line, &mut last).await;
        }
        (status, last)
    }

    async fn progress(
        &self,
        login_id: &str,
        stream: OutputStream,
        line: String,
        last: &mut Option<String>,
    ) {
        let line = redact(&line);
        if !line.trim().is_empty() {
            *last = Some(line.trim().to_string());
        }
        let url = first_url(&line);
        let params = LoginProgress {
            login_id: login_id.to_string(),
            agent: Some(AGENT.into()),
            stream,
            line,
            url,
        };
        self.notifier.notify::<AuthLoginProgress>(&params).await;
    }

    async fn finish(
        &self,
        login_id: String,
        status: Option<std::process::ExitStatus>,
        last_line: Option<String>,
        cancelled: bool,
    ) {
        let exited_ok = status.is_some_and(|s| s.success());
        let fresh = if cancelled {
            None
        } else {
            self.auth.refresh().await.ok()
        };
        let signed_in = fresh.as_ref().is_some_and(|s| s.logged_in);
        let error = if cancelled {
            Some("cancelled".to_string())
        } else if exited_ok && signed_in {
            None
        } else if exited_ok {
            Some("`claude auth login` finished, but the CLI is still not signed in.".to_string())
        } else {
            Some(last_line.unwrap_or_else(|| match status {
                Some(s) => format!("`claude auth login` failed ({s})."),
                None => "`claude auth login` ended unexpectedly.".to_string(),
            }))
        };
        let success = error.is_none();
        tracing::info!(login = %login_id, success, "`claude auth login` finished");
        let done = LoginComplete {
            login_id,
            agent: Some(AGENT.into()),
            success,
            error: error.clone(),
        };
        self.notifier.notify::<AuthLoginComplete>(&done).await;
        match (success, cancelled) {
            (true, _) => self.auth.clear_failure().await,
            (false, false) => {
                let message = error.unwrap_or_default();
                self.auth
                    .record_failure(FailureSource::Login, &message)
                    .await;
            }
            (false, true) => self.auth.publish().await,
        }
    }

    /// `grove/auth/loginInput`: the pasted code, cleaned of stray whitespace and quotes.
    pub fn input(&self, login_id: &str, code: &str) -> Result<()> {
        let guard = self.current.lock().unwrap();
        let running = running(&guard, login_id)?;
        let code = clean_code(code);
        if code.is_empty() {
            return Err(Error::invalid_params("The pasted code is empty."));
        }
        let _ = running.codes.send(code);
        Ok(())
    }

    /// `grove/auth/loginCancel`: SIGTERM to the CLI's whole process group, SIGKILL a second later.
    pub fn cancel(&self, login_id: &str) -> Result<()> {
        let guard = self.current.lock().unwrap();
        let running = running(&guard, login_id)?;
        running.cancelled.store(true, Ordering::SeqCst);
        let pid = running.pid;
        process::signal_group(pid, process::SIGTERM);
        tokio::spawn(async move {
            tokio::time::sleep(CANCEL_GRACE).await;
            process::signal_group(pid, process::SIGKILL);
        });
        tracing::info!(login = %login_id, "cancelled `claude auth login`");
        Ok(())
    }
}

fn in_progress(id: &str) -> Error {
    Error::LoginInProgress {
        login_id: id.to_string(),
    }
}

fn running<'a>(current: &'a Option<Running>, login_id: &str) -> Result<&'a Running> {
    current
        .as_ref()
        .filter(|r| r.id == login_id)
        .ok_or_else(|| Error::UnknownLogin {
            login_id: login_id.to_string(),
        })
}

/// A pasted code without the whitespace, newlines and quotes that come along with copying.
pub fn clean_code(code: &str) -> String {
    let mut c = code.trim();
    while let Some(inner) = ['"', '\'', '`']
        .iter()
        .find_map(|q| c.strip_prefix(*q).and_then(|s| s.strip_suffix(*q)))
    {
        c = inner.trim();
    }
    c.chars().filter(|ch| !ch.is_whitespace()).collect()
}

/// Splits a stream into lines; a partial line left unfinished for `PARTIAL_AFTER` is sent as it
/// is, and the rest of that line, when it comes, as another.
async fn pump<R: AsyncRead + Unpin>(
    mut r: R,
    stream: OutputStream,
    lines: mpsc::UnboundedSender<(OutputStream, String)>,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut sent = 0; // bytes of `buf` already sent as a partial line
    let mut chunk = [0u8; 4096];
    let emit = |bytes: &[u8]| {
        let text = strip_ansi(String::from_utf8_lossy(bytes).trim_end_matches(['\r', '\n']));
        if !text.trim().is_empty() {
            let _ = lines.send((stream, text.trim_end().to_string()));
        }
    };
    loop {
        let read = if buf.len() > sent {
            match tokio::time::timeout(PARTIAL_AFTER, r.read(&mut chunk)).await {
                Ok(read) => read,
                Err(_) => {
                    emit(&buf[sent..]);
                    sent = buf.len();
                    continue;
                }
            }
        } else {
            r.read(&mut chunk).await
        };
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        while let Some(pos) = buf.iter().position(|b| *b == b'\n') {
            emit(&buf[sent.min(pos)..pos]);
            buf.drain(..=pos);
            sent = 0;
        }
    }
    if buf.len() > sent {
        emit(&buf[sent..]);
    }
}

/// Writes each pasted code to the CLI's stdin, followed by a newline.
async fn feed(mut stdin: tokio::process::ChildStdin, mut codes: mpsc::UnboundedReceiver<String>) {
    while let Some(code) = codes.recv().await {
        let line = format!("{code}\n");
        if stdin.write_all(line.as_bytes()).await.is_err() || stdin.flush().await.is_err() {
            break;
        }
    }
}

/// The claude CLI's sign-in (`claude auth login`) behind the seam.
impl crate::agents::adapter::SignIns for std::sync::Arc<Logins> {
    fn start(
        &self,
        params: AuthLoginParams,
    ) -> crate::agents::adapter::Pending<'_, AuthLoginResult> {
        Box::pin(Logins::start(self, params))
    }

    fn input(&self, login_id: &str, code: &str) -> Result<()> {
        Logins::input(self, login_id, code)
    }

    fn cancel(&self, login_id: &str) -> Result<()> {
        Logins::cancel(self, login_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_codes_lose_what_copying_adds() {
        assert_eq!(clean_code("  abc#def \n"), "abc#def");
        assert_eq!(clean_code("\"abc#def\""), "abc#def");
        assert_eq!(clean_code(" 'abc\r\n' "), "abc");
        assert_eq!(clean_code("`a b`"), "ab");
        assert_eq!(clean_code("  "), "");
    }

    #[tokio::test]
    async fn a_prompt_without_newline_arrives_as_a_line() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let (mut w, r) = tokio::io::duplex(64);
        let pump = tokio::spawn(pump(r, OutputStream::Stdout, tx));
        w.write_all(b"first line\nPaste code here if prompted > ")
            .await
            .unwrap();
        let got = tokio::time::timeout(Duration::from_secs(2), async {
            vec![rx.recv().await.unwrap().1, rx.recv().await.unwrap().1]
        })
        .await
        .expect("the prompt arrives without a newline");
        assert_eq!(got, ["first line", "Paste code here if prompted >"]);
        w.write_all(b"\nLogin successful\n").await.unwrap();
        drop(w);
        pump.await.unwrap();
        assert_eq!(rx.recv().await.unwrap().1, "Login successful");
        assert!(rx.recv().await.is_none());
    }
}
