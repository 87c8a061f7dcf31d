//! What the user types when adding a profile, checked before anything is stored: providers and
//! their types, names, pasted setup tokens and API keys, endpoint URLs; and `model@profile`.
//! A refusal says what was wrong with the input, never the input itself.

use crate::error::Error;
use crate::protocol::{ProfileKind, ProfileType};

/// The longest secret taken (a setup token is about 108 bytes, a ChatGPT token a few KiB): a
/// run gets it in its environment, which has room for little more.
pub const MAX_SECRET: usize = 16 * 1024;
/// The longest label, in characters.
pub const MAX_LABEL: usize = 200;
/// The longest endpoint URL.
pub const MAX_URL: usize = 2048;
/// The most ids `setOrder` takes.
pub const MAX_ORDER: usize = 100;

/// A refusal: -32602 with `data.reason`.
pub fn refused(reason: &str, message: impl Into<String>) -> Error {
    Error::InvalidParams {
        message: message.into(),
        data: Some(serde_json::json!({ "reason": reason })),
    }
}

/// Every kind of profile of every agent CLI: what the providers Grove knows take.
fn kinds() -> Vec<ProfileKind> {
    crate::agents::registry::adapters()
        .iter()
        .flat_map(|a| a.profile_kinds())
        .collect()
}

/// The kind of profile `provider` takes of type `kind`.
pub fn kind(provider: &str, kind: ProfileType) -> Option<ProfileKind> {
    kinds()
        .into_iter()
        .find(|k| k.provider == provider && k.kind == kind)
}

/// The URL an endpoint of `provider` has when none is given.
pub fn default_url(provider: &str) -> Option<String> {
    kinds()
        .into_iter()
        .find(|k| k.provider == provider && k.default_url.is_some())
        .and_then(|k| k.default_url)
}

/// The provider is one Grove knows (its list, never the input, in the refusal): the types it
/// takes.
pub fn check_provider(provider: &str) -> Result<Vec<ProfileType>, Error> {
    let all = kinds();
    let takes: Vec<ProfileType> = all
        .iter()
        .filter(|k| k.provider == provider)
        .map(|k| k.kind)
        .collect();
    if takes.is_empty() {
        let mut known: Vec<&str> = Vec::new();
        for k in &all {
            if !known.contains(&k.provider.as_str()) {
                known.push(&k.provider);
            }
        }
        return Err(refused(
            "unknownProvider",
            format!("Grove has no such provider; it knows {}.", known.join(", ")),
        ));
    }
    Ok(takes)
}

/// The provider is known and takes this type (the CLI's own sign-in is never added).
pub fn check_kind(provider: &str, kind: ProfileType) -> Result<(), Error> {
    let kinds = check_provider(provider)?;
    if matches!(kind, ProfileType::Cli | ProfileType::Unknown) || !kinds.contains(&kind) {
        return Err(refused(
            "badType",
            format!("A {provider} profile cannot be of this type."),
        ));
    }
    Ok(())
}

/// A profile name: 1 to 64 letters, digits, `.`, `_` or `-`, and a valid workspace name (not
/// `.` or `..`, no leading `.` or `-`, no `..`, not ending `.lock`).
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && crate::workspaces::names::invalid_reason(name).is_none();
    // The names of the agent CLIs' own sign-ins are theirs.
    let own: Vec<&str> = crate::agents::registry::adapters()
        .iter()
        .filter_map(|a| a.own_profile().split_once(':').map(|(_, n)| n))
        .collect();
    if ok && !own.contains(&name) {
        Ok(())
    } else {
        let quoted: Vec<String> = own.iter().map(|n| format!("\"{n}\"")).collect();
        let (last, rest) = quoted.split_last().map_or(("", &[][..]), |(l, r)| (l, r));
        let reserved = if rest.is_empty() {
            last.to_string()
        } else {
            format!("{} or {last}", rest.join(", "))
        };
        Err(refused(
            "badName",
            format!(
                "A profile name is 1 to 64 letters, digits, dots, dashes or underscores, starts with a letter, digit or underscore, has no \"..\" and is not {reserved}."
            ),
        ))
    }
}

/// A label, trimmed (`None` when blank): at most 200 characters, nothing invisible, no line break
/// or other control character, nothing that turns the text around it.
pub fn check_label(label: Option<&str>) -> Result<Option<String>, Error> {
    let Some(l) = label.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    if l.chars().count() > MAX_LABEL {
        return Err(refused(
            "badLabel",
            format!("A label is at most {MAX_LABEL} characters."),
        ));
    }
    if l.chars()
        .any(|c| c.is_control() || crate::workspaces::names::invisible(c))
    {
        return Err(refused(
            "badLabel",
            "A label cannot hold line breaks, control characters, or invisible or direction-changing characters.",
        ));
    }
    Ok(Some(l.to_string()))
}

