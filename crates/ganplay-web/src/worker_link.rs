//! The page's side of the training worker: starts `worker.js` with the page's own compiled wasm
//! module (no second download or compile), queues commands until the worker listens, and turns
//! its messages into the page's.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::browser::js_error_text;
use crate::protocol::{Command, Event, decode, encode};

/// The worker script, copied next to the page by Trunk.
const SCRIPT: &str = "worker.js";

/// A running worker; cloning shares it, and the last clone dropped ends it.
#[derive(Clone)]
pub struct WorkerLink {
    shared: Rc<Shared>,
}

impl PartialEq for WorkerLink {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

struct Shared {
    worker: Worker,
    ready: Cell<bool>,
    /// Commands sent before the worker listened.
    queue: RefCell<Vec<Command>>,
    /// Kept alive as long as the worker is.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl WorkerLink {
    /// Starts the worker. Its messages go to `on_event`; `on_lost` hears why it stopped, if it
    /// does (a crash, a script that cannot load).
    pub fn spawn(on_event: Callback<Event>, on_lost: Callback<String>) -> Result<Self, String> {
        let glue = glue_url().ok_or("the page's script was not found")?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(SCRIPT, &options).map_err(|e| js_error_text(&e))?;
        let shared = Rc::new_cyclic(|weak: &Weak<Shared>| {
            let weak = weak.clone();
            let lost = on_lost.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                match decode::<Event>(&Uint8Array::new(&event.data()).to_vec()) {
                    Ok(Event::Ready) => {
                        if let Some(shared) = weak.upgrade() {
                            shared.listening();
                        }
                    }
                    Ok(event) => on_event.emit(event),
                    Err(e) => lost.emit(e),
                }
            });
            let on_error =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                    let why = event
                        .dyn_ref::<ErrorEvent>()
                        .map(|e| e.message())
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "its script could not run".into());
                    on_lost.emit(why);
                });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            Shared {
                worker,
                ready: Cell::new(false),
                queue: RefCell::new(Vec::new()),
                _on_message: on_message,
                _on_error: on_error,
            }
        });
        let start = Object::new();
        let set = |key: &str, value: &JsValue| Reflect::set(&start, &key.into(), value);
        set("glue", &glue.into()).map_err(|e| js_error_text(&e))?;
        set("module", &wasm_bindgen::module()).map_err(|e| js_error_text(&e))?;
        shared
            .worker
            .post_message(&start)
            .map_err(|e| js_error_text(&e))?;
        Ok(WorkerLink { shared })
    }

    pub fn send(&self, command: Command) {
        if self.shared.ready.get() {
            self.shared.post(&command);
        } else {
            self.shared.queue.borrow_mut().push(command);
        }
    }
}

impl Shared {
    fn listening(&self) {
        self.ready.set(true);
        for command in self.queue.take() {
            self.post(&command);
        }
    }

    fn post(&self, command: &Command) {
        let bytes = Uint8Array::from(encode(command).as_slice());
        let transfer = js_sys::Array::of1(&bytes.buffer());
        if let Err(e) = self.worker.post_message_with_transfer(&bytes, &transfer) {
            web_sys::console::error_2(&"a command could not be sent to the worker".into(), &e);
        }
    }
}

/// The URL of the page's JavaScript glue, which the worker imports to start the same module:
/// Trunk names it in a `modulepreload` link.
fn glue_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let href = document
        .query_selector("link[rel=modulepreload]")
        .ok()??
        .get_attribute("href")?;
    let base = document.url().ok()?;
    web_sys::Url::new_with_base(&href, &base)
        .ok()
        .map(|u| u.href())
}
