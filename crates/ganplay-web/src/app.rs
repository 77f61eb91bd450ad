//! The playground page: controls, the live training loop, read-outs, plots and weight files.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use burn::tensor::{Device, Tensor};
use ganplay_model::data::bundled;
use ganplay_model::data::points_csv::parse_points_csv;
use ganplay_model::data::toy::MAX_CUSTOM_POINTS;
use ganplay_model::weights::WeightFile;
use ganplay_model::{GanConfig, ImageModelConfig, ImageModelKind, ImageShape, Losses, Scale, ToyDataset, ToyKind, divergence_message};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::html::Scope;
use yew::prelude::*;

use crate::backend::{BackendKind, WebGpuProbe, device_for, probe_webgpu};
use crate::engine::{Engine, ImageView, LossPoint, Parts, StepKind, View};
use crate::knobs::{ChoiceKnob, NumberKnob, Settings};
use crate::pacer::Pacer;
use crate::plot::{Frame, Scatter, draw_encodings, draw_images, draw_losses, draw_scatter};
use crate::{bench, digits, url_state, weights_io};

/// How often the training loop redraws samples, metrics and the decision surface.
const VIEW_INTERVAL_MS: f64 = 200.0;
/// Extent of the drawing area for a drawn distribution.
const DRAW_EXTENT: f32 = 2.0;
const SAMPLE_CANVAS_PX: u32 = 480;

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

type SharedEngine = Rc<RefCell<Option<Engine>>>;

/// The data a model trains on: a toy 2D distribution or the bundled digits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dataset {
    Toy(ToyKind),
    Mnist,
}

impl Dataset {
    pub fn id(self) -> &'static str {
        match self {
            Dataset::Toy(k) => k.id(),
            Dataset::Mnist => "mnist",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        if id == "mnist" { Some(Dataset::Mnist) } else { ToyKind::from_id(id).map(Dataset::Toy) }
    }
}

/// What one read-back brings to the page.
pub struct Progress {
    run: u64,
    steps: u64,
    /// Discriminator and generator losses (GANs), reconstruction and KL terms (VAEs).
    losses: [Option<f32>; 2],
    view: Option<View>,
    steps_per_sec: Option<f64>,
    diverged: Option<String>,
    /// Time the page was blocked queuing the steps.
    blocking_ms: f64,
}

pub enum Msg {
    Probed(WebGpuProbe),
    DeviceReady(BackendKind, Result<Device, String>),
    SelectBackend(String),
    SelectDataset(String),
    SelectModel(String),
    SelectClass(String),
    LoadPretrained,
    WeightsFile(web_sys::File),
    /// A model built from a weight file, or why it could not be.
    WeightsReady(Result<(Engine, String), String>),
    DownloadWeights,
    Downloaded(Result<String, String>),
    Number(NumberKnob, String),
    Choice(ChoiceKnob, String),
    ToggleTrain,
    StepOnce(StepKind),
    Reset,
    Progress(Progress),
    Failed(u64, String),
    CanvasClick(f64, f64),
    ClearPoints,
    PointsFile(web_sys::File),
    PointsLoaded(Result<Vec<[f32; 2]>, String>),
    /// The bundled digits were fetched (or could not be).
    DigitsReady(Result<(), String>),
    DismissError,
    Bench,
    BenchDone(Result<Vec<String>, String>),
}

