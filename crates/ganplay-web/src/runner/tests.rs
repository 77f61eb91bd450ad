//! The training loop on the host: a toy GAN on Burn's CPU backend, its frames recorded.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::GanConfig;
use ganplay_model::data::toy::{ToyDataset, ToyKind};

use super::{FrameSink, Runs, SharedEngine, start_loop, step_once};
use crate::engine::Engine;
use crate::event_loop::run_until;
use crate::protocol::{Frame, RunId, StepKind};

/// What a sink was handed, in order.
#[derive(Debug)]
enum Handed {
    Frame(RunId, Frame),
    Failed(RunId, String),
    Ended,
}

#[derive(Default)]
struct Recorder {
    handed: RefCell<Vec<Handed>>,
}

impl FrameSink for Recorder {
    fn frame(&self, run: RunId, frame: Frame) {
        self.handed.borrow_mut().push(Handed::Frame(run, frame));
    }
    fn failed(&self, run: RunId, _generation: u64, error: String) {
        self.handed.borrow_mut().push(Handed::Failed(run, error));
    }
    fn ended(&self) {
        self.handed.borrow_mut().push(Handed::Ended);
    }
}

impl Recorder {
    /// The steps of each frame handed for `run`, with whether it carried a view.
    fn frames(&self, run: RunId) -> Vec<(u64, bool)> {
        self.handed
            .borrow()
            .iter()
            .filter_map(|h| match h {
                Handed::Frame(r, f) if *r == run => Some((f.steps, f.view.is_some())),
                _ => None,
            })
            .collect()
    }

    fn ends(&self) -> usize {
        self.handed
            .borrow()
            .iter()
            .filter(|h| matches!(h, Handed::Ended))
            .count()
    }

    fn failures(&self) -> Vec<(RunId, String)> {
        self.handed
            .borrow()
            .iter()
            .filter_map(|h| match h {
                Handed::Failed(r, e) => Some((*r, e.clone())),
                _ => None,
            })
            .collect()
    }
}

fn toy_engine() -> SharedEngine {
    let data = ToyDataset::new(ToyKind::Ring8, ToyKind::Ring8.default_sigma()).unwrap();
    let engine = Engine::toy(GanConfig::default(), data, &Device::flex()).unwrap();
    Rc::new(RefCell::new(Some(engine)))
}

fn steps_of(engine: &SharedEngine) -> u64 {
    engine.borrow().as_ref().unwrap().session.steps()
}

/// Runs the loop for three frames of run A, then drops its handle and lets it end.
fn train_a_while(runs: Runs) -> Rc<Recorder> {
    let sink = Rc::new(Recorder::default());
    let handle = start_loop(runs, sink.clone());
    run_until(|| sink.frames(RunId::A).len() >= 3);
    drop(handle);
    assert!(run_until(|| false), "a dropped handle stops the loop");
    sink
}

/// One update of `kind`, run to its end.
fn step(a: &SharedEngine, kind: StepKind) -> Rc<Recorder> {
    let sink = Rc::new(Recorder::default());
    step_once(
        Runs {
            a: a.clone(),
            b: None,
        },
        kind,
        sink.clone(),
    );
    assert!(run_until(|| false), "the step finishes");
    sink
}

#[test]
fn a_single_step_trains_once_and_hands_on_its_losses_and_view_then_ends() {
    let a = toy_engine();
    let sink = step(&a, StepKind::Full);
    assert_eq!(steps_of(&a), 1);
    let handed = sink.handed.borrow();
    let [Handed::Frame(RunId::A, frame), Handed::Ended] = handed.as_slice() else {
        panic!("one frame, then the end: {handed:?}");
    };
    assert_eq!(frame.steps, 1);
    let [Some(d_loss), Some(g_loss)] = frame.losses else {
        panic!("a full step reads both losses: {:?}", frame.losses);
    };
    assert!(d_loss.is_finite() && g_loss.is_finite());
    let (_, view) = frame.view.as_ref().expect("a single step shows its result");
    assert!(!view.is_empty() && view.iter().all(|v| v.is_finite()));
}

#[test]
fn a_discriminator_step_reads_only_its_loss_and_counts_no_full_step() {
    let a = toy_engine();
    let sink = step(&a, StepKind::Discriminator);
    let handed = sink.handed.borrow();
    let Some(Handed::Frame(RunId::A, frame)) = handed.first() else {
        panic!("a frame: {handed:?}");
    };
    assert!(frame.losses[0].is_some() && frame.losses[1].is_none());
    assert_eq!(steps_of(&a), 0);
}

#[test]
fn the_loop_trains_until_its_handle_is_dropped_then_shows_the_model_as_it_is() {
    let a = toy_engine();
    let sink = Rc::new(Recorder::default());
    let handle = start_loop(
        Runs {
            a: a.clone(),
            b: None,
        },
        sink.clone(),
    );
    let finished = run_until(|| sink.frames(RunId::A).len() >= 4);
    assert!(!finished, "the loop runs while its handle lives");
    assert_eq!(sink.ends(), 0);
    let steps: Vec<u64> = sink.frames(RunId::A).iter().map(|(s, _)| *s).collect();
    assert!(
        steps.windows(2).all(|w| w[0] < w[1]),
        "every frame trains: {steps:?}"
    );

    drop(handle);
    assert!(run_until(|| false), "a dropped handle stops the loop");
    assert_eq!(sink.ends(), 1);
    let handed = sink.handed.borrow();
    let last_frame = handed.iter().rev().find_map(|h| match h {
        Handed::Frame(_, f) => Some(f),
        _ => None,
    });
    let last_frame = last_frame.unwrap();
    assert!(last_frame.view.is_some(), "the paused model's view");
    assert_eq!(last_frame.steps, steps_of(&a), "of the model as it now is");
    assert!(matches!(handed.last(), Some(Handed::Ended)));
}

#[test]
fn a_companion_gets_the_same_updates_as_the_model() {
    let (a, b) = (toy_engine(), toy_engine());
    let sink = train_a_while(Runs {
        a: a.clone(),
        b: Some(b.clone()),
    });
    assert_eq!(steps_of(&a), steps_of(&b));
    let trained = |run| -> Vec<u64> {
        let mut steps: Vec<u64> = sink.frames(run).iter().map(|(s, _)| *s).collect();
        steps.dedup();
        steps
    };
    assert_eq!(trained(RunId::A), trained(RunId::B));
}

#[test]
fn a_companion_that_fails_drops_out_and_the_model_trains_on() {
    let gone: SharedEngine = Rc::default();
    let sink = train_a_while(Runs {
        a: toy_engine(),
        b: Some(gone),
    });
    assert_eq!(
        sink.failures(),
        vec![(RunId::B, "no model to train".to_string())],
        "run B fails once, then is left out"
    );
    assert!(sink.frames(RunId::A).len() >= 3);
    assert_eq!(sink.ends(), 1);
}

#[test]
fn a_loop_without_its_model_reports_the_failure_and_ends() {
    let sink = Rc::new(Recorder::default());
    let _handle = start_loop(
        Runs {
            a: Rc::default(),
            b: None,
        },
        sink.clone(),
    );
    assert!(run_until(|| false), "the loop ends by itself");
    assert_eq!(
        sink.failures(),
        vec![(RunId::A, "no model to train".to_string())]
    );
    assert_eq!(sink.ends(), 1);
}
