//! Slow motion: one training step taken apart phase by phase (sample, score, update D, update
//! G), each update run on the model for real, with the network diagram lit where the step is.

mod rules;

pub use rules::{Part, Phase, Updated, active_parts};

#[cfg(target_arch = "wasm32")]
mod overview;
#[cfg(target_arch = "wasm32")]
mod stepping;

#[cfg(target_arch = "wasm32")]
pub use stepping::SlowMotion;
