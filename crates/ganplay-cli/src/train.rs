//! `ganplay train`: the page's 2D GAN, trained natively with the same session type.

use std::path::Path;

use anyhow::{Context, Result, bail};
use burn::tensor::Tensor;
use ganplay_model::config::{GanConfig, MlpShape, OptimizerSpec};
use ganplay_model::metrics::{ModeMetrics, mode_metrics, points_from_flat};
use ganplay_model::points_csv::parse_points_csv;
use ganplay_model::{ToyDataset, ToyKind, TrainSession, divergence_message};
use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;

use crate::args::TrainArgs;
use crate::{device, scatter_png};

pub fn run(args: TrainArgs) -> Result<()> {
    if args.model.is_some() || args.resume.is_some() {
        return crate::train_images::run(args);
    }
    if args.data.is_some() {
        bail!("--data is for image models: add --model (gan-mlp, dcgan, cgan, wgan, vae or cvae)");
    }
    let data = dataset(&args)?;
    let config = config_from(&args);
    config.validate().context("invalid option")?;
    let (device, device_name) = device::select(args.device)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    std::fs::write(args.out.join("config.json"), serde_json::to_string_pretty(&config)?)?;

    let mut session = TrainSession::new(config, Box::new(data.clone()), &device)?;
    let noise = session.evaluation_noise();
    let mut log = csv::Writer::from_path(args.out.join("losses.csv"))?;
    log.write_record(["step", "loss_d", "loss_g", "modes_covered", "mode_count", "hq_percent"])?;

    eprintln!("training {} on {device_name} for {} steps → {}", data.kind().id(), args.steps, args.out.display());
    let bar = ProgressBar::new(args.steps).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} steps  {per_sec}  ETA {eta}  {msg}")
            .expect("valid template"),
    );
    let mut last: Option<ModeMetrics> = None;
    let mut outcome = Ok(());
    for step in 1..=args.steps {
        let losses = session.step();
        if step % args.log_every == 0 || step == args.steps {
            let [d, g] = read_pair(losses.packed());
            let metrics = mode_metrics(&data, &read_points(session.generate(noise.clone())));
            log.write_record(&[
                step.to_string(),
                d.to_string(),
                g.to_string(),
                metrics.modes_covered.to_string(),
                metrics.mode_count.to_string(),
                format!("{:.2}", metrics.high_quality_percent),
            ])?;
            bar.set_message(format!("D {d:.3}  G {g:.3}  modes {}  HQ {:.1}%", metrics.modes_text(), metrics.high_quality_percent));
            last = Some(metrics);
            if let Some(message) = divergence_message(step, session.loss_names(), [d, g]) {
                outcome = Err(anyhow::anyhow!("{message} The log and plot up to here are saved."));
                break;
            }
        }
        bar.inc(1);
    }
    bar.finish();
    log.flush()?;
    write_scatter(&args.out, &data, &session, noise)?;
    if let Some(m) = last {
        println!(
            "step {}: modes covered {} , high quality {:.1}% (within 3σ, σ = {})",
            session.steps(),
            m.modes_text(),
            m.high_quality_percent,
            m.sigma
        );
    }
    println!("wrote {}", ["losses.csv", "scatter.png", "config.json"].map(|f| args.out.join(f).display().to_string()).join(", "));
    outcome
}

fn dataset(args: &TrainArgs) -> Result<ToyDataset> {
    let name = args.dataset.as_deref().unwrap_or("ring8");
    let kind = ToyKind::from_id(name).with_context(|| {
        let ids: Vec<_> = ToyKind::ALL.iter().map(|k| k.id()).collect();
        format!("unknown dataset '{name}': choose one of {} (or mnist with --model)", ids.join(", "))
    })?;
    match (kind, &args.points) {
        (ToyKind::Custom, Some(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let points = parse_points_csv(&text).with_context(|| format!("{} is not a points CSV", path.display()))?;
            Ok(ToyDataset::custom(&points, args.sigma)?)
        }
        (ToyKind::Custom, None) => bail!("--dataset custom needs --points FILE.csv (x,y per line)"),
        (_, Some(_)) => bail!("--points is only used with --dataset custom"),
        (kind, None) => Ok(ToyDataset::new(kind, args.sigma)?),
    }
}

fn config_from(a: &TrainArgs) -> GanConfig {
    GanConfig {
        generator: MlpShape { hidden_layers: a.g_layers, neurons: a.g_neurons, activation: a.g_activation.into() },
        discriminator: MlpShape { hidden_layers: a.d_layers, neurons: a.d_neurons, activation: a.d_activation.into() },
        noise_dim: a.noise_dim,
        noise: a.noise.into(),
        loss: a.loss.into(),
        clip: a.clip.unwrap_or(GanConfig::default().clip),
        d_optimizer: OptimizerSpec { kind: a.d_optimizer.into(), learning_rate: a.d_lr },
        g_optimizer: OptimizerSpec { kind: a.g_optimizer.into(), learning_rate: a.g_lr },
        d_steps: a.d_steps.unwrap_or(GanConfig::default().d_steps),
        batch_size: a.batch_size.unwrap_or(GanConfig::default().batch_size),
        seed: a.seed,
    }
}

fn write_scatter(out: &Path, data: &ToyDataset, session: &TrainSession, noise: Tensor<2>) -> Result<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(session.config().seed());
    let real = data.sample_points(1000, &mut rng);
    let fake = read_points(session.generate(noise));
    scatter_png::write(&out.join("scatter.png"), data.view_extent(), &real, &fake)
}

fn read_pair(t: Tensor<1>) -> [f32; 2] {
    let v = t.into_data().try_into_vec_as::<f32>().expect("f32 losses");
    [v[0], v[1]]
}

fn read_points(t: Tensor<2>) -> Vec<[f32; 2]> {
    points_from_flat(&t.into_data().try_into_vec_as::<f32>().expect("f32 samples"))
}
