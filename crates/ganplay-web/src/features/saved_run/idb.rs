//! A key-value store in the browser's IndexedDB (one database, one object store), with its
//! callback API turned into futures. IndexedDB rather than localStorage: a run's weights are
//! several megabytes of binary data, past localStorage's few-megabyte string quota.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::browser::js_error_text;

const DATABASE: &str = "ganplay";
const VERSION: u32 = 1;
const STORE: &str = "runs";

/// The value stored under `key`, or `None`.
pub async fn get(key: &str) -> Result<Option<JsValue>, String> {
    let (_, store) = store(IdbTransactionMode::Readonly).await?;
    let value = finished(&store.get(&key.into()).map_err(|e| js_error_text(&e))?).await?;
    Ok(Some(value).filter(|v| !v.is_undefined()))
}

/// Stores `value` under `key`; returns once the write is committed.
pub async fn put(key: &str, value: &JsValue) -> Result<(), String> {
    let (transaction, store) = store(IdbTransactionMode::Readwrite).await?;
    let committed = committed(&transaction);
    finished(
        &store
            .put_with_key(value, &key.into())
            .map_err(|e| js_error_text(&e))?,
    )
    .await?;
    committed.await
}

/// Removes `key`; returns once the removal is committed, so a reload right after it cannot
/// bring the value back.
pub async fn delete(key: &str) -> Result<(), String> {
    let (transaction, store) = store(IdbTransactionMode::Readwrite).await?;
    let committed = committed(&transaction);
    finished(&store.delete(&key.into()).map_err(|e| js_error_text(&e))?).await?;
    committed.await
}

async fn store(
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, web_sys::IdbObjectStore), String> {
    let database = open().await?;
    let transaction = database
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(|e| js_error_text(&e))?;
    let store = transaction
        .object_store(STORE)
        .map_err(|e| js_error_text(&e))?;
    Ok((transaction, store))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| js_error_text(&e))?
        .ok_or("this browser has no IndexedDB (private mode?)")?;
    let request = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|e| js_error_text(&e))?;
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

/// Resolves when `transaction` commits: a request's success alone does not mean its write
/// survives the page being closed. Call it before awaiting the transaction's requests, so the
/// handlers are in place before the commit.
fn committed(
    transaction: &IdbTransaction,
) -> impl std::future::Future<Output = Result<(), String>> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = transaction.clone();
        // An error that is not handled aborts the transaction, so abort alone covers both.
        let on_abort = Closure::once_into_js(move || {
            let message = failed
                .error()
                .map(|e| e.message())
                .unwrap_or_else(|| "the transaction was aborted".into());
            let _ = reject.call1(&JsValue::NULL, &message.into());
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onabort(Some(on_abort.unchecked_ref()));
    });
    let committed = JsFuture::from(promise);
    async move { committed.await.map(|_| ()).map_err(|e| js_error_text(&e)) }
}
