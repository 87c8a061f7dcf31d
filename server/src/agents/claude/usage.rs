//! Usage insights, opt-in: the subscription's rate-limit windows from the usage API. The one place
//! that reads the CLI's OAuth token, and only while `usageInsights` is on. An expiring token is
//! refreshed under a lock shared by every sidecar, and the rotated pair is written back to the
//! CLI's store before it is used, so the CLI never finds itself signed out.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::Auth;
use super::credentials::{self, Store};
use crate::clock::{now_ms, now_rfc3339};
use crate::error::{Error, Result};
use crate::protocol::{FailureSource, UsageResult, UsageWindow};
use crate::store::FileLock;

/// The claude CLI's public OAuth client id.
const CLIENT_ID: &str = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
const CACHE_FOR: Duration = Duration::from_secs(5 * 60);
const BACK_OFF: Duration = Duration::from_secs(2 * 60);
const TIMEOUT: Duration = Duration::from_secs(10);
/// A token with less than this left is refreshed first.
const MARGIN_MS: u64 = 60_000;
const WINDOWS: &[(&str, &str)] = &[
    ("five_hour", "Session (5h)"),
    ("seven_day", "Week (all)"),
    ("seven_day_opus", "Week (Opus)"),
    ("seven_day_sonnet", "Week (Sonnet)"),
];

fn api_url() -> String {
    std::env::var("GROVE_ANTHROPIC_API_URL").unwrap_or_else(|_| "https://api.anthropic.com".into())
}

fn token_url() -> String {
    std::env::var("GROVE_OAUTH_TOKEN_URL")
        .unwrap_or_else(|_| "https://platform.claude.com/v1/oauth/token".into())
}

/// `claudeAiOauth` of the CLI's store, as much as usage needs.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OAuth {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_at: Option<u64>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    subscription_type: Option<String>,
    #[serde(default)]
    rate_limit_tier: Option<String>,
}

impl OAuth {
    fn expiring(&self) -> bool {
        self.expires_at.is_some_and(|at| at < now_ms() + MARGIN_MS)
    }
}

#[derive(Deserialize)]
struct Refreshed {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Default)]
struct Cache {
    good: Option<(Instant, UsageResult)>,
    failed: Option<(Instant, Error)>,
}

pub struct Usage {
    auth: Arc<Auth>,
    store: Arc<dyn Store>,
    lock: PathBuf,
    http: reqwest::Client,
    enabled: AtomicBool,
    /// One fetch at a time; the cache and the back-off.
    cache: tokio::sync::Mutex<Cache>,
}

