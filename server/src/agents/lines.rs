//! The lines of a CLI's stdout or stderr as they come, in batches: what one pipe read brings in
//! (at most `MAX_BATCH` bytes), lossy UTF-8, without line ends. The stream-json relay reads here.

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::mpsc;

/// Lines move from the pipe to the relay in batches of at most this many bytes.
pub const MAX_BATCH: usize = 256 * 1024;

/// Lines of a pipe as they come: `(is_stderr, line)`.
pub type Batch = Vec<(bool, String)>;

/// Sends the lines of a pipe (lossy UTF-8, without newlines) in batches: every line already in
/// the buffer goes with the first, so a flood moves in large pieces and a trickle line by line.
pub async fn read_lines<R: AsyncRead + Unpin>(r: R, is_stderr: bool, tx: mpsc::Sender<Batch>) {
    let mut r = BufReader::with_capacity(256 * 1024, r);
    let mut buf = Vec::new();
    let mut batch: Batch = Vec::new();
    let mut bytes = 0;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).await.unwrap_or(0);
        if n > 0 {
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if !buf.is_empty() {
                bytes += buf.len();
                // Fast validation; the lossy decoder only for output that is not UTF-8.
                let line = match std::str::from_utf8(&buf) {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(&buf).into_owned(),
                };
                batch.push((is_stderr, line));
            }
        }
        // A batch is at most what one read brought in, and at most 256 KiB.
        let more_buffered = n > 0 && !r.buffer().is_empty() && bytes < MAX_BATCH;
        if !more_buffered && !batch.is_empty() {
            bytes = 0;
            if tx.send(std::mem::take(&mut batch)).await.is_err() {
                break;
            }
        }
        if n == 0 {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::registry::claude::events::{fast, from_line};
    use crate::protocol::AgentEvent;
    use crate::test_io::Chunked;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    /// The lines `read_lines` should give for `data`: split at `\n`, line ends removed, empty
    /// lines left out, lossy UTF-8.
    fn expected_lines(data: &[u8]) -> Vec<String> {
        data.split(|b| *b == b'\n')
            .map(|l| {
                let end = l.iter().rposition(|b| *b != b'\r').map_or(0, |i| i + 1);
                String::from_utf8_lossy(&l[..end]).into_owned()
            })
            .filter(|l| !l.is_empty())
            .collect()
    }

    async fn lines_of(data: Vec<u8>, cuts: Vec<usize>) -> Vec<String> {
        let (tx, mut rx) = mpsc::channel(4);
        let reader = tokio::spawn(read_lines(Chunked::new(data, cuts), false, tx));
        let mut out = Vec::new();
        while let Some(batch) = rx.recv().await {
            out.extend(batch.into_iter().map(|(stderr, line)| {
                assert!(!stderr);
                line
            }));
        }
        reader.await.unwrap();
        out
    }

    /// An assistant line as the CLI writes it, with any text.
    fn assistant_line(text: &str) -> String {
        serde_json::json!({
            "type": "assistant",
            "message": {"content": [
                {"type": "text", "text": text},
                {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": text}}
            ]}
        })
        .to_string()
    }

    #[test]
    fn property_stream_json_split_anywhere_loses_no_line_and_never_panics() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let junk = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200),
            proptest::collection::vec(
                prop_oneof![
                    Just(b'\n'),
                    Just(b'\r'),
                    Just(b'{'),
                    Just(b'"'),
                    any::<u8>()
                ],
                0..200
            ),
        ];
        let strategy = (
            junk,
            ".{0,40}",
            proptest::collection::vec(0usize..600, 0..10),
        );
        TestRunner::new(Config::with_cases(10_000))
            .run(&strategy, |(junk, text, cuts)| {
                let valid = assistant_line(&text);
                let mut data = junk.clone();
                data.push(b'\n');
                data.extend_from_slice(valid.as_bytes());
                data.extend_from_slice(b"\r\n");
                let got = rt.block_on(lines_of(data.clone(), cuts));
                prop_assert_eq!(&got, &expected_lines(&data));
                prop_assert_eq!(got.last(), Some(&valid), "the valid line after the junk");
                // Every line parses without a panic; the valid one into its two events, the
                // same on the fast path as on the general one.
                for line in &got {
                    let _ = from_line(line);
                    let _ = fast(line);
                }
                let (_, events) = from_line(&valid);
                prop_assert_eq!(events.len(), 2);
                let is_text = matches!(&events[0], AgentEvent::Text { text: t } if *t == text);
                prop_assert!(is_text);
                let fast: Vec<AgentEvent> = fast(&valid)
                    .unwrap()
                    .iter()
                    .map(|b| serde_json::from_slice(b).unwrap())
                    .collect();
                prop_assert_eq!(fast, events);
                Ok(())
            })
            .unwrap();
    }
}
