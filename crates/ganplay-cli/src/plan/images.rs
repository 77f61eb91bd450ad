//! An image model's config and data from the flags, or from the weight file a run resumes.

use std::path::Path;

use anyhow::{Context, Result, bail};
use ganplay_model::config::knobs as knob;
use ganplay_model::config::{Consistency, LrDecay, Tuning};
use ganplay_model::weights::WeightFile;
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageSet, ImageShape, ModelConfig, Scale};

use crate::args::{CommonArgs, ImageArgs, KnobFlags};
use crate::image_files::{self, BadImages};
use crate::weight_files;

pub struct ImagePlan {
    pub config: ImageModelConfig,
    /// The training images, at the model's size.
    pub set: ImageSet,
    /// Held-out images a semi-supervised model's accuracy is measured on.
    pub test: Option<ImageSet>,
    /// The data set's name, for weight files.
    pub name: String,
    pub resumed: Option<WeightFile>,
}

/// `knobs`: the GAN knob flags image models share (seed, batch size, loss, …).
pub fn resolve(common: &CommonArgs, knobs: &KnobFlags, args: &ImageArgs) -> Result<ImagePlan> {
    let (mut config, resumed) = match &args.resume {
        Some(path) => {
            let (config, file) = resumed_model(path)?;
            (config, Some(file))
        }
        None => (from_flags(knobs, args)?, None),
    };
    config.validate().context("invalid option")?;
    // A resumed run keeps training on the bundled digits unless told otherwise; other data sets
    // are folders the file cannot point to.
    let dataset = common
        .dataset
        .clone()
        .or_else(|| {
            resumed
                .as_ref()
                .map(|f| f.facts.dataset.clone())
                .filter(|d| d == "mnist")
        })
        .unwrap_or_else(|| "mnist".into());
    let bad_images = if args.strict_data {
        BadImages::Refuse
    } else {
        BadImages::Skip
    };
    let (set, name) = image_files::load(&dataset, args.data.as_deref(), config.image, bad_images)?;
    let (set, test) = if config.model.is_semi_supervised() {
        let (train, test) =
            image_files::test_split(set, &dataset, args.data.as_deref(), config.image)?;
        (train, Some(test))
    } else {
        (set, None)
    };
    // A resumed conditional model keeps the classes its inputs were trained for.
    if !config.model.is_conditional() || resumed.is_none() {
        config.class_names = set.class_names.clone();
    }
    Ok(ImagePlan {
        config,
        set,
        test,
        name,
        resumed,
    })
}

fn resumed_model(path: &Path) -> Result<(ImageModelConfig, WeightFile)> {
    let file = weight_files::read(path)?;
    match &file.config {
        ModelConfig::Image(config) => Ok((config.clone(), file)),
        ModelConfig::Toy(_) => bail!(
            "{} holds a 2D GAN; --resume continues image models",
            path.display()
        ),
    }
}

/// The model's preset at the chosen scale and size, with the knobs the flags set.
fn from_flags(knobs: &KnobFlags, args: &ImageArgs) -> Result<ImageModelConfig> {
    let model = args.model.context("--model is required")?;
    let semi_supervised_flags = args.labels_per_class.is_some()
        || args.augment_real.is_some()
        || args.consistency_weight.is_some()
        || args.input_noise.is_some()
        || args.hidden_noise.is_some();
    if semi_supervised_flags && !model.is_semi_supervised() {
        bail!(
            "--labels-per-class, --augment-real, --consistency-weight and the noise σ flags are for semi-supervised models (ssgan, m2)"
        );
    }
    if args.classification_weight.is_some() && model != ImageModelKind::M2 {
        bail!("--classification-weight is for the semi-supervised VAE (m2)");
    }
    let default_side = if args.scale == Scale::Full && model.is_convolutional() {
        64
    } else {
        28
    };
    let image = ImageShape::square(args.channels, args.image_size.unwrap_or(default_side));
    let preset = ImageModelConfig::preset(model, args.scale, image);
    Ok(ImageModelConfig {
        latent_dim: args.latent_dim.unwrap_or(preset.latent_dim),
        conv_width: args.conv_width.unwrap_or(preset.conv_width),
        learning_rate: args.lr.unwrap_or(preset.learning_rate),
        batch_size: knobs.number(&knob::BATCH_SIZE).unwrap_or(preset.batch_size),
        d_steps: knobs.number(&knob::D_STEPS).unwrap_or(preset.d_steps),
        clip: knobs.number(&knob::CLIP).unwrap_or(preset.clip),
        seed: knobs.number(&knob::SEED).unwrap_or(preset.seed),
        diff_augment: args.diff_augment,
        ema: args.ema.unwrap_or(preset.ema),
        loss: knobs
            .choice(&knob::LOSS)
            .filter(|loss| *loss != model.loss()),
        spectral_norm: args.spectral_norm,
        d_learning_rate: knobs.number(&knob::D_LR),
        auxiliary_classifier: args
            .auxiliary_classifier
            .unwrap_or(preset.auxiliary_classifier),
        labels_per_class: args.labels_per_class.unwrap_or(preset.labels_per_class),
        augment_real: args.augment_real.unwrap_or(preset.augment_real),
        consistency: args
            .consistency_weight
            .map_or(preset.consistency, |weight| {
                let threshold = args.consistency_threshold;
                Consistency::with(weight, threshold.unwrap_or(Consistency::FIXMATCH.threshold))
            }),
        classifier_ema: args.classifier_ema.unwrap_or(preset.classifier_ema),
        unsupervised_weight: args
            .unsupervised_weight
            .unwrap_or(preset.unsupervised_weight),
        classification_weight: args
            .classification_weight
            .unwrap_or(preset.classification_weight),
        lr_decay: LrDecay {
            start: knobs
                .number(&knob::LR_DECAY_START)
                .unwrap_or(preset.lr_decay.start),
            steps: knobs
                .number(&knob::LR_DECAY_STEPS)
                .unwrap_or(preset.lr_decay.steps),
        },
        tuning: Tuning {
            input_noise: args.input_noise.unwrap_or(preset.tuning.input_noise),
            hidden_noise: args.hidden_noise.unwrap_or(preset.tuning.hidden_noise),
            ..preset.tuning
        },
        ..preset
    })
}
