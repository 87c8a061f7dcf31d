//! Signing in to ChatGPT for the codex CLI, from the editor: Grove's own PKCE sign-in for an
//! `openai-codex:<name>` profile (a loopback listener on port 1455 for the browser's callback, or
//! the redirect address or code pasted when the browser is elsewhere), and `codex login` (or
//! `--device-auth`) streamed for the CLI's own sign-in. Same progress, input, cancel and
//! completion notifications as the claude sign-in.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::process;
use crate::profiles::{Profiles, openai};
use crate::protocol::{
    AuthLoginComplete, AuthLoginProgress, AuthLoginResult, LoginComplete, LoginProgress,
    OutputStream,
};
use crate::redact::{redact, remember};

/// How long a sign-in waits for the browser or a paste.
const WAIT: Duration = Duration::from_secs(15 * 60);

/// The callback port: 1455, as registered for the Codex client (`GROVE_OPENAI_CALLBACK_PORT`
/// moves it, for tests).
fn callback_port() -> u16 {
    std::env::var("GROVE_OPENAI_CALLBACK_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1455)
}

enum Event {
    Pasted(String),
    Cancel,
}

struct Running {
    id: String,
    events: mpsc::UnboundedSender<Event>,
}

pub struct CodexLogins {
    notifier: Notifier,
    cli: Arc<Cli>,
    profiles: Arc<Profiles>,
    current: Mutex<Option<Running>>,
    counter: AtomicU64,
}

/// What a callback or a paste carried.
#[derive(Debug, PartialEq)]
enum Answer {
    Code { code: String, state: Option<String> },
    Error(String),
    Nothing,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A redirect address (`…/auth/callback?code=…&state=…`), a query, or a bare code.
fn parse_answer(text: &str) -> Answer {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.is_empty() {
        return Answer::Nothing;
    }
    let query = match t.find('?') {
        Some(i) => &t[i + 1..],
        None if t.contains("code=") => t,
        None => {
            // A bare code, or `code#state` as some pages show it.
            return match t.split_once('#') {
                Some((code, state)) => Answer::Code {
                    code: code.to_string(),
                    state: Some(state.to_string()),
                },
                None => Answer::Code {
                    code: t.to_string(),
                    state: None,
                },
            };
        }
    };
    let query = query.split('#').next().unwrap_or_default();
    let (mut code, mut state, mut error) = (None, None, None);
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "code" => code = Some(percent_decode(v)),
            "state" => state = Some(percent_decode(v)),
            "error_description" => error = Some(percent_decode(v)),
            "error" if error.is_none() => error = Some(percent_decode(v)),
            _ => {}
        }
    }
    match (code, error) {
        (_, Some(e)) => Answer::Error(e),
        (Some(code), None) if !code.is_empty() => Answer::Code { code, state },
        _ => Answer::Nothing,
    }
}

const PAGE_OK: &str = "<!doctype html><title>Grove</title><p>Signed in to ChatGPT. You can close this tab and go back to the editor.</p>";
const PAGE_BAD: &str = "<!doctype html><title>Grove</title><p>This sign-in link does not belong to the sign-in Grove is waiting for. Start the sign-in again from the editor.</p>";

/// One callback request on the listener: its answer (the browser gets a page).
async fn accept_callback(listener: &TcpListener, expected_state: &str) -> Option<Answer> {
    let (stream, _) = listener.accept().await.ok()?;
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).await.ok()?;
    // Drain the headers.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).await.ok()? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let answer = if target.starts_with("/auth/callback") {
        parse_answer(target)
    } else {
        Answer::Nothing
    };
    let good = matches!(&answer, Answer::Code { state: Some(s), .. } if s == expected_state)
        || matches!(answer, Answer::Error(_));
    let (status, page) = match (&answer, good) {
        (Answer::Nothing, _) => ("404 Not Found", PAGE_BAD),
        (_, true) => ("200 OK", PAGE_OK),
        (_, false) => ("400 Bad Request", PAGE_BAD),
    };
    let mut stream = reader.into_inner();
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    Some(answer)
}

impl CodexLogins {
    pub fn new(notifier: Notifier, cli: Arc<Cli>, profiles: Arc<Profiles>) -> Self {
        Self {
            notifier,
            cli,
            profiles,
            current: Mutex::default(),
            counter: AtomicU64::new(1),
        }
    }

    /// Whether `login_id` is one of these sign-ins.
    pub fn owns(&self, login_id: &str) -> bool {
        login_id.starts_with("login-codex-")
    }

