//! The training worker: the page's own wasm module in its second role, in a dedicated worker,
//! so that training never blocks the page's thread. It rebuilds the page's models from weight
//! files, trains them with the page's loop, and sends frames, weights and accuracies back.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ganplay_model::weights::{Precision, WeightFile};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::backend::{BackendKind, device_for};
use crate::browser::now_ms;
use crate::engine::{Engine, trains_on_digits};
use crate::features::saved_run::KEEP_EVERY_MS;
use crate::protocol::{Command, Event, Frame, ModelSpec, RunId, Work, decode, encode};
use crate::runner::{self, FrameSink, Runs, SharedEngine};
use crate::weight_sync::{Due, WeightSync};
use crate::worker_models::WorkerModels;
use crate::{digits, weights_io};

thread_local! {
    static WORKER: RefCell<WorkerModels> = RefCell::default();
}

/// Listens for the page's commands and says so.
pub fn start() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        match decode::<Command>(&Uint8Array::new(&event.data()).to_vec()) {
            Ok(command) => handle(command),
            Err(e) => post(&Event::Refused(e)),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker listens for as long as it lives.
    on_message.forget();
    post(&Event::Ready);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(event: &Event) {
    let bytes = Uint8Array::from(encode(event).as_slice());
    let transfer = js_sys::Array::of1(&bytes.buffer());
    if let Err(e) = scope().post_message_with_transfer(&bytes, &transfer) {
        web_sys::console::error_2(&"the training worker could not post".into(), &e);
    }
}

fn handle(command: Command) {
    match command {
        Command::Train {
            backend,
            work,
            runs,
        } => {
            let ticket = WORKER.with(|w| w.borrow_mut().begin());
            spawn_local(async move {
                let backend = BackendKind::from_id(&backend).unwrap_or(BackendKind::Cpu);
                match prepare(backend, runs).await {
                    Ok((runs, sink)) => train(runs, work, sink, ticket),
                    Err(e) => post(&Event::Refused(e)),
                }
            });
        }
        Command::Configure {
            run,
            generation,
            view,
        } => WORKER.with(|w| w.borrow().configure(run, generation, view)),
        Command::Stop => {
            WORKER.with(|w| w.borrow_mut().begin());
        }
    }
}

/// The models to train: the worker's own when it trained them last and the page has not
/// changed them since (their optimiser state goes on), otherwise rebuilt from the weights.
async fn prepare(
    backend: BackendKind,
    specs: Vec<(RunId, ModelSpec)>,
) -> Result<(Runs, Rc<WorkerSink>), String> {
    let mut a = None;
    let mut b = None;
    let mut sent = Vec::new();
    for (run, spec) in specs {
        let (engine, kept) = WORKER.with(|w| {
            let w = w.borrow();
            (w.slot(run), w.keeps(run, &spec))
        });
        if !kept {
            *engine.borrow_mut() = Some(rebuild(backend, &spec).await?);
        }
        sent.push((run, engine.clone(), spec.dataset));
        match run {
            RunId::A => a = Some(engine),
            RunId::B => b = Some(engine),
        }
    }
    let a = a.ok_or("no model to train")?;
    let sink = WorkerSink {
        runs: sent,
        backend,
        sync: Cell::new(WeightSync::new(now_ms(), KEEP_EVERY_MS)),
    };
    Ok((Runs { a, b }, Rc::new(sink)))
}

async fn rebuild(backend: BackendKind, spec: &ModelSpec) -> Result<Engine, String> {
    let file = WeightFile::parse(&spec.weights).map_err(|e| e.to_string())?;
    let digits = if trains_on_digits(&file.config) {
        Some(digits::load().await?)
    } else {
        None
    };
    let device = device_for(backend).await?;
    let mut engine = Engine::with_weights(
        &file,
        spec.toy.clone(),
        spec.view.class,
        spec.fresh,
        digits.as_ref(),
        &device,
    )?;
    if !spec.optimizer.is_empty()
        && let Err(e) = engine.session.load_optimizer_state(&spec.optimizer)
    {
        web_sys::console::warn_1(&format!("{e}; the optimiser's moments restart").into());
    }
    // Frames are known to the page by its model's generation.
    engine.generation = spec.generation;
    engine.follow_view(spec.view);
    Ok(engine)
}

fn train(runs: Runs, work: Work, sink: Rc<WorkerSink>, ticket: u64) {
    // A stop (or other work) came while the models were prepared: hand them back untrained.
    if !WORKER.with(|w| w.borrow().is_current(ticket)) {
        return sink.ended();
    }
    match work {
        Work::Live => {
            let handle = runner::start_loop(runs, sink);
            WORKER.with(|w| w.borrow_mut().keep_running(handle));
        }
        Work::Once(kind) => runner::step_once(runs, kind, sink),
    }
}

/// Sends a run's frames to the page, with the model's weights and optimiser state as
/// [`WeightSync`] schedules them and when training stops.
struct WorkerSink {
    runs: Vec<(RunId, SharedEngine, String)>,
    backend: BackendKind,
    sync: Cell<WeightSync>,
}

impl WorkerSink {
    fn engine(&self, run: RunId) -> Option<&SharedEngine> {
        self.runs
            .iter()
            .find(|(r, ..)| *r == run)
            .map(|(_, e, _)| e)
    }

    /// Posts the weights of every run, run A's last (so its `last` message ends the hand-back),
    /// with their optimiser state when `last`, and run A's when `with_state` (the run the page
    /// keeps).
    fn send_weights(&self, last: bool, with_state: bool) {
        let snapshots: Vec<_> = self
            .runs
            .iter()
            .rev()
            .filter_map(|(run, engine, dataset)| {
                let engine = engine.borrow();
                let e = engine.as_ref()?;
                let (snapshot, _) = weights_io::snapshot(&e.session, dataset, self.backend.id());
                let optimizer =
                    (last || (with_state && *run == RunId::A)).then(|| e.session.optimizer_state());
                Some((*run, e.generation, snapshot, optimizer))
            })
            .collect();
        spawn_local(async move {
            for (run, generation, snapshot, optimizer) in snapshots {
                let read = async {
                    let bytes = snapshot.to_bytes(Precision::F32).await?;
                    let optimizer = match optimizer {
                        Some(state) => Some(state.to_bytes(Precision::F32).await?),
                        None => None,
                    };
                    Ok::<_, ganplay_model::weights::WeightError>((bytes, optimizer))
                };
                match read.await {
                    Ok((bytes, optimizer)) => post(&Event::Weights {
                        run,
                        generation,
                        bytes,
                        optimizer,
                        last,
                    }),
                    Err(e) => post(&Event::Failed(run, generation, e.to_string())),
                }
            }
        });
    }

    /// Semi-supervised models: measures the test accuracy when due, on the worker's copy (which
    /// has the labels-only twin).
    fn measure_accuracy(&self, run: RunId) {
        let Some(engine) = self.engine(run).cloned() else {
            return;
        };
        let due = engine
            .borrow_mut()
            .as_mut()
            .and_then(|e| Some((e.generation, e.session.steps(), e.accuracy_due()?)));
        let Some((generation, steps, due)) = due else {
            return;
        };
        match due {
            Ok((step, pending)) => spawn_local(async move {
                let result = pending.read().await.map_err(|e| e.to_string());
                if let Some(e) = engine.borrow_mut().as_mut() {
                    e.accuracy_pending = false;
                }
                post(&Event::Accuracy {
                    generation,
                    step,
                    result,
                });
            }),
            Err(why) => post(&Event::Accuracy {
                generation,
                step: steps,
                result: Err(why),
            }),
        }
    }
}

impl FrameSink for WorkerSink {
    fn frame(&self, run: RunId, frame: Frame) {
        let with_view = frame.view.is_some();
        post(&Event::Frame(run, frame));
        if with_view {
            self.measure_accuracy(run);
            if run == RunId::A {
                let mut sync = self.sync.get();
                let due = sync.due(now_ms());
                self.sync.set(sync);
                match due {
                    Due::Nothing => {}
                    Due::Weights => self.send_weights(false, false),
                    Due::WeightsAndState => self.send_weights(false, true),
                }
            }
        }
    }

    fn failed(&self, run: RunId, generation: u64, error: String) {
        post(&Event::Failed(run, generation, error));
    }

    fn ended(&self) {
        self.send_weights(true, true);
    }
}
