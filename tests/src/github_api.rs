//! A loopback HTTPS stand-in for a GitHub Enterprise host, enough for the pinned `gh` to create
//! and read pull requests: GraphQL (`RepositoryInfo`, the `Issue` introspection,
//! `PullRequestForBranch`, `PullRequestCreate`, `UserCurrent`, `PullRequestByNumber`) and the few
//! REST paths it asks (`/api/v3/`, `/api/v3/meta`). Its certificate is made per stand-in and
//! written to a PEM file for `SSL_CERT_FILE`; every request is recorded (headers and body), and
//! every GraphQL answer holds exactly the fields the query selected, as gh insists.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

use crate::http_stub::{HttpRequest, read_request};

/// A pull request the stand-in holds.
#[derive(Clone, Debug, PartialEq)]
pub struct PullRequest {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub base: String,
    pub head: String,
    pub draft: bool,
    /// `OPEN`, `MERGED` or `CLOSED`.
    pub state: String,
    pub url: String,
}

#[derive(Default)]
struct State {
    requests: Vec<HttpRequest>,
    pulls: Vec<PullRequest>,
    /// Fields a query asked that the stand-in does not know (answered null).
    unknown: Vec<String>,
}

pub struct GithubApi {
    /// `127.0.0.1:PORT`: gh's host (`GH_HOST`, `-R host/owner/repo`).
    pub host: String,
    /// The stand-in's certificate (PEM), for `SSL_CERT_FILE`.
    pub cert: PathBuf,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for GithubApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl GithubApi {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap();
        let cert_path = dir.path().join("stand-in.pem");
        std::fs::write(&cert_path, cert.cert.pem()).unwrap();
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let state: Arc<Mutex<State>> = Arc::default();
        let (s, h) = (state.clone(), host.clone());
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (acceptor, s, h) = (acceptor.clone(), s.clone(), h.clone());
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(sock).await {
                        serve(tls, s, h).await;
                    }
                });
            }
        });
        Self {
            host,
            cert: cert_path,
            state,
            task,
            _dir: dir,
        }
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The GraphQL requests (their JSON bodies) of the operation `name`.
    pub fn graphql(&self, name: &str) -> Vec<Value> {
        self.requests()
            .iter()
            .filter(|r| r.path.starts_with("/api/graphql"))
            .map(HttpRequest::json)
            .filter(|b| operation_name(b).as_deref() == Some(name))
            .collect()
    }

    /// The pull requests created so far.
    pub fn pulls(&self) -> Vec<PullRequest> {
        self.state.lock().unwrap().pulls.clone()
    }

    /// Sets a pull request's state (`OPEN`, `MERGED`, `CLOSED`).
    pub fn set_state(&self, number: u64, state: &str) {
        let mut st = self.state.lock().unwrap();
        if let Some(p) = st.pulls.iter_mut().find(|p| p.number == number) {
            p.state = state.into();
        }
    }

    /// Fields some query asked that the stand-in did not know.
    pub fn unknown_fields(&self) -> Vec<String> {
        self.state.lock().unwrap().unknown.clone()
    }
}

/// `query Name(…)` or `mutation Name…` → `Name` (or the body's `operationName`).
pub fn operation_name(body: &Value) -> Option<String> {
    if let Some(n) = body["operationName"].as_str() {
        return Some(n.to_string());
    }
    let q = body["query"].as_str()?.trim_start();
    let rest = q
        .strip_prefix("query")
        .or_else(|| q.strip_prefix("mutation"))?;
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

async fn serve<S>(stream: S, state: Arc<Mutex<State>>, host: String)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (read, mut write) = tokio::io::split(stream);
    let mut r = BufReader::new(read);
    while let Some(req) = read_request(&mut r).await {
        state.lock().unwrap().requests.push(req.clone());
        let (status, headers, body) = answer(&req, &state, &host);
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\ncontent-type: application/json; charset=utf-8\r\n\
             content-length: {}\r\n",
            if status == 200 { "OK" } else { "Status" },
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if write.write_all(head.as_bytes()).await.is_err()
            || write.write_all(body.as_bytes()).await.is_err()
            || write.flush().await.is_err()
        {
            return;
        }
    }
}

