//! Tidy: every Rust file of the repository (server, tests, xtask, fuzz; build output left out)
//! starts with a `//!` line saying what it is for; no function of the sidecar is over 100 lines.

use std::path::{Path, PathBuf};

use grove_e2e::workspace_root;

/// The `.rs` files under `dir`, skipping build output and hidden folders.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name != "target" && name != "node_modules" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if kind.is_file() && name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_doc_comment() {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["server", "tests", "xtask", "fuzz"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 30,
        "found only {} Rust files under {}",
        files.len(),
        root.display()
    );
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.lines().next().is_some_and(|l| l.starts_with("//!"))
        })
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` line: {missing:?}"
    );
}

/// Functions of `text` (a Rust file, its `#[cfg(test)]` module left out) longer than `max`
/// lines, as `name (lines)`: a `fn` line, to the `}` at its own indentation.
fn long_functions(text: &str, max: usize) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .collect();
    let mut long = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let signature = body
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("async ")
            .trim_start_matches("const ");
        let Some(rest) = signature.strip_prefix("fn ") else {
            i += 1;
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        let end = (i..lines.len())
            .find(|&j| lines[j].trim_end() == close || (j == i && line.trim_end().ends_with(';')));
        let Some(end) = end else { break };
        if end + 1 - i > max {
            long.push(format!("{name} ({} lines)", end + 1 - i));
        }
        i = end + 1;
    }
    long
}

#[test]
fn no_function_of_the_sidecar_is_over_100_lines() {
    let root = workspace_root();
    let mut files = Vec::new();
    rust_files(&root.join("server/src"), &mut files);
    let long: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let name = f.strip_prefix(&root).unwrap_or(f).display().to_string();
            long_functions(&text, 100)
                .into_iter()
                .map(move |l| format!("{name}: {l}"))
        })
        .collect();
    assert!(long.is_empty(), "split these: {long:#?}");
    // The measure itself: a 101-line function is found, tests are not counted.
    let made = format!("fn big() {{\n{}}}\n", "    x();\n".repeat(99));
    assert_eq!(long_functions(&made, 100), ["big (101 lines)"]);
    assert!(long_functions(&format!("#[cfg(test)]\n{made}"), 100).is_empty());
}

/// `text` without its `#[cfg(test)]` module (the tests sit at the end of a file).
fn without_tests(text: &str) -> String {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Files of `src` compiled only for tests: declared `#[cfg(test)] mod name;` by their parent.
fn test_only_files(src: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let dir = match f.file_name().and_then(|n| n.to_str()) {
            Some("lib.rs" | "main.rs" | "mod.rs") => f.parent().unwrap_or(src).to_path_buf(),
            _ => f.with_extension(""),
        };
        let lines: Vec<&str> = text.lines().collect();
        for pair in lines.windows(2) {
            let declared = pair[1].trim().trim_start_matches("pub ");
            if pair[0].trim() == "#[cfg(test)]"
                && let Some(name) = declared
                    .strip_prefix("mod ")
                    .and_then(|r| r.strip_suffix(';'))
            {
                out.push(dir.join(format!("{name}.rs")));
            }
        }
    }
    out
}

/// The agent CLIs (each a folder of `server/src/agents/`, the tests' script agent left out) that
/// the sidecar's file `rel` (its tests left out) names, in code, strings or comments.
fn names_in(rel: &str, text: &str, clis: &[String]) -> Vec<String> {
    let code = without_tests(text).to_lowercase();
    clis.iter()
        .filter(|cli| !rel.starts_with(&format!("agents/{cli}/")) && code.contains(cli.as_str()))
        .cloned()
        .collect()
}

#[test]
fn no_agent_cli_is_named_outside_its_own_folder() {
    let root = workspace_root();
    let src = root.join("server/src");
    let mut clis: Vec<String> = std::fs::read_dir(src.join("agents"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("mod.rs").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "script")
        .collect();
    clis.sort();
    for cli in ["claude", "codex"] {
        assert!(
            clis.iter().any(|c| c == cli),
            "the adapters' folders: {clis:?}"
        );
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let tests_only = test_only_files(&src, &files);
    // The registry lists the adapters and the protocol declares their settings (`codexPath`).
    let allowed = ["agents/registry.rs", "protocol.rs"];
    let mut named: Vec<(String, String)> = Vec::new();
    for f in files.iter().filter(|f| !tests_only.contains(f)) {
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        if allowed.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for cli in names_in(&rel, &text, &clis) {
            named.push((cli, rel.clone()));
        }
    }
    // The default agent (Claude Code) may be named by one more file, for a default the registry
    // owns; no other CLI by any.
    let default_named = named.iter().filter(|(c, _)| c == "claude").count();
    let others: Vec<&(String, String)> = named.iter().filter(|(c, _)| c != "claude").collect();
    assert!(
        others.is_empty() && default_named <= 1,
        "agent CLIs named outside their adapter's folder: {named:#?}"
    );
    // The measure itself: a name in a string or a comment counts, in a test module it does not,
    // in its own folder it does not; a test-only file is found.
    let clis = ["codex".to_string()];
    assert_eq!(names_in("x.rs", "let a = \"Codex\";", &clis), ["codex"]);
    assert_eq!(names_in("x.rs", "// the codex CLI", &clis), ["codex"]);
    assert!(
        names_in(
            "x.rs",
            "fn a() {}\n#[cfg(test)]\nmod tests { codex }",
            &clis
        )
        .is_empty()
    );
    assert!(names_in("agents/codex/x.rs", "codex", &clis).is_empty());
    assert!(
        tests_only.iter().any(|f| f.ends_with("fixtures.rs")),
        "{tests_only:?}"
    );
}
