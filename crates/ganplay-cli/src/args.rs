//! Command-line options. Knob ranges come from the model crate, the same ones the page enforces.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ganplay_model::GanConfig;
use ganplay_model::config::{Activation, LossKind, NoiseKind, OptimizerKind, limits, parse_knob};
use ganplay_model::toy::SIGMA_RANGE;

#[derive(Parser)]
#[command(name = "ganplay", version, about = "Train and benchmark ganplay's GANs natively")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Train a GAN on a toy 2D distribution; writes losses.csv, scatter.png and config.json.
    Train(TrainArgs),
    /// Print training steps per second of the benchmark GANs.
    Bench(BenchArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DeviceChoice {
    /// CUDA if built in and present, else a hardware GPU through wgpu, else the CPU.
    Auto,
    /// Burn's pure-Rust CPU backend (flex).
    Cpu,
    /// wgpu on the platform's default graphics API.
    Wgpu,
    /// wgpu on Vulkan.
    Vulkan,
    /// NVIDIA CUDA (build with `--features cuda`).
    Cuda,
}

#[derive(Args)]
pub struct TrainArgs {
    /// ring8, grid25, spiral, moons, line or custom (custom needs --points).
    #[arg(long, default_value = "ring8")]
    pub dataset: String,
    /// CSV of x,y points for the custom distribution.
    #[arg(long)]
    pub points: Option<PathBuf>,
    /// Standard deviation of the data's Gaussian blur.
    #[arg(long, default_value_t = 0.05, value_parser = sigma)]
    pub sigma: f32,
    /// Full training steps (each: --d-steps discriminator updates, one generator update).
    #[arg(long, default_value_t = 1000)]
    pub steps: u64,
    /// Log losses and metrics every this many steps.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    pub log_every: u64,
    #[arg(long, default_value_t = d().generator.hidden_layers, value_parser = hidden_layers)]
    pub g_layers: usize,
    #[arg(long, default_value_t = d().generator.neurons, value_parser = neurons)]
    pub g_neurons: usize,
    #[arg(long, value_enum, default_value_t = d().generator.activation.into())]
    pub g_activation: ActivationArg,
    #[arg(long, default_value_t = d().discriminator.hidden_layers, value_parser = hidden_layers)]
    pub d_layers: usize,
    #[arg(long, default_value_t = d().discriminator.neurons, value_parser = neurons)]
    pub d_neurons: usize,
    #[arg(long, value_enum, default_value_t = d().discriminator.activation.into())]
    pub d_activation: ActivationArg,
    #[arg(long, default_value_t = d().noise_dim, value_parser = noise_dim)]
    pub noise_dim: usize,
    #[arg(long, value_enum, default_value_t = d().noise.into())]
    pub noise: NoiseArg,
    #[arg(long, value_enum, default_value_t = d().loss.into())]
    pub loss: LossArg,
    /// Critic weight clip (Wasserstein loss).
    #[arg(long, default_value_t = d().clip, value_parser = clip)]
    pub clip: f32,
    #[arg(long, value_enum, default_value_t = d().d_optimizer.kind.into())]
    pub d_optimizer: OptimizerArg,
    #[arg(long, default_value_t = d().d_optimizer.learning_rate, value_parser = learning_rate)]
    pub d_lr: f64,
    #[arg(long, value_enum, default_value_t = d().g_optimizer.kind.into())]
    pub g_optimizer: OptimizerArg,
    #[arg(long, default_value_t = d().g_optimizer.learning_rate, value_parser = learning_rate)]
    pub g_lr: f64,
    /// Discriminator steps per generator step.
    #[arg(long, default_value_t = d().d_steps, value_parser = d_steps)]
    pub d_steps: usize,
    #[arg(long, default_value_t = d().batch_size, value_parser = batch_size)]
    pub batch_size: usize,
    #[arg(long, default_value_t = d().seed)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "runs/latest")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
}

#[derive(Args)]
pub struct BenchArgs {
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
    /// Seconds to time each case for.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
}

/// Defaults come from the model crate, the same ones the page starts with.
fn d() -> GanConfig {
    GanConfig::default()
}

macro_rules! value_enum_of {
    ($arg:ident => $model:ty { $($v:ident),+ }) => {
        #[derive(Clone, Copy, Debug, ValueEnum)]
        pub enum $arg { $($v),+ }
        impl From<$arg> for $model {
            fn from(a: $arg) -> $model {
                // The flag's spelling is the model crate's id, so one table names both.
                let id = match a { $($arg::$v => stringify!($v).to_lowercase()),+ };
                <$model>::from_id(&id).expect("flag names match model ids")
            }
        }
        impl From<$model> for $arg {
            fn from(m: $model) -> $arg {
                $( if <$model>::from(<$arg>::$v) == m { return <$arg>::$v; } )+
                unreachable!("every model value has a flag")
            }
        }
    };
}
value_enum_of!(ActivationArg => Activation { Relu, Leakyrelu, Tanh });
value_enum_of!(NoiseArg => NoiseKind { Uniform, Gaussian });
value_enum_of!(LossArg => LossKind { Nonsaturating, Leastsquares, Hinge, Wasserstein });
value_enum_of!(OptimizerArg => OptimizerKind { Sgd, Adam });

fn hidden_layers(s: &str) -> Result<usize, String> {
    parse_knob("hidden layers", s, &limits::HIDDEN_LAYERS).map_err(|e| e.message)
}
fn neurons(s: &str) -> Result<usize, String> {
    parse_knob("neurons", s, &limits::NEURONS).map_err(|e| e.message)
}
fn noise_dim(s: &str) -> Result<usize, String> {
    parse_knob("noise dimension", s, &limits::NOISE_DIM).map_err(|e| e.message)
}
fn learning_rate(s: &str) -> Result<f64, String> {
    parse_knob("learning rate", s, &limits::LEARNING_RATE).map_err(|e| e.message)
}
fn d_steps(s: &str) -> Result<usize, String> {
    parse_knob("discriminator steps", s, &limits::D_STEPS).map_err(|e| e.message)
}
fn batch_size(s: &str) -> Result<usize, String> {
    parse_knob("batch size", s, &limits::BATCH_SIZE).map_err(|e| e.message)
}
fn clip(s: &str) -> Result<f32, String> {
    parse_knob("clip", s, &limits::CLIP).map_err(|e| e.message)
}
fn sigma(s: &str) -> Result<f32, String> {
    parse_knob("sigma", s, &SIGMA_RANGE).map_err(|e| e.message)
}
