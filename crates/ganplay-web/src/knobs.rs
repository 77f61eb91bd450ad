//! The page's knobs as a table: each knob knows its label, its test id, how to show the current
//! value and how to apply typed text (with the model crate's range check).

use ganplay_model::GanConfig;
use ganplay_model::config::image::image_limits;
use ganplay_model::config::{
    Activation, LossKind, NoiseKind, OptimizerKind, check_range, limits, parse_knob,
};
use ganplay_model::data::toy::SIGMA_RANGE;

/// Everything a user can set before training.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub config: GanConfig,
    pub sigma: f32,
    /// Semi-supervised image models: labelled digits per class (the rest train unlabelled).
    pub labels_per_class: usize,
    /// Image GANs: the decay of the generator's moving average that samples (0: none).
    pub ema: f64,
}

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
}

impl NumberKnob {
    pub const ALL: [NumberKnob; 18] = [
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
        }
    }

    /// Whether the 2D playground shows this knob: the clip only matters for the Wasserstein
    /// loss; labels per class and the weight average are image models' knobs.
    pub fn shown(self, s: &Settings) -> bool {
        match self {
            NumberKnob::Clip => s.config.loss == LossKind::Wasserstein,
            NumberKnob::LabelsPerClass | NumberKnob::Ema => false,
            _ => true,
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
            // 0 turns the average off; otherwise the model crate's range.
            NumberKnob::Ema => parse_knob(label, text, &(0.0..=1.0))
                .and_then(|v| match v {
                    0.0 => Ok(v),
                    _ => check_range(label, v, &image_limits::EMA_DECAY),
                })
                .map(|v| s.ema = v),
        };
        r.map_err(|e| format!("{}: {}", e.field, e.message))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChoiceKnob {
    Loss,
    Noise,
    GActivation,
    DActivation,
    GOptimizer,
    DOptimizer,
}

impl ChoiceKnob {
    pub const ALL: [ChoiceKnob; 6] = [
        ChoiceKnob::Loss,
        ChoiceKnob::Noise,
        ChoiceKnob::GActivation,
        ChoiceKnob::DActivation,
        ChoiceKnob::GOptimizer,
        ChoiceKnob::DOptimizer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChoiceKnob::Loss => "loss",
            ChoiceKnob::Noise => "noise distribution",
            ChoiceKnob::GActivation => "G activation",
            ChoiceKnob::DActivation => "D activation",
            ChoiceKnob::GOptimizer => "G optimiser",
            ChoiceKnob::DOptimizer => "D optimiser",
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
        };
    }
}
