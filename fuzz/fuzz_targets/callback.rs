//! Fuzzes the ChatGPT sign-in's callback listener: `read_callback` on arbitrary bytes arriving in
//! arbitrary pieces must end without a panic, read at most `MAX_HEAD` bytes, and accept (a code or
//! an error) only a request line carrying the sign-in's exact state once.
#![no_main]

use std::pin::Pin;
use std::task::{Context, Poll};

use grove_fuzz::{Plan, block_on};
use grove_server::codex_login::{Callback, MAX_HEAD, read_callback};
use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncRead, ReadBuf};

const STATE: &str = "fuzz-State_0123456789.abc";

/// A reader that counts the bytes it hands out.
struct Counted<R> {
    inner: R,
    read: usize,
}

impl<R: AsyncRead + Unpin> AsyncRead for Counted<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.read += buf.filled().len() - before;
        polled
    }
}

/// `%XX` decoded (anything else kept), as a callback's values are.
fn decode(value: &[u8]) -> Vec<u8> {
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
    let mut out = Vec::new();
    let mut i = 0;
    while i < value.len() {
        match (value[i], hex(value.get(i + 1)), hex(value.get(i + 2))) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    out
}

/// The decoded values of `state` in the query of `data`'s first line.
fn states(data: &[u8]) -> Vec<Vec<u8>> {
    let line = data.split(|b| *b == b'\n').next().unwrap_or_default();
    let target = line.split(|b| *b == b' ').nth(1).unwrap_or_default();
    let Some(q) = target.iter().position(|b| *b == b'?') else {
        return Vec::new();
    };
    target[q + 1..]
        .split(|b| *b == b'&')
        .filter_map(|kv| kv.strip_prefix(b"state="))
        .map(decode)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let (plan, input) = Plan::split(data);
    // The flag: a sign-in without a state, which nothing may ever match.
    let expected = if plan.flag { "" } else { STATE };
    let mut reader = Counted {
        inner: plan.reader(input),
        read: 0,
    };
    let got = block_on(read_callback(&mut reader, expected));
    assert!(reader.read <= MAX_HEAD, "read {} bytes", reader.read);
    if matches!(got, Callback::Code(_) | Callback::Failed(_)) {
        assert!(!expected.is_empty(), "accepted without a state: {got:?}");
        assert_eq!(states(input), vec![STATE.as_bytes().to_vec()], "{got:?}");
    }
    if let Callback::Failed(Some(code)) = &got {
        let token = code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        assert!(
            token && code.len() <= 64,
            "a provider code kept as is: {code:?}"
        );
    }
});
