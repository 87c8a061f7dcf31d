//! Fuzzes the sidecar's protocol input: `FrameReader` on arbitrary bytes arriving in arbitrary
//! pieces (it must end, never panic), and the checks every frame goes through (`inspect_frame`).
#![no_main]

use grove_fuzz::{Plan, block_on};
use grove_server::transport::{FrameError, FrameReader, inspect_frame};
use libfuzzer_sys::fuzz_target;
use tokio::io::BufReader;

fuzz_target!(|data: &[u8]| {
    inspect_frame(data);
    let (plan, input) = Plan::split(data);
    block_on(async {
        let mut frames =
            FrameReader::new(BufReader::with_capacity(plan.capacity, plan.reader(input)));
        // Every call that does not end in `Closed` consumes at least one byte.
        let calls = input.len() + 2;
        for _ in 0..calls {
            match frames.next().await {
                Ok(body) => inspect_frame(&body),
                Err(FrameError::Closed) => return,
                Err(_) => {}
            }
        }
        panic!(
            "FrameReader gave no Closed after {calls} calls on {} bytes",
            input.len()
        );
    });
});