/// A pasted secret longer than `MAX_SECRET` bytes is refused before anything else looks at it.
pub fn check_size(pasted: &str) -> Result<(), Error> {
    if pasted.len() > MAX_SECRET {
        return Err(refused(
            "tooLong",
            format!(
                "That is {} KiB; a secret is at most {} KiB. Copy the token or key alone.",
                pasted.len() / 1024,
                MAX_SECRET / 1024
            ),
        ));
    }
    Ok(())
}

/// A secret kept as it is (an endpoint's key, a stored token): at most `MAX_SECRET` bytes of
/// visible ASCII, no space, line break or NUL (it goes into a header and an environment).
pub fn check_opaque(what: &str, secret: &str) -> Result<(), Error> {
    check_size(secret)?;
    if secret.is_empty() || !secret.chars().all(|c| c.is_ascii_graphic()) {
        return Err(refused(
            "badSecret",
            format!(
                "{what} must be visible ASCII characters without spaces, line breaks or control characters. Copy it again, whole."
            ),
        ));
    }
    Ok(())
}

/// An expiry (milliseconds since the epoch) Grove keeps: one a date can say, up to the end of
/// the year 9999. Later ones come only from a hostile or broken file or token.
pub fn check_expires(ms: u64) -> Result<u64, Error> {
    if ms > crate::clock::LATEST_MS {
        return Err(refused(
            "badExpiry",
            "Its expiry is past the year 9999, which is not a date Grove can use.",
        ));
    }
    Ok(ms)
}

/// An endpoint's optional key, trimmed (`None` when blank).
pub fn endpoint_key(pasted: &str) -> Result<Option<String>, Error> {
    check_size(pasted)?;
    let k = pasted.trim();
    if k.is_empty() {
        return Ok(None);
    }
    check_opaque("The endpoint's key", k)?;
    Ok(Some(k.to_string()))
}

