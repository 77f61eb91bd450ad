//! The session's own tests: step counting, reproducibility, WGAN clipping, refused configs.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor};

use super::*;
use crate::config::GanConfig;
use crate::data::{ToyDataset, ToyKind};
use crate::nets::Critic;

fn session(config: GanConfig) -> TrainSession {
    let data = ToyDataset::new(ToyKind::Ring8, 0.05).unwrap();
    TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
}

fn read(t: Tensor<1>) -> Vec<f32> {
    t.into_data().try_into_vec_as::<f32>().unwrap()
}

#[test]
fn steps_count_and_losses_are_finite() {
    let mut s = session(GanConfig {
        d_steps: 3,
        ..GanConfig::default()
    });
    let losses = read(s.step().packed());
    assert_eq!(losses.len(), 2);
    assert!(losses.iter().all(|l| l.is_finite()));
    assert_eq!((s.steps(), s.discriminator_steps()), (1, 3));
    s.discriminator_step().unwrap();
    assert_eq!((s.steps(), s.discriminator_steps()), (1, 4));
}

#[test]
fn a_seed_reproduces_a_run() {
    let run = || {
        let mut s = session(GanConfig::default());
        for _ in 0..5 {
            s.step();
        }
        let noise = s.fixed_noise(4, 9);
        s.generate(noise)
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap()
    };
    assert_eq!(run(), run());
}

#[test]
fn wasserstein_critic_weights_stay_clipped_and_keep_training() {
    let config = GanConfig {
        loss: LossKind::Wasserstein,
        clip: 0.01,
        ..GanConfig::default()
    };
    let mut s = session(config);
    let before = critic(&s).clone();
    for _ in 0..3 {
        s.step();
    }
    let mut max_abs = MaxAbs(0.0);
    critic(&s).visit(&mut max_abs);
    assert!(
        max_abs.0 <= 0.01 + 1e-6,
        "weights escaped the clip: {}",
        max_abs.0
    );
    // Clipped weights must still receive updates (they stay trainable leaves).
    let after = flat_params(critic(&s));
    s.step();
    assert_ne!(after, flat_params(critic(&s)));
    assert_ne!(flat_params(&before), after);
}

#[test]
fn absurd_sizes_are_refused() {
    let data = ToyDataset::new(ToyKind::Ring8, 0.05).unwrap();
    let config = GanConfig {
        batch_size: 0,
        ..GanConfig::default()
    };
    let err = TrainSession::new(config, Box::new(data.clone()), &Device::flex())
        .err()
        .unwrap();
    assert_eq!(err.field, "batch size");
    let mut config = GanConfig::default();
    config.g_optimizer.learning_rate = f64::INFINITY;
    assert!(TrainSession::new(config, Box::new(data), &Device::flex()).is_err());
}

struct MaxAbs(f32);
impl burn::module::ModuleVisitor for MaxAbs {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let m = param.val().abs().max().into_scalar::<f32>();
        self.0 = self.0.max(m);
    }
}

fn critic(s: &TrainSession) -> &Critic {
    match &s.nets {
        Nets::Gan(g) => &g.modules.critic,
        Nets::Vae(_) => panic!("not a GAN"),
    }
}

fn flat_params(m: &Critic) -> Vec<f32> {
    struct Collect(Vec<f32>);
    impl burn::module::ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0
                .extend(param.val().into_data().try_into_vec_as::<f32>().unwrap());
        }
    }
    let mut c = Collect(Vec::new());
    m.visit(&mut c);
    c.0
}
