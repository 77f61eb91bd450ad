//! The training session shared verbatim by the page and the CLI.
//!
//! It owns both networks and their optimisers and advances by one discriminator step, one
//! generator step or one full step. Steps return losses as lazy tensors and never read anything
//! back: the caller decides when to pay for a read-back (every few steps, asynchronously in the
//! browser).

pub mod bench;
pub mod objectives;

use burn::module::{Module, ModuleMapper, Param};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::activation::sigmoid;
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal, Uniform};

use crate::config::{ConfigError, GanConfig, LossKind, NoiseKind, OptimizerKind, OptimizerSpec};
use crate::data::RealData;
use crate::config::image::{ImageModelConfig, ModelConfig};
use crate::train::objectives::{discriminator_loss, generator_loss};
use crate::nets::conv::{ConvCritic, ConvGenerator};
use crate::nets::mlp::Mlp;
use crate::nets::vae::Vae;
use crate::nets::{Critic, DcganInit, Generator};

const EVALUATION_SEED_OFFSET: u64 = 0x5EED;
const INIT_SEED_OFFSET: u64 = 0x1417;

/// The two losses of one full step, still on the device: discriminator and generator losses for
/// GANs, reconstruction and KL terms for VAEs (see [`TrainSession::loss_names`]).
pub struct StepLosses {
    pub first: Tensor<1>,
    pub second: Tensor<1>,
}

impl StepLosses {
    /// Both losses in one tensor, so one read-back fetches both.
    pub fn packed(self) -> Tensor<1> {
        Tensor::cat(vec![self.first, self.second], 0)
    }
}

/// The networks and optimisers of one model family.
pub(crate) enum Nets {
    Gan(GanNets),
    Vae(VaeNets),
}

pub(crate) struct GanNets {
    pub(crate) generator: Generator,
    pub(crate) critic: Critic,
    g_optimizer: ModuleOptimizer,
    d_optimizer: ModuleOptimizer,
    plan: GanPlan,
}

/// Everything a GAN step needs to know, whichever config it came from.
struct GanPlan {
    loss: LossKind,
    noise_dim: usize,
    classes: usize,
    g_learning_rate: f64,
    d_learning_rate: f64,
    d_steps: usize,
    clip: f32,
}

pub(crate) struct VaeNets {
    pub(crate) vae: Vae,
    optimizer: ModuleOptimizer,
    learning_rate: f64,
    latent: usize,
    classes: usize,
}

pub struct TrainSession {
    config: ModelConfig,
    data: Box<dyn RealData>,
    /// Autodiff device the networks train on.
    device: Device,
    pub(crate) nets: Nets,
    /// Draws real batches, labels and training noise.
    rng: StdRng,
    generator_steps: u64,
    discriminator_steps: u64,
    /// Reused host buffers for batches.
    scratch: Vec<f32>,
    labels: Vec<usize>,
}

