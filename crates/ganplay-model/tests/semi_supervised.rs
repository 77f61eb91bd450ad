//! The semi-supervised GAN trains through the shared session: its discriminator learns to
//! classify the held-out test digits from ten labels per class, its supervised twin trains in
//! lockstep from the same starting weights, and a weight file keeps the classifier.

use burn::tensor::Device;
use ganplay_model::config::Consistency;
use ganplay_model::data::{ImageData, bundled};
use ganplay_model::metrics::{classify, test_accuracy};
use ganplay_model::train::Losses;
use ganplay_model::weights::{self, Precision, TrainingFacts, WeightFile, sampling_session};
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageShape, Scale, TrainSession};

fn session(config: ImageModelConfig) -> TrainSession {
    let data = ImageData::new(bundled::mnist_train(), config.model.normalisation());
    TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
}

#[test]
fn the_discriminator_learns_to_classify_from_ten_labels_per_class() {
    let config = ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST);
    assert_eq!(config.labels_per_class, 10);
    let mut s = session(config);
    s.track_supervised_baseline();
    let test = bundled::mnist_test();
    let before = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    // Same initial weights: the twin starts where the discriminator starts.
    assert_eq!(Some(before.accuracy), before.baseline);
    assert!(before.accuracy < 0.3, "untrained: {before:?}");
    for _ in 0..150 {
        s.step();
    }
    let after = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    let baseline = after.baseline.unwrap();
    eprintln!(
        "after 150 steps: semi-supervised {:.1}%, labels only {:.1}%",
        100.0 * after.accuracy,
        100.0 * baseline
    );
    assert!(after.accuracy > 0.6 && baseline > 0.6, "{after:?}");
    // Two networks trained apart: the unlabelled digits and the generator changed this one.
    let pixels: Vec<f32> = test.image(0).iter().map(|p| *p as f32 / 255.0).collect();
    let read = |t: burn::tensor::Tensor<2>| t.into_data().try_into_vec_as::<f32>().unwrap();
    let ours = read(
        s.class_logits(s.tensor_from_points(pixels.clone(), 784))
            .unwrap(),
    );
    let twin = read(
        s.baseline_class_logits(s.tensor_from_points(pixels, 784))
            .unwrap(),
    );
    assert_ne!(ours, twin);
    let counted: u32 = after.confusion.iter().flatten().sum();
    assert_eq!(counted as usize, test.len());
    let diagonal: u32 = (0..10).map(|i| after.confusion[i][i]).sum();
    assert_eq!(f64::from(diagonal) / test.len() as f64, after.accuracy);
    // Pseudo-labels: the same classes, each with its softmax probability among the ten.
    let labelled = pollster::block_on(classify(&s, &test)).unwrap();
    assert_eq!(labelled.len(), test.len());
    let right = labelled
        .iter()
        .zip(&test.labels)
        .filter(|((class, _), label)| *class == **label as usize)
        .count();
    assert_eq!(right as u32, diagonal);
    assert!(
        labelled.iter().all(|(_, p)| (0.1..=1.0).contains(p)),
        "a top probability of ten classes is at least 1/10"
    );
    let confident = labelled.iter().filter(|(_, p)| *p >= 0.95).count();
    assert!(confident > test.len() / 4, "{confident} confident");
}

/// The page preset shrunk to a few small layers, for fast tests.
fn small_ssgan() -> ImageModelConfig {
    ImageModelConfig {
        discriminator_hidden: vec![64, 32],
        hidden: vec![32],
        latent_dim: 8,
        batch_size: 20,
        ..ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST)
    }
}

#[test]
fn a_weight_file_keeps_the_classifier() {
    let mut s = session(small_ssgan());
    for _ in 0..5 {
        s.step();
    }
    let facts = TrainingFacts {
        steps: s.steps(),
        ..TrainingFacts::default()
    };
    let bytes = pollster::block_on(weights::to_bytes(&s, &facts, Precision::F32)).unwrap();
    let file = WeightFile::parse(&bytes).unwrap();
    let names: Vec<&str> = file.tensor_names().collect();
    assert!(
        names.contains(&"discriminator.output.direction"),
        "{names:?}"
    );
    assert!(names.contains(&"generator.output.scale"), "{names:?}");
    let loaded = sampling_session(&file, &Device::flex()).unwrap();
    let test = bundled::mnist_test();
    let a = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    let b = pollster::block_on(test_accuracy(&loaded, &test)).unwrap();
    assert_eq!(a.confusion, b.confusion);
    // Models that do not classify say so.
    let dcgan = session(ImageModelConfig::preset(
        ImageModelKind::Dcgan,
        Scale::Page,
        ImageShape::MNIST,
    ));
    assert!(pollster::block_on(test_accuracy(&dcgan, &test)).is_err());
}

