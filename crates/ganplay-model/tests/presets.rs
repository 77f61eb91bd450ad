//! Every 2D preset does what its explanation says, at its step budget: the settings that work
//! reach their modes and quality, each failure reproduces its failure, and each fix recovers.

use burn::tensor::Device;
use ganplay_model::config::presets::{
    Expectation, OSCILLATION_CHECK_EVERY, OSCILLATION_CONCENTRATED, Preset, presets,
};
use ganplay_model::metrics::{dominant_mode, points_from_flat};
use ganplay_model::{ToyDataset, TrainSession};

mod common;
use common::mode_score;

/// Evaluations along a collapsed run: a collapse must hold at each, not just at the end.
const CHECKPOINTS: u64 = 6;

/// The preset's data and a new session for it, on the CPU.
fn start(preset: &Preset) -> (ToyDataset, TrainSession) {
    let data = ToyDataset::new(preset.dataset, preset.sigma).unwrap();
    let session = TrainSession::new(
        preset.config.clone(),
        Box::new(data.clone()),
        &Device::flex(),
    )
    .unwrap();
    (data, session)
}

/// An oscillation: the samples sit on one mode at most checks, and that mode keeps changing.
fn check_oscillation(preset: &Preset, hops: usize) {
    let (data, mut session) = start(preset);
    let noise = session.evaluation_noise();
    let checks = preset.steps / OSCILLATION_CHECK_EVERY;
    let (mut visited, mut concentrated) = (Vec::new(), 0);
    for _ in 0..checks {
        for _ in 0..OSCILLATION_CHECK_EVERY {
            session.step();
        }
        let flat = session
            .generate(noise.clone())
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap();
        let (mode, share) = dominant_mode(&data, &points_from_flat(&flat));
        concentrated += usize::from(share >= 0.5);
        if visited.last() != Some(&mode) {
            visited.push(mode);
        }
    }
    let jumps = visited.len() - 1;
    eprintln!(
        "{}: {jumps} jumps, concentrated at {concentrated}/{checks} checks",
        preset.id
    );
    assert!(
        jumps >= hops,
        "{}: {jumps} jumps, expected ≥ {hops}",
        preset.id
    );
    assert!(
        concentrated as f32 >= OSCILLATION_CONCENTRATED * checks as f32,
        "{}: concentrated at {concentrated}/{checks} checks",
        preset.id
    );
}

fn check(preset: &Preset) {
    if let Expectation::Oscillates { hops } = preset.expect {
        return check_oscillation(preset, hops);
    }
    let (data, mut session) = start(preset);
    let noise = session.evaluation_noise();
    let score = |s: &TrainSession| mode_score(s, &noise, &data);
    let every = preset.steps.div_ceil(CHECKPOINTS);
    let mut done = 0;
    while done < preset.steps {
        let chunk = every.min(preset.steps - done);
        for _ in 0..chunk {
            session.step();
        }
        done += chunk;
        let m = score(&session);
        eprintln!(
            "{} step {done}: {} modes, {:.1}% HQ",
            preset.id,
            m.modes_text(),
            m.high_quality_percent
        );
        match preset.expect {
            Expectation::Collapsed { modes } => assert!(
                m.modes_covered <= modes,
                "{}: {} modes at step {done}, expected at most {modes}",
                preset.id,
                m.modes_text()
            ),
            Expectation::Covers {
                modes,
                high_quality,
            } if done == preset.steps => {
                assert!(
                    m.modes_covered >= modes && m.high_quality_percent >= high_quality,
                    "{}: {} modes, {:.1}% HQ at step {done}; expected {modes} and {high_quality}%",
                    preset.id,
                    m.modes_text(),
                    m.high_quality_percent
                )
            }
            Expectation::Covers { .. } | Expectation::Oscillates { .. } => {}
        }
    }
}

fn run(id: &str) {
    let preset = presets().into_iter().find(|p| p.id == id).unwrap();
    check(&preset);
}

#[test]
fn ring8_at_pacgans_sigma() {
    run("ring8-pacgan");
}

#[test]
fn grid25_at_pacgans_sigma() {
    run("grid25-pacgan");
}

#[test]
fn mode_collapse_and_its_fix() {
    run("collapse");
    run("collapse-fixed");
}

#[test]
fn oscillation_between_modes_and_its_fix() {
    run("oscillation");
    run("oscillation-fixed");
}

#[test]
fn a_learning_rate_too_high_and_its_fix() {
    run("lr-too-high");
    run("lr-fixed");
}

#[test]
fn a_discriminator_too_strong_and_its_fix() {
    run("strong-d");
    run("strong-d-fixed");
}

#[test]
fn every_preset_is_tested_here() {
    let tested = [
        "ring8-pacgan",
        "grid25-pacgan",
        "collapse",
        "collapse-fixed",
        "oscillation",
        "oscillation-fixed",
        "lr-too-high",
        "lr-fixed",
        "strong-d",
        "strong-d-fixed",
    ];
    for p in presets() {
        assert!(tested.contains(&p.id), "{} has no test", p.id);
    }
}
