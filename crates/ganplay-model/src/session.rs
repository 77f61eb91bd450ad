//! The training session shared verbatim by the page and the CLI.
//!
//! It owns both networks and their optimisers and advances by one discriminator step, one
//! generator step or one full step. Steps return losses as lazy tensors and never read anything
//! back: the caller decides when to pay for a read-back (every few steps, asynchronously in the
//! browser).

use burn::module::{Module, ModuleMapper, Param};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::activation::sigmoid;
use burn::tensor::{Device, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, Uniform};

use crate::config::{ConfigError, GanConfig, LossKind, NoiseKind, OptimizerKind, OptimizerSpec};
use crate::data::RealData;
use crate::loss::{discriminator_loss, generator_loss};
use crate::mlp::Mlp;

const EVALUATION_SEED_OFFSET: u64 = 0x5EED;
const INIT_SEED_OFFSET: u64 = 0x1417;

/// Losses of one full step, still on the device.
pub struct StepLosses {
    pub discriminator: Tensor<1>,
    pub generator: Tensor<1>,
}

impl StepLosses {
    /// Both losses in one tensor `[d, g]`, so one read-back fetches both.
    pub fn packed(self) -> Tensor<1> {
        Tensor::cat(vec![self.discriminator, self.generator], 0)
    }
}

pub struct TrainSession {
    config: GanConfig,
    data: Box<dyn RealData>,
    /// Autodiff device the networks train on.
    device: Device,
    generator: Mlp,
    discriminator: Mlp,
    g_optimizer: ModuleOptimizer,
    d_optimizer: ModuleOptimizer,
    /// Draws real batches and training noise.
    rng: StdRng,
    generator_steps: u64,
    discriminator_steps: u64,
    /// Reused host buffer for batches.
    scratch: Vec<f32>,
}

impl TrainSession {
    /// New networks with weights drawn from `config.seed`. The sizes are checked for sanity only:
    /// the playground's narrower knob ranges are [`GanConfig::validate`]'s job.
    pub fn new(config: GanConfig, data: Box<dyn RealData>, device: &Device) -> Result<Self, ConfigError> {
        check_structure(&config)?;
        let device = device.clone().autodiff();
        let dim = data.dim();
        let g = &config.generator;
        let d = &config.discriminator;
        let mut init_rng = StdRng::seed_from_u64(config.seed.wrapping_add(INIT_SEED_OFFSET));
        Ok(TrainSession {
            generator: Mlp::new(config.noise_dim, g.hidden_layers, g.neurons, dim, g.activation, &mut init_rng, &device),
            discriminator: Mlp::new(dim, d.hidden_layers, d.neurons, 1, d.activation, &mut init_rng, &device),
            g_optimizer: optimizer(&config.g_optimizer),
            d_optimizer: optimizer(&config.d_optimizer),
            rng: StdRng::seed_from_u64(config.seed),
            generator_steps: 0,
            discriminator_steps: 0,
            scratch: Vec::new(),
            config,
            data,
            device,
        })
    }

    pub fn config(&self) -> &GanConfig {
        &self.config
    }

    /// Full steps done (one per generator update).
    pub fn steps(&self) -> u64 {
        self.generator_steps
    }

    pub fn discriminator_steps(&self) -> u64 {
        self.discriminator_steps
    }

    /// One discriminator (critic) update on a fresh real batch and a fresh generated batch.
    pub fn discriminator_step(&mut self) -> Tensor<1> {
        let n = self.config.batch_size;
        let real = self.real_batch(n);
        let noise = self.noise_batch(n);
        let fake = self.generator.forward(noise).detach();
        let loss = discriminator_loss(
            self.config.loss,
            self.discriminator.forward(real),
            self.discriminator.forward(fake),
        );
        let grads = GradientsParams::from_grads(loss.backward(), &self.discriminator);
        let lr = self.config.d_optimizer.learning_rate;
        self.discriminator = self.d_optimizer.step(lr, self.discriminator.clone(), grads);
        if self.config.loss == LossKind::Wasserstein {
            self.discriminator = self.discriminator.clone().map(&mut ClipWeights(self.config.clip));
        }
        self.discriminator_steps += 1;
        loss.inner()
    }

    /// One generator update against the current discriminator.
    pub fn generator_step(&mut self) -> Tensor<1> {
        let n = self.config.batch_size;
        let noise = self.noise_batch(n);
        let fake = self.generator.forward(noise);
        let loss = generator_loss(self.config.loss, self.discriminator.forward(fake));
        let grads = GradientsParams::from_grads(loss.backward(), &self.generator);
        let lr = self.config.g_optimizer.learning_rate;
        self.generator = self.g_optimizer.step(lr, self.generator.clone(), grads);
        self.generator_steps += 1;
        loss.inner()
    }

