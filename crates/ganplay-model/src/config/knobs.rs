//! The 2D GAN's knobs, each defined once: its key (the CLI flag, the URL parameter, the page
//! control's test id), label, doc, range and default (the [`GanConfig::default`] value), and how
//! it reads and writes a [`GanConfig`]. The CLI builds its flags from [`ALL`], the page its
//! controls and URL keys, and [`GanConfig::validate`] checks a weight file's config against it.
//! Adding a knob is one entry here plus the code that uses its field. The knob types serve the
//! image models' registry too ([`super::image_knobs`]).

use std::fmt::Display;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, RangeInclusive};
use std::str::FromStr;

use super::{
    Activation, ConfigError, GanConfig, GeneratorOutput, LossKind, NoiseKind, OptimizerKind,
    StringId, check_range,
};
use crate::data::toy::SIGMA_RANGE;

/// A numeric knob of `C` (a [`GanConfig`] unless said otherwise).
pub struct Number<T, C = GanConfig> {
    /// The CLI flag (`--key`), and the URL parameter and the page control's test id unless
    /// `url_key` names another.
    pub key: &'static str,
    /// The page's key where it is older than the CLI flag (links people shared keep loading).
    pub url_key: Option<&'static str>,
    /// The page's label, and the knob's name in error messages.
    pub label: &'static str,
    /// One sentence for `--help` and the page's tooltip.
    pub doc: &'static str,
    pub range: RangeInclusive<T>,
    /// A value outside the range that turns the option off (an EMA decay of 0), if any.
    pub off: Option<T>,
    pub get: fn(&C) -> T,
    pub set: fn(&mut C, T),
}

impl<T, C> Number<T, C>
where
    T: FromStr + Display + PartialOrd + Copy,
{
    /// Typed text, or why it is refused (not a number, out of range).
    pub fn parse(&self, text: &str) -> Result<T, ConfigError> {
        self.check(self.parse_unchecked(text)?)
    }

    /// The URL parameter and the page control's test id.
    pub fn url_key(&self) -> &'static str {
        self.url_key.unwrap_or(self.key)
    }

    /// The value if it is in range or the off value.
    pub fn check(&self, value: T) -> Result<T, ConfigError> {
        match self.off {
            Some(off) if value == off => Ok(value),
            _ => check_range(self.label, value, &self.range),
        }
    }

    /// The value `config` holds, checked.
    pub fn check_in(&self, config: &C) -> Result<(), ConfigError> {
        self.check((self.get)(config)).map(|_| ())
    }

    /// `"0.5 to 0.99999, or 0"`.
    pub fn range_text(&self) -> String {
        let range = format!("{} to {}", self.range.start(), self.range.end());
        match self.off {
            Some(off) => format!("{range}, or {off}"),
            None => range,
        }
    }

    /// Typed text as a number, range unchecked (for flags whose range depends on the model).
    pub fn parse_unchecked(&self, text: &str) -> Result<T, ConfigError> {
        text.trim().parse().map_err(|_| ConfigError {
            field: self.label,
            message: format!("'{}' is not a number", text.trim()),
        })
    }
}

/// A knob that picks one value of an enum with string ids.
pub struct Choice<T: StringId> {
    /// The CLI flag (`--key`).
    pub key: &'static str,
    /// The URL parameter and the page's `<select>` test id.
    pub url_key: &'static str,
    pub label: &'static str,
    pub doc: &'static str,
    pub get: fn(&GanConfig) -> T,
    pub set: fn(&mut GanConfig, T),
}

