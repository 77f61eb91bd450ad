//! The live training loop and one-off steps: queue updates on the device, read losses and the
//! view back asynchronously (one read-back per frame), and report [`Progress`].

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use burn::tensor::Tensor;
use ganplay_model::{Losses, divergence_message};
use wasm_bindgen_futures::spawn_local;
use yew::Callback;

use crate::browser::{now_ms, read_back, yield_to_browser};
use crate::engine::{Engine, LossPoint, StepKind, View};
use crate::pacer::Pacer;
use crate::view_clock::ViewClock;

pub type SharedEngine = Rc<RefCell<Option<Engine>>>;

/// What one read-back brings to the page.
pub struct Progress {
    /// The engine it belongs to; results for a replaced model are dropped.
    pub generation: u64,
    pub steps: u64,
    /// Discriminator and generator losses (GANs), reconstruction and KL terms (VAEs).
    pub losses: [Option<f32>; 2],
    pub view: Option<View>,
    pub steps_per_sec: Option<f64>,
    pub diverged: Option<String>,
    /// Time the page was blocked queuing the steps.
    blocking_ms: f64,
}

/// Where a run reports to.
#[derive(Clone)]
pub struct Reports {
    pub progress: Callback<Progress>,
    /// The generation and why reading back failed.
    pub failed: Callback<(u64, String)>,
}

/// A second model trained in lockstep with the first (side-by-side runs): the same updates, the
/// same number per frame, with its own reports.
#[derive(Clone)]
pub struct Companion {
    pub engine: SharedEngine,
    pub reports: Reports,
}

/// A running training loop; dropping the handle stops it before its next report.
pub struct LoopHandle {
    alive: Rc<Cell<bool>>,
}

impl Drop for LoopHandle {
    fn drop(&mut self) {
        self.alive.set(false);
    }
}

/// Trains until the handle is dropped, adapting the steps per frame to the frame budget and
/// yielding to the browser between frames.
pub fn start_loop(
    engine: SharedEngine,
    reports: Reports,
    companion: Option<Companion>,
) -> LoopHandle {
    let alive = Rc::new(Cell::new(true));
    spawn_local(training_loop(engine, reports, companion, alive.clone()));
    LoopHandle { alive }
}

async fn training_loop(
    engine: SharedEngine,
    reports: Reports,
    mut companion: Option<Companion>,
    alive: Rc<Cell<bool>>,
) {
    let mut pacer = Pacer::default();
    let mut view_clock = ViewClock::default();
    let mut rate = RateMeter::default();
    // The previous frame (start, steps, whether it read a view), timed to this frame's start: a
    // view's cost includes redrawing the page, which happens while the loop yields.
    let mut previous: Option<(f64, usize, bool)> = None;
    while alive.get() {
        let started = now_ms();
        if let Some((at, steps, had_view)) = previous {
            view_clock.record(at, steps, started - at, had_view);
        }
        let want_view = view_clock.due(started);
        let generation = engine.borrow().as_ref().map_or(0, |e| e.generation);
        let count = pacer.steps();
        let result = advance_and_read(&engine, StepKind::Full, count, want_view).await;
        if let Some(c) = &companion
            && !advance_companion(c, StepKind::Full, count, want_view).await
        {
            companion = None;
        }
        if !alive.get() {
            break;
        }
        let mut p = match result {
            Ok(p) => p,
            Err(e) => return reports.failed.emit((generation, e)),
        };
        pacer.record(p.blocking_ms, now_ms() - started);
        previous = Some((started, count, want_view));
        p.steps_per_sec = Some(rate.record(now_ms(), p.steps));
        // The page re-renders only with new samples (a few times a second), not every frame.
        let diverged = p.diverged.is_some();
        if want_view || diverged {
            reports.progress.emit(p);
        }
        if diverged {
            return;
        }
        yield_to_browser().await;
    }
    // Paused: the last frames' steps may not have been shown (views come a few times a second),
    // so show the models as they now are.
    refresh_view(engine, reports.progress);
    if let Some(c) = companion {
        refresh_view(c.engine, c.reports.progress);
    }
}

/// Advances the companion as the main model was advanced, and reports when a view was read (or
/// training diverged). Returns whether it can go on.
async fn advance_companion(c: &Companion, kind: StepKind, count: usize, want_view: bool) -> bool {
    let generation = c.engine.borrow().as_ref().map_or(0, |e| e.generation);
    match advance_and_read(&c.engine, kind, count, want_view).await {
        Ok(p) => {
            let diverged = p.diverged.is_some();
            if want_view || diverged {
                c.reports.progress.emit(p);
            }
            !diverged
        }
        Err(e) => {
            c.reports.failed.emit((generation, e));
            false
        }
    }
}