fn generic(message: String) -> Error {
    Error::Internal(message)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

impl Usage {
    pub fn new(auth: Arc<Auth>, store: Arc<dyn Store>, state_dir: PathBuf) -> Self {
        Self {
            auth,
            store,
            lock: state_dir.join("credentials.lock"),
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .redirect(crate::profiles::endpoints::redirect_policy())
                .build()
                .unwrap_or_default(),
            enabled: AtomicBool::new(false),
            cache: tokio::sync::Mutex::default(),
        }
    }

    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::SeqCst);
    }

    /// `grove/usage/get`: cached for 5 minutes; after a failure, the last good answer marked stale
    /// (or the failure) for 2 minutes without asking again.
    pub async fn get(&self, force: bool) -> Result<UsageResult> {
        if !self.enabled.load(Ordering::SeqCst) {
            return Err(Error::UsageDisabled);
        }
        let mut cache = self.cache.lock().await;
        if let Some((at, good)) = &cache.good
            && !force
            && at.elapsed() < CACHE_FOR
        {
            return Ok(good.clone());
        }
        if let Some((at, err)) = &cache.failed
            && !force
            && at.elapsed() < BACK_OFF
        {
            return stale_or(&cache.good, err.clone());
        }
        match self.fetch().await {
            Ok(result) => {
                cache.good = Some((Instant::now(), result.clone()));
                cache.failed = None;
                Ok(result)
            }
            Err(e @ (Error::CredentialsExpired(_) | Error::NoOAuthCredentials(_))) => Err(e),
            Err(e) => {
                cache.failed = Some((Instant::now(), e.clone()));
                stale_or(&cache.good, e)
            }
        }
    }

    async fn fetch(&self) -> Result<UsageResult> {
        let oauth = self.token(false).await?;
        let response = match self.ask_usage(&oauth).await? {
            Some(v) => v,
            // The token was refused: renew it once (it may have been revoked early), then ask again.
            None => {
                let renewed = self.token(true).await?;
                match self.ask_usage(&renewed).await? {
                    Some(v) => v,
                    None => {
                        return Err(self
                            .expired("The usage service refused the Claude sign-in.")
                            .await);
                    }
                }
            }
        };
        Ok(parse_usage(&response, &oauth))
    }

    /// The usage API's answer; `None` when it refuses the token (401).
    async fn ask_usage(&self, oauth: &OAuth) -> Result<Option<Value>> {
        let version = self
            .auth
            .status(false)
            .await
            .ok()
            .and_then(|s| s.cli.version)
            .unwrap_or_else(|| "unknown".into());
        let response = self
            .http
            .get(format!("{}/api/oauth/usage", api_url()))
            .bearer_auth(&oauth.access_token)
            .header("anthropic-beta", "oauth-2025-04-20")
            .header(
                reqwest::header::USER_AGENT,
                format!("claude-code/{version}"),
            )
            .send()
            .await
            .map_err(|e| {
                generic(format!(
                    "The usage service could not be reached: {}",
                    e.without_url()
                ))
            })?;
        match response.status().as_u16() {
            200 => response.json::<Value>().await.map(Some).map_err(|e| {
                generic(format!(
                    "The usage service gave an answer Grove cannot read: {}",
                    e.without_url()
                ))
            }),
            401 => Ok(None),
            status => Err(generic(format!(
                "The usage service answered with status {status}."
            ))),
        }
    }

    /// The CLI's OAuth token, refreshed first if it expires within a minute (or `renew`).
    async fn token(&self, renew: bool) -> Result<OAuth> {
        let seen = self.read_oauth().await?;
        if !renew && !seen.expiring() {
            return Ok(seen);
        }
        let lock = self.lock.clone();
        let held = blocking(move || FileLock::exclusive(&lock))
            .await
            .map_err(|e| Error::StoreFailed(format!("Could not take the credentials lock: {e}")))?;
        // Another sidecar, or the CLI itself, may have refreshed while this one waited.
        let current = self.read_oauth().await?;
        if !current.expiring() && (!renew || current.access_token != seen.access_token) {
            return Ok(current);
        }
        let fresh = self.refresh(&current).await?;
        let (store, f) = (self.store.clone(), fresh.clone());
        let written = blocking(move || {
            credentials::update_locked(store.as_ref(), |doc| {
                if let Some(o) = doc.get_mut("claudeAiOauth").and_then(Value::as_object_mut) {
                    o.insert("accessToken".into(), f.access_token.clone().into());
                    if let Some(r) = &f.refresh_token {
                        o.insert("refreshToken".into(), r.clone().into());
                    }
                    if let Some(at) = f.expires_at {
                        o.insert("expiresAt".into(), at.into());
                    }
                }
            })
        })
        .await;
        drop(held);
        written.map_err(|e| {
            Error::StoreFailed(format!("The renewed sign-in could not be saved: {e}"))
        })?;
        tracing::info!("renewed the Claude sign-in and saved it where the CLI keeps it");
        Ok(fresh)
    }

    async fn refresh(&self, current: &OAuth) -> Result<OAuth> {
        let Some(refresh_token) = &current.refresh_token else {
            return Err(self.expired("The Claude sign-in has expired.").await);
        };
        let body = json!({
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": CLIENT_ID,
            "scope": current.scopes.join(" "),
        });
        let response = self
            .http
            .post(token_url())
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                generic(format!(
                    "The sign-in could not be renewed: {}",
                    e.without_url()
                ))
            })?;
        let status = response.status().as_u16();
        if status == 400 || status == 401 {
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            let reason = answer["error"].as_str().unwrap_or("refused");
            tracing::warn!(
                status,
                reason,
                "the token endpoint refused to renew the sign-in"
            );
            return Err(self
                .expired("The Claude sign-in has expired or was revoked.")
                .await);
        }
        if status != 200 {
            return Err(generic(format!(
                "The sign-in could not be renewed (status {status})."
            )));
        }
        let r: Refreshed = response.json().await.map_err(|e| {
            generic(format!(
                "The token endpoint gave an answer Grove cannot read: {}",
                e.without_url()
            ))
        })?;
        Ok(OAuth {
            access_token: r.access_token,
            refresh_token: r.refresh_token.or_else(|| current.refresh_token.clone()),
            // The endpoint's number: checked, never an overflow.
            expires_at: r
                .expires_in
                .and_then(|s| s.checked_mul(1000))
                .and_then(|ms| now_ms().checked_add(ms)),
            ..current.clone()
        })
    }

    /// CredentialsExpired, recorded where the sign-in row shows it.
    async fn expired(&self, what: &str) -> Error {
        let message = format!("{what} Sign in again to see usage.");
        self.auth
            .record_failure(FailureSource::Usage, &message)
            .await;
        Error::CredentialsExpired(message)
    }

    async fn read_oauth(&self) -> Result<OAuth> {
        let store = self.store.clone();
        let doc = blocking(move || credentials::read_object(store.as_ref()))
            .await
            .map_err(|e| {
                Error::StoreFailed(format!(
                    "The claude CLI's credentials could not be read: {e}"
                ))
            })?;
        if let Some(oauth) = doc
            .get("claudeAiOauth")
            .and_then(|v| serde_json::from_value::<OAuth>(v.clone()).ok())
        {
            return Ok(oauth);
        }
        let method = self
            .auth
            .status(false)
            .await
            .map(|s| s.auth_method)
            .unwrap_or_default();
        let how = match method.as_str() {
            "api_key" => "this CLI is signed in with an API key",
            "oauth_token" => "this CLI uses a token from its environment",
            _ => "the CLI has no Claude subscription sign-in",
        };
        Err(Error::NoOAuthCredentials(format!(
            "Usage insights need a Claude subscription sign-in, but {how}. Sign in with your Claude account (claude auth login)."
        )))
    }
}

