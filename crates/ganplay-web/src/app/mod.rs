//! The playground page: the layout, and the messages that drive it. What the user chose lives in
//! [`PageState`] (rules tested on the host); the model and its training loop in [`actions`].

mod accuracy;
mod actions;
mod compare;
mod inspect;
mod keyboard;
mod quality;
mod saved_run;
mod views;
mod weights;
mod worker;

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::data::bundled::Digits;
use yew::prelude::*;

use crate::activity::Activity;
use crate::backend::{BackendKind, WebGpuProbe, backend_in_url, device_for, probe_webgpu};
use crate::components::backend_picker::BackendPicker;
use crate::components::bench_panel::BenchPanel;
use crate::components::controls::Controls;
use crate::components::error_banner::ErrorBanner;
use crate::components::preset_picker::PresetPicker;
use crate::components::sample_inspector::Inspection;
use crate::components::saved_run_banner::SavedRunBanner;
use crate::components::weights_panel::WeightsPanel;
use crate::engine::{Engine, LossPoint, Progress, StepKind, View};
use crate::page_sink::{PageSink, Reports};
use crate::protocol::Event;
use crate::runner::SharedEngine;
use crate::slow_motion::{Phase, Updated};
use crate::state::{Change, PageState};
use crate::worker_link::WorkerLink;
use crate::{digits, url_state};
use quality::{Quality, QualityMsg};
use saved_run::{RunKeeping, RunMsg};
use worker::Training;

/// Extent of the drawing area for a drawn distribution.
const DRAW_EXTENT: f32 = 2.0;

#[allow(
    clippy::large_enum_variant,
    reason = "a new model arrives in a message once per load"
)]
pub enum Msg {
    Probed(WebGpuProbe),
    DeviceReady(BackendKind, Result<Device, String>),
    SelectBackend(String),
    Change(Change),
    /// A click on the sample plot, in canvas pixels.
    CanvasClick((f64, f64)),
    PointsFile(web_sys::File),
    PointsLoaded(Result<Vec<[f32; 2]>, String>),
    LoadPretrained,
    WeightsFile(web_sys::File),
    /// A model built from a weight file, or why it could not be.
    WeightsReady(Result<(Engine, String), String>),
    DownloadWeights,
    Downloaded(Result<String, String>),
    ToggleTrain,
    StepOnce(StepKind),
    /// Slow motion: on to the next phase of a step.
    SlowMotion,
    /// A click on the image sample grid, in canvas pixels.
    GridClick((f64, f64)),
    /// A latent-walk slider: coordinate and value.
    Walk((usize, f32)),
    WalkReset,
    /// A walk image: the request it answers, the engine's generation, the pixels.
    Walked(u64, u64, Vec<f32>),
    /// Run B of a side-by-side comparison reports.
    CompareProgress(Progress),
    CompareFailed((u64, String)),
    Reset,
    Progress(Progress),
    Failed((u64, String)),
    /// The bundled digits were fetched (or could not be).
    DigitsReady(Result<Digits, String>),
    DismissError,
    Bench,
    BenchDone(Result<Vec<String>, String>),
    Quality(QualityMsg),
    /// A semi-supervised model's test accuracy: the engine's generation, the step, the result.
    AccuracyMeasured(
        u64,
        u64,
        Result<ganplay_model::metrics::TestAccuracy, String>,
    ),
    /// The run kept in the browser for a reload.
    Run(RunMsg),
    /// A message from the training worker.
    Worker(Event),
    /// The training worker stopped, and why.
    WorkerLost(String),
    /// Handing the model of this generation to the worker was called off.
    WorkerIdle(u64),
}

/// The latest read-outs of the model in training.
#[derive(Default)]
pub(crate) struct Readout {
    steps: u64,
    steps_per_sec: f64,
    losses: [Option<f32>; 2],
    view: Option<View>,
    history: Rc<[LossPoint]>,
    /// 2D models: KL and JS over training steps.
    divergence_history: Rc<[LossPoint]>,
    /// Image GANs: mean D(real) and D(fake) over training steps.
    d_score_history: Rc<[LossPoint]>,
    /// Semi-supervised models: test accuracy (%) of the classifier and its labels-only twin.
    accuracy_history: Rc<[LossPoint]>,
    confusion: Option<Rc<[Vec<u32>]>>,
}

pub struct App {
    state: PageState,
    probe: Option<WebGpuProbe>,
    backend: Option<BackendKind>,
    device: Option<Device>,
    /// The bundled digits, once fetched: image models train on them.
    digits: Option<Digits>,
    engine: SharedEngine,
    /// Training, a step, a weight file or the benchmark under way (the live loop's handle with
    /// it), and whether the worker holds the model.
    activity: Activity<Training>,
    /// Trains the model off the page's thread (`None`: training runs on the page).
    worker: Option<WorkerLink>,
    /// A download asked for while the worker was handing the model back.
    download_when_back: bool,
    /// A training message that came while the worker was handing the model back.
    deferred: Option<Msg>,
    readout: Readout,
    /// What the last weight-file action did.
    notice: Option<String>,
    error: Option<String>,
    bench_lines: Vec<String>,
    /// Metrics, export and the augmentation benchmark.
    quality: Quality,
    /// Takes frames into the models (and run B) and reports them.
    sink: Rc<PageSink>,
    canvas_click: Callback<(f64, f64)>,
    /// The slow-motion phase shown, once the user has started it.
    slow_motion: Option<Phase>,
    /// The network the last single update changed, for the overview's highlight.
    last_update: Option<Updated>,
    grid_click: Callback<(f64, f64)>,
    /// The image sample picked for a closer look.
    inspection: Option<Inspection>,
    /// Run B of a side-by-side comparison (2D), its read-outs and where it reports.
    compare_engine: SharedEngine,
    compare_readout: Readout,
    /// Why run B stopped, if it did.
    compare_note: Option<String>,
    /// The run kept in the browser, and the one found on opening.
    kept: RunKeeping,
}

