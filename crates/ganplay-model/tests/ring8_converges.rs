//! The walking skeleton's promise: the default configuration learns ring8 natively.

use burn::tensor::Device;
use ganplay_model::{GanConfig, ToyDataset, ToyKind, TrainSession};

mod common;
use common::mode_score;

#[test]
fn default_gan_covers_ring8() {
    let data = ToyDataset::new(ToyKind::Ring8, ToyKind::Ring8.default_sigma()).unwrap();
    let config = GanConfig {
        seed: 1,
        ..GanConfig::default()
    };
    let mut session = TrainSession::new(config, Box::new(data.clone()), &Device::flex()).unwrap();
    let noise = session.evaluation_noise();
    let score = |s: &TrainSession| mode_score(s, &noise, &data);
    let before = score(&session);
    for _ in 0..STEPS {
        session.step();
    }
    let after = score(&session);
    eprintln!("before {before:?}\nafter {after:?}");
    assert!(after.modes_covered >= 7, "covered {}", after.modes_text());
    assert!(
        after.high_quality_percent >= 80.0,
        "HQ {:.1}%",
        after.high_quality_percent
    );
    assert!(after.high_quality_percent > before.high_quality_percent);
}

const STEPS: usize = 3000;
