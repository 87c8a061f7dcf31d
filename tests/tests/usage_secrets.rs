//! Acceptance for usage insights and plugin secrets: loopback stand-ins for the usage and token
//! endpoints, real credential files with their modes, the real claude CLI checking the result.

use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use grove_e2e::client::Launch;
use grove_e2e::http_stub::{HttpResponse, HttpStub};
use grove_e2e::{Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A credentials file as the CLI writes it, plus keys Grove must leave exactly as they are.
fn credentials(expires_at: u64) -> Value {
    json!({
        "claudeAiOauth": {
            "accessToken": "sk-ant-oat01-FAKEACCESS-ORIGINAL",
            "refreshToken": "sk-ant-ort01-FAKEREFRESH-ORIGINAL",
            "expiresAt": expires_at,
            "scopes": ["user:inference", "user:profile"],
            "subscriptionType": "max",
            "rateLimitTier": "default_claude_max_20x"
        },
        "mcpOAuth": {"some-server": {"accessToken": "sk-ant-oat01-MCPTOKEN", "expiresAt": 1.5e12}},
        "aFutureKey": [1, "two", {"three": null}]
    })
}

/// The token and usage endpoints. Refresh tokens rotate: each works once.
struct Anthropic {
    stub: HttpStub,
    refreshes: Arc<Mutex<usize>>,
}

async fn anthropic(revoked: bool) -> Anthropic {
    let valid = Arc::new(Mutex::new((
        "sk-ant-oat01-FAKEACCESS-ORIGINAL".to_string(),
        "sk-ant-ort01-FAKEREFRESH-ORIGINAL".to_string(),
    )));
    let refreshes = Arc::new(Mutex::new(0));
    let n = refreshes.clone();
    let stub = HttpStub::start(move |req| {
        if req.path == "/v1/oauth/token" {
            let body = req.json();
            let mut tokens = valid.lock().unwrap();
            let ok = !revoked
                && body["grant_type"] == "refresh_token"
                && body["client_id"] == "9d1c250a-e61b-44d9-88ed-5944d1962f5e"
                && body["scope"] == "user:inference user:profile"
                && body["refresh_token"] == tokens.1.as_str();
            if !ok {
                return HttpResponse::json(400, &json!({"error": "invalid_grant", "error_description": "refresh token is invalid"}));
            }
            let mut count = n.lock().unwrap();
            *count += 1;
            *tokens = (format!("sk-ant-oat01-FAKEROTATED-{count}"), format!("sk-ant-ort01-FAKEROTATED-{count}"));
            // A slow endpoint widens the window in which two sidecars could both refresh.
            let mut r = HttpResponse::json(200, &json!({"access_token": tokens.0, "refresh_token": tokens.1, "expires_in": 28800}));
            r.delay = Some(Duration::from_millis(300));
            return r;
        }
        if req.path == "/api/oauth/usage" {
            let tokens = valid.lock().unwrap();
            if req.header("authorization") != Some(&format!("Bearer {}", tokens.0)) {
                return HttpResponse::json(401, &json!({"type": "error", "error": {"type": "authentication_error"}}));
            }
            return HttpResponse::json(200, &json!({
                "five_hour": {"utilization": 39.0, "resets_at": "2026-11-21T15:00:00+00:00"},
                "seven_day": {"utilization": 15.0, "resets_at": "2026-11-25T10:00:00+00:00"},
                "seven_day_opus": null,
                "seven_day_sonnet": {"utilization": 39.0, "resets_at": "2026-11-24T10:00:00+00:00"},
                "extra_usage": {"is_enabled": true, "monthly_limit": 100000, "used_credits": 137, "utilization": 0.1}
            }));
        }
        HttpResponse::json(404, &json!({}))
    })
    .await;
    Anthropic { stub, refreshes }
}

fn launch(home: &TestHome, api: &Anthropic) -> Launch {
    Launch::new(home.path())
        .env("GROVE_ANTHROPIC_API_URL", &api.stub.url)
        .env(
            "GROVE_OAUTH_TOKEN_URL",
            format!("{}/v1/oauth/token", api.stub.url),
        )
}

async fn with_usage(home: &TestHome, api: &Anthropic, on: bool) -> Sidecar {
    let s = launch(home, api).spawn();
    s.initialize(json!({"claudePath": claude_cli(), "usageInsights": on}))
        .await;
    s
}

fn read(home: &TestHome) -> Value {
    serde_json::from_str(&std::fs::read_to_string(home.credentials()).unwrap()).unwrap()
}

/// Nothing secret in the sidecar's log or anything it sent.
fn assert_no_secrets(s: &Sidecar, secrets: &[&str]) {
    let sent = serde_json::to_string(&s.received()).unwrap();
    for secret in secrets {
        assert!(!s.stderr().contains(secret), "{secret} in the log");
        assert!(!sent.contains(secret), "{secret} in a notification");
    }
    assert!(
        !s.stderr().contains("FAKEACCESS")
            && !s.stderr().contains("FAKEREFRESH")
            && !s.stderr().contains("FAKEROTATED")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn off_means_no_request_at_all() {
    let api = anthropic(false).await;
    let home = TestHome::empty();
    let written = credentials(now_ms() - 1000);
    home.write_credentials(&written.to_string());
    let s = with_usage(&home, &api, false).await;
    let err = s.request("grove/usage/get", json!({})).await.unwrap_err();
    assert_eq!(err.code, -32030);
    assert!(err.message.contains("grove.usageInsights.enabled"));
    assert!(
        api.stub.requests().is_empty(),
        "no request to either endpoint"
    );
    assert_eq!(read(&home), written);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_token_gives_the_windows_without_a_refresh() {
    let api = anthropic(false).await;
    let home = TestHome::empty();
    home.write_credentials(&credentials(now_ms() + 3_600_000).to_string());
    let s = with_usage(&home, &api, true).await;
    let u = s.request("grove/usage/get", json!({})).await.unwrap();
    assert_eq!(u["subscriptionType"], "max");
    assert_eq!(u["rateLimitTier"], "default_claude_max_20x");
    let ids: Vec<&str> = u["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["five_hour", "seven_day", "seven_day_sonnet"],
        "null windows left out"
    );
    assert_eq!(
        u["windows"][0],
        json!({"id": "five_hour", "label": "Session (5h)", "utilization": 39.0, "resetsAt": "2026-11-21T15:00:00+00:00"})
    );
    assert_eq!(u["extraUsage"]["used_credits"], 137);
    assert_eq!(u["stale"], false);
    assert_eq!(api.stub.count("/v1/oauth/token"), 0, "no refresh");
    let req = &api.stub.requests()[0];
    assert_eq!(req.header("anthropic-beta"), Some("oauth-2025-04-20"));
    assert_eq!(req.header("user-agent"), Some("claude-code/2.1.329"));
    // Cached: a second call asks nothing.
    s.request("grove/usage/get", json!({})).await.unwrap();
    assert_eq!(api.stub.count("/api/oauth/usage"), 1);
    assert_no_secrets(&s, &[]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_refreshed_once_and_written_back_for_the_cli() {
    let api = anthropic(false).await;
    let home = TestHome::empty();
    let before = credentials(now_ms() - 1000);
    home.write_credentials(&before.to_string());
    let s = with_usage(&home, &api, true).await;
    let u = s.request("grove/usage/get", json!({})).await.unwrap();
    assert_eq!(u["windows"].as_array().unwrap().len(), 3);
    assert_eq!(*api.refreshes.lock().unwrap(), 1, "exactly one refresh");

    let after = read(&home);
    let oauth = &after["claudeAiOauth"];
    assert_eq!(oauth["accessToken"], "sk-ant-oat01-FAKEROTATED-1");
    assert_eq!(oauth["refreshToken"], "sk-ant-ort01-FAKEROTATED-1");
    assert!(oauth["expiresAt"].as_u64().unwrap() > now_ms() + 3_600_000);
    for key in ["scopes", "subscriptionType", "rateLimitTier"] {
        assert_eq!(oauth[key], before["claudeAiOauth"][key], "{key} kept");
    }
    assert_eq!(after["mcpOAuth"], before["mcpOAuth"]);
    assert_eq!(after["aFutureKey"], before["aFutureKey"]);
    assert_eq!(after.as_object().unwrap().len(), 3);
    let mode = std::fs::metadata(home.credentials())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    // The real CLI still reads the store as signed in.
    let out = std::process::Command::new(claude_cli())
        .args(["auth", "status", "--json"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["loggedIn"], true, "{status}");
    assert_eq!(status["authMethod"], "claude.ai");

    s.request("grove/usage/get", json!({"force": true}))
        .await
        .unwrap();
    assert_eq!(
        *api.refreshes.lock().unwrap(),
        1,
        "a second call makes no further refresh"
    );
    assert_no_secrets(&s, &[]);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sidecars_asking_at_once_refresh_once() {
    let api = anthropic(false).await;
    let home = TestHome::empty();
    home.write_credentials(&credentials(now_ms() - 1000).to_string());
    let (a, b) = tokio::join!(with_usage(&home, &api, true), with_usage(&home, &api, true));
    let (ra, rb) = tokio::join!(
        a.request("grove/usage/get", json!({})),
        b.request("grove/usage/get", json!({}))
    );
    assert!(ra.is_ok() && rb.is_ok(), "{ra:?} {rb:?}");
    assert_eq!(*api.refreshes.lock().unwrap(), 1, "one refresh, not two");
    assert_eq!(
        read(&home)["claudeAiOauth"]["refreshToken"],
        "sk-ant-ort01-FAKEROTATED-1"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_refresh_token_is_credentials_expired_and_an_api_key_is_no_oauth() {
    let api = anthropic(true).await;
    let home = TestHome::empty();
    let written = credentials(now_ms() - 1000);
    home.write_credentials(&written.to_string());
    let s = with_usage(&home, &api, true).await;
    let err = s.request("grove/usage/get", json!({})).await.unwrap_err();
    assert_eq!(err.code, -32032);
    let changed = s
        .wait_for(
            "grove/auth/statusChanged",
            0,
            Duration::from_secs(10),
            |v| v["lastFailure"]["source"] == "usage",
        )
        .await
        .expect("the failure reaches the sign-in row");
    assert!(
        changed["lastFailure"]["message"]
            .as_str()
            .unwrap()
            .contains("Sign in again")
    );
    assert_eq!(read(&home), written, "store untouched");
    assert_no_secrets(&s, &[]);

    let home = TestHome::empty();
    let s = launch(&home, &api)
        .env("ANTHROPIC_API_KEY", "sk-ant-api03-FAKEKEY0000000000000")
        .spawn();
    s.initialize(json!({"claudePath": claude_cli(), "usageInsights": true}))
        .await;
    let err = s.request("grove/usage/get", json!({})).await.unwrap_err();
    assert_eq!(err.code, -32031);
    assert!(err.message.contains("API key"), "{}", err.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_live_under_plugin_secrets_and_never_undo_another_writer() {
    let api = anthropic(false).await;
    let home = TestHome::empty();
    let original = credentials(now_ms() + 3_600_000);
    home.write_credentials(&original.to_string());
    let s = with_usage(&home, &api, false).await;
    let secret = "s3cr3t-VALUE-never-logged";
    s.request(
        "grove/secrets/set",
        json!({"key": "github.token", "value": secret}),
    )
    .await
    .unwrap();
    s.request(
        "grove/secrets/set",
        json!({"key": "linear", "value": "other"}),
    )
    .await
    .unwrap();
    assert_eq!(
        s.request("grove/secrets/get", json!({"key": "github.token"}))
            .await
            .unwrap(),
        json!({"value": secret})
    );
    assert_eq!(
        s.request("grove/secrets/get", json!({"key": "missing"}))
            .await
            .unwrap(),
        json!({"value": null})
    );
    assert_eq!(
        s.request("grove/secrets/list", json!({})).await.unwrap(),
        json!({"keys": ["github.token", "linear"]})
    );
    let doc = read(&home);
    assert_eq!(doc["claudeAiOauth"], original["claudeAiOauth"], "untouched");
    assert_eq!(doc["pluginSecrets"]["github.token"], secret);
    assert_eq!(
        std::fs::metadata(home.credentials())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );

    // Another process (the CLI) rewrites the file between two secret writes.
    let mut rewritten = read(&home);
    rewritten["claudeAiOauth"]["accessToken"] = json!("sk-ant-oat01-FAKEACCESS-BYCLI");
    rewritten["addedByCli"] = json!(true);
    home.write_credentials(&rewritten.to_string());
    s.request("grove/secrets/delete", json!({"key": "linear"}))
        .await
        .unwrap();
    let doc = read(&home);
    assert_eq!(
        doc["claudeAiOauth"]["accessToken"], "sk-ant-oat01-FAKEACCESS-BYCLI",
        "the CLI's change is kept"
    );
    assert_eq!(doc["addedByCli"], true);
    assert_eq!(doc["pluginSecrets"], json!({"github.token": secret}));
    s.request("grove/secrets/delete", json!({"key": "github.token"}))
        .await
        .unwrap();
    assert!(
        read(&home).get("pluginSecrets").is_none(),
        "an empty namespace goes away"
    );
    let err = s
        .request("grove/secrets/set", json!({"key": "", "value": "x"}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32602);
    assert_no_secrets(&s, &[secret]);
}
