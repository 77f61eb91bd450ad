//! The side-by-side run: model B, built with run A's data and knobs except the one compared,
//! trained in lockstep with A by the same loop, and drawn next to it.

use std::rc::Rc;

use burn::tensor::Device;
use yew::prelude::*;

use super::panel::{ComparePanel, RunB};
use crate::app::{App, Msg, Readout};
use crate::engine::{Engine, Parts, Progress, View};
use crate::runner::SharedEngine;
use crate::state::{DeviceViews, Layer};

/// Run B, its read-outs and why it stopped, if it did.
#[derive(Default)]
pub struct SideBySide {
    /// Shared with the training loop, which steps it next to run A.
    pub engine: SharedEngine,
    readout: Readout,
    note: Option<String>,
}

/// Run B's read-backs, as the training loop reports them.
pub enum SideBySideMsg {
    Progress(Progress),
    Failed((u64, String)),
}

impl SideBySide {
    /// A new run A: run B goes with it.
    pub fn forget(&mut self) {
        *self.engine.borrow_mut() = None;
        self.readout = Readout::default();
        self.note = None;
    }

    /// Run B cannot follow run A (a model from a weight file starts at its own step).
    pub fn stop_for(&mut self, why: &str) {
        self.note = Some(why.to_string());
    }

    fn generation(&self) -> Option<u64> {
        self.engine.borrow().as_ref().map(|e| e.generation)
    }
}

impl App {
    pub(crate) fn side_by_side_message(&mut self, msg: SideBySideMsg) {
        let b = &mut self.side_by_side;
        match msg {
            SideBySideMsg::Progress(p) => {
                if Some(p.generation) != b.generation() {
                    return;
                }
                if let Some(message) = b.readout.take(p, &b.engine) {
                    b.note = Some(format!("Run B stopped: {message}"));
                }
            }
            SideBySideMsg::Failed((generation, e)) => {
                if Some(generation) == b.generation() {
                    b.note = Some(format!("Run B stopped: reading its results failed: {e}"));
                }
            }
        }
    }

    /// Builds run B next to a new 2D run A, when the user asked for one.
    pub(crate) fn build_companion(&mut self, a: &Engine, device: &Device) {
        let (Some(config), Parts::Toy(p)) = (self.state.compare_config(), &a.parts) else {
            return;
        };
        match Engine::toy(config, p.data.clone(), device) {
            Ok(mut b) => {
                // Run B's plot shows points and the decision surface only.
                b.views = DeviceViews {
                    manifold: false,
                    arrows: false,
                    ..self.state.device_views()
                };
                *self.side_by_side.engine.borrow_mut() = Some(b);
            }
            Err(e) => self.side_by_side.note = Some(format!("Run B cannot be built: {e}")),
        }
    }

    /// Run B, while it exists and has not diverged.
    pub(crate) fn companion(&self) -> Option<SharedEngine> {
        let b = &self.side_by_side;
        (b.engine.borrow().is_some() && b.note.is_none()).then(|| b.engine.clone())
    }

    /// The comparison picker and, while it runs, run B's plot and read-outs.
    pub(crate) fn view_compare(&self, link: &html::Scope<Self>) -> Html {
        let b = &self.side_by_side;
        let engine = b.engine.borrow();
        let shown = |layer, points: Rc<[[f32; 2]]>| {
            if self.state.shows(layer) {
                points
            } else {
                Rc::from([])
            }
        };
        let run_b = match (engine.as_ref().map(|e| &e.parts), &b.readout.view) {
            (
                Some(Parts::Toy(p)),
                Some(View::Toy {
                    generated,
                    surface,
                    metrics,
                    divergence,
                    ..
                }),
            ) => Some(RunB {
                extent: p.extent,
                real: shown(Layer::Real, p.real_points.clone()),
                generated: shown(Layer::Generated, generated.clone()),
                surface: surface.clone().filter(|_| self.state.shows(Layer::Surface)),
                steps: b.readout.steps,
                losses: b.readout.losses,
                metrics: *metrics,
                divergence: *divergence,
            }),
            _ => None,
        };
        let run_b = run_b.map(Rc::new);
        html! {
            <ComparePanel comparison={self.state.compare.clone()} settings={self.state.settings.clone()}
                {run_b} note={b.note.clone()}
                onchange={link.callback(|c| Msg::Change(crate::state::Change::Compare(c)))} />
        }
    }
}