pub struct App {
    settings: Settings,
    dataset: Dataset,
    /// Image model trained on digits (2D data sets always use the MLP GAN of the knobs).
    model: ImageModelKind,
    /// Class shown by conditional models; `None`: one row per class.
    class: Option<usize>,
    /// A weight file is being fetched, read or saved.
    weights_busy: bool,
    /// What the last weight-file action did.
    notice: Option<String>,
    drawn_points: Vec<[f32; 2]>,
    /// Refused text and its reason, per knob.
    knob_errors: HashMap<NumberKnob, (String, String)>,
    probe: Option<WebGpuProbe>,
    backend: Option<BackendKind>,
    device: Option<Device>,
    engine: SharedEngine,
    /// Bumped to stop the running loop and to drop read-backs of a replaced model.
    run: Rc<Cell<u64>>,
    running: bool,
    step_in_flight: bool,
    steps: u64,
    steps_per_sec: f64,
    losses: [Option<f32>; 2],
    view: Option<View>,
    error: Option<String>,
    bench_running: bool,
    bench_lines: Vec<String>,
    /// The plots need redrawing (new samples or a new model); text-only updates skip them.
    plots_stale: bool,
    sample_canvas: NodeRef,
    loss_canvas: NodeRef,
    interpolation_canvas: NodeRef,
    reconstruction_canvas: NodeRef,
    encodings_canvas: NodeRef,
    latent_map_canvas: NodeRef,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let mut settings = Settings { config: GanConfig::default(), sigma: ToyKind::Ring8.default_sigma() };
        // A shared link carries the knobs; values out of range are ignored.
        for knob in ChoiceKnob::ALL {
            if let Some(v) = url_state::get(knob.test_id()) {
                knob.apply(&mut settings, &v);
            }
        }
        for knob in NumberKnob::ALL {
            if let Some(v) = url_state::get(knob.test_id()) {
                let _ = knob.apply(&mut settings, &v);
            }
        }
        let dataset = url_state::get("dataset").and_then(|d| Dataset::from_id(&d)).unwrap_or(Dataset::Toy(ToyKind::Ring8));
        let model = url_state::get("model").and_then(|m| ImageModelKind::from_id(&m)).unwrap_or(ImageModelKind::GanMlp);
        ctx.link().send_future(async { Msg::Probed(probe_webgpu().await) });
        App {
            settings,
            dataset,
            model,
            class: None,
            weights_busy: false,
            notice: None,
            drawn_points: Vec::new(),
            knob_errors: HashMap::new(),
            probe: None,
            backend: None,
            device: None,
            engine: Rc::new(RefCell::new(None)),
            run: Rc::new(Cell::new(0)),
            running: false,
            step_in_flight: false,
            steps: 0,
            steps_per_sec: 0.0,
            losses: [None, None],
            view: None,
            error: None,
            bench_running: false,
            bench_lines: Vec::new(),
            plots_stale: true,
            sample_canvas: NodeRef::default(),
            loss_canvas: NodeRef::default(),
            interpolation_canvas: NodeRef::default(),
            reconstruction_canvas: NodeRef::default(),
            encodings_canvas: NodeRef::default(),
            latent_map_canvas: NodeRef::default(),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Probed(probe) => {
                let wanted = url_state::get("backend")
                    .and_then(|b| BackendKind::from_id(&b))
                    .unwrap_or_else(|| probe.automatic_choice());
                self.probe = Some(probe);
                self.switch_backend(ctx, wanted);
            }
            Msg::DeviceReady(kind, Ok(device)) => {
                self.backend = Some(kind);
                self.device = Some(device);
                url_state::set("backend", kind.id());
                self.rebuild(ctx);
            }
            Msg::DeviceReady(kind, Err(e)) => {
                self.error = Some(format!("{e}. Staying on the CPU backend."));
                if kind != BackendKind::Cpu {
                    self.switch_backend(ctx, BackendKind::Cpu);
                }
            }
            Msg::SelectBackend(id) => {
                if let Some(kind) = BackendKind::from_id(&id) {
                    if Some(kind) != self.backend {
                        if kind == BackendKind::WebGpu && matches!(self.probe, Some(WebGpuProbe::Missing(_))) {
                            self.error = Some("WebGPU is not available in this browser; the CPU backend stays in use.".into());
                        } else {
                            self.switch_backend(ctx, kind);
                        }
                    }
                }
            }
            Msg::SelectDataset(id) => {
                if let Some(dataset) = Dataset::from_id(&id) {
                    self.dataset = dataset;
                    url_state::set("dataset", dataset.id());
                    if dataset != Dataset::Mnist {
                        // Only the MLP GAN trains on 2D points.
                        self.model = ImageModelKind::GanMlp;
                        url_state::set("model", self.model.id());
                    }
                    self.rebuild(ctx);
                }
            }
            Msg::SelectModel(id) => {
                if let Some(model) = ImageModelKind::from_id(&id) {
                    self.model = model;
                    url_state::set("model", model.id());
                    if model != ImageModelKind::GanMlp && self.dataset != Dataset::Mnist {
                        // The image models need images: switch to the digits.
                        self.dataset = Dataset::Mnist;
                        url_state::set("dataset", "mnist");
                    }
                    self.rebuild(ctx);
                }
            }
            Msg::SelectClass(id) => {
                self.class = id.parse().ok();
                if let Some(engine) = self.engine.borrow_mut().as_mut() {
                    engine.set_class(self.class);
                }
                self.refresh_view(ctx);
            }
            Msg::LoadPretrained => {
                if let (Some(device), false) = (self.device.clone(), self.weights_busy) {
                    self.stop_loop();
                    self.weights_busy = true;
                    let (model, class, sigma) = (self.model, self.class, self.settings.sigma);
                    ctx.link().send_future(async move {
                        if let Err(e) = digits::ensure_loaded().await {
                            return Msg::WeightsReady(Err(e));
                        }
                        let url = weights_io::bundled_url(model);
                        let built = match weights_io::fetch_bytes(&url).await {
                            Ok(bytes) => weights_io::parse(&bytes, &format!("The bundled {} weights", model.label()))
                                .and_then(|file| build_from_file(&file, class, sigma, &device, "bundled weights")),
                            Err(e) => Err(format!("The bundled weights could not be loaded: {e}.")),
                        };
                        Msg::WeightsReady(built)
                    });
                }
            }
            Msg::WeightsFile(file) => {
                if let (Some(device), false) = (self.device.clone(), self.weights_busy) {
                    self.stop_loop();
                    self.weights_busy = true;
                    let (class, sigma) = (self.class, self.settings.sigma);
                    ctx.link().send_future(async move {
                        if let Err(e) = digits::ensure_loaded().await {
                            return Msg::WeightsReady(Err(e));
                        }
                        let name = file.name();
                        let built = match weights_io::read_file(file).await {
                            Ok(bytes) => weights_io::parse(&bytes, &name)
                                .and_then(|f| build_from_file(&f, class, sigma, &device, &name)),
                            Err(e) => Err(format!("{name}: {e}")),
                        };
                        Msg::WeightsReady(built)
                    });
                }
            }
            Msg::WeightsReady(result) => {
                self.weights_busy = false;
                match result {
                    Ok((engine, notice)) => {
                        self.error = None;
                        self.adopt(ctx, engine);
                        self.notice = Some(notice);
                    }
                    // The current model and its training state stay as they were.
                    Err(e) => self.error = Some(e),
                }
            }
            Msg::DownloadWeights => {
                if !self.weights_busy && self.engine.borrow().is_some() {
                    self.stop_loop();
                    self.weights_busy = true;
                    let engine = self.engine.clone();
                    let dataset = self.dataset.id().to_string();
                    let backend = self.backend.map_or("cpu", |b| b.id());
                    let snapshot = engine.borrow().as_ref().map(|e| weights_io::snapshot(&e.session, &dataset, backend));
                    ctx.link().send_future(async move {
                        Msg::Downloaded(match snapshot {
                            Some((snapshot, name)) => weights_io::download(snapshot, name).await,
                            None => Err("no model to save".into()),
                        })
                    });
                }
            }
            Msg::Downloaded(result) => {
                self.weights_busy = false;
                match result {
                    Ok(name) => self.notice = Some(format!("Saved {name}.")),
                    Err(e) => self.error = Some(format!("The weights could not be saved: {e}")),
                }
            }
            Msg::Number(knob, text) => {
                let mut trial = self.settings.clone();
                match knob.apply(&mut trial, &text) {
                    Ok(()) => {
                        self.knob_errors.remove(&knob);
                        url_state::set(knob.test_id(), &knob.current(&trial));
                        if trial != self.settings {
                            self.settings = trial;
                            self.rebuild(ctx);
                        }
                    }
                    Err(why) => {
                        self.knob_errors.insert(knob, (text, why));
                    }
                }
            }
            Msg::Choice(knob, id) => {
                knob.apply(&mut self.settings, &id);
                url_state::set(knob.test_id(), knob.current(&self.settings));
                self.rebuild(ctx);
            }
            Msg::ToggleTrain => {
                if self.running {
                    self.stop_loop();
                } else if self.engine.borrow().is_some() && !self.bench_running {
                    self.error = None;
                    self.start_loop(ctx);
                }
            }
            Msg::StepOnce(kind) => {
                if !self.running && !self.step_in_flight && self.engine.borrow().is_some() {
                    self.step_in_flight = true;
                    let (engine, run, link) = (self.engine.clone(), self.run.get(), ctx.link().clone());
                    spawn_local(async move {
                        match advance_and_read(&engine, kind, 1, true).await {
                            Ok(p) => link.send_message(Msg::Progress(Progress { run, ..p })),
                            Err(e) => link.send_message(Msg::Failed(run, e)),
                        }
                    });
                }
            }
            Msg::Reset => {
                self.error = None;
                self.rebuild(ctx);
            }
            Msg::Progress(p) => {
                if p.run != self.run.get() {
                    return false;
                }
                self.step_in_flight = false;
                self.steps = p.steps;
                for (kept, new) in self.losses.iter_mut().zip(p.losses) {
                    *kept = new.or(*kept);
                }
                if let Some(rate) = p.steps_per_sec {
                    self.steps_per_sec = rate;
                }
                if p.view.is_some() {
                    self.view = p.view;
                    self.plots_stale = true;
                }
                if let Some(message) = p.diverged {
                    self.stop_loop();
                    self.error = Some(message);
                }
            }
            Msg::Failed(run, e) => {
                if run == self.run.get() {
                    self.stop_loop();
                    self.step_in_flight = false;
                    self.error = Some(format!("Reading results from the device failed: {e}. Press Reset to start again."));
                }
            }
            Msg::CanvasClick(x, y) => {
                if self.dataset != Dataset::Toy(ToyKind::Custom) {
                    return false;
                }
                if self.drawn_points.len() >= MAX_CUSTOM_POINTS {
                    self.error = Some(format!("A drawn distribution holds at most {MAX_CUSTOM_POINTS} points."));
                } else {
                    let frame = Frame { size: SAMPLE_CANVAS_PX as f64, extent: self.drawn_extent() as f64 };
                    self.drawn_points.push(frame.to_data(x, y));
                    self.rebuild(ctx);
                }
            }
            Msg::ClearPoints => {
                self.drawn_points.clear();
                self.rebuild(ctx);
            }
            Msg::PointsFile(file) => {
                ctx.link().send_future(async move {
                    let blob = gloo::file::Blob::from(file);
                    let result = match gloo::file::futures::read_as_text(&blob).await {
                        Ok(text) => parse_points_csv(&text).map_err(|e| format!("That CSV file cannot be used: {e}.")),
                        Err(e) => Err(format!("The file could not be read: {e}")),
                    };
                    Msg::PointsLoaded(result)
                });
            }
            Msg::PointsLoaded(Ok(points)) => {
                self.drawn_points = points;
                self.dataset = Dataset::Toy(ToyKind::Custom);
                url_state::set("dataset", "custom");
                self.error = None;
                self.rebuild(ctx);
            }
            Msg::PointsLoaded(Err(e)) => self.error = Some(e),
            Msg::DigitsReady(Ok(())) if self.dataset == Dataset::Mnist => self.rebuild(ctx),
            Msg::DigitsReady(Ok(())) => {}
            Msg::DigitsReady(Err(e)) => self.error = Some(e),
            Msg::DismissError => self.error = None,
            Msg::Bench => {
                if let (false, Some(device)) = (self.bench_running, self.device.clone()) {
                    self.stop_loop();
                    self.bench_running = true;
                    self.bench_lines = vec!["running…".into()];
                    ctx.link().send_future(async move { Msg::BenchDone(bench::run(device, 3.0).await) });
                }
            }
            Msg::BenchDone(result) => {
                self.bench_running = false;
                self.bench_lines = match result {
                    Ok(lines) => lines,
                    Err(e) => vec![format!("benchmark failed: {e}")],
                };
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <main class="layout">
                <header class="top">
                    <h1>{"ganplay"}</h1>
                    <span class="subtitle">{"GANs that train live in your browser"}</span>
                    { self.view_backend(link) }
                </header>
                { self.view_error(link) }
                <section class="controls">{ self.view_controls(link) }</section>
                <section class="stage">{ self.view_stage(link) }</section>
                <section class="bench">{ self.view_bench(link) }</section>
            </main>
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if std::mem::take(&mut self.plots_stale) {
            self.draw();
        }
    }
}

impl App {
    fn switch_backend(&mut self, ctx: &Context<Self>, kind: BackendKind) {
        self.stop_loop();
        ctx.link().send_future(async move { Msg::DeviceReady(kind, device_for(kind).await) });
    }

