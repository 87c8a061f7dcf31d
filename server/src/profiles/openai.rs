//! ChatGPT sign-ins Grove owns for the codex CLI: each profile's own `CODEX_HOME` (0700, in
//! Grove's state directory, never `~/.codex`) with the `auth.json` the CLI reads, the token
//! endpoint (PKCE code exchange and refresh), and what an access token (a JWT) says.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use super::store::Credential;
use crate::store::{private_dir, write_durable};

/// The Codex CLI's OAuth client.
pub const CLIENT_ID: &str = "app_EMoamEEZ73f0CkXaXp7hrann";
/// Where the authorize and token endpoints are: `GROVE_OPENAI_AUTH_URL` (for tests), else OpenAI's.
pub fn auth_base() -> String {
    std::env::var("GROVE_OPENAI_AUTH_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .map_or_else(
            || "https://auth.openai.com".to_string(),
            |u| u.trim().trim_end_matches('/').to_string(),
        )
}

/// The `CODEX_HOME` of profile `id`: its own folder under `codex-homes/`, never shared with
/// another id (see `home_name`). The first time it is asked for, the folder an earlier version
/// kept for `id` is moved over when it can only have been this profile's (see
/// `adopt_legacy_home`).
pub fn codex_home(state_dir: &Path, id: &str) -> PathBuf {
    let homes = state_dir.join("codex-homes");
    let home = homes.join(home_name(id));
    adopt_legacy_home(state_dir, &homes, id, &home);
    home
}

/// `id` with anything but ASCII letters, digits and `-` as `_`: the whole name of a profile's
/// folder in earlier versions, shared by ids that differ only there (`a.b`, `a_b`, `a:b`).
fn readable(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `<readable>.<hash>`: the readable form of `id` (at most 80 characters, for people looking at
/// the folder), a dot, and the first 128 bits of the SHA-256 of the whole id in hex, which keeps
/// every id apart. Earlier names never have a dot, so an old name is never a new one.
fn home_name(id: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, id.as_bytes());
    let hash: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let readable: String = readable(id).chars().take(80).collect();
    format!("{readable}.{hash}")
}

/// The profile ids in the store (only read: the store is replaced atomically), if it can be read.
fn profile_ids(state_dir: &Path) -> Option<Vec<String>> {
    let bytes = crate::store::read_regular(&state_dir.join(super::store::FILE), 4 << 20)?;
    let doc: Value = serde_json::from_slice(&bytes).ok()?;
    Some(doc["profiles"].as_object()?.keys().cloned().collect())
}

/// Moves the folder an earlier version kept for `id` to `home`, once: only when `home` does not
/// exist yet, the old folder is a real folder, and `id` is the one profile in the store whose
/// id gives the old name. With two such profiles nobody can tell whose it was: it stays where it
/// is, untouched, and `home` starts empty. The sign-in itself is in the store and written into
/// `home` before each run, so what stays behind is the CLI's history in that folder (and tokens
/// the CLI renewed there that Grove never took back; then the stored ones are refused at the next
/// renewal and the profile reads as needing a new sign-in).
fn adopt_legacy_home(state_dir: &Path, homes: &Path, id: &str, home: &Path) {
    if home.symlink_metadata().is_ok() {
        return;
    }
    let legacy = homes.join(readable(id));
    if !legacy.symlink_metadata().is_ok_and(|m| m.is_dir()) {
        return;
    }
    let owners: Option<Vec<String>> = profile_ids(state_dir).map(|ids| {
        ids.into_iter()
            .filter(|other| readable(other) == readable(id))
            .collect()
    });
    match owners.as_deref() {
        Some([only]) if only == id => match std::fs::rename(&legacy, home) {
            Ok(()) => {
                tracing::info!(profile = %id, "moved the profile's CODEX_HOME to its own folder")
            }
            Err(e) => {
                tracing::warn!(profile = %id, error = %e, "could not move the profile's earlier CODEX_HOME; it starts from a new one")
            }
        },
        _ => tracing::warn!(
            profile = %id,
            folder = %legacy.display(),
            "left an earlier CODEX_HOME where it is: it cannot be told to be this profile's alone (another profile's id gives the same name, or the store could not be read), so this one starts from a new one"
        ),
    }
}

/// The payload of a JWT, unverified (Grove only reads its own tokens' expiry and account).
pub fn jwt_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// When an access token expires, in epoch milliseconds.
pub fn expiry_ms(access: &str) -> Option<u64> {
    jwt_claims(access)?["exp"].as_u64().map(|s| s * 1000)
}

/// The ChatGPT account of an access token.
pub fn account_id(access: &str) -> Option<String> {
    jwt_claims(access)?["https://api.openai.com/auth"]["chatgpt_account_id"]
        .as_str()
        .map(str::to_owned)
}

/// Writes the profile's `auth.json` as the codex CLI keeps it (0600 in a 0700 folder).
pub fn write_auth_json(home: &Path, c: &Credential) -> std::io::Result<()> {
    private_dir(home)?;
    let doc = json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": null,
        "tokens": {
            "id_token": c.rest.get("idToken").cloned().unwrap_or(Value::Null),
            "access_token": c.access,
            "refresh_token": c.refresh,
            "account_id": c.account_id,
        },
        "last_refresh": crate::clock::now_rfc3339(),
    });
    write_durable(&home.join("auth.json"), doc.to_string().as_bytes(), 0o600)
}

