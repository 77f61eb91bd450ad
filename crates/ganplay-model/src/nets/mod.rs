//! The networks every model is built from.

pub mod activation;
pub mod classifier;
pub(crate) mod conv;
pub(crate) mod mlp;
pub(crate) mod spectral_norm;
pub(crate) mod ssgan;
pub(crate) mod vae;

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Tensor, TensorData};
use rand::RngCore;
use rand_distr::{Distribution, Normal};

use conv::{ConvCritic, ConvGenerator, Verdict};
use mlp::Mlp;
use vae::Vae;

/// Noise (plus one-hot class) → sample.
#[allow(
    clippy::large_enum_variant,
    reason = "one per session, built once; boxing buys nothing"
)]
#[derive(Module, Debug)]
pub enum Generator {
    Mlp(Mlp),
    Conv(ConvGenerator),
}

impl Generator {
    pub fn forward(&self, noise: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        let input = match labels {
            Some(labels) => Tensor::cat(vec![noise, labels], 1),
            None => noise,
        };
        match self {
            Generator::Mlp(m) => m.forward(input),
            Generator::Conv(c) => c.forward(input),
        }
    }
}

/// Sample (plus one-hot class) → raw score (discriminator logit or critic value).
#[allow(
    clippy::large_enum_variant,
    reason = "one per session, built once; boxing buys nothing"
)]
#[derive(Module, Debug)]
pub enum Critic {
    Mlp(Mlp),
    Conv(ConvCritic),
}

impl Critic {
    pub fn forward(&self, x: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        match self {
            Critic::Mlp(m) => m.forward(match labels {
                Some(labels) => Tensor::cat(vec![x, labels], 1),
                None => x,
            }),
            Critic::Conv(c) => c.forward(x, labels),
        }
    }

    /// The raw scores and, for a critic with an auxiliary classifier, the class logits.
    pub fn judge(&self, x: Tensor<2>, labels: Option<Tensor<2>>) -> Verdict {
        match self {
            Critic::Conv(c) => c.judge(x, labels),
            Critic::Mlp(_) => Verdict {
                score: self.forward(x, labels),
                class_logits: None,
            },
        }
    }

    /// Judges a real and a generated batch. An MLP critic has nothing that mixes examples, so it
    /// scores both as one batch (half the layer calls, and matrix products twice as tall, which
    /// the CPU runs faster per example); a convolutional critic's batch norm must see each batch
    /// on its own, as in DCGAN.
    pub fn judge_real_and_fake(
        &self,
        (real, real_labels): (Tensor<2>, Option<Tensor<2>>),
        (fake, fake_labels): (Tensor<2>, Option<Tensor<2>>),
    ) -> (Verdict, Verdict) {
        match self {
            Critic::Mlp(_) => {
                let n_real = real.dims()[0];
                let labels = real_labels
                    .zip(fake_labels)
                    .map(|(r, f)| Tensor::cat(vec![r, f], 0));
                let scores = self.forward(Tensor::cat(vec![real, fake], 0), labels);
                let n = scores.dims()[0];
                let verdict = |score| Verdict {
                    score,
                    class_logits: None,
                };
                (
                    verdict(scores.clone().slice(0..n_real)),
                    verdict(scores.slice(n_real..n)),
                )
            }
            Critic::Conv(c) => (c.judge(real, real_labels), c.judge(fake, fake_labels)),
        }
    }
}

/// A GAN's two networks as one module tree. Its paths (`generator.Mlp.layers.0.weight`,
/// `critic.Conv.score.bias`, …) are the tensor names of weight files: renaming a field renames
/// them, and files written before would no longer load.
#[derive(Module, Debug)]
pub struct GanModules {
    pub generator: Generator,
    pub critic: Critic,
    /// The generator's moving average, which samples, when the config asks for one
    /// (`generator_ema.…` in weight files).
    pub generator_ema: Option<Generator>,
}

/// A VAE as a module tree whose paths (`vae.encoder.layers.0.weight`, …) name the weight file's
/// tensors, like [`GanModules`].
#[derive(Module, Debug)]
pub struct VaeModules {
    pub vae: Vae,
}

/// DCGAN's initialisation, drawn from the caller's generator rather than Burn's (which is global
/// to the process and differs between backends): weights N(0, σ), batch-norm scales N(1, σ)
/// (DCGAN's σ is 0.02), biases and shifts 0. Running statistics are left as they are.
pub struct DcganInit<'a> {
    std: f64,
    rng: &'a mut dyn RngCore,
    path: Vec<String>,
}

impl<'a> DcganInit<'a> {
    pub fn new(std: f64, rng: &'a mut dyn RngCore) -> Self {
        DcganInit {
            std,
            rng,
            path: Vec::new(),
        }
    }
}

impl ModuleMapper for DcganInit<'_> {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (mean, std) = match self.path.last().map(String::as_str) {
            Some("weight") => (0.0, self.std as f32),
            Some("gamma") => (1.0, self.std as f32),
            Some("bias" | "beta") => (0.0, 0.0),
            _ => return param,
        };
        let normal = Normal::new(mean, std).expect("valid parameters");
        let rng = &mut *self.rng;
        param.map(|t| {
            let trainable = t.is_require_grad();
            let values: Vec<f32> = (0..t.shape().num_elements())
                .map(|_| normal.sample(rng))
                .collect();
            let fresh = Tensor::from_data(TensorData::new(values, t.shape()), &t.device());
            if trainable {
                fresh.require_grad()
            } else {
                fresh
            }
        })
    }
}
