//! Training in the worker: the page hands its model (and run B) over as weight files, shows the
//! frames that come back, and takes the weights back every second and when training stops.
//! Without a worker (`?worker=0`, or one that failed), the same loop runs on the page.

use std::cell::Cell;
use std::rc::Rc;

use ganplay_model::weights::{Precision, WeightError};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{App, Msg};
use crate::engine::Parts;
use crate::features::few_labels::AccuracyMeasured;
use crate::protocol::{Command, Event, ModelSpec, RunId, Work};
use crate::runner::{FrameSink, LoopHandle};
use crate::worker_link::WorkerLink;
use crate::{url_state, weights_io};

/// Where the live loop runs; dropping it stops training.
#[allow(
    dead_code,
    reason = "the handles are held, never read: dropping one stops training"
)]
pub(crate) enum Training {
    Page(LoopHandle),
    Worker(RemoteRun),
}

/// Training in the worker: dropping it stops the worker's loop, or, while the models are still
/// being handed over, keeps them from being sent.
pub(crate) struct RemoteRun {
    link: WorkerLink,
    sent: Rc<Cell<bool>>,
    cancelled: Rc<Cell<bool>>,
}

impl Drop for RemoteRun {
    fn drop(&mut self) {
        if self.sent.get() {
            self.link.send(Command::Stop);
        } else {
            self.cancelled.set(true);
        }
    }
}

impl App {
    /// Starts the training worker, unless the link asks for training on the page
    /// (`?worker=0`).
    pub(crate) fn spawn_worker(&mut self, ctx: &Context<Self>) {
        if url_state::get("worker").as_deref() == Some("0") {
            return;
        }
        let link = ctx.link();
        match WorkerLink::spawn(link.callback(Msg::Worker), link.callback(Msg::WorkerLost)) {
            Ok(worker) => self.worker = Some(worker),
            Err(e) => log(&format!(
                "no training worker ({e}); training runs on the page"
            )),
        }
    }

    /// Hands the model (and run B) to the worker for `work`. `false` when there is no worker:
    /// the caller trains on the page.
    pub(crate) fn train_in_worker(&mut self, ctx: &Context<Self>, work: Work) -> bool {
        let Some(link) = self.worker.clone() else {
            return false;
        };
        let dataset = self.state.dataset.id().to_string();
        let backend = self.backend.map_or("cpu", |b| b.id()).to_string();
        let runs = self.runs();
        let mut handed = Vec::new();
        for (run, engine) in [(RunId::A, Some(runs.a)), (RunId::B, runs.b)] {
            let Some(engine) = engine else { continue };
            let mut engine = engine.borrow_mut();
            let Some(e) = engine.as_mut() else { continue };
            e.trained_elsewhere = true;
            let (snapshot, _) = weights_io::snapshot(&e.session, &dataset, &backend);
            let optimizer = e.session.optimizer_state();
            let spec = ModelSpec {
                generation: e.generation,
                steps: e.session.steps(),
                weights: Vec::new(),
                optimizer: Vec::new(),
                toy: match &e.parts {
                    Parts::Toy(p) => Some(p.data.clone()),
                    Parts::Image(_) => None,
                },
                fresh: e.origin == "new" && e.session.steps() == 0,
                dataset: dataset.clone(),
                view: e.view_settings(),
            };
            handed.push((run, spec, snapshot, optimizer));
        }
        let Some(generation) = handed.first().map(|(_, spec, ..)| spec.generation) else {
            return false;
        };
        self.activity.hand_to_worker(generation, work);
        let sent = Rc::new(Cell::new(false));
        let cancelled = Rc::new(Cell::new(false));
        let idle = ctx.link().callback(Msg::WorkerIdle);
        let lost = ctx.link().callback(Msg::WorkerLost);
        {
            let (link, sent, cancelled) = (link.clone(), sent.clone(), cancelled.clone());
            spawn_local(async move {
                let mut runs = Vec::new();
                for (run, mut spec, snapshot, optimizer) in handed {
                    let read = async {
                        spec.weights = snapshot.to_bytes(Precision::F32).await?;
                        spec.optimizer = optimizer.to_bytes(Precision::F32).await?;
                        Ok::<_, WeightError>(())
                    };
                    if let Err(e) = read.await {
                        return lost.emit(format!("the model could not be read: {e}"));
                    }
                    runs.push((run, spec));
                }
                if cancelled.get() {
                    return idle.emit(generation);
                }
                link.send(Command::Train {
                    backend,
                    work,
                    runs,
                });
                sent.set(true);
            });
        }
        if work == Work::Live {
            self.activity.train(Training::Worker(RemoteRun {
                link,
                sent,
                cancelled,
            }));
        }
        true
    }

    /// Tells the worker about other view settings of the model it trains.
    pub(crate) fn configure_worker(&self) {
        let (Some(link), Some(Training::Worker(_))) = (&self.worker, self.activity.training())
        else {
            return;
        };
        if let Some(e) = self.engine.borrow().as_ref() {
            link.send(Command::Configure {
                run: RunId::A,
                generation: e.generation,
                view: e.view_settings(),
            });
        }
    }

