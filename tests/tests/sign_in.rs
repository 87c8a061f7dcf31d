//! Acceptance for signing in from the editor: streamed `claude auth login` with the real CLI and
//! with a stand-in that completes offline, paste-code, cancel, and validation against a loopback
//! Messages API.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::messages_api::{MessagesApi, Reply};
use grove_e2e::{Sidecar, TestHome, claude_cli, procs};
use serde_json::{Value, json};

const PROGRESS: &str = "grove/auth/loginProgress";
const COMPLETE: &str = "grove/auth/loginComplete";
const CHANGED: &str = "grove/auth/statusChanged";
const T: Duration = Duration::from_secs(20);

fn launch(home: &TestHome) -> Launch {
    // Keep the CLI from opening a browser on the test machine.
    Launch::new(home.path()).env("BROWSER", "/bin/true")
}

#[tokio::test(flavor = "multi_thread")]
async fn real_cli_login_streams_the_url_and_prompt_refuses_a_second_and_cancels_cleanly() {
    let home = TestHome::empty();
    let s = launch(&home).spawn();
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    // The first status check is done (so the only CLI below is the login).
    s.wait_for(CHANGED, 0, T, |_| true)
        .await
        .expect("first status");
    let id = s.request("grove/auth/login", json!({})).await.unwrap()["loginId"].clone();
    assert!(id.is_string());

    let url = s
        .wait_for(PROGRESS, 0, T, |p| p["url"].is_string())
        .await
        .expect("a URL line");
    assert_eq!(url["loginId"], id);
    assert!(
        url["url"].as_str().unwrap().starts_with("https://"),
        "{url}"
    );
    let prompt = s
        .wait_for(PROGRESS, 0, T, |p| {
            p["line"].as_str().unwrap().contains("Paste code here")
        })
        .await
        .expect("the no-newline prompt arrives as a line");
    assert_eq!(prompt["stream"], "stdout");

    let err = s
        .request("grove/auth/login", json!({"method": "console"}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32011);
    assert_eq!(err.data["loginId"], id);
    let err = s
        .request(
            "grove/auth/loginInput",
            json!({"loginId": "login-x", "code": "c"}),
        )
        .await;
    assert_eq!(err.unwrap_err().code, -32012);

    let cli_pids = procs::children(s.pid());
    let described: Vec<String> = cli_pids
        .iter()
        .map(|p| {
            String::from_utf8_lossy(
                &std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default(),
            )
            .replace('\0', " ")
        })
        .collect();
    assert_eq!(cli_pids.len(), 1, "one CLI process: {described:?}");
    let group = procs::pgid(cli_pids[0]).unwrap();
    assert_eq!(group, cli_pids[0], "the CLI leads its own process group");

    let t = Instant::now();
    s.request("grove/auth/loginCancel", json!({"loginId": id}))
        .await
        .unwrap();
    let done = s
        .wait_for(COMPLETE, 0, Duration::from_secs(5), |_| true)
        .await
        .expect("completes");
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(
        done,
        json!({"loginId": id, "agent": "claude", "success": false, "error": "cancelled"})
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        procs::group_members(group).is_empty(),
        "left behind: {:?}",
        procs::group_members(group)
    );
    assert_eq!(s.notifications(COMPLETE).len(), 1, "exactly once");

    // A cancelled login is over: its id is unknown, and a new one may start.
    let err = s
        .request("grove/auth/loginCancel", json!({"loginId": id}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32012);
    let again = s.request("grove/auth/login", json!({})).await.unwrap()["loginId"].clone();
    assert_ne!(again, id);
    let pid = s.pid();
    drop(s);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(procs::children(pid).is_empty());
}

/// A stand-in for `claude auth login` that behaves as the real one up to the prompt, accepts the
/// code `good-code#state`, then writes the credentials as the CLI would. Anything else runs the
/// real CLI.
fn standin_cli(home: &TestHome) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = home.path().join("bin/claude");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let creds = grove_e2e::env::MAX_CREDENTIALS;
    let script = format!(
        r#"#!/bin/bash
if [ "$1 $2" = "auth login" ]; then
  echo "Opening browser to sign in…"
  echo "If the browser didn't open, visit: https://claude.com/cai/oauth/authorize?code=true&state=abc"
  printf 'Paste code here if prompted > '
  read -r code
  if [ "$code" = "good-code#state" ]; then
    mkdir -p "$HOME/.claude" && chmod 700 "$HOME/.claude"
    printf '%s' '{creds}' > "$HOME/.claude/.credentials.json.tmp"
    chmod 600 "$HOME/.claude/.credentials.json.tmp"
    mv "$HOME/.claude/.credentials.json.tmp" "$HOME/.claude/.credentials.json"
    echo "Login successful."
    exit 0
  fi
  echo "OAuth error: Invalid code" >&2
  exit 1
fi
exec '{real}' "$@"
"#,
        real = claude_cli().display()
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn position(s: &Sidecar, pred: impl Fn(&Value) -> bool) -> Option<usize> {
    s.received().iter().position(pred)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_right_code_signs_in_and_a_wrong_one_reports_the_cli_message() {
    let home = TestHome::empty();
    let cli = standin_cli(&home);
    let s = launch(&home).spawn();
    s.initialize(json!({ "claudePath": cli })).await;
    s.wait_for(CHANGED, 0, T, |v| v["loggedIn"] == false)
        .await
        .expect("first status");

    // Wrong code first.
    let id = s.request("grove/auth/login", json!({})).await.unwrap()["loginId"].clone();
    s.wait_for(PROGRESS, 0, T, |p| {
        p["line"].as_str().unwrap().contains("Paste code")
    })
    .await
    .unwrap();
    s.request(
        "grove/auth/loginInput",
        json!({"loginId": id, "code": "wrong-code"}),
    )
    .await
    .unwrap();
    let done = s
        .wait_for(COMPLETE, 0, T, |_| true)
        .await
        .expect("completes");
    assert_eq!(done["success"], false);
    assert_eq!(done["error"], "OAuth error: Invalid code");
    let failed = s
        .wait_for(CHANGED, 1, T, |v| v["lastFailure"].is_object())
        .await
        .unwrap();
    assert_eq!(failed["lastFailure"]["source"], "login");
    assert_eq!(
        failed["lastFailure"]["message"],
        "OAuth error: Invalid code"
    );

    // The right code, pasted the way people paste it: quoted, padded, with a newline.
    let id = s
        .request("grove/auth/login", json!({"method": "claudeai"}))
        .await
        .unwrap()["loginId"]
        .clone();
    let url = s
        .wait_for(PROGRESS, 0, T, |p| {
            p["loginId"] == id && p["url"].is_string()
        })
        .await
        .unwrap();
    assert_eq!(
        url["url"],
        "https://claude.com/cai/oauth/authorize?code=true&state=abc"
    );
    s.wait_for(PROGRESS, 0, T, |p| {
        p["loginId"] == id && p["line"].as_str().unwrap().contains("Paste code")
    })
    .await
    .unwrap();
    let pasted = "  \"good-code#state\"\n";
    s.request(
        "grove/auth/loginInput",
        json!({"loginId": id, "code": pasted}),
    )
    .await
    .unwrap();
    let done = s
        .wait_for(COMPLETE, 1, T, |_| true)
        .await
        .expect("completes");
    assert_eq!(
        done,
        json!({"loginId": id, "agent": "claude", "success": true, "error": null})
    );
    let signed_in = s
        .wait_for(CHANGED, 2, T, |v| v["loggedIn"] == true)
        .await
        .expect("signed in");
    assert_eq!(signed_in["subscriptionType"], "max");
    assert!(
        signed_in["lastFailure"].is_null(),
        "a successful sign-in clears the last failure"
    );
    let complete_at = position(&s, |m| {
        m["method"] == COMPLETE && m["params"]["success"] == true
    });
    let changed_at = position(&s, |m| {
        m["method"] == CHANGED && m["params"]["loggedIn"] == true
    });
    assert!(
        complete_at < changed_at,
        "loginComplete comes before statusChanged"
    );

    // The pasted code is nowhere but in the loginInput request itself.
    assert!(!s.stderr().contains("good-code"));
    assert!(
        !serde_json::to_string(&s.received())
            .unwrap()
            .contains("good-code")
    );
    assert!(!s.stderr().contains("FAKEACCESS"));
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_accepts_a_good_key_and_catches_a_rejected_one_at_once() {
    let good = MessagesApi::start(|_| Reply::text("OK")).await;
    let rejecting = MessagesApi::start(|_| Reply::unauthorized()).await;
    let key = "sk-ant-api03-LOOPBACKKEY000000000000000";

    let home = TestHome::empty();
    let s = launch(&home)
        .env("ANTHROPIC_BASE_URL", good.url())
        .env("ANTHROPIC_API_KEY", key)
        .spawn();
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    let v = s.request("grove/auth/validate", json!({})).await.unwrap();
    assert_eq!(v, json!({"ok": true, "message": null}));
    assert_eq!(good.requests().len(), 1, "one request");
    let req = &good.requests()[0];
    assert!(
        req["tools"].as_array().is_none_or(|t| t.is_empty()),
        "no tools: {}",
        req["tools"]
    );

    let s = launch(&home)
        .env("ANTHROPIC_BASE_URL", rejecting.url())
        .env("ANTHROPIC_API_KEY", key)
        .spawn();
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    s.wait_for(CHANGED, 0, T, |_| true)
        .await
        .expect("first status");
    let t = Instant::now();
    let v = s.request("grove/auth/validate", json!({})).await.unwrap();
    let took = t.elapsed();
    assert_eq!(v["ok"], false);
    assert!(took < Duration::from_secs(15), "validation took {took:?}");
    let changed = s
        .wait_for(CHANGED, 1, T, |v| v["lastFailure"].is_object())
        .await
        .expect("pushed");
    assert_eq!(changed["lastFailure"]["source"], "validate");
    assert_eq!(changed["lastFailure"]["message"], v["message"]);
    let status = s.request("grove/auth/status", json!({})).await.unwrap();
    assert_eq!(status["lastFailure"]["source"], "validate");
    assert!(
        procs::children(s.pid()).is_empty(),
        "the CLI was stopped, not left retrying"
    );
    assert!(!s.stderr().contains(key));
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_with_no_credentials_says_not_logged_in() {
    let home = TestHome::empty();
    let s = launch(&home).spawn();
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    let v = s.request("grove/auth/validate", json!({})).await.unwrap();
    assert_eq!(v["ok"], false);
    assert!(
        v["message"].as_str().unwrap().contains("Not logged in"),
        "{v}"
    );
    let changed = s
        .wait_for(CHANGED, 0, T, |v| v["lastFailure"].is_object())
        .await
        .expect("pushed");
    assert_eq!(changed["lastFailure"]["source"], "validate");
}
