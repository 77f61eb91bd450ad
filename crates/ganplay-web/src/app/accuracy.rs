//! Semi-supervised models: their test accuracy, measured every few steps while the page trains
//! (and once for a new or loaded model), read back without holding the model.

use ganplay_model::metrics::TestAccuracy;
use yew::prelude::*;

use super::{App, Msg};

/// Training steps between test-accuracy measurements.
const ACCURACY_EVERY: u64 = 50;

impl App {
    /// Queues the test digits' classification when a measurement is due.
    pub(super) fn measure_accuracy(&mut self, ctx: &Context<Self>) {
        let mut engine = self.engine.borrow_mut();
        let Some(e) = engine.as_mut() else { return };
        let step = e.session.steps();
        if e.accuracy_pending || step < e.next_accuracy_step {
            return;
        }
        let Some(queued) = e.queue_accuracy() else {
            return;
        };
        match queued {
            Ok(pending) => {
                e.accuracy_pending = true;
                e.next_accuracy_step = (step / ACCURACY_EVERY + 1) * ACCURACY_EVERY;
                let generation = e.generation;
                ctx.link().send_future(async move {
                    Msg::AccuracyMeasured(generation, step, pending.read().await)
                });
            }
            Err(why) => {
                e.next_accuracy_step = u64::MAX;
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
        e.accuracy_pending = false;
        match result {
            Ok(accuracy) => {
                e.record_accuracy(step, accuracy);
                self.readout.accuracy_history = e.accuracy_history.as_slice().into();
                self.readout.confusion = e.confusion.clone();
            }
            Err(why) => {
                self.error = Some(format!("Reading the test accuracy failed: {why}."));
            }
        }
    }
}
