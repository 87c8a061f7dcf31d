//! Masks anything that looks like an Anthropic credential before text reaches a log line, an error
//! message or a notification. CLI output passes through here whenever Grove repeats it.

const PREFIX: &str = "sk-ant-";

/// `text` with every `sk-ant-…` token cut to its kind (`sk-ant-oat01-…`), the secret part removed.
pub fn redact(text: &str) -> String {
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
    use super::redact;

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
}
