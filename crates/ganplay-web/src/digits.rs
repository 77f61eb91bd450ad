//! The bundled digits, fetched from `data/` on first use: compiled into the wasm they made every
//! visitor download 1.6 MB before the page showed anything.

use ganplay_model::data::bundled;

use crate::weights_io::fetch_bytes;

/// Makes `bundled::mnist_train()` / `mnist_test()` callable; fetches and decodes the files once.
pub async fn ensure_loaded() -> Result<(), String> {
    if bundled::is_available() {
        return Ok(());
    }
    let mut files = Vec::with_capacity(bundled::FILE_NAMES.len());
    for name in bundled::FILE_NAMES {
        let bytes = fetch_bytes(&format!("data/{name}")).await.map_err(|e| {
            format!("The bundled digits could not be loaded: {e}. Reload the page to try again.")
        })?;
        files.push(bytes);
    }
    bundled::provide([&files[0], &files[1], &files[2], &files[3]])
        .map_err(|e| format!("The bundled digits are broken: {e}."))
}
