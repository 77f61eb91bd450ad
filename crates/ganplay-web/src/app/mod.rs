//! The playground page: the layout, and the messages that drive it. The app owns the model's life
//! cycle (device, data and knobs, building, training, the worker) and routes every other message
//! to its feature in [`crate::features`]. What the user chose lives in [`PageState`] (rules tested
//! on the host); the model and its training loop in [`actions`].

mod actions;
mod keyboard;
mod views;
mod worker;

pub(crate) use worker::Training;

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::data::bundled::Digits;
use yew::prelude::*;

use crate::activity::Activity;
use crate::backend::{BackendKind, WebGpuProbe, backend_in_url, device_for, probe_webgpu};
use crate::components::backend_picker::BackendPicker;
use crate::components::controls::Controls;
use crate::components::error_banner::ErrorBanner;
use crate::components::preset_picker::PresetPicker;
use crate::engine::{LossPoint, Progress, StepKind, View};
use crate::features::bench::{Bench, BenchMsg};
use crate::features::few_labels::AccuracyMeasured;
use crate::features::inspect::{InspectMsg, Inspection};
use crate::features::playground_2d::PlaygroundMsg;
use crate::features::quality::{Quality, QualityMsg};
use crate::features::saved_run::{RunKeeping, RunMsg};
use crate::features::side_by_side::{SideBySide, SideBySideMsg};
use crate::features::slow_motion::SlowMotion;
use crate::features::weights::{Weights, WeightsMsg};
use crate::page_sink::{PageSink, Reports};
use crate::protocol::Event;
use crate::runner::SharedEngine;
use crate::state::{Change, PageState};
use crate::worker_link::WorkerLink;
use crate::{digits, url_state};

/// What drives the page: the model's life cycle here, each feature's messages routed to it.
#[allow(
    clippy::large_enum_variant,
    reason = "a new model arrives in a message once per load"
)]
pub enum Msg {
    Probed(WebGpuProbe),
    DeviceReady(BackendKind, Result<Device, String>),
    SelectBackend(String),
    Change(Change),
    ToggleTrain,
    StepOnce(StepKind),
    /// Slow motion: on to the next phase of a step.
    SlowMotion,
    Reset,
    Progress(Progress),
    Failed((u64, String)),
    /// The bundled digits were fetched (or could not be).
    DigitsReady(Result<Digits, String>),
    DismissError,
    /// A message from the training worker.
    Worker(Event),
    /// The training worker stopped, and why.
    WorkerLost(String),
    /// Handing the model of this generation to the worker was called off.
    WorkerIdle(u64),
    Playground(PlaygroundMsg),
    Weights(WeightsMsg),
    Inspect(InspectMsg),
    SideBySide(SideBySideMsg),
    AccuracyMeasured(AccuracyMeasured),
    Bench(BenchMsg),
    Quality(QualityMsg),
    /// The run kept in the browser for a reload.
    Run(RunMsg),
}

/// The latest read-outs of the model in training.
#[derive(Default)]
pub(crate) struct Readout {
    pub(crate) steps: u64,
    pub(crate) steps_per_sec: f64,
    pub(crate) losses: [Option<f32>; 2],
    pub(crate) view: Option<View>,
    pub(crate) history: Rc<[LossPoint]>,
    /// 2D models: KL and JS over training steps.
    pub(crate) divergence_history: Rc<[LossPoint]>,
    /// Image GANs: mean D(real) and D(fake) over training steps.
    pub(crate) d_score_history: Rc<[LossPoint]>,
    /// Semi-supervised models: test accuracy (%) of the classifier and its labels-only twin.
    pub(crate) accuracy_history: Rc<[LossPoint]>,
    pub(crate) confusion: Option<Rc<[Vec<u32>]>>,
}

