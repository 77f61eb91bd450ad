//! Every knob of a 2D GAN run (their ranges, docs and keys in [`knobs`], which the page and the
//! CLI both read); the image models' configs are in [`image`].

mod consistency;
mod conv_plan;
pub mod image;
pub mod image_knobs;
pub mod image_lessons;
pub mod knobs;
mod lr_decay;
mod optimizer;
pub mod presets;
mod size;
mod tuning;

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

pub use consistency::Consistency;
pub use conv_plan::ConvPlan;
pub use lr_decay::LrDecay;
pub use optimizer::{OptimizerSettings, OptimizerSpec};
pub use size::MAX_PARAMETERS;
pub(crate) use size::check_parameter_count;
pub use tuning::Tuning;

/// Hidden-layer non-linearity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Relu,
    LeakyRelu,
    Tanh,
}

/// Distribution of the generator's input noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoiseKind {
    /// Uniform in [-1, 1].
    Uniform,
    /// Standard normal.
    Gaussian,
}

/// The adversarial objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LossKind {
    /// Original GAN loss with the non-saturating (log D) generator loss.
    NonSaturating,
    /// The original minimax game: the generator minimises log(1 − D(G(z))), whose gradient
    /// vanishes when the discriminator confidently rejects its samples (kept for teaching).
    Minimax,
    /// Least squares (LSGAN).
    LeastSquares,
    /// Hinge loss.
    Hinge,
    /// Wasserstein loss; the critic's weights are clipped after every critic step.
    Wasserstein,
}

/// The 2D generator's output layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeneratorOutput {
    /// Any point of the plane.
    #[default]
    Linear,
    /// tanh: points inside [-1, 1]², so data beyond the square (grid25) is out of reach.
    Tanh,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Sgd,
    Adam,
}

/// An enum with stable string ids (URL values, CLI flags, `<select>` values) and labels; the one
/// way ids map to enums in the page and the CLI, implemented by [`string_ids!`](crate::string_ids).
pub trait StringId: Copy + 'static {
    const ALL: &'static [Self];
    fn id(self) -> &'static str;
    fn label(self) -> &'static str;
    fn from_id(id: &str) -> Option<Self>;
}

/// Implements [`StringId`] (and the same methods inherently, so callers need no import).
#[macro_export]
macro_rules! string_ids {
    ($t:ty { $($v:ident => $id:literal, $label:literal),+ $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),+];
            /// Stable identifier for URLs, CLI flags and `<select>` values.
            pub fn id(self) -> &'static str { match self { $(<$t>::$v => $id),+ } }
            /// Human-readable name.
            pub fn label(self) -> &'static str { match self { $(<$t>::$v => $label),+ } }
            pub fn from_id(id: &str) -> Option<Self> { Self::ALL.iter().copied().find(|v| v.id() == id) }
        }
        impl $crate::config::StringId for $t {
            const ALL: &'static [$t] = <$t>::ALL;
            fn id(self) -> &'static str { <$t>::id(self) }
            fn label(self) -> &'static str { <$t>::label(self) }
            fn from_id(id: &str) -> Option<Self> { <$t>::from_id(id) }
        }
    };
}

string_ids!(Activation { Relu => "relu", "ReLU", LeakyRelu => "leakyrelu", "LeakyReLU", Tanh => "tanh", "tanh" });
string_ids!(NoiseKind { Uniform => "uniform", "Uniform [-1, 1]", Gaussian => "gaussian", "Gaussian N(0, 1)" });
string_ids!(LossKind {
    NonSaturating => "nonsaturating", "Non-saturating (log)",
    Minimax => "minimax", "Minimax (saturating)",
    LeastSquares => "leastsquares", "Least squares",
    Hinge => "hinge", "Hinge",
    Wasserstein => "wasserstein", "Wasserstein (weight clipping)",
});
string_ids!(GeneratorOutput { Linear => "linear", "linear", Tanh => "tanh", "tanh (inside [-1, 1]²)" });
string_ids!(OptimizerKind { Sgd => "sgd", "SGD", Adam => "adam", "Adam" });

/// Shape of one multi-layer perceptron.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlpShape {
    pub hidden_layers: usize,
    pub neurons: usize,
    pub activation: Activation,
}

/// All knobs of a 2D GAN run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GanConfig {
    pub generator: MlpShape,
    /// The generator's output layer (omitted from files when linear).
    #[serde(default, skip_serializing_if = "is_linear")]
    pub g_output: GeneratorOutput,
    pub discriminator: MlpShape,
    pub noise_dim: usize,
    pub noise: NoiseKind,
    pub loss: LossKind,
    /// Critic weights are clipped to [-clip, clip] (Wasserstein loss only).
    pub clip: f32,
    pub d_optimizer: OptimizerSpec,
    pub g_optimizer: OptimizerSpec,
    /// Discriminator updates per training step.
    pub d_steps: usize,
    /// Generator updates per training step, after the discriminator's (files written before this
    /// knob existed mean 1).
    #[serde(default = "one")]
    pub g_steps: usize,
    /// PacGAN's packing (Lin et al. 2018): the discriminator judges `packing` samples at once,
    /// concatenated, so a generator that repeats itself is easy to spot (1: plain GAN).
    #[serde(default = "one")]
    pub packing: usize,
    pub batch_size: usize,
    pub seed: u64,
    /// Both learning rates fall linearly late in training (files written before this knob
    /// existed: no decay).
    #[serde(default)]
    pub lr_decay: LrDecay,
    /// Slope of LeakyReLU's negative side, where a network uses it (omitted from files at
    /// DCGAN's 0.2).
    #[serde(
        default = "dcgan_leaky_slope",
        skip_serializing_if = "is_dcgan_leaky_slope"
    )]
    pub leaky_slope: f64,
}

