//! The protocol is declared in `server/src/protocol.rs`, mirrored in `extension/src/protocol.ts`
//! and documented in `docs/protocol.md`: this fails when the three disagree on a method or a code.

use std::collections::BTreeSet;

use grove_e2e::workspace_root;

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `grove/…` method name quoted in `text` (between `"`, `'` or backticks).
fn quoted_methods(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for q in ['"', '\'', '`'] {
        for (i, part) in text.split(q).enumerate() {
            let candidate = part.trim();
            // Method names are `grove/<feature>/<name>`.
            let parts: Vec<&str> = candidate.split('/').collect();
            if i % 2 == 1
                && parts.len() == 3
                && parts[0] == "grove"
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                out.insert(candidate.to_string());
            }
        }
    }
    out
}

fn rust_methods(rs: &str) -> BTreeSet<String> {
    rs.lines()
        .filter_map(|l| l.trim().strip_prefix("const METHOD: &'static str = \""))
        .map(|l| l.trim_end_matches("\";").to_string())
        .collect()
}

fn rust_codes(rs: &str) -> BTreeSet<i64> {
    rs.lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split_once(": i64 = "))
        .map(|(_, v)| v.trim_end_matches(';').parse().unwrap())
        .collect()
}

#[test]
fn rust_typescript_and_docs_declare_the_same_protocol() {
    let rs = read("server/src/protocol.rs");
    let ts = read("extension/src/protocol.ts");
    let md = read("docs/protocol.md");
    let methods = rust_methods(&rs);
    assert!(methods.contains("grove/auth/status"), "{methods:?}");
    assert_eq!(
        quoted_methods(&ts),
        methods,
        "extension/src/protocol.ts differs from protocol.rs"
    );
    assert_eq!(
        quoted_methods(&md),
        methods,
        "docs/protocol.md differs from protocol.rs"
    );
    let codes = rust_codes(&rs);
    assert!(codes.contains(&-32010));
    for code in codes {
        assert!(
            ts.contains(&code.to_string()),
            "error code {code} missing in protocol.ts"
        );
        assert!(
            md.contains(&code.to_string()),
            "error code {code} missing in docs/protocol.md"
        );
    }
}
