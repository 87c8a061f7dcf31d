//! The `grove-server` binary: `--version`, `profiles status` (see `profiles::command`), or the
//! sidecar on stdio with logs on stderr.

use std::io::Write;

fn main() {
    if std::env::args().nth(1).as_deref() == Some(grove_server::process::REAPER_ARG) {
        grove_server::process::run_reaper();
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("--version") {
        // The only stdout output outside the protocol, and only before serving.
        let _ = writeln!(
            std::io::stdout(),
            "grove-server {}",
            env!("CARGO_PKG_VERSION")
        );
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("profiles") {
        std::process::exit(grove_server::profiles::command::main(&args[1..]));
    }
    grove_server::logging::init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(grove_server::serve());
    // Children are killed on drop; do not wait for blocking tasks (e.g. a stuck stdin read).
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
}
