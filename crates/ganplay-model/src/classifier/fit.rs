//! Training the classifier: Adam on cross-entropy over shuffled mini-batches, optionally with
//! classic augmentation and self-training on unlabelled images. One step at a time, returning the loss lazily, so the CLI and the page
//! drive the loop and decide when to read back.

use std::sync::Arc;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::{ClassifierError, pixels_tensor};
use crate::config::{OptimizerKind, OptimizerSettings};
use crate::data::classic_augmentation::ClassicAugmentation;
use crate::data::images::ImageSet;
use crate::nets::classifier::{Classifier, ClassifierConfig};
use crate::train::optimizer::{Optimizer, optimizer};
use crate::train::pseudo_labels::{confident_pseudo_labels, masked_cross_entropy};

#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    pub batch_size: usize,
    pub learning_rate: f64,
    /// Seeds the initial weights, the shuffling and the augmentation.
    pub seed: u64,
    pub augmentation: Option<ClassicAugmentation>,
    /// Also learn from unlabelled images, no generative model involved.
    pub self_training: Option<SelfTraining>,
    /// Adam's settings (by default β₁ 0.9, Adam's own, rather than the GANs' 0.5).
    pub optimizer: OptimizerSettings,
}

/// Self-training with confident pseudo-labels (FixMatch, Sohn et al. 2020): each step the
/// classifier labels a batch of weakly augmented unlabelled images; where its softmax
/// confidence reaches `threshold`, it is trained to give that label to a strongly augmented
/// copy of the same image.
#[derive(Clone, Debug, PartialEq)]
pub struct SelfTraining {
    /// The unlabelled images (their labels, if any, are never read).
    pub pool: Arc<ImageSet>,
    /// Unlabelled images per labelled image in a step (FixMatch's μ).
    pub ratio: usize,
    pub threshold: f32,
    /// Weight of the unlabelled images' loss (FixMatch's λ).
    pub weight: f32,
    pub weak: ClassicAugmentation,
    pub strong: ClassicAugmentation,
}

impl SelfTraining {
    /// FixMatch's settings (μ 7, τ 0.95, λ 1) on digits.
    pub fn fixmatch(pool: Arc<ImageSet>) -> Self {
        SelfTraining {
            pool,
            ratio: 7,
            threshold: 0.95,
            weight: 1.0,
            weak: ClassicAugmentation::WEAK,
            strong: ClassicAugmentation::STRONG,
        }
    }
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            batch_size: 64,
            learning_rate: 1e-3,
            seed: 0,
            augmentation: None,
            self_training: None,
            optimizer: OptimizerSettings {
                beta_1: 0.9,
                ..OptimizerSettings::default()
            },
        }
    }
}

