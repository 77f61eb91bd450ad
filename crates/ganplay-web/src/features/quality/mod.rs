//! The page's synthetic-data tools on the model in training: its quality metrics (on request or
//! every few hundred steps, [`metrics`]), a labelled synthetic data set as a zip ([`export`]) and
//! the reduced augmentation benchmark ([`augment`]). Each works on a snapshot of the model taken
//! when asked, so training can go on meanwhile, and yields to the browser between chunks of work.

mod augment;
mod augment_panel;
mod classifier;
mod export;
mod metrics;
mod panel;

use std::rc::Rc;

use ganplay_model::augment_bench::{ArmSummary, RunProgress};
use yew::prelude::*;

use augment::AugmentHandle;
use augment_panel::AugmentPanel;
use export::export_zip;
use metrics::{PageMetrics, compute};
use panel::QualityPanel;

use crate::app::{App, Msg};
use crate::weights_io;

/// Steps between automatic metric computations.
const AUTO_EVERY: u64 = 500;

pub enum QualityMsg {
    Compute,
    Computed(Result<PageMetrics, String>),
    Auto(bool),
    Export(bool),
    Exported(Result<String, String>),
    AugmentStart(usize),
    AugmentProgress(RunProgress),
    AugmentDone(Result<Vec<ArmSummary>, String>),
    AugmentCancel,
}

/// What the quality panels show and what is running.
#[derive(Default)]
pub struct Quality {
    pub latest: Option<PageMetrics>,
    pub history: Rc<[(u64, f64)]>,
    pub computing: bool,
    pub auto: bool,
    next_auto: u64,
    pub exporting: bool,
    pub notice: Option<String>,
    pub augment: Option<AugmentHandle>,
    pub augment_progress: Option<RunProgress>,
    pub augment_result: Option<Rc<[ArmSummary]>>,
}

impl Quality {
    /// A new model: its metrics start over.
    pub fn forget_model(&mut self) {
        self.latest = None;
        self.history = Rc::from([]);
        self.next_auto = 0;
    }
}

impl App {
    pub(crate) fn quality_message(&mut self, ctx: &Context<Self>, msg: QualityMsg) {
        match msg {
            QualityMsg::Compute => self.compute_metrics(ctx),
            QualityMsg::Computed(result) => self.metrics_computed(result),
            QualityMsg::Auto(on) => {
                self.quality.auto = on;
                self.quality.next_auto = self.readout.steps;
                self.auto_metrics(ctx);
            }
            QualityMsg::Export(filter) => self.export(ctx, filter),
            QualityMsg::Exported(result) => {
                self.quality.exporting = false;
                match result {
                    Ok(name) => self.quality.notice = Some(format!("Saved {name}.")),
                    Err(e) => self.error = Some(format!("The samples could not be exported: {e}")),
                }
            }
            QualityMsg::AugmentStart(seeds) => self.start_augment(ctx, seeds),
            QualityMsg::AugmentProgress(p) => self.quality.augment_progress = Some(p),
            QualityMsg::AugmentDone(result) => {
                self.quality.augment = None;
                match result {
                    Ok(summary) => self.quality.augment_result = Some(summary.into()),
                    Err(e) => self.error = Some(format!("The augmentation benchmark failed: {e}")),
                }
            }
            QualityMsg::AugmentCancel => {
                self.quality.augment = None;
                self.quality.augment_progress = None;
            }
        }
    }

    /// While training with "every 500 steps" on, computes the metrics when a multiple is passed.
    pub(crate) fn auto_metrics(&mut self, ctx: &Context<Self>) {
        if self.quality.auto
            && !self.quality.computing
            && self.readout.steps >= self.quality.next_auto
        {
            self.quality.next_auto = (self.readout.steps / AUTO_EVERY + 1) * AUTO_EVERY;
            self.compute_metrics(ctx);
        }
    }

