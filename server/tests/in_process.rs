//! Fast tests of the real service in-process: `backend::service` served by `transport::serve` over
//! `tokio::io::duplex`, as the binary serves it over stdio (which `tests/` drives, the reference).
//! Dispatch, the lifecycle, bad input, domain errors mapped to their codes, settings applied in
//! order, and a notification from a feature module reaching the client.

mod harness;

use std::time::Duration;

use harness::{Client, TempDir, repo};
use serde_json::{Value, json};

#[tokio::test]
async fn initialize_answers_with_the_server_and_protocol_version() {
    let mut c = Client::start();
    let result = c.initialize(json!({})).await;
    assert_eq!(result["serverInfo"]["name"], "grove-server");
    assert_eq!(
        result["capabilities"]["experimental"]["grove"]["protocolVersion"],
        1
    );
}

#[tokio::test]
async fn a_request_before_initialize_is_refused() {
    let mut c = Client::start();
    let err = c
        .request("grove/secrets/list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32002, "{err}");
}

#[tokio::test]
async fn unknown_methods_wrong_params_and_bad_frames_are_answered() {
    let mut c = Client::start();
    c.initialize(json!({})).await;
    let err = c
        .request("grove/nothing/here", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32601, "{err}");
    let err = c
        .request("grove/secrets/get", json!({"key": 5}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32602, "{err}");
    c.send_raw(b"{not json").await;
    let err = c.answer(Value::Null).await.unwrap_err();
    assert_eq!(err["code"], -32700, "{err}");
    // The channel is still usable after bad input.
    let err = c
        .request(
            "grove/agent/transcript",
            json!({"runId": "run-000000000000"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], -32023, "{err}");
}

#[tokio::test]
async fn domain_errors_reach_the_client_with_their_codes_and_data() {
    let mut c = Client::start();
    c.initialize(json!({"claudePath": "/nonexistent/claude"}))
        .await;
    let outside = TempDir::new("outside");
    let cases = [
        (
            "grove/auth/status",
            json!({"force": true}),
            -32010,
            json!({"searched": ["/nonexistent/claude"]}),
        ),
        (
            "grove/auth/loginInput",
            json!({"loginId": "login-9", "code": "x"}),
            -32012,
            json!({"loginId": "login-9"}),
        ),
        (
            "grove/auth/loginCancel",
            json!({"loginId": "login-9"}),
            -32012,
            json!({"loginId": "login-9"}),
        ),
        (
            "grove/workspace/archive",
            json!({"id": "000000000000"}),
            -32023,
            json!({"id": "000000000000"}),
        ),
        (
            "grove/agent/cancel",
            json!({"runId": "run-1"}),
            -32023,
            json!({"runId": "run-1"}),
        ),
        (
            "grove/repo/info",
            json!({"path": outside.0}),
            -32024,
            json!({"repoPath": outside.0}),
        ),
        ("grove/usage/get", json!({}), -32030, Value::Null),
        (
            "grove/secrets/set",
            json!({"key": "", "value": "v"}),
            -32602,
            Value::Null,
        ),
        (
            "grove/agent/start",
            json!({"workspaceId": "000000000000", "prompt": "  "}),
            -32602,
            Value::Null,
        ),
    ];
    for (method, params, code, data) in cases {
        let err = c.request(method, params).await.unwrap_err();
        assert_eq!(err["code"], code, "{method}: {err}");
        assert_eq!(
            err.get("data").cloned().unwrap_or(Value::Null),
            data,
            "{method}"
        );
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_settings_change_applies_to_the_very_next_request() {
    let mut c = Client::start();
    c.initialize(json!({"claudePath": "/nonexistent/first"}))
        .await;
    for n in 0..20 {
        let path = format!("/nonexistent/claude-{n}");
        // Sent back to back, without waiting: the request must see the new setting.
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"grove": {"claudePath": path}}}),
        )
        .await;
        let err = c
            .request("grove/auth/status", json!({"force": true}))
            .await
            .unwrap_err();
        assert_eq!(err["data"]["searched"], json!([path]), "change {n}");
    }
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"usageInsights": true}}}),
    )
    .await;
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"usageInsights": false}}}),
    )
    .await;
    let err = c.request("grove/usage/get", json!({})).await.unwrap_err();
    assert_eq!(err["code"], -32030, "the last change wins: {err}");
}

#[tokio::test]
async fn a_feature_notification_reaches_the_client_before_the_answer() {
    let dir = TempDir::new("repo");
    let root = repo(&dir.0);
    let mut c = Client::start();
    c.initialize(json!({"worktreeRoot": dir.0.join("worktrees")}))
        .await;
    let ws = c
        .request(
            "grove/workspace/create",
            json!({"repoPath": root, "name": "probe"}),
        )
        .await
        .expect("create");
    assert_eq!(ws["name"], "probe");
    let changed: Vec<&Value> = c
        .notifications
        .iter()
        .filter(|n| n["method"] == "grove/workspace/changed")
        .collect();
    assert_eq!(changed.len(), 2, "when the worktree exists, and at the end");
    assert_eq!(changed[1]["params"]["workspace"], ws);
    assert_eq!(changed[1]["params"]["removed"], false);
    let info = c
        .request("grove/repo/info", json!({"path": ws["path"]}))
        .await
        .unwrap();
    assert_eq!(info["isWorktree"], true);
    assert_eq!(info["branch"], "grove/probe");
    assert_eq!(info["mainRoot"], json!(root.display().to_string()));
    c.request(
        "grove/workspace/delete",
        json!({"id": ws["id"], "deleteBranch": true}),
    )
    .await
    .expect("delete");
    let last = c.notifications.last().unwrap();
    assert_eq!(last["method"], "grove/workspace/changed");
    assert_eq!(last["params"]["removed"], true);
}

#[tokio::test]
async fn the_sidecar_stops_after_exit_though_features_still_hold_the_notifier() {
    let mut c = Client::start();
    c.initialize(json!({"claudePath": "/nonexistent/claude"}))
        .await;
    // `initialized` starts the credentials watcher, a task that lives as long as the sidecar.
    c.notify("initialized", json!({})).await;
    c.request("shutdown", Value::Null).await.expect("shutdown");
    c.notify("exit", Value::Null).await;
    tokio::time::timeout(Duration::from_secs(5), c.served)
        .await
        .expect("serve returns after exit")
        .unwrap();
}
