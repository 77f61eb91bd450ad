//! `ganplay sample`: images from a weight file, as a grid or one file each.

use anyhow::{Context, Result, bail};
use ganplay_model::ModelConfig;
use ganplay_model::sample::{SampleLayout, grid};

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
    // With --noise the file's rows set the count.
    let count = if args.noise.is_some() { 1 } else { args.count };
    ganplay_model::sample::check_request(&config, count, args.class)
        .map_err(|e| anyhow::anyhow!("cannot sample: {e}"))?;
    let picked = device::select(args.device.choice)?;
    picked.announce();
    let session = weight_files::image_session(&file, &args.weights, &picked.device)?;

    let layout = match &args.noise {
        Some(path) => noise_layout(&session, path, args.class)?,
        None => SampleLayout::new(&session, args.count, args.class, args.seed),
    };
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

/// A layout of the noise vectors in a `.npy` file, one sample each.
fn noise_layout(
    session: &ganplay_model::TrainSession,
    path: &std::path::Path,
    class: Option<usize>,
) -> Result<SampleLayout> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (n, width, values) =
        crate::npy::read_2d(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let latent = session.latent_dim();
    if width != latent || n == 0 {
        bail!(
            "{} holds an array of shape ({n}, {width}); the model needs (n, {latent}) noise",
            path.display()
        );
    }
    if values.iter().any(|v| !v.is_finite()) {
        bail!(
            "{} holds values that are not finite numbers",
            path.display()
        );
    }
    let classes = session.classes();
    let labels = (classes > 0).then(|| (0..n).map(|i| class.unwrap_or(i % classes)).collect());
    let columns = (n as f64).sqrt().ceil() as usize;
    Ok(SampleLayout::from_values(session, values, labels, columns))
}
