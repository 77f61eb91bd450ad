//! The playground page: controls, the live training loop, read-outs and plots.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use burn::tensor::{Device, Tensor};
use ganplay_model::points_csv::parse_points_csv;
use ganplay_model::toy::MAX_CUSTOM_POINTS;
use ganplay_model::{GanConfig, ToyDataset, ToyKind, divergence_message};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::html::Scope;
use yew::prelude::*;

use crate::backend::{BackendKind, WebGpuProbe, device_for, probe_webgpu};
use crate::engine::{Engine, LossPoint, StepKind, View};
use crate::knobs::{ChoiceKnob, NumberKnob, Settings};
use crate::pacer::Pacer;
use crate::plot::{Frame, Scatter, draw_losses, draw_scatter};
use crate::{bench, url_state};

/// How often the training loop redraws samples, metrics and the decision surface.
const VIEW_INTERVAL_MS: f64 = 200.0;
/// Extent of the drawing area for a drawn distribution.
const DRAW_EXTENT: f32 = 2.0;
const SAMPLE_CANVAS_PX: u32 = 480;

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

type SharedEngine = Rc<RefCell<Option<Engine>>>;

/// What one read-back brings to the page.
pub struct Progress {
    run: u64,
    steps: u64,
    loss_d: Option<f32>,
    loss_g: Option<f32>,
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
    DismissError,
    Bench,
    BenchDone(Result<Vec<String>, String>),
}

