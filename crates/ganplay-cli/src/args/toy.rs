//! The knobs of a 2D GAN, the same ones the page shows, with the page's defaults.

use std::path::PathBuf;

use clap::Args;
use ganplay_model::GanConfig;
use ganplay_model::config::{Activation, NoiseKind, OptimizerKind};

use super::values::{self, id_of};

#[derive(Args)]
pub struct ToyArgs {
    /// A lesson's data set, σ and 2D knobs (the page's presets: ring8-pacgan, grid25-pacgan,
    /// collapse, collapse-fixed, lr-too-high, lr-fixed, strong-d, strong-d-fixed); the other
    /// 2D knob flags are then ignored. Its claim holds for seed 1 at its step budget.
    #[arg(long)]
    pub preset: Option<String>,
    /// CSV of x,y points for the custom distribution.
    #[arg(long)]
    pub points: Option<PathBuf>,
    /// Standard deviation of the data's Gaussian blur.
    #[arg(long, default_value_t = 0.05, value_parser = values::sigma)]
    pub sigma: f32,
    /// Generator hidden layers.
    #[arg(long, default_value_t = d().generator.hidden_layers, value_parser = values::hidden_layers)]
    pub g_layers: usize,
    /// Neurons per generator hidden layer.
    #[arg(long, default_value_t = d().generator.neurons, value_parser = values::neurons)]
    pub g_neurons: usize,
    #[arg(long, value_parser = id_of::<Activation>(), default_value = d().generator.activation.id())]
    pub g_activation: Activation,
    /// Discriminator hidden layers.
    #[arg(long, default_value_t = d().discriminator.hidden_layers, value_parser = values::hidden_layers)]
    pub d_layers: usize,
    /// Neurons per discriminator hidden layer.
    #[arg(long, default_value_t = d().discriminator.neurons, value_parser = values::neurons)]
    pub d_neurons: usize,
    #[arg(long, value_parser = id_of::<Activation>(), default_value = d().discriminator.activation.id())]
    pub d_activation: Activation,
    /// Values per noise vector.
    #[arg(long, default_value_t = d().noise_dim, value_parser = values::noise_dim)]
    pub noise_dim: usize,
    #[arg(long, value_parser = id_of::<NoiseKind>(), default_value = d().noise.id())]
    pub noise: NoiseKind,
    #[arg(long, value_parser = id_of::<OptimizerKind>(), default_value = d().d_optimizer.kind.id())]
    pub d_optimizer: OptimizerKind,
    #[arg(long, value_parser = id_of::<OptimizerKind>(), default_value = d().g_optimizer.kind.id())]
    pub g_optimizer: OptimizerKind,
    #[arg(long, default_value_t = d().g_optimizer.learning_rate, value_parser = values::learning_rate)]
    pub g_lr: f64,
    /// Generator updates per training step (after the discriminator's).
    #[arg(long, default_value_t = d().g_steps, value_parser = values::g_steps)]
    pub g_steps: usize,
    /// PacGAN: the discriminator judges this many samples at once (1: plain GAN).
    #[arg(long, default_value_t = d().packing, value_parser = values::packing)]
    pub packing: usize,
    /// The step at which both learning rates start to fall (with --lr-decay-steps; 2D GANs and
    /// the semi-supervised models).
    #[arg(long, default_value_t = d().lr_decay.start, value_parser = values::decay_steps)]
    pub lr_decay_start: u64,
    /// Steps over which both learning rates fall linearly to 5% of their value (0: no decay).
    #[arg(long, default_value_t = d().lr_decay.steps, value_parser = values::decay_steps)]
    pub lr_decay_steps: u64,
}

/// Defaults come from the model crate, the same ones the page starts with.
fn d() -> GanConfig {
    GanConfig::default()
}