    fn drawn_extent(&self) -> f32 {
        match self.engine.borrow().as_ref().map(|e| &e.parts) {
            Some(Parts::Toy(p)) => p.extent.max(DRAW_EXTENT),
            _ => DRAW_EXTENT,
        }
    }

    fn toy_dataset(&self, kind: ToyKind) -> Result<ToyDataset, String> {
        let made = match kind {
            ToyKind::Custom => ToyDataset::custom(&self.drawn_points, self.settings.sigma),
            kind => ToyDataset::new(kind, self.settings.sigma),
        };
        made.map_err(|e| e.to_string())
    }

    /// The page-size preset of the chosen image model, with the seed knob's seed.
    fn image_config(&self) -> ImageModelConfig {
        let preset = ImageModelConfig::preset(self.model, Scale::Page, ImageShape::MNIST);
        ImageModelConfig { seed: self.settings.config.seed, ..preset }
    }

    /// New weights for the current settings, step 0. Training continues if it was running.
    fn rebuild(&mut self, ctx: &Context<Self>) {
        let was_running = self.running;
        self.clear_progress();
        let Some(device) = self.device.clone() else { return };
        let engine = match self.dataset {
            Dataset::Mnist if !bundled::is_available() => {
                *self.engine.borrow_mut() = None;
                ctx.link().send_future(async { Msg::DigitsReady(digits::ensure_loaded().await) });
                return;
            }
            Dataset::Mnist => Engine::image(self.image_config(), self.class, &device),
            // No drawn points yet: nothing to train, and no error either.
            Dataset::Toy(ToyKind::Custom) if self.drawn_points.is_empty() => {
                *self.engine.borrow_mut() = None;
                return;
            }
            Dataset::Toy(kind) => self.toy_dataset(kind).and_then(|data| Engine::toy(self.settings.config.clone(), data, &device)),
        };
        match engine {
            Ok(engine) => *self.engine.borrow_mut() = Some(engine),
            Err(e) => {
                *self.engine.borrow_mut() = None;
                self.error = Some(e);
                return;
            }
        }
        if was_running {
            self.start_loop(ctx);
        } else {
            self.refresh_view(ctx);
        }
    }

