//! Every image metric of one generated set against the real reference set, computed the same way
//! for the CLI's `eval` and the page's metrics panel (the protocol is in `docs/metrics.md`).

use serde::Serialize;

use super::class_histogram::ClassHistogram;
use super::features::{Features, MetricError};
use super::frechet::frechet_distance;
use super::inception_score::{DEFAULT_SPLITS, ScoreEstimate, inception_score};
use super::kid::{KidEstimate, KidOptions, kernel_inception_distance};
use super::precision_recall::{DEFAULT_K, precision_recall};
use crate::classifier::Embedding;

/// Generated samples scored by default.
pub const DEFAULT_SAMPLES: usize = 1000;

/// The knobs of the metrics, fixed so that numbers compare across runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricProtocol {
    pub kid: KidOptions,
    /// Neighbours for precision and recall.
    pub k: usize,
    pub score_splits: usize,
}

impl Default for MetricProtocol {
    /// KID over 50 subsets of 500, so subsets of ~1,000-image sets still differ.
    fn default() -> Self {
        MetricProtocol {
            kid: KidOptions {
                subsets: 50,
                subset_size: 500,
                seed: 0,
            },
            k: DEFAULT_K,
            score_splits: DEFAULT_SPLITS,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImageMetrics {
    /// Images in the scored and the reference set.
    pub samples: usize,
    pub reference: usize,
    /// Fréchet distance in the classifier's feature space (lower is better).
    pub frechet: f64,
    /// KID, mean ± sd over subsets (lower is better).
    pub kid: KidEstimate,
    pub precision: f64,
    pub recall: f64,
    /// Inception-style score from the classifier's softmax (higher is better, at most the
    /// number of classes).
    pub inception_score: ScoreEstimate,
    pub class_histogram: ClassHistogram,
}

impl ImageMetrics {
    /// `candidate` (generated images, or a real split for the floor) against `reference`.
    pub fn compare(
        reference: &Embedding,
        candidate: &Embedding,
        protocol: &MetricProtocol,
    ) -> Result<Self, MetricError> {
        let real = Features::of(reference)?;
        let generated = Features::of(candidate)?;
        let pr = precision_recall(&real, &generated, protocol.k)?;
        Ok(ImageMetrics {
            samples: candidate.len(),
            reference: reference.len(),
            frechet: frechet_distance(&real, &generated)?,
            kid: kernel_inception_distance(&real, &generated, protocol.kid)?,
            precision: pr.precision,
            recall: pr.recall,
            inception_score: inception_score(
                &candidate.probabilities,
                candidate.classes,
                protocol.score_splits,
            )?,
            class_histogram: ClassHistogram::from_probabilities(
                &candidate.probabilities,
                candidate.classes,
            ),
        })
    }
}
