//! Command-line options as the user types them, in groups: common to every run, 2D GANs, image
//! models. Knob ranges come from the model crate, the same ones the page enforces. Nothing here
//! decides anything: `crate::plan` resolves a `train` command's options into a run, once.

mod common;
mod images;
mod toy;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use common::CommonArgs;
pub use images::ImageArgs;
pub use toy::ToyArgs;

use crate::device::DeviceChoice;
use values::id_of;

#[derive(Parser)]
#[command(
    name = "ganplay",
    version,
    about = "Train and benchmark ganplay's GANs natively"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
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

#[derive(Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten, next_help_heading = "2D GANs (without --model)")]
    pub toy: ToyArgs,
    #[command(flatten, next_help_heading = "Image models (--model or --resume)")]
    pub image: ImageArgs,
}

/// `--device`, the same flag and default for every command.
#[derive(Args)]
pub struct DeviceArgs {
    /// Where the model runs: auto picks CUDA if built in and present, else a hardware GPU through
    /// wgpu, else the CPU (the first line printed says which and why).
    #[arg(long = "device", value_name = "DEVICE", value_parser = id_of::<DeviceChoice>(), default_value = DeviceChoice::Auto.id())]
    pub choice: DeviceChoice,
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
    #[command(flatten)]
    pub device: DeviceArgs,
}

#[derive(Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Seconds to time each case for.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    /// Skip the full-size 64x64 DCGAN.
    #[arg(long)]
    pub page_sizes_only: bool,
}