    fn clear_progress(&mut self) {
        self.stop_loop();
        self.steps = 0;
        self.steps_per_sec = 0.0;
        self.losses = [None, None];
        self.view = None;
        self.step_in_flight = false;
        self.plots_stale = true;
        self.notice = None;
    }

    /// Takes over a model built from a weight file: its data set, model and step count.
    fn adopt(&mut self, ctx: &Context<Self>, engine: Engine) {
        self.clear_progress();
        match &engine.parts {
            Parts::Image(p) => {
                self.dataset = Dataset::Mnist;
                self.model = p.config.model;
            }
            Parts::Toy(p) => {
                self.dataset = Dataset::Toy(p.data.kind());
                self.model = ImageModelKind::GanMlp;
                if let Some(c) = engine.session.config().toy() {
                    self.settings.config = c.clone();
                }
            }
        }
        url_state::set("dataset", self.dataset.id());
        url_state::set("model", self.model.id());
        self.steps = engine.session.steps();
        *self.engine.borrow_mut() = Some(engine);
        self.refresh_view(ctx);
    }

    /// Reads the current model's samples back and redraws, without training.
    fn refresh_view(&self, ctx: &Context<Self>) {
        let (engine, run, link) = (self.engine.clone(), self.run.get(), ctx.link().clone());
        spawn_local(async move {
            let steps = engine.borrow().as_ref().map_or(0, |e| e.session.steps());
            if let Ok(view) = read_view(&engine).await {
                link.send_message(Msg::Progress(Progress {
                    run,
                    steps,
                    losses: [None, None],
                    view: Some(view),
                    steps_per_sec: None,
                    diverged: None,
                    blocking_ms: 0.0,
                }));
            }
        });
    }

    fn start_loop(&mut self, ctx: &Context<Self>) {
        self.run.set(self.run.get() + 1);
        self.running = true;
        spawn_local(training_loop(ctx.link().clone(), self.engine.clone(), self.run.clone()));
    }

    fn stop_loop(&mut self) {
        self.run.set(self.run.get() + 1);
        self.running = false;
    }

    fn draw(&self) {
        let Some(canvas) = self.sample_canvas.cast::<HtmlCanvasElement>() else { return };
        let engine = self.engine.borrow();
        if let (Some(chart), Some(e)) = (self.loss_canvas.cast::<HtmlCanvasElement>(), engine.as_ref()) {
            draw_losses(&chart, &e.history, Losses::of(e.session.config()).names());
        }
        if let (Some(e), Some(View::Image(view))) = (engine.as_ref(), &self.view) {
            if let Parts::Image(p) = &e.parts {
                self.draw_image_views(&canvas, view, p.config.image, p.config.model.normalisation());
            }
            return;
        }
        let empty: Vec<[f32; 2]> = Vec::new();
        let custom = self.dataset == Dataset::Toy(ToyKind::Custom);
        let (extent, real) = match engine.as_ref().map(|e| &e.parts) {
            Some(Parts::Toy(p)) => (if custom { p.extent.max(DRAW_EXTENT) } else { p.extent }, &p.real_points),
            _ => (DRAW_EXTENT, &empty),
        };
        let (generated, surface) = match &self.view {
            Some(View::Toy { generated, surface, .. }) => (generated, surface.as_deref()),
            _ => (&empty, None),
        };
        canvas.set_width(SAMPLE_CANVAS_PX);
        canvas.set_height(SAMPLE_CANVAS_PX);
        let scatter = Scatter { extent, real, generated, surface, drawn: if custom { &self.drawn_points } else { &empty } };
        draw_scatter(&canvas, &scatter);
    }

