//! Test support: the recorded output of the pinned claude CLI in `tests/fixtures/`.

/// A recorded file, whole.
pub fn read(name: &str) -> String {
    let path = format!(
        "{}/../tests/fixtures/claude-code-2.1.329/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A recorded file's lines.
pub fn lines(name: &str) -> Vec<String> {
    read(name).lines().map(str::to_owned).collect()
}
