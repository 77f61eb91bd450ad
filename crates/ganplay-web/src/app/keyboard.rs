//! Keyboard shortcuts: space starts or pauses training, `s` takes one step.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::KeyboardEvent;
use yew::Callback;

/// Listens on the whole document for the page's lifetime. Keys typed into a field, or pressed on
/// a focused button or list (where space already means "press"), are left alone.
pub fn listen(on_toggle: Callback<()>, on_step: Callback<()>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let handler = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || e.repeat() || aimed_at_a_control(&e) {
            return;
        }
        let action = match e.key().as_str() {
            " " => &on_toggle,
            "s" | "S" => &on_step,
            _ => return,
        };
        // Space would also scroll the page.
        e.prevent_default();
        action.emit(());
    });
    let _ = document.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
    // The page never stops listening.
    handler.forget();
}

fn aimed_at_a_control(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY" | "A"
            )
        })
}
