//! A key-value store in the browser's IndexedDB (one database, one object store), with its
//! callback API turned into futures. IndexedDB rather than localStorage: a run's weights are
//! several megabytes of binary data, past localStorage's few-megabyte string quota.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::browser::js_error_text;

const DATABASE: &str = "ganplay";
const VERSION: u32 = 1;
const STORE: &str = "runs";

/// The value stored under `key`, or `None`.
pub async fn get(key: &str) -> Result<Option<JsValue>, String> {
    let store = store(IdbTransactionMode::Readonly).await?;
    let value = finished(&store.get(&key.into()).map_err(|e| js_error_text(&e))?).await?;
    Ok(Some(value).filter(|v| !v.is_undefined()))
}

pub async fn put(key: &str, value: &JsValue) -> Result<(), String> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    finished(&store.put_with_key(value, &key.into()).map_err(|e| js_error_text(&e))?).await?;
    Ok(())
}

pub async fn delete(key: &str) -> Result<(), String> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    finished(&store.delete(&key.into()).map_err(|e| js_error_text(&e))?).await?;
    Ok(())
}

async fn store(mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore, String> {
    let database = open().await?;
    let transaction = database
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(|e| js_error_text(&e))?;
    transaction.object_store(STORE).map_err(|e| js_error_text(&e))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| js_error_text(&e))?
        .ok_or("this browser has no IndexedDB (private mode?)")?;
    let request = factory.open_with_u32(DATABASE, VERSION).map_err(|e| js_error_text(&e))?;
    // The first open creates the store.
    let upgrading = request.clone();
    let create_store = Closure::once_into_js(move || {
        if let Ok(database) = upgrading.result() {
            let _ = database
                .unchecked_into::<IdbDatabase>()
                .create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(create_store.unchecked_ref()));
    Ok(finished(&request).await?.unchecked_into())
}

/// The request's result once it succeeds, or its error.
async fn finished(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let succeeded = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &succeeded.result().unwrap_or_default());
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let message = failed
                .error()
                .ok()
                .flatten()
                .map(|e| e.message())
                .unwrap_or_else(|| "the request failed".into());
            let _ = reject.call1(&JsValue::NULL, &message.into());
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| js_error_text(&e))
}
