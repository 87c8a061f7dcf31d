//! The profiles Codex runs with, for people: its providers' names and icons, and the kinds of
//! credential "Add Profile" offers for it (an OpenAI API key, Grove's ChatGPT sign-in, the codex
//! CLI's own sign-in).

use crate::agents::adapter::provider;
use crate::protocol::{AgentProvider, KindSignIn, ProfileKind, ProfileType, SecretAsk};

pub fn providers() -> Vec<AgentProvider> {
    vec![
        provider("openai-codex", "ChatGPT (Codex)", "comment-discussion"),
        provider("openai", "OpenAI (Codex)", "sparkle"),
    ]
}

pub fn kinds() -> Vec<ProfileKind> {
    let sign_in =
        |id: &str, label: &str, detail: &str, kind: ProfileType, how: KindSignIn| ProfileKind {
            id: id.into(),
            label: label.into(),
            detail: detail.into(),
            provider: "openai-codex".into(),
            kind,
            secret: SecretAsk::None,
            ask_url: false,
            default_url: None,
            secret_prompt: String::new(),
            secret_placeholder: String::new(),
            sign_in: Some(how),
        };
    vec![
        ProfileKind {
            id: "openaiKey".into(),
            label: "OpenAI API key (Codex)".into(),
            detail: "An OpenAI API key (sk-proj-…, sk-…) for Codex runs, billed per use.".into(),
            provider: "openai".into(),
            kind: ProfileType::ApiKey,
            secret: SecretAsk::Required,
            ask_url: false,
            default_url: None,
            secret_prompt: "Paste the API key from platform.openai.com. Codex runs get it; it is never shown or logged.".into(),
            secret_placeholder: "sk-proj-…".into(),
            sign_in: None,
        },
        sign_in(
            "chatgpt",
            "ChatGPT sign-in (Codex)",
            "Sign in with your ChatGPT plan (Plus, Pro, Team…) in the browser; Grove keeps the sign-in for Codex runs, apart from the codex CLI in your terminal.",
            ProfileType::Oauth,
            KindSignIn::Grove,
        ),
        sign_in(
            "codexCli",
            "Codex CLI's own sign-in (codex login)",
            "Runs `codex login`: the codex CLI signs itself in (openai-codex:codex-cli), the same sign-in as the codex CLI in your terminal.",
            ProfileType::Cli,
            KindSignIn::Cli,
        ),
    ]
}
