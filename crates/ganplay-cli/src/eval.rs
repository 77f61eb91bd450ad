//! `ganplay eval`: scores an image model's samples in the reference classifier's feature space
//! against the held-out test digits, next to the floor (as many real training digits scored the
//! same way), prints a table and optionally writes JSON.

use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use burn::tensor::Device;
use ganplay_model::classifier::{Embedding, embed};
use ganplay_model::data::bundled;
use ganplay_model::metrics::cas::{CAS_STEPS, train_and_test};
use ganplay_model::metrics::{ImageMetrics, MetricProtocol, test_accuracy};
use ganplay_model::nets::classifier::Classifier;
use ganplay_model::sample::images::generate_images;
use ganplay_model::{ImageModelKind, ImageSet, ModelConfig};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::index::sample;
use serde_json::json;

use crate::args::EvalArgs;
use crate::{classifier, device, weight_files};

pub fn run(args: EvalArgs) -> Result<()> {
    let file = weight_files::read(&args.weights)?;
    let ModelConfig::Image(config) = &file.config else {
        bail!(
            "{} holds a 2D GAN; `eval` scores image models (2D GANs report modes and quality while training)",
            args.weights.display()
        );
    };
    let picked = device::select(args.device.choice)?;
    picked.announce();
    let device = &picked.device;
    let (net, classifier_file) = classifier::load_reference(args.classifier.as_deref(), device)?;
    if classifier_file.config.image != config.image {
        bail!(
            "the classifier reads {:?} images, the model makes {:?}: metrics need the classifier of the model's data",
            classifier_file.config.image,
            config.image
        );
    }
    let session = weight_files::image_session(&file, &args.weights, device)?;
    let generated = pollster::block_on(generate_images(&session, args.samples, None, args.seed))
        .map_err(|e| anyhow!(e))?;
    let (train, test) = (bundled::mnist_train(), bundled::mnist_test());
    let classification = if config.model.is_semi_supervised() {
        let result = pollster::block_on(test_accuracy(&session, &test)).map_err(|e| anyhow!(e))?;
        let classifier = if config.model == ImageModelKind::M2 {
            "q(y|x)"
        } else {
            "the discriminator"
        };
        println!(
            "classifier ({classifier}) test accuracy: {:.2}% of the {} held-out test digits",
            100.0 * result.accuracy,
            test.len()
        );
        Some(result.accuracy)
    } else {
        None
    };
    let scored = embed_pixels(&net, &generated.pixels, config.image.len(), device)?;
    let reference = embed_pixels(&net, &test.pixels, test.shape.len(), device)?;
    let floor_set = random_subset(&train, args.samples, args.seed)?;
    let floor_embedding = embed_pixels(&net, &floor_set.pixels, train.shape.len(), device)?;
    let protocol = MetricProtocol::default();
    let model = ImageMetrics::compare(&reference, &scored, &protocol)?;
    let floor = ImageMetrics::compare(&reference, &floor_embedding, &protocol)?;
    print_table(config.model.id(), &model, &floor);
    if let Some(conditional) = &generated.labels {
        println!(
            "classifier agrees with the asked class: {:.1}% of samples",
            100.0 * scored.accuracy(conditional)
        );
    }
    let cas = if args.cas {
        // Labels: the class asked of a conditional model, else the reference classifier's.
        let labels = generated
            .labels
            .clone()
            .unwrap_or_else(|| scored.predicted().into_iter().map(|c| c as u8).collect());
        let synthetic = ImageSet::new(
            config.image,
            generated.pixels.clone(),
            labels,
            config.class_names.clone(),
        )?;
        let cas_config = classifier_file.config.clone();
        let score = |set: ImageSet| -> Result<f64> {
            pollster::block_on(train_and_test(
                Arc::new(set),
                &test,
                &cas_config,
                CAS_STEPS,
                args.seed,
                device,
            ))
            .map_err(|e| anyhow!(e))
        };
        let (model_cas, floor_cas) = (score(synthetic)?, score(floor_set)?);
        println!(
            "classification accuracy score (train on {} images only, {CAS_STEPS} steps; test on real): {:.2}%, real floor {:.2}%",
            args.samples,
            100.0 * model_cas,
            100.0 * floor_cas
        );
        Some((model_cas, floor_cas))
    } else {
        None
    };
    if let Some(path) = &args.json {
        let report = json!({
            "weights": args.weights.display().to_string(),
            "model": config.model.id(),
            "steps": file.facts.steps,
            "classifier_test_accuracy": classifier_file.test_accuracy,
            "reference": "bundled test split",
            "seed": args.seed,
            "model_metrics": model,
            "floor": floor,
            "semi_supervised_test_accuracy": classification,
            "classification_accuracy_score": cas.map(|(model, floor)| json!({"model": model, "floor": floor, "steps": CAS_STEPS})),
        });
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn embed_pixels(net: &Classifier, pixels: &[u8], len: usize, device: &Device) -> Result<Embedding> {
    pollster::block_on(embed(net, pixels, len, device)).map_err(|e| anyhow!(e))
}

/// `n` training digits drawn without replacement (all of them if fewer).
fn random_subset(set: &Arc<ImageSet>, n: usize, seed: u64) -> Result<ImageSet> {
    let n = n.min(set.len());
    let mut rng = StdRng::seed_from_u64(seed);
    let picked = sample(&mut rng, set.len(), n).into_vec();
    let pixels = picked
        .iter()
        .flat_map(|i| set.image(*i).iter().copied())
        .collect();
    let labels = picked.iter().map(|i| set.labels[*i]).collect();
    Ok(ImageSet::new(
        set.shape,
        pixels,
        labels,
        set.class_names.clone(),
    )?)
}

/// How one metric prints.
type Cell = fn(&ImageMetrics) -> String;

fn print_table(model_name: &str, model: &ImageMetrics, floor: &ImageMetrics) {
    let rows: [(&str, Cell); 7] = [
        ("Fréchet distance (lower is better)", |m| {
            format!("{:.2}", m.frechet)
        }),
        ("KID ×1000 (lower is better)", |m| {
            format!("{:.2} ± {:.2}", 1000.0 * m.kid.mean, 1000.0 * m.kid.sd)
        }),
        ("precision (higher is better)", |m| {
            format!("{:.3}", m.precision)
        }),
        ("recall (higher is better)", |m| format!("{:.3}", m.recall)),
        ("inception score (max 10)", |m| {
            format!(
                "{:.2} ± {:.2}",
                m.inception_score.mean, m.inception_score.sd
            )
        }),
        ("classes missing", |m| match m.class_histogram.missing() {
            missing if missing.is_empty() => "none".into(),
            missing => format!("{missing:?}"),
        }),
        ("samples per class", |m| {
            format!("{:?}", m.class_histogram.counts)
        }),
    ];
    println!(
        "{} samples of {model_name} against the {} held-out test digits; floor: {} real training digits",
        model.samples, model.reference, floor.samples
    );
    println!("{:<36} {:>20}  {:>20}", "metric", model_name, "real floor");
    for (name, value) in rows {
        println!("{name:<36} {:>20}  {:>20}", value(model), value(floor));
    }
}
