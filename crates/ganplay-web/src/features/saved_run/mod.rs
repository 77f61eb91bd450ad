//! Runs that survive a reload: the model is kept in the browser every few seconds while it
//! trains and whenever training pauses; on opening, the page offers to continue it.

use ganplay_model::weights::Precision;
use yew::prelude::*;

mod banner;
mod idb;
mod store;

pub use store::KEEP_EVERY_MS;
use store::{Curves, SavedRun};

use crate::app::{App, Msg, Training};
use crate::browser::now_ms;
use crate::weights_io;

/// The page's side of the kept run.
#[derive(Default)]
pub(crate) struct RunKeeping {
    /// The run found on opening, until the user answers or trains something else.
    pub offer: Option<SavedRun>,
    /// Its curves and optimiser state, waiting for its weights to become the model.
    resuming: Option<(Curves, Vec<u8>)>,
    saving: bool,
    last_save_ms: f64,
    /// The step last kept, for the weights panel.
    pub saved_steps: Option<u64>,
}

pub enum RunMsg {
    Found(Result<Option<SavedRun>, String>),
    Resume,
    Discard,
    Discarded(Result<(), String>),
    Saved(Result<u64, String>),
}

impl App {
    /// Looks for a run kept by an earlier visit.
    pub(crate) fn look_for_saved_run(ctx: &Context<Self>) {
        ctx.link()
            .send_future(async { Msg::Run(RunMsg::Found(store::load().await)) });
    }

    pub(crate) fn run_message(&mut self, ctx: &Context<Self>, msg: RunMsg) {
        match msg {
            RunMsg::Found(Ok(found)) => self.kept.offer = found,
            // Without storage the page works as before, it just cannot keep runs.
            RunMsg::Found(Err(e)) => log(&format!("no kept run could be read: {e}")),
            RunMsg::Resume => self.resume_saved_run(ctx),
            // The offer stays until the run is gone from storage, so a reload right after the
            // click cannot bring it back.
            RunMsg::Discard => ctx
                .link()
                .send_future(async { Msg::Run(RunMsg::Discarded(store::discard().await)) }),
            RunMsg::Discarded(result) => {
                self.kept.offer = None;
                if let Err(e) = result {
                    self.error = Some(format!(
                        "The kept run could not be dropped ({e}): it will be offered again on the next visit."
                    ));
                }
            }
            RunMsg::Saved(result) => {
                self.kept.saving = false;
                match result {
                    Ok(steps) => {
                        self.kept.saved_steps = Some(steps);
                        self.kept.offer = None;
                    }
                    Err(e) => {
                        self.error = Some(format!(
                            "The run could not be kept for a reload: {e}. Download its weights to keep them."
                        ))
                    }
                }
            }
        }
    }

    fn resume_saved_run(&mut self, ctx: &Context<Self>) {
        let Some(run) = self.kept.offer.take() else {
            return;
        };
        self.kept.resuming = Some((run.curves.clone(), run.optimizer.clone()));
        self.load_weights(ctx, async move {
            let file = weights_io::parse(&run.weights, "The kept run")?;
            Ok((file, "the kept run".to_string()))
        });
    }

    /// After a weight file became the model: a resumed run gets its curves and its optimiser
    /// state back. Returns whether the state came back (one that does not load leaves Adam's
    /// moments to restart, and says so).
    pub(crate) fn restore_kept_run(&mut self, loaded: bool) -> bool {
        let Some((curves, optimizer)) = self.kept.resuming.take() else {
            return false;
        };
        let mut engine = self.engine.borrow_mut();
        let Some(engine) = engine.as_mut().filter(|_| loaded) else {
            return false;
        };
        curves.restore(engine);
        if optimizer.is_empty() {
            return false;
        }
        match engine.session.load_optimizer_state(&optimizer) {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(format!(
                    "The kept run's optimiser state was not restored ({e}): Adam's moments restart."
                ));
                false
            }
        }
    }

    /// Called on every read-back: keeps a run training on the page every [`KEEP_EVERY_MS`]. A
    /// run in the worker is kept when the worker sends its optimiser state, as often.
    pub(crate) fn keep_while_training(&mut self, ctx: &Context<Self>) {
        if matches!(self.activity.training(), Some(Training::Page(_)))
            && now_ms() - self.kept.last_save_ms >= KEEP_EVERY_MS
        {
            self.keep_run(ctx, None);
        }
    }

    /// Training starts: the first save comes one period later, and an unanswered offer is
    /// dropped (the next save replaces that run).
    pub(crate) fn training_started(&mut self) {
        self.kept.last_save_ms = now_ms();
        self.kept.offer = None;
    }

    /// Keeps the current model, its step, its optimiser state (`optimizer`, as the worker sent
    /// it with these weights, or else the page's own) and its curves in the browser.
    pub(crate) fn keep_run(&mut self, ctx: &Context<Self>, optimizer: Option<Vec<u8>>) {
        // Weights that produce NaN would be refused on loading; the last good ones stay kept.
        let diverged = self.readout.losses.iter().flatten().any(|l| !l.is_finite());
        if self.kept.saving || diverged {
            return;
        }
        let backend = self.backend.map_or("cpu", |b| b.id());
        let taken = self
            .engine
            .borrow()
            .as_ref()
            .filter(|e| e.can_train())
            .map(|engine| {
                let (snapshot, _) =
                    weights_io::snapshot(&engine.session, self.state.dataset.id(), backend);
                let state = optimizer
                    .is_none()
                    .then(|| engine.session.optimizer_state());
                let model = engine.session.config().model_id().to_string();
                (
                    snapshot,
                    state,
                    engine.session.steps(),
                    model,
                    Curves::of(engine),
                )
            });
        let Some((snapshot, state, steps, model, curves)) = taken else {
            return;
        };
        self.kept.saving = true;
        self.kept.last_save_ms = now_ms();
        ctx.link().send_future(async move {
            let kept = async {
                let weights = snapshot
                    .to_bytes(Precision::F32)
                    .await
                    .map_err(|e| e.to_string())?;
                let optimizer = match state {
                    Some(state) => state
                        .to_bytes(Precision::F32)
                        .await
                        .map_err(|e| e.to_string())?,
                    None => optimizer.unwrap_or_default(),
                };
                let run = SavedRun {
                    weights,
                    optimizer,
                    model,
                    steps,
                    saved_at: String::from(js_sys::Date::new_0().to_iso_string()),
                    curves,
                };
                store::save(&run).await.map(|()| steps)
            };
            Msg::Run(RunMsg::Saved(kept.await))
        });
    }

    /// The offer to continue the run found on opening.
    pub(crate) fn view_saved_run_offer(&self, link: &html::Scope<Self>) -> Html {
        let offer = self
            .kept
            .offer
            .as_ref()
            .map(|r| (r.model.clone(), r.steps, r.saved_at.clone()));
        html! {
            <banner::SavedRunBanner {offer}
                on_resume={link.callback(|_| Msg::Run(RunMsg::Resume))}
                on_discard={link.callback(|_| Msg::Run(RunMsg::Discard))} />
        }
    }
}

fn log(message: &str) {
    web_sys::console::warn_1(&message.into());
}
