//! The networks and optimisers a config describes: one [`Nets`] per model family.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;

use super::diff_augment::DiffAugment;
use super::optimizer::{Optimizer, optimizer};
use super::supervised_twin::SupervisedTwin;
use crate::config::image::{ImageModelConfig, ImageModelKind, ModelConfig};
use crate::config::{
    Activation, ConfigError, Consistency, GanConfig, GeneratorOutput, LossKind, LrDecay,
    OptimizerKind,
};
use crate::data::RealData;
use crate::data::images::{ImageShape, Normalisation};
use crate::nets::activation::Nonlinearity;
use crate::nets::conv::{ConvCritic, ConvCriticOptions, ConvGenerator};
use crate::nets::mlp::Mlp;
use crate::nets::ssgan::{
    DiscriminatorNoise, M2Modules, SsganDiscriminator, SsganGenerator, SsganModules,
};
use crate::nets::vae::Vae;
use crate::nets::{Critic, DcganInit, GanModules, Generator, VaeModules};

/// The networks and optimisers of one model family.
#[allow(
    clippy::large_enum_variant,
    reason = "one per session, built once; boxing buys nothing"
)]
pub(crate) enum Nets {
    Gan(GanNets),
    Vae(VaeNets),
    SemiSupervised(SsganNets),
    SemiSupervisedVae(M2Nets),
}

pub(crate) struct GanNets {
    /// Generator and critic as one module tree, whose paths name the weight file's tensors.
    pub(crate) modules: GanModules,
    pub(super) g_optimizer: Optimizer,
    pub(super) d_optimizer: Optimizer,
    pub(super) plan: GanPlan,
}

/// Everything a GAN step needs to know, whichever config it came from.
pub(super) struct GanPlan {
    pub(super) loss: LossKind,
    pub(super) noise_dim: usize,
    pub(super) classes: usize,
    pub(super) g_learning_rate: f64,
    pub(super) d_learning_rate: f64,
    /// Both rates' schedule over the session's steps.
    pub(super) lr_decay: LrDecay,
    pub(super) d_steps: usize,
    pub(super) g_steps: usize,
    /// Samples the critic judges at once (PacGAN); its input is `packing` samples wide.
    pub(super) packing: usize,
    /// WGAN's weight clipping bound, when the critic's Lipschitz constraint is clipping (the
    /// Wasserstein loss without spectral normalisation).
    pub(super) clip: Option<f32>,
    /// AC-GAN's weight of the class loss in both networks' losses (0: no auxiliary classifier).
    pub(super) auxiliary_classifier: f64,
    /// Image GANs trained with DiffAugment.
    pub(super) diff_augment: Option<DiffAugment>,
    /// The decay of the generator's moving average (0: none).
    pub(super) ema: f64,
}

pub(crate) struct VaeNets {
    pub(crate) modules: VaeModules,
    pub(super) optimizer: Optimizer,
    pub(super) learning_rate: f64,
    pub(super) latent: usize,
    pub(super) classes: usize,
}

pub(crate) struct SsganNets {
    pub(crate) modules: SsganModules,
    pub(super) g_optimizer: Optimizer,
    pub(super) d_optimizer: Optimizer,
    pub(super) learning_rate: f64,
    pub(super) lr_decay: LrDecay,
    pub(super) noise_dim: usize,
    /// The labelled images; the session's own data is the whole set, used unlabelled.
    pub(super) labelled: Box<dyn RealData>,
    pub(super) classes: usize,
    /// The same discriminator trained on the labelled images alone, when the session tracks it.
    pub(super) twin: SupervisedTwin,
    pub(super) consistency: Consistency,
    /// Weight of the real/fake loss; 0: no GAN (the generator does not train).
    pub(super) unsupervised_weight: f32,
    /// The images' shape and normalisation, for the consistency loss's distorted views.
    pub(super) image: ImageShape,
    pub(super) normalisation: Normalisation,
    /// The decay of the discriminator's moving average (0: none).
    pub(super) classifier_ema: f64,
}

pub(crate) struct M2Nets {
    pub(crate) modules: M2Modules,
    pub(super) optimizer: Optimizer,
    pub(super) learning_rate: f64,
    pub(super) lr_decay: LrDecay,
    pub(super) latent: usize,
    pub(super) classes: usize,
    /// The labelled images; the session's own data is the whole set, used unlabelled.
    pub(super) labelled: Box<dyn RealData>,
    /// α: the classifier's cross-entropy weight.
    pub(super) classification_weight: f64,
    /// The same classifier trained on the labelled images alone, when the session tracks it.
    pub(super) twin: SupervisedTwin,
}

