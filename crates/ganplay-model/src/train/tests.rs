//! The session's own tests: step counting, reproducibility, WGAN clipping, refused configs.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor};

use super::*;
use crate::config::{Activation, GanConfig, knobs};
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
    let samples_after = |seed: u64, steps: usize| {
        let mut s = session(GanConfig {
            seed,
            ..GanConfig::default()
        });
        for _ in 0..steps {
            s.step();
        }
        let noise = s.fixed_noise(4, 9);
        read(s.generate(noise).reshape([-1]))
    };
    let trained = samples_after(1, 5);
    assert_eq!(trained, samples_after(1, 5), "the same seed, the same run");
    // Neither holds if the steps change nothing or the seed is ignored.
    assert_ne!(trained, samples_after(1, 0), "training moved the generator");
    assert_ne!(trained, samples_after(2, 5), "another seed, another run");
}

#[test]
fn the_leaky_slope_of_the_config_shapes_the_critic() {
    // logit(belief) along a line through the plane: with slope 1 LeakyReLU is the identity, so
    // the critic is affine and its scores change by equal amounts over equal strides.
    let second_difference = |leaky_slope: f64| {
        let mut config = GanConfig {
            loss: LossKind::Wasserstein,
            leaky_slope,
            ..GanConfig::default()
        };
        config.discriminator.activation = Activation::LeakyRelu;
        let s = session(config);
        let points: Vec<f32> = (0..5).flat_map(|i| [i as f32 - 2.0, 0.5]).collect();
        let points = s.tensor_from_points(points, 2);
        let beliefs = read(s.discriminator_belief(points).unwrap().reshape([-1]));
        let logits: Vec<f32> = beliefs.iter().map(|p| (p / (1.0 - p)).ln()).collect();
        logits
            .windows(3)
            .map(|w| (w[2] - 2.0 * w[1] + w[0]).abs())
            .fold(0.0, f32::max)
    };
    assert!(second_difference(1.0) < 1e-4, "{}", second_difference(1.0));
    assert!(second_difference(0.0) > 1e-3, "{}", second_difference(0.0));
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
        Nets::Vae(_) | Nets::SemiSupervised(_) | Nets::SemiSupervisedVae(_) => panic!("not a GAN"),
    }
}

fn generator(s: &TrainSession) -> &crate::nets::Generator {
    match &s.nets {
        Nets::Gan(g) => &g.modules.generator,
        Nets::Vae(_) | Nets::SemiSupervised(_) | Nets::SemiSupervisedVae(_) => panic!("not a GAN"),
    }
}

#[test]
fn a_d_step_moves_only_d_and_a_g_step_only_g() {
    let mut s = session(GanConfig::default());
    let (g0, d0) = (flat_params(generator(&s)), flat_params(critic(&s)));
    s.discriminator_step().unwrap();
    let (g1, d1) = (flat_params(generator(&s)), flat_params(critic(&s)));
    assert_eq!(g0, g1, "a D step left G's weights alone");
    assert_ne!(d0, d1, "a D step changed D's weights");
    s.generator_step().unwrap();
    let (g2, d2) = (flat_params(generator(&s)), flat_params(critic(&s)));
    assert_ne!(g1, g2, "a G step changed G's weights");
    assert_eq!(d1, d2, "a G step left D's weights alone");
}

