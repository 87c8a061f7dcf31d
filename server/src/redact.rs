//! Masks secrets before text reaches a log line, an error message or a notification: anything
//! that looks like an Anthropic credential, and every secret value the client has sent this
//! process (plugin secrets, pasted sign-in codes). CLI output passes through here whenever Grove
//! repeats it, and so does every log line.

use std::sync::Mutex;

const PREFIX: &str = "sk-ant-";
/// What a remembered secret is replaced with.
pub const MASK: &str = "«secret»";
/// Secrets shorter than this are not searched for (they would mask ordinary words).
const MIN_REMEMBERED: usize = 4;
/// How many secret values are remembered (the latest ones).
const MAX_REMEMBERED: usize = 64;

static REMEMBERED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Remembers a secret value the client sent, so that `redact` masks it wherever it appears.
/// Kept in memory only.
pub fn remember(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < MIN_REMEMBERED {
        return;
    }
    let mut known = REMEMBERED.lock().unwrap();
    if !known.iter().any(|k| k == secret) {
        if known.len() == MAX_REMEMBERED {
            known.remove(0);
        }
        known.push(secret.to_string());
    }
}

/// `text` with every remembered secret replaced by `MASK` and every `sk-ant-…` token cut to its
/// kind (`sk-ant-oat01-…`), the secret part removed.
pub fn redact(text: &str) -> String {
    let known = REMEMBERED.lock().unwrap();
    if known.iter().any(|k| text.contains(k.as_str())) {
        let mut masked = text.to_string();
        for k in known.iter() {
            masked = masked.replace(k.as_str(), MASK);
        }
        drop(known);
        return redact_tokens(&masked);
    }
    drop(known);
    redact_tokens(text)
}

fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(PREFIX) {
        out.push_str(&rest[..i]);
        let token = &rest[i..];
        let end = token
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(token.len());
        // Keep `sk-ant-<kind>-` (e.g. `oat01`), which says what it was without what it is.
        let kind_end = token[PREFIX.len()..end]
            .find('-')
            .map_or(PREFIX.len(), |k| PREFIX.len() + k + 1);
        out.push_str(&token[..kind_end]);
        out.push('…');
        rest = &token[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_tokens_and_keeps_the_rest() {
        assert_eq!(
            redact("token sk-ant-oat01-AbC_d-9 expired"),
            "token sk-ant-oat01-… expired"
        );
        assert_eq!(redact("a sk-ant-xyz"), "a sk-ant-…");
        assert_eq!(redact("no secrets"), "no secrets");
        assert_eq!(
            redact("sk-ant-api03-x,sk-ant-ort01-y"),
            "sk-ant-api03-…,sk-ant-ort01-…"
        );
    }

    #[test]
    fn remembered_secrets_are_masked_everywhere() {
        remember("hunter2-plugin-value");
        remember("ab"); // too short to search for
        assert_eq!(
            redact("echo hunter2-plugin-value; ab"),
            format!("echo {MASK}; ab")
        );
    }
}
