//! The profiles Claude Code runs with: its own sign-in's status in words, a pasted setup token or
//! Anthropic API key checked, the variables a run gets for each kind (a token, a key, a local
//! server or a gateway), and a profile's check (one minimal request through the CLI).

use super::auth::Auth;
use super::validate::{Outcome, attempt};
use crate::agents::adapter::{Later, OwnSignIn};
use crate::error::{Error, Result};
use crate::process::RunEnv;
use crate::profiles::input::{check_size, refused, squeeze, token_chars};
use crate::profiles::store::Credential;
use crate::profiles::{Profiles, RunEnvError};
use crate::protocol::{FailureSource, Profile, ProfileCheckResult, ProfileStatus, ProfileType};
use crate::redact::redact;

/// The implicit profile: the claude CLI's own sign-in.
pub const OWN_PROFILE: &str = "anthropic:claude-cli";

pub const SETUP_TOKEN_PREFIX: &str = "sk-ant-oat01-";
pub const API_KEY_PREFIX: &str = "sk-ant-api";
/// A setup token is about 108 characters; anything much shorter was cut when copied.
const MIN_TOKEN_LEN: usize = 80;
const MIN_API_KEY_LEN: usize = 40;

/// Inherited variables that would mix another provider into a profile's run.
const PROVIDER_ENV: &[&str] = &[
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_MODEL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_SMALL_FAST_MODEL",
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "CLAUDE_CODE_OAUTH_TOKEN",
];

/// The model a profile's check asks.
const CHECK_MODEL: &str = "haiku";

impl OwnSignIn for Auth {
    fn known(&self) -> Option<(ProfileStatus, String)> {
        Some(match self.cached() {
            None if self.checks() == 0 => (
                ProfileStatus::Checking,
                "Checking the claude CLI's sign-in…".into(),
            ),
            None => (
                ProfileStatus::Missing,
                "The claude CLI's sign-in could not be checked: is the claude CLI installed? See the Account view."
                    .into(),
            ),
            Some(s) if s.logged_in => (
                ProfileStatus::Ok,
                match &s.email {
                    Some(e) => format!("Signed in to the claude CLI as {e}"),
                    None => format!("The claude CLI uses {}", s.auth_method),
                },
            ),
            Some(_) => (
                ProfileStatus::Missing,
                "The claude CLI is not signed in.".into(),
            ),
        })
    }

    fn checks(&self) -> u64 {
        Auth::checks(self)
    }

    fn failed(&self, message: &str) -> Later<'_> {
        let message = message.to_string();
        Box::pin(async move { self.record_failure(FailureSource::Agent, &message).await })
    }

    fn worked(&self) -> Later<'_> {
        Box::pin(self.clear_failure())
    }
}

/// A pasted secret of an Anthropic profile: a setup token or an API key.
pub fn take_secret(provider: &str, kind: ProfileType, pasted: &str) -> Option<Result<String>> {
    match (provider, kind) {
        (_, ProfileType::Token) => Some(setup_token(pasted)),
        ("anthropic", ProfileType::ApiKey) => Some(api_key(pasted)),
        _ => None,
    }
}

/// A pasted setup token, cleaned; refused when it is not one.
fn setup_token(pasted: &str) -> Result<String> {
    check_size(pasted)?;
    let t = squeeze(pasted);
    if t.is_empty() {
        return Err(refused("missingSecret", "Paste the setup token."));
    }
    if t.contains('#') {
        return Err(refused(
            "codeState",
            "That looks like a sign-in code (code#state), not a setup token. Run `claude setup-token` and paste the token it prints (it starts with sk-ant-oat01-).",
        ));
    }
    if !t.starts_with(SETUP_TOKEN_PREFIX) {
        let what = if t.starts_with(API_KEY_PREFIX) {
            "an API key"
        } else {
            "something else"
        };
        return Err(refused(
            "wrongPrefix",
            format!(
                "That is {what}, not a setup token: a setup token starts with sk-ant-oat01-. Run `claude setup-token` and paste what it prints."
            ),
        ));
    }
    if !token_chars(&t) {
        return Err(refused(
            "badCharacters",
            "That setup token holds characters a setup token never has. Copy it again from what `claude setup-token` printed.",
        ));
    }
    if t.len() < MIN_TOKEN_LEN {
        return Err(refused(
            "tooShort",
            format!(
                "That setup token is incomplete ({} characters; a setup token has over {MIN_TOKEN_LEN}). Copy it again, whole.",
                t.len()
            ),
        ));
    }
    Ok(t)
}

/// A pasted Anthropic API key, cleaned; refused when it is not one.
fn api_key(pasted: &str) -> Result<String, Error> {
    check_size(pasted)?;
    let k = squeeze(pasted);
    if k.is_empty() {
        return Err(refused("missingSecret", "Paste the API key."));
    }
    if k.starts_with(SETUP_TOKEN_PREFIX) {
        return Err(refused(
            "notApiKey",
            "That is a setup token, not an API key: add it as a \"Claude setup token\" profile.",
        ));
    }
    if !k.starts_with(API_KEY_PREFIX) || k.len() < MIN_API_KEY_LEN || !token_chars(&k) {
        return Err(refused(
            "notApiKey",
            "That does not look like an Anthropic API key (they start with sk-ant-api). Copy it again from the Anthropic Console.",
        ));
    }
    Ok(k)
}

