//! One model in the page: the shared session plus what the page draws for it.
//!
//! Work on the device is queued synchronously; everything read back goes through
//! `into_data_async`, since a synchronous read panics on WebGPU. Each view is one tensor, so one
//! read-back fetches everything a redraw needs.

use std::rc::Rc;

use burn::tensor::{Device, Tensor};
use ganplay_model::data::bundled::Digits;
use ganplay_model::data::{ImageData, RealData, StandIn};
use ganplay_model::metrics::{
    DensityGrid, Divergence, METRIC_SAMPLES, PendingAccuracy, TestAccuracy, queue_test_accuracy,
};
use ganplay_model::sample::SampleLayout;
use ganplay_model::sample::manifold::ManifoldGrid;
use ganplay_model::weights::WeightFile;
use ganplay_model::{
    GanConfig, ImageModelConfig, ImageShape, ModelConfig, ToyDataset, ToyKind, TrainSession,
};
use rand::SeedableRng;

pub use crate::protocol::StepKind;
use crate::protocol::ViewSettings;
use crate::state::DeviceViews;

mod frames;
mod inputs;
mod view;

#[cfg(test)]
mod tests;

use inputs::{
    interpolation, labelled_strip, noise_preview, scored_real, surface_grid, test_digits,
};

pub use frames::Progress;
pub use inputs::LabelledStrip;

pub use view::{DScores, Encoded, ImageView, Manifold, View};

/// Generated points that carry a gradient arrow (the first ones; fewer keep the plot readable).
const ARROW_POINTS: usize = 160;
/// Resolution of the discriminator's decision surface.
pub const SURFACE_CELLS: usize = 32;
/// Real points drawn for comparison.
const REAL_POINTS: usize = 600;
/// Training steps between test-accuracy measurements of semi-supervised models.
const ACCURACY_EVERY: u64 = 50;
/// Loss history kept for the chart; older points are thinned out.
const HISTORY_LIMIT: usize = 1000;
/// Images in the latent interpolation strip.
pub const INTERPOLATION_STEPS: usize = 10;
/// Test digits shown next to their VAE reconstructions.
pub const RECONSTRUCTIONS: usize = 8;
/// Test digits scattered by their VAE encoding.
const SCATTER_DIGITS: usize = 600;
/// Training digits GANs' discriminators score in every view (six of each class), and how many
/// of them (and of the generated grid) are shown with their scores.
const SCORED_REAL_PER_CLASS: usize = 6;
pub const SCORES_SHOWN: usize = 16;
/// Side of the decoded latent map (2-D latents), over [-LATENT_EXTENT, LATENT_EXTENT]².
pub const LATENT_MAP_SIDE: usize = 12;
pub const LATENT_EXTENT: f32 = 2.5;

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
    /// The first two coordinates of a few noise vectors (1-D noise on the x axis), for the
    /// model overview's noise box.
    pub noise_preview: Rc<[[f32; 2]]>,
    noise: Tensor<2>,
    surface_grid: Tensor<2>,
    manifold: ManifoldGrid,
    manifold_noise: Tensor<2>,
    /// Points with an arrow: a whole number of the critic's packs.
    arrow_points: usize,
}

pub struct ImageParts {
    pub config: ImageModelConfig,
    /// The bundled digits it trains and is measured on; `None` when its images differ in
    /// shape from them: it can sample, not train.
    pub digits: Option<Digits>,
    pub class: Option<usize>,
    pub layout: SampleLayout,
    interpolation: SampleLayout,
    /// VAEs: normalised test digits and labels (reconstructions first, then the scatter).
    test_images: Option<(Tensor<2>, Vec<usize>)>,
    /// GANs on digits: training digits the discriminator scores at every view.
    pub scored_real: Option<ScoredReal>,
    /// Semi-supervised models: the labelled digits.
    pub labelled: Option<LabelledStrip>,
}

