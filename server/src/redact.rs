//! Masks secrets before text reaches a log line, an error message or a notification: anything
//! that looks like an Anthropic credential, and every secret value the client has sent this
//! process (plugin secrets, pasted sign-in codes). CLI output passes through here whenever Grove
//! repeats it, and so does every log line.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

const PREFIX: &str = "sk-ant-";
/// What a remembered secret is replaced with.
pub const MASK: &str = "«secret»";
/// Secrets shorter than this are not searched for (they would mask ordinary words).
const MIN_REMEMBERED: usize = 4;
/// The most bytes of secret values remembered: four times what the profile store can hold (4
/// MiB, every secret of which is remembered again at each read of it), so that every stored
/// secret stays masked however many profiles there are, with room for the tokens renewed, the
/// codes pasted and the plugin secrets sent meanwhile. Past it the values not remembered for
/// the longest are forgotten (never the latest).
const MAX_REMEMBERED_BYTES: usize = 16 << 20;

/// The remembered secrets: when each was last remembered, and each by its first bytes (longest
/// first), so that a text is searched once for all of them.
#[derive(Default)]
struct Known {
    seen: HashMap<Arc<str>, u64>,
    by_start: HashMap<[u8; MIN_REMEMBERED], Vec<Arc<str>>>,
    bytes: usize,
    clock: u64,
}

impl Known {
    fn start(secret: &str) -> [u8; MIN_REMEMBERED] {
        let mut key = [0; MIN_REMEMBERED];
        key.copy_from_slice(&secret.as_bytes()[..MIN_REMEMBERED]);
        key
    }

    fn insert(&mut self, secret: &str) {
        self.clock += 1;
        if let Some(when) = self.seen.get_mut(secret) {
            *when = self.clock;
            return;
        }
        let secret: Arc<str> = Arc::from(secret);
        let list = self.by_start.entry(Self::start(&secret)).or_default();
        let at = list.partition_point(|k| k.len() >= secret.len());
        list.insert(at, secret.clone());
        self.bytes += secret.len();
        self.seen.insert(secret, self.clock);
        if self.bytes > MAX_REMEMBERED_BYTES {
            self.forget_oldest();
        }
    }

    /// Forgets the values remembered longest ago until a quarter of the room is free again
    /// (the latest is always kept).
    fn forget_oldest(&mut self) {
        let mut by_age: Vec<(u64, Arc<str>)> =
            self.seen.iter().map(|(k, w)| (*w, k.clone())).collect();
        by_age.sort_unstable_by_key(|(w, _)| *w);
        by_age.pop();
        for (_, k) in by_age {
            if self.bytes <= MAX_REMEMBERED_BYTES / 4 * 3 {
                break;
            }
            self.seen.remove(&k);
            if let Some(list) = self.by_start.get_mut(&Self::start(&k)) {
                list.retain(|s| *s != k);
                if list.is_empty() {
                    self.by_start.remove(&Self::start(&k));
                }
            }
            self.bytes -= k.len();
        }
    }

    /// `text` with every remembered secret in it masked: left to right, the longest that starts
    /// at each place. A match starts and ends on character boundaries, as the secret is text.
    fn mask(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let (mut out, mut copied, mut i) = (None::<String>, 0, 0);
        while i + MIN_REMEMBERED <= bytes.len() {
            let key: [u8; MIN_REMEMBERED] =
                bytes[i..i + MIN_REMEMBERED].try_into().unwrap_or_default();
            let found = self
                .by_start
                .get(&key)
                .and_then(|list| list.iter().find(|k| bytes[i..].starts_with(k.as_bytes())));
            let Some(k) = found else {
                i += 1;
                continue;
            };
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            o.push_str(MASK);
            i += k.len();
            copied = i;
        }
        let mut o = out?;
        o.push_str(&text[copied..]);
        Some(o)
    }
}

static REMEMBERED: LazyLock<Mutex<Known>> = LazyLock::new(Mutex::default);

fn known() -> MutexGuard<'static, Known> {
    // A panic elsewhere while it was held leaves nothing half-done worth refusing redaction for.
    REMEMBERED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remembers a secret value the client sent (or the profile store holds), so that `redact`
/// masks it wherever it appears. Kept in memory only.
pub fn remember(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < MIN_REMEMBERED {
        return;
    }
    known().insert(secret);
}

/// `text` with every remembered secret replaced by `MASK` and every `sk-ant-…` token cut to its
/// kind (`sk-ant-oat01-…`), the secret part removed.
pub fn redact(text: &str) -> String {
    let masked = known().mask(text);
    redact_tokens(masked.as_deref().unwrap_or(text))
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

    /// Secrets with no recognizable prefix (as OpenAI's tokens are), unlike anything else.
    fn opaque(i: usize, kind: &str) -> String {
        format!("{kind}{i:04}Zq{}", "x9".repeat(20 + i % 7))
    }

    #[test]
    fn the_secrets_of_40_profiles_are_all_masked() {
        // Four secrets a profile (key, token, access, refresh), remembered on every store read.
        let all: Vec<String> = (0..40)
            .flat_map(|i| ["key", "tok", "acc", "ref"].map(|k| opaque(i, k)))
            .collect();
        for _read in 0..3 {
            for s in &all {
                remember(s);
            }
        }
        for s in &all {
            let line = format!("a log line with {s} in it");
            assert!(!redact(&line).contains(s.as_str()), "{s} shown");
        }
        // A secret inside a longer one: the longer is masked whole.
        remember("innerSECRETvalue");
        remember("outer-innerSECRETvalue-tail");
        assert_eq!(
            redact("x outer-innerSECRETvalue-tail y"),
            format!("x {MASK} y")
        );
    }

    #[test]
    fn memory_is_bounded_by_bytes_and_keeps_what_was_remembered_lately() {
        let mut k = Known::default();
        let big = |i: usize| format!("{i:08}{}", "s".repeat(1 << 20));
        k.insert("stored-token-touched-at-each-read");
        for i in 0..40 {
            k.insert(&big(i));
            k.insert("stored-token-touched-at-each-read");
        }
        assert!(k.bytes <= MAX_REMEMBERED_BYTES, "{}", k.bytes);
        assert_eq!(k.bytes, k.seen.keys().map(|s| s.len()).sum::<usize>());
        let entries: usize = k.by_start.values().map(Vec::len).sum();
        assert_eq!(entries, k.seen.len());
        assert!(k.mask("a stored-token-touched-at-each-read b").is_some());
        assert!(k.mask(&big(39)).is_some(), "the latest is kept");
        assert!(k.mask(&big(0)).is_none(), "the oldest went");
        // One secret over the whole room is still remembered.
        k.insert(&"h".repeat(MAX_REMEMBERED_BYTES + 1));
        assert_eq!(k.seen.len(), 1);
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