impl<T: StringId> Choice<T> {
    pub fn parse(&self, id: &str) -> Result<T, ConfigError> {
        T::from_id(id.trim()).ok_or_else(|| ConfigError {
            field: self.label,
            message: format!(
                "'{}' is not one of {}",
                id.trim(),
                T::ALL.iter().map(|v| v.id()).collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

/// A choice of one value of an enum with string ids, or none of them (the model's own).
/// The page's alone: the CLI's flag for it is the 2D knob of the same name.
pub struct Optional<T: StringId> {
    /// The URL parameter and the page's `<select>` test id.
    pub url_key: &'static str,
    pub label: &'static str,
    /// `(id, label)` of the option that picks none.
    pub none: (&'static str, &'static str),
    /// The values offered besides none.
    pub values: &'static [T],
}

impl<T: StringId> Optional<T> {
    /// `(id, label)` of each option, none first.
    pub fn options(&self) -> Vec<(&'static str, &'static str)> {
        std::iter::once(self.none)
            .chain(self.values.iter().map(|v| (v.id(), v.label())))
            .collect()
    }

    pub fn id(&self, value: Option<T>) -> &'static str {
        value.map_or(self.none.0, T::id)
    }

    /// The value an option's id picks; `None` for an id that is not an option.
    pub fn parse(&self, id: &str) -> Option<Option<T>> {
        match id.trim() {
            none if none == self.none.0 => Some(None),
            id => self.values.iter().find(|v| v.id() == id).map(|v| Some(*v)),
        }
    }
}

/// An option that is on or off, shown as a choice of two.
pub struct Switch {
    /// The CLI flag (`--key`, present or absent).
    pub key: &'static str,
    /// The URL parameter and the page's `<select>` test id.
    pub url_key: &'static str,
    pub label: &'static str,
    pub doc: &'static str,
    /// `(id, label)` of the two options.
    pub off: (&'static str, &'static str),
    pub on: (&'static str, &'static str),
}

impl Switch {
    pub fn options(&self) -> Vec<(&'static str, &'static str)> {
        vec![self.off, self.on]
    }

    pub fn id(&self, on: bool) -> &'static str {
        if on { self.on.0 } else { self.off.0 }
    }

    /// Whether an option's id turns it on; `None` for an id that is not an option.
    pub fn parse(&self, id: &str) -> Option<bool> {
        [self.off, self.on]
            .iter()
            .position(|(option, _)| *option == id.trim())
            .map(|i| i == 1)
    }
}

/// Any knob of a [`GanConfig`], its value as text: what the CLI, the page and validation share.
pub trait Knob: Sync {
    fn key(&self) -> &'static str;
    fn url_key(&self) -> &'static str;
    fn label(&self) -> &'static str;
    fn doc(&self) -> &'static str;
    /// `(id, label)` of each value of a choice; `None` for a number.
    fn options(&self) -> Option<Vec<(&'static str, &'static str)>>;
    /// The allowed range as text (`"1 to 128"`); `None` for a choice.
    fn range_text(&self) -> Option<String>;
    fn read(&self, config: &GanConfig) -> String;
    /// Sets the knob from typed text, or says why not (the config unchanged).
    fn write(&self, config: &mut GanConfig, text: &str) -> Result<(), ConfigError>;
    /// Checks the text without a config (number syntax and range, or a known id).
    fn check_text(&self, text: &str) -> Result<(), ConfigError> {
        self.write(&mut GanConfig::default(), text)
    }
    /// Checks only that the text is a number (or a known id), whatever the range.
    fn check_syntax(&self, text: &str) -> Result<(), ConfigError>;
    /// The config's value in range (a choice is always valid).
    fn check(&self, config: &GanConfig) -> Result<(), ConfigError>;
    fn default_text(&self) -> String {
        self.read(&GanConfig::default())
    }
}

impl<T> Knob for Number<T>
where
    T: FromStr + Display + PartialOrd + Copy + Sync,
{
    fn key(&self) -> &'static str {
        self.key
    }
    fn url_key(&self) -> &'static str {
        Number::url_key(self)
    }
    fn label(&self) -> &'static str {
        self.label
    }
    fn doc(&self) -> &'static str {
        self.doc
    }
    fn options(&self) -> Option<Vec<(&'static str, &'static str)>> {
        None
    }
    fn range_text(&self) -> Option<String> {
        Some(Number::range_text(self))
    }
    fn read(&self, config: &GanConfig) -> String {
        (self.get)(config).to_string()
    }
    fn write(&self, config: &mut GanConfig, text: &str) -> Result<(), ConfigError> {
        (self.set)(config, self.parse(text)?);
        Ok(())
    }
    fn check_syntax(&self, text: &str) -> Result<(), ConfigError> {
        self.parse_unchecked(text).map(|_| ())
    }
    fn check(&self, config: &GanConfig) -> Result<(), ConfigError> {
        self.check_in(config)
    }
}

