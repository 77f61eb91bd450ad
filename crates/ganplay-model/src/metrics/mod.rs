//! How good a generator is.
//!
//! - [`modes`]: mode coverage and sample quality of 2D GANs; [`divergence`]: KL and JS between
//!   a 2D data set's density and a generator's.
//! - Image metrics, on feature vectors of a reference classifier (see `docs/metrics.md`):
//!   [`frechet`] distance, [`kid`], [`precision_recall`], [`inception_score`] and the
//!   [`class_histogram`] of generated samples, and the classification accuracy score
//!   ([`cas`]).
//! - [`accuracy`]: how well a semi-supervised model classifies held-out images.
//! - [`nearest`]: the training images closest to a generated one (did the model memorise?).

pub(crate) mod accuracy;
pub mod cas;
pub(crate) mod class_histogram;
pub(crate) mod divergence;
pub(crate) mod features;
pub(crate) mod frechet;
pub(crate) mod image_report;
pub(crate) mod inception_score;
pub mod kid;
pub(crate) mod linalg;
pub(crate) mod modes;
pub mod nearest;
pub(crate) mod precision_recall;

pub use accuracy::{
    AccuracyError, PendingAccuracy, TestAccuracy, classify, queue_test_accuracy, test_accuracy,
};
pub use class_histogram::ClassHistogram;
pub use divergence::{DensityGrid, Divergence};
pub use features::{Features, MetricError, Moments};
pub use frechet::frechet_distance;
pub use image_report::{DEFAULT_SAMPLES, ImageMetrics, MetricProtocol};
pub use inception_score::{ScoreEstimate, inception_score};
pub use kid::{KidEstimate, KidOptions, kernel_inception_distance};
pub use modes::{METRIC_SAMPLES, ModeMetrics, dominant_mode, mode_metrics, points_from_flat};
pub use precision_recall::{DEFAULT_K, PrecisionRecall, precision_recall};
