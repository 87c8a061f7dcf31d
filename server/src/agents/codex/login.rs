//! Signing in to ChatGPT for the codex CLI, from the editor: Grove's own PKCE sign-in for an
//! `openai-codex:<name>` profile (a loopback listener on port 1455 for the browser's callback, or
//! the redirect address or code pasted when the browser is elsewhere), and `codex login` (or
//! `--device-auth`) streamed for the CLI's own sign-in. Same progress, input, cancel and
//! completion notifications as every sign-in.
//!
//! The callback listener takes nothing on trust: a callback (an error callback too) counts only
//! with this sign-in's exact `state`, anything else is answered 400 and never reaches the token
//! endpoint; a provider's error becomes a fixed sentence with its code (a short token) at most;
//! connections are served side by side (at most [`MAX_CONNECTIONS`]), each with 5 s and
//! [`MAX_HEAD`] bytes for its request line and headers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::openai;
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::notifier::Notifier;
use crate::process;
use crate::profiles::Profiles;
use crate::protocol::{
    AuthLoginComplete, AuthLoginProgress, AuthLoginResult, LoginComplete, LoginProgress,
    OutputStream,
};
use crate::redact::{redact, remember};

/// The agent CLI these sign-ins are for, as its notifications say.
const AGENT: &str = "codex";

/// How long a sign-in waits for the browser or a paste.
const WAIT: Duration = Duration::from_secs(15 * 60);
/// The most a callback's request line and headers may take, together.
pub const MAX_HEAD: usize = 8 * 1024;
/// How long a connection to the callback listener has to send its request line and headers.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections the callback listener serves at once; more wait in the kernel's queue.
const MAX_CONNECTIONS: usize = 32;
/// How long the browser's page waits for the code exchange (itself bounded at 15 s).
const OUTCOME_WAIT: Duration = Duration::from_secs(30);
/// How long writing the browser's page may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

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

/// What one callback request (or one paste) carried, checked against the sign-in's state.
#[derive(Clone, PartialEq, Eq)]
pub enum Callback {
    /// An authorization code, with exactly the sign-in's state.
    Code(String),
    /// The provider's error, with exactly the sign-in's state: its code when that is a short
    /// token of `[A-Za-z0-9_.-]` (its free text never kept).
    Failed(Option<String>),
    /// Anything else: answered at once, never exchanged.
    Refused(Refusal),
}

/// Never shows a code (debug output can end up in a log).
impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Callback::Code(code) => write!(f, "Code({} bytes)", code.len()),
            Callback::Failed(code) => write!(f, "Failed({code:?})"),
            Callback::Refused(why) => write!(f, "Refused({why:?})"),
        }
    }
}

/// Why a callback request (or a paste) was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not `GET /auth/callback`.
    NotFound,
    /// Not an HTTP request line, ended before its headers did, or `code` or `error` twice.
    Malformed,
    /// `state` missing, repeated, or not this sign-in's.
    WrongState,
    /// The right state, but neither a code nor an error.
    NoAnswer,
    /// The request line and headers ran past [`MAX_HEAD`] bytes.
    TooLarge,
}

/// `%XX` and `+` decoded (anything malformed kept as it is), lossy UTF-8.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|b| char::from(*b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits: at most 0xFF.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `got` is the sign-in's state, compared in constant time.
fn same_state(got: &str, expected: &str) -> bool {
    !expected.is_empty()
        && got.len() == expected.len()
        && got
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// A provider's error code, kept only when it is a short token of `[A-Za-z0-9_.-]`.
fn error_code(error: &str) -> Option<String> {
    let token = (1..=64).contains(&error.len())
        && error
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    token.then(|| error.to_string())
}

/// The query of a callback (or a pasted address): `state` exactly once and exactly the
/// sign-in's, then an `error` (at most once) or a non-empty `code` (at most once).
fn check_query(query: &str, expected_state: &str) -> Callback {
    let (mut codes, mut states, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "code" => codes.push(value),
            "state" => states.push(value),
            "error" => errors.push(value),
            _ => {}
        }
    }
    if codes.len() > 1 || errors.len() > 1 {
        return Callback::Refused(Refusal::Malformed);
    }
    match states[..] {
        [state] if same_state(&percent_decode(state), expected_state) => {}
        _ => return Callback::Refused(Refusal::WrongState),
    }
    if let Some(error) = errors.first() {
        return Callback::Failed(error_code(&percent_decode(error)));
    }
    match codes.first().map(|c| percent_decode(c)) {
        Some(code) if !code.is_empty() => Callback::Code(code),
        _ => Callback::Refused(Refusal::NoAnswer),
    }
}