impl TrainSession {
    /// New networks with weights drawn from the config's seed. For 2D GANs the sizes are checked
    /// for sanity only: the playground's narrower knob ranges are [`GanConfig::validate`]'s job.
    pub fn new(config: impl Into<ModelConfig>, data: Box<dyn RealData>, device: &Device) -> Result<Self, ConfigError> {
        let config = config.into();
        let device = device.clone().autodiff();
        let mut init_rng = StdRng::seed_from_u64(config.seed().wrapping_add(INIT_SEED_OFFSET));
        let nets = match &config {
            ModelConfig::Toy(c) => toy_nets(c, data.dim(), &mut init_rng, &device)?,
            ModelConfig::Image(c) => {
                c.validate()?;
                if data.dim() != c.image.len() {
                    return Err(ConfigError {
                        field: "data",
                        message: format!("the model takes {} values per image, the data has {}", c.image.len(), data.dim()),
                    });
                }
                if c.classes() > 0 && data.classes() != c.classes() {
                    return Err(ConfigError {
                        field: "data",
                        message: format!("the model knows {} classes, the data has {}", c.classes(), data.classes()),
                    });
                }
                image_nets(c, &mut init_rng, &device)?
            }
        };
        Ok(TrainSession {
            nets,
            rng: StdRng::seed_from_u64(config.seed()),
            generator_steps: 0,
            discriminator_steps: 0,
            scratch: Vec::new(),
            labels: Vec::new(),
            config,
            data,
            device,
        })
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

    pub fn is_vae(&self) -> bool {
        matches!(self.nets, Nets::Vae(_))
    }

    /// Names of the two losses [`Self::step`] returns.
    pub fn loss_names(&self) -> [&'static str; 2] {
        match self.nets {
            Nets::Gan(_) => ["discriminator", "generator"],
            Nets::Vae(_) => ["reconstruction", "KL"],
        }
    }

    /// Number of classes conditional models take (0 otherwise).
    pub fn classes(&self) -> usize {
        match &self.nets {
            Nets::Gan(g) => g.plan.classes,
            Nets::Vae(v) => v.classes,
        }
    }

    /// Noise (GAN) or latent (VAE) values per sample.
    pub fn latent_dim(&self) -> usize {
        match &self.nets {
            Nets::Gan(g) => g.plan.noise_dim,
            Nets::Vae(v) => v.latent,
        }
    }

    /// One discriminator (critic) update on a fresh real batch and a fresh generated batch.
    /// `None` for VAEs, which have no discriminator.
    pub fn discriminator_step(&mut self) -> Option<Tensor<1>> {
        let n = self.config.batch_size();
        let (real, real_labels) = self.real_batch(n);
        let fake_labels = self.random_labels(n);
        let noise = self.noise_batch(n);
        let Nets::Gan(gan) = &mut self.nets else { return None };
        // The generator runs without a tape (still in training mode: batch norm uses batch
        // statistics, as in the G step), so no backward graph is built only to be detached.
        let fake = gan.generator.clone().no_grad().forward(noise, fake_labels.clone());
        let loss = discriminator_loss(
            gan.plan.loss,
            gan.critic.forward(real, real_labels),
            gan.critic.forward(fake, fake_labels),
        );
        let grads = GradientsParams::from_grads(loss.backward(), &gan.critic);
        gan.critic = gan.d_optimizer.step(gan.plan.d_learning_rate, gan.critic.clone(), grads);
        if gan.plan.loss == LossKind::Wasserstein {
            gan.critic = gan.critic.clone().map(&mut ClipWeights(gan.plan.clip));
        }
        self.discriminator_steps += 1;
        Some(loss.inner())
    }

    /// One generator update against the current discriminator; `None` for VAEs.
    pub fn generator_step(&mut self) -> Option<Tensor<1>> {
        let n = self.config.batch_size();
        let labels = self.random_labels(n);
        let noise = self.noise_batch(n);
        let Nets::Gan(gan) = &mut self.nets else { return None };
        let fake = gan.generator.forward(noise, labels.clone());
        // Gradients flow through the critic to the samples but not into its weights, which this
        // step does not update: backward skips the critic's weight gradients.
        let critic = gan.critic.clone().no_grad();
        let loss = generator_loss(gan.plan.loss, critic.forward(fake, labels));
        let grads = GradientsParams::from_grads(loss.backward(), &gan.generator);
        gan.generator = gan.g_optimizer.step(gan.plan.g_learning_rate, gan.generator.clone(), grads);
        self.generator_steps += 1;
        Some(loss.inner())
    }

    /// GANs: `d_steps` discriminator updates, then one generator update. VAEs: one update of the
    /// negative ELBO.
    pub fn step(&mut self) -> StepLosses {
        match &self.nets {
            Nets::Gan(gan) => {
                let d_steps = gan.plan.d_steps;
                let mut first = self.discriminator_step().expect("GAN");
                for _ in 1..d_steps {
                    first = self.discriminator_step().expect("GAN");
                }
                StepLosses { first, second: self.generator_step().expect("GAN") }
            }
            Nets::Vae(_) => self.vae_step(),
        }
    }

    fn vae_step(&mut self) -> StepLosses {
        let n = self.config.batch_size();
        let (x, labels) = self.real_batch(n);
        let Nets::Vae(v) = &mut self.nets else { unreachable!("vae_step on a GAN") };
        let values = gaussian_values(n * v.latent, &mut self.rng);
        let epsilon = Tensor::from_data(TensorData::new(values, [n, v.latent]), &self.device);
        let terms = v.vae.elbo(x, labels, epsilon);
        let loss = terms.reconstruction.clone() + terms.kl.clone();
        let grads = GradientsParams::from_grads(loss.backward(), &v.vae);
        v.vae = v.optimizer.step(v.learning_rate, v.vae.clone(), grads);
        self.generator_steps += 1;
        StepLosses { first: terms.reconstruction.inner(), second: terms.kl.inner() }
    }

    /// `n` noise (or latent) vectors from a generator of their own, so drawing them never changes
    /// training.
    pub fn fixed_noise(&self, n: usize, seed: u64) -> Tensor<2> {
        let mut rng = StdRng::seed_from_u64(seed);
        let dim = self.latent_dim();
        let values = noise_values(self.noise_kind(), n * dim, &mut rng);
        self.plain_tensor(values, [n, dim])
    }

    /// The fixed noise the metrics and the scatter plots use: the same points every time, so
    /// successive plots show the generator moving them.
    pub fn evaluation_noise(&self) -> Tensor<2> {
        self.fixed_noise(crate::metrics::METRIC_SAMPLES, self.config.seed().wrapping_add(EVALUATION_SEED_OFFSET))
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
            Nets::Gan(g) => g.generator.valid().forward(noise, labels),
            Nets::Vae(v) => v.vae.valid().decode(noise, labels),
        }
    }

