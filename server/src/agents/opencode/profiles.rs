//! The profiles opencode runs with. A run's provider is its profile, given whole in
//! `OPENCODE_CONFIG_CONTENT` (an OpenAI-compatible provider: the endpoint's base URL, its key,
//! the model), never in a file of the user's; its config folder is one of Grove's, so the user's
//! own configuration is neither read nor rewritten; model fetching and auto-update are off.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::json;

use super::kinds::COMPATIBLE;
use crate::agents::adapter::{Later, OwnSignIn};
use crate::error::Result;
use crate::process::RunEnv;
use crate::profiles::store::Credential;
use crate::profiles::{Profiles, RunEnvError};
use crate::protocol::{Profile, ProfileCheckResult, ProfileStatus, ProfileType};

/// Inherited variables that would point a run at another configuration.
const PROVIDER_ENV: &[&str] = &[
    "OPENCODE_CONFIG",
    "OPENCODE_CONFIG_DIR",
    "OPENCODE_CONFIG_CONTENT",
];

/// OpenAI's API, for an OpenAI API-key profile.
const OPENAI_API: &str = "https://api.openai.com";
/// The model an OpenAI API-key profile runs when none is chosen.
const OPENAI_MODEL: &str = "gpt-4.1";
/// The provider id of Grove's profile inside the run's configuration.
const PROVIDER_ID: &str = "grove";

/// The folder of profile `id`'s runs (their `XDG_CONFIG_HOME`).
pub fn home(state_dir: &Path, id: &str) -> PathBuf {
    state_dir
        .join("opencode-homes")
        .join(crate::store::profile_dir_name(id))
}

/// The base URL (without `/v1`) and key a credential's runs talk to.
fn endpoint(c: &Credential) -> Option<(String, String)> {
    match (c.provider.as_str(), c.kind) {
        ("openai", Some(ProfileType::ApiKey)) => {
            let base = std::env::var("GROVE_OPENAI_API_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| OPENAI_API.into());
            Some((base, c.key.clone().unwrap_or_default()))
        }
        (provider, Some(ProfileType::Endpoint)) => {
            // A local server that takes no key still wants one in the request.
            let placeholder = if provider == COMPATIBLE {
                "grove"
            } else {
                provider
            };
            let key = c.key.clone().unwrap_or_else(|| placeholder.to_string());
            Some((c.base_url.clone().unwrap_or_default(), key))
        }
        _ => None,
    }
}

/// The run's configuration: the profile as its one provider, and its model.
fn config(base: &str, key: &str, model: &str) -> serde_json::Value {
    let base = base.trim_end_matches('/');
    json!({
        "$schema": "https://opencode.ai/config.json",
        "autoupdate": false,
        "share": "disabled",
        "provider": { PROVIDER_ID: {
            "npm": "@ai-sdk/openai-compatible",
            "name": "Grove profile",
            "options": { "baseURL": format!("{base}/v1"), "apiKey": key },
            "models": { model: { "tool_call": true } },
        }},
        "model": format!("{PROVIDER_ID}/{model}"),
        "small_model": format!("{PROVIDER_ID}/{model}"),
    })
}

/// The variables an opencode run gets: `cred` for a stored profile, `None` for opencode's own
/// configuration (the user's, as their own runs use it).
pub async fn run_env(
    profiles: &Profiles,
    id: &str,
    cred: Option<Credential>,
    model: Option<&str>,
) -> std::result::Result<RunEnv, RunEnvError> {
    let quiet = vec![
        ("OPENCODE_DISABLE_MODELS_FETCH", "true".to_string()),
        ("OPENCODE_DISABLE_AUTOUPDATE", "true".to_string()),
    ];
    let Some(c) = cred else {
        return Ok(RunEnv {
            set: quiet,
            ..RunEnv::default()
        });
    };
    let Some((base, key)) = endpoint(&c) else {
        return Err(RunEnvError::Other(crate::profiles::refused(
            "wrongAgent",
            format!("opencode cannot run {id}: it takes an endpoint or an OpenAI API key."),
        )));
    };
    let model = model
        .map(str::to_string)
        .or_else(|| (c.provider == "openai").then(|| OPENAI_MODEL.to_string()))
        .ok_or_else(|| {
            RunEnvError::Other(crate::profiles::refused(
                "noModel",
                format!("{base} serves no model Grove knows of: pull or load one, then check the profile."),
            ))
        })?;
    let config_home = home(profiles.state_dir(), id).join("config");
    let dir = config_home.clone();
    tokio::task::spawn_blocking(move || crate::store::private_dir(&dir))
        .await
        .expect("blocking task")
        .map_err(|e| RunEnvError::Other(crate::profiles::store_failed(e)))?;
    let mut set = quiet;
    set.push((
        "OPENCODE_CONFIG_CONTENT",
        config(&base, &key, &model).to_string(),
    ));
    set.push(("XDG_CONFIG_HOME", config_home.display().to_string()));
    Ok(RunEnv {
        remove: PROVIDER_ENV.to_vec(),
        set,
        endpoint: Some(base),
    })
}

/// opencode's own configuration and sign-ins: listed while opencode is installed.
pub struct Own {
    cli: std::sync::Arc<crate::cli::Cli>,
    found: Mutex<bool>,
}

impl Own {
    pub fn new(cli: std::sync::Arc<crate::cli::Cli>) -> Self {
        Self {
            cli,
            found: Mutex::new(false),
        }
    }
}

impl OwnSignIn for Own {
    fn known(&self) -> Option<(ProfileStatus, String)> {
        let words = "opencode's own configuration and sign-ins (`opencode auth login`)";
        (*self.found.lock().unwrap()).then(|| (ProfileStatus::Static, words.to_string()))
    }

    fn look(&self, _force: bool) -> Later<'_> {
        Box::pin(async {
            let found = self.cli.resolve(&super::BINARY).await.is_ok();
            *self.found.lock().unwrap() = found;
        })
    }
}