    /// Whether the current model is one the quality tools work on.
    pub(crate) fn has_image_model(&self) -> bool {
        self.device.is_some()
            && self
                .engine
                .borrow()
                .as_ref()
                .is_some_and(|e| e.session.config().image().is_some() && e.can_train())
    }

    fn snapshot(&self) -> Option<(ganplay_model::weights::Snapshot, u64)> {
        let dataset = self.state.dataset.id();
        let backend = self.backend.map_or("cpu", |b| b.id());
        self.engine.borrow().as_ref().map(|e| {
            let (snapshot, _) = weights_io::snapshot(&e.session, dataset, backend);
            (snapshot, e.session.steps())
        })
    }

    fn compute_metrics(&mut self, ctx: &Context<Self>) {
        if self.quality.computing || !self.has_image_model() {
            return;
        }
        let (Some(device), Some((snapshot, step))) = (self.device.clone(), self.snapshot()) else {
            return;
        };
        self.quality.computing = true;
        ctx.link().send_future(async move {
            Msg::Quality(QualityMsg::Computed(compute(snapshot, step, device).await))
        });
    }

    fn metrics_computed(&mut self, result: Result<PageMetrics, String>) {
        self.quality.computing = false;
        match result {
            Ok(m) => {
                let mut history: Vec<(u64, f64)> = self.quality.history.to_vec();
                history.retain(|(step, _)| *step != m.step);
                history.push((m.step, m.model.frechet));
                history.sort_by_key(|(step, _)| *step);
                self.quality.history = history.into();
                self.quality.latest = Some(m);
            }
            Err(e) => self.error = Some(format!("The metrics could not be computed: {e}")),
        }
    }

    fn export(&mut self, ctx: &Context<Self>, filter: bool) {
        if self.quality.exporting || !self.has_image_model() {
            return;
        }
        let (Some(device), Some((snapshot, _))) = (self.device.clone(), self.snapshot()) else {
            return;
        };
        self.quality.exporting = true;
        self.quality.notice = None;
        let backend = self.backend.map_or("cpu", |b| b.id()).to_string();
        ctx.link().send_future(async move {
            let result = match export_zip(snapshot, device, filter, &backend).await {
                Ok((bytes, name)) => weights_io::save_as(&bytes, &name).map(|()| name),
                Err(e) => Err(e),
            };
            Msg::Quality(QualityMsg::Exported(result))
        });
    }

    fn start_augment(&mut self, ctx: &Context<Self>, seeds: usize) {
        let Some(device) = self
            .device
            .clone()
            .filter(|_| self.quality.augment.is_none())
        else {
            return;
        };
        self.quality.augment_result = None;
        self.quality.augment_progress = None;
        let link = ctx.link();
        self.quality.augment = Some(augment::start(
            device,
            seeds,
            link.callback(|p| Msg::Quality(QualityMsg::AugmentProgress(p))),
            link.callback(|r| Msg::Quality(QualityMsg::AugmentDone(r))),
        ));
    }

    pub(crate) fn view_quality(&self, link: &html::Scope<Self>) -> Html {
        let q = &self.quality;
        let available = self.has_image_model();
        let quality = |m: QualityMsg| Msg::Quality(m);
        html! {
            <>
                <QualityPanel {available} computing={q.computing} exporting={q.exporting}
                    latest={q.latest.clone()} history={q.history.clone()} auto={q.auto} notice={q.notice.clone()}
                    on_compute={link.callback(move |_| quality(QualityMsg::Compute))}
                    on_auto={link.callback(move |on| quality(QualityMsg::Auto(on)))}
                    on_export={link.callback(move |filter| quality(QualityMsg::Export(filter)))} />
                <AugmentPanel disabled={self.device.is_none()} running={q.augment.is_some()}
                    progress={q.augment_progress.clone()} result={q.augment_result.clone()}
                    on_start={link.callback(move |seeds| quality(QualityMsg::AugmentStart(seeds)))}
                    on_cancel={link.callback(move |_| quality(QualityMsg::AugmentCancel))} />
            </>
        }
    }
}
