//! `ganplay sample`: images from a weight file, as a grid or one file each.

use anyhow::{Context, Result, bail};
use ganplay_model::data::{ImageData, ImageSet};
use ganplay_model::sample::{SampleLayout, grid};
use ganplay_model::{ModelConfig, TrainSession};
use std::sync::Arc;

use crate::args::SampleArgs;
use crate::{device, image_files, weight_files};

pub fn run(args: SampleArgs) -> Result<()> {
    let file = weight_files::read(&args.weights)?;
    let ModelConfig::Image(config) = file.config.clone() else {
        bail!(
            "{} holds a 2D GAN; `sample` draws image models",
            args.weights.display()
        );
    };
    if let Some(class) = args.class
        && class >= config.classes()
    {
        bail!(
            "--class {class}: the model knows {} classes ({})",
            config.classes(),
            config.class_names.join(", ")
        );
    }
    let picked = device::select(args.device.choice)?;
    picked.announce();
    // Sampling needs no data; a one-image stand-in with the right shape and classes satisfies
    // the session.
    let blank = ImageSet::new(
        config.image,
        vec![0; config.image.len()],
        vec![0],
        config.class_names.clone(),
    )?;
    let data = ImageData::new(Arc::new(blank), config.model.normalisation());
    let mut session = TrainSession::new(config.clone(), Box::new(data), &picked.device)?;
    session.load_weights(&file)?;

    let layout = SampleLayout::new(&session, args.count, args.class, args.seed);
    let values = layout
        .generate(&session)
        .into_data()
        .try_into_vec_as::<f32>()
        .expect("f32 samples");
    if let Some(path) = &args.values {
        std::fs::write(path, serde_json::to_string(&values)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let norm = config.model.normalisation();
    if args.separate {
        std::fs::create_dir_all(&args.out)?;
        let labels = layout.labels.clone();
        for (i, image) in values.chunks_exact(config.image.len()).enumerate() {
            let name = match &labels {
                Some(l) => format!("{:04}-{}.png", i, config.class_names[l[i]]),
                None => format!("{i:04}.png"),
            };
            image_files::write_png(
                &args.out.join(name),
                &grid::single(image, config.image, norm),
            )?;
        }
    } else {
        image_files::write_png(
            &args.out,
            &grid::compose(&values, config.image, norm, layout.columns),
        )?;
    }
    println!(
        "{} samples of {} (step {}, trained on {}) → {}",
        values.len() / config.image.len(),
        config.model.id(),
        file.facts.steps,
        file.facts.dataset,
        args.out.display()
    );
    Ok(())
}
