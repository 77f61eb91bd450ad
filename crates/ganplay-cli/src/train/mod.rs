//! `ganplay train`: one loop for every model, with the progress bar, losses.csv and the divergence
//! check. What differs between model kinds are small hooks ([`Outputs`]): the scatter plot and
//! mode metrics of 2D GANs, the sample grids, checkpoints and weights of image models.

mod images;
mod loss_log;
mod optimizer_file;
mod toy;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use ganplay_model::{Losses, ModelConfig, TrainSession, divergence_message};
use indicatif::{ProgressBar, ProgressStyle};

use ganplay_model::weights::{Precision, TrainingFacts};

use crate::args::TrainArgs;
use crate::device;
use crate::losses;
use crate::plan::{TrainData, TrainPlan};
use crate::run_folder::RunFolder;
use crate::weight_files;
use loss_log::LossLog;

/// Writes the run's weight files, which record the data set's name and what trained the model.
struct WeightWriter {
    dataset: String,
    trained_by: String,
}

impl WeightWriter {
    fn new(dataset: &str, device_name: &str) -> Self {
        WeightWriter {
            dataset: dataset.to_string(),
            trained_by: format!("ganplay-cli {} ({device_name})", env!("CARGO_PKG_VERSION")),
        }
    }

    fn write(&self, session: &TrainSession, precision: Precision, path: &Path) -> Result<()> {
        let facts = TrainingFacts {
            steps: session.steps(),
            dataset: self.dataset.clone(),
            trained_at: weight_files::iso_now(),
            trained_by: self.trained_by.clone(),
        };
        weight_files::write(session, &facts, precision, path)?;
        if session.config().image().is_some() {
            optimizer_file::write(session, path)?;
        }
        Ok(())
    }
}

/// What a logged step adds after the losses in losses.csv, and the progress bar's message.
struct Logged {
    columns: Vec<String>,
    message: String,
}

/// The outputs of one model kind; the loop calls them at fixed points.
trait Outputs {
    /// losses.csv's header, `step` and the two losses first.
    fn header(&self, loss_names: [&str; 2]) -> Vec<String>;
    /// At every logged step, once the losses are read back.
    fn on_log(&mut self, session: &TrainSession, losses: &Losses<f32>) -> Logged;
    /// After every step.
    fn after_step(&mut self, _session: &TrainSession, _step: u64) -> Result<()> {
        Ok(())
    }
    /// What a diverged run leaves behind, for its error message.
    fn kept_on_divergence(&self) -> &'static str;
    /// The final files and the summary on stdout; also called when the run diverged.
    fn finish(&mut self, session: &TrainSession, diverged: bool, elapsed: Duration) -> Result<()>;
}

pub fn run(args: TrainArgs) -> Result<()> {
    let plan = TrainPlan::resolve(args)?;
    let picked = device::select(plan.device)?;
    picked.announce();
    let mut session = TrainSession::new(plan.config.clone(), plan.data.source(), &picked.device)?;
    if let Some(file) = &plan.resumed {
        session.load_weights(file).context("cannot resume")?;
        if let Some(path) = &plan.resumed_from {
            optimizer_file::resume(&mut session, path);
        }
    }
    // Held until the run ends, so no other run writes into the folder meanwhile.
    let _folder = RunFolder::claim(&plan.out, plan.claim)?;
    std::fs::write(plan.out.join("config.json"), config_json(&plan.config)?)?;
    let mut outputs: Box<dyn Outputs> = match &plan.data {
        TrainData::Toy(data) => Box::new(toy::ToyOutputs::new(
            data.clone(),
            &session,
            &plan.out,
            WeightWriter::new(&plan.data.name(), picked.name),
        )),
        TrainData::Images { name, test, .. } => {
            // The same classifier on the labels alone, logged beside it; not on a resumed run,
            // whose twin would start from fresh weights rather than from where this one stood.
            if test.is_some() && session.steps() == 0 {
                session.track_supervised_baseline();
            }
            Box::new(images::ImageOutputs::new(
                &plan.out,
                plan.snapshots,
                name,
                picked.name,
                test.clone(),
            )?)
        }
    };
    train(&mut session, outputs.as_mut(), &plan, picked.name)
}

/// Steps until `plan.steps` (a resumed session starts at its file's step count).
fn train(
    session: &mut TrainSession,
    outputs: &mut dyn Outputs,
    plan: &TrainPlan,
    device_name: &str,
) -> Result<()> {
    let header = outputs.header(Losses::of(session.config()).names());
    let start = session.steps();
    let continued = plan.resumed.is_some().then_some(start);
    let mut log = LossLog::open(&plan.out.join("losses.csv"), &header, continued)?;
    eprintln!(
        "training {} on {} with {device_name}, steps {start}..{} → {}",
        describe(session.config()),
        plan.data.name(),
        plan.steps,
        plan.out.display()
    );
    let bar = progress_bar(plan.steps.saturating_sub(start));
    let mut divergence = None;
    while session.steps() < plan.steps {
        let step_losses = session.step();
        let step = session.steps();
        if step.is_multiple_of(plan.log_every) || step == plan.steps {
            let reading = losses::read(&step_losses);
            let logged = outputs.on_log(session, &reading);
            log.write(step, &reading, &logged.columns)?;
            bar.set_message(logged.message);
            divergence = divergence_message(step, &reading);
            if divergence.is_some() {
                break;
            }
        }
        outputs.after_step(session, step)?;
        bar.inc(1);
    }
    bar.finish();
    outputs.finish(session, divergence.is_some(), bar.elapsed())?;
    match divergence {
        Some(message) => Err(anyhow!("{message} {}", outputs.kept_on_divergence())),
        None => Ok(()),
    }
}

fn progress_bar(steps: u64) -> ProgressBar {
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} steps  {per_sec}  ETA {eta}  {msg}")
            .expect("valid template");
    ProgressBar::new(steps).with_style(style)
}

/// `dcgan (1x64x64)`, or the 2D GAN's id.
fn describe(config: &ModelConfig) -> String {
    match config.image() {
        Some(c) => format!(
            "{} ({}x{}x{})",
            c.model.id(),
            c.image.channels,
            c.image.height,
            c.image.width
        ),
        None => config.model_id().to_string(),
    }
}

/// config.json: a 2D run keeps the bare GAN config it has always written; an image run writes
/// the tagged config a weight file carries.
fn config_json(config: &ModelConfig) -> Result<String> {
    Ok(match config {
        ModelConfig::Toy(c) => serde_json::to_string_pretty(c)?,
        ModelConfig::Image(_) => serde_json::to_string_pretty(config)?,
    })
}

/// Where a run's file goes, shown the way the summaries print it.
fn shown(out: &Path, file: &str) -> String {
    out.join(file).display().to_string()
}
