//! The reference classifier in use: training it ([`fit`]), and running it over image sets
//! ([`embed`]) for labels, accuracy and the feature vectors the image metrics compare. Its
//! network is [`crate::nets::classifier`], its file [`crate::weights::classifier_file`].

pub mod bundled;
pub(crate) mod embed;
pub(crate) mod fit;

pub use embed::{Embedding, embed};
pub use fit::{ClassifierTraining, FitOptions};

use burn::tensor::{Device, Tensor, TensorData};

use crate::config::ConfigError;
use crate::data::images::ImageShape;
use crate::sample::readback::ReadBackError;

/// Why a classifier could not be trained or run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClassifierError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "the data ({data}, {data_classes} classes) does not fit the classifier ({net}, {net_classes} classes)"
    )]
    DataMismatch {
        data: ImageShape,
        data_classes: usize,
        net: ImageShape,
        net_classes: usize,
    },
    #[error("batch size {0} is not in 1..=4096")]
    BatchSize(usize),
    #[error("the unlabelled images must be non-empty and of the classifier's size")]
    UnlabelledPool,
    #[error(
        "self-training's ratio {ratio} (1..=64), threshold {threshold} (0..=1) or weight {weight} (0..=1000) is out of range"
    )]
    SelfTraining {
        ratio: usize,
        threshold: f32,
        weight: f32,
    },
    #[error("learning rate {0} is not in (0, 1]")]
    LearningRate(f64),
    #[error(transparent)]
    ReadBack(#[from] ReadBackError),
}

/// `n` images of `len` pixels (0..=255) as a `[n, len]` tensor in [0, 1], the classifier's input.
pub fn pixels_tensor(pixels: &[u8], len: usize, device: &Device) -> Tensor<2> {
    let values: Vec<f32> = pixels.iter().map(|p| *p as f32 / 255.0).collect();
    Tensor::from_data(TensorData::new(values, [pixels.len() / len, len]), device)
}

/// Index of the largest value (the first of equals; NaN never wins): the predicted class of a
/// row of logits or probabilities.
pub fn argmax(row: &[f32]) -> usize {
    row.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, v)| {
            if *v > best.1 { (i, *v) } else { best }
        })
        .0
}
