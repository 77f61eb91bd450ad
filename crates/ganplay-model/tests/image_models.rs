//! Every image model trains through the shared session on the bundled digits, and its weights
//! survive a file round trip bit for bit (f32) or closely (f16).

use burn::tensor::{Device, Tensor};
use ganplay_model::config::{LossKind, Tuning, image_knobs};
use ganplay_model::data::{ImageData, bundled};
use ganplay_model::weights::{self, Precision, TrainingFacts, WeightError, WeightFile};
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageShape, Losses, Scale, TrainSession};

fn small(kind: ImageModelKind) -> ImageModelConfig {
    let base = ImageModelConfig::preset(kind, Scale::Page, ImageShape::MNIST);
    ImageModelConfig {
        latent_dim: 8.min(base.latent_dim),
        hidden: vec![32],
        conv_width: 4,
        batch_size: 16,
        ..base
    }
}

fn session(config: ImageModelConfig) -> TrainSession {
    let data = ImageData::new(bundled::mnist_train(), config.model.normalisation());
    TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
}

fn read(t: Tensor<2>) -> Vec<f32> {
    t.into_data().try_into_vec_as::<f32>().unwrap()
}

fn facts() -> TrainingFacts {
    TrainingFacts {
        steps: 3,
        dataset: "mnist".into(),
        trained_at: "2026-11-22T12:00:00Z".into(),
        trained_by: "test".into(),
    }
}

#[test]
fn every_image_model_trains_and_samples_in_range() {
    for &kind in ImageModelKind::ALL {
        let mut s = session(small(kind));
        for _ in 0..3 {
            let losses = s
                .step()
                .packed()
                .into_data()
                .try_into_vec_as::<f32>()
                .unwrap();
            assert!(losses.iter().all(|l| l.is_finite()), "{kind:?}: {losses:?}");
        }
        assert_eq!(s.steps(), 3, "{kind:?}");
        let labels: Vec<usize> = (0..4).collect();
        let out = read(s.generate_labelled(s.fixed_noise(4, 7), Some(&labels)));
        assert_eq!(out.len(), 4 * 784, "{kind:?}");
        let (lo, hi) = if kind.is_vae() {
            (0.0, 1.0)
        } else {
            (-1.0, 1.0)
        };
        assert!(
            out.iter().all(|v| (lo..=hi).contains(v)),
            "{kind:?} leaves its pixel range"
        );
    }
}

#[test]
fn conditional_generators_depend_on_the_class() {
    for kind in [ImageModelKind::Cgan, ImageModelKind::Cvae] {
        let s = session(small(kind));
        let noise = s.fixed_noise(1, 3);
        let three = read(s.generate_labelled(noise.clone(), Some(&[3])));
        let seven = read(s.generate_labelled(noise, Some(&[7])));
        assert_ne!(three, seven, "{kind:?}");
    }
}

#[test]
fn vae_loss_falls_and_reports_both_terms() {
    let mut s = session(ImageModelConfig {
        hidden: vec![64],
        ..small(ImageModelKind::Vae)
    });
    assert_eq!(Losses::of(s.config()).names(), ["reconstruction", "KL"]);
    let total = |s: &mut TrainSession| {
        s.step()
            .packed()
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap()
            .iter()
            .sum::<f32>()
    };
    let first = total(&mut s);
    let mut last = first;
    for _ in 0..150 {
        last = total(&mut s);
    }
    assert!(last < 0.6 * first, "negative ELBO {first} -> {last}");
    let test = bundled::mnist_test();
    let images: Vec<f32> = (0..2)
        .flat_map(|i| {
            test.image(i)
                .iter()
                .map(|p| *p as f32 / 255.0)
                .collect::<Vec<_>>()
        })
        .collect();
    let recon = read(
        s.reconstruct(s.tensor_from_points(images, 784), &[0, 0])
            .unwrap(),
    );
    assert_eq!(recon.len(), 2 * 784);
    assert_eq!(
        read(
            s.encode(s.tensor_from_points(vec![0.0; 784], 784), &[0])
                .unwrap()
        )
        .len(),
        s.latent_dim()
    );
}

