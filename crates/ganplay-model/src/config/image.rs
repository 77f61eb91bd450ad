//! Configuration of the image models, and [`ModelConfig`], the one config type a training session
//! and a weight file carry (2D GAN or image model).

use serde::{Deserialize, Serialize};

use crate::config::{
    ConfigError, Consistency, GanConfig, LossKind, LrDecay, OptimizerSettings, Tuning, check_range,
};
use crate::config::{ConvPlan, image_knobs};
use crate::data::images::{ImageShape, Normalisation};
use crate::string_ids;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageModelKind {
    /// The seeds' MLP GAN.
    GanMlp,
    Dcgan,
    /// Label-conditioned GAN (Mirza & Osindero 2014) on DCGAN networks: the class joins the
    /// generator's noise and a projection discriminator's score.
    Cgan,
    /// DCGAN networks trained as a Wasserstein GAN with a weight-clipped critic.
    Wgan,
    Vae,
    Cvae,
    /// Semi-supervised GAN (Salimans et al. 2016): the discriminator is a K-class classifier
    /// trained on a few labelled images and the whole set unlabelled; the generator trains by
    /// feature matching.
    Ssgan,
    /// Semi-supervised VAE (Kingma et al. 2014, "M2"): a classifier q(y|x) inside a VAE whose
    /// encoder and decoder take the class; unlabelled images are explained by every class,
    /// weighted by the classifier's belief.
    M2,
}

string_ids!(ImageModelKind {
    GanMlp => "gan-mlp", "MLP GAN",
    Dcgan => "dcgan", "DCGAN",
    Cgan => "cgan", "Conditional GAN",
    Wgan => "wgan", "Wasserstein GAN",
    Vae => "vae", "VAE",
    Cvae => "cvae", "Conditional VAE",
    Ssgan => "ssgan", "Semi-supervised GAN",
    M2 => "m2", "Semi-supervised VAE (M2)",
});

impl ImageModelKind {
    pub fn is_vae(self) -> bool {
        matches!(self, ImageModelKind::Vae | ImageModelKind::Cvae)
    }

    pub fn is_conditional(self) -> bool {
        matches!(self, ImageModelKind::Cgan | ImageModelKind::Cvae)
    }

    pub fn is_convolutional(self) -> bool {
        matches!(
            self,
            ImageModelKind::Dcgan | ImageModelKind::Cgan | ImageModelKind::Wgan
        )
    }

    /// Models whose discriminator classifies: they learn from a few labelled images and the
    /// rest of the training set unlabelled.
    pub fn is_semi_supervised(self) -> bool {
        matches!(self, ImageModelKind::Ssgan | ImageModelKind::M2)
    }

    /// Models trained on a bound of the data's likelihood: their steps report the negative
    /// ELBO's two terms.
    pub fn trains_on_elbo(self) -> bool {
        self.is_vae() || self == ImageModelKind::M2
    }

    pub fn loss(self) -> LossKind {
        match self {
            ImageModelKind::Wgan => LossKind::Wasserstein,
            _ => LossKind::NonSaturating,
        }
    }

    /// Pixel range the model sees: GANs' tanh outputs span [-1, 1], the sigmoids of VAEs and of
    /// the semi-supervised GAN (as in its paper) [0, 1].
    pub fn normalisation(self) -> Normalisation {
        if self.is_vae() || self.is_semi_supervised() {
            Normalisation::UNIT
        } else {
            Normalisation::SIGNED
        }
    }
}

/// Hidden widths of the semi-supervised models' classifier (the GAN's discriminator, the VAE's
/// q(y|x)): the paper's MNIST discriminator, at half the widths for the page.
fn semi_supervised_classifier(scale: Scale) -> Vec<usize> {
    match scale {
        Scale::Page => vec![500, 250, 125, 125, 125],
        Scale::Full => vec![1000, 500, 250, 250, 250],
    }
}

/// Size preset: small enough to train live in a browser, or the full-size native one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Page,
    Full,
}

