//! The training loop and one-off steps, wherever they run (on the page, or in the training
//! worker): queue updates on the device, read losses and the view back asynchronously (one
//! read-back per frame), and hand each [`Frame`] to a [`FrameSink`]. It runs on
//! [`event_loop`](crate::event_loop), so its unit tests run it on the host.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::tensor::Tensor;

use crate::engine::Engine;
use crate::event_loop::{now_ms, read_back, spawn, yield_now};
use crate::pacer::Pacer;
use crate::protocol::{Frame, RunId, StepKind};
use crate::rate_meter::RateMeter;
use crate::view_clock::ViewClock;

pub type SharedEngine = Rc<RefCell<Option<Engine>>>;

/// Where a run's frames go: into the page's models (training on the page), or to the page as
/// messages (training in the worker).
pub trait FrameSink {
    fn frame(&self, run: RunId, frame: Frame);
    fn failed(&self, run: RunId, generation: u64, error: String);
    /// Training stopped (a paused loop, a finished step, a failure): every frame was handed on.
    fn ended(&self);
}

/// The model to train and, in a side-by-side comparison, run B: the same updates, the same
/// number per frame.
#[derive(Clone)]
pub struct Runs {
    pub a: SharedEngine,
    pub b: Option<SharedEngine>,
}

/// A running training loop; dropping the handle stops it before its next frame.
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
pub fn start_loop(runs: Runs, sink: Rc<dyn FrameSink>) -> LoopHandle {
    let alive = Rc::new(Cell::new(true));
    spawn(training_loop(runs, sink, alive.clone()));
    LoopHandle { alive }
}

async fn training_loop(runs: Runs, sink: Rc<dyn FrameSink>, alive: Rc<Cell<bool>>) {
    let mut pacer = Pacer::default();
    let mut view_clock = ViewClock::default();
    let mut rate = RateMeter::default();
    let mut companion = runs.b.clone();
    // The previous frame (start, steps, whether it read a view), timed to this frame's start: a
    // view's cost includes redrawing the page, which happens while the loop yields.
    let mut previous: Option<(f64, usize, bool)> = None;
    while alive.get() {
        let started = now_ms();
        if let Some((at, steps, had_view)) = previous {
            view_clock.record(at, steps, started - at, had_view);
        }
        let want_view = view_clock.due(started);
        let generation = generation_of(&runs.a);
        let count = pacer.steps();
        let result = advance_and_read(&runs.a, StepKind::Full, count, want_view).await;
        if let Some(b) = &companion
            && !advance_companion(b, &*sink, StepKind::Full, count, want_view).await
        {
            companion = None;
        }
        if !alive.get() {
            break;
        }
        let mut frame = match result {
            Ok(frame) => frame,
            Err(e) => {
                sink.failed(RunId::A, generation, e);
                return sink.ended();
            }
        };
        pacer.record(frame.blocking_ms, now_ms() - started);
        previous = Some((started, count, want_view));
        frame.steps_per_sec = Some(rate.record(now_ms(), frame.steps));
        let diverged = frame.diverged.is_some();
        sink.frame(RunId::A, frame);
        if diverged {
            return sink.ended();
        }
        yield_now().await;
    }
    // Paused: the last frames' steps may not have been shown (views come a few times a second),
    // so show the models as they now are.
    for (run, engine) in [(RunId::A, Some(runs.a)), (RunId::B, companion)] {
        if let Some(frame) = engine.as_ref().and_then(view_frame)
            && let Ok(frame) = frame.await
        {
            sink.frame(run, frame);
        }
    }
    sink.ended();
}

fn generation_of(engine: &SharedEngine) -> u64 {
    engine.borrow().as_ref().map_or(0, |e| e.generation)
}

