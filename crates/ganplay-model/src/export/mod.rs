//! Labelled synthetic data sets: samples of a generator with a class each (the class asked of a
//! conditional model, or the reference classifier's label for an unconditional one), optionally
//! filtered by that classifier, laid out as files ([`files`]) with a [`manifest`]. The CLI writes
//! them to a folder, the page into a zip.

pub(crate) mod files;
pub mod manifest;

use burn::tensor::Device;

use crate::classifier::embed;
use crate::nets::classifier::Classifier;
use crate::sample::SampleError;
use crate::sample::images::generate_images;
use crate::sample::readback::ReadBackError;
use crate::train::TrainSession;

pub use files::{ExportFormat, ExportedFile, export_files};
pub use manifest::Manifest;

/// Drops samples the classifier doubts: its top probability below `min_confidence`, or (for
/// conditional models) a class other than the one asked for.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QualityFilter {
    pub min_confidence: f32,
}

/// Kept samples and what was thrown away on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledSamples {
    /// Image after image, 0..=255.
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
    pub generated: usize,
    pub dropped_low_confidence: usize,
    pub dropped_wrong_class: usize,
}

impl LabelledSamples {
    pub fn counts_per_class(&self, classes: usize) -> Vec<usize> {
        let mut counts = vec![0; classes];
        for l in &self.labels {
            counts[*l as usize] += 1;
        }
        counts
    }
}

/// Why labelled samples could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExportError {
    #[error("only image models can be exported")]
    NotAnImageModel,
    #[error("nothing to export: the count is 0")]
    NoSamples,
    #[error("the classifier knows {classifier} classes, the model {model}")]
    Classes { classifier: usize, model: usize },
    #[error(
        "the quality filter kept only {kept} of the {count} samples asked for after generating {generated}: lower the minimum confidence"
    )]
    FilterTooStrict {
        kept: usize,
        count: usize,
        generated: usize,
    },
    #[error(transparent)]
    Sample(#[from] SampleError),
    #[error(transparent)]
    ReadBack(#[from] ReadBackError),
}

/// Attempts, in multiples of the count, before a filter that rejects too much gives up.
const MAX_ATTEMPTS_FACTOR: usize = 20;

/// `count` labelled samples. Conditional models get the same number of each class (the first
/// classes one more where it does not divide).
#[allow(
    clippy::needless_range_loop,
    reason = "`wanted[slot]` is read and changed inside the loop, across awaits"
)]
pub async fn labelled_samples(
    session: &TrainSession,
    classifier: &Classifier,
    device: &Device,
    count: usize,
    seed: u64,
    filter: Option<QualityFilter>,
) -> Result<LabelledSamples, ExportError> {
    let image = session
        .config()
        .image()
        .ok_or(ExportError::NotAnImageModel)?
        .image;
    if count == 0 {
        return Err(ExportError::NoSamples);
    }
    let classes = session.classes();
    if classifier.classes() < classes.max(1) {
        return Err(ExportError::Classes {
            classifier: classifier.classes(),
            model: classes,
        });
    }
    // What is still wanted: per class for conditional models, in total otherwise.
    let mut wanted: Vec<usize> = if classes > 0 {
        (0..classes)
            .map(|c| count / classes + usize::from(c < count % classes))
            .collect()
    } else {
        vec![count]
    };
    let mut out = LabelledSamples {
        pixels: Vec::new(),
        labels: Vec::new(),
        generated: 0,
        dropped_low_confidence: 0,
        dropped_wrong_class: 0,
    };
    for round in 0u64.. {
        if wanted.iter().all(|w| *w == 0) {
            break;
        }
        if out.generated >= MAX_ATTEMPTS_FACTOR * count {
            return Err(ExportError::FilterTooStrict {
                kept: out.labels.len(),
                count,
                generated: out.generated,
            });
        }
        for slot in 0..wanted.len() {
            let need = wanted[slot];
            if need == 0 {
                continue;
            }
            // After the first round, ask for more than needed: the filter will drop some.
            let ask = if round == 0 { need } else { (2 * need).max(16) };
            let class = (classes > 0).then_some(slot);
            let round_seed = seed
                .wrapping_add(round.wrapping_mul(1_000_003))
                .wrapping_add(slot as u64 * 7919);
            let batch = generate_images(session, ask, class, round_seed).await?;
            let seen = embed(classifier, &batch.pixels, image.len(), device).await?;
            out.generated += ask;
            for ((pixels, predicted), confidence) in batch
                .pixels
                .chunks_exact(image.len())
                .zip(seen.predicted())
                .zip(seen.confidence())
            {
                if let Some(f) = filter {
                    if confidence < f.min_confidence {
                        out.dropped_low_confidence += 1;
                        continue;
                    }
                    if class.is_some_and(|c| c != predicted) {
                        out.dropped_wrong_class += 1;
                        continue;
                    }
                }
                if wanted[slot] == 0 {
                    break;
                }
                wanted[slot] -= 1;
                out.pixels.extend_from_slice(pixels);
                out.labels.push(class.unwrap_or(predicted) as u8);
            }
        }
    }
    Ok(out)
}