string_ids!(Scale {
    Page => "page", "Page sizes (what the page trains live)",
    Full => "full", "Full size (64x64 DCGAN/WGAN, 16-D VAE latent)",
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageModelConfig {
    pub model: ImageModelKind,
    pub image: ImageShape,
    /// Class names (one-hot inputs of conditional models, row labels of sample grids).
    pub class_names: Vec<String>,
    /// Noise dimension of a GAN, latent dimension of a VAE.
    pub latent_dim: usize,
    /// Hidden widths of the MLP models, generator/decoder order: the discriminator/encoder uses
    /// them reversed.
    pub hidden: Vec<usize>,
    /// Channels of the DCGAN's last generator (first discriminator) stage; doubled per stage.
    pub conv_width: usize,
    pub learning_rate: f64,
    /// Adam's settings (betas, epsilon, weight decay); files from before they were recorded
    /// get the values those models trained with.
    #[serde(default)]
    pub optimizer: OptimizerSettings,
    pub batch_size: usize,
    /// Critic steps per generator step.
    pub d_steps: usize,
    /// Weight-clipping bound of the Wasserstein critic.
    pub clip: f32,
    /// Dropout after each hidden layer of the MLP discriminators.
    pub dropout: f64,
    pub seed: u64,
    /// GANs only: DiffAugment (translation and cutout of real and generated batches before the
    /// critic), for training on small data sets. Omitted from files when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub diff_augment: bool,
    /// Semi-supervised models: hidden widths of the discriminator, input first (the other
    /// models mirror `hidden`). Omitted from files when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discriminator_hidden: Vec<usize>,
    /// Semi-supervised models: labelled training images per class; every training image is
    /// also used unlabelled. Omitted from files when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub labels_per_class: usize,
    /// Semi-supervised models: the discriminator sees every real image (labelled and
    /// unlabelled) as a random affine view (`ClassicAugmentation::AFFINE`). Omitted from files
    /// when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub augment_real: bool,
    /// Semi-supervised models: a linear learning-rate decay of both networks (the paper decays
    /// to 0 at the end of training). Omitted from files when off.
    #[serde(default, skip_serializing_if = "LrDecay::is_off")]
    pub lr_decay: LrDecay,
    /// Semi-supervised models: the self-training control's consistency loss in the
    /// discriminator. Omitted from files when off.
    #[serde(default, skip_serializing_if = "Consistency::is_off")]
    pub consistency: Consistency,
    /// The semi-supervised GAN: weight of the discriminator's real/fake loss on the unlabelled
    /// and generated batches (1, the paper's). 0 leaves no GAN: the discriminator is a classifier
    /// of the labelled digits (with the consistency loss, of the unlabelled ones too) and the
    /// generator does not train, the ablation that says what the GAN adds. Omitted from files at 1.
    #[serde(default = "one_f32", skip_serializing_if = "is_one_f32")]
    pub unsupervised_weight: f32,
    /// The semi-supervised VAE: weight α of its classifier's cross-entropy on the labelled
    /// batch against the (per-image mean) ELBO terms. Omitted from files when 0.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub classification_weight: f64,
    /// The networks' finer settings (LeakyReLU's slope, the initialisation, DiffAugment's
    /// sizes, the semi-supervised discriminator's noise). Omitted from files at the defaults.
    #[serde(default, skip_serializing_if = "Tuning::is_default")]
    pub tuning: Tuning,
    /// GANs: samples come from an exponential moving average of the generator's weights
    /// (Yazıcı et al. 2019) with this decay, e.g. 0.999, rather than from the weights as last
    /// updated; training is unchanged. 0: off, and omitted from files.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub ema: f64,
    /// The semi-supervised GAN: its classifier (what test accuracy measures, what classifies)
    /// is an exponential moving average of the discriminator's weights with this decay, e.g.
    /// 0.99; training is unchanged (the consistency loss's labels come from the discriminator as
    /// trained, as in FixMatch). The labels-only twin is averaged alike. 0: off, and omitted
    /// from files.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub classifier_ema: f64,
    /// GANs: the adversarial loss, when not the model's own ([`ImageModelKind::loss`]), e.g.
    /// the hinge loss. Omitted from files when it is the model's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<LossKind>,
    /// GANs: every layer of the discriminator spectrally normalised (Miyato et al. 2018), and
    /// the convolutional critic without batch norm. The Wasserstein critic then needs no weight
    /// clipping. Omitted from files when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spectral_norm: bool,
    /// GANs: the discriminator's learning rate, when it differs from the generator's
    /// (`learning_rate`): two time-scale updates (Heusel et al. 2017). Omitted from files when
    /// the two are equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d_learning_rate: Option<f64>,
    /// The conditional GAN: AC-GAN's auxiliary classifier (Odena et al. 2017), a head of the
    /// critic that names the class of real and generated images, its cross-entropy added with
    /// this weight to both networks' losses. 0: none, and omitted from files.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub auxiliary_classifier: f64,
}

fn one_f32() -> f32 {
    1.0
}

fn is_one_f32(v: &f32) -> bool {
    *v == 1.0
}

fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub mod image_limits {
    use std::ops::RangeInclusive;
    pub const LATENT_DIM: RangeInclusive<usize> = 1..=512;
    pub const WIDTH: RangeInclusive<usize> = 1..=4096;
    pub const CONV_WIDTH: RangeInclusive<usize> = 1..=512;
    pub const LEARNING_RATE: RangeInclusive<f64> = 1e-7..=1.0;
    pub const BATCH_SIZE: RangeInclusive<usize> = 1..=1024;
    pub const D_STEPS: RangeInclusive<usize> = 1..=20;
    pub const CLIP: RangeInclusive<f32> = 1e-4..=10.0;
    pub const DROPOUT: RangeInclusive<f64> = 0.0..=0.9;
    pub const IMAGE_SIDE: RangeInclusive<usize> = 4..=256;
    pub const CHANNELS: RangeInclusive<usize> = 1..=4;
    pub const LABELS_PER_CLASS: RangeInclusive<usize> = 1..=10_000;
    pub const DISCRIMINATOR_LAYERS: RangeInclusive<usize> = 1..=16;
    pub const CLASSIFICATION_WEIGHT: RangeInclusive<f64> = 1e-3..=1e4;
    /// σ of the semi-supervised classifier's Gaussian noise, on its input and hidden layers.
    pub const NOISE: RangeInclusive<f32> = 0.0..=5.0;
    pub const HIDDEN_LAYERS: RangeInclusive<usize> = 1..=16;
    pub const CLASSES: RangeInclusive<usize> = 0..=1000;
    /// Characters of one class name (a label under a row of samples).
    pub const CLASS_NAME: RangeInclusive<usize> = 1..=64;
}

impl ImageModelConfig {
    /// The settings each model is known to train well with, on digits 0–9 of the given shape.
    pub fn preset(model: ImageModelKind, scale: Scale, image: ImageShape) -> Self {
        let page = scale == Scale::Page;
        let base = ImageModelConfig {
            model,
            image,
            class_names: (0..10).map(|d| d.to_string()).collect(),
            latent_dim: 100,
            // The seeds' MLP GAN: G 100→256→512→1024→784, D 784→1024→512→256→1.
            hidden: vec![256, 512, 1024],
            conv_width: if page { 16 } else { 64 },
            learning_rate: 2e-4,
            optimizer: OptimizerSettings::default(),
            batch_size: 64,
            d_steps: 1,
            clip: 0.01,
            dropout: 0.3,
            seed: 1,
            diff_augment: false,
            discriminator_hidden: Vec::new(),
            labels_per_class: 0,
            augment_real: false,
            lr_decay: LrDecay::default(),
            consistency: Consistency::default(),
            unsupervised_weight: 1.0,
            classification_weight: 0.0,
            tuning: Tuning::default(),
            ema: 0.0,
            classifier_ema: 0.0,
            loss: None,
            spectral_norm: false,
            d_learning_rate: None,
            auxiliary_classifier: 0.0,
        };
        match model {
            ImageModelKind::GanMlp | ImageModelKind::Cgan | ImageModelKind::Dcgan => base,
            // WGAN's paper: 5 critic steps per generator step, clip 0.01, a small learning rate.
            ImageModelKind::Wgan => ImageModelConfig {
                d_steps: 5,
                learning_rate: 5e-5,
                ..base
            },
            ImageModelKind::Vae | ImageModelKind::Cvae => ImageModelConfig {
                // A 2-D latent space can be drawn as a map; the full-size model trades that for
                // sharper reconstructions.
                latent_dim: if page { 2 } else { 16 },
                hidden: if page { vec![256] } else { vec![512] },
                learning_rate: 1e-3,
                batch_size: 100,
                dropout: 0.0,
                ..base
            },
            // The paper's MNIST networks and training: D 784-1000-500-250-250-250-10, G
            // 100-500-500-784, Adam 3e-3 with beta 1 0.5, batches of 100. The page's size keeps
            // the discriminator's shape at half the widths. One departure, measured in
            // docs/semi-supervised.md: D sees random affine views of the real digits (about ten
            // points more test accuracy at 3,000 steps on the bundled digits).
            ImageModelKind::Ssgan => ImageModelConfig {
                hidden: vec![500, 500],
                discriminator_hidden: semi_supervised_classifier(scale),
                learning_rate: 3e-3,
                batch_size: 100,
                dropout: 0.0,
                labels_per_class: 10,
                augment_real: true,
                ..base
            },
            // Kingma et al.'s M2 on MNIST: one hidden layer of 500 units, a 50-D latent (the
            // page's is 256 and 16: every unlabelled image goes through the VAE once per
            // class). The classifier q(y|x) is the semi-supervised GAN's discriminator, noise
            // layers and all, so the two models differ only in the generative half. α is
            // their 0.1·N for the mean-per-image terms at 10 labels per class (0.1 × the
            // labelled count).
            ImageModelKind::M2 => ImageModelConfig {
                latent_dim: if page { 16 } else { 50 },
                hidden: if page { vec![256] } else { vec![500] },
                discriminator_hidden: semi_supervised_classifier(scale),
                learning_rate: 1e-3,
                batch_size: 100,
                dropout: 0.0,
                labels_per_class: 10,
                classification_weight: 10.0,
                ..base
            },
        }
    }

    /// The adversarial loss GANs train with: the config's choice, else the model's own.
    pub fn loss(&self) -> LossKind {
        self.loss.unwrap_or(self.model.loss())
    }

    /// The model is a GAN with a critic that the adversarial options (loss, spectral norm, two
    /// learning rates, moving average) apply to: not a VAE, not a semi-supervised model.
    pub fn is_adversarial(&self) -> bool {
        !self.model.is_vae() && !self.model.is_semi_supervised()
    }

    /// Classes a semi-supervised model's discriminator tells apart (0 for other models).
    pub fn classified_classes(&self) -> usize {
        if self.model.is_semi_supervised() {
            self.class_names.len()
        } else {
            0
        }
    }

    pub fn classes(&self) -> usize {
        if self.model.is_conditional() {
            self.class_names.len()
        } else {
            0
        }
    }

    /// Checks ranges and that the networks can be built for the image shape.
    pub fn validate(&self) -> Result<(), ConfigError> {
        use image_limits as l;
        image_knobs::LATENT_DIM.check_in(self)?;
        check_range("image height", self.image.height, &l::IMAGE_SIDE)?;
        check_range("image width", self.image.width, &l::IMAGE_SIDE)?;
        check_range("image channels", self.image.channels, &l::CHANNELS)?;
        check_range("learning rate", self.learning_rate, &l::LEARNING_RATE)?;
        self.optimizer.validate()?;
        check_range("batch size", self.batch_size, &l::BATCH_SIZE)?;
        check_range("discriminator steps", self.d_steps, &l::D_STEPS)?;
        check_range("weight clip", self.clip, &l::CLIP)?;
        check_range("dropout", self.dropout, &l::DROPOUT)?;
        self.tuning.validate()?;
        image_knobs::EMA.check_in(self)?;
        if self.ema != 0.0 && !self.is_adversarial() {
            return Err(ConfigError {
                field: image_knobs::EMA.label,
                message: "averages a GAN's generator for sampling; this model has none to average"
                    .into(),
            });
        }
        image_knobs::CLASSIFIER_EMA.check_in(self)?;
        if self.classifier_ema != 0.0 && self.model != ImageModelKind::Ssgan {
            return Err(ConfigError {
                field: image_knobs::CLASSIFIER_EMA.label,
                message: "averages the semi-supervised GAN's discriminator; use it with ssgan"
                    .into(),
            });
        }
        let adversarial_only = |field: &'static str| ConfigError {
            field,
            message: format!(
                "is an option of the GANs' critic; the {} has none",
                self.model.label()
            ),
        };
        if self.loss.is_some() && !self.is_adversarial() {
            return Err(adversarial_only("loss"));
        }
        if self.spectral_norm && !self.is_adversarial() {
            return Err(adversarial_only("spectral norm"));
        }
        if let Some(rate) = self.d_learning_rate {
            if !self.is_adversarial() {
                return Err(adversarial_only(image_knobs::D_LEARNING_RATE.label));
            }
            // A file names its own rate only when there is one: the off value 0 is None there.
            let knob = &image_knobs::D_LEARNING_RATE;
            check_range(knob.label, rate, &knob.range)?;
        }
        image_knobs::AUXILIARY_CLASSIFIER.check_in(self)?;
        if self.auxiliary_classifier != 0.0 && self.model != ImageModelKind::Cgan {
            return Err(ConfigError {
                field: image_knobs::AUXILIARY_CLASSIFIER.label,
                message: "names the class a conditional GAN's critic sees; use it with cgan".into(),
            });
        }
        check_range("classes", self.class_names.len(), &l::CLASSES)?;
        for name in &self.class_names {
            check_range("class name length", name.chars().count(), &l::CLASS_NAME)?;
        }
        if self.diff_augment && self.model.is_vae() {
            return Err(ConfigError {
                field: "DiffAugment",
                message: "augments a GAN's critic input; a VAE has no critic".into(),
            });
        }
        if !self.lr_decay.is_off() && !self.model.is_semi_supervised() {
            return Err(ConfigError {
                field: "learning-rate decay",
                message: "is offered for the semi-supervised models only".into(),
            });
        }
        if !self.consistency.is_off() {
            if self.model != ImageModelKind::Ssgan {
                return Err(ConfigError {
                    field: "consistency",
                    message: "is a loss of the semi-supervised discriminator".into(),
                });
            }
            image_knobs::CONSISTENCY_WEIGHT.check_in(self)?;
            image_knobs::CONSISTENCY_THRESHOLD.check_in(self)?;
        }
        if self.unsupervised_weight != 1.0 {
            if self.model != ImageModelKind::Ssgan {
                return Err(ConfigError {
                    field: "unsupervised weight",
                    message: "weighs the semi-supervised GAN's real/fake loss".into(),
                });
            }
            check_range(
                "unsupervised weight",
                self.unsupervised_weight,
                &(0.0..=10.0),
            )?;
        }
        if self.model == ImageModelKind::M2 {
            check_range(
                "classification weight",
                self.classification_weight,
                &l::CLASSIFICATION_WEIGHT,
            )?;
        } else if self.classification_weight != 0.0 {
            return Err(ConfigError {
                field: "classification weight",
                message: "weighs the semi-supervised VAE's classifier; other models have none"
                    .into(),
            });
        }
        if self.augment_real && !self.model.is_semi_supervised() {
            return Err(ConfigError {
                field: "augment real",
                message: "augments the semi-supervised discriminator's real images; use DiffAugment for other GANs".into(),
            });
        }
        if self.model.is_semi_supervised() {
            image_knobs::LABELS_PER_CLASS.check_in(self)?;
            check_range(
                "discriminator layers",
                self.discriminator_hidden.len(),
                &l::DISCRIMINATOR_LAYERS,
            )?;
            for w in &self.discriminator_hidden {
                check_range("discriminator width", *w, &l::WIDTH)?;
            }
            if self.class_names.len() < 2 {
                return Err(ConfigError {
                    field: "classes",
                    message: "a semi-supervised model needs at least two classes".into(),
                });
            }
        }
        if self.model.is_conditional() && self.class_names.is_empty() {
            return Err(ConfigError {
                field: "classes",
                message: "a conditional model needs class names".into(),
            });
        }
        if self.model.is_convolutional() {
            check_range("convolution width", self.conv_width, &l::CONV_WIDTH)?;
            ConvPlan::for_image(self.image)?;
        } else {
            check_range("hidden layers", self.hidden.len(), &l::HIDDEN_LAYERS)?;
            for w in &self.hidden {
                check_range("hidden width", *w, &l::WIDTH)?;
            }
        }
        Ok(())
    }
}

/// What a training session trains and a weight file describes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum ModelConfig {
    /// A GAN on 2D points.
    Toy(GanConfig),
    Image(ImageModelConfig),
}

