//! The page's knobs as a table: each knob knows its label, its test id, how to show the current
//! value and how to apply typed text (with the model crate's range check).

use ganplay_model::config::image::image_limits;
use ganplay_model::config::{
    Activation, LossKind, NoiseKind, OptimizerKind, check_range, limits, parse_knob,
};
use ganplay_model::data::toy::SIGMA_RANGE;
use ganplay_model::{GanConfig, ImageModelConfig};

/// Everything a user can set before training.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub config: GanConfig,
    pub sigma: f32,
    /// Semi-supervised image models: labelled digits per class (the rest train unlabelled).
    pub labels_per_class: usize,
    /// Image GANs: the decay of the generator's moving average that samples (0: none).
    pub ema: f64,
    /// Image GANs: the adversarial loss, when not the model's own.
    pub image_loss: Option<LossKind>,
    /// Image GANs: every discriminator layer spectrally normalised.
    pub spectral_norm: bool,
    /// Image GANs: the discriminator's learning rate (0: the generator's).
    pub image_d_lr: f64,
    /// The conditional GAN: weight of AC-GAN's class loss (0: no auxiliary classifier).
    pub auxiliary_classifier: f64,
    /// VAEs: the latent dimension (2 draws the latent map).
    pub vae_latent: usize,
}

impl Settings {
    /// The 2D knobs' defaults, and every image GAN option off.
    pub fn new(config: GanConfig, sigma: f32) -> Self {
        Settings {
            config,
            sigma,
            labels_per_class: DEFAULT_LABELS_PER_CLASS,
            ema: 0.0,
            image_loss: None,
            spectral_norm: false,
            image_d_lr: 0.0,
            auxiliary_classifier: 0.0,
            vae_latent: PAGE_VAE_LATENT,
        }
    }

    /// The image GANs' knobs as a weight file's config set them.
    pub fn adopt_image_gan_options(&mut self, c: &ImageModelConfig) {
        self.ema = c.ema;
        self.image_loss = c.loss;
        self.spectral_norm = c.spectral_norm;
        self.image_d_lr = c.d_learning_rate.unwrap_or(0.0);
        self.auxiliary_classifier = c.auxiliary_classifier;
    }
}

/// The page VAEs' latent dimension by default: a plane, drawn as the latent map.
pub const PAGE_VAE_LATENT: usize = 2;
/// Latent dimensions the page's VAEs offer.
pub const PAGE_VAE_LATENTS: std::ops::RangeInclusive<usize> = 1..=64;

/// Labelled digits per class the page offers: a handful up to a hundred.
pub const PAGE_LABELS_PER_CLASS: std::ops::RangeInclusive<usize> = 1..=100;
/// The semi-supervised lesson's budget, and the bundled weights'.
pub const DEFAULT_LABELS_PER_CLASS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberKnob {
    GLayers,
    GNeurons,
    DLayers,
    DNeurons,
    NoiseDim,
    GLearningRate,
    DLearningRate,
    DSteps,
    GSteps,
    Packing,
    BatchSize,
    Clip,
    DecayStart,
    DecaySteps,
    Sigma,
    Seed,
    LabelsPerClass,
    Ema,
    ImageDLearningRate,
    AuxiliaryClassifier,
    VaeLatent,
}

impl NumberKnob {
    pub const ALL: [NumberKnob; 21] = [
        NumberKnob::Sigma,
        NumberKnob::GLayers,
        NumberKnob::GNeurons,
        NumberKnob::DLayers,
        NumberKnob::DNeurons,
        NumberKnob::NoiseDim,
        NumberKnob::GLearningRate,
        NumberKnob::DLearningRate,
        NumberKnob::DSteps,
        NumberKnob::GSteps,
        NumberKnob::Packing,
        NumberKnob::BatchSize,
        NumberKnob::Clip,
        NumberKnob::DecayStart,
        NumberKnob::DecaySteps,
        NumberKnob::Seed,
        NumberKnob::LabelsPerClass,
        NumberKnob::Ema,
        NumberKnob::ImageDLearningRate,
        NumberKnob::AuxiliaryClassifier,
        NumberKnob::VaeLatent,
    ];

    /// The image GANs' knobs (the 2D playground has its own).
    pub const IMAGE_GAN: [NumberKnob; 3] = [
        NumberKnob::Ema,
        NumberKnob::ImageDLearningRate,
        NumberKnob::AuxiliaryClassifier,
    ];

