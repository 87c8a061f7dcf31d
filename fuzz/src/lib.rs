//! What the fuzz targets share: one tokio runtime per process, and a reader that hands its bytes
//! out in pieces chosen by the input's first byte, as a pipe may.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};

/// Runs `f` to completion on the process's current-thread runtime (built once, not per input).
pub fn block_on<F: Future>(f: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a current-thread tokio runtime")
        })
        .block_on(f)
}

/// How the rest of an input is handed out, from its first byte (`0bFPCCCMMM`):
/// `MMM` the largest piece, `CCC` the capacity of the target's `BufReader`, `P` whether reads
/// sometimes return `Pending` first, `F` a flag for the target's own use.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Largest piece one read hands out; `usize::MAX`: as much as the caller has room for.
    pub max_piece: usize,
    /// For a `BufReader::with_capacity` in front of the reader, where a target wants one.
    pub capacity: usize,
    /// Whether reads sometimes wake their task and return `Pending` before handing out a piece.
    pub pending: bool,
    /// The first byte's high bit.
    pub flag: bool,
    seed: u32,
}

impl Plan {
    /// The plan chosen by `data`'s first byte, and the bytes after it (all of `data` if empty).
    pub fn split(data: &[u8]) -> (Plan, &[u8]) {
        let (ctl, rest) = data.split_first().map_or((0, data), |(c, r)| (*c, r));
        const PIECES: [usize; 8] = [usize::MAX, 1, 2, 3, 5, 8, 13, 64];
        const CAPACITIES: [usize; 8] = [1, 2, 3, 7, 16, 64, 256, 8192];
        let plan = Plan {
            max_piece: PIECES[usize::from(ctl & 7)],
            capacity: CAPACITIES[usize::from((ctl >> 3) & 7)],
            pending: ctl & 0x40 != 0,
            flag: ctl & 0x80 != 0,
            seed: u32::from(ctl).wrapping_mul(0x9e37_79b9) | 1,
        };
        (plan, rest)
    }

    /// A reader of `data` that follows this plan.
    pub fn reader(self, data: &[u8]) -> Chunked<'_> {
        Chunked {
            data,
            pos: 0,
            rng: self.seed,
            plan: self,
            pended: false,
        }
    }
}

/// Bytes handed out in pieces of pseudo-random sizes (deterministic for a given input).
pub struct Chunked<'a> {
    data: &'a [u8],
    pos: usize,
    rng: u32,
    plan: Plan,
    pended: bool,
}

impl Chunked<'_> {
    fn next_random(&mut self) -> u32 {
        // xorshift32: cheap, and the same pieces every time for the same input.
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng = x;
        x
    }
}

impl AsyncRead for Chunked<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let r = self.next_random();
        if self.plan.pending && !self.pended && r & 3 == 0 {
            self.pended = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.pended = false;
        let left = self.data.len() - self.pos;
        let piece = match self.plan.max_piece {
            usize::MAX => left,
            max => 1 + (r >> 2) as usize % max,
        };
        let n = piece.min(left).min(buf.remaining());
        let start = self.pos;
        buf.put_slice(&self.data[start..start + n]);
        self.pos += n;
        Poll::Ready(Ok(()))
    }
}