    /// `d_steps` discriminator updates, then one generator update.
    pub fn step(&mut self) -> StepLosses {
        let mut discriminator = self.discriminator_step();
        for _ in 1..self.config.d_steps {
            discriminator = self.discriminator_step();
        }
        StepLosses { discriminator, generator: self.generator_step() }
    }

    /// `n` noise vectors from a generator of their own, so drawing them never changes training.
    pub fn fixed_noise(&self, n: usize, seed: u64) -> Tensor<2> {
        let mut rng = StdRng::seed_from_u64(seed);
        let values = noise_values(self.config.noise, n * self.config.noise_dim, &mut rng);
        Tensor::from_data(TensorData::new(values, [n, self.config.noise_dim]), &self.device.clone().inner())
    }

    /// The fixed noise the metrics and the scatter plots use: the same points every time, so
    /// successive plots show the generator moving them.
    pub fn evaluation_noise(&self) -> Tensor<2> {
        self.fixed_noise(crate::metrics::METRIC_SAMPLES, self.config.seed.wrapping_add(EVALUATION_SEED_OFFSET))
    }

    /// Generator output for the given noise, without tracking gradients.
    pub fn generate(&self, noise: Tensor<2>) -> Tensor<2> {
        self.generator.valid().forward(noise)
    }

    /// Discriminator's belief that each point is real, in [0, 1], for drawing its decision
    /// surface. Raw scores of losses without a probability reading (hinge, Wasserstein) are
    /// squashed by a sigmoid.
    pub fn discriminator_belief(&self, points: Tensor<2>) -> Tensor<2> {
        let out = self.discriminator.valid().forward(points);
        match self.config.loss {
            LossKind::LeastSquares => out.clamp(0.0, 1.0),
            _ => sigmoid(out),
        }
    }

    /// Points on the plain (non-autodiff) device, for [`Self::generate`] and
    /// [`Self::discriminator_belief`].
    pub fn tensor_from_points(&self, flat: Vec<f32>, dim: usize) -> Tensor<2> {
        let n = flat.len() / dim;
        Tensor::from_data(TensorData::new(flat, [n, dim]), &self.device.clone().inner())
    }

    fn real_batch(&mut self, n: usize) -> Tensor<2> {
        self.scratch.clear();
        self.data.sample_into(n, &mut self.rng, &mut self.scratch);
        let values = std::mem::take(&mut self.scratch);
        Tensor::from_data(TensorData::new(values, [n, self.data.dim()]), &self.device)
    }

    fn noise_batch(&mut self, n: usize) -> Tensor<2> {
        let values = noise_values(self.config.noise, n * self.config.noise_dim, &mut self.rng);
        Tensor::from_data(TensorData::new(values, [n, self.config.noise_dim]), &self.device)
    }
}

/// `None` while both losses are finite; otherwise what went wrong and what to do, worded for
/// the page's banner and the CLI's error alike.
pub fn divergence_message(step: u64, discriminator: f32, generator: f32) -> Option<String> {
    let bad = [("discriminator", discriminator), ("generator", generator)]
        .into_iter()
        .find(|(_, v)| !v.is_finite())?;
    let what = if bad.1.is_nan() { "NaN" } else { "infinite" };
    Some(format!(
        "Training diverged at step {step}: the {} loss became {what}. \
         Lower the learning rates or pick another loss, and start again.",
        bad.0
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
        NoiseKind::Gaussian => {
            let n = Normal::new(0.0f32, 1.0).expect("valid parameters");
            (0..count).map(|_| n.sample(rng)).collect()
        }
    }
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
    use crate::toy::{ToyDataset, ToyKind};

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
        s.discriminator_step();
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
        let before = s.discriminator.clone();
        for _ in 0..3 {
            s.step();
        }
        let mut max_abs = MaxAbs(0.0);
        s.discriminator.visit(&mut max_abs);
        assert!(max_abs.0 <= 0.01 + 1e-6, "weights escaped the clip: {}", max_abs.0);
        // Clipped weights must still receive updates (they stay trainable leaves).
        let after = flat_params(&s.discriminator);
        s.step();
        assert_ne!(after, flat_params(&s.discriminator));
        assert_ne!(flat_params(&before), after);
    }

    #[test]
    fn divergence_is_named() {
        assert_eq!(divergence_message(3, 0.5, 0.7), None);
        let m = divergence_message(12, f32::NAN, 0.7).unwrap();
        assert!(m.contains("step 12") && m.contains("discriminator loss became NaN"), "{m}");
        assert!(divergence_message(1, 0.1, f32::INFINITY).unwrap().contains("generator loss became infinite"));
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

    fn flat_params(m: &Mlp) -> Vec<f32> {
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
