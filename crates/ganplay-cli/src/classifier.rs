//! `ganplay classifier`: trains the reference classifier on the bundled training digits, reports
//! its held-out accuracy after every epoch, and writes the weight file the metrics use (f16 when
//! that keeps the accuracy, else f32).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use ganplay_model::classifier::{ClassifierTraining, FitOptions, embed};
use ganplay_model::data::bundled;
use ganplay_model::data::classic_augmentation::ClassicAugmentation;
use ganplay_model::nets::classifier::{Classifier, ClassifierConfig};
use ganplay_model::weights::classifier_file::{self, ClassifierFile};
use ganplay_model::weights::{Precision, TrainingFacts};
use ganplay_model::{ImageSet, ImageShape};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::ClassifierArgs;
use crate::{device, weight_files};

pub fn run(args: ClassifierArgs) -> Result<()> {
    let picked = device::select(args.device.choice)?;
    picked.announce();
    let (train, test) = (bundled::mnist_train(), bundled::mnist_test());
    let config = ClassifierConfig::lenet(ImageShape::MNIST, train.classes());
    let options = FitOptions {
        batch_size: args.batch_size,
        learning_rate: args.learning_rate,
        seed: args.seed,
        augmentation: args.augment.then_some(ClassicAugmentation::DIGITS),
        ..FitOptions::default()
    };
    let mut training = ClassifierTraining::new(&config, train.clone(), options, &picked.device)
        .map_err(|e| anyhow!(e))?;
    let plain = picked.device.clone();
    let steps = training.steps_per_epoch() * args.epochs as usize;
    let bar = ProgressBar::new(steps as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} steps {elapsed} (eta {eta}) {msg}")
            .expect("valid template"),
    );
    let started = Instant::now();
    let mut accuracy = 0.0;
    for epoch in 1..=args.epochs {
        let mut loss_sum = 0.0;
        for _ in 0..training.steps_per_epoch() {
            let loss = training.step().into_scalar::<f32>();
            if !loss.is_finite() {
                anyhow::bail!(
                    "the loss became {loss} in epoch {epoch}; try a smaller --learning-rate"
                );
            }
            loss_sum += loss;
            bar.inc(1);
        }
        accuracy = test_accuracy(&training.classifier(), &test, &plain)?;
        bar.suspend(|| {
            println!(
                "epoch {epoch:>2}: mean loss {:.4}, test accuracy {:.2}% ({} digits)",
                loss_sum / training.steps_per_epoch() as f32,
                100.0 * accuracy,
                test.len()
            )
        });
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let net = training.classifier();
    let facts = TrainingFacts {
        steps: training.steps(),
        dataset: "mnist (bundled training split)".into(),
        trained_at: weight_files::iso_now(),
        trained_by: format!(
            "ganplay-cli {} ({})",
            env!("CARGO_PKG_VERSION"),
            picked.name
        ),
    };
    // Half precision if it keeps the accuracy to a tenth of a point.
    let f16 = to_bytes(&net, &config, &facts, accuracy, Precision::F16)?;
    let f16_accuracy = test_accuracy(&ClassifierFile::parse(&f16)?.build(&plain)?, &test, &plain)?;
    let (bytes, precision) = if (accuracy - f16_accuracy).abs() <= 0.001 {
        (f16, "f16")
    } else {
        (
            to_bytes(&net, &config, &facts, accuracy, Precision::F32)?,
            "f32",
        )
    };
    weight_files::write_bytes(&bytes, &args.out)?;
    println!(
        "test accuracy {:.2}% (f16 weights: {:.2}%), {} epochs in {:.0} s; wrote {} ({precision}, {} kB)",
        100.0 * accuracy,
        100.0 * f16_accuracy,
        args.epochs,
        elapsed.as_secs_f64(),
        args.out.display(),
        bytes.len() / 1000
    );
    Ok(())
}

fn to_bytes(
    net: &Classifier,
    config: &ClassifierConfig,
    facts: &TrainingFacts,
    accuracy: f64,
    precision: Precision,
) -> Result<Vec<u8>> {
    pollster::block_on(classifier_file::to_bytes(
        net, config, facts, accuracy, precision,
    ))
    .context("cannot serialise the classifier")
}

pub fn test_accuracy(
    net: &Classifier,
    test: &Arc<ImageSet>,
    device: &burn::tensor::Device,
) -> Result<f64> {
    let embedding = pollster::block_on(embed(net, &test.pixels, test.shape.len(), device))
        .map_err(|e| anyhow!(e))?;
    Ok(embedding.accuracy(&test.labels))
}

/// The classifier at `path`, or the bundled one.
pub fn load_reference(
    path: Option<&std::path::Path>,
    device: &burn::tensor::Device,
) -> Result<(Classifier, ClassifierFile)> {
    let (bytes, name) = match path {
        Some(path) => (
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
            path.display().to_string(),
        ),
        None => (
            ganplay_model::classifier::bundled::file_bytes().to_vec(),
            "the bundled classifier".to_string(),
        ),
    };
    let file = ClassifierFile::parse(&bytes)
        .with_context(|| format!("{name} is not a usable classifier file"))?;
    let net = file.build(device)?;
    Ok((net, file))
}