    fn draw_image_views(&self, grid: &HtmlCanvasElement, view: &ImageView, shape: ImageShape, norm: ganplay_model::Normalisation) {
        draw_images(grid, &view.grid, shape, norm, view.grid_columns);
        if let Some(c) = self.interpolation_canvas.cast::<HtmlCanvasElement>() {
            draw_images(&c, &view.interpolation, shape, norm, crate::engine::INTERPOLATION_STEPS);
        }
        if let (Some(c), Some(values)) = (self.reconstruction_canvas.cast::<HtmlCanvasElement>(), &view.reconstructions) {
            draw_images(&c, values, shape, norm, crate::engine::RECONSTRUCTIONS);
        }
        if let (Some(c), Some(points)) = (self.encodings_canvas.cast::<HtmlCanvasElement>(), &view.encodings) {
            draw_encodings(&c, points);
        }
        if let (Some(c), Some(values)) = (self.latent_map_canvas.cast::<HtmlCanvasElement>(), &view.latent_map) {
            draw_images(&c, values, shape, norm, crate::engine::LATENT_MAP_SIDE);
        }
    }

    fn view_backend(&self, link: &Scope<Self>) -> Html {
        let current = self.backend.map_or("starting", |b| b.id());
        let onchange = link.callback(|e: Event| Msg::SelectBackend(e.target_unchecked_into::<HtmlSelectElement>().value()));
        let note = self.probe.as_ref().and_then(|p| p.note()).filter(|_| self.backend == Some(BackendKind::Cpu));
        html! {
            <div class="backend">
                <span>{"backend: "}<b data-testid="backend-name">{ current }</b></span>
                <label>{" use "}
                    <select data-testid="backend-select" {onchange} title="Switching backend restarts training">
                        { for BackendKind::ALL.iter().map(|k| html! {
                            <option value={k.id()} selected={self.backend == Some(*k)}>{ k.label() }</option>
                        }) }
                    </select>
                </label>
                if let Some(note) = note { <p class="note" data-testid="backend-note">{ note }</p> }
            </div>
        }
    }

    fn view_error(&self, link: &Scope<Self>) -> Html {
        let Some(error) = &self.error else { return html! {} };
        html! {
            <div class="error-banner" data-testid="error-banner" role="alert">
                <span>{ error }</span>
                <button data-testid="error-reset-button" onclick={link.callback(|_| Msg::Reset)}>{"Reset"}</button>
                <button class="dismiss" aria-label="dismiss" onclick={link.callback(|_| Msg::DismissError)}>{"×"}</button>
            </div>
        }
    }

    fn view_controls(&self, link: &Scope<Self>) -> Html {
        let on_dataset = link.callback(|e: Event| Msg::SelectDataset(e.target_unchecked_into::<HtmlSelectElement>().value()));
        let on_file = link.batch_callback(|e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            input.files().and_then(|f| f.get(0)).map(Msg::PointsFile)
        });
        let on_model = link.callback(|e: Event| Msg::SelectModel(e.target_unchecked_into::<HtmlSelectElement>().value()));
        let images = self.dataset == Dataset::Mnist;
        html! {
            <>
                <fieldset>
                    <legend>{"Data and model"}</legend>
                    <label>{"data set "}
                        <select data-testid="dataset-select" onchange={on_dataset}>
                            { for ToyKind::ALL.iter().map(|k| html! {
                                <option value={k.id()} selected={Dataset::Toy(*k) == self.dataset}>{ k.label() }</option>
                            }) }
                            <option value="mnist" selected={images}>{"MNIST digits (9,003 to train on)"}</option>
                        </select>
                    </label>
                    <label>{"model "}
                        <select data-testid="model-select" onchange={on_model}>
                            { for ImageModelKind::ALL.iter().map(|k| html! {
                                <option value={k.id()} selected={*k == self.model}>{ k.label() }</option>
                            }) }
                        </select>
                    </label>
                    if images { { self.view_model_facts() } }
                    if self.dataset == Dataset::Toy(ToyKind::Custom) {
                        <p class="hint">{"Click on the plot to add points, or load a CSV of x,y pairs."}</p>
                        <div class="row">
                            <button data-testid="clear-points-button" onclick={link.callback(|_| Msg::ClearPoints)}>{"Clear points"}</button>
                            <input type="file" accept=".csv,text/csv,text/plain" data-testid="points-file-input" onchange={on_file} />
                        </div>
                    }
                </fieldset>
                { self.view_weights(link) }
                if images {
                    <fieldset>
                        <legend>{"Knobs (changing one restarts from new weights)"}</legend>
                        { self.view_number(link, NumberKnob::Seed) }
                    </fieldset>
                } else {
                    <fieldset>
                        <legend>{"Knobs (changing one restarts from new weights)"}</legend>
                        { for ChoiceKnob::ALL.iter().map(|k| self.view_choice(link, *k)) }
                        { for NumberKnob::ALL.iter().filter(|k| k.shown(&self.settings)).map(|k| self.view_number(link, *k)) }
                    </fieldset>
                }
            </>
        }
    }

    /// What the chosen image model is, in a sentence.
    fn view_model_facts(&self) -> Html {
        let c = self.image_config();
        let widths = |v: &[usize]| v.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("→");
        let conditional = c.model.is_conditional();
        let text = match c.model {
            ImageModelKind::GanMlp => format!(
                "G {}→{}→784 (ReLU, tanh out), D 784→{}→1 (LeakyReLU 0.2, dropout {}); Adam {}, batch {}.",
                c.latent_dim,
                widths(&c.hidden),
                widths(&c.hidden.iter().rev().copied().collect::<Vec<_>>()),
                c.dropout,
                c.learning_rate,
                c.batch_size
            ),
            ImageModelKind::Dcgan | ImageModelKind::Cgan | ImageModelKind::Wgan => format!(
                "Transposed-convolution G ({} noise{} → 7x7 → 14x14 → 28x28, batch norm), strided-convolution {} \
                 (LeakyReLU 0.2{}), width {}; {}Adam {}, batch {}.",
                c.latent_dim,
                if conditional { " + one-hot digit" } else { "" },
                if c.model == ImageModelKind::Wgan { "critic" } else { "D" },
                if conditional { ", projection of the digit's class onto its features" } else { "" },
                c.conv_width,
                if c.model == ImageModelKind::Wgan {
                    format!("Wasserstein loss, critic weights clipped to ±{}, {} critic steps per G step; ", c.clip, c.d_steps)
                } else {
                    String::new()
                },
                c.learning_rate,
                c.batch_size
            ),
            ImageModelKind::Vae | ImageModelKind::Cvae => format!(
                "Encoder 784→{}→{}-D latent (mean, log-variance), decoder back to 784 (sigmoid){}; loss = \
                 reconstruction (Bernoulli) + KL; Adam {}, batch {}.",
                widths(&c.hidden),
                c.latent_dim,
                if conditional { "; both see the digit's class" } else { "" },
                c.learning_rate,
                c.batch_size
            ),
        };
        html! { <p class="hint" data-testid="model-facts">{ text }</p> }
    }

