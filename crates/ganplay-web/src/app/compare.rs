//! The side-by-side run: model B, built with run A's data and knobs except the one compared,
//! trained in lockstep with A by the same loop, and drawn next to it.

use std::rc::Rc;

use burn::tensor::Device;
use yew::prelude::*;

use super::{App, Msg};
use crate::components::compare_panel::{ComparePanel, RunB};
use crate::engine::{Engine, Parts, Progress, View};
use crate::runner::SharedEngine;
use crate::state::{DeviceViews, Layer};

impl App {
    /// Builds run B next to a new 2D run A, when the user asked for one.
    pub(super) fn build_companion(&mut self, a: &Engine, device: &Device) {
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
                *self.compare_engine.borrow_mut() = Some(b);
            }
            Err(e) => self.compare_note = Some(format!("Run B cannot be built: {e}")),
        }
    }

    /// Run B, while it exists and has not diverged.
    pub(super) fn companion(&self) -> Option<SharedEngine> {
        (self.compare_engine.borrow().is_some() && self.compare_note.is_none())
            .then(|| self.compare_engine.clone())
    }

    fn compare_generation(&self) -> Option<u64> {
        self.compare_engine.borrow().as_ref().map(|e| e.generation)
    }

    pub(super) fn compare_progress(&mut self, p: Progress) {
        if Some(p.generation) != self.compare_generation() {
            return;
        }
        if let Some(message) = self.compare_readout.take(p, &self.compare_engine) {
            self.compare_note = Some(format!("Run B stopped: {message}"));
        }
    }

    pub(super) fn compare_failed(&mut self, generation: u64, e: String) {
        if Some(generation) == self.compare_generation() {
            self.compare_note = Some(format!("Run B stopped: reading its results failed: {e}"));
        }
    }

    /// The comparison picker and, while it runs, run B's plot and read-outs.
    pub(super) fn view_compare(&self, link: &html::Scope<Self>) -> Html {
        let engine = self.compare_engine.borrow();
        let shown = |layer, points: Rc<[[f32; 2]]>| {
            if self.state.shows(layer) {
                points
            } else {
                Rc::from([])
            }
        };
        let run_b = match (
            engine.as_ref().map(|e| &e.parts),
            &self.compare_readout.view,
        ) {
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
                steps: self.compare_readout.steps,
                losses: self.compare_readout.losses,
                metrics: *metrics,
                divergence: *divergence,
            }),
            _ => None,
        };
        let run_b = run_b.map(Rc::new);
        html! {
            <ComparePanel comparison={self.state.compare.clone()} settings={self.state.settings.clone()}
                {run_b} note={self.compare_note.clone()}
                onchange={link.callback(|c| Msg::Change(crate::state::Change::Compare(c)))} />
        }
    }
}
