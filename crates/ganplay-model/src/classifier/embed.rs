//! Running the classifier over many images: predicted classes, accuracy, and penultimate-layer
//! features for the metrics. Read back asynchronously, so the page can call it too.

use burn::tensor::Device;
use burn::tensor::activation::softmax;

use super::argmax;
use super::pixels_tensor;
use crate::nets::classifier::Classifier;
use crate::sample::readback::{ReadBackError, read_values};

/// Images per forward pass: bounded memory, few read-backs.
const BATCH: usize = 500;

/// The classifier's view of an image set.
#[derive(Clone, Debug, PartialEq)]
pub struct Embedding {
    /// One row of `feature_dim` values per image.
    pub features: Vec<f32>,
    pub feature_dim: usize,
    /// One row of `classes` softmax probabilities per image.
    pub probabilities: Vec<f32>,
    pub classes: usize,
}

impl Embedding {
    /// Nothing yet; [`Self::append`] adds batches.
    pub fn empty() -> Self {
        Embedding {
            features: Vec::new(),
            feature_dim: 0,
            probabilities: Vec::new(),
            classes: 0,
        }
    }

    /// Adds another batch's rows (same classifier).
    pub fn append(&mut self, other: Embedding) {
        self.feature_dim = other.feature_dim;
        self.classes = other.classes;
        self.features.extend(other.features);
        self.probabilities.extend(other.probabilities);
    }

    pub fn len(&self) -> usize {
        self.probabilities.len() / self.classes.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn predicted(&self) -> Vec<usize> {
        self.probabilities
            .chunks_exact(self.classes)
            .map(argmax)
            .collect()
    }

    /// Largest probability of each image: how sure the classifier is.
    pub fn confidence(&self) -> Vec<f32> {
        self.probabilities
            .chunks_exact(self.classes)
            .map(|row| row[argmax(row)])
            .collect()
    }

    /// Share of images whose predicted class is their label.
    pub fn accuracy(&self, labels: &[u8]) -> f64 {
        let right = self
            .predicted()
            .iter()
            .zip(labels)
            .filter(|(p, l)| **p == **l as usize)
            .count();
        right as f64 / labels.len().max(1) as f64
    }
}

/// Features and class probabilities of images (`pixels`: image after image, `len` pixels each).
pub async fn embed(
    net: &Classifier,
    pixels: &[u8],
    len: usize,
    device: &Device,
) -> Result<Embedding, ReadBackError> {
    let mut embedding = Embedding::empty();
    for chunk in pixels.chunks(BATCH * len) {
        let out = net.forward(pixels_tensor(chunk, len, device));
        embedding.feature_dim = out.features.dims()[1];
        embedding.classes = out.logits.dims()[1];
        embedding.features.extend(read_values(out.features).await?);
        embedding
            .probabilities
            .extend(read_values(softmax(out.logits, 1)).await?);
    }
    Ok(embedding)
}