    fn view_weights(&self, link: &Scope<Self>) -> Html {
        let on_weights = link.batch_callback(|e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|f| f.get(0));
            // Clear the input so choosing the same file again still fires.
            input.set_value("");
            file.map(Msg::WeightsFile)
        });
        let busy = self.weights_busy || self.device.is_none();
        let images = self.dataset == Dataset::Mnist;
        html! {
            <fieldset>
                <legend>{"Weights"}</legend>
                <div class="row">
                    <button data-testid="load-pretrained-button" disabled={busy || !images}
                        title="load weights trained natively with the CLI (see README) and sample at once"
                        onclick={link.callback(|_| Msg::LoadPretrained)}>{"Load pre-trained"}</button>
                    <button data-testid="download-weights-button" disabled={busy || self.engine.borrow().is_none()}
                        onclick={link.callback(|_| Msg::DownloadWeights)}>{"Download weights"}</button>
                </div>
                <label>{"load a weight file "}
                    <input type="file" accept=".safetensors" data-testid="weights-file-input" disabled={busy} onchange={on_weights} />
                </label>
                if let Some(notice) = &self.notice { <p class="note" data-testid="weights-notice">{ notice }</p> }
            </fieldset>
        }
    }

    fn view_choice(&self, link: &Scope<Self>, knob: ChoiceKnob) -> Html {
        let current = knob.current(&self.settings);
        let onchange = link.callback(move |e: Event| Msg::Choice(knob, e.target_unchecked_into::<HtmlSelectElement>().value()));
        html! {
            <label>{ knob.label() }{" "}
                <select data-testid={knob.test_id()} {onchange}>
                    { for knob.options().into_iter().map(|(id, label)| html! {
                        <option value={id} selected={id == current}>{ label }</option>
                    }) }
                </select>
            </label>
        }
    }

    fn view_number(&self, link: &Scope<Self>, knob: NumberKnob) -> Html {
        let error = self.knob_errors.get(&knob);
        let value = error.map_or_else(|| knob.current(&self.settings), |(text, _)| text.clone());
        let onchange = link.callback(move |e: Event| Msg::Number(knob, e.target_unchecked_into::<HtmlInputElement>().value()));
        html! {
            <label class={classes!(error.is_some().then_some("invalid"))}>{ knob.label() }{" "}
                <input type="text" inputmode="decimal" data-testid={knob.test_id()} {value} {onchange}
                    aria-invalid={error.is_some().to_string()} />
                if let Some((_, why)) = error {
                    <span class="knob-error" data-testid={format!("{}-error", knob.test_id())}>{ why }</span>
                }
            </label>
        }
    }

    fn view_stage(&self, link: &Scope<Self>) -> Html {
        let engine = self.engine.borrow();
        let has_model = engine.is_some();
        let can_train = engine.as_ref().is_some_and(|e| e.can_train());
        let is_vae = engine.as_ref().is_some_and(|e| e.session.is_vae());
        let conditional = engine.as_ref().is_some_and(|e| e.session.classes() > 0);
        let images = matches!(engine.as_ref().map(|e| &e.parts), Some(Parts::Image(_)));
        drop(engine);
        let busy = self.bench_running || self.backend.is_none() || self.weights_busy;
        let idle = has_model && can_train && !busy && !self.running;
        let step = |kind: StepKind| link.callback(move |_| Msg::StepOnce(kind));
        let onclick_canvas = link.callback(|e: MouseEvent| {
            let canvas: HtmlCanvasElement = e.target_unchecked_into();
            // The canvas may be drawn smaller than its pixel size.
            let scale = canvas.width() as f64 / canvas.client_width().max(1) as f64;
            Msg::CanvasClick(e.offset_x() as f64 * scale, e.offset_y() as f64 * scale)
        });
        let fmt_loss = |l: Option<f32>| l.map_or("–".to_string(), |v| format!("{v:.4}"));
        let metrics = match &self.view {
            Some(View::Toy { metrics, .. }) => Some(*metrics),
            _ => None,
        };
        let [first, second] = self.losses;
        let total = first.zip(second).map(|(a, b)| a + b);
        html! {
            <>
                <div class="buttons">
                    <button data-testid="train-toggle" class="primary" disabled={!has_model || !can_train || busy}
                        onclick={link.callback(|_| Msg::ToggleTrain)}>
                        { if self.running { "Pause" } else { "Train" } }
                    </button>
                    <button data-testid="step-button" disabled={!idle} onclick={step(StepKind::Full)}
                        title="one discriminator step (or k of them) and one generator step; one update for a VAE">{"Step"}</button>
                    <button data-testid="d-step-button" disabled={!idle || is_vae} onclick={step(StepKind::Discriminator)}>{"D step"}</button>
                    <button data-testid="g-step-button" disabled={!idle || is_vae} onclick={step(StepKind::Generator)}>{"G step"}</button>
                    <button data-testid="reset-button" disabled={busy} onclick={link.callback(|_| Msg::Reset)}>{"Reset"}</button>
                </div>
                <div class="readouts">
                    <span>{"step "}<b data-testid="step-count">{ self.steps }</b></span>
                    <span>{"steps/s "}<b data-testid="steps-per-sec">{ format!("{:.1}", self.steps_per_sec) }</b></span>
                    if is_vae {
                        <span>{"D loss "}<b data-testid="loss-d">{"–"}</b></span>
                        <span title="negative ELBO = reconstruction + KL">{"VAE loss "}<b data-testid="loss-g">{ fmt_loss(total) }</b></span>
                        <span>{"reconstruction "}<b data-testid="loss-recon">{ fmt_loss(first) }</b></span>
                        <span>{"KL "}<b data-testid="loss-kl">{ fmt_loss(second) }</b></span>
                    } else {
                        <span>{"D loss "}<b data-testid="loss-d">{ fmt_loss(first) }</b></span>
                        <span>{"G loss "}<b data-testid="loss-g">{ fmt_loss(second) }</b></span>
                    }
                    if !images {
                        <span title="modes with at least one generated sample within 3σ">{"modes "}
                            <b data-testid="metric-modes">{ metrics.map_or("–".into(), |m| m.modes_text()) }</b></span>
                        <span title="generated samples within 3σ of the data's shape">{"high quality "}
                            <b data-testid="metric-hq">{ metrics.map_or("–".into(), |m| format!("{:.1}%", m.high_quality_percent)) }</b>
                            { metrics.map_or(String::new(), |m| format!(" (3σ, σ = {})", m.sigma)) }</span>
                    }
                </div>
                if conditional { { self.view_class_picker(link) } }
                <div class="plots">
                    <figure>
                        <canvas ref={self.sample_canvas.clone()} data-testid="sample-canvas" class={classes!(images.then_some("pixels"))}
                            width={SAMPLE_CANVAS_PX.to_string()} height={SAMPLE_CANVAS_PX.to_string()} onclick={onclick_canvas} />
                        if images {
                            <figcaption>{ if conditional && self.class.is_none() {
                                "samples from fixed noise, one row per class: the same noise vectors at every step"
                            } else {
                                "samples from 64 fixed noise vectors: the same vectors at every step"
                            } }</figcaption>
                        } else {
                            <figcaption>
                                <span class="swatch real"></span>{"real "}
                                <span class="swatch fake"></span>{"generated "}
                                <span class="swatch surface"></span>{"background: where D says \"real\" (blue) or \"fake\" (orange)"}
                            </figcaption>
                        }
                    </figure>
                    <figure>
                        <canvas ref={self.loss_canvas.clone()} data-testid="loss-chart" width="480" height="200" />
                        <figcaption>{"losses over training steps"}</figcaption>
                    </figure>
                </div>
                if images { { self.view_image_panels(is_vae) } }
                if !has_model && self.dataset == Dataset::Toy(ToyKind::Custom) {
                    <p class="hint">{"Add points to the plot to make a distribution to train on."}</p>
                }
            </>
        }
    }

    fn view_class_picker(&self, link: &Scope<Self>) -> Html {
        let onchange = link.callback(|e: Event| Msg::SelectClass(e.target_unchecked_into::<HtmlSelectElement>().value()));
        html! {
            <label>{"digit "}
                <select data-testid="class-select" {onchange}>
                    <option value="all" selected={self.class.is_none()}>{"all (one row each)"}</option>
                    { for (0..10usize).map(|c| html! {
                        <option value={c.to_string()} selected={self.class == Some(c)}>{ c }</option>
                    }) }
                </select>
            </label>
        }
    }

    fn view_image_panels(&self, is_vae: bool) -> Html {
        let has_map = matches!(&self.view, Some(View::Image(v)) if v.latent_map.is_some());
        html! {
            <div class="plots">
                <figure>
                    <canvas ref={self.interpolation_canvas.clone()} data-testid="interpolation-canvas" class="pixels strip" />
                    <figcaption>{"latent interpolation: ten steps on the line from the grid's first sample (top left) to its second"}</figcaption>
                </figure>
                if is_vae {
                    <figure>
                        <canvas ref={self.reconstruction_canvas.clone()} data-testid="reconstruction-canvas" class="pixels strip" />
                        <figcaption>{"held-out test digits (top) and their reconstructions (bottom)"}</figcaption>
                    </figure>
                    <figure>
                        <canvas ref={self.encodings_canvas.clone()} data-testid="latent-scatter-canvas" width="320" height="320" />
                        <figcaption>{"600 test digits at their encoded means (first two latent axes), coloured by class: "}
                            { for crate::plot::CLASS_COLOURS.iter().enumerate().map(|(c, colour)| html! {
                                <span class="class-key" style={format!("color:{colour}")}>{ format!("■{c} ") }</span>
                            }) }
                        </figcaption>
                    </figure>
                    if has_map {
                        <figure>
                            <canvas ref={self.latent_map_canvas.clone()} data-testid="latent-map-canvas" class="pixels" />
                            <figcaption>{ format!("decoded latent map: z over [-{0}, {0}]², up is +z₂", crate::engine::LATENT_EXTENT) }</figcaption>
                        </figure>
                    }
                }
            </div>
        }
    }

    fn view_bench(&self, link: &Scope<Self>) -> Html {
        html! {
            <details>
                <summary>{"Benchmark this device"}</summary>
                <p>{"Times training steps of the toy GAN and of the MLP GAN, DCGAN and VAE at the page's sizes on the backend in use (pauses training)."}</p>
                <button data-testid="bench-button" disabled={self.bench_running || self.device.is_none()}
                    onclick={link.callback(|_| Msg::Bench)}>{"Run benchmark"}</button>
                <pre data-testid="bench-result">{ self.bench_lines.join("\n") }</pre>
            </details>
        }
    }
}

