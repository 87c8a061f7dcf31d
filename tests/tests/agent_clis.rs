//! Acceptance for the agent CLI registry on the wire: `grove/agents/list` answers both CLIs
//! (capabilities, found or not, version, sign-in), a CLI not found says how to install it, and a
//! path setting that finds one is told by `grove/agents/changed` within 2 s; `grove/agent/start`
//! takes the agent to run, and a run says which one runs it.

use std::time::{Duration, Instant};

use grove_e2e::repo::demo_repo;
use grove_e2e::{Sidecar, TestHome, claude_cli, codex_cli};
use serde_json::{Value, json};

const CHANGED: &str = "grove/agents/changed";

fn agent<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list:#}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn both_clis_are_listed_and_a_path_setting_that_finds_one_is_told_within_2_s() {
    let home = TestHome::empty();
    let s = Sidecar::start(home.path());
    s.initialize(json!({"claudePath": claude_cli()})).await;
    let list = s.request("grove/agents/list", json!({})).await.unwrap();
    let ids: Vec<&str> = list["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["claude", "codex", "gemini", "opencode"],
        "the default first"
    );

    let claude = agent(&list, "claude");
    assert_eq!(claude["found"], true, "{claude:#}");
    assert_eq!(claude["path"], json!(claude_cli()));
    assert!(
        claude["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("2.")),
        "{claude:#}"
    );
    assert_eq!(
        claude["capabilities"],
        json!({"resume": true, "permissions": true, "questions": true, "steer": true,
               "interrupt": true, "cost": "money"})
    );
    assert_eq!(claude["setting"], "claudePath");
    assert!(
        claude["providers"]
            .as_array()
            .unwrap()
            .contains(&json!("anthropic"))
    );
    // No credentials in this home: the CLI's own sign-in is not there (or still being asked).
    let status = claude["signIn"]["status"].as_str().unwrap();
    assert!(
        ["signedOut", "checking", "unknown"].contains(&status),
        "{claude:#}"
    );
    assert!(
        claude["signIn"]["methods"]
            .as_array()
            .unwrap()
            .contains(&json!("browser"))
    );

    let codex = agent(&list, "codex");
    assert_eq!(codex["found"], false, "no codex on this PATH: {codex:#}");
    assert!(codex.get("path").is_none() && codex.get("version").is_none());
    let hint = codex["installHint"].as_str().unwrap();
    assert!(
        hint.contains("npm install -g @openai/codex") && hint.contains("codexPath"),
        "{hint}"
    );
    assert_eq!(codex["capabilities"]["steer"], false);
    assert_eq!(codex["capabilities"]["permissions"], false);
    assert_eq!(codex["capabilities"]["cost"], "tokens");
    assert_eq!(codex["signIn"]["status"], "unknown");
    assert_eq!(codex["providers"], json!(["openai-codex", "openai"]));

    // The two agents for other models: honest about what they cannot do, with their install hints.
    let no_controls = json!({"resume": true, "permissions": false, "questions": false,
        "steer": false, "interrupt": false, "cost": "tokens"});
    for (id, package, setting, provider) in [
        ("gemini", "@google/gemini-cli", "geminiPath", "google"),
        (
            "opencode",
            "opencode-ai",
            "opencodePath",
            "openai-compatible",
        ),
    ] {
        let a = agent(&list, id);
        assert_eq!(a["found"], false, "{a:#}");
        let hint = a["installHint"].as_str().unwrap();
        assert!(hint.contains(&format!("npm install -g {package}")) && hint.contains(setting));
        assert_eq!(a["capabilities"], no_controls, "{id}");
        assert_eq!(a["providers"][0], provider, "{id}");
        assert!(
            a["signIn"]["methods"]
                .as_array()
                .unwrap()
                .contains(&json!("terminal"))
        );
        assert!(
            a["signIn"].get("terminal").is_none(),
            "no command line while not found"
        );
    }

    // The user points grove.codexPath at a real codex: the editor hears it within 2 s.
    let before = s.notifications(CHANGED).len();
    let asked = Instant::now();
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"grove": {"claudePath": claude_cli(), "codexPath": codex_cli()}}}),
    )
    .await;
    let told = s
        .wait_for(CHANGED, before, Duration::from_secs(10), |l| {
            agent(l, "codex")["found"] == true
        })
        .await
        .expect("agents/changed after codexPath");
    let within = asked.elapsed();
    assert!(within < Duration::from_secs(2), "told after {within:?}");
    let codex = agent(&told, "codex");
    assert_eq!(codex["path"], json!(codex_cli()));
    assert!(
        codex["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("0.")),
        "{codex:#}"
    );
    assert_eq!(
        agent(&told, "claude")["found"],
        true,
        "the whole list is told"
    );
    // And the list answers the same.
    let again = s.request("grove/agents/list", json!({})).await.unwrap();
    assert_eq!(agent(&again, "codex")["found"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_is_started_with_the_agent_asked_for_or_the_one_its_profile_implies() {
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = Sidecar::start(home.path());
    s.initialize(json!({"claudePath": claude_cli(), "codexPath": codex_cli()}))
        .await;
    let ws = s
        .request("grove/workspace/create", json!({"repoPath": repo}))
        .await
        .unwrap();
    let start = |extra: Value| {
        let mut params = json!({"workspaceId": ws["id"], "prompt": "hello"});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        s.request("grove/agent/start", params)
    };
    let err = start(json!({"agent": "nope"})).await.unwrap_err();
    assert_eq!(
        (err.code, err.data["reason"].clone()),
        (-32602, json!("unknownAgent"))
    );
    let err = start(json!({"agent": "codex", "profile": "anthropic:claude-cli"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.data["reason"].clone()),
        (-32602, json!("profileAgentMismatch")),
        "{}",
        err.message
    );
    assert!(err.message.contains("Codex"), "{}", err.message);

    // No agent: the default profile's (Claude Code's own sign-in).
    let run = start(json!({})).await.unwrap();
    assert_eq!(
        (run["agent"].as_str(), run["provider"].as_str()),
        (Some("claude"), Some("anthropic"))
    );
    // Codex asked for, no profile: Codex's own sign-in.
    let run = start(json!({"agent": "codex"})).await.unwrap();
    assert_eq!(
        (
            run["agent"].as_str(),
            run["provider"].as_str(),
            run["profile"].as_str()
        ),
        (
            Some("codex"),
            Some("openai-codex"),
            Some("openai-codex:codex-cli")
        )
    );
    let listed = s
        .request("grove/agent/list", json!({"workspaceId": ws["id"]}))
        .await
        .unwrap();
    let agents: Vec<&str> = listed["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agent"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["claude", "codex"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_is_asked_for_an_agent_and_its_notifications_name_it() {
    let home = TestHome::empty();
    let s = Sidecar::start(home.path());
    s.initialize(json!({"claudePath": claude_cli(), "codexPath": codex_cli()}))
        .await;
    let err = s
        .request("grove/auth/login", json!({"agent": "nope"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.data["reason"].clone()),
        (-32602, json!("unknownAgent"))
    );
    for agent in ["claude", "codex"] {
        let login = s
            .request("grove/auth/login", json!({"agent": agent}))
            .await
            .unwrap();
        let id = login["loginId"].clone();
        let line = s
            .wait_for(
                "grove/auth/loginProgress",
                0,
                Duration::from_secs(30),
                |p| p["loginId"] == id,
            )
            .await
            .unwrap_or_else(|| panic!("{agent}: no progress"));
        assert_eq!(line["agent"], agent, "{line}");
        s.request("grove/auth/loginCancel", json!({"loginId": id}))
            .await
            .unwrap();
        let done = s
            .wait_for(
                "grove/auth/loginComplete",
                0,
                Duration::from_secs(10),
                |p| p["loginId"] == id,
            )
            .await
            .unwrap_or_else(|| panic!("{agent}: not complete within 10 s of cancel"));
        assert_eq!(
            (done["agent"].as_str(), done["success"].as_bool()),
            (Some(agent), Some(false))
        );
    }
}