    pub fn label(self) -> &'static str {
        match self {
            NumberKnob::GLayers => "G hidden layers",
            NumberKnob::GNeurons => "G neurons per layer",
            NumberKnob::DLayers => "D hidden layers",
            NumberKnob::DNeurons => "D neurons per layer",
            NumberKnob::NoiseDim => "noise dimension",
            NumberKnob::GLearningRate => "G learning rate",
            NumberKnob::DLearningRate => "D learning rate",
            NumberKnob::DSteps => "D updates per step",
            NumberKnob::GSteps => "G updates per step",
            NumberKnob::Packing => "packing (PacGAN)",
            NumberKnob::BatchSize => "batch size",
            NumberKnob::Clip => "critic weight clip",
            NumberKnob::DecayStart => "LR decay from step",
            NumberKnob::DecaySteps => "LR decay steps (0: off)",
            NumberKnob::Sigma => "data noise σ",
            NumberKnob::Seed => "random seed",
            NumberKnob::LabelsPerClass => "labelled digits per class",
            NumberKnob::Ema => "G weight average, decay (0: off)",
            NumberKnob::ImageDLearningRate => "D learning rate (0: G's)",
            NumberKnob::AuxiliaryClassifier => "AC-GAN class loss weight (0: off)",
            NumberKnob::VaeLatent => "latent dimension (2: the latent map)",
        }
    }

    pub fn test_id(self) -> &'static str {
        match self {
            NumberKnob::GLayers => "g-layers",
            NumberKnob::GNeurons => "g-neurons",
            NumberKnob::DLayers => "d-layers",
            NumberKnob::DNeurons => "d-neurons",
            NumberKnob::NoiseDim => "noise-dim",
            NumberKnob::GLearningRate => "g-lr",
            NumberKnob::DLearningRate => "d-lr",
            NumberKnob::DSteps => "d-steps",
            NumberKnob::GSteps => "g-steps",
            NumberKnob::Packing => "packing",
            NumberKnob::BatchSize => "batch-size",
            NumberKnob::Clip => "clip",
            NumberKnob::DecayStart => "lr-decay-start",
            NumberKnob::DecaySteps => "lr-decay-steps",
            NumberKnob::Sigma => "sigma",
            NumberKnob::Seed => "seed",
            NumberKnob::LabelsPerClass => "labels-per-class",
            NumberKnob::Ema => "ema",
            NumberKnob::ImageDLearningRate => "image-d-lr",
            NumberKnob::AuxiliaryClassifier => "aux-classifier",
            NumberKnob::VaeLatent => "latent-dim",
        }
    }

    /// Whether the knob is one of the 2D playground's (image models have their own).
    pub fn shown_in_2d(self) -> bool {
        !matches!(self, NumberKnob::LabelsPerClass | NumberKnob::VaeLatent)
            && !NumberKnob::IMAGE_GAN.contains(&self)
    }

    /// Whether the 2D playground shows this knob with these settings: the clip only matters for
    /// the Wasserstein loss.
    pub fn shown(self, s: &Settings) -> bool {
        match self {
            NumberKnob::Clip => s.config.loss == LossKind::Wasserstein,
            _ => self.shown_in_2d(),
        }
    }

    pub fn current(self, s: &Settings) -> String {
        let c = &s.config;
        match self {
            NumberKnob::GLayers => c.generator.hidden_layers.to_string(),
            NumberKnob::GNeurons => c.generator.neurons.to_string(),
            NumberKnob::DLayers => c.discriminator.hidden_layers.to_string(),
            NumberKnob::DNeurons => c.discriminator.neurons.to_string(),
            NumberKnob::NoiseDim => c.noise_dim.to_string(),
            NumberKnob::GLearningRate => c.g_optimizer.learning_rate.to_string(),
            NumberKnob::DLearningRate => c.d_optimizer.learning_rate.to_string(),
            NumberKnob::DSteps => c.d_steps.to_string(),
            NumberKnob::GSteps => c.g_steps.to_string(),
            NumberKnob::Packing => c.packing.to_string(),
            NumberKnob::BatchSize => c.batch_size.to_string(),
            NumberKnob::Clip => c.clip.to_string(),
            NumberKnob::DecayStart => c.lr_decay.start.to_string(),
            NumberKnob::DecaySteps => c.lr_decay.steps.to_string(),
            NumberKnob::Sigma => s.sigma.to_string(),
            NumberKnob::Seed => c.seed.to_string(),
            NumberKnob::LabelsPerClass => s.labels_per_class.to_string(),
            NumberKnob::Ema => s.ema.to_string(),
            NumberKnob::ImageDLearningRate => s.image_d_lr.to_string(),
            NumberKnob::AuxiliaryClassifier => s.auxiliary_classifier.to_string(),
            NumberKnob::VaeLatent => s.vae_latent.to_string(),
        }
    }

    /// Applies typed text, or says why it is refused (settings unchanged).
    pub fn apply(self, s: &mut Settings, text: &str) -> Result<(), String> {
        let label = self.label();
        let c = &mut s.config;
        let r = match self {
            NumberKnob::GLayers => parse_knob(label, text, &limits::HIDDEN_LAYERS)
                .map(|v| c.generator.hidden_layers = v),
            NumberKnob::GNeurons => {
                parse_knob(label, text, &limits::NEURONS).map(|v| c.generator.neurons = v)
            }
            NumberKnob::DLayers => parse_knob(label, text, &limits::HIDDEN_LAYERS)
                .map(|v| c.discriminator.hidden_layers = v),
            NumberKnob::DNeurons => {
                parse_knob(label, text, &limits::NEURONS).map(|v| c.discriminator.neurons = v)
            }
            NumberKnob::NoiseDim => {
                parse_knob(label, text, &limits::NOISE_DIM).map(|v| c.noise_dim = v)
            }
            NumberKnob::GLearningRate => parse_knob(label, text, &limits::LEARNING_RATE)
                .map(|v| c.g_optimizer.learning_rate = v),
            NumberKnob::DLearningRate => parse_knob(label, text, &limits::LEARNING_RATE)
                .map(|v| c.d_optimizer.learning_rate = v),
            NumberKnob::DSteps => parse_knob(label, text, &limits::D_STEPS).map(|v| c.d_steps = v),
            NumberKnob::GSteps => parse_knob(label, text, &limits::G_STEPS).map(|v| c.g_steps = v),
            NumberKnob::Packing => parse_knob(label, text, &limits::PACKING).map(|v| c.packing = v),
            NumberKnob::BatchSize => {
                parse_knob(label, text, &limits::BATCH_SIZE).map(|v| c.batch_size = v)
            }
            NumberKnob::Clip => parse_knob(label, text, &limits::CLIP).map(|v| c.clip = v),
            NumberKnob::DecayStart => {
                parse_knob(label, text, &limits::DECAY_STEPS).map(|v| c.lr_decay.start = v)
            }
            NumberKnob::DecaySteps => {
                parse_knob(label, text, &limits::DECAY_STEPS).map(|v| c.lr_decay.steps = v)
            }
            NumberKnob::Sigma => parse_knob(label, text, &SIGMA_RANGE).map(|v| s.sigma = v),
            NumberKnob::Seed => parse_knob(label, text, &(0..=u64::MAX)).map(|v| c.seed = v),
            NumberKnob::LabelsPerClass => {
                parse_knob(label, text, &PAGE_LABELS_PER_CLASS).map(|v| s.labels_per_class = v)
            }
            NumberKnob::Ema => zero_or(label, text, &image_limits::EMA_DECAY).map(|v| s.ema = v),
            NumberKnob::ImageDLearningRate => {
                zero_or(label, text, &image_limits::LEARNING_RATE).map(|v| s.image_d_lr = v)
            }
            NumberKnob::AuxiliaryClassifier => {
                zero_or(label, text, &image_limits::AUXILIARY_CLASSIFIER)
                    .map(|v| s.auxiliary_classifier = v)
            }
            NumberKnob::VaeLatent => {
                parse_knob(label, text, &PAGE_VAE_LATENTS).map(|v| s.vae_latent = v)
            }
        };
        r.map_err(|e| format!("{}: {}", e.field, e.message))
    }
}