/// Trains while `run` still holds the value it had at the start, adapting the steps per frame
/// to the frame budget and yielding to the browser between frames.
async fn training_loop(link: Scope<App>, engine: SharedEngine, run: Rc<Cell<u64>>) {
    let token = run.get();
    let mut pacer = Pacer::default();
    let mut last_view = f64::NEG_INFINITY;
    let mut rate = RateMeter::default();
    while run.get() == token {
        let started = now_ms();
        let want_view = started - last_view >= VIEW_INTERVAL_MS;
        let result = advance_and_read(&engine, StepKind::Full, pacer.steps(), want_view).await;
        if run.get() != token {
            return;
        }
        match result {
            Err(e) => {
                link.send_message(Msg::Failed(token, e));
                return;
            }
            Ok(mut p) => {
                pacer.record(p.blocking_ms, now_ms() - started);
                if want_view {
                    last_view = started;
                }
                p.run = token;
                p.steps_per_sec = Some(rate.record(now_ms(), p.steps));
                // The page re-renders only with new samples (a few times a second), not every frame.
                let diverged = p.diverged.is_some();
                if want_view || diverged {
                    link.send_message(Msg::Progress(p));
                }
                if diverged {
                    return;
                }
            }
        }
        yield_to_browser().await;
    }
}

