//! One model in the page: the shared session plus what the page draws for it.
//!
//! Work on the device is queued synchronously; everything read back goes through
//! `into_data_async`, since a synchronous read panics on WebGPU. Each view is one tensor, so one
//! read-back fetches everything a redraw needs.

use std::rc::Rc;
use std::sync::Arc;

use burn::tensor::{Device, Tensor};
use ganplay_model::data::{ImageData, ImageSet, bundled};
use ganplay_model::metrics::{DensityGrid, Divergence, METRIC_SAMPLES};
use ganplay_model::sample::{GRID_SEED, SampleLayout};
use ganplay_model::weights::WeightFile;
use ganplay_model::{
    GanConfig, ImageModelConfig, ImageShape, ModelConfig, ToyDataset, ToyKind, TrainSession,
};
use rand::SeedableRng;

mod view;

pub use view::{Encoded, ImageView, View};

/// Resolution of the discriminator's decision surface.
pub const SURFACE_CELLS: usize = 32;
/// Real points drawn for comparison.
const REAL_POINTS: usize = 600;
/// Loss history kept for the chart; older points are thinned out.
const HISTORY_LIMIT: usize = 1000;
/// Images in the latent interpolation strip.
pub const INTERPOLATION_STEPS: usize = 10;
/// Test digits shown next to their VAE reconstructions.
pub const RECONSTRUCTIONS: usize = 8;
/// Test digits scattered by their VAE encoding.
const SCATTER_DIGITS: usize = 600;
/// Side of the decoded latent map (2-D latents), over [-LATENT_EXTENT, LATENT_EXTENT]².
pub const LATENT_MAP_SIDE: usize = 12;
pub const LATENT_EXTENT: f32 = 2.5;

/// Which update a button asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepKind {
    Full,
    Discriminator,
    Generator,
}

/// Losses of the latest update, still on the device; `first`/`second` as in
/// [`ganplay_model::Losses::names`].
pub struct PendingLosses {
    pub first: Option<Tensor<1>>,
    pub second: Option<Tensor<1>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossPoint {
    pub step: u64,
    pub first: f32,
    pub second: f32,
}

pub struct ToyParts {
    pub data: ToyDataset,
    pub real_points: Rc<[[f32; 2]]>,
    pub extent: f32,
    /// The data's density on the divergence grid, and what real samples of the generated
    /// sample's size score against it (the divergences' floor).
    density: DensityGrid,
    pub divergence_floor: Divergence,
    noise: Tensor<2>,
    surface_grid: Tensor<2>,
}

pub struct ImageParts {
    pub config: ImageModelConfig,
    /// The model's images differ in shape from the bundled digits: it can sample, not train.
    pub sample_only: bool,
    pub class: Option<usize>,
    layout: SampleLayout,
    interpolation: SampleLayout,
    /// VAEs: normalised test digits and labels (reconstructions first, then the scatter).
    test_images: Option<(Tensor<2>, Vec<usize>)>,
}

#[allow(clippy::large_enum_variant, reason = "one per model, built once")]
pub enum Parts {
    Toy(ToyParts),
    Image(ImageParts),
}

pub struct Engine {
    /// Distinguishes this run from the one that replaces it, so late read-backs are dropped.
    pub generation: u64,
    pub session: TrainSession,
    pub history: Vec<LossPoint>,
    /// 2D models: KL (`first`) and JS (`second`) at each view read back.
    pub divergence_history: Vec<LossPoint>,
    pub parts: Parts,
    /// Where the model came from: `"new"`, `"bundled"`, a file name.
    pub origin: String,
    /// 2D models: whether views include the decision surface (device work at every redraw).
    pub show_surface: bool,
}

impl Engine {
    pub fn toy(config: GanConfig, data: ToyDataset, device: &Device) -> Result<Self, String> {
        let session = TrainSession::new(config.clone(), Box::new(data.clone()), device)
            .map_err(|e| e.to_string())?;
        Ok(Self::toy_from(session, data, config.seed))
    }

    fn toy_from(session: TrainSession, data: ToyDataset, seed: u64) -> Self {
        let extent = data.view_extent();
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let real_points = data.sample_points(REAL_POINTS, &mut rng).into();
        let noise = session.evaluation_noise();
        let surface_grid = session.tensor_from_points(surface_grid(extent), 2);
        let density = DensityGrid::new(&data);
        let divergence_floor = density.divergence(&data.sample_points(METRIC_SAMPLES, &mut rng));
        let parts = Parts::Toy(ToyParts {
            data,
            real_points,
            extent,
            density,
            divergence_floor,
            noise,
            surface_grid,
        });
        Engine {
            generation: next_generation(),
            session,
            history: Vec::new(),
            divergence_history: Vec::new(),
            parts,
            origin: "new".into(),
            show_surface: true,
        }
    }

    pub fn image(
        config: ImageModelConfig,
        class: Option<usize>,
        device: &Device,
    ) -> Result<Self, String> {
        let sample_only = config.image != ImageShape::MNIST;
        // Models of another shape still sample: a one-image stand-in satisfies the session.
        let set = if sample_only {
            Arc::new(
                ImageSet::new(
                    config.image,
                    vec![0; config.image.len()],
                    vec![0],
                    config.class_names.clone(),
                )
                .map_err(|e| e.to_string())?,
            )
        } else {
            bundled::mnist_train()
        };
        let data = ImageData::new(set, config.model.normalisation());
        let session =
            TrainSession::new(config.clone(), Box::new(data), device).map_err(|e| e.to_string())?;
        let test_images =
            (config.model.is_vae() && !sample_only).then(|| test_digits(&session, &config));
        let parts = Parts::Image(ImageParts {
            layout: SampleLayout::page_grid(&session, class),
            interpolation: interpolation(&session, class),
            config,
            sample_only,
            class,
            test_images,
        });
        Ok(Engine {
            generation: next_generation(),
            session,
            history: Vec::new(),
            divergence_history: Vec::new(),
            parts,
            origin: "new".into(),
            show_surface: true,
        })
    }

