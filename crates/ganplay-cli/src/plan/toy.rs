//! A 2D GAN's config and data set from the flags.

use std::path::Path;

use anyhow::{Context, Result, bail};
use ganplay_model::config::presets::{preset, presets};
use ganplay_model::config::{GanConfig, knobs};
use ganplay_model::data::points_csv::parse_points_csv;
use ganplay_model::{ToyDataset, ToyKind};

use crate::args::{CommonArgs, KnobFlags, ToyArgs};

/// The 2D defaults with the knob flags given.
pub fn config(knobs: &KnobFlags) -> Result<GanConfig> {
    knobs.gan_config(GanConfig::default())
}

/// A preset's config (with `--seed`) and data set.
pub fn from_preset(
    id: &str,
    common: &CommonArgs,
    knobs: &KnobFlags,
) -> Result<(GanConfig, ToyDataset)> {
    let Some(p) = preset(id) else {
        let ids: Vec<_> = presets().iter().map(|p| p.id).collect();
        bail!("unknown preset '{id}': choose one of {}", ids.join(", "));
    };
    if common.dataset.is_some() {
        bail!(
            "--preset {id} sets the data set ({}): drop --dataset",
            p.dataset.id()
        );
    }
    let config = GanConfig {
        seed: knobs.number(&knobs::SEED).unwrap_or(p.config.seed),
        ..p.config
    };
    Ok((config, ToyDataset::new(p.dataset, p.sigma)?))
}

/// `--dataset` (ring8 unless given), with `--points` for drawn points.
pub fn dataset(common: &CommonArgs, toy: &ToyArgs) -> Result<ToyDataset> {
    let name = common.dataset.as_deref().unwrap_or("ring8");
    let kind = ToyKind::from_id(name).with_context(|| {
        let ids: Vec<_> = ToyKind::ALL.iter().map(|k| k.id()).collect();
        format!(
            "unknown dataset '{name}': choose one of {} (or mnist with --model)",
            ids.join(", ")
        )
    })?;
    match (kind, &toy.points) {
        (ToyKind::Custom, Some(path)) => drawn_points(path, toy.sigma),
        (ToyKind::Custom, None) => bail!("--dataset custom needs --points FILE.csv (x,y per line)"),
        (_, Some(_)) => bail!("--points is only used with --dataset custom"),
        (kind, None) => Ok(ToyDataset::new(kind, toy.sigma)?),
    }
}

fn drawn_points(path: &Path, sigma: f32) -> Result<ToyDataset> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let points = parse_points_csv(&text)
        .with_context(|| format!("{} is not a points CSV", path.display()))?;
    Ok(ToyDataset::custom(&points, sigma)?)
}
