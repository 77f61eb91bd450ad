//! A 2D GAN's outputs: PacGAN's mode metrics and the grid KL/JS divergences in the log, and at the
//! end a scatter plot of real against generated points and the weight file the page loads.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use burn::tensor::Tensor;
use ganplay_model::metrics::{DensityGrid, ModeMetrics, mode_metrics, points_from_flat};
use ganplay_model::weights::Precision;
use ganplay_model::{Losses, ToyDataset, TrainSession};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{Logged, Outputs, WeightWriter, shown};
use crate::scatter_png;

pub struct ToyOutputs {
    data: ToyDataset,
    density: DensityGrid,
    /// The same noise at every evaluation, so the metrics and the plot follow the same samples.
    noise: Tensor<2>,
    out: PathBuf,
    last: Option<ModeMetrics>,
    weights: WeightWriter,
}

impl ToyOutputs {
    pub fn new(
        data: ToyDataset,
        session: &TrainSession,
        out: &Path,
        weights: WeightWriter,
    ) -> Self {
        ToyOutputs {
            density: DensityGrid::new(&data),
            data,
            noise: session.evaluation_noise(),
            out: out.to_path_buf(),
            last: None,
            weights,
        }
    }

    fn generated(&self, session: &TrainSession) -> Vec<[f32; 2]> {
        let flat = session
            .generate(self.noise.clone())
            .into_data()
            .try_into_vec_as::<f32>()
            .expect("f32 samples");
        points_from_flat(&flat)
    }

    fn write_scatter(&self, session: &TrainSession) -> Result<()> {
        // Real points drawn from the run's seed: the same run plots the same grey points.
        let mut rng = StdRng::seed_from_u64(session.config().seed());
        let real = self.data.sample_points(1000, &mut rng);
        scatter_png::write(
            &self.out.join("scatter.png"),
            self.data.view_extent(),
            &real,
            &self.generated(session),
        )
    }
}

impl Outputs for ToyOutputs {
    fn header(&self, _loss_names: [&str; 2]) -> Vec<String> {
        // The short loss names this log has always had.
        [
            "step",
            "loss_d",
            "loss_g",
            "modes_covered",
            "mode_count",
            "hq_percent",
            "kl",
            "js",
        ]
        .map(String::from)
        .to_vec()
    }

    fn on_log(&mut self, session: &TrainSession, losses: &Losses<f32>) -> Logged {
        let generated = self.generated(session);
        let metrics = mode_metrics(&self.data, &generated);
        let divergence = self.density.divergence(&generated);
        let [d, g] = losses.values();
        let hq = metrics.high_quality_percent;
        let logged = Logged {
            columns: vec![
                metrics.modes_covered.to_string(),
                metrics.mode_count.to_string(),
                format!("{hq:.2}"),
                format!("{:.4}", divergence.kl),
                format!("{:.4}", divergence.js),
            ],
            message: format!(
                "D {d:.3}  G {g:.3}  modes {}  HQ {hq:.1}%  KL {:.3}  JS {:.3}",
                metrics.modes_text(),
                divergence.kl,
                divergence.js
            ),
        };
        self.last = Some(metrics);
        logged
    }

    fn kept_on_divergence(&self) -> &'static str {
        "The log and plot up to here are saved."
    }

    fn finish(&mut self, session: &TrainSession, diverged: bool, _elapsed: Duration) -> Result<()> {
        self.write_scatter(session)?;
        // Weights that produce NaN are worth nothing.
        let mut files = vec!["losses.csv", "scatter.png", "config.json"];
        if !diverged {
            let path = self.out.join("weights.safetensors");
            self.weights.write(session, Precision::F32, &path)?;
            files.push("weights.safetensors");
        }
        if let Some(m) = &self.last {
            println!(
                "step {}: modes covered {} , high quality {:.1}% (within 3σ, σ = {})",
                session.steps(),
                m.modes_text(),
                m.high_quality_percent,
                m.sigma
            );
        }
        let files: Vec<String> = files.into_iter().map(|f| shown(&self.out, f)).collect();
        println!("wrote {}", files.join(", "));
        Ok(())
    }
}
