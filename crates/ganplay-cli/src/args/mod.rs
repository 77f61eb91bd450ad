//! Command-line options as the user types them, in groups: common to every run, 2D GANs, image
//! models. Knob ranges come from the model crate, the same ones the page enforces. Nothing here
//! decides anything: `crate::plan` resolves a `train` command's options into a run, once.

mod common;
mod images;
mod knob_flags;
mod toy;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ganplay_model::Scale;

pub use common::CommonArgs;
pub use images::ImageArgs;
pub use knob_flags::KnobFlags;
pub use toy::ToyArgs;

use crate::device::DeviceChoice;
use values::id_of;

#[derive(Parser)]
#[command(
    name = "ganplay",
    version,
    // A later flag replaces an earlier one: `augment` restarts itself with a shard's flags.
    args_override_self = true,
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
    /// Train the reference classifier (the image metrics' feature space) on the bundled digits.
    Classifier(ClassifierArgs),
    /// Score a weight file's samples: Fréchet distance, KID, precision/recall, inception score
    /// and class histogram in the reference classifier's features, next to their real-data floor.
    Eval(EvalArgs),
    /// Write a labelled synthetic data set (class folders of PNGs, or IDX files) with a manifest.
    Export(ExportArgs),
    /// The augmentation benchmark: does synthetic data help a classifier trained on few digits?
    Augment(AugmentArgs),
}

#[derive(Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(
        flatten,
        next_help_heading = "GAN knobs (2D GANs; image models take the marked ones)"
    )]
    pub knobs: KnobFlags,
    #[command(flatten, next_help_heading = "2D data (without --model)")]
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
    /// Use these noise vectors instead of seeded ones: a NumPy `.npy` file of shape
    /// (n, latent dimension), float32 or float64. Conditional models take --class for every
    /// row, else the classes in turn (row i is class i mod classes). Feeds the same noise to
    /// `python/ganplay_weights.py`.
    #[arg(long)]
    pub noise: Option<PathBuf>,
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
    /// Time only these cases (by name, e.g. `--case mlp-gan --case vae`); all when absent.
    #[arg(long = "case", value_name = "NAME")]
    pub cases: Vec<String>,
    /// Break each step down into its operations (dense layers, convolutions, batch norm,
    /// activations, losses, Adam, noise), each timed forward and backward at the case's shapes,
    /// with its share of the measured step.
    #[arg(long)]
    pub ops: bool,
    /// With `--ops`: seconds to time each operation for.
    #[arg(long, default_value_t = 0.5, requires = "ops")]
    pub op_seconds: f64,
    /// With `--ops`: also write the operations and their timings as JSON, for
    /// `bench/torch_bench.py --ops FILE`.
    #[arg(long, value_name = "FILE", requires = "ops")]
    pub ops_json: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct ClassifierArgs {
    /// Passes over the 9,003 training digits.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub epochs: u64,
    #[arg(long, default_value_t = 64, value_parser = knob_flags::ranged(&ganplay_model::config::knobs::BATCH_SIZE))]
    pub batch_size: usize,
    #[arg(long, default_value_t = 1e-3, value_parser = knob_flags::ranged(&ganplay_model::config::knobs::G_LR))]
    pub learning_rate: f64,
    /// Train on randomly rotated, scaled, shifted and elastically distorted digits.
    #[arg(long)]
    pub augment: bool,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write the classifier's weight file.
    #[arg(long, default_value = "web/weights/classifier.safetensors")]
    pub out: PathBuf,
    #[command(flatten)]
    pub device: DeviceArgs,
}

#[derive(Args)]
pub struct EvalArgs {
    /// A generator or VAE weight file of an image model (digits).
    #[arg(long)]
    pub weights: PathBuf,
    /// The classifier whose features the metrics compare (default: the bundled one).
    #[arg(long)]
    pub classifier: Option<PathBuf>,
    /// Generated images to score; the floor uses as many real training digits.
    #[arg(long, default_value_t = ganplay_model::metrics::DEFAULT_SAMPLES, value_parser = values::sample_count)]
    pub samples: usize,
    /// Seed of the noise (and of the floor's training digits).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the results as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Also the classification accuracy score: train a classifier on the samples only, test it
    /// on the real test digits (about a minute on a CPU).
    #[arg(long)]
    pub cas: bool,
    #[command(flatten)]
    pub device: DeviceArgs,
}

