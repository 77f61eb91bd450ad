//! The page's knobs, each defined in the model crate's registries (`config::knobs` for the 2D
//! GAN's, `config::image_knobs` for the image models': label, URL key, range, options). Here each
//! knows where the page keeps its value, how to show it and how to apply typed text.

use ganplay_model::config::image_knobs;
use ganplay_model::config::knobs::{self, GanKnob, Knob};
use ganplay_model::config::{Consistency, LossKind, parse_knob};
use ganplay_model::{GanConfig, ImageModelConfig};

/// Everything a user can set before training.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub config: GanConfig,
    pub sigma: f32,
    /// Semi-supervised image models: labelled digits per class (the rest train unlabelled).
    pub labels_per_class: usize,
    /// Semi-supervised image models: Adam's learning rate (0: the model's own).
    pub semi_supervised_lr: f64,
    /// The semi-supervised GAN: weight of FixMatch's consistency loss (0: off), and the
    /// confidence a pseudo-label needs.
    pub consistency_weight: f32,
    pub consistency_threshold: f32,
    /// The semi-supervised GAN: the decay of the discriminator's moving average that classifies
    /// (0: none).
    pub classifier_ema: f64,
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
            semi_supervised_lr: 0.0,
            consistency_weight: 0.0,
            consistency_threshold: Consistency::FIXMATCH.threshold,
            classifier_ema: 0.0,
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

    /// The semi-supervised models' knobs as a weight file's config set them.
    pub fn adopt_semi_supervised_options(&mut self, c: &ImageModelConfig) {
        self.labels_per_class = c.labels_per_class;
        self.semi_supervised_lr = c.learning_rate;
        self.config.lr_decay = c.lr_decay;
        self.adopt_consistency(c.consistency);
        self.classifier_ema = c.classifier_ema;
    }

    pub fn adopt_consistency(&mut self, c: Consistency) {
        self.consistency_weight = c.weight;
        if !c.is_off() {
            self.consistency_threshold = c.threshold;
        }
    }

    /// The semi-supervised GAN's consistency loss as the knobs set it.
    pub fn consistency(&self) -> Consistency {
        Consistency::with(self.consistency_weight, self.consistency_threshold)
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

/// A number the page lets the user type: one of the 2D GAN's registry knobs, the data's blur, or
/// an image model's option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberKnob {
    Gan(GanKnob),
    Sigma,
    LabelsPerClass,
    SemiSupervisedLearningRate,
    ConsistencyWeight,
    ConsistencyThreshold,
    ClassifierEma,
    Ema,
    ImageDLearningRate,
    AuxiliaryClassifier,
    VaeLatent,
}

impl NumberKnob {
    /// The image GANs' knobs (the 2D playground has its own).
    pub const IMAGE_GAN: [NumberKnob; 3] = [
        NumberKnob::Ema,
        NumberKnob::ImageDLearningRate,
        NumberKnob::AuxiliaryClassifier,
    ];

    /// A 2D GAN knob of the registry.
    pub fn gan(knob: &'static dyn Knob) -> Self {
        NumberKnob::Gan(GanKnob(knob))
    }

    /// The seed, which image models take too.
    pub fn seed() -> Self {
        NumberKnob::gan(&knobs::SEED)
    }

    /// Every number: the data's blur, the 2D GAN's, then the image models'.
    pub fn all() -> impl Iterator<Item = NumberKnob> {
        let page_only = [
            NumberKnob::LabelsPerClass,
            NumberKnob::SemiSupervisedLearningRate,
            NumberKnob::ConsistencyWeight,
            NumberKnob::ConsistencyThreshold,
            NumberKnob::ClassifierEma,
            NumberKnob::VaeLatent,
        ];
        std::iter::once(NumberKnob::Sigma)
            .chain(knobs::numbers().map(NumberKnob::Gan))
            .chain(page_only)
            .chain(NumberKnob::IMAGE_GAN)
    }

