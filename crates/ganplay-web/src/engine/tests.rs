//! The engine on the host, on Burn's CPU backend: what a page or worker command does to a model.

use burn::tensor::Device;
use ganplay_model::data::bundled::Digits;
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageShape, Scale};

use super::{ACCURACY_EVERY, Engine, HISTORY_LIMIT, LossPoint, push_thinned};
use crate::protocol::StepKind;

/// The page's semi-supervised GAN, shrunk to small layers so a test steps it quickly.
fn small_ssgan() -> ImageModelConfig {
    ImageModelConfig {
        discriminator_hidden: vec![32, 16],
        hidden: vec![16],
        latent_dim: 8,
        batch_size: 10,
        ..ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST)
    }
}

fn ssgan_engine() -> Engine {
    let digits = Digits::embedded();
    Engine::image(small_ssgan(), None, Some(&digits), &Device::flex()).unwrap()
}

#[test]
fn advancing_queues_the_steps_asked_for_and_single_updates_train_one_network() {
    let mut engine = ssgan_engine();
    let pending = engine.advance(StepKind::Full, 3);
    assert_eq!(engine.session.steps(), 3);
    assert!(pending.first.is_some() && pending.second.is_some());
    // One discriminator update: no generator loss, and no full step counted.
    let pending = engine.advance(StepKind::Discriminator, 1);
    assert!(pending.first.is_some() && pending.second.is_none());
    assert_eq!(engine.session.steps(), 3);
    let pending = engine.advance(StepKind::Generator, 1);
    assert!(pending.first.is_none() && pending.second.is_some());
}

#[test]
fn a_model_that_cannot_train_queues_nothing() {
    // Another image shape than the bundled digits': the model samples but has no data.
    let config = ImageModelConfig::preset(
        ImageModelKind::Dcgan,
        Scale::Page,
        ImageShape::square(3, 32),
    );
    let mut engine = Engine::image(config, None, None, &Device::flex()).unwrap();
    assert!(!engine.can_train());
    let pending = engine.advance(StepKind::Full, 5);
    assert!(pending.first.is_none() && pending.second.is_none());
    assert_eq!(engine.session.steps(), 0);
}

#[test]
fn test_accuracy_is_measured_every_fifty_steps_and_one_measurement_at_a_time() {
    let mut engine = ssgan_engine();
    let (step, pending) = engine.accuracy_due().unwrap().unwrap();
    assert_eq!(step, 0, "a new model is measured at once");
    // While it is on its way no other is queued, even once the next is due.
    engine.advance(StepKind::Full, ACCURACY_EVERY as usize);
    assert!(engine.accuracy_due().is_none(), "one measurement at a time");
    let result = pollster::block_on(pending.read()).unwrap();
    assert!(
        result.baseline.is_some(),
        "the labels-only twin is measured too"
    );
    engine.record_accuracy(0, result);
    assert_eq!(engine.accuracy_history.len(), 1);
    assert!(engine.confusion.is_some());

    let (step, pending) = engine.accuracy_due().unwrap().unwrap();
    assert_eq!(step, ACCURACY_EVERY, "the one that came due meanwhile");
    engine.record_accuracy(step, pollster::block_on(pending.read()).unwrap());
    engine.advance(StepKind::Full, ACCURACY_EVERY as usize - 1);
    assert!(engine.accuracy_due().is_none(), "not yet due");
    engine.advance(StepKind::Full, 1);
    let (step, _) = engine.accuracy_due().unwrap().unwrap();
    assert_eq!(step, 2 * ACCURACY_EVERY);
}

#[test]
fn a_measurement_taken_elsewhere_moves_the_next_one_on() {
    let mut engine = ssgan_engine();
    let (_, pending) = engine.accuracy_due().unwrap().unwrap();
    let result = pollster::block_on(pending.read()).unwrap();
    // The worker measured at step 120 while the page's copy was behind: the page measures next
    // at 150, not at every step it catches up on.
    engine.record_accuracy(120, result);
    engine.advance(StepKind::Full, 149);
    assert!(engine.accuracy_due().is_none());
    engine.advance(StepKind::Full, 1);
    assert_eq!(engine.accuracy_due().unwrap().unwrap().0, 150);
}

#[test]
fn a_full_chart_history_keeps_its_span_at_half_the_detail() {
    let mut history = Vec::new();
    let point = |step| LossPoint {
        step,
        first: 0.0,
        second: 0.0,
    };
    for step in 0..HISTORY_LIMIT as u64 {
        push_thinned(&mut history, point(step));
    }
    assert_eq!(history.len(), HISTORY_LIMIT);
    push_thinned(&mut history, point(HISTORY_LIMIT as u64));
    assert_eq!(history.len(), HISTORY_LIMIT / 2 + 1);
    assert_eq!(history.first().unwrap().step, 0);
    assert_eq!(history.last().unwrap().step, HISTORY_LIMIT as u64);
}