impl<T: StringId + Sync> Knob for Choice<T> {
    fn key(&self) -> &'static str {
        self.key
    }
    fn url_key(&self) -> &'static str {
        self.url_key
    }
    fn label(&self) -> &'static str {
        self.label
    }
    fn doc(&self) -> &'static str {
        self.doc
    }
    fn options(&self) -> Option<Vec<(&'static str, &'static str)>> {
        Some(T::ALL.iter().map(|v| (v.id(), v.label())).collect())
    }
    fn range_text(&self) -> Option<String> {
        None
    }
    fn read(&self, config: &GanConfig) -> String {
        (self.get)(config).id().to_string()
    }
    fn write(&self, config: &mut GanConfig, text: &str) -> Result<(), ConfigError> {
        (self.set)(config, self.parse(text)?);
        Ok(())
    }
    fn check_syntax(&self, text: &str) -> Result<(), ConfigError> {
        self.parse(text).map(|_| ())
    }
    fn check(&self, _: &GanConfig) -> Result<(), ConfigError> {
        Ok(())
    }
}

/// A knob of the registry, compared and hashed by its key (so it can key a map).
#[derive(Clone, Copy)]
pub struct GanKnob(pub &'static dyn Knob);

impl GanKnob {
    pub fn is_choice(self) -> bool {
        self.options().is_some()
    }
}

impl Deref for GanKnob {
    type Target = dyn Knob;
    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl PartialEq for GanKnob {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for GanKnob {}

impl Hash for GanKnob {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state)
    }
}

impl std::fmt::Debug for GanKnob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GanKnob({})", self.key())
    }
}

pub static LOSS: Choice<LossKind> = Choice {
    key: "loss",
    url_key: "loss-select",
    label: "loss",
    doc: "The adversarial objective.",
    get: |c| c.loss,
    set: |c, v| c.loss = v,
};
pub static NOISE: Choice<NoiseKind> = Choice {
    key: "noise",
    url_key: "noise-select",
    label: "noise distribution",
    doc: "Distribution of the generator's input noise.",
    get: |c| c.noise,
    set: |c, v| c.noise = v,
};
pub static G_ACTIVATION: Choice<Activation> = Choice {
    key: "g-activation",
    url_key: "g-activation-select",
    label: "G activation",
    doc: "The generator's hidden-layer non-linearity.",
    get: |c| c.generator.activation,
    set: |c, v| c.generator.activation = v,
};
pub static G_OUTPUT: Choice<GeneratorOutput> = Choice {
    key: "g-output",
    url_key: "g-output-select",
    label: "G output",
    doc: "The generator's output layer: linear, or tanh (points inside the square [-1, 1]²).",
    get: |c| c.g_output,
    set: |c, v| c.g_output = v,
};
pub static D_ACTIVATION: Choice<Activation> = Choice {
    key: "d-activation",
    url_key: "d-activation-select",
    label: "D activation",
    doc: "The discriminator's hidden-layer non-linearity.",
    get: |c| c.discriminator.activation,
    set: |c, v| c.discriminator.activation = v,
};
pub static G_OPTIMIZER: Choice<OptimizerKind> = Choice {
    key: "g-optimizer",
    url_key: "g-optimizer-select",
    label: "G optimiser",
    doc: "The generator's optimiser.",
    get: |c| c.g_optimizer.kind,
    set: |c, v| c.g_optimizer.kind = v,
};
pub static D_OPTIMIZER: Choice<OptimizerKind> = Choice {
    key: "d-optimizer",
    url_key: "d-optimizer-select",
    label: "D optimiser",
    doc: "The discriminator's optimiser.",
    get: |c| c.d_optimizer.kind,
    set: |c, v| c.d_optimizer.kind = v,
};

