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

fn client(limit: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(limit)
        .connect_timeout(limit)
        .no_proxy()
        .build()
        .unwrap_or_default()
}

/// The models `base_url` serves, or None when it does not answer like a model server.
pub async fn models(
    provider: &str,
    base_url: &str,
    key: Option<&str>,
    limit: Duration,
) -> Option<Vec<String>> {
    let http = client(limit);
    let base = base_url.trim_end_matches('/');
    if provider == "ollama" {
        let tags = async {
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
        };
        if let Some(m) = tags.await {
            return Some(m);
        }
    }
    let mut req = http
        .get(format!("{base}/v1/models"))
        .header("anthropic-version", "2023-06-01");
    if let Some(k) = key.filter(|k| !k.is_empty()) {
        req = req.header("x-api-key", k).bearer_auth(k);
    }
    let resp = req.send().await.ok()?;
    if !resp.status().is_success() {
        // It answered: a gateway that lists no models (or wants another key for the listing)
        // is still there.
        let gateway = provider == "anthropic-compatible";
        return (gateway && resp.status().is_client_error()).then(Vec::new);
    }
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    Some(names(&v["data"], "id"))
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
