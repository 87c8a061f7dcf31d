//! Acceptance for the sign-in indicator: the built sidecar, the real claude CLI, temporary homes:
//! status answers, sanitized environments, the credentials watcher, and CLI resolution.

use std::time::Duration;

use grove_e2e::client::Launch;
use grove_e2e::{Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};

const STATUS: &str = "grove/auth/status";
const CHANGED: &str = "grove/auth/statusChanged";

async fn status(s: &mut Sidecar, force: bool) -> Value {
    s.request(STATUS, json!({ "force": force }))
        .await
        .expect("status")
}

#[tokio::test(flavor = "multi_thread")]
async fn logged_out_home_reports_none_and_signed_in_home_reports_max() {
    let home = TestHome::empty();
    let mut s = Sidecar::start(home.path());
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    let st = status(&mut s, false).await;
    assert_eq!(st["loggedIn"], false);
    assert_eq!(st["authMethod"], "none");
    assert_eq!(st["cli"]["version"], "2.1.329");
    assert_eq!(st["cli"]["path"], claude_cli().display().to_string());
    assert!(st["lastFailure"].is_null());
    assert!(st["checkedAt"].as_str().unwrap().ends_with('Z'));

    let home = TestHome::signed_in();
    let mut s = Sidecar::start(home.path());
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    let st = status(&mut s, true).await;
    assert_eq!(st["loggedIn"], true);
    assert_eq!(st["authMethod"], "claude.ai");
    assert_eq!(st["subscriptionType"], "max");
    assert_eq!(st["apiProvider"], "firstParty");
    assert!(s.shutdown().await.success());
}

