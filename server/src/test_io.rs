//! Test support: a reader that hands out its bytes in pieces ending at given cut points, as a
//! pipe may, for the property tests of the frame reader and the stream-json line reader.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncRead;

/// Bytes handed out in pieces that end at the given cut points.
pub struct Chunked {
    data: Vec<u8>,
    cuts: Vec<usize>,
    pos: usize,
}

impl Chunked {
    pub fn new(data: Vec<u8>, cuts: Vec<usize>) -> Self {
        Self { data, cuts, pos: 0 }
    }
}

impl AsyncRead for Chunked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let pos = self.pos;
        let end = self
            .cuts
            .iter()
            .copied()
            .find(|c| *c > pos)
            .unwrap_or(self.data.len())
            .min(self.data.len());
        let n = (end - pos).min(buf.remaining());
        buf.put_slice(&self.data[pos..pos + n]);
        self.pos += n;
        Poll::Ready(Ok(()))
    }
}
