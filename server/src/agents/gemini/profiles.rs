//! The profiles the Gemini CLI runs with. Every run gets a home of Grove's (`GEMINI_CLI_HOME`, one
//! per profile) whose settings pick the profile's way of signing in and turn the CLI's session
//! clean-up off (it deletes resumed sessions in this version); the user's own `~/.gemini` is never
//! written. An API-key profile's key and base URL go in the run's environment; the CLI's own
//! "Sign in with Google" is read from the user's credential files (whether they are there and
//! which account is active, never the tokens), which the run's home links to.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::kinds::GOOGLE;
use crate::agents::adapter::{Later, OwnSignIn};
use crate::error::Result;
use crate::process::RunEnv;
use crate::profiles::store::Credential;
use crate::profiles::{Profiles, RunEnvError, endpoints};
use crate::protocol::{Profile, ProfileCheckResult, ProfileStatus, ProfileType};

/// Inherited variables that would move a run to another endpoint, way of signing in or home.
const PROVIDER_ENV: &[&str] = &[
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GENAI_USE_GCA",
    "GOOGLE_CLOUD_PROJECT",
    "GEMINI_CLI_HOME",
    "GEMINI_MODEL",
];

/// The files of the CLI's own Google sign-in, in the user's `~/.gemini`.
const SIGN_IN_FILES: &[&str] = &["oauth_creds.json", "google_accounts.json"];

/// The Gemini API, when a profile names no base URL.
const API: &str = "https://generativelanguage.googleapis.com";

/// The user's own `~/.gemini`.
fn user_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".gemini"))
}

/// The home of profile `id`'s runs.
pub fn home(state_dir: &Path, id: &str) -> PathBuf {
    state_dir
        .join("gemini-homes")
        .join(crate::store::profile_dir_name(id))
}

/// The run's home made ready: private, with Grove's settings (written afresh each run), and for
/// the CLI's own sign-in links to the user's credential files (the CLI writes renewed tokens
/// through them).
fn prepare(home: &Path, own: bool) -> std::io::Result<()> {
    let dir = home.join(".gemini");
    crate::store::private_dir(home)?;
    crate::store::private_dir(&dir)?;
    crate::store::private_dir(&home.join("tmp"))?;
    let auth = if own {
        "oauth-personal"
    } else {
        "gemini-api-key"
    };
    let settings = serde_json::json!({
        "security": { "auth": { "selectedType": auth } },
        "general": { "sessionRetention": { "enabled": false } },
    });
    crate::store::write_atomic(&dir.join("settings.json"), settings.to_string().as_bytes())?;
    if let (true, Some(user)) = (own, user_dir()) {
        for name in SIGN_IN_FILES {
            let link = dir.join(name);
            if std::fs::symlink_metadata(&link).is_err() {
                std::os::unix::fs::symlink(user.join(name), &link)?;
            }
        }
    }
    Ok(())
}

/// The variables a Gemini CLI run gets: `cred` for a stored profile, `None` for the CLI's own
/// sign-in.
pub async fn run_env(
    profiles: &Profiles,
    id: &str,
    cred: Option<Credential>,
) -> std::result::Result<RunEnv, RunEnvError> {
    let home = home(profiles.state_dir(), id);
    let own = cred.is_none();
    let h = home.clone();
    tokio::task::spawn_blocking(move || prepare(&h, own))
        .await
        .expect("blocking task")
        .map_err(|e| RunEnvError::Other(crate::profiles::store_failed(e)))?;
    let mut set = vec![
        ("GEMINI_CLI_HOME", home.display().to_string()),
        ("GEMINI_CLI_TRUST_WORKSPACE", "true".to_string()),
        ("TMPDIR", home.join("tmp").display().to_string()),
    ];
    if let Some(c) = cred {
        set.push(("GEMINI_API_KEY", c.key.unwrap_or_default()));
        if let Some(url) = c.base_url.filter(|u| !u.is_empty()) {
            set.push(("GOOGLE_GEMINI_BASE_URL", url));
        }
    }
    Ok(RunEnv {
        remove: PROVIDER_ENV.to_vec(),
        set,
        endpoint: None,
    })
}

/// What identifies the sign-in files from outside (size, time each), and the binary's path.
type Stamp = (Vec<Option<(u64, Option<std::time::SystemTime>)>>, PathBuf);

/// The status and its words.
type Known = Option<(ProfileStatus, String)>;

/// The CLI's own Google sign-in, as its files say (None: the CLI is not installed).
pub struct CliSignIn {
    cli: std::sync::Arc<crate::cli::Cli>,
    known: Mutex<(Known, Option<Stamp>)>,
}

impl CliSignIn {
    pub fn new(cli: std::sync::Arc<crate::cli::Cli>) -> Self {
        Self {
            cli,
            known: Mutex::new((None, None)),
        }
    }

