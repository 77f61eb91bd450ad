//! Few labels (semi-supervised models): the test accuracy, measured every few steps while the page
//! trains (and once for a new or loaded model) and read back without holding the model, drawn
//! with its labels-only twin's, the confusion matrix and the labelled digits.

use ganplay_model::metrics::TestAccuracy;
use yew::prelude::*;

mod panel;

use panel::FewLabelsPanel;

use crate::app::{App, Msg};
use crate::engine::{Parts, View};

/// A semi-supervised model's test accuracy: the engine's generation, the step, the result.
pub struct AccuracyMeasured(pub u64, pub u64, pub Result<TestAccuracy, String>);

impl App {
    /// A semi-supervised model in training: its accuracy chart, confusion matrix and the
    /// labelled digits it learns from.
    pub(crate) fn view_few_labels(&self) -> Html {
        let engine = self.engine.borrow();
        let (Some(Parts::Image(p)), Some(View::Image(_))) =
            (engine.as_ref().map(|e| &e.parts), &self.readout.view)
        else {
            return html! {};
        };
        if !p.config.model.is_semi_supervised() || p.sample_only() {
            return html! {};
        }
        html! {
            <FewLabelsPanel history={self.readout.accuracy_history.clone()}
                confusion={self.readout.confusion.clone()} labelled={p.labelled.clone()}
                shape={p.config.image} norm={p.config.model.normalisation()} />
        }
    }

    /// Queues the test digits' classification when a measurement is due. A model the worker
    /// trains is measured there, where its labels-only twin trains too.
    pub(crate) fn measure_accuracy(&mut self, ctx: &Context<Self>) {
        let mut engine = self.engine.borrow_mut();
        let Some(e) = engine.as_mut().filter(|e| !e.trained_elsewhere) else {
            return;
        };
        let generation = e.generation;
        match e.accuracy_due() {
            None => {}
            Some(Ok((step, pending))) => {
                ctx.link().send_future(async move {
                    Msg::AccuracyMeasured(AccuracyMeasured(
                        generation,
                        step,
                        pending.read().await.map_err(|e| e.to_string()),
                    ))
                });
            }
            Some(Err(why)) => {
                self.error = Some(format!("The test accuracy cannot be measured: {why}."));
            }
        }
    }

    pub(crate) fn accuracy_measured(&mut self, measured: AccuracyMeasured) {
        let AccuracyMeasured(generation, step, result) = measured;
        if Some(generation) != self.current_generation() {
            return;
        }
        let mut engine = self.engine.borrow_mut();
        let Some(e) = engine.as_mut() else { return };
        match result {
            Ok(accuracy) => {
                e.record_accuracy(step, accuracy);
                self.readout.accuracy_history = e.accuracy_history.as_slice().into();
                self.readout.confusion = e.confusion.clone();
            }
            Err(why) => {
                e.accuracy_pending = false;
                self.error = Some(format!("Reading the test accuracy failed: {why}."));
            }
        }
    }
}
