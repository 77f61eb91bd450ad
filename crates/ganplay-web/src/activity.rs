//! What the page is doing with its model, one thing at a time (idle, training, stepping, loading
//! or saving a weight file, measuring speed), and, apart from that, whether the training worker
//! holds the model. The page asks it whether an action may start and tells it when one ends. The
//! live loop's handle (`H`) is held here, so whatever ends training drops the loop. Pure, so its
//! rules are tested on the host.

use crate::protocol::Work;

#[derive(Debug, Default)]
enum Doing<H> {
    #[default]
    Idle,
    /// The live loop runs; dropping the handle stops it.
    Training(H),
    /// One update is in flight until its results are read back (or the worker hands it back).
    Stepping,
    /// A weight file is being fetched, read and built into a model.
    Loading,
    /// The model is being written to a file.
    Saving,
    /// The speed benchmark runs.
    Measuring,
}

/// The worker holds the model of `generation` for `work`; the page waits for its weights before
/// anything else trains it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Held {
    pub generation: u64,
    pub work: Work,
}

#[derive(Debug)]
pub struct Activity<H> {
    doing: Doing<H>,
    held: Option<Held>,
}

impl<H> Default for Activity<H> {
    fn default() -> Self {
        Activity {
            doing: Doing::Idle,
            held: None,
        }
    }
}

impl<H> Activity<H> {
    /// Nothing under way and the model on the page: training or a step may start.
    pub fn may_train(&self) -> bool {
        matches!(self.doing, Doing::Idle) && self.held.is_none()
    }

    /// A weight file may be loaded or saved, and the benchmark started: neither a file nor the
    /// benchmark is busy (training and a step give way to them).
    pub fn may_use_files(&self) -> bool {
        !matches!(
            self.doing,
            Doing::Loading | Doing::Saving | Doing::Measuring
        )
    }

    pub fn training(&self) -> Option<&H> {
        match &self.doing {
            Doing::Training(handle) => Some(handle),
            _ => None,
        }
    }

    pub fn is_training(&self) -> bool {
        self.training().is_some()
    }

    pub fn is_stepping(&self) -> bool {
        matches!(self.doing, Doing::Stepping)
    }

    /// A weight file is being loaded or saved.
    pub fn files_busy(&self) -> bool {
        matches!(self.doing, Doing::Loading | Doing::Saving)
    }

    pub fn held(&self) -> Option<Held> {
        self.held
    }

    /// The worker takes the model of `generation` for `work`.
    pub fn hand_to_worker(&mut self, generation: u64, work: Work) {
        self.held = Some(Held { generation, work });
    }

    /// The live loop started, with this handle.
    pub fn train(&mut self, handle: H) {
        self.doing = Doing::Training(handle);
    }

    /// Ends training (dropping the loop); `true` if it was running. A worker that held the
    /// model keeps it until its weights are back.
    pub fn stop_training(&mut self) -> bool {
        if self.is_training() {
            self.doing = Doing::Idle;
            true
        } else {
            false
        }
    }

    /// One update was asked for; `false` (and nothing changes) unless training may start.
    pub fn step(&mut self) -> bool {
        let may = self.may_train();
        if may {
            self.doing = Doing::Stepping;
        }
        may
    }

    /// The page's results came back: a step on the page is over (one in the worker ends when
    /// its weights are back).
    pub fn results_read(&mut self) {
        if self.is_stepping() && self.held.is_none() {
            self.doing = Doing::Idle;
        }
    }

    /// The worker handed the model of `generation` back (or failed with it): what it held it
    /// for, or `None` if it was not that model.
    pub fn worker_done(&mut self, generation: u64) -> Option<Work> {
        let held = self.held.filter(|h| h.generation == generation)?;
        self.held = None;
        if self.is_stepping() {
            self.doing = Doing::Idle;
        }
        Some(held.work)
    }

    /// The worker is gone: what it held the model for, to be done on the page.
    pub fn worker_lost(&mut self) -> Option<Work> {
        let held = self.held.take()?;
        if self.is_stepping() {
            self.doing = Doing::Idle;
        }
        Some(held.work)
    }

    /// Training or a step failed: back to idle (the worker's hand-back, if any, goes on).
    pub fn failed(&mut self) {
        if self.is_training() || self.is_stepping() {
            self.doing = Doing::Idle;
        }
    }

    /// A new model replaces the old one: whatever concerned the old one is over.
    pub fn forget_model(&mut self) {
        if self.is_training() || self.is_stepping() {
            self.doing = Doing::Idle;
        }
        self.held = None;
    }