#[test]
fn weights_round_trip_for_every_model() {
    for &kind in ImageModelKind::ALL {
        let mut trained = session(small(kind));
        for _ in 0..3 {
            trained.step();
        }
        let labels = [1, 2, 3];
        let noise = trained.fixed_noise(3, 11);
        let expected = read(trained.generate_labelled(noise.clone(), Some(&labels)));
        for precision in [Precision::F32, Precision::F16] {
            let bytes =
                pollster::block_on(weights::to_bytes(&trained, &facts(), precision)).unwrap();
            let file = WeightFile::parse(&bytes).unwrap();
            assert_eq!(file.facts, facts());
            let ganplay_model::ModelConfig::Image(config) = file.config.clone() else {
                panic!("image config")
            };
            let mut loaded = session(config);
            loaded.load_weights(&file).unwrap();
            assert_eq!(loaded.steps(), 3);
            let got = read(loaded.generate_labelled(noise.clone(), Some(&labels)));
            let worst = expected
                .iter()
                .zip(&got)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            let tolerance = if precision == Precision::F32 {
                0.0
            } else {
                0.05
            };
            assert!(
                worst <= tolerance,
                "{kind:?} {precision:?}: worst difference {worst}"
            );
        }
    }
}

#[test]
fn a_moving_average_samples_and_training_stays_the_same() {
    // The DCGAN: its critic has no dropout, whose masks come from Burn's process-wide generator.
    let with_average = |ema: f64| ImageModelConfig {
        ema,
        ..small(ImageModelKind::Dcgan)
    };
    let (mut averaged, mut plain) = (session(with_average(0.9)), session(with_average(0.0)));
    for _ in 0..5 {
        averaged.step();
        plain.step();
    }
    let noise = plain.fixed_noise(4, 7);
    let images = averaged.tensor_from_points(vec![0.0; 4 * 784], 784);
    // The critics trained alike: the average only samples.
    assert_eq!(
        read(averaged.discriminator_scores(images.clone(), None).unwrap()),
        read(plain.discriminator_scores(images, None).unwrap())
    );
    let sampled = read(averaged.generate(noise.clone()));
    assert_ne!(sampled, read(plain.generate(noise.clone())));

    let bytes = pollster::block_on(weights::to_bytes(&averaged, &facts(), Precision::F32)).unwrap();
    let file = WeightFile::parse(&bytes).unwrap();
    assert!(file.tensor_names().any(|n| n.starts_with("generator_ema.")));
    let mut loaded = session(with_average(0.9));
    loaded.load_weights(&file).unwrap();
    assert_eq!(read(loaded.generate(noise)), sampled);

    // Only GANs have a generator to average, and a decay below 0.5 hardly averages.
    for (kind, ema) in [(ImageModelKind::Vae, 0.999), (ImageModelKind::Dcgan, 0.3)] {
        let config = ImageModelConfig { ema, ..small(kind) };
        assert_eq!(config.validate().unwrap_err().field, image_knobs::EMA.label);
    }
}

/// The largest |value| of an f32 tensor in a weight file.
fn largest_magnitude(bytes: &[u8], name: &str) -> f32 {
    let tensors = safetensors::SafeTensors::deserialize(bytes).unwrap();
    let view = tensors.tensor(name).unwrap();
    view.data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]).abs())
        .fold(0.0, f32::max)
}

#[test]
fn a_spectrally_normalised_critic_replaces_clipping_and_keeps_its_estimate_in_the_file() {
    let wgan = |spectral_norm: bool| ImageModelConfig {
        spectral_norm,
        ..small(ImageModelKind::Wgan)
    };
    let mut clipped = session(wgan(false));
    let mut normalised = session(wgan(true));
    for _ in 0..3 {
        clipped.step();
        normalised.step();
    }
    let file_of = |s: &TrainSession| {
        pollster::block_on(weights::to_bytes(s, &facts(), Precision::F32)).unwrap()
    };
    let (clipped_bytes, bytes) = (file_of(&clipped), file_of(&normalised));
    let clip = wgan(false).clip;
    // Clipping holds every critic weight to ±clip; spectral normalisation replaces it.
    let score = "critic.Conv.score.weight";
    assert!(largest_magnitude(&clipped_bytes, score) <= clip);
    assert!(largest_magnitude(&bytes, score) > clip);

    // The power iteration's estimates travel with the weights: a loaded critic scores alike.
    let file = WeightFile::parse(&bytes).unwrap();
    let estimates = file
        .tensor_names()
        .filter(|n| n.contains(".spectral."))
        .count();
    assert_eq!(estimates, 3, "two convolutions and the score layer");
    let ganplay_model::ModelConfig::Image(config) = file.config.clone() else {
        panic!("image config")
    };
    assert!(config.spectral_norm);
    let mut loaded = session(config);
    loaded.load_weights(&file).unwrap();
    let images = normalised.tensor_from_points(vec![0.5; 2 * 784], 784);
    let expected = read(
        normalised
            .discriminator_scores(images.clone(), None)
            .unwrap(),
    );
    let got = read(loaded.discriminator_scores(images, None).unwrap());
    for (a, b) in expected.iter().zip(&got) {
        assert!((a - b).abs() < 1e-5, "{expected:?} against {got:?}");
    }
    // The MLP critic takes it too.
    let mut mlp = session(ImageModelConfig {
        spectral_norm: true,
        ..small(ImageModelKind::GanMlp)
    });
    let [critic, generator] = mlp.step().into_values();
    assert!(critic.into_scalar::<f32>().is_finite() && generator.into_scalar::<f32>().is_finite());
}

