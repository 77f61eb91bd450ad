//! An image model's outputs: sample grids and checkpoints while it trains, then the final grid
//! and weight file the page loads.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use ganplay_model::metrics::{TestAccuracy, test_accuracy};
use ganplay_model::sample::{SampleLayout, grid};
use ganplay_model::weights::Precision;
use ganplay_model::{ImageSet, Losses, TrainSession};

use super::{Logged, Outputs, WeightWriter, shown};
use crate::image_files;
use crate::plan::Snapshots;

pub struct ImageOutputs {
    out: PathBuf,
    snapshots: Snapshots,
    weights: WeightWriter,
    /// Semi-supervised models: the held-out images whose accuracy is logged.
    test: Option<Arc<ImageSet>>,
    /// The last accuracy logged and its step, so the summary need not measure it again.
    last_accuracy: Option<(u64, TestAccuracy)>,
}

impl ImageOutputs {
    pub fn new(
        out: &Path,
        snapshots: Snapshots,
        dataset: &str,
        device_name: &str,
        test: Option<Arc<ImageSet>>,
    ) -> Result<Self> {
        std::fs::create_dir_all(out.join("samples"))
            .with_context(|| format!("cannot create {}", out.display()))?;
        Ok(ImageOutputs {
            out: out.to_path_buf(),
            snapshots,
            weights: WeightWriter::new(dataset, device_name),
            test,
            last_accuracy: None,
        })
    }
}

/// Every `every` steps; 0 means never.
fn due(step: u64, every: u64) -> bool {
    every > 0 && step.is_multiple_of(every)
}

impl Outputs for ImageOutputs {
    fn header(&self, loss_names: [&str; 2]) -> Vec<String> {
        let [first, second] = loss_names.map(|n| format!("loss_{}", n.to_lowercase()));
        let mut header = vec!["step".to_string(), first, second];
        if self.test.is_some() {
            header.extend(["test_accuracy".into(), "labels_only_test_accuracy".into()]);
        }
        header
    }

    fn on_log(&mut self, session: &TrainSession, losses: &Losses<f32>) -> Logged {
        let ([first, second], [a, b]) = (losses.names(), losses.values());
        let mut logged = Logged {
            columns: Vec::new(),
            message: format!("{first} {a:.3}  {second} {b:.3}"),
        };
        if let Some(test) = &self.test {
            match pollster::block_on(test_accuracy(session, test)) {
                Ok(result) => {
                    let baseline = result.baseline.unwrap_or(f64::NAN);
                    logged.columns =
                        vec![format!("{:.4}", result.accuracy), format!("{baseline:.4}")];
                    logged.message += &format!("  test accuracy {:.1}%", 100.0 * result.accuracy);
                    if let Some(baseline) = result.baseline {
                        logged.message += &format!(" (labels only {:.1}%)", 100.0 * baseline);
                    }
                    self.last_accuracy = Some((session.steps(), result));
                }
                Err(e) => {
                    logged.columns = vec!["NaN".into(), "NaN".into()];
                    logged.message += &format!("  test accuracy unavailable: {e}");
                }
            }
        }
        logged
    }

    fn after_step(&mut self, session: &TrainSession, step: u64) -> Result<()> {
        if due(step, self.snapshots.sample_every) {
            write_grid(
                session,
                &self.out.join("samples").join(format!("step-{step:06}.png")),
            )?;
        }
        if due(step, self.snapshots.checkpoint_every) {
            self.weights.write(
                session,
                Precision::F32,
                &self.out.join("checkpoint.safetensors"),
            )?;
        }
        Ok(())
    }

    fn kept_on_divergence(&self) -> &'static str {
        "The log and the last checkpoint are kept."
    }

    fn finish(&mut self, session: &TrainSession, diverged: bool, elapsed: Duration) -> Result<()> {
        // Weights that produce NaN are worth nothing; the last checkpoint stays the newest file.
        if diverged {
            return Ok(());
        }
        write_grid(session, &self.out.join("samples.png"))?;
        self.weights.write(
            session,
            self.snapshots.precision,
            &self.out.join("weights.safetensors"),
        )?;
        if let Some(test) = &self.test {
            let result = match self.last_accuracy.take() {
                Some((step, result)) if step == session.steps() => result,
                _ => {
                    pollster::block_on(test_accuracy(session, test)).map_err(anyhow::Error::msg)?
                }
            };
            let baseline = result
                .baseline
                .map(|b| {
                    format!(
                        " (the same network on the labelled images alone: {:.2}%)",
                        100.0 * b
                    )
                })
                .unwrap_or_default();
            println!(
                "test accuracy {:.2}% on {} held-out images{baseline}",
                100.0 * result.accuracy,
                test.len()
            );
        }
        println!(
            "trained {} to step {} in {:.1} s; wrote {}, {} and {}",
            session.config().model_id(),
            session.steps(),
            elapsed.as_secs_f64(),
            shown(&self.out, "weights.safetensors"),
            shown(&self.out, "samples.png"),
            shown(&self.out, "losses.csv")
        );
        Ok(())
    }
}

/// The page's sample grid (same noise, same layout), as a PNG.
fn write_grid(session: &TrainSession, path: &Path) -> Result<()> {
    let layout = SampleLayout::page_grid(session, None);
    let values = layout
        .generate(session)
        .into_data()
        .try_into_vec_as::<f32>()
        .expect("f32 samples");
    let config = session.config().image().context("an image model")?;
    let rgba = grid::compose(
        &values,
        config.image,
        config.model.normalisation(),
        layout.columns,
    );
    image_files::write_png(path, &rgba)
}
