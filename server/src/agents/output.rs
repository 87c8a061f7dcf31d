//! What an agent CLI prints, made readable: terminal escapes removed, the first link found (for
//! sign-in flows that print a URL to open).

/// The first `http(s)://` URL in a line.
pub fn first_url(line: &str) -> Option<String> {
    let start = line.find("https://").or_else(|| line.find("http://"))?;
    let url: String = line[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>' | ')'))
        .collect();
    Some(url.trim_end_matches(['.', ',']).to_string())
}

/// Removes terminal escape sequences (colours, cursor moves) from CLI output.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for n in chars.by_ref() {
                    if n.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_url() {
        let fixture = &crate::fixtures::read("auth-login-stdout.txt");
        let line = fixture.lines().find(|l| l.contains("visit:")).unwrap();
        let url = first_url(line).unwrap();
        assert!(url.starts_with("https://claude.com/cai/oauth/authorize?code=true"));
        assert!(url.ends_with("state=eBVoag822e4qzYuAEM3pD62kcIwYMdf98mEGIilhH-Q"));
        assert_eq!(
            first_url("see (http://x.test/a)."),
            Some("http://x.test/a".into())
        );
        assert_eq!(first_url("no link"), None);
    }

    #[test]
    fn ansi_sequences_are_removed() {
        assert_eq!(strip_ansi("\u{1b}[1mbold\u{1b}[0m text"), "bold text");
    }
}