    pub fn label(self) -> &'static str {
        match self {
            NumberKnob::Gan(k) => k.label(),
            NumberKnob::Sigma => knobs::SIGMA.label,
            NumberKnob::LabelsPerClass => image_knobs::LABELS_PER_CLASS.label,
            NumberKnob::SemiSupervisedLearningRate => "learning rate (0: the model's own)",
            NumberKnob::ConsistencyWeight => image_knobs::CONSISTENCY_WEIGHT.label,
            NumberKnob::ConsistencyThreshold => image_knobs::CONSISTENCY_THRESHOLD.label,
            NumberKnob::ClassifierEma => image_knobs::CLASSIFIER_EMA.label,
            NumberKnob::Ema => image_knobs::EMA.label,
            NumberKnob::ImageDLearningRate => image_knobs::D_LEARNING_RATE.label,
            NumberKnob::AuxiliaryClassifier => image_knobs::AUXILIARY_CLASSIFIER.label,
            NumberKnob::VaeLatent => "latent dimension (2: the latent map)",
        }
    }

    /// The control's test id, which is also its URL key (the registry's).
    pub fn test_id(self) -> &'static str {
        match self {
            NumberKnob::Gan(k) => k.url_key(),
            NumberKnob::Sigma => knobs::SIGMA.url_key(),
            NumberKnob::LabelsPerClass => image_knobs::LABELS_PER_CLASS.url_key(),
            NumberKnob::SemiSupervisedLearningRate => image_knobs::LEARNING_RATE.url_key(),
            NumberKnob::ConsistencyWeight => image_knobs::CONSISTENCY_WEIGHT.url_key(),
            NumberKnob::ConsistencyThreshold => image_knobs::CONSISTENCY_THRESHOLD.url_key(),
            NumberKnob::ClassifierEma => image_knobs::CLASSIFIER_EMA.url_key(),
            NumberKnob::Ema => image_knobs::EMA.url_key(),
            NumberKnob::ImageDLearningRate => image_knobs::D_LEARNING_RATE.url_key(),
            NumberKnob::AuxiliaryClassifier => image_knobs::AUXILIARY_CLASSIFIER.url_key(),
            NumberKnob::VaeLatent => image_knobs::LATENT_DIM.url_key(),
        }
    }

    /// Whether the knob is one of the 2D playground's (image models have their own).
    pub fn shown_in_2d(self) -> bool {
        matches!(self, NumberKnob::Gan(_) | NumberKnob::Sigma)
    }

    /// Whether the 2D playground shows this knob with these settings: the clip only matters for
    /// the Wasserstein loss.
    pub fn shown(self, s: &Settings) -> bool {
        match self {
            NumberKnob::Gan(k) if k == GanKnob(&knobs::CLIP) => {
                s.config.loss == LossKind::Wasserstein
            }
            _ => self.shown_in_2d(),
        }
    }

    pub fn current(self, s: &Settings) -> String {
        match self {
            NumberKnob::Gan(k) => k.read(&s.config),
            NumberKnob::Sigma => s.sigma.to_string(),
            NumberKnob::LabelsPerClass => s.labels_per_class.to_string(),
            NumberKnob::SemiSupervisedLearningRate => s.semi_supervised_lr.to_string(),
            NumberKnob::ConsistencyWeight => s.consistency_weight.to_string(),
            NumberKnob::ConsistencyThreshold => s.consistency_threshold.to_string(),
            NumberKnob::ClassifierEma => s.classifier_ema.to_string(),
            NumberKnob::Ema => s.ema.to_string(),
            NumberKnob::ImageDLearningRate => s.image_d_lr.to_string(),
            NumberKnob::AuxiliaryClassifier => s.auxiliary_classifier.to_string(),
            NumberKnob::VaeLatent => s.vae_latent.to_string(),
        }
    }

    /// Applies typed text, or says why it is refused (settings unchanged).
    pub fn apply(self, s: &mut Settings, text: &str) -> Result<(), String> {
        let label = self.label();
        let r = match self {
            NumberKnob::Gan(k) => k.write(&mut s.config, text),
            NumberKnob::Sigma => knobs::SIGMA.parse(text).map(|v| s.sigma = v),
            NumberKnob::LabelsPerClass => {
                parse_knob(label, text, &PAGE_LABELS_PER_CLASS).map(|v| s.labels_per_class = v)
            }
            NumberKnob::SemiSupervisedLearningRate if text.trim().parse::<f64>() == Ok(0.0) => {
                s.semi_supervised_lr = 0.0;
                Ok(())
            }
            NumberKnob::SemiSupervisedLearningRate => image_knobs::LEARNING_RATE
                .parse(text)
                .map(|v| s.semi_supervised_lr = v),
            NumberKnob::ConsistencyWeight => image_knobs::CONSISTENCY_WEIGHT
                .parse(text)
                .map(|v| s.consistency_weight = v),
            NumberKnob::ConsistencyThreshold => image_knobs::CONSISTENCY_THRESHOLD
                .parse(text)
                .map(|v| s.consistency_threshold = v),
            NumberKnob::ClassifierEma => image_knobs::CLASSIFIER_EMA
                .parse(text)
                .map(|v| s.classifier_ema = v),
            NumberKnob::Ema => image_knobs::EMA.parse(text).map(|v| s.ema = v),
            NumberKnob::ImageDLearningRate => image_knobs::D_LEARNING_RATE
                .parse(text)
                .map(|v| s.image_d_lr = v),
            NumberKnob::AuxiliaryClassifier => image_knobs::AUXILIARY_CLASSIFIER
                .parse(text)
                .map(|v| s.auxiliary_classifier = v),
            NumberKnob::VaeLatent => {
                parse_knob(label, text, &PAGE_VAE_LATENTS).map(|v| s.vae_latent = v)
            }
        };
        r.map_err(|e| format!("{}: {}", e.field, e.message))
    }
}

