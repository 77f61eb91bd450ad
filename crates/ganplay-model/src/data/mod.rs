//! Where real training examples come from: toy 2D distributions, image sets (IDX files, the
//! bundled digits) and drawn points, all behind [`RealData`].

pub(crate) mod augmented;
pub mod bundled;
pub mod classic_augmentation;
pub(crate) mod idx;
pub use idx::IdxError;
pub mod images;
pub mod points_csv;
pub mod subset;
pub mod toy;

use rand::RngCore;

pub use images::{ImageData, ImageSet, ImageShape, Normalisation};
pub use toy::{ToyDataset, ToyKind};

/// A source of real examples: flat `f32` vectors of a fixed dimension.
pub trait RealData {
    /// Values per example (2 for toy points, 784 for a 28x28 image).
    fn dim(&self) -> usize;
    /// Appends `n` examples (`n * dim()` values, example after example) to `out`.
    fn sample_into(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>);
    /// Number of classes the examples are labelled with (0: unlabelled).
    fn classes(&self) -> usize {
        0
    }
    /// Like [`Self::sample_into`], also appending each example's class (0 when unlabelled).
    fn sample_labelled(
        &self,
        n: usize,
        rng: &mut dyn RngCore,
        out: &mut Vec<f32>,
        labels: &mut Vec<usize>,
    ) {
        self.sample_into(n, rng, out);
        labels.extend(std::iter::repeat_n(0, n));
    }
    /// `per_class` examples of each class, drawn from `seed`, as data of their own: the labelled
    /// part of a semi-supervised model's training set (which uses this whole set unlabelled).
    fn labelled_subset(&self, per_class: usize, seed: u64) -> Result<Box<dyn RealData>, String> {
        let _ = (per_class, seed);
        Err("these examples carry no class labels".into())
    }
}

/// Uniform noise in [-1, 1] of any dimension: a stand-in for image data when only speed matters.
#[derive(Clone, Debug)]
pub struct UniformData {
    pub dim: usize,
}

impl RealData for UniformData {
    fn dim(&self) -> usize {
        self.dim
    }
    fn sample_into(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>) {
        use rand::Rng;
        out.extend((0..n * self.dim).map(|_| rng.random_range(-1.0f32..=1.0)));
    }
}

/// Blank images of a model's shape and classes: the data of a session that only samples or
/// scores (a loaded weight file). Allocates nothing, whatever labelled subset a semi-supervised
/// model asks of it.
#[derive(Clone, Copy, Debug)]
pub struct StandIn {
    dim: usize,
    classes: usize,
}

impl StandIn {
    pub fn for_model(config: &crate::ImageModelConfig) -> Self {
        StandIn {
            dim: config.image.len(),
            classes: config.class_names.len(),
        }
    }
}

impl RealData for StandIn {
    fn dim(&self) -> usize {
        self.dim
    }

    fn classes(&self) -> usize {
        self.classes
    }

    fn sample_into(&self, n: usize, _: &mut dyn RngCore, out: &mut Vec<f32>) {
        out.extend(std::iter::repeat_n(0.0, n * self.dim));
    }

    fn labelled_subset(&self, _: usize, _: u64) -> Result<Box<dyn RealData>, String> {
        Ok(Box::new(*self))
    }
}
