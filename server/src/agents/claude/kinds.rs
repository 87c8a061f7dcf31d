//! The profiles Claude Code runs with, for people: its providers' names and icons, and the kinds
//! of credential "Add Profile" offers for it (a setup token, an API key, a local model server, a
//! gateway).

use crate::agents::adapter::provider;
use crate::protocol::{AgentProvider, ProfileKind, ProfileType, SecretAsk};

pub fn providers() -> Vec<AgentProvider> {
    vec![
        provider("anthropic", "Anthropic", "server-environment"),
        provider("ollama", "Ollama", "server-environment"),
        provider("lmstudio", "LM Studio", "server-environment"),
        provider(
            "anthropic-compatible",
            "Anthropic-compatible gateways",
            "server-environment",
        ),
    ]
}

pub fn kinds() -> Vec<ProfileKind> {
    let kind =
        |id: &str, label: &str, detail: &str, provider: &str, kind: ProfileType| ProfileKind {
            id: id.into(),
            label: label.into(),
            detail: detail.into(),
            provider: provider.into(),
            kind,
            secret: SecretAsk::Required,
            ask_url: false,
            default_url: None,
            secret_prompt: String::new(),
            secret_placeholder: String::new(),
            sign_in: None,
        };
    let endpoint =
        |k: ProfileKind, url: Option<&str>, secret: SecretAsk, prompt: &str, placeholder: &str| {
            ProfileKind {
                ask_url: true,
                default_url: url.map(Into::into),
                secret,
                secret_prompt: prompt.into(),
                secret_placeholder: placeholder.into(),
                ..k
            }
        };
    vec![
        ProfileKind {
            secret_prompt: "Paste the token `claude setup-token` printed. Grove stores it in its own credential store; it is never shown or logged.".into(),
            secret_placeholder: "sk-ant-oat01-…".into(),
            ..kind(
                "setupToken",
                "Claude setup token",
                "A long-lived token from `claude setup-token` (sk-ant-oat01-…), for a headless machine.",
                "anthropic",
                ProfileType::Token,
            )
        },
        ProfileKind {
            secret_prompt: "Paste the API key from the Anthropic Console. It is never shown or logged.".into(),
            secret_placeholder: "sk-ant-api03-…".into(),
            ..kind(
                "apiKey",
                "Anthropic API key",
                "A Console API key (sk-ant-api…), billed per use.",
                "anthropic",
                ProfileType::ApiKey,
            )
        },
        endpoint(
            kind(
                "ollama",
                "Ollama",
                "A local or remote Ollama server (its Anthropic-compatible API).",
                "ollama",
                ProfileType::Endpoint,
            ),
            Some("http://localhost:11434"),
            SecretAsk::Optional,
            "A key, if the server asks for one (leave empty otherwise).",
            "optional",
        ),
        endpoint(
            kind(
                "lmstudio",
                "LM Studio",
                "An LM Studio server (its Anthropic-compatible API).",
                "lmstudio",
                ProfileType::Endpoint,
            ),
            Some("http://localhost:1234"),
            SecretAsk::Optional,
            "The key, if \"Require Authentication\" is on (leave empty otherwise).",
            "optional",
        ),
        endpoint(
            kind(
                "gateway",
                "Anthropic-compatible gateway",
                "Any gateway that speaks Anthropic's Messages API: its URL and a key.",
                "anthropic-compatible",
                ProfileType::Endpoint,
            ),
            None,
            SecretAsk::Required,
            "The gateway's key. It is never shown or logged.",
            "key",
        ),
    ]
}