/// The tokens in a profile's `auth.json`: (access, refresh, id token).
pub fn read_auth_json(home: &Path) -> Option<(String, String, Option<String>)> {
    let bytes = crate::store::read_regular(&home.join("auth.json"), 1 << 20)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let t = &v["tokens"];
    Some((
        t["access_token"].as_str()?.to_string(),
        t["refresh_token"].as_str()?.to_string(),
        t["id_token"].as_str().map(str::to_owned),
    ))
}

/// Tokens from the token endpoint.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: Option<String>,
    pub id_token: Option<String>,
    /// Epoch milliseconds.
    pub expires: Option<u64>,
}

/// Why the token endpoint said no.
#[derive(Debug, Clone)]
pub struct Refused {
    /// The grant is dead (`invalid_grant`, a reused or revoked refresh token): sign in again.
    pub rejected: bool,
    pub message: String,
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        // A token request carries a code or a refresh token: never to another origin.
        .redirect(super::endpoints::redirect_policy())
        .build()
        .unwrap_or_default()
}

async fn token_request(form: &[(&str, &str)]) -> Result<Tokens, Refused> {
    let url = format!("{}/oauth/token", auth_base());
    let resp = http()
        .post(&url)
        .form(form)
        .send()
        .await
        .map_err(|e| Refused {
            rejected: false,
            message: format!("OpenAI's sign-in service could not be reached: {e}"),
        })?;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        let code = body["error"]
            .as_str()
            .or_else(|| body["error"]["code"].as_str())
            .unwrap_or_default()
            .to_string();
        let rejected = status.as_u16() == 400 || status.as_u16() == 401;
        return Err(Refused {
            rejected,
            message: match code.as_str() {
                "refresh_token_reused" => "The ChatGPT sign-in was used up elsewhere (its refresh token was already used). Sign in again.".into(),
                "" => format!("OpenAI's sign-in service answered {status}."),
                other => format!("OpenAI's sign-in service refused the sign-in ({other}). Sign in again."),
            },
        });
    }
    let access = body["access_token"]
        .as_str()
        .ok_or_else(|| Refused {
            rejected: false,
            message: "OpenAI's sign-in service answered without an access token.".into(),
        })?
        .to_string();
    let expires = body["expires_in"]
        .as_u64()
        .map(|s| crate::clock::now_ms() + s * 1000)
        .or_else(|| expiry_ms(&access));
    Ok(Tokens {
        refresh: body["refresh_token"].as_str().map(str::to_owned),
        id_token: body["id_token"].as_str().map(str::to_owned),
        access,
        expires,
    })
}

/// A refresh: `grant_type=refresh_token`.
pub async fn refresh(refresh_token: &str) -> Result<Tokens, Refused> {
    token_request(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", CLIENT_ID),
    ])
    .await
}

/// The PKCE code exchange.
pub async fn exchange(code: &str, verifier: &str, redirect_uri: &str) -> Result<Tokens, Refused> {
    token_request(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", CLIENT_ID),
        ("code_verifier", verifier),
    ])
    .await
}

