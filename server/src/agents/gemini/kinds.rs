//! The profiles the Gemini CLI runs with, for people: Google as a provider, and the kinds of
//! credential "Add Profile" offers for it (a Gemini API key, with a gateway's base URL if any; the
//! CLI's own Google sign-in, in a terminal).

use crate::agents::adapter::provider;
use crate::protocol::{AgentProvider, KindSignIn, ProfileKind, ProfileType, SecretAsk};

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
    }, ProfileKind {
        id: "geminiCli".into(),
        label: "Sign in with Google (Gemini CLI)".into(),
        detail: "The Gemini CLI's own sign-in with your Google account (google:gemini-cli): it runs in a terminal, since the CLI asks there; Grove notices when it is done.".into(),
        provider: GOOGLE.into(),
        kind: ProfileType::Cli,
        secret: SecretAsk::None,
        ask_url: false,
        default_url: None,
        secret_prompt: String::new(),
        secret_placeholder: String::new(),
        sign_in: Some(KindSignIn::Cli),
    }]
}
