//! What the page does with its model: pick a device, take the user's changes, build and replace
//! the model, start and stop training, take the read-backs in.

use burn::tensor::Device;
use ganplay_model::{ToyDataset, ToyKind};
use yew::prelude::*;

use super::worker::Training;
use super::{App, Msg, Readout};
use crate::backend::{BackendKind, WebGpuProbe, backend_in_url, device_for};
use crate::engine::Progress;
use crate::engine::{Engine, Parts, StepKind};
use crate::protocol::Work;
use crate::runner::{self, Runs};
use crate::state::{Change, Dataset, Outcome};
use crate::{digits, url_state};

impl App {
    pub(crate) fn probed(&mut self, ctx: &Context<Self>, probe: WebGpuProbe) {
        let automatic = probe.automatic_choice();
        self.probe = Some(probe);
        // A backend named in the link was started without waiting for the probe.
        if backend_in_url().is_none() {
            self.switch_backend(ctx, automatic);
        }
    }

    pub(crate) fn device_ready(
        &mut self,
        ctx: &Context<Self>,
        kind: BackendKind,
        device: Result<Device, String>,
    ) {
        match device {
            Ok(device) => {
                self.backend = Some(kind);
                self.device = Some(device);
                url_state::set("backend", kind.id());
                self.rebuild(ctx);
            }
            Err(e) => {
                self.error = Some(format!("{e}. Staying on the CPU backend."));
                if kind != BackendKind::Cpu {
                    self.switch_backend(ctx, BackendKind::Cpu);
                }
            }
        }
    }

    pub(crate) fn select_backend(&mut self, ctx: &Context<Self>, id: &str) {
        let Some(kind) = BackendKind::from_id(id).filter(|k| Some(*k) != self.backend) else {
            return;
        };
        if kind == BackendKind::WebGpu && matches!(self.probe, Some(WebGpuProbe::Missing(_))) {
            self.error = Some(
                "WebGPU is not available in this browser; the CPU backend stays in use.".into(),
            );
        } else {
            self.switch_backend(ctx, kind);
        }
    }

    fn switch_backend(&mut self, ctx: &Context<Self>, kind: BackendKind) {
        self.activity.stop_training();
        ctx.link()
            .send_future(async move { Msg::DeviceReady(kind, device_for(kind).await) });
    }

    /// Applies a change of the user's choices and does what it asks.
    pub(crate) fn change(&mut self, ctx: &Context<Self>, change: Change) {
        let Outcome {
            rebuild,
            redraw,
            url,
            error,
        } = self.state.apply(change);
        for (key, value) in &url {
            url_state::set(key, value);
        }
        if let Some(e) = error {
            self.error = Some(e);
        }
        if rebuild {
            self.rebuild(ctx);
        } else if redraw {
            if let Some(engine) = self.engine.borrow_mut().as_mut() {
                // Another class means another grid: the picked sample is gone.
                if engine.class() != self.state.class {
                    self.inspection = None;
                }
                engine.set_view(self.state.class, self.state.device_views());
            }
            self.configure_worker();
            self.refresh_view();
        }
    }

    /// New weights for the current settings, step 0. Training continues if it was running.
    pub(crate) fn rebuild(&mut self, ctx: &Context<Self>) {
        let was_running = self.activity.is_training();
        self.clear_progress();
        let Some(device) = self.device.clone() else {
            return;
        };
        let engine = match (self.state.dataset, &self.digits) {
            (Dataset::Mnist, None) => {
                *self.engine.borrow_mut() = None;
                ctx.link()
                    .send_future(async { Msg::DigitsReady(digits::load().await) });
                return;
            }
            (Dataset::Mnist, digits) => Engine::image(
                self.state.image_config(),
                self.state.class,
                digits.as_ref(),
                &device,
            ),
            // No drawn points yet: nothing to train, and no error either.
            (Dataset::Toy(ToyKind::Custom), _) if self.state.drawn_points.is_empty() => {
                *self.engine.borrow_mut() = None;
                return;
            }
            (Dataset::Toy(kind), _) => self
                .toy_dataset(kind)
                .and_then(|data| Engine::toy(self.state.settings.config.clone(), data, &device)),
        };
        match engine {
            Ok(mut engine) => {
                engine.views = self.state.device_views();
                self.build_companion(&engine, &device);
                *self.engine.borrow_mut() = Some(engine);
            }
            Err(e) => {
                *self.engine.borrow_mut() = None;
                self.error = Some(e);
                return;
            }
        }
        if was_running {
            self.start_training(ctx);
        } else {
            self.refresh_view();
        }
    }

