//! Tidy: every Rust file of the repository (server, tests, xtask, fuzz; build output left out)
//! starts with a `//!` line saying what it is for.

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
