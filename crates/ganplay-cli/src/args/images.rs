//! Options of image models: which model, on which data, at which size, and what to write.

use std::path::PathBuf;

use clap::Args;
use ganplay_model::{ImageModelKind, Scale};

use ganplay_model::config::image_knobs as knob;

use super::knob_flags::ranged;
use super::values::id_of;

#[derive(Args)]
pub struct ImageArgs {
    /// Image model to train. Without it (and without --resume), a 2D GAN.
    #[arg(long, value_parser = id_of::<ImageModelKind>())]
    pub model: Option<ImageModelKind>,
    /// Image data: a folder with MNIST's IDX files (train-images-idx3-ubyte[.gz] and
    /// train-labels-idx1-ubyte[.gz]), or a folder of class folders of PNG/JPEG images.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Stop at the first image in a --data folder that cannot be decoded (default: skip such
    /// images and name them in a warning).
    #[arg(long)]
    pub strict_data: bool,
    /// Size preset: `page` (what the page trains live) or `full`.
    #[arg(long, value_parser = id_of::<Scale>(), default_value = Scale::Full.id())]
    pub scale: Scale,
    /// Image side the model works at; images are resized to it (default: 64 for the full-size
    /// DCGAN and WGAN, else 28).
    #[arg(long)]
    pub image_size: Option<usize>,
    /// Colour channels the model works at: 1 (grey) or 3 (RGB).
    #[arg(long, default_value_t = 1)]
    pub channels: usize,
    #[arg(long = knob::LATENT_DIM.key, help = knob::LATENT_DIM.doc, value_parser = ranged(&knob::LATENT_DIM))]
    pub latent_dim: Option<usize>,
    /// DCGAN base channel count (default: the preset's).
    #[arg(long)]
    pub conv_width: Option<usize>,
    #[arg(long = knob::LEARNING_RATE.key, help = knob::LEARNING_RATE.doc, value_parser = ranged(&knob::LEARNING_RATE))]
    pub lr: Option<f64>,
    /// Write a sample grid every this many steps (0: only at the end).
    #[arg(long, default_value_t = 500)]
    pub sample_every: u64,
    /// Write checkpoint.safetensors every this many steps (0: only at the end).
    #[arg(long, default_value_t = 1000)]
    pub checkpoint_every: u64,
    /// Continue from a weight file or checkpoint (its config wins; --steps is the total to
    /// reach), with the optimiser state written beside it (`.optim`) when it is there.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// GANs: DiffAugment (random translation and cutout of real and generated batches before
    /// the critic; Zhao et al. 2020), for small data sets.
    #[arg(long)]
    pub diff_augment: bool,
    #[arg(long = knob::EMA.key, help = knob::EMA.doc, value_parser = ranged(&knob::EMA))]
    pub ema: Option<f64>,
    #[arg(long = knob::SPECTRAL_NORM.key, help = knob::SPECTRAL_NORM.doc)]
    pub spectral_norm: bool,
    #[arg(long = knob::AUXILIARY_CLASSIFIER.key, help = knob::AUXILIARY_CLASSIFIER.doc, value_parser = ranged(&knob::AUXILIARY_CLASSIFIER))]
    pub auxiliary_classifier: Option<f64>,
    #[arg(long = knob::LABELS_PER_CLASS.key, help = knob::LABELS_PER_CLASS.doc, value_parser = ranged(&knob::LABELS_PER_CLASS))]
    pub labels_per_class: Option<usize>,
    /// Semi-supervised models (ssgan, m2): whether the classifier sees every real digit as a
    /// random affine view (rotation ±10°, scale ±10 %, shift ±2 px); default true, `false` for
    /// the paper's recipe (m2: default false).
    #[arg(long)]
    pub augment_real: Option<bool>,
    #[arg(long = knob::CONSISTENCY_WEIGHT.key, help = knob::CONSISTENCY_WEIGHT.doc, value_parser = ranged(&knob::CONSISTENCY_WEIGHT))]
    pub consistency_weight: Option<f32>,
    #[arg(long = knob::CONSISTENCY_THRESHOLD.key, help = knob::CONSISTENCY_THRESHOLD.doc, value_parser = ranged(&knob::CONSISTENCY_THRESHOLD), requires = "consistency_weight")]
    pub consistency_threshold: Option<f32>,
    #[arg(long = knob::CLASSIFIER_EMA.key, help = knob::CLASSIFIER_EMA.doc, value_parser = ranged(&knob::CLASSIFIER_EMA))]
    pub classifier_ema: Option<f64>,
    #[arg(long = knob::INPUT_NOISE.key, help = knob::INPUT_NOISE.doc, value_parser = ranged(&knob::INPUT_NOISE))]
    pub input_noise: Option<f32>,
    #[arg(long = knob::HIDDEN_NOISE.key, help = knob::HIDDEN_NOISE.doc, value_parser = ranged(&knob::HIDDEN_NOISE))]
    pub hidden_noise: Option<f32>,
    /// The semi-supervised GAN (ssgan): weight of its discriminator's real/fake loss (default
    /// 1). 0 trains no GAN: the discriminator alone, on the labelled digits (and, with
    /// --consistency-weight, the unlabelled ones), the ablation that shows what the GAN adds.
    #[arg(long)]
    pub unsupervised_weight: Option<f32>,
    /// The semi-supervised VAE (m2): weight α of its classifier's cross-entropy on the
    /// labelled digits against the per-image ELBO (default: the preset's, 10).
    #[arg(long)]
    pub classification_weight: Option<f64>,
    /// Store the final weights as f16 (half the size).
    #[arg(long)]
    pub f16: bool,
}