/// Advances the companion as the main model was advanced. Returns whether it can go on.
async fn advance_companion(
    b: &SharedEngine,
    sink: &dyn FrameSink,
    kind: StepKind,
    count: usize,
    want_view: bool,
) -> bool {
    let generation = generation_of(b);
    match advance_and_read(b, kind, count, want_view).await {
        Ok(frame) => {
            let diverged = frame.diverged.is_some();
            sink.frame(RunId::B, frame);
            !diverged
        }
        Err(e) => {
            sink.failed(RunId::B, generation, e);
            false
        }
    }
}

/// One update of `kind` (the Step, D step and G step buttons) of the model and its companion,
/// then their losses and views.
pub fn step_once(runs: Runs, kind: StepKind, sink: Rc<dyn FrameSink>) {
    spawn(async move {
        let generation = generation_of(&runs.a);
        let result = advance_and_read(&runs.a, kind, 1, true).await;
        if let Some(b) = &runs.b {
            advance_companion(b, &*sink, kind, 1, true).await;
        }
        match result {
            Ok(frame) => sink.frame(RunId::A, frame),
            Err(e) => sink.failed(RunId::A, generation, e),
        }
        sink.ended();
    });
}

/// Reads the current models' views back, without training.
pub fn refresh_view(runs: Runs, sink: Rc<dyn FrameSink>) {
    for (run, engine) in [(RunId::A, Some(runs.a)), (RunId::B, runs.b)] {
        let sink = sink.clone();
        if let Some(frame) = engine.as_ref().and_then(view_frame) {
            spawn(async move {
                if let Ok(frame) = frame.await {
                    sink.frame(run, frame);
                }
            });
        }
    }
}

/// The model's view as it now is, queued now and read back when awaited.
fn view_frame(
    engine: &SharedEngine,
) -> Option<impl std::future::Future<Output = Result<Frame, String>> + use<>> {
    let (generation, steps, revision, tensor) = engine.borrow().as_ref().map(|e| {
        (
            e.generation,
            e.session.steps(),
            e.view_revision,
            e.view_tensor(),
        )
    })?;
    Some(async move {
        Ok(Frame {
            generation,
            steps,
            losses: [None, None],
            view: Some((revision, read_back(tensor).await?)),
            steps_per_sec: None,
            diverged: None,
            blocking_ms: 0.0,
        })
    })
}

/// Queues `count` updates, then reads the losses (and the view if asked) back asynchronously.
async fn advance_and_read(
    engine: &SharedEngine,
    kind: StepKind,
    count: usize,
    want_view: bool,
) -> Result<Frame, String> {
    let started = now_ms();
    let (generation, losses, view, steps) = {
        let mut guard = engine.borrow_mut();
        let e = guard.as_mut().ok_or("no model to train")?;
        let losses = e.advance(kind, count);
        let view = want_view.then(|| (e.view_revision, e.view_tensor()));
        (e.generation, losses, view, e.session.steps())
    };
    let blocking_ms = now_ms() - started;
    // Losses first, then the view: one read-back (one wait for the device) per frame.
    let pieces: Vec<Tensor<1>> = [
        losses.first.clone(),
        losses.second.clone(),
        view.as_ref().map(|(_, t)| t.clone()),
    ]
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
    let diverged = engine
        .borrow()
        .as_ref()
        .filter(|e| e.generation == generation)
        .ok_or("the model was replaced")?
        .divergence(steps, [first, second]);
    Ok(Frame {
        generation,
        steps,
        losses: [first, second],
        view: view.map(|(revision, _)| (revision, view_values.to_vec())),
        steps_per_sec: None,
        diverged,
        blocking_ms,
    })
}

/// Draws one sample for `noise` (and `label`, for conditional models) with the current model and
/// reads it back; `done` gets the engine's generation and the pixels.
pub fn generate_one(
    engine: SharedEngine,
    noise: Vec<f32>,
    label: Option<usize>,
    done: impl FnOnce(u64, Vec<f32>) + 'static,
) {
    spawn(async move {
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
            done(generation, pixels);
        }
    });
}

#[cfg(test)]
mod tests;