#[test]
fn the_config_chooses_the_image_gans_loss() {
    // At the first step the critic scores near 0, where the hinge loss is 1 + 1 and the
    // non-saturating loss 2·ln 2.
    let first_critic_loss = |loss| {
        let mut s = session(ImageModelConfig {
            loss,
            ..small(ImageModelKind::Dcgan)
        });
        let [critic, _] = s.step().into_values();
        critic.into_scalar::<f32>()
    };
    let hinge = first_critic_loss(Some(LossKind::Hinge));
    let own = first_critic_loss(None);
    assert!((hinge - 2.0).abs() < 0.3, "hinge: {hinge}");
    assert!(
        (own - 2.0 * std::f32::consts::LN_2).abs() < 0.3,
        "own: {own}"
    );

    // Adversarial options on a model without a critic are refused by name.
    for (config, field) in [
        (
            ImageModelConfig {
                loss: Some(LossKind::Hinge),
                ..small(ImageModelKind::Vae)
            },
            "loss",
        ),
        (
            ImageModelConfig {
                spectral_norm: true,
                ..small(ImageModelKind::Ssgan)
            },
            "spectral norm",
        ),
        (
            ImageModelConfig {
                d_learning_rate: Some(-1.0),
                ..small(ImageModelKind::Dcgan)
            },
            image_knobs::D_LEARNING_RATE.label,
        ),
    ] {
        assert_eq!(config.validate().unwrap_err().field, field);
    }
}

#[test]
fn an_auxiliary_classifier_adds_the_class_loss_and_its_head_to_the_file() {
    // At the first step the class head's logits are near 0: its cross-entropy on a real and a
    // generated batch is about 2 · ln 10, added to the critic's 2 · ln 2.
    let mut s = session(ImageModelConfig {
        auxiliary_classifier: 1.0,
        ..small(ImageModelKind::Cgan)
    });
    let [critic, generator] = s.step().into_values();
    let (critic, generator) = (critic.into_scalar::<f32>(), generator.into_scalar::<f32>());
    let expected = 2.0 * std::f32::consts::LN_2 + 2.0 * 10f32.ln();
    assert!((critic - expected).abs() < 0.5, "critic loss {critic}");
    // The generator's: ln 2 for the score, ln 10 for the class.
    assert!(
        (generator - (std::f32::consts::LN_2 + 10f32.ln())).abs() < 0.5,
        "generator loss {generator}"
    );
    let bytes = pollster::block_on(weights::to_bytes(&s, &facts(), Precision::F32)).unwrap();
    let file = WeightFile::parse(&bytes).unwrap();
    assert!(
        file.tensor_names()
            .any(|n| n == "critic.Conv.classify.weight")
    );

    let unconditional = ImageModelConfig {
        auxiliary_classifier: 1.0,
        ..small(ImageModelKind::Dcgan)
    };
    assert_eq!(
        unconditional.validate().unwrap_err().field,
        image_knobs::AUXILIARY_CLASSIFIER.label
    );
}