    /// A weight file starts loading; `false` unless files are free. Training stops.
    pub fn load(&mut self) -> bool {
        self.start(Doing::Loading)
    }

    /// The model starts being saved; `false` unless files are free. Training stops.
    pub fn save(&mut self) -> bool {
        self.start(Doing::Saving)
    }

    /// The benchmark starts; `false` unless files are free. Training stops.
    pub fn measure(&mut self) -> bool {
        self.start(Doing::Measuring)
    }

    /// The load, save or benchmark under way is over.
    pub fn finished(&mut self) {
        if matches!(
            self.doing,
            Doing::Loading | Doing::Saving | Doing::Measuring
        ) {
            self.doing = Doing::Idle;
        }
    }

    fn start(&mut self, doing: Doing<H>) -> bool {
        let may = self.may_use_files();
        if may {
            self.doing = doing;
        }
        may
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::*;
    use crate::protocol::StepKind;

    /// A loop handle that records being dropped, as the page's stops its loop.
    struct Handle(Rc<Cell<bool>>);

    impl Drop for Handle {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }

    fn handle() -> (Handle, Rc<Cell<bool>>) {
        let dropped = Rc::new(Cell::new(false));
        (Handle(dropped.clone()), dropped)
    }

    #[test]
    fn training_on_the_page_starts_and_stops_its_loop() {
        let mut a = Activity::default();
        assert!(a.may_train());
        let (h, dropped) = handle();
        a.train(h);
        assert!(a.is_training() && !a.may_train());
        assert!(!a.step(), "no step while training");
        assert!(a.stop_training());
        assert!(dropped.get(), "stopping drops the loop");
        assert!(a.may_train());
        assert!(!a.stop_training());
    }

    #[test]
    fn a_paused_worker_run_blocks_training_until_its_weights_are_back() {
        let mut a = Activity::default();
        a.hand_to_worker(3, Work::Live);
        let (h, dropped) = handle();
        a.train(h);
        a.stop_training();
        assert!(dropped.get());
        assert!(!a.may_train(), "the worker still holds the model");
        assert_eq!(
            a.worker_done(2),
            None,
            "another model's weights change nothing"
        );
        assert!(!a.may_train());
        assert_eq!(a.worker_done(3), Some(Work::Live));
        assert!(a.may_train());
    }

    #[test]
    fn a_step_ends_when_its_results_or_the_workers_weights_are_back() {
        let mut a = Activity::<()>::default();
        assert!(a.step());
        assert!(!a.step(), "one step at a time");
        a.results_read();
        assert!(a.may_train());

        assert!(a.step());
        a.hand_to_worker(5, Work::Once(StepKind::Generator));
        a.results_read();
        assert!(a.is_stepping(), "a worker's step waits for its weights");
        assert_eq!(a.worker_done(5), Some(Work::Once(StepKind::Generator)));
        assert!(a.may_train());
    }

    #[test]
    fn a_lost_worker_gives_back_what_it_was_doing() {
        let mut a = Activity::<()>::default();
        assert!(a.step());
        a.hand_to_worker(1, Work::Once(StepKind::Full));
        assert_eq!(a.worker_lost(), Some(Work::Once(StepKind::Full)));
        assert!(a.may_train(), "the page can redo the step itself");
        assert_eq!(a.worker_lost(), None);
    }

    #[test]
    fn files_and_the_benchmark_interrupt_training_and_exclude_each_other() {
        let mut a = Activity::default();
        let (h, dropped) = handle();
        a.train(h);
        assert!(a.load());
        assert!(dropped.get(), "loading a file stops training");
        assert!(a.files_busy() && !a.may_train());
        assert!(!a.save() && !a.measure(), "one file or benchmark at a time");
        a.finished();
        assert!(a.may_train());
        assert!(a.measure());
        assert!(!a.may_use_files() && !a.load());
        a.finished();
        assert!(a.save());
        a.finished();
        assert!(a.may_train());
    }

    #[test]
    fn a_failure_or_a_new_model_ends_training_and_stepping() {
        let mut a = Activity::default();
        let (h, dropped) = handle();
        a.hand_to_worker(7, Work::Live);
        a.train(h);
        a.failed();
        assert!(dropped.get() && !a.is_training());
        assert_eq!(
            a.held().map(|h| h.generation),
            Some(7),
            "the hand-back goes on"
        );
        a.forget_model();
        assert!(a.may_train());
        assert!(a.load());
        a.forget_model();
        assert!(
            a.files_busy(),
            "a load in progress is not about the old model"
        );
    }
}