type Answer = (u16, Vec<(&'static str, String)>, String);

fn answer(req: &HttpRequest, state: &Mutex<State>, host: &str) -> Answer {
    let path = req.path.split('?').next().unwrap_or("");
    if req.header("authorization").is_none() {
        let body = json!({"message": "Requires authentication"});
        return (401, vec![], body.to_string());
    }
    match (req.method.as_str(), path) {
        ("POST", "/api/graphql") => {
            let data = graphql(&req.json(), state, host);
            (200, vec![], data.to_string())
        }
        ("GET", "/api/v3" | "/api/v3/") => (
            200,
            vec![("x-oauth-scopes", "repo, read:org, gist".into())],
            "{}".into(),
        ),
        _ => {
            let body =
                json!({"message": "Not Found", "documentation_url": "https://docs.github.com"});
            (404, vec![], body.to_string())
        }
    }
}

/// Answers one GraphQL request: the operation's data tree, cut down to what the query selected.
fn graphql(body: &Value, state: &Mutex<State>, host: &str) -> Value {
    let query = body["query"].as_str().unwrap_or("");
    let Some(doc) = Document::parse(query) else {
        return json!({"errors": [{"message": "the stand-in could not parse the query"}]});
    };
    let vars = &body["variables"];
    let name = operation_name(body).unwrap_or_default();
    let mut st = state.lock().unwrap();
    let full = match data(&name, vars, &mut st, host) {
        Ok(full) => full,
        Err(message) => {
            return json!({"data": null, "errors": [{"type": "NOT_FOUND", "message": message}]});
        }
    };
    let mut unknown = Vec::new();
    let data = doc.project(&full, &doc.selection, &name, &mut unknown);
    st.unknown.extend(unknown);
    json!({ "data": data })
}

/// The whole data tree an operation may select from.
fn data(name: &str, vars: &Value, st: &mut State, host: &str) -> Result<Value, String> {
    let owner = vars["owner"].as_str().unwrap_or("owner");
    let repo = vars["name"]
        .as_str()
        .or(vars["repo"].as_str())
        .unwrap_or("repo");
    if (owner, repo) != ("owner", "repo") {
        return Err(format!(
            "Could not resolve to a Repository with the name '{owner}/{repo}'."
        ));
    }
    Ok(match name {
        "PullRequestCreate" => {
            let pr = create(&vars["input"], st, host);
            json!({"createPullRequest": {"pullRequest": pr}})
        }
        "UserCurrent" => json!({"viewer": {"login": "grove-tester"}}),
        _ if name.starts_with("Issue") || name.ends_with("_fields") => introspection(),
        _ => json!({"repository": repository(vars, st, host), "viewer": {"login": "grove-tester"}}),
    })
}

/// The repository `owner/repo`, its pull requests filtered by the query's variables.
fn repository(vars: &Value, st: &State, host: &str) -> Value {
    let head = vars["headRefName"].as_str().or(vars["head"].as_str());
    let states: Vec<&str> = vars["states"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let nodes: Vec<Value> = st
        .pulls
        .iter()
        .rev()
        .filter(|p| head.is_none_or(|h| p.head == h))
        .filter(|p| states.is_empty() || states.contains(&p.state.as_str()))
        .map(|p| pull_json(p, host))
        .collect();
    let number = vars["number"]
        .as_u64()
        .or_else(|| vars["pr_number"].as_u64());
    let by_number = number.and_then(|n| st.pulls.iter().find(|p| p.number == n));
    json!({
        "id": "R_kgDOGrove", "databaseId": 1, "name": "repo", "owner": {"login": "owner"},
        "nameWithOwner": "owner/repo", "url": format!("https://{host}/owner/repo"),
        "sshUrl": format!("git@{host}:owner/repo.git"), "hasIssuesEnabled": true,
        "description": "", "hasWikiEnabled": false, "viewerPermission": "ADMIN",
        "defaultBranchRef": {"name": "main"}, "parent": null, "isPrivate": false,
        "mergeCommitAllowed": true, "rebaseMergeAllowed": true, "squashMergeAllowed": true,
        "pullRequests": {"totalCount": nodes.len(), "nodes": nodes,
            "pageInfo": {"hasNextPage": false, "endCursor": null}},
        "pullRequest": by_number.map(|p| pull_json(p, host)),
    })
}

/// `createPullRequest(input: …)`: records the pull request; refused for a head with one open.
fn create(input: &Value, st: &mut State, host: &str) -> Value {
    let text = |k: &str| input[k].as_str().unwrap_or_default().to_string();
    let number = st.pulls.len() as u64 + 1;
    let pr = PullRequest {
        number,
        title: text("title"),
        body: text("body"),
        base: text("baseRefName"),
        head: text("headRefName"),
        draft: input["draft"].as_bool().unwrap_or(false),
        state: "OPEN".into(),
        url: format!("https://{host}/owner/repo/pull/{number}"),
    };
    let json = pull_json(&pr, host);
    st.pulls.push(pr);
    json
}

fn pull_json(p: &PullRequest, host: &str) -> Value {
    json!({
        "__typename": "PullRequest", "id": format!("PR_{}", p.number), "number": p.number,
        "title": p.title, "body": p.body, "url": p.url, "state": p.state, "isDraft": p.draft,
        "closed": p.state != "OPEN", "merged": p.state == "MERGED",
        "headRefName": p.head, "baseRefName": p.base, "isCrossRepository": false,
        "headRepositoryOwner": {"id": "U_owner", "login": "owner", "name": "Owner"}, "headRepository": {"name": "repo"},
        "author": {"login": "grove-tester"}, "maintainerCanModify": true,
        "repository": {"url": format!("https://{host}/owner/repo")},
    })
}

/// `__type(name: "Issue") { fields { name } }` and its siblings: the field names a modern
/// GitHub has, so gh picks its newest queries.
fn introspection() -> Value {
    let fields = |names: &[&str]| {
        let list: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
        json!({"fields": list, "inputFields": list})
    };
    let issue = fields(&[
        "id",
        "number",
        "title",
        "stateReason",
        "closedByPullRequestsReferences",
    ]);
    let pr = fields(&[
        "id",
        "number",
        "title",
        "isInMergeQueue",
        "isMergeQueueEnabled",
    ]);
    json!({
        "Issue": issue, "PullRequest": pr,
        "PullRequestReviewDecision": {"enumValues": []},
        "StatusCheckRollupContextConnection": fields(&["checkRunCount"]),
    })
}

/// A parsed GraphQL document: the operation's selection and the named fragments.
struct Document {
    selection: Vec<Selection>,
    fragments: Vec<(String, Option<String>, Vec<Selection>)>,
}

enum Selection {
    Field {
        alias: Option<String>,
        name: String,
        selection: Vec<Selection>,
    },
    /// `... on Type { … }` (type optional) or `...Fragment`.
    Inline(Option<String>, Vec<Selection>),
    Spread(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Name(String),
    Punct(char),
    Spread,
    Other,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() || c == ',' => {}
            '#' => while chars.next().is_some_and(|c| c != '\n') {},
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => drop(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
                out.push(Token::Other);
            }
            '.' => {
                chars.next();
                chars.next();
                out.push(Token::Spread);
            }
            c if c.is_alphanumeric() || c == '_' || c == '-' => {
                let mut name = c.to_string();
                while let Some(&c) = chars.peek().filter(|c| c.is_alphanumeric() || **c == '_') {
                    name.push(c);
                    chars.next();
                }
                out.push(Token::Name(name));
            }
            c => out.push(Token::Punct(c)),
        }
    }
    out
}

impl Document {
    fn parse(text: &str) -> Option<Self> {
        let toks = tokens(text);
        let mut p = Parser { toks, at: 0 };
        let mut doc = Document {
            selection: Vec::new(),
            fragments: Vec::new(),
        };
        while p.at < p.toks.len() {
            match p.next()? {
                Token::Name(k) if k == "fragment" => {
                    let name = p.name()?;
                    p.expect_name("on")?;
                    let on = p.name()?;
                    let sel = p.selection_set()?;
                    doc.fragments.push((name, Some(on), sel));
                }
                Token::Punct('{') => {
                    p.at -= 1;
                    doc.selection = p.selection_set()?;
                }
                Token::Punct('(') => p.skip_group('(', ')')?,
                _ => {}
            }
        }
        Some(doc)
    }

    /// `full` cut down to `selection`; names of fields `full` lacks go to `unknown`.
    fn project(
        &self,
        full: &Value,
        selection: &[Selection],
        path: &str,
        unknown: &mut Vec<String>,
    ) -> Value {
        match full {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.project(v, selection, path, unknown))
                    .collect(),
            ),
            Value::Object(obj) => {
                let mut out = Map::new();
                self.project_into(obj, selection, path, unknown, &mut out);
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    fn project_into(
        &self,
        obj: &Map<String, Value>,
        selection: &[Selection],
        path: &str,
        unknown: &mut Vec<String>,
        out: &mut Map<String, Value>,
    ) {
        let type_matches = |on: &Option<String>| {
            on.as_ref()
                .is_none_or(|t| obj.get("__typename").is_none_or(|n| n == t.as_str()))
        };
        for sel in selection {
            match sel {
                Selection::Field {
                    alias,
                    name,
                    selection,
                } => {
                    let key = alias.as_ref().unwrap_or(name);
                    let here = format!("{path}.{key}");
                    let value = match obj.get(key).or_else(|| obj.get(name)) {
                        Some(v) if selection.is_empty() => v.clone(),
                        Some(v) => self.project(v, selection, &here, unknown),
                        None => {
                            unknown.push(here);
                            Value::Null
                        }
                    };
                    out.insert(key.clone(), value);
                }
                Selection::Inline(on, sub) if type_matches(on) => {
                    self.project_into(obj, sub, path, unknown, out)
                }
                Selection::Inline(..) => {}
                Selection::Spread(name) => {
                    if let Some((_, on, sub)) = self.fragments.iter().find(|f| &f.0 == name)
                        && type_matches(on)
                    {
                        self.project_into(obj, sub, path, unknown, out)
                    }
                }
            }
        }
    }
}

struct Parser {
    toks: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.at)
    }

    fn name(&mut self) -> Option<String> {
        match self.next()? {
            Token::Name(n) => Some(n),
            _ => None,
        }
    }

    fn expect_name(&mut self, want: &str) -> Option<()> {
        (self.name()? == want).then_some(())
    }

    /// Skips a bracketed group whose opening bracket was just read.
    fn skip_group(&mut self, open: char, close: char) -> Option<()> {
        let mut depth = 1;
        while depth > 0 {
            match self.next()? {
                Token::Punct(c) if c == open => depth += 1,
                Token::Punct(c) if c == close => depth -= 1,
                _ => {}
            }
        }
        Some(())
    }

    /// Arguments and directives after a field or fragment: skipped.
    fn skip_arguments(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(Token::Punct('(')) => {
                    self.at += 1;
                    self.skip_group('(', ')')?;
                }
                Some(Token::Punct('@')) => {
                    self.at += 2;
                }
                _ => return Some(()),
            }
        }
    }

    fn selection_set(&mut self) -> Option<Vec<Selection>> {
        if self.next()? != Token::Punct('{') {
            return None;
        }
        let mut out = Vec::new();
        loop {
            match self.next()? {
                Token::Punct('}') => return Some(out),
                Token::Spread => out.push(self.spread()?),
                Token::Name(first) => out.push(self.field(first)?),
                _ => return None,
            }
        }
    }

    fn spread(&mut self) -> Option<Selection> {
        match self.peek()? {
            Token::Name(n) if n == "on" => {
                self.at += 1;
                let on = self.name()?;
                self.skip_arguments()?;
                Some(Selection::Inline(Some(on), self.selection_set()?))
            }
            Token::Name(_) => {
                let name = self.name()?;
                self.skip_arguments()?;
                Some(Selection::Spread(name))
            }
            _ => {
                self.skip_arguments()?;
                Some(Selection::Inline(None, self.selection_set()?))
            }
        }
    }

    fn field(&mut self, first: String) -> Option<Selection> {
        let (alias, name) = if self.peek() == Some(&Token::Punct(':')) {
            self.at += 1;
            (Some(first), self.name()?)
        } else {
            (None, first)
        };
        self.skip_arguments()?;
        let selection = if self.peek() == Some(&Token::Punct('{')) {
            self.selection_set()?
        } else {
            Vec::new()
        };
        Some(Selection::Field {
            alias,
            name,
            selection,
        })
    }
}