/// Queues `count` updates, then reads the losses (and the view if asked) back asynchronously.
async fn advance_and_read(engine: &SharedEngine, kind: StepKind, count: usize, want_view: bool) -> Result<Progress, String> {
    let started = now_ms();
    let (generation, losses, view, steps) = {
        let mut guard = engine.borrow_mut();
        let e = guard.as_mut().ok_or("no model to train")?;
        let losses = e.advance(kind, count);
        let view = want_view.then(|| e.view_tensor());
        (e.generation, losses, view, e.session.steps())
    };
    let blocking_ms = now_ms() - started;
    // Losses first, then the view: one read-back (one wait for the GPU) per frame.
    let pieces: Vec<Tensor<1>> = [losses.first.clone(), losses.second.clone(), view.clone()].into_iter().flatten().collect();
    let values = if pieces.is_empty() { Vec::new() } else { read(Tensor::cat(pieces, 0)).await? };
    let loss_count = usize::from(losses.first.is_some()) + usize::from(losses.second.is_some());
    let (loss_values, view_values) = values.split_at(loss_count.min(values.len()));
    let mut loss_values = loss_values.iter().copied();
    let first = losses.first.map(|_| loss_values.next().unwrap_or(f32::NAN));
    let second = losses.second.map(|_| loss_values.next().unwrap_or(f32::NAN));
    let view_flat = view.map(|_| view_values);
    let mut guard = engine.borrow_mut();
    let e = guard.as_mut().filter(|e| e.generation == generation).ok_or("the model was replaced")?;
    let previous = e.history.last().copied();
    if first.is_some() || second.is_some() {
        e.record(LossPoint {
            step: steps,
            first: first.or(previous.map(|p| p.first)).unwrap_or(f32::NAN),
            second: second.or(previous.map(|p| p.second)).unwrap_or(f32::NAN),
        });
    }
    Ok(Progress {
        run: 0,
        steps,
        losses: [first, second],
        view: view_flat.map(|f| e.view_from(f)).transpose()?,
        steps_per_sec: None,
        diverged: divergence_message(steps, &Losses::of(e.session.config()).with([first.unwrap_or(0.0), second.unwrap_or(0.0)])),
        blocking_ms,
    })
}

/// Builds a model from a weight file; the page's current model is untouched until it succeeds.
fn build_from_file(file: &WeightFile, class: Option<usize>, sigma: f32, device: &Device, source: &str) -> Result<(Engine, String), String> {
    let mut engine = Engine::from_weights(file, class, sigma, device).map_err(|e| format!("{source} cannot be loaded: {e}."))?;
    engine.origin = source.to_string();
    let f = &file.facts;
    let mut notice = format!(
        "Loaded {source}: {} at step {}, trained on {} by {}{}.",
        file.config.model_id(),
        f.steps,
        if f.dataset.is_empty() { "unknown data" } else { &f.dataset },
        if f.trained_by.is_empty() { "an unknown trainer" } else { &f.trained_by },
        if f.trained_at.is_empty() { String::new() } else { format!(" on {}", f.trained_at) }
    );
    if !engine.can_train() {
        notice.push_str(" Its images are not 28x28 digits, so it samples but does not train here.");
    }
    Ok((engine, notice))
}

async fn read_view(engine: &SharedEngine) -> Result<View, String> {
    let (generation, t) = {
        let guard = engine.borrow();
        let e = guard.as_ref().ok_or("no model")?;
        (e.generation, e.view_tensor())
    };
    let flat = read(t).await?;
    let guard = engine.borrow();
    let e = guard.as_ref().filter(|e| e.generation == generation).ok_or("the model was replaced")?;
    e.view_from(&flat)
}

async fn read(t: Tensor<1>) -> Result<Vec<f32>, String> {
    let data = t.into_data_async().await.map_err(|e| format!("{e:?}"))?;
    data.try_into_vec_as::<f32>().map_err(|e| format!("{e:?}"))
}

/// Lets the browser handle input and paint, then resumes. A message to ourselves rather than
/// `setTimeout(0)`, which browsers clamp and throttle (270 ms per call in headless Chromium).
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            channel.port1().set_onmessage(Some(&resolve));
            if channel.port2().post_message(&wasm_bindgen::JsValue::NULL).is_ok() {
                return;
            }
        }
        let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Steps per second over the last two seconds.
#[derive(Default)]
struct RateMeter {
    samples: VecDeque<(f64, u64)>,
}

impl RateMeter {
    fn record(&mut self, at_ms: f64, steps: u64) -> f64 {
        self.samples.push_back((at_ms, steps));
        while self.samples.len() > 2 && at_ms - self.samples[0].0 > 2000.0 {
            self.samples.pop_front();
        }
        let (t0, s0) = self.samples[0];
        if at_ms > t0 { (steps - s0) as f64 / ((at_ms - t0) / 1000.0) } else { 0.0 }
    }
}