    /// VAE reconstructions (decoded posterior means) of normalised images; `None` for GANs.
    pub fn reconstruct(&self, images: Tensor<2>, labels: &[usize]) -> Option<Tensor<2>> {
        let Nets::Vae(v) = &self.nets else { return None };
        let labels = self.one_hot(Some(labels), images.dims()[0]);
        let vae = v.vae.valid();
        let (mean, _) = vae.encode(images, labels.clone());
        Some(vae.decode(mean, labels))
    }

    /// VAE posterior means of normalised images; `None` for GANs.
    pub fn encode(&self, images: Tensor<2>, labels: &[usize]) -> Option<Tensor<2>> {
        let Nets::Vae(v) = &self.nets else { return None };
        let labels = self.one_hot(Some(labels), images.dims()[0]);
        Some(v.vae.valid().encode(images, labels).0)
    }

    /// Discriminator's belief that each point is real, in [0, 1], for drawing its decision
    /// surface. Raw scores of losses without a probability reading (hinge, Wasserstein) are
    /// squashed by a sigmoid. `None` for VAEs and conditional models.
    pub fn discriminator_belief(&self, points: Tensor<2>) -> Option<Tensor<2>> {
        let Nets::Gan(gan) = &self.nets else { return None };
        if gan.plan.classes > 0 {
            return None;
        }
        let out = gan.critic.valid().forward(points, None);
        Some(match gan.plan.loss {
            LossKind::LeastSquares => out.clamp(0.0, 1.0),
            _ => sigmoid(out),
        })
    }

    /// Values on the plain (non-autodiff) device, for [`Self::generate`] and friends.
    pub fn tensor_from_points(&self, flat: Vec<f32>, dim: usize) -> Tensor<2> {
        let n = flat.len() / dim;
        self.plain_tensor(flat, [n, dim])
    }

    fn plain_tensor(&self, values: Vec<f32>, shape: [usize; 2]) -> Tensor<2> {
        Tensor::from_data(TensorData::new(values, shape), &self.device.clone().inner())
    }