fn stale_or(good: &Option<(Instant, UsageResult)>, err: Error) -> Result<UsageResult> {
    match good {
        Some((_, g)) => Ok(UsageResult {
            stale: true,
            ..g.clone()
        }),
        None => Err(err),
    }
}

/// The usage API's answer as windows (those it sends as null are left out).
fn parse_usage(v: &Value, oauth: &OAuth) -> UsageResult {
    let window = |id: &str, label: &str| -> Option<UsageWindow> {
        let w = v.get(id)?.as_object()?;
        Some(UsageWindow {
            id: id.to_string(),
            label: label.to_string(),
            utilization: w.get("utilization")?.as_f64()?,
            resets_at: w
                .get("resets_at")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    };
    let mut windows: Vec<UsageWindow> = WINDOWS
        .iter()
        .filter_map(|(id, label)| window(id, label))
        .collect();
    // Windows the API adds later, shown under their own names.
    if let Some(all) = v.as_object() {
        for (id, _) in all.iter().filter(|(id, w)| {
            w.get("utilization").is_some()
                && *id != "extra_usage"
                && !WINDOWS.iter().any(|(k, _)| k == id)
        }) {
            windows.extend(window(id, id));
        }
    }
    UsageResult {
        subscription_type: oauth.subscription_type.clone(),
        rate_limit_tier: oauth.rate_limit_tier.clone(),
        windows,
        extra_usage: v.get("extra_usage").filter(|e| e.is_object()).cloned(),
        fetched_at: now_rfc3339(),
        stale: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_windows_are_left_out_and_new_ones_kept() {
        let oauth: OAuth = serde_json::from_value(
            json!({"accessToken": "t", "subscriptionType": "max", "rateLimitTier": "tier"}),
        )
        .unwrap();
        let v = json!({
            "five_hour": {"utilization": 39.0, "resets_at": "2026-11-21T15:00:00Z"},
            "seven_day": {"utilization": 15, "resets_at": null},
            "seven_day_opus": null,
            "seven_day_sonnet": {"utilization": 2.5, "resets_at": "2026-11-25T00:00:00Z"},
            "seven_day_new_model": {"utilization": 1.0, "resets_at": null},
            "extra_usage": {"is_enabled": true, "monthly_limit": 1000, "used_credits": 12, "utilization": 1.2}
        });
        let r = parse_usage(&v, &oauth);
        let ids: Vec<&str> = r.windows.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "five_hour",
                "seven_day",
                "seven_day_sonnet",
                "seven_day_new_model"
            ]
        );
        assert_eq!(r.windows[0].label, "Session (5h)");
        assert_eq!(r.windows[1].utilization, 15.0);
        assert_eq!(r.extra_usage.unwrap()["monthly_limit"], 1000);
        assert_eq!(r.subscription_type.as_deref(), Some("max"));
    }

    #[test]
    fn expiry_has_a_minute_of_margin() {
        let mk = |at: u64| OAuth {
            access_token: "a".into(),
            refresh_token: None,
            expires_at: Some(at),
            scopes: vec![],
            subscription_type: None,
            rate_limit_tier: None,
        };
        assert!(mk(now_ms() + 30_000).expiring());
        assert!(!mk(now_ms() + 3_600_000).expiring());
    }
}
