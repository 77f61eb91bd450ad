//! The semi-supervised VAE (M2) trains through the shared session: its classifier learns the
//! held-out test digits from ten labels per class, apart from its supervised twin; its decoder
//! draws the class it is asked for; a weight file keeps both networks.

use burn::tensor::{Device, Tensor};
use ganplay_model::data::{ImageData, bundled};
use ganplay_model::metrics::test_accuracy;
use ganplay_model::train::Losses;
use ganplay_model::weights::{self, Precision, TrainingFacts, WeightFile, sampling_session};
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageShape, Scale, TrainSession};

fn session(config: ImageModelConfig) -> TrainSession {
    let data = ImageData::new(bundled::mnist_train(), config.model.normalisation());
    TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
}

fn values(t: Tensor<2>) -> Vec<f32> {
    t.into_data().try_into_vec_as::<f32>().unwrap()
}

fn elbo_terms(losses: Losses<Tensor<1>>) -> [f32; 2] {
    match losses {
        Losses::Vae { reconstruction, kl } => [reconstruction.into_scalar(), kl.into_scalar()],
        other => panic!("an ELBO, not {other:?}"),
    }
}

#[test]
fn the_classifier_learns_from_ten_labels_per_class_apart_from_its_twin() {
    let config = ImageModelConfig::preset(ImageModelKind::M2, Scale::Page, ImageShape::MNIST);
    assert_eq!(config.labels_per_class, 10);
    let mut s = session(config);
    s.track_supervised_baseline();
    assert!(s.is_vae() && s.discriminator_step().is_none());
    let test = bundled::mnist_test();
    let before = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    assert_eq!(Some(before.accuracy), before.baseline);
    let [first_reconstruction, _] = elbo_terms(s.step());
    for _ in 0..99 {
        s.step();
    }
    let [reconstruction, kl] = elbo_terms(s.step());
    assert!(
        reconstruction < 0.8 * first_reconstruction && kl > 0.0,
        "reconstruction {first_reconstruction} → {reconstruction}, KL {kl}"
    );
    let after = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    eprintln!("after 101 steps: {after:?}");
    assert!(after.accuracy > 0.5, "{after:?}");
    // The unlabelled bound and the VAE moved this classifier away from the twin's.
    let digit = s.tensor_from_points(
        test.image(0).iter().map(|p| *p as f32 / 255.0).collect(),
        784,
    );
    assert_ne!(
        values(s.class_logits(digit.clone()).unwrap()),
        values(s.baseline_class_logits(digit).unwrap())
    );
}

/// The page preset shrunk to a few small layers, for fast tests.
fn small_m2() -> ImageModelConfig {
    ImageModelConfig {
        discriminator_hidden: vec![64, 32],
        hidden: vec![32],
        latent_dim: 4,
        batch_size: 20,
        ..ImageModelConfig::preset(ImageModelKind::M2, Scale::Page, ImageShape::MNIST)
    }
}

#[test]
fn a_weight_file_keeps_the_classifier_and_the_class_conditional_decoder() {
    let mut s = session(small_m2());
    for _ in 0..3 {
        s.step();
    }
    let facts = TrainingFacts {
        steps: s.steps(),
        ..TrainingFacts::default()
    };
    let bytes = pollster::block_on(weights::to_bytes(&s, &facts, Precision::F32)).unwrap();
    let file = WeightFile::parse(&bytes).unwrap();
    let names: Vec<&str> = file.tensor_names().collect();
    for name in ["classifier.output.direction", "vae.decoder.layers.0.weight"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let loaded = sampling_session(&file, &Device::flex()).unwrap();
    let test = bundled::mnist_test();
    let a = pollster::block_on(test_accuracy(&s, &test)).unwrap();
    let b = pollster::block_on(test_accuracy(&loaded, &test)).unwrap();
    assert_eq!(a.confusion, b.confusion);
    // The decoder takes the class: one latent vector, two classes, two different digits;
    // the loaded file draws the same ones.
    assert_eq!(s.classes(), 10);
    let z = s.fixed_noise(2, 7);
    let drawn = values(s.generate_labelled(z.clone(), Some(&[3, 8])));
    assert_ne!(drawn[..784], drawn[784..]);
    assert_eq!(
        drawn,
        values(loaded.generate_labelled(loaded.fixed_noise(2, 7), Some(&[3, 8])))
    );
    // Within a class, one latent draw means one image.
    let z = Tensor::cat(vec![z.clone().slice(0..1), z.slice(0..1)], 0);
    let same = values(s.generate_labelled(z, Some(&[3, 3])));
    assert_eq!(same[..784], same[784..]);
}

#[test]
fn absurd_classification_weights_are_refused() {
    for weight in [0.0, -1.0, f64::NAN, 1e9] {
        let config = ImageModelConfig {
            classification_weight: weight,
            ..small_m2()
        };
        let err = config.validate().unwrap_err();
        assert_eq!(err.field, "classification weight", "{weight}");
    }
    let dcgan = ImageModelConfig {
        classification_weight: 1.0,
        ..ImageModelConfig::preset(ImageModelKind::Dcgan, Scale::Page, ImageShape::MNIST)
    };
    assert_eq!(dcgan.validate().unwrap_err().field, "classification weight");
}