impl ImageParts {
    pub fn sample_only(&self) -> bool {
        self.digits.is_none()
    }
}

/// Training digits for the discriminator's scores, classes interleaved (0, 1, …, 9, 0, 1, …).
pub struct ScoredReal {
    images: Tensor<2>,
    labels: Vec<usize>,
    /// Their normalised pixels, for drawing.
    pub pixels: Rc<[f32]>,
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
    /// Image GANs: mean D(real) (`first`) and mean D(fake) (`second`) at each view read back.
    pub d_score_history: Vec<LossPoint>,
    /// Semi-supervised models: test accuracy in percent of the classifier (`first`) and of its
    /// labels-only twin (`second`, NaN without one) at each measurement.
    pub accuracy_history: Vec<LossPoint>,
    /// The latest measurement's confusion matrix (`[true class][predicted class]`).
    pub confusion: Option<Rc<[Vec<u32>]>>,
    /// A test-accuracy read-back is on its way; the next is due at this step.
    pub accuracy_pending: bool,
    pub next_accuracy_step: u64,
    pub parts: Parts,
    /// Where the model came from: `"new"`, `"bundled"`, a file name.
    pub origin: String,
    /// 2D models: which device-computed layers views include (device work at every redraw).
    pub views: DeviceViews,
    /// Changes with the class shown or `views`, so views packed before a change are dropped.
    pub view_revision: u64,
    /// The training worker trains this model and measures its accuracy: the page's copy has
    /// its weights, not its optimiser or labels-only twin.
    pub trained_elsewhere: bool,
}

