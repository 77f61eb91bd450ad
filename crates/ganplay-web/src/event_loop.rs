//! Where the training loop's asynchronous work runs: in the browser, the page's or the worker's
//! event loop; on the host, a queue of tasks that the unit tests drain. The runner only speaks
//! to this module, so the same loop is tested on the host and runs in the browser.

use burn::tensor::Tensor;
use ganplay_model::sample::readback::read_values;

#[cfg(target_arch = "wasm32")]
pub use crate::browser::{now_ms, yield_to_browser as yield_now};
#[cfg(target_arch = "wasm32")]
pub use wasm_bindgen_futures::spawn_local as spawn;

#[cfg(test)]
pub use host::run_until;
#[cfg(not(target_arch = "wasm32"))]
pub use host::{now_ms, spawn, yield_now};

/// Reads a tensor back without blocking (a synchronous read panics on WebGPU).
pub async fn read_back(t: Tensor<1>) -> Result<Vec<f32>, String> {
    read_values(t).await.map_err(|e| e.to_string())
}

/// A single-threaded task queue standing in for the browser's event loop.
#[cfg(not(target_arch = "wasm32"))]
mod host {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::Poll;
    use std::time::Instant;

    type Task = Pin<Box<dyn Future<Output = ()>>>;

    thread_local! {
        static TASKS: RefCell<VecDeque<Task>> = RefCell::default();
        static STARTED: Instant = Instant::now();
    }

    /// Milliseconds since this thread first asked.
    pub fn now_ms() -> f64 {
        STARTED.with(|start| start.elapsed().as_secs_f64() * 1000.0)
    }

    /// Queues a task; [`run_until`] runs it.
    pub fn spawn(task: impl Future<Output = ()> + 'static) {
        TASKS.with(|tasks| tasks.borrow_mut().push_back(Box::pin(task)));
    }

    /// Lets the other queued tasks run once before resuming, as a browser's event loop would.
    pub async fn yield_now() {
        let mut yielded = false;
        std::future::poll_fn(|_| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                Poll::Pending
            }
        })
        .await;
    }

    /// Polls the queued tasks in turn until `enough()` holds or none is left; returns whether
    /// every task finished. A task that waits is polled again on its next turn (the host's
    /// read-backs never wait for a device, so nothing needs waking).
    #[cfg(test)]
    pub fn run_until(mut enough: impl FnMut() -> bool) -> bool {
        use std::task::{Context, Waker};
        let mut context = Context::from_waker(Waker::noop());
        loop {
            if enough() {
                return TASKS.with(|tasks| tasks.borrow().is_empty());
            }
            // Popped before it is polled: a task may queue others.
            let Some(mut task) = TASKS.with(|tasks| tasks.borrow_mut().pop_front()) else {
                return true;
            };
            if task.as_mut().poll(&mut context).is_pending() {
                TASKS.with(|tasks| tasks.borrow_mut().push_back(task));
            }
        }
    }
}
