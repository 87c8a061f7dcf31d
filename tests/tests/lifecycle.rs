//! The LSP lifecycle as the contract states it: `--version`, `initialize`'s answer, and a clean exit.

use grove_e2e::{Sidecar, TestHome, server_bin};
use serde_json::json;

#[test]
fn version_flag_prints_the_version() {
    let out = std::process::Command::new(server_bin())
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("grove-server "), "{text}");
    assert!(out.stderr.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn initialize_announces_the_protocol_and_exit_is_clean() {
    let home = TestHome::empty();
    let s = Sidecar::start(home.path());
    let init = s.initialize(json!(null)).await;
    assert_eq!(init["serverInfo"]["name"], "grove-server");
    assert!(init["serverInfo"]["version"].is_string());
    assert_eq!(
        init["capabilities"]["experimental"]["grove"]["protocolVersion"],
        1
    );
    assert!(s.shutdown().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sidecar_exits_when_its_editor_goes_away() {
    let home = TestHome::empty();
    let mut s = Sidecar::start(home.path());
    s.initialize(json!({})).await;
    s.close_stdin();
    let status = s.wait_exit(std::time::Duration::from_secs(5)).await;
    assert!(status.is_some(), "still running 5 s after its stdin closed");
}
