//! `ganplay train`'s options resolved, once, into what a run needs: the model's config, its data,
//! the weights it continues and where its outputs go. Nothing after this reads the raw flags.

mod images;
mod toy;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use ganplay_model::data::ImageData;
use ganplay_model::data::RealData;
use ganplay_model::weights::{Precision, WeightFile};
use ganplay_model::{ImageSet, ModelConfig, ToyDataset};

use crate::args::TrainArgs;
use crate::device::DeviceChoice;
use crate::run_folder::{self, Claim};

pub struct TrainPlan {
    pub config: ModelConfig,
    pub data: TrainData,
    /// The weight file a resumed run continues (image models only).
    pub resumed: Option<WeightFile>,
    /// Where that file lies (its optimiser state lies beside it).
    pub resumed_from: Option<PathBuf>,
    pub device: DeviceChoice,
    /// Full steps to reach, counting those a resumed run already did.
    pub steps: u64,
    pub log_every: u64,
    pub out: PathBuf,
    /// What to do if `out` already holds a run.
    pub claim: Claim,
    pub snapshots: Snapshots,
}

/// When an image model's sample grids and checkpoints are written, and the final weights' size.
#[derive(Clone, Copy, Debug)]
pub struct Snapshots {
    /// Steps between sample grids (0: only the final one).
    pub sample_every: u64,
    /// Steps between checkpoints (0: none before the final weights).
    pub checkpoint_every: u64,
    pub precision: Precision,
}

/// The real examples a run trains on.
pub enum TrainData {
    Toy(ToyDataset),
    /// Images at the model's size, normalised for it, and the data set's name for weight files.
    Images {
        data: ImageData,
        name: String,
        /// Held-out images for a semi-supervised model's test accuracy.
        test: Option<Arc<ImageSet>>,
    },
}

impl TrainData {
    /// A data source for the session (both kinds share their examples, so this is cheap).
    pub fn source(&self) -> Box<dyn RealData> {
        match self {
            TrainData::Toy(data) => Box::new(data.clone()),
            TrainData::Images { data, .. } => Box::new(data.clone()),
        }
    }

    /// `ring8`, `mnist`, a folder's name …
    pub fn name(&self) -> String {
        match self {
            TrainData::Toy(data) => data.kind().id().to_string(),
            TrainData::Images { name, .. } => name.clone(),
        }
    }
}

impl TrainPlan {
    pub fn resolve(args: TrainArgs) -> Result<Self> {
        let TrainArgs {
            common,
            knobs,
            toy,
            image,
        } = args;
        let resume_path = image.resume.clone();
        let (config, data, resumed) = if image.model.is_some() || image.resume.is_some() {
            let for_2d = knobs.only_for_2d();
            if !for_2d.is_empty() {
                bail!(
                    "{} set 2D GANs only: drop them with --model or --resume",
                    for_2d.join(", ")
                );
            }
            let plan = images::resolve(&common, &knobs, &image)?;
            let data = ImageData::new(Arc::new(plan.set), plan.config.model.normalisation());
            (
                ModelConfig::Image(plan.config),
                TrainData::Images {
                    data,
                    name: plan.name,
                    test: plan.test.map(Arc::new),
                },
                plan.resumed,
            )
        } else {
            if image.data.is_some() {
                bail!(
                    "--data is for image models: add --model (gan-mlp, dcgan, cgan, wgan, vae, cvae or ssgan)"
                );
            }
            let (config, data) = match &toy.preset {
                Some(id) => toy::from_preset(id, &common, &knobs)?,
                None => (toy::config(&knobs)?, toy::dataset(&common, &toy)?),
            };
            config.validate().context("invalid option")?;
            (ModelConfig::Toy(config), TrainData::Toy(data), None)
        };
        let precision = if image.f16 {
            Precision::F16
        } else {
            Precision::F32
        };
        let out = common
            .out
            .clone()
            .or_else(|| resume_path.as_deref().map(run_folder::folder_of))
            .unwrap_or_else(|| run_folder::fresh_default(config.model_id()));
        let claim = match &resume_path {
            Some(weights) if run_folder::holds(&out, weights) => Claim::Continue,
            _ if common.force => Claim::Replace,
            _ => Claim::New,
        };
        Ok(TrainPlan {
            config,
            data,
            resumed,
            resumed_from: resume_path,
            device: common.device.choice,
            steps: common.steps,
            log_every: common.log_every,
            out,
            claim,
            snapshots: Snapshots {
                sample_every: image.sample_every,
                checkpoint_every: image.checkpoint_every,
                precision,
            },
        })
    }
}