    fn noise_kind(&self) -> NoiseKind {
        match &self.config {
            ModelConfig::Toy(c) => c.noise,
            ModelConfig::Image(_) => NoiseKind::Gaussian,
        }
    }

    /// One-hot rows for conditional models (`None` for the others). Without labels, rows cycle
    /// through the classes.
    fn one_hot(&self, labels: Option<&[usize]>, n: usize) -> Option<Tensor<2>> {
        let classes = self.classes();
        if classes == 0 {
            return None;
        }
        let mut values = vec![0.0f32; n * classes];
        for i in 0..n {
            let class = labels.and_then(|l| l.get(i)).copied().unwrap_or(i % classes).min(classes - 1);
            values[i * classes + class] = 1.0;
        }
        Some(self.plain_tensor(values, [n, classes]))
    }

    /// A real batch and, for conditional models, its one-hot labels.
    fn real_batch(&mut self, n: usize) -> (Tensor<2>, Option<Tensor<2>>) {
        self.scratch.clear();
        self.labels.clear();
        self.data.sample_labelled(n, &mut self.rng, &mut self.scratch, &mut self.labels);
        let values = std::mem::take(&mut self.scratch);
        let x = Tensor::from_data(TensorData::new(values, [n, self.data.dim()]), &self.device);
        let labels = std::mem::take(&mut self.labels);
        let one_hot = self.one_hot(Some(&labels), n).map(|t| t.to_device(&self.device));
        self.labels = labels;
        (x, one_hot)
    }

    /// Random classes for generated batches of conditional models.
    fn random_labels(&mut self, n: usize) -> Option<Tensor<2>> {
        let classes = self.classes();
        if classes == 0 {
            return None;
        }
        let labels: Vec<usize> = (0..n).map(|_| self.rng.random_range(0..classes)).collect();
        self.one_hot(Some(&labels), n).map(|t| t.to_device(&self.device))
    }

    fn noise_batch(&mut self, n: usize) -> Tensor<2> {
        let dim = self.latent_dim();
        let values = noise_values(self.noise_kind(), n * dim, &mut self.rng);
        Tensor::from_data(TensorData::new(values, [n, dim]), &self.device)
    }
}

fn toy_nets(c: &GanConfig, dim: usize, rng: &mut StdRng, device: &Device) -> Result<Nets, ConfigError> {
    check_structure(c)?;
    let g = &c.generator;
    let d = &c.discriminator;
    Ok(Nets::Gan(GanNets {
        generator: Generator::Mlp(Mlp::new(c.noise_dim, g.hidden_layers, g.neurons, dim, g.activation, rng, device)),
        critic: Critic::Mlp(Mlp::new(dim, d.hidden_layers, d.neurons, 1, d.activation, rng, device)),
        g_optimizer: optimizer(&c.g_optimizer),
        d_optimizer: optimizer(&c.d_optimizer),
        plan: GanPlan {
            loss: c.loss,
            noise_dim: c.noise_dim,
            classes: 0,
            g_learning_rate: c.g_optimizer.learning_rate,
            d_learning_rate: c.d_optimizer.learning_rate,
            d_steps: c.d_steps,
            clip: c.clip,
        },
    }))
}

