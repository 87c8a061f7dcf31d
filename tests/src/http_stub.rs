//! A tiny loopback HTTP/1.1 server for tests: each request (method, path, headers, body) goes to a
//! handler that answers with a status, a body and an optional pause; every request is recorded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
}

impl HttpResponse {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            content_type: "application/json".into(),
            body: body.to_string(),
            delay: None,
        }
    }
}

type Handler = dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync;

pub struct HttpStub {
    pub url: String,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HttpStub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HttpStub {
    pub async fn start(
        handler: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<HttpRequest>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let r = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, handler.clone(), r.clone()));
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// Requests to paths starting with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .count()
    }
}

async fn serve(sock: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<HttpRequest>>>) {
    let (read, mut write) = sock.into_split();
    let mut r = BufReader::new(read);
    while let Some(req) = read_request(&mut r).await {
        requests.lock().unwrap().push(req.clone());
        let resp = handler(&req);
        if let Some(pause) = resp.delay {
            tokio::time::sleep(pause).await;
        }
        let reason = match resp.status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            426 => "Upgrade Required",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            _ => "Status",
        };
        let head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\ncontent-length: {}\r\nrequest-id: req_loopback\r\n\r\n",
            resp.status,
            resp.content_type,
            resp.body.len()
        );
        if write.write_all(head.as_bytes()).await.is_err()
            || write.write_all(resp.body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

/// Reads one request from an HTTP/1.1 connection (plain here, TLS in `github_api`).
pub async fn read_request<R: AsyncBufReadExt + Unpin>(r: &mut R) -> Option<HttpRequest> {
    let mut line = String::new();
    if r.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).await.ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v): &(String, String)| v.clone())
    };
    let body = if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut body = Vec::new();
        loop {
            let mut size = String::new();
            r.read_line(&mut size).await.ok()?;
            let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).await.ok()?;
            if n == 0 {
                break body;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        let mut body = vec![
            0;
            find("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        ];
        r.read_exact(&mut body).await.ok()?;
        body
    };
    Some(HttpRequest {
        method,
        path,
        headers,
        body,
    })
}
