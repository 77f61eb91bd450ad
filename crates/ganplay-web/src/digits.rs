//! The bundled digits, fetched from `data/` on first use: compiled into the wasm they made every
//! visitor download 1.6 MB before the page showed anything.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared, try_join_all};
use ganplay_model::data::bundled;

use crate::weights_io::fetch_bytes;

type Loading = Shared<LocalBoxFuture<'static, Result<(), String>>>;

thread_local! {
    /// The download under way: callers that arrive while it runs (the page choosing an image
    /// model, then at once loading weights) wait for it instead of starting another.
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// Makes `bundled::mnist_train()` / `mnist_test()` callable; fetches and decodes the files once.
pub async fn ensure_loaded() -> Result<(), String> {
    if bundled::is_available() {
        return Ok(());
    }
    let loading = LOADING.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| fetch_and_decode().boxed_local().shared())
            .clone()
    });
    let result = loading.await;
    // Success is remembered by `bundled`; after a failure the next call tries again.
    LOADING.with(|l| l.borrow_mut().take());
    result
}

async fn fetch_and_decode() -> Result<(), String> {
    let fetches = bundled::FILE_NAMES.map(|name| async move {
        fetch_bytes(&format!("data/{name}")).await.map_err(|e| {
            format!("The bundled digits could not be loaded: {e}. Reload the page to try again.")
        })
    });
    let files = try_join_all(fetches).await?;
    bundled::provide([&files[0], &files[1], &files[2], &files[3]])
        .map_err(|e| format!("The bundled digits are broken: {e}."))
}