/// New networks with weights drawn from `rng`, after checking that `data` fits them. For 2D GANs
/// the sizes are checked for sanity only: the playground's narrower knob ranges are
/// [`GanConfig::validate`]'s job.
pub(super) fn build(
    config: &ModelConfig,
    data: &dyn RealData,
    rng: &mut StdRng,
    device: &Device,
) -> Result<Nets, ConfigError> {
    config.check_buildable()?;
    match config {
        ModelConfig::Toy(c) => toy_nets(c, data.dim(), rng, device),
        ModelConfig::Image(c) => {
            check_data(c, data)?;
            if c.model.is_semi_supervised() {
                semi_supervised_nets(c, data, rng, device)
            } else {
                image_nets(c, rng, device)
            }
        }
    }
}

fn check_data(c: &ImageModelConfig, data: &dyn RealData) -> Result<(), ConfigError> {
    if data.dim() != c.image.len() {
        return Err(ConfigError {
            field: "data",
            message: format!(
                "the model takes {} values per image, the data has {}",
                c.image.len(),
                data.dim()
            ),
        });
    }
    let classes = c.classes().max(c.classified_classes());
    if classes > 0 && data.classes() != classes {
        return Err(ConfigError {
            field: "data",
            message: format!(
                "the model knows {classes} classes, the data has {}",
                data.classes()
            ),
        });
    }
    Ok(())
}

/// The semi-supervised GAN or VAE, its classifier initialised on a batch of real images.
fn semi_supervised_nets(
    c: &ImageModelConfig,
    data: &dyn RealData,
    rng: &mut StdRng,
    device: &Device,
) -> Result<Nets, ConfigError> {
    let labelled = data
        .labelled_subset(c.labels_per_class, c.seed)
        .map_err(|message| ConfigError {
            field: "labels per class",
            message,
        })?;
    let mut values = Vec::with_capacity(INIT_BATCH * data.dim());
    data.sample_into(INIT_BATCH, rng, &mut values);
    let batch = Tensor::from_data(TensorData::new(values, [INIT_BATCH, data.dim()]), device);
    let classes = c.classified_classes();
    let noise = DiscriminatorNoise {
        input: c.tuning.input_noise,
        hidden: c.tuning.hidden_noise,
    };
    let classifier = SsganDiscriminator::new(
        c.image.len(),
        &c.discriminator_hidden,
        classes,
        noise,
        rng,
        device,
    )
    .initialise_from(batch);
    let twin = SupervisedTwin::NotTracked(classifier.clone());
    let adam = || optimizer(OptimizerKind::Adam, &c.optimizer);
    if c.model == ImageModelKind::M2 {
        return Ok(Nets::SemiSupervisedVae(M2Nets {
            modules: M2Modules {
                classifier,
                vae: Vae::new(c.image.len(), &c.hidden, c.latent_dim, classes, rng, device),
            },
            optimizer: adam(),
            learning_rate: c.learning_rate,
            lr_decay: c.lr_decay,
            latent: c.latent_dim,
            classes,
            labelled,
            classification_weight: c.classification_weight,
            twin,
        }));
    }
    let generator = SsganGenerator::new(c.latent_dim, &c.hidden, c.image.len(), rng, device);
    Ok(Nets::SemiSupervised(SsganNets {
        modules: SsganModules {
            generator,
            discriminator_ema: (c.classifier_ema > 0.0).then(|| classifier.valid()),
            discriminator: classifier,
        },
        g_optimizer: adam(),
        d_optimizer: adam(),
        learning_rate: c.learning_rate,
        lr_decay: c.lr_decay,
        noise_dim: c.latent_dim,
        labelled,
        classes,
        twin,
        consistency: c.consistency,
        unsupervised_weight: c.unsupervised_weight,
        image: c.image,
        normalisation: c.model.normalisation(),
        classifier_ema: c.classifier_ema,
    }))
}

/// Real images the semi-supervised discriminator's initialisation sees (the paper's 500).
const INIT_BATCH: usize = 500;

