//! Model servers over HTTP: whether an endpoint answers and which models it serves (Ollama's
//! `/api/tags`, else the `/v1/models` of LM Studio and Anthropic-style gateways), and the local
//! servers on their default ports (`GROVE_OLLAMA_URL` / `GROVE_LMSTUDIO_URL` move them, for tests).

use std::time::Duration;

use serde_json::Value;

use crate::protocol::DetectedEndpoint;

/// How long detection at start and on request waits for a local server.
pub const DETECT_LIMIT: Duration = Duration::from_millis(900);
/// How long adding or checking an endpoint waits.
pub const CHECK_LIMIT: Duration = Duration::from_secs(5);

/// Where each local server is looked for.
pub fn local_servers() -> Vec<(&'static str, String)> {
    let at = |var: &str, default: &str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    vec![
        ("ollama", at("GROVE_OLLAMA_URL", "http://localhost:11434")),
        (
            "lmstudio",
            at("GROVE_LMSTUDIO_URL", "http://localhost:1234"),
        ),
    ]
}

/// The redirect policy of every request that carries a credential: a redirect is followed
/// only within the same origin (scheme, host and port), at most 5 times. One to another origin
/// is not followed, its 3xx answer is the answer, so no key or token reaches another host.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        let same = previous
            .last()
            .is_some_and(|prev| prev.origin() == attempt.url().origin());
        if same && previous.len() <= 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn client(limit: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(limit)
        .connect_timeout(limit)
        .redirect(redirect_policy())
        .no_proxy()
        .build()
        .unwrap_or_default()
}

/// Why an endpoint gave no models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unanswered {
    /// Nothing answered, or not like a model server.
    Silent,
    /// It answered with a redirect to another origin, which is not followed.
    Redirected,
    /// Not an address Grove sends anything to (an old store's entry, say).
    BadUrl,
}

impl Unanswered {
    /// What went wrong at `url`, and what to do.
    pub fn message(self, url: &str) -> String {
        match self {
            Self::Silent => format!("Nothing answered at {url}. Is the server running?"),
            Self::Redirected => format!(
                "{url} redirected to another address; Grove sends no key there. Use the address it redirects to, if you trust it."
            ),
            Self::BadUrl => "The endpoint's address is not an http:// or https:// URL Grove can use: add the profile again.".into(),
        }
    }
}

/// The models `base_url` serves, or None when it does not answer like a model server.
pub async fn models(
    provider: &str,
    base_url: &str,
    key: Option<&str>,
    limit: Duration,
) -> Option<Vec<String>> {
    probe(provider, base_url, key, limit).await.ok()
}

/// The models `base_url` serves, or why there are none. Nothing is sent to an address `add`
/// would refuse.
pub async fn probe(
    provider: &str,
    base_url: &str,
    key: Option<&str>,
    limit: Duration,
) -> Result<Vec<String>, Unanswered> {
    if super::input::base_url(base_url).is_err() {
        return Err(Unanswered::BadUrl);
    }
    let http = client(limit);
    let base = base_url.trim_end_matches('/');
    if provider == "ollama"
        && let Some(m) = ollama_tags(&http, base).await
    {
        return Ok(m);
    }
    let mut req = http
        .get(format!("{base}/v1/models"))
        .header("anthropic-version", "2023-06-01");
    if let Some(k) = key.filter(|k| !k.is_empty()) {
        req = req.header("x-api-key", k).bearer_auth(k);
    }
    let resp = req.send().await.map_err(|_| Unanswered::Silent)?;
    if resp.status().is_redirection() {
        return Err(Unanswered::Redirected);
    }
    if !resp.status().is_success() {
        // It answered: a gateway that lists no models (or wants another key for the listing)
        // is still there.
        let gateway = provider == "anthropic-compatible";
        return (gateway && resp.status().is_client_error())
            .then(Vec::new)
            .ok_or(Unanswered::Silent);
    }
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    Ok(names(&v["data"], "id"))
}

/// Ollama's own listing (asked without a key).
async fn ollama_tags(http: &reqwest::Client, base: &str) -> Option<Vec<String>> {
    let v: Value = http
        .get(format!("{base}/api/tags"))
        .send()
        .await
        .ok()?
        .error_for_status()
        .ok()?
        .json()
        .await
        .ok()?;
    Some(names(&v["models"], "name"))
}

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m[field].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The local servers that answer now, with their models (asked at once, within `DETECT_LIMIT`).
pub async fn detect() -> Vec<DetectedEndpoint> {
    let probe = |(provider, url): (&'static str, String)| async move {
        models(provider, &url, None, DETECT_LIMIT)
            .await
            .map(|models| DetectedEndpoint {
                provider: provider.to_string(),
                base_url: url,
                models,
            })
    };
    let mut servers = local_servers().into_iter();
    let (Some(ollama), Some(lmstudio)) = (servers.next(), servers.next()) else {
        return Vec::new();
    };
    let (a, b) = tokio::join!(probe(ollama), probe(lmstudio));
    a.into_iter().chain(b).collect()
}
