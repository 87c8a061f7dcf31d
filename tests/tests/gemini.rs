//! Acceptance for the Gemini CLI: the real CLI (pinned by `tests/tools.sh gemini`) run by the
//! sidecar with a Gemini API-key profile against a loopback stand-in of the Gemini API — text, a
//! `write_file` tool use and its result, tokens; the file in the worktree only; a follow-up that
//! resumes the session; cancel; a refused key ending `authRequired` and cooling the profile down;
//! the key nowhere it should not be; the user's own `~/.gemini/settings.json` untouched.

use std::path::Path;
use std::time::{Duration, Instant};

use grove_e2e::client::Launch;
use grove_e2e::gemini_api::{GeminiApi, KEY, MODEL, Reply, after_tool, texts};
use grove_e2e::repo::demo_repo;
use grove_e2e::runs::{
    Watched, cancel_within_5s, ended, ended_watching, events_of, profile_in, workspace,
};
use grove_e2e::{Sidecar, TestHome, claude_cli, gemini_cli};
use serde_json::{Value, json};

/// The user's own settings: Google sign-in, which an API-key run must not be bound by.
const USER_SETTINGS: &str = "{\n  \"security\": {\"auth\": {\"selectedType\": \"oauth-personal\"}},\n  \"ui\": {\"theme\": \"Mine\"}\n}\n";

/// A model that writes a file when asked (ZZWRITE), waits a minute on ZZSLOW, else answers.
fn gemini_model(body: &Value) -> Reply {
    let all = texts(body).join("\n");
    if after_tool(body) {
        return Reply::Text("Wrote hello.txt.".into());
    }
    let asked = texts(body).last().cloned().unwrap_or_default();
    if asked.contains("ZZSLOW") {
        return Reply::After(
            Duration::from_secs(60),
            Box::new(Reply::Text("Too late.".into())),
        );
    }
    if asked.contains("ZZWRITE") {
        return Reply::WriteFile {
            path: "hello.txt".into(),
            content: "hello from gemini\n".into(),
        };
    }
    let n = body["contents"].as_array().map_or(0, Vec::len);
    Reply::Text(format!(
        "Plain reply; {n} contents; earlier: {}",
        all.contains("ZZWRITE")
    ))
}

async fn sidecar(home: &TestHome) -> Sidecar {
    let s = Launch::new(home.path())
        .env("GROVE_LOG", "trace")
        .env("GROVE_OLLAMA_URL", "http://127.0.0.1:9")
        .env("GROVE_LMSTUDIO_URL", "http://127.0.0.1:9")
        .env(
            "GEMINI_API_KEY",
            "AIzaInheritedKeyThatMustNotReachAnyChild00",
        )
        .spawn();
    s.initialize(json!({"claudePath": claude_cli(), "geminiPath": gemini_cli()}))
        .await;
    s
}