pub struct App {
    settings: Settings,
    dataset: ToyKind,
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
    loss_d: Option<f32>,
    loss_g: Option<f32>,
    view: Option<View>,
    error: Option<String>,
    bench_running: bool,
    bench_lines: Vec<String>,
    /// The plots need redrawing (new samples or a new model); text-only updates skip them.
    plots_stale: bool,
    sample_canvas: NodeRef,
    loss_canvas: NodeRef,
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
        let dataset = url_state::get("dataset").and_then(|d| ToyKind::from_id(&d)).unwrap_or(ToyKind::Ring8);
        ctx.link().send_future(async { Msg::Probed(probe_webgpu().await) });
        App {
            settings,
            dataset,
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
            loss_d: None,
            loss_g: None,
            view: None,
            error: None,
            bench_running: false,
            bench_lines: Vec::new(),
            plots_stale: true,
            sample_canvas: NodeRef::default(),
            loss_canvas: NodeRef::default(),
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
                if let Some(kind) = ToyKind::from_id(&id) {
                    self.dataset = kind;
                    url_state::set("dataset", kind.id());
                    self.rebuild(ctx);
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
                self.loss_d = p.loss_d.or(self.loss_d);
                self.loss_g = p.loss_g.or(self.loss_g);
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
                if self.dataset != ToyKind::Custom {
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
                self.dataset = ToyKind::Custom;
                url_state::set("dataset", "custom");
                self.error = None;
                self.rebuild(ctx);
            }
            Msg::PointsLoaded(Err(e)) => self.error = Some(e),
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
        self.engine.borrow().as_ref().map_or(DRAW_EXTENT, |e| e.extent.max(DRAW_EXTENT))
    }

    fn dataset(&self) -> Result<ToyDataset, String> {
        let made = match self.dataset {
            ToyKind::Custom => ToyDataset::custom(&self.drawn_points, self.settings.sigma),
            kind => ToyDataset::new(kind, self.settings.sigma),
        };
        made.map_err(|e| e.to_string())
    }

    /// New weights for the current settings, step 0. Training continues if it was running.
    fn rebuild(&mut self, ctx: &Context<Self>) {
        let was_running = self.running;
        self.stop_loop();
        self.steps = 0;
        self.steps_per_sec = 0.0;
        self.loss_d = None;
        self.loss_g = None;
        self.view = None;
        self.step_in_flight = false;
        self.plots_stale = true;
        let Some(device) = self.device.clone() else { return };
        let engine = match self.dataset() {
            Ok(data) => Engine::new(self.settings.config.clone(), data, &device),
            // No drawn points yet: nothing to train, and no error either.
            Err(_) if self.dataset == ToyKind::Custom && self.drawn_points.is_empty() => {
                *self.engine.borrow_mut() = None;
                return;
            }
            Err(e) => Err(e),
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
            // Show the untrained generator at once.
            let (engine, run, link) = (self.engine.clone(), self.run.get(), ctx.link().clone());
            spawn_local(async move {
                if let Ok(view) = read_view(&engine).await {
                    link.send_message(Msg::Progress(Progress {
                        run,
                        steps: 0,
                        loss_d: None,
                        loss_g: None,
                        view: Some(view),
                        steps_per_sec: None,
                        diverged: None,
                        blocking_ms: 0.0,
                    }));
                }
            });
        }
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
        let empty: Vec<[f32; 2]> = Vec::new();
        let (extent, real) = match engine.as_ref() {
            Some(e) => (if self.dataset == ToyKind::Custom { e.extent.max(DRAW_EXTENT) } else { e.extent }, &e.real_points),
            None => (DRAW_EXTENT, &empty),
        };
        let scatter = Scatter {
            extent,
            real,
            generated: self.view.as_ref().map_or(&empty, |v| &v.generated),
            surface: self.view.as_ref().map(|v| v.surface.as_slice()),
            drawn: if self.dataset == ToyKind::Custom { &self.drawn_points } else { &empty },
        };
        draw_scatter(&canvas, &scatter);
        if let (Some(chart), Some(e)) = (self.loss_canvas.cast::<HtmlCanvasElement>(), engine.as_ref()) {
            draw_losses(&chart, &e.history);
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
                        <option value="webgpu" selected={self.backend == Some(BackendKind::WebGpu)}>{"WebGPU"}</option>
                        <option value="cpu" selected={self.backend == Some(BackendKind::Cpu)}>{"CPU (wasm)"}</option>
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
        html! {
            <>
                <fieldset>
                    <legend>{"Data and model"}</legend>
                    <label>{"data set "}
                        <select data-testid="dataset-select" onchange={on_dataset}>
                            { for ToyKind::ALL.iter().map(|k| html! {
                                <option value={k.id()} selected={*k == self.dataset}>{ k.label() }</option>
                            }) }
                        </select>
                    </label>
                    <label>{"model "}
                        <select data-testid="model-select">
                            <option value="gan-mlp" selected=true>{"MLP GAN"}</option>
                        </select>
                    </label>
                    if self.dataset == ToyKind::Custom {
                        <p class="hint">{"Click on the plot to add points, or load a CSV of x,y pairs."}</p>
                        <div class="row">
                            <button data-testid="clear-points-button" onclick={link.callback(|_| Msg::ClearPoints)}>{"Clear points"}</button>
                            <input type="file" accept=".csv,text/csv,text/plain" data-testid="points-file-input" onchange={on_file} />
                        </div>
                    }
                </fieldset>
                <fieldset>
                    <legend>{"Knobs (changing one restarts from new weights)"}</legend>
                    { for ChoiceKnob::ALL.iter().map(|k| self.view_choice(link, *k)) }
                    { for NumberKnob::ALL.iter().filter(|k| k.shown(&self.settings)).map(|k| self.view_number(link, *k)) }
                </fieldset>
            </>
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
        let has_model = self.engine.borrow().is_some();
        let busy = self.bench_running || self.backend.is_none();
        let step = |kind: StepKind| link.callback(move |_| Msg::StepOnce(kind));
        let onclick_canvas = link.callback(|e: MouseEvent| {
            let canvas: HtmlCanvasElement = e.target_unchecked_into();
            // The canvas may be drawn smaller than its pixel size.
            let scale = canvas.width() as f64 / canvas.client_width().max(1) as f64;
            Msg::CanvasClick(e.offset_x() as f64 * scale, e.offset_y() as f64 * scale)
        });
        let fmt_loss = |l: Option<f32>| l.map_or("–".to_string(), |v| format!("{v:.4}"));
        let metrics = self.view.as_ref().map(|v| v.metrics);
        html! {
            <>
                <div class="buttons">
                    <button data-testid="train-toggle" class="primary" disabled={!has_model || busy}
                        onclick={link.callback(|_| Msg::ToggleTrain)}>
                        { if self.running { "Pause" } else { "Train" } }
                    </button>
                    <button data-testid="step-button" disabled={!has_model || busy || self.running} onclick={step(StepKind::Full)}
                        title="one discriminator step (or k of them) and one generator step">{"Step"}</button>
                    <button data-testid="d-step-button" disabled={!has_model || busy || self.running} onclick={step(StepKind::Discriminator)}>{"D step"}</button>
                    <button data-testid="g-step-button" disabled={!has_model || busy || self.running} onclick={step(StepKind::Generator)}>{"G step"}</button>
                    <button data-testid="reset-button" disabled={busy} onclick={link.callback(|_| Msg::Reset)}>{"Reset"}</button>
                </div>
                <div class="readouts">
                    <span>{"step "}<b data-testid="step-count">{ self.steps }</b></span>
                    <span>{"steps/s "}<b data-testid="steps-per-sec">{ format!("{:.1}", self.steps_per_sec) }</b></span>
                    <span>{"D loss "}<b data-testid="loss-d">{ fmt_loss(self.loss_d) }</b></span>
                    <span>{"G loss "}<b data-testid="loss-g">{ fmt_loss(self.loss_g) }</b></span>
                    <span title="modes with at least one generated sample within 3σ">{"modes "}
                        <b data-testid="metric-modes">{ metrics.map_or("–".into(), |m| m.modes_text()) }</b></span>
                    <span title="generated samples within 3σ of the data's shape">{"high quality "}
                        <b data-testid="metric-hq">{ metrics.map_or("–".into(), |m| format!("{:.1}%", m.high_quality_percent)) }</b>
                        { metrics.map_or(String::new(), |m| format!(" (3σ, σ = {})", m.sigma)) }</span>
                </div>
                <div class="plots">
                    <figure>
                        <canvas ref={self.sample_canvas.clone()} data-testid="sample-canvas" width={SAMPLE_CANVAS_PX.to_string()}
                            height={SAMPLE_CANVAS_PX.to_string()} onclick={onclick_canvas} />
                        <figcaption>
                            <span class="swatch real"></span>{"real "}
                            <span class="swatch fake"></span>{"generated "}
                            <span class="swatch surface"></span>{"background: where D says \"real\" (blue) or \"fake\" (orange)"}
                        </figcaption>
                    </figure>
                    <figure>
                        <canvas ref={self.loss_canvas.clone()} data-testid="loss-chart" width="480" height="200" />
                        <figcaption>{"losses over training steps"}</figcaption>
                    </figure>
                </div>
                if !has_model && self.dataset == ToyKind::Custom {
                    <p class="hint">{"Add points to the plot to make a distribution to train on."}</p>
                }
            </>
        }
    }

    fn view_bench(&self, link: &Scope<Self>) -> Html {
        html! {
            <details>
                <summary>{"Benchmark this device"}</summary>
                <p>{"Times training steps of two fixed GANs on the backend in use (pauses training)."}</p>
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
    let pair: Vec<Tensor<1>> = [losses.discriminator.clone(), losses.generator.clone()].into_iter().flatten().collect();
    let values = read(Tensor::cat(pair, 0)).await?;
    let mut values = values.into_iter();
    let loss_d = losses.discriminator.map(|_| values.next().unwrap_or(f32::NAN));
    let loss_g = losses.generator.map(|_| values.next().unwrap_or(f32::NAN));
    let view_flat = match view {
        Some(t) => Some(read(t).await?),
        None => None,
    };
    let mut guard = engine.borrow_mut();
    let e = guard.as_mut().filter(|e| e.generation == generation).ok_or("the model was replaced")?;
    let previous = e.history.last().copied();
    e.record(LossPoint {
        step: steps,
        discriminator: loss_d.or(previous.map(|p| p.discriminator)).unwrap_or(f32::NAN),
        generator: loss_g.or(previous.map(|p| p.generator)).unwrap_or(f32::NAN),
    });
    Ok(Progress {
        run: 0,
        steps,
        loss_d,
        loss_g,
        view: view_flat.map(|f| e.view_from(&f)),
        steps_per_sec: None,
        diverged: divergence_message(steps, loss_d.unwrap_or(0.0), loss_g.unwrap_or(0.0)),
        blocking_ms,
    })
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
    Ok(e.view_from(&flat))
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