/// `grove/profiles/check` of an OpenAI-compatible endpoint: it answers and serves a model.
pub async fn check(profiles: &Profiles, p: &Profile) -> Result<ProfileCheckResult> {
    if let Some(own) = profiles.own(&p.id) {
        profiles.look_again(&p.id).await;
        let (ok, message) = match own.known() {
            Some((_, words)) => (
                true,
                format!("opencode is installed; it runs with {words}."),
            ),
            None => (false, "opencode is not installed.".to_string()),
        };
        return Ok(ProfileCheckResult { ok, message });
    }
    Ok(match profiles.check_endpoint(&p.id).await? {
        Ok(first) => {
            profiles.succeeded(&p.id).await;
            ProfileCheckResult {
                ok: true,
                message: format!("{} works; it serves {first}.", p.id),
            }
        }
        Err(message) => ProfileCheckResult { ok: false, message },
    })
}

/// What Grove kept for a removed profile (its runs' config folder) goes with it.
pub fn removed(state_dir: &Path, id: &str) {
    let _ = std::fs::remove_dir_all(home(state_dir, id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_becomes_one_provider_with_its_model_and_the_key_only_in_it() {
        let c = Credential {
            kind: Some(ProfileType::Endpoint),
            provider: "ollama".into(),
            base_url: Some("http://127.0.0.1:11434".into()),
            ..Credential::default()
        };
        let (base, key) = endpoint(&c).unwrap();
        let v = config(&base, &key, "qwen3-coder");
        assert_eq!(
            v["provider"]["grove"]["options"]["baseURL"],
            "http://127.0.0.1:11434/v1"
        );
        assert_eq!(v["provider"]["grove"]["options"]["apiKey"], "ollama");
        assert_eq!(v["model"], "grove/qwen3-coder");
        let key = Credential {
            kind: Some(ProfileType::ApiKey),
            provider: "openai".into(),
            key: Some("sk-proj-x".into()),
            ..Credential::default()
        };
        assert_eq!(endpoint(&key).unwrap().1, "sk-proj-x");
        let token = Credential {
            kind: Some(ProfileType::Token),
            provider: "anthropic".into(),
            ..Credential::default()
        };
        assert!(endpoint(&token).is_none());
    }
}