/// The ids of `setOrder`: at most `MAX_ORDER`, each once, each `<provider>:<name>` of this
/// provider with a valid name or one of the store's own ids (`exists`). Refusals never repeat an id
/// that is not well-formed.
pub fn check_order(
    provider: &str,
    ids: &[String],
    exists: impl Fn(&str) -> bool,
) -> Result<(), Error> {
    check_provider(provider)?;
    if ids.len() > MAX_ORDER {
        return Err(refused(
            "tooMany",
            format!("An order has at most {MAX_ORDER} profiles."),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        let well_formed = id.len() <= 200
            && id
                .split_once(':')
                .is_some_and(|(p, n)| p == provider && check_name(n).is_ok());
        if !well_formed && !exists(id) {
            return Err(refused(
                "badId",
                format!(
                    "Each id of the order is \"{provider}:<name>\" of a profile of {provider}."
                ),
            ));
        }
        if !seen.insert(id.as_str()) {
            return Err(refused(
                "duplicateId",
                format!("{id:?} is in the order twice."),
            ));
        }
    }
    Ok(())
}

/// Whitespace anywhere (a token copied across lines) removed.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A pasted secret (a token or an API key) for a profile of `provider`, cleaned; refused when
/// it is not one. The agent CLI that runs the provider's profiles checks its own kinds; anything
/// else must look like an API key.
pub fn secret(provider: &str, kind: ProfileType, pasted: &str) -> Result<String, Error> {
    check_size(pasted)?;
    let own = crate::agents::registry::for_provider(provider)
        .and_then(|a| a.take_secret(provider, kind, pasted));
    match own {
        Some(checked) => checked,
        None => api_key(pasted),
    }
}

/// Letters, digits, `-` and `_` only.
pub fn token_chars(t: &str) -> bool {
    t.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A pasted API key, cleaned; refused when it does not look like one.
fn api_key(pasted: &str) -> Result<String, Error> {
    let k = squeeze(pasted);
    if k.is_empty() {
        return Err(refused("missingSecret", "Paste the API key."));
    }
    if k.len() < 20 || !token_chars(&k) {
        return Err(refused(
            "notApiKey",
            "That does not look like an API key. Copy it again, whole.",
        ));
    }
    Ok(k)
}

/// An endpoint's base URL: http(s), a host, no credentials in it; the trailing `/` and a `/v1`
/// suffix are dropped (the CLI adds `/v1/messages` itself).
pub fn base_url(text: &str) -> Result<String, Error> {
    let bad = || {
        refused(
            "badUrl",
            "The endpoint must be an http:// or https:// URL such as http://localhost:11434, without a user name, password, query or fragment.",
        )
    };
    let t = text.trim();
    if t.len() > MAX_URL {
        return Err(bad());
    }
    let rest = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
        .ok_or_else(bad)?;
    let host = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    if host.is_empty()
        || host.contains('@')
        || t.contains(['?', '#'])
        || t.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    let parsed = reqwest::Url::parse(t).map_err(|_| bad())?;
    let plain = matches!(parsed.scheme(), "http" | "https")
        && parsed.username().is_empty()
        && parsed.password().is_none()
        && parsed.host_str().is_some_and(|h| !h.is_empty());
    if !plain {
        return Err(bad());
    }
    let mut url = t.trim_end_matches('/').to_string();
    if let Some(stripped) = url.strip_suffix("/v1") {
        url = stripped.to_string();
    }
    Ok(url)
}

/// `model@profile` split at the first `@` after the last `/`; a suffix that looks like a version
/// (`@20250514`, `@1.2.3`, `@v2`) belongs to the model.
pub fn split_model(model: &str) -> (String, Option<String>) {
    let start = model.rfind('/').map_or(0, |i| i + 1);
    let Some(at) = model[start..].find('@').map(|i| start + i) else {
        return (model.to_string(), None);
    };
    let (m, p) = (&model[..at], &model[at + 1..]);
    let version_like = {
        let v = p.strip_prefix(['v', 'V']).unwrap_or(p);
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
    };
    if p.is_empty() || m.is_empty() || version_like {
        (model.to_string(), None)
    } else {
        (m.to_string(), Some(p.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(e: Error) -> String {
        match e {
            Error::InvalidParams { data: Some(d), .. } => d["reason"].as_str().unwrap().into(),
            other => panic!("{other:?}"),
        }
    }

    fn token(pasted: &str) -> Result<String, Error> {
        secret("anthropic", ProfileType::Token, pasted)
    }

    const TOKEN: &str = "sk-ant-oat01-FAKEefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-abcdefghijklmnopqrstuvwxyzAA";

    #[test]
    fn setup_tokens_are_cleaned_or_refused_without_echoing_them() {
        let wrapped = format!("  {}\n{}\r\n", &TOKEN[..50], &TOKEN[50..]);
        assert_eq!(token(&wrapped).unwrap(), TOKEN);
        assert_eq!(reason(token("abc123#state456").unwrap_err()), "codeState");
        assert_eq!(
            reason(token("sk-ant-api03-abcdefghijklmnop").unwrap_err()),
            "wrongPrefix"
        );
        assert_eq!(reason(token(&TOKEN[..40]).unwrap_err()), "tooShort");
        assert_eq!(reason(token(" \n").unwrap_err()), "missingSecret");
        for bad in ["abc#def", &TOKEN[..40], "sk-ant-api03-FAKEzzzzzzzzzzzzzzzz"] {
            let Error::InvalidParams { message, .. } = token(bad).unwrap_err() else {
                panic!()
            };
            assert!(!message.contains(bad), "{message}");
        }
    }

    #[test]
    fn api_keys_must_look_like_one() {
        let key = "sk-ant-api03-FAKEefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(
            secret("anthropic", ProfileType::ApiKey, &format!(" {key}\n")).unwrap(),
            key
        );
        assert_eq!(
            reason(secret("anthropic", ProfileType::ApiKey, TOKEN).unwrap_err()),
            "notApiKey"
        );
        assert_eq!(
            reason(secret("anthropic", ProfileType::ApiKey, "hello").unwrap_err()),
            "notApiKey"
        );
    }

    #[test]
    fn endpoint_urls() {
        assert_eq!(
            base_url("http://localhost:11434/").unwrap(),
            "http://localhost:11434"
        );
        assert_eq!(
            base_url("https://gw.example/v1").unwrap(),
            "https://gw.example"
        );
        for bad in [
            "localhost:11434",
            "ftp://x",
            "http://",
            "http://u:p@h",
            "http://a b",
        ] {
            assert_eq!(reason(base_url(bad).unwrap_err()), "badUrl", "{bad}");
        }
    }

    #[test]
    fn model_at_profile() {
        let s = |m: &str| split_model(m);
        assert_eq!(
            s("opus@anthropic:work"),
            ("opus".into(), Some("anthropic:work".into()))
        );
        assert_eq!(s("opus"), ("opus".into(), None));
        assert_eq!(
            s("claude-3-opus@20240229"),
            ("claude-3-opus@20240229".into(), None)
        );
        assert_eq!(s("m@1.2.3"), ("m@1.2.3".into(), None));
        assert_eq!(s("m@v2"), ("m@v2".into(), None));
        assert_eq!(
            s("org@x/qwen3@ollama:local"),
            ("org@x/qwen3".into(), Some("ollama:local".into()))
        );
        assert_eq!(s("org@x/qwen3"), ("org@x/qwen3".into(), None));
        assert_eq!(s("a@b@c:d"), ("a".into(), Some("b@c:d".into())));
    }

    #[test]
    fn kinds_and_names() {
        assert!(check_kind("anthropic", ProfileType::Token).is_ok());
        assert_eq!(
            reason(check_kind("anthropic", ProfileType::Cli).unwrap_err()),
            "badType"
        );
        assert_eq!(
            reason(check_kind("ollama", ProfileType::Token).unwrap_err()),
            "badType"
        );
        assert_eq!(
            reason(check_kind("gemini", ProfileType::ApiKey).unwrap_err()),
            "unknownProvider"
        );
        assert!(check_name("work-2").is_ok());
        assert_eq!(reason(check_name("a b").unwrap_err()), "badName");
        assert_eq!(reason(check_name("claude-cli").unwrap_err()), "badName");
        for bad in [
            ".",
            "..",
            ".hidden",
            "a..b",
            "-x",
            "x.lock",
            "a\u{200B}b",
            &"n".repeat(65),
        ] {
            assert_eq!(reason(check_name(bad).unwrap_err()), "badName", "{bad:?}");
        }
        let Error::InvalidParams { message, .. } =
            check_kind(&"x".repeat(100_000), ProfileType::ApiKey).unwrap_err()
        else {
            panic!()
        };
        assert!(message.len() < 300, "the input is not repeated");
        assert_eq!(
            reason(check_kind("anthropic", ProfileType::Unknown).unwrap_err()),
            "badType"
        );
    }

    #[test]
    fn every_input_has_an_upper_bound_and_no_hidden_characters() {
        let huge = format!("sk-ant-oat01-{}", "A".repeat(MAX_SECRET));
        assert_eq!(reason(token(&huge).unwrap_err()), "tooLong");
        assert_eq!(
            reason(secret("anthropic", ProfileType::ApiKey, &huge).unwrap_err()),
            "tooLong"
        );
        assert_eq!(reason(endpoint_key(&huge).unwrap_err()), "tooLong");
        let Error::InvalidParams { message, .. } = token(&huge).unwrap_err() else {
            panic!()
        };
        assert!(!message.contains("AAAA"), "{message}");
        assert_eq!(
            reason(token(&format!("{TOKEN}\u{0}")).unwrap_err()),
            "badCharacters"
        );
        assert_eq!(endpoint_key(" k-1 ").unwrap(), Some("k-1".into()));
        assert_eq!(endpoint_key("").unwrap(), None);
        for bad in ["a\r\nb: c", "a b", "a\u{0}"] {
            assert_eq!(
                reason(endpoint_key(bad).unwrap_err()),
                "badSecret",
                "{bad:?}"
            );
        }
        assert_eq!(check_label(Some("  Work  ")).unwrap(), Some("Work".into()));
        assert_eq!(check_label(Some(" ")).unwrap(), None);
        assert_eq!(
            check_label(Some(&"é".repeat(MAX_LABEL)))
                .unwrap()
                .unwrap()
                .chars()
                .count(),
            MAX_LABEL
        );
        for bad in [
            "x".repeat(MAX_LABEL + 1),
            "invoice\u{202E}fdp.exe".into(),
            "zero\u{200B}width".into(),
            "two\nlines".into(),
        ] {
            assert_eq!(
                reason(check_label(Some(&bad)).unwrap_err()),
                "badLabel",
                "{bad:?}"
            );
        }
        let url = format!("http://h/{}", "p".repeat(MAX_URL));
        assert_eq!(reason(base_url(&url).unwrap_err()), "badUrl");
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://h/?q",
            "http://h/#f",
            "http://u@h",
        ] {
            assert_eq!(reason(base_url(bad).unwrap_err()), "badUrl", "{bad}");
        }
    }

    #[test]
    fn an_order_is_bounded_unique_and_well_formed() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let none = |_: &str| false;
        assert!(check_order("anthropic", &ids(&["anthropic:a", "anthropic:b"]), none).is_ok());
        for p in ["", "../../etc", "gemini"] {
            assert_eq!(
                reason(check_order(p, &[], none).unwrap_err()),
                "unknownProvider"
            );
        }
        let many: Vec<String> = (0..=MAX_ORDER).map(|i| format!("anthropic:p{i}")).collect();
        assert_eq!(
            reason(check_order("anthropic", &many, none).unwrap_err()),
            "tooMany"
        );
        let dup = ids(&["anthropic:a", "anthropic:a"]);
        assert_eq!(
            reason(check_order("anthropic", &dup, none).unwrap_err()),
            "duplicateId"
        );
        let long = vec![format!("anthropic:{}", "i".repeat(100_000))];
        let Error::InvalidParams { message, data } =
            check_order("anthropic", &long, none).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(data.unwrap()["reason"], "badId");
        assert!(message.len() < 300);
        // An odd id the store has may be ordered.
        let odd = ids(&["anthropic:-old"]);
        assert!(check_order("anthropic", &odd, |id| id == "anthropic:-old").is_ok());
    }
}
