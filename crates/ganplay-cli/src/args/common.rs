//! Options every training run takes, 2D or image model. Where the two kinds start from different
//! defaults, the flag is optional and `crate::plan` fills in the kind's default.

use std::path::PathBuf;

use clap::Args;
use ganplay_model::GanConfig;
use ganplay_model::config::LossKind;

use super::DeviceArgs;
use super::values::{self, id_of};

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
    /// Seed of the weights, the batches and the noise.
    #[arg(long, default_value_t = GanConfig::default().seed)]
    pub seed: u64,
    #[command(flatten)]
    pub device: DeviceArgs,
    /// 2D: ring8, grid25, spiral, moons, line or custom (custom needs --points).
    /// Images: mnist (the bundled 9,003 training digits) unless --data is given.
    #[arg(long)]
    pub dataset: Option<String>,
    /// (default: 256 for 2D GANs, the preset's for image models)
    #[arg(long, value_parser = values::batch_size)]
    pub batch_size: Option<usize>,
    /// Discriminator steps per generator step.
    /// (default: 1 for 2D GANs, the preset's for image models)
    #[arg(long, value_parser = values::d_steps)]
    pub d_steps: Option<usize>,
    /// Critic weight clip (Wasserstein loss; default: 0.05 for 2D GANs, the preset's for wgan).
    #[arg(long, value_parser = values::clip)]
    pub clip: Option<f32>,
    /// Adversarial loss (default: non-saturating for 2D GANs; an image GAN's own, which is
    /// Wasserstein for wgan). Image GANs take hinge, leastsquares, … too; VAEs have none.
    #[arg(long, value_parser = id_of::<LossKind>())]
    pub loss: Option<LossKind>,
    /// Discriminator learning rate, for two time-scale updates (default: 2D GANs 0.001; image
    /// GANs the same as the generator's, --lr).
    #[arg(long, value_parser = values::learning_rate)]
    pub d_lr: Option<f64>,
}