/// Fake values, one per variable Grove must strip; none may reach the CLI or a log line.
fn inherited_tokens() -> Vec<(&'static str, String)> {
    [
        "CLAUDE_CODE_OAUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_REFRESH_TOKEN",
        "CLAUDE_CODE_OAUTH_SCOPES",
        "CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR",
        "CLAUDE_CODE_SESSION_ACCESS_TOKEN",
        "CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR",
        "CLAUDE_CODE_WEBSOCKET_AUTH_FILE_DESCRIPTOR",
        "CLAUDE_CODE_ENTRYPOINT",
        "CLAUDE_BRIDGE_OAUTH_TOKEN",
        "CLAUDE_SESSION_INGRESS_TOKEN_FILE",
        "CLAUDE_TRUSTED_DEVICE_TOKEN",
        "CLAUDECODE",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_UNIX_SOCKET",
        "ANTHROPIC_FOUNDRY_API_KEY",
        "AWS_BEARER_TOKEN_BEDROCK",
        "ANTHROPIC_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "GOOGLE_GENAI_API_KEY",
        "OPENAI_API_KEY",
    ]
    .iter()
    .enumerate()
    .map(|(i, k)| {
        (
            *k,
            format!("sk-ant-oat01-INHERITEDSECRET{i:02}xyzxyzxyzxyz"),
        )
    })
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn inherited_tokens_never_reach_the_cli() {
    let home = TestHome::empty();
    let cli = home.counting_cli();
    let mut launch = Launch::new(home.path()).env("ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
    for (k, v) in inherited_tokens() {
        launch = launch.env(k, v);
    }
    let mut s = launch.spawn();
    s.initialize(json!({ "claudePath": cli })).await;
    let st = status(&mut s, true).await;
    assert_eq!(
        st["authMethod"], "none",
        "an inherited token leaked into the CLI: {st}"
    );
    assert_eq!(st["loggedIn"], false);

    let envs = home.spawn_envs();
    assert!(!envs.is_empty());
    assert_eq!(envs.len(), home.spawns());
    for env in envs {
        for (k, v) in inherited_tokens() {
            assert!(!env.contains(&format!("{k}=")), "{k} reached the CLI");
            assert!(!env.contains(&v), "a token value reached the CLI");
        }
        assert!(
            env.contains("ANTHROPIC_BASE_URL=http://127.0.0.1:9"),
            "ANTHROPIC_BASE_URL passes"
        );
    }
    let log = s.stderr();
    assert!(
        log.contains("sign-in status changed"),
        "the log is being captured:\n{log}"
    );
    for (_, v) in inherited_tokens() {
        assert!(!log.contains(&v), "a token reached the log");
    }
    assert!(!log.contains("INHERITEDSECRET"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_api_key_passes() {
    let home = TestHome::empty();
    let key = "sk-ant-api03-FAKEKEYFORTESTS0000000000000000";
    let mut s = Launch::new(home.path())
        .env("ANTHROPIC_API_KEY", key)
        .spawn();
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    let st = status(&mut s, false).await;
    assert_eq!(st["authMethod"], "api_key");
    assert_eq!(st["loggedIn"], true);
    assert!(!s.stderr().contains(key));
    assert!(!serde_json::to_string(&s.received()).unwrap().contains(key));
}

#[tokio::test(flavor = "multi_thread")]
async fn credential_changes_are_pushed_and_nothing_else_spawns_the_cli() {
    let home = TestHome::empty();
    let cli = home.counting_cli();
    let mut s = Sidecar::start(home.path());
    s.initialize(json!({ "claudePath": cli })).await;
    let first = s
        .wait_for(CHANGED, 0, Duration::from_secs(20), |_| true)
        .await
        .expect("the first status is pushed after initialized");
    assert_eq!(first["loggedIn"], false);

    // Nothing changes: no notification, no CLI process, even with requests and unrelated writes.
    let spawns = home.spawns();
    assert_eq!(status(&mut s, false).await["loggedIn"], false);
    std::fs::create_dir_all(home.claude_dir()).unwrap();
    std::fs::write(home.claude_dir().join("settings.json"), "{}").unwrap();
    std::fs::write(home.path().join(".claude.json"), "{}").unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(home.spawns(), spawns, "no CLI spawn without a change");
    assert_eq!(
        s.notifications(CHANGED).len(),
        1,
        "no notification without a change"
    );

    // Writing the credentials (by rename, as the CLI does) → signed in within 2 s.
    home.write_credentials(grove_e2e::env::MAX_CREDENTIALS);
    let t = std::time::Instant::now();
    let v = s
        .wait_for(CHANGED, 1, Duration::from_secs(10), |v| {
            v["loggedIn"] == true
        })
        .await;
    let took = t.elapsed();
    let v = v.expect("statusChanged after the credentials were written");
    assert_eq!(v["subscriptionType"], "max");
    assert!(
        took < Duration::from_secs(2),
        "statusChanged after write took {took:?}"
    );

    // Deleting them → signed out within 2 s.
    std::fs::remove_file(home.credentials()).unwrap();
    let t = std::time::Instant::now();
    let v = s
        .wait_for(CHANGED, 2, Duration::from_secs(10), |v| {
            v["loggedIn"] == false
        })
        .await;
    let took = t.elapsed();
    assert!(
        v.is_some(),
        "statusChanged after the credentials were deleted"
    );
    assert!(
        took < Duration::from_secs(2),
        "statusChanged after delete took {took:?}"
    );

    // The whole folder removed and made again is still watched.
    std::fs::remove_dir_all(home.claude_dir()).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    home.write_credentials(grove_e2e::env::MAX_CREDENTIALS);
    let v = s
        .wait_for(CHANGED, 3, Duration::from_secs(5), |v| {
            v["loggedIn"] == true
        })
        .await;
    assert!(v.is_some(), "statusChanged after the folder was recreated");
    assert_eq!(s.notifications(CHANGED).len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_cli_anywhere_is_cli_not_found_and_claude_path_is_honoured() {
    let home = TestHome::empty();
    let s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    let err = s.request(STATUS, json!({})).await.expect_err("no CLI");
    assert_eq!(err.code, -32010);
    assert!(err.message.contains("grove.claudePath"), "{}", err.message);
    let searched: Vec<&str> = err.data["searched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(searched.contains(&"/usr/bin/claude"), "{searched:?}");
    let local = home.path().join(".local/bin/claude").display().to_string();
    assert!(searched.contains(&local.as_str()), "{searched:?}");

    // A wrong explicit path says so.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"claudePath": "/nowhere/claude"}}}),
    )
    .await;
    let err = s
        .request(STATUS, json!({"force": true}))
        .await
        .expect_err("bad path");
    assert_eq!(err.code, -32010);
    assert_eq!(err.data["searched"], json!(["/nowhere/claude"]));

    // The setting, changed at run time, is honoured and re-checked by itself.
    let cli = home.counting_cli();
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"claudePath": cli}}}),
    )
    .await;
    let v = s
        .wait_for(CHANGED, 0, Duration::from_secs(20), |_| true)
        .await
        .expect("re-checked");
    assert_eq!(v["cli"]["path"], cli.display().to_string());
    assert!(home.spawns() >= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_is_found_in_the_usual_install_places() {
    let home = TestHome::empty();
    let bin = home.path().join(".local/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(claude_cli(), bin.join("claude")).unwrap();
    let mut s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    let st = status(&mut s, false).await;
    assert_eq!(st["cli"]["path"], bin.join("claude").display().to_string());
}
