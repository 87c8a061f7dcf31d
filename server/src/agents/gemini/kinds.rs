//! The profiles the Gemini CLI runs with, for people: Google as a provider, and the kinds of
//! credential "Add Profile" offers for it (a Gemini API key, with a gateway's base URL if any).

use crate::agents::adapter::provider;
use crate::protocol::{AgentProvider, ProfileKind, ProfileType, SecretAsk};

/// The provider of Gemini profiles.
pub const GOOGLE: &str = "google";

pub fn providers() -> Vec<AgentProvider> {
    vec![provider(GOOGLE, "Google Gemini", "sparkle")]
}

pub fn kinds() -> Vec<ProfileKind> {
    vec![ProfileKind {
        id: "geminiKey".into(),
        label: "Gemini API key".into(),
        detail: "A Gemini API key from Google AI Studio (AIza…), for Gemini CLI runs; a gateway's base URL if you use one.".into(),
        provider: GOOGLE.into(),
        kind: ProfileType::ApiKey,
        secret: SecretAsk::Required,
        ask_url: true,
        default_url: None,
        secret_prompt: "Paste the Gemini API key. Gemini CLI runs get it; it is never shown or logged.".into(),
        secret_placeholder: "AIza…".into(),
        sign_in: None,
    }]
}
