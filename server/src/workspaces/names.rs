//! Workspace names: a safe single branch component (git's `check-ref-format` rules, no `/`, no
//! leading `-`, at most 64 characters, nothing invisible that could make it read as another
//! name), or a friendly generated two-word name.

const MAX_LEN: usize = 64;

/// Why `name` cannot be a workspace name, or `None` when it can.
pub fn invalid_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("is empty");
    }
    if name.chars().count() > MAX_LEN {
        return Some("is longer than 64 characters");
    }
    if name.starts_with('-') {
        return Some("starts with '-'");
    }
    if name.starts_with('.') || name.ends_with('.') {
        return Some("starts or ends with '.'");
    }
    if name.ends_with(".lock") {
        return Some("ends with '.lock'");
    }
    if name.contains("..") {
        return Some("contains '..'");
    }
    if name.contains("@{") || name == "@" {
        return Some("contains '@{' or is '@'");
    }
    if name.chars().any(invisible) {
        return Some("contains an invisible or direction-changing character");
    }
    if name
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "/\\~^:?*[".contains(c))
    {
        return Some("contains a space, '/', or one of \\ ~ ^ : ? * [");
    }
    None
}

/// Characters that change how the text around them is shown (bidirectional overrides, isolates
/// and marks, line and paragraph separators) or show as nothing (zero-width ones, the byte-order
/// mark, soft hyphen, tag characters).
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

const ADJECTIVES: &[&str] = &[
    "amber", "brave", "calm", "clever", "cosy", "crisp", "dapper", "eager", "fuzzy", "gentle",
    "glossy", "happy", "hardy", "jolly", "keen", "lively", "lucky", "mellow", "misty", "nimble",
    "plucky", "quiet", "rapid", "rustic", "sunny", "swift", "tidy", "vivid", "witty", "zesty",
];

const PLANTS: &[&str] = &[
    "acorn", "aloe", "aspen", "basil", "birch", "bramble", "cedar", "clover", "cypress", "daisy",
    "fern", "fig", "hazel", "heather", "ivy", "juniper", "laurel", "lavender", "maple", "mint",
    "moss", "nettle", "oak", "olive", "poppy", "rowan", "sage", "thyme", "tulip", "willow",
];

/// A friendly name that `taken` does not refuse; a number is added if every pair is taken.
pub fn generate(seed: u64, taken: impl Fn(&str) -> bool) -> String {
    let pairs = ADJECTIVES.len() * PLANTS.len();
    for n in 0usize.. {
        let k = (seed as usize).wrapping_add(n.wrapping_mul(7919)) % pairs;
        let base = format!(
            "{}-{}",
            ADJECTIVES[k / PLANTS.len()],
            PLANTS[k % PLANTS.len()]
        );
        let name = if n < pairs {
            base
        } else {
            format!("{base}-{}", n / pairs + 1)
        };
        if !taken(&name) {
            return name;
        }
    }
    unreachable!()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_git_or_a_shell_would_misread() {
        let long = "x".repeat(300);
        for bad in [
            "../evil",
            "a b",
            "x.lock",
            "-rf",
            &long,
            "feat/../../x",
            "x~1",
            "",
            ".hidden",
            "a..b",
            "a:b",
            "a\tb",
            "@",
            "x@{1}",
            "tail.",
            "evil\u{202E}gnp.exe",
            "a\u{2066}b",
            "zero\u{200B}width",
            "\u{FEFF}bom",
            "joiner\u{200D}",
            &"é".repeat(65),
        ] {
            assert!(invalid_reason(bad).is_some(), "{bad:?} should be refused");
        }
        for good in [
            "fix-login",
            "feature_1",
            "v2.0",
            "UPPER",
            "a",
            &"y".repeat(64),
            &"é".repeat(64),
            "café-zürich",
        ] {
            assert_eq!(invalid_reason(good), None, "{good:?}");
        }
    }

    #[test]
    fn line_separators_and_tag_characters_are_invisible() {
        for c in [
            '\u{2028}',
            '\u{2029}',
            '\u{E0000}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
        ] {
            assert!(invisible(c), "U+{:04X}", u32::from(c));
            assert!(
                invalid_reason(&format!("a{c}b")).is_some(),
                "U+{:04X}",
                u32::from(c)
            );
        }
        for c in [
            'a',
            'é',
            ' ',
            '\u{2027}',
            '\u{2030}',
            '\u{E0080}',
            '\u{DFFFF}',
        ] {
            assert!(!invisible(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn generated_names_are_valid_and_avoid_taken_ones() {
        let first = generate(42, |_| false);
        assert_eq!(invalid_reason(&first), None);
        let second = generate(42, |n| n == first);
        assert_ne!(first, second);
        let all_taken = generate(1, |n| !n.ends_with("-2"));
        assert!(all_taken.ends_with("-2"));
    }
}