    fn claim(&self) -> Result<(String, mpsc::UnboundedReceiver<Event>)> {
        let mut current = self.current.lock().unwrap();
        if let Some(r) = current.as_ref() {
            return Err(Error::LoginInProgress {
                login_id: r.id.clone(),
            });
        }
        let id = format!(
            "login-codex-{}",
            self.counter.fetch_add(1, Ordering::Relaxed)
        );
        let (tx, rx) = mpsc::unbounded_channel();
        *current = Some(Running {
            id: id.clone(),
            events: tx,
        });
        Ok((id, rx))
    }

    async fn progress(&self, login_id: &str, stream: OutputStream, line: &str) {
        let line = redact(line);
        let params = LoginProgress {
            login_id: login_id.to_string(),
            stream,
            url: crate::login::first_url(&line),
            line,
        };
        self.notifier.notify::<AuthLoginProgress>(&params).await;
    }

    async fn complete(&self, login_id: &str, error: Option<String>) {
        self.current.lock().unwrap().take_if(|r| r.id == login_id);
        tracing::info!(login = %login_id, success = error.is_none(), "ChatGPT sign-in finished");
        let done = LoginComplete {
            login_id: login_id.to_string(),
            success: error.is_none(),
            error: error.map(|e| redact(&e)),
        };
        self.notifier.notify::<AuthLoginComplete>(&done).await;
    }

    /// `grove/auth/login` with `provider: "openai-codex"`: Grove's PKCE sign-in into profile
    /// `openai-codex:<profile>`, or, without a profile, `codex login` for the CLI's own sign-in.
    pub async fn start(
        self: &Arc<Self>,
        profile: Option<String>,
        device: bool,
    ) -> Result<AuthLoginResult> {
        match profile.filter(|p| !p.trim().is_empty()) {
            Some(name) => self.start_pkce(name.trim().to_string()).await,
            None => self.start_cli(device).await,
        }
    }

    async fn start_pkce(self: &Arc<Self>, name: String) -> Result<AuthLoginResult> {
        crate::profiles::input::check_name(&name)?;
        let (id, events) = self.claim()?;
        let (verifier, challenge, state) = openai::pkce();
        let port = callback_port();
        let redirect_uri = format!("http://localhost:{port}/auth/callback");
        let listener = TcpListener::bind(("127.0.0.1", port)).await.ok();
        let url = openai::authorize_url(&challenge, &state, &redirect_uri);
        let this = Arc::clone(self);
        let login_id = id.clone();
        tracing::info!(login = %id, listening = listener.is_some(), "started a ChatGPT sign-in");
        tokio::spawn(async move {
            this.progress(
                &login_id,
                OutputStream::Stdout,
                &format!("Open this address in a browser to sign in to ChatGPT: {url}"),
            )
            .await;
            let waiting = match &listener {
                Some(_) => format!(
                    "Waiting for the browser to come back to {redirect_uri}. If the browser is on another machine, paste here the address it ends on (or the code it shows)."
                ),
                None => format!(
                    "Port {port} is in use, so the browser cannot come back to Grove: after signing in, paste here the address the browser ends on (or the code it shows)."
                ),
            };
            this.progress(&login_id, OutputStream::Stdout, &waiting)
                .await;
            let outcome = this
                .wait_for_code(&login_id, listener, events, &state)
                .await;
            let error = match outcome {
                Ok(code) => {
                    this.progress(&login_id, OutputStream::Stdout, "Signing in…")
                        .await;
                    match openai::exchange(&code, &verifier, &redirect_uri).await {
                        Ok(tokens) => this
                            .profiles
                            .add_oauth(&name, tokens)
                            .await
                            .err()
                            .map(|e| e.to_string()),
                        Err(refused) => Some(refused.message),
                    }
                }
                Err(e) => Some(e),
            };
            this.complete(&login_id, error).await;
        });
        Ok(AuthLoginResult { login_id: id })
    }