#[test]
fn tuning_reaches_the_networks_and_the_weight_file() {
    let spread = |tuning: Tuning| {
        let s = session(ImageModelConfig {
            tuning,
            ..small(ImageModelKind::Dcgan)
        });
        let noise = s.fixed_noise(16, 3);
        let images = read(s.generate(noise));
        let mean = images.iter().sum::<f32>() / images.len() as f32;
        (images.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / images.len() as f32).sqrt()
    };
    let wide = Tuning {
        init_std: 0.2,
        ..Tuning::default()
    };
    // The generator's last layer has no batch norm: a wider initialisation spreads its output.
    assert!(spread(wide) > 3.0 * spread(Tuning::default()));

    for tuning in [Tuning::default(), wide] {
        let trained = session(ImageModelConfig {
            tuning,
            ..small(ImageModelKind::Dcgan)
        });
        let bytes =
            pollster::block_on(weights::to_bytes(&trained, &facts(), Precision::F32)).unwrap();
        let file = WeightFile::parse(&bytes).unwrap();
        let ganplay_model::ModelConfig::Image(config) = &file.config else {
            panic!("image config")
        };
        assert_eq!(config.tuning, tuning);
        // Files of default runs read as they did before the settings were recorded.
        let recorded = String::from_utf8_lossy(&bytes).contains("init_std");
        assert_eq!(recorded, !tuning.is_default());
    }
}

#[test]
fn bad_weight_files_are_named_and_leave_the_model_intact() {
    let mut s = session(small(ImageModelKind::GanMlp));
    let noise = s.fixed_noise(2, 5);
    let before = read(s.generate(noise.clone()));
    let good = pollster::block_on(weights::to_bytes(&s, &facts(), Precision::F32)).unwrap();

    assert!(matches!(
        WeightFile::parse(&good[..good.len() / 2]),
        Err(WeightError::NotSafetensors(_))
    ));
    assert!(matches!(
        WeightFile::parse(b"hello, not weights"),
        Err(WeightError::NotSafetensors(_))
    ));
    let foreign = safetensors::serialize(
        Vec::<(String, safetensors::tensor::TensorView)>::new(),
        None,
    )
    .unwrap();
    assert_eq!(
        WeightFile::parse(&foreign).unwrap_err(),
        WeightError::Foreign
    );

    // A file for another model: refused by name, and nothing changes.
    let other = session(small(ImageModelKind::Dcgan));
    let other_file = WeightFile::parse(
        &pollster::block_on(weights::to_bytes(&other, &facts(), Precision::F16)).unwrap(),
    )
    .unwrap();
    let err = s.load_weights(&other_file).unwrap_err().to_string();
    assert!(
        err.contains("gan-mlp") && err.contains("config differs"),
        "{err}"
    );
    // Same config, wrong tensor shape (a hand-edited file).
    let wider = session(ImageModelConfig {
        hidden: vec![33],
        ..small(ImageModelKind::GanMlp)
    });
    let wider_bytes =
        pollster::block_on(weights::to_bytes(&wider, &facts(), Precision::F32)).unwrap();
    let mut wider_file = WeightFile::parse(&wider_bytes).unwrap();
    wider_file.config = s.config().clone();
    let err = s.load_weights(&wider_file).unwrap_err().to_string();
    assert!(err.contains("has shape"), "{err}");
    assert_eq!(read(s.generate(noise)), before);
    assert_eq!(s.steps(), 0);
}

/// The loader must never panic, whatever the bytes.
#[test]
fn weight_parser_never_panics_on_mangled_files() {
    use rand::{Rng, SeedableRng};
    let s = session(ImageModelConfig {
        hidden: vec![4],
        latent_dim: 2,
        ..small(ImageModelKind::Vae)
    });
    let good = pollster::block_on(weights::to_bytes(&s, &facts(), Precision::F16)).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for _ in 0..3000 {
        let mut bytes = good.clone();
        for _ in 0..rng.random_range(1..4) {
            match rng.random_range(0..3) {
                0 => bytes.truncate(rng.random_range(0..bytes.len().max(1))),
                1 if !bytes.is_empty() => {
                    // Most damage to the header, where the structure lives.
                    let limit = if rng.random_bool(0.8) {
                        bytes.len().min(400)
                    } else {
                        bytes.len()
                    };
                    let i = rng.random_range(0..limit);
                    bytes[i] = rng.random();
                }
                _ => bytes.extend((0..rng.random_range(0..16)).map(|_| rng.random::<u8>())),
            }
        }
        if let Ok(file) = WeightFile::parse(&bytes) {
            let mut fresh = session(ImageModelConfig {
                hidden: vec![4],
                latent_dim: 2,
                ..small(ImageModelKind::Vae)
            });
            let _ = fresh.load_weights(&file);
        }
    }
}
