//! Fuzzes the agent output path: `read_lines` on arbitrary bytes arriving in arbitrary pieces
//! must give exactly the input's non-empty lines, and every line goes through `from_line` and
//! the fast path (`events::fast`), which must give the same events whenever it answers.
#![no_main]

use grove_fuzz::{Plan, block_on};
use grove_server::agents::events::{fast, from_line};
use grove_server::agents::lines::read_lines;
use grove_server::protocol::AgentEvent;
use libfuzzer_sys::fuzz_target;
use tokio::sync::mpsc;

/// The contract of `read_lines`: split at `\n`, trailing `\r`/`\n` removed, empty lines left
/// out, lossy UTF-8.
fn expected_lines(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == b'\n')
        .map(|l| {
            let end = l.iter().rposition(|b| *b != b'\r').map_or(0, |i| i + 1);
            String::from_utf8_lossy(&l[..end]).into_owned()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let (plan, input) = Plan::split(data);
    let is_stderr = plan.flag;
    let lines = block_on(async {
        // A short channel: `read_lines` waits on it, so the batches are received meanwhile.
        let (tx, mut rx) = mpsc::channel::<Vec<(bool, String)>>(1);
        let receive = async {
            let mut lines = Vec::new();
            while let Some(batch) = rx.recv().await {
                assert!(!batch.is_empty(), "an empty batch");
                for (stderr, line) in batch {
                    assert_eq!(stderr, is_stderr, "a line with the wrong stream");
                    lines.push(line);
                }
            }
            lines
        };
        let ((), lines) = tokio::join!(read_lines(plan.reader(input), is_stderr, tx), receive);
        lines
    });
    assert_eq!(lines, expected_lines(input));

    for line in &lines {
        let (_, events) = from_line(line);
        if let Some(fast) = fast(line) {
            let fast: Vec<AgentEvent> = fast
                .iter()
                .map(|e| {
                    serde_json::from_slice(e).unwrap_or_else(|err| {
                        panic!(
                            "the fast path wrote an event that does not read back ({err}): {}",
                            String::from_utf8_lossy(e)
                        )
                    })
                })
                .collect();
            assert_eq!(
                fast, events,
                "the fast path and from_line differ on {line:?}"
            );
        }
    }
});
