//! Bad input never kills the sidecar: broken frames, invalid JSON, unknown methods, wrong params,
//! a 10 MB message, and requests before `initialize` all get an answer or are skipped.

use grove_e2e::{Sidecar, TestHome, claude_cli};
use serde_json::{Value, json};

async fn still_serving(s: &mut Sidecar) {
    let st = s
        .request("grove/auth/status", json!({}))
        .await
        .expect("still answers");
    assert_eq!(st["authMethod"], "none");
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_before_initialize_are_refused_not_fatal() {
    let home = TestHome::empty();
    let mut s = Sidecar::start(home.path());
    let err = s
        .request("grove/auth/status", json!({}))
        .await
        .expect_err("not initialized");
    assert_eq!(err.code, -32002);
    s.initialize(json!({ "claudePath": claude_cli() })).await;
    still_serving(&mut s).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn garbage_of_every_kind_leaves_it_serving() {
    let home = TestHome::empty();
    let mut s = Sidecar::start(home.path());
    s.initialize(json!({ "claudePath": claude_cli() })).await;

    // Unknown method, wrong param types, params of the wrong shape.
    let err = s
        .request("grove/nothing/here", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32601);
    let err = s
        .request("grove/auth/status", json!({"force": "yes"}))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32602);
    let err = s
        .request("grove/auth/status", json!([1, 2, 3]))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32602);
    still_serving(&mut s).await;

    // Invalid JSON in a well-formed frame: a parse error answer, then business as usual.
    let body = b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ";
    let mut raw = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    raw.extend_from_slice(body);
    s.send_raw(&raw).await;
    still_serving(&mut s).await;
    let errors: Vec<Value> = s
        .received()
        .into_iter()
        .filter(|m| m.get("error").is_some())
        .collect();
    assert!(
        errors.iter().any(|e| e["error"]["code"] == -32700),
        "parse error reported: {errors:?}"
    );

    // Broken headers: no length, a non-number length, plain noise.
    s.send_raw(b"Content-Type: text/plain\r\n\r\n{}").await;
    s.send_raw(b"Content-Length: banana\r\n\r\n").await;
    s.send_raw(b"hello there\r\n\r\n").await;
    still_serving(&mut s).await;

    // A JSON value that is not a message.
    let mut raw = b"Content-Length: 4\r\n\r\n".to_vec();
    raw.extend_from_slice(b"null");
    s.send_raw(&raw).await;
    still_serving(&mut s).await;

    // 10 MB: a request whose params carry a huge string, and a huge unknown notification.
    let big = "x".repeat(10 * 1024 * 1024);
    let err = s
        .request("grove/auth/status", json!({ "force": big }))
        .await
        .unwrap_err();
    assert_eq!(err.code, -32602);
    s.notify("grove/huge", json!({ "blob": big })).await;
    still_serving(&mut s).await;
    assert!(s.alive());
    assert!(s.shutdown().await.success());
}