/// A `<select>` of the page: one of the 2D GAN's registry choices, or an image GAN's option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChoiceKnob {
    Gan(GanKnob),
    ImageLoss,
    CriticWeights,
}

impl ChoiceKnob {
    /// The image GANs' choices.
    pub const IMAGE_GAN: [ChoiceKnob; 2] = [ChoiceKnob::ImageLoss, ChoiceKnob::CriticWeights];

    /// The 2D playground's choices (the ones a side-by-side run can differ in).
    pub fn toy() -> impl Iterator<Item = ChoiceKnob> {
        knobs::choices().map(ChoiceKnob::Gan)
    }

    /// Every choice, the 2D playground's then the image GANs'.
    pub fn all() -> impl Iterator<Item = ChoiceKnob> {
        ChoiceKnob::toy().chain(ChoiceKnob::IMAGE_GAN)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChoiceKnob::Gan(k) => k.label(),
            ChoiceKnob::ImageLoss => image_knobs::LOSS.label,
            ChoiceKnob::CriticWeights => image_knobs::SPECTRAL_NORM.label,
        }
    }

    /// The `<select>`'s test id, which is also its URL key.
    pub fn test_id(self) -> &'static str {
        match self {
            ChoiceKnob::Gan(k) => k.url_key(),
            ChoiceKnob::ImageLoss => image_knobs::LOSS.url_key,
            ChoiceKnob::CriticWeights => image_knobs::SPECTRAL_NORM.url_key,
        }
    }

    /// `(id, label)` of every option.
    pub fn options(self) -> Vec<(&'static str, &'static str)> {
        match self {
            ChoiceKnob::Gan(k) => k.options().unwrap_or_default(),
            ChoiceKnob::ImageLoss => image_knobs::LOSS.options(),
            ChoiceKnob::CriticWeights => image_knobs::SPECTRAL_NORM.options(),
        }
    }

    /// The id of the chosen option.
    pub fn current(self, s: &Settings) -> String {
        match self {
            ChoiceKnob::Gan(k) => k.read(&s.config),
            ChoiceKnob::ImageLoss => image_knobs::LOSS.id(s.image_loss).to_string(),
            ChoiceKnob::CriticWeights => image_knobs::SPECTRAL_NORM.id(s.spectral_norm).to_string(),
        }
    }

    /// Applies a `<select>` value; unknown values (a hand-edited URL) are ignored.
    pub fn apply(self, s: &mut Settings, id: &str) {
        match self {
            ChoiceKnob::Gan(k) => {
                let _ = k.write(&mut s.config, id);
            }
            ChoiceKnob::ImageLoss => {
                if let Some(loss) = image_knobs::LOSS.parse(id) {
                    s.image_loss = loss;
                }
            }
            ChoiceKnob::CriticWeights => {
                if let Some(on) = image_knobs::SPECTRAL_NORM.parse(id) {
                    s.spectral_norm = on;
                }
            }
        }
    }
}
