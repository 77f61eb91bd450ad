//! The reference classifier in use: training it ([`fit`]), and running it over image sets
//! ([`embed`]) for labels, accuracy and the feature vectors the image metrics compare. Its
//! network is [`crate::nets::classifier`], its file [`crate::weights::classifier_file`].

pub mod bundled;
pub(crate) mod embed;
pub(crate) mod fit;

pub use embed::{Embedding, embed};
pub use fit::{ClassifierTraining, FitOptions};

use burn::tensor::{Device, Tensor, TensorData};

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