impl Readout {
    /// Takes a read-back of `engine`'s in; returns why training diverged, if it did.
    fn take(&mut self, p: Progress, engine: &SharedEngine) -> Option<String> {
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
        let compare_engine: SharedEngine = Rc::new(RefCell::new(None));
        let sink = Rc::new(PageSink {
            a: engine.clone(),
            b: compare_engine.clone(),
            reports: Reports {
                progress: link.callback(Msg::Progress),
                failed: link.callback(Msg::Failed),
            },
            compare_reports: Reports {
                progress: link.callback(Msg::CompareProgress),
                failed: link.callback(Msg::CompareFailed),
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
            download_when_back: false,
            deferred: None,
            readout: Readout::default(),
            notice: None,
            error: None,
            bench_lines: Vec::new(),
            quality: Quality::default(),
            sink,
            canvas_click: link.callback(Msg::CanvasClick),
            slow_motion: None,
            last_update: None,
            grid_click: link.callback(Msg::GridClick),
            inspection: None,
            compare_engine,
            compare_readout: Readout::default(),
            compare_note: None,
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
            Msg::CanvasClick(at) => self.canvas_click(ctx, at),
            Msg::PointsFile(file) => self.read_points(ctx, file),
            Msg::PointsLoaded(Ok(points)) => {
                self.error = None;
                self.change(ctx, Change::LoadPoints(points));
            }
            Msg::PointsLoaded(Err(e)) | Msg::DigitsReady(Err(e)) => self.error = Some(e),
            Msg::LoadPretrained => self.load_pretrained(ctx),
            Msg::WeightsFile(file) => self.load_weight_file(ctx, file),
            Msg::WeightsReady(result) => self.weights_ready(ctx, result),
            Msg::DownloadWeights => self.download_weights(ctx),
            Msg::Downloaded(result) => self.downloaded(result),
            Msg::ToggleTrain => {
                self.leave_slow_motion();
                let was_training = self.activity.is_training();
                self.toggle_training(ctx);
                // A run in the worker is kept once its weights are back.
                if was_training && !self.activity.is_training() && self.activity.held().is_none() {
                    self.keep_run(ctx, None);
                }
            }
            Msg::StepOnce(kind) => {
                self.leave_slow_motion();
                self.last_update = match kind {
                    StepKind::Discriminator => Some(Updated::Discriminator),
                    StepKind::Generator => Some(Updated::Generator),
                    StepKind::Full => None,
                };
                self.step_once(ctx, kind);
            }
            Msg::SlowMotion => self.advance_slow_motion(ctx),
            Msg::GridClick(at) => self.grid_click(at),
            Msg::Walk(to) => self.walk(ctx, to),
            Msg::WalkReset => self.walk_reset(ctx),
            Msg::Walked(request, generation, pixels) => self.walked(request, generation, pixels),
            Msg::CompareProgress(p) => self.compare_progress(p),
            Msg::CompareFailed((generation, e)) => self.compare_failed(generation, e),
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
            Msg::Bench => self.run_bench(ctx),
            Msg::BenchDone(result) => self.bench_done(result),
            Msg::Quality(m) => self.quality(ctx, m),
            Msg::AccuracyMeasured(generation, step, result) => {
                self.accuracy_measured(generation, step, result)
            }
            Msg::Run(m) => self.run_message(ctx, m),
            Msg::Worker(event) => self.worker_event(ctx, event),
            Msg::WorkerLost(why) => self.worker_lost(ctx, why),
            Msg::WorkerIdle(generation) => self.worker_idle(ctx, generation),
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
                <SavedRunBanner offer={self.saved_run_offer()}
                    on_resume={link.callback(|_| Msg::Run(RunMsg::Resume))}
                    on_discard={link.callback(|_| Msg::Run(RunMsg::Discard))} />
                <section class="controls">
                    <PresetPicker current={self.state.preset}
                        onchange={link.callback(|id| Msg::Change(Change::Preset(id)))} />
                    <Controls state={self.state.clone()} onchange={link.callback(Msg::Change)}
                        on_points_file={link.callback(Msg::PointsFile)}>
                        <WeightsPanel busy={!self.activity.may_use_files() || self.device.is_none()} has_bundled={self.state.bundled_weights().is_some()}
                            has_model={self.engine.borrow().is_some()} notice={self.notice.clone()}
                            kept_steps={self.kept.saved_steps}
                            on_pretrained={link.callback(|_| Msg::LoadPretrained)}
                            on_download={link.callback(|_| Msg::DownloadWeights)}
                            on_file={link.callback(Msg::WeightsFile)} />
                    </Controls>
                </section>
                <section class="stage">{ self.view_stage(link) }</section>
                if self.state.images() {
                    <section class="quality">{ self.view_quality(link) }</section>
                }
                <section class="bench">
                    <BenchPanel disabled={!self.activity.may_use_files() || self.device.is_none()} lines={self.bench_lines.clone()}
                        on_run={link.callback(|_| Msg::Bench)} />
                </section>
            </main>
        }
    }
}