pub struct ClassifierTraining {
    net: Classifier,
    optimizer: Optimizer,
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
    ) -> Result<Self, ClassifierError> {
        config.validate()?;
        if data.shape != config.image || data.classes() > config.classes {
            return Err(ClassifierError::DataMismatch {
                data: data.shape,
                data_classes: data.classes(),
                net: config.image,
                net_classes: config.classes,
            });
        }
        if !(1..=4096).contains(&options.batch_size) {
            return Err(ClassifierError::BatchSize(options.batch_size));
        }
        if let Some(st) = &options.self_training {
            if st.pool.shape != config.image || st.pool.is_empty() {
                return Err(ClassifierError::UnlabelledPool);
            }
            let valid = (1..=64).contains(&st.ratio)
                && (0.0..=1.0).contains(&st.threshold)
                && (0.0..=1e3).contains(&st.weight);
            if !valid {
                return Err(ClassifierError::SelfTraining {
                    ratio: st.ratio,
                    threshold: st.threshold,
                    weight: st.weight,
                });
            }
        }
        if !(options.learning_rate > 0.0 && options.learning_rate <= 1.0) {
            return Err(ClassifierError::LearningRate(options.learning_rate));
        }
        options.optimizer.validate()?;
        let device = device.clone().autodiff();
        let mut rng = StdRng::seed_from_u64(options.seed);
        let net = Classifier::new(config, &mut rng, &device);
        Ok(ClassifierTraining {
            net,
            optimizer: optimizer(OptimizerKind::Adam, &options.optimizer),
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
        let labelled = indices.len();
        // A clone of the settings (an Arc and a few numbers) frees `self` for the draws.
        let unlabelled = self.options.self_training.clone().map(|st| {
            let (weak, strong) = self.unlabelled_views(&st, labelled * st.ratio);
            (self.pseudo_labels(&weak, st.threshold), strong, st.weight)
        });
        if let Some((_, strong, _)) = &unlabelled {
            pixels.extend_from_slice(strong);
        }
        // One forward for the labelled and the strongly augmented unlabelled images: nothing in
        // the classifier mixes examples.
        let logits = self
            .net
            .forward(pixels_tensor(&pixels, shape.len(), &self.device))
            .logits;
        let n = logits.dims()[0];
        let mut loss = -(log_softmax(logits.clone().slice(0..labelled), 1) * targets)
            .sum_dim(1)
            .mean();
        if let Some(((pseudo, mask), _, weight)) = unlabelled {
            loss = loss
                + masked_cross_entropy(logits.slice(labelled..n), pseudo, mask).mul_scalar(weight);
        }
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

    /// A weak and a strong view of each of `n` unlabelled images drawn at random.
    fn unlabelled_views(&mut self, st: &SelfTraining, n: usize) -> (Vec<u8>, Vec<u8>) {
        let shape = st.pool.shape;
        let (mut weak, mut strong) = (Vec::with_capacity(n * shape.len()), Vec::new());
        strong.reserve(n * shape.len());
        for _ in 0..n {
            let image = st.pool.image(self.rng.random_range(0..st.pool.len()));
            st.weak.apply(image, shape, &mut self.rng, &mut weak);
            st.strong.apply(image, shape, &mut self.rng, &mut strong);
        }
        (weak, strong)
    }

    /// The classifier's own labels for weak views (one-hot rows, on the training device) and
    /// which of them are confident enough to train on (`[n, 1]`, 1 or 0). Computed by the
    /// evaluation network (no dropout) and kept off the tape.
    fn pseudo_labels(&self, weak: &[u8], threshold: f32) -> (Tensor<2>, Tensor<2>) {
        let plain = self.device.clone().inner();
        let len = self.data.shape.len();
        let logits = self
            .net
            .valid()
            .forward(pixels_tensor(weak, len, &plain))
            .logits;
        let (one_hot, mask) = confident_pseudo_labels(logits, threshold);
        (
            one_hot.to_device(&self.device),
            mask.to_device(&self.device),
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::bundled;
    use crate::data::subset::labelled_subset;

    fn first_loss(self_training: Option<SelfTraining>) -> f32 {
        let train = bundled::mnist_train();
        let labelled = Arc::new(labelled_subset(&train, 2, 1).unwrap());
        // No dropout: its masks come from the backend's own generator, not the seed.
        let config = ClassifierConfig {
            dropout: 0.0,
            ..ClassifierConfig::lenet(train.shape, 10)
        };
        let options = FitOptions {
            batch_size: 8,
            seed: 4,
            self_training,
            ..FitOptions::default()
        };
        let mut training =
            ClassifierTraining::new(&config, labelled, options, &Device::flex()).unwrap();
        training.step().into_scalar()
    }

    #[test]
    fn pseudo_labels_count_only_when_confident() {
        let pool = bundled::mnist_train();
        let with = |threshold| {
            first_loss(Some(SelfTraining {
                threshold,
                ratio: 2,
                ..SelfTraining::fixmatch(pool.clone())
            }))
        };
        let plain = first_loss(None);
        // No prediction of an untrained network reaches a confidence of 1: nothing is added.
        assert!((with(1.0) - plain).abs() < 1e-5, "{} vs {plain}", with(1.0));
        // Every prediction counts at threshold 0: the pseudo-labels' cross-entropy is added.
        assert!(with(0.0) > plain + 0.5, "{} vs {plain}", with(0.0));
    }
}
