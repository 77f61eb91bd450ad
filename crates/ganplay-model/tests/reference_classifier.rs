//! The bundled reference classifier reaches the accuracy its file states, and the image metrics
//! it feeds tell trained generators from untrained ones.

use burn::tensor::Device;
use ganplay_model::classifier::{bundled, embed};
use ganplay_model::data::bundled::{mnist_test, mnist_train};
use ganplay_model::data::images::ImageData;
use ganplay_model::metrics::{ImageMetrics, MetricProtocol};
use ganplay_model::sample::images::generate_images;
use ganplay_model::weights::classifier_file::ClassifierFile;
use ganplay_model::weights::{WeightError, WeightFile, sampling_session};
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageShape, Scale, TrainSession};

fn classifier() -> (ganplay_model::nets::classifier::Classifier, ClassifierFile) {
    let file = ClassifierFile::parse(bundled::file_bytes()).unwrap();
    (file.build(&Device::flex()).unwrap(), file)
}

#[test]
fn the_bundled_classifier_reaches_its_stated_accuracy() {
    let (net, file) = classifier();
    let test = mnist_test();
    let seen = pollster::block_on(embed(&net, &test.pixels, 784, &Device::flex())).unwrap();
    let accuracy = seen.accuracy(&test.labels);
    assert!(accuracy >= 0.985, "accuracy {accuracy}");
    let stated = file.test_accuracy.unwrap();
    assert!(
        (accuracy - stated).abs() < 1e-3,
        "{accuracy} vs stated {stated}"
    );
    assert_eq!(seen.feature_dim, 128);
}

#[test]
fn classifier_and_generator_files_are_not_mistaken_for_each_other() {
    let generator = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../web/weights/dcgan.safetensors"
    ))
    .unwrap();
    assert!(matches!(
        ClassifierFile::parse(&generator),
        Err(WeightError::WrongKind {
            expected: "classifier",
            ..
        })
    ));
    assert!(matches!(
        WeightFile::parse(bundled::file_bytes()),
        Err(WeightError::WrongKind {
            expected: "generator",
            ..
        })
    ));
}

#[test]
fn metrics_separate_a_trained_generator_from_an_untrained_one() {
    let device = Device::flex();
    let (net, _) = classifier();
    let protocol = MetricProtocol::default();
    let test = mnist_test();
    let reference = pollster::block_on(embed(&net, &test.pixels, 784, &device)).unwrap();
    let score = |session: &TrainSession| {
        let images = pollster::block_on(generate_images(session, 400, None, 1)).unwrap();
        let seen = pollster::block_on(embed(&net, &images.pixels, 784, &device)).unwrap();
        (
            ImageMetrics::compare(&reference, &seen, &protocol).unwrap(),
            seen,
            images.labels,
        )
    };
    let file = WeightFile::parse(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../web/weights/cgan.safetensors"
        ))
        .unwrap(),
    )
    .unwrap();
    let trained = sampling_session(&file, &device).unwrap();
    let config = ImageModelConfig::preset(ImageModelKind::Cgan, Scale::Page, ImageShape::MNIST);
    let data = ImageData::new(mnist_train(), config.model.normalisation());
    let untrained = TrainSession::new(config, Box::new(data), &device).unwrap();
    let (good, seen, asked) = score(&trained);
    let (bad, _, _) = score(&untrained);
    assert!(
        good.frechet < bad.frechet / 3.0,
        "{} vs {}",
        good.frechet,
        bad.frechet
    );
    assert!(good.kid.mean < bad.kid.mean);
    // (Precision alone can flatter an untrained generator whose near-constant output sits in
    // one real digit's neighbourhood; recall cannot.)
    assert!(
        good.recall > bad.recall,
        "recall {} vs {}",
        good.recall,
        bad.recall
    );
    assert!(good.inception_score.mean > bad.inception_score.mean);
    assert!(
        good.class_histogram.missing().is_empty(),
        "{:?}",
        good.class_histogram
    );
    // The conditional GAN mostly draws the class it is asked for.
    let agreement = seen.accuracy(&asked.unwrap());
    assert!(agreement > 0.8, "agreement {agreement}");

    // Real training digits (a random 400: the split is sorted by class) score better still.
    let train = mnist_train();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
    let floor_pixels: Vec<u8> = rand::seq::index::sample(&mut rng, train.len(), 400)
        .into_iter()
        .flat_map(|i| train.image(i).to_vec())
        .collect();
    let floor_seen = pollster::block_on(embed(&net, &floor_pixels, 784, &device)).unwrap();
    let floor = ImageMetrics::compare(&reference, &floor_seen, &protocol).unwrap();
    assert!(
        floor.frechet < good.frechet,
        "floor {} model {}",
        floor.frechet,
        good.frechet
    );
}
