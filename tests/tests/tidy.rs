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