impl ModelConfig {
    pub fn seed(&self) -> u64 {
        match self {
            ModelConfig::Toy(c) => c.seed,
            ModelConfig::Image(c) => c.seed,
        }
    }

    pub fn batch_size(&self) -> usize {
        match self {
            ModelConfig::Toy(c) => c.batch_size,
            ModelConfig::Image(c) => c.batch_size,
        }
    }

    /// Short name for file names, logs and the page (`gan-mlp`, `dcgan`, …; `toy-gan` for 2D).
    pub fn model_id(&self) -> &'static str {
        match self {
            ModelConfig::Toy(_) => "toy-gan",
            ModelConfig::Image(c) => c.model.id(),
        }
    }

    pub fn toy(&self) -> Option<&GanConfig> {
        match self {
            ModelConfig::Toy(c) => Some(c),
            ModelConfig::Image(_) => None,
        }
    }

    pub fn image(&self) -> Option<&ImageModelConfig> {
        match self {
            ModelConfig::Image(c) => Some(c),
            ModelConfig::Toy(_) => None,
        }
    }
}

impl From<GanConfig> for ModelConfig {
    fn from(c: GanConfig) -> Self {
        ModelConfig::Toy(c)
    }
}

impl From<ImageModelConfig> for ModelConfig {
    fn from(c: ImageModelConfig) -> Self {
        ModelConfig::Image(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_absurd_values_are_refused() {
        for &kind in ImageModelKind::ALL {
            for scale in [Scale::Page, Scale::Full] {
                let image = if scale == Scale::Full && kind.is_convolutional() {
                    ImageShape::square(1, 64)
                } else {
                    ImageShape::MNIST
                };
                ImageModelConfig::preset(kind, scale, image)
                    .validate()
                    .unwrap();
            }
        }
        let good = ImageModelConfig::preset(ImageModelKind::Dcgan, Scale::Page, ImageShape::MNIST);
        let bad = ImageModelConfig {
            learning_rate: f64::NAN,
            ..good.clone()
        };
        assert_eq!(bad.validate().unwrap_err().field, "learning rate");
        let bad = ImageModelConfig {
            image: ImageShape::square(1, 7),
            ..good
        };
        assert_eq!(bad.validate().unwrap_err().field, "image size");
    }

    #[test]
    fn semi_supervised_options_are_checked_and_left_out_of_files_when_off() {
        let paper = ImageModelConfig {
            augment_real: false,
            ..ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST)
        };
        let json = serde_json::to_string(&paper).unwrap();
        assert!(
            !json.contains("augment_real") && !json.contains("lr_decay"),
            "{json}"
        );
        let tuned = ImageModelConfig {
            augment_real: true,
            lr_decay: LrDecay {
                start: 3000,
                steps: 3000,
            },
            ..paper
        };
        tuned.validate().unwrap();
        let json = serde_json::to_string(&tuned).unwrap();
        assert!(json.contains(r#""augment_real":true"#), "{json}");
        assert_eq!(
            serde_json::from_str::<ImageModelConfig>(&json).unwrap(),
            tuned
        );
        let dcgan = ImageModelConfig::preset(ImageModelKind::Dcgan, Scale::Page, ImageShape::MNIST);
        let bad = ImageModelConfig {
            augment_real: true,
            ..dcgan.clone()
        };
        assert_eq!(bad.validate().unwrap_err().field, "augment real");
        let bad = ImageModelConfig {
            lr_decay: tuned.lr_decay,
            ..dcgan
        };
        assert_eq!(bad.validate().unwrap_err().field, "learning-rate decay");
    }

    #[test]
    fn configs_survive_json() {
        let c: ModelConfig =
            ImageModelConfig::preset(ImageModelKind::Cvae, Scale::Page, ImageShape::MNIST).into();
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.contains(r#""family":"image""#) && json.contains(r#""model":"cvae""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<ModelConfig>(&json).unwrap(), c);
        // A file written before the optimiser settings were recorded loads with today's values.
        let old = json.replace(
            &format!(
                r#","optimizer":{}"#,
                serde_json::to_string(&OptimizerSettings::default()).unwrap()
            ),
            "",
        );
        assert!(!old.contains("beta_1"), "{old}");
        assert_eq!(serde_json::from_str::<ModelConfig>(&old).unwrap(), c);
        let toy: ModelConfig = GanConfig::default().into();
        assert_eq!(
            serde_json::from_str::<ModelConfig>(&serde_json::to_string(&toy).unwrap()).unwrap(),
            toy
        );
    }
}
