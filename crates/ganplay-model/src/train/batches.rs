//! Real batches, class labels and noise for training steps. Everything is drawn on the host from
//! seeded generators, so a seed gives the same run on every backend.

use burn::tensor::{Device, Tensor, TensorData};
use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, Uniform};

use super::diff_augment::DiffAugment;
use crate::config::NoiseKind;
use crate::data::RealData;
use crate::data::augmented::augment_in_place;
use crate::data::classic_augmentation::ClassicAugmentation;
use crate::data::images::{ImageShape, Normalisation};

/// Draws what the steps train on, from the session's data and random generator.
pub(super) struct Batches {
    data: Box<dyn RealData>,
    rng: StdRng,
    /// Autodiff device the networks train on.
    device: Device,
    size: usize,
    /// Classes of conditional models (0 otherwise).
    classes: usize,
    /// Noise (GAN) or latent (VAE) values per sample.
    latent: usize,
    noise: NoiseKind,
    /// Reused host buffers.
    scratch: Vec<f32>,
    labels: Vec<usize>,
}

/// How a model's batches look.
pub(super) struct BatchShape {
    pub size: usize,
    pub classes: usize,
    pub latent: usize,
    pub noise: NoiseKind,
}

impl Batches {
    pub(super) fn new(
        data: Box<dyn RealData>,
        rng: StdRng,
        device: Device,
        shape: BatchShape,
    ) -> Self {
        let BatchShape {
            size,
            classes,
            latent,
            noise,
        } = shape;
        Batches {
            data,
            rng,
            device,
            size,
            classes,
            latent,
            noise,
            scratch: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// A real batch and, for conditional models, its one-hot labels.
    pub(super) fn real(&mut self) -> (Tensor<2>, Option<Tensor<2>>) {
        let n = self.size;
        self.scratch.clear();
        self.labels.clear();
        self.data
            .sample_labelled(n, &mut self.rng, &mut self.scratch, &mut self.labels);
        let values = std::mem::take(&mut self.scratch);
        let x = Tensor::from_data(TensorData::new(values, [n, self.data.dim()]), &self.device);
        let labels = std::mem::take(&mut self.labels);
        let one_hot = self.training_one_hot(&labels);
        self.labels = labels;
        (x, one_hot)
    }

    /// A real batch and a distorted copy of each of its images (the weak and the strong view of
    /// a consistency loss), images of `shape` normalised by `normalisation`.
    pub(super) fn real_and_distorted(
        &mut self,
        distortion: &ClassicAugmentation,
        shape: ImageShape,
        normalisation: Normalisation,
    ) -> (Tensor<2>, Tensor<2>) {
        let (n, dim) = (self.size, self.data.dim());
        let mut values = Vec::with_capacity(n * dim);
        self.data.sample_into(n, &mut self.rng, &mut values);
        let mut distorted = values.clone();
        augment_in_place(
            &mut distorted,
            shape,
            normalisation,
            distortion,
            &mut self.rng,
        );
        let tensor = |v: Vec<f32>| Tensor::from_data(TensorData::new(v, [n, dim]), &self.device);
        (tensor(values), tensor(distorted))
    }

    /// Random classes for generated batches of conditional models.
    pub(super) fn random_labels(&mut self) -> Option<Tensor<2>> {
        if self.classes == 0 {
            return None;
        }
        let labels: Vec<usize> = (0..self.size)
            .map(|_| self.rng.random_range(0..self.classes))
            .collect();
        self.training_one_hot(&labels)
    }

    /// Generator input noise.
    pub(super) fn noise(&mut self) -> Tensor<2> {
        let (n, dim) = (self.size, self.latent);
        let values = noise_values(self.noise, n * dim, &mut self.rng);
        Tensor::from_data(TensorData::new(values, [n, dim]), &self.device)
    }

    /// Standard normal values, one latent vector per example (the VAE's reparameterisation).
    pub(super) fn gaussian_latents(&mut self) -> Tensor<2> {
        self.gaussian([self.size, self.latent])
    }

    /// Standard normal values of any shape.
    pub(super) fn gaussian(&mut self, shape: [usize; 2]) -> Tensor<2> {
        let values = gaussian_values(shape[0] * shape[1], &mut self.rng);
        Tensor::from_data(TensorData::new(values, shape), &self.device)
    }

    /// A batch of `source`'s examples with one-hot labels over `classes` classes, whatever the
    /// session's own data is (a semi-supervised model's labelled images).
    pub(super) fn labelled(
        &mut self,
        source: &dyn RealData,
        classes: usize,
    ) -> (Tensor<2>, Tensor<2>) {
        let n = self.size;
        let mut values = Vec::with_capacity(n * source.dim());
        let mut labels = Vec::with_capacity(n);
        source.sample_labelled(n, &mut self.rng, &mut values, &mut labels);
        let x = Tensor::from_data(TensorData::new(values, [n, source.dim()]), &self.device);
        let plain = self.device.clone().inner();
        let one_hot = one_hot(Some(&labels), n, classes, &plain)
            .expect("at least one class")
            .to_device(&self.device);
        (x, one_hot)
    }

    /// `x` through DiffAugment, with this session's random generator.
    pub(super) fn diff_augment(&mut self, x: Tensor<2>, augment: &DiffAugment) -> Tensor<2> {
        augment.apply(x, &mut self.rng, &self.device)
    }

    fn training_one_hot(&self, labels: &[usize]) -> Option<Tensor<2>> {
        let plain = self.device.clone().inner();
        one_hot(Some(labels), labels.len(), self.classes, &plain).map(|t| t.to_device(&self.device))
    }
}

/// One-hot rows for conditional models (`None` when `classes` is 0). Without labels, rows cycle
/// through the classes.
pub(super) fn one_hot(
    labels: Option<&[usize]>,
    n: usize,
    classes: usize,
    device: &Device,
) -> Option<Tensor<2>> {
    if classes == 0 {
        return None;
    }
    let mut values = vec![0.0f32; n * classes];
    for i in 0..n {
        let class = labels
            .and_then(|l| l.get(i))
            .copied()
            .unwrap_or(i % classes)
            .min(classes - 1);
        values[i * classes + class] = 1.0;
    }
    Some(Tensor::from_data(
        TensorData::new(values, [n, classes]),
        device,
    ))
}

pub(super) fn noise_values(kind: NoiseKind, count: usize, rng: &mut StdRng) -> Vec<f32> {
    match kind {
        NoiseKind::Uniform => {
            let u = Uniform::new_inclusive(-1.0f32, 1.0).expect("valid bounds");
            (0..count).map(|_| u.sample(rng)).collect()
        }
        NoiseKind::Gaussian => gaussian_values(count, rng),
    }
}

fn gaussian_values(count: usize, rng: &mut StdRng) -> Vec<f32> {
    let n = Normal::new(0.0f32, 1.0).expect("valid parameters");
    (0..count).map(|_| n.sample(rng)).collect()
}