fn image_nets(c: &ImageModelConfig, rng: &mut StdRng, device: &Device) -> Result<Nets, ConfigError> {
    use crate::config::Activation;
    let dim = c.image.len();
    let classes = c.classes();
    let adam = || optimizer(&OptimizerSpec { kind: OptimizerKind::Adam, learning_rate: c.learning_rate });
    if c.model.is_vae() {
        return Ok(Nets::Vae(VaeNets {
            vae: Vae::new(dim, &c.hidden, c.latent_dim, classes, rng, device),
            optimizer: adam(),
            learning_rate: c.learning_rate,
            latent: c.latent_dim,
            classes,
        }));
    }
    let conv_error = |message| ConfigError { field: "image size", message };
    let (generator, critic) = if c.model.is_convolutional() {
        let g = ConvGenerator::new(c.latent_dim + classes, c.image, c.conv_width, device).map_err(conv_error)?;
        let d = ConvCritic::new(c.image, c.conv_width, classes, device).map_err(conv_error)?;
        (Generator::Conv(g).map(&mut DcganInit::new(rng)), Critic::Conv(d).map(&mut DcganInit::new(rng)))
    } else {
        let g_widths: Vec<usize> =
            [c.latent_dim + classes].into_iter().chain(c.hidden.iter().copied()).chain([dim]).collect();
        let d_widths: Vec<usize> = [dim + classes].into_iter().chain(c.hidden.iter().rev().copied()).chain([1]).collect();
        (
            Generator::Mlp(Mlp::with_widths(&g_widths, Activation::Relu, 0.0, true, rng, device)),
            Critic::Mlp(Mlp::with_widths(&d_widths, Activation::LeakyRelu, c.dropout, false, rng, device)),
        )
    };
    Ok(Nets::Gan(GanNets {
        generator,
        critic,
        g_optimizer: adam(),
        d_optimizer: adam(),
        plan: GanPlan {
            loss: c.model.loss(),
            noise_dim: c.latent_dim,
            classes,
            g_learning_rate: c.learning_rate,
            d_learning_rate: c.learning_rate,
            d_steps: c.d_steps,
            clip: c.clip,
        },
    }))
}

/// `None` while both losses are finite; otherwise what went wrong and what to do, worded for
/// the page's banner and the CLI's error alike.
pub fn divergence_message(step: u64, names: [&str; 2], values: [f32; 2]) -> Option<String> {
    let (name, value) = names.into_iter().zip(values).find(|(_, v)| !v.is_finite())?;
    let what = if value.is_nan() { "NaN" } else { "infinite" };
    Some(format!(
        "Training diverged at step {step}: the {name} loss became {what}. \
         Lower the learning rates or pick another loss, and start again."
    ))
}

/// Noise is drawn on the host from a seeded generator, so a seed gives the same run on every
/// backend.
fn noise_values(kind: NoiseKind, count: usize, rng: &mut StdRng) -> Vec<f32> {
    match kind {
        NoiseKind::Uniform => {
            let u = Uniform::new_inclusive(-1.0f32, 1.0).expect("valid bounds");
            (0..count).map(|_| u.sample(rng)).collect()
        }
        NoiseKind::Gaussian => gaussian_values(count, rng),
    }
}

fn gaussian_values(count: usize, rng: &mut StdRng) -> Vec<f32> {
    let n = Normal::new(0.0f32, 1.0).expect("valid parameters");
    (0..count).map(|_| n.sample(rng)).collect()
}

fn optimizer(spec: &OptimizerSpec) -> ModuleOptimizer {
    match spec.kind {
        // β1 = 0.5 is the usual choice for GANs (DCGAN paper).
        OptimizerKind::Adam => AdamConfig::new().with_beta_1(0.5).with_beta_2(0.999).init(),
        OptimizerKind::Sgd => SgdConfig::new().init(),
    }
}

fn check_structure(config: &GanConfig) -> Result<(), ConfigError> {
    let positive = |field: &'static str, v: usize| {
        if v == 0 { Err(ConfigError { field, message: "must be at least 1".into() }) } else { Ok(()) }
    };
    positive("noise dimension", config.noise_dim)?;
    positive("generator neurons", config.generator.neurons)?;
    positive("discriminator neurons", config.discriminator.neurons)?;
    positive("batch size", config.batch_size)?;
    positive("discriminator steps", config.d_steps)?;
    for (field, lr) in [
        ("generator learning rate", config.g_optimizer.learning_rate),
        ("discriminator learning rate", config.d_optimizer.learning_rate),
    ] {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(ConfigError { field, message: format!("must be a positive number, got {lr}") });
        }
    }
    Ok(())
}

/// Clamps every weight to [-c, c] (WGAN's Lipschitz constraint).
struct ClipWeights(f32);

