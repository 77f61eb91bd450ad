//! Semi-supervised models: their test accuracy, measured every few steps while the page trains
//! (and once for a new or loaded model), read back without holding the model.

use ganplay_model::metrics::TestAccuracy;
use yew::prelude::*;

use super::{App, Msg};

impl App {
    /// Queues the test digits' classification when a measurement is due. A model the worker
    /// trains is measured there, where its labels-only twin trains too.
    pub(super) fn measure_accuracy(&mut self, ctx: &Context<Self>) {
        let mut engine = self.engine.borrow_mut();
        let Some(e) = engine.as_mut().filter(|e| !e.trained_elsewhere) else {
            return;
        };
        let generation = e.generation;
        match e.accuracy_due() {
            None => {}
            Some(Ok((step, pending))) => {
                ctx.link().send_future(async move {
                    Msg::AccuracyMeasured(
                        generation,
                        step,
                        pending.read().await.map_err(|e| e.to_string()),
                    )
                });
            }
            Some(Err(why)) => {
                self.error = Some(format!("The test accuracy cannot be measured: {why}."));
            }
        }
    }

    pub(super) fn accuracy_measured(
        &mut self,
        generation: u64,
        step: u64,
        result: Result<TestAccuracy, String>,
    ) {
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