fn flat_params<M: Module>(m: &M) -> Vec<f32> {
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

fn samples_after(s: &TrainSession) -> Vec<f32> {
    s.generate(s.fixed_noise(16, 3))
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap()
}

#[test]
fn a_step_makes_g_steps_generator_updates_after_the_discriminator_ones() {
    let mut stepped = session(GanConfig {
        g_steps: 3,
        ..GanConfig::default()
    });
    stepped.step();
    // The same updates one by one, from the same seed: one D update, then three G updates.
    let mut by_hand = session(GanConfig::default());
    by_hand.discriminator_step().unwrap();
    for _ in 0..3 {
        by_hand.generator_step().unwrap();
    }
    assert_eq!(samples_after(&stepped), samples_after(&by_hand));
    // A single G update ends elsewhere.
    let mut once = session(GanConfig::default());
    once.step();
    assert_ne!(samples_after(&stepped), samples_after(&once));
}

#[test]
fn packs_put_consecutive_samples_side_by_side() {
    let device = Device::flex();
    let samples = Tensor::<2>::from_data(
        burn::tensor::TensorData::new((0..10).map(|v| v as f32).collect(), [5, 2]),
        &device,
    );
    let packs = gan_step::pack(samples.clone(), 2);
    assert_eq!(packs.dims(), [2, 4]);
    let values = packs.into_data().try_into_vec_as::<f32>().unwrap();
    // The fifth sample has no partner and is left out.
    assert_eq!(values, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
    assert_eq!(gan_step::pack(samples, 1).dims(), [5, 2]);
}

#[test]
fn a_packing_discriminator_trains_and_still_draws_its_surface() {
    let mut s = session(GanConfig {
        packing: 3,
        ..GanConfig::default()
    });
    let first = flat_params(critic(&s));
    // The critic reads three 2D samples at once.
    assert_eq!(
        first.len(),
        session(GanConfig::default()).critic_params() + 4 * 64
    );
    for _ in 0..3 {
        assert!(read(s.step().packed()).iter().all(|l| l.is_finite()));
    }
    assert_ne!(first, flat_params(critic(&s)));
    let points = s.fixed_noise(7, 1);
    let belief = s.discriminator_belief(points).unwrap();
    assert_eq!(belief.dims(), [7, 1]);
}

#[test]
fn packing_beyond_its_range_or_the_batch_is_refused() {
    let too_wide = GanConfig {
        packing: 9,
        ..GanConfig::default()
    };
    assert_eq!(too_wide.validate().unwrap_err().field, knobs::PACKING.label);
    let data = ToyDataset::new(ToyKind::Ring8, 0.05).unwrap();
    let small_batch = GanConfig {
        packing: 4,
        batch_size: 3,
        ..GanConfig::default()
    };
    let err = TrainSession::new(small_batch, Box::new(data), &Device::flex())
        .err()
        .unwrap();
    assert_eq!(err.field, knobs::PACKING.label);
}

impl TrainSession {
    fn critic_params(&self) -> usize {
        flat_params(critic(self)).len()
    }
}

fn read2(t: Tensor<2>) -> Vec<f32> {
    t.into_data().try_into_vec_as::<f32>().unwrap()
}

/// Under the non-saturating loss a sample's loss is −ln D(x), so its push is ∇ ln D(x): checked
/// against central differences of the drawn decision surface.
#[test]
fn the_generator_push_is_the_downhill_direction_of_its_loss() {
    let mut s = session(GanConfig {
        loss: LossKind::NonSaturating,
        ..GanConfig::default()
    });
    for _ in 0..30 {
        s.discriminator_step();
    }
    let points = [[0.3_f32, -0.2], [-0.8, 0.5], [1.0, 1.0]];
    let flat: Vec<f32> = points.iter().flatten().copied().collect();
    let push = read2(s.generator_push(s.tensor_from_points(flat, 2)).unwrap());
    assert_eq!(push.len(), 6);
    let h = 1e-2_f32;
    for (i, p) in points.iter().enumerate() {
        let mut probes = Vec::new();
        for axis in 0..2 {
            for sign in [1.0, -1.0] {
                let mut q = *p;
                q[axis] += sign * h;
                probes.extend(q);
            }
        }
        let belief = read2(
            s.discriminator_belief(s.tensor_from_points(probes, 2))
                .unwrap(),
        );
        for axis in 0..2 {
            let slope = (belief[2 * axis].ln() - belief[2 * axis + 1].ln()) / (2.0 * h);
            let got = push[2 * i + axis];
            assert!(
                (got - slope).abs() <= 1e-2 + 0.05 * slope.abs(),
                "point {p:?} axis {axis}: push {got}, finite difference {slope}"
            );
        }
    }
}

#[test]
fn a_packing_generator_gets_a_push_per_point_and_vaes_none() {
    let s = session(GanConfig {
        packing: 2,
        ..GanConfig::default()
    });
    let push = s.generator_push(s.fixed_noise(6, 3)).unwrap();
    assert_eq!(push.dims(), [6, 2]);
    assert!(read2(push).iter().all(|v| v.is_finite()));
}

/// A session of `config` holding `from`'s weights (and step), through a weight file.
fn with_weights_of(from: &TrainSession, config: GanConfig) -> TrainSession {
    use crate::weights::{Precision, TrainingFacts, WeightFile, to_bytes};
    let bytes =
        pollster::block_on(to_bytes(from, &TrainingFacts::default(), Precision::F32)).unwrap();
    let mut s = session(config);
    s.load_weights(&WeightFile::parse(&bytes).unwrap()).unwrap();
    s
}

/// The optimiser state as the file it is saved as.
fn optimizer_state(s: &TrainSession) -> Vec<u8> {
    use crate::weights::Precision;
    pollster::block_on(s.optimizer_state().to_bytes(Precision::F32)).unwrap()
}

#[test]
fn the_optimizer_state_moves_to_a_rebuilt_session_of_the_same_config() {
    let config = GanConfig::default();
    let mut trained = session(config.clone());
    for _ in 0..5 {
        trained.step();
    }
    let state = optimizer_state(&trained);
    let untrained_state = optimizer_state(&session(config.clone()));
    assert!(
        state.len() > untrained_state.len() + 1000,
        "Adam's moments are in it"
    );

    let restore = || {
        let mut s = with_weights_of(&trained, config.clone());
        s.load_optimizer_state(&state).unwrap();
        s
    };
    let (mut restored, mut restored_again) = (restore(), restore());
    // The same weights and batches, with and without the moments: the next update differs,
    // and with them it is the same every time.
    let mut restarted = with_weights_of(&trained, config.clone());
    for s in [&mut restored, &mut restored_again, &mut restarted] {
        s.step();
    }
    let samples = |s: &TrainSession| read(s.generate(s.fixed_noise(8, 3)).reshape([-1]));
    assert!(samples(&restored) == samples(&restored_again));
    assert!(samples(&restored) != samples(&restarted));
    // A restored state is saved again as it was loaded (the header's key order may differ).
    let tensors = |bytes: &[u8]| {
        crate::weights::RawFile::parse(bytes, crate::weights::OPTIMIZER_FORMAT)
            .unwrap()
            .tensors
    };
    assert!(tensors(&optimizer_state(&restore())) == tensors(&state));

    let other = GanConfig { seed: 9, ..config };
    let refused = session(other).load_optimizer_state(&state).unwrap_err();
    assert!(refused.to_string().contains("another config"), "{refused}");
    let refused = restarted
        .load_optimizer_state(&state[..state.len() - 3])
        .unwrap_err();
    assert!(refused.to_string().contains("cannot be read"), "{refused}");
    let mut flipped = state.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    let refused = restarted.load_optimizer_state(&flipped).unwrap_err();
    assert!(refused.to_string().contains("damaged"), "{refused}");
    let weights = {
        use crate::weights::{Precision, TrainingFacts, to_bytes};
        pollster::block_on(to_bytes(
            &trained,
            &TrainingFacts::default(),
            Precision::F32,
        ))
        .unwrap()
    };
    let refused = restarted.load_optimizer_state(&weights).unwrap_err();
    assert!(refused.to_string().contains("generator"), "{refused}");
}

#[test]
fn a_tanh_output_squashes_the_same_generator() {
    let noise = |s: &TrainSession| s.fixed_noise(16, 3);
    let linear = session(GanConfig::default());
    let tanh = session(GanConfig {
        g_output: crate::config::GeneratorOutput::Tanh,
        ..GanConfig::default()
    });
    let expected: Vec<f32> = read(linear.generate(noise(&linear)).reshape([-1]))
        .iter()
        .map(|x| x.tanh())
        .collect();
    let got = read(tanh.generate(noise(&tanh)).reshape([-1]));
    assert!(expected.iter().zip(&got).all(|(e, g)| (e - g).abs() < 1e-5));
    assert_ne!(got, read(linear.generate(noise(&linear)).reshape([-1])));
}