/// One update of `kind` (the Step, D step and G step buttons) of the model and its companion,
/// then their losses and views.
pub fn step_once(
    engine: SharedEngine,
    kind: StepKind,
    reports: Reports,
    companion: Option<Companion>,
) {
    spawn_local(async move {
        let generation = engine.borrow().as_ref().map_or(0, |e| e.generation);
        let result = advance_and_read(&engine, kind, 1, true).await;
        if let Some(c) = &companion {
            advance_companion(c, kind, 1, true).await;
        }
        match result {
            Ok(p) => reports.progress.emit(p),
            Err(e) => reports.failed.emit((generation, e)),
        }
    });
}

/// Reads the current model's samples back, without training.
pub fn refresh_view(engine: SharedEngine, progress: Callback<Progress>) {
    spawn_local(async move {
        let Some((generation, steps, tensor)) = engine
            .borrow()
            .as_ref()
            .map(|e| (e.generation, e.session.steps(), e.view_tensor()))
        else {
            return;
        };
        let Ok(flat) = read_back(tensor).await else {
            return;
        };
        let view = engine
            .borrow_mut()
            .as_mut()
            .filter(|e| e.generation == generation)
            .map(|e| {
                let view = e.view_from(&flat);
                if let Ok(view) = &view {
                    e.record_view(steps, view);
                }
                view
            });
        if let Some(Ok(view)) = view {
            progress.emit(Progress {
                generation,
                steps,
                losses: [None, None],
                view: Some(view),
                steps_per_sec: None,
                diverged: None,
                blocking_ms: 0.0,
            });
        }
    });
}

/// Queues `count` updates, then reads the losses (and the view if asked) back asynchronously.
async fn advance_and_read(
    engine: &SharedEngine,
    kind: StepKind,
    count: usize,
    want_view: bool,
) -> Result<Progress, String> {
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
    let pieces: Vec<Tensor<1>> = [losses.first.clone(), losses.second.clone(), view.clone()]
        .into_iter()
        .flatten()
        .collect();
    let values = if pieces.is_empty() {
        Vec::new()
    } else {
        read_back(Tensor::cat(pieces, 0)).await?
    };
    let loss_count = usize::from(losses.first.is_some()) + usize::from(losses.second.is_some());
    let (loss_values, view_values) = values.split_at(loss_count.min(values.len()));
    let mut loss_values = loss_values.iter().copied();
    let first = losses.first.map(|_| loss_values.next().unwrap_or(f32::NAN));
    let second = losses
        .second
        .map(|_| loss_values.next().unwrap_or(f32::NAN));
    let mut guard = engine.borrow_mut();
    let e = guard
        .as_mut()
        .filter(|e| e.generation == generation)
        .ok_or("the model was replaced")?;
    let previous = e.history.last().copied();
    if first.is_some() || second.is_some() {
        e.record(LossPoint {
            step: steps,
            first: first.or(previous.map(|p| p.first)).unwrap_or(f32::NAN),
            second: second.or(previous.map(|p| p.second)).unwrap_or(f32::NAN),
        });
    }
    let kind_of_losses = Losses::of(e.session.config());
    let read = kind_of_losses.with([first.unwrap_or(0.0), second.unwrap_or(0.0)]);
    let view = view.map(|_| e.view_from(view_values)).transpose()?;
    if let Some(view) = &view {
        e.record_view(steps, view);
    }
    Ok(Progress {
        generation,
        steps,
        losses: [first, second],
        view,
        steps_per_sec: None,
        diverged: divergence_message(steps, &read),
        blocking_ms,
    })
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
        if at_ms > t0 {
            (steps - s0) as f64 / ((at_ms - t0) / 1000.0)
        } else {
            0.0
        }
    }
}

/// Draws one sample for `noise` (and `label`, for conditional models) with the current model and
/// reads it back; `done` gets the engine's generation and the pixels.
pub fn generate_one(
    engine: SharedEngine,
    noise: Vec<f32>,
    label: Option<usize>,
    done: Callback<(u64, Vec<f32>)>,
) {
    spawn_local(async move {
        let Some((generation, tensor)) = engine.borrow().as_ref().map(|e| {
            let dim = noise.len();
            let z = e.session.tensor_from_points(noise, dim);
            let labels = label.map(|l| vec![l]);
            let image = e.session.generate_labelled(z, labels.as_deref());
            (e.generation, image.flatten::<1>(0, 1))
        }) else {
            return;
        };
        if let Ok(pixels) = read_back(tensor).await {
            done.emit((generation, pixels));
        }
    });
}
