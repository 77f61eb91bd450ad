//! Where real training examples come from: toy 2D distributions, image sets (IDX files, the
//! bundled digits) and drawn points, all behind [`RealData`].

pub mod augment;
pub mod bundled;
pub mod idx;
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
