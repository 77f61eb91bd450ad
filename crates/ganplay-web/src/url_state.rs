//! Shareable state in the page's URL (`?dataset=ring8&backend=cpu&loss=hinge`).

use web_sys::UrlSearchParams;

fn params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

pub fn get(key: &str) -> Option<String> {
    params()?.get(key)
}

/// Replaces `key`'s value in the address bar without reloading or adding history.
pub fn set(key: &str, value: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(p) = params() else { return };
    p.set(key, value);
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}?{}", String::from(p.to_string()));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
