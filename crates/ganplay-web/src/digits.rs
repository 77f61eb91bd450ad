//! The bundled digits, fetched from `data/` on first use: compiled into the wasm they made every
//! visitor download 1.6 MB before the page showed anything. What trains or measures on them is
//! handed the decoded [`Digits`].

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared, try_join_all};
use ganplay_model::data::bundled::{self, Digits};

use crate::weights_io::fetch_bytes;

type Loading = Shared<LocalBoxFuture<'static, Result<Digits, String>>>;

thread_local! {
    /// The digits once decoded (this thread's: the page and the worker each fetch their own).
    static LOADED: RefCell<Option<Digits>> = const { RefCell::new(None) };
    /// The download under way: callers that arrive while it runs (the page choosing an image
    /// model, then at once loading weights) wait for it instead of starting another.
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// The bundled digits, fetched and decoded on the first call.
pub async fn load() -> Result<Digits, String> {
    if let Some(digits) = LOADED.with(|l| l.borrow().clone()) {
        return Ok(digits);
    }
    let loading = LOADING.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| fetch_and_decode().boxed_local().shared())
            .clone()
    });
    let result = loading.await;
    // After a failure the next call tries again.
    LOADING.with(|l| l.borrow_mut().take());
    if let Ok(digits) = &result {
        LOADED.with(|l| *l.borrow_mut() = Some(digits.clone()));
    }
    result
}

async fn fetch_and_decode() -> Result<Digits, String> {
    let fetches = bundled::FILE_NAMES.map(|name| async move {
        fetch_bytes(&format!("data/{name}")).await.map_err(|e| {
            format!("The bundled digits could not be loaded: {e}. Reload the page to try again.")
        })
    });
    let files = try_join_all(fetches).await?;
    Digits::decode([&files[0], &files[1], &files[2], &files[3]])
        .map_err(|e| e.to_string())
        .map_err(|e| format!("The bundled digits are broken: {e}."))
}
