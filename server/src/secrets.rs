//! Plugin secrets: `grove/secrets/*`, kept in the default agent CLI's own credential store under the
//! top-level key `pluginSecrets` only. Values are never logged; every other key is left as it is.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::agents::registry::default_credentials::{self as credentials, Store};
use crate::error::{Error, Result};

const NAMESPACE: &str = "pluginSecrets";

pub struct Secrets {
    store: std::sync::Arc<dyn Store>,
    lock: PathBuf,
}

fn invalid_key(key: &str) -> Option<Error> {
    let ok = !key.trim().is_empty() && key.len() <= 200 && !key.chars().any(char::is_control);
    (!ok).then(|| Error::invalid_params("A secret key is 1 to 200 printable characters."))
}

fn failed(e: std::io::Error) -> Error {
    tracing::warn!("the credential store could not be used: {e}");
    Error::StoreFailed(format!("The credential store could not be used: {e}"))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

impl Secrets {
    pub fn new(store: std::sync::Arc<dyn Store>, state_dir: PathBuf) -> Self {
        Self {
            store,
            lock: state_dir.join("credentials.lock"),
        }
    }

    async fn change<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Map<String, Value>) -> T + Send + 'static,
    ) -> Result<T> {
        let (store, lock) = (self.store.clone(), self.lock.clone());
        blocking(move || credentials::update(store.as_ref(), &lock, f))
            .await
            .map_err(failed)
    }

    async fn namespace(&self) -> Result<Map<String, Value>> {
        let store = self.store.clone();
        let doc = blocking(move || credentials::read_object(store.as_ref()))
            .await
            .map_err(failed)?;
        Ok(doc
            .get(NAMESPACE)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default())
    }

    pub async fn set(&self, key: String, value: String) -> Result<()> {
        if let Some(e) = invalid_key(&key) {
            return Err(e);
        }
        tracing::info!(%key, "storing a plugin secret");
        self.change(move |doc| {
            let ns = doc
                .entry(NAMESPACE)
                .or_insert_with(|| Value::Object(Map::new()));
            if !ns.is_object() {
                *ns = Value::Object(Map::new());
            }
            ns[&key] = Value::String(value);
        })
        .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>> {
        if let Some(e) = invalid_key(key) {
            return Err(e);
        }
        Ok(self
            .namespace()
            .await?
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned))
    }

    pub async fn delete(&self, key: String) -> Result<()> {
        if let Some(e) = invalid_key(&key) {
            return Err(e);
        }
        tracing::info!(%key, "deleting a plugin secret");
        self.change(move |doc| {
            let now_empty = match doc.get_mut(NAMESPACE).and_then(Value::as_object_mut) {
                Some(ns) => {
                    ns.remove(&key);
                    ns.is_empty()
                }
                None => false,
            };
            if now_empty {
                doc.remove(NAMESPACE);
            }
        })
        .await
    }

    pub async fn list(&self) -> Result<Vec<String>> {
        let mut keys: Vec<String> = self.namespace().await?.keys().cloned().collect();
        keys.sort();
        Ok(keys)
    }
}
