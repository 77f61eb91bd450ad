//! What the training worker holds between commands: its copies of the page's models (the one
//! in training and run B), the loop that trains them, and a ticket that makes a model still
//! being prepared for an older command stay untrained. The browser glue is `worker.rs`.

use crate::protocol::{ModelSpec, RunId, ViewSettings};
use crate::runner::{LoopHandle, SharedEngine};

#[derive(Default)]
pub struct WorkerModels {
    a: SharedEngine,
    b: SharedEngine,
    running: Option<LoopHandle>,
    /// Counts the commands that start or stop training.
    ticket: u64,
}

impl WorkerModels {
    pub fn slot(&self, run: RunId) -> SharedEngine {
        match run {
            RunId::A => self.a.clone(),
            RunId::B => self.b.clone(),
        }
    }

    /// A command that starts or stops training: the running loop stops, and models prepared
    /// for earlier commands are not trained. Returns this command's ticket.
    pub fn begin(&mut self) -> u64 {
        self.running = None;
        self.ticket += 1;
        self.ticket
    }

    /// Whether no later command came since the one with this ticket.
    pub fn is_current(&self, ticket: u64) -> bool {
        self.ticket == ticket
    }

    pub fn keep_running(&mut self, handle: LoopHandle) {
        self.running = Some(handle);
    }

    /// Other view settings for the model in training, if it is still the page's `generation`.
    pub fn configure(&self, run: RunId, generation: u64, view: ViewSettings) {
        if let Some(e) = self
            .slot(run)
            .borrow_mut()
            .as_mut()
            .filter(|e| e.generation == generation)
        {
            e.follow_view(view);
        }
    }

    /// Whether the worker's own model for `run` is the one `spec` describes (same generation,
    /// same step: the page has not changed it since the worker trained it), so it trains on
    /// with its optimiser state instead of being rebuilt; it takes the spec's view if so.
    pub fn keeps(&self, run: RunId, spec: &ModelSpec) -> bool {
        let slot = self.slot(run);
        let mut engine = slot.borrow_mut();
        match engine.as_mut() {
            Some(e) if e.generation == spec.generation && e.session.steps() == spec.steps => {
                e.follow_view(spec.view);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::Device;
    use ganplay_model::GanConfig;
    use ganplay_model::data::toy::{ToyDataset, ToyKind};

    use super::*;
    use crate::engine::Engine;
    use crate::protocol::StepKind;
    use crate::state::DeviceViews;

    fn holding_a_toy_model() -> WorkerModels {
        let data = ToyDataset::new(ToyKind::Ring8, ToyKind::Ring8.default_sigma()).unwrap();
        let engine = Engine::toy(GanConfig::default(), data, &Device::flex()).unwrap();
        let models = WorkerModels::default();
        *models.slot(RunId::A).borrow_mut() = Some(engine);
        models
    }

    fn generation(models: &WorkerModels) -> u64 {
        models.slot(RunId::A).borrow().as_ref().unwrap().generation
    }

    fn spec(generation: u64, steps: u64, revision: u64) -> ModelSpec {
        ModelSpec {
            generation,
            steps,
            weights: Vec::new(),
            optimizer: Vec::new(),
            toy: None,
            fresh: false,
            dataset: "ring8".into(),
            view: ViewSettings {
                class: None,
                views: DeviceViews::default(),
                revision,
            },
        }
    }

    fn view_revision(models: &WorkerModels) -> u64 {
        models
            .slot(RunId::A)
            .borrow()
            .as_ref()
            .unwrap()
            .view_revision
    }

    #[test]
    fn each_start_or_stop_makes_earlier_preparations_stale() {
        let mut models = WorkerModels::default();
        let first = models.begin();
        assert!(models.is_current(first));
        let second = models.begin();
        assert!(!models.is_current(first) && models.is_current(second));
    }

    #[test]
    fn the_model_it_trained_last_trains_on_while_the_page_has_not_changed_it() {
        let models = holding_a_toy_model();
        let generation = generation(&models);
        models
            .slot(RunId::A)
            .borrow_mut()
            .as_mut()
            .unwrap()
            .advance(StepKind::Full, 3);
        assert!(models.keeps(RunId::A, &spec(generation, 3, 7)));
        assert_eq!(view_revision(&models), 7, "with the page's view");
        assert!(
            !models.keeps(RunId::A, &spec(generation, 2, 8)),
            "the page's copy is at another step"
        );
        assert!(
            !models.keeps(RunId::A, &spec(generation + 1, 3, 8)),
            "another model"
        );
        assert!(
            !models.keeps(RunId::B, &spec(generation, 3, 8)),
            "none held"
        );
        assert_eq!(view_revision(&models), 7);
    }

    #[test]
    fn view_settings_reach_only_the_model_they_were_meant_for() {
        let models = holding_a_toy_model();
        let generation = generation(&models);
        let view = spec(generation, 0, 5).view;
        models.configure(RunId::A, generation + 1, view);
        assert_ne!(view_revision(&models), 5);
        models.configure(RunId::A, generation, view);
        assert_eq!(view_revision(&models), 5);
    }
}