pub static G_LAYERS: Number<usize> = Number {
    key: "g-layers",
    url_key: None,
    label: "G hidden layers",
    doc: "Generator hidden layers.",
    range: 0..=5,
    off: None,
    get: |c| c.generator.hidden_layers,
    set: |c, v| c.generator.hidden_layers = v,
};
pub static G_NEURONS: Number<usize> = Number {
    key: "g-neurons",
    url_key: None,
    label: "G neurons per layer",
    doc: "Neurons per generator hidden layer.",
    range: 1..=128,
    off: None,
    get: |c| c.generator.neurons,
    set: |c, v| c.generator.neurons = v,
};
pub static D_LAYERS: Number<usize> = Number {
    key: "d-layers",
    url_key: None,
    label: "D hidden layers",
    doc: "Discriminator hidden layers.",
    range: 0..=5,
    off: None,
    get: |c| c.discriminator.hidden_layers,
    set: |c, v| c.discriminator.hidden_layers = v,
};
pub static D_NEURONS: Number<usize> = Number {
    key: "d-neurons",
    url_key: None,
    label: "D neurons per layer",
    doc: "Neurons per discriminator hidden layer.",
    range: 1..=128,
    off: None,
    get: |c| c.discriminator.neurons,
    set: |c, v| c.discriminator.neurons = v,
};
pub static NOISE_DIM: Number<usize> = Number {
    key: "noise-dim",
    url_key: None,
    label: "noise dimension",
    doc: "Values per noise vector.",
    range: 1..=16,
    off: None,
    get: |c| c.noise_dim,
    set: |c, v| c.noise_dim = v,
};
pub static G_LR: Number<f64> = Number {
    key: "g-lr",
    url_key: None,
    label: "G learning rate",
    doc: "The generator's learning rate.",
    range: LEARNING_RATE,
    off: None,
    get: |c| c.g_optimizer.learning_rate,
    set: |c, v| c.g_optimizer.learning_rate = v,
};
pub static D_LR: Number<f64> = Number {
    key: "d-lr",
    url_key: None,
    label: "D learning rate",
    doc: "The discriminator's learning rate (two time-scale updates when it differs from G's).",
    range: LEARNING_RATE,
    off: None,
    get: |c| c.d_optimizer.learning_rate,
    set: |c, v| c.d_optimizer.learning_rate = v,
};
pub static D_STEPS: Number<usize> = Number {
    key: "d-steps",
    url_key: None,
    label: "D updates per step",
    doc: "Discriminator updates per training step.",
    range: 1..=10,
    off: None,
    get: |c| c.d_steps,
    set: |c, v| c.d_steps = v,
};
pub static G_STEPS: Number<usize> = Number {
    key: "g-steps",
    url_key: None,
    label: "G updates per step",
    doc: "Generator updates per training step, after the discriminator's.",
    range: 1..=10,
    off: None,
    get: |c| c.g_steps,
    set: |c, v| c.g_steps = v,
};
pub static PACKING: Number<usize> = Number {
    key: "packing",
    url_key: None,
    label: "packing (PacGAN)",
    doc: "PacGAN: the discriminator judges this many samples at once (1: plain GAN).",
    // PacGAN used 2 to 4; more only dilutes each sample's say in the verdict.
    range: 1..=8,
    off: None,
    get: |c| c.packing,
    set: |c, v| c.packing = v,
};
pub static BATCH_SIZE: Number<usize> = Number {
    key: "batch-size",
    url_key: None,
    label: "batch size",
    doc: "Examples per batch.",
    range: 1..=1024,
    off: None,
    get: |c| c.batch_size,
    set: |c, v| c.batch_size = v,
};
pub static CLIP: Number<f32> = Number {
    key: "clip",
    url_key: None,
    label: "critic weight clip",
    doc: "The critic's weights are clipped to [-clip, clip] (Wasserstein loss only).",
    range: 1e-4..=10.0,
    off: None,
    get: |c| c.clip,
    set: |c, v| c.clip = v,
};
pub static LR_DECAY_START: Number<u64> = Number {
    key: "lr-decay-start",
    url_key: None,
    label: "LR decay from step",
    doc: "The step at which both learning rates start to fall (with --lr-decay-steps).",
    range: DECAY_STEPS,
    off: None,
    get: |c| c.lr_decay.start,
    set: |c, v| c.lr_decay.start = v,
};
pub static LR_DECAY_STEPS: Number<u64> = Number {
    key: "lr-decay-steps",
    url_key: None,
    label: "LR decay steps (0: off)",
    doc: "Steps over which both learning rates fall linearly to 5% of their value (0: no decay).",
    range: DECAY_STEPS,
    off: None,
    get: |c| c.lr_decay.steps,
    set: |c, v| c.lr_decay.steps = v,
};
pub static SEED: Number<u64> = Number {
    key: "seed",
    url_key: None,
    label: "random seed",
    doc: "Seed of the weights, the batches and the noise.",
    range: 0..=u64::MAX,
    off: None,
    get: |c| c.seed,
    set: |c, v| c.seed = v,
};

/// The blur of a 2D data set (a property of the data, not of the GAN's config).
pub static SIGMA: Number<f32, f32> = Number {
    key: "sigma",
    url_key: None,
    label: "data noise σ",
    doc: "Standard deviation of the data's Gaussian blur.",
    range: SIGMA_RANGE,
    off: None,
    get: |s| *s,
    set: |s, v| *s = v,
};

