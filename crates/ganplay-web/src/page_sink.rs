//! Frames taken into the page's models, and the page's messages for them: the same whether the
//! frames were trained on the page or arrived from the training worker.

use yew::Callback;

use crate::engine::Progress;
use crate::protocol::{Frame, RunId};
use crate::runner::{FrameSink, SharedEngine};

/// Where one model's read-outs go.
#[derive(Clone)]
pub struct Reports {
    pub progress: Callback<Progress>,
    /// The generation and why reading back failed.
    pub failed: Callback<(u64, String)>,
}

/// The page's model (A) and run B of a side-by-side comparison, with their reports.
pub struct PageSink {
    pub a: SharedEngine,
    pub b: SharedEngine,
    pub reports: Reports,
    pub compare_reports: Reports,
}

impl PageSink {
    fn route(&self, run: RunId) -> (&SharedEngine, &Reports) {
        match run {
            RunId::A => (&self.a, &self.reports),
            RunId::B => (&self.b, &self.compare_reports),
        }
    }
}

impl FrameSink for PageSink {
    fn frame(&self, run: RunId, frame: Frame) {
        let (engine, reports) = self.route(run);
        let generation = frame.generation;
        // The page re-renders only with new samples (a few times a second), not every frame.
        let shown = frame.view.is_some() || frame.diverged.is_some();
        let absorbed = engine
            .borrow_mut()
            .as_mut()
            .filter(|e| e.generation == generation)
            .map(|e| e.absorb(frame));
        match absorbed {
            Some(Ok(progress)) if shown => reports.progress.emit(progress),
            Some(Err(e)) => reports.failed.emit((generation, e)),
            _ => {}
        }
    }

    fn failed(&self, run: RunId, generation: u64, error: String) {
        self.route(run).1.failed.emit((generation, error));
    }

    fn ended(&self) {}
}
