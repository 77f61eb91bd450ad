//! ganplay's model crate: everything the page and the native CLI share.
//!
//! No backend is chosen here: callers pass a Burn [`burn::tensor::Device`]. Nothing here reads
//! tensors back on its own or touches the file system, so it runs unchanged in the browser.

pub mod bench;
pub mod config;
pub mod data;
pub mod loss;
pub mod metrics;
pub mod mlp;
pub mod points_csv;
pub mod session;
pub mod toy;

pub use config::GanConfig;
pub use session::{StepLosses, TrainSession, divergence_message};
pub use toy::{ToyDataset, ToyKind};