impl ModuleMapper for ClipWeights {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let c = self.0;
        param.map(|t| {
            let trainable = t.is_require_grad();
            // The clamp's output is not a leaf: detach it and mark it trainable again.
            let t = t.clamp(-c, c).detach();
            if trainable { t.require_grad() } else { t }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ToyDataset, ToyKind};

    fn session(config: GanConfig) -> TrainSession {
        let data = ToyDataset::new(ToyKind::Ring8, 0.05).unwrap();
        TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
    }

    fn read(t: Tensor<1>) -> Vec<f32> {
        t.into_data().try_into_vec_as::<f32>().unwrap()
    }

    #[test]
    fn steps_count_and_losses_are_finite() {
        let mut s = session(GanConfig { d_steps: 3, ..GanConfig::default() });
        let losses = read(s.step().packed());
        assert_eq!(losses.len(), 2);
        assert!(losses.iter().all(|l| l.is_finite()));
        assert_eq!((s.steps(), s.discriminator_steps()), (1, 3));
        s.discriminator_step().unwrap();
        assert_eq!((s.steps(), s.discriminator_steps()), (1, 4));
    }

    #[test]
    fn a_seed_reproduces_a_run() {
        let run = || {
            let mut s = session(GanConfig::default());
            for _ in 0..5 {
                s.step();
            }
            let noise = s.fixed_noise(4, 9);
            s.generate(noise).into_data().try_into_vec_as::<f32>().unwrap()
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn wasserstein_critic_weights_stay_clipped_and_keep_training() {
        let config = GanConfig { loss: LossKind::Wasserstein, clip: 0.01, ..GanConfig::default() };
        let mut s = session(config);
        let before = critic(&s).clone();
        for _ in 0..3 {
            s.step();
        }
        let mut max_abs = MaxAbs(0.0);
        critic(&s).visit(&mut max_abs);
        assert!(max_abs.0 <= 0.01 + 1e-6, "weights escaped the clip: {}", max_abs.0);
        // Clipped weights must still receive updates (they stay trainable leaves).
        let after = flat_params(critic(&s));
        s.step();
        assert_ne!(after, flat_params(critic(&s)));
        assert_ne!(flat_params(&before), after);
    }

    #[test]
    fn divergence_is_named() {
        let names = ["discriminator", "generator"];
        assert_eq!(divergence_message(3, names, [0.5, 0.7]), None);
        let m = divergence_message(12, names, [f32::NAN, 0.7]).unwrap();
        assert!(m.contains("step 12") && m.contains("discriminator loss became NaN"), "{m}");
        assert!(divergence_message(1, names, [0.1, f32::INFINITY]).unwrap().contains("generator loss became infinite"));
    }

    #[test]
    fn absurd_sizes_are_refused() {
        let data = ToyDataset::new(ToyKind::Ring8, 0.05).unwrap();
        let config = GanConfig { batch_size: 0, ..GanConfig::default() };
        let err = TrainSession::new(config, Box::new(data.clone()), &Device::flex()).err().unwrap();
        assert_eq!(err.field, "batch size");
        let mut config = GanConfig::default();
        config.g_optimizer.learning_rate = f64::INFINITY;
        assert!(TrainSession::new(config, Box::new(data), &Device::flex()).is_err());
    }

    struct MaxAbs(f32);
    impl burn::module::ModuleVisitor for MaxAbs {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let m = param.val().abs().max().into_scalar::<f32>();
            self.0 = self.0.max(m);
        }
    }

    fn critic(s: &TrainSession) -> &Critic {
        match &s.nets {
            Nets::Gan(g) => &g.critic,
            Nets::Vae(_) => panic!("not a GAN"),
        }
    }

    fn flat_params(m: &Critic) -> Vec<f32> {
        struct Collect(Vec<f32>);
        impl burn::module::ModuleVisitor for Collect {
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                self.0.extend(param.val().into_data().try_into_vec_as::<f32>().unwrap());
            }
        }
        let mut c = Collect(Vec::new());
        m.visit(&mut c);
        c.0
    }
}
