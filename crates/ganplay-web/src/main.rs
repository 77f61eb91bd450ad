//! ganplay's page: pick data (toy 2D distributions or digits) and a model, train it live in the
//! browser, load and save weights.

mod app;
mod backend;
mod bench;
mod digits;
mod engine;
mod knobs;
mod pacer;
mod plot;
mod url_state;
mod weights_io;

fn main() {
    run_static_constructors();
    yew::Renderer::<app::App>::new().render();
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

#[cfg(not(target_arch = "wasm32"))]
fn run_static_constructors() {}
