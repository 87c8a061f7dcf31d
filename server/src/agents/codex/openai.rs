//! ChatGPT sign-ins Grove owns for the codex CLI: each profile's own `CODEX_HOME` (0700, in
//! Grove's state directory, never `~/.codex`) with the `auth.json` the CLI reads, the token
//! endpoint (PKCE code exchange and refresh), and what an access token (a JWT) says.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::profiles::store::Credential;
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
/// another id (see `crate::store::profile_dir_name`). Only a path: the folder an earlier version kept for `id` is
/// moved over by `adopt_legacy_home`, under the profile's lock, and removed with the profile by
/// `remove_homes`.
pub fn codex_home(state_dir: &Path, id: &str) -> PathBuf {
    state_dir
        .join("codex-homes")
        .join(crate::store::profile_dir_name(id))
}

/// The folder earlier versions kept for `id` (and for every id that differs only in
/// punctuation).
fn legacy_path(state_dir: &Path, id: &str) -> PathBuf {
    state_dir
        .join("codex-homes")
        .join(crate::store::readable_name(id))
}

/// Whether a folder of the earlier naming may be waiting for `id`: its own folder does not
/// exist yet and the old one is a real folder. Cheap; `adopt_legacy_home` decides.
pub fn legacy_due(state_dir: &Path, id: &str) -> bool {
    codex_home(state_dir, id).symlink_metadata().is_err()
        && legacy_path(state_dir, id)
            .symlink_metadata()
            .is_ok_and(|m| m.is_dir())
}

/// Whether the sign-in in a folder's `auth.json` is `c`'s: the same refresh token, or the same
/// ChatGPT account.
fn holds_sign_in_of(auth: &AuthJson, c: &Credential) -> bool {
    let filled = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    let same_refresh = filled(&c.refresh).is_some_and(|r| r == auth.refresh);
    let account = filled(&auth.account_id).or_else(|| account_id(&auth.access));
    let same_account = filled(&c.account_id).is_some_and(|a| account.as_deref() == Some(&a));
    same_refresh || same_account
}

/// Moves the folder an earlier version kept for `id` to its own `codex_home`, once, and only
/// when it can be this profile's alone: its own folder does not exist yet, the old one is a real
/// folder, `id` is the one profile among `ids` (the store's, read under the lock) whose id gives
/// the old name, and the old folder's `auth.json` holds `c`'s sign-in (its refresh token or its
/// account). Anything else stays where it is, untouched, and the profile starts from a new
/// folder: a removed profile's folder (its tokens, its sessions) never goes to another account.
/// The caller holds the profile's refresh lock. Returns whether it moved.
pub fn adopt_legacy_home(state_dir: &Path, id: &str, ids: &[String], c: &Credential) -> bool {
    if !legacy_due(state_dir, id) {
        return false;
    }
    let (legacy, home) = (legacy_path(state_dir, id), codex_home(state_dir, id));
    let owners: Vec<&String> = ids
        .iter()
        .filter(|o| crate::store::readable_name(o) == crate::store::readable_name(id))
        .collect();
    let alone = matches!(owners.as_slice(), [only] if *only == id);
    let own = read_auth_json(&legacy).is_some_and(|auth| holds_sign_in_of(&auth, c));
    if !(alone && own) {
        tracing::warn!(
            profile = %id,
            folder = %legacy.display(),
            "left an earlier CODEX_HOME where it is: it cannot be told to be this profile's (another profile's id gives the same name, or it holds another sign-in or none), so this one starts from a new one"
        );
        return false;
    }
    match std::fs::rename(&legacy, &home) {
        Ok(()) => {
            tracing::info!(profile = %id, "moved the profile's CODEX_HOME to its own folder");
            true
        }
        Err(e) => {
            tracing::warn!(profile = %id, error = %e, "could not move the profile's earlier CODEX_HOME; it starts from a new one");
            false
        }
    }
}

