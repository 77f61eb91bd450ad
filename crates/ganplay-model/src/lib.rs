//! ganplay's model crate: everything the page and the native CLI share.
//!
//! No backend is chosen here: callers pass a Burn [`burn::tensor::Device`]. Nothing here reads
//! tensors back synchronously on its own or touches the file system, so it runs unchanged in the
//! browser.
//!
//! - [`config`]: every knob of a model, serialisable (weight files carry it).
//! - [`data`]: real examples: toy 2D distributions, image sets, drawn points.
//! - [`nets`]: the networks models are built from.
//! - [`train`]: the training session shared by the page and the CLI.
//! - [`sample`]: which samples a grid shows, and how they are laid out.
//! - [`metrics`]: how good a generator is.
//! - [`classifier`]: the reference classifier the image metrics see through.
//! - [`augment_bench`]: does synthetic data help a classifier trained on few digits?
//! - [`export`]: labelled synthetic data sets.
//! - [`weights`]: the self-describing weight file.

pub mod augment_bench;
pub mod classifier;
pub mod config;
pub mod data;
pub mod export;
pub mod metrics;
pub mod nets;
pub mod sample;
pub mod train;
pub mod weights;

pub use config::image::{ImageModelConfig, ImageModelKind, ModelConfig, Scale};
pub use config::{GanConfig, StringId};
pub use data::images::{ImageSet, ImageShape, Normalisation};
pub use data::toy::{ToyDataset, ToyKind};
pub use train::{Losses, TrainSession, divergence_message};
