//! Command-line options. Knob ranges come from the model crate, the same ones the page enforces.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ganplay_model::{GanConfig, ImageModelKind, Scale};
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
    /// Train a GAN on a toy 2D distribution (losses.csv, scatter.png, config.json), or, with
    /// --model, an image model on digits or your images (losses.csv, sample grids, weights).
    Train(TrainArgs),
    /// Sample a weight file: a PNG grid, or N separate images (rows per class when conditional).
    Sample(SampleArgs),
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
    /// Image model to train: gan-mlp, dcgan, cgan, wgan, vae or cvae. Without it, a 2D GAN.
    #[arg(long, value_parser = image_model)]
    pub model: Option<ImageModelKind>,
    /// 2D: ring8, grid25, spiral, moons, line or custom (custom needs --points).
    /// Images: mnist (the bundled 9,003 training digits) unless --data is given.
    #[arg(long)]
    pub dataset: Option<String>,
    /// Image data: a folder with MNIST's IDX files (train-images-idx3-ubyte[.gz] and
    /// train-labels-idx1-ubyte[.gz]), or a folder of class folders of PNG/JPEG images.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Image models: size preset, `page` (what the page trains live) or `full`.
    #[arg(long, value_enum, default_value_t = ScaleArg::Full)]
    pub scale: ScaleArg,
    /// Image side the model works at; images are resized to it (default: 64 for the full-size
    /// DCGAN and WGAN, else 28).
    #[arg(long)]
    pub image_size: Option<usize>,
    /// Colour channels the model works at: 1 (grey) or 3 (RGB).
    #[arg(long, default_value_t = 1)]
    pub channels: usize,
    /// Image models: noise / latent dimension (default: the preset's).
    #[arg(long)]
    pub latent_dim: Option<usize>,
    /// Image models: DCGAN base channel count (default: the preset's).
    #[arg(long)]
    pub conv_width: Option<usize>,
    /// Image models: Adam learning rate (default: the preset's).
    #[arg(long)]
    pub lr: Option<f64>,
    /// Image models: write a sample grid every this many steps (0: only at the end).
    #[arg(long, default_value_t = 500)]
    pub sample_every: u64,
    /// Image models: write checkpoint.safetensors every this many steps (0: only at the end).
    #[arg(long, default_value_t = 1000)]
    pub checkpoint_every: u64,
    /// Image models: continue from a weight file or checkpoint (its config wins; --steps is the
    /// total to reach). Optimiser moments restart.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Store the final weights as f16 (half the size).
    #[arg(long)]
    pub f16: bool,
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
    /// Critic weight clip (Wasserstein loss; default: 0.05 for 2D GANs, the preset's for wgan).
    #[arg(long, value_parser = clip)]
    pub clip: Option<f32>,
    #[arg(long, value_enum, default_value_t = d().d_optimizer.kind.into())]
    pub d_optimizer: OptimizerArg,
    #[arg(long, default_value_t = d().d_optimizer.learning_rate, value_parser = learning_rate)]
    pub d_lr: f64,
    #[arg(long, value_enum, default_value_t = d().g_optimizer.kind.into())]
    pub g_optimizer: OptimizerArg,
    #[arg(long, default_value_t = d().g_optimizer.learning_rate, value_parser = learning_rate)]
    pub g_lr: f64,
    /// Discriminator steps per generator step.
    /// (default: 1 for 2D GANs, the preset's for image models)
    #[arg(long, value_parser = d_steps)]
    pub d_steps: Option<usize>,
    /// (default: 256 for 2D GANs, the preset's for image models)
    #[arg(long, value_parser = batch_size)]
    pub batch_size: Option<usize>,
    #[arg(long, default_value_t = d().seed)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "runs/latest")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
}

#[derive(Args)]
pub struct SampleArgs {
    /// A weight file written by `ganplay train` or by the page.
    #[arg(long)]
    pub weights: PathBuf,
    /// Output: a PNG grid, or with --separate a folder of PNGs.
    #[arg(long, default_value = "samples.png")]
    pub out: PathBuf,
    /// Number of samples (conditional models: per class).
    #[arg(long, default_value_t = 64)]
    pub count: usize,
    /// Conditional models: only this class (default: one row per class).
    #[arg(long)]
    pub class: Option<usize>,
    /// Seed of the noise vectors; the page's sample grid uses seed 7 (`--count 64`).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Write one PNG per sample into the --out folder.
    #[arg(long)]
    pub separate: bool,
    /// Also write the raw sample values (JSON array) here.
    #[arg(long)]
    pub values: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScaleArg {
    Page,
    Full,
}

impl From<ScaleArg> for Scale {
    fn from(s: ScaleArg) -> Scale {
        match s {
            ScaleArg::Page => Scale::Page,
            ScaleArg::Full => Scale::Full,
        }
    }
}

fn image_model(s: &str) -> Result<ImageModelKind, String> {
    ImageModelKind::from_id(s).ok_or_else(|| {
        let ids: Vec<_> = ImageModelKind::ALL.iter().map(|k| k.id()).collect();
        format!("unknown model '{s}': choose one of {}", ids.join(", "))
    })
}

#[derive(Args)]
pub struct BenchArgs {
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
    /// Seconds to time each case for.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    /// Skip the full-size 64x64 DCGAN.
    #[arg(long)]
    pub page_sizes_only: bool,
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
