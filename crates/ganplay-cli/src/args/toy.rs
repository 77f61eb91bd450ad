//! The 2D data set: a lesson's preset, drawn points and the blur. The GAN's knobs are
//! [`super::KnobFlags`], built from the model crate's registry.

use std::path::PathBuf;

use clap::Args;
use ganplay_model::config::knobs;

use super::knob_flags::ranged;

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
    #[arg(long, default_value_t = ganplay_model::ToyKind::Ring8.default_sigma(), value_parser = ranged(&knobs::SIGMA))]
    pub sigma: f32,
}
