//! ganplay's model crate: everything the page and the native CLI share.
//!
//! No backend is chosen here: callers pass a Burn [`burn::tensor::Device`]. Nothing here reads
//! tensors back synchronously on its own or touches the file system, so it runs unchanged in the
//! browser.

pub mod bench;
pub mod config;
pub mod data;
pub mod grid;
pub mod image_config;
pub mod images;
pub mod loss;
pub mod metrics;
pub mod nets;
pub mod points_csv;
pub mod sampling;
pub mod session;
pub mod toy;
pub mod weights;

pub use config::{GanConfig, StringId};
pub use image_config::{ImageModelConfig, ImageModelKind, ModelConfig, Scale};
pub use images::{ImageSet, ImageShape, Normalisation};
pub use session::{StepLosses, TrainSession, divergence_message};
pub use toy::{ToyDataset, ToyKind};