fn toy_nets(
    c: &GanConfig,
    dim: usize,
    rng: &mut StdRng,
    device: &Device,
) -> Result<Nets, ConfigError> {
    let g = &c.generator;
    let d = &c.discriminator;
    Ok(Nets::Gan(GanNets {
        modules: GanModules {
            generator: Generator::Mlp(
                Mlp::new(
                    c.noise_dim,
                    g.hidden_layers,
                    g.neurons,
                    dim,
                    Nonlinearity::new(g.activation, c.leaky_slope),
                    rng,
                    device,
                )
                .with_tanh_output(c.g_output == GeneratorOutput::Tanh),
            ),
            critic: Critic::Mlp(Mlp::new(
                dim * c.packing,
                d.hidden_layers,
                d.neurons,
                1,
                Nonlinearity::new(d.activation, c.leaky_slope),
                rng,
                device,
            )),
            generator_ema: None,
        },
        g_optimizer: optimizer(c.g_optimizer.kind, &c.g_optimizer.settings),
        d_optimizer: optimizer(c.d_optimizer.kind, &c.d_optimizer.settings),
        plan: GanPlan {
            loss: c.loss,
            noise_dim: c.noise_dim,
            classes: 0,
            g_learning_rate: c.g_optimizer.learning_rate,
            d_learning_rate: c.d_optimizer.learning_rate,
            lr_decay: c.lr_decay,
            d_steps: c.d_steps,
            g_steps: c.g_steps,
            packing: c.packing,
            clip: (c.loss == LossKind::Wasserstein).then_some(c.clip),
            auxiliary_classifier: 0.0,
            diff_augment: None,
            ema: 0.0,
        },
    }))
}

fn image_nets(
    c: &ImageModelConfig,
    rng: &mut StdRng,
    device: &Device,
) -> Result<Nets, ConfigError> {
    let dim = c.image.len();
    let classes = c.classes();
    let adam = || optimizer(OptimizerKind::Adam, &c.optimizer);
    if c.model.is_vae() {
        return Ok(Nets::Vae(VaeNets {
            modules: VaeModules {
                vae: Vae::new(dim, &c.hidden, c.latent_dim, classes, rng, device),
            },
            optimizer: adam(),
            learning_rate: c.learning_rate,
            latent: c.latent_dim,
            classes,
        }));
    }
    let (generator, critic) = if c.model.is_convolutional() {
        let g = ConvGenerator::new(c.latent_dim + classes, c.image, c.conv_width, device)?;
        let options = ConvCriticOptions {
            classes,
            leaky_slope: c.tuning.leaky_slope,
            spectral_norm: c.spectral_norm,
            auxiliary_classifier: c.auxiliary_classifier > 0.0,
        };
        let d = ConvCritic::new(c.image, c.conv_width, options, rng, device)?;
        (
            Generator::Conv(g).map(&mut DcganInit::new(c.tuning.init_std, rng)),
            Critic::Conv(d).map(&mut DcganInit::new(c.tuning.init_std, rng)),
        )
    } else {
        let g_widths: Vec<usize> = [c.latent_dim + classes]
            .into_iter()
            .chain(c.hidden.iter().copied())
            .chain([dim])
            .collect();
        let d_widths: Vec<usize> = [dim + classes]
            .into_iter()
            .chain(c.hidden.iter().rev().copied())
            .chain([1])
            .collect();
        (
            Generator::Mlp(Mlp::with_widths(
                &g_widths,
                Nonlinearity::relu(),
                0.0,
                true,
                rng,
                device,
            )),
            Critic::Mlp({
                let critic = Mlp::with_widths(
                    &d_widths,
                    Nonlinearity::new(Activation::LeakyRelu, c.tuning.leaky_slope),
                    c.dropout,
                    false,
                    rng,
                    device,
                );
                if c.spectral_norm {
                    critic.with_spectral_norm(rng, device)
                } else {
                    critic
                }
            }),
        )
    };
    let generator_ema = (c.ema > 0.0).then(|| generator.valid());
    Ok(Nets::Gan(GanNets {
        modules: GanModules {
            generator,
            critic,
            generator_ema,
        },
        g_optimizer: adam(),
        d_optimizer: adam(),
        plan: GanPlan {
            loss: c.loss(),
            noise_dim: c.latent_dim,
            classes,
            g_learning_rate: c.learning_rate,
            d_learning_rate: c.d_learning_rate.unwrap_or(c.learning_rate),
            lr_decay: LrDecay::default(),
            d_steps: c.d_steps,
            g_steps: 1,
            packing: 1,
            clip: (c.loss() == LossKind::Wasserstein && !c.spectral_norm).then_some(c.clip),
            auxiliary_classifier: c.auxiliary_classifier,
            diff_augment: c.diff_augment.then_some(DiffAugment {
                shape: c.image,
                background: c.model.normalisation().value(0),
                shift: c.tuning.diff_augment_shift,
                cutout: c.tuning.diff_augment_cutout,
            }),
            ema: c.ema,
        },
    }))
}
