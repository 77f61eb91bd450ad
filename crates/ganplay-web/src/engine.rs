//! One training run in the page: the shared session plus what the page draws.
//!
//! Work on the device is queued synchronously; everything read back goes through
//! `into_data_async`, since a synchronous read panics on WebGPU.

use burn::tensor::{Device, Tensor};
use ganplay_model::metrics::{ModeMetrics, mode_metrics, points_from_flat};
use ganplay_model::{GanConfig, ToyDataset, TrainSession};
use rand::SeedableRng;

/// Resolution of the discriminator's decision surface.
pub const SURFACE_CELLS: usize = 32;
/// Real points drawn for comparison.
const REAL_POINTS: usize = 600;
/// Loss history kept for the chart; older points are thinned out.
const HISTORY_LIMIT: usize = 1000;

/// Which update a button asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepKind {
    Full,
    Discriminator,
    Generator,
}

/// Losses of the latest update, still on the device.
pub struct PendingLosses {
    pub discriminator: Option<Tensor<1>>,
    pub generator: Option<Tensor<1>>,
}

/// What the page needs to redraw, read back from the device.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub generated: Vec<[f32; 2]>,
    /// D's belief "real" on a `SURFACE_CELLS²` grid, row by row from the top.
    pub surface: Vec<f32>,
    pub metrics: ModeMetrics,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossPoint {
    pub step: u64,
    pub discriminator: f32,
    pub generator: f32,
}

pub struct Engine {
    /// Distinguishes this run from the one that replaces it, so late read-backs are dropped.
    pub generation: u64,
    pub session: TrainSession,
    pub data: ToyDataset,
    pub real_points: Vec<[f32; 2]>,
    pub extent: f32,
    pub history: Vec<LossPoint>,
    noise: Tensor<2>,
    surface_grid: Tensor<2>,
}

impl Engine {
    pub fn new(config: GanConfig, data: ToyDataset, device: &Device) -> Result<Self, String> {
        let session = TrainSession::new(config.clone(), Box::new(data.clone()), device).map_err(|e| e.to_string())?;
        let extent = data.view_extent();
        let mut rng = rand::rngs::StdRng::seed_from_u64(config.seed);
        let real_points = data.sample_points(REAL_POINTS, &mut rng);
        let noise = session.evaluation_noise();
        let surface_grid = session.tensor_from_points(surface_grid(extent), 2);
        Ok(Engine { generation: next_generation(), session, data, real_points, extent, history: Vec::new(), noise, surface_grid })
    }

    /// Queues `count` updates of `kind` and returns the losses of the last one.
    pub fn advance(&mut self, kind: StepKind, count: usize) -> PendingLosses {
        let mut pending = PendingLosses { discriminator: None, generator: None };
        for _ in 0..count.max(1) {
            pending = match kind {
                StepKind::Full => {
                    let l = self.session.step();
                    PendingLosses { discriminator: Some(l.discriminator), generator: Some(l.generator) }
                }
                StepKind::Discriminator => {
                    PendingLosses { discriminator: Some(self.session.discriminator_step()), generator: None }
                }
                StepKind::Generator => PendingLosses { discriminator: None, generator: Some(self.session.generator_step()) },
            };
        }
        pending
    }

    /// Generated points and decision surface, concatenated so one read-back fetches both.
    pub fn view_tensor(&self) -> Tensor<1> {
        let generated = self.session.generate(self.noise.clone()).flatten::<1>(0, 1);
        let surface = self.session.discriminator_belief(self.surface_grid.clone()).flatten::<1>(0, 1);
        Tensor::cat(vec![generated, surface], 0)
    }

    /// Splits a read-back of [`Self::view_tensor`] and scores the generated points.
    pub fn view_from(&self, flat: &[f32]) -> View {
        let split = flat.len() - SURFACE_CELLS * SURFACE_CELLS;
        let generated = points_from_flat(&flat[..split]);
        let metrics = mode_metrics(&self.data, &generated);
        View { generated, surface: flat[split..].to_vec(), metrics }
    }

    pub fn record(&mut self, point: LossPoint) {
        if self.history.len() >= HISTORY_LIMIT {
            // Keep every other point: the chart keeps its whole span at half the detail.
            let thinned: Vec<LossPoint> = self.history.iter().copied().step_by(2).collect();
            self.history = thinned;
        }
        self.history.push(point);
    }
}

fn next_generation() -> u64 {
    thread_local!(static COUNTER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });
    COUNTER.with(|c| {
        c.set(c.get() + 1);
        c.get()
    })
}

/// Cell centres of the surface grid, row by row from the top, in data coordinates.
fn surface_grid(extent: f32) -> Vec<f32> {
    let n = SURFACE_CELLS;
    let cell = 2.0 * extent / n as f32;
    let mut out = Vec::with_capacity(n * n * 2);
    for row in 0..n {
        for col in 0..n {
            out.push(-extent + (col as f32 + 0.5) * cell);
            out.push(extent - (row as f32 + 0.5) * cell);
        }
    }
    out
}
