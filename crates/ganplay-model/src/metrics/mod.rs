//! How good a generator is. Mode coverage and sample quality of 2D GANs are in [`modes`]; image
//! metrics (FID, KID, precision/recall) will sit next to it.

pub mod modes;

pub use modes::{METRIC_SAMPLES, ModeMetrics, mode_metrics, points_from_flat};
