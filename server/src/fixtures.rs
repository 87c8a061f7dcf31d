//! Test support: the recorded output of the pinned agent CLIs in `tests/fixtures/` (the default
//! agent's, unless a folder is named).

/// A recorded file of the default agent CLI, whole.
pub fn read(name: &str) -> String {
    read_in("claude-code-2.1.329", name)
}

/// A recorded file of `folder` (`<cli>-<version>`), whole.
pub fn read_in(folder: &str, name: &str) -> String {
    let path = format!(
        "{}/../tests/fixtures/{folder}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A recorded file's lines.
pub fn lines(name: &str) -> Vec<String> {
    read(name).lines().map(str::to_owned).collect()
}
