//! The page's features, one folder each: what the feature keeps, its messages, how the app
//! handles them and its view. A feature's pure rules build on the host too, where their unit
//! tests run; the rest is the browser's.

pub mod side_by_side;
pub mod slow_motion;

#[cfg(target_arch = "wasm32")]
pub mod bench;
#[cfg(target_arch = "wasm32")]
pub mod few_labels;
#[cfg(target_arch = "wasm32")]
pub mod image_views;
#[cfg(target_arch = "wasm32")]
pub mod inspect;
#[cfg(target_arch = "wasm32")]
pub mod playground_2d;
#[cfg(target_arch = "wasm32")]
pub mod quality;
#[cfg(target_arch = "wasm32")]
pub mod saved_run;
#[cfg(target_arch = "wasm32")]
pub mod weights;