    /// The code from the browser's callback or a paste; a wrong state is refused and waiting goes
    /// on.
    async fn wait_for_code(
        &self,
        login_id: &str,
        listener: Option<TcpListener>,
        mut events: mpsc::UnboundedReceiver<Event>,
        state: &str,
    ) -> std::result::Result<String, String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let callback = async {
                match &listener {
                    Some(l) => accept_callback(l, state).await,
                    None => std::future::pending().await,
                }
            };
            let answer = tokio::select! {
                a = callback => a.unwrap_or(Answer::Nothing),
                e = events.recv() => match e {
                    Some(Event::Pasted(text)) => parse_answer(&text),
                    Some(Event::Cancel) | None => return Err("cancelled".into()),
                },
                () = tokio::time::sleep_until(deadline) => {
                    return Err("The sign-in timed out: start it again.".into());
                }
            };
            match answer {
                Answer::Code { code, state: got } if got.as_deref().is_none_or(|g| g == state) => {
                    return Ok(code);
                }
                Answer::Code { .. } => {
                    tracing::warn!(login = %login_id, "refused a sign-in answer with the wrong state");
                    self.progress(
                        login_id,
                        OutputStream::Stderr,
                        "That sign-in answer belongs to another sign-in (its state does not match) and was refused. Use the address of this sign-in.",
                    )
                    .await;
                }
                Answer::Error(e) => return Err(format!("ChatGPT refused the sign-in: {e}")),
                Answer::Nothing => {}
            }
        }
    }

    /// `codex login` (or `codex login --device-auth`) for the CLI's own sign-in, streamed.
    async fn start_cli(self: &Arc<Self>, device: bool) -> Result<AuthLoginResult> {
        let program = self.cli.codex_path().await?;
        let (id, mut events) = self.claim()?;
        let mut cmd = process::command(&program);
        cmd.arg("login");
        if device {
            cmd.arg("--device-auth");
        }
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = match process::spawn_group(&mut cmd) {
            Ok(c) => c,
            Err(e) => {
                self.current.lock().unwrap().take();
                return Err(Error::CliFailed(format!(
                    "Could not run {}: {e}",
                    program.display()
                )));
            }
        };
        let pid = child.id().unwrap_or(0);
        let (tx, mut lines) = mpsc::unbounded_channel::<(OutputStream, String)>();
        for (stream, out) in [
            (
                OutputStream::Stdout,
                child
                    .stdout
                    .take()
                    .map(|o| Box::new(o) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
            ),
            (
                OutputStream::Stderr,
                child
                    .stderr
                    .take()
                    .map(|o| Box::new(o) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
            ),
        ] {
            if let Some(out) = out {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let mut r = BufReader::new(out).lines();
                    while let Ok(Some(line)) = r.next_line().await {
                        let _ = tx.send((stream, crate::login::strip_ansi(&line)));
                    }
                });
            }
        }
        drop(tx);
        let this = Arc::clone(self);
        let login_id = id.clone();
        tracing::info!(login = %id, device, "started `codex login`");
        tokio::spawn(async move {
            let mut cancelled = false;
            let status = loop {
                tokio::select! {
                    Some((stream, line)) = lines.recv() => this.progress(&login_id, stream, &line).await,
                    e = events.recv() => match e {
                        Some(Event::Pasted(_)) => {}
                        Some(Event::Cancel) | None => {
                            cancelled = true;
                            process::signal_group(pid, libc::SIGINT);
                        }
                    },
                    s = child.wait() => break s.ok(),
                }
            };
            while let Ok(Some((stream, line))) =
                tokio::time::timeout(Duration::from_millis(300), lines.recv()).await
            {
                this.progress(&login_id, stream, &line).await;
            }
            process::reap_group(pid);
            let error = if cancelled {
                Some("cancelled".to_string())
            } else if status.is_some_and(|s| s.success()) {
                None
            } else {
                Some("`codex login` did not finish the sign-in.".to_string())
            };
            this.profiles.recheck_codex_cli().await;
            this.complete(&login_id, error).await;
        });
        Ok(AuthLoginResult { login_id: id })
    }

    /// `grove/auth/loginInput`: a pasted redirect address or code.
    pub fn input(&self, login_id: &str, text: &str) -> Result<()> {
        remember(text.trim());
        self.send(login_id, Event::Pasted(text.to_string()))
    }

    /// `grove/auth/loginCancel`.
    pub fn cancel(&self, login_id: &str) -> Result<()> {
        self.send(login_id, Event::Cancel)
    }

    fn send(&self, login_id: &str, event: Event) -> Result<()> {
        let current = self.current.lock().unwrap();
        match current.as_ref().filter(|r| r.id == login_id) {
            Some(r) => {
                let _ = r.events.send(event);
                Ok(())
            }
            None => Err(Error::UnknownLogin {
                login_id: login_id.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_answers() {
        let code = |c: &str, s: Option<&str>| Answer::Code {
            code: c.into(),
            state: s.map(str::to_owned),
        };
        assert_eq!(
            parse_answer("http://localhost:1455/auth/callback?code=ac%2Fb&scope=x&state=st1"),
            code("ac/b", Some("st1"))
        );
        assert_eq!(parse_answer("  'abc123'  "), code("abc123", None));
        assert_eq!(parse_answer("abc#st"), code("abc", Some("st")));
        assert_eq!(parse_answer("code=z&state=q"), code("z", Some("q")));
        assert_eq!(
            parse_answer("http://localhost:1455/auth/callback?error=access_denied"),
            Answer::Error("access_denied".into())
        );
        assert_eq!(parse_answer(" "), Answer::Nothing);
        assert_eq!(
            crate::login::strip_ansi("\u{1b}[94mhttps://x\u{1b}[0m"),
            "https://x"
        );
    }
}
