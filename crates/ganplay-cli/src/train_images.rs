//! `ganplay train --model …`: image models on the bundled digits, IDX files or image folders,
//! with sample grids, checkpoints, resume and a final weight file the page loads.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use ganplay_model::images::ImageData;
use ganplay_model::sampling::SampleLayout;
use ganplay_model::weights::{self, Precision, TrainingFacts, WeightFile};
use ganplay_model::{ImageModelConfig, ImageShape, ModelConfig, TrainSession, divergence_message, grid};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::TrainArgs;
use crate::{device, image_files};

pub fn run(args: TrainArgs) -> Result<()> {
    let resumed = match &args.resume {
        Some(path) => Some(read_weights(path)?),
        None => None,
    };
    let config = match &resumed {
        Some(file) => match &file.config {
            ModelConfig::Image(c) => c.clone(),
            ModelConfig::Toy(_) => bail!("{} holds a 2D GAN; --resume continues image models", args.resume.as_ref().unwrap().display()),
        },
        None => config_from(&args)?,
    };
    config.validate().context("invalid option")?;
    let dataset = args
        .dataset
        .clone()
        .or_else(|| resumed.as_ref().map(|f| f.facts.dataset.clone()).filter(|d| d == "mnist"))
        .unwrap_or_else(|| "mnist".into());
    let (set, dataset_name) = image_files::load(&dataset, args.data.as_deref(), config.image)?;
    let mut config = config;
    if !config.model.is_conditional() || resumed.is_none() {
        config.class_names = set.class_names.clone();
    }
    let (device, device_name) = device::select(args.device)?;
    let data = ImageData::new(Arc::new(set), config.model.normalisation());
    let mut session = TrainSession::new(config.clone(), Box::new(data), &device)?;
    if let Some(file) = &resumed {
        session.load_weights(file).context("cannot resume")?;
    }

    let out = &args.out;
    std::fs::create_dir_all(out.join("samples")).with_context(|| format!("cannot create {}", out.display()))?;
    std::fs::write(out.join("config.json"), serde_json::to_string_pretty(&ModelConfig::Image(config.clone()))?)?;
    let losses_path = out.join("losses.csv");
    let append = resumed.is_some() && losses_path.exists();
    let file = std::fs::OpenOptions::new().create(true).append(append).write(true).truncate(!append).open(&losses_path)?;
    let mut log = csv::WriterBuilder::new().has_headers(false).from_writer(file);
    let names = session.loss_names();
    if !append {
        log.write_record(["step".to_string(), format!("loss_{}", names[0].to_lowercase()), format!("loss_{}", names[1].to_lowercase())])?;
    }

    let start = session.steps();
    eprintln!(
        "training {} ({}x{}x{}) on {dataset_name} with {device_name}, steps {start}..{} → {}",
        config.model.id(),
        config.image.channels,
        config.image.height,
        config.image.width,
        args.steps,
        out.display()
    );
    let bar = ProgressBar::new(args.steps.saturating_sub(start)).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} steps  {per_sec}  ETA {eta}  {msg}").expect("valid template"),
    );
    let facts = |session: &TrainSession| TrainingFacts {
        steps: session.steps(),
        dataset: dataset_name.clone(),
        trained_at: iso_now(),
        trained_by: format!("ganplay-cli {} ({device_name})", env!("CARGO_PKG_VERSION")),
    };
    let log_every = args.log_every.max(1);
    let mut outcome = Ok(());
    while session.steps() < args.steps {
        let losses = session.step();
        let step = session.steps();
        if step % log_every == 0 || step == args.steps {
            let v = losses.packed().into_data().try_into_vec_as::<f32>().expect("f32 losses");
            log.write_record([step.to_string(), v[0].to_string(), v[1].to_string()])?;
            // Flushed as it goes, so an interrupted run keeps its log.
            log.flush()?;
            bar.set_message(format!("{} {:.3}  {} {:.3}", names[0], v[0], names[1], v[1]));
            if let Some(message) = divergence_message(step, names, [v[0], v[1]]) {
                outcome = Err(anyhow!("{message} The log and the last checkpoint are kept."));
                break;
            }
        }
        if args.sample_every > 0 && step % args.sample_every == 0 {
            write_grid(&session, &out.join("samples").join(format!("step-{step:06}.png")))?;
        }
        if args.checkpoint_every > 0 && step % args.checkpoint_every == 0 {
            write_weights(&session, &facts(&session), Precision::F32, &out.join("checkpoint.safetensors"))?;
        }
        bar.inc(1);
    }
    bar.finish();
    log.flush()?;
    outcome?;
    write_grid(&session, &out.join("samples.png"))?;
    let precision = if args.f16 { Precision::F16 } else { Precision::F32 };
    let weights_path = out.join("weights.safetensors");
    write_weights(&session, &facts(&session), precision, &weights_path)?;
    println!(
        "trained {} to step {} in {:.1} s; wrote {}, {} and {}",
        config.model.id(),
        session.steps(),
        bar.elapsed().as_secs_f64(),
        weights_path.display(),
        out.join("samples.png").display(),
        losses_path.display()
    );
    Ok(())
}

fn config_from(a: &TrainArgs) -> Result<ImageModelConfig> {
    let model = a.model.context("--model is required")?;
    let default_side = if a.scale == crate::args::ScaleArg::Full && model.is_convolutional() { 64 } else { 28 };
    let side = a.image_size.unwrap_or(default_side);
    let image = ImageShape::square(a.channels, side);
    let preset = ImageModelConfig::preset(model, a.scale.into(), image);
    Ok(ImageModelConfig {
        latent_dim: a.latent_dim.unwrap_or(preset.latent_dim),
        conv_width: a.conv_width.unwrap_or(preset.conv_width),
        learning_rate: a.lr.unwrap_or(preset.learning_rate),
        batch_size: a.batch_size.unwrap_or(preset.batch_size),
        d_steps: a.d_steps.unwrap_or(preset.d_steps),
        clip: a.clip.unwrap_or(preset.clip),
        seed: a.seed,
        ..preset
    })
}

pub fn read_weights(path: &Path) -> Result<WeightFile> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    WeightFile::parse(&bytes).with_context(|| format!("{} is not a usable weight file", path.display()))
}

fn write_weights(session: &TrainSession, facts: &TrainingFacts, precision: Precision, path: &Path) -> Result<()> {
    let bytes = pollster::block_on(weights::to_bytes(session, facts, precision))?;
    // Write then rename, so an interrupted run never leaves a half-written checkpoint.
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

pub fn write_grid(session: &TrainSession, path: &Path) -> Result<()> {
    let layout = SampleLayout::page_grid(session, None);
    let values = layout.generate(session).into_data().try_into_vec_as::<f32>().expect("f32 samples");
    let config = session.config().image().context("an image model")?;
    let rgba = grid::compose(&values, config.image, config.model.normalisation(), layout.columns);
    image_files::write_png(path, &rgba)
}

/// UTC now as `YYYY-MM-DDTHH:MM:SSZ` (days-to-civil conversion, Howard Hinnant's algorithm).
fn iso_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}