/// A PKCE pair: (verifier, S256 challenge), and a state, all random.
pub fn pkce() -> (String, String, String) {
    let rand = |n: usize| -> String {
        let mut bytes = vec![0u8; n];
        for chunk in bytes.chunks_mut(8) {
            let r = crate::store::nonce().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    let verifier = rand(48);
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
    (verifier, challenge, rand(24))
}

/// The authorize URL for a PKCE sign-in.
pub fn authorize_url(challenge: &str, state: &str, redirect_uri: &str) -> String {
    let q = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&code_challenge={}&code_challenge_method=S256&state={}&id_token_add_organizations=true&codex_cli_simplified_flow=true&originator=codex_cli_rs",
        auth_base(),
        CLIENT_ID,
        q(redirect_uri),
        q("openid profile email offline_access"),
        challenge,
        state
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenges_are_s256_of_the_verifier() {
        let (v, c, s) = pkce();
        assert!(v.len() >= 43 && s.len() >= 20);
        let digest = ring::digest::digest(&ring::digest::SHA256, v.as_bytes());
        assert_eq!(
            c,
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
        );
        let url = authorize_url(&c, &s, "http://localhost:1455/auth/callback");
        assert!(url.contains("code_challenge_method=S256"));
        assert!(url.contains("redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback"));
        assert_ne!(pkce().0, v);
    }

    #[test]
    fn jwt_claims_give_expiry_and_account() {
        let payload = json!({"exp": 2_000_000_000u64, "https://api.openai.com/auth": {"chatgpt_account_id": "acct_1"}});
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
        let token = format!("e30.{b}.sig");
        assert_eq!(expiry_ms(&token), Some(2_000_000_000_000));
        assert_eq!(account_id(&token).as_deref(), Some("acct_1"));
        assert_eq!(expiry_ms("not-a-jwt"), None);
    }

    #[test]
    fn every_profile_id_has_its_own_codex_home() {
        let dir = std::env::temp_dir().join(format!("grove-codex-homes-{}", crate::store::nonce()));
        let (dot, under) = (
            codex_home(&dir, "openai-codex:a.b"),
            codex_home(&dir, "openai-codex:a_b"),
        );
        assert_ne!(dot, under);
        let name = dot.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.starts_with("openai-codex_a_b."), "{name}");
        assert_eq!(name.len(), "openai-codex_a_b.".len() + 32);
        assert_eq!(dot, codex_home(&dir, "openai-codex:a.b"), "stable");
        let long = format!("openai-codex:{}", "x".repeat(200));
        assert!(home_name(&long).len() < 120);
        assert!(!dir.exists(), "asking for a name creates nothing");
    }

    fn store_with(dir: &Path, ids: &[&str]) {
        let profiles: serde_json::Map<String, Value> = ids
            .iter()
            .map(|id| {
                (
                    id.to_string(),
                    json!({"type": "oauth", "provider": "openai-codex"}),
                )
            })
            .collect();
        std::fs::create_dir_all(dir).unwrap();
        let doc = json!({"version": 1, "profiles": profiles});
        std::fs::write(dir.join(super::super::store::FILE), doc.to_string()).unwrap();
    }

    fn legacy_home(dir: &Path, name: &str) -> PathBuf {
        let old = dir.join("codex-homes").join(name);
        std::fs::create_dir_all(old.join("sessions")).unwrap();
        std::fs::write(old.join("sessions/kept"), "x").unwrap();
        old
    }

    #[test]
    fn an_earlier_codex_home_is_moved_over_only_when_one_profile_could_own_it() {
        let dir = std::env::temp_dir().join(format!("grove-codex-homes-{}", crate::store::nonce()));
        store_with(
            &dir,
            &["openai-codex:team", "openai-codex:a.b", "openai-codex:a_b"],
        );
        let team_old = legacy_home(&dir, "openai-codex_team");
        let shared_old = legacy_home(&dir, "openai-codex_a_b");

        let team = codex_home(&dir, "openai-codex:team");
        assert!(team.join("sessions/kept").is_file(), "moved over");
        assert!(!team_old.exists());
        let dot = codex_home(&dir, "openai-codex:a.b");
        assert!(!dot.exists(), "two profiles could own it: not moved");
        assert!(shared_old.join("sessions/kept").is_file(), "left untouched");

        // Once the new folder exists, an old one (made again) is never moved over it.
        let again = legacy_home(&dir, "openai-codex_team");
        assert_eq!(codex_home(&dir, "openai-codex:team"), team);
        assert!(again.exists());
        // A profile the store does not have adopts nothing.
        let gone = legacy_home(&dir, "openai-codex_gone");
        assert!(!codex_home(&dir, "openai-codex:gone").exists());
        assert!(gone.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