/// The variables for one credential. The base URL of Anthropic's own API can be moved with
/// `GROVE_ANTHROPIC_API_URL` (for tests, as the usage endpoint is).
pub fn run_env(c: &Credential, model: Option<&str>) -> RunEnv {
    let mut env = RunEnv {
        remove: PROVIDER_ENV.to_vec(),
        set: Vec::new(),
        endpoint: None,
    };
    let anthropic_api = std::env::var("GROVE_ANTHROPIC_API_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    match c.kind {
        Some(ProfileType::Token) => {
            env.set.push((
                "CLAUDE_CODE_OAUTH_TOKEN",
                c.token.clone().unwrap_or_default(),
            ));
            env.set
                .extend(anthropic_api.map(|u| ("ANTHROPIC_BASE_URL", u)));
        }
        Some(ProfileType::Oauth) => {
            env.set.push((
                "CLAUDE_CODE_OAUTH_TOKEN",
                c.access.clone().unwrap_or_default(),
            ));
            env.set
                .extend(anthropic_api.map(|u| ("ANTHROPIC_BASE_URL", u)));
        }
        Some(ProfileType::ApiKey) => {
            env.set
                .push(("ANTHROPIC_API_KEY", c.key.clone().unwrap_or_default()));
            env.set
                .extend(anthropic_api.map(|u| ("ANTHROPIC_BASE_URL", u)));
        }
        Some(ProfileType::Endpoint) => {
            let placeholder = match c.provider.as_str() {
                "ollama" => "ollama",
                "lmstudio" => "lmstudio",
                _ => "grove",
            };
            env.set
                .push(("ANTHROPIC_BASE_URL", c.base_url.clone().unwrap_or_default()));
            env.set.push((
                "ANTHROPIC_AUTH_TOKEN",
                c.key.clone().unwrap_or_else(|| placeholder.to_string()),
            ));
            if c.provider == "ollama" {
                // Ollama's prompt cache needs a stable header; an empty key keeps the CLI off
                // any other key.
                env.set.push(("ANTHROPIC_API_KEY", String::new()));
                env.set.push(("CLAUDE_CODE_ATTRIBUTION_HEADER", "0".into()));
            }
            // The CLI's background requests (titles, command prefixes) go to a model the
            // server has.
            if let Some(m) = model {
                env.set.push(("ANTHROPIC_SMALL_FAST_MODEL", m.to_string()));
                env.set
                    .push(("ANTHROPIC_DEFAULT_HAIKU_MODEL", m.to_string()));
            }
        }
        Some(ProfileType::Cli | ProfileType::Unknown) | None => return RunEnv::default(),
    }
    env
}

/// `grove/profiles/check`: for an endpoint, that it answers and serves a model; then one minimal
/// request through the CLI with the profile's environment.
pub async fn check(
    adapter: &dyn crate::agents::adapter::AgentAdapter,
    profiles: &Profiles,
    cli: &crate::cli::Cli,
    p: &Profile,
) -> Result<ProfileCheckResult> {
    let id = p.id.clone();
    let mut model = CHECK_MODEL.to_string();
    if p.kind == ProfileType::Endpoint {
        match profiles.check_endpoint(&id).await? {
            Ok(first) => model = first,
            Err(message) => return Ok(ProfileCheckResult { ok: false, message }),
        }
    }
    let env = match profiles.env(adapter, &id, Some(&model)).await {
        Ok(env) => env,
        Err(RunEnvError::Auth(message)) => {
            return Ok(ProfileCheckResult { ok: false, message });
        }
        Err(RunEnvError::Other(e)) => return Err(e),
    };
    profiles.used(&id).await;
    Ok(match attempt(cli, &env, &model).await? {
        Outcome::Ok => {
            profiles.succeeded(&id).await;
            if let Some(own) = profiles.own(&id) {
                own.worked().await;
            }
            ProfileCheckResult {
                ok: true,
                message: format!("{id} works."),
            }
        }
        Outcome::AuthFailed(m) => {
            profiles.failed(&id, &m).await;
            ProfileCheckResult {
                ok: false,
                message: redact(&m),
            }
        }
        Outcome::Failed(m) => ProfileCheckResult {
            ok: false,
            message: redact(&m),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn each_provider_gets_exactly_its_own_variables() {
        let ollama = Credential {
            kind: Some(ProfileType::Endpoint),
            provider: "ollama".into(),
            base_url: Some("http://localhost:11434".into()),
            ..Credential::default()
        };
        let env = run_env(&ollama, Some("qwen3-coder"));
        assert!(env.remove.contains(&"ANTHROPIC_BASE_URL"));
        assert!(env.remove.contains(&"ANTHROPIC_MODEL"));
        let set: HashMap<_, _> = env.set.iter().cloned().collect();
        assert_eq!(set["ANTHROPIC_BASE_URL"], "http://localhost:11434");
        assert_eq!(set["ANTHROPIC_AUTH_TOKEN"], "ollama");
        assert_eq!(set["ANTHROPIC_API_KEY"], "");
        assert_eq!(set["CLAUDE_CODE_ATTRIBUTION_HEADER"], "0");
        let token = Credential {
            kind: Some(ProfileType::Token),
            provider: "anthropic".into(),
            token: Some("sk-ant-oat01-SECRET".into()),
            ..Credential::default()
        };
        let env = run_env(&token, None);
        assert!(
            env.set
                .contains(&("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-SECRET".into()))
        );
        assert!(
            !format!("{env:?}").contains("SECRET"),
            "Debug shows names only"
        );
    }
}