    pub(crate) fn worker_event(&mut self, ctx: &Context<Self>, event: Event) {
        match event {
            Event::Ready => {}
            Event::Refused(why) => {
                log(&format!(
                    "the training worker refused the model ({why}); training runs on the page"
                ));
                self.worker = None;
                self.resume_on_page(ctx);
            }
            Event::Frame(run, frame) => self.sink.frame(run, frame),
            Event::Failed(run, generation, e) => {
                if run == RunId::A {
                    self.deferred = None;
                    self.worker_done(generation);
                }
                self.sink.failed(run, generation, e);
            }
            Event::Weights {
                run,
                generation,
                bytes,
                optimizer,
                last,
            } => self.weights_back(ctx, run, generation, &bytes, optimizer.as_deref(), last),
            Event::Accuracy {
                generation,
                step,
                result,
            } => self.accuracy_measured(AccuracyMeasured(generation, step, result)),
        }
    }

    /// The worker sent a model's weights: the page's copy takes them, and the optimiser state
    /// once training stopped (or none: the page's copy never holds moments of other weights).
    /// While training, weights that come with the state are kept for a reload; after the last,
    /// the hand-back is over, and a paused run is kept.
    fn weights_back(
        &mut self,
        ctx: &Context<Self>,
        run: RunId,
        generation: u64,
        bytes: &[u8],
        optimizer: Option<&[u8]>,
        last: bool,
    ) {
        let engine = match run {
            RunId::A => &self.engine,
            RunId::B => &self.side_by_side.engine,
        };
        let loaded = engine
            .borrow_mut()
            .as_mut()
            .filter(|e| e.generation == generation)
            .map(|e| {
                let file = weights_io::parse(bytes, "The trained model")?;
                // An older copy arriving late never replaces a newer one.
                if file.facts.steps >= e.session.steps() {
                    e.session.load_weights(&file).map_err(|e| e.to_string())?;
                    e.session.clear_optimizer_state();
                    // Only the last state is read here (once, not every ten seconds): it is the
                    // one the page's copy trains on if the worker goes.
                    if let (true, Some(state)) = (last, optimizer) {
                        e.session
                            .load_optimizer_state(state)
                            .map_err(|e| e.to_string())?;
                    }
                }
                Ok::<_, String>(())
            });
        // A diverged model's weights hold NaN and are refused: the page keeps the last finite
        // ones, and the divergence stays the message shown.
        if let Some(Err(e)) = &loaded {
            self.error.get_or_insert(e.clone());
        }
        // The state that came with weights the page took is kept as it came, not read back.
        let state = optimizer
            .filter(|_| matches!(loaded, Some(Ok(()))))
            .map(<[u8]>::to_vec);
        if last && run == RunId::A {
            let work = self.activity.held().map(|h| h.work);
            self.worker_idle(ctx, generation);
            if self.activity.held().is_none() && work == Some(Work::Live) {
                self.keep_run(ctx, state);
            }
        } else if let (RunId::A, Some(state), Some(Training::Worker(_))) =
            (run, state, self.activity.training())
        {
            self.keep_run(ctx, Some(state));
        }
    }

    /// The worker handed the model of `generation` back: what waited for it goes on.
    pub(crate) fn worker_idle(&mut self, ctx: &Context<Self>, generation: u64) {
        if !self.worker_done(generation) {
            return;
        }
        if std::mem::take(&mut self.weights.download_when_back) {
            self.download_weights(ctx);
        }
        if let Some(msg) = self.deferred.take() {
            ctx.link().send_message(msg);
        }
    }

    /// Ends the hand-back of `generation`; `false` if it was not the one under way.
    fn worker_done(&mut self, generation: u64) -> bool {
        self.activity.worker_done(generation).is_some()
    }

    /// The worker stopped: training goes on on the page, from the last weights it sent.
    pub(crate) fn worker_lost(&mut self, ctx: &Context<Self>, why: String) {
        self.worker = None;
        if self.activity.held().is_some() {
            self.error = Some(format!(
                "The training worker stopped ({why}). Training now runs on the page, from the model's last weights."
            ));
        } else {
            log(&format!(
                "the training worker stopped ({why}); training runs on the page"
            ));
        }
        self.resume_on_page(ctx);
    }

    /// Does on the page what the worker was asked to do.
    fn resume_on_page(&mut self, ctx: &Context<Self>) {
        let Some(work) = self.activity.worker_lost() else {
            return;
        };
        if let Some(msg) = self.deferred.take() {
            ctx.link().send_message(msg);
        }
        match work {
            Work::Live if matches!(self.activity.training(), Some(Training::Worker(_))) => {
                self.activity.stop_training();
                self.start_training(ctx);
            }
            Work::Live => {}
            Work::Once(kind) => self.step_once(ctx, kind),
        }
    }
}

fn log(message: &str) {
    web_sys::console::warn_1(&message.into());
}