/// A request line: `GET /auth/callback?<query> HTTP/1.x`, its query checked.
fn check_request(line: &[u8], expected_state: &str) -> Callback {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Ok(line) = std::str::from_utf8(line) else {
        return Callback::Refused(Refusal::Malformed);
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Callback::Refused(Refusal::Malformed);
    };
    if !version.starts_with("HTTP/") {
        return Callback::Refused(Refusal::Malformed);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if method != "GET" || path != "/auth/callback" {
        return Callback::Refused(Refusal::NotFound);
    }
    check_query(query, expected_state)
}

/// Where the request line of `head` ends, once the empty line after the headers is in it.
/// `scanned`: how far earlier calls looked, so each byte is looked at about once.
fn end_of_head(head: &[u8], scanned: &mut usize) -> Option<usize> {
    while let Some(offset) = head[*scanned..].iter().position(|b| *b == b'\n') {
        let i = *scanned + offset;
        match (head.get(i + 1), head.get(i + 2)) {
            (Some(b'\n'), _) | (Some(b'\r'), Some(b'\n')) => {
                return head.iter().position(|b| *b == b'\n');
            }
            (None, _) | (Some(b'\r'), None) => {
                *scanned = i;
                return None;
            }
            _ => *scanned = i + 1,
        }
    }
    *scanned = head.len();
    None
}

/// Reads one request to the sign-in's callback listener from `reader` (its request line and
/// headers: at most [`MAX_HEAD`] bytes, never a byte more) and checks it against the sign-in's
/// `expected_state`: a code or a provider error carrying exactly that state once, or a refusal.
/// Never panics; the caller bounds the time it may take.
pub async fn read_callback<R: AsyncRead + Unpin>(reader: &mut R, expected_state: &str) -> Callback {
    let mut head = vec![0u8; MAX_HEAD];
    let (mut len, mut scanned) = (0, 0);
    loop {
        if let Some(line_end) = end_of_head(&head[..len], &mut scanned) {
            return check_request(&head[..line_end], expected_state);
        }
        if len == MAX_HEAD {
            return Callback::Refused(Refusal::TooLarge);
        }
        match reader.read(&mut head[len..]).await {
            Ok(0) | Err(_) => return Callback::Refused(Refusal::Malformed),
            Ok(n) => len += n,
        }
    }
}

/// A pasted answer: the address the browser ended on (or its query), which needs this sign-in's
/// exact state as a callback does; `code#state`, whose state must match; or a bare code, taken
/// as it is — the user typed it into this sign-in, and a code is worth nothing without this
/// sign-in's PKCE verifier.
fn parse_paste(text: &str, expected_state: &str) -> Callback {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.is_empty() {
        return Callback::Refused(Refusal::NoAnswer);
    }
    let without_fragment = |q: &str| q.split('#').next().unwrap_or_default().to_string();
    if let Some((_, query)) = t.split_once('?') {
        return check_query(&without_fragment(query), expected_state);
    }
    if ["code=", "state=", "error="].iter().any(|k| t.contains(k)) {
        return check_query(&without_fragment(t), expected_state);
    }
    match t.split_once('#') {
        Some((code, state)) if !code.is_empty() && same_state(state, expected_state) => {
            Callback::Code(code.to_string())
        }
        Some(_) => Callback::Refused(Refusal::WrongState),
        None => Callback::Code(t.to_string()),
    }
}

/// What `loginComplete.error` says when the provider answered the sign-in with an error.
fn failed_sentence(code: Option<&str>) -> String {
    match code {
        Some(code) => format!(
            "ChatGPT did not complete the sign-in (error code {code}). Start the sign-in again."
        ),
        None => "ChatGPT did not complete the sign-in. Start the sign-in again.".to_string(),
    }
}

/// The page the browser gets from the callback listener.
#[derive(Debug)]
enum Page {
    SignedIn,
    /// The provider answered with an error (its code, when a short token).
    Failed(Option<String>),
    /// The code came, but the exchange or storing it failed.
    NotFinished,
    Refused(Refusal),
    TimedOut,
    /// The sign-in had ended already.
    Over,
}

impl Page {
    /// The status line's end and the page's one sentence (fixed text; a code is a short token).
    fn render(&self) -> (&'static str, String) {
        let (status, text) = match self {
            Page::SignedIn => (
                "200 OK",
                "Signed in to ChatGPT. You can close this tab and go back to the editor.",
            ),
            Page::Failed(Some(code)) => {
                return (
                    "200 OK",
                    format!(
                        "The sign-in to ChatGPT failed with error code {code}. Go back to the editor and start it again."
                    ),
                );
            }
            Page::Failed(None) => (
                "200 OK",
                "The sign-in to ChatGPT failed. Go back to the editor and start it again.",
            ),
            Page::NotFinished => (
                "200 OK",
                "The sign-in to ChatGPT failed: Grove could not finish it. The editor says why; start it again from there.",
            ),
            Page::Refused(Refusal::NotFound) => (
                "404 Not Found",
                "Nothing here: this port only takes the browser's way back from a ChatGPT sign-in started in Grove.",
            ),
            Page::Refused(Refusal::TooLarge) => (
                "431 Request Header Fields Too Large",
                "Refused: the request is too large.",
            ),
            Page::Refused(Refusal::WrongState) => (
                "400 Bad Request",
                "Refused: this sign-in link does not belong to the sign-in Grove is waiting for. Start the sign-in again from the editor.",
            ),
            Page::Refused(Refusal::Malformed | Refusal::NoAnswer) => (
                "400 Bad Request",
                "Refused: this is not a sign-in answer Grove understands. Start the sign-in again from the editor.",
            ),
            Page::TimedOut => ("408 Request Timeout", "Refused: the request took too long."),
            Page::Over => (
                "400 Bad Request",
                "Refused: this sign-in is over. Start the sign-in again from the editor if you need to.",
            ),
        };
        (status, text.to_string())
    }
}

/// `text` safe inside HTML: the page never carries markup from anywhere.
fn escape_html(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

async fn respond(stream: &mut TcpStream, page: &Page) {
    let (status, text) = page.render();
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Grove</title><p>{}</p>",
        escape_html(&text)
    );
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-security-policy: default-src 'none'\r\nx-content-type-options: nosniff\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A callback with the right state, on its way to the sign-in; its browser waits for `page`.
struct Hit {
    answer: Callback,
    page: oneshot::Sender<Page>,
}

/// Where the browser's page goes once the sign-in knows its outcome (none for a paste).
type PageSlot = Option<oneshot::Sender<Page>>;

/// Serves the callback listener until aborted: a task per connection, at most
/// [`MAX_CONNECTIONS`] at once.
async fn serve_callbacks(listener: TcpListener, state: Arc<str>, hits: mpsc::Sender<Hit>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                let (state, hits) = (Arc::clone(&state), hits.clone());
                tokio::spawn(async move {
                    serve_connection(stream, &state, &hits).await;
                    drop(slot);
                });
            }
            Err(e) => {
                tracing::debug!(error = %e, "the sign-in callback listener could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// One connection: its request read within [`READ_TIMEOUT`], a refusal answered at once, a
/// callback with the right state handed to the sign-in and answered with its outcome.
async fn serve_connection(mut stream: TcpStream, state: &str, hits: &mpsc::Sender<Hit>) {
    let page = match tokio::time::timeout(READ_TIMEOUT, read_callback(&mut stream, state)).await {
        Err(_) => {
            tracing::debug!("a connection to the sign-in callback port sent no request in time");
            Page::TimedOut
        }
        Ok(Callback::Refused(Refusal::NotFound)) => {
            // A browser asks for `/favicon.ico` too.
            tracing::debug!("a request to the sign-in callback port for another path");
            Page::Refused(Refusal::NotFound)
        }
        Ok(Callback::Refused(why)) => {
            tracing::warn!(reason = ?why, "refused a request to the sign-in callback port");
            Page::Refused(why)
        }
        Ok(answer) => {
            let (page, outcome) = oneshot::channel();
            if hits.send(Hit { answer, page }).await.is_err() {
                Page::Over
            } else {
                match tokio::time::timeout(OUTCOME_WAIT, outcome).await {
                    Ok(Ok(page)) => page,
                    _ => Page::Over,
                }
            }
        }
    };
    let _ = tokio::time::timeout(WRITE_TIMEOUT, respond(&mut stream, &page)).await;
}

/// One PKCE sign-in's secrets and where it lands.
struct Pkce {
    name: String,
    verifier: String,
    state: String,
    redirect_uri: String,
    url: String,
    port: u16,
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
            agent: Some(AGENT.into()),
            stream,
            url: crate::agents::output::first_url(&line),
            line,
        };
        self.notifier.notify::<AuthLoginProgress>(&params).await;
    }

    async fn complete(&self, login_id: &str, error: Option<String>) {
        self.current.lock().unwrap().take_if(|r| r.id == login_id);
        tracing::info!(login = %login_id, success = error.is_none(), "ChatGPT sign-in finished");
        let done = LoginComplete {
            login_id: login_id.to_string(),
            agent: Some(AGENT.into()),
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
        let (verifier, challenge, state) = openai::pkce()?;
        let (id, events) = self.claim()?;
        let port = callback_port();
        let redirect_uri = format!("http://localhost:{port}/auth/callback");
        let listener = TcpListener::bind(("127.0.0.1", port)).await.ok();
        let url = openai::authorize_url(&challenge, &state, &redirect_uri);
        let flow = Pkce {
            name,
            verifier,
            state,
            redirect_uri,
            url,
            port,
        };
        let this = Arc::clone(self);
        let login_id = id.clone();
        tracing::info!(login = %id, listening = listener.is_some(), "started a ChatGPT sign-in");
        tokio::spawn(async move { this.run_pkce(&login_id, flow, listener, events).await });
        Ok(AuthLoginResult { login_id: id })
    }

    /// The sign-in from the address shown to its completion: the callback listener (if the port
    /// was free) serves while the sign-in waits, and stops with it.
    async fn run_pkce(
        &self,
        login_id: &str,
        flow: Pkce,
        listener: Option<TcpListener>,
        events: mpsc::UnboundedReceiver<Event>,
    ) {
        let (redirect_uri, port) = (&flow.redirect_uri, flow.port);
        self.progress(
            login_id,
            OutputStream::Stdout,
            &format!(
                "Open this address in a browser to sign in to ChatGPT: {}",
                flow.url
            ),
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
        self.progress(login_id, OutputStream::Stdout, &waiting)
            .await;
        let (hits_tx, hits) = mpsc::channel(MAX_CONNECTIONS);
        let server = listener
            .map(|l| tokio::spawn(serve_callbacks(l, Arc::from(flow.state.as_str()), hits_tx)));
        let outcome = self
            .wait_for_code(login_id, hits, events, &flow.state)
            .await;
        // The port is free again at once; connections being served end on their own.
        if let Some(server) = server {
            server.abort();
        }
        let error = match outcome {
            Ok((code, page)) => {
                let error = self.finish(login_id, &flow, &code).await;
                if let Some(page) = page {
                    let _ = page.send(match error {
                        None => Page::SignedIn,
                        Some(_) => Page::NotFinished,
                    });
                }
                error
            }
            Err(e) => Some(e),
        };
        self.complete(login_id, error).await;
    }

    /// The code exchanged and the tokens stored in the profile: what went wrong, if anything.
    async fn finish(&self, login_id: &str, flow: &Pkce, code: &str) -> Option<String> {
        self.progress(login_id, OutputStream::Stdout, "Signing in…")
            .await;
        match openai::exchange(code, &flow.verifier, &flow.redirect_uri).await {
            Ok(tokens) => super::profiles::add_oauth(&self.profiles, &flow.name, tokens)
                .await
                .err()
                .map(|e| e.to_string()),
            Err(refused) => Some(refused.message),
        }
    }

    /// The code from a callback with the right state or a paste (and where the callback's page
    /// goes). A paste with a missing or wrong state is refused and waiting goes on; a provider's
    /// error with the right state ends the sign-in with a fixed sentence.
    async fn wait_for_code(
        &self,
        login_id: &str,
        mut hits: mpsc::Receiver<Hit>,
        mut events: mpsc::UnboundedReceiver<Event>,
        state: &str,
    ) -> std::result::Result<(String, PageSlot), String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let (answer, page) = tokio::select! {
                Some(hit) = hits.recv() => (hit.answer, Some(hit.page)),
                e = events.recv() => match e {
                    Some(Event::Pasted(text)) => (parse_paste(&text, state), None),
                    Some(Event::Cancel) | None => return Err("cancelled".into()),
                },
                () = tokio::time::sleep_until(deadline) => {
                    return Err("The sign-in timed out: start it again.".into());
                }
            };
            match answer {
                Callback::Code(code) => {
                    remember(&code);
                    return Ok((code, page));
                }
                Callback::Failed(code) => {
                    tracing::warn!(login = %login_id, code = ?code, "ChatGPT answered the sign-in with an error");
                    if let Some(page) = page {
                        let _ = page.send(Page::Failed(code.clone()));
                    }
                    return Err(failed_sentence(code.as_deref()));
                }
                Callback::Refused(Refusal::WrongState) => {
                    tracing::warn!(login = %login_id, "refused a pasted sign-in answer without this sign-in's state");
                    self.progress(
                        login_id,
                        OutputStream::Stderr,
                        "That sign-in answer was refused: its state is missing or belongs to another sign-in. Paste the whole address this sign-in's browser tab ends on (or just its code).",
                    )
                    .await;
                }
                Callback::Refused(_) => {}
            }
        }
    }

    /// `codex login` (or `codex login --device-auth`) for the CLI's own sign-in, streamed.
    async fn start_cli(self: &Arc<Self>, device: bool) -> Result<AuthLoginResult> {
        let program = self.cli.resolve(&super::adapter::BINARY).await?;
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
                        let _ = tx.send((stream, crate::agents::output::strip_ansi(&line)));
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
            this.profiles.look_again(super::adapter::OWN_PROFILE).await;
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

/// Codex's sign-ins behind the seam: Grove's PKCE sign-in into a profile, or `codex login`.
impl crate::agents::adapter::SignIns for std::sync::Arc<CodexLogins> {
    fn start(
        &self,
        params: crate::protocol::AuthLoginParams,
    ) -> crate::agents::adapter::Pending<'_, AuthLoginResult> {
        let device = params.method == Some(crate::protocol::LoginMethod::Device);
        Box::pin(CodexLogins::start(self, params.profile, device))
    }

    fn owns(&self, login_id: &str) -> bool {
        CodexLogins::owns(self, login_id)
    }

    fn input(&self, login_id: &str, code: &str) -> Result<()> {
        CodexLogins::input(self, login_id, code)
    }

    fn cancel(&self, login_id: &str) -> Result<()> {
        CodexLogins::cancel(self, login_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = "st1-state";

    #[test]
    fn pasted_answers_need_this_sign_ins_state_unless_a_bare_code() {
        let code = |c: &str| Callback::Code(c.into());
        let refused = Callback::Refused(Refusal::WrongState);
        let paste = |text: &str| parse_paste(text, STATE);
        assert_eq!(
            paste("http://localhost:1455/auth/callback?code=ac%2Fb&scope=x&state=st1-state"),
            code("ac/b")
        );
        assert_eq!(paste("  'abc123'  "), code("abc123"), "a bare code");
        assert_eq!(paste("abc#st1-state"), code("abc"));
        assert_eq!(paste("code=z&state=st1-state#frag"), code("z"));
        assert_eq!(paste("abc#other"), refused);
        assert_eq!(paste("#st1-state"), refused);
        assert_eq!(paste("http://localhost:1455/auth/callback?code=z"), refused);
        assert_eq!(paste("code=z&state=other"), refused);
        assert_eq!(
            paste("http://localhost:1455/auth/callback?error=access_denied"),
            refused
        );
        assert_eq!(
            paste(
                "http://x/auth/callback?error=access_denied&error_description=%3Cb%3E&state=st1-state"
            ),
            Callback::Failed(Some("access_denied".into()))
        );
        assert_eq!(paste(" "), Callback::Refused(Refusal::NoAnswer));
        assert_eq!(
            crate::agents::output::strip_ansi("\u{1b}[94mhttps://x\u{1b}[0m"),
            "https://x"
        );
    }

    #[test]
    fn callbacks_count_only_with_the_exact_state() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let read = |req: &str| rt.block_on(read_callback(&mut req.as_bytes(), STATE));
        let refused = Callback::Refused;
        let cases = [
            (
                "GET /auth/callback?code=c&state=st1-state HTTP/1.1\r\nhost: x\r\n\r\n",
                Callback::Code("c".into()),
            ),
            (
                "GET /auth/callback?code=c&state=st1-state HTTP/1.1\n\n",
                Callback::Code("c".into()),
            ),
            (
                "GET /auth/callback?code=c HTTP/1.1\r\n\r\n",
                refused(Refusal::WrongState),
            ),
            (
                "GET /auth/callback?code=c&state= HTTP/1.1\r\n\r\n",
                refused(Refusal::WrongState),
            ),
            (
                "GET /auth/callback?code=c&state=st1-state&state=st1-state HTTP/1.1\r\n\r\n",
                refused(Refusal::WrongState),
            ),
            (
                "GET /auth/callback?error=access_denied&error_description=%3Cscript%3E HTTP/1.1\r\n\r\n",
                refused(Refusal::WrongState),
            ),
            (
                "GET /auth/callback?error=access_denied&error_description=%3Cscript%3E&state=st1-state HTTP/1.1\r\n\r\n",
                Callback::Failed(Some("access_denied".into())),
            ),
            (
                "GET /auth/callback?error=%3Cb%3E&state=st1-state HTTP/1.1\r\n\r\n",
                Callback::Failed(None),
            ),
            (
                "GET /auth/callback?code=a&code=b&state=st1-state HTTP/1.1\r\n\r\n",
                refused(Refusal::Malformed),
            ),
            (
                "GET /auth/callback?state=st1-state HTTP/1.1\r\n\r\n",
                refused(Refusal::NoAnswer),
            ),
            (
                "GET /auth/callback?code=c&state=st1-state HTTP/1.1\r\n",
                refused(Refusal::Malformed),
            ),
            (
                "GET /auth/callback?code=c&state=st1-state\r\n\r\n",
                refused(Refusal::Malformed),
            ),
            (
                "POST /auth/callback?code=c&state=st1-state HTTP/1.1\r\n\r\n",
                refused(Refusal::NotFound),
            ),
            (
                "GET /favicon.ico HTTP/1.1\r\n\r\n",
                refused(Refusal::NotFound),
            ),
        ];
        for (request, want) in cases {
            assert_eq!(read(request), want, "{request:?}");
        }
        let endless = format!("GET /auth/callback?code={}", "a".repeat(MAX_HEAD));
        assert_eq!(read(&endless), refused(Refusal::TooLarge));
        let no_state = rt.block_on(read_callback(
            &mut "GET /auth/callback?code=c&state= HTTP/1.1\r\n\r\n".as_bytes(),
            "",
        ));
        assert_eq!(
            no_state,
            refused(Refusal::WrongState),
            "never an empty state"
        );
    }

    #[test]
    fn what_the_editor_and_the_browser_are_told_carries_no_markup() {
        assert_eq!(
            failed_sentence(Some("access_denied")),
            "ChatGPT did not complete the sign-in (error code access_denied). Start the sign-in again."
        );
        assert_eq!(error_code("access_denied"), Some("access_denied".into()));
        assert_eq!(error_code("<b>x</b>"), None);
        assert_eq!(error_code(&"a".repeat(65)), None);
        assert_eq!(
            escape_html("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        let (status, text) = Page::Failed(Some("access_denied".into())).render();
        assert_eq!(status, "200 OK");
        assert!(text.contains("failed with error code access_denied"));
        assert_eq!(percent_decode("a%2Fb+c%zz%+1%4"), "a/b c%zz% 1%4");
    }
}

#[cfg(test)]
mod property {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use super::*;
    use crate::test_io::Chunked;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use tokio::io::{AsyncRead, ReadBuf};

    const STATE: &str = "St4te-of_this.SignIn-0123456789";

    /// A reader that counts the bytes it hands out.
    struct Counted<R> {
        inner: R,
        read: usize,
    }

    impl<R: AsyncRead + Unpin> AsyncRead for Counted<R> {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let before = buf.filled().len();
            let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
            self.read += buf.filled().len() - before;
            polled
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    /// What `read_callback` makes of `data` handed out in pieces ending at `cuts`, and how many
    /// bytes it read.
    fn read(rt: &tokio::runtime::Runtime, data: &[u8], cuts: Vec<usize>) -> (Callback, usize) {
        let mut reader = Counted {
            inner: Chunked::new(data.to_vec(), cuts),
            read: 0,
        };
        let got = rt.block_on(read_callback(&mut reader, STATE));
        (got, reader.read)
    }

    /// The query parameters of the first line of `data`, decoded.
    fn params_of_first_line(data: &[u8]) -> Vec<(String, String)> {
        let line = data.split(|b| *b == b'\n').next().unwrap_or_default();
        let line = String::from_utf8_lossy(line);
        let target = line.split(' ').nth(1).unwrap_or_default();
        let query = target.split_once('?').map_or("", |(_, q)| q);
        query
            .split('&')
            .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
            .map(|(k, v)| (k.to_string(), percent_decode(v)))
            .collect()
    }

    /// Arbitrary bytes; pieces of requests in any order; and endless request lines.
    fn junk() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"GET ".to_vec()),
            Just(b"/auth/callback?".to_vec()),
            Just(b"code=".to_vec()),
            Just(b"state=".to_vec()),
            Just(b"error=".to_vec()),
            Just(STATE.as_bytes().to_vec()),
            Just(b"&".to_vec()),
            Just(b" HTTP/1.1".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"%".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..40),
        ];
        let endless = (
            proptest::collection::vec(any::<u8>(), 0..100),
            any::<u8>(),
            0usize..20_000,
        )
            .prop_map(|(start, filler, n)| {
                let mut data = b"GET /auth/callback?code=".to_vec();
                data.extend_from_slice(&start);
                data.resize(data.len() + n, filler);
                data
            });
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..2_000),
            proptest::collection::vec(piece, 0..60).prop_map(|p| p.concat()),
            endless,
        ]
    }

    #[test]
    fn property_callback_bytes_split_anywhere_are_read_bounded_and_need_the_exact_state() {
        let rt = runtime();
        let strategy = (junk(), proptest::collection::vec(0usize..20_000, 0..10));
        TestRunner::new(Config::with_cases(10_000))
            .run(&strategy, |(data, cuts)| {
                let (got, read) = read(&rt, &data, cuts);
                prop_assert!(read <= MAX_HEAD, "read {read} bytes");
                if matches!(got, Callback::Code(_) | Callback::Failed(_)) {
                    let states: Vec<String> = params_of_first_line(&data)
                        .into_iter()
                        .filter(|(k, _)| k == "state")
                        .map(|(_, v)| v)
                        .collect();
                    prop_assert_eq!(states, vec![STATE.to_string()], "{:?}", got);
                }
                Ok(())
            })
            .unwrap();
    }

    /// A request line's parameter: a key Grove looks at (or not), and a value that is sometimes
    /// the sign-in's state.
    fn param() -> impl Strategy<Value = (String, String)> {
        let key = prop_oneof![
            Just("code"),
            Just("state"),
            Just("error"),
            Just("error_description"),
            Just("scope"),
        ];
        let value = prop_oneof![Just(STATE.to_string()), "[A-Za-z0-9_.<>-]{0,10}"];
        (key, value).prop_map(|(k, v)| (k.to_string(), v))
    }

    /// What `read_callback` must answer for this request.
    fn expected(method: &str, path: &str, params: &[(String, String)], head: usize) -> Callback {
        let all = |key: &str| -> Vec<&str> {
            params
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let (codes, states, errors) = (all("code"), all("state"), all("error"));
        if head > MAX_HEAD {
            Callback::Refused(Refusal::TooLarge)
        } else if method != "GET" || path != "/auth/callback" {
            Callback::Refused(Refusal::NotFound)
        } else if codes.len() > 1 || errors.len() > 1 {
            Callback::Refused(Refusal::Malformed)
        } else if states != [STATE] {
            Callback::Refused(Refusal::WrongState)
        } else if let Some(e) = errors.first() {
            let token = !e.is_empty()
                && e.len() <= 64
                && e.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
            Callback::Failed(token.then(|| e.to_string()))
        } else {
            match codes.first() {
                Some(c) if !c.is_empty() => Callback::Code(c.to_string()),
                _ => Callback::Refused(Refusal::NoAnswer),
            }
        }
    }

    #[test]
    fn property_requests_split_anywhere_are_accepted_only_with_the_exact_state() {
        let rt = runtime();
        let strategy = (
            (
                prop_oneof![Just("GET"), Just("POST")],
                prop_oneof![Just("/auth/callback"), Just("/auth/callbackx"), Just("/")],
                proptest::collection::vec(param(), 0..6),
                prop_oneof![Just("\r\n"), Just("\n")],
            ),
            proptest::collection::vec("[a-z-]{1,10}: [ -~]{0,40}", 0..5),
            prop_oneof![Just(0usize), 0usize..10_000],
            proptest::collection::vec(any::<u8>(), 0..100),
            proptest::collection::vec(0usize..12_000, 0..10),
        );
        TestRunner::new(Config::with_cases(10_000))
            .run(
                &strategy,
                |((method, path, params, eol), headers, padding, tail, cuts)| {
                    let query: Vec<String> =
                        params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let mut head = format!("{method} {path}?{} HTTP/1.1{eol}", query.join("&"));
                    for h in &headers {
                        head.push_str(&format!("{h}{eol}"));
                    }
                    head.push_str(&format!("x-padding: {}{eol}{eol}", "p".repeat(padding)));
                    let want = expected(method, path, &params, head.len());
                    let mut data = head.into_bytes();
                    data.extend_from_slice(&tail);
                    let (got, read) = read(&rt, &data, cuts);
                    prop_assert!(read <= MAX_HEAD, "read {read} bytes");
                    prop_assert_eq!(got, want);
                    Ok(())
                },
            )
            .unwrap();
    }
}
