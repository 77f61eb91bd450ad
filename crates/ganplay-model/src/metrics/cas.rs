//! Classification Accuracy Score (Ravuri & Vinyals 2019): train a classifier on generated
//! images only (labelled with the class asked for, or by the reference classifier), test it on
//! real held-out images. Its floor is the same classifier trained on as many real images. The
//! gap says how much of what a classifier needs the samples carry, which FID does not.

use std::sync::Arc;

use burn::tensor::Device;

use crate::classifier::{ClassifierError, ClassifierTraining, FitOptions, embed};
use crate::data::images::ImageSet;
use crate::nets::classifier::ClassifierConfig;

/// Steps of the CAS classifier (batch 64): about 4 passes over 10,000 images.
pub const CAS_STEPS: u64 = 600;

/// Trains a fresh classifier on `train` for `steps` and returns its accuracy on `test`.
/// Runs its steps without yielding: natively only, or in a worker.
pub async fn train_and_test(
    train: Arc<ImageSet>,
    test: &ImageSet,
    config: &ClassifierConfig,
    steps: u64,
    seed: u64,
    device: &Device,
) -> Result<f64, ClassifierError> {
    let options = FitOptions {
        seed,
        ..FitOptions::default()
    };
    let mut training = ClassifierTraining::new(config, train, options, device)?;
    for _ in 0..steps {
        training.step();
    }
    let seen = embed(
        &training.classifier(),
        &test.pixels,
        test.shape.len(),
        device,
    )
    .await?;
    Ok(seen.accuracy(&test.labels))
}