    /// A model built from a weight file alone. `toy_sigma` blurs a 2D file's data set.
    pub fn from_weights(
        file: &WeightFile,
        class: Option<usize>,
        toy_sigma: f32,
        device: &Device,
    ) -> Result<Self, String> {
        let mut engine = match &file.config {
            ModelConfig::Image(c) => Self::image(c.clone(), class, device)?,
            ModelConfig::Toy(c) => {
                let kind = ToyKind::from_id(&file.facts.dataset)
                    .filter(|k| *k != ToyKind::Custom)
                    .ok_or_else(|| {
                        format!(
                            "this 2D GAN was trained on '{}', which the page cannot rebuild",
                            file.facts.dataset
                        )
                    })?;
                let data = ToyDataset::new(kind, toy_sigma).map_err(|e| e.to_string())?;
                Self::toy(c.clone(), data, device)?
            }
        };
        engine
            .session
            .load_weights(file)
            .map_err(|e| e.to_string())?;
        Ok(engine)
    }

    /// Shows another class (conditional models), or every class with `None`.
    pub fn set_class(&mut self, class: Option<usize>) {
        if let Parts::Image(p) = &mut self.parts {
            p.class = class;
            p.layout = SampleLayout::page_grid(&self.session, class);
            p.interpolation = interpolation(&self.session, class);
        }
    }

    pub fn can_train(&self) -> bool {
        !matches!(&self.parts, Parts::Image(p) if p.sample_only)
    }

    /// Queues `count` updates of `kind` and returns the losses of the last one.
    pub fn advance(&mut self, kind: StepKind, count: usize) -> PendingLosses {
        let mut pending = PendingLosses {
            first: None,
            second: None,
        };
        if !self.can_train() {
            return pending;
        }
        for _ in 0..count.max(1) {
            pending = match kind {
                StepKind::Full => {
                    let [first, second] = self.session.step().into_values();
                    PendingLosses {
                        first: Some(first),
                        second: Some(second),
                    }
                }
                StepKind::Discriminator => PendingLosses {
                    first: self.session.discriminator_step(),
                    second: None,
                },
                StepKind::Generator => PendingLosses {
                    first: None,
                    second: self.session.generator_step(),
                },
            };
        }
        pending
    }

    pub fn record(&mut self, point: LossPoint) {
        push_thinned(&mut self.history, point);
    }

    /// Keeps a 2D view's divergences for their chart.
    pub fn record_view(&mut self, step: u64, view: &View) {
        if let View::Toy { divergence, .. } = view {
            let point = LossPoint {
                step,
                first: divergence.kl as f32,
                second: divergence.js as f32,
            };
            push_thinned(&mut self.divergence_history, point);
        }
    }
}

/// Appends to a chart's history; when full, every other point goes, so the chart keeps its whole
/// span at half the detail.
fn push_thinned(history: &mut Vec<LossPoint>, point: LossPoint) {
    if history.len() >= HISTORY_LIMIT {
        *history = history.iter().copied().step_by(2).collect();
    }
    history.push(point);
}

/// Normalised test digits (never trained on), with labels: the reconstruction row first.
fn test_digits(session: &TrainSession, config: &ImageModelConfig) -> (Tensor<2>, Vec<usize>) {
    let test = bundled::mnist_test();
    let norm = config.model.normalisation();
    let mut order = test.first_of_each_class(1);
    order.truncate(RECONSTRUCTIONS);
    let rest: Vec<usize> = (0..test.len())
        .filter(|i| !order.contains(i))
        .take(SCATTER_DIGITS - RECONSTRUCTIONS)
        .collect();
    order.extend(rest);
    let values: Vec<f32> = order
        .iter()
        .flat_map(|&i| test.image(i).iter().map(move |p| norm.value(*p)))
        .collect();
    let labels = order.iter().map(|&i| test.labels[i] as usize).collect();
    (
        session.tensor_from_points(values, config.image.len()),
        labels,
    )
}

/// Noise for a strip from the grid's first sample to its second, in equal steps (the grid's noise
/// is drawn from the same seed, so its first two vectors are these).
fn interpolation(session: &TrainSession, class: Option<usize>) -> SampleLayout {
    let ends = session.fixed_noise(2, GRID_SEED);
    let a = ends.clone().narrow(0, 0, 1);
    let b = ends.narrow(0, 1, 1);
    let steps: Vec<Tensor<2>> = (0..INTERPOLATION_STEPS)
        .map(|i| {
            let t = i as f32 / (INTERPOLATION_STEPS - 1) as f32;
            a.clone() * (1.0 - t) + b.clone() * t
        })
        .collect();
    let labels = (session.classes() > 0).then(|| vec![class.unwrap_or(0); INTERPOLATION_STEPS]);
    SampleLayout {
        noise: Tensor::cat(steps, 0),
        labels,
        columns: INTERPOLATION_STEPS,
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
