//! Test support for driving the built `grove-server` exactly as the editor does: a child process
//! speaking LSP-framed JSON-RPC over its stdin/stdout, with the real claude CLI installed by
//! `tests/tools.sh`, in temporary homes.

pub mod chat_api;
pub mod client;
pub mod env;
pub mod gemini_api;
pub mod github_api;
pub mod http_stub;
pub mod messages_api;
pub mod procs;
pub mod repo;
pub mod responses_api;
pub mod runs;

pub use client::{RpcError, Sidecar};
pub use env::{
    TestHome, claude_cli, codex_cli, gemini_cli, gh_cli, opencode_cli, server_bin, workspace_root,
};
