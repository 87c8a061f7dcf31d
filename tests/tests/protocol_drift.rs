//! The protocol is declared in `server/src/protocol.rs`, mirrored in the extension's
//! `protocol.ts` and documented in `docs/protocol.md`: this fails when the three disagree on a
//! method or a code, and when a name is paired with another method or code (two swapped codes).

use std::collections::{BTreeMap, BTreeSet};

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

/// The extension's protocol module.
fn typescript() -> String {
    [
        "extension/src/common/protocol.ts",
        "extension/src/protocol.ts",
    ]
    .iter()
    .find(|p| workspace_root().join(p).exists())
    .map(|p| read(p))
    .expect("the extension's protocol.ts")
}

/// Rust's `pub enum X {}` … `const METHOD: &'static str = "m";` as X → m.
fn rust_method_pairs(rs: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut name = None;
    for line in rs.lines().map(str::trim) {
        if let Some(rest) = line
            .strip_prefix("impl Request for ")
            .or(line.strip_prefix("impl Notification for "))
        {
            name = rest.split_whitespace().next().map(str::to_owned);
        }
        if let (Some(n), Some(m)) = (
            name.as_ref(),
            line.strip_prefix("const METHOD: &'static str = \""),
        ) {
            out.insert(n.clone(), m.trim_end_matches("\";").to_string());
            name = None;
        }
    }
    out
}

/// TypeScript's `export const X = new RequestType<…>('m')` (or `NotificationType`) as X → m.
fn typescript_method_pairs(ts: &str) -> BTreeMap<String, String> {
    ts.lines()
        .filter_map(|l| l.trim().strip_prefix("export const "))
        .filter_map(|l| {
            let (name, rest) = l.split_once(" = new ")?;
            let method = rest.split(['\'', '"']).nth(1)?;
            Some((name.to_string(), method.to_string()))
        })
        .collect()
}

/// Rust's `pub const CLI_NOT_FOUND: i64 = -32010;` as clinotfound → -32010 (names compared without
/// case or underscores: `NO_OAUTH_CREDENTIALS` is `NoOAuthCredentials`).
fn rust_code_pairs(rs: &str) -> BTreeMap<String, i64> {
    rs.lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split_once(": i64 = "))
        .map(|(name, v)| {
            (
                name.replace('_', "").to_lowercase(),
                v.trim_end_matches(';').parse().unwrap(),
            )
        })
        .collect()
}

/// TypeScript's `ErrorCodes` object: `  CliNotFound: -32010,` as clinotfound → -32010.
fn typescript_code_pairs(ts: &str) -> BTreeMap<String, i64> {
    let start = ts
        .find("export const ErrorCodes")
        .expect("ErrorCodes in protocol.ts");
    let body = &ts[start..start + ts[start..].find('}').unwrap()];
    body.lines()
        .filter_map(|l| l.trim().trim_end_matches(',').split_once(": "))
        .filter_map(|(k, v)| Some((k.trim().to_lowercase(), v.trim().parse().ok()?)))
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
    let ts = typescript();
    let md = read("docs/protocol.md");
    let methods = rust_methods(&rs);
    assert!(methods.contains("grove/auth/status"), "{methods:?}");
    assert_eq!(
        quoted_methods(&ts),
        methods,
        "extension/src/common/protocol.ts differs from protocol.rs"
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

#[test]
fn each_name_means_the_same_method_and_code_on_both_sides() {
    let rs = read("server/src/protocol.rs");
    let ts = typescript();
    let method_pairs = rust_method_pairs(&rs);
    assert_eq!(
        method_pairs.len(),
        rust_methods(&rs).len(),
        "every METHOD has a name"
    );
    assert_eq!(
        typescript_method_pairs(&ts),
        method_pairs,
        "a request or notification type names another method in protocol.ts than in protocol.rs"
    );
    let code_pairs = rust_code_pairs(&rs);
    assert!(code_pairs.contains_key("clinotfound"), "{code_pairs:?}");
    assert_eq!(
        typescript_code_pairs(&ts),
        code_pairs,
        "an error code is paired with another name in protocol.ts than in protocol.rs"
    );
}