#[derive(Args)]
pub struct ExportArgs {
    /// A generator or VAE weight file of an image model.
    #[arg(long)]
    pub weights: PathBuf,
    /// Samples to write (conditional models: spread evenly over the classes).
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub count: usize,
    /// A new (or empty) folder.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, value_parser = id_of::<ganplay_model::export::ExportFormat>(), default_value = "folder")]
    pub format: ganplay_model::export::ExportFormat,
    /// Keep only samples the reference classifier gives at least this probability (and, for
    /// conditional models, the class asked for); e.g. 0.9.
    #[arg(long, value_parser = values::confidence)]
    pub min_confidence: Option<f32>,
    /// The classifier that labels and filters (default: the bundled one).
    #[arg(long)]
    pub classifier: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub device: DeviceArgs,
}

#[derive(Args)]
pub struct AugmentArgs {
    /// The reduced grid (budget 10, 3 seeds, ratio 1, short runs, every arm but the
    /// semi-supervised VAE): about 6 minutes on a 2-core CPU, its 3 jobs in 3 processes.
    #[arg(long)]
    pub quick: bool,
    /// Run only every N-th job from the K-th (budget × seed jobs), e.g. 2/4; merge the shards'
    /// results.csv files with --merge.
    #[arg(long, value_parser = values::shard)]
    pub shard: Option<(usize, usize)>,
    /// Do not train: report on these results.csv files (of shards) instead.
    #[arg(long, num_args = 1..)]
    pub merge: Vec<PathBuf>,
    /// Label budgets, images per class or `full` (default: 10,50,100,full; --quick: 10).
    #[arg(long)]
    pub budgets: Option<String>,
    /// Seeds (each a different random subset) per budget (default 5; --quick: 3).
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100))]
    pub seeds: Option<usize>,
    /// Generated examples per real example (default: 0.5,1,2,5; --quick: 1).
    #[arg(long)]
    pub ratios: Option<String>,
    /// Training steps of the cGAN, the cVAE and each classifier (defaults: the preset's).
    #[arg(long)]
    pub gan_steps: Option<u64>,
    #[arg(long)]
    pub vae_steps: Option<u64>,
    #[arg(long)]
    pub classifier_steps: Option<u64>,
    /// Training steps of each semi-supervised model (GANs and VAE) and of the self-training
    /// classifier.
    #[arg(long)]
    pub ssgan_steps: Option<u64>,
    #[arg(long)]
    pub self_training_steps: Option<u64>,
    /// Size of the semi-supervised models: `page` or `full` (default: full; --quick: page).
    #[arg(long, value_parser = id_of::<Scale>())]
    pub ssgan_scale: Option<Scale>,
    /// Whether the cGAN trains with DiffAugment (default: true).
    #[arg(long)]
    pub gan_diff_augment: Option<bool>,
    /// Weight of AC-GAN's class loss in the cGAN (default 0: the projection discriminator
    /// alone).
    #[arg(long)]
    pub gan_auxiliary_classifier: Option<f64>,
    /// Only these arms, by id, comma-separated (default: all): real, classic, gan, vae,
    /// classic+gan, classic+vae, gan-only, vae-only, self-training, ssgan, classic+ssgan,
    /// self-training+ssgan, ssgan+consistency, m2 (--quick: all but m2).
    #[arg(long)]
    pub arms: Option<String>,
    /// Output folder: results.csv, report.md, summary.json, accuracy.png.
    #[arg(long, default_value = "runs/augment")]
    pub out: PathBuf,
    /// Run the jobs in this many child processes of one thread each (shards in OUT/shard-K,
    /// merged at the end). Default on the CPU: one per job, at most one more than the cores;
    /// on a GPU, 1.
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    pub processes: Option<usize>,
    #[command(flatten)]
    pub device: DeviceArgs,
}