    fn toy_dataset(&self, kind: ToyKind) -> Result<ToyDataset, String> {
        let sigma = self.state.settings.sigma;
        let made = match kind {
            ToyKind::Custom => ToyDataset::custom(&self.state.drawn_points, sigma),
            kind => ToyDataset::new(kind, sigma),
        };
        made.map_err(|e| e.to_string())
    }

    fn clear_progress(&mut self) {
        self.activity.forget_model();
        self.slow_motion = Default::default();
        self.inspection = None;
        self.side_by_side.forget();
        self.quality.forget_model();
        self.readout = Readout::default();
        self.deferred = None;
        self.weights.notice = None;
    }

    /// Takes over a model built from a weight file: its data set, model and step count.
    pub(crate) fn adopt(&mut self, ctx: &Context<Self>, engine: Engine) {
        self.clear_progress();
        if self.state.compare.is_some() {
            self.side_by_side.stop_for(
                "Run B has no loaded weights: press Reset to train both runs from step 0.",
            );
        }
        let dataset = match &engine.parts {
            Parts::Image(_) => Dataset::Mnist,
            Parts::Toy(p) => Dataset::Toy(p.data.kind()),
        };
        let change = Change::Adopt {
            dataset,
            config: Box::new(engine.session.config().clone()),
        };
        self.readout.steps = engine.session.steps();
        let mut engine = engine;
        engine.views = self.state.device_views();
        *self.engine.borrow_mut() = Some(engine);
        self.change(ctx, change);
        self.refresh_view();
    }

    /// The model and, while it runs, run B.
    pub(crate) fn runs(&self) -> Runs {
        Runs {
            a: self.engine.clone(),
            b: self.companion(),
        }
    }

    /// Reads the current models' samples back and redraws, without training. While the worker
    /// trains, its frames redraw.
    fn refresh_view(&self) {
        if !matches!(self.activity.training(), Some(Training::Worker(_))) {
            runner::refresh_view(self.runs(), self.sink.clone());
        }
    }

    pub(crate) fn start_training(&mut self, ctx: &Context<Self>) {
        self.training_started();
        if !self.train_in_worker(ctx, Work::Live) {
            let handle = runner::start_loop(self.runs(), self.sink.clone());
            self.activity.train(Training::Page(handle));
        }
    }

    pub(crate) fn toggle_training(&mut self, ctx: &Context<Self>) {
        if self.activity.stop_training() {
            // Stopped; a run in the worker comes back with its weights.
        } else if self.can_start() {
            self.error = None;
            self.start_training(ctx);
        }
    }

    pub(crate) fn step_once(&mut self, ctx: &Context<Self>, kind: StepKind) {
        // The worker takes the step if there is one, else the page does.
        if self.can_start() && self.activity.step() && !self.train_in_worker(ctx, Work::Once(kind))
        {
            runner::step_once(self.runs(), kind, self.sink.clone());
        }
    }

    /// What the transport buttons' enabled state says, for the keyboard too: a model that can
    /// train, and nothing else under way.
    pub(crate) fn can_start(&self) -> bool {
        let trainable = self.engine.borrow().as_ref().is_some_and(|e| e.can_train());
        trainable && self.activity.may_train() && self.backend.is_some()
    }

    pub(crate) fn current_generation(&self) -> Option<u64> {
        self.engine.borrow().as_ref().map(|e| e.generation)
    }

    /// Takes a read-back in; returns whether the page needs re-rendering.
    pub(crate) fn progress(&mut self, p: Progress) -> bool {
        if Some(p.generation) != self.current_generation() {
            return false;
        }
        // A step in the worker is over once its weights are back.
        self.activity.results_read();
        let diverged = self.readout.take(p, &self.engine);
        if let Some(message) = diverged {
            self.activity.stop_training();
            self.error = Some(message);
        }
        true
    }

    pub(crate) fn failed(&mut self, generation: u64, e: String) {
        if Some(generation) == self.current_generation() {
            self.activity.failed();
            self.error = Some(format!(
                "Reading results from the device failed: {e}. Press Reset to start again."
            ));
        }
    }
}
