//! The image models' options that both the page and the CLI offer, each defined once: the CLI
//! flag, label, doc, range and the page's URL key (some older than these flags).
//! [`ImageModelConfig::validate`] checks a weight file's config with the same ranges.

use super::image::ImageModelConfig;
use super::image::image_limits;
use super::knobs::{Number, Optional, Switch};
use super::{Consistency, LossKind};

pub static LATENT_DIM: Number<usize, ImageModelConfig> = Number {
    key: "latent-dim",
    url_key: None,
    label: "latent dimension",
    doc: "Noise / latent dimension (default: the preset's).",
    range: image_limits::LATENT_DIM,
    off: None,
    get: |c| c.latent_dim,
    set: |c, v| c.latent_dim = v,
};
pub static LEARNING_RATE: Number<f64, ImageModelConfig> = Number {
    key: "lr",
    url_key: Some("image-lr"),
    label: "learning rate",
    doc: "Adam learning rate (default: the preset's).",
    range: image_limits::LEARNING_RATE,
    off: None,
    get: |c| c.learning_rate,
    set: |c, v| c.learning_rate = v,
};
pub static LABELS_PER_CLASS: Number<usize, ImageModelConfig> = Number {
    key: "labels-per-class",
    url_key: None,
    label: "labelled digits per class",
    doc: "Semi-supervised models (ssgan, m2): labelled training images per class, drawn from \
          --seed; every training image is also used unlabelled (default: the preset's, 10).",
    range: image_limits::LABELS_PER_CLASS,
    off: None,
    get: |c| c.labels_per_class,
    set: |c, v| c.labels_per_class = v,
};
pub static EMA: Number<f64, ImageModelConfig> = Number {
    key: "ema",
    url_key: None,
    label: "G weight average, decay (0: off)",
    doc: "GANs: sample from a moving average of the generator's weights with this decay (e.g. \
          0.999; Yazıcı et al. 2019); training is unchanged (default: 0, off).",
    // Below 0.5 it hardly averages.
    range: 0.5..=0.99999,
    off: Some(0.0),
    get: |c| c.ema,
    set: |c, v| c.ema = v,
};
pub static AUXILIARY_CLASSIFIER: Number<f64, ImageModelConfig> = Number {
    key: "auxiliary-classifier",
    url_key: Some("aux-classifier"),
    label: "AC-GAN class loss weight (0: off)",
    doc: "The conditional GAN (cgan): AC-GAN's auxiliary classifier, a critic head that names \
          the class of real and generated digits, its cross-entropy added with this weight to \
          both networks' losses (e.g. 1; default 0, off).",
    range: 1e-3..=100.0,
    off: Some(0.0),
    get: |c| c.auxiliary_classifier,
    set: |c, v| c.auxiliary_classifier = v,
};
pub static CONSISTENCY_WEIGHT: Number<f32, ImageModelConfig> = Number {
    key: "consistency-weight",
    url_key: None,
    label: "consistency loss weight (0: off)",
    doc: "The semi-supervised GAN (ssgan): weight of FixMatch's consistency loss in the \
          discriminator (its own confident label of each unlabelled digit taught to a strongly \
          distorted copy, threshold 0.95); default 0, off.",
    range: 1e-3..=100.0,
    off: Some(0.0),
    get: |c| c.consistency.weight,
    set: |c, v| c.consistency = Consistency::with_weight(v),
};
pub static CONSISTENCY_THRESHOLD: Number<f32, ImageModelConfig> = Number {
    key: "consistency-threshold",
    url_key: None,
    label: "consistency loss threshold",
    doc: "The semi-supervised GAN (ssgan), with --consistency-weight: the confidence (softmax \
          probability among the classes) an unlabelled digit's label needs before it is taught \
          to the distorted copy (default 0.95, FixMatch's).",
    range: 0.0..=1.0,
    off: None,
    get: |c| c.consistency.threshold,
    set: |c, v| c.consistency.threshold = v,
};
pub static CLASSIFIER_EMA: Number<f64, ImageModelConfig> = Number {
    key: "classifier-ema",
    url_key: None,
    label: "classifier weight average, decay (0: off)",
    doc: "The semi-supervised GAN (ssgan): classify with a moving average of the \
          discriminator's weights with this decay, e.g. 0.99; training is unchanged (default: 0, \
          off).",
    // Below 0.5 it hardly averages.
    range: 0.5..=0.99999,
    off: Some(0.0),
    get: |c| c.classifier_ema,
    set: |c, v| c.classifier_ema = v,
};
pub static INPUT_NOISE: Number<f32, ImageModelConfig> = Number {
    key: "input-noise",
    url_key: None,
    label: "D input noise σ",
    doc: "Semi-supervised models (ssgan, m2): σ of the Gaussian noise added to the classifier's \
          input while it trains (default 0.3, the paper's).",
    range: image_limits::NOISE,
    off: None,
    get: |c| c.tuning.input_noise,
    set: |c, v| c.tuning.input_noise = v,
};
pub static HIDDEN_NOISE: Number<f32, ImageModelConfig> = Number {
    key: "hidden-noise",
    url_key: None,
    label: "D hidden noise σ",
    doc: "Semi-supervised models (ssgan, m2): σ of the Gaussian noise added after each of the \
          classifier's hidden layers while it trains (default 0.5, the paper's).",
    range: image_limits::NOISE,
    off: None,
    get: |c| c.tuning.hidden_noise,
    set: |c, v| c.tuning.hidden_noise = v,
};
/// An image GAN's discriminator learning rate; its CLI flag is the 2D knob's `--d-lr`.
pub static D_LEARNING_RATE: Number<f64, ImageModelConfig> = Number {
    key: "d-lr",
    url_key: Some("image-d-lr"),
    label: "D learning rate (0: G's)",
    doc: "GANs: the discriminator's learning rate, for two time-scale updates (0: the \
          generator's).",
    range: image_limits::LEARNING_RATE,
    off: Some(0.0),
    get: |c| c.d_learning_rate.unwrap_or(0.0),
    set: |c, v| c.d_learning_rate = (v != 0.0).then_some(v),
};
/// An image GAN's adversarial loss, on the page; the CLI's flag is the 2D knob's `--loss`.
pub static LOSS: Optional<LossKind> = Optional {
    url_key: "image-loss-select",
    label: "loss",
    none: ("own", "the model's own"),
    values: LossKind::ALL,
};
pub static SPECTRAL_NORM: Switch = Switch {
    key: "spectral-norm",
    url_key: "critic-weights-select",
    label: "D layers",
    doc: "GANs: spectral normalisation of every discriminator layer (Miyato et al. 2018), in \
          place of the convolutional critic's batch norm and of wgan's weight clipping.",
    off: ("plain", "as in the model's paper"),
    on: ("spectral", "spectrally normalised"),
};
