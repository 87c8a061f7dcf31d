//! How feature modules tell the client something: a cloneable `Notifier` that frames notifications
//! and hands them, whole and in order, to a `Sink` the wiring gives it (`transport::Outbox` in the
//! sidecar, `Collector` in tests). No feature module holds a transport or tower-lsp's `Client`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tower_lsp_server::ls_types::notification::Notification;

/// Where framed notifications go. Frames handed to one sink arrive in the order handed.
pub trait Sink: Send + Sync + 'static {
    /// Takes whole frames (one or several, as `push_notification` makes them).
    fn send_frames(&self, frames: Vec<u8>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// A handle on the way to the client; clones share it.
#[derive(Clone)]
pub struct Notifier {
    sink: Arc<dyn Sink>,
}

impl Notifier {
    pub fn new(sink: impl Sink) -> Self {
        Self {
            sink: Arc::new(sink),
        }
    }

    /// Sends notification `N` with `params`.
    pub async fn notify<N: Notification>(&self, params: &N::Params) {
        match serde_json::to_vec(params) {
            Ok(json) => {
                let mut frames = Vec::new();
                push_notification(&mut frames, N::METHOD, &json);
                self.send_frames(frames).await;
            }
            Err(e) => tracing::error!("could not serialize a {} notification: {e}", N::METHOD),
        }
    }

    /// Sends frames already made with `push_notification` (a relayed batch, say) in one piece.
    pub async fn send_frames(&self, frames: Vec<u8>) {
        if !frames.is_empty() {
            self.sink.send_frames(frames).await;
        }
    }
}

/// Appends a notification frame with already serialized params to `out`.
pub fn push_notification(out: &mut Vec<u8>, method: &str, params: &[u8]) {
    const HEAD: &[u8] = br#"{"jsonrpc":"2.0","method":""#;
    const MID: &[u8] = br#"","params":"#;
    let len = HEAD.len() + method.len() + MID.len() + params.len() + 1;
    out.extend_from_slice(format!("Content-Length: {len}\r\n\r\n").as_bytes());
    out.extend_from_slice(HEAD);
    out.extend_from_slice(method.as_bytes());
    out.extend_from_slice(MID);
    out.extend_from_slice(params);
    out.push(b'}');
}

/// A sink that keeps what it is sent: for testing a feature without a transport.
#[derive(Clone, Default)]
pub struct Collector {
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Collector {
    /// A notifier that sends here, and this collector.
    pub fn notifier() -> (Notifier, Self) {
        let collector = Self::default();
        (Notifier::new(collector.clone()), collector)
    }

    /// Every notification sent so far, in order, as `(method, params)`.
    pub fn messages(&self) -> Vec<(String, serde_json::Value)> {
        let bytes = self.bytes.lock().unwrap().clone();
        let mut out = Vec::new();
        let mut rest = &bytes[..];
        while let Some(start) = rest.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&rest[..start]).unwrap_or_default();
            let len: usize = head
                .trim()
                .strip_prefix("Content-Length: ")
                .and_then(|n| n.parse().ok())
                .expect("a Content-Length header");
            let body = &rest[start + 4..start + 4 + len];
            let v: serde_json::Value = serde_json::from_slice(body).expect("a JSON frame");
            out.push((
                v["method"].as_str().unwrap_or_default().to_string(),
                v["params"].clone(),
            ));
            rest = &rest[start + 4 + len..];
        }
        out
    }
}

impl Sink for Collector {
    fn send_frames(&self, frames: Vec<u8>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.bytes.lock().unwrap().extend_from_slice(&frames);
        Box::pin(std::future::ready(()))
    }
}

/// A sink that drops everything: for a feature used from the command line, with no client.
pub struct Discard;

impl Sink for Discard {
    fn send_frames(&self, _: Vec<u8>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{AuthLoginComplete, LoginComplete};

    #[tokio::test]
    async fn notifications_are_framed_and_kept_in_order() {
        let (notifier, seen) = Collector::notifier();
        for n in 0..3 {
            notifier
                .notify::<AuthLoginComplete>(&LoginComplete {
                    login_id: format!("login-{n}"),
                    agent: None,
                    success: true,
                    error: None,
                })
                .await;
        }
        notifier.send_frames(Vec::new()).await;
        let got = seen.messages();
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].0, "grove/auth/loginComplete");
        assert_eq!(got[2].1["loginId"], "login-2");
    }
}
