//! ganplay's page: pick data (toy 2D distributions or digits) and a model, train it live in the
//! browser, load and save weights.

// On the host only the unit tests use the page's rules (and the engine's re-exports are for
// the browser's modules); the wasm build checks both lints in full.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]

// The page's pure rules (each feature's among them), its engine (one model and its views, on
// any Burn device) and the training loop that drives it: they build on the host too, where
// `cargo test` runs their unit tests.
mod activity;
mod engine;
mod event_loop;
mod features;
mod knobs;
mod pacer;
mod protocol;
mod rate_meter;
mod runner;
mod state;
mod view_clock;
mod weight_sync;
mod worker_models;

// The page itself, which only builds for the browser (declared one by one, so that rustfmt
// and editors see each of them).
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod backend;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod digits;
#[cfg(target_arch = "wasm32")]
mod page_sink;
#[cfg(target_arch = "wasm32")]
mod plot;
#[cfg(target_arch = "wasm32")]
mod plot_bars;
#[cfg(target_arch = "wasm32")]
mod url_state;
#[cfg(target_arch = "wasm32")]
mod weights_io;
#[cfg(target_arch = "wasm32")]
mod worker;
#[cfg(target_arch = "wasm32")]
mod worker_link;

/// One module in two roles: the page, and in a dedicated worker (no window), the training
/// worker the page starts with this same module.
#[cfg(target_arch = "wasm32")]
fn main() {
    run_static_constructors();
    if web_sys::window().is_some() {
        yew::Renderer::<app::App>::new().render();
    } else {
        worker::start();
    }
}

/// On the host the crate exists for its unit tests; the page is built by Trunk for wasm32.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ganplay-web is the browser page: build it with `trunk build` (see the README).");
}

/// Runs the module's static constructors (CubeCL's IR registers its dialects through `inventory`)
/// once, at start-up.
///
/// A binary crate is linked as a wasm "command". If nothing in the module calls
/// `__wasm_call_ctors`, wasm-ld wraps *every* export in a shim that runs all constructors again
/// before each call from JavaScript: measured, that was ~75% of the page's CPU time. Calling it
/// here once makes the linker leave the exports alone (`tests/e2e/wasm_build.test.mjs` checks).
/// A library crate with a start function would do as well, but keeps the same linker rule less
/// visible; this keeps the one call where start-up happens.
#[cfg(target_arch = "wasm32")]
fn run_static_constructors() {
    unsafe extern "C" {
        fn __wasm_call_ctors();
    }
    // SAFETY: called once, before any other Rust code runs in the module; the constructors only
    // register statics.
    unsafe { __wasm_call_ctors() }
}
