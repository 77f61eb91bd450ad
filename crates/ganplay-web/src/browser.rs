//! Small browser helpers shared by the training loop and the benchmark, on the page and in the
//! training worker.

use wasm_bindgen::JsCast;

/// The page's or the worker's clock.
fn performance() -> Option<web_sys::Performance> {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into().ok())
}

/// Milliseconds since the page (or the worker) started.
pub fn now_ms() -> f64 {
    performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Adds a named mark to the browser's performance timeline (DevTools shows it; the page benchmark's
/// WebGPU diagnostic, `bench/gpu-stats.js`, counts the WebGPU work between a case's marks).
pub fn mark_timeline(name: &str) {
    if let Some(performance) = performance() {
        let _ = performance.mark(name);
    }
}

/// A JavaScript error or value as text for a message: its string, an `Error`'s message, or
/// its JSON.
pub fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .or_else(|| js_sys::JSON::stringify(e).ok().map(String::from))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Lets the browser handle input and paint, then resumes. A message to ourselves rather than
/// `setTimeout(0)`, which browsers clamp and throttle (270 ms per call in headless Chromium).
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            channel.port1().set_onmessage(Some(&resolve));
            if channel
                .port2()
                .post_message(&wasm_bindgen::JsValue::NULL)
                .is_ok()
            {
                return;
            }
        }
        let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
