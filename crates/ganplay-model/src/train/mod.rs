//! The training session shared verbatim by the page and the CLI.
//!
//! It owns both networks and their optimisers and advances by one discriminator step, one
//! generator step or one full step. Steps return losses as lazy tensors and never read anything
//! back: the caller decides when to pay for a read-back (every few steps, asynchronously in the
//! browser).
//!
//! [`build`] makes the networks and optimisers a config describes, [`batches`] draws what the
//! steps train on, [`gan_step`] and [`vae_step`] do the updates, [`losses`] is what they report.

mod batches;
mod build;
mod diff_augment;
mod gan_step;
mod generator_push;
pub(crate) mod losses;
mod m2_step;
mod moving_average;
pub(crate) mod objectives;
mod optimised;
pub(crate) mod optimizer;
pub(crate) mod pseudo_labels;
pub mod speed_cases;
mod ssgan_step;
mod supervised_twin;
#[cfg(test)]
mod tests;
mod vae_step;

use burn::module::{Module, ModuleMapper, ModuleVisitor};
use burn::tensor::activation::sigmoid;
use burn::tensor::{Device, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::config::image::ModelConfig;
use crate::config::{ConfigError, LossKind, NoiseKind};
use crate::data::RealData;
use crate::data::augmented::AugmentedImages;
use crate::data::classic_augmentation::ClassicAugmentation;
use batches::{BatchShape, Batches, noise_values, one_hot};
pub(crate) use build::Nets;
pub use losses::{Losses, divergence_message};

const EVALUATION_SEED_OFFSET: u64 = 0x5EED;
const INIT_SEED_OFFSET: u64 = 0x1417;

/// Samples in the fixed evaluation noise: the 2D metrics' count (PacGAN's setting).
pub const EVALUATION_SAMPLES: usize = 2500;

pub struct TrainSession {
    config: ModelConfig,
    /// Autodiff device the networks train on.
    device: Device,
    nets: Nets,
    /// Real batches, labels and training noise.
    batches: Batches,
    generator_steps: u64,
    discriminator_steps: u64,
}

impl TrainSession {
    /// New networks with weights drawn from the config's seed. For 2D GANs the sizes are checked
    /// for sanity only: the playground's narrower knob ranges are
    /// [`GanConfig::validate`](crate::GanConfig::validate)'s job.
    pub fn new(
        config: impl Into<ModelConfig>,
        data: Box<dyn RealData>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        let config = config.into();
        let data = augmented_for(&config, data);
        let device = device.clone().autodiff();
        let mut init_rng = StdRng::seed_from_u64(config.seed().wrapping_add(INIT_SEED_OFFSET));
        let nets = build::build(&config, data.as_ref(), &mut init_rng, &device)?;
        let shape = BatchShape {
            size: config.batch_size(),
            classes: classes_of(&nets),
            latent: latent_of(&nets),
            noise: noise_kind(&config),
        };
        let batches = Batches::new(
            data,
            StdRng::seed_from_u64(config.seed()),
            device.clone(),
            shape,
        );
        let mut session = TrainSession {
            config,
            device,
            nets,
            batches,
            generator_steps: 0,
            discriminator_steps: 0,
        };
        session.map_modules(&mut optimised::PathIds::default());
        Ok(session)
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Full steps done (one per generator or VAE update).
    pub fn steps(&self) -> u64 {
        self.generator_steps
    }

    /// Sets the step counter, for weights loaded from a file that records it.
    pub fn set_steps(&mut self, steps: u64) {
        self.generator_steps = steps;
    }

    pub fn discriminator_steps(&self) -> u64 {
        self.discriminator_steps
    }

    /// VAEs (the semi-supervised one too): one kind of update, no discriminator.
    pub fn is_vae(&self) -> bool {
        matches!(self.nets, Nets::Vae(_) | Nets::SemiSupervisedVae(_))
    }

    /// From now on, also trains the semi-supervised classifier's twin on the labelled images
    /// alone, one update per update of the model on the same batches, from the same initial
    /// weights: the baseline [`Self::baseline_class_logits`] reads. Does nothing for other
    /// models; a second call keeps the first twin.
    pub fn track_supervised_baseline(&mut self) {
        let ModelConfig::Image(c) = &self.config else {
            return;
        };
        match &mut self.nets {
            Nets::SemiSupervised(nets) => nets.twin.track(&c.optimizer, c.classifier_ema),
            Nets::SemiSupervisedVae(nets) => nets.twin.track(&c.optimizer, 0.0),
            Nets::Gan(_) | Nets::Vae(_) => {}
        }
    }

    /// Semi-supervised models: class logits `[n, classes]` of normalised images `[n, pixels]`
    /// from the classifier (the GAN's discriminator, or its moving average when there is one;
    /// evaluation network, no noise). `None` for other models.
    pub fn class_logits(&self, images: Tensor<2>) -> Option<Tensor<2>> {
        let classifier = match &self.nets {
            Nets::SemiSupervised(nets) => nets.classifier(),
            Nets::SemiSupervisedVae(nets) => &nets.modules.classifier,
            Nets::Gan(_) | Nets::Vae(_) => return None,
        };
        Some(classifier.valid().forward(images, None).logits)
    }

    /// Like [`Self::class_logits`], from the supervised baseline; `None` unless tracked.
    pub fn baseline_class_logits(&self, images: Tensor<2>) -> Option<Tensor<2>> {
        match &self.nets {
            Nets::SemiSupervised(nets) => nets.twin.class_logits(images),
            Nets::SemiSupervisedVae(nets) => nets.twin.class_logits(images),
            Nets::Gan(_) | Nets::Vae(_) => None,
        }
    }

    /// Number of classes conditional models take (0 otherwise).
    pub fn classes(&self) -> usize {
        classes_of(&self.nets)
    }

    /// How noise (GAN) or latent (VAE) vectors are drawn.
    pub fn noise_kind(&self) -> NoiseKind {
        noise_kind(&self.config)
    }

    /// Noise (GAN) or latent (VAE) values per sample.
    pub fn latent_dim(&self) -> usize {
        latent_of(&self.nets)
    }

    /// One discriminator (critic) update on a fresh real batch and a fresh generated batch.
    /// `None` for VAEs, which have no discriminator.
    pub fn discriminator_step(&mut self) -> Option<Tensor<1>> {
        let loss = match &mut self.nets {
            Nets::Gan(gan) => gan.critic_update(&mut self.batches, self.generator_steps),
            Nets::SemiSupervised(nets) => {
                nets.discriminator_update(&mut self.batches, self.generator_steps)
            }
            Nets::Vae(_) | Nets::SemiSupervisedVae(_) => return None,
        };
        self.discriminator_steps += 1;
        Some(loss)
    }

    /// One generator update against the current discriminator; `None` for VAEs.
    pub fn generator_step(&mut self) -> Option<Tensor<1>> {
        let done = self.generator_steps;
        let loss = match &mut self.nets {
            Nets::Gan(gan) => gan.generator_update(&mut self.batches, done),
            Nets::SemiSupervised(nets) => nets.generator_update(&mut self.batches, done),
            Nets::Vae(_) | Nets::SemiSupervisedVae(_) => return None,
        };
        self.generator_steps += 1;
        Some(loss)
    }

    /// GANs: `d_steps` discriminator updates, then `g_steps` generator updates (the losses are
    /// the last ones of each). VAEs: one update of the negative ELBO (with the classifier's
    /// loss, for the semi-supervised one).
    pub fn step(&mut self) -> Losses<Tensor<1>> {
        let done = self.generator_steps;
        self.generator_steps += 1;
        match &mut self.nets {
            Nets::Gan(gan) => {
                let batches = &mut self.batches;
                let mut discriminator = gan.critic_update(batches, done);
                for _ in 1..gan.plan.d_steps {
                    discriminator = gan.critic_update(batches, done);
                }
                self.discriminator_steps += gan.plan.d_steps as u64;
                let mut generator = gan.generator_update(batches, done);
                for _ in 1..gan.plan.g_steps {
                    generator = gan.generator_update(batches, done);
                }
                Losses::Gan {
                    discriminator,
                    generator,
                }
            }
            Nets::Vae(vae) => vae.update(&mut self.batches),
            Nets::SemiSupervisedVae(nets) => nets.update(&mut self.batches, done),
            Nets::SemiSupervised(nets) => {
                let discriminator = nets.discriminator_update(&mut self.batches, done);
                self.discriminator_steps += 1;
                // Without the real/fake loss the generator's features reach nothing.
                let generator = if nets.unsupervised_weight == 0.0 {
                    Tensor::zeros([1], &discriminator.device())
                } else {
                    nets.generator_update(&mut self.batches, done)
                };
                Losses::Gan {
                    discriminator,
                    generator,
                }
            }
        }
    }

    /// `n` noise (or latent) vectors from a generator of their own, so drawing them never changes
    /// training.
    pub fn fixed_noise(&self, n: usize, seed: u64) -> Tensor<2> {
        let values = self.fixed_noise_values(n, seed);
        self.plain_tensor(values, [n, self.latent_dim()])
    }

    /// The values of [`Self::fixed_noise`], row by row, without a device.
    pub fn fixed_noise_values(&self, n: usize, seed: u64) -> Vec<f32> {
        let mut rng = StdRng::seed_from_u64(seed);
        noise_values(noise_kind(&self.config), n * self.latent_dim(), &mut rng)
    }

    /// The fixed noise the metrics and the scatter plots use ([`EVALUATION_SAMPLES`] vectors): the same points every time, so
    /// successive plots show the generator moving them.
    pub fn evaluation_noise(&self) -> Tensor<2> {
        self.fixed_noise(
            EVALUATION_SAMPLES,
            self.config.seed().wrapping_add(EVALUATION_SEED_OFFSET),
        )
    }

    /// Samples for the given noise (and classes, for conditional models), without tracking
    /// gradients: generator output for GANs, decoder output for VAEs.
    pub fn generate(&self, noise: Tensor<2>) -> Tensor<2> {
        self.generate_labelled(noise, None)
    }

    pub fn generate_labelled(&self, noise: Tensor<2>, labels: Option<&[usize]>) -> Tensor<2> {
        let n = noise.dims()[0];
        let labels = self.one_hot(labels, n);
        match &self.nets {
            // The moving average samples when there is one.
            Nets::Gan(g) => {
                let generator = g.modules.generator_ema.as_ref();
                generator
                    .unwrap_or(&g.modules.generator)
                    .valid()
                    .forward(noise, labels)
            }
            Nets::Vae(v) => v.modules.vae.valid().decode(noise, labels),
            Nets::SemiSupervised(s) => s.modules.generator.valid().forward(noise),
            Nets::SemiSupervisedVae(m) => m.modules.vae.valid().decode(noise, labels),
        }
    }

    /// VAE reconstructions (decoded posterior means) of normalised images; `None` for GANs.
    pub fn reconstruct(&self, images: Tensor<2>, labels: &[usize]) -> Option<Tensor<2>> {
        let Nets::Vae(v) = &self.nets else {
            return None;
        };
        let labels = self.one_hot(Some(labels), images.dims()[0]);
        let vae = v.modules.vae.valid();
        let (mean, _) = vae.encode(images, labels.clone());
        Some(vae.decode(mean, labels))
    }

    /// VAE posterior means of normalised images; `None` for GANs.
    pub fn encode(&self, images: Tensor<2>, labels: &[usize]) -> Option<Tensor<2>> {
        let Nets::Vae(v) = &self.nets else {
            return None;
        };
        let labels = self.one_hot(Some(labels), images.dims()[0]);
        Some(v.modules.vae.valid().encode(images, labels).0)
    }

    /// Whether [`Self::discriminator_belief`] has a surface to draw: unconditional GANs only.
    pub fn has_decision_surface(&self) -> bool {
        matches!(&self.nets, Nets::Gan(gan) if gan.plan.classes == 0)
    }

    /// Discriminator's belief that each point is real, in [0, 1], for drawing its decision
    /// surface. Raw scores of losses without a probability reading (hinge, Wasserstein) are
    /// squashed by a sigmoid. A packing discriminator judges a pack of copies of each point.
    /// `None` for VAEs and conditional models.
    pub fn discriminator_belief(&self, points: Tensor<2>) -> Option<Tensor<2>> {
        let Nets::Gan(gan) = &self.nets else {
            return None;
        };
        if !self.has_decision_surface() {
            return None;
        }
        self.discriminator_scores(points.repeat_dim(1, gan.plan.packing), None)
    }

    /// The discriminator's belief that each example (a row, with its class for conditional
    /// models) is real, in [0, 1], read as [`Self::discriminator_belief`] reads it; the critic
    /// runs in evaluation mode (no dropout, batch norm's running statistics). `None` for VAEs.
    pub fn discriminator_scores(
        &self,
        examples: Tensor<2>,
        labels: Option<&[usize]>,
    ) -> Option<Tensor<2>> {
        let gan = match &self.nets {
            Nets::Gan(gan) => gan,
            // D(x) = Z / (Z + 1) = sigmoid(log Z).
            Nets::SemiSupervised(_) => {
                return Some(sigmoid(objectives::log_sum_exp(
                    self.class_logits(examples)?,
                )));
            }
            Nets::Vae(_) | Nets::SemiSupervisedVae(_) => return None,
        };
        let labels = self.one_hot(labels, examples.dims()[0]);
        let out = gan.modules.critic.valid().forward(examples, labels);
        Some(match gan.plan.loss {
            LossKind::LeastSquares => out.clamp(0.0, 1.0),
            _ => sigmoid(out),
        })
    }

    /// Visits the session's root module (see [`crate::nets::GanModules`]): its paths name the
    /// weight file's tensors.
    /// The networks and their optimisers, for the weight files that save and restore them.
    pub(crate) fn nets(&self) -> &Nets {
        &self.nets
    }

    pub(crate) fn nets_mut(&mut self) -> &mut Nets {
        &mut self.nets
    }

    /// The device the session trains on.
    pub(crate) fn device(&self) -> &Device {
        &self.device
    }

    pub(crate) fn visit_modules<V: ModuleVisitor>(&self, visitor: &mut V) {
        match &self.nets {
            Nets::Gan(g) => g.modules.visit(visitor),
            Nets::Vae(v) => v.modules.visit(visitor),
            Nets::SemiSupervised(s) => s.modules.visit(visitor),
            Nets::SemiSupervisedVae(m) => m.modules.visit(visitor),
        }
    }

    /// Maps the session's root module, with the same paths as [`Self::visit_modules`].
    pub(crate) fn map_modules<M: ModuleMapper>(&mut self, mapper: &mut M) {
        match &mut self.nets {
            Nets::Gan(g) => g.modules = g.modules.clone().map(mapper),
            Nets::Vae(v) => v.modules = v.modules.clone().map(mapper),
            Nets::SemiSupervised(s) => s.modules = s.modules.clone().map(mapper),
            Nets::SemiSupervisedVae(m) => m.modules = m.modules.clone().map(mapper),
        }
    }

    /// Values on the plain (non-autodiff) device, for [`Self::generate`] and friends.
    pub fn tensor_from_points(&self, flat: Vec<f32>, dim: usize) -> Tensor<2> {
        let n = flat.len() / dim;
        self.plain_tensor(flat, [n, dim])
    }

    fn plain_tensor(&self, values: Vec<f32>, shape: [usize; 2]) -> Tensor<2> {
        Tensor::from_data(TensorData::new(values, shape), &self.plain_device())
    }

    fn plain_device(&self) -> Device {
        self.device.clone().inner()
    }

    /// One-hot rows for conditional models (`None` for the others); without labels, rows cycle
    /// through the classes.
    fn one_hot(&self, labels: Option<&[usize]>, n: usize) -> Option<Tensor<2>> {
        one_hot(labels, n, self.classes(), &self.plain_device())
    }
}

fn classes_of(nets: &Nets) -> usize {
    match nets {
        Nets::Gan(g) => g.plan.classes,
        Nets::Vae(v) => v.classes,
        // The generator takes no class: the discriminator's classes are its output.
        Nets::SemiSupervised(_) => 0,
        // The decoder takes the class, like a conditional VAE's.
        Nets::SemiSupervisedVae(m) => m.classes,
    }
}

fn latent_of(nets: &Nets) -> usize {
    match nets {
        Nets::Gan(g) => g.plan.noise_dim,
        Nets::Vae(v) => v.latent,
        Nets::SemiSupervised(s) => s.noise_dim,
        Nets::SemiSupervisedVae(m) => m.latent,
    }
}

/// The session's real data as the model sees it: random views of each image for a
/// semi-supervised model that asks for them.
fn augmented_for(config: &ModelConfig, data: Box<dyn RealData>) -> Box<dyn RealData> {
    match config.image() {
        Some(c) if c.augment_real => Box::new(AugmentedImages::new(
            data,
            c.image,
            c.model.normalisation(),
            ClassicAugmentation::AFFINE,
        )),
        _ => data,
    }
}

fn noise_kind(config: &ModelConfig) -> NoiseKind {
    match config {
        ModelConfig::Toy(c) => c.noise,
        ModelConfig::Image(_) => NoiseKind::Gaussian,
    }
}