impl Engine {
    /// A model not trained yet on this page, with empty histories and default views.
    fn new(session: TrainSession, parts: Parts) -> Self {
        Engine {
            generation: next_generation(),
            session,
            history: Vec::new(),
            divergence_history: Vec::new(),
            d_score_history: Vec::new(),
            accuracy_history: Vec::new(),
            confusion: None,
            accuracy_pending: false,
            next_accuracy_step: 0,
            parts,
            origin: "new".into(),
            views: DeviceViews::default(),
            view_revision: 0,
            trained_elsewhere: false,
        }
    }

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
        let noise_preview = noise_preview(&session);
        let manifold = ManifoldGrid::for_noise(session.latent_dim());
        let manifold_noise = manifold.noise(&session);
        let packing = session.config().toy().map_or(1, |c| c.packing.max(1));
        let arrow_points = (ARROW_POINTS / packing * packing).min(noise.dims()[0]);
        let divergence_floor = density.divergence(&data.sample_points(METRIC_SAMPLES, &mut rng));
        let parts = Parts::Toy(ToyParts {
            data,
            real_points,
            extent,
            density,
            divergence_floor,
            noise_preview,
            noise,
            surface_grid,
            manifold,
            manifold_noise,
            arrow_points,
        });
        Self::new(session, parts)
    }

    /// A new image model; a semi-supervised one trains, in lockstep, the same classifier on its
    /// labelled digits alone, for comparison.
    pub fn image(
        config: ImageModelConfig,
        class: Option<usize>,
        digits: Option<&Digits>,
        device: &Device,
    ) -> Result<Self, String> {
        let mut engine = Self::image_untracked(config, class, digits, device)?;
        engine.session.track_supervised_baseline();
        Ok(engine)
    }

    /// `digits` may be `None` only for models whose images differ in shape from them.
    fn image_untracked(
        config: ImageModelConfig,
        class: Option<usize>,
        digits: Option<&Digits>,
        device: &Device,
    ) -> Result<Self, String> {
        let digits = if digit_shaped(&config) {
            Some(
                digits
                    .ok_or("the bundled digits are not loaded yet")?
                    .clone(),
            )
        } else {
            None
        };
        // Models of another shape still sample: blank stand-in data satisfies the session.
        let data: Box<dyn RealData> = match &digits {
            None => Box::new(StandIn::for_model(&config)),
            Some(d) => Box::new(ImageData::new(
                d.train.clone(),
                config.model.normalisation(),
            )),
        };
        let session = TrainSession::new(config.clone(), data, device).map_err(|e| e.to_string())?;
        let test_images = digits
            .as_ref()
            .filter(|_| config.model.is_vae())
            .map(|d| test_digits(&session, &config, &d.test));
        let scored_real = digits
            .as_ref()
            .filter(|_| !config.model.trains_on_elbo())
            .map(|d| scored_real(&session, &config, &d.train));
        let labelled = match &digits {
            Some(d) if config.model.is_semi_supervised() => {
                Some(labelled_strip(&config, &d.train)?)
            }
            _ => None,
        };
        let parts = Parts::Image(ImageParts {
            layout: SampleLayout::page_grid(&session, class),
            interpolation: interpolation(&session, class),
            config,
            digits,
            class,
            test_images,
            scored_real,
            labelled,
        });
        Ok(Self::new(session, parts))
    }

    /// A model built from a weight file alone. `toy_sigma` blurs a 2D file's data set.
    pub fn from_weights(
        file: &WeightFile,
        class: Option<usize>,
        toy_sigma: f32,
        digits: Option<&Digits>,
        device: &Device,
    ) -> Result<Self, String> {
        let toy = match &file.config {
            ModelConfig::Image(_) => None,
            ModelConfig::Toy(_) => {
                let kind = ToyKind::from_id(&file.facts.dataset)
                    .filter(|k| *k != ToyKind::Custom)
                    .ok_or_else(|| {
                        format!(
                            "this 2D GAN was trained on '{}', which the page cannot rebuild",
                            file.facts.dataset
                        )
                    })?;
                Some(ToyDataset::new(kind, toy_sigma).map_err(|e| e.to_string())?)
            }
        };
        // A loaded classifier has no labels-only twin that started from its initial weights.
        Self::with_weights(file, toy, class, false, digits, device)
    }

    /// A model of `file`'s config with its weights: 2D models on `toy`, image models showing
    /// `class`. `fresh` builds a never-trained image model as new (with a semi-supervised
    /// model's labels-only twin).
    pub fn with_weights(
        file: &WeightFile,
        toy: Option<ToyDataset>,
        class: Option<usize>,
        fresh: bool,
        digits: Option<&Digits>,
        device: &Device,
    ) -> Result<Self, String> {
        let mut engine = match (&file.config, toy) {
            (ModelConfig::Image(c), _) if fresh => Self::image(c.clone(), class, digits, device)?,
            (ModelConfig::Image(c), _) => Self::image_untracked(c.clone(), class, digits, device)?,
            (ModelConfig::Toy(c), Some(data)) => Self::toy(c.clone(), data, device)?,
            (ModelConfig::Toy(_), None) => return Err("a 2D model needs its data".into()),
        };
        engine
            .session
            .load_weights(file)
            .map_err(|e| e.to_string())?;
        Ok(engine)
    }

    /// What the views show now.
    pub fn view_settings(&self) -> ViewSettings {
        ViewSettings {
            class: self.class(),
            views: self.views,
            revision: self.view_revision,
        }
    }

    /// Shows `class` with `views`; views packed before are then dropped.
    pub fn set_view(&mut self, class: Option<usize>, views: DeviceViews) {
        if class != self.class() || views != self.views {
            self.set_class(class);
            self.views = views;
            self.view_revision += 1;
        }
    }

    /// Takes the worker's settings over, revision included.
    pub fn follow_view(&mut self, settings: ViewSettings) {
        self.set_class(settings.class);
        self.views = settings.views;
        self.view_revision = settings.revision;
    }

    /// The class the image views show (`None`: every class, or not an image model).
    pub fn class(&self) -> Option<usize> {
        match &self.parts {
            Parts::Image(p) => p.class,
            Parts::Toy(_) => None,
        }
    }

    /// Shows another class (conditional models), or every class with `None`.
    fn set_class(&mut self, class: Option<usize>) {
        if let Parts::Image(p) = &mut self.parts {
            p.class = class;
            p.layout = SampleLayout::page_grid(&self.session, class);
            p.interpolation = interpolation(&self.session, class);
        }
    }

    pub fn can_train(&self) -> bool {
        !matches!(&self.parts, Parts::Image(p) if p.sample_only())
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

    /// Keeps a 2D view's divergences, or an image GAN's mean scores, for their charts.
    pub fn record_view(&mut self, step: u64, view: &View) {
        match view {
            View::Toy { divergence, .. } => {
                let point = LossPoint {
                    step,
                    first: divergence.kl as f32,
                    second: divergence.js as f32,
                };
                push_thinned(&mut self.divergence_history, point);
            }
            View::Image(ImageView {
                d_scores: Some(scores),
                ..
            }) => {
                let point = LossPoint {
                    step,
                    first: mean(&scores.real),
                    second: mean(&scores.fake),
                };
                push_thinned(&mut self.d_score_history, point);
            }
            View::Image(_) => {}
        }
    }

    /// Keeps a semi-supervised model's test accuracy, measured at `step`.
    pub fn record_accuracy(&mut self, step: u64, result: TestAccuracy) {
        let point = LossPoint {
            step,
            first: (result.accuracy * 100.0) as f32,
            second: result.baseline.map_or(f32::NAN, |b| (b * 100.0) as f32),
        };
        self.accuracy_history.retain(|p| p.step != step);
        push_thinned(&mut self.accuracy_history, point);
        self.confusion = Some(result.confusion.into());
        self.accuracy_pending = false;
        // Measured elsewhere (the training worker): the page's copy is then measured from here.
        self.next_accuracy_step = self
            .next_accuracy_step
            .max((step / ACCURACY_EVERY + 1) * ACCURACY_EVERY);
    }

    /// Semi-supervised models on digits, when a measurement is due: the step and the test
    /// digits' classification, queued on the device. The next one is due `ACCURACY_EVERY`
    /// steps later; none is due while one is on its way.
    pub fn accuracy_due(&mut self) -> Option<Result<(u64, PendingAccuracy), String>> {
        let Parts::Image(p) = &self.parts else {
            return None;
        };
        let step = self.session.steps();
        let digits = p
            .digits
            .as_ref()
            .filter(|_| p.config.model.is_semi_supervised())?;
        if self.accuracy_pending || step < self.next_accuracy_step {
            return None;
        }
        Some(match queue_test_accuracy(&self.session, &digits.test) {
            Ok(pending) => {
                self.accuracy_pending = true;
                self.next_accuracy_step = (step / ACCURACY_EVERY + 1) * ACCURACY_EVERY;
                Ok((step, pending))
            }
            Err(why) => {
                self.next_accuracy_step = u64::MAX;
                Err(why.to_string())
            }
        })
    }
}

/// Whether a model of `config` trains on the bundled digits (and so needs them to be built):
/// image models of their shape. Others sample only, or are 2D.
pub fn trains_on_digits(config: &ModelConfig) -> bool {
    config.image().is_some_and(digit_shaped)
}

fn digit_shaped(config: &ImageModelConfig) -> bool {
    config.image == ImageShape::MNIST
}

/// Appends to a chart's history; when full, every other point goes, so the chart keeps its whole
/// span at half the detail.
fn push_thinned(history: &mut Vec<LossPoint>, point: LossPoint) {
    if history.len() >= HISTORY_LIMIT {
        *history = history.iter().copied().step_by(2).collect();
    }
    history.push(point);
}

fn mean(values: &[f32]) -> f32 {
    values.iter().sum::<f32>() / values.len().max(1) as f32
}

fn next_generation() -> u64 {
    thread_local!(static COUNTER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });
    COUNTER.with(|c| {
        c.set(c.get() + 1);
        c.get()
    })
}
