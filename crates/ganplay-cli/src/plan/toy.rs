//! A 2D GAN's config and data set from the flags.

use std::path::Path;

use anyhow::{Context, Result, bail};
use ganplay_model::config::presets::{preset, presets};
use ganplay_model::config::{GanConfig, LrDecay, MlpShape, OptimizerSpec};
use ganplay_model::data::points_csv::parse_points_csv;
use ganplay_model::{ToyDataset, ToyKind};

use crate::args::{CommonArgs, ToyArgs};

pub fn config(common: &CommonArgs, toy: &ToyArgs) -> GanConfig {
    let defaults = GanConfig::default();
    GanConfig {
        generator: MlpShape {
            hidden_layers: toy.g_layers,
            neurons: toy.g_neurons,
            activation: toy.g_activation,
        },
        discriminator: MlpShape {
            hidden_layers: toy.d_layers,
            neurons: toy.d_neurons,
            activation: toy.d_activation,
        },
        noise_dim: toy.noise_dim,
        noise: toy.noise,
        loss: common.loss.unwrap_or(defaults.loss),
        clip: common.clip.unwrap_or(defaults.clip),
        d_optimizer: OptimizerSpec::new(
            toy.d_optimizer,
            common.d_lr.unwrap_or(defaults.d_optimizer.learning_rate),
        ),
        g_optimizer: OptimizerSpec::new(toy.g_optimizer, toy.g_lr),
        d_steps: common.d_steps.unwrap_or(defaults.d_steps),
        g_steps: toy.g_steps,
        packing: toy.packing,
        batch_size: common.batch_size.unwrap_or(defaults.batch_size),
        seed: common.seed,
        lr_decay: LrDecay {
            start: toy.lr_decay_start,
            steps: toy.lr_decay_steps,
        },
        ..defaults
    }
}

/// A preset's config (with `--seed`) and data set.
pub fn from_preset(id: &str, common: &CommonArgs) -> Result<(GanConfig, ToyDataset)> {
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
        seed: common.seed,
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
