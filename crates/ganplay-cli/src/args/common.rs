//! Options every training run takes, 2D or image model. The GAN knobs image models share
//! (`--seed`, `--batch-size`, `--loss`, …) are [`super::KnobFlags`].

use std::path::PathBuf;

use clap::Args;

use super::DeviceArgs;

#[derive(Args)]
pub struct CommonArgs {
    /// Full training steps to reach (each: --d-steps critic updates and one generator update, or
    /// one VAE update); with --resume, the total including the steps already done.
    #[arg(long, default_value_t = 1000)]
    pub steps: u64,
    /// Log losses (and a 2D GAN's mode metrics) every this many steps.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    pub log_every: u64,
    /// Output folder; refused if it holds another run (see --force). Default: a new
    /// `runs/<model>[-N]`, or the resumed file's folder with --resume.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the run in --out: its weights, checkpoint, log and samples are deleted first.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub device: DeviceArgs,
    /// 2D: ring8, grid25, spiral, moons, line or custom (custom needs --points).
    /// Images: mnist (the bundled 9,003 training digits) unless --data is given.
    #[arg(long)]
    pub dataset: Option<String>,
}
