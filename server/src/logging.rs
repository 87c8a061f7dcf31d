//! Logging to stderr (stdout is the protocol channel): the level from `GROVE_LOG` (`info` by
//! default), every line passed through `redact` at every level, and tower-lsp's own traces of raw
//! frames left out: the transport traces frames itself, with secret params and answers masked.

use std::io::Write;

use tracing::Level;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the logger for the process.
pub fn init() {
    let level = std::env::var("GROVE_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(Level::INFO);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(RedactedStderr)
        .with_ansi(false)
        .with_max_level(level)
        .with_target(false)
        .finish()
        .with(filter(level));
    let _ = subscriber.try_init();
}

/// Every target at `level`, but tower-lsp at debug at most (its traces print whole frames).
fn filter(level: Level) -> Targets {
    Targets::new().with_default(level).with_target(
        "tower_lsp_server",
        LevelFilter::from_level(level.min(Level::DEBUG)),
    )
}

/// Makes one `RedactedLine` per log event.
struct RedactedStderr;

impl<'a> MakeWriter<'a> for RedactedStderr {
    type Writer = RedactedLine;

    fn make_writer(&'a self) -> Self::Writer {
        RedactedLine(Vec::new())
    }
}

/// One formatted event, written to stderr redacted when it is dropped.
struct RedactedLine(Vec<u8>);

impl Write for RedactedLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for RedactedLine {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let line = crate::redact::redact(&String::from_utf8_lossy(&self.0));
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tower_lsp_never_traces() {
        let f = filter(Level::TRACE);
        assert!(f.would_enable("grove_server::transport", &Level::TRACE));
        assert!(!f.would_enable("tower_lsp_server::codec", &Level::TRACE));
        assert!(f.would_enable("tower_lsp_server::codec", &Level::DEBUG));
    }

    #[test]
    fn lines_are_redacted() {
        crate::redact::remember("pasted-code-in-a-log");
        let mut line = RedactedLine(Vec::new());
        line.write_all(b"x pasted-code-in-a-log sk-ant-oat01-abcdef\n")
            .unwrap();
        let text = crate::redact::redact(&String::from_utf8_lossy(&line.0));
        assert_eq!(text, "x «secret» sk-ant-oat01-…\n");
        line.0.clear();
    }
}