const LEARNING_RATE: RangeInclusive<f64> = 1e-6..=1.0;
/// Where a learning-rate decay starts and how long it lasts, in steps.
const DECAY_STEPS: RangeInclusive<u64> = 0..=1_000_000;

/// Every knob of the 2D GAN, the choices first, in the order the page shows them.
pub static ALL: [GanKnob; 22] = [
    GanKnob(&LOSS),
    GanKnob(&NOISE),
    GanKnob(&G_ACTIVATION),
    GanKnob(&G_OUTPUT),
    GanKnob(&D_ACTIVATION),
    GanKnob(&G_OPTIMIZER),
    GanKnob(&D_OPTIMIZER),
    GanKnob(&G_LAYERS),
    GanKnob(&G_NEURONS),
    GanKnob(&D_LAYERS),
    GanKnob(&D_NEURONS),
    GanKnob(&NOISE_DIM),
    GanKnob(&G_LR),
    GanKnob(&D_LR),
    GanKnob(&D_STEPS),
    GanKnob(&G_STEPS),
    GanKnob(&PACKING),
    GanKnob(&BATCH_SIZE),
    GanKnob(&CLIP),
    GanKnob(&LR_DECAY_START),
    GanKnob(&LR_DECAY_STEPS),
    GanKnob(&SEED),
];

/// The knob with this CLI flag.
pub fn by_key(key: &str) -> Option<GanKnob> {
    ALL.iter().copied().find(|k| k.key() == key)
}

pub fn choices() -> impl Iterator<Item = GanKnob> {
    ALL.iter().copied().filter(|k| k.is_choice())
}

pub fn numbers() -> impl Iterator<Item = GanKnob> {
    ALL.iter().copied().filter(|k| !k.is_choice())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn keys_are_unique_and_defaults_valid() {
        let keys: HashSet<_> = ALL.iter().map(|k| k.key()).collect();
        let urls: HashSet<_> = ALL.iter().map(|k| k.url_key()).collect();
        assert_eq!((keys.len(), urls.len()), (ALL.len(), ALL.len()));
        for k in &ALL {
            k.check(&GanConfig::default()).unwrap();
            k.check_text(&k.default_text()).unwrap();
        }
    }

    #[test]
    fn text_round_trips_through_every_knob() {
        let mut c = GanConfig::default();
        NOISE_DIM.write(&mut c, " 7 ").unwrap();
        G_OUTPUT.write(&mut c, "tanh").unwrap();
        LR_DECAY_START.write(&mut c, "300").unwrap();
        assert_eq!(c.noise_dim, 7);
        assert_eq!(c.g_output, GeneratorOutput::Tanh);
        assert_eq!(c.lr_decay.start, 300);
        let mut copy = GanConfig::default();
        for k in &ALL {
            k.write(&mut copy, &k.read(&c)).unwrap();
        }
        assert_eq!(copy, c);
    }

    #[test]
    fn refusals_name_the_knob_and_leave_the_config() {
        let mut c = GanConfig::default();
        let e = G_NEURONS.write(&mut c, "1000").unwrap_err();
        assert_eq!(
            e.to_string(),
            "G neurons per layer: must be between 1 and 128, got 1000"
        );
        assert_eq!(LOSS.write(&mut c, "rmsprop").unwrap_err().field, "loss");
        assert!(
            D_LR.write(&mut c, "fast")
                .unwrap_err()
                .message
                .contains("not a number")
        );
        assert_eq!(c, GanConfig::default());
    }

    #[test]
    fn optional_and_switch_choices_read_back_what_they_write() {
        use crate::config::image_knobs::{LOSS as IMAGE_LOSS, SPECTRAL_NORM};
        for (id, _) in IMAGE_LOSS.options() {
            let value = IMAGE_LOSS.parse(id).unwrap();
            assert_eq!(IMAGE_LOSS.id(value), id);
        }
        assert_eq!(IMAGE_LOSS.parse("own"), Some(None));
        assert_eq!(IMAGE_LOSS.parse("hinge"), Some(Some(LossKind::Hinge)));
        assert_eq!(IMAGE_LOSS.parse("rmsprop"), None);
        assert_eq!(SPECTRAL_NORM.parse(SPECTRAL_NORM.id(true)), Some(true));
        assert_eq!(SPECTRAL_NORM.parse(SPECTRAL_NORM.id(false)), Some(false));
        assert_eq!(SPECTRAL_NORM.parse("yes"), None);
    }
}