/// A number that is 0 (the option off) or in the model crate's range.
fn zero_or(
    label: &'static str,
    text: &str,
    range: &std::ops::RangeInclusive<f64>,
) -> Result<f64, ganplay_model::config::ConfigError> {
    parse_knob(label, text, &(0.0..=*range.end())).and_then(|v| match v {
        0.0 => Ok(v),
        _ => check_range(label, v, range),
    })
}

/// The image GANs' loss choice that keeps the model's own.
const OWN_LOSS: &str = "own";
/// The critic-weights choices.
const PLAIN_WEIGHTS: &str = "plain";
const SPECTRAL_WEIGHTS: &str = "spectral";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChoiceKnob {
    Loss,
    Noise,
    GActivation,
    DActivation,
    GOptimizer,
    DOptimizer,
    ImageLoss,
    CriticWeights,
}

impl ChoiceKnob {
    /// The 2D playground's choices (the ones a side-by-side run can differ in).
    pub const TOY: [ChoiceKnob; 6] = [
        ChoiceKnob::Loss,
        ChoiceKnob::Noise,
        ChoiceKnob::GActivation,
        ChoiceKnob::DActivation,
        ChoiceKnob::GOptimizer,
        ChoiceKnob::DOptimizer,
    ];
    /// The image GANs' choices.
    pub const IMAGE_GAN: [ChoiceKnob; 2] = [ChoiceKnob::ImageLoss, ChoiceKnob::CriticWeights];
    /// Every choice, the 2D playground's then the image GANs'.
    pub fn all() -> impl Iterator<Item = ChoiceKnob> {
        ChoiceKnob::TOY.into_iter().chain(ChoiceKnob::IMAGE_GAN)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChoiceKnob::Loss => "loss",
            ChoiceKnob::Noise => "noise distribution",
            ChoiceKnob::GActivation => "G activation",
            ChoiceKnob::DActivation => "D activation",
            ChoiceKnob::GOptimizer => "G optimiser",
            ChoiceKnob::DOptimizer => "D optimiser",
            ChoiceKnob::ImageLoss => "loss",
            ChoiceKnob::CriticWeights => "D layers",
        }
    }

    pub fn test_id(self) -> &'static str {
        match self {
            ChoiceKnob::Loss => "loss-select",
            ChoiceKnob::Noise => "noise-select",
            ChoiceKnob::GActivation => "g-activation-select",
            ChoiceKnob::DActivation => "d-activation-select",
            ChoiceKnob::GOptimizer => "g-optimizer-select",
            ChoiceKnob::DOptimizer => "d-optimizer-select",
            ChoiceKnob::ImageLoss => "image-loss-select",
            ChoiceKnob::CriticWeights => "critic-weights-select",
        }
    }

    /// `(id, label)` of every option.
    pub fn options(self) -> Vec<(&'static str, &'static str)> {
        fn pairs<T: Copy>(
            all: &[T],
            id: fn(T) -> &'static str,
            label: fn(T) -> &'static str,
        ) -> Vec<(&'static str, &'static str)> {
            all.iter().map(|v| (id(*v), label(*v))).collect()
        }
        match self {
            ChoiceKnob::Loss => pairs(LossKind::ALL, LossKind::id, LossKind::label),
            ChoiceKnob::Noise => pairs(NoiseKind::ALL, NoiseKind::id, NoiseKind::label),
            ChoiceKnob::GActivation | ChoiceKnob::DActivation => {
                pairs(Activation::ALL, Activation::id, Activation::label)
            }
            ChoiceKnob::GOptimizer | ChoiceKnob::DOptimizer => {
                pairs(OptimizerKind::ALL, OptimizerKind::id, OptimizerKind::label)
            }
            ChoiceKnob::ImageLoss => {
                let mut options = vec![(OWN_LOSS, "the model's own")];
                options.extend(pairs(LossKind::ALL, LossKind::id, LossKind::label));
                options
            }
            ChoiceKnob::CriticWeights => vec![
                (PLAIN_WEIGHTS, "as in the model's paper"),
                (SPECTRAL_WEIGHTS, "spectrally normalised"),
            ],
        }
    }

    pub fn current(self, s: &Settings) -> &'static str {
        let c = &s.config;
        match self {
            ChoiceKnob::Loss => c.loss.id(),
            ChoiceKnob::Noise => c.noise.id(),
            ChoiceKnob::GActivation => c.generator.activation.id(),
            ChoiceKnob::DActivation => c.discriminator.activation.id(),
            ChoiceKnob::GOptimizer => c.g_optimizer.kind.id(),
            ChoiceKnob::DOptimizer => c.d_optimizer.kind.id(),
            ChoiceKnob::ImageLoss => s.image_loss.map_or(OWN_LOSS, LossKind::id),
            ChoiceKnob::CriticWeights => match s.spectral_norm {
                true => SPECTRAL_WEIGHTS,
                false => PLAIN_WEIGHTS,
            },
        }
    }

    /// Applies a `<select>` value; unknown values (a hand-edited URL) are ignored.
    pub fn apply(self, s: &mut Settings, id: &str) {
        let c = &mut s.config;
        match self {
            ChoiceKnob::Loss => LossKind::from_id(id).map(|v| c.loss = v),
            ChoiceKnob::Noise => NoiseKind::from_id(id).map(|v| c.noise = v),
            ChoiceKnob::GActivation => Activation::from_id(id).map(|v| c.generator.activation = v),
            ChoiceKnob::DActivation => {
                Activation::from_id(id).map(|v| c.discriminator.activation = v)
            }
            ChoiceKnob::GOptimizer => OptimizerKind::from_id(id).map(|v| c.g_optimizer.kind = v),
            ChoiceKnob::DOptimizer => OptimizerKind::from_id(id).map(|v| c.d_optimizer.kind = v),
            ChoiceKnob::ImageLoss if id == OWN_LOSS => {
                s.image_loss = None;
                Some(())
            }
            ChoiceKnob::ImageLoss => LossKind::from_id(id).map(|v| s.image_loss = Some(v)),
            ChoiceKnob::CriticWeights => match id {
                PLAIN_WEIGHTS | SPECTRAL_WEIGHTS => {
                    s.spectral_norm = id == SPECTRAL_WEIGHTS;
                    Some(())
                }
                _ => None,
            },
        };
    }
}
