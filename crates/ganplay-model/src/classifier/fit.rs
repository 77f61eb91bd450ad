//! Training the classifier: Adam on cross-entropy over shuffled mini-batches, optionally with
//! classic augmentation. One step at a time, returning the loss lazily, so the CLI and the page
//! drive the loop and decide when to read back.

use std::sync::Arc;

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::pixels_tensor;
use crate::config::{OptimizerKind, OptimizerSettings};
use crate::data::augment::ClassicAugmentation;
use crate::data::images::ImageSet;
use crate::nets::classifier::{Classifier, ClassifierConfig};
use crate::train::optimizer::optimizer;

#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    pub batch_size: usize,
    pub learning_rate: f64,
    /// Seeds the initial weights, the shuffling and the augmentation.
    pub seed: u64,
    pub augmentation: Option<ClassicAugmentation>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            batch_size: 64,
            learning_rate: 1e-3,
            seed: 0,
            augmentation: None,
        }
    }
}

pub struct ClassifierTraining {
    net: Classifier,
    optimizer: ModuleOptimizer,
    options: FitOptions,
    data: Arc<ImageSet>,
    /// This epoch's shuffled order and how far through it the steps are.
    order: Vec<usize>,
    cursor: usize,
    rng: StdRng,
    device: Device,
    steps: u64,
}

impl ClassifierTraining {
    pub fn new(
        config: &ClassifierConfig,
        data: Arc<ImageSet>,
        options: FitOptions,
        device: &Device,
    ) -> Result<Self, String> {
        config.validate()?;
        if data.shape != config.image || data.classes() > config.classes {
            return Err(format!(
                "the data ({}x{}x{}, {} classes) does not fit the classifier ({}x{}x{}, {} classes)",
                data.shape.channels,
                data.shape.height,
                data.shape.width,
                data.classes(),
                config.image.channels,
                config.image.height,
                config.image.width,
                config.classes
            ));
        }
        if !(1..=4096).contains(&options.batch_size) {
            return Err(format!(
                "batch size {} is not in 1..=4096",
                options.batch_size
            ));
        }
        if !(options.learning_rate > 0.0 && options.learning_rate <= 1.0) {
            return Err(format!(
                "learning rate {} is not in (0, 1]",
                options.learning_rate
            ));
        }
        let device = device.clone().autodiff();
        let mut rng = StdRng::seed_from_u64(options.seed);
        let net = Classifier::new(config, &mut rng, &device);
        let settings = OptimizerSettings {
            beta_1: 0.9,
            ..OptimizerSettings::default()
        };
        Ok(ClassifierTraining {
            net,
            optimizer: optimizer(OptimizerKind::Adam, &settings),
            options,
            order: Vec::new(),
            cursor: 0,
            data,
            rng,
            device,
            steps: 0,
        })
    }

    /// One mini-batch update; returns its mean cross-entropy (lazily).
    pub fn step(&mut self) -> Tensor<1> {
        let indices = self.next_batch();
        let shape = self.data.shape;
        let mut pixels = Vec::with_capacity(indices.len() * shape.len());
        for &i in &indices {
            match &self.options.augmentation {
                Some(a) => a.apply(self.data.image(i), shape, &mut self.rng, &mut pixels),
                None => pixels.extend_from_slice(self.data.image(i)),
            }
        }
        let classes = self.net_classes();
        let mut one_hot = vec![0.0f32; indices.len() * classes];
        for (row, &i) in indices.iter().enumerate() {
            one_hot[row * classes + self.data.labels[i] as usize] = 1.0;
        }
        let targets = Tensor::from_data(
            TensorData::new(one_hot, [indices.len(), classes]),
            &self.device,
        );
        let logits = self
            .net
            .forward(pixels_tensor(&pixels, shape.len(), &self.device))
            .logits;
        let loss = -(log_softmax(logits, 1) * targets).sum_dim(1).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &self.net);
        self.net = self
            .optimizer
            .step(self.options.learning_rate, self.net.clone(), grads);
        self.steps += 1;
        loss.inner()
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn steps_per_epoch(&self) -> usize {
        self.data.len().div_ceil(self.options.batch_size)
    }

    /// The network as trained so far, for inference (no autodiff, dropout off).
    pub fn classifier(&self) -> Classifier {
        self.net.valid()
    }

    fn net_classes(&self) -> usize {
        self.net.classes()
    }

    fn next_batch(&mut self) -> Vec<usize> {
        if self.cursor >= self.order.len() {
            self.order = (0..self.data.len()).collect();
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
        }
        let end = (self.cursor + self.options.batch_size).min(self.order.len());
        let batch = self.order[self.cursor..end].to_vec();
        self.cursor = end;
        batch
    }
}