    async fn ask(&self, force: bool) {
        let Ok(program) = self.cli.resolve(&super::BINARY).await else {
            *self.known.lock().unwrap() = (None, None);
            return;
        };
        let dir = user_dir();
        let stamp: Stamp = (
            SIGN_IN_FILES
                .iter()
                .map(|n| {
                    let m = std::fs::metadata(dir.as_ref()?.join(n)).ok()?;
                    Some((m.len(), m.modified().ok()))
                })
                .collect(),
            program,
        );
        {
            let cached = self.known.lock().unwrap();
            if !force && cached.0.is_some() && cached.1.as_ref() == Some(&stamp) {
                return;
            }
        }
        let found = match (&stamp.0[0], dir.as_deref().and_then(active_account)) {
            (Some(_), Some(account)) => (
                ProfileStatus::Ok,
                format!("Signed in with Google as {account}"),
            ),
            (Some(_), None) => (ProfileStatus::Ok, "Signed in with Google".to_string()),
            (None, _) => (
                ProfileStatus::Missing,
                "Not signed in with Google: run `gemini` in a terminal and choose \"Sign in with Google\"."
                    .to_string(),
            ),
        };
        *self.known.lock().unwrap() = (Some(found), Some(stamp));
    }
}

/// The active account `google_accounts.json` names (the file holds no token).
fn active_account(dir: &Path) -> Option<String> {
    let bytes = crate::store::read_regular(&dir.join("google_accounts.json"), 64 * 1024)?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let active = v["active"].as_str()?.trim();
    let plain = !active.is_empty()
        && active.len() <= 320
        && !active.chars().any(|c| c.is_control() || c.is_whitespace());
    plain.then(|| active.to_string())
}

impl OwnSignIn for CliSignIn {
    fn known(&self) -> Known {
        self.known.lock().unwrap().0.clone()
    }

    fn look(&self, force: bool) -> Later<'_> {
        Box::pin(self.ask(force))
    }
}

/// `grove/profiles/check`: the own sign-in looked at again; an API key shown to the models
/// listing of its base URL, the smallest authenticated request there is.
pub async fn check(profiles: &Profiles, p: &Profile) -> Result<ProfileCheckResult> {
    let answer = |ok: bool, message: String| Ok(ProfileCheckResult { ok, message });
    if let Some(own) = profiles.own(&p.id) {
        profiles.look_again(&p.id).await;
        return match own.known() {
            Some((ProfileStatus::Ok, detail)) => answer(true, detail),
            Some((_, detail)) => answer(false, detail),
            None => answer(false, "The Gemini CLI is not installed.".into()),
        };
    }
    let Some(c) = profiles.credential(&p.id).await? else {
        return Err(crate::profiles::unknown(&p.id));
    };
    if c.provider != GOOGLE || c.kind != Some(ProfileType::ApiKey) {
        return answer(false, format!("{} is not a Gemini API key.", p.id));
    }
    let base = c.base_url.clone().filter(|u| !u.is_empty());
    let url = format!(
        "{}/v1beta/models",
        base.as_deref().unwrap_or(API).trim_end_matches('/')
    );
    let sent = reqwest::Client::builder()
        .timeout(endpoints::CHECK_LIMIT)
        .redirect(endpoints::redirect_policy())
        .build()
        .unwrap_or_default()
        .get(&url)
        .header("x-goog-api-key", c.key.unwrap_or_default())
        .send()
        .await;
    profiles.used(&p.id).await;
    match sent.map(|r| r.status()) {
        Ok(s) if s.is_success() => {
            profiles.succeeded(&p.id).await;
            answer(true, format!("{} works.", p.id))
        }
        Ok(s) if matches!(s.as_u16(), 400 | 401 | 403) => {
            let m = format!("The Gemini API refused the key of {} ({s}).", p.id);
            profiles.failed(&p.id, &m).await;
            answer(false, m)
        }
        Ok(s) if s.is_redirection() => answer(
            false,
            format!("{url} redirected to another address; Grove sends no key there."),
        ),
        Ok(s) => answer(
            false,
            format!("The Gemini API answered {s}; try again later."),
        ),
        Err(e) => answer(false, format!("The Gemini API could not be reached: {e}")),
    }
}

/// What Grove kept for a removed profile (its runs' home, their sessions) goes with it.
pub fn removed(state_dir: &Path, id: &str) {
    if id.starts_with(&format!("{GOOGLE}:")) {
        let _ = std::fs::remove_dir_all(home(state_dir, id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_home_holds_grove_settings_and_the_own_sign_in_links_to_the_user_files() {
        let dir =
            std::env::temp_dir().join(format!("grove-gemini-homes-{}", crate::store::nonce()));
        let h = home(&dir, "google:work");
        prepare(&h, false).unwrap();
        let settings = std::fs::read_to_string(h.join(".gemini/settings.json")).unwrap();
        assert!(settings.contains("gemini-api-key") && settings.contains("sessionRetention"));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&h).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        assert!(!h.join(".gemini/oauth_creds.json").exists());
        assert_ne!(home(&dir, "google:a.b"), home(&dir, "google:a_b"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
