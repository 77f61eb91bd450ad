//! The page's bundled weight files (web/weights/: the image models, five 2D GANs) were written
//! before the current code: each must still hold exactly the tensors the model built from its
//! config expects, carry a checksum that verifies, and load.

use std::path::Path;

use burn::tensor::Device;
use ganplay_model::data::{ImageData, bundled};
use ganplay_model::weights::{self, Integrity, WeightError, WeightFile, keys};
use ganplay_model::{ModelConfig, ToyDataset, ToyKind, TrainSession};
use safetensors::SafeTensors;

#[test]
fn every_bundled_file_holds_every_tensor_the_model_expects_and_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/weights");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "safetensors"))
        // The reference classifier has a file format of its own (tests/reference_classifier.rs).
        .filter(|p| !p.ends_with("classifier.safetensors"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 11,
        "bundled files in {}: {files:?}",
        dir.display()
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let file = WeightFile::parse(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(file.integrity, Integrity::Verified, "{name}");
        let mut session = match file.config.clone() {
            ModelConfig::Image(config) => {
                let data = ImageData::new(bundled::mnist_train(), config.model.normalisation());
                TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
            }
            // The 2D GANs (toy-<shape>.safetensors) name the shape they were trained on.
            ModelConfig::Toy(config) => {
                let kind = ToyKind::from_id(&file.facts.dataset)
                    .unwrap_or_else(|| panic!("{name}: unknown shape {}", file.facts.dataset));
                assert_eq!(
                    Some(name.as_str()),
                    Some(format!("toy-{}.safetensors", kind.id())).as_deref()
                );
                let data = ToyDataset::new(kind, kind.default_sigma()).unwrap();
                TrainSession::new(config, Box::new(data), &Device::flex()).unwrap()
            }
        };
        let stored: Vec<&str> = file.tensor_names().collect();
        let expected = weights::tensor_shapes(&session);
        assert!(!expected.is_empty(), "{name}");
        for tensor in expected.keys() {
            assert!(
                stored.contains(&tensor.as_str()),
                "{name} lacks `{tensor}`; it holds {stored:?}"
            );
        }
        assert_eq!(stored.len(), expected.len(), "{name}: {stored:?}");
        session
            .load_weights(&file)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(session.steps(), file.facts.steps, "{name}");
    }
}

/// A file from before checksums existed: the bundled VAE's tensors and metadata without one.
fn without_checksum(bytes: &[u8]) -> Vec<u8> {
    let (_, header) = SafeTensors::read_metadata(bytes).unwrap();
    let mut metadata = header.metadata().clone().unwrap();
    assert!(metadata.remove(keys::CHECKSUM).is_some());
    let file = SafeTensors::deserialize(bytes).unwrap();
    safetensors::serialize(file.tensors(), Some(metadata)).unwrap()
}

#[test]
fn a_file_without_a_checksum_loads_unverified_and_can_gain_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/weights/vae.safetensors");
    let older = without_checksum(&std::fs::read(path).unwrap());
    let file = WeightFile::parse(&older).unwrap();
    assert_eq!(file.integrity, Integrity::Unverified);
    assert!(file.integrity.note().unwrap().contains("no checksum"));

    let sealed = weights::add_checksum(&older).unwrap();
    assert_eq!(
        WeightFile::parse(&sealed).unwrap().integrity,
        Integrity::Verified
    );
    let (a, b) = (
        SafeTensors::deserialize(&older).unwrap(),
        SafeTensors::deserialize(&sealed).unwrap(),
    );
    for (name, view) in a.tensors() {
        assert_eq!(view, b.tensor(&name).unwrap(), "{name} kept byte for byte");
    }

    // Damaged data is refused rather than sealed with a checksum that would vouch for it.
    let mut damaged = sealed.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x40;
    assert_eq!(
        weights::add_checksum(&damaged).unwrap_err(),
        WeightError::Checksum
    );
}
