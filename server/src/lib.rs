//! grove-server: Grove's sidecar. Wires the feature modules to JSON-RPC over stdio; see
//! `docs/architecture.md` for the map and `docs/protocol.md` for the wire.

pub mod agents;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod error;
#[cfg(test)]
mod fixtures;
pub mod landing;
pub mod logging;
pub mod notifier;
pub mod paths;
pub mod process;
pub mod profiles;
pub mod protocol;
pub mod redact;
pub mod secrets;
pub mod store;
#[cfg(test)]
mod test_io;
pub mod transport;
pub mod workspaces;

/// Serves the protocol on stdin/stdout until the client exits, closes the pipe, or the process is
/// asked to stop (SIGTERM, SIGINT); then no process Grove started is left running.
pub async fn serve() {
    tokio::task::spawn_blocking(sweep_temporaries);
    let (outbox, queue) = transport::Outbox::new();
    let notifier = notifier::Notifier::new(outbox.clone());
    let (service, socket) = backend::service(notifier, store::state_dir());
    let stdio = transport::serve(
        service,
        socket,
        tokio::io::stdin(),
        tokio::io::stdout(),
        (outbox, queue),
    );
    tokio::select! {
        () = stdio => {}
        () = stop_signal() => tracing::info!("asked to stop"),
    }
    process::kill_all();
}

/// Temporary copies left by a process killed mid-write (the CLI's credentials, Grove's own
/// files) go at every start: they may hold tokens.
fn sweep_temporaries() {
    let state = store::state_dir();
    let mut dirs = vec![state.clone(), state.join("runs")];
    dirs.extend(
        agents::registry::adapters()
            .iter()
            .flat_map(|a| a.credential_dirs()),
    );
    for dir in dirs {
        store::sweep_temporaries(&dir);
    }
}

async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => std::future::pending().await,
    }
}