pub struct App {
    pub(crate) state: PageState,
    pub(crate) probe: Option<WebGpuProbe>,
    pub(crate) backend: Option<BackendKind>,
    pub(crate) device: Option<Device>,
    /// The bundled digits, once fetched: image models train on them.
    pub(crate) digits: Option<Digits>,
    pub(crate) engine: SharedEngine,
    /// Training, a step, a weight file or the benchmark under way (the live loop's handle with
    /// it), and whether the worker holds the model.
    pub(crate) activity: Activity<Training>,
    /// Trains the model off the page's thread (`None`: training runs on the page).
    pub(crate) worker: Option<WorkerLink>,
    /// A training message that came while the worker was handing the model back.
    pub(crate) deferred: Option<Msg>,
    pub(crate) readout: Readout,
    /// Weight files: what the last action did.
    pub(crate) weights: Weights,
    pub(crate) error: Option<String>,
    pub(crate) bench: Bench,
    /// Metrics, export and the augmentation benchmark.
    pub(crate) quality: Quality,
    /// Takes frames into the models (and run B) and reports them.
    pub(crate) sink: Rc<PageSink>,
    pub(crate) canvas_click: Callback<(f64, f64)>,
    pub(crate) slow_motion: SlowMotion,
    pub(crate) grid_click: Callback<(f64, f64)>,
    /// The image sample picked for a closer look.
    pub(crate) inspection: Option<Inspection>,
    /// Run B of a side-by-side comparison (2D).
    pub(crate) side_by_side: SideBySide,
    /// The run kept in the browser, and the one found on opening.
    pub(crate) kept: RunKeeping,
}

