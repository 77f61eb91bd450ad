//! Side by side (2D): run B is run A with one choice knob set to another value, trained in
//! lockstep by the same loop and drawn next to it.

mod rules;

pub use rules::Comparison;

#[cfg(target_arch = "wasm32")]
mod panel;
#[cfg(target_arch = "wasm32")]
mod run_b;

#[cfg(target_arch = "wasm32")]
pub use run_b::{SideBySide, SideBySideMsg};