fn is_linear(output: &GeneratorOutput) -> bool {
    *output == GeneratorOutput::Linear
}

fn one() -> usize {
    1
}

fn dcgan_leaky_slope() -> f64 {
    Tuning::default().leaky_slope
}

fn is_dcgan_leaky_slope(slope: &f64) -> bool {
    *slope == dcgan_leaky_slope()
}

impl Default for GanConfig {
    /// Covers all of ring8's modes within about a thousand steps. The least-squares loss is the
    /// default because, measured over seeds, the non-saturating loss with the same networks
    /// hops between one or two modes for thousands of steps (a lesson the page lets users repeat).
    fn default() -> Self {
        let shape = MlpShape {
            hidden_layers: 2,
            neurons: 64,
            activation: Activation::Relu,
        };
        let adam = OptimizerSpec::new(OptimizerKind::Adam, 1e-3);
        GanConfig {
            generator: shape.clone(),
            g_output: GeneratorOutput::Linear,
            discriminator: shape,
            noise_dim: 2,
            noise: NoiseKind::Gaussian,
            loss: LossKind::LeastSquares,
            clip: 0.05,
            d_optimizer: adam.clone(),
            g_optimizer: adam,
            d_steps: 1,
            g_steps: 1,
            packing: 1,
            batch_size: 256,
            seed: 1,
            lr_decay: LrDecay::default(),
            leaky_slope: dcgan_leaky_slope(),
        }
    }
}

/// Ranges of the numbers outside the 2D knobs (whose ranges are in [`knobs`]).
pub mod limits {
    use super::RangeInclusive;
    /// Images scored by the metrics: enough for 10 score splits and k-NN radii, few enough
    /// for the O(n²) distance matrices.
    pub const METRIC_SAMPLES: RangeInclusive<usize> = 50..=20_000;
    pub const LEAKY_SLOPE: RangeInclusive<f64> = 0.0..=1.0;
}

/// A knob out of range: which one, and why.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

/// Checks `value` against `range`, naming the knob in the error.
pub fn check_range<T: PartialOrd + std::fmt::Display>(
    field: &'static str,
    value: T,
    range: &RangeInclusive<T>,
) -> Result<T, ConfigError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError {
            field,
            message: format!(
                "must be between {} and {}, got {value}",
                range.start(),
                range.end()
            ),
        })
    }
}

/// Parses a knob typed by a user and checks its range: one rule for the page and the CLI.
pub fn parse_knob<T>(
    field: &'static str,
    text: &str,
    range: &RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let value = text.trim().parse::<T>().map_err(|_| ConfigError {
        field,
        message: format!("'{}' is not a number", text.trim()),
    })?;
    check_range(field, value, range)
}

impl GanConfig {
    /// Every knob in range, or the first one that is not.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for knob in &knobs::ALL {
            knob.check(self)?;
        }
        self.d_optimizer.settings.validate()?;
        self.g_optimizer.settings.validate()?;
        check_range("LeakyReLU slope", self.leaky_slope, &limits::LEAKY_SLOPE)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_valid() {
        GanConfig::default().validate().unwrap();
    }

    #[test]
    fn out_of_range_knobs_name_themselves() {
        let c = GanConfig {
            noise_dim: 17,
            ..GanConfig::default()
        };
        assert_eq!(c.validate().unwrap_err().field, "noise dimension");
        let mut c = GanConfig::default();
        c.discriminator.neurons = 0;
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "D neurons per layer: must be between 1 and 128, got 0"
        );
        let mut c = GanConfig::default();
        c.g_optimizer.learning_rate = f64::NAN;
        assert_eq!(c.validate().unwrap_err().field, "G learning rate");
    }

    #[test]
    fn typed_knobs_are_parsed_and_checked() {
        let batch = 1..=1024;
        assert_eq!(parse_knob("batch size", " 64 ", &batch), Ok(64));
        assert!(
            parse_knob("batch size", "abc", &batch)
                .unwrap_err()
                .message
                .contains("not a number")
        );
        assert!(parse_knob("batch size", "5000", &batch).is_err());
    }

    #[test]
    fn ids_round_trip() {
        for l in LossKind::ALL {
            assert_eq!(LossKind::from_id(l.id()), Some(*l));
        }
        assert_eq!(Activation::from_id("tanh"), Some(Activation::Tanh));
        assert_eq!(OptimizerKind::from_id("rmsprop"), None);
    }
}