impl Readout {
    /// Takes a read-back of `engine`'s in; returns why training diverged, if it did.
    pub(crate) fn take(&mut self, p: Progress, engine: &SharedEngine) -> Option<String> {
        self.steps = p.steps;
        for (kept, new) in self.losses.iter_mut().zip(p.losses) {
            *kept = new.or(*kept);
        }
        if let Some(rate) = p.steps_per_sec {
            self.steps_per_sec = rate;
        }
        if p.view.is_some() {
            self.view = p.view;
        }
        if let Some(e) = engine.borrow().as_ref() {
            self.history = e.history.as_slice().into();
            self.divergence_history = e.divergence_history.as_slice().into();
            self.d_score_history = e.d_score_history.as_slice().into();
            self.accuracy_history = e.accuracy_history.as_slice().into();
            self.confusion = e.confusion.clone();
        }
        p.diverged
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link();
        let state = PageState::from_url(url_state::get);
        link.send_future(async { Msg::Probed(probe_webgpu().await) });
        // What does not need the probe starts at once: the backend a link names and the digits
        // an image model trains on (fetched while the probe and the device start).
        if let Some(kind) = backend_in_url() {
            link.send_future(async move { Msg::DeviceReady(kind, device_for(kind).await) });
        }
        if state.images() {
            link.send_future(async { Msg::DigitsReady(digits::load().await) });
        }
        Self::look_for_saved_run(ctx);
        keyboard::listen(
            link.callback(|_| Msg::ToggleTrain),
            link.callback(|_| Msg::StepOnce(StepKind::Full)),
        );
        let engine: SharedEngine = Rc::new(RefCell::new(None));
        let side_by_side = SideBySide::default();
        let sink = Rc::new(PageSink {
            a: engine.clone(),
            b: side_by_side.engine.clone(),
            reports: Reports {
                progress: link.callback(Msg::Progress),
                failed: link.callback(Msg::Failed),
            },
            compare_reports: Reports {
                progress: link.callback(|p| Msg::SideBySide(SideBySideMsg::Progress(p))),
                failed: link.callback(|f| Msg::SideBySide(SideBySideMsg::Failed(f))),
            },
        });
        let mut app = App {
            state,
            probe: None,
            backend: None,
            device: None,
            digits: None,
            engine,
            activity: Activity::default(),
            worker: None,
            deferred: None,
            readout: Readout::default(),
            weights: Weights::default(),
            error: None,
            bench: Bench::default(),
            quality: Quality::default(),
            sink,
            canvas_click: link.callback(|at| Msg::Playground(PlaygroundMsg::CanvasClick(at))),
            slow_motion: SlowMotion::default(),
            grid_click: link.callback(|at| Msg::Inspect(InspectMsg::GridClick(at))),
            inspection: None,
            side_by_side,
            kept: RunKeeping::default(),
        };
        app.spawn_worker(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        // While the worker hands the model back (a few milliseconds after a pause or a step),
        // what would train it waits for the model instead of being dropped.
        if matches!(msg, Msg::ToggleTrain | Msg::StepOnce(_) | Msg::SlowMotion)
            && self.activity.held().is_some()
            && !self.activity.is_training()
        {
            self.deferred = Some(msg);
            return false;
        }
        match msg {
            Msg::Probed(probe) => self.probed(ctx, probe),
            Msg::DeviceReady(kind, device) => self.device_ready(ctx, kind, device),
            Msg::SelectBackend(id) => self.select_backend(ctx, &id),
            Msg::Change(change) => self.change(ctx, change),
            Msg::DigitsReady(Err(e)) => self.error = Some(e),
            Msg::ToggleTrain => {
                self.slow_motion.leave();
                let was_training = self.activity.is_training();
                self.toggle_training(ctx);
                // A run in the worker is kept once its weights are back.
                if was_training && !self.activity.is_training() && self.activity.held().is_none() {
                    self.keep_run(ctx, None);
                }
            }
            Msg::StepOnce(kind) => {
                self.slow_motion.single_step(kind);
                self.step_once(ctx, kind);
            }
            Msg::SlowMotion => self.advance_slow_motion(ctx),
            Msg::Reset => {
                self.error = None;
                self.rebuild(ctx);
            }
            Msg::Progress(p) => {
                let redraw = self.progress(p);
                self.keep_while_training(ctx);
                self.auto_metrics(ctx);
                self.measure_accuracy(ctx);
                return redraw;
            }
            Msg::Failed((generation, e)) => self.failed(generation, e),
            // The model waiting for the digits is built now, unless weights being loaded bring
            // their own (or already brought it).
            Msg::DigitsReady(Ok(digits)) => {
                self.digits = Some(digits);
                if self.state.images()
                    && !self.activity.files_busy()
                    && self.engine.borrow().is_none()
                {
                    self.rebuild(ctx)
                }
            }
            Msg::DismissError => self.error = None,
            Msg::Worker(event) => self.worker_event(ctx, event),
            Msg::WorkerLost(why) => self.worker_lost(ctx, why),
            Msg::WorkerIdle(generation) => self.worker_idle(ctx, generation),
            Msg::Playground(m) => self.playground_message(ctx, m),
            Msg::Weights(m) => self.weights_message(ctx, m),
            Msg::Inspect(m) => self.inspect_message(ctx, m),
            Msg::SideBySide(m) => self.side_by_side_message(m),
            Msg::AccuracyMeasured(m) => self.accuracy_measured(m),
            Msg::Bench(m) => self.bench_message(ctx, m),
            Msg::Quality(m) => self.quality_message(ctx, m),
            Msg::Run(m) => self.run_message(ctx, m),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let note = self
            .probe
            .as_ref()
            .and_then(|p| p.note())
            .filter(|_| self.backend == Some(BackendKind::Cpu));
        html! {
            <main class="layout">
                <header class="top">
                    <h1>{"ganplay"}</h1>
                    <span class="subtitle">{"GANs that train live in your browser"}</span>
                    <BackendPicker current={self.backend} {note} onchange={link.callback(Msg::SelectBackend)} />
                </header>
                <ErrorBanner error={self.error.clone()} on_reset={link.callback(|_| Msg::Reset)}
                    on_dismiss={link.callback(|_| Msg::DismissError)} />
                { self.view_saved_run_offer(link) }
                <section class="controls">
                    <PresetPicker current={self.state.preset}
                        onchange={link.callback(|id| Msg::Change(Change::Preset(id)))} />
                    <Controls state={self.state.clone()} onchange={link.callback(Msg::Change)}
                        on_points_file={link.callback(|file| Msg::Playground(PlaygroundMsg::PointsFile(file)))}>
                        { self.view_weights(link) }
                    </Controls>
                </section>
                <section class="stage">{ self.view_stage(link) }</section>
                if self.state.images() {
                    <section class="quality">{ self.view_quality(link) }</section>
                }
                <section class="bench">
                    { self.view_bench(link) }
                </section>
            </main>
        }
    }
}
