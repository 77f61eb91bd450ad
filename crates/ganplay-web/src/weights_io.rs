//! Bytes in and out of the page: bundled weight files (fetched on demand, so they cost nothing
//! until asked for), weight files the user picks, and downloads.

use ganplay_model::TrainSession;
use ganplay_model::weights::{Precision, Snapshot, TrainingFacts, WeightFile};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::browser::js_error_text;

/// Where the page serves a bundled weight file, by [`crate::state::PageState::bundled_weights`]'s name.
pub fn bundled_url(name: &str) -> String {
    format!("weights/{name}.safetensors")
}

pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    // The page fetches through its window, the training worker through its own scope.
    let global = js_sys::global();
    let request = match global.dyn_ref::<web_sys::Window>() {
        Some(window) => window.fetch_with_str(url),
        None => global
            .unchecked_ref::<web_sys::WorkerGlobalScope>()
            .fetch_with_str(url),
    };
    let response = JsFuture::from(request)
        .await
        .map_err(|e| format!("{url} could not be fetched: {}", js_error_text(&e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "fetch gave no response")?;
    if !response.ok() {
        return Err(format!(
            "{url} could not be fetched (HTTP {})",
            response.status()
        ));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| js_error_text(&e))?)
        .await
        .map_err(|e| js_error_text(&e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

pub async fn read_file(file: web_sys::File) -> Result<Vec<u8>, String> {
    let blob = gloo::file::Blob::from(file);
    gloo::file::futures::read_as_bytes(&blob)
        .await
        .map_err(|e| format!("the file could not be read: {e}"))
}

/// Parses a weight file, naming the file in any error.
pub fn parse(bytes: &[u8], name: &str) -> Result<WeightFile, String> {
    WeightFile::parse(bytes).map_err(|e| format!("{name} cannot be loaded: {e}."))
}

/// Takes the session's weights (f32) for [`download`], which reads them back asynchronously.
pub fn snapshot(session: &TrainSession, dataset: &str, backend: &str) -> (Snapshot, String) {
    let facts = TrainingFacts {
        steps: session.steps(),
        dataset: dataset.to_string(),
        trained_at: String::from(js_sys::Date::new_0().to_iso_string()),
        trained_by: format!("ganplay page ({backend})"),
    };
    let name = format!(
        "ganplay-{}-{}-step{}.safetensors",
        session.config().model_id(),
        dataset,
        session.steps()
    );
    (Snapshot::of(session, &facts), name)
}

/// Serialises a snapshot and offers it as a download named `name`.
pub async fn download(snapshot: Snapshot, name: String) -> Result<String, String> {
    let bytes = snapshot
        .to_bytes(Precision::F32)
        .await
        .map_err(|e| e.to_string())?;
    save_as(&bytes, &name)?;
    Ok(name)
}

pub fn save_as(bytes: &[u8], name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|e| js_error_text(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error_text(&e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error_text(&e))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