#[test]
fn the_classifier_is_a_moving_average_of_the_discriminator_and_a_file_keeps_it() {
    let averaged = |classifier_ema: f64| ImageModelConfig {
        classifier_ema,
        ..small_ssgan()
    };
    let (mut with_average, mut plain) = (session(averaged(0.9)), session(averaged(0.0)));
    with_average.track_supervised_baseline();
    plain.track_supervised_baseline();
    for _ in 0..5 {
        with_average.step();
        plain.step();
    }
    let read = |t: burn::tensor::Tensor<2>| t.into_data().try_into_vec_as::<f32>().unwrap();
    let samples = |s: &TrainSession| read(s.generate(s.fixed_noise(4, 1)));
    // Without the consistency loss the average only classifies: training is the same.
    assert_eq!(samples(&with_average), samples(&plain));
    assert_ne!(
        first_digit_logits(&with_average),
        first_digit_logits(&plain)
    );
    // The labels-only twin is averaged alike, so the two stay comparable.
    let digit = || with_average.tensor_from_points(vec![0.5; 784], 784);
    assert_ne!(
        read(with_average.baseline_class_logits(digit()).unwrap()),
        read(plain.baseline_class_logits(digit()).unwrap())
    );

    let bytes = pollster::block_on(weights::to_bytes(
        &with_average,
        &TrainingFacts::default(),
        Precision::F32,
    ))
    .unwrap();
    let file = WeightFile::parse(&bytes).unwrap();
    assert!(
        file.tensor_names()
            .any(|n| n == "discriminator_ema.output.direction")
    );
    let loaded = sampling_session(&file, &Device::flex()).unwrap();
    assert_eq!(
        first_digit_logits(&loaded),
        first_digit_logits(&with_average)
    );

    // Only the semi-supervised GAN's discriminator is averaged, and below 0.5 hardly averages.
    let m2 = ImageModelConfig {
        classifier_ema: 0.99,
        ..ImageModelConfig::preset(ImageModelKind::M2, Scale::Page, ImageShape::MNIST)
    };
    let label = ganplay_model::config::image_knobs::CLASSIFIER_EMA.label;
    assert_eq!(m2.validate().unwrap_err().field, label);
    assert_eq!(averaged(0.3).validate().unwrap_err().field, label);
}

#[test]
fn impossible_label_budgets_are_refused() {
    let config = ImageModelConfig {
        labels_per_class: 5000,
        ..ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST)
    };
    let data = ImageData::new(bundled::mnist_train(), config.model.normalisation());
    let err = TrainSession::new(config, Box::new(data), &Device::flex())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("fewer than the budget"), "{err}");
}

/// The classifier's logits for the first test digit.
fn first_digit_logits(s: &TrainSession) -> Vec<f32> {
    let pixels: Vec<f32> = bundled::mnist_test()
        .image(0)
        .iter()
        .map(|p| *p as f32 / 255.0)
        .collect();
    s.class_logits(s.tensor_from_points(pixels, 784))
        .unwrap()
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap()
}

#[test]
fn the_learning_rate_decay_and_the_augmented_views_reach_training() {
    let small = ImageModelConfig {
        augment_real: false,
        ..small_ssgan()
    };
    // How far the logits move over steps 2 to 6 (the decay below starts after the first).
    let moved = |config: ImageModelConfig| {
        let mut s = session(config);
        s.step();
        let start = first_digit_logits(&s);
        for _ in 0..5 {
            s.step();
        }
        let end = first_digit_logits(&s);
        let distance: f32 = start.iter().zip(&end).map(|(a, b)| (a - b).powi(2)).sum();
        (distance.sqrt(), end)
    };
    let (plain, plain_logits) = moved(small.clone());
    // Decayed to its floor after the first step: updates 20 times smaller.
    let (decayed, _) = moved(ImageModelConfig {
        lr_decay: ganplay_model::config::LrDecay { start: 0, steps: 1 },
        ..small.clone()
    });
    assert!(decayed < plain / 3.0, "decayed {decayed} vs {plain}");
    // Random views of the real digits: another run from the same seed.
    let (_, augmented_logits) = moved(ImageModelConfig {
        augment_real: true,
        ..small
    });
    assert_ne!(augmented_logits, plain_logits);
}

#[test]
fn the_consistency_loss_counts_only_confident_pseudo_labels() {
    let first_discriminator_loss = |threshold: f32| {
        let mut s = session(ImageModelConfig {
            consistency: Consistency {
                weight: 1.0,
                threshold,
            },
            ..small_ssgan()
        });
        match s.step() {
            Losses::Gan { discriminator, .. } => discriminator.into_scalar::<f32>(),
            other => panic!("{other:?}"),
        }
    };
    // Same seed, same draws: at threshold 1 no untrained prediction is confident and the term
    // is 0; at threshold 0 every distorted digit adds its cross-entropy (about ln 10 at first).
    let none = first_discriminator_loss(1.0);
    let all = first_discriminator_loss(0.0);
    assert!(all > none + 1.0, "all confident {all}, none {none}");
}

/// The ablation without the GAN: no real/fake loss, so the generator never trains, while the
/// discriminator still learns the labelled digits.
#[test]
fn without_the_real_fake_loss_only_the_discriminator_trains() {
    let config = ImageModelConfig {
        unsupervised_weight: 0.0,
        ..ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST)
    };
    let mut s = session(config);
    let test = bundled::mnist_test();
    let read = |t: burn::tensor::Tensor<2>| t.into_data().try_into_vec_as::<f32>().unwrap();
    let samples = |s: &TrainSession| read(s.generate(s.fixed_noise(4, 1)));
    let (before, untrained) = (
        samples(&s),
        pollster::block_on(test_accuracy(&s, &test)).unwrap(),
    );
    for _ in 0..100 {
        let [discriminator, generator] = s.step().into_values();
        assert!(discriminator.into_scalar::<f32>().is_finite());
        assert_eq!(generator.into_scalar::<f32>(), 0.0);
    }
    assert_eq!(samples(&s), before, "the generator did not move");
    let trained = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    assert!(
        trained.accuracy > untrained.accuracy + 0.2,
        "{untrained:?} → {trained:?}"
    );
    // Only the semi-supervised GAN has a real/fake loss to weigh.
    let dcgan = ImageModelConfig {
        unsupervised_weight: 0.0,
        ..ImageModelConfig::preset(ImageModelKind::Dcgan, Scale::Page, ImageShape::MNIST)
    };
    assert_eq!(dcgan.validate().unwrap_err().field, "unsupervised weight");
}