/// Removes what `path` is (a folder with all in it, or a file or link itself; never what a link
/// points to). Missing is done already.
fn remove_path(path: &Path) -> std::io::Result<()> {
    match path.symlink_metadata() {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// After profile `id` left the store: its `CODEX_HOME` goes (its tokens, live refresh token
/// included, and its sessions), and so does the folder of the earlier naming when no profile
/// left in the store (`others`) gives the same name or it holds the removed sign-in's refresh
/// token. The caller holds the profile's refresh lock. Failures are logged, never fatal: the
/// profile is gone from the store either way.
pub fn remove_homes(state_dir: &Path, id: &str, others: &[String], removed: Option<&Credential>) {
    let legacy = legacy_path(state_dir, id);
    let shared = others
        .iter()
        .any(|o| o != id && crate::store::readable_name(o) == crate::store::readable_name(id));
    let holds_removed = removed
        .and_then(|c| c.refresh.as_deref().filter(|r| !r.is_empty()))
        .is_some_and(|r| read_auth_json(&legacy).is_some_and(|auth| auth.refresh == r));
    let mut gone = vec![codex_home(state_dir, id)];
    if legacy.symlink_metadata().is_ok() && (!shared || holds_removed) {
        gone.push(legacy);
    }
    for path in gone {
        if path.symlink_metadata().is_err() {
            continue;
        }
        match remove_path(&path) {
            Ok(()) => tracing::info!(profile = %id, "removed the profile's CODEX_HOME"),
            Err(e) => tracing::warn!(
                profile = %id,
                folder = %path.display(),
                error = %e,
                "could not remove the removed profile's CODEX_HOME; remove it by hand"
            ),
        }
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

/// When an access token expires, in epoch milliseconds; none when its `exp` is past what a date
/// can say (the token is anyone's to write).
pub fn expiry_ms(access: &str) -> Option<u64> {
    let ms = jwt_claims(access)?["exp"].as_u64()?.checked_mul(1000)?;
    crate::profiles::input::check_expires(ms).ok()
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

/// The tokens of a ChatGPT sign-in in an `auth.json`, as read (unchecked).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthJson {
    pub access: String,
    pub refresh: String,
    pub id_token: Option<String>,
    pub account_id: Option<String>,
}

impl AuthJson {
    /// Whether Grove may store these tokens: each passes the checks `add` applies to a stored
    /// secret (at most 16 KiB of visible ASCII). What is wrong, never the tokens themselves.
    pub fn check(&self) -> Result<(), String> {
        let tokens = [
            Some(&self.access),
            Some(&self.refresh),
            self.id_token.as_ref(),
        ];
        for t in tokens.into_iter().flatten() {
            crate::profiles::input::check_opaque("A token", t).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// The tokens in a profile's `auth.json`.
pub fn read_auth_json(home: &Path) -> Option<AuthJson> {
    let bytes = crate::store::read_regular(&home.join("auth.json"), 1 << 20)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let t = &v["tokens"];
    Some(AuthJson {
        access: t["access_token"].as_str()?.to_string(),
        refresh: t["refresh_token"].as_str()?.to_string(),
        id_token: t["id_token"].as_str().map(str::to_owned),
        account_id: t["account_id"].as_str().map(str::to_owned),
    })
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
        .redirect(crate::profiles::endpoints::redirect_policy())
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
        .and_then(|s| s.checked_mul(1000))
        .and_then(|ms| crate::clock::now_ms().checked_add(ms))
        .and_then(|ms| crate::profiles::input::check_expires(ms).ok())
        .or_else(|| expiry_ms(&access));
    let tokens = Tokens {
        refresh: body["refresh_token"].as_str().map(str::to_owned),
        id_token: body["id_token"].as_str().map(str::to_owned),
        access,
        expires,
    };
    // Stored as `add` stores a secret: a token that could not be is refused, never kept.
    let each = [
        Some(&tokens.access),
        tokens.refresh.as_ref(),
        tokens.id_token.as_ref(),
    ];
    if each
        .into_iter()
        .flatten()
        .any(|t| crate::profiles::input::check_opaque("A token", t).is_err())
    {
        return Err(Refused {
            rejected: false,
            message: "OpenAI's sign-in service answered with a token Grove cannot keep (too long, or with characters a token never has).".into(),
        });
    }
    Ok(tokens)
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

/// A PKCE pair: (verifier, S256 challenge), and a state, from the system's secure random
/// source (ring's `SystemRandom`: `getrandom`). When that fails the sign-in does not start: a
/// guessable verifier or state would let another program finish it.
pub fn pkce() -> crate::error::Result<(String, String, String)> {
    use ring::rand::SecureRandom;
    let rng = ring::rand::SystemRandom::new();
    pkce_with(|bytes| rng.fill(bytes).is_ok())
}

/// `pkce` with `fill` as the random source (false: it failed).
fn pkce_with(fill: impl Fn(&mut [u8]) -> bool) -> crate::error::Result<(String, String, String)> {
    let rand = |n: usize| -> crate::error::Result<String> {
        let mut bytes = vec![0u8; n];
        fill(&mut bytes).then_some(()).ok_or_else(|| {
            crate::error::Error::Internal(
                "The system's secure random number generator could not be used, so a ChatGPT sign-in cannot be started safely. Try again; if it keeps failing, the system's random source (getrandom, /dev/urandom) needs looking at.".into(),
            )
        })?;
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    };
    let verifier = rand(48)?;
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
    Ok((verifier, challenge, rand(24)?))
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
    fn without_a_secure_random_source_no_sign_in_starts() {
        let err = pkce_with(|_| false).unwrap_err();
        assert!(matches!(err, crate::error::Error::Internal(_)));
        assert!(err.to_string().contains("random"), "{err}");
        // Each part is drawn afresh from the source, all of it used.
        let (v, _, s) = pkce_with(|b| {
            b.fill(0xAB);
            true
        })
        .unwrap();
        assert_eq!(v.len(), 64);
        assert_eq!(
            s,
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xAB; 24])
        );
    }

    #[test]
    fn pkce_challenges_are_s256_of_the_verifier() {
        let (v, c, s) = pkce().unwrap();
        assert!(v.len() >= 43 && s.len() >= 20);
        let digest = ring::digest::digest(&ring::digest::SHA256, v.as_bytes());
        assert_eq!(
            c,
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
        );
        let url = authorize_url(&c, &s, "http://localhost:1455/auth/callback");
        assert!(url.contains("code_challenge_method=S256"));
        assert!(url.contains("redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback"));
        assert_ne!(pkce().unwrap().0, v);
    }

    #[test]
    fn jwt_claims_give_expiry_and_account() {
        let payload = json!({"exp": 2_000_000_000u64, "https://api.openai.com/auth": {"chatgpt_account_id": "acct_1"}});
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
        let token = format!("e30.{b}.sig");
        assert_eq!(expiry_ms(&token), Some(2_000_000_000_000));
        assert_eq!(account_id(&token).as_deref(), Some("acct_1"));
        assert_eq!(expiry_ms("not-a-jwt"), None);
        // An `exp` whose milliseconds overflow, or past what a date can say: none.
        for exp in [u64::MAX, u64::MAX / 1000 + 1, 253_402_300_800] {
            let b = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(json!({ "exp": exp }).to_string());
            assert_eq!(expiry_ms(&format!("e30.{b}.sig")), None, "{exp}");
        }
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
        assert!(crate::store::profile_dir_name(&long).len() < 120);
        assert!(!dir.exists(), "asking for a name creates nothing");
    }

    /// A ChatGPT sign-in as stored: refresh token `rt_<tag>`, account `acct_<tag>`.
    fn signed_in(tag: &str) -> Credential {
        Credential {
            kind: Some(crate::protocol::ProfileType::Oauth),
            provider: "openai-codex".into(),
            access: Some(format!("at_{tag}")),
            refresh: Some(format!("rt_{tag}")),
            account_id: Some(format!("acct_{tag}")),
            ..Credential::default()
        }
    }

    /// A folder of the earlier naming, with a session and (when given) the `auth.json` of `c`.
    fn legacy_home(dir: &Path, name: &str, c: Option<&Credential>) -> PathBuf {
        let old = dir.join("codex-homes").join(name);
        std::fs::create_dir_all(old.join("sessions")).unwrap();
        std::fs::write(old.join("sessions/kept"), "x").unwrap();
        if let Some(c) = c {
            write_auth_json(&old, c).unwrap();
        }
        old
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_earlier_codex_home_is_moved_over_only_when_it_is_this_profiles_alone() {
        let dir = std::env::temp_dir().join(format!("grove-codex-homes-{}", crate::store::nonce()));
        let store = ids(&["openai-codex:team", "openai-codex:a.b", "openai-codex:a_b"]);
        let team = signed_in("team");
        let team_old = legacy_home(&dir, "openai-codex_team", Some(&team));
        let shared_old = legacy_home(&dir, "openai-codex_a_b", Some(&signed_in("ab")));

        let adopt = |id: &str, c: &Credential| adopt_legacy_home(&dir, id, &store, c);
        assert!(adopt("openai-codex:team", &team));
        let home = codex_home(&dir, "openai-codex:team");
        assert!(home.join("sessions/kept").is_file(), "moved over");
        assert!(!team_old.exists());
        assert!(
            !adopt("openai-codex:a.b", &signed_in("ab")),
            "two could own it"
        );
        assert!(shared_old.join("sessions/kept").is_file(), "left untouched");

        // Once the new folder exists, an old one (made again) is never moved over it.
        let again = legacy_home(&dir, "openai-codex_team", Some(&team));
        assert!(!legacy_due(&dir, "openai-codex:team"));
        assert!(!adopt("openai-codex:team", &team));
        assert!(again.exists());
        // A profile the store does not have adopts nothing.
        let gone = legacy_home(&dir, "openai-codex_gone", Some(&signed_in("gone")));
        assert!(!adopt("openai-codex:gone", &signed_in("gone")));
        assert!(gone.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_earlier_codex_home_of_another_sign_in_or_none_is_never_taken() {
        let dir = std::env::temp_dir().join(format!("grove-codex-homes-{}", crate::store::nonce()));
        let store = ids(&["openai-codex:x.y"]);
        let mine = signed_in("mine");
        let old = legacy_home(&dir, "openai-codex_x_y", Some(&signed_in("other")));
        assert!(legacy_due(&dir, "openai-codex:x.y"));
        assert!(!adopt_legacy_home(&dir, "openai-codex:x.y", &store, &mine));
        assert!(old.join("auth.json").is_file() && !codex_home(&dir, "openai-codex:x.y").exists());
        // No auth.json at all: nobody can tell whose it was.
        std::fs::remove_file(old.join("auth.json")).unwrap();
        assert!(!adopt_legacy_home(&dir, "openai-codex:x.y", &store, &mine));
        // The same account (the CLI renewed the refresh token there), or the same refresh token.
        let renewed = Credential {
            refresh: Some("rt_renewed".into()),
            ..mine.clone()
        };
        write_auth_json(&old, &renewed).unwrap();
        assert!(adopt_legacy_home(&dir, "openai-codex:x.y", &store, &mine));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_removed_profile_takes_its_codex_homes_with_it() {
        let dir = std::env::temp_dir().join(format!("grove-codex-homes-{}", crate::store::nonce()));
        let ab = signed_in("ab");
        let home = codex_home(&dir, "openai-codex:a_b");
        write_auth_json(&home, &ab).unwrap();
        let old = legacy_home(&dir, "openai-codex_a_b", Some(&ab));
        // Another profile's id gives the old name, but the old folder holds a_b's token: it goes.
        remove_homes(
            &dir,
            "openai-codex:a_b",
            &ids(&["openai-codex:a.b"]),
            Some(&ab),
        );
        assert!(!home.exists() && !old.exists());
        // The old folder of another sign-in that another profile could own stays.
        let old = legacy_home(&dir, "openai-codex_a_b", Some(&signed_in("dot")));
        remove_homes(
            &dir,
            "openai-codex:a_b",
            &ids(&["openai-codex:a.b"]),
            Some(&ab),
        );
        assert!(old.exists());
        // No profile left could own it: it goes, whatever it holds; a link goes, not its target.
        let target = dir.join("elsewhere");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        std::os::unix::fs::symlink(&target, codex_home(&dir, "openai-codex:a_b")).unwrap();
        remove_homes(&dir, "openai-codex:a_b", &[], None);
        assert!(!old.exists());
        assert!(
            codex_home(&dir, "openai-codex:a_b")
                .symlink_metadata()
                .is_err()
        );
        assert!(target.join("keep").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
