//! `cargo xtask bench`: the sidecar's figures against baselines measured in the same run.
fn main() {}
