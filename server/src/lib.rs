//! grove-server: Grove's sidecar. Wires the feature modules to JSON-RPC over stdio; see
//! `docs/architecture.md` for the map and `docs/protocol.md` for the wire.

pub mod auth;
pub mod backend;
pub mod cli;
pub mod paths;
pub mod protocol;
pub mod redact;
pub mod transport;

/// Serves the protocol on stdin/stdout until the client exits or closes the pipe.
pub async fn serve() {
    let (service, socket) = backend::service();
    transport::serve(service, socket, tokio::io::stdin(), tokio::io::stdout()).await;
}