fn user_settings(home: &Path) -> std::path::PathBuf {
    let dir = home.join(".gemini");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("settings.json");
    std::fs::write(&file, USER_SETTINGS).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gemini_run_writes_in_its_worktree_resumes_and_cancels() {
    let api = GeminiApi::start(gemini_model).await;
    let home = TestHome::empty();
    let settings = user_settings(home.path());
    let repo = demo_repo(home.path());
    let s = sidecar(&home).await;
    let added = s
        .request(
            "grove/profiles/add",
            json!({"provider": "google", "name": "key", "type": "api_key", "secret": KEY,
                "baseUrl": api.url()}),
        )
        .await
        .unwrap();
    assert_eq!(added["baseUrl"], api.url(), "{added:#}");
    let checked = s
        .request("grove/profiles/check", json!({"id": "google:key"}))
        .await
        .unwrap();
    assert_eq!(checked["ok"], true, "{checked:#}");
    let ws = workspace(&s, &repo, "gemini").await;
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "gemini", "prompt": "Please ZZWRITE hello.txt.",
                "profile": "google:key", "model": MODEL}),
        )
        .await
        .unwrap();
    assert_eq!(
        (&run["agent"], &run["provider"]),
        (&json!("gemini"), &json!("google"))
    );
    let mut seen = Watched::default();
    let end = ended_watching(&s, &run, &mut seen).await;
    let (cmdlines, environs) = (seen.cmdlines, seen.environs);
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    assert!(
        cmdlines.iter().any(|c| c.contains("stream-json")),
        "{cmdlines:?}"
    );
    let events = events_of(&s, &run);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"init"), "{kinds:?}");
    let tool = events
        .iter()
        .find(|e| e["kind"] == "toolUse" && e["name"] == "write_file")
        .unwrap_or_else(|| panic!("{events:#?}"));
    assert!(events.iter().any(|e| {
        e["kind"] == "toolResult" && e["toolUseId"] == tool["id"] && e["isError"] == false
    }));
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "textDelta" && e["text"] == "Wrote hello.txt."),
        "{events:#?}"
    );
    let result = events.iter().rev().find(|e| e["kind"] == "result").unwrap();
    assert_eq!(result["isError"], false);
    assert!(
        result["usage"]["inputTokens"].as_u64().unwrap() > 0,
        "{result:#}"
    );
    let wt = Path::new(ws["path"].as_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(wt.join("hello.txt")).unwrap(),
        "hello from gemini\n"
    );
    assert!(!repo.join("hello.txt").exists());
    for r in api.all_requests() {
        assert_eq!(r.header("x-goog-api-key"), Some(KEY), "{}", r.path);
    }

    // A follow-up resumes the same session: the earlier prompt is in the next request.
    let session = end["sessionId"].as_str().unwrap().to_string();
    let next = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "gemini", "prompt": "And a plain question.",
                "profile": "google:key", "model": MODEL}),
        )
        .await
        .unwrap();
    let end = ended(&s, &next, Duration::from_secs(60)).await;
    assert_eq!(end["state"], "succeeded", "{end:#}\n{}", s.stderr());
    assert_eq!(end["sessionId"], session.as_str(), "the same session");
    let last = texts(api.requests().last().unwrap()).join("\n");
    assert!(
        last.contains("ZZWRITE") && last.contains("plain question"),
        "{last}"
    );

    // Cancel ends a run within 5 s with nothing left.
    let slow = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "gemini", "prompt": "Think ZZSLOW.",
                "profile": "google:key", "model": MODEL, "newSession": true}),
        )
        .await
        .unwrap();
    let asked = Instant::now();
    while api
        .requests()
        .last()
        .is_none_or(|b| !texts(b).join("").contains("ZZSLOW"))
    {
        assert!(
            asked.elapsed() < Duration::from_secs(30),
            "the slow request never came"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cancel_within_5s(&s, &slow).await;

    // The key nowhere it should not be; the user's settings untouched.
    let transcript = s
        .request("grove/agent/transcript", json!({"runId": run["runId"]}))
        .await
        .unwrap();
    let seen = format!(
        "{}{}{transcript}{}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap(),
        cmdlines.join("\n")
    );
    assert!(!seen.contains(KEY), "the key leaked");
    assert!(!environs.is_empty());
    assert!(
        !environs.iter().any(|e| e.contains("AIzaInheritedKey")),
        "the inherited key reached a child"
    );
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), USER_SETTINGS);
    let mut mine: Vec<String> = std::fs::read_dir(home.path().join(".gemini"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    mine.sort();
    assert_eq!(
        mine,
        ["settings.json"],
        "nothing else in the user's ~/.gemini"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_ends_auth_required_and_cools_the_profile_down() {
    let api = GeminiApi::start(gemini_model).await;
    let home = TestHome::empty();
    let repo = demo_repo(home.path());
    let s = sidecar(&home).await;
    s.request(
        "grove/profiles/add",
        json!({"provider": "google", "name": "wrong", "type": "api_key",
            "secret": "AIzaNotTheKeyTheStandInTakes0123456789", "baseUrl": api.url()}),
    )
    .await
    .unwrap();
    let ws = workspace(&s, &repo, "gemini-401").await;
    let started = Instant::now();
    let run = s
        .request(
            "grove/agent/start",
            json!({"workspaceId": ws["id"], "agent": "gemini", "prompt": "hi",
                "profile": "google:wrong", "model": MODEL}),
        )
        .await
        .unwrap();
    let end = ended(&s, &run, Duration::from_secs(15)).await;
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(end["state"], "authRequired", "{end:#}\n{}", s.stderr());
    assert!(
        end["error"].as_str().unwrap().contains("API key not valid"),
        "{end:#}"
    );
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    let p = profile_in(&list, "google:wrong").unwrap();
    assert_eq!(p["status"], "cooldown", "{p:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_own_google_sign_in_is_read_from_its_files_and_an_inherited_key_is_offered() {
    let home = TestHome::empty();
    let s = sidecar(&home).await;
    // Not signed in with Google yet: listed (the CLI is installed), missing, with what to do.
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    let own = profile_in(&list, "google:gemini-cli").unwrap().clone();
    assert_eq!(own["status"], "missing", "{own:#}");
    assert!(
        own["detail"]
            .as_str()
            .unwrap()
            .contains("Sign in with Google")
    );
    let agents = s.request("grove/agents/list", json!({})).await.unwrap();
    let gemini = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "gemini")
        .unwrap()
        .clone();
    assert_eq!(gemini["found"], true);
    assert_eq!(
        gemini["signIn"]["terminal"],
        json!([gemini_cli()]),
        "{gemini:#}"
    );
    assert_eq!(gemini["version"], "0.61.0");
    // Its files appear (the user signed in in a terminal): noticed, the account named.
    let dir = home.path().join(".gemini");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("oauth_creds.json"),
        r#"{"access_token":"ya29.SECRET-TOKEN"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("google_accounts.json"),
        r#"{"active":"me@example.com","old":[]}"#,
    )
    .unwrap();
    let checked = s
        .request("grove/profiles/check", json!({"id": "google:gemini-cli"}))
        .await
        .unwrap();
    assert_eq!(checked["ok"], true, "{checked:#}");
    assert!(
        checked["message"]
            .as_str()
            .unwrap()
            .contains("me@example.com")
    );
    let list = s.request("grove/profiles/list", json!({})).await.unwrap();
    assert_eq!(
        profile_in(&list, "google:gemini-cli").unwrap()["status"],
        "ok"
    );
    assert!(
        !s.stderr().contains("ya29.SECRET-TOKEN")
            && !format!("{:?}", s.received()).contains("ya29")
    );

    // The inherited key: named (never its value), and added as a profile when asked.
    let inherited = s
        .request("grove/profiles/inherited", json!({}))
        .await
        .unwrap();
    assert_eq!(
        inherited["keys"],
        json!([{"variable": "GEMINI_API_KEY", "provider": "google", "kind": "geminiKey", "agent": "gemini"}])
    );
    let added = s
        .request(
            "grove/profiles/adoptInherited",
            json!({"variable": "GEMINI_API_KEY", "name": "env"}),
        )
        .await
        .unwrap();
    assert_eq!(
        (&added["id"], &added["type"]),
        (&json!("google:env"), &json!("api_key"))
    );
    assert_eq!(added["label"], "From GEMINI_API_KEY");
    let refused = s
        .request(
            "grove/profiles/adoptInherited",
            json!({"variable": "PATH", "name": "path"}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.data["reason"], "notInherited");
    let seen = format!(
        "{}{}",
        s.stderr(),
        serde_json::to_string(&s.received()).unwrap()
    );
    assert!(
        !seen.contains("AIzaInheritedKeyThatMustNotReach"),
        "the inherited key leaked"
    );
}
