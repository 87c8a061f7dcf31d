//! The profiles opencode runs with, for people: any server that speaks the OpenAI chat-completions
//! API (a gateway, Ollama, LM Studio, OpenAI itself with an API key), and the kind "Add Profile"
//! offers for a gateway.

use crate::agents::adapter::provider;
use crate::protocol::{AgentProvider, KindSignIn, ProfileKind, ProfileType, SecretAsk};

/// The provider of OpenAI-compatible endpoints.
pub const COMPATIBLE: &str = "openai-compatible";

pub fn providers() -> Vec<AgentProvider> {
    vec![
        provider(
            COMPATIBLE,
            "OpenAI-compatible endpoints",
            "server-environment",
        ),
        provider("ollama", "Ollama", "server-environment"),
        provider("lmstudio", "LM Studio", "server-environment"),
        provider("openai", "OpenAI (opencode)", "sparkle"),
        provider("opencode", "opencode's own sign-ins", "terminal"),
    ]
}

pub fn kinds() -> Vec<ProfileKind> {
    vec![ProfileKind {
        id: "openaiCompatible".into(),
        label: "OpenAI-compatible endpoint (opencode)".into(),
        detail: "Any server that speaks the OpenAI chat-completions API (a company gateway, vLLM, llama.cpp…): its base URL and, if it asks for one, a key.".into(),
        provider: COMPATIBLE.into(),
        kind: ProfileType::Endpoint,
        secret: SecretAsk::Optional,
        ask_url: true,
        default_url: None,
        secret_prompt: "The endpoint's key, if it asks for one (leave empty otherwise). It is never shown or logged.".into(),
        secret_placeholder: "optional".into(),
        sign_in: None,
    }, ProfileKind {
        id: "opencodeCli".into(),
        label: "opencode's own sign-ins (opencode auth login)".into(),
        detail: "Runs `opencode auth login` in a terminal: opencode keeps the sign-in itself (opencode:opencode-cli), and runs with your own opencode configuration.".into(),
        provider: "opencode".into(),
        kind: ProfileType::Cli,
        secret: SecretAsk::None,
        ask_url: false,
        default_url: None,
        secret_prompt: String::new(),
        secret_placeholder: String::new(),
        sign_in: Some(KindSignIn::Cli),
    }]
}
